/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * route: the IPv4/IPv6 router (mode = router).
 *
 * Reads:  zc_meta l3_type, l3_off, l4_off/l4_proto (with ZC_META_F_L4),
 *         flags (MPLS, FRAG) and out_port; the Ethernet, IP, ARP and ICMP
 *         headers, each bounds-checked with rte_pktmbuf_read().
 * Writes: zc_meta out_port (and ZC_META_F_LOCAL for replies); in the
 *         packet, in place: both MACs and the TTL and IPv4 checksum
 *         (RFC 1624 incremental update) or the hop limit of forwarded
 *         packets; ARP replies, ICMP/ICMPv6 echo replies and neighbour
 *         advertisements built in the request's own mbuf; ARP requests and
 *         neighbour solicitations built in the mbuf of a packet whose next
 *         hop has no MAC yet.
 *         Packets that cannot be forwarded (TTL expired, no route, too big
 *         with DF set or IPv6, an ACL reject) become ICMP errors in their
 *         own mbuf (icmp.c); bytes after the IP datagram are cut off; an
 *         IPv4 packet too big with DF clear is marked for the tx stage to
 *         fragment (zc_frag_flag).
 * Next:   tx for every packet kept (out_port set): forwarded packets to the
 *         route's port, replies and ICMP errors to the ingress port, probes
 *         to the egress port. Others are freed under a drop reason (an
 *         ICMP error could not or must not be sent): not_ip, no_route,
 *         ttl_expired, no_neighbour, too_big, acl_deny (reject), fragment,
 *         local_unhandled,
 *         arp_ignored, nd_ignored, neigh_learned, l2_other_host and the
 *         header reasons (ipv4_truncated, ...) for headers cut short.
 *
 * A packet whose out_port is already set (an ACL "forward PORT" rule) is
 * passed on untouched: policy forwarding, L2 and TTL unchanged.
 *
 * Writes go through pkt_write(), which writes into the segment holding the
 * bytes and scatters across segments when a header spans two, so chained
 * packets are routed like any other. Replies that change the packet's
 * length (NA, probes) keep only the first segment.
 *
 * A burst is handled in three passes: header extraction (four packets at
 * a time, prefetching the next four), one rte_fib/rte_fib6 bulk lookup per
 * family, then the per-packet action in arrival order. Counters are kept
 * in locals and added once per burst. docs/routing.md has the whole
 * behaviour.
 *
 * This file is the stage and its forwarding path; what is not forwarded
 * goes to neigh.c (ARP, ND, next hops without a MAC) or local.c (packets
 * for the router itself), whose entry points route_priv.h declares.
 */

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_log.h"
#include "core/zc_meta.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "core/zc_trace.h"
#include "route/route_priv.h"
#include "actions/zc_frag.h"
#include "route/zc_route.h"

/* Packets ahead to prefetch in the extraction pass (one group of four). */
#define ROUTE_PREFETCH 4

static struct zc_stage_ops route_stage;

/* What the first pass decided. */
enum route_act {
	ACT_DROP = 0, /* reason[i] says why */
	ACT_POLICY,   /* out_port already chosen */
	ACT_V4,       /* IPv4 unicast: look up */
	ACT_V6,       /* IPv6 unicast: look up */
	ACT_V6_MCAST, /* IPv6 multicast: ND or local */
	ACT_ARP,      /* ARP */
	ACT_REJECT,   /* An ACL reject rule matched: ICMP error. */
};

/* Seed of the multipath hash computed here (ecmp_sw_hash()). */
#define ZC_ECMP_SEED 0x5a17c0deu

/* Messages from the control thread applied per call: a big batch is
 * taken a little at a time, between bursts, never all at once.
 */
#define ROUTE_CTL_BURST 32

/* ---- changes from the control thread ---------------------------------- */

