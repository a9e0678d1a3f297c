/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ROUTE_H
#define ZC_ROUTE_H

/**
 * @file
 * What the routing feature offers: the "route" stage (lib/route/route.c,
 * with neigh.c for ARP/ND and local.c for packets to the router itself),
 * its tables (built in lib/route/control.c) and what telemetry reads of
 * them. The per-packet lookups are inlines in lib/route/zc_route_dp.h,
 * which this header includes.
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

#include "core/zc_stage.h"
#include "route/zc_route_dp.h"

struct zc_config;

/** Default [route] max_routes: IPv4 routes the table may hold. */
#define ZC_ROUTE_MAX4_DEFAULT (1u << 20)

/** Default [route] max_routes6: IPv6 routes the table may hold. */
#define ZC_ROUTE_MAX6_DEFAULT (1u << 18)

/** Most routes of one family [route] max_routes/max_routes6 may allow. */
#define ZC_ROUTE_MAX_LIMIT (1u << 24)

/** Room for a route's text, e.g. "2001:db8:2::/48 via fe80::2 port 1". */
#define ZC_ROUTE_TEXT_LEN 128

/** Most static neighbours. */
#define ZC_NEIGH_STATIC_MAX 4096

/** Entries each lcore's neighbour table can learn beyond the static ones. */
#define ZC_NEIGH_LEARN_MAX 8192

/**
 * A route as shown to people ("10.1.0.0/16 via 10.0.1.2 port 1"), in the
 * syntax of the routes file.
 *
 * @return
 *   The length snprintf() would give.
 */
int zc_route_format(const struct zc_route *r, char *buf, size_t len);

/** One static neighbour from [route] neighbours. */
struct zc_neigh_static {
	uint8_t family;         /**< AF_INET or AF_INET6. */
	uint16_t cfg_port;      /**< Port, configuration index. */
	uint16_t port;          /**< Port, ethdev port id. */
	uint32_t line;          /**< Line in the neighbours file. */
	uint8_t ip[16];         /**< Address; IPv4 in the first 4 bytes. */
	struct rte_ether_addr mac; /**< Its MAC address. */
};

/** Per-lcore counters of the route stage (single writer). */
struct zc_route_lcore_stats {
	uint64_t forwarded;    /**< Routed: TTL/hop limit and MACs rewritten. */
	uint64_t policy;       /**< Passed untouched: out_port already chosen. */
	uint64_t arp_replies;  /**< ARP requests answered. */
	uint64_t na_replies;   /**< Neighbour solicitations answered. */
	uint64_t echo_replies; /**< ICMP and ICMPv6 echo requests answered. */
	uint64_t probes;       /**< Packets turned into ARP requests or NS. */
	uint64_t learned;      /**< Neighbour entries learned or changed. */
	uint64_t learn_full;   /**< Not learned: the table was full. */
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

#endif /* ZC_ROUTE_H */
