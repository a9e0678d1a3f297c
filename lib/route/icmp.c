/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * ICMP and ICMPv6 errors of the route stage: Time Exceeded, Destination
 * Unreachable (no route; administratively prohibited for an ACL reject
 * rule), Fragmentation Needed and Packet Too Big (RFC 792, RFC 1191,
 * RFC 1812 4.3, RFC 4443 3).
 *
 * Reads:  the packet's Ethernet and IP headers, the type of an ICMP or
 *         ICMPv6 message it carries; zc_meta l3_type, l3_off, flags,
 *         l4_off, l4_proto, decap; the router's port addresses.
 * Writes: the packet itself becomes the error, without copying it: it is
 *         cut to what the error quotes, the Ethernet header is taken off
 *         and a new Ethernet, IP and ICMP header written in front, in the
 *         packet's headroom or, if it has none to spare or is shared, in
 *         a header segment chained in front; checksums computed over the
 *         chain; zc_meta (out_port = the ingress port, LOCAL, L4 at the
 *         ICMP header); offload requests cleared.
 * Next:   the error goes on to the ingress port through act and tx like
 *         any reply (counted as sent); otherwise the packet is dropped
 *         by the caller under the reason it was not forwarded (counted
 *         as suppressed).
 *
 * No error is sent (RFC 1812 4.3.2.7, RFC 4443 2.4(e)) about an ICMP
 * error, a non-first fragment, a packet whose source is not one host
 * (unspecified, loopback, multicast, broadcast, class E, a subnet's
 * broadcast address), a packet to a multicast or broadcast address or
 * received as a link-layer broadcast or multicast, nor a decapsulated
 * packet (its source is behind a tunnel, not on the ingress link). Each
 * lcore's token bucket ([route] icmp_rate) bounds how many are sent.
 */

#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "actions/zc_actions.h"
#include "core/zc_counter.h"
#include "core/zc_meta.h"
#include "core/zc_port.h"
#include "route/route_priv.h"
#include "actions/zc_frag.h"
#include "route/zc_icmp.h"
#include "core/zc_trace.h"

struct zc_icmp_lcore_stats zc_icmp_stats[RTE_MAX_LCORE];

/* Longest error: RFC 1812 4.3.2.3 (IPv4), RFC 4443 2.4(c) (IPv6). */
#define ICMP4_ERR_MAX 576
#define ICMP6_ERR_MAX 1280

/* ICMP header: type, code, checksum and the 4 bytes after them. */
#define ICMP_HDR_LEN 8

/* TTL / hop limit of the errors. */
#define ERR_TTL 64

/*
 * TOS of IPv4 errors, as Linux sets it: precedence 6 (internetwork
 * control, RFC 1812 4.3.2.5) and the TOS bits of the packet.
 */
#define ERR_TOS_PREC 0xc0
#define ERR_TOS_KEEP 0x1e

/* Offload requests an error must not keep. */
#define ERR_CLEAR_TX RTE_MBUF_F_TX_OFFLOAD_MASK

static const struct {
	uint8_t type;
	uint8_t code;
} icmp_tc[2][ZC_ICMP_KIND_MAX] = {
	{
		[ZC_ICMP_TIME_EXCEEDED] = { 11, 0 },
		[ZC_ICMP_UNREACHABLE] = { 3, 0 },
		[ZC_ICMP_PROHIBITED] = { 3, 13 },
		[ZC_ICMP_TOO_BIG] = { 3, 4 },
	},
	{
		[ZC_ICMP_TIME_EXCEEDED] = { 3, 0 },
		[ZC_ICMP_UNREACHABLE] = { 1, 0 },
		[ZC_ICMP_PROHIBITED] = { 1, 1 },
		[ZC_ICMP_TOO_BIG] = { 2, 0 },
	},
};

static const char *const kind_names[2][ZC_ICMP_KIND_MAX] = {
	{ "time_exceeded", "unreachable", "prohibited", "frag_needed" },
	{ "time_exceeded6", "unreachable6", "prohibited6", "packet_too_big6" },
};

/* As the trace shows them. */
static const char *const kind_text[2][ZC_ICMP_KIND_MAX] = {
	{ "time-exceeded", "unreachable", "admin-prohibited", "frag-needed" },
	{ "time-exceeded", "unreachable", "admin-prohibited",
	  "packet-too-big" },
};

