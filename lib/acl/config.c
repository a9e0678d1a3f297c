/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The [acl] section (docs/configuration.md, docs/acl.md): the rule file
 * and the default action. The file itself is read where the ports are
 * known, by the classify stage (and by zcpipe --check).
 */

#include <stdio.h>
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

static void
acl_conf_dump(const struct zc_config *cfg __rte_unused,
	      const struct zc_config_out *out)
{
	zc_config_out_str(out, "rules", zc_acl_conf.rules);
	zc_config_out_str(out, "default",
			  zc_acl_conf.deny_default ? "deny" : "permit");
}

/* zcpipe --check: the rule file builds an ACL, as the classify stage's would. */
static int
acl_conf_verify(const struct zc_config *cfg, char *note, size_t len)
{
	struct zc_acl_params ap = {
		.path = zc_acl_conf.rules,
		.nb_ports = cfg->nb_ports,
		.deny_default = zc_acl_conf.deny_default,
	};
	struct zc_acl *acl;
	char err[640];

	if (zc_acl_conf.rules[0] == '\0')
		return 0;
	acl = zc_acl_load(&ap, err, sizeof(err));
	if (acl == NULL)
		return zc_config_error(cfg, "acl", "rules", "%s", err);
	snprintf(note, len, "acl: %u rule(s) in %s", acl->nb_rules,
		 zc_acl_conf.rules);
	zc_acl_free(acl);
	return 0;
}

static struct zc_config_section acl_section = {
	.prefix = "acl",
	.order = 60,
	.parse = acl_conf_parse,
	.reset = acl_conf_reset,
	.dump = acl_conf_dump,
	.verify = acl_conf_verify,
};

ZC_CONFIG_SECTION(acl_section);
