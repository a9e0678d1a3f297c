/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_TRACE_H
#define ZC_TRACE_H

/**
 * @file
 * Packet trace: follow the next N packets (optionally only those matching a
 * port or 5-tuple filter) through every stage, and record what each stage
 * decided and when.
 *
 * Arming and reading happen on the telemetry thread (/zcpipe/trace, see
 * docs/telemetry.md). Workers test zc_trace_on once per burst; while it is
 * clear nothing else is done. While it is set, the run loop (zc_pipeline.c)
 * takes a slow path:
 *
 * - after a source stage, zc_trace_select() claims a record for each
 *   packet that matches the filter, until N are claimed, and marks the
 *   packet with a dynamic mbuf flag, which travels with it through rings;
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
 * telemetry thread; a hop becomes visible once complete (release on
 * nb_hops).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

struct rte_tel_data;
struct zc_stage;

/** Most packets one trace follows. */
#define ZC_TRACE_MAX 256

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
 * 95 characters.
 */
void zc_trace_note(const struct rte_mbuf *m, const char *fmt, ...)
	__rte_format_printf(2, 3);

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

struct zc_config;

/**
 * Telemetry: /zcpipe/trace. Arms, stops, clears or reads, by params.
 *
 * @param params
 *   The client's parameters, unchecked.
 * @param cfg
 *   The running configuration: a port filter must name one of its ports.
 *   NULL accepts any port id.
 * @param d
 *   The reply.
 * @return
 *   0, or a negative errno value for bad params.
 */
int zc_trace_telemetry(const char *params, const struct zc_config *cfg,
		       struct rte_tel_data *d);

#endif /* ZC_TRACE_H */
