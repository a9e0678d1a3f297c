/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * zcctl route and neigh: routes and static neighbours of the route stage,
 * changed at run time (lib/route/update.c does the work).
 *
 *   route add PREFIX via ADDR [port N] [via ADDR [port N]]... (several:
 *             a multipath route) | PREFIX port N | PREFIX vxlan NAME
 *   route replace ...    add, or replace the route of that prefix
 *   route change ...     replace the route of that prefix, which must exist
 *   route del PREFIX
 *   route load FILE      every route of FILE (routes-file syntax), added
 *                        or replacing, as one change
 *   route show [PREFIX|ADDR]
 *   neigh add ADDR MAC [port N]   (neigh replace: the same)
 *   neigh del ADDR [port N]
 *   neigh show
 *   reload / SIGHUP      the routes and neighbours files of [route]
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_lcore.h>

#include "control/zc_control.h"
#include "core/zc_config.h"
#include "core/zc_log.h"
#include "route/zc_route.h"

static const char *const source_names[] = {
	[ZC_SRC_PORT] = "port",
	[ZC_SRC_FILE] = "file",
	[ZC_SRC_CTL] = "zcctl",
	[ZC_SRC_KERNEL] = "kernel",
};

static const char *
source_name(uint8_t s)
{
	return s < RTE_DIM(source_names) ? source_names[s] : "?";
}

static const char *
kind_name(const struct zc_route *r)
{
	if (r->tunnel != 0)
		return "vxlan";
	switch (r->kind) {
	case ZC_ROUTE_VIA:
		return "via";
	case ZC_ROUTE_ONLINK:
		return "onlink";
	case ZC_ROUTE_CONNECTED:
		return "connected";
	default:
		return "local";
	}
}

/* Join words from..argc-1 with blanks into buf. */
static int
join(char *buf, size_t len, int argc, char **argv, int from)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = from; i < argc; i++) {
		int k = snprintf(buf + n, len - n, "%s%s", i > from ? " " : "",
				 argv[i]);

		if (k < 0 || (size_t)k >= len - n)
			return -1;
		n += (size_t)k;
	}
	return 0;
}

/* The reply of a committed batch. */
static void
batch_reply(struct zc_ctl_req *req, const struct zc_route_batch *b,
	    uint32_t nb_ops)
{
	const struct zc_route_batch_stats *st = zc_route_batch_stats(b);

	if (nb_ops == 1)
		zc_json_str(req->out, "changed", zc_route_batch_text(b));
	else
		zc_json_strf(req->out, "changed",
			     "routes: %u added, %u replaced, %u deleted; neighbours: %u set, %u deleted; %u unchanged",
			     st->added, st->replaced, st->deleted,
			     st->neigh_set, st->neigh_deleted, st->unchanged);
	zc_json_u64(req->out, "added", st->added);
	zc_json_u64(req->out, "replaced", st->replaced);
	zc_json_u64(req->out, "deleted", st->deleted);
	zc_json_u64(req->out, "unchanged", st->unchanged);
	zc_json_u64(req->out, "neigh_set", st->neigh_set);
	zc_json_u64(req->out, "neigh_deleted", st->neigh_deleted);
	if (st->failed != 0)
		zc_json_strf(req->out, "warning",
			     "%" PRIu64 " change(s) found a neighbour table full: those gateways stay unresolved",
			     st->failed);
}

/* Prepare and commit a batch of nb_ops operations. */
static int
batch_run(struct zc_ctl_req *req, struct zc_route_batch *b, uint32_t nb_ops)
{
	if (zc_route_batch_prepare(b, req->err, sizeof(req->err)) < 0) {
		zc_route_batch_free(b);
		return -1;
	}
	zc_route_batch_commit(b);
	batch_reply(req, b, nb_ops);
	ZC_LOG(INFO, "control: %s", nb_ops == 1 ? zc_route_batch_text(b) :
	       "route batch applied");
	zc_route_batch_free(b);
	return 0;
}

static struct zc_route_batch *
batch_new(struct zc_ctl_req *req)
{
	struct zc_route_batch *b;

	if (zc_route_count() == 0) {
		zc_ctl_error(req, "no route stage runs (mode = router, or a chain with route)");
		return NULL;
	}
	b = zc_route_batch_new(req->cfg);
	if (b == NULL)
		zc_ctl_error(req, "out of memory");
	return b;
}

