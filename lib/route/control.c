/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The control side of routing: the routes and neighbours files, the port
 * addresses, the rte_fib/rte_fib6 tables, the per-lcore neighbour tables
 * and hit-counter rows, and the texts telemetry shows. Control path only
 * (start-up, teardown, telemetry's thread); what the route stage does per
 * packet with these tables is inline in zc_route_dp.h.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>
#include <rte_string_fns.h>

#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_log.h"
#include "core/zc_meta.h"
#include "route/route_ctl.h"
#include "route/zc_route.h"

struct zc_route_lcore_stats zc_route_stats[RTE_MAX_LCORE];
ZC_COUNTER_GROUP(route, "The route stage: packets routed and answered, neighbours learned.",
		 zc_route_stats, ZC_ROUTE_COUNTERS);

/* The process-wide table that the route stages share. */
static struct zc_route_table *route_active;
static unsigned int route_refs;
static struct zc_route_slot *route_hits[RTE_MAX_LCORE];
/* Entries of each route_hits row: the routes of the table and room for
 * some added at run time (update.c grows the rows when they are full).
 */
static uint32_t route_cap;
static rte_spinlock_t route_lock = RTE_SPINLOCK_INITIALIZER;

/* Unique names for FIBs and hashes (tests build several tables). */
static unsigned int route_seq;

/* What a file parser needs. */
struct file_ctx {
	const struct zc_config *cfg;
	struct zc_route_table *rt;
	const char *path;
	unsigned int line;
};

/*
 * Report a bad line as "FILE:LINE: reason" through zc_config_error(), so
 * that the application prints it like any configuration error.
 */
static int __rte_format_printf(2, 3)
file_error(const struct file_ctx *fc, const char *fmt, ...)
{
	static struct zc_config ecfg;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fc->line != 0)
		snprintf(ecfg.path, sizeof(ecfg.path), "%s:%u", fc->path,
			 fc->line);
	else
		strlcpy(ecfg.path, fc->path, sizeof(ecfg.path));
	return zc_config_error(&ecfg, NULL, NULL, "%s", msg);
}

static int
addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* Does addr lie in prefix/len? Both in packet layout. */
static int
in_prefix(uint8_t family, const uint8_t *addr, const uint8_t *prefix,
	  unsigned int len)
{
	unsigned int bytes = len / 8, bits = len % 8;

	RTE_SET_USED(family);
	if (memcmp(addr, prefix, bytes) != 0)
		return 0;
	if (bits == 0)
		return 1;
	return ((addr[bytes] ^ prefix[bytes]) & (0xff00 >> bits)) == 0;
}

/* Clear the bits of addr beyond len. */
static void
mask_prefix(uint8_t family, uint8_t *addr, unsigned int len)
{
	int n = addr_len(family);
	unsigned int i;

	for (i = 0; i < (unsigned int)n; i++) {
		if (len >= 8 * (i + 1))
			continue;
		if (len > 8 * i)
			addr[i] &= (uint8_t)(0xff00 >> (len - 8 * i));
		else
			addr[i] = 0;
	}
}

static void
addr_str(uint8_t family, const uint8_t *addr, char *buf, size_t len)
{
	if (inet_ntop(family, addr, buf, len) == NULL)
		strlcpy(buf, "?", len);
}

/* Parse a bare address of either family. 0 or -1. */
static int
parse_addr(const char *s, uint8_t *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

/* The router's own address on a port, or NULL. */
static const uint8_t *
port_addr(const struct zc_route_port *p, uint8_t family, unsigned int *len)
{
	if (family == AF_INET && p->has_ipv4) {
		*len = p->ipv4_len;
		return (const uint8_t *)&p->ipv4;
	}
	if (family == AF_INET6 && p->has_ipv6) {
		*len = p->ipv6_len;
		return p->ipv6;
	}
	return NULL;
}

/* Is addr one of the router's own addresses? */
static int
is_own_addr(const struct zc_route_table *rt, const struct zc_config *cfg,
	    uint8_t family, const uint8_t *addr)
{
	unsigned int i, len;

	for (i = 0; i < cfg->nb_ports; i++) {
		const uint8_t *a = port_addr(&rt->port[cfg->port[i].port_id],
					     family, &len);

		if (a != NULL && memcmp(a, addr, addr_len(family)) == 0)
			return 1;
	}
	return 0;
}

/*
 * The port whose connected subnet holds addr (longest prefix wins).
 * Returns the config index, -1 if none, -2 if two subnets tie.
 */
static int
infer_port(const struct zc_route_table *rt, const struct zc_config *cfg,
	   uint8_t family, const uint8_t *addr, unsigned int *other)
{
	int best = -1;
	unsigned int i, len, best_len = 0;

	for (i = 0; i < cfg->nb_ports; i++) {
		const uint8_t *a = port_addr(&rt->port[cfg->port[i].port_id],
					     family, &len);

		if (a == NULL || !in_prefix(family, addr, a, len))
			continue;
		if (best >= 0 && len == best_len) {
			*other = i;
			return -2;
		}
		if (best < 0 || len > best_len) {
			best = (int)i;
			best_len = len;
		}
	}
	return best;
}

/* "port N" argument: config index. 0 or -1 after file_error(). */
static int
parse_port_arg(const struct file_ctx *fc, const char *s, uint16_t *port)
{
	uint64_t v;

	if (fc->cfg->nb_ports == 0 ||
	    zc_parse_uint(s, 0, fc->cfg->nb_ports - 1u, &v) < 0)
		return file_error(fc, "port '%s' is not configured (ports 0 to %u exist)",
				  s, fc->cfg->nb_ports - 1u);
	*port = (uint16_t)v;
	return 0;
}

/* Most words of a routes file line: a prefix and 8 "via A port N". */
#define ROUTE_WORDS_MAX (2 + 4 * ZC_ROUTE_NH_MAX)

/* Split a line into at most max words; '#' starts a comment. */
static unsigned int
split_words(char *line, char **w, unsigned int max)
{
	unsigned int n = 0;
	char *save = NULL, *tok;
	char *hash = strchr(line, '#');

	if (hash != NULL)
		*hash = '\0';
	for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return max + 1;
		w[n++] = tok;
	}
	return n;
}