/* ---- counters ---------------------------------------------------------- */

void
zc_icmp_stats_sum(struct zc_icmp_lcore_stats *sum)
{
	unsigned int l, f, k;

	memset(sum, 0, sizeof(*sum));
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const struct zc_icmp_lcore_stats *s = &zc_icmp_stats[l];

		for (f = 0; f < 2; f++)
			for (k = 0; k < ZC_ICMP_KIND_MAX; k++) {
				sum->sent[f][k] += s->sent[f][k];
				sum->suppressed[f][k] += s->suppressed[f][k];
			}
		sum->rate_limited += s->rate_limited;
	}
}

void
zc_icmp_stats_reset(void)
{
	memset(zc_icmp_stats, 0, sizeof(zc_icmp_stats));
}

const char *
zc_icmp_kind_name(unsigned int family6, enum zc_icmp_kind k)
{
	if (family6 > 1 || k >= ZC_ICMP_KIND_MAX)
		return "unknown";
	return kind_names[family6][k];
}

/* The counter group "icmp" (core/zc_counter.h). */
#define ICMP_DESC(arr, f, k, what, name_, help_) \
	{ \
		.name = what "/" name_, \
		.unit = "packets", \
		.help = help_, \
		.kind = ZC_COUNTER_KIND_COUNTER, \
		.offset = offsetof(struct zc_icmp_lcore_stats, arr[f][k]), \
	},
#define ICMP_KIND(f, k, name, what) \
	ICMP_DESC(sent, f, k, "sent", name, "ICMP errors sent: " what ".") \
	ICMP_DESC(suppressed, f, k, "suppressed", name, \
		  "ICMP errors not sent (packet dropped): " what ".")

static const struct zc_counter_desc icmp_desc[] = {
	ICMP_KIND(0, ZC_ICMP_TIME_EXCEEDED, "time_exceeded",
		  "IPv4 time exceeded (type 11), TTL expired")
	ICMP_KIND(0, ZC_ICMP_UNREACHABLE, "unreachable",
		  "IPv4 network unreachable (type 3 code 0), no route")
	ICMP_KIND(0, ZC_ICMP_PROHIBITED, "prohibited",
		  "IPv4 administratively prohibited (type 3 code 13), ACL reject")
	ICMP_KIND(0, ZC_ICMP_TOO_BIG, "frag_needed",
		  "IPv4 fragmentation needed (type 3 code 4), DF set, too big")
	ICMP_KIND(1, ZC_ICMP_TIME_EXCEEDED, "time_exceeded6",
		  "ICMPv6 time exceeded (type 3), hop limit expired")
	ICMP_KIND(1, ZC_ICMP_UNREACHABLE, "unreachable6",
		  "ICMPv6 no route to destination (type 1 code 0)")
	ICMP_KIND(1, ZC_ICMP_PROHIBITED, "prohibited6",
		  "ICMPv6 administratively prohibited (type 1 code 1), ACL reject")
	ICMP_KIND(1, ZC_ICMP_TOO_BIG, "packet_too_big6",
		  "ICMPv6 packet too big (type 2)")
	{
		.name = "rate_limited",
		.unit = "packets",
		.help = "ICMP errors not sent because the lcore's token bucket ([route] icmp_rate) was empty.",
		.kind = ZC_COUNTER_KIND_COUNTER,
		.offset = offsetof(struct zc_icmp_lcore_stats, rate_limited),
	},
};

static struct zc_counter_group icmp_group = {
	.name = "icmp",
	.help = "ICMP and ICMPv6 errors of the router, sent or suppressed, by type.",
	.base = zc_icmp_stats,
	.stride = sizeof(zc_icmp_stats[0]),
	.nb_rows = RTE_DIM(zc_icmp_stats),
	.desc = icmp_desc,
	.nb_desc = RTE_DIM(icmp_desc),
};

ZC_COUNTER_GROUP_REGISTER(icmp_group);


/* ---- rate limit -------------------------------------------------------- */