/* Apply one zc_route_msg to this lcore's own slots and neighbours. */
static void
route_ctl_apply(struct zc_route_dp *rp, const struct zc_route_msg *m)
{
	struct zc_route_slot *s;
	struct zc_neigh *n;

	switch (m->op) {
	case ZC_RMSG_ROUTE:
		s = &rp->slot[m->idx];
		if (m->reset_hits)
			s->hits = 0;
		s->port = m->port;
		s->kind = m->kind;
		s->family = m->family;
		s->nb = ZC_ROUTE_NO_NB;
		if (m->kind == ZC_ROUTE_ECMP)
			s->nb = m->group;
		if (m->kind != ZC_ROUTE_VIA)
			break;
		n = zc_neigh_get(rp->nt, m->port, m->family, m->ip);
		if (n != NULL)
			s->nb = (uint32_t)(n - rp->nt->e);
		else
			rp->ctl_failed++;
		break;
	case ZC_RMSG_NEIGH_SET:
		n = zc_neigh_get(rp->nt, m->port, m->family, m->ip);
		if (n == NULL) {
			rp->ctl_failed++;
			break;
		}
		n->mac = m->mac;
		n->state = ZC_NEIGH_STATIC;
		n->probe_tsc = 0;
		break;
	case ZC_RMSG_NEIGH_DEL:
		n = zc_neigh_lookup(rp->nt, m->port, m->family, m->ip);
		if (n == NULL)
			break;
		memset(&n->mac, 0, sizeof(n->mac));
		n->state = ZC_NEIGH_INCOMPLETE;
		n->probe_tsc = 0;
		break;
	case ZC_RMSG_SLOTS:
		memcpy(m->slots, rp->slot, (size_t)m->idx * sizeof(*rp->slot));
		rp->slot = m->slots;
		break;
	case ZC_RMSG_GROUP_NH:
		n = zc_neigh_get(rp->nt, m->port, m->family, m->ip);
		rp->groups[m->idx].port[m->member] = m->port;
		rp->groups[m->idx].nb[m->member] = n != NULL ?
			(uint32_t)(n - rp->nt->e) : ZC_ROUTE_NO_NB;
		if (n == NULL)
			rp->ctl_failed++;
		break;
	case ZC_RMSG_GROUP_BUCKETS:
		memcpy(rp->groups[m->idx].bucket, m->bucket,
		       sizeof(m->bucket));
		break;
	}
}

static __rte_noinline void
route_ctl_drain(struct zc_route_dp *rp)
{
	struct zc_route_msg msg[ROUTE_CTL_BURST];
	unsigned int i, n;

	n = rte_ring_sc_dequeue_burst_elem(rp->ctl, msg, sizeof(msg[0]),
					   RTE_DIM(msg), NULL);
	for (i = 0; i < n; i++)
		route_ctl_apply(rp, &msg[i]);
	if (n != 0)
		__atomic_store_n(&rp->ctl_applied, msg[n - 1].seq,
				 __ATOMIC_RELEASE);
}

/* Before a burst, and when idle: what the control thread asked. */
static __rte_always_inline void
route_ctl_poll(struct zc_route_dp *rp)
{
	if (unlikely(!rte_ring_empty(rp->ctl)))
		route_ctl_drain(rp);
}

static void
route_flush(struct zc_stage *st)
{
	if (st->priv != NULL)
		route_ctl_poll(st->priv);
}

/* ---- forwarding ------------------------------------------------------- */

static inline void
set_macs(struct rte_mbuf *m, const struct rte_ether_addr *dst,
	 const struct route_egress *eg)
{
	struct rte_ether_addr macs[2];

	if (likely(m->data_len >= 2 * RTE_ETHER_ADDR_LEN)) {
		uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);

		memcpy(d, dst, RTE_ETHER_ADDR_LEN);
		memcpy(d + RTE_ETHER_ADDR_LEN, &eg->mac, RTE_ETHER_ADDR_LEN);
		return;
	}
	macs[0] = *dst;
	macs[1] = eg->mac;
	pkt_write(m, 0, macs, sizeof(macs));
}

static inline int
too_big(const struct rte_mbuf *m, const struct zc_meta *md,
	const struct route_egress *eg)
{
	return eg->mtu != 0 && m->pkt_len - md->l3_off > eg->mtu;
}

