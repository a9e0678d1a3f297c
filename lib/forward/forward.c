/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * forward: the [forward] cross-connect. Every packet leaves by the port its
 * ingress port is mapped to ("0->1, 1->0"); an unmapped ingress port drops
 * the packet as no_xconnect. The decision is written to the metadata, and
 * the tx stage acts on it. A packet whose out_port is already set upstream
 * (the classify stage's forward:PORT action) keeps it.
 */

#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"
#include "forward/zc_forward_dp.h"

/* A forward stage instance (zc_forward_dp_lcore() hands it out). */
struct zc_forward_dp {
	struct zc_stage *st; /* The instance: its drops. */
	/* Egress ethdev port id by ingress ethdev port id. */
	uint16_t map[ZC_MAX_PORTS];
};

static struct zc_stage_ops forward_stage;

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
		if (cfg->xconnect[i] != ZC_PORT_NONE)
			fw->map[cfg->port[i].port_id] =
				cfg->port[cfg->xconnect[i]].port_id;
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
	.init = forward_init,
	.fini = forward_fini,
	.process = forward_process,
};

ZC_STAGE_REGISTER(forward_stage);
