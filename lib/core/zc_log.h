/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_LOG_H
#define ZC_LOG_H

/**
 * @file
 * zcpipe's log type ("zcpipe", --log-level=zcpipe:debug). Control path only:
 * nothing on the fast path logs per packet.
 */

#include <rte_log.h>

extern int zc_logtype;

/** Log a line at RTE_LOG_<level> under the zcpipe log type. */
#define ZC_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, zc_logtype, "zcpipe: " fmt "\n", \
		##__VA_ARGS__)

#endif /* ZC_LOG_H */
