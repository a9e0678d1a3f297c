/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ROUTE_H
#define ZC_ROUTE_H

/**
 * @file
 * Routing tables behind the "route" stage (lib/route/route.c).
 *
 * The route table is built once at start-up from the port addresses
 * ([port.N] ipv4/ipv6: a connected route and a local host route each) and
 * the routes file ([route] routes), and is read-only afterwards; every
 * route stage instance shares it. IPv4 and IPv6 longest-prefix matches are
 * rte_fib (DIR24_8) and rte_fib6 (TRIE) tables whose next hop value is the
 * index of the route in zc_route_table.routes, so that a lookup yields the
 * route itself: egress port, kind and gateway, and its hit counter.
 *
 * Neighbours (IP -> MAC per port) live in one zc_neigh_table per route
 * stage instance, written and read only by the lcore that runs it, so no
 * lock is ever taken: the static entries of [route] neighbours are copied
 * into each, and each learns on its own from the ARP and neighbour
 * discovery packets it receives (docs/routing.md).
 *
 * Hit counters are per lcore rows, single writer, summed by
 * zc_route_info() for telemetry. The process-wide table functions
 * (zc_route_get/put/count/info/hits_row) are control path, serialised by
 * a lock so that telemetry's thread may call them while the main lcore
 * builds or releases the table; workers never call them.
 *
 * File formats, error messages and behaviour: docs/routing.md.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_lcore.h>

#include "core/zc_counter.h"
#include "core/zc_stage.h"

struct zc_config;
struct rte_fib;
struct rte_fib6;
struct rte_hash;

/** Default [route] max_routes: IPv4 routes the table may hold. */
#define ZC_ROUTE_MAX4_DEFAULT (1u << 20)

/** Default [route] max_routes6: IPv6 routes the table may hold. */
#define ZC_ROUTE_MAX6_DEFAULT (1u << 18)

/** Most routes of one family [route] max_routes/max_routes6 may allow. */
#define ZC_ROUTE_MAX_LIMIT (1u << 24)

/**
 * Next-hop value the FIBs return when nothing matches: the largest a
 * 4-byte next hop holds (rte_fib DIR24_8 and rte_fib6 TRIE keep the top
 * bit), so that any route index is below it.
 */
#define ZC_ROUTE_NONE 0x7fffffffu

/** Room for a route's text, e.g. "2001:db8:2::/48 via fe80::2 port 1". */
#define ZC_ROUTE_TEXT_LEN 128

/** Most static neighbours. */
#define ZC_NEIGH_STATIC_MAX 4096

/** Entries each lcore's neighbour table can learn beyond the static ones. */
#define ZC_NEIGH_LEARN_MAX 8192

/** What a route leads to. */
enum zc_route_kind {
	ZC_ROUTE_VIA = 0,   /**< Through a gateway: "P via NH [port N]". */
	ZC_ROUTE_ONLINK,    /**< Destination on the link: "P port N". */
	ZC_ROUTE_CONNECTED, /**< A port's subnet; next hop is the destination. */
	ZC_ROUTE_LOCAL,     /**< A port's own address: for the router itself. */
};

/** One route. */
struct zc_route {
	uint8_t family;     /**< AF_INET or AF_INET6. */
	uint8_t depth;      /**< Prefix length. */
	uint8_t kind;       /**< enum zc_route_kind. */
	uint8_t tunnel;     /**< 1 + index of its VXLAN tunnel, 0 if none. */
	uint16_t cfg_port;  /**< Egress port, configuration index. */
	uint16_t port;      /**< Egress port, ethdev port id. */
	uint32_t line;      /**< Line in the routes file; 0 if derived. */
	uint8_t prefix[16]; /**< Prefix; IPv4 in the first 4 bytes, network order. */
	uint8_t nh[16];     /**< Gateway of a VIA route, same layout. */
};

/**
 * A route as shown to people ("10.1.0.0/16 via 10.0.1.2 port 1"), in the
 * syntax of the routes file.
 *
 * @return
 *   The length snprintf() would give.
 */
int zc_route_format(const struct zc_route *r, char *buf, size_t len);

/** zc_route_slot.nb of a route without a gateway entry. */
#define ZC_ROUTE_NO_NB UINT32_MAX

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