/* Room for one more route in a growing array. */
static struct zc_route *
route_new(struct zc_route **routes, uint32_t *nb, uint32_t *cap)
{
	struct zc_route *r;

	if (*nb == *cap) {
		uint32_t ncap = *cap == 0 ? 64 : *cap * 2;
		struct zc_route *n = realloc(*routes, ncap * sizeof(*n));

		if (n == NULL)
			return NULL;
		*routes = n;
		*cap = ncap;
	}
	r = &(*routes)[(*nb)++];
	memset(r, 0, sizeof(*r));
	return r;
}

void
zc_route_mp_buckets(struct zc_route_mp *mp, const struct zc_route_mp *old)
{
	unsigned int count[ZC_ROUTE_NH_MAX] = { 0 };
	unsigned int b, i, j, target;
	int map[ZC_ROUTE_NH_MAX];

	if (old == NULL) {
		for (b = 0; b < ZC_ECMP_BUCKETS; b++)
			mp->bucket[b] = (uint8_t)(b % mp->nb);
		return;
	}
	/* Next hops that stay keep their buckets. */
	for (i = 0; i < old->nb; i++) {
		map[i] = -1;
		for (j = 0; j < mp->nb; j++)
			if (old->nh[i].port == mp->nh[j].port &&
			    memcmp(old->nh[i].ip, mp->nh[j].ip, 16) == 0)
				map[i] = (int)j;
	}
	for (b = 0; b < ZC_ECMP_BUCKETS; b++) {
		int m = old->bucket[b] < old->nb ? map[old->bucket[b]] : -1;

		mp->bucket[b] = m >= 0 ? (uint8_t)m : UINT8_MAX;
		if (m >= 0)
			count[m]++;
	}
	/* Those above their share give up what new next hops need. */
	target = (ZC_ECMP_BUCKETS + mp->nb - 1) / mp->nb;
	for (b = 0; b < ZC_ECMP_BUCKETS; b++) {
		unsigned int m = mp->bucket[b];

		if (m != UINT8_MAX && count[m] > target) {
			count[m]--;
			mp->bucket[b] = UINT8_MAX;
		}
	}
	/* Free buckets, in order, to the next hop with the fewest. */
	for (b = 0; b < ZC_ECMP_BUCKETS; b++) {
		unsigned int best = 0;

		if (mp->bucket[b] != UINT8_MAX)
			continue;
		for (j = 1; j < mp->nb; j++)
			if (count[j] < count[best])
				best = j;
		mp->bucket[b] = (uint8_t)best;
		count[best]++;
	}
}

struct zc_route_mp *
zc_route_mp_dup(const struct zc_route_mp *mp)
{
	struct zc_route_mp *d;

	if (mp == NULL)
		return NULL;
	d = malloc(sizeof(*d));
	if (d != NULL)
		*d = *mp;
	return d;
}

void
zc_route_mp_free_all(struct zc_route *v, uint32_t nb)
{
	uint32_t i;

	for (i = 0; v != NULL && i < nb; i++) {
		free(v[i].mp);
		v[i].mp = NULL;
	}
}

int
zc_route_format(const struct zc_route *r, char *buf, size_t len)
{
	char p[INET6_ADDRSTRLEN], nh[INET6_ADDRSTRLEN];

	addr_str(r->family, r->prefix, p, sizeof(p));
	if (r->tunnel != 0 && r->tunnel <= ZC_VXLAN_MAX)
		return snprintf(buf, len, "%s/%u vxlan %s", p, r->depth,
				zc_act_conf.vxlan[r->tunnel - 1].name);
	switch (r->kind) {
	case ZC_ROUTE_VIA:
		if (r->mp != NULL) {
			int n = snprintf(buf, len, "%s/%u", p, r->depth);
			unsigned int i;

			for (i = 0; i < r->mp->nb; i++) {
				addr_str(r->family, r->mp->nh[i].ip, nh,
					 sizeof(nh));
				n += snprintf(buf + RTE_MIN((size_t)n, len),
					      len - RTE_MIN((size_t)n, len),
					      " via %s port %u", nh,
					      r->mp->nh[i].cfg_port);
			}
			return n;
		}
		addr_str(r->family, r->nh, nh, sizeof(nh));
		return snprintf(buf, len, "%s/%u via %s port %u", p, r->depth,
				nh, r->cfg_port);
	case ZC_ROUTE_ONLINK:
		return snprintf(buf, len, "%s/%u port %u", p, r->depth,
				r->cfg_port);
	case ZC_ROUTE_CONNECTED:
		return snprintf(buf, len, "%s/%u connected port %u", p,
				r->depth, r->cfg_port);
	default:
		return snprintf(buf, len, "%s/%u local port %u", p, r->depth,
				r->cfg_port);
	}
}

/* Connected and local routes of every port address. */
static int
derive_routes(const struct zc_config *cfg, struct zc_route_table *rt,
	      struct zc_route **routes, uint32_t *nb, uint32_t *cap)
{
	unsigned int i, fam;

	for (i = 0; i < cfg->nb_ports; i++) {
		const struct zc_port_conf *pc = &cfg->port[i];
		struct zc_route_port *rp = &rt->port[pc->port_id];

		rp->has_ipv4 = pc->has_ipv4;
		rp->ipv4 = pc->ipv4;
		rp->ipv4_len = pc->ipv4_len;
		rp->has_ipv6 = pc->has_ipv6;
		memcpy(rp->ipv6, pc->ipv6, 16);
		rp->ipv6_len = pc->ipv6_len;
	}
	for (i = 0; i < cfg->nb_ports; i++) {
		const struct zc_port_conf *pc = &cfg->port[i];
		const struct zc_route_port *rp = &rt->port[pc->port_id];

		for (fam = 0; fam < 2; fam++) {
			uint8_t family = fam == 0 ? AF_INET : AF_INET6;
			unsigned int len, full = family == AF_INET ? 32 : 128;
			const uint8_t *a = port_addr(rp, family, &len);
			struct zc_route *r;

			if (a == NULL)
				continue;
			if (len != full) {
				r = route_new(routes, nb, cap);
				if (r == NULL)
					return -ENOMEM;
				r->family = family;
				r->depth = len;
				r->kind = ZC_ROUTE_CONNECTED;
				r->cfg_port = i;
				r->port = pc->port_id;
				memcpy(r->prefix, a, addr_len(family));
				mask_prefix(family, r->prefix, len);
			}
			r = route_new(routes, nb, cap);
			if (r == NULL)
				return -ENOMEM;
			r->family = family;
			r->depth = full;
			r->kind = ZC_ROUTE_LOCAL;
			r->cfg_port = i;
			r->port = pc->port_id;
			memcpy(r->prefix, a, addr_len(family));
		}
	}
	return 0;
}

