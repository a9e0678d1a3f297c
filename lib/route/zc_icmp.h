/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ICMP_H
#define ZC_ICMP_H

/**
 * @file
 * The ICMP errors the router sends (lib/route/icmp.c): their counters.
 * (IPv4 fragmentation, which the tx stage runs, is actions/zc_frag.h.)
 *
 * Each lcore writes its own row, zc_icmp_stats[lcore id], with plain
 * additions; readers add the rows up (zc_icmp_stats_sum()). The rows are
 * declared as the counter group "icmp" (core/zc_counter.h), which the
 * summary, /zcpipe/counters and zcstat show.
 * docs/routing.md says when each message is sent.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

/** Default [route] icmp_rate: errors a second per lcore. */
#define ZC_ICMP_RATE_DEFAULT 1000

/** Largest [route] icmp_rate. */
#define ZC_ICMP_RATE_MAX 1000000

/** The errors the router sends, by what happened. */
enum zc_icmp_kind {
	/** TTL or hop limit expired: IPv4 type 11, ICMPv6 type 3 (code 0). */
	ZC_ICMP_TIME_EXCEEDED = 0,
	/** No route: IPv4 type 3 code 0, ICMPv6 type 1 code 0. */
	ZC_ICMP_UNREACHABLE,
	/** An ACL reject rule: IPv4 type 3 code 13, ICMPv6 type 1 code 1. */
	ZC_ICMP_PROHIBITED,
	/**
	 * Longer than the egress MTU: IPv4 type 3 code 4 (DF set), ICMPv6
	 * type 2 (Packet Too Big), with the MTU.
	 */
	ZC_ICMP_TOO_BIG,
	ZC_ICMP_KIND_MAX /**< Number of kinds. */
};

/** Per-lcore counters (single writer: that lcore). */
struct zc_icmp_lcore_stats {
	/** Errors sent, by family (0 IPv4, 1 IPv6) and kind. */
	uint64_t sent[2][ZC_ICMP_KIND_MAX];
	/**
	 * Errors not sent (the packet was dropped under its reason), by
	 * family and kind: the rules of RFC 1812 4.3.2.7 / RFC 4443 2.4(e),
	 * no source address, the rate limit, [route] icmp_rate = 0.
	 */
	uint64_t suppressed[2][ZC_ICMP_KIND_MAX];
	/** Of the suppressed, those the token bucket refused. */
	uint64_t rate_limited;
} __rte_cache_aligned;

/** Counters by lcore id. */
extern struct zc_icmp_lcore_stats zc_icmp_stats[RTE_MAX_LCORE];

/** Sum every lcore's row. */
void zc_icmp_stats_sum(struct zc_icmp_lcore_stats *sum);

/** Zero every row (tests; never while workers run). */
void zc_icmp_stats_reset(void);

/**
 * Name of the counters of a family and kind in the "icmp" counter group
 * (sent/NAME, suppressed/NAME): "time_exceeded", "unreachable",
 * "prohibited", "frag_needed" for IPv4 and "time_exceeded6",
 * "unreachable6", "prohibited6", "packet_too_big6" for IPv6.
 */
const char *zc_icmp_kind_name(unsigned int family6, enum zc_icmp_kind k);

#endif /* ZC_ICMP_H */
