/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ROUTE_DP_H
#define ZC_ROUTE_DP_H

/**
 * @file
 * The routing data path: what a route stage instance reads per packet,
 * and the lookups it makes, inline.
 *
 * - The shared route table (zc_route_table, built by lib/route/control.c):
 *   longest-prefix matches through rte_fib (IPv4, DIR24_8) and rte_fib6
 *   (IPv6, TRIE), whose next hop is the route's index in
 *   zc_route_table.routes. The control thread replaces the FIBs as a
 *   whole (zc_route_table.fibs, RCU) when prefixes change at run time.
 * - Each lcore's neighbour table (zc_neigh_table): lookups, the entry of a
 *   next hop being resolved, and learning, on an rte_hash sized at
 *   start-up; single writer and reader, the owning lcore, so nothing here
 *   allocates or locks.
 * - The incremental checksum update the rewrites use (RFC 1624).
 *
 * lib/route/zc_route.h, which includes this header, says what the feature
 * offers as a whole (building and releasing tables, telemetry texts).
 */

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_hash.h>
#include <rte_mbuf.h>

#include "core/zc_port.h"

struct zc_neigh_static;

/**
 * Next-hop value the FIBs return when nothing matches: the largest a
 * 4-byte next hop holds (rte_fib DIR24_8 and rte_fib6 TRIE keep the top
 * bit), so that any route index is below it.
 */
#define ZC_ROUTE_NONE 0x7fffffffu

/** What a route leads to. */
enum zc_route_kind {
	ZC_ROUTE_VIA = 0,   /**< Through a gateway: "P via NH [port N]". */
	ZC_ROUTE_ONLINK,    /**< Destination on the link: "P port N". */
	ZC_ROUTE_CONNECTED, /**< A port's subnet; next hop is the destination. */
	ZC_ROUTE_LOCAL,     /**< A port's own address: for the router itself. */
	/** In a zc_route_slot only: a multipath route; slot.nb is its
	 *  group in the lcore's zc_route_group array.
	 */
	ZC_ROUTE_ECMP,
};

/** Most next hops of one multipath route. */
#define ZC_ROUTE_NH_MAX 8

/** Buckets of a multipath route: a flow's hash picks one, which names a
 *  next hop (resilient hashing: removing a next hop moves only its
 *  buckets).
 */
#define ZC_ECMP_BUCKETS 64

/** Most multipath routes (groups) at once. */
#define ZC_ROUTE_GROUPS_MAX 4096

/** One next hop of a multipath route. */
struct zc_route_nh {
	uint8_t ip[16];     /**< Gateway; IPv4 in the first 4 bytes. */
	uint16_t cfg_port;  /**< Egress port, configuration index. */
	uint16_t port;      /**< Egress port, ethdev port id. */
};

/** The next hops of a multipath route (control path only). */
struct zc_route_mp {
	uint32_t group;     /**< Its group in the lcores' zc_route_group. */
	uint8_t nb;         /**< Next hops, 2 to ZC_ROUTE_NH_MAX. */
	uint8_t bucket[ZC_ECMP_BUCKETS]; /**< Next hop of each bucket. */
	struct zc_route_nh nh[ZC_ROUTE_NH_MAX]; /**< In the order given. */
};

/** Where a route or a static neighbour comes from. */
enum zc_route_source {
	ZC_SRC_PORT = 0, /**< Derived from a port address (connected, local). */
	ZC_SRC_FILE,     /**< The routes or neighbours file of [route]. */
	ZC_SRC_CTL,      /**< A zcctl command (route add/replace/load, neigh add). */
	ZC_SRC_KERNEL,   /**< The kernel's routing or neighbour table. */
};

/** One route. */
struct zc_route {
	uint8_t family;     /**< AF_INET or AF_INET6; 0: a free index. */
	uint8_t depth;      /**< Prefix length. */
	uint8_t kind;       /**< enum zc_route_kind. */
	uint8_t tunnel;     /**< 1 + index of its VXLAN tunnel, 0 if none. */
	uint16_t cfg_port;  /**< Egress port, configuration index. */
	uint16_t port;      /**< Egress port, ethdev port id. */
	uint32_t line;      /**< Line in the routes file; 0 if derived. */
	uint8_t prefix[16]; /**< Prefix; IPv4 in the first 4 bytes, network order. */
	uint8_t nh[16];     /**< Gateway of a VIA route, same layout. */
	uint8_t source;     /**< enum zc_route_source. */
	/** Several next hops (port, nh and cfg_port are the first's), or
	 *  NULL. Owned by the route array holding the route.
	 */
	struct zc_route_mp *mp;
};