/*
 * "PREFIX vxlan NAME": through the [vxlan.NAME] tunnel (lib/actions/zc_actions.h).
 * A VIA route to the tunnel's virtual port with the unspecified address
 * as next hop, whose static neighbour is the tunnel's peer_mac (added by
 * tunnel_neighbours()); the act stage encapsulates what goes there.
 */
static int
parse_tunnel_route(const struct file_ctx *fc, char **w, unsigned int nw,
		   struct zc_route *r)
{
	const struct zc_vxlan *t;

	if (nw != 3)
		return file_error(fc, "'vxlan NAME' stands alone after the prefix (the tunnel says where packets go)");
	t = zc_vxlan_find(w[2]);
	if (t == NULL)
		return file_error(fc, "no tunnel '%s' (define it in a [vxlan.%s] section)",
				  w[2], w[2]);
	if (!t->has_peer_mac)
		return file_error(fc, "[vxlan.%s] needs peer_mac (the inner MAC of the far end) to be a route's next hop",
				  w[2]);
	r->kind = ZC_ROUTE_VIA;
	r->cfg_port = t->cfg_port;
	r->port = t->vport;
	r->line = fc->line;
	r->source = ZC_SRC_FILE;
	r->tunnel = (uint8_t)(t - zc_act_conf.vxlan + 1);
	return 0;
}

/* One line of the routes file: "PREFIX [via NEXTHOP [port N]]... [port N]". */
static int
parse_route_line(const struct file_ctx *fc, char **w, unsigned int nw,
		 struct zc_route *r)
{
	const struct zc_config *cfg = fc->cfg;
	uint8_t masked[16], nh_family, ip[ZC_ROUTE_NH_MAX][16];
	int port[ZC_ROUTE_NH_MAX], lone_port = -1;
	char buf[INET6_ADDRSTRLEN];
	unsigned int i, j, nb = 0, other = 0;
	uint16_t pt = 0;
	int p;

	if (zc_parse_ip_prefix(w[0], &r->family, r->prefix, &r->depth) < 0)
		return file_error(fc, "'%s' is not an IPv4 or IPv6 prefix (expected e.g. 10.1.0.0/16 or 2001:db8::/32)",
				  w[0]);
	memcpy(masked, r->prefix, 16);
	mask_prefix(r->family, masked, r->depth);
	if (memcmp(masked, r->prefix, 16) != 0) {
		addr_str(r->family, masked, buf, sizeof(buf));
		return file_error(fc, "'%s' has bits set beyond its /%u prefix length (did you mean %s/%u?)",
				  w[0], r->depth, buf, r->depth);
	}
	if (nw > 1 && strcmp(w[1], "vxlan") == 0)
		return parse_tunnel_route(fc, w, nw, r);
	/* "port N" belongs to the "via" before it; with one next hop it may
	 * stand anywhere.
	 */
	for (i = 1; i < nw; i++) {
		if (strcmp(w[i], "via") == 0) {
			if (nb == ZC_ROUTE_NH_MAX)
				return file_error(fc, "more than %u next hops",
						  ZC_ROUTE_NH_MAX);
			if (i + 1 == nw)
				return file_error(fc, "'via' needs a next-hop address");
			i++;
			memset(ip[nb], 0, 16);
			if (parse_addr(w[i], &nh_family, ip[nb]) < 0)
				return file_error(fc, "next hop '%s' is not an IP address",
						  w[i]);
			if (nh_family != r->family)
				return file_error(fc, "next hop '%s' is %s but the prefix '%s' is %s",
						  w[i], nh_family == AF_INET ? "IPv4" : "IPv6",
						  w[0], r->family == AF_INET ? "IPv4" : "IPv6");
			port[nb++] = -1;
		} else if (strcmp(w[i], "port") == 0) {
			int *to = nb > 0 ? &port[nb - 1] : &lone_port;

			if (*to >= 0 || (nb > 0 && lone_port >= 0))
				return file_error(fc, "'port' given twice");
			if (i + 1 == nw)
				return file_error(fc, "'port' needs a port number");
			i++;
			if (parse_port_arg(fc, w[i], &pt) < 0)
				return -1;
			*to = pt;
		} else {
			return file_error(fc, "unexpected '%s' (expected 'via ADDRESS' or 'port N')",
					  w[i]);
		}
	}
	if (nb == 0 && lone_port < 0)
		return file_error(fc, "'%s' needs 'via NEXTHOP', 'port N' or both",
				  w[0]);
	if (nb == 0) {
		r->kind = ZC_ROUTE_ONLINK;
		r->cfg_port = (uint16_t)lone_port;
		r->port = cfg->port[lone_port].port_id;
		r->line = fc->line;
		r->source = ZC_SRC_FILE;
		return 0;
	}
	if (lone_port >= 0) {
		if (nb > 1)
			return file_error(fc, "with several next hops, each 'port N' follows its 'via ADDRESS'");
		port[0] = lone_port;
	}
	for (i = 0; i < nb; i++) {
		addr_str(r->family, ip[i], buf, sizeof(buf));
		if (is_own_addr(fc->rt, cfg, r->family, ip[i]))
			return file_error(fc, "next hop %s is this router's own address",
					  buf);
		if (port[i] < 0) {
			p = infer_port(fc->rt, cfg, r->family, ip[i], &other);
			if (p == -1)
				return file_error(fc, "next hop %s is in no port's subnet; add 'port N'",
						  buf);
			if (p == -2)
				return file_error(fc, "next hop %s is in the subnets of two ports (one is port %u); add 'port N'",
						  buf, other);
			port[i] = p;
		}
		for (j = 0; j < i; j++)
			if (port[j] == port[i] && memcmp(ip[j], ip[i], 16) == 0)
				return file_error(fc, "next hop %s port %d given twice",
						  buf, port[i]);
	}
	r->kind = ZC_ROUTE_VIA;
	memcpy(r->nh, ip[0], 16);
	r->cfg_port = (uint16_t)port[0];
	r->port = cfg->port[port[0]].port_id;
	r->line = fc->line;
	r->source = ZC_SRC_FILE;
	if (nb == 1)
		return 0;
	r->mp = calloc(1, sizeof(*r->mp));
	if (r->mp == NULL)
		return file_error(fc, "out of memory");
	r->mp->nb = (uint8_t)nb;
	for (i = 0; i < nb; i++) {
		memcpy(r->mp->nh[i].ip, ip[i], 16);
		r->mp->nh[i].cfg_port = (uint16_t)port[i];
		r->mp->nh[i].port = cfg->port[port[i]].port_id;
	}
	zc_route_mp_buckets(r->mp, NULL);
	return 0;
}

