/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Routes and static neighbours changed at run time, on the control
 * thread (lib/control/route_cmd.c: zcctl route and neigh, reload and
 * SIGHUP). The design, in docs/control.md:
 *
 *  - A batch of changes is prepared first, changing nothing: every line
 *    parsed and checked, the new route array and static neighbour list
 *    computed, and, if prefixes come or go, new FIBs built from the whole
 *    new array. Any error leaves the batch refused and nothing changed.
 *  - Committing it cannot fail. What each route stage instance owns (its
 *    slot row: egress, kind and the gateway's neighbour entry by route
 *    index; its neighbour table) is changed by that instance itself,
 *    between two bursts, from messages on its SP/SC ring (route.c), so
 *    every packet sees a route wholly before or wholly after a change:
 *    replacing a next hop loses no packet. The control thread waits until
 *    each instance has applied them.
 *  - Then the new FIBs are published with one release store, and the old
 *    ones freed after an RCU grace period. rte_fib is never updated in
 *    place: in DPDK 22.11 its DIR24_8 tables free (and zero) a tbl8 group
 *    while a lookup may still be reading it.
 *  - A route keeps its index while it lives (a replace keeps it, and its
 *    hits). A deleted route's index is reused only by a later batch, once
 *    no FIB maps a prefix to it any more.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_string_fns.h>

#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_log.h"
#include "core/zc_rcu.h"
#include "route/route_ctl.h"
#include "route/route_priv.h"
#include "route/zc_route.h"

/* What a batch asks, in order. */
enum op_type {
	OP_ADD,      /* A route for a prefix that has none. */
	OP_PUT,      /* A route for a prefix, replacing any. */
	OP_REPLACE,  /* A route for a prefix that has one. */
	OP_DEL,      /* No route for a prefix. */
	OP_NSET,     /* A static neighbour, replacing any. */
	OP_NDEL,     /* No static neighbour (or forget a learned MAC). */
	OP_DEL_SRC,  /* No route for a prefix, if the batch's source set it. */
	OP_NDEL_SRC, /* No static neighbour, if the batch's source set it. */
};

struct batch_op {
	uint8_t type;                /* enum op_type. */
	struct zc_route r;           /* Routes: the route (prefix only for
				      * OP_DEL).
				      */
	struct zc_neigh_static n;    /* Neighbours. */
};

/* A prefix, as a hash key. */
struct pkey {
	uint8_t family;
	uint8_t depth;
	uint8_t prefix[16];
};

/* Open-addressing map prefix -> route index (control thread only). */
struct pmap {
	uint32_t mask;   /* Slots - 1. */
	struct pmap_e {
		struct pkey k;
		uint8_t used;    /* 0 empty, 1 used, 2 deleted. */
		uint32_t idx;
	} *e;
};

struct zc_route_batch {
	const struct zc_config *cfg;
	uint8_t source;               /* enum zc_route_source of its routes. */
	uint8_t tolerant;             /* A refused change is skipped. */
	uint8_t sync;                 /* What source set and the batch does
				       * not hold goes (a full dump).
				       */
	struct batch_op *ops;
	uint32_t nb_ops, cap_ops;
	/* Prepared. */
	int prepared;
	struct zc_route *routes;      /* New route array (rte_malloc). */
	uint32_t nb_routes;
	uint8_t *change;              /* Per index: 1 replaced, 2 new. */
	uint8_t *touched;             /* Per index: set by the batch. */
	struct zc_neigh_static *neigh; /* New static list (rte_malloc). */
	uint32_t nb_neigh;
	struct zc_neigh_static *nset; /* NEIGH_SET messages. */
	uint32_t nb_nset;
	struct zc_neigh_static *ndel; /* NEIGH_DEL messages. */
	uint32_t nb_ndel;
	struct zc_route_fibs *fibs;   /* New FIBs, NULL if unchanged. */
	/* Groups of multipath routes in use after the batch; and those of
	 * the routes it replaces or deletes, free once it is in force.
	 */
	uint64_t groups[ZC_ROUTE_GROUPS_MAX / 64];
	uint32_t released[ZC_ROUTE_GROUPS_MAX];
	uint32_t nb_released;
	uint32_t cap;                 /* Slot rows needed. */
	struct zc_route_slot *rows[RTE_MAX_LCORE]; /* Grown rows. */
	struct zc_route_batch_stats st;
	char text[2 * ZC_ROUTE_TEXT_LEN + 64]; /* What one change did. */
};

/* Sequence number of the last message sent to the route instances. */
static uint64_t msg_seq;

/* ---- helpers -------------------------------------------------------- */

/* Set a batch error; returns -1. */
static int __rte_format_printf(3, 4)
berr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static void
pkey_of(const struct zc_route *r, struct pkey *k)
{
	memset(k, 0, sizeof(*k));
	k->family = r->family;
	k->depth = r->depth;
	memcpy(k->prefix, r->prefix, r->family == AF_INET ? 4 : 16);
}