/*
 * TTL - 1 and the header checksum to match, in place in a header that lies
 * in the first segment: the 16-bit word (TTL, protocol) drops by 0x0100,
 * so its ones' complement sum rises by as much (RFC 1624, as Linux's
 * ip_decrease_ttl()).
 */
static __rte_always_inline void
ipv4_ttl_dec(struct rte_ipv4_hdr *ip)
{
	uint32_t sum = ip->hdr_checksum;

	sum += RTE_BE16(0x0100);
	ip->hdr_checksum = (uint16_t)(sum + (sum >= 0xffff));
	ip->time_to_live--;
}

/*
 * The flow hash a multipath route picks its next hop with: the NIC's or
 * parse's, else (no stage asked parse for one) the addresses and ports
 * hashed here, for these packets only.
 */
static __rte_noinline uint32_t
ecmp_sw_hash(struct rte_mbuf *m, const struct zc_meta *md)
{
	uint8_t buf[40];
	const uint8_t *ip;
	uint32_t h, ports = 0;
	const uint32_t *pp;

	if (md->l3_type == ZC_L3_IPV4) {
		ip = rte_pktmbuf_read(m, md->l3_off, 20, buf);
		h = ip == NULL ? 0 : rte_hash_crc(ip + 12, 8, ZC_ECMP_SEED);
	} else {
		ip = rte_pktmbuf_read(m, md->l3_off, 40, buf);
		h = ip == NULL ? 0 : rte_hash_crc(ip + 8, 32, ZC_ECMP_SEED);
	}
	if ((md->flags & (ZC_META_F_L4 | ZC_META_F_FRAG_NF)) == ZC_META_F_L4 &&
	    (md->l4_proto == IPPROTO_TCP || md->l4_proto == IPPROTO_UDP ||
	     md->l4_proto == IPPROTO_SCTP)) {
		pp = rte_pktmbuf_read(m, md->l4_off, 4, &ports);
		if (pp != NULL)
			ports = *pp;
	}
	return rte_hash_crc_4byte(ports, h);
}

/* Whether a slot's route goes through a gateway (entry in slot.nb or its
 * group) rather than to the destination itself.
 */
static __rte_always_inline int
has_gateway(uint8_t kind)
{
	return kind == ZC_ROUTE_VIA || kind == ZC_ROUTE_ECMP;
}

/* The next hop of a packet on a multipath route: its egress and entry. */
static __rte_always_inline void
ecmp_pick(const struct zc_route_dp *rp, const struct zc_route_slot *r,
	  struct rte_mbuf *m, const struct zc_meta *md, uint16_t *out,
	  uint32_t *nb)
{
	const struct zc_route_group *g = &rp->groups[r->nb];
	uint32_t h = md->flow_hash != 0 ? md->flow_hash : ecmp_sw_hash(m, md);
	unsigned int k = g->bucket[zc_ecmp_bucket(h)];

	*out = g->port[k];
	*nb = g->nb[k];
}

static inline enum zc_drop_reason
forward4(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
	 struct rte_mbuf **mp, struct zc_meta *md, uint32_t idx)
{
	struct zc_route_slot *r = &rp->slot[idx];
	struct rte_mbuf *m = *mp;
	struct rte_ipv4_hdr buf;
	const struct rte_ipv4_hdr *ip;
	const struct route_egress *eg;
	struct zc_neigh *n;
	uint16_t out = r->port;
	uint32_t nbi = r->nb;
	uint32_t end;
	int in_place, frag = 0;

