/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_PIPELINE_H
#define ZC_PIPELINE_H

/**
 * @file
 * Placement and run loop: turns the [pipeline.N] sections into stage
 * instances on worker lcores joined by SP/SC rings of mbuf pointers, runs
 * them, and drains them at shutdown.
 *
 * One lcore runs one "group": a run of consecutive stages of one pipeline.
 * With one group per pipeline the stages run to completion on one lcore and
 * no ring is used; with several, group k's last stage output is enqueued to
 * a ring that group k+1's lcore dequeues from.
 *
 * Shutdown is a cascade: the main lcore sets zc_stop; each source lcore
 * stops polling, flushes and marks itself done; each downstream lcore,
 * once its upstream is done and its ring is empty, flushes and marks itself
 * done. Nothing in flight is lost.
 *
 * Observability in the run loop (all single-writer, see docs/telemetry.md):
 * per stage instance packets, bursts, empty polls and cycles (one
 * TSC read per stage per burst, the end of one stage being the start of the
 * next); per stage instance a latency histogram from the RX stamp to the
 * stage's entry (zc_latency.h); per ring its high-water mark and enqueue
 * failures. Building with -DZC_NO_STATS (make nostats) compiles all of it
 * out, the RX stamp included, to measure what it costs. The packet trace
 * (zc_trace.h) costs one predictable branch per burst while not armed and
 * stays in both builds.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "core/zc_config.h"
#include "core/zc_latency.h"
#include "core/zc_stage.h"

/** Single-writer counters of a ring, written by its producer lcore. */
struct zc_ring_stats {
	uint64_t enq_pkts;  /**< Packets enqueued. */
	uint64_t enq_fail;  /**< Packets that did not fit (dropped ring_full). */
	uint32_t hwm;       /**< Highest occupancy seen after an enqueue. */
};

/** One worker lcore and what it runs. */
struct zc_lcore_ctx {
	struct zc_ring_stats out_stats; /**< Counters of the out ring. */
	unsigned int lcore_id;     /**< The lcore. */
	unsigned int pipeline_id;  /**< Pipeline it belongs to. */
	unsigned int group;        /**< Group index within that pipeline. */
	uint16_t burst;            /**< Burst size. */
	uint8_t nb_stages;         /**< Stages it runs. */
	/** Replay: a full out ring is waited for, not dropped from. */
	uint8_t lossless;
	struct zc_stage *stages[ZC_STAGES_MAX]; /**< In order. */
	/** RX-to-entry latency of each stage; NULL for a source or when
	 * packets carry no RX stamp. Written by this lcore only.
	 */
	struct zc_lat_hist *lat[ZC_STAGES_MAX];
	struct rte_ring *in;       /**< Ring from the previous group, or NULL. */
	struct rte_ring *out;      /**< Ring to the next group, or NULL. */
	struct zc_lcore_ctx *upstream; /**< Previous group's lcore, or NULL. */
	volatile uint8_t done;     /**< Set once drained; read by downstream. */
} __rte_cache_aligned;

/** The running application. */
struct zc_runtime {
	struct zc_config *cfg;              /**< Configuration in force. */
	unsigned int nb_workers;            /**< Worker lcores in use. */
	struct zc_lcore_ctx *lcores[RTE_MAX_LCORE]; /**< By lcore id. */
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES]; /**< Packet pool/socket. */
	unsigned int nb_rings;              /**< Rings created. */
	struct rte_ring *rings[ZC_PIPELINES_MAX * ZC_GROUPS_MAX]; /**< All. */
	uint64_t start_tsc;                 /**< TSC when workers started. */
	uint64_t stop_tsc;                  /**< TSC when asked to stop, or 0. */
	bool launched;                      /**< Workers were launched. */
	/** mbufs that drivers keep after close (keeps_rx_mbufs), found by
	 * zc_pipeline_check_pools(): not zcpipe's leak.
	 */
	unsigned int driver_kept;
};

/** The one runtime. */
extern struct zc_runtime zc_rt;

/** Set by the main lcore to stop the sources and drain. */
extern volatile bool zc_stop;

/**
 * Build everything from the configuration: lcore placement, ports, pools,
 * rings and stage instances; then start the ports. Any error is reported
 * through zc_config_strerror() and leaves nothing started.
 */
int zc_pipeline_build(struct zc_config *cfg);

/** Launch one worker per placed group. */
int zc_pipeline_launch(void);

/** Ask the sources to stop; the pipeline drains itself. */
void zc_pipeline_stop(void);

/** Wait for every worker to finish draining. */
void zc_pipeline_wait(void);

/** Run fini() of every stage, close ports, free rings. */
void zc_pipeline_destroy(void);

/** Name of the placement: "run-to-completion", "pipeline" or "mixed". */
const char *zc_pipeline_placement(const struct zc_config *cfg);

/**
 * Check that every pool is full again; call once every port is closed.
 * mbufs that a driver family is known to keep even after close
 * (drivers-config keeps_rx_mbufs: what its RX queues took at start) are
 * reported on out and in zc_rt.driver_kept, and not counted.
 * @return number of mbufs missing over all pools (0 = no leak).
 */
unsigned int zc_pipeline_check_pools(FILE *out);

/**
 * Whether a stage instance with this ZC_STAGE_F_* flag runs, on any lcore
 * (idle stages left out of default chains do not). For stages' ready().
 */
bool zc_pipeline_runs_flag(unsigned int flag);

/** Iterate over all stage instances; fn returns non-zero to stop. */
void zc_pipeline_foreach_stage(void (*fn)(struct zc_stage *st, void *arg),
			       void *arg);

#endif /* ZC_PIPELINE_H */