static uint32_t
pkey_hash(const struct pkey *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int
pmap_init(struct pmap *m, uint32_t n)
{
	uint32_t slots = 64;

	while (slots < 2 * n + 2)
		slots *= 2;
	m->mask = slots - 1;
	m->e = calloc(slots, sizeof(*m->e));
	return m->e == NULL ? -ENOMEM : 0;
}

static struct pmap_e *
pmap_find(struct pmap *m, const struct pkey *k, int insert)
{
	uint32_t i = pkey_hash(k) & m->mask;
	struct pmap_e *tomb = NULL;

	for (;; i = (i + 1) & m->mask) {
		struct pmap_e *e = &m->e[i];

		if (e->used == 0)
			return insert ? (tomb != NULL ? tomb : e) : NULL;
		if (e->used == 2) {
			if (tomb == NULL)
				tomb = e;
			continue;
		}
		if (memcmp(&e->k, k, sizeof(*k)) == 0)
			return e;
	}
}

static int
same_route(const struct zc_route *a, const struct zc_route *b)
{
	unsigned int i;

	if (a->kind != b->kind || a->port != b->port ||
	    a->cfg_port != b->cfg_port || a->tunnel != b->tunnel ||
	    memcmp(a->nh, b->nh, 16) != 0 ||
	    (a->mp == NULL) != (b->mp == NULL))
		return 0;
	if (a->mp == NULL)
		return 1;
	if (a->mp->nb != b->mp->nb)
		return 0;
	for (i = 0; i < a->mp->nb; i++)
		if (a->mp->nh[i].port != b->mp->nh[i].port ||
		    memcmp(a->mp->nh[i].ip, b->mp->nh[i].ip, 16) != 0)
			return 0;
	return 1;
}

/* A free group for a multipath route of the batch, or -1. */
static int
group_alloc(struct zc_route_batch *b)
{
	unsigned int i;

	for (i = 0; i < ZC_ROUTE_GROUPS_MAX; i++)
		if (!(b->groups[i / 64] & (UINT64_C(1) << (i % 64)))) {
			b->groups[i / 64] |= UINT64_C(1) << (i % 64);
			return (int)i;
		}
	return -1;
}

/*
 * The route of an operation as the new array holds it: its own copy of
 * the next-hop list, in a group of its own, its buckets taken over from
 * the route it replaces (old) where next hops stay.
 */
static int
route_place(struct zc_route_batch *b, const struct zc_route *src,
	    const struct zc_route *old, struct zc_route *dst, char *err,
	    size_t errlen)
{
	const struct zc_route_mp *smp = src->mp;
	int g;

	*dst = *src;
	dst->mp = NULL;
	if (smp == NULL)
		return 0;
	g = group_alloc(b);
	if (g < 0)
		return berr(err, errlen, "more than %u routes with several next hops",
			    ZC_ROUTE_GROUPS_MAX);
	dst->mp = zc_route_mp_dup(smp);
	if (dst->mp == NULL)
		return berr(err, errlen, "out of memory");
	dst->mp->group = (uint32_t)g;
	zc_route_mp_buckets(dst->mp, old != NULL ? old->mp : NULL);
	return 0;
}

/* A route of the new array goes: its list freed, its group freed once
 * the batch is in force.
 */
static void
route_drop(struct zc_route_batch *b, struct zc_route *r)
{
	if (r->mp == NULL)
		return;
	b->released[b->nb_released++] = r->mp->group;
	free(r->mp);
	r->mp = NULL;
}

static const char *
addr_text(uint8_t family, const uint8_t *a, char *buf, size_t len)
{
	if (inet_ntop(family, a, buf, len) == NULL)
		strlcpy(buf, "?", len);
	return buf;
}

static void
neigh_text(const struct zc_neigh_static *n, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];

	rte_ether_format_addr(mac, sizeof(mac), &n->mac);
	snprintf(buf, len, "%s %s port %u",
		 addr_text(n->family, n->ip, a, sizeof(a)), mac, n->cfg_port);
}

/* The last zc_config_error() message, without a leading "WHAT: " if
 * what is empty.
 */
static void
copy_error(char *err, size_t len)
{
	const char *e = zc_config_strerror();

	if (strncmp(e, ": ", 2) == 0)
		e += 2;
	strlcpy(err, e, len);
}

/* ---- building a batch ----------------------------------------------- */

static int route_del_op(struct zc_route_batch *b, uint8_t type,
			const char *what, const char *prefix, char *err,
			size_t errlen);
static int neigh_del_op(struct zc_route_batch *b, uint8_t type,
			const char *what, const char *addr, int cfg_port,
			char *err, size_t errlen);

struct zc_route_batch *
zc_route_batch_new(const struct zc_config *cfg)
{
	struct zc_route_batch *b = calloc(1, sizeof(*b));

	if (b != NULL) {
		b->cfg = cfg;
		b->source = ZC_SRC_CTL;
	}
	return b;
}

void
zc_route_batch_mode(struct zc_route_batch *b, enum zc_route_source source,
		    int tolerant, int sync)
{
	b->source = (uint8_t)source;
	b->tolerant = (uint8_t)tolerant;
	b->sync = (uint8_t)sync;
}

static struct batch_op *
op_new(struct zc_route_batch *b, uint8_t type)
{
	struct batch_op *o;

	if (b->nb_ops == b->cap_ops) {
		uint32_t cap = b->cap_ops == 0 ? 16 : 2 * b->cap_ops;

		o = realloc(b->ops, cap * sizeof(*o));
		if (o == NULL)
			return NULL;
		b->ops = o;
		b->cap_ops = cap;
	}
	o = &b->ops[b->nb_ops++];
	memset(o, 0, sizeof(*o));
	o->type = type;
	return o;
}

int
zc_route_batch_route(struct zc_route_batch *b, enum zc_route_batch_mode mode,
		     const char *what, const char *line, char *err,
		     size_t errlen)
{
	struct zc_route_table *rt = zc_route_table_active();
	char buf[1024];
	struct batch_op *o;
	struct zc_route r;
	uint8_t type = mode == ZC_BATCH_ADD ? OP_ADD :
		       mode == ZC_BATCH_REPLACE ? OP_REPLACE : OP_PUT;

	if (rt == NULL)
		return berr(err, errlen, "no route stage runs");
	if (strlcpy(buf, line, sizeof(buf)) >= sizeof(buf))
		return berr(err, errlen, "%s: route longer than %zu characters",
				what, sizeof(buf) - 1);
	if (zc_route_parse(b->cfg, rt, what, buf, &r) < 0) {
		copy_error(err, errlen);
		return -1;
	}
	r.source = b->source;
	r.line = 0;
	o = op_new(b, type);
	if (o == NULL)
		return berr(err, errlen, "out of memory");
	o->r = r;
	return 0;
}