	r->hits++;
	/* Parse checked that the header is whole; in the first segment it
	 * is written where it lies.
	 */
	in_place = likely(m->data_len >= md->l3_off + sizeof(*ip));
	ip = in_place ?
	     rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, md->l3_off) :
	     rte_pktmbuf_read(m, md->l3_off, sizeof(*ip), &buf);
	if (unlikely(r->kind == ZC_ROUTE_LOCAL))
		return zc_route_local4(c, m, md, ip);
	if (unlikely(ip->time_to_live <= 1))
		return zc_route_icmp_error(rp, mp, ZC_ICMP_TIME_EXCEEDED, 0,
					   ZC_DROP_TTL_EXPIRED);
	/* Bytes after the datagram (Ethernet padding) are not forwarded. */
	end = md->l3_off + (uint32_t)rte_be_to_cpu_16(ip->total_length);
	if (unlikely(m->pkt_len > end)) {
		zc_pkt_trim_to(m, end);
		c->trimmed++;
	}
	if (unlikely(r->kind == ZC_ROUTE_ECMP))
		ecmp_pick(rp, r, m, md, &out, &nbi);
	eg = &rp->egress[out];
	if (unlikely(too_big(m, md, eg))) {
		/* DF set: the sender learns the MTU (RFC 1191); DF clear:
		 * tx fragments it, except into a tunnel.
		 */
		if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG))
			return zc_route_icmp_error(rp, mp, ZC_ICMP_TOO_BIG,
						   eg->mtu, ZC_DROP_TOO_BIG);
		if (!eg->frag)
			return ZC_DROP_TOO_BIG;
		frag = 1;
	}
	if (likely(has_gateway(r->kind)))
		n = nbi != ZC_ROUTE_NO_NB ? &rp->nt->e[nbi] : NULL;
	else
		n = zc_neigh_lookup(rp->nt, out, AF_INET, &ip->dst_addr);
	if (unlikely(n == NULL || n->state == ZC_NEIGH_INCOMPLETE))
		return zc_route_resolve(rp, c, m, md, n, out, AF_INET,
					has_gateway(r->kind) ? NULL :
					(const uint8_t *)&ip->dst_addr);

	if (likely(in_place)) {
		ipv4_ttl_dec((struct rte_ipv4_hdr *)(uintptr_t)ip);
	} else {
		struct rte_ipv4_hdr h = *ip;

		ipv4_ttl_dec(&h);
		pkt_write(m, md->l3_off +
			  offsetof(struct rte_ipv4_hdr, time_to_live),
			  &h.time_to_live, 4);
	}
	set_macs(m, &n->mac, eg);
	md->out_port = out;
	if (unlikely(frag))
		m->ol_flags |= zc_frag_flag;
	c->forwarded++;
	return ZC_DROP_MAX;
}

static inline enum zc_drop_reason
forward6(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
	 struct rte_mbuf **mp, struct zc_meta *md, uint32_t idx)
{
	struct zc_route_slot *r = &rp->slot[idx];
	struct rte_mbuf *m = *mp;
	struct rte_ipv6_hdr buf;
	const struct rte_ipv6_hdr *ip6;
	const struct route_egress *eg;
	struct zc_neigh *n;
	uint16_t out = r->port;
	uint32_t nbi = r->nb;
	uint32_t end;
	uint8_t hop;
	int in_place;

	r->hits++;
	if (unlikely(r->kind == ZC_ROUTE_LOCAL))
		return zc_route_local6(rp, c, m, md, 0);
	in_place = likely(m->data_len >= md->l3_off + sizeof(*ip6));
	ip6 = in_place ?
	      rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, md->l3_off) :
	      rte_pktmbuf_read(m, md->l3_off, sizeof(*ip6), &buf);
	if (unlikely(ip6->hop_limits <= 1))
		return zc_route_icmp_error(rp, mp, ZC_ICMP_TIME_EXCEEDED, 0,
					   ZC_DROP_TTL_EXPIRED);
	/* Bytes after the datagram are not forwarded (a jumbogram's
	 * payload length is 0: left alone).
	 */
	end = md->l3_off + sizeof(*ip6) +
	      (uint32_t)rte_be_to_cpu_16(ip6->payload_len);
	if (unlikely(m->pkt_len > end) && ip6->payload_len != 0) {
		zc_pkt_trim_to(m, end);
		c->trimmed++;
	}
	if (unlikely(r->kind == ZC_ROUTE_ECMP))
		ecmp_pick(rp, r, m, md, &out, &nbi);
	eg = &rp->egress[out];
	/* Routers never fragment IPv6: the sender learns the MTU (RFC 8201). */
	if (unlikely(too_big(m, md, eg)))
		return zc_route_icmp_error(rp, mp, ZC_ICMP_TOO_BIG, eg->mtu,
					   ZC_DROP_TOO_BIG);
	if (likely(has_gateway(r->kind)))
		n = nbi != ZC_ROUTE_NO_NB ? &rp->nt->e[nbi] : NULL;
	else
		n = zc_neigh_lookup(rp->nt, out, AF_INET6, ip6->dst_addr);
	if (unlikely(n == NULL || n->state == ZC_NEIGH_INCOMPLETE))
		return zc_route_resolve(rp, c, m, md, n, out, AF_INET6,
					has_gateway(r->kind) ? NULL :
					ip6->dst_addr);

	hop = ip6->hop_limits - 1;
	if (likely(in_place))
		((struct rte_ipv6_hdr *)(uintptr_t)ip6)->hop_limits = hop;
	else
		pkt_write(m, md->l3_off +
			  offsetof(struct rte_ipv6_hdr, hop_limits), &hop, 1);
	set_macs(m, &n->mac, eg);
	md->out_port = out;
	c->forwarded++;
	return ZC_DROP_MAX;
}

