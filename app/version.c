/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * zcpipe's version string and the /zcpipe/version telemetry command, which
 * monitoring (zcstat's zcpipe_build_info) reads.
 */

#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include "zc_app.h"
#include "zc_version.h" /* build/zc_version.h, written by make */

const char *
zc_version(void)
{
	return ZC_VERSION;
}

static int
telemetry_version(const char *cmd, const char *params,
		  struct rte_tel_data *d)
{
	const char *dpdk = rte_version();

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	/* "DPDK 22.11.11" -> "22.11.11" */
	if (strncmp(dpdk, "DPDK ", 5) == 0)
		dpdk += 5;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "version", zc_version());
	rte_tel_data_add_dict_string(d, "dpdk", dpdk);
	return 0;
}

RTE_INIT(zc_version_telemetry)
{
	rte_telemetry_register_cmd("/zcpipe/version", telemetry_version,
				   "zcpipe and DPDK versions. No parameters");
}
