/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_SUMMARY_H
#define ZC_SUMMARY_H

/**
 * @file
 * The final summary: per port, per stage and per drop reason, every
 * registered counter group (core/zc_counter.h, walked by name: no module
 * is named here), and the packet accounting rx + clones = tx + drops.
 * Printed as text, and as JSON for scripts and tests (--summary-json).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>

#include "core/zc_config.h"
#include "core/zc_kif.h"
#include "core/zc_stats.h"

/** Snapshot of everything the summary shows. */
struct zc_summary {
	struct zc_port_counters port[ZC_MAX_PORTS];  /**< By config index. */
	struct rte_eth_stats eth[ZC_MAX_PORTS];      /**< By config index. */
	uint64_t drops[ZC_DROP_MAX]; /**< Over all stages. */
	/** Kernel ring drops per port (zc_kif.h): count, names, counts. */
	unsigned int nb_kdrops[ZC_MAX_PORTS];
	const char *kdrop_name[ZC_MAX_PORTS][ZC_KIF_DROP_MAX];
	uint64_t kdrops[ZC_MAX_PORTS][ZC_KIF_DROP_MAX];
	uint64_t rx, tx, clones, dropped; /**< Totals. */
	unsigned int leaked_mbufs;   /**< Filled by the caller. */
	/** mbufs drivers keep after close, not a leak (by the caller). */
	unsigned int driver_kept_mbufs;
	bool balanced;               /**< rx + clones == tx + dropped. */
};

/** Take the snapshot (call after the workers have drained). */
void zc_summary_collect(const struct zc_config *cfg, struct zc_summary *s);

/** Print the summary as text. */
void zc_summary_print(FILE *out, const struct zc_config *cfg,
		      const struct zc_summary *s);

/** Write the summary as JSON to a file. 0, or -1 with errno set. */
int zc_summary_json(const char *path, const struct zc_config *cfg,
		    const struct zc_summary *s);

/**
 * Whether key is one of the summary JSON's own members ("rx", "ports"...),
 * which a counter group's name or total must not be (tests check every
 * registered group).
 */
bool zc_summary_key_taken(const char *key);

/** One line of live counters, for [general] stats_period. */
void zc_summary_line(FILE *out, const struct zc_config *cfg);

#endif /* ZC_SUMMARY_H */