static void
route_obj(struct zc_json *j, const char *key, unsigned int idx,
	  const struct zc_route *r, uint64_t hits)
{
	char text[ZC_ROUTE_TEXT_LEN], a[INET6_ADDRSTRLEN];

	zc_route_format(r, text, sizeof(text));
	zc_json_obj_open(j, key);
	zc_json_u64(j, "id", idx);
	zc_json_str(j, "route", text);
	if (inet_ntop(r->family, r->prefix, a, sizeof(a)) != NULL)
		zc_json_strf(j, "prefix", "%s/%u", a, r->depth);
	zc_json_str(j, "kind", kind_name(r));
	if (r->kind == ZC_ROUTE_VIA && r->tunnel == 0 &&
	    inet_ntop(r->family, r->nh, a, sizeof(a)) != NULL)
		zc_json_str(j, "via", a);
	zc_json_u64(j, "port", r->cfg_port);
	if (r->mp != NULL) {
		unsigned int k;

		zc_json_arr_open(j, "nexthops");
		for (k = 0; k < r->mp->nb; k++) {
			zc_json_obj_open(j, NULL);
			if (inet_ntop(r->family, r->mp->nh[k].ip, a,
				      sizeof(a)) != NULL)
				zc_json_str(j, "via", a);
			zc_json_u64(j, "port", r->mp->nh[k].cfg_port);
			zc_json_obj_close(j);
		}
		zc_json_arr_close(j);
	}
	zc_json_str(j, "source", source_name(r->source));
	zc_json_u64(j, "hits", hits);
	zc_json_obj_close(j);
}

/* What the route stages know of a next hop: static MAC, or learned. */
static void
neigh_of(struct zc_json *j, const struct zc_route *r)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	struct zc_neigh_static s;
	unsigned int i, l;

	for (i = 0; zc_neigh_static_get(i, &s) == 0; i++) {
		if (s.port != r->port || s.family != r->family ||
		    memcmp(s.ip, r->nh, 16) != 0)
			continue;
		rte_ether_format_addr(mac, sizeof(mac), &s.mac);
		zc_json_obj_open(j, "neighbour");
		zc_json_str(j, "mac", mac);
		zc_json_str(j, "state", "static");
		zc_json_obj_close(j);
		return;
	}
	RTE_LCORE_FOREACH_WORKER(l) {
		struct zc_neigh n;

		for (i = 0; zc_neigh_learned_get(l, i, &n) == 0; i++) {
			if (n.port != r->port || n.family != r->family ||
			    memcmp(n.ip, r->nh, 16) != 0)
				continue;
			zc_json_obj_open(j, "neighbour");
			if (n.state != ZC_NEIGH_INCOMPLETE) {
				rte_ether_format_addr(mac, sizeof(mac), &n.mac);
				zc_json_str(j, "mac", mac);
			}
			zc_json_str(j, "state", n.state == ZC_NEIGH_INCOMPLETE ?
				    "incomplete" : n.state == ZC_NEIGH_STATIC ?
				    "static" : "learned");
			zc_json_u64(j, "lcore", l);
			zc_json_obj_close(j);
			return;
		}
	}
	zc_json_obj_open(j, "neighbour");
	zc_json_str(j, "state", "unknown");
	zc_json_obj_close(j);
}

static int
route_show(struct zc_ctl_req *req, int argc, char **argv)
{
	struct zc_route r;
	uint64_t hits;
	unsigned int i, n = zc_route_count();
	int ret;

	if (argc > 3)
		return zc_ctl_error(req, "usage: route show [PREFIX|ADDRESS]");
	if (argc == 3) {
		uint8_t addr[16] = { 0 }, depth, family;
		uint32_t a4;
		int idx;

		if (strchr(argv[2], ':') != NULL) {
			family = AF_INET6;
			ret = zc_parse_ipv6_prefix(argv[2], addr, &depth);
		} else {
			family = AF_INET;
			ret = zc_parse_ipv4_prefix(argv[2], &a4, &depth);
			memcpy(addr, &a4, 4);
		}
		if (ret < 0)
			return zc_ctl_error(req, "route show: '%.128s' is not an IPv4 or IPv6 address or prefix",
					    argv[2]);
		idx = zc_route_match(family, addr, depth);
		if (idx < 0 || zc_route_entry((unsigned int)idx, &r, &hits) != 0)
			return zc_ctl_error(req, "no route for %.128s", argv[2]);
		route_obj(req->out, "match", (unsigned int)idx, &r, hits);
		if (r.kind == ZC_ROUTE_VIA)
			neigh_of(req->out, &r);
		return 0;
	}
	zc_json_arr_open(req->out, "routes");
	for (i = 0; i < n; i++) {
		ret = zc_route_entry(i, &r, &hits);
		if (ret < 0)
			break;
		if (ret == 0)
			route_obj(req->out, NULL, i, &r, hits);
	}
	zc_json_arr_close(req->out);
	return 0;
}

