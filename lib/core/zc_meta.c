/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf_dyn.h>

#include "core/zc_meta.h"

int zc_meta_offset = -1;
int zc_rx_tsc_offset = -1;

int
zc_meta_register(void)
{
	static const struct rte_mbuf_dynfield meta_desc = {
		.name = "zcpipe_meta",
		.size = sizeof(struct zc_meta),
		.align = __alignof__(uint32_t),
	};

	RTE_BUILD_BUG_ON(sizeof(struct zc_meta) != 24);

	zc_meta_offset = rte_mbuf_dynfield_register(&meta_desc);
	if (zc_meta_offset < 0)
		return -rte_errno;
	return 0;
}

int
zc_rx_tsc_register(void)
{
	static const struct rte_mbuf_dynfield tsc_desc = {
		.name = "zcpipe_rx_tsc",
		.size = sizeof(uint32_t),
		.align = __alignof__(uint32_t),
	};

	zc_rx_tsc_offset = rte_mbuf_dynfield_register(&tsc_desc);
	if (zc_rx_tsc_offset < 0)
		return -rte_errno;
	return 0;
}