int
zc_route_batch_del(struct zc_route_batch *b, const char *what,
		   const char *prefix, char *err, size_t errlen)
{
	return route_del_op(b, OP_DEL, what, prefix, err, errlen);
}

int
zc_route_batch_del_src(struct zc_route_batch *b, const char *what,
		       const char *prefix, char *err, size_t errlen)
{
	return route_del_op(b, OP_DEL_SRC, what, prefix, err, errlen);
}

static int
route_del_op(struct zc_route_batch *b, uint8_t type, const char *what,
	     const char *prefix, char *err, size_t errlen)
{
	struct batch_op *o;
	struct zc_route r;
	uint8_t masked[16];
	uint32_t a4;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	if (strchr(prefix, ':') != NULL) {
		r.family = AF_INET6;
		if (zc_parse_ipv6_prefix(prefix, r.prefix, &r.depth) < 0)
			goto bad;
	} else {
		r.family = AF_INET;
		if (zc_parse_ipv4_prefix(prefix, &a4, &r.depth) < 0)
			goto bad;
		memcpy(r.prefix, &a4, 4);
	}
	memcpy(masked, r.prefix, 16);
	for (i = r.depth; i < 128; i++)
		masked[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	if (memcmp(masked, r.prefix, 16) != 0)
		return berr(err, errlen, "%s: '%s' has bits set beyond its /%u prefix length",
				what, prefix, r.depth);
	o = op_new(b, type);
	if (o == NULL)
		return berr(err, errlen, "out of memory");
	o->r = r;
	return 0;
bad:
	return berr(err, errlen, "%s: '%s' is not an IPv4 or IPv6 prefix (expected e.g. 10.1.0.0/16 or 2001:db8::/32)",
			what, prefix);
}

int
zc_route_batch_neigh(struct zc_route_batch *b, const char *what,
		     const char *line, char *err, size_t errlen)
{
	struct zc_route_table *rt = zc_route_table_active();
	struct zc_neigh_static n;
	struct batch_op *o;
	char buf[512];

	if (rt == NULL)
		return berr(err, errlen, "no route stage runs");
	if (strlcpy(buf, line, sizeof(buf)) >= sizeof(buf))
		return berr(err, errlen, "%s: neighbour longer than %zu characters",
				what, sizeof(buf) - 1);
	if (zc_route_parse_neigh(b->cfg, rt, what, buf, &n) < 0) {
		copy_error(err, errlen);
		return -1;
	}
	n.source = b->source;
	n.line = 0;
	o = op_new(b, OP_NSET);
	if (o == NULL)
		return berr(err, errlen, "out of memory");
	o->n = n;
	return 0;
}

int
zc_route_batch_neigh_del(struct zc_route_batch *b, const char *what,
			 const char *addr, int cfg_port, char *err,
			 size_t errlen)
{
	return neigh_del_op(b, OP_NDEL, what, addr, cfg_port, err, errlen);
}

int
zc_route_batch_neigh_del_src(struct zc_route_batch *b, const char *what,
			     const char *addr, int cfg_port, char *err,
			     size_t errlen)
{
	return neigh_del_op(b, OP_NDEL_SRC, what, addr, cfg_port, err,
			    errlen);
}

static int
neigh_del_op(struct zc_route_batch *b, uint8_t type, const char *what,
	     const char *addr, int cfg_port, char *err, size_t errlen)
{
	struct zc_route_table *rt = zc_route_table_active();
	struct zc_neigh_static n;
	struct batch_op *o;

	if (rt == NULL)
		return berr(err, errlen, "no route stage runs");
	memset(&n, 0, sizeof(n));
	if (inet_pton(AF_INET, addr, n.ip) == 1)
		n.family = AF_INET;
	else if (inet_pton(AF_INET6, addr, n.ip) == 1)
		n.family = AF_INET6;
	else
		return berr(err, errlen, "%s: '%s' is not an IPv4 or IPv6 address",
				what, addr);
	if (cfg_port < 0) {
		cfg_port = zc_route_port_of(b->cfg, rt, n.family, n.ip);
		if (cfg_port == -1)
			return berr(err, errlen, "%s: %s is in no port's subnet; add 'port N'",
				    what, addr);
		if (cfg_port == -2)
			return berr(err, errlen, "%s: %s is in the subnets of two ports; add 'port N'",
				    what, addr);
	}
	if ((unsigned int)cfg_port >= b->cfg->nb_ports)
		return berr(err, errlen, "%s: port %d is not configured (ports 0 to %u exist)",
				what, cfg_port, b->cfg->nb_ports - 1u);
	n.cfg_port = (uint16_t)cfg_port;
	n.port = b->cfg->port[cfg_port].port_id;
	o = op_new(b, type);
	if (o == NULL)
		return berr(err, errlen, "out of memory");
	o->n = n;
	return 0;
}

int
zc_route_batch_file(struct zc_route_batch *b, const char *path, char *err,
		    size_t errlen)
{
	struct zc_route_table *rt = zc_route_table_active();
	struct zc_route *v = NULL;
	uint32_t nb = 0, i;

	if (rt == NULL)
		return berr(err, errlen, "no route stage runs");
	if (zc_route_read_file(b->cfg, rt, path, &v, &nb) < 0) {
		copy_error(err, errlen);
		return -1;
	}
	for (i = 0; i < nb; i++) {
		struct batch_op *o = op_new(b, OP_PUT);

		if (o == NULL) {
			zc_route_mp_free_all(v, nb);
			free(v);
			return berr(err, errlen, "out of memory");
		}
		o->r = v[i];
		o->r.source = ZC_SRC_CTL;
		v[i].mp = NULL; /* The operation owns it now. */
	}
	free(v);
	return 0;
}

/*
 * reload: the routes and neighbours files the configuration names, as
 * the file's share of the tables: what they hold is put in (replacing
 * what zcctl set for the same prefix or neighbour), what came from them
 * before and is gone is taken out; what zcctl added stays.
 */
int
zc_route_batch_reload(struct zc_route_batch *b, char *err, size_t errlen)
{
	const struct zc_config *cfg = b->cfg;
	struct zc_route_table *rt = zc_route_table_active();
	struct zc_route *v = NULL;
	struct zc_neigh_static *nv = NULL;
	uint32_t nb = 0, nnb = 0, nderived = 0, i, j;
	struct batch_op *o;

	if (rt == NULL)
		return berr(err, errlen, "no route stage runs");
	/* The derived routes first, for the duplicate check. */
	for (i = 0; i < rt->nb_routes; i++)
		nderived += rt->routes[i].family != 0 &&
			    rt->routes[i].source == ZC_SRC_PORT &&
			    rt->routes[i].tunnel == 0;
	v = malloc((nderived + 1) * sizeof(*v));
	if (v == NULL)
		return berr(err, errlen, "out of memory");
	for (i = 0; i < rt->nb_routes; i++)
		if (rt->routes[i].family != 0 &&
		    rt->routes[i].source == ZC_SRC_PORT &&
		    rt->routes[i].tunnel == 0)
			v[nb++] = rt->routes[i];
	if (zc_route_conf.routes[0] != '\0' &&
	    zc_route_read_file(cfg, rt, zc_route_conf.routes, &v, &nb) < 0) {
		copy_error(err, errlen);
		return -1;
	}
	if (zc_route_conf.neighbours[0] != '\0' &&
	    zc_route_read_neigh_file(cfg, rt, zc_route_conf.neighbours, &nv,
				     &nnb) < 0) {
		free(v);
		copy_error(err, errlen);
		return -1;
	}
	/* File routes: put; former file routes no longer there: out. */
	for (i = nderived; i < nb; i++) {
		o = op_new(b, OP_PUT);
		if (o == NULL)
			goto nomem;
		o->r = v[i];
		o->r.source = ZC_SRC_FILE;
		v[i].mp = NULL; /* The operation owns it now. */
	}
	for (i = 0; i < rt->nb_routes; i++) {
		const struct zc_route *r = &rt->routes[i];
		struct pkey k, kj;

		if (r->family == 0 || r->source != ZC_SRC_FILE)
			continue;
		pkey_of(r, &k);
		for (j = nderived; j < nb; j++) {
			pkey_of(&v[j], &kj);
			if (memcmp(&k, &kj, sizeof(k)) == 0)
				break;
		}
		if (j < nb)
			continue;
		o = op_new(b, OP_DEL);
		if (o == NULL)
			goto nomem;
		o->r = *r;
		o->r.mp = NULL; /* A prefix only: the table keeps its list. */
	}
	for (i = 0; i < nnb; i++) {
		o = op_new(b, OP_NSET);
		if (o == NULL)
			goto nomem;
		o->n = nv[i];
		o->n.source = ZC_SRC_FILE;
	}
	for (i = 0; i < rt->nb_neigh; i++) {
		const struct zc_neigh_static *n = &rt->neigh[i];

		if (n->source != ZC_SRC_FILE)
			continue;
		for (j = 0; j < nnb; j++)
			if (nv[j].port == n->port &&
			    nv[j].family == n->family &&
			    memcmp(nv[j].ip, n->ip, 16) == 0)
				break;
		if (j < nnb)
			continue;
		o = op_new(b, OP_NDEL);
		if (o == NULL)
			goto nomem;
		o->n = *n;
	}
	free(v);
	free(nv);
	return 0;
nomem:
	zc_route_mp_free_all(v, nb);
	free(v);
	free(nv);
	return berr(err, errlen, "out of memory");
}

/* ---- prepare -------------------------------------------------------- */

static int
neigh_find(const struct zc_neigh_static *v, uint32_t nb,
	   const struct zc_neigh_static *n)
{
	uint32_t i;

	for (i = 0; i < nb; i++)
		if (v[i].port == n->port && v[i].family == n->family &&
		    memcmp(v[i].ip, n->ip, 16) == 0)
			return (int)i;
	return -1;
}

static int
add_msg(struct zc_neigh_static **v, uint32_t *nb,
	const struct zc_neigh_static *n)
{
	struct zc_neigh_static *nv = realloc(*v, (*nb + 1) * sizeof(*nv));

	if (nv == NULL)
		return -1;
	nv[(*nb)++] = *n;
	*v = nv;
	return 0;
}

static void
batch_unprepare(struct zc_route_batch *b)
{
	unsigned int l;

	zc_route_mp_free_all(b->routes, b->nb_routes);
	rte_free(b->routes);
	b->routes = NULL;
	free(b->change);
	b->change = NULL;
	free(b->touched);
	b->touched = NULL;
	rte_free(b->neigh);
	b->neigh = NULL;
	free(b->nset);
	b->nset = NULL;
	b->nb_nset = 0;
	free(b->ndel);
	b->ndel = NULL;
	b->nb_ndel = 0;
	zc_route_fibs_free(b->fibs);
	b->fibs = NULL;
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		rte_free(b->rows[l]);
		b->rows[l] = NULL;
	}
	b->prepared = 0;
}

