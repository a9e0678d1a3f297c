/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The [parse] section (docs/configuration.md): the parser's limits, its
 * IPv4 checksum policy and how deep it reads. Kept in zc_parse_opts, which
 * the parse stage and the decapsulating act stage turn into a fast-path
 * struct zc_parse_conf with zc_parse_conf_init().
 */

#include <string.h>

#include <rte_cfgfile.h>
#include <rte_common.h>

#include "core/zc_config.h"
#include "core/zc_stage.h"
#include "parse/zc_parse.h"

struct zc_parse_opts zc_parse_opts;

static void
parse_opts_reset(void)
{
	memset(&zc_parse_opts, 0, sizeof(zc_parse_opts));
	zc_parse_opts.max_vlan = 3;
	zc_parse_opts.max_mpls = 8;
	zc_parse_opts.max_ext = 8;
}

static int
parse_opts_parse(struct zc_config *cfg, struct rte_cfgfile *f,
		 const char *sec)
{
	static const char *const keys[] = {
		"ipv4_checksum", "max_vlan", "max_mpls", "max_ext", "depth",
		NULL
	};
	/* In the order the errors list them. */
	static const char *const depths[] = { "l2", "full", NULL };
	static const char *const csums[] = { "drop", "pass", NULL };
	unsigned int w;

	zc_parse_opts.given = 1;
	if (zc_config_get_choice(cfg, f, sec, "depth", depths, &w,
				 &zc_parse_opts.depth_set) < 0)
		return -1;
	if (zc_parse_opts.depth_set) {
		zc_parse_opts.l2_only = w == 0;
		if (zc_parse_opts.l2_only && cfg->mode != ZC_MODE_XCONNECT)
			return zc_config_error(cfg, sec, "depth",
					       "mode %s needs the L3/L4 headers: use full",
					       zc_mode_name(cfg->mode));
	}
	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_choice(cfg, f, sec, "ipv4_checksum", csums, &w,
				 &zc_parse_opts.csum_set) < 0)
		return -1;
	if (zc_parse_opts.csum_set)
		zc_parse_opts.drop_bad_csum = w == 0;
	if (zc_config_get_u8(cfg, f, sec, "max_vlan", 0, 7,
			     &zc_parse_opts.max_vlan) < 0 ||
	    zc_config_get_u8(cfg, f, sec, "max_mpls", 1, 16,
			     &zc_parse_opts.max_mpls) < 0 ||
	    zc_config_get_u8(cfg, f, sec, "max_ext", 1, 16,
			     &zc_parse_opts.max_ext) < 0)
		return -1;
	return 0;
}

/*
 * Defaults that depend on the mode and the chains: router and filter mode
 * drop bad IPv4 checksums; a cross-connect reads no more than L2 unless
 * asked to, or unless a stage of its chains reads (or may read) more
 * (the stages' contracts, core/zc_stage.h). depth = l2 given while a
 * stage reads more is refused.
 */
static int
parse_opts_check(const struct zc_config *cfg)
{
	const struct zc_stage_ops *who = NULL;
	unsigned int pl = 0;
	uint32_t beyond;
	char what[64];

	if (!zc_parse_opts.csum_set)
		zc_parse_opts.drop_bad_csum = cfg->mode != ZC_MODE_XCONNECT;
	beyond = zc_config_chains_read(cfg, &who, &pl, ZC_MD_BEYOND_L2);
	if (!zc_parse_opts.depth_set) {
		zc_parse_opts.l2_only = cfg->mode == ZC_MODE_XCONNECT &&
					beyond == 0;
		return 0;
	}
	if (zc_parse_opts.l2_only && beyond != 0)
		return zc_config_error(cfg, "parse", "depth",
				       "[pipeline.%u] runs %s, which reads %s metadata that depth l2 leaves out: use full",
				       pl, who->name,
				       zc_md_format((who->reads | who->may_read) &
						    ZC_MD_BEYOND_L2, what,
						    sizeof(what)));
	return 0;
}

static struct zc_config_section parse_section = {
	.prefix = "parse",
	.order = 50,
	.parse = parse_opts_parse,
	.reset = parse_opts_reset,
	.check = parse_opts_check,
};

ZC_CONFIG_SECTION(parse_section);
