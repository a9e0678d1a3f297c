/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * act: carries out the packet actions decided upstream, without copying
 * payloads. Placed after the stage that chooses the egress (route or
 * forward) and before tx: rx parse classify route act tx.
 *
 * Reads:  zc_meta out_port (a real port, a tunnel's virtual port, or
 *         ZC_PORT_DECAP), decap, flow_hash, l3/l4 offsets, tunnel;
 *         m->ol_flags (zc_vlan_pop_flag, zc_vlan_push_flag,
 *         RTE_MBUF_F_RX_VLAN_STRIPPED, RTE_MBUF_F_TX_VLAN), vlan_tci,
 *         vlan_tci_outer; the outer IPv4/UDP/VXLAN headers of tunnel
 *         packets; zc_ports[] TX offloads and MTU of the egress port.
 * Writes: the packet's first segment or a header segment in front of it
 *         (VLAN tags, the 12 MAC bytes, outer VXLAN headers); zc_meta
 *         (offsets follow the headers; out_port becomes the tunnel's
 *         egress port; reset with decap + 1 after a decapsulation).
 * Next:   tx; or freed as decap_loop, tunnel_truncated, too_big,
 *         no_mbuf, encap_failed, vlan_truncated; packets the re-run
 *         stages drop are counted by those stages.
 *
 * Per packet, in this order:
 *  1. decapsulation of VXLAN packets addressed to a local VTEP (marked
 *     ZC_PORT_DECAP by classify, or, without classify in the chain,
 *     recognised here): rte_pktmbuf_adj() past the outer headers, then the
 *     features that precede act on this lcore run again on the burst of
 *     inner packets, through their data-path headers, in chain order:
 *     parse (parse/zc_parse.h), classify (acl/zc_acl_dp.h), route
 *     (route/zc_route_dp.h) or forward (forward/zc_forward_dp.h), so that
 *     they are parsed, filtered and routed by their own headers. At most
 *     [actions] max_decap times per packet (zc_meta.decap), else
 *     decap_loop: a tunnel inside a tunnel to ourselves cannot loop;
 *  2. a tag the ingress port stripped (RTE_MBUF_F_RX_VLAN_STRIPPED) is a
 *     pop already done if a pop was asked for, else put back;
 *  3. vlan-pop: the 12 MAC bytes move over the tag (header segment if the
 *     data is shared);
 *  4. vlan-push: left to the port's VLAN insert offload
 *     (RTE_MBUF_F_TX_VLAN) where it has one and the packet is not going
 *     into a tunnel, else pushed in the headroom or a header segment;
 *  5. VXLAN encapsulation when out_port is a tunnel's virtual port: outer
 *     headers in a header-pool mbuf, the packet chained behind untouched.
 *
 * Packets with nothing to do cost two tests. Counters: zc_act_stats[]
 * (single writer, added once per burst).
 */

#include <string.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "acl/zc_acl.h"
#include "acl/zc_acl_dp.h"
#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "forward/zc_forward_dp.h"
#include "parse/zc_parse.h"
#include "route/zc_route_dp.h"

/* Header mbufs taken from the pool at a time. */
#define ACT_STASH_BULK 32

/* Packets ahead whose headroom is prefetched (vxlan_headroom). */
#define ACT_PREFETCH 4

struct act_priv {
	uint16_t nb_stash;                 /* Header mbufs in stash[]. */
	struct rte_mbuf *stash[ACT_STASH_BULK]; /* Free state, ours. */
	struct zc_act_pools pools;         /* This socket's pools. */
	struct zc_act_lcore_stats *stats;  /* This lcore's row. */
	uint64_t work_flags;               /* ol_flags bits that need work. */
	uint16_t first_vport;              /* Lowest tunnel port id. */
	uint8_t max_decap;                 /* [actions] max_decap. */
	uint8_t headroom;                  /* [actions] vxlan_headroom. */
	uint8_t auto_decap;                /* No classify before us. */
	/* The stages before this one on its lcore, re-run on inner packets
	 * (NULL: not in the chain, or not on this lcore).
	 */
	struct zc_parse_dp *parse;
	struct zc_acl_dp *acl;
	struct zc_route_dp *route;
	struct zc_forward_dp *fwd;
	struct zc_parse_conf parse_conf;   /* Re-parse without a pipeline. */
} __rte_cache_aligned;

/* ---- decapsulation ------------------------------------------------------ */

/*
 * Run the stages before act on the decapsulated packets, through their
 * data paths. They keep the survivors in order at the front, as every
 * stage does; their drops and counters are theirs, and the extra packets
 * count in their pkts_in/pkts_out (this lcore is their writer); their
 * cycles stay inside act's.
 */
