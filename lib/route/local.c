/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Packets addressed to the router itself: one of its port addresses (a
 * LOCAL route matched) or, for IPv6, a multicast destination.
 *
 * Reads:  the IPv4 or IPv6 header and the ICMP/ICMPv6 header after it;
 *         zc_meta l3_off, flags (FRAG, L4), l4_off, l4_proto.
 * Writes: ICMP and ICMPv6 echo replies in the request's own mbuf (type,
 *         checksum updated incrementally, addresses swapped, fresh TTL or
 *         hop limit), ZC_META_F_LOCAL and out_port = the ingress port.
 * Next:   echo replies to the ingress port; neighbour solicitations and
 *         advertisements to neigh.c; anything else freed as
 *         local_unhandled, fragment or a header reason.
 */

#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "core/zc_meta.h"
#include "route/route_priv.h"
#include "route/zc_route.h"

/* IPv4 for one of our addresses: answer echo requests. */
enum zc_drop_reason
zc_route_local4(struct zc_route_lcore_stats *c, struct rte_mbuf *m,
		struct zc_meta *md, const struct rte_ipv4_hdr *ip)
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
enum zc_drop_reason
zc_route_local6(struct zc_route_dp *rp, struct zc_route_lcore_stats *c,
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
	case ND_ADVERT:
		return zc_route_nd_input(rp, c, m, md, &h, &ih, off, len);
	case ICMPV6_ECHO_REQUEST:
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
	ih.icmp_type = ICMPV6_ECHO_REPLY;
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