/** zc_route_slot.nb of a route without a gateway entry. */
#define ZC_ROUTE_NO_NB UINT32_MAX

/**
 * A multipath route as one lcore's route stage sees it: for each bucket
 * a next hop, for each next hop its entry in the lcore's neighbour table
 * and its egress port. Written only by that lcore (from the control
 * thread's messages), never while a slot names it.
 */
struct zc_route_group {
	uint32_t nb[ZC_ROUTE_NH_MAX];    /**< Gateway entries (or NO_NB). */
	uint16_t port[ZC_ROUTE_NH_MAX];  /**< Egress ports, ethdev ids. */
	uint8_t bucket[ZC_ECMP_BUCKETS]; /**< Next hop of each bucket. */
} __rte_cache_aligned;

/** The bucket of a flow hash: all of its bits count (an RSS queue's
 *  packets share their low bits).
 */
static inline unsigned int
zc_ecmp_bucket(uint32_t hash)
{
	RTE_BUILD_BUG_ON(ZC_ECMP_BUCKETS != 1 << 6);
	return (hash * 0x9e3779b1u) >> (32 - 6);
}

/**
 * One route as one lcore's route stage sees it, 16 bytes by route index:
 * its hit counter and all that forwarding reads, so that the step after
 * the FIB lookup touches one small entry (four routes to a cache line)
 * rather than the route, a neighbour pointer and a counter in three
 * arrays. Written only by that lcore (the hit counter); the rest is set
 * before it starts.
 */
struct zc_route_slot {
	uint64_t hits;  /**< Packets that matched the route on this lcore. */
	uint32_t nb;    /**< Gateway's entry in the lcore's neighbour table
			 *   (VIA routes), else ZC_ROUTE_NO_NB.
			 */
	uint16_t port;  /**< Egress port, ethdev port id. */
	uint8_t kind;   /**< enum zc_route_kind. */
	uint8_t family; /**< AF_INET or AF_INET6. */
};

/** The router's own addresses on one port. */
struct zc_route_port {
	uint8_t has_ipv4;  /**< ipv4 is set. */
	uint8_t has_ipv6;  /**< ipv6 is set. */
	uint8_t ipv4_len;  /**< Prefix length of the IPv4 subnet. */
	uint8_t ipv6_len;  /**< Prefix length of the IPv6 subnet. */
	uint32_t ipv4;     /**< Address, network byte order. */
	uint8_t ipv6[16];  /**< IPv6 address. */
};

/**
 * The longest-prefix-match tables in force. Never changed once published:
 * the control thread builds a new set when prefixes come or go, publishes
 * it in zc_route_table.fibs, and frees the old one after an RCU grace
 * period (core/zc_rcu.h; docs/control.md says why rte_fib is not updated
 * in place).
 */
struct zc_route_fibs {
	struct rte_fib *fib4;   /**< IPv4 LPM; NULL if no IPv4 route. */
	struct rte_fib6 *fib6;  /**< IPv6 LPM; NULL if no IPv6 route. */
	uint64_t none4;         /**< fib4's next hop for "no route". */
	uint64_t none6;         /**< fib6's next hop for "no route". */
};

/** The shared routing state. */
struct zc_route_table {
	/** The FIBs in force: loaded once per burst (acquire), replaced by
	 *  the control thread only.
	 */
	struct zc_route_fibs *fibs;
	uint32_t nb_routes;     /**< Route indexes in use or free (routes). */
	uint32_t nb_neigh;      /**< Entries in neigh. */
	/** By index == FIB next-hop value; control path only (the route
	 *  stages read their own zc_route_slot rows).
	 */
	struct zc_route *routes;
	struct zc_neigh_static *neigh; /**< Static neighbours. */
	/** Groups in use by multipath routes (control path only). */
	uint64_t groups[ZC_ROUTE_GROUPS_MAX / 64];
	uint8_t learn;          /**< Learn neighbours from ARP/ND. */
	uint32_t probe_ms;      /**< Least interval between two probes. */
	struct zc_route_port port[ZC_MAX_PORTS]; /**< By ethdev port id. */
};