/*
 * First pass: what kind of packet, and its destination for the lookup.
 * Returns the action; for ACT_DROP, *reason.
 *
 * Parse has validated what it recorded: l3_type is IPv4 or IPv6 only for
 * a header that is whole and of the right version (IHL and lengths
 * checked), so the header is not validated again here, only read: in
 * place when it lies in the first segment, else gathered.
 */
static __rte_always_inline uint8_t
route_classify(const struct zc_route_dp *rp, struct rte_mbuf *m,
	       const struct zc_meta *md, uint32_t *ip4, uint8_t *dst6,
	       uint8_t *reason)
{
	union {
		struct rte_ether_hdr eth;
		struct rte_ipv4_hdr v4;
		struct rte_ipv6_hdr v6;
	} buf;
	const struct rte_ether_hdr *eth;

	if (md->out_port != ZC_PORT_NONE && md->out_port != ZC_PORT_REJECT)
		return ACT_POLICY;
	*reason = ZC_DROP_NOT_IP;
	if (unlikely(md->flags & ZC_META_F_MPLS))
		return ACT_DROP;
	eth = likely(m->data_len >= sizeof(*eth)) ?
	      rte_pktmbuf_mtod(m, const struct rte_ether_hdr *) :
	      rte_pktmbuf_read(m, 0, sizeof(*eth), &buf.eth);
	if (unlikely(eth == NULL)) {
		*reason = ZC_DROP_L2_TRUNCATED;
		return ACT_DROP;
	}
	if (unlikely(rte_is_unicast_ether_addr(&eth->dst_addr) &&
		     !rte_is_same_ether_addr(&eth->dst_addr,
					     &rp->egress[m->port].mac))) {
		*reason = ZC_DROP_L2_OTHER_HOST;
		return ACT_DROP;
	}
	if (unlikely(md->out_port == ZC_PORT_REJECT)) {
		*reason = ZC_DROP_ACL_DENY;
		return ACT_REJECT;
	}

	if (likely(md->l3_type == ZC_L3_IPV4)) {
		const struct rte_ipv4_hdr *ip;
		uint32_t dst;

		ip = likely(m->data_len >= md->l3_off + sizeof(*ip)) ?
		     rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
					     md->l3_off) :
		     rte_pktmbuf_read(m, md->l3_off, sizeof(*ip), &buf.v4);
		if (unlikely(ip == NULL)) {
			*reason = ZC_DROP_IPV4_TRUNCATED;
			return ACT_DROP;
		}
		dst = rte_be_to_cpu_32(ip->dst_addr);
		/* Multicast and limited broadcast are never routed. */
		if (unlikely((dst >> 28) == 0xe || dst == UINT32_MAX)) {
			*reason = ZC_DROP_LOCAL;
			return ACT_DROP;
		}
		*ip4 = dst;
		return ACT_V4;
	}
	if (md->l3_type == ZC_L3_IPV6) {
		const struct rte_ipv6_hdr *ip6;

		ip6 = likely(m->data_len >= md->l3_off + sizeof(*ip6)) ?
		      rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *,
					      md->l3_off) :
		      rte_pktmbuf_read(m, md->l3_off, sizeof(*ip6), &buf.v6);
		if (unlikely(ip6 == NULL)) {
			*reason = ZC_DROP_IPV6_TRUNCATED;
			return ACT_DROP;
		}
		if (unlikely(ip6->dst_addr[0] == 0xff))
			return ACT_V6_MCAST;
		memcpy(dst6, ip6->dst_addr, 16);
		return ACT_V6;
	}
	if (md->l3_type == ZC_L3_ARP)
		return ACT_ARP;
	return ACT_DROP;
}

