/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * tx: the sink stage. It lives with the actions because it carries out
 * those that belong to the egress port (mirror clones, software checksum
 * and VLAN, linearising a chain), with their pools and copy counters.
 *
 * Reads:  zc_meta out_port (the ethdev port chosen upstream) and
 *         mirror_port; m->ol_flags offload requests (RTE_MBUF_F_TX_IP_CKSUM
 *         with l2_len, RTE_MBUF_F_TX_VLAN with vlan_tci), nb_segs; the
 *         egress port's granted TX offloads, chain support and tx_prepare
 *         (zc_ports[], from drivers-config/).
 * Writes: the mirror copy (a clone; see below); an IPv4 header checksum or
 *         a VLAN tag the port cannot offload; a linearised copy of a chain
 *         for a port that cannot send chains; port counters (tx, clones).
 * Next:   the port's TX queue; or freed as no_egress (nothing chose a port,
 *         or an action was left undone), port_down (not one of ours),
 *         too_big (a chain that cannot be made one segment, a packet that
 *         cannot be fragmented),
 *         too_big_for_port (longer than the port can send: zc_ports[]
 *         max_frame), tx_prepare (refused by rte_eth_tx_prepare), tx_full,
 *         no_mbuf; a mirror that cannot be made counts as clone_failed.
 *
 * Each packet is buffered for its port on the TX queue this lcore owns
 * there. A port's buffer is sent as one rte_eth_tx_burst() as soon as it
 * holds a burst, and whatever is left on flush (when the lcore is idle, and
 * at least every 100 us). What the port does not take is freed and counted
 * as tx_full: zcpipe does not spin on a full TX queue.
 *
 * Mirror: a packet with mirror_port set is cloned (rte_pktmbuf_clone into
 * the indirect pool: the data is shared by reference count, nothing is
 * copied), the clone gets a tagged header segment if the mirror port has
 * [actions] mirror_vlan, and is buffered for the mirror port after the
 * original. Each mirror counts in port[mirror].clones, so that
 * rx + clones = tx + dropped holds. A checksum one of the two ports
 * cannot offload is computed before cloning, in the header they share.
 *
 * Fragmentation: an IPv4 packet the route stage marked with zc_frag_flag
 * (DF clear, longer than its egress MTU) is cut here into fragments
 * (zc_ipv4_fragment(), lib/actions/frag.c: headers in header mbufs, the
 * payload referenced by indirect mbufs, never copied); the fragments
 * beyond the first count in port[out].clones, so that the balance holds.
 *
 * Offload requests are resolved here against the egress port: a request
 * the port granted is left to it, any other is done in software. Chains go
 * to ports that can send them as they are; for the others they are
 * linearised here and only here, and the bytes copied are counted
 * (zc_copy_bytes_total()).
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "core/zc_stats.h"
#include "actions/zc_frag.h"

/* A port's buffer holds up to two bursts: sends start at one. */
#define TX_BUF_MAX (2 * ZC_BURST_MAX)

struct tx_port {
	uint16_t count;                    /* Packets buffered. */
	uint16_t queue;                    /* TX queue this lcore owns. */
	uint8_t used;                      /* A port of ours. */
	uint8_t multi_seg;                 /* The port sends chains. */
	uint8_t prepare;                   /* Call rte_eth_tx_prepare. */
	uint8_t ip_cksum;                  /* IPv4 checksum offload granted. */
	uint8_t vlan_insert;               /* VLAN insert offload granted. */
	uint64_t fix_flags;                /* ol_flags this port needs done
					    * in software (tx_fixup()). */
	uint32_t max_frame;                /* Longest frame the port sends. */
	uint16_t mtu;                      /* Longest L3 packet; 0 unknown. */
	struct zc_port_counters *ctr;      /* This lcore's row. */
	struct rte_mbuf *buf[TX_BUF_MAX];  /* Buffered packets. */
};

