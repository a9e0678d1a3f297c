/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * tx: the sink stage. Buffers each packet for the egress port chosen
 * upstream (zc_meta.out_port) on the TX queue this lcore owns there, sends
 * full bursts at once and the rest on flush. What the port does not take is
 * freed and counted as tx_full.
 */

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "zc_config.h"
#include "zc_meta.h"
#include "zc_port.h"
#include "zc_stage.h"
#include "zc_stats.h"

struct tx_port {
	struct rte_eth_dev_tx_buffer *buf; /* NULL: not a port of ours. */
	struct zc_port_counters *ctr;      /* This lcore's row. */
	struct zc_stage *st;               /* For the error callback. */
	uint16_t queue;
	uint8_t multi_seg;
};

struct tx_priv {
	uint16_t nb_used;              /* Ports in used[]. */
	uint16_t used[ZC_MAX_PORTS];   /* Ports with a buffer, for flush. */
	struct tx_port port[ZC_MAX_PORTS];
};

/* Packets the port did not take after a buffer flush. */
static void
tx_unsent(struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	struct tx_port *tp = arg;
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	tp->ctr->tx_bytes -= bytes;
	zc_stage_drop_bulk(tp->st, pkts, n, ZC_DROP_TX_FULL);
}

static int
tx_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	const struct zc_config *cfg = p->cfg;
	struct tx_priv *tx;
	unsigned int i;

	tx = rte_zmalloc_socket("zc_tx", sizeof(*tx), RTE_CACHE_LINE_SIZE,
				p->socket_id);
	if (tx == NULL)
		return -ENOMEM;
	st->priv = tx;
	for (i = 0; i < cfg->nb_ports; i++) {
		uint16_t pid = cfg->port[i].port_id;
		struct tx_port *tp = &tx->port[pid];

		tp->buf = rte_zmalloc_socket("zc_txbuf",
					     RTE_ETH_TX_BUFFER_SIZE(cfg->burst),
					     RTE_CACHE_LINE_SIZE,
					     p->socket_id);
		if (tp->buf == NULL)
			return -ENOMEM;
		rte_eth_tx_buffer_init(tp->buf, cfg->burst);
		rte_eth_tx_buffer_set_err_callback(tp->buf, tx_unsent, tp);
		tp->ctr = &zc_lcore_stats[p->lcore_id].port[pid];
		tp->st = st;
		tp->queue = p->txq[pid];
		tp->multi_seg = zc_ports[pid].multi_seg_tx;
		tx->used[tx->nb_used++] = pid;
	}
	return 0;
}

static void
tx_fini(struct zc_stage *st)
{
	struct tx_priv *tx = st->priv;
	unsigned int i;

	if (tx == NULL)
		return;
	for (i = 0; i < ZC_MAX_PORTS; i++)
		rte_free(tx->port[i].buf);
	rte_free(tx);
	st->priv = NULL;
}

static uint16_t
tx_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct tx_priv *tx = st->priv;
	uint16_t i;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t out = zc_meta(m)->out_port;
		struct tx_port *tp;

		if (unlikely(out >= ZC_MAX_PORTS)) {
			zc_stage_drop(st, m, ZC_DROP_NO_EGRESS);
			continue;
		}
		tp = &tx->port[out];
		if (unlikely(tp->buf == NULL)) {
			zc_stage_drop(st, m, ZC_DROP_PORT_DOWN);
			continue;
		}
		if (unlikely(m->nb_segs > 1 && !tp->multi_seg) &&
		    rte_pktmbuf_linearize(m) != 0) {
			zc_stage_drop(st, m, ZC_DROP_TOO_BIG);
			continue;
		}
		tp->ctr->tx_bytes += m->pkt_len;
		tp->ctr->tx_pkts += rte_eth_tx_buffer(out, tp->queue, tp->buf,
						      m);
	}
	return 0;
}

static void
tx_flush(struct zc_stage *st)
{
	struct tx_priv *tx = st->priv;
	unsigned int i;

	for (i = 0; i < tx->nb_used; i++) {
		uint16_t pid = tx->used[i];
		struct tx_port *tp = &tx->port[pid];

		if (tp->buf->length != 0)
			tp->ctr->tx_pkts += rte_eth_tx_buffer_flush(pid,
							tp->queue, tp->buf);
	}
}

static struct zc_stage_ops tx_stage = {
	.name = "tx",
	.desc = "buffer packets per egress port and send them in bursts",
	.flags = ZC_STAGE_F_SINK,
	.init = tx_init,
	.fini = tx_fini,
	.process = tx_process,
	.flush = tx_flush,
};

ZC_STAGE_REGISTER(tx_stage);