static int
read_routes(struct file_ctx *fc, struct zc_route **routes, uint32_t *nb,
	    uint32_t *cap)
{
	uint32_t nb_fam[2] = { 0, 0 }, i;
	char buf[1024];
	FILE *f;

	/* Derived routes count against the limits too. */
	for (i = 0; i < *nb; i++)
		nb_fam[(*routes)[i].family == AF_INET6]++;
	f = zc_open_file(fc->path, buf, sizeof(buf));
	if (f == NULL)
		return file_error(fc, "%s", buf);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *w[ROUTE_WORDS_MAX];
		unsigned int nw;
		struct zc_route *r;

		fc->line++;
		if (strchr(buf, '\n') == NULL && !feof(f))
			goto long_line;
		nw = split_words(buf, w, RTE_DIM(w));
		if (nw == 0)
			continue;
		if (nw > RTE_DIM(w)) {
			fclose(f);
			return file_error(fc, "too many words (expected PREFIX [via NEXTHOP] [port N])");
		}
		r = route_new(routes, nb, cap);
		if (r == NULL) {
			fclose(f);
			return file_error(fc, "out of memory");
		}
		if (parse_route_line(fc, w, nw, r) < 0) {
			fclose(f);
			return -1;
		}
		if (++nb_fam[r->family == AF_INET6] >
		    (r->family == AF_INET ? zc_route_conf.max_routes :
		     zc_route_conf.max_routes6)) {
			fclose(f);
			return r->family == AF_INET ?
			       file_error(fc, "more than %u IPv4 routes (raise [route] max_routes)",
					  zc_route_conf.max_routes) :
			       file_error(fc, "more than %u IPv6 routes (raise [route] max_routes6)",
					  zc_route_conf.max_routes6);
		}
	}
	fclose(f);
	return 0;
long_line:
	fclose(f);
	return file_error(fc, "line longer than %zu characters",
			  sizeof(buf) - 2);
}

static int
route_cmp(const void *a, const void *b)
{
	const struct zc_route *x = *(const struct zc_route *const *)a;
	const struct zc_route *y = *(const struct zc_route *const *)b;

	if (x->family != y->family)
		return x->family - y->family;
	if (x->depth != y->depth)
		return x->depth - y->depth;
	return memcmp(x->prefix, y->prefix, 16);
}

/* Two routes for one prefix: report the one latest in the file. */
static int
check_duplicates(struct file_ctx *fc, struct zc_route *routes, uint32_t nb)
{
	const struct zc_route **v;
	const struct zc_route *dup = NULL, *first = NULL;
	char text[ZC_ROUTE_TEXT_LEN];
	uint32_t i;

	if (nb < 2)
		return 0;
	v = malloc(nb * sizeof(*v));
	if (v == NULL)
		return file_error(fc, "out of memory");
	for (i = 0; i < nb; i++)
		v[i] = &routes[i];
	qsort(v, nb, sizeof(*v), route_cmp);
	for (i = 1; i < nb; i++) {
		const struct zc_route *a = v[i - 1], *b = v[i];

		if (route_cmp(&a, &b) != 0)
			continue;
		if (a->line > b->line ||
		    (a->line == b->line && a->cfg_port > b->cfg_port))
			RTE_SWAP(a, b);
		if (dup == NULL || b->line < dup->line) {
			dup = b;
			first = a;
		}
	}
	free(v);
	if (dup == NULL)
		return 0;
	if (dup->line == 0) {
		/* Two ports with the same address or subnet. */
		char sec[32];

		snprintf(sec, sizeof(sec), "port.%u", dup->cfg_port);
		return zc_config_error(fc->cfg, sec,
				       dup->family == AF_INET ? "ipv4" : "ipv6",
				       "same subnet or address as [port.%u]",
				       first->cfg_port);
	}
	fc->line = dup->line;
	zc_route_format(dup, text, sizeof(text));
	if (first->line == 0)
		return file_error(fc, "'%s' is already the %s route of port %u",
				  text, first->kind == ZC_ROUTE_LOCAL ?
				  "local" : "connected", first->cfg_port);
	return file_error(fc, "'%s' duplicates the route at line %u",
			  text, first->line);
}

/* One line of the neighbours file: "ADDRESS MAC [port N]". */
static int
parse_neigh_line(const struct file_ctx *fc, char **w, unsigned int nw,
		 struct zc_neigh_static *n)
{
	const struct zc_config *cfg = fc->cfg;
	unsigned int other = 0;
	int has_port = 0, p;
	uint16_t port = 0;

