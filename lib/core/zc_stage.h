/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_STAGE_H
#define ZC_STAGE_H

/**
 * @file
 * The stage framework.
 *
 * A stage is one packet-processing step (rx, parse, classify, route, act,
 * tx ...). Each lives in its own file in its feature's folder (lib/core/rx.c,
 * lib/route/route.c, lib/actions/tx.c ...) and ends with
 * ZC_STAGE_REGISTER(), which adds its descriptor to a registry at start-up.
 * The configuration names stages by their descriptor name and places them on
 * lcores; the pipeline builder (zc_pipeline.c) makes one instance per
 * placement and calls init().
 *
 * All stages share one burst signature:
 *
 *   uint16_t process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t n)
 *
 * A stage keeps the packets that go on in pkts[0 .. ret-1], in their
 * original order, and returns ret. Every packet it does not keep it either
 * transmits (tx) or frees and counts under a drop reason with zc_stage_drop().
 * A source stage (rx) is called with n == 0 and fills pkts[] with at most
 * ZC_BURST_MAX packets; a sink stage (tx) keeps nothing and returns 0.
 *
 * Counters in struct zc_stage_stats are written only by the lcore that runs
 * the instance, and read by anyone (summary, telemetry) without locks.
 *
 * The stage contract: each descriptor declares what packet metadata it
 * reads and writes (ZC_MD_* groups, core/zc_meta.h), the modes it may run
 * in, and its place in the modes' default chains. zc_config_load() checks
 * every chain against these declarations (a stage that reads a group some
 * stage before it must write; a stage of the wrong mode is refused), the
 * default chain of a mode is every stage that names the mode in
 * default_modes, by rank, and [parse] depth follows from what the chains
 * read. No stage or core file names another stage.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "core/zc_drop.h"
#include "core/zc_meta.h"

/** Largest burst a stage is ever handed. */
#define ZC_BURST_MAX 64

/** Most stages in one pipeline. */
#define ZC_STAGES_MAX 8

/** Most ports zcpipe drives (arrays are indexed by ethdev port id). */
#define ZC_MAX_PORTS RTE_MAX_ETHPORTS

/** Most rx port/queue pairs polled by one rx stage. */
#define ZC_RXQ_MAX 16

/** Stage descriptor flags. */
#define ZC_STAGE_F_SOURCE (1u << 0) /**< Produces packets (called with n = 0). */
#define ZC_STAGE_F_SINK   (1u << 1) /**< Consumes every packet it is given. */
/** Reads zc_meta.flow_hash: parse computes a software hash where the NIC
 *  gave none only if some stage of the configuration has this flag.
 */
#define ZC_STAGE_F_FLOW_HASH (1u << 2)

/** Bit of a mode (enum zc_mode, core/zc_config.h) in a modes mask. */
#define ZC_MODE_BIT(m) (1u << (m))

struct zc_stage;
struct zc_config;

/** One port/queue pair. */
struct zc_portq {
	uint16_t port; /**< zcpipe port index == ethdev port id. */
	uint16_t queue; /**< Queue index on that port. */
};

/**
 * What the pipeline builder tells a stage instance about its place.
 */
struct zc_stage_params {
	const struct zc_config *cfg; /**< The whole validated configuration. */
	unsigned int pipeline_id;    /**< Index of the [pipeline.N] section. */
	unsigned int lcore_id;       /**< lcore that will run the instance. */
	int socket_id;               /**< NUMA socket of that lcore. */
	uint16_t nb_rxq;             /**< Valid entries in rxq[]. */
	struct zc_portq rxq[ZC_RXQ_MAX]; /**< RX queues polled (source stages). */
	uint16_t txq[ZC_MAX_PORTS];  /**< TX queue this lcore owns on each port. */
};

/**
 * Single-writer counters of one stage instance.
 */
struct zc_stage_stats {
	uint64_t pkts_in;   /**< Packets handed to process(). */
	uint64_t pkts_out;  /**< Packets kept (or transmitted, for a sink). */
	uint64_t bytes_in;  /**< Bytes handed to process(). */
	uint64_t calls;     /**< Calls to process() with work to do. */
	uint64_t empty;     /**< Calls with nothing to do (source polls). */
	uint64_t cycles;    /**< TSC cycles spent in process() on busy calls. */
	uint64_t drops[ZC_DROP_MAX]; /**< Packets freed, by reason. */
} __rte_cache_aligned;

/**
 * Stage descriptor: what a stage file registers.
 */