static int
prepare_route_op(struct zc_route_batch *b, const struct batch_op *o,
		 struct pmap *map, uint32_t *free_idx, uint32_t *nb_free,
		 int *prefixes, char *err, size_t errlen)
{
	char t1[ZC_ROUTE_TEXT_LEN], t2[ZC_ROUTE_TEXT_LEN];
	struct zc_route r = o->r;
	struct pmap_e *e;
	struct pkey k;
	uint32_t idx;

	pkey_of(&r, &k);
	e = pmap_find(map, &k, 0);
	if (o->type == OP_DEL_SRC &&
	    (e == NULL || b->routes[e->idx].source != b->source))
		return 0; /* Not one of this source's: left alone. */
	if (e != NULL && b->routes[e->idx].source == ZC_SRC_PORT &&
	    b->routes[e->idx].tunnel == 0) {
		zc_route_format(&b->routes[e->idx], t1, sizeof(t1));
		return berr(err, errlen, "'%s' is a route of the port's own address; it changes with [port.%u]",
			    t1, b->routes[e->idx].cfg_port);
	}
	if (o->type == OP_DEL || o->type == OP_DEL_SRC) {
		if (e == NULL) {
			char a[INET6_ADDRSTRLEN];

			return berr(err, errlen, "no route for %s/%u",
					addr_text(r.family, r.prefix, a,
						  sizeof(a)), r.depth);
		}
		zc_route_format(&b->routes[e->idx], t1, sizeof(t1));
		snprintf(b->text, sizeof(b->text), "deleted %s", t1);
		route_drop(b, &b->routes[e->idx]);
		b->routes[e->idx].family = 0;
		b->change[e->idx] = 0;
		e->used = 2;
		b->st.deleted++;
		*prefixes = 1;
		return 0;
	}
	zc_route_format(&r, t2, sizeof(t2));
	if (e != NULL) {
		struct zc_route *cur = &b->routes[e->idx];

		if (o->type == OP_ADD) {
			zc_route_format(cur, t1, sizeof(t1));
			return berr(err, errlen, "a route for that prefix exists: %s (use route replace)",
					t1);
		}
		b->touched[e->idx] = 1;
		if (same_route(cur, &r)) {
			cur->source = r.source;
			cur->line = r.line;
			snprintf(b->text, sizeof(b->text), "unchanged: %s", t2);
			b->st.unchanged++;
			return 0;
		}
		zc_route_format(cur, t1, sizeof(t1));
		snprintf(b->text, sizeof(b->text), "replaced %s by %s", t1,
			 t2);
		if (route_place(b, &r, cur, &r, err, errlen) < 0)
			return -1;
		route_drop(b, cur);
		*cur = r;
		if (b->change[e->idx] == 0)
			b->change[e->idx] = 1;
		b->st.replaced++;
		return 0;
	}
	if (o->type == OP_REPLACE) {
		return berr(err, errlen, "no route for that prefix to replace (use route add): %s",
				t2);
	}
	/* A new prefix: a free index of an earlier batch, or a new one. */
	if (route_place(b, &r, NULL, &r, err, errlen) < 0)
		return -1;
	idx = *nb_free > 0 ? free_idx[--*nb_free] : b->nb_routes++;
	b->routes[idx] = r;
	b->change[idx] = 2;
	b->touched[idx] = 1;
	e = pmap_find(map, &k, 1);
	e->k = k;
	e->used = 1;
	e->idx = idx;
	snprintf(b->text, sizeof(b->text), "added %s", t2);
	b->st.added++;
	*prefixes = 1;
	return 0;
}