static uint16_t
route_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct zc_route_dp *rp = st->priv;
	const struct zc_route_fibs *rt;
	struct zc_route_lcore_stats c;
	uint32_t ip4[ZC_BURST_MAX];
	uint8_t ip6[ZC_BURST_MAX][16];
	uint64_t nh4[ZC_BURST_MAX], nh6[ZC_BURST_MAX];
	uint8_t act[ZC_BURST_MAX], reason[ZC_BURST_MAX];
	uint16_t slot[ZC_BURST_MAX];
	const int moff = zc_meta_offset; /* not reloaded per packet */
	uint16_t i, n4 = 0, n6 = 0, kept = 0;

	/* Changes first; then the FIBs in force, for this burst only. */
	route_ctl_poll(rp);
	rt = zc_route_fibs(rp->rt);

	/* Pass 1: what each packet is, and where it is going; four at a
	 * time while the headers of the next four are prefetched.
	 */
#define CLASSIFY_ONE(k) do { \
		act[k] = route_classify(rp, pkts[k], \
					RTE_MBUF_DYNFIELD(pkts[k], moff, \
						const struct zc_meta *), \
					&ip4[n4], \
					ip6[n6], &reason[k]); \
		if (act[k] == ACT_V4) \
			slot[k] = n4++; \
		else if (act[k] == ACT_V6) \
			slot[k] = n6++; \
	} while (0)
	for (i = 0; i + 4 <= nb_pkts; i += 4) {
		if (i + 4 + ROUTE_PREFETCH <= nb_pkts) {
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void *));
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 5], void *));
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 6], void *));
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 7], void *));
		}
		CLASSIFY_ONE(i);
		CLASSIFY_ONE(i + 1);
		CLASSIFY_ONE(i + 2);
		CLASSIFY_ONE(i + 3);
	}
	for (; i < nb_pkts; i++)
		CLASSIFY_ONE(i);
#undef CLASSIFY_ONE

	/* Pass 2: one bulk longest-prefix match per family. */
	if (n4 != 0)
		zc_route_lookup4_bulk(rt, ip4, nh4, n4);
	if (n6 != 0)
		zc_route_lookup6_bulk(rt, ip6, nh6, n6);

	/* What pass 3 reads by route index, fetched for the whole burst. */
	for (i = 0; i < n4; i++) {
		if (likely(nh4[i] != rt->none4)) {
			rte_prefetch0(&rp->slot[nh4[i]]);
		}
	}

	/* Pass 3: act, in arrival order. */
	memset(&c, 0, sizeof(c));
	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		struct zc_meta *md = RTE_MBUF_DYNFIELD(m, moff,
						       struct zc_meta *);
		enum zc_drop_reason r;
		uint64_t nh;

		switch (act[i]) {
		case ACT_POLICY:
			c.policy++;
			r = ZC_DROP_MAX;
			break;
		case ACT_V4:
			nh = nh4[slot[i]];
			r = likely(nh != rt->none4) ?
			    forward4(rp, &c, &m, md, (uint32_t)nh) :
			    zc_route_icmp_error(rp, &m, ZC_ICMP_UNREACHABLE, 0,
						ZC_DROP_NO_ROUTE);
			break;
		case ACT_V6:
			nh = nh6[slot[i]];
			r = likely(nh != rt->none6) ?
			    forward6(rp, &c, &m, md, (uint32_t)nh) :
			    zc_route_icmp_error(rp, &m, ZC_ICMP_UNREACHABLE, 0,
						ZC_DROP_NO_ROUTE);
			break;
		case ACT_REJECT:
			r = zc_route_icmp_error(rp, &m, ZC_ICMP_PROHIBITED, 0,
						ZC_DROP_ACL_DENY);
			break;
		case ACT_V6_MCAST:
			r = zc_route_local6(rp, &c, m, md, 1);
			break;
		case ACT_ARP:
			r = zc_route_arp_input(rp, &c, m, md);
			break;
		default:
			r = reason[i];
			break;
		}
		if (unlikely(zc_trace_pkt(m))) {
			/* The ICMP note says it all (the route is moot). */
			if (rp->icmp.noted) {
				rp->icmp.noted = 0;
			} else if (act[i] == ACT_V4 || act[i] == ACT_V6) {
				nh = act[i] == ACT_V4 ? nh4[slot[i]] :
							 nh6[slot[i]];
				if (nh == (act[i] == ACT_V4 ? rt->none4 :
					   rt->none6))
					zc_trace_note(m, "no route");
				else
					zc_trace_note(m, "route %u (see /zcpipe/routes) -> port %u",
						      (unsigned int)nh,
						      zc_meta(m)->out_port);
			} else if (act[i] == ACT_POLICY) {
				zc_trace_note(m, "policy: egress set by the ACL");
			}
		}
		if (likely(r == ZC_DROP_MAX))
			pkts[kept++] = m;
		else
			zc_stage_drop(st, m, r);
	}

	/* Once per burst, every counter of the list (zc_route.h). */
