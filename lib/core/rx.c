/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * rx: the source stage. Polls its port/queue pairs round-robin, one burst
 * per call, and stamps each packet's metadata as fresh.
 */

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"
#include "core/zc_stats.h"

struct rx_priv {
	uint16_t nb_rxq;
	uint16_t next;   /* Queue to poll on the next call. */
	uint16_t burst;
	struct zc_portq rxq[ZC_RXQ_MAX];
	struct zc_port_counters *ctr[ZC_RXQ_MAX]; /* This lcore's row. */
};

static int
rx_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	struct rx_priv *rx;
	uint16_t i;

	if (p->nb_rxq == 0)
		return zc_config_error(p->cfg, NULL, "rx",
				       "[pipeline.%u] has an rx stage but polls no port (rx = PORT:QUEUE, ...)",
				       p->pipeline_id);
	rx = rte_zmalloc_socket("zc_rx", sizeof(*rx), RTE_CACHE_LINE_SIZE,
				p->socket_id);
	if (rx == NULL)
		return -ENOMEM;
	rx->nb_rxq = p->nb_rxq;
	rx->burst = p->cfg->burst;
	for (i = 0; i < p->nb_rxq; i++) {
		rx->rxq[i] = p->rxq[i];
		rx->ctr[i] = &zc_lcore_stats[p->lcore_id].port[p->rxq[i].port];
	}
	st->priv = rx;
	return 0;
}

static void
rx_fini(struct zc_stage *st)
{
	rte_free(st->priv);
	st->priv = NULL;
}

static uint16_t
rx_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct rx_priv *rx = st->priv;
	const struct zc_portq *q;
	uint64_t bytes = 0;
	uint32_t tsc;
	uint16_t n, i, tries;

	RTE_SET_USED(nb_pkts);
	/* Try each queue at most once per call, starting where we left. */
	for (tries = 0; tries < rx->nb_rxq; tries++) {
		uint16_t idx = rx->next;

		rx->next = idx + 1 == rx->nb_rxq ? 0 : idx + 1;
		q = &rx->rxq[idx];
		n = rte_eth_rx_burst(q->port, q->queue, pkts, rx->burst);
		if (n == 0)
			continue;
		if (likely(zc_rx_tsc_offset >= 0)) {
			/* The offsets in locals: the stores below could
			 * alias the globals, which would be loaded again for
			 * every packet.
			 */
			const int moff = zc_meta_offset;
			const int toff = zc_rx_tsc_offset;

			tsc = (uint32_t)rte_rdtsc();
			for (i = 0; i < n; i++) {
				struct rte_mbuf *m = pkts[i];

				zc_meta_reset(RTE_MBUF_DYNFIELD(m, moff,
							       struct zc_meta *));
				*RTE_MBUF_DYNFIELD(m, toff, uint32_t *) = tsc;
				bytes += m->pkt_len;
			}
		} else {
			for (i = 0; i < n; i++) {
				zc_meta_reset(zc_meta(pkts[i]));
				bytes += pkts[i]->pkt_len;
			}
		}
		rx->ctr[idx]->rx_pkts += n;
		rx->ctr[idx]->rx_bytes += bytes;
		return n;
	}
	return 0;
}

static struct zc_stage_ops rx_stage = {
	.name = "rx",
	.desc = "poll RX queues of one or more ports",
	.flags = ZC_STAGE_F_SOURCE,
	/* Resets zc_meta to "nothing known": writes no group. */
	.default_modes = ZC_MODES_ALL,
	.rank = 0,
	.init = rx_init,
	.fini = rx_fini,
	.process = rx_process,
};

ZC_STAGE_REGISTER(rx_stage);