	if (parse_addr(w[0], &n->family, n->ip) < 0)
		return file_error(fc, "'%s' is not an IPv4 or IPv6 address",
				  w[0]);
	if (nw < 2)
		return file_error(fc, "'%s' needs a MAC address (ADDRESS MAC [port N])",
				  w[0]);
	if (zc_parse_mac(w[1], &n->mac) < 0)
		return file_error(fc, "'%s' is not a MAC address like 02:00:00:00:00:01",
				  w[1]);
	if (!rte_is_unicast_ether_addr(&n->mac) ||
	    rte_is_zero_ether_addr(&n->mac))
		return file_error(fc, "%s is not a unicast MAC address", w[1]);
	if (nw >= 3) {
		if (strcmp(w[2], "port") != 0)
			return file_error(fc, "unexpected '%s' (expected 'port N')",
					  w[2]);
		if (nw == 3)
			return file_error(fc, "'port' needs a port number");
		if (nw > 4)
			return file_error(fc, "unexpected '%s' after the port",
					  w[4]);
		if (parse_port_arg(fc, w[3], &port) < 0)
			return -1;
		has_port = 1;
	}
	if (is_own_addr(fc->rt, cfg, n->family, n->ip))
		return file_error(fc, "%s is this router's own address", w[0]);
	if (!has_port) {
		p = infer_port(fc->rt, cfg, n->family, n->ip, &other);
		if (p == -1)
			return file_error(fc, "%s is in no port's subnet; add 'port N'",
					  w[0]);
		if (p == -2)
			return file_error(fc, "%s is in the subnets of two ports (one is port %u); add 'port N'",
					  w[0], other);
		port = (uint16_t)p;
	}
	n->cfg_port = port;
	n->port = cfg->port[port].port_id;
	n->line = fc->line;
	n->source = ZC_SRC_FILE;
	return 0;
}

static int
read_neighbours(struct file_ctx *fc, struct zc_neigh_static **out,
		uint32_t *nb)
{
	struct zc_neigh_static *v = NULL;
	uint32_t cap = 0, i;
	char buf[1024];
	FILE *f;

	*nb = 0;
	f = zc_open_file(fc->path, buf, sizeof(buf));
	if (f == NULL)
		return file_error(fc, "%s", buf);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		struct zc_neigh_static *n;
		char *w[6];
		unsigned int nw;

		fc->line++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			file_error(fc, "line longer than %zu characters",
				   sizeof(buf) - 2);
			goto fail;
		}
		nw = split_words(buf, w, RTE_DIM(w));
		if (nw == 0)
			continue;
		if (nw > RTE_DIM(w)) {
			file_error(fc, "too many words (expected ADDRESS MAC [port N])");
			goto fail;
		}
		if (*nb == ZC_NEIGH_STATIC_MAX) {
			file_error(fc, "more than %u neighbours",
				   ZC_NEIGH_STATIC_MAX);
			goto fail;
		}
		if (*nb == cap) {
			struct zc_neigh_static *nv;

			cap = cap == 0 ? 32 : cap * 2;
			nv = realloc(v, cap * sizeof(*nv));
			if (nv == NULL) {
				file_error(fc, "out of memory");
				goto fail;
			}
			v = nv;
		}
		n = &v[*nb];
		memset(n, 0, sizeof(*n));
		if (parse_neigh_line(fc, w, nw, n) < 0)
			goto fail;
		for (i = 0; i < *nb; i++)
			if (v[i].port == n->port && v[i].family == n->family &&
			    memcmp(v[i].ip, n->ip, 16) == 0) {
				file_error(fc, "%s on port %u is already given at line %u",
					   w[0], n->cfg_port, v[i].line);
				goto fail;
			}
		(*nb)++;
	}
	fclose(f);
	*out = v;
	return 0;
fail:
	fclose(f);
	free(v);
	*nb = 0;
	return -1;
}

/* Largest 2-byte next hop of rte_fib DIR24_8 and rte_fib6 TRIE. */
#define NH2_MAX 0x7fffu

/* tbl8 groups a prefix may need beyond the 24-bit first level. */
static uint32_t
tbl8_need(const struct zc_route *r)
{
	if (r->depth <= 24)
		return 0;
	return r->family == AF_INET ? 1 : (r->depth - 24 + 7) / 8;
}

void
zc_route_fibs_free(struct zc_route_fibs *f)
{
	if (f == NULL)
		return;
	rte_fib_free(f->fib4);
	rte_fib6_free(f->fib6);
	rte_free(f);
}

/*
 * Build the FIBs of a route array (free indexes, family 0, skipped) into
 * a new zc_route_fibs. NULL with zc_config_strerror() set on failure.
 */
