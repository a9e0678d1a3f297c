/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <string.h>

#include "core/zc_stats.h"

struct zc_lcore_stats zc_lcore_stats[RTE_MAX_LCORE];

void
zc_stats_port_sum(uint16_t port_id, struct zc_port_counters *sum)
{
	unsigned int l;

	memset(sum, 0, sizeof(*sum));
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const volatile struct zc_port_counters *c =
			&zc_lcore_stats[l].port[port_id];

		sum->rx_pkts += c->rx_pkts;
		sum->rx_bytes += c->rx_bytes;
		sum->tx_pkts += c->tx_pkts;
		sum->tx_bytes += c->tx_bytes;
		sum->clones += c->clones;
	}
}
