/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_TRACE_H
#define ZC_TRACE_H

/**
 * @file
 * Packet trace, the mechanism: follow the next N packets (those a selector
 * accepts) through every stage, and record what each stage decided and
 * when. The /zcpipe/trace command (lib/telemetry/zc_trace_cmd.c) arms it
 * with its filter as the selector, and formats the records.
 *
 * Workers test zc_trace_on once per burst; while it is clear nothing else
 * is done. While it is set, the run loop (zc_pipeline.c) takes a slow path:
 *
 * - after a source stage, zc_trace_select() asks the selector about each
 *   packet and claims a record for each it accepts, until N are claimed,
 *   and marks the packet with a dynamic mbuf flag, which travels with it
 *   through rings;
 * - a marked packet is handed to each stage on its own (the untraced
 *   packets around it in runs, order kept), between zc_trace_enter() and
 *   zc_trace_leave(), which compare the stage's drop counters and the
 *   packet's metadata before and after: the stage passed it on (and with
 *   which metadata: parse result, egress port), dropped it (and why),
 *   consumed it, or, for a sink, queued it for transmission.
 *
 * A stage can add what only it knows (the ACL rule that matched, the
 * route and next hop) with zc_trace_note(), guarded by zc_trace_pkt().
 *
 * Records are written by the lcore that holds the packet and read by the
 * control thread; a hop becomes visible once complete (release on
 * nb_hops). The control functions (arm, stop, clear, status, record) are
 * for one control thread at a time.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "core/zc_meta.h"
#include "core/zc_stage.h"

/** Most packets one trace follows. */
#define ZC_TRACE_MAX 256

/** Most hops of one packet: every stage of a pipeline. */
#define ZC_TRACE_HOPS ZC_STAGES_MAX

/** Room for the notes of one hop, NUL included. */
#define ZC_TRACE_NOTE_LEN 96

/** Bytes a selector keeps of a packet's headers in its record. */
#define ZC_TRACE_FLOW_LEN 64

/** What a stage did with a traced packet. */
enum zc_trace_verdict {
	ZC_TRACE_PASS = 0,  /**< Passed on to the next stage. */
	ZC_TRACE_DROP,      /**< Freed and counted under a reason. */
	ZC_TRACE_TX,        /**< Handed to a port's TX queue by a sink. */
	ZC_TRACE_CONSUMED,  /**< Taken without a drop (e.g. answered). */
};

/** One stage's passage of a traced packet. */
struct zc_trace_hop {
	const char *stage;      /**< Stage name (static), or "ring". */
	uint32_t t_cycles;      /**< Stage entry minus the RX stamp. */
	uint32_t stage_cycles;  /**< Time in the stage for this packet alone. */
	uint16_t lcore;         /**< Lcore that ran the stage. */
	uint16_t out_port;      /**< zc_meta.out_port after the stage. */
	uint8_t verdict;        /**< enum zc_trace_verdict. */
	uint8_t reason;         /**< enum zc_drop_reason, with ZC_TRACE_DROP. */
	uint8_t has_meta;       /**< meta is worth showing. */
	struct zc_meta meta;    /**< After the stage (before, for a sink). */
	char note[ZC_TRACE_NOTE_LEN]; /**< zc_trace_note() text. */
};

/** One traced packet. */
struct zc_trace_rec {
	struct rte_mbuf *m;     /**< The packet, while in flight. */
	uint64_t sel_tsc;       /**< TSC when selected (after RX). */
	uint32_t rx_stamp;      /**< Low 32 bits of the RX TSC. */
	uint16_t port;          /**< Ingress port. */
	uint32_t len;           /**< pkt_len at RX. */
	uint16_t nb_segs;       /**< Segments at RX. */
	uint8_t nb_hops;        /**< Hops published (release). */
	uint8_t done;           /**< Record complete (release). */
	/** What the selector kept of the headers at RX, its own layout. */
	uint8_t flow[ZC_TRACE_FLOW_LEN] __rte_aligned(8);
	struct zc_trace_hop hop[ZC_TRACE_HOPS]; /**< The hops, in order. */
};

/**
 * Selector: whether to trace packet m, just received (its metadata is
 * reset; no stage but the source has seen it). Runs on the receiving
 * lcore, for each packet while a trace is armed and selecting: it must
 * neither change the packet nor block. When it accepts m, what it wrote
 * in flow (ZC_TRACE_FLOW_LEN bytes) is kept in the record.
 */