static uint16_t
rerun(struct zc_stage *st, struct act_priv *ap, struct rte_mbuf **pkts,
      uint16_t n)
{
	uint16_t i, kept;

	if (ap->parse == NULL) {
		/* Not in a pipeline (a test drives us): parse only. */
		for (i = 0, kept = 0; i < n; i++) {
			enum zc_drop_reason r;

			r = zc_parse_packet(&ap->parse_conf, pkts[i]);
			if (zc_parse_must_drop(&ap->parse_conf, r))
				zc_stage_drop(st, pkts[i], r);
			else
				pkts[kept++] = pkts[i];
		}
		return kept;
	}
	n = zc_parse_dp_rerun(ap->parse, pkts, n);
	if (ap->acl != NULL && n > 0)
		n = zc_acl_dp_rerun(ap->acl, pkts, n);
	if (ap->route != NULL && n > 0)
		n = zc_route_dp_rerun(ap->route, pkts, n);
	if (ap->fwd != NULL && n > 0)
		n = zc_forward_dp_rerun(ap->fwd, pkts, n);
	return n;
}

/* Is this packet to be decapsulated here? Sets the offsets if so. */
static inline int
decap_candidate(const struct act_priv *ap, struct rte_mbuf *m,
		const struct zc_meta *md, uint32_t *off, uint32_t *len)
{
	if (md->out_port != ZC_PORT_DECAP &&
	    !(ap->auto_decap && md->l4_proto == IPPROTO_UDP &&
	      md->l3_type == ZC_L3_IPV4))
		return 0;
	return zc_vxlan_match(m, md, off, len) >= 0;
}

/*
 * Decapsulate what is ours in pkts[], re-run the earlier stages on the
 * inner packets, again while they are tunnels to us. Packets freed on the
 * way become NULL; the survivors are compacted, in order.
 */
static uint16_t
act_decap(struct zc_stage *st, struct act_priv *ap, struct rte_mbuf **pkts,
	  uint16_t n)
{
	struct rte_mbuf *inner[ZC_BURST_MAX], *orig[ZC_BURST_MAX];
	uint16_t idx[ZC_BURST_MAX], next[ZC_BURST_MAX];
	uint16_t i, j, k, nb_idx = n, ni, kept, nb_next;
	uint64_t decapped = 0;
	unsigned int round;

	for (i = 0; i < n; i++)
		idx[i] = i;
	for (round = 0; round <= ap->max_decap && nb_idx > 0; round++) {
		ni = 0;
		for (j = 0; j < nb_idx; j++) {
			struct rte_mbuf *m = pkts[idx[j]];
			struct zc_meta *md = zc_meta(m);
			uint32_t off, len;
			uint16_t mirror;
			uint8_t d;

			if (!decap_candidate(ap, m, md, &off, &len))
				continue;
			if (md->decap >= ap->max_decap) {
				zc_stage_drop(st, m, ZC_DROP_DECAP_LOOP);
				pkts[idx[j]] = NULL;
				continue;
			}
			d = md->decap + 1;
			mirror = md->mirror_port;
			if (zc_vxlan_decap(&m, off, len) != 0) {
				zc_stage_drop(st, m, ZC_DROP_TUNNEL_TRUNCATED);
				pkts[idx[j]] = NULL;
				continue;
			}
			md = zc_meta(m);
			zc_meta_reset(md);
			md->decap = d;
			md->mirror_port = mirror;
			pkts[idx[j]] = m;
			inner[ni] = m;
			orig[ni] = m;
			next[ni] = idx[j];
			ni++;
		}
		if (ni == 0)
			break;
		decapped += ni;
		kept = rerun(st, ap, inner, ni);
		/* Survivors are a subsequence of orig[], in order. */
		for (j = 0, k = 0, nb_next = 0; j < ni; j++) {
			if (k < kept && inner[k] == orig[j]) {
				idx[nb_next++] = next[j];
				k++;
			} else {
				pkts[next[j]] = NULL;
			}
		}
		nb_idx = nb_next;
	}
	ap->stats->decap += decapped;
	if (decapped == 0)
		return n;
	for (i = 0, kept = 0; i < n; i++)
		if (pkts[i] != NULL)
			pkts[kept++] = pkts[i];
	return kept;
}

/* ---- per-packet actions ------------------------------------------------- */

static inline uint64_t
port_tx_offloads(uint16_t pid)
{
	return pid < RTE_MAX_ETHPORTS ? zc_ports[pid].tx_offloads : 0;
}

