/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * ttl_filter: drops IPv4 packets whose TTL, and IPv6 packets whose hop
 * limit, is below [ttl_filter] min_ttl. A stage in one file, with its own
 * configuration section: the worked example of docs/architecture.md
 * ("Adding a stage").
 *
 * Reads:  zc_meta l3_type and l3_off (the parse stage's "l3" metadata:
 *         the stage contract refuses a chain without parse before it);
 *         the TTL or hop limit byte, bounds-checked with
 *         rte_pktmbuf_read().
 * Writes: nothing.
 * Next:   the next stage; or freed as ttl_below_min. Packets that are not
 *         IP, or too short to hold the byte, go on untouched.
 *
 * It belongs to no mode's default chain: name it in a [pipeline.N]
 * stages line, after parse, e.g. "rx parse ttl_filter forward tx".
 */

#include <errno.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"

/* Offsets of the TTL (IPv4) and hop limit (IPv6) in their headers. */
#define IPV4_TTL_OFF 8
#define IPV6_HLIM_OFF 7

/* [ttl_filter], as loaded. */
static struct {
	uint8_t min_ttl; /* Least TTL or hop limit that passes. */
} ttl_conf;

struct ttl_priv {
	uint8_t min_ttl;
};

static struct zc_stage_ops ttl_filter_stage;

static int
ttl_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	struct ttl_priv *tp;

	tp = rte_zmalloc_socket("zc_ttl_filter", sizeof(*tp),
				RTE_CACHE_LINE_SIZE, p->socket_id);
	if (tp == NULL)
		return -ENOMEM;
	tp->min_ttl = ttl_conf.min_ttl;
	st->priv = tp;
	return 0;
}

static void
ttl_fini(struct zc_stage *st)
{
	rte_free(st->priv);
	st->priv = NULL;
}

static uint16_t
ttl_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct ttl_priv *tp = st->priv;
	uint16_t i, kept = 0;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct zc_meta *md = zc_meta(m);
		const uint8_t *ttl;
		uint32_t off;
		uint8_t copy;

		if (md->l3_type == ZC_L3_IPV4)
			off = md->l3_off + IPV4_TTL_OFF;
		else if (md->l3_type == ZC_L3_IPV6)
			off = md->l3_off + IPV6_HLIM_OFF;
		else
			goto keep;
		ttl = rte_pktmbuf_read(m, off, 1, &copy);
		if (ttl != NULL && *ttl < tp->min_ttl) {
			zc_stage_drop(st, m, ZC_DROP_TTL_BELOW_MIN);
			continue;
		}
keep:
		pkts[kept++] = m;
	}
	return kept;
}

static struct zc_stage_ops ttl_filter_stage = {
	.name = "ttl_filter",
	.desc = "drop IPv4/IPv6 packets whose TTL or hop limit is below [ttl_filter] min_ttl",
	.reads = ZC_MD_L3,
	.init = ttl_init,
	.fini = ttl_fini,
	.process = ttl_process,
};

ZC_STAGE_REGISTER(ttl_filter_stage);

/* ---- [ttl_filter] ------------------------------------------------------ */

static void
ttl_conf_reset(void)
{
	ttl_conf.min_ttl = 1;
}

static int
ttl_conf_parse(struct zc_config *cfg, struct rte_cfgfile *f, const char *sec)
{
	static const char *const keys[] = { "min_ttl", NULL };

	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_u8(cfg, f, sec, "min_ttl", 1, 255,
			     &ttl_conf.min_ttl) < 0)
		return -1;
	return 0;
}

/* A [ttl_filter] section that no chain uses is a mistake: say so. */
static int
ttl_conf_check(const struct zc_config *cfg)
{
	if (zc_config_has_section(cfg, "ttl_filter") &&
	    !zc_config_has_stage(cfg, &ttl_filter_stage))
		return zc_config_error(cfg, "ttl_filter", NULL,
				       "no chain runs the %s stage: add it to a [pipeline.N] stages line, after parse",
				       ttl_filter_stage.name);
	return 0;
}

static struct zc_config_section ttl_filter_section = {
	.prefix = "ttl_filter",
	.order = 90,
	.parse = ttl_conf_parse,
	.reset = ttl_conf_reset,
	.check = ttl_conf_check,
};

ZC_CONFIG_SECTION(ttl_filter_section);