void
zc_route_icmp_init(struct route_icmp *ri, uint32_t rate,
		   unsigned int lcore_id, struct rte_mempool *hdr_pool)
{
	memset(ri, 0, sizeof(*ri));
	if (rate != 0) {
		ri->cost = RTE_MAX(rte_get_tsc_hz() / rate, (uint64_t)1);
		ri->depth = ri->cost * RTE_MAX(rate / 20, 1u);
	}
	ri->credit = ri->depth;
	ri->last = rte_rdtsc();
	ri->stats = &zc_icmp_stats[lcore_id];
	ri->hdr_pool = hdr_pool;
}

/* Take a message's worth of credit: 1 if there was enough. */
static inline int
bucket_take(struct route_icmp *ri)
{
	uint64_t now = rte_rdtsc();
	uint64_t credit = ri->credit + (now - ri->last);

	ri->last = now;
	if (credit > ri->depth)
		credit = ri->depth;
	if (credit < ri->cost) {
		ri->credit = credit;
		return 0;
	}
	ri->credit = credit - ri->cost;
	return 1;
}

/* ---- may an error be sent? --------------------------------------------- */

/* IPv4 ICMP types that are not errors (RFC 792, 950): echo, router
 * advertisement and solicitation, timestamp, information, address mask.
 * Anything else, unknown types included, is treated as an error.
 */
static inline int
icmp4_is_query(uint8_t type)
{
	return type == 0 || type == 8 || type == 9 || type == 10 ||
	       (type >= 13 && type <= 18);
}

/* Is a (host order) the broadcast address of one of our subnets? */
static int
subnet_broadcast(const struct zc_route_dp *rp, uint32_t a)
{
	unsigned int i;

	for (i = 0; i < ZC_MAX_PORTS; i++) {
		const struct zc_route_port *pp = &rp->rt->port[i];
		uint32_t mask;

		if (!pp->has_ipv4 || pp->ipv4_len == 0 || pp->ipv4_len > 30)
			continue;
		mask = ~0u << (32 - pp->ipv4_len);
		if ((a & mask) == (rte_be_to_cpu_32(pp->ipv4) & mask) &&
		    (a | mask) == UINT32_MAX)
			return 1;
	}
	return 0;
}

/* Why no error may be sent about this IPv4 packet, or NULL. */
static const char *
icmp4_forbidden(const struct zc_route_dp *rp, const struct rte_mbuf *m,
		const struct zc_meta *md, const struct rte_ipv4_hdr *ip)
{
	uint32_t src = rte_be_to_cpu_32(ip->src_addr);
	uint32_t dst = rte_be_to_cpu_32(ip->dst_addr);
	uint32_t hl = rte_ipv4_hdr_len(ip);

	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK))
		return "non-first fragment";
	/* 0/8 as a whole, loopback, multicast, class E and broadcast. */
	if ((src >> 24) == 0 || (src >> 24) == 127 || (src >> 28) >= 0xe ||
	    subnet_broadcast(rp, src))
		return "source is not one host";
	if ((dst >> 28) >= 0xe || subnet_broadcast(rp, dst))
		return "multicast or broadcast destination";
	if (ip->next_proto_id == IPPROTO_ICMP &&
	    rte_be_to_cpu_16(ip->total_length) > hl) {
		uint8_t b;
		const uint8_t *t = rte_pktmbuf_read(m, md->l3_off + hl, 1, &b);

		if (t != NULL && !icmp4_is_query(*t))
			return "about an ICMP error";
	}
	return NULL;
}

/* Why no error may be sent about this IPv6 packet, or NULL. */
static const char *
icmp6_forbidden(const struct rte_mbuf *m, const struct zc_meta *md,
		const struct rte_ipv6_hdr *ip6)
{
	static const uint8_t zero[16];
	static const uint8_t loopback[16] = { [15] = 1 };
	uint32_t off = 0;

	if (md->flags & ZC_META_F_FRAG_NF)
		return "non-first fragment";
	if (memcmp(ip6->src_addr, zero, 16) == 0 ||
	    memcmp(ip6->src_addr, loopback, 16) == 0 ||
	    ip6->src_addr[0] == 0xff)
		return "source is not one host";
	if (ip6->dst_addr[0] == 0xff)
		return "multicast destination";
	if ((md->flags & ZC_META_F_L4) && md->l4_proto == IPPROTO_ICMPV6)
		off = md->l4_off;
	else if (ip6->proto == IPPROTO_ICMPV6)
		off = md->l3_off + sizeof(*ip6);
	if (off != 0 && off < m->pkt_len) {
		uint8_t b;
		const uint8_t *t = rte_pktmbuf_read(m, off, 1, &b);

		/* Types below 128 are errors (RFC 4443 2.1). */
		if (t != NULL && *t < 128)
			return "about an ICMPv6 error";
	}
	return NULL;
}