/*
 * A header mbuf, from the stash refilled a bulk at a time. The lines an
 * encapsulation writes (the mbuf's two and the one its data starts in) are
 * prefetched at refill, so that writing them does not wait.
 */
static inline struct rte_mbuf *
stash_get(struct act_priv *ap)
{
	if (unlikely(ap->nb_stash == 0)) {
		unsigned int i;

		if (rte_mempool_get_bulk(ap->pools.hdr, (void **)ap->stash,
					 ACT_STASH_BULK) != 0)
			return rte_mbuf_raw_alloc(ap->pools.hdr);
		ap->nb_stash = ACT_STASH_BULK;
		for (i = 0; i < ACT_STASH_BULK; i++) {
			struct rte_mbuf *h = ap->stash[i];

			rte_prefetch0(h);
			rte_prefetch0(RTE_PTR_ADD(h, RTE_CACHE_LINE_SIZE));
			rte_prefetch0(RTE_PTR_ADD(h->buf_addr,
						  RTE_PKTMBUF_HEADROOM));
		}
	}
	return ap->stash[--ap->nb_stash];
}

/* Encapsulations of one burst, added to the lcore's row once. */
struct act_enc_ctr {
	uint32_t encap;    /* Packets encapsulated. */
	uint32_t hdr_segs; /* Of which into a header mbuf. */
	uint32_t hw_cksum; /* Of which with the checksum left to the port. */
};

/* 5. Into tunnel t (also the fast path of packets with only this to do). */
static __rte_always_inline enum zc_drop_reason
act_encap(struct act_priv *ap, struct rte_mbuf **mp, const struct zc_vxlan *t,
	  struct act_enc_ctr *c)
{
	const struct zc_port *eg = &zc_ports[t->port];
	int hw_cksum = !!(eg->tx_offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM);
	struct rte_mbuf *h;

	if (unlikely(eg->mtu != 0 && (*mp)->pkt_len + ZC_VXLAN_HDR_LEN -
		     RTE_ETHER_HDR_LEN > eg->mtu))
		return ZC_DROP_TOO_BIG;
	c->encap++;
	c->hw_cksum += hw_cksum;
	if (ap->headroom && zc_vxlan_encap_headroom(*mp, t, hw_cksum) == 0)
		return ZC_DROP_MAX;
	h = stash_get(ap);
	if (unlikely(h == NULL)) {
		c->encap--;
		c->hw_cksum -= hw_cksum;
		return ZC_DROP_NO_MBUF;
	}
	if (unlikely(zc_vxlan_encap_hdr(mp, h, t, hw_cksum) != 0)) {
		ap->stash[ap->nb_stash++] = h;
		c->encap--;
		c->hw_cksum -= hw_cksum;
		return ZC_DROP_ENCAP_FAILED;
	}
	c->hdr_segs++;
	return ZC_DROP_MAX;
}

static inline void
act_enc_count(struct act_priv *ap, const struct act_enc_ctr *c)
{
	struct zc_act_lcore_stats *s = ap->stats;

	s->encap += c->encap;
	s->hdr_segs += c->hdr_segs;
	s->cksum_hw += c->hw_cksum;
	s->cksum_sw += c->encap - c->hw_cksum;
}