static int
route_cmd(struct zc_ctl_req *req, int argc, char **argv)
{
	struct zc_route_batch *b;
	char line[1024], what[32];
	enum zc_route_batch_mode mode;
	const char *sub = argc >= 2 ? argv[1] : "";

	if (strcmp(sub, "show") == 0 || strcmp(sub, "list") == 0)
		return route_show(req, argc, argv);
	snprintf(what, sizeof(what), "route %s", sub);
	if (strcmp(sub, "add") == 0 || strcmp(sub, "replace") == 0 ||
	    strcmp(sub, "change") == 0) {
		mode = sub[0] == 'a' ? ZC_BATCH_ADD :
		       sub[0] == 'c' ? ZC_BATCH_REPLACE : ZC_BATCH_PUT;
		if (argc < 4)
			return zc_ctl_error(req, "usage: route %s PREFIX via ADDRESS [port N] | PREFIX port N",
					    sub);
		if (join(line, sizeof(line), argc, argv, 2) < 0)
			return zc_ctl_error(req, "%s: too long", what);
		b = batch_new(req);
		if (b == NULL)
			return -1;
		if (zc_route_batch_route(b, mode, what, line, req->err,
					 sizeof(req->err)) < 0) {
			zc_route_batch_free(b);
			return -1;
		}
		return batch_run(req, b, 1);
	}
	if (strcmp(sub, "del") == 0 || strcmp(sub, "delete") == 0) {
		if (argc != 3)
			return zc_ctl_error(req, "usage: route del PREFIX");
		b = batch_new(req);
		if (b == NULL)
			return -1;
		if (zc_route_batch_del(b, what, argv[2], req->err,
				       sizeof(req->err)) < 0) {
			zc_route_batch_free(b);
			return -1;
		}
		return batch_run(req, b, 1);
	}
	if (strcmp(sub, "load") == 0) {
		if (argc != 3)
			return zc_ctl_error(req, "usage: route load FILE");
		if (argv[2][0] != '/')
			return zc_ctl_error(req, "route load: FILE must be an absolute path, got '%.256s' (zcctl makes it one)",
					    argv[2]);
		b = batch_new(req);
		if (b == NULL)
			return -1;
		if (zc_route_batch_file(b, argv[2], req->err,
					sizeof(req->err)) < 0) {
			zc_route_batch_free(b);
			return -1;
		}
		return batch_run(req, b, 2);
	}
	return zc_ctl_error(req, "usage: route add|replace|change|del|load|show ...");
}

static int
neigh_show(struct zc_ctl_req *req, int argc)
{
	char a[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];
	struct zc_neigh_static s;
	unsigned int i, l;

	if (argc != 2)
		return zc_ctl_error(req, "usage: neigh show");
	zc_json_arr_open(req->out, "static");
	for (i = 0; zc_neigh_static_get(i, &s) == 0; i++) {
		if (inet_ntop(s.family, s.ip, a, sizeof(a)) == NULL)
			continue;
		rte_ether_format_addr(mac, sizeof(mac), &s.mac);
		zc_json_obj_open(req->out, NULL);
		zc_json_str(req->out, "addr", a);
		zc_json_str(req->out, "mac", mac);
		zc_json_u64(req->out, "port", s.cfg_port);
		zc_json_str(req->out, "source", source_name(s.source));
		zc_json_obj_close(req->out);
	}
	zc_json_arr_close(req->out);
	zc_json_arr_open(req->out, "learned");
	RTE_LCORE_FOREACH_WORKER(l) {
		struct zc_neigh n;

		for (i = 0; zc_neigh_learned_get(l, i, &n) == 0; i++) {
			unsigned int p;

			if (n.state == ZC_NEIGH_STATIC ||
			    inet_ntop(n.family, n.ip, a, sizeof(a)) == NULL)
				continue;
			zc_json_obj_open(req->out, NULL);
			zc_json_u64(req->out, "lcore", l);
			zc_json_str(req->out, "addr", a);
			if (n.state == ZC_NEIGH_LEARNED) {
				rte_ether_format_addr(mac, sizeof(mac), &n.mac);
				zc_json_str(req->out, "mac", mac);
			}
			zc_json_str(req->out, "state",
				    n.state == ZC_NEIGH_LEARNED ? "learned" :
				    "incomplete");
			for (p = 0; p < req->cfg->nb_ports; p++)
				if (req->cfg->port[p].port_id == n.port)
					zc_json_u64(req->out, "port", p);
			zc_json_obj_close(req->out);
		}
	}
	zc_json_arr_close(req->out);
	return 0;
}