/* The address errors to this port come from: its own, else the first
 * port's that has one of the family. NULL if the router has none.
 */
static const uint8_t *
source_address(const struct zc_route_dp *rp, uint16_t port, int v6)
{
	const struct zc_route_port *pp = &rp->rt->port[port];
	unsigned int i;

	if (v6 ? pp->has_ipv6 : pp->has_ipv4)
		return v6 ? pp->ipv6 : (const uint8_t *)&pp->ipv4;
	for (i = 0; i < ZC_MAX_PORTS; i++) {
		pp = &rp->rt->port[i];
		if (v6 ? pp->has_ipv6 : pp->has_ipv4)
			return v6 ? pp->ipv6 : (const uint8_t *)&pp->ipv4;
	}
	return NULL;
}

/* ---- building the error ------------------------------------------------ */

/* What the error needs of the packet's IP header. */
struct orig {
	uint32_t dlen;     /* Datagram length (IP header included). */
	uint8_t tos;       /* IPv4 TOS. */
	uint8_t src[16];   /* Source address; IPv4 in the first 4 bytes. */
};

/* A header segment of len bytes in front of m, which it takes the mbuf
 * fields of. NULL if the pool is empty or the chain is too long.
 */
static struct rte_mbuf *
head_segment(struct rte_mbuf *m, uint16_t len, struct rte_mempool *pool)
{
	struct rte_mbuf *h = rte_pktmbuf_alloc(pool);

	if (h == NULL)
		return NULL;
	if (rte_pktmbuf_prepend(h, len) == NULL ||
	    rte_pktmbuf_chain(h, m) != 0) {
		rte_pktmbuf_free_seg(h);
		return NULL;
	}
	h->port = m->port;
	h->vlan_tci = m->vlan_tci;
	h->vlan_tci_outer = m->vlan_tci_outer;
	h->hash = m->hash;
	h->packet_type = m->packet_type;
	h->ol_flags = m->ol_flags & ~(RTE_MBUF_F_INDIRECT |
				      RTE_MBUF_F_EXTERNAL);
	rte_mbuf_dynfield_copy(h, m);
	return h;
}

/*
 * Turn *mp into the error. NULL on success (*mp the error), else why not
 * (*mp unchanged but for the bytes past what an error quotes).
 */
