/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_STATS_H
#define ZC_STATS_H

/**
 * @file
 * Per-lcore, single-writer port counters, and the summary that sums them.
 *
 * Each lcore writes only zc_lcore_stats[its lcore id]; readers (the summary,
 * telemetry) add the rows up without locks. Stages count in locals and add
 * once per burst.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "core/zc_stage.h"

/** Counters of one port as seen by one lcore. */
struct zc_port_counters {
	uint64_t rx_pkts;  /**< Packets received from the port. */
	uint64_t rx_bytes; /**< Bytes received. */
	uint64_t tx_pkts;  /**< Packets the port's TX queue took. */
	uint64_t tx_bytes; /**< Bytes the TX queue took. */
	/** Packets made for this port from another's data: mirror clones,
	 *  and the IPv4 fragments beyond the first of a fragmented packet.
	 */
	uint64_t clones;
};

/** Everything one lcore counts outside its stage instances. */
struct zc_lcore_stats {
	struct zc_port_counters port[ZC_MAX_PORTS]; /**< By ethdev port id. */
} __rte_cache_aligned;

/** Per-lcore counters, indexed by lcore id. */
extern struct zc_lcore_stats zc_lcore_stats[RTE_MAX_LCORE];

/** Port counters summed over every lcore. */
void zc_stats_port_sum(uint16_t port_id, struct zc_port_counters *sum);

#endif /* ZC_STATS_H */
