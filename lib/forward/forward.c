/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * forward: the [forward] cross-connect. Every packet leaves by the port its
 * ingress port is mapped to ("0->1, 1->0"); an unmapped ingress port drops
 * the packet as no_xconnect. The decision is written to the metadata, and
 * the tx stage acts on it. A packet whose out_port is already set upstream
 * (the classify stage's forward:PORT action) keeps it.
 *
 * The [forward] section is parsed here too.
 */

#include <string.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>

#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"
#include "forward/zc_forward.h"
#include "forward/zc_forward_dp.h"

struct zc_forward_conf zc_forward_conf;

static struct zc_stage_ops forward_stage;

/* A forward stage instance (zc_forward_dp_lcore() hands it out). */
struct zc_forward_dp {
	struct zc_stage *st; /* The instance: its drops. */
	/* Egress ethdev port id by ingress ethdev port id. */
	uint16_t map[ZC_MAX_PORTS];
};

static int
forward_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	const struct zc_config *cfg = p->cfg;
	struct zc_forward_dp *fw;
	unsigned int i;

	fw = rte_zmalloc_socket("zc_forward", sizeof(*fw), RTE_CACHE_LINE_SIZE,
				p->socket_id);
	if (fw == NULL)
		return -ENOMEM;
	for (i = 0; i < ZC_MAX_PORTS; i++)
		fw->map[i] = ZC_PORT_NONE;
	for (i = 0; i < cfg->nb_ports; i++)
		if (zc_forward_conf.xconnect[i] != ZC_PORT_NONE)
			fw->map[cfg->port[i].port_id] =
				cfg->port[zc_forward_conf.xconnect[i]].port_id;
	fw->st = st;
	st->priv = fw;
	return 0;
}

static void
forward_fini(struct zc_stage *st)
{
	rte_free(st->priv);
	st->priv = NULL;
}

static uint16_t
forward_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct zc_forward_dp *fw = st->priv;
	const int moff = zc_meta_offset; /* not reloaded after each store */
	uint16_t i, kept = 0;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		struct zc_meta *md = RTE_MBUF_DYNFIELD(m, moff,
						       struct zc_meta *);
		uint16_t out = fw->map[m->port];

		/* An egress chosen upstream (ACL forward:PORT) wins. */
		if (md->out_port != ZC_PORT_NONE) {
			pkts[kept++] = m;
			continue;
		}
		if (unlikely(out == ZC_PORT_NONE)) {
			zc_stage_drop(st, m, ZC_DROP_NO_XCONNECT);
			continue;
		}
		md->out_port = out;
		pkts[kept++] = m;
	}
	return kept;
}

struct zc_forward_dp *
zc_forward_dp_lcore(unsigned int lcore_id)
{
	return zc_stage_priv_on_lcore(&forward_stage, lcore_id);
}

uint16_t
zc_forward_dp_rerun(struct zc_forward_dp *dp, struct rte_mbuf **pkts,
		    uint16_t n)
{
	return zc_stage_rerun(dp->st, forward_process, pkts, n);
}

static struct zc_stage_ops forward_stage = {
	.name = "forward",
	.desc = "send each packet to its ingress port's cross-connect peer",
	/* An egress chosen upstream wins. */
	.may_read = ZC_MD_EGRESS,
	.writes = ZC_MD_EGRESS,
	.modes = ZC_MODE_BIT(ZC_MODE_XCONNECT) | ZC_MODE_BIT(ZC_MODE_FILTER),
	.default_modes = ZC_MODE_BIT(ZC_MODE_XCONNECT) |
			 ZC_MODE_BIT(ZC_MODE_FILTER),
	.rank = 30,
	.init = forward_init,
	.fini = forward_fini,
	.process = forward_process,
};

ZC_STAGE_REGISTER(forward_stage);

/* ---- [forward] --------------------------------------------------------- */

static void
forward_reset(void)
{
	unsigned int i;

	for (i = 0; i < ZC_MAX_PORTS; i++)
		zc_forward_conf.xconnect[i] = ZC_PORT_NONE;
}

static int
forward_parse(struct zc_config *cfg, struct rte_cfgfile *f, const char *sec)
{
	static const char *const keys[] = { "map", NULL };
	char buf[CFG_VALUE_LEN];
	char *tok, *save = NULL;
	const char *v;

	if (zc_config_check_keys(cfg, f, sec, keys) < 0)
		return -1;
	v = rte_cfgfile_get_entry(f, sec, "map");
	if (v == NULL)
		return 0;
	strlcpy(buf, v, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char *arrow = strstr(tok, "->");
		uint16_t in, out;

		if (arrow == NULL)
			return zc_config_error(cfg, sec, "map",
					       "expected 'IN->OUT' pairs separated by commas, got '%s'",
					       zc_str_trim(tok));
		*arrow = '\0';
		if (zc_parse_port_ref(cfg, zc_str_trim(tok), &in) < 0 ||
		    zc_parse_port_ref(cfg, zc_str_trim(arrow + 2), &out) < 0)
			return zc_config_error(cfg, sec, "map",
					       "'%s->%s' names a port that is not configured (ports 0 to %u exist)",
					       zc_str_trim(tok),
					       zc_str_trim(arrow + 2),
					       cfg->nb_ports - 1);
		if (zc_forward_conf.xconnect[in] != ZC_PORT_NONE)
			return zc_config_error(cfg, sec, "map",
					       "port %u is mapped twice", in);
		zc_forward_conf.xconnect[in] = out;
	}
	return 0;
}

/* A chain that forwards needs somewhere to forward to. */
static int
forward_check(const struct zc_config *cfg)
{
	unsigned int i;

	if (!zc_config_has_stage(cfg, &forward_stage))
		return 0;
	for (i = 0; i < cfg->nb_ports; i++)
		if (zc_forward_conf.xconnect[i] != ZC_PORT_NONE)
			return 0;
	return zc_config_error(cfg, "forward", "map",
			       "mode %s needs a cross-connect map such as '0->1, 1->0'",
			       zc_mode_name(cfg->mode));
}

static struct zc_config_section forward_section = {
	.prefix = "forward",
	.order = 30,
	.parse = forward_parse,
	.reset = forward_reset,
	.check = forward_check,
};

ZC_CONFIG_SECTION(forward_section);