struct tx_priv {
	uint16_t burst;                /* Send once a buffer holds this many. */
	uint16_t nb_used;              /* Ports in used[]. */
	uint16_t used[ZC_MAX_PORTS];   /* Our ports, for flush. */
	struct zc_act_pools pools;     /* Clone, header and packet pools. */
	struct zc_act_lcore_stats *act; /* This lcore's action counters. */
	struct zc_frag_lcore_stats *frag; /* This lcore's fragment counters. */
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
	if (zc_actions_pools(cfg, p->socket_id, &tx->pools) < 0 ||
	    zc_actions_setup(cfg) < 0) {
		rte_free(tx);
		return -1;
	}
	tx->act = &zc_act_stats[p->lcore_id];
	tx->frag = &zc_frag_stats[p->lcore_id];
	/* The route stage marks nothing if this fails. */
	(void)zc_frag_register();
	tx->burst = cfg->burst;
	for (i = 0; i < cfg->nb_ports; i++) {
		uint16_t pid = cfg->port[i].port_id;
		struct tx_port *tp = &tx->port[pid];
		const struct zc_port *zp = &zc_ports[pid];

		tp->used = 1;
		tp->ctr = &zc_lcore_stats[p->lcore_id].port[pid];
		tp->queue = p->txq[pid];
		tp->multi_seg = zp->multi_seg_tx;
		tp->prepare = zp->tx_prepare;
		tp->ip_cksum = !!(zp->tx_offloads &
				  RTE_ETH_TX_OFFLOAD_IPV4_CKSUM);
		tp->vlan_insert = !!(zp->tx_offloads &
				     RTE_ETH_TX_OFFLOAD_VLAN_INSERT);
		tp->fix_flags = (tp->vlan_insert ? 0 : RTE_MBUF_F_TX_VLAN) |
				(tp->ip_cksum ? 0 : RTE_MBUF_F_TX_IP_CKSUM) |
				zc_frag_flag;
		tp->mtu = zp->mtu;
		/* 0: a port set up by hand, with no limit known. */
		tp->max_frame = zp->max_frame != 0 ? zp->max_frame :
				UINT32_MAX;
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

/*
 * rte_eth_tx_prepare stops at the first packet it refuses: free and count
 * that one, and go on with the rest. Returns the packets left, in order.
 */
static inline uint16_t
tx_prepare(struct zc_stage *st, struct tx_priv *tx, uint16_t pid,
	   struct tx_port *tp)
{
	uint16_t n = tp->count, done = 0;

	while (done < n) {
		done += rte_eth_tx_prepare(pid, tp->queue, tp->buf + done,
					   n - done);
		if (done == n)
			break;
		zc_stage_drop(st, tp->buf[done], ZC_DROP_TX_PREPARE);
		tx->act->tx_prepare_rej++;
		memmove(tp->buf + done, tp->buf + done + 1,
			(n - done - 1) * sizeof(tp->buf[0]));
		n--;
	}
	return n;
}

/*
 * Send n packets of bytes bytes (summed by the caller before sending: sent
 * mbufs may be freed at once) on the port's queue; free and count what the
 * port does not take.
 */
static inline void
tx_out(struct zc_stage *st, uint16_t pid, const struct tx_port *tp,
       struct rte_mbuf **pkts, uint16_t n, uint64_t bytes)
{
	uint16_t i, sent;

	sent = rte_eth_tx_burst(pid, tp->queue, pkts, n);
	if (unlikely(sent < n)) {
		for (i = sent; i < n; i++)
			bytes -= pkts[i]->pkt_len;
		zc_stage_drop_bulk(st, pkts + sent, n - sent, ZC_DROP_TX_FULL);
	}
	tp->ctr->tx_pkts += sent;
	tp->ctr->tx_bytes += bytes;
}

/* Send a port's buffer. */
static inline void
tx_send(struct zc_stage *st, struct tx_priv *tx, uint16_t pid,
	struct tx_port *tp)
{
	uint64_t bytes = 0;
	uint16_t i;

	if (unlikely(tp->prepare))
		tp->count = tx_prepare(st, tx, pid, tp);
	for (i = 0; i < tp->count; i++)
		bytes += tp->buf[i]->pkt_len;
	tx_out(st, pid, tp, tp->buf, tp->count, bytes);
	tp->count = 0;
}

/*
 * What the port cannot do for a packet, done in software: VLAN insert,
 * IPv4 checksum, chains; and a frame longer than the port can send is
 * refused. ZC_DROP_MAX if *mp goes on (it may change).
 */
static inline enum zc_drop_reason
tx_fixup(struct tx_priv *tx, const struct tx_port *tp, struct rte_mbuf **mp)
{
	struct rte_mbuf *m = *mp;

	if (unlikely((m->ol_flags & RTE_MBUF_F_TX_VLAN) && !tp->vlan_insert) &&
	    zc_vlan_push(mp, m->vlan_tci, tx->pools.hdr, tx->act) != 0)
		return ZC_DROP_NO_MBUF;
	m = *mp;
	if (unlikely(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) && !tp->ip_cksum) {
		zc_ipv4_cksum_sw(m);
		tx->act->cksum_sw++;
	}
	/* A driver would cut it short or drop it without a word. */
	if (unlikely(m->pkt_len > tp->max_frame))
		return ZC_DROP_TOO_BIG_FOR_PORT;
	if (unlikely(m->nb_segs > 1 && !tp->multi_seg) &&
	    zc_linearize(mp, tx->pools.pkt, tx->act, ZC_COPY_STAGE_TX) != 0)
		return ZC_DROP_TOO_BIG;
	return ZC_DROP_MAX;
}

/* Buffer a packet for a port, sending first if the buffer is full. */
static inline void
tx_buffer(struct zc_stage *st, struct tx_priv *tx, uint16_t pid,
	  struct rte_mbuf *m)
{
	struct tx_port *tp = &tx->port[pid];

	if (unlikely(tp->count == TX_BUF_MAX))
		tx_send(st, tx, pid, tp);
	tp->buf[tp->count++] = m;
}

/*
 * Send m out of port pid: done in software what the port cannot do, then
 * buffered; or freed under a reason. A packet marked for fragmentation
 * that is longer than the port's MTU is cut first, and each fragment goes
 * the same way.
 */
static inline void
tx_emit(struct zc_stage *st, struct tx_priv *tx, uint16_t pid,
	struct rte_mbuf *m)
{
	struct tx_port *tp = &tx->port[pid];
	enum zc_drop_reason r;

	if (unlikely(m->ol_flags & zc_frag_flag)) {
		struct rte_mbuf *f[ZC_FRAG_MAX];
		const struct zc_meta *md = zc_meta(m);
		int n, i;

		m->ol_flags &= ~zc_frag_flag;
		if (tp->mtu != 0 && md->l3_type == ZC_L3_IPV4 &&
		    m->pkt_len - md->l3_off > tp->mtu) {
			n = zc_ipv4_fragment(m, tp->mtu, f, RTE_DIM(f),
					     tx->pools.hdr, tx->pools.clone);
			if (unlikely(n < 0)) {
				zc_stage_drop(st, m, n == -ENOMEM ?
					      ZC_DROP_NO_MBUF :
					      ZC_DROP_TOO_BIG);
				return;
			}
			tp->ctr->clones += (uint64_t)n - 1;
			tx->frag->fragmented++;
			tx->frag->fragments += (uint64_t)n;
			for (i = 0; i < n; i++) {
				r = tx_fixup(tx, tp, &f[i]);
				if (likely(r == ZC_DROP_MAX))
					tx_buffer(st, tx, pid, f[i]);
				else
					zc_stage_drop(st, f[i], r);
			}
			return;
		}
	}
	r = tx_fixup(tx, tp, &m);
	if (likely(r == ZC_DROP_MAX))
		tx_buffer(st, tx, pid, m);
	else
		zc_stage_drop(st, m, r);
}

/* The mirror of m for port mp, or NULL (counted as clone_failed). */
static struct rte_mbuf *
tx_mirror(struct zc_stage *st, struct tx_priv *tx, struct rte_mbuf *m,
	  const struct tx_port *tp, uint16_t mp)
{
	struct tx_port *mtp;
	struct rte_mbuf *c;

	if (mp >= ZC_MAX_PORTS || !tx->port[mp].used) {
		/* Nothing to count a clone against: nothing made, nothing
		 * dropped.
		 */
		return NULL;
	}
	mtp = &tx->port[mp];
	mtp->ctr->clones++;
	/* The clone shares the headers: a checksum either port must have
	 * in software is computed once, before they are shared.
	 */
	if ((m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) &&
	    !(tp->ip_cksum && mtp->ip_cksum)) {
		zc_ipv4_cksum_sw(m);
		tx->act->cksum_sw++;
	}
	c = zc_mirror_make(m, mp, &tx->pools, tx->act);
	if (unlikely(c == NULL))
		st->stats.drops[ZC_DROP_CLONE_FAILED]++;
	return c;
}

/*
 * A burst that leaves whole by one port, with nothing to do to any packet
 * (no mirror, no software fallback, a chain only where the port takes
 * chains, no frame longer than the port sends) and nothing buffered
 * before it, goes to the driver as it is: no
 * copy into the port's buffer. 0 if the burst is not such a burst (nothing
 * done), else the burst is sent and counted.
 */
static inline int
tx_direct(struct zc_stage *st, struct tx_priv *tx, struct rte_mbuf **pkts,
	  uint16_t n)
{
	const uint16_t out = zc_meta(pkts[0])->out_port;
	const struct tx_port *tp;
	uint64_t bytes = 0, flags = 0;
	uint32_t longest = 0;
	uint16_t i, segs = 1;

	if (unlikely(out >= ZC_MAX_PORTS))
		return 0;
	tp = &tx->port[out];
	if (!tp->used || tp->count != 0 || tp->prepare)
		return 0;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct zc_meta *md = zc_meta(m);

		if (md->out_port != out || md->mirror_port != ZC_PORT_NONE)
			return 0;
		flags |= m->ol_flags;
		segs |= m->nb_segs;
		bytes += m->pkt_len;
		longest = RTE_MAX(longest, m->pkt_len);
	}
	if ((flags & tp->fix_flags) || (segs > 1 && !tp->multi_seg) ||
	    longest > tp->max_frame)
		return 0;
	tx_out(st, out, tp, pkts, n, bytes);
	return 1;
}

static uint16_t
tx_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct tx_priv *tx = st->priv;
	uint16_t i, last = ZC_PORT_NONE;