struct zc_route_fibs *
zc_route_fibs_build(const struct zc_config *cfg, const struct zc_route *routes,
		    uint32_t nb_routes, int socket_id)
{
	uint32_t nb4 = 0, nb6 = 0, t4 = 64, t6 = 64, i;
	uint64_t def4, def6;
	char name[RTE_MEMZONE_NAMESIZE];
	unsigned int seq = route_seq++;
	struct zc_route_fibs *rt;

	rt = rte_zmalloc_socket("zc_route_fibs", sizeof(*rt),
				RTE_CACHE_LINE_SIZE, socket_id);
	if (rt == NULL) {
		zc_config_error(cfg, "route", NULL, "out of memory");
		return NULL;
	}
	for (i = 0; i < nb_routes; i++) {
		const struct zc_route *r = &routes[i];

		if (r->family == 0)
			continue;
		if (r->family == AF_INET) {
			nb4++;
			t4 += tbl8_need(r);
		} else {
			nb6++;
			t6 += tbl8_need(r);
		}
	}
	/*
	 * Next hops are route indexes: 2 bytes (a 32 MiB first level) while
	 * they fit in 15 bits, else 4 bytes (64 MiB). The "no route" value
	 * is the largest next hop of that size.
	 */
	rt->none4 = nb_routes < NH2_MAX ? NH2_MAX : ZC_ROUTE_NONE;
	rt->none6 = rt->none4;
	def4 = rt->none4;
	def6 = rt->none6;
	for (i = 0; i < nb_routes; i++) {
		const struct zc_route *r = &routes[i];

		if (r->family != 0 && r->depth == 0)
			*(r->family == AF_INET ? &def4 : &def6) = i;
	}
	if (t4 > rt->none4 || t6 > rt->none6) {
		zc_config_error(cfg, "route", "routes",
				"too many prefixes longer than /24 for the FIB (%u IPv4 and %u IPv6 tbl8 groups needed, %u allowed)",
				t4, t6, (unsigned int)rt->none4);
		goto fail;
	}
	if (nb4 != 0) {
		struct rte_fib_conf c = {
			.type = RTE_FIB_DIR24_8,
			.default_nh = def4,
			.max_routes = 2 * nb4 + 16,
			.dir24_8 = {
				.nh_sz = rt->none4 == NH2_MAX ?
					 RTE_FIB_DIR24_8_2B :
					 RTE_FIB_DIR24_8_4B,
				.num_tbl8 = t4,
			},
		};

		snprintf(name, sizeof(name), "zc_fib4_%u", seq);
		rt->fib4 = rte_fib_create(name, socket_id, &c);
		if (rt->fib4 == NULL) {
			zc_config_error(cfg, "route", NULL,
					"cannot create the IPv4 FIB for %u routes: %s (reserve more hugepages or -m memory)",
					nb4, rte_strerror(rte_errno));
			goto fail;
		}
	}
	if (nb6 != 0) {
		struct rte_fib6_conf c = {
			.type = RTE_FIB6_TRIE,
			.default_nh = def6,
			.max_routes = 2 * nb6 + 16,
			.trie = {
				.nh_sz = rt->none6 == NH2_MAX ?
					 RTE_FIB6_TRIE_2B : RTE_FIB6_TRIE_4B,
				.num_tbl8 = t6,
			},
		};

		snprintf(name, sizeof(name), "zc_fib6_%u", seq);
		rt->fib6 = rte_fib6_create(name, socket_id, &c);
		if (rt->fib6 == NULL) {
			zc_config_error(cfg, "route", NULL,
					"cannot create the IPv6 FIB for %u routes: %s (reserve more hugepages or -m memory)",
					nb6, rte_strerror(rte_errno));
			goto fail;
		}
	}
	for (i = 0; i < nb_routes; i++) {
		const struct zc_route *r = &routes[i];
		int ret;

		if (r->family == 0 || r->depth == 0)
			continue; /* free, or the FIB's default next hop */
		if (r->family == AF_INET) {
			uint32_t a;

			memcpy(&a, r->prefix, 4);
			ret = rte_fib_add(rt->fib4, rte_be_to_cpu_32(a),
					  r->depth, i);
		} else {
			ret = rte_fib6_add(rt->fib6, r->prefix, r->depth, i);
		}
		if (ret < 0) {
			char text[ZC_ROUTE_TEXT_LEN];

			zc_route_format(r, text, sizeof(text));
			zc_config_error(cfg, "route", "routes",
					"cannot add '%s' to the FIB: %s",
					text, strerror(-ret));
			goto fail;
		}
	}
	return rt;
fail:
	zc_route_fibs_free(rt);
	return NULL;
}

/* The static neighbour of each tunnel route: the tunnel's peer. */
static int
tunnel_neighbours(const struct zc_route *routes, uint32_t nb,
		  struct zc_neigh_static **neigh, uint32_t *nb_neigh)
{
	uint32_t i, j;

	for (i = 0; i < nb; i++) {
		const struct zc_vxlan *t = zc_vxlan_by_vport(routes[i].port);
		struct zc_neigh_static *n;

		if (t == NULL || routes[i].kind != ZC_ROUTE_VIA)
			continue;
		for (j = 0; j < *nb_neigh; j++)
			if ((*neigh)[j].port == t->vport &&
			    (*neigh)[j].family == routes[i].family)
				break;
		if (j < *nb_neigh)
			continue;
		n = realloc(*neigh, (*nb_neigh + 1) * sizeof(*n));
		if (n == NULL)
			return -1;
		*neigh = n;
		n += (*nb_neigh)++;
		memset(n, 0, sizeof(*n));
		n->family = routes[i].family;
		n->cfg_port = t->cfg_port;
		n->port = t->vport;
		n->mac = t->peer_mac;
	}
	return 0;
}

struct zc_route_table *
zc_route_table_create(const struct zc_config *cfg, int socket_id)
{
	struct zc_route_table *rt;
	struct zc_route *routes = NULL;
	struct zc_neigh_static *neigh = NULL;
	uint32_t nb = 0, cap = 0, nb_neigh = 0, i, groups = 0;
	struct file_ctx fc = { .cfg = cfg };
	struct rte_malloc_socket_stats ms;
	uint64_t t0 = rte_rdtsc(), heap0;

	rte_malloc_get_socket_stats(socket_id < 0 ? 0 : socket_id, &ms);
	heap0 = ms.heap_allocsz_bytes;
	rt = rte_zmalloc_socket("zc_route_table", sizeof(*rt),
				RTE_CACHE_LINE_SIZE, socket_id);
	if (rt == NULL) {
		zc_config_error(cfg, "route", NULL, "out of memory");
		return NULL;
	}
	rt->learn = zc_route_conf.learn;
	rt->probe_ms = zc_route_conf.probe_ms != 0 ? zc_route_conf.probe_ms : 1000;
	fc.rt = rt;

	if (derive_routes(cfg, rt, &routes, &nb, &cap) < 0) {
		zc_config_error(cfg, "route", NULL, "out of memory");
		goto fail;
	}
	if (zc_route_conf.routes[0] != '\0') {
		fc.path = zc_route_conf.routes;
		fc.line = 0;
		if (read_routes(&fc, &routes, &nb, &cap) < 0)
			goto fail;
	}
	fc.path = zc_route_conf.routes[0] != '\0' ? zc_route_conf.routes : cfg->path;
	if (check_duplicates(&fc, routes, nb) < 0)
		goto fail;
	if (zc_route_conf.neighbours[0] != '\0') {
		fc.path = zc_route_conf.neighbours;
		fc.line = 0;
		if (read_neighbours(&fc, &neigh, &nb_neigh) < 0)
			goto fail;
	}
	if (tunnel_neighbours(routes, nb, &neigh, &nb_neigh) < 0) {
		zc_config_error(cfg, "route", NULL, "out of memory");
		goto fail;
	}

	/* Each multipath route gets its group in the lcores' tables. */
	for (i = 0; i < nb; i++) {
		if (routes[i].mp == NULL)
			continue;
		if (groups == ZC_ROUTE_GROUPS_MAX) {
			fc.path = zc_route_conf.routes;
			fc.line = routes[i].line;
			file_error(&fc, "more than %u routes with several next hops",
				   ZC_ROUTE_GROUPS_MAX);
			goto fail;
		}
		routes[i].mp->group = groups;
		rt->groups[groups / 64] |= UINT64_C(1) << (groups % 64);
		groups++;
	}
	rt->nb_routes = nb;
	if (nb != 0) {
		rt->routes = rte_malloc_socket("zc_routes", nb * sizeof(*routes),
					       RTE_CACHE_LINE_SIZE, socket_id);
		if (rt->routes == NULL) {
			zc_config_error(cfg, "route", NULL, "out of memory");
			goto fail;
		}
		memcpy(rt->routes, routes, nb * sizeof(*routes));
		/* The table owns their next-hop lists now. */
		free(routes);
		routes = NULL;
	}
	rt->nb_neigh = nb_neigh;
	if (nb_neigh != 0) {
		rt->neigh = rte_malloc_socket("zc_neigh_static",
					      nb_neigh * sizeof(*neigh), 0,
					      socket_id);
		if (rt->neigh == NULL) {
			zc_config_error(cfg, "route", NULL, "out of memory");
			goto fail;
		}
		memcpy(rt->neigh, neigh, nb_neigh * sizeof(*neigh));
	}
	free(routes);
	routes = NULL;
	free(neigh);
	neigh = NULL;
	rt->fibs = zc_route_fibs_build(cfg, rt->routes, rt->nb_routes,
				       socket_id);
	if (rt->fibs == NULL)
		goto fail;
	rte_malloc_get_socket_stats(socket_id < 0 ? 0 : socket_id, &ms);
	ZC_LOG(INFO, "route: %u routes and %u static neighbours loaded in %.0f ms; routing tables take %.1f MiB",
	       nb, nb_neigh,
	       (double)(rte_rdtsc() - t0) * 1000 / rte_get_tsc_hz(),
	       (double)(ms.heap_allocsz_bytes - heap0) / (1 << 20));
	return rt;
fail:
	zc_route_mp_free_all(routes, nb);
	free(routes);
	free(neigh);
	zc_route_table_free(rt);
	return NULL;
}