/** One static neighbour from [route] neighbours. */
struct zc_neigh_static {
	uint8_t family;         /**< AF_INET or AF_INET6. */
	uint16_t cfg_port;      /**< Port, configuration index. */
	uint16_t port;          /**< Port, ethdev port id. */
	uint32_t line;          /**< Line in the neighbours file. */
	uint8_t ip[16];         /**< Address; IPv4 in the first 4 bytes. */
	struct rte_ether_addr mac; /**< Its MAC address. */
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

/** The shared, read-only routing state. */
struct zc_route_table {
	struct rte_fib *fib4;   /**< IPv4 LPM; NULL if no IPv4 route. */
	struct rte_fib6 *fib6;  /**< IPv6 LPM; NULL if no IPv6 route. */
	uint32_t nb_routes;     /**< Entries in routes. */
	uint32_t nb_neigh;      /**< Entries in neigh. */
	struct zc_route *routes; /**< By index == FIB next-hop value. */
	uint64_t none4;         /**< fib4's next hop for "no route". */
	uint64_t none6;         /**< fib6's next hop for "no route". */
	struct zc_neigh_static *neigh; /**< Static neighbours. */
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

/**
 * The route stage's counters, X(T, name, kind, unit, help) each: the
 * fields of struct zc_route_lcore_stats and the "route" counter group
 * (summary, /zcpipe/counters, /zcpipe/routes, zcstat) come from this list
 * (core/zc_counter.h).
 */
#define ZC_ROUTE_COUNTERS(X, T) \
	X(T, forwarded,    COUNTER, packets, "Packets routed: TTL or hop limit and MACs rewritten.") \
	X(T, policy,       COUNTER, packets, "Packets passed on untouched: their egress port was already chosen.") \
	X(T, arp_replies,  COUNTER, packets, "ARP requests answered.") \
	X(T, na_replies,   COUNTER, packets, "IPv6 neighbour solicitations answered.") \
	X(T, echo_replies, COUNTER, packets, "ICMP and ICMPv6 echo requests answered.") \
	X(T, probes,       COUNTER, packets, "Packets turned into ARP requests or neighbour solicitations.") \
	X(T, learned,      COUNTER, events,  "Neighbour entries learned or changed.") \
	X(T, learn_full,   COUNTER, events,  "Neighbours not learned: the table was full.")

/** Per-lcore counters of the route stage (single writer). */
struct zc_route_lcore_stats {
	ZC_ROUTE_COUNTERS(ZC_COUNTER_FIELD, _)
} __rte_cache_aligned;

/** Per-lcore route stage counters, by lcore id. */
extern struct zc_route_lcore_stats zc_route_stats[RTE_MAX_LCORE];

/**
 * Build a route table from the configuration: port addresses, the routes
 * file and the neighbours file. cfg->port[i].port_id must be valid.
 *
 * @param cfg
 *   Validated configuration.
 * @param socket_id
 *   NUMA socket for the tables.
 * @return
 *   The table, or NULL with the reason in zc_config_strerror(), as
 *   "FILE:LINE: reason" for a bad line.
 */
struct zc_route_table *zc_route_table_create(const struct zc_config *cfg,
					     int socket_id);

/** Free a table from zc_route_table_create(). NULL is allowed. */
void zc_route_table_free(struct zc_route_table *rt);

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
int zc_route_lookup4(const struct zc_route_table *rt, uint32_t dst);

/**
 * Longest-prefix match of one IPv6 address.
 *
 * @return
 *   Index of the matching route, or -1 if none.
 */
int zc_route_lookup6(const struct zc_route_table *rt, const uint8_t dst[16]);

/**
 * Take a reference on the process-wide table, building it on first use.
 * Route stage instances share it; telemetry reads it.
 *
 * @return
 *   The table, or NULL with zc_config_strerror() set.
 */
struct zc_route_table *zc_route_get(const struct zc_config *cfg,
				    int socket_id);

/** Drop a reference from zc_route_get(); the last one frees the table. */
void zc_route_put(void);

/**
 * The hit-counter row of an lcore for the process-wide table: one counter
 * per route, written only by that lcore. Allocated on first call.
 *
 * @return
 *   The row, or NULL without memory or table.
 */
struct zc_route_slot *zc_route_hits_row(unsigned int lcore_id,
					 int socket_id);

/**
 * Number of routes in the process-wide table (0 if there is none).
 * For telemetry (/zcpipe/routes).
 */
unsigned int zc_route_count(void);

/**
 * One route of the process-wide table and its hits summed over lcores.
 *
 * @param idx
 *   Route index, below zc_route_count().
 * @param text
 *   Filled with the route's text, e.g. "10.1.0.0/16 via 10.0.0.2 port 1"
 *   (zc_route_format()), under the lock that keeps the table alive.
 * @param len
 *   Size of text.
 * @param hits
 *   Set to the packets that matched the route.
 * @return
 *   0, or -1 if idx is out of range.
 */
int zc_route_info(unsigned int idx, char *text, size_t len, uint64_t *hits);

/** Route stage counters summed over every lcore. */
void zc_route_stats_sum(struct zc_route_lcore_stats *sum);

/**
 * Make an lcore's neighbour table holding the static neighbours of rt.
 *
 * @return
 *   The table, or NULL (out of memory).
 */
struct zc_neigh_table *zc_neigh_table_create(const struct zc_route_table *rt,
					     int socket_id);

/** Free a neighbour table. NULL is allowed. */
void zc_neigh_table_free(struct zc_neigh_table *nt);

/**
 * Find a neighbour.
 *
 * @param ip
 *   Address: 4 bytes (network order) for AF_INET, 16 for AF_INET6.
 * @return
 *   The entry, or NULL.
 */
struct zc_neigh *zc_neigh_lookup(const struct zc_neigh_table *nt,
				 uint16_t port, uint8_t family,
				 const void *ip);

/**
 * Find a neighbour, adding it as INCOMPLETE if it is not there.
 *
 * @return
 *   The entry, or NULL if the table is full.
 */
struct zc_neigh *zc_neigh_get(struct zc_neigh_table *nt, uint16_t port,
			      uint8_t family, const void *ip);

/**
 * Record what ARP or neighbour discovery said. Static entries are never
 * changed.
 *
 * @return
 *   1 if an entry was added or changed, 0 if nothing changed, -1 if the
 *   table is full.
 */
int zc_neigh_learn(struct zc_neigh_table *nt, uint16_t port, uint8_t family,
		   const void *ip, const struct rte_ether_addr *mac);

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

#endif /* ZC_ROUTE_H */