static const char *
icmp_build(struct zc_route_dp *rp, struct rte_mbuf **mp, int v6,
	   enum zc_icmp_kind kind, uint32_t mtu, const struct orig *o,
	   const uint8_t *saddr)
{
	struct route_icmp *ri = &rp->icmp;
	struct rte_mbuf *m = *mp;
	struct zc_meta *md = zc_meta(m);
	const uint16_t l2_len = md->l3_off;
	const uint16_t ip_len = v6 ? sizeof(struct rte_ipv6_hdr) :
				     sizeof(struct rte_ipv4_hdr);
	const uint16_t hdr = ip_len + ICMP_HDR_LEN;
	uint8_t l2[ROUTE_L2_MAX];
	struct rte_ether_hdr *eth;
	uint32_t limit, quote, in_mtu;
	uint16_t sum;
	uint8_t *d, *icmp;

	if (l2_len < sizeof(*eth) || l2_len > sizeof(l2) ||
	    l2_len > m->data_len)
		return "L2 header not in the first segment";
	memcpy(l2, rte_pktmbuf_mtod(m, const void *), l2_len);

	/* As much of the packet as fits in the error's size limit, and in
	 * the ingress link's MTU.
	 */
	limit = v6 ? ICMP6_ERR_MAX : ICMP4_ERR_MAX;
	in_mtu = rp->egress[m->port].mtu;
	if (in_mtu != 0 && in_mtu < limit)
		limit = in_mtu;
	if (limit <= hdr)
		return "ingress MTU too small";
	quote = RTE_MIN(o->dlen, limit - hdr);
	quote = RTE_MIN(quote, m->pkt_len - l2_len);
	zc_pkt_trim_to(m, l2_len + quote);

	rte_pktmbuf_adj(m, l2_len);
	if (RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1 &&
	    rte_pktmbuf_headroom(m) >= l2_len + hdr) {
		d = (uint8_t *)rte_pktmbuf_prepend(m, l2_len + hdr);
	} else {
		struct rte_mbuf *h = head_segment(m, l2_len + hdr,
						  ri->hdr_pool);

		if (h == NULL) {
			rte_pktmbuf_prepend(m, l2_len);
			return "no header segment";
		}
		m = h;
		d = rte_pktmbuf_mtod(m, uint8_t *);
	}

	/* Ethernet: back to the sender, from this port; tags kept. */
	memcpy(d, l2, l2_len);
	eth = (struct rte_ether_hdr *)d;
	eth->dst_addr = ((const struct rte_ether_hdr *)l2)->src_addr;
	eth->src_addr = zc_ports[m->port].mac;
	icmp = d + l2_len + ip_len;
	memset(icmp, 0, ICMP_HDR_LEN);
	icmp[0] = icmp_tc[v6][kind].type;
	icmp[1] = icmp_tc[v6][kind].code;

	if (!v6) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + l2_len);

		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = (uint8_t)((o->tos & ERR_TOS_KEEP) |
						ERR_TOS_PREC);
		ip->total_length = rte_cpu_to_be_16(hdr + quote);
		ip->packet_id = rte_cpu_to_be_16(ri->ip_id++);
		ip->fragment_offset = 0;
		ip->time_to_live = ERR_TTL;
		ip->next_proto_id = IPPROTO_ICMP;
		memcpy(&ip->src_addr, saddr, 4);
		memcpy(&ip->dst_addr, o->src, 4);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		/* RFC 1191: the next-hop MTU in the low 16 bits. */
		if (kind == ZC_ICMP_TOO_BIG)
			*(rte_be16_t *)(icmp + 6) = rte_cpu_to_be_16(mtu);
		if (rte_raw_cksum_mbuf(m, l2_len + ip_len,
				       ICMP_HDR_LEN + quote, &sum) < 0)
			sum = 0; /* cannot be: the bytes are there */
		*(uint16_t *)(icmp + 2) = (uint16_t)~sum;
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(d + l2_len);
		struct {
			rte_be32_t len;
			uint8_t zero[3];
			uint8_t nh;
		} ph = {
			.len = rte_cpu_to_be_32(ICMP_HDR_LEN + quote),
			.nh = IPPROTO_ICMPV6,
		};
		uint32_t s;

		ip6->vtc_flow = RTE_BE32(6u << 28);
		ip6->payload_len = rte_cpu_to_be_16(ICMP_HDR_LEN + quote);
		ip6->proto = IPPROTO_ICMPV6;
		ip6->hop_limits = ERR_TTL;
		memcpy(ip6->src_addr, saddr, 16);
		memcpy(ip6->dst_addr, o->src, 16);
		if (kind == ZC_ICMP_TOO_BIG)
			*(rte_be32_t *)(icmp + 4) = rte_cpu_to_be_32(mtu);
		if (rte_raw_cksum_mbuf(m, l2_len + ip_len,
				       ICMP_HDR_LEN + quote, &sum) < 0)
			sum = 0;
		s = __rte_raw_cksum(ip6->src_addr, 32, 0);
		s = __rte_raw_cksum(&ph, sizeof(ph), s);
		s += sum;
		*(uint16_t *)(icmp + 2) = (uint16_t)~__rte_raw_cksum_reduce(s);
	}

	md = zc_meta(m);
	md->out_port = m->port;
	md->mirror_port = ZC_PORT_NONE;
	md->flags = ZC_META_F_PARSED | ZC_META_F_L4 | ZC_META_F_LOCAL;
	md->l4_off = l2_len + ip_len;
	md->l4_proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	md->inner_l2_off = 0;
	md->inner_l3_off = 0;
	md->tunnel = ZC_TUN_NONE;
	m->ol_flags &= ~(ERR_CLEAR_TX | zc_vlan_push_flag | zc_vlan_pop_flag |
			 zc_frag_flag);
	m->packet_type = (m->packet_type & RTE_PTYPE_L2_MASK) |
			 (v6 ? RTE_PTYPE_L3_IPV6 : RTE_PTYPE_L3_IPV4) |
			 RTE_PTYPE_L4_ICMP;
	m->l2_len = l2_len;
	m->l3_len = ip_len;
	*mp = m;
	return NULL;
}