static int
prepare_neigh_op(struct zc_route_batch *b, const struct batch_op *o,
		 char *err, size_t errlen)
{
	char t[128];
	int i = neigh_find(b->neigh, b->nb_neigh, &o->n);

	if (o->type == OP_NDEL_SRC &&
	    (i < 0 || b->neigh[i].source != b->source))
		return 0; /* Not one of this source's: left alone. */
	neigh_text(&o->n, t, sizeof(t));
	if (o->type == OP_NDEL || o->type == OP_NDEL_SRC) {
		if (i >= 0) {
			neigh_text(&b->neigh[i], t, sizeof(t));
			b->neigh[i] = b->neigh[--b->nb_neigh];
			snprintf(b->text, sizeof(b->text), "deleted neighbour %s", t);
		} else {
			char a[INET6_ADDRSTRLEN];

			snprintf(b->text, sizeof(b->text), "forgot the MAC learned for %s port %u, if any",
				 addr_text(o->n.family, o->n.ip, a, sizeof(a)),
				 o->n.cfg_port);
		}
		b->st.neigh_deleted++;
		return add_msg(&b->ndel, &b->nb_ndel, &o->n) < 0 ?
		       berr(err, errlen, "out of memory") : 0;
	}
	if (i >= 0 && rte_is_same_ether_addr(&b->neigh[i].mac, &o->n.mac)) {
		b->neigh[i].source = o->n.source;
		snprintf(b->text, sizeof(b->text), "unchanged: neighbour %s", t);
		b->st.unchanged++;
		return 0;
	}
	if (i >= 0) {
		char t1[128];

		neigh_text(&b->neigh[i], t1, sizeof(t1));
		b->neigh[i] = o->n;
		snprintf(b->text, sizeof(b->text), "replaced neighbour %s by %s",
			 t1, t);
	} else {
		if (b->nb_neigh == ZC_NEIGH_STATIC_MAX)
			return berr(err, errlen, "more than %u static neighbours",
					ZC_NEIGH_STATIC_MAX);
		b->neigh[b->nb_neigh++] = o->n;
		snprintf(b->text, sizeof(b->text), "added neighbour %s", t);
	}
	b->st.neigh_set++;
	return add_msg(&b->nset, &b->nb_nset, &o->n) < 0 ?
	       berr(err, errlen, "out of memory") : 0;
}

/* A tunnel route's gateway is the tunnel's peer: its static neighbour. */
static int
tunnel_neigh(struct zc_route_batch *b, const struct zc_route *r)
{
	const struct zc_vxlan *t;
	struct zc_neigh_static n;

	if (r->tunnel == 0 || r->tunnel > ZC_VXLAN_MAX)
		return 0;
	t = &zc_act_conf.vxlan[r->tunnel - 1];
	memset(&n, 0, sizeof(n));
	n.family = r->family;
	n.cfg_port = t->cfg_port;
	n.port = t->vport;
	n.mac = t->peer_mac;
	return add_msg(&b->nset, &b->nb_nset, &n);
}

