/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_FORWARD_H
#define ZC_FORWARD_H

/**
 * @file
 * The cross-connect behind the "forward" stage (lib/forward/forward.c) and
 * its configuration section, [forward] (docs/configuration.md).
 */

#include <stdint.h>

#include "core/zc_stage.h"

/** The [forward] section, as loaded. */
struct zc_forward_conf {
	/** map: egress configuration port index by ingress configuration
	 *  port index, ZC_PORT_NONE where the map names none.
	 */
	uint16_t xconnect[ZC_MAX_PORTS];
};

/** The loaded configuration; filled by zc_config_load(). */
extern struct zc_forward_conf zc_forward_conf;

#endif /* ZC_FORWARD_H */