struct zc_stage_ops {
	const char *name;   /**< Name used in the configuration. */
	const char *desc;   /**< One line for --list-stages and docs. */
	unsigned int flags; /**< ZC_STAGE_F_* */
	/**
	 * Metadata the stage cannot work without (ZC_MD_* groups): a chain
	 * must run, before it, a stage that writes each of them, or
	 * zc_config_load() refuses it.
	 */
	uint32_t reads;
	/**
	 * Metadata the stage acts on when an earlier stage set it, and does
	 * without otherwise (tx sends by out_port, and drops a packet
	 * without one as no_egress). Counts with reads for [parse] depth.
	 */
	uint32_t may_read;
	/** Metadata the stage fills in for the stages after it. */
	uint32_t writes;
	/** Modes it may run in, ZC_MODE_BIT()s; 0: every mode. */
	uint32_t modes;
	/** Modes whose default chain holds the stage, ZC_MODE_BIT()s. */
	uint32_t default_modes;
	/** Place in a default chain: lower ranks come first. */
	unsigned int rank;
	/** Set up an instance; st->priv is the stage's to fill. 0 or -errno. */
	int (*init)(struct zc_stage *st, const struct zc_stage_params *p);
	/** Release what init() took. Optional. */
	void (*fini)(struct zc_stage *st);
	/** Process a burst; see the file comment for the contract. */
	uint16_t (*process)(struct zc_stage *st, struct rte_mbuf **pkts,
			    uint16_t nb_pkts);
	/** Push out anything buffered (called when idle and at drain). */
	void (*flush)(struct zc_stage *st);
	/** Stop producing new packets (sources, at shutdown). Optional. */
	void (*stop)(struct zc_stage *st);
	/**
	 * Whether the stage would do nothing to any packet under this
	 * configuration, its ports being configured. A mode's default chain
	 * leaves such a stage out; a chain written in the configuration is
	 * run as written. Optional (NULL: never idle).
	 */
	bool (*idle)(const struct zc_config *cfg);
	/**
	 * Called once every stage instance of the configuration is set up
	 * (and idle ones left out), before the ports start: for what
	 * depends on the other stages. Optional.
	 */
	void (*ready)(struct zc_stage *st);
	STAILQ_ENTRY(zc_stage_ops) next; /**< Registry link. */
};

/**
 * A stage instance, owned by one lcore.
 */
struct zc_stage {
	struct zc_stage_stats stats;    /**< Written by the owning lcore only. */
	const struct zc_stage_ops *ops; /**< What this instance is. */
	void *priv;                     /**< Stage-private context. */
	unsigned int lcore_id;          /**< Owning lcore. */
	unsigned int pipeline_id;       /**< Pipeline the instance belongs to. */
} __rte_cache_aligned;

/** Add a stage descriptor to the registry (use ZC_STAGE_REGISTER). */
void zc_stage_register(struct zc_stage_ops *ops);

/** Find a registered stage by name, NULL if there is none. */
const struct zc_stage_ops *zc_stage_find(const char *name);

/** Iterate over the registry: first when prev is NULL, NULL after the last. */
const struct zc_stage_ops *zc_stage_next(const struct zc_stage_ops *prev);

/** Register a stage descriptor at start-up, before main(). */
#define ZC_STAGE_REGISTER(ops) \
	RTE_INIT(zc_stage_register_##ops) \
	{ \
		zc_stage_register(&(ops)); \
	}

/**
 * Free a packet and count it under a reason. Fast path, no logging.
 */
static inline void
zc_stage_drop(struct zc_stage *st, struct rte_mbuf *m, enum zc_drop_reason r)
{
	st->stats.drops[r]++;
	rte_pktmbuf_free(m);
}

/**
 * Free a burst of packets and count them all under one reason.
 */
static inline void
zc_stage_drop_bulk(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t n,
		   enum zc_drop_reason r)
{
	if (n == 0)
		return;
	st->stats.drops[r] += n;
	rte_pktmbuf_free_bulk(pkts, n);
}

/**
 * The private state of the instance of a stage that is set up on an lcore
 * (of those set up so far: the pipeline builder sets them up in chain
 * order). For a feature's data-path header to hand its instance to a
 * later stage of the same lcore (act re-running parse, classify, route or
 * forward on decapsulated packets). Control path.
 *
 * @return
 *   Its st->priv, or NULL if no instance of ops runs on lcore_id.
 */
void *zc_stage_priv_on_lcore(const struct zc_stage_ops *ops,
			     unsigned int lcore_id);

/**
 * Run a burst through a stage instance's own burst function outside the
 * run loop, counted as the run loop counts a call of process() (input,
 * bytes, output; its drops are its own). For a feature's data-path
 * function that a later stage of the same lcore calls; body is the
 * feature's process function, called directly. Only on the instance's own
 * lcore (single writer).
 *
 * @return
 *   Packets kept.
 */
static __rte_always_inline uint16_t
zc_stage_rerun(struct zc_stage *st,
	       uint16_t (*body)(struct zc_stage *, struct rte_mbuf **,
				uint16_t),
	       struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i, kept;

	st->stats.pkts_in += n;
	for (i = 0; i < n; i++)
		st->stats.bytes_in += pkts[i]->pkt_len;
	kept = body(st, pkts, n);
	st->stats.pkts_out += kept;
	return kept;
}

/** Sum of all drops of an instance. */
uint64_t zc_stage_drops_total(const struct zc_stage *st);

#endif /* ZC_STAGE_H */
