/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ROUTE_CTL_H
#define ZC_ROUTE_CTL_H

/*
 * What lib/route/control.c (the tables and their files) lends to
 * lib/route/update.c (changes at run time), and nothing else includes.
 * Control path only.
 */

#include <stdint.h>

#include "route/zc_route.h"

struct zc_config;

/* Index rows of route_hits get beyond the routes of the table, at least. */
#define ZC_ROUTE_SPARE 1024u

/*
 * The buckets of a multipath route: with old (the route it replaces),
 * next hops that stay keep their buckets and only the others' move;
 * without, spread evenly.
 */
void zc_route_mp_buckets(struct zc_route_mp *mp, const struct zc_route_mp *old);

/* A copy of a next-hop list (malloc), NULL for NULL or no memory. */
struct zc_route_mp *zc_route_mp_dup(const struct zc_route_mp *mp);

/* Free the next-hop lists of nb routes (and clear their pointers). */
void zc_route_mp_free_all(struct zc_route *v, uint32_t nb);

/* The lock telemetry's thread takes to read the table (zc_route_info). */
void zc_route_lock(void);
void zc_route_unlock(void);

/* The process-wide table, or NULL. */
struct zc_route_table *zc_route_table_active(void);

/* The per-lcore slot rows by lcore id, and (in *cap) their length. */
struct zc_route_slot **zc_route_rows(uint32_t **cap);

/* Build FIBs for routes[0 .. nb_routes-1] (family 0 entries skipped);
 * NULL with zc_config_strerror() set.
 */
struct zc_route_fibs *zc_route_fibs_build(const struct zc_config *cfg,
					  const struct zc_route *routes,
					  uint32_t nb_routes, int socket_id);

/* Free FIBs from zc_route_fibs_build(); NULL is allowed. */
void zc_route_fibs_free(struct zc_route_fibs *f);

/*
 * One route in the routes file's syntax, line modified (split in place);
 * errors through zc_config_strerror() as "WHAT: reason". 0 or -1.
 */
int zc_route_parse(const struct zc_config *cfg,
		   const struct zc_route_table *rt, const char *what,
		   char *line, struct zc_route *r);

/* One neighbour in the neighbours file's syntax, likewise. */
int zc_route_parse_neigh(const struct zc_config *cfg,
			 const struct zc_route_table *rt, const char *what,
			 char *line, struct zc_neigh_static *n);

/* The port (configuration index) whose subnet holds addr; -1 none, -2
 * two.
 */
int zc_route_port_of(const struct zc_config *cfg,
		     const struct zc_route_table *rt, uint8_t family,
		     const uint8_t *addr);

/*
 * Append the routes of a routes file to *routes (malloc'd, *nb entries,
 * e.g. the derived ones) and check for duplicates over the whole array.
 * 0, or -1 with "FILE:LINE: reason" in zc_config_strerror() and the
 * array freed.
 */
int zc_route_read_file(const struct zc_config *cfg,
		       const struct zc_route_table *rt, const char *path,
		       struct zc_route **routes, uint32_t *nb);

/* The neighbours of a neighbours file (malloc'd); 0 or -1 likewise. */
int zc_route_read_neigh_file(const struct zc_config *cfg,
			     const struct zc_route_table *rt,
			     const char *path, struct zc_neigh_static **neigh,
			     uint32_t *nb);

#endif /* ZC_ROUTE_CTL_H */