#define ROUTE_FLUSH(T, name, kind, unit, help) rp->stats->name += c.name;
	ZC_ROUTE_COUNTERS(ROUTE_FLUSH, _)
#undef ROUTE_FLUSH
	return kept;
}

struct zc_route_dp *
zc_route_dp_lcore(unsigned int lcore_id)
{
	return zc_stage_priv_on_lcore(&route_stage, lcore_id);
}

uint16_t
zc_route_dp_rerun(struct zc_route_dp *dp, struct rte_mbuf **pkts, uint16_t n)
{
	return zc_stage_rerun(dp->st, route_process, pkts, n);
}

static void
route_release(struct zc_route_dp *rp)
{
	rte_ring_free(rp->ctl);
	rte_free(rp->groups);
	zc_neigh_table_free(rp->nt);
	if (rp->rt != NULL)
		zc_route_put();
	rte_free(rp);
}

/* The group of a multipath route of the start-up table. */
static void
route_group_init(struct zc_route_dp *rp, const struct zc_route *r)
{
	struct zc_route_group *g = &rp->groups[r->mp->group];
	unsigned int k;

	for (k = 0; k < r->mp->nb; k++) {
		struct zc_neigh *n = zc_neigh_get(rp->nt, r->mp->nh[k].port,
						  r->family, r->mp->nh[k].ip);

		g->port[k] = r->mp->nh[k].port;
		g->nb[k] = n != NULL ? (uint32_t)(n - rp->nt->e) :
			   ZC_ROUTE_NO_NB;
	}
	memcpy(g->bucket, r->mp->bucket, sizeof(g->bucket));
}

