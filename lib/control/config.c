/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The [control] section (docs/control.md):
 *
 *   [control]
 *   socket = on        the control socket and thread (off: none)
 *   timeout = 10       seconds a client may take to send a request or
 *                      read its reply
 */

#include <rte_cfgfile.h>
#include <rte_common.h>

#include "control/zc_control.h"
#include "core/zc_config.h"

struct zc_ctl_conf zc_ctl_conf = {
	.socket = 1,
	.timeout_s = ZC_CTL_TIMEOUT_S,
};

static void
control_reset(void)
{
	zc_ctl_conf.socket = 1;
	zc_ctl_conf.timeout_s = ZC_CTL_TIMEOUT_S;
}

static int
parse_control(struct zc_config *cfg, struct rte_cfgfile *f, const char *sec)
{
	static const char *const keys[] = { "socket", "timeout", NULL };
	uint64_t x = zc_ctl_conf.timeout_s;

	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_bool(cfg, f, sec, "socket",
			       &zc_ctl_conf.socket) < 0 ||
	    zc_config_get_uint(cfg, f, sec, "timeout", 1, 3600, &x) < 0)
		return -1;
	zc_ctl_conf.timeout_s = (uint32_t)x;
	return 0;
}

static struct zc_config_section control_section = {
	.prefix = "control",
	.parse = parse_control,
	.reset = control_reset,
};

ZC_CONFIG_SECTION(control_section);