/*
 * A full dump (sync): the source's routes and neighbours that the batch
 * did not set are gone from it.
 */
static void
sync_out(struct zc_route_batch *b, int *prefixes)
{
	char t[ZC_ROUTE_TEXT_LEN];
	uint32_t i, j;

	for (i = 0; i < b->nb_routes; i++) {
		struct zc_route *r = &b->routes[i];

		if (r->family == 0 || r->source != b->source || b->touched[i])
			continue;
		zc_route_format(r, t, sizeof(t));
		snprintf(b->text, sizeof(b->text), "deleted %s", t);
		route_drop(b, r);
		r->family = 0;
		b->change[i] = 0;
		b->st.deleted++;
		*prefixes = 1;
	}
	for (i = 0; i < b->nb_neigh;) {
		const struct zc_neigh_static *n = &b->neigh[i];
		int set = 0;

		for (j = 0; j < b->nb_ops && !set; j++)
			set = b->ops[j].type == OP_NSET &&
			      b->ops[j].n.port == n->port &&
			      b->ops[j].n.family == n->family &&
			      memcmp(b->ops[j].n.ip, n->ip, 16) == 0;
		if (n->source != b->source || set) {
			i++;
			continue;
		}
		if (add_msg(&b->ndel, &b->nb_ndel, n) < 0)
			return; /* Left for the next dump. */
		b->neigh[i] = b->neigh[--b->nb_neigh];
		b->st.neigh_deleted++;
	}
}

