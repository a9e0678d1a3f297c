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
 * Next:   tx for every packet kept (out_port set): forwarded packets to the
 *         route's port, replies to the ingress port, probes to the egress
 *         port. Others are freed under a drop reason: not_ip, no_route,
 *         ttl_expired, no_neighbour, too_big, fragment, local_unhandled,
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
 * family, then the per-packet action in arrival order. Counters are kept in locals and added once per
 * burst. docs/routing.md has the whole behaviour.
 */

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_log.h"
#include "core/zc_meta.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "route/zc_route.h"
#include "telemetry/zc_trace.h"

/* Packets ahead to prefetch in the extraction pass (one group of four). */
#define ROUTE_PREFETCH 4

/* Longest L2 header (Ethernet + VLAN tags) kept in a rebuilt packet. */
#define ROUTE_L2_MAX 64

/* ICMPv6 types and neighbour discovery (RFC 4443, RFC 4861). */
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY   129
#define ND_SOLICIT         135
#define ND_ADVERT          136
#define ND_OPT_SLLA        1
#define ND_OPT_TLLA        2
#define ND_NA_F_ROUTER     0x80
#define ND_NA_F_SOLICITED  0x40
#define ND_NA_F_OVERRIDE   0x20
#define ND_HOP_LIMIT       255
#define ECHO_TTL           64

/* What the first pass decided. */
enum route_act {
	ACT_DROP = 0, /* reason[i] says why */
	ACT_POLICY,   /* out_port already chosen */
	ACT_V4,       /* IPv4 unicast: look up */
	ACT_V6,       /* IPv6 unicast: look up */
	ACT_V6_MCAST, /* IPv6 multicast: ND or local */
	ACT_ARP,      /* ARP */
};

/* Neighbour solicitation/advertisement body (after the ICMPv6 header). */
struct nd_msg {
	uint8_t type;
	uint8_t code;
	uint16_t cksum;
	uint8_t flags;     /* NA: R, S, O; NS: reserved */
	uint8_t reserved[3];
	uint8_t target[16];
	uint8_t opt_type;  /* one link-layer address option */
	uint8_t opt_len;   /* in units of 8 bytes: 1 */
	struct rte_ether_addr opt_mac;
} __rte_packed __rte_aligned(2);

/* What forwarding needs of an egress port, in one place. */
struct route_egress {
	struct rte_ether_addr mac; /* source MAC of routed packets */
	uint16_t mtu;              /* 0: unchecked */
};

struct route_priv {
	const struct zc_route_table *rt;  /* shared, read-only */
	struct zc_neigh_table *nt;        /* this lcore's */
	struct zc_route_slot *slot;       /* this lcore's routes, by index */
	struct zc_route_lcore_stats *stats; /* this lcore's counters */
	uint64_t probe_tsc;               /* least cycles between probes */
	struct route_egress egress[ZC_MAX_PORTS]; /* by ethdev port id */
};

/* ---- packet access ---------------------------------------------------- */

/*
 * Write len bytes at off into the packet: into the one segment holding
 * them, or across segments when they span several. The caller has
 * checked that off + len lies within the packet (what lies beyond is not
 * written).
 */
static inline void
pkt_write(struct rte_mbuf *m, uint32_t off, const void *src, uint32_t len)
{
	const uint8_t *s = src;

	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	if (unlikely(m == NULL))
		return;
	if (likely(off + len <= m->data_len)) {
		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, off), s, len);
		return;
	}
	while (len > 0 && m != NULL) {
		uint32_t n = RTE_MIN(len, (uint32_t)m->data_len - off);

		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, off), s, n);
		s += n;
		len -= n;
		off = 0;
		m = m->next;
	}
}

/*
 * Make the packet one segment of len bytes (data from the first segment
 * kept). -1 if the first buffer has no room for len bytes.
 */
static inline int
pkt_reset(struct rte_mbuf *m, uint32_t len)
{
	if (len > (uint32_t)(m->buf_len - m->data_off))
		return -1;
	if (m->next != NULL) {
		rte_pktmbuf_free(m->next);
		m->next = NULL;
		m->nb_segs = 1;
	}
	m->data_len = len;
	m->pkt_len = len;
	return 0;
}

/*
 * Send a reply built in the received mbuf back out of its ingress port:
 * destination MAC = the sender's, source = the port's own.
 */
static inline void
send_back(struct rte_mbuf *m, struct zc_meta *md)
{
	struct rte_ether_addr buf[2];
	const struct rte_ether_addr *old;

	md->out_port = m->port;
	md->flags |= ZC_META_F_LOCAL;
	old = rte_pktmbuf_read(m, RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN,
			       &buf[1]);
	if (unlikely(old == NULL))
		return; /* cannot be: the first pass read the header */
	buf[0] = *old;
	buf[1] = zc_ports[m->port].mac;
	pkt_write(m, 0, buf, sizeof(buf));
}