/** Neighbour states. */
enum zc_neigh_state {
	ZC_NEIGH_INCOMPLETE = 0, /**< Probed (or waiting to be), MAC unknown. */
	ZC_NEIGH_LEARNED,        /**< MAC learned from ARP/ND. */
	ZC_NEIGH_STATIC,         /**< From the configuration; never replaced. */
};

/** One neighbour in an lcore's table. */
struct zc_neigh {
	struct rte_ether_addr mac; /**< MAC, valid unless INCOMPLETE. */
	uint8_t state;             /**< enum zc_neigh_state. */
	uint8_t family;            /**< AF_INET or AF_INET6. */
	uint16_t port;             /**< ethdev port id. */
	uint64_t probe_tsc;        /**< TSC of the last probe sent; 0 never. */
	uint8_t ip[16];            /**< Address; IPv4 in the first 4 bytes. */
};

/** An lcore's neighbour table (single writer: that lcore). */
struct zc_neigh_table {
	struct rte_hash *hash;  /**< (port, family, ip) -> index in e. */
	uint32_t nb;            /**< Entries used. */
	uint32_t max;           /**< Entries in e. */
	struct zc_neigh *e;     /**< The entries; never moved or removed. */
};

/** Key of a neighbour in zc_neigh_table.hash: zero padded, compared as
 *  bytes.
 */
struct zc_neigh_key {
	uint8_t ip[16];  /**< Address; IPv4 in the first 4 bytes. */
	uint16_t port;   /**< ethdev port id. */
	uint8_t family;  /**< AF_INET or AF_INET6. */
	uint8_t pad;     /**< Zero. */
};

/** Fill k for (port, family, ip). */
static inline void
zc_neigh_key_make(struct zc_neigh_key *k, uint16_t port, uint8_t family,
		  const void *ip)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->ip, ip, family == AF_INET ? 4 : 16);
	k->port = port;
	k->family = family;
}

/**
 * Find a neighbour.
 *
 * @param ip
 *   Address: 4 bytes (network order) for AF_INET, 16 for AF_INET6.
 * @return
 *   The entry, or NULL.
 */
static inline struct zc_neigh *
zc_neigh_lookup(const struct zc_neigh_table *nt, uint16_t port,
		uint8_t family, const void *ip)
{
	struct zc_neigh_key k;
	void *data;

	zc_neigh_key_make(&k, port, family, ip);
	if (rte_hash_lookup_data(nt->hash, &k, &data) < 0)
		return NULL;
	return &nt->e[(uintptr_t)data];
}

/**
 * Find a neighbour, adding it as INCOMPLETE if it is not there.
 *
 * @return
 *   The entry, or NULL if the table is full.
 */
static inline struct zc_neigh *
zc_neigh_get(struct zc_neigh_table *nt, uint16_t port, uint8_t family,
	     const void *ip)
{
	struct zc_neigh *n;
	struct zc_neigh_key k;
	void *data;

	zc_neigh_key_make(&k, port, family, ip);
	if (rte_hash_lookup_data(nt->hash, &k, &data) >= 0)
		return &nt->e[(uintptr_t)data];
	if (nt->nb == nt->max ||
	    rte_hash_add_key_data(nt->hash, &k,
				  (void *)(uintptr_t)nt->nb) < 0)
		return NULL;
	n = &nt->e[nt->nb++];
	memset(n, 0, sizeof(*n));
	n->state = ZC_NEIGH_INCOMPLETE;
	n->family = family;
	n->port = port;
	memcpy(n->ip, k.ip, 16);
	return n;
}

/**
 * Record what ARP or neighbour discovery said. Static entries are never
 * changed.
 *
 * @return
 *   1 if an entry was added or changed, 0 if nothing changed, -1 if the
 *   table is full.
 */
static inline int
zc_neigh_learn(struct zc_neigh_table *nt, uint16_t port, uint8_t family,
	       const void *ip, const struct rte_ether_addr *mac)
{
	struct zc_neigh *n = zc_neigh_get(nt, port, family, ip);

	if (n == NULL)
		return -1;
	if (n->state == ZC_NEIGH_STATIC ||
	    (n->state == ZC_NEIGH_LEARNED && rte_is_same_ether_addr(&n->mac,
								     mac)))
		return 0;
	n->mac = *mac;
	n->state = ZC_NEIGH_LEARNED;
	return 1;
}

