/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Neighbours of the route stage: ARP and neighbour discovery input,
 * learning, and the resolution of a next hop that has no MAC yet.
 *
 * Reads:  ARP headers; IPv6 neighbour solicitations and advertisements
 *         (hop limit, code, checksum and options checked, RFC 4861 7.1);
 *         the lcore's neighbour table and the router's port addresses.
 * Writes: the lcore's neighbour table (learned entries: senders of what is
 *         for us, known neighbours refreshed, advertised targets); ARP
 *         replies and neighbour advertisements built in the request's own
 *         mbuf; ARP requests and neighbour solicitations built in the mbuf
 *         of a packet whose next hop has no MAC yet (one probe per
 *         neighbour per [route] probe_ms).
 * Next:   replies to the ingress port, probes to the egress port (out_port
 *         set, back to route.c); else arp_ignored, nd_ignored,
 *         neigh_learned, no_neighbour, or a header reason.
 *
 * All of it is off the forwarding path: route.c calls in here only for
 * ARP, for ND carried to one of our addresses, and for a next hop that is
 * not resolved. docs/routing.md has the behaviour.
 */

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "core/zc_meta.h"
#include "core/zc_port.h"
#include "route/route_priv.h"
#include "route/zc_route.h"

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

/* ICMPv6 checksum sum (not complemented) over pseudo-header and message. */
static inline int
icmpv6_sum(const struct rte_mbuf *m, const struct rte_ipv6_hdr *ip6,
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
neigh_on_link(const struct zc_route_dp *rp, uint16_t port, uint8_t family,
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
neigh_hear(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
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
build_probe(const struct zc_route_dp *rp, struct rte_mbuf *m,
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
		icmpv6_sum(m, ip6, l2_len + sizeof(*ip6), sizeof(*ns), &sum);
		ns->cksum = (uint16_t)~sum;
	}
	return 0;
}

/*
 * Next hop n (NULL: not in the table) has no MAC. With learning on, the
 * packet becomes the probe for it unless one went out in the last
 * probe_ms; otherwise it is dropped no_neighbour.
 */
enum zc_drop_reason
zc_route_resolve(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
		 struct rte_mbuf *m, struct zc_meta *md, struct zc_neigh *n,
		 uint16_t port, uint8_t family, const uint8_t *target)
{
	uint64_t now;

	if (!rp->rt->learn)
		return ZC_DROP_NO_NEIGHBOUR;
	if (n == NULL) {
		n = target != NULL ? zc_neigh_get(rp->nt, port, family, target) :
				     NULL;
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

/* ARP: answer requests for the ingress port's address, learn senders. */
enum zc_drop_reason
zc_route_arp_input(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
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
	       len >= 24 && icmpv6_sum(m, ip6, off, len, &sum) == 0 &&
	       sum == 0xffff;
}

/* Neighbour solicitation: answer for the ingress port's address. */
static enum zc_drop_reason
nd_solicit(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
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
	icmpv6_sum(m, o6, l2_len + sizeof(*o6), sizeof(*na), &sum);
	na->cksum = (uint16_t)~sum;

	md->out_port = m->port;
	md->flags |= ZC_META_F_LOCAL;
	c->na_replies++;
	return ZC_DROP_MAX;
}

/* Neighbour advertisement: learn the target's MAC. */
static enum zc_drop_reason
nd_advert(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
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


enum zc_drop_reason
zc_route_nd_input(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
		  struct rte_mbuf *m, struct zc_meta *md,
		  const struct rte_ipv6_hdr *ip6,
		  const struct rte_icmp_hdr *icmp, uint32_t off, uint32_t len)
{
	if (icmp->icmp_type == ND_SOLICIT)
		return nd_solicit(rp, c, m, md, ip6, icmp, off, len);
	return nd_advert(rp, c, m, ip6, icmp, off, len);
}
