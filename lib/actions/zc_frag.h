/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_FRAG_H
#define ZC_FRAG_H

/**
 * @file
 * The length of a routed datagram: trailing bytes cut off before it is
 * forwarded, and IPv4 fragmentation without copying the payload.
 *
 * The route stage decides that an IPv4 packet longer than its egress MTU,
 * with DF clear, is to be fragmented and marks it with zc_frag_flag; the
 * tx stage, the only stage that may turn one packet into several, calls
 * zc_ipv4_fragment() for it just before sending (lib/actions/tx.c). Here,
 * in actions, because tx is: the route stage may use actions, not the
 * other way round.
 *
 * What is written and what is not: each fragment is a direct mbuf from
 * the header pool holding a fresh Ethernet header (the packet's own, as
 * the route stage rewrote it) and IPv4 header (DPDK's
 * rte_ipv4_fragment_packet(): offset, MF, total length; the options RFC
 * 791 says to copy; checksum computed here), followed by indirect mbufs
 * from the clone pool that reference the packet's payload where it lies.
 * The payload is never copied; the packet's buffers go back to their pool
 * when the last fragment is sent.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "core/zc_counter.h"

struct rte_mempool;

/**
 * Per-lcore fragmentation counters, the "ipv4_frag" counter group
 * (core/zc_counter.h), X(T, name, kind, unit, help) each.
 */
#define ZC_FRAG_COUNTERS(X, T) \
	X(T, fragmented, COUNTER, packets, "IPv4 packets with DF clear cut into fragments for their egress MTU (tx).") \
	X(T, fragments,  COUNTER, packets, "Fragments made of them: a header mbuf each, the payload referenced, not copied.")

/** One lcore's fragmentation counters (single writer: that lcore). */
struct zc_frag_lcore_stats {
	ZC_FRAG_COUNTERS(ZC_COUNTER_FIELD, _)
} __rte_cache_aligned;

/** Counters by lcore id. */
extern struct zc_frag_lcore_stats zc_frag_stats[RTE_MAX_LCORE];

/** Most fragments one packet is cut into (a 9,000-byte frame at MTU 576). */
#define ZC_FRAG_MAX 32

/** Longest L2 header (Ethernet and VLAN tags) a fragmented packet has. */
#define ZC_FRAG_L2_MAX 64

/**
 * Dynamic mbuf flag: an IPv4 packet with DF clear, longer than the MTU of
 * its egress port, to be fragmented by the tx stage. 0 until registered.
 */
extern uint64_t zc_frag_flag;

/**
 * Register zc_frag_flag (idempotent). Call from stage init.
 *
 * @return
 *   0, or a negative errno value (zc_frag_flag stays 0: nothing is
 *   fragmented, packets too big are dropped).
 */
int zc_frag_register(void);

/**
 * Cut a packet to len bytes: the segment that holds its last byte is
 * shortened and the segments after it are freed. Nothing happens if the
 * packet is not longer than len.
 */
static inline void
zc_pkt_trim_to(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *s = m;
	uint32_t off = 0;
	uint16_t segs = 1;

	if (len >= m->pkt_len)
		return;
	while (off + s->data_len < len) {
		off += s->data_len;
		s = s->next;
		segs++;
	}
	s->data_len = (uint16_t)(len - off);
	if (s->next != NULL) {
		rte_pktmbuf_free(s->next);
		s->next = NULL;
	}
	m->nb_segs = segs;
	m->pkt_len = len;
}

/**
 * Fragment an IPv4 packet (Ethernet first, zc_meta.l3_off its length) to
 * fit mtu bytes of L3 each. On success the packet is consumed: out[] holds
 * the fragments, each with the packet's Ethernet header, metadata and
 * offload requests, its IPv4 checksum computed.
 *
 * @param m
 *   The packet: DF clear, its IPv4 header whole in the first segment,
 *   nothing after the datagram (the route stage trims).
 * @param mtu
 *   Longest L3 packet of the egress port.
 * @param out
 *   The fragments.
 * @param max
 *   Room in out.
 * @param hdr_pool
 *   Direct mbufs for the headers.
 * @param indirect_pool
 *   Indirect mbufs (no data room) for the payload references.
 * @return
 *   The number of fragments, or a negative errno value with m unchanged:
 *   -ENOMEM (a pool was empty), -EINVAL (more than max fragments, a header
 *   that does not fit), -ENOTSUP (DF set).
 */
int zc_ipv4_fragment(struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **out,
		     uint16_t max, struct rte_mempool *hdr_pool,
		     struct rte_mempool *indirect_pool);

#endif /* ZC_FRAG_H */