/** The FIBs in force, for one burst: never held across bursts. */
static __rte_always_inline const struct zc_route_fibs *
zc_route_fibs(const struct zc_route_table *rt)
{
	return __atomic_load_n(&rt->fibs, __ATOMIC_ACQUIRE);
}

/**
 * Longest-prefix match of n IPv4 addresses (host byte order) in one
 * bulk lookup: nh[i] is the route index of ip[i], or f->none4.
 */
static __rte_always_inline void
zc_route_lookup4_bulk(const struct zc_route_fibs *f, uint32_t *ip,
		      uint64_t *nh, unsigned int n)
{
	unsigned int i;

	if (f->fib4 != NULL) {
		rte_fib_lookup_bulk(f->fib4, ip, nh, n);
		return;
	}
	for (i = 0; i < n; i++)
		nh[i] = f->none4;
}

/**
 * Longest-prefix match of n IPv6 addresses in one bulk lookup: nh[i] is
 * the route index of ip[i], or f->none6.
 */
static __rte_always_inline void
zc_route_lookup6_bulk(const struct zc_route_fibs *f, uint8_t ip[][16],
		      uint64_t *nh, unsigned int n)
{
	unsigned int i;

	if (f->fib6 != NULL) {
		rte_fib6_lookup_bulk(f->fib6, ip, nh, n);
		return;
	}
	for (i = 0; i < n; i++)
		nh[i] = f->none6;
}

/**
 * Longest-prefix match of one IPv4 address.
 *
 * @param rt
 *   Table.
 * @param dst
 *   Address, network byte order.
 * @return
 *   Index of the matching route, or -1 if none.
 */
static inline int
zc_route_lookup4(const struct zc_route_table *rt, uint32_t dst)
{
	const struct zc_route_fibs *f = zc_route_fibs(rt);
	uint32_t ip = rte_be_to_cpu_32(dst);
	uint64_t nh;

	zc_route_lookup4_bulk(f, &ip, &nh, 1);
	return nh == f->none4 ? -1 : (int)nh;
}

/**
 * Longest-prefix match of one IPv6 address.
 *
 * @return
 *   Index of the matching route, or -1 if none.
 */
static inline int
zc_route_lookup6(const struct zc_route_table *rt, const uint8_t dst[16])
{
	const struct zc_route_fibs *f = zc_route_fibs(rt);
	uint8_t ip[1][16];
	uint64_t nh;

	memcpy(ip[0], dst, 16);
	zc_route_lookup6_bulk(f, ip, &nh, 1);
	return nh == f->none6 ? -1 : (int)nh;
}

/** A route stage instance: the router as it runs on one lcore. */
struct zc_route_dp;

/**
 * The route stage instance that runs on an lcore, for a later stage of
 * the same lcore that has new packets to route (act, after
 * decapsulation).
 *
 * @return
 *   The instance, or NULL if no route stage runs on lcore_id (or none was
 *   set up before the caller's own init).
 */
struct zc_route_dp *zc_route_dp_lcore(unsigned int lcore_id);

/**
 * Route a burst as the instance does in the pipeline (lookups, rewrites,
 * ARP/ND and replies for the router itself): packets that go on are kept
 * in pkts[0 .. ret-1], in order; the others are freed and counted by the
 * instance, as are its route hits and counters. The burst counts as the
 * instance's input and output. On the instance's own lcore only.
 *
 * @return
 *   Packets kept.
 */
uint16_t zc_route_dp_rerun(struct zc_route_dp *dp, struct rte_mbuf **pkts,
			   uint16_t n);

/**
 * Incremental Internet checksum update (RFC 1624, eqn. 3) for one 16-bit
 * word changing from old to new. All three values as they are in the
 * packet (network byte order), the one's-complement sum being byte-order
 * independent.
 */
static inline uint16_t
zc_csum_replace16(uint16_t csum, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~csum;

	sum += (uint16_t)~old;
	sum += new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif /* ZC_ROUTE_DP_H */