typedef bool (*zc_trace_select_t)(struct rte_mbuf *m, void *flow);

/** A trace's state, for the control thread. */
struct zc_trace_status {
	uint32_t wanted;    /**< Packets asked for (claims end at this). */
	uint32_t claimed;   /**< Records claimed (at most ZC_TRACE_MAX). */
	uint32_t completed; /**< Records complete. */
	bool ever;          /**< Armed since the last clear. */
	bool stopped;       /**< Stopped before wanted were claimed. */
	uint64_t arm_tsc;   /**< TSC when armed. */
};

/** Nonzero while a trace is armed or traced packets are in flight. */
extern volatile uint32_t zc_trace_on;

/** ol_flags bit marking a traced packet; 0 until zc_trace_init(). */
extern uint64_t zc_trace_flag;

/**
 * Register the dynamic mbuf flag. Call once after rte_eal_init().
 *
 * @return
 *   0, or a negative errno value (tracing then never selects a packet).
 */
int zc_trace_init(void);

/** True if the packet is being traced. Cheap: one flag test. */
static inline bool
zc_trace_pkt(const struct rte_mbuf *m)
{
	return (m->ol_flags & zc_trace_flag) != 0;
}

/**
 * Add a note to the current hop of a traced packet, e.g. "rule 12 permit"
 * or "route 10.0.0.0/8 via 10.1.0.1 port 1". Call only when
 * zc_trace_pkt(m) is true; notes of one hop are joined with "; " and cut at
 * ZC_TRACE_NOTE_LEN - 1 characters.
 */
void zc_trace_note(const struct rte_mbuf *m, const char *fmt, ...)
	__rte_format_printf(2, 3);

/* ---- run loop ------------------------------------------------------------ */

/**
 * Run loop: claim records for the packets a source stage just produced.
 *
 * @param src
 *   The source stage instance (for its name and lcore).
 * @param pkts
 *   The burst.
 * @param n
 *   Packets in it.
 * @param tsc
 *   TSC when the source returned.
 */
void zc_trace_select(const struct zc_stage *src, struct rte_mbuf **pkts,
		     uint16_t n, uint64_t tsc);

/**
 * Run loop: start a hop of a traced packet, just before the stage is
 * called with that packet alone.
 *
 * @return
 *   An opaque hop handle for zc_trace_leave(), or NULL if the packet has no
 *   record any more (trace cleared): run the stage as usual then.
 */
void *zc_trace_enter(const struct zc_stage *st, struct rte_mbuf *m,
		     uint64_t tsc);

/**
 * Run loop: finish the hop.
 *
 * @param hop
 *   What zc_trace_enter() returned.
 * @param st
 *   The stage.
 * @param kept
 *   The packet the stage passed on (the same mbuf, or its replacement), or
 *   NULL if it kept nothing.
 * @param tsc
 *   TSC when the stage returned.
 */
void zc_trace_leave(void *hop, const struct zc_stage *st,
		    struct rte_mbuf *kept, uint64_t tsc);

/**
 * Run loop: traced packets among pkts were dropped because the ring to the
 * next lcore was full.
 */
void zc_trace_ring_full(struct rte_mbuf **pkts, uint16_t n);

/* ---- control ------------------------------------------------------------- */

/**
 * Trace the next n packets that sel accepts (every packet if sel is NULL).
 * Whatever sel reads (its filter) must be written before this call.
 *
 * @return
 *   0; -EBUSY if a trace is armed or has packets in flight; -ENOTSUP
 *   without the dynamic mbuf flag; -EINVAL if n is 0 or above
 *   ZC_TRACE_MAX.
 */
int zc_trace_arm(uint32_t n, zc_trace_select_t sel);

/** Select no more packets; those in flight complete. */
void zc_trace_stop(void);

/**
 * Forget everything, even packets in flight (their flag is dropped when a
 * stage next sees them). Waits 10 ms for workers to leave the hooks.
 */
void zc_trace_clear(void);

/** Read the trace's state. */
void zc_trace_status(struct zc_trace_status *s);

/**
 * A record and how much of it is published.
 *
 * @param idx
 *   Record index, below the claimed count of zc_trace_status().
 * @param nb_hops
 *   Set to the hops published (acquire): read only those.
 * @param done
 *   Set if the record is complete.
 * @return
 *   The record, or NULL if idx is out of range.
 */
const struct zc_trace_rec *zc_trace_record(uint32_t idx, uint8_t *nb_hops,
					   bool *done);

#endif /* ZC_TRACE_H */
