/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ROUTE_PRIV_H
#define ZC_ROUTE_PRIV_H

/*
 * What the three files of the route stage share, and nothing else
 * includes:
 *  - route.c: the stage (classification of a burst, the bulk lookups,
 *    forward4/forward6: TTL or hop limit and MACs rewritten, registration);
 *  - neigh.c: ARP and neighbour discovery input, neighbour learning,
 *    resolution of a next hop and the probes (ARP requests, NS);
 *  - local.c: packets addressed to the router itself (echo replies; the
 *    ICMPv6 they carry handed to neigh.c when it is ND);
 *  - icmp.c: the ICMP errors sent instead of dropping a packet
 *    (icmp_priv.h).
 *
 * Each slow-path entry point takes the stage's private state, the burst's
 * counters (locals of route_process(), added to the lcore's row once per
 * burst), the packet and its metadata, and returns ZC_DROP_MAX if the
 * packet goes on (out_port set), else the reason to drop it. None of them
 * is called for a packet that is simply forwarded.
 */

#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "core/zc_drop.h"
#include "core/zc_meta.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "route/icmp_priv.h"
#include "route/zc_route.h"

/* Longest L2 header (Ethernet + VLAN tags) kept in a rebuilt packet. */
#define ROUTE_L2_MAX 64

/* ICMPv6 types and neighbour discovery (RFC 4443, RFC 4861). */
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY   129
#define ND_SOLICIT          135
#define ND_ADVERT           136
#define ND_OPT_SLLA         1
#define ND_OPT_TLLA         2
#define ND_NA_F_ROUTER      0x80
#define ND_NA_F_SOLICITED   0x40
#define ND_NA_F_OVERRIDE    0x20
#define ND_HOP_LIMIT        255

/* TTL / hop limit of the replies the router originates. */
#define ECHO_TTL 64

/* What forwarding needs of an egress port, in one place. */
struct route_egress {
	struct rte_ether_addr mac; /* Source MAC of routed packets. */
	uint16_t mtu;              /* 0: unchecked. */
	uint8_t frag;              /* IPv4 may be fragmented to mtu. */
};

/* One route stage instance (one lcore); zc_route_dp.h names it. */
struct zc_route_dp {
	struct zc_stage *st;              /* The instance: its drops. */
	const struct zc_route_table *rt;  /* Shared; its FIBs change (RCU). */
	struct zc_neigh_table *nt;        /* This lcore's. */
	struct zc_route_slot *slot;       /* This lcore's routes, by index. */
	struct zc_route_group *groups;    /* Its multipath routes' groups. */
	struct zc_route_lcore_stats *stats; /* This lcore's counters. */
	uint64_t probe_tsc;               /* Least cycles between probes. */
	struct route_icmp icmp;           /* ICMP errors: rate, counters. */
	/* Changes from the control thread (struct zc_route_msg), applied by
	 * this lcore to its own slots and neighbour table between bursts,
	 * so that it stays their only writer (update.c).
	 */
	struct rte_ring *ctl;
	uint64_t ctl_applied;             /* seq of the last one applied. */
	uint64_t ctl_failed;              /* Not applied: table full. */
	unsigned int lcore_id;            /* The lcore running it. */
	struct route_egress egress[ZC_MAX_PORTS]; /* By ethdev port id. */
};


/* ---- packet access (shared by the three files) ------------------------- */

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

/* ---- neigh.c ------------------------------------------------------------ */

/*
 * Next hop n (NULL: not in the table) of a packet to forward out of port
 * has no MAC. With learning on, the packet becomes the probe for target
 * (an ARP request or a neighbour solicitation) unless one went out in the
 * last probe_ms; otherwise it is dropped no_neighbour. target is NULL for
 * a gateway the table had no room for: dropped no_neighbour.
 */
enum zc_drop_reason zc_route_resolve(struct zc_route_dp *rp,
				     struct zc_route_lcore_stats *c,
				     struct rte_mbuf *m, struct zc_meta *md,
				     struct zc_neigh *n, uint16_t port,
				     uint8_t family, const uint8_t *target);

/* ARP: answer requests for the ingress port's address, learn senders. */
enum zc_drop_reason zc_route_arp_input(struct zc_route_dp *rp,
				       struct zc_route_lcore_stats *c,
				       struct rte_mbuf *m, struct zc_meta *md);

/*
 * A neighbour solicitation or advertisement (icmp->icmp_type) for us: the
 * ICMPv6 message at off, len bytes to the end of the IPv6 payload; ip6 is
 * a copy of the IPv6 header.
 */
enum zc_drop_reason zc_route_nd_input(struct zc_route_dp *rp,
				      struct zc_route_lcore_stats *c,
				      struct rte_mbuf *m, struct zc_meta *md,
				      const struct rte_ipv6_hdr *ip6,
				      const struct rte_icmp_hdr *icmp,
				      uint32_t off, uint32_t len);

/* ---- local.c ------------------------------------------------------------ */

/* IPv4 for one of our addresses (ip: its header): answer echo requests. */
enum zc_drop_reason zc_route_local4(struct zc_route_lcore_stats *c,
				    struct rte_mbuf *m, struct zc_meta *md,
				    const struct rte_ipv4_hdr *ip);

/*
 * IPv6 for us (a local address, or multicast when mcast): echo requests
 * answered, neighbour discovery handed to zc_route_nd_input().
 */
enum zc_drop_reason zc_route_local6(struct zc_route_dp *rp,
				    struct zc_route_lcore_stats *c,
				    struct rte_mbuf *m, struct zc_meta *md,
				    int mcast);

#endif /* ZC_ROUTE_PRIV_H */
