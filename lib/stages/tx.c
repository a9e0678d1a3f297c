/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * tx: the sink stage.
 *
 * Reads zc_meta.out_port (the ethdev port chosen upstream) and buffers each
 * packet for that port on the TX queue this lcore owns there. A port's
 * buffer is sent as one rte_eth_tx_burst() as soon as it holds a burst, and
 * whatever is left on flush (when the lcore is idle, and at least every
 * 100 us). What the port does not take is freed and counted as tx_full:
 * zcpipe does not spin on a full TX queue.
 *
 * Drops: no_egress (nothing chose a port), port_down (not one of ours),
 * too_big (a chain for a port that cannot send chains and could not be
 * linearised), tx_full.
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

/* A port's buffer holds up to two bursts: sends start at one. */
#define TX_BUF_MAX (2 * ZC_BURST_MAX)

struct tx_port {
	uint16_t count;                    /* Packets buffered. */
	uint16_t queue;                    /* TX queue this lcore owns. */
	uint8_t used;                      /* A port of ours. */
	uint8_t multi_seg;                 /* The port sends chains. */
	struct zc_port_counters *ctr;      /* This lcore's row. */
	struct rte_mbuf *buf[TX_BUF_MAX];  /* Buffered packets. */
};

struct tx_priv {
	uint16_t burst;                /* Send once a buffer holds this many. */
	uint16_t nb_used;              /* Ports in used[]. */
	uint16_t used[ZC_MAX_PORTS];   /* Our ports, for flush. */
	struct tx_port port[ZC_MAX_PORTS];
};

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
	tx->burst = cfg->burst;
	for (i = 0; i < cfg->nb_ports; i++) {
		uint16_t pid = cfg->port[i].port_id;
		struct tx_port *tp = &tx->port[pid];

		tp->used = 1;
		tp->ctr = &zc_lcore_stats[p->lcore_id].port[pid];
		tp->queue = p->txq[pid];
		tp->multi_seg = zc_ports[pid].multi_seg_tx;
		tx->used[tx->nb_used++] = pid;
	}
	st->priv = tx;
	return 0;
}

static void
tx_fini(struct zc_stage *st)
{
	rte_free(st->priv);
	st->priv = NULL;
}

/* Send a port's buffer; free and count what the port does not take. */
static inline void
tx_send(struct zc_stage *st, uint16_t pid, struct tx_port *tp)
{
	uint64_t bytes = 0;
	uint16_t i, sent;

	/* Sum before sending: sent mbufs may be freed at once. */
	for (i = 0; i < tp->count; i++)
		bytes += tp->buf[i]->pkt_len;
	sent = rte_eth_tx_burst(pid, tp->queue, tp->buf, tp->count);
	if (unlikely(sent < tp->count)) {
		for (i = sent; i < tp->count; i++)
			bytes -= tp->buf[i]->pkt_len;
		zc_stage_drop_bulk(st, tp->buf + sent, tp->count - sent,
				   ZC_DROP_TX_FULL);
	}
	tp->ctr->tx_pkts += sent;
	tp->ctr->tx_bytes += bytes;
	tp->count = 0;
}

static uint16_t
tx_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct tx_priv *tx = st->priv;
	uint16_t i, last = ZC_PORT_NONE;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t out = zc_meta(m)->out_port;
		struct tx_port *tp;

		if (unlikely(out >= ZC_MAX_PORTS)) {
			zc_stage_drop(st, m, ZC_DROP_NO_EGRESS);
			continue;
		}
		tp = &tx->port[out];
		if (unlikely(!tp->used)) {
			zc_stage_drop(st, m, ZC_DROP_PORT_DOWN);
			continue;
		}
		if (unlikely(m->nb_segs > 1 && !tp->multi_seg) &&
		    rte_pktmbuf_linearize(m) != 0) {
			zc_stage_drop(st, m, ZC_DROP_TOO_BIG);
			continue;
		}
		if (unlikely(tp->count == TX_BUF_MAX))
			tx_send(st, out, tp);
		tp->buf[tp->count++] = m;
		/* Packets of a burst mostly share a port: send when the
		 * port changes or the burst ends, if a burst is buffered.
		 */
		if (out != last) {
			if (last != ZC_PORT_NONE &&
			    tx->port[last].count >= tx->burst)
				tx_send(st, last, &tx->port[last]);
			last = out;
		}
	}
	if (last != ZC_PORT_NONE && tx->port[last].count >= tx->burst)
		tx_send(st, last, &tx->port[last]);
	return 0;
}

static void
tx_flush(struct zc_stage *st)
{
	struct tx_priv *tx = st->priv;
	unsigned int i;

	for (i = 0; i < tx->nb_used; i++) {
		uint16_t pid = tx->used[i];

		if (tx->port[pid].count != 0)
			tx_send(st, pid, &tx->port[pid]);
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
