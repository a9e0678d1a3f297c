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

#include <limits.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_lcore.h>

#include "core/zc_counter.h"
#include "core/zc_stage.h"
#include "route/zc_route_dp.h"

struct zc_config;

/** Default [route] max_routes: IPv4 routes the table may hold. */
#define ZC_ROUTE_MAX4_DEFAULT (1u << 20)

/** Default [route] max_routes6: IPv6 routes the table may hold. */
#define ZC_ROUTE_MAX6_DEFAULT (1u << 18)

/** Most routes of one family [route] max_routes/max_routes6 may allow. */
#define ZC_ROUTE_MAX_LIMIT (1u << 24)

/** The [route] section, as loaded (lib/route/config.c). */
struct zc_route_conf {
	char routes[PATH_MAX];     /**< Route file, "" for none. */
	char neighbours[PATH_MAX]; /**< Static neighbour file, "" for none. */
	uint8_t learn;         /**< Learn neighbours from ARP/ND (default on). */
	uint32_t probe_ms;     /**< Least interval between probes per neighbour. */
	uint32_t max_routes;   /**< Most IPv4 routes (derived ones included). */
	uint32_t max_routes6;  /**< Most IPv6 routes (derived ones included). */
	uint32_t icmp_rate;    /**< ICMP errors a second per lcore; 0: none. */
	/** source = kernel: mirror the network namespace's main routing
	 *  table and neighbours (lib/route/kernel.c) besides the files.
	 */
	uint8_t source_kernel;
};

/** The loaded configuration; filled by zc_config_load(). */
extern struct zc_route_conf zc_route_conf;

/** Room for a route's text, e.g. "2001:db8:2::/48 via fe80::2 port 1"
 *  (up to ZC_ROUTE_NH_MAX "via ... port N").
 */
#define ZC_ROUTE_TEXT_LEN 512

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

/** One static neighbour from [route] neighbours (or zcctl neigh add). */
struct zc_neigh_static {
	uint8_t family;         /**< AF_INET or AF_INET6. */
	uint8_t source;         /**< enum zc_route_source. */
	uint16_t cfg_port;      /**< Port, configuration index. */
	uint16_t port;          /**< Port, ethdev port id. */
	uint32_t line;          /**< Line in the neighbours file. */
	uint8_t ip[16];         /**< Address; IPv4 in the first 4 bytes. */
	struct rte_ether_addr mac; /**< Its MAC address. */
};

/** Messages each route stage instance's control ring holds. */
#define ZC_ROUTE_CTL_RING 4096

/** What a zc_route_msg asks a route stage instance to do. */
enum zc_route_msg_op {
	/** Set slot idx: port, kind, family and the gateway ip's entry in
	 *  the lcore's neighbour table (added if missing); hits zeroed if
	 *  reset_hits.
	 */
	ZC_RMSG_ROUTE = 0,
	/** Make (port, family, ip) a static neighbour with mac. */
	ZC_RMSG_NEIGH_SET,
	/** Forget the MAC of (port, family, ip): unresolved again. */
	ZC_RMSG_NEIGH_DEL,
	/** Move to the slot row slots, copying the first idx slots. */
	ZC_RMSG_SLOTS,
	/** Set next hop member of group idx: gateway ip's entry (added if
	 *  missing) and port. The group is not in use.
	 */
	ZC_RMSG_GROUP_NH,
	/** Set the buckets of group idx. The group is not in use. */
	ZC_RMSG_GROUP_BUCKETS,
};

/**
 * A change the control thread asks of one route stage instance, which
 * applies it to its own state between two bursts (lib/route/update.c).
 * Passed by value through an SP/SC ring.
 */
