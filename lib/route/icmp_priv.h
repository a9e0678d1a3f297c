/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ICMP_PRIV_H
#define ZC_ICMP_PRIV_H

/*
 * The route stage's ICMP errors (lib/route/icmp.c), as route.c calls
 * them: included by route_priv.h and nothing else.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "core/zc_drop.h"
#include "route/zc_icmp.h"

struct rte_mempool;
struct zc_route_dp;

/*
 * One lcore's ICMP state: a token bucket counted in TSC cycles (a message
 * costs 'cost' cycles of credit; credit grows with time up to 'depth', a
 * twentieth of a second's worth of messages, at least one), the IPv4
 * identification of the next message, the counters, and the pool of the
 * header segments used when a packet has no headroom to spare.
 */
struct route_icmp {
	uint64_t credit;   /* Cycles of credit. */
	uint64_t last;     /* TSC of the last refill. */
	uint64_t cost;     /* Cycles a message costs; 0: errors off. */
	uint64_t depth;    /* Most credit. */
	uint16_t ip_id;    /* IPv4 identification of the next message. */
	uint8_t noted;     /* A traced packet's hop has the ICMP note. */
	struct zc_icmp_lcore_stats *stats; /* This lcore's row. */
	struct rte_mempool *hdr_pool;      /* Header segments. */
};

/* Set up an lcore's state for rate messages a second (0: none sent). */
void zc_route_icmp_init(struct route_icmp *ri, uint32_t rate,
			unsigned int lcore_id, struct rte_mempool *hdr_pool);

/*
 * The packet *mp (IPv4 or IPv6 after parse) is not forwarded, because of
 * why. Turn it into the ICMP error of this kind (mtu: the MTU a Too Big
 * error reports) sent back out of its ingress port from that port's
 * address, unless the rules say no error may be sent about it or the
 * rate limit is reached.
 *
 * @return
 *   ZC_DROP_MAX if the error goes on (*mp, which may be a new head
 *   segment, has out_port set), else why: the caller drops the packet
 *   under it, the error counted as suppressed.
 */
enum zc_drop_reason zc_route_icmp_error(struct zc_route_dp *rp,
					struct rte_mbuf **mp,
					enum zc_icmp_kind kind, uint32_t mtu,
					enum zc_drop_reason why);

#endif /* ZC_ICMP_PRIV_H */