/* ICMPv6 checksum sum (not complemented) over pseudo-header and message. */
static inline int
icmp6_sum(const struct rte_mbuf *m, const struct rte_ipv6_hdr *ip6,
	  uint32_t off, uint32_t len, uint16_t *out)
{
	struct {
		rte_be32_t len;
		uint8_t zero[3];
		uint8_t nh;
	} ph = { .len = rte_cpu_to_be_32(len), .nh = IPPROTO_ICMPV6 };
	uint32_t sum;
	uint16_t c;

	if (rte_raw_cksum_mbuf(m, off, len, &c) < 0)
		return -1;
	sum = __rte_raw_cksum(ip6->src_addr, 32, 0);
	sum = __rte_raw_cksum(&ph, sizeof(ph), sum);
	sum += c;
	*out = __rte_raw_cksum_reduce(sum);
	return 0;
}

static inline int
ipv6_is_unspec(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

static inline int
ipv6_is_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* ---- neighbours ------------------------------------------------------- */

/* Is ip in the subnet of port (or IPv6 link-local), and not ours? */
static inline int
neigh_on_link(const struct route_priv *rp, uint16_t port, uint8_t family,
	      const uint8_t *ip)
{
	const struct zc_route_port *pp = &rp->rt->port[port];

	if (family == AF_INET) {
		uint32_t a, mask;

		memcpy(&a, ip, 4);
		mask = pp->ipv4_len == 0 ? 0 :
		       rte_cpu_to_be_32(~0u << (32 - pp->ipv4_len));
		return pp->has_ipv4 && a != pp->ipv4 &&
		       ((a ^ pp->ipv4) & mask) == 0;
	}
	if (ipv6_is_linklocal(ip))
		return 1;
	if (pp->has_ipv6 && memcmp(ip, pp->ipv6, 16) != 0) {
		unsigned int bytes = pp->ipv6_len / 8, bits = pp->ipv6_len % 8;

		return memcmp(ip, pp->ipv6, bytes) == 0 &&
		       (bits == 0 ||
			((ip[bytes] ^ pp->ipv6[bytes]) & (0xff00 >> bits)) == 0);
	}
	return 0;
}

/*
 * Learn (port, ip) -> mac if allowed. 1 if the table holds it as learned
 * (added, changed or confirmed); 0 if not learned (learning off, a static
 * entry, an address from elsewhere, a full table).
 */
static inline int
neigh_hear(struct route_priv *rp, struct zc_route_lcore_stats *c,
	   uint16_t port, uint8_t family, const uint8_t *ip,
	   const struct rte_ether_addr *mac)
{
	struct zc_neigh *n;
	int ret;

	if (!rp->rt->learn || !rte_is_valid_assigned_ether_addr(mac))
		return 0;
	/* Only addresses of the port's subnet (or IPv6 link-local ones), or
	 * ones already in the table (a gateway being resolved); never over a
	 * static entry.
	 */
	n = zc_neigh_lookup(rp->nt, port, family, ip);
	if (n != NULL ? n->state == ZC_NEIGH_STATIC :
	    !neigh_on_link(rp, port, family, ip))
		return 0;
	ret = zc_neigh_learn(rp->nt, port, family, ip, mac);
	if (ret < 0) {
		c->learn_full++;
		return 0;
	}
	c->learned += ret;
	return 1;
}

/*
 * Turn the packet into an ARP request or a neighbour solicitation for
 * target, sent out of port. Keeps the packet's L2 header (VLAN tags).
 * 0, or -1 if no probe can be sent (no source address, no room).
 */
static int
build_probe(const struct route_priv *rp, struct rte_mbuf *m,
	    const struct zc_meta *md, uint16_t port, uint8_t family,
	    const uint8_t *target_in)
{
	const struct zc_route_port *pp = &rp->rt->port[port];
	const struct rte_ether_addr *smac = &zc_ports[port].mac;
	uint8_t l2[ROUTE_L2_MAX], target[16];
	struct rte_ether_hdr *eth;
	const void *p;
	uint16_t l2_len = md->l3_off;
	uint8_t *d;

	if (l2_len < sizeof(*eth) || l2_len > sizeof(l2) ||
	    (family == AF_INET6 && !pp->has_ipv6))
		return -1;
	memcpy(target, target_in, family == AF_INET ? 4 : 16);
	p = rte_pktmbuf_read(m, 0, l2_len, l2);
	if (p == NULL)
		return -1;
	if (p != l2)
		memcpy(l2, p, l2_len);
	if (pkt_reset(m, l2_len + (family == AF_INET ?
		      sizeof(struct rte_arp_hdr) :
		      sizeof(struct rte_ipv6_hdr) + sizeof(struct nd_msg))) < 0)
		return -1;
	d = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(d, l2, l2_len);
	eth = (struct rte_ether_hdr *)d;
	eth->src_addr = *smac;

	if (family == AF_INET) {
		struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(d + l2_len);

		memset(&eth->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
		*(rte_be16_t *)(d + l2_len - 2) =
			RTE_BE16(RTE_ETHER_TYPE_ARP);
		arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
		arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		arp->arp_hlen = RTE_ETHER_ADDR_LEN;
		arp->arp_plen = 4;
		arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
		arp->arp_data.arp_sha = *smac;
		arp->arp_data.arp_sip = pp->has_ipv4 ? pp->ipv4 : 0;
		memset(&arp->arp_data.arp_tha, 0, RTE_ETHER_ADDR_LEN);
		memcpy(&arp->arp_data.arp_tip, target, 4);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(d + l2_len);
		struct nd_msg *ns = (struct nd_msg *)(ip6 + 1);
		uint16_t sum = 0;

		/* Solicited-node multicast: ff02::1:ffXX:XXXX (RFC 4291). */
		eth->dst_addr = (struct rte_ether_addr){
			{ 0x33, 0x33, 0xff, target[13], target[14], target[15] }
		};
		*(rte_be16_t *)(d + l2_len - 2) =
			RTE_BE16(RTE_ETHER_TYPE_IPV6);
		ip6->vtc_flow = RTE_BE32(6u << 28);
		ip6->payload_len = rte_cpu_to_be_16(sizeof(*ns));
		ip6->proto = IPPROTO_ICMPV6;
		ip6->hop_limits = ND_HOP_LIMIT;
		memcpy(ip6->src_addr, pp->ipv6, 16);
		memset(ip6->dst_addr, 0, 16);
		ip6->dst_addr[0] = 0xff;
		ip6->dst_addr[1] = 0x02;
		ip6->dst_addr[11] = 0x01;
		ip6->dst_addr[12] = 0xff;
		memcpy(&ip6->dst_addr[13], &target[13], 3);
		memset(ns, 0, sizeof(*ns));
		ns->type = ND_SOLICIT;
		memcpy(ns->target, target, 16);
		ns->opt_type = ND_OPT_SLLA;
		ns->opt_len = 1;
		ns->opt_mac = *smac;
		icmp6_sum(m, ip6, l2_len + sizeof(*ip6), sizeof(*ns), &sum);
		ns->cksum = (uint16_t)~sum;
	}
	return 0;
}

/*
 * Next hop n (NULL: not in the table) has no MAC. With learning on, the
 * packet becomes the probe for it unless one went out in the last
 * probe_ms; otherwise it is dropped no_neighbour.
 */
static enum zc_drop_reason
resolve(struct route_priv *rp, struct zc_route_lcore_stats *c,
	struct rte_mbuf *m, struct zc_meta *md, struct zc_neigh *n,
	uint16_t port, uint8_t family, const uint8_t *target)
{
	uint64_t now;

	if (!rp->rt->learn)
		return ZC_DROP_NO_NEIGHBOUR;
	if (n == NULL) {
		n = zc_neigh_get(rp->nt, port, family, target);
		if (n == NULL) {
			c->learn_full++;
			return ZC_DROP_NO_NEIGHBOUR;
		}
	}
	now = rte_rdtsc();
	if (n->probe_tsc != 0 && now - n->probe_tsc < rp->probe_tsc)
		return ZC_DROP_NO_NEIGHBOUR;
	if (build_probe(rp, m, md, port, family, n->ip) < 0)
		return ZC_DROP_NO_NEIGHBOUR;
	n->probe_tsc = now;
	md->out_port = port;
	c->probes++;
	return ZC_DROP_MAX;
}

/* ---- packets for the router itself ----------------------------------- */

/* ARP: answer requests for the ingress port's address, learn senders. */
static enum zc_drop_reason
arp_input(struct route_priv *rp, struct zc_route_lcore_stats *c,
	  struct rte_mbuf *m, struct zc_meta *md)
{
	const struct zc_route_port *pp = &rp->rt->port[m->port];
	struct rte_arp_hdr buf, h;
	const struct rte_arp_hdr *arp;
	uint16_t op;
	int for_us, heard;

	arp = rte_pktmbuf_read(m, md->l3_off, sizeof(*arp), &buf);
	if (unlikely(arp == NULL))
		return ZC_DROP_ARP_TRUNCATED;
	h = *arp;
	if (h.arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    h.arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    h.arp_hlen != RTE_ETHER_ADDR_LEN || h.arp_plen != 4)
		return ZC_DROP_ARP_IGNORED;
	op = rte_be_to_cpu_16(h.arp_opcode);
	for_us = pp->has_ipv4 && h.arp_data.arp_tip == pp->ipv4;

	/* Like Linux: learn the sender of what is for us, and refresh a
	 * sender we already know from whatever it sends.
	 */
	heard = 0;
	if (h.arp_data.arp_sip != 0 &&
	    (for_us || zc_neigh_lookup(rp->nt, m->port, AF_INET,
				       &h.arp_data.arp_sip) != NULL))
		heard = neigh_hear(rp, c, m->port, AF_INET,
				   (const uint8_t *)&h.arp_data.arp_sip,
				   &h.arp_data.arp_sha);

	if (op == RTE_ARP_OP_REQUEST && for_us) {
		h.arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
		h.arp_data.arp_tha = h.arp_data.arp_sha;
		h.arp_data.arp_tip = h.arp_data.arp_sip;
		h.arp_data.arp_sha = zc_ports[m->port].mac;
		h.arp_data.arp_sip = pp->ipv4;
		pkt_write(m, md->l3_off, &h, sizeof(h));
		send_back(m, md);
		c->arp_replies++;
		return ZC_DROP_MAX;
	}
	return heard ? ZC_DROP_NEIGH_LEARNED : ZC_DROP_ARP_IGNORED;
}

/* Link-layer address option of an ND message, or NULL. -1 if malformed. */
static int
nd_lladdr(const struct rte_mbuf *m, uint32_t off, uint32_t end, uint8_t want,
	  struct rte_ether_addr *mac, int *found)
{
	*found = 0;
	while (off + 2 <= end) {
		uint8_t o[8];
		const uint8_t *p = rte_pktmbuf_read(m, off, 2, o);

		if (p == NULL || p[1] == 0 || off + p[1] * 8u > end)
			return -1;
		if (p[0] == want && p[1] == 1) {
			p = rte_pktmbuf_read(m, off, 8, o);
			if (p == NULL)
				return -1;
			memcpy(mac, p + 2, RTE_ETHER_ADDR_LEN);
			*found = 1;
		}
		off += p[1] * 8u;
	}
	return 0;
}

/*
 * Common checks of NS and NA (RFC 4861 7.1): hop limit 255, code 0, at
 * least 24 bytes, a correct checksum.
 */
static inline int
nd_valid(const struct rte_mbuf *m, const struct rte_ipv6_hdr *ip6,
	 const struct rte_icmp_hdr *icmp, uint32_t off, uint32_t len)
{
	uint16_t sum;

	return ip6->hop_limits == ND_HOP_LIMIT && icmp->icmp_code == 0 &&
	       len >= 24 && icmp6_sum(m, ip6, off, len, &sum) == 0 &&
	       sum == 0xffff;
}

/* Neighbour solicitation: answer for the ingress port's address. */
static enum zc_drop_reason
nd_solicit(struct route_priv *rp, struct zc_route_lcore_stats *c,
	   struct rte_mbuf *m, struct zc_meta *md,
	   const struct rte_ipv6_hdr *ip6, const struct rte_icmp_hdr *icmp,
	   uint32_t off, uint32_t len)
{
	const struct zc_route_port *pp = &rp->rt->port[m->port];
	const struct rte_ether_addr *smac = &zc_ports[m->port].mac;
	uint8_t tbuf[16], src[16], l2[ROUTE_L2_MAX];
	struct rte_ether_addr slla, dmac;
	const uint8_t *target;
	struct rte_ipv6_hdr *o6;
	struct nd_msg *na;
	uint16_t l2_len = md->l3_off, sum = 0;
	int has_slla, dad;
	const void *p;
	uint8_t *d;

	if (!nd_valid(m, ip6, icmp, off, len))
		return ZC_DROP_ND_IGNORED;
	target = rte_pktmbuf_read(m, off + 8, 16, tbuf);
	if (target == NULL)
		return ZC_DROP_L4_TRUNCATED;
	if (!pp->has_ipv6 || memcmp(target, pp->ipv6, 16) != 0)
		return ZC_DROP_ND_IGNORED;
	if (nd_lladdr(m, off + 24, off + len, ND_OPT_SLLA, &slla,
		      &has_slla) < 0)
		return ZC_DROP_ND_IGNORED;
	memcpy(src, ip6->src_addr, 16);
	dad = ipv6_is_unspec(src);
	if (dad && has_slla)
		return ZC_DROP_ND_IGNORED;
	if (has_slla)
		neigh_hear(rp, c, m->port, AF_INET6, src, &slla);
	if (l2_len < sizeof(struct rte_ether_hdr) || l2_len > sizeof(l2))
		return ZC_DROP_LOCAL;

	/* Where the answer goes: all-nodes for DAD, else the sender. */
	if (dad) {
		dmac = (struct rte_ether_addr){ { 0x33, 0x33, 0, 0, 0, 1 } };
		memset(src, 0, 16);
		src[0] = 0xff;
		src[1] = 0x02;
		src[15] = 0x01;
	} else if (has_slla) {
		dmac = slla;
	} else {
		const struct rte_ether_addr *e;

		e = rte_pktmbuf_read(m, RTE_ETHER_ADDR_LEN,
				     RTE_ETHER_ADDR_LEN, &dmac);
		dmac = *e;
	}
	p = rte_pktmbuf_read(m, 0, l2_len, l2);
	if (p == NULL)
		return ZC_DROP_L2_TRUNCATED;
	if (p != l2)
		memcpy(l2, p, l2_len);
	if (pkt_reset(m, l2_len + sizeof(*o6) + sizeof(*na)) < 0)
		return ZC_DROP_LOCAL;

	d = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(d, l2, l2_len);
	((struct rte_ether_hdr *)d)->dst_addr = dmac;
	((struct rte_ether_hdr *)d)->src_addr = *smac;
	o6 = (struct rte_ipv6_hdr *)(d + l2_len);
	o6->vtc_flow = RTE_BE32(6u << 28);
	o6->payload_len = rte_cpu_to_be_16(sizeof(*na));
	o6->proto = IPPROTO_ICMPV6;
	o6->hop_limits = ND_HOP_LIMIT;
	memcpy(o6->src_addr, pp->ipv6, 16);
	memcpy(o6->dst_addr, src, 16);
	na = (struct nd_msg *)(o6 + 1);
	memset(na, 0, sizeof(*na));
	na->type = ND_ADVERT;
	na->flags = ND_NA_F_ROUTER | ND_NA_F_OVERRIDE |
		    (dad ? 0 : ND_NA_F_SOLICITED);
	memcpy(na->target, pp->ipv6, 16);
	na->opt_type = ND_OPT_TLLA;
	na->opt_len = 1;
	na->opt_mac = *smac;
	icmp6_sum(m, o6, l2_len + sizeof(*o6), sizeof(*na), &sum);
	na->cksum = (uint16_t)~sum;

	md->out_port = m->port;
	md->flags |= ZC_META_F_LOCAL;
	c->na_replies++;
	return ZC_DROP_MAX;
}

/* Neighbour advertisement: learn the target's MAC. */
static enum zc_drop_reason
nd_advert(struct route_priv *rp, struct zc_route_lcore_stats *c,
	  struct rte_mbuf *m, const struct rte_ipv6_hdr *ip6,
	  const struct rte_icmp_hdr *icmp, uint32_t off, uint32_t len)
{
	uint8_t tbuf[20];
	const uint8_t *h;
	struct rte_ether_addr tlla;
	struct zc_neigh *n;
	int has_tlla;

	if (!nd_valid(m, ip6, icmp, off, len))
		return ZC_DROP_ND_IGNORED;
	h = rte_pktmbuf_read(m, off + 4, 20, tbuf);
	if (h == NULL)
		return ZC_DROP_L4_TRUNCATED;
	if (nd_lladdr(m, off + 24, off + len, ND_OPT_TLLA, &tlla,
		      &has_tlla) < 0 || !has_tlla || h[4] == 0xff)
		return ZC_DROP_ND_IGNORED;
	/* Without the override flag, a MAC we have is kept (RFC 4861 7.2.5). */
	n = zc_neigh_lookup(rp->nt, m->port, AF_INET6, h + 4);
	if (!(h[0] & ND_NA_F_OVERRIDE) && n != NULL &&
	    n->state != ZC_NEIGH_INCOMPLETE)
		return ZC_DROP_NEIGH_LEARNED;
	return neigh_hear(rp, c, m->port, AF_INET6, h + 4, &tlla) ?
	       ZC_DROP_NEIGH_LEARNED : ZC_DROP_ND_IGNORED;
}

/* IPv4 for one of our addresses: answer echo requests. */
static enum zc_drop_reason
local4(struct zc_route_lcore_stats *c, struct rte_mbuf *m, struct zc_meta *md,
       const struct rte_ipv4_hdr *ip)
{
	struct rte_ipv4_hdr h = *ip;
	struct rte_icmp_hdr ibuf, ih;
	const struct rte_icmp_hdr *icmp;
	uint32_t hl = (h.version_ihl & 0xf) * 4u;
	uint16_t old, new;

	if (h.fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
					 RTE_IPV4_HDR_OFFSET_MASK))
		return ZC_DROP_FRAGMENT;
	if (h.next_proto_id != IPPROTO_ICMP)
		return ZC_DROP_LOCAL;
	if (rte_be_to_cpu_16(h.total_length) < hl + 8 ||
	    (uint32_t)md->l3_off + rte_be_to_cpu_16(h.total_length) >
	    m->pkt_len)
		return ZC_DROP_L4_TRUNCATED;
	icmp = rte_pktmbuf_read(m, md->l3_off + hl, sizeof(*icmp), &ibuf);
	if (icmp == NULL)
		return ZC_DROP_L4_TRUNCATED;
	ih = *icmp;
	if (ih.icmp_type != RTE_IP_ICMP_ECHO_REQUEST || ih.icmp_code != 0)
		return ZC_DROP_LOCAL;

	/* ICMP: type 8 -> 0, checksum updated for that one word. */
	memcpy(&old, &ih, 2);
	ih.icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	memcpy(&new, &ih, 2);
	ih.icmp_cksum = zc_csum_replace16(ih.icmp_cksum, old, new);
	pkt_write(m, md->l3_off + hl, &ih, 4);

	/* IP: addresses swapped (the sum is unchanged), fresh TTL. */
	memcpy(&old, &h.time_to_live, 2);
	h.time_to_live = ECHO_TTL;
	memcpy(&new, &h.time_to_live, 2);
	h.hdr_checksum = zc_csum_replace16(h.hdr_checksum, old, new);
	RTE_SWAP(h.src_addr, h.dst_addr);
	pkt_write(m, md->l3_off, &h, sizeof(h));

	send_back(m, md);
	c->echo_replies++;
	return ZC_DROP_MAX;
}

/* IPv6 for us (a local address, or multicast): echo and ND. */
static enum zc_drop_reason
local6(struct route_priv *rp, struct zc_route_lcore_stats *c,
       struct rte_mbuf *m, struct zc_meta *md, int mcast)
{
	struct rte_ipv6_hdr buf, h;
	const struct rte_ipv6_hdr *ip6;
	struct rte_icmp_hdr ibuf, ih;
	const struct rte_icmp_hdr *icmp;
	uint32_t off, end, len;
	uint16_t old, new;

	ip6 = rte_pktmbuf_read(m, md->l3_off, sizeof(*ip6), &buf);
	if (ip6 == NULL)
		return ZC_DROP_IPV6_TRUNCATED;
	h = *ip6;
	end = md->l3_off + sizeof(h) + rte_be_to_cpu_16(h.payload_len);
	if (end > m->pkt_len)
		return ZC_DROP_IPV6_BAD_PLEN;
	if (md->flags & ZC_META_F_FRAG)
		return ZC_DROP_FRAGMENT;
	if (md->flags & ZC_META_F_L4) {
		if (md->l4_proto != IPPROTO_ICMPV6)
			return ZC_DROP_LOCAL;
		off = md->l4_off;
	} else if (h.proto == IPPROTO_ICMPV6) {
		off = md->l3_off + sizeof(h);
	} else {
		return ZC_DROP_LOCAL;
	}
	if (off + sizeof(ih) > end)
		return ZC_DROP_L4_TRUNCATED;
	len = end - off;
	icmp = rte_pktmbuf_read(m, off, sizeof(*icmp), &ibuf);
	if (icmp == NULL)
		return ZC_DROP_L4_TRUNCATED;
	ih = *icmp;

	switch (ih.icmp_type) {
	case ND_SOLICIT:
		return nd_solicit(rp, c, m, md, &h, &ih, off, len);
	case ND_ADVERT:
		return nd_advert(rp, c, m, &h, &ih, off, len);
	case ICMP6_ECHO_REQUEST:
		if (mcast || ih.icmp_code != 0)
			return ZC_DROP_LOCAL;
		if (len < 8)
			return ZC_DROP_L4_TRUNCATED;
		break;
	default:
		return ZC_DROP_LOCAL;
	}

	/* Echo reply: type 128 -> 129; swapping the addresses leaves the
	 * pseudo-header sum as it was.
	 */
	memcpy(&old, &ih, 2);
	ih.icmp_type = ICMP6_ECHO_REPLY;
	memcpy(&new, &ih, 2);
	ih.icmp_cksum = zc_csum_replace16(ih.icmp_cksum, old, new);
	pkt_write(m, off, &ih, 4);
	h.hop_limits = ECHO_TTL;
	memcpy(h.src_addr, ip6->dst_addr, 16);
	memcpy(h.dst_addr, ip6->src_addr, 16);
	pkt_write(m, md->l3_off, &h, sizeof(h));

	send_back(m, md);
	c->echo_replies++;
	return ZC_DROP_MAX;
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

static inline enum zc_drop_reason
forward4(struct route_priv *rp, struct zc_route_lcore_stats *c,
	 struct rte_mbuf *m, struct zc_meta *md, uint32_t idx)
{
	struct zc_route_slot *r = &rp->slot[idx];
	struct rte_ipv4_hdr buf;
	const struct rte_ipv4_hdr *ip;
	const struct route_egress *eg;
	struct zc_neigh *n;
	uint16_t out = r->port;
	int in_place;

	r->hits++;
	/* Parse checked that the header is whole; in the first segment it
	 * is written where it lies.
	 */
	in_place = likely(m->data_len >= md->l3_off + sizeof(*ip));
	ip = in_place ?
	     rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, md->l3_off) :
	     rte_pktmbuf_read(m, md->l3_off, sizeof(*ip), &buf);
	if (unlikely(r->kind == ZC_ROUTE_LOCAL))
		return local4(c, m, md, ip);
	if (unlikely(ip->time_to_live <= 1))
		return ZC_DROP_TTL_EXPIRED;
	eg = &rp->egress[out];
	if (unlikely(too_big(m, md, eg)))
		return ZC_DROP_TOO_BIG;
	if (likely(r->kind == ZC_ROUTE_VIA))
		n = r->nb != ZC_ROUTE_NO_NB ? &rp->nt->e[r->nb] : NULL;
	else
		n = zc_neigh_lookup(rp->nt, out, AF_INET, &ip->dst_addr);
	if (unlikely(n == NULL || n->state == ZC_NEIGH_INCOMPLETE))
		return resolve(rp, c, m, md, n, out, AF_INET,
			       r->kind == ZC_ROUTE_VIA ?
			       rp->rt->routes[idx].nh :
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
	c->forwarded++;
	return ZC_DROP_MAX;
}

static inline enum zc_drop_reason
forward6(struct route_priv *rp, struct zc_route_lcore_stats *c,
	 struct rte_mbuf *m, struct zc_meta *md, uint32_t idx)
{
	struct zc_route_slot *r = &rp->slot[idx];
	struct rte_ipv6_hdr buf;
	const struct rte_ipv6_hdr *ip6;
	const struct route_egress *eg;
	struct zc_neigh *n;
	uint16_t out = r->port;
	uint8_t hop;
	int in_place;

	r->hits++;
	if (unlikely(r->kind == ZC_ROUTE_LOCAL))
		return local6(rp, c, m, md, 0);
	in_place = likely(m->data_len >= md->l3_off + sizeof(*ip6));
	ip6 = in_place ?
	      rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, md->l3_off) :
	      rte_pktmbuf_read(m, md->l3_off, sizeof(*ip6), &buf);
	if (unlikely(ip6->hop_limits <= 1))
		return ZC_DROP_TTL_EXPIRED;
	eg = &rp->egress[out];
	if (unlikely(too_big(m, md, eg)))
		return ZC_DROP_TOO_BIG;
	if (likely(r->kind == ZC_ROUTE_VIA))
		n = r->nb != ZC_ROUTE_NO_NB ? &rp->nt->e[r->nb] : NULL;
	else
		n = zc_neigh_lookup(rp->nt, out, AF_INET6, ip6->dst_addr);
	if (unlikely(n == NULL || n->state == ZC_NEIGH_INCOMPLETE))
		return resolve(rp, c, m, md, n, out, AF_INET6,
			       r->kind == ZC_ROUTE_VIA ?
			       rp->rt->routes[idx].nh : ip6->dst_addr);

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
route_classify(const struct route_priv *rp, struct rte_mbuf *m,
	       const struct zc_meta *md, uint32_t *ip4, uint8_t *dst6,
	       uint8_t *reason)
{
	union {
		struct rte_ether_hdr eth;
		struct rte_ipv4_hdr v4;
		struct rte_ipv6_hdr v6;
	} buf;
	const struct rte_ether_hdr *eth;

	if (md->out_port != ZC_PORT_NONE)
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
	struct route_priv *rp = st->priv;
	const struct zc_route_table *rt = rp->rt;
	struct zc_route_lcore_stats c;
	uint32_t ip4[ZC_BURST_MAX];
	uint8_t ip6[ZC_BURST_MAX][16];
	uint64_t nh4[ZC_BURST_MAX], nh6[ZC_BURST_MAX];
	uint8_t act[ZC_BURST_MAX], reason[ZC_BURST_MAX];
	uint16_t slot[ZC_BURST_MAX];
	const int moff = zc_meta_offset; /* not reloaded per packet */
	uint16_t i, n4 = 0, n6 = 0, kept = 0;

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
	if (n4 != 0) {
		if (rt->fib4 != NULL)
			rte_fib_lookup_bulk(rt->fib4, ip4, nh4, n4);
		else
			for (i = 0; i < n4; i++)
				nh4[i] = rt->none4;
	}
	if (n6 != 0) {
		if (rt->fib6 != NULL)
			rte_fib6_lookup_bulk(rt->fib6, ip6, nh6, n6);
		else
			for (i = 0; i < n6; i++)
				nh6[i] = rt->none6;
	}

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
			r = nh == rt->none4 ? ZC_DROP_NO_ROUTE :
			    forward4(rp, &c, m, md, (uint32_t)nh);
			break;
		case ACT_V6:
			nh = nh6[slot[i]];
			r = nh == rt->none6 ? ZC_DROP_NO_ROUTE :
			    forward6(rp, &c, m, md, (uint32_t)nh);
			break;
		case ACT_V6_MCAST:
			r = local6(rp, &c, m, md, 1);
			break;
		case ACT_ARP:
			r = arp_input(rp, &c, m, md);
			break;
		default:
			r = reason[i];
			break;
		}
		if (unlikely(zc_trace_pkt(m))) {
			if (act[i] == ACT_V4 || act[i] == ACT_V6) {
				nh = act[i] == ACT_V4 ? nh4[slot[i]] :
							 nh6[slot[i]];
				if (nh == (act[i] == ACT_V4 ? rt->none4 :
					   rt->none6))
					zc_trace_note(m, "no route");
				else
					zc_trace_note(m, "route %u (see /zcpipe/routes) -> port %u",
						      (unsigned int)nh,
						      md->out_port);
			} else if (act[i] == ACT_POLICY) {
				zc_trace_note(m, "policy: egress set by the ACL");
			}
		}
		if (likely(r == ZC_DROP_MAX))
			pkts[kept++] = m;
		else
			zc_stage_drop(st, m, r);
	}

	rp->stats->forwarded += c.forwarded;
	rp->stats->policy += c.policy;
	rp->stats->arp_replies += c.arp_replies;
	rp->stats->na_replies += c.na_replies;
	rp->stats->echo_replies += c.echo_replies;
	rp->stats->probes += c.probes;
	rp->stats->learned += c.learned;
	rp->stats->learn_full += c.learn_full;
	return kept;
}

