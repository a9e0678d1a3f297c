/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * IPv4 fragmentation without copying the payload (RFC 791 2.3, 3.2; RFC
 * 1812 4.2.2.7), for the tx stage.
 *
 * rte_ipv4_fragment_packet() (DPDK 22.11, lib/ip_frag) does the cutting:
 * for each fragment a direct mbuf from the header pool holding the IPv4
 * header, and indirect mbufs from the clone pool attached to the input's
 * segments for the payload. What it expects of its input, and what this
 * file does about it:
 *  - the packet starts with the IPv4 header: the Ethernet header (VLAN
 *    tags included) is taken off with rte_pktmbuf_adj() and written in
 *    front of each fragment's header, in the header mbuf's headroom;
 *  - the IPv4 header is whole in the first segment (checked here first);
 *  - pkt_len is the datagram's length: bytes after it would be sent as
 *    payload (the route stage trims them before it marks the packet);
 *  - a chained input is followed segment by segment, but a segment that
 *    holds nothing more (the first one when it ends with the IPv4 header)
 *    yields an empty indirect segment in a fragment: those are unlinked
 *    here, since some drivers refuse empty segments;
 *  - the fragments' checksum is left 0 and their mbuf fields reset
 *    (rte_pktmbuf_alloc()): both are set here from the packet;
 *  - on failure it frees what it made and leaves the input alone; this
 *    file then puts the Ethernet header back in view.
 * The options of the first fragment are all kept; later fragments carry
 * only those with the copied bit (22.11's __create_ipopt_frag_hdr()).
 */

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "core/zc_counter.h"
#include "core/zc_meta.h"
#include "actions/zc_frag.h"

uint64_t zc_frag_flag;

struct zc_frag_lcore_stats zc_frag_stats[RTE_MAX_LCORE];

ZC_COUNTER_GROUP(ipv4_frag, "IPv4 fragmentation by the tx stage.", zc_frag_stats,
		 ZC_FRAG_COUNTERS);

int
zc_frag_register(void)
{
	static const struct rte_mbuf_dynflag f = { .name = "zcpipe_ipv4_frag" };
	int b;

	if (zc_frag_flag != 0)
		return 0;
	b = rte_mbuf_dynflag_register(&f);
	if (b < 0)
		return -rte_errno;
	zc_frag_flag = RTE_BIT64(b);
	return 0;
}

/* Unlink the empty segments after a fragment's header mbuf. */
static void
drop_empty_segs(struct rte_mbuf *f)
{
	struct rte_mbuf *prev = f, *s = f->next;

	while (s != NULL) {
		struct rte_mbuf *next = s->next;

		if (s->data_len == 0) {
			prev->next = next;
			s->next = NULL;
			rte_pktmbuf_free_seg(s);
			f->nb_segs--;
		} else {
			prev = s;
		}
		s = next;
	}
}

/* Offload requests a fragment keeps: tags to insert. A checksum request
 * for the whole datagram has no meaning for a piece of it, and the IPv4
 * checksum is computed here.
 */
#define FRAG_KEEP_TX (RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_QINQ)

int
zc_ipv4_fragment(struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **out,
		 uint16_t max, struct rte_mempool *hdr_pool,
		 struct rte_mempool *indirect_pool)
{
	const uint16_t l2_len = zc_meta(m)->l3_off;
	const uint64_t keep = ~(RTE_MBUF_F_TX_OFFLOAD_MASK |
				RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL |
				zc_frag_flag) | FRAG_KEEP_TX;
	uint8_t l2[ZC_FRAG_L2_MAX];
	const struct rte_ipv4_hdr *ip;
	int32_t n, i;

	if (l2_len > sizeof(l2) ||
	    (uint32_t)l2_len + sizeof(*ip) > m->data_len)
		return -EINVAL;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l2_len);
	if ((uint32_t)l2_len + rte_ipv4_hdr_len(ip) > m->data_len)
		return -EINVAL;
	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG))
		return -ENOTSUP;
	memcpy(l2, rte_pktmbuf_mtod(m, const void *), l2_len);
	rte_pktmbuf_adj(m, l2_len);
	n = rte_ipv4_fragment_packet(m, out, max, mtu, hdr_pool,
				     indirect_pool);
	if (n < 0) {
		rte_pktmbuf_prepend(m, l2_len);
		return n;
	}
	for (i = 0; i < n; i++) {
		struct rte_mbuf *f = out[i];
		struct rte_ipv4_hdr *fip;
		struct zc_meta *md;
		uint8_t *d;

		if (unlikely(m->nb_segs > 1))
			drop_empty_segs(f);
		/* The header mbuf's headroom is RTE_PKTMBUF_HEADROOM. */
		d = (uint8_t *)rte_pktmbuf_prepend(f, l2_len);
		memcpy(d, l2, l2_len);
		fip = (struct rte_ipv4_hdr *)(d + l2_len);
		fip->hdr_checksum = 0;
		fip->hdr_checksum = rte_ipv4_cksum(fip);
		f->port = m->port;
		f->vlan_tci = m->vlan_tci;
		f->vlan_tci_outer = m->vlan_tci_outer;
		f->hash = m->hash;
		f->packet_type = m->packet_type;
		f->l2_len = l2_len;
		f->ol_flags = (f->ol_flags & (RTE_MBUF_F_INDIRECT |
					      RTE_MBUF_F_EXTERNAL)) |
			      (m->ol_flags & keep);
		rte_mbuf_dynfield_copy(f, m);
		md = zc_meta(f);
		md->flags |= ZC_META_F_FRAG;
		if (fip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK))
			md->flags = (uint8_t)((md->flags | ZC_META_F_FRAG_NF) &
					      ~ZC_META_F_L4);
	}
	/* The fragments hold references to the payload; ours goes. */
	rte_pktmbuf_free(m);
	return n;
}