int
zc_route_batch_prepare(struct zc_route_batch *b, char *err, size_t errlen)
{
	struct zc_route_table *rt = zc_route_table_active();
	uint32_t *free_idx = NULL, nb_free = 0, i, n4 = 0, n6 = 0, *cap;
	struct zc_route_slot **rows = zc_route_rows(&cap);
	struct pmap map = { 0, NULL };
	int prefixes = 0, ret = -1;
	unsigned int l;

	if (rt == NULL)
		return berr(err, errlen, "no route stage runs");
	batch_unprepare(b);
	memset(&b->st, 0, sizeof(b->st));
	b->text[0] = '\0';
	b->nb_routes = rt->nb_routes;
	b->routes = rte_malloc("zc_routes",
			       (size_t)(rt->nb_routes + b->nb_ops + 1) *
			       sizeof(*b->routes), 0);
	b->change = calloc(rt->nb_routes + b->nb_ops + 1, 1);
	b->touched = calloc(rt->nb_routes + b->nb_ops + 1, 1);
	b->neigh = rte_malloc("zc_neigh_static",
			      (ZC_NEIGH_STATIC_MAX + 1) * sizeof(*b->neigh), 0);
	free_idx = malloc((rt->nb_routes + 1) * sizeof(*free_idx));
	if (b->routes == NULL || b->change == NULL || b->touched == NULL ||
	    b->neigh == NULL ||
	    free_idx == NULL || pmap_init(&map, rt->nb_routes + b->nb_ops) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	memcpy(b->routes, rt->routes, rt->nb_routes * sizeof(*b->routes));
	/* The new array owns copies of the next-hop lists. */
	for (i = 0; i < rt->nb_routes; i++)
		b->routes[i].mp = NULL;
	for (i = 0; i < rt->nb_routes; i++) {
		if (rt->routes[i].mp == NULL)
			continue;
		b->routes[i].mp = zc_route_mp_dup(rt->routes[i].mp);
		if (b->routes[i].mp == NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	memcpy(b->groups, rt->groups, sizeof(b->groups));
	b->nb_released = 0;
	b->nb_neigh = RTE_MIN(rt->nb_neigh, (uint32_t)ZC_NEIGH_STATIC_MAX);
	memcpy(b->neigh, rt->neigh, b->nb_neigh * sizeof(*b->neigh));
	/* Free indexes taken last first, so that low ones are reused. */
	for (i = rt->nb_routes; i-- > 0;) {
		const struct zc_route *r = &rt->routes[i];
		struct pmap_e *e;
		struct pkey k;

		if (r->family == 0) {
			free_idx[nb_free++] = i;
			continue;
		}
		pkey_of(r, &k);
		e = pmap_find(&map, &k, 1);
		e->k = k;
		e->used = 1;
		e->idx = i;
	}

	for (i = 0; i < b->nb_ops; i++) {
		const struct batch_op *o = &b->ops[i];
		int r;

		if (o->type == OP_NSET || o->type == OP_NDEL ||
		    o->type == OP_NDEL_SRC) {
			r = prepare_neigh_op(b, o, err, errlen);
		} else {
			r = prepare_route_op(b, o, &map, free_idx, &nb_free,
					     &prefixes, err, errlen);
			if (r == 0 && o->type != OP_DEL &&
			    o->type != OP_DEL_SRC &&
			    tunnel_neigh(b, &o->r) < 0)
				r = berr(err, errlen, "out of memory");
		}
		if (r < 0 && b->tolerant) {
			/* Each change stands alone: this one is left out. */
			ZC_LOG(WARNING, "control: change skipped: %s", err);
			b->st.skipped++;
			continue;
		}
		if (r < 0)
			goto out;
	}
	if (b->sync)
		sync_out(b, &prefixes);
	/* The limits of [route]. */
	for (i = 0; i < b->nb_routes; i++) {
		n4 += b->routes[i].family == AF_INET;
		n6 += b->routes[i].family == AF_INET6;
	}
	if (n4 > zc_route_conf.max_routes) {
		snprintf(err, errlen, "more than %u IPv4 routes (raise [route] max_routes)",
			 zc_route_conf.max_routes);
		goto out;
	}
	if (n6 > zc_route_conf.max_routes6) {
		snprintf(err, errlen, "more than %u IPv6 routes (raise [route] max_routes6)",
			 zc_route_conf.max_routes6);
		goto out;
	}
	if (prefixes) {
		b->fibs = zc_route_fibs_build(b->cfg, b->routes, b->nb_routes,
					      SOCKET_ID_ANY);
		if (b->fibs == NULL) {
			copy_error(err, errlen);
			goto out;
		}
	}
	/* Longer slot rows, if new indexes do not fit. */
	b->cap = *cap;
	if (b->nb_routes > *cap) {
		b->cap = RTE_MAX(2 * *cap, b->nb_routes);
		for (l = 0; l < RTE_MAX_LCORE; l++) {
			struct zc_route_slot *row;
			uint32_t j;

			if (rows[l] == NULL)
				continue;
			row = rte_zmalloc_socket("zc_route_slots",
						 b->cap * sizeof(*row),
						 RTE_CACHE_LINE_SIZE,
						 (int)rte_lcore_to_socket_id(l));
			if (row == NULL) {
				snprintf(err, errlen, "out of memory for %u routes",
					 b->cap);
				goto out;
			}
			for (j = 0; j < b->cap; j++)
				row[j].nb = ZC_ROUTE_NO_NB;
			b->rows[l] = row;
		}
	}
	b->prepared = 1;
	ret = 0;
out:
	free(map.e);
	free(free_idx);
	if (ret < 0)
		batch_unprepare(b);
	return ret;
}

/* ---- commit --------------------------------------------------------- */

static void
sleep_us(unsigned int us)
{
	struct timespec ts = { 0, (long)us * 1000 };

	nanosleep(&ts, NULL);
}

/* Queue a message for every route stage instance (waiting for room). */
static void
send_all(struct zc_route_msg *m)
{
	unsigned int l;

	m->seq = ++msg_seq;
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		struct zc_route_dp *rp = zc_route_dp_lcore(l);

		if (rp == NULL)
			continue;
		while (rte_ring_sp_enqueue_elem(rp->ctl, m, sizeof(*m)) != 0)
			sleep_us(50);
	}
}

/* Wait until every instance has applied every message sent. */
static void
wait_all(void)
{
	uint64_t waited = 0;
	unsigned int l;

	for (l = 0; l < RTE_MAX_LCORE; l++) {
		struct zc_route_dp *rp = zc_route_dp_lcore(l);

		if (rp == NULL)
			continue;
		while (__atomic_load_n(&rp->ctl_applied, __ATOMIC_ACQUIRE) <
		       msg_seq) {
			sleep_us(20);
			if (++waited % 500000 == 0)
				ZC_LOG(WARNING, "control: lcore %u has not taken a route change for %" PRIu64 " s",
				       l, waited / 50000);
		}
	}
}

static uint64_t
failed_sum(void)
{
	uint64_t n = 0;
	unsigned int l;

	for (l = 0; l < RTE_MAX_LCORE; l++) {
		struct zc_route_dp *rp = zc_route_dp_lcore(l);

		if (rp != NULL)
			n += __atomic_load_n(&rp->ctl_failed, __ATOMIC_RELAXED);
	}
	return n;
}

static void
neigh_msg(struct zc_route_msg *m, uint8_t op, const struct zc_neigh_static *n)
{
	memset(m, 0, sizeof(*m));
	m->op = op;
	m->family = n->family;
	m->port = n->port;
	memcpy(m->ip, n->ip, 16);
	m->mac = n->mac;
}

/* Set up a multipath route's (new, unused) group on every lcore. */
static void
group_msgs(const struct zc_route *r)
{
	struct zc_route_msg m;
	unsigned int k;

	for (k = 0; k < r->mp->nb; k++) {
		memset(&m, 0, sizeof(m));
		m.op = ZC_RMSG_GROUP_NH;
		m.idx = r->mp->group;
		m.member = (uint8_t)k;
		m.family = r->family;
		m.port = r->mp->nh[k].port;
		memcpy(m.ip, r->mp->nh[k].ip, 16);
		send_all(&m);
	}
	memset(&m, 0, sizeof(m));
	m.op = ZC_RMSG_GROUP_BUCKETS;
	m.idx = r->mp->group;
	memcpy(m.bucket, r->mp->bucket, sizeof(m.bucket));
	send_all(&m);
}

void
zc_route_batch_commit(struct zc_route_batch *b)
{
	struct zc_route_table *rt = zc_route_table_active();
	struct zc_route_slot *old_rows[RTE_MAX_LCORE] = { NULL };
	struct zc_route_slot **rows;
	struct zc_route_fibs *old_fibs = NULL;
	struct zc_neigh_static *old_neigh;
	struct zc_route *old_routes;
	struct zc_route_msg m;
	uint32_t *cap, i, old_nb;
	uint64_t failed0 = failed_sum();
	unsigned int l;

	if (!b->prepared || rt == NULL)
		return;
	rows = zc_route_rows(&cap);
	/* 1. Longer slot rows: each instance moves to its own. */
	if (b->cap > *cap) {
		for (l = 0; l < RTE_MAX_LCORE; l++) {
			struct zc_route_dp *rp = zc_route_dp_lcore(l);

			if (rp == NULL || b->rows[l] == NULL)
				continue;
			memset(&m, 0, sizeof(m));
			m.op = ZC_RMSG_SLOTS;
			m.slots = b->rows[l];
			m.idx = *cap;
			m.seq = ++msg_seq;
			while (rte_ring_sp_enqueue_elem(rp->ctl, &m,
							sizeof(m)) != 0)
				sleep_us(50);
		}
		wait_all();
		zc_route_lock();
		for (l = 0; l < RTE_MAX_LCORE; l++) {
			if (b->rows[l] == NULL)
				continue;
			old_rows[l] = rows[l];
			rows[l] = b->rows[l];
			b->rows[l] = NULL;
		}
		*cap = b->cap;
		zc_route_unlock();
		/* The instances have left them; telemetry reads under the
		 * lock.
		 */
		for (l = 0; l < RTE_MAX_LCORE; l++)
			rte_free(old_rows[l]);
	}
	/* 2. Neighbours, then routes (whose gateways they may be). */
	for (i = 0; i < b->nb_nset; i++) {
		neigh_msg(&m, ZC_RMSG_NEIGH_SET, &b->nset[i]);
		send_all(&m);
	}
	for (i = 0; i < b->nb_ndel; i++) {
		neigh_msg(&m, ZC_RMSG_NEIGH_DEL, &b->ndel[i]);
		send_all(&m);
	}
	for (i = 0; i < b->nb_routes; i++) {
		const struct zc_route *r = &b->routes[i];

		if (b->change[i] == 0 || r->family == 0)
			continue;
		if (r->mp != NULL)
			group_msgs(r);
		memset(&m, 0, sizeof(m));
		m.op = ZC_RMSG_ROUTE;
		m.idx = i;
		m.port = r->port;
		m.kind = r->mp != NULL ? ZC_ROUTE_ECMP : r->kind;
		m.group = r->mp != NULL ? r->mp->group : 0;
		m.family = r->family;
		m.reset_hits = b->change[i] == 2;
		memcpy(m.ip, r->nh, 16);
		send_all(&m);
	}
	wait_all();
	b->st.failed = failed_sum() - failed0;
	if (b->st.failed != 0)
		ZC_LOG(WARNING, "control: %" PRIu64 " route or neighbour change(s) found a neighbour table full",
		       b->st.failed);

	/* 3. The new arrays, under the lock telemetry reads them with. */
	zc_route_lock();
	old_routes = rt->routes;
	old_nb = rt->nb_routes;
	old_neigh = rt->neigh;
	rt->routes = b->routes;
	rt->nb_routes = b->nb_routes;
	rt->neigh = b->neigh;
	rt->nb_neigh = b->nb_neigh;
	zc_route_unlock();
	b->routes = NULL;
	b->nb_routes = 0;
	b->neigh = NULL;
	zc_route_mp_free_all(old_routes, old_nb);
	rte_free(old_routes);
	rte_free(old_neigh);
	/* No slot names the groups of replaced or deleted routes now. */
	for (i = 0; i < b->nb_released; i++)
		b->groups[b->released[i] / 64] &=
			~(UINT64_C(1) << (b->released[i] % 64));
	memcpy(rt->groups, b->groups, sizeof(rt->groups));

	/* 4. The new FIBs; the old ones once no lcore can be reading them. */
	if (b->fibs != NULL) {
		old_fibs = rt->fibs;
		__atomic_store_n(&rt->fibs, b->fibs, __ATOMIC_RELEASE);
		b->fibs = NULL;
		zc_rcu_synchronize();
		zc_route_fibs_free(old_fibs);
	}
	batch_unprepare(b);
}

void
zc_route_batch_free(struct zc_route_batch *b)
{
	uint32_t i;

	if (b == NULL)
		return;
	batch_unprepare(b);
	for (i = 0; i < b->nb_ops; i++)
		free(b->ops[i].r.mp);
	free(b->ops);
	free(b);
}

const struct zc_route_batch_stats *
zc_route_batch_stats(const struct zc_route_batch *b)
{
	return &b->st;
}

const char *
zc_route_batch_text(const struct zc_route_batch *b)
{
	return b->text;
}

/* ---- reading the tables (control thread) ----------------------------- */

int
zc_route_entry(unsigned int idx, struct zc_route *out, uint64_t *hits)
{
	struct zc_route_table *rt = zc_route_table_active();
	struct zc_route_slot **rows;
	uint32_t *cap;
	unsigned int l;

	if (rt == NULL || idx >= rt->nb_routes)
		return -1;
	if (rt->routes[idx].family == 0)
		return 1;
	*out = rt->routes[idx];
	rows = zc_route_rows(&cap);
	*hits = 0;
	for (l = 0; l < RTE_MAX_LCORE; l++)
		if (rows[l] != NULL)
			*hits += rows[l][idx].hits;
	return 0;
}

int
zc_route_match(uint8_t family, const uint8_t *addr, unsigned int depth)
{
	struct zc_route_table *rt = zc_route_table_active();
	int best = -1;
	uint32_t i;

	if (rt == NULL)
		return -1;
	for (i = 0; i < rt->nb_routes; i++) {
		const struct zc_route *r = &rt->routes[i];
		unsigned int bytes = r->depth / 8, bits = r->depth % 8;

		if (r->family != family || r->depth > depth)
			continue;
		if (memcmp(addr, r->prefix, bytes) != 0)
			continue;
		if (bits != 0 &&
		    ((addr[bytes] ^ r->prefix[bytes]) & (0xff00 >> bits)) != 0)
			continue;
		if (best < 0 || r->depth > rt->routes[best].depth)
			best = (int)i;
	}
	return best;
}

unsigned int
zc_neigh_static_count(void)
{
	struct zc_route_table *rt = zc_route_table_active();

	return rt != NULL ? rt->nb_neigh : 0;
}

int
zc_neigh_static_get(unsigned int i, struct zc_neigh_static *out)
{
	struct zc_route_table *rt = zc_route_table_active();

	if (rt == NULL || i >= rt->nb_neigh)
		return -1;
	*out = rt->neigh[i];
	return 0;
}

int
zc_neigh_learned_get(unsigned int lcore_id, unsigned int i,
		     struct zc_neigh *out)
{
	struct zc_route_dp *rp = zc_route_dp_lcore(lcore_id);
	uint32_t nb;

	if (rp == NULL)
		return -1;
	/* Entries are appended and never move: read without a lock, a MAC
	 * being learned right now may show its old value.
	 */
	nb = __atomic_load_n(&rp->nt->nb, __ATOMIC_ACQUIRE);
	if (i >= nb)
		return -1;
	*out = rp->nt->e[i];
	return 0;
}