/* Steps 2 to 5 of the file comment. ZC_DROP_MAX if the packet goes on. */
static enum zc_drop_reason
act_one(struct act_priv *ap, struct rte_mbuf **mp)
{
	struct rte_mbuf *m = *mp;
	struct zc_meta *md = zc_meta(m);
	struct zc_act_lcore_stats *s = ap->stats;
	const struct zc_vxlan *t = zc_vxlan_by_vport(md->out_port);
	uint16_t egress = t != NULL ? t->port : md->out_port;
	uint64_t off = port_tx_offloads(egress);
	int hw_vlan = t == NULL && (off & RTE_ETH_TX_OFFLOAD_VLAN_INSERT);
	int r;

	/* 2. A tag the port stripped: popped, or to be put back. */
	if (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) {
		m->ol_flags &= ~RTE_MBUF_F_RX_VLAN_STRIPPED;
		if (m->ol_flags & zc_vlan_pop_flag) {
			m->ol_flags &= ~zc_vlan_pop_flag;
			s->vlan_pop_hw++;
		} else {
			m->ol_flags |= RTE_MBUF_F_TX_VLAN;
		}
	}
	/* 3. Pop. */
	if (m->ol_flags & zc_vlan_pop_flag) {
		m->ol_flags &= ~zc_vlan_pop_flag;
		r = zc_vlan_pop(&m, ap->pools.hdr, s);
		if (unlikely(r < 0)) {
			*mp = m;
			return r == -ENOBUFS ? ZC_DROP_NO_MBUF :
			       ZC_DROP_VLAN_TRUNCATED;
		}
	}
	/* 4. Push: a pending tag goes on first, so the new one is outer. */
	if (m->ol_flags & zc_vlan_push_flag) {
		m->ol_flags &= ~zc_vlan_push_flag;
		if ((m->ol_flags & RTE_MBUF_F_TX_VLAN) &&
		    zc_vlan_push(&m, m->vlan_tci, ap->pools.hdr, s) != 0)
			goto nombuf;
		m->vlan_tci = m->vlan_tci_outer;
		m->ol_flags |= RTE_MBUF_F_TX_VLAN;
	}
	if (m->ol_flags & RTE_MBUF_F_TX_VLAN) {
		if (hw_vlan)
			s->vlan_push_hw++;
		else if (zc_vlan_push(&m, m->vlan_tci, ap->pools.hdr, s) != 0)
			goto nombuf;
	}
	*mp = m;
	/* 5. Into the tunnel. */
	if (t != NULL) {
		struct act_enc_ctr c = { 0, 0, 0 };

		r = act_encap(ap, mp, t, &c);
		act_enc_count(ap, &c);
		return r;
	}
	return ZC_DROP_MAX;
nombuf:
	*mp = m;
	return ZC_DROP_NO_MBUF;
}

static uint16_t
act_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct act_priv *ap = st->priv;
	const uint64_t work = ap->work_flags;
	const uint16_t first_vport = ap->first_vport;
	struct act_enc_ctr c = { 0, 0, 0 };
	uint16_t i, kept = 0;

	if (zc_vxlan_any())
		nb_pkts = act_decap(st, ap, pkts, nb_pkts);
	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t out = zc_meta(m)->out_port;
		enum zc_drop_reason r;

		/* Outer headers going into the headroom: its last line. */
		if (ap->headroom && i + ACT_PREFETCH < nb_pkts)
			rte_prefetch0(rte_pktmbuf_mtod_offset(
				pkts[i + ACT_PREFETCH], char *,
				-RTE_CACHE_LINE_SIZE));

		if (likely(!(m->ol_flags & work))) {
			if (likely(out < first_vport ||
				   out >= RTE_MAX_ETHPORTS)) {
				pkts[kept++] = m;
				continue;
			}
			r = act_encap(ap, &m, zc_vxlan_by_vport(out), &c);
		} else {
			r = act_one(ap, &m);
		}
		if (likely(r == ZC_DROP_MAX))
			pkts[kept++] = m;
		else
			zc_stage_drop(st, m, r);
	}
	if (c.encap != 0)
		act_enc_count(ap, &c);
	return kept;
}

/* ---- set-up ------------------------------------------------------------- */

static struct zc_stage_ops act_stage;

/*
 * The stages to re-run on inner packets: those set up before this
 * instance on its lcore (stages are set up in chain order), none when it
 * is not in a built pipeline. What the stages before act write (the stage
 * contract, core/zc_stage.h) says whether VXLAN packets for a local VTEP
 * come marked (a stage writes action requests: classify) or are to be
 * recognised here, and whether tunnels are parsed before act, in its
 * lcore group.
 */
static int
find_inner_stages(const struct zc_stage_params *p, struct act_priv *ap)
{
	const struct zc_config *cfg = p->cfg;
	const struct zc_pipeline_conf *pl;
	char sec[CFG_NAME_LEN];
	unsigned int s;
	int tunnel = -1, act = -1;

	ap->parse = zc_parse_dp_lcore(p->lcore_id);
	ap->acl = zc_acl_dp_lcore(p->lcore_id);
	ap->route = zc_route_dp_lcore(p->lcore_id);
	ap->fwd = zc_forward_dp_lcore(p->lcore_id);
	if (p->pipeline_id >= cfg->nb_pipelines)
		return 0;
	pl = &cfg->pipeline[p->pipeline_id];
	/* In a built pipeline (a parse stage before us), a stage that
	 * writes action requests marks the tunnels to open.
	 */
	if (ap->parse != NULL &&
	    (zc_config_written_before(cfg, p->pipeline_id, &act_stage) &
	     ZC_MD_ACTIONS))
		ap->auto_decap = 0;
	if (!zc_vxlan_any())
		return 0;
	snprintf(sec, sizeof(sec), "pipeline.%u", p->pipeline_id);
	/* act, and the last stage before it that parses tunnels. */
	for (s = 0; s < pl->nb_stages && act < 0; s++) {
		const struct zc_stage_ops *o = zc_stage_find(pl->stage[s]);

		if (o == &act_stage)
			act = (int)s;
		else if (o != NULL && (o->writes & ZC_MD_TUNNEL))
			tunnel = (int)s;
	}
	if (act < 0)
		return 0; /* not in this chain: a test drives the instance */
	if (tunnel < 0)
		return zc_config_error(cfg, sec, "stages",
				       "act decapsulates tunnels and needs the parse stage before it");
	if (pl->group[tunnel] != pl->group[act])
		return zc_config_error(cfg, sec, "stages",
				       "act re-runs the stages before it on decapsulated packets: put act in the same lcore group as parse");
	return 0;
}