void
zc_route_table_free(struct zc_route_table *rt)
{
	if (rt == NULL)
		return;
	zc_route_fibs_free(rt->fibs);
	zc_route_mp_free_all(rt->routes, rt->nb_routes);
	rte_free(rt->routes);
	rte_free(rt->neigh);
	rte_free(rt);
}

/*
 * The process-wide table is built and released by the main lcore (stage
 * init/fini) and read by telemetry's thread: both are control path, and
 * share route_lock. Workers never take it.
 *
 * zc_route_info() formats a route's text into the caller's buffer while it
 * holds route_lock, so telemetry never keeps a pointer into a table that
 * the pipeline's teardown frees.
 */
struct zc_route_table *
zc_route_get(const struct zc_config *cfg, int socket_id)
{
	struct zc_route_table *rt;

	rte_spinlock_lock(&route_lock);
	if (route_active == NULL) {
		rte_spinlock_unlock(&route_lock);
		rt = zc_route_table_create(cfg, socket_id);
		if (rt == NULL)
			return NULL;
		rte_spinlock_lock(&route_lock);
		route_active = rt;
		route_refs = 0;
	}
	route_refs++;
	rt = route_active;
	rte_spinlock_unlock(&route_lock);
	return rt;
}

void
zc_route_put(void)
{
	struct zc_route_table *rt;
	unsigned int l;

	rte_spinlock_lock(&route_lock);
	if (route_refs == 0 || --route_refs != 0) {
		rte_spinlock_unlock(&route_lock);
		return;
	}
	rt = route_active;
	route_active = NULL;
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		rte_free(route_hits[l]);
		route_hits[l] = NULL;
	}
	route_cap = 0;
	rte_spinlock_unlock(&route_lock);
	zc_route_table_free(rt);
}

struct zc_route_slot *
zc_route_hits_row(unsigned int lcore_id, int socket_id)
{
	struct zc_route_slot *row;
	uint32_t i;

	if (lcore_id >= RTE_MAX_LCORE)
		return NULL;
	rte_spinlock_lock(&route_lock);
	if (route_active != NULL && route_hits[lcore_id] == NULL) {
		if (route_cap < route_active->nb_routes)
			route_cap = RTE_MAX(2 * route_active->nb_routes,
					    ZC_ROUTE_SPARE);
		row = rte_zmalloc_socket("zc_route_slots",
					 route_cap * sizeof(*row),
					 RTE_CACHE_LINE_SIZE, socket_id);
		for (i = 0; row != NULL && i < route_cap; i++) {
			const struct zc_route *r = &route_active->routes[i];

			row[i].nb = ZC_ROUTE_NO_NB;
			if (i >= route_active->nb_routes)
				continue;
			row[i].port = r->port;
			row[i].kind = r->kind;
			row[i].family = r->family;
		}
		route_hits[lcore_id] = row;
	}
	row = route_hits[lcore_id];
	rte_spinlock_unlock(&route_lock);
	return row;
}

unsigned int
zc_route_count(void)
{
	unsigned int n;

	rte_spinlock_lock(&route_lock);
	n = route_active != NULL ? route_active->nb_routes : 0;
	rte_spinlock_unlock(&route_lock);
	return n;
}

int
zc_route_info(unsigned int idx, char *text, size_t len, uint64_t *hits)
{
	unsigned int l;
	uint64_t sum = 0;

	rte_spinlock_lock(&route_lock);
	if (route_active == NULL || idx >= route_active->nb_routes) {
		rte_spinlock_unlock(&route_lock);
		return -1;
	}
	if (route_active->routes[idx].family == 0) {
		/* Deleted at run time; the index waits for a new route. */
		rte_spinlock_unlock(&route_lock);
		return 1;
	}
	for (l = 0; l < RTE_MAX_LCORE; l++)
		if (route_hits[l] != NULL)
			sum += route_hits[l][idx].hits;
	zc_route_format(&route_active->routes[idx], text, len);
	rte_spinlock_unlock(&route_lock);
	*hits = sum;
	return 0;
}