static void
route_release(struct route_priv *rp)
{
	zc_neigh_table_free(rp->nt);
	if (rp->rt != NULL)
		zc_route_put();
	rte_free(rp);
}

static int
route_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	const struct zc_config *cfg = p->cfg;
	struct route_priv *rp;
	uint32_t i, nb4 = 0, nb6 = 0;

	st->priv = NULL;
	rp = rte_zmalloc_socket("zc_route", sizeof(*rp), RTE_CACHE_LINE_SIZE,
				p->socket_id);
	if (rp == NULL)
		return -ENOMEM;
	rp->rt = zc_route_get(cfg, p->socket_id);
	if (rp->rt == NULL) {
		route_release(rp);
		return -1; /* zc_config_strerror() says why */
	}
	rp->slot = zc_route_hits_row(p->lcore_id, p->socket_id);
	rp->nt = zc_neigh_table_create(rp->rt, p->socket_id);
	if (rp->slot == NULL || rp->nt == NULL) {
		route_release(rp);
		return zc_config_error(cfg, "route", NULL,
				       "out of memory for the neighbour table and counters");
	}
	/* Resolve each gateway once: its entry never moves. */
	for (i = 0; i < rp->rt->nb_routes; i++) {
		const struct zc_route *r = &rp->rt->routes[i];

		if (r->family == AF_INET)
			nb4++;
		else
			nb6++;
		if (r->kind == ZC_ROUTE_VIA) {
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
	if (zc_actions_setup(cfg) < 0) {
		route_release(rp);
		return -1;
	}
	for (i = 0; i < ZC_MAX_PORTS; i++) {
		rp->egress[i].mac = zc_ports[i].mac;
		rp->egress[i].mtu = zc_ports[i].mtu;
	}
	rp->probe_tsc = rte_get_tsc_hz() / 1000 * rp->rt->probe_ms;
	rp->stats = &zc_route_stats[p->lcore_id];
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
	.may_read = ZC_MD_L4 | ZC_MD_EGRESS,
	.writes = ZC_MD_EGRESS,
	.modes = ZC_MODE_BIT(ZC_MODE_ROUTER),
	.default_modes = ZC_MODE_BIT(ZC_MODE_ROUTER),
	.rank = 30,
	.init = route_init,
	.fini = route_fini,
	.process = route_process,
};

ZC_STAGE_REGISTER(route_stage);