struct zc_route_msg {
	uint64_t seq;                /**< Set by the sender. */
	struct zc_route_slot *slots; /**< ZC_RMSG_SLOTS: the new row. */
	uint32_t idx;                /**< Route index, or slots to copy. */
	uint16_t port;               /**< ethdev port id. */
	uint8_t op;                  /**< enum zc_route_msg_op. */
	uint8_t family;              /**< AF_INET or AF_INET6. */
	uint8_t kind;                /**< enum zc_route_kind. */
	uint8_t reset_hits;          /**< A new route: hits start at 0. */
	uint8_t member;              /**< ZC_RMSG_GROUP_NH: which next hop. */
	uint8_t pad;                 /**< Zero. */
	uint8_t ip[16];              /**< Gateway or neighbour address. */
	struct rte_ether_addr mac;   /**< ZC_RMSG_NEIGH_SET: its MAC. */
	uint8_t pad2[2];             /**< Zero. */
	/** ZC_RMSG_ROUTE of kind ZC_ROUTE_ECMP: the route's group. */
	uint32_t group;
	/** ZC_RMSG_GROUP_BUCKETS: next hop of each bucket. */
	uint8_t bucket[ZC_ECMP_BUCKETS];
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
	X(T, learn_full,   COUNTER, events,  "Neighbours not learned: the table was full.") \
	X(T, trimmed,      COUNTER, packets, "Forwarded packets cut to their IP datagram's length (padding).")

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
 *   0; 1 if idx is free (its route deleted at run time: text and hits
 *   are not set); -1 if idx is out of range.
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

/* ---- changes at run time (lib/route/update.c), control thread only ---- */

/** A batch of route and neighbour changes: built, prepared, committed. */
struct zc_route_batch;

/** How a route in a batch meets an existing route for its prefix. */
enum zc_route_batch_mode {
	ZC_BATCH_ADD,     /**< There must be none (route add). */
	ZC_BATCH_REPLACE, /**< There must be one (route change). */
	ZC_BATCH_PUT,     /**< Either (route replace, route load). */
};

/** What a batch did, once prepared. */
struct zc_route_batch_stats {
	uint32_t added;          /**< Routes for new prefixes. */
	uint32_t replaced;       /**< Routes whose next hop or port changed. */
	uint32_t deleted;        /**< Routes taken out. */
	uint32_t unchanged;      /**< Routes and neighbours already so. */
	uint32_t neigh_set;      /**< Static neighbours added or changed. */
	uint32_t neigh_deleted;  /**< Neighbours taken out or forgotten. */
	uint64_t skipped;        /**< Changes left out (tolerant batch). */
	uint64_t failed;         /**< Changes a full neighbour table refused
				  *   on some lcore (commit). */
};

/** A new, empty batch for the configuration in force; NULL if no memory. */
struct zc_route_batch *zc_route_batch_new(const struct zc_config *cfg);

/**
 * Add a route in the routes file's syntax ("PREFIX via ADDR [port N]",
 * "PREFIX port N", "PREFIX vxlan NAME"). Errors start with what (e.g.
 * "route add").
 *
 * @return
 *   0, or -1 with err set (nothing is changed until commit).
 */
int zc_route_batch_route(struct zc_route_batch *b,
			 enum zc_route_batch_mode mode, const char *what,
			 const char *line, char *err, size_t errlen);

/**
 * Where the batch's routes and neighbours come from (default ZC_SRC_CTL);
 * tolerant: a change the tables refuse is logged and left out rather than
 * refusing the batch; sync: the batch is the source's whole share, so
 * what the source set before and the batch does not hold goes (a dump).
 */
void zc_route_batch_mode(struct zc_route_batch *b,
			 enum zc_route_source source, int tolerant, int sync);

/** Delete the route of a prefix, only if the batch's source set it. */
int zc_route_batch_del_src(struct zc_route_batch *b, const char *what,
			   const char *prefix, char *err, size_t errlen);

/** Delete a static neighbour, only if the batch's source set it. */
int zc_route_batch_neigh_del_src(struct zc_route_batch *b, const char *what,
				 const char *addr, int cfg_port, char *err,
				 size_t errlen);

/** Delete the route of a prefix. 0 or -1 with err set. */
int zc_route_batch_del(struct zc_route_batch *b, const char *what,
		       const char *prefix, char *err, size_t errlen);

/** Add or change a static neighbour ("ADDR MAC [port N]"). 0 or -1. */
int zc_route_batch_neigh(struct zc_route_batch *b, const char *what,
			 const char *line, char *err, size_t errlen);

/**
 * Delete a static neighbour, or forget a learned MAC, of addr on a
 * configured port (cfg_port < 0: the port whose subnet holds it). 0 or -1.
 */
int zc_route_batch_neigh_del(struct zc_route_batch *b, const char *what,
			     const char *addr, int cfg_port, char *err,
			     size_t errlen);

/** Every route of a routes file, added or replacing. 0 or -1 ("FILE:LINE: ..."). */
int zc_route_batch_file(struct zc_route_batch *b, const char *path,
			char *err, size_t errlen);

/**
 * The routes and neighbours files [route] names, as their share of the
 * tables (reload, SIGHUP): what they hold goes in, what came from them
 * and is gone goes out; what zcctl added stays. 0 or -1.
 */
int zc_route_batch_reload(struct zc_route_batch *b, char *err,
			  size_t errlen);

/**
 * Check the whole batch against the tables and build what it needs (new
 * FIBs if prefixes come or go), changing nothing.
 *
 * @return
 *   0, or -1 with err set: the batch cannot be committed.
 */
int zc_route_batch_prepare(struct zc_route_batch *b, char *err,
			   size_t errlen);

/**
 * Put a prepared batch in force: the route stages take the changes
 * between bursts, then the new FIBs are published and the old ones freed
 * after a grace period. Cannot fail.
 */
void zc_route_batch_commit(struct zc_route_batch *b);

/** Free a batch, committed or not. NULL is allowed. */
void zc_route_batch_free(struct zc_route_batch *b);

/** What a prepared (or committed) batch does. */
const struct zc_route_batch_stats *
zc_route_batch_stats(const struct zc_route_batch *b);

/** What the last change of the batch did, in words ("added ..."). */
const char *zc_route_batch_text(const struct zc_route_batch *b);

/**
 * A route of the table and its hits over every lcore (control thread).
 *
 * @return
 *   0; 1 for a free index; -1 past the last index.
 */
int zc_route_entry(unsigned int idx, struct zc_route *out, uint64_t *hits);

/**
 * Index of the longest route holding addr/depth (addr in packet layout),
 * or -1 (control thread).
 */
int zc_route_match(uint8_t family, const uint8_t *addr, unsigned int depth);

/** Static neighbours in force (control thread). */
unsigned int zc_neigh_static_count(void);

/** Static neighbour i. 0 or -1. */
int zc_neigh_static_get(unsigned int i, struct zc_neigh_static *out);

/**
 * Entry i of the neighbour table of the route stage on an lcore (what it
 * learned and holds). Read while that lcore may write it: a value being
 * changed may show half old. 0, or -1 past the last entry.
 */
int zc_neigh_learned_get(unsigned int lcore_id, unsigned int i,
			 struct zc_neigh *out);

/* ---- [route] source = kernel (lib/route/kernel.c), control thread -- */

/**
 * Start mirroring the kernel's main routing table and neighbours: map the
 * ports' kernel interfaces, subscribe to rtnetlink, apply a full dump.
 *
 * @return
 *   The socket to poll for changes, or -1 (not configured, no route
 *   stage, or an error, logged).
 */
int zc_route_kernel_open(const struct zc_config *cfg);

/** Read and apply the changes waiting on the socket. */
void zc_route_kernel_input(void);

/** Changes read and dumps applied since start. */
void zc_route_kernel_stats(uint64_t *changes, uint64_t *dumps);

/** Stop mirroring. */
void zc_route_kernel_close(void);

#endif /* ZC_ROUTE_H */
