/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The [route] section (docs/configuration.md, docs/routing.md): the route
 * and neighbour files, neighbour learning and probing, the table
 * sizes and the rate of ICMP errors. The files themselves are read when the route table is built.
 */

#include <stdio.h>
#include <string.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_memory.h>

#include "core/zc_config.h"
#include "route/zc_icmp.h"
#include "route/zc_route.h"

struct zc_route_conf zc_route_conf;

static void
route_conf_reset(void)
{
	memset(&zc_route_conf, 0, sizeof(zc_route_conf));
	zc_route_conf.learn = 1;
	zc_route_conf.probe_ms = 1000;
	zc_route_conf.max_routes = ZC_ROUTE_MAX4_DEFAULT;
	zc_route_conf.max_routes6 = ZC_ROUTE_MAX6_DEFAULT;
	zc_route_conf.icmp_rate = ZC_ICMP_RATE_DEFAULT;
}

static int
route_conf_parse(struct zc_config *cfg, struct rte_cfgfile *f,
		 const char *sec)
{
	static const char *const keys[] = {
		"routes", "neighbours", "learn", "probe_ms", "max_routes",
		"max_routes6", "icmp_rate", "source", NULL
	};
	static const char *const sources[] = { "files", "kernel", NULL };
	struct zc_route_conf *rc = &zc_route_conf;
	unsigned int src = 0;

	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_path(cfg, f, sec, "routes", false, rc->routes,
			       sizeof(rc->routes)) < 0 ||
	    zc_config_get_path(cfg, f, sec, "neighbours", false,
			       rc->neighbours, sizeof(rc->neighbours)) < 0 ||
	    zc_config_get_bool(cfg, f, sec, "learn", &rc->learn) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "probe_ms", 1, 60000,
			      &rc->probe_ms) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "max_routes", 1,
			      ZC_ROUTE_MAX_LIMIT, &rc->max_routes) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "max_routes6", 1,
			      ZC_ROUTE_MAX_LIMIT, &rc->max_routes6) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "icmp_rate", 0, ZC_ICMP_RATE_MAX,
			      &rc->icmp_rate) < 0 ||
	    zc_config_get_choice(cfg, f, sec, "source", sources, &src,
				 NULL) < 0)
		return -1;
	rc->source_kernel = src == 1;
	return 0;
}

static void
route_conf_dump(const struct zc_config *cfg __rte_unused,
		const struct zc_config_out *out)
{
	zc_config_out_str(out, "routes", zc_route_conf.routes);
}

/* zcpipe --check: the route table builds, as the route stage's would. */
static int
route_conf_verify(const struct zc_config *cfg, char *note, size_t len)
{
	struct zc_route_table *rt;

	if (cfg->mode != ZC_MODE_ROUTER)
		return 0;
	rt = zc_route_table_create(cfg, SOCKET_ID_ANY);
	if (rt == NULL)
		return -1;
	snprintf(note, len,
		 "routes: %u (connected and local ones included), %u static neighbour(s)",
		 rt->nb_routes, rt->nb_neigh);
	zc_route_table_free(rt);
	return 0;
}

static struct zc_config_section route_section = {
	.prefix = "route",
	.order = 80,
	.parse = route_conf_parse,
	.reset = route_conf_reset,
	.dump = route_conf_dump,
	.verify = route_conf_verify,
};

ZC_CONFIG_SECTION(route_section);