void
zc_route_stats_sum(struct zc_route_lcore_stats *sum)
{
	unsigned int l;

	memset(sum, 0, sizeof(*sum));
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const struct zc_route_lcore_stats *s = &zc_route_stats[l];

#define ROUTE_SUM(T, name, kind, unit, help) sum->name += s->name;
		ZC_ROUTE_COUNTERS(ROUTE_SUM, _)
#undef ROUTE_SUM
	}
}

/* ---- neighbour tables (one per route stage instance) ---------------- */

struct zc_neigh_table *
zc_neigh_table_create(const struct zc_route_table *rt, int socket_id)
{
	struct zc_neigh_table *nt;
	struct rte_hash_parameters hp;
	char name[RTE_HASH_NAMESIZE];
	uint32_t i, max;

	/* Room for what zcctl may add: static neighbours, new gateways. */
	max = rt->nb_neigh + rt->nb_routes + ZC_NEIGH_LEARN_MAX +
	      ZC_NEIGH_STATIC_MAX + ZC_ROUTE_SPARE;
	nt = rte_zmalloc_socket("zc_neigh_table", sizeof(*nt),
				RTE_CACHE_LINE_SIZE, socket_id);
	if (nt == NULL)
		return NULL;
	nt->max = max;
	nt->e = rte_zmalloc_socket("zc_neigh", max * sizeof(nt->e[0]),
				   RTE_CACHE_LINE_SIZE, socket_id);
	snprintf(name, sizeof(name), "zc_nb_%u", route_seq++);
	memset(&hp, 0, sizeof(hp));
	hp.name = name;
	hp.entries = max;
	hp.key_len = sizeof(struct zc_neigh_key);
	hp.hash_func = rte_hash_crc;
	hp.socket_id = socket_id;
	/* Single writer and reader (the owning lcore): no lock flags. The
	 * extendable table guarantees room for every one of max keys.
	 */
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	nt->hash = nt->e != NULL ? rte_hash_create(&hp) : NULL;
	if (nt->hash == NULL) {
		zc_neigh_table_free(nt);
		return NULL;
	}
	for (i = 0; i < rt->nb_neigh; i++) {
		const struct zc_neigh_static *s = &rt->neigh[i];
		struct zc_neigh *n = zc_neigh_get(nt, s->port, s->family,
						  s->ip);

		if (n == NULL) {
			zc_neigh_table_free(nt);
			return NULL;
		}
		n->mac = s->mac;
		n->state = ZC_NEIGH_STATIC;
	}
	return nt;
}

void
zc_neigh_table_free(struct zc_neigh_table *nt)
{
	if (nt == NULL)
		return;
	rte_hash_free(nt->hash);
	rte_free(nt->e);
	rte_free(nt);
}

/* ---- for runtime changes (update.c, route_ctl.h) ---------------------- */

void
zc_route_lock(void)
{
	rte_spinlock_lock(&route_lock);
}

void
zc_route_unlock(void)
{
	rte_spinlock_unlock(&route_lock);
}

struct zc_route_table *
zc_route_table_active(void)
{
	return route_active;
}

struct zc_route_slot **
zc_route_rows(uint32_t **cap)
{
	*cap = &route_cap;
	return route_hits;
}

int
zc_route_parse(const struct zc_config *cfg, const struct zc_route_table *rt,
	       const char *what, char *line, struct zc_route *r)
{
	struct file_ctx fc = {
		.cfg = cfg, .rt = (struct zc_route_table *)(uintptr_t)rt,
		.path = what,
	};
	char *w[ROUTE_WORDS_MAX];
	unsigned int nw;

	memset(r, 0, sizeof(*r));
	nw = split_words(line, w, RTE_DIM(w));
	if (nw == 0)
		return file_error(&fc, "no route given (expected PREFIX [via NEXTHOP] [port N])");
	if (nw > RTE_DIM(w))
		return file_error(&fc, "too many words (expected PREFIX [via NEXTHOP] [port N])");
	return parse_route_line(&fc, w, nw, r);
}

int
zc_route_parse_neigh(const struct zc_config *cfg,
		     const struct zc_route_table *rt, const char *what,
		     char *line, struct zc_neigh_static *n)
{
	struct file_ctx fc = {
		.cfg = cfg, .rt = (struct zc_route_table *)(uintptr_t)rt,
		.path = what,
	};
	char *w[6];
	unsigned int nw;

	memset(n, 0, sizeof(*n));
	nw = split_words(line, w, RTE_DIM(w));
	if (nw == 0)
		return file_error(&fc, "no neighbour given (expected ADDRESS MAC [port N])");
	if (nw > RTE_DIM(w))
		return file_error(&fc, "too many words (expected ADDRESS MAC [port N])");
	return parse_neigh_line(&fc, w, nw, n);
}

int
zc_route_port_of(const struct zc_config *cfg, const struct zc_route_table *rt,
		 uint8_t family, const uint8_t *addr)
{
	unsigned int other;

	return infer_port(rt, cfg, family, addr, &other);
}

int
zc_route_read_file(const struct zc_config *cfg,
		   const struct zc_route_table *rt, const char *path,
		   struct zc_route **routes, uint32_t *nb)
{
	struct file_ctx fc = {
		.cfg = cfg, .rt = (struct zc_route_table *)(uintptr_t)rt,
		.path = path,
	};
	uint32_t cap = *nb;

	if (read_routes(&fc, routes, nb, &cap) < 0 ||
	    check_duplicates(&fc, *routes, *nb) < 0) {
		zc_route_mp_free_all(*routes, *nb);
		free(*routes);
		*routes = NULL;
		*nb = 0;
		return -1;
	}
	return 0;
}

int
zc_route_read_neigh_file(const struct zc_config *cfg,
			 const struct zc_route_table *rt, const char *path,
			 struct zc_neigh_static **neigh, uint32_t *nb)
{
	struct file_ctx fc = {
		.cfg = cfg, .rt = (struct zc_route_table *)(uintptr_t)rt,
		.path = path,
	};

	return read_neighbours(&fc, neigh, nb);
}