	if (nb_pkts >= tx->burst / 2 && tx_direct(st, tx, pkts, nb_pkts))
		return 0;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i], *c = NULL;
		const struct zc_meta *md = zc_meta(m);
		uint16_t out = md->out_port, mp = md->mirror_port;
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
		if (unlikely(mp != ZC_PORT_NONE))
			c = tx_mirror(st, tx, m, tp, mp);
		tx_emit(st, tx, out, m);
		if (unlikely(c != NULL)) {
			tx_emit(st, tx, mp, c);
			if (tx->port[mp].count >= tx->burst)
				tx_send(st, tx, mp, &tx->port[mp]);
		}
		/* Packets of a burst mostly share a port: send when the
		 * port changes or the burst ends, if a burst is buffered.
		 */
		if (out != last) {
			if (last != ZC_PORT_NONE &&
			    tx->port[last].count >= tx->burst)
				tx_send(st, tx, last, &tx->port[last]);
			last = out;
		}
	}
	if (last != ZC_PORT_NONE && tx->port[last].count >= tx->burst)
		tx_send(st, tx, last, &tx->port[last]);
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
			tx_send(st, tx, pid, &tx->port[pid]);
	}
}

static struct zc_stage_ops tx_stage = {
	.name = "tx",
	.desc = "buffer packets per egress port and send them in bursts; mirror clones, TX offloads or software fallbacks",
	.flags = ZC_STAGE_F_SINK,
	/* A packet without an egress port is freed as no_egress. */
	.may_read = ZC_MD_EGRESS,
	.default_modes = ZC_MODES_ALL,
	.rank = 90,
	.init = tx_init,
	.fini = tx_fini,
	.process = tx_process,
	.flush = tx_flush,
};

ZC_STAGE_REGISTER(tx_stage);