static int
act_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	const struct zc_config *cfg = p->cfg;
	struct act_priv *ap;
	int ret;

	ret = zc_actions_register();
	if (ret < 0)
		return zc_config_error(cfg, NULL, NULL,
				       "act: no dynamic mbuf flag left: %s",
				       strerror(-ret));
	if (zc_actions_setup(cfg) < 0)
		return -1;
	ap = rte_zmalloc_socket("zc_act", sizeof(*ap), RTE_CACHE_LINE_SIZE,
				p->socket_id);
	if (ap == NULL)
		return -ENOMEM;
	if (zc_actions_pools(cfg, p->socket_id, &ap->pools) < 0) {
		rte_free(ap);
		return -1;
	}
	ap->stats = &zc_act_stats[p->lcore_id];
	ap->max_decap = zc_act_conf.max_decap;
	ap->headroom = zc_act_conf.vxlan_headroom;
	ap->auto_decap = 1;
	ap->first_vport = (uint16_t)(RTE_MAX_ETHPORTS - zc_act_conf.nb_vxlan);
	ap->work_flags = zc_vlan_pop_flag | zc_vlan_push_flag |
			 RTE_MBUF_F_RX_VLAN_STRIPPED | RTE_MBUF_F_TX_VLAN;
	zc_parse_conf_init(&ap->parse_conf, cfg);
	if (find_inner_stages(p, ap) < 0) {
		rte_free(ap);
		return -1;
	}
	st->priv = ap;
	return 0;
}

static void
act_fini(struct zc_stage *st)
{
	struct act_priv *ap = st->priv;

	if (ap == NULL)
		return;
	if (ap->nb_stash != 0)
		rte_mempool_put_bulk(ap->pools.hdr, (void **)ap->stash,
				     ap->nb_stash);
	rte_free(ap);
	st->priv = NULL;
}

/*
 * Without an ACL rule that asks for vlan-push, vlan-pop or vxlan (the
 * classify stage before act has loaded them by the time this is asked),
 * without a tunnel (no encapsulation, no local VTEP) and without a port
 * that strips VLAN tags (none to put back), no packet has anything for act
 * to do.
 */
static bool
act_idle(const struct zc_config *cfg)
{
	unsigned int i;

	if ((zc_acl_conf.rules[0] != '\0' && zc_classify_acts()) ||
	    zc_act_conf.nb_vxlan != 0)
		return false;
	for (i = 0; i < cfg->nb_ports; i++)
		if (zc_ports[cfg->port[i].port_id].rx_offloads &
		    RTE_ETH_RX_OFFLOAD_VLAN_STRIP)
			return false;
	return true;
}

static struct zc_stage_ops act_stage = {
	.idle = act_idle,
	.flags = ZC_STAGE_F_FLOW_HASH, /* VXLAN source port entropy */
	.name = "act",
	.desc = "zero-copy actions: VXLAN encap/decap, VLAN push/pop (headroom or header segment)",
	/* Works on what it finds; decapsulation needs the tunnel found
	 * (checked at init when tunnels exist). Re-parses inner packets.
	 */
	.may_read = ZC_MD_L2 | ZC_MD_L3 | ZC_MD_L4 | ZC_MD_TUNNEL |
		    ZC_MD_EGRESS | ZC_MD_ACTIONS,
	.writes = ZC_MD_L2 | ZC_MD_L3 | ZC_MD_L4 | ZC_MD_TUNNEL |
		  ZC_MD_EGRESS,
	.default_modes = ZC_MODE_BIT(ZC_MODE_ROUTER) |
			 ZC_MODE_BIT(ZC_MODE_FILTER),
	.rank = 40,
	.init = act_init,
	.fini = act_fini,
	.process = act_process,
};

ZC_STAGE_REGISTER(act_stage);