enum zc_drop_reason
zc_route_icmp_error(struct zc_route_dp *rp, struct rte_mbuf **mp,
		    enum zc_icmp_kind kind, uint32_t mtu,
		    enum zc_drop_reason why)
{
	struct route_icmp *ri = &rp->icmp;
	struct rte_mbuf *m = *mp;
	const struct zc_meta *md = zc_meta(m);
	union {
		struct rte_ipv4_hdr v4;
		struct rte_ipv6_hdr v6;
	} buf;
	struct rte_ether_hdr ebuf;
	const struct rte_ether_hdr *eth;
	const uint8_t *saddr = NULL;
	const char *no;
	struct orig o;
	int v6;

	if (md->l3_type == ZC_L3_IPV4)
		v6 = 0;
	else if (md->l3_type == ZC_L3_IPV6)
		v6 = 1;
	else
		return why;

	memset(&o, 0, sizeof(o));
	eth = rte_pktmbuf_read(m, 0, sizeof(ebuf), &ebuf);
	if (eth == NULL) {
		no = "no Ethernet header";
	} else if (md->decap != 0) {
		no = "decapsulated packet";
	} else if (!rte_is_unicast_ether_addr(&eth->dst_addr)) {
		no = "link-layer broadcast or multicast";
	} else if (!rte_is_valid_assigned_ether_addr(&eth->src_addr)) {
		no = "source MAC is not one host";
	} else if (!v6) {
		const struct rte_ipv4_hdr *ip;

		ip = rte_pktmbuf_read(m, md->l3_off, sizeof(buf.v4), &buf.v4);
		no = ip == NULL ? "IPv4 header cut short" :
		     icmp4_forbidden(rp, m, md, ip);
		if (no == NULL) {
			o.dlen = rte_be_to_cpu_16(ip->total_length);
			o.tos = ip->type_of_service;
			memcpy(o.src, &ip->src_addr, 4);
		}
	} else {
		const struct rte_ipv6_hdr *ip6;

		ip6 = rte_pktmbuf_read(m, md->l3_off, sizeof(buf.v6), &buf.v6);
		no = ip6 == NULL ? "IPv6 header cut short" :
		     icmp6_forbidden(m, md, ip6);
		if (no == NULL) {
			o.dlen = sizeof(*ip6) +
				 rte_be_to_cpu_16(ip6->payload_len);
			memcpy(o.src, ip6->src_addr, 16);
		}
	}
	if (no == NULL) {
		saddr = source_address(rp, m->port, v6);
		if (saddr == NULL)
			no = v6 ? "no IPv6 address to send from" :
				  "no IPv4 address to send from";
	}
	if (no == NULL && ri->cost == 0)
		no = "icmp_rate = 0";
	if (no == NULL && !bucket_take(ri)) {
		no = "rate limit";
		ri->stats->rate_limited++;
	}
	if (no == NULL)
		no = icmp_build(rp, mp, v6, kind, mtu, &o, saddr);
	if (no != NULL) {
		ri->stats->suppressed[v6][kind]++;
		if (unlikely(zc_trace_pkt(m))) {
			zc_trace_note(m, "%s -> icmp %s suppressed: %s",
				      zc_drop_name(why), kind_text[v6][kind],
				      no);
			ri->noted = 1;
		}
		return why;
	}
	ri->stats->sent[v6][kind]++;
	if (unlikely(zc_trace_pkt(*mp))) {
		zc_trace_note(*mp, "%s -> icmp %s sent", zc_drop_name(why),
			      kind_text[v6][kind]);
		ri->noted = 1;
	}
	return ZC_DROP_MAX;
}