static int
route_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	const struct zc_config *cfg = p->cfg;
	char name[RTE_RING_NAMESIZE];
	struct zc_act_pools pools;
	struct zc_route_dp *rp;
	uint32_t i, nb4 = 0, nb6 = 0;

	st->priv = NULL;
	rp = rte_zmalloc_socket("zc_route", sizeof(*rp), RTE_CACHE_LINE_SIZE,
				p->socket_id);
	if (rp == NULL)
		return -ENOMEM;
	rp->lcore_id = p->lcore_id;
	rp->rt = zc_route_get(cfg, p->socket_id);
	if (rp->rt == NULL) {
		route_release(rp);
		return -1; /* zc_config_strerror() says why */
	}
	rp->slot = zc_route_hits_row(p->lcore_id, p->socket_id);
	rp->nt = zc_neigh_table_create(rp->rt, p->socket_id);
	rp->groups = rte_zmalloc_socket("zc_route_groups",
					ZC_ROUTE_GROUPS_MAX *
					sizeof(*rp->groups),
					RTE_CACHE_LINE_SIZE, p->socket_id);
	snprintf(name, sizeof(name), "zc_route_ctl%u", p->lcore_id);
	rp->ctl = rte_ring_create_elem(name, sizeof(struct zc_route_msg),
				       ZC_ROUTE_CTL_RING, p->socket_id,
				       RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (rp->slot == NULL || rp->nt == NULL || rp->ctl == NULL ||
	    rp->groups == NULL) {
		route_release(rp);
		return zc_config_error(cfg, "route", NULL,
				       "out of memory for the neighbour table and counters");
	}
	/* Resolve each gateway once: its entry never moves. */
	for (i = 0; i < rp->rt->nb_routes; i++) {
		const struct zc_route *r = &rp->rt->routes[i];

		if (r->family == AF_INET)
			nb4++;
		else if (r->family == AF_INET6)
			nb6++;
		else
			continue;
		if (r->kind == ZC_ROUTE_VIA && r->mp != NULL) {
			route_group_init(rp, r);
			rp->slot[i].kind = ZC_ROUTE_ECMP;
			rp->slot[i].nb = r->mp->group;
		} else if (r->kind == ZC_ROUTE_VIA) {
			struct zc_neigh *n = zc_neigh_get(rp->nt, r->port,
							  r->family, r->nh);

			rp->slot[i].nb = n != NULL ?
					 (uint32_t)(n - rp->nt->e) :
					 ZC_ROUTE_NO_NB;
		}
	}
	/* Source MAC and MTU of every egress, tunnels' virtual ports
	 * included (their setup is idempotent and may not have run yet).
	 */
	if (zc_actions_setup(cfg) < 0 ||
	    zc_actions_pools(cfg, p->socket_id, &pools) < 0) {
		route_release(rp);
		return -1;
	}
	/* Without the flag nothing is fragmented: too big is dropped. */
	if (zc_frag_register() < 0)
		ZC_LOG(WARNING, "route: no room for the fragmentation mbuf flag; IPv4 packets too big for their egress are dropped");
	for (i = 0; i < ZC_MAX_PORTS; i++) {
		rp->egress[i].mac = zc_ports[i].mac;
		rp->egress[i].mtu = zc_ports[i].mtu;
		/* Into a tunnel, fragments would be cut after encapsulation. */
		rp->egress[i].frag = zc_frag_flag != 0 &&
				     zc_vxlan_by_vport((uint16_t)i) == NULL;
	}
	zc_route_icmp_init(&rp->icmp, zc_route_conf.icmp_rate, p->lcore_id,
			   pools.hdr);
	rp->probe_tsc = rte_get_tsc_hz() / 1000 * rp->rt->probe_ms;
	rp->stats = &zc_route_stats[p->lcore_id];
	rp->st = st;
	st->priv = rp;
	ZC_LOG(INFO, "route: lcore %u: %u IPv4 and %u IPv6 routes, %u static neighbours, learning %s",
	       p->lcore_id, nb4, nb6, rp->rt->nb_neigh,
	       rp->rt->learn ? "on" : "off");
	return 0;
}

static void
route_fini(struct zc_stage *st)
{
	if (st->priv == NULL)
		return;
	route_release(st->priv);
	st->priv = NULL;
}

static struct zc_stage_ops route_stage = {
	.name = "route",
	.desc = "IPv4/IPv6 LPM routing, ARP/ND and echo replies for the router's addresses",
	.reads = ZC_MD_L2 | ZC_MD_L3,
	/* The flow hash picks a multipath route's next hop when parse or
	 * the NIC gave one; without, route hashes those packets itself.
	 */
	.may_read = ZC_MD_L4 | ZC_MD_EGRESS | ZC_MD_FLOW_HASH,
	.writes = ZC_MD_EGRESS,
	.modes = ZC_MODE_BIT(ZC_MODE_ROUTER),
	.default_modes = ZC_MODE_BIT(ZC_MODE_ROUTER),
	.rank = 30,
	.init = route_init,
	.fini = route_fini,
	.process = route_process,
	.flush = route_flush,
};

ZC_STAGE_REGISTER(route_stage);
