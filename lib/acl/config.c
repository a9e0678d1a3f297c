/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The [acl] section (docs/configuration.md, docs/acl.md): the rule file
 * and the default action. The file itself is read where the ports are
 * known, by the classify stage (and by zcpipe --check).
 */

#include <string.h>

#include <rte_cfgfile.h>
#include <rte_common.h>

#include "acl/zc_acl.h"
#include "core/zc_config.h"

struct zc_acl_conf zc_acl_conf;

static void
acl_conf_reset(void)
{
	memset(&zc_acl_conf, 0, sizeof(zc_acl_conf));
}

static int
acl_conf_parse(struct zc_config *cfg, struct rte_cfgfile *f, const char *sec)
{
	static const char *const keys[] = { "rules", "default", NULL };
	static const char *const defaults[] = { "permit", "deny", NULL };
	unsigned int d = zc_acl_conf.deny_default;

	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_path(cfg, f, sec, "rules", false, zc_acl_conf.rules,
			       sizeof(zc_acl_conf.rules)) < 0 ||
	    zc_config_get_choice(cfg, f, sec, "default", defaults, &d,
				 NULL) < 0)
		return -1;
	zc_acl_conf.deny_default = d == 1;
	return 0;
}

static struct zc_config_section acl_section = {
	.prefix = "acl",
	.order = 60,
	.parse = acl_conf_parse,
	.reset = acl_conf_reset,
};

ZC_CONFIG_SECTION(acl_section);
