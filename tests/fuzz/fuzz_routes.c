/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The route-file parser, through zc_route_table_create() on a router
 * configuration with two addressed ports: any bytes as the [route] routes
 * file (fuzz_neighbours.c: as the neighbours file). The table is built
 * (FIBs included) or refused with a message naming the file, and freed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_memory.h>
#include <rte_string_fns.h>

#include "fuzz.h"
#include "core/zc_config.h"
#include "route/zc_route.h"

static struct zc_config cfg;

static const char ini[] =
	"[general]\nmode = router\n"
	"[port.0]\ndev = net_null0\nipv4 = 10.0.0.1/24\n"
	"ipv6 = 2001:db8:1::1/64\n"
	"[port.1]\ndev = net_null1\nipv4 = 10.0.1.1/24\n"
	"ipv6 = 2001:db8:2::1/64\n"
	"[route]\nlearn = on\n";

int
zc_fuzz_init(void)
{
	unsigned int i;

	if (zc_config_load(zc_fuzz_write("zc.ini", ini, strlen(ini)),
			   &cfg) < 0) {
		fprintf(stderr, "fuzz: %s\n", zc_config_strerror());
		return -1;
	}
	for (i = 0; i < cfg.nb_ports; i++)
		cfg.port[i].port_id = (uint16_t)i;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zc_route_table *rt;
	const char *path = zc_fuzz_file(data, size), *err;

#ifdef FUZZ_NEIGHBOURS
	zc_route_conf.routes[0] = '\0';
	strlcpy(zc_route_conf.neighbours, path, sizeof(zc_route_conf.neighbours));
#else
	strlcpy(zc_route_conf.routes, path, sizeof(zc_route_conf.routes));
	zc_route_conf.neighbours[0] = '\0';
#endif
	rt = zc_route_table_create(&cfg, SOCKET_ID_ANY);
	if (rt != NULL) {
		zc_route_table_free(rt);
		return 0;
	}
	err = zc_config_strerror();
	if (strstr(err, path) == NULL) {
		fprintf(stderr, "routes: error does not name the file: '%s'\n",
			err);
		abort();
	}
	return 0;
}