static int
neigh_cmd(struct zc_ctl_req *req, int argc, char **argv)
{
	struct zc_route_batch *b;
	char line[512], what[32];
	const char *sub = argc >= 2 ? argv[1] : "";

	if (strcmp(sub, "show") == 0 || strcmp(sub, "list") == 0)
		return neigh_show(req, argc);
	snprintf(what, sizeof(what), "neigh %s", sub);
	if (strcmp(sub, "add") == 0 || strcmp(sub, "replace") == 0) {
		if (argc < 4)
			return zc_ctl_error(req, "usage: neigh %s ADDRESS MAC [port N]",
					    sub);
		if (join(line, sizeof(line), argc, argv, 2) < 0)
			return zc_ctl_error(req, "%s: too long", what);
		b = batch_new(req);
		if (b == NULL)
			return -1;
		if (zc_route_batch_neigh(b, what, line, req->err,
					 sizeof(req->err)) < 0) {
			zc_route_batch_free(b);
			return -1;
		}
		return batch_run(req, b, 1);
	}
	if (strcmp(sub, "del") == 0 || strcmp(sub, "delete") == 0) {
		uint64_t port = 0;
		int p = -1;

		if (argc != 3 && !(argc == 5 && strcmp(argv[3], "port") == 0))
			return zc_ctl_error(req, "usage: neigh del ADDRESS [port N]");
		if (argc == 5) {
			if (zc_parse_uint(argv[4], 0, UINT16_MAX, &port) < 0)
				return zc_ctl_error(req, "neigh del: port '%.32s' is not a number",
						    argv[4]);
			p = (int)port;
		}
		b = batch_new(req);
		if (b == NULL)
			return -1;
		if (zc_route_batch_neigh_del(b, what, argv[2], p, req->err,
					     sizeof(req->err)) < 0) {
			zc_route_batch_free(b);
			return -1;
		}
		return batch_run(req, b, 1);
	}
	return zc_ctl_error(req, "usage: neigh add|replace|del|show ...");
}

/* reload: the files of [route], prepared with the other tables. */
static int
route_reload_prepare(struct zc_ctl_req *req, void **state)
{
	struct zc_route_batch *b;

	*state = NULL;
	if (zc_route_count() == 0)
		return 0;
	b = zc_route_batch_new(req->cfg);
	if (b == NULL)
		return zc_ctl_error(req, "out of memory");
	if (zc_route_batch_reload(b, req->err, sizeof(req->err)) < 0 ||
	    zc_route_batch_prepare(b, req->err, sizeof(req->err)) < 0) {
		zc_route_batch_free(b);
		return -1;
	}
	*state = b;
	return 0;
}

static void
route_reload_commit(struct zc_ctl_req *req, void *state)
{
	struct zc_route_batch *b = state;

	zc_json_obj_open(req->out, "route");
	if (b == NULL) {
		zc_json_str(req->out, "changed", "nothing: no route stage runs");
	} else {
		zc_route_batch_commit(b);
		batch_reply(req, b, 2);
		zc_route_batch_free(b);
	}
	zc_json_obj_close(req->out);
}

static void
route_reload_abort(void *state)
{
	zc_route_batch_free(state);
}

static struct zc_ctl_cmd route_ctl = {
	.name = "route",
	.usage = "route add|replace|change PREFIX via ADDRESS [port N] [via ADDRESS [port N]]... | route del PREFIX | route load FILE | route show [PREFIX]",
	.fn = route_cmd,
	.prepare = route_reload_prepare,
	.commit = route_reload_commit,
	.abort = route_reload_abort,
	.open = zc_route_kernel_open,
	.input = zc_route_kernel_input,
	.close = zc_route_kernel_close,
};

ZC_CTL_REGISTER(route_ctl);

static struct zc_ctl_cmd neigh_ctl = {
	.name = "neigh",
	.usage = "neigh add ADDRESS MAC [port N] | neigh del ADDRESS [port N] | neigh show",
	.fn = neigh_cmd,
};

ZC_CTL_REGISTER(neigh_ctl);
