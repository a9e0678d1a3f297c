/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Packet trace, the mechanism (core/zc_trace.h): the record store, the
 * run loop's hooks, and arming and reading for the control thread. What
 * is traced (the filter) and how records are shown is the /zcpipe/trace
 * command's (lib/telemetry/zc_trace_cmd.c), which hands a selector in.
 *
 * Claiming is lock-free: tr.ctl packs the number of packets wanted (high
 * 32 bits) and claimed (low 32 bits), and a worker claims record k by moving
 * claimed from k to k + 1 with a compare-and-swap. A record is then written
 * by whichever lcore holds its packet (ring hand-off orders the writes), and
 * published hop by hop with a release store of nb_hops and finally of done.
 * zc_trace_on is cleared when everything claimed is done and nothing more
 * can be claimed.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "core/zc_drop.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"
#include "core/zc_trace.h"

volatile uint32_t zc_trace_on;
uint64_t zc_trace_flag;

static struct {
	uint64_t ctl;           /* wanted << 32 | claimed. */
	uint32_t completed;     /* Records done. */
	uint8_t ever;           /* Armed at least once. */
	uint8_t stopped;        /* Stopped before N were claimed. */
	uint64_t arm_tsc;       /* When armed. */
	zc_trace_select_t sel;  /* Written before arming only. */
	struct zc_trace_rec rec[ZC_TRACE_MAX];
} tr;

/* Per-lcore state of the hop in progress. */
struct trace_scratch {
	struct zc_trace_rec *rec;
	struct zc_trace_hop *hop;
	uint64_t enter_tsc;
	uint8_t sink;
	uint64_t drops[ZC_DROP_MAX];
} __rte_cache_aligned;

static struct trace_scratch scratch[RTE_MAX_LCORE];

int
zc_trace_init(void)
{
	static const struct rte_mbuf_dynflag desc = {
		.name = "zcpipe_trace",
	};
	int bit;

	if (zc_trace_flag != 0)
		return 0;
	bit = rte_mbuf_dynflag_register(&desc);
	if (bit < 0)
		return -rte_errno;
	zc_trace_flag = UINT64_C(1) << bit;
	return 0;
}

/* ---- worker hooks -------------------------------------------------------- */

/* Clear zc_trace_on once nothing more can be claimed and all is done. */
static void
maybe_finish(void)
{
	uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_SEQ_CST);
	uint32_t claimed = (uint32_t)c;

	if (claimed >= (uint32_t)(c >> 32) &&
	    __atomic_load_n(&tr.completed, __ATOMIC_SEQ_CST) == claimed)
		zc_trace_on = 0;
}

static int
claim(void)
{
	uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_ACQUIRE);

	for (;;) {
		uint32_t claimed = (uint32_t)c;

		if (claimed >= (uint32_t)(c >> 32) || claimed >= ZC_TRACE_MAX)
			return -1;
		if (__atomic_compare_exchange_n(&tr.ctl, &c, c + 1, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return (int)claimed;
	}
}

static void
complete(struct zc_trace_rec *r)
{
	r->m = NULL;
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	__atomic_fetch_add(&tr.completed, 1, __ATOMIC_SEQ_CST);
	maybe_finish();
}

static struct zc_trace_rec *
lookup(const struct rte_mbuf *m)
{
	uint32_t i, claimed;

	claimed = (uint32_t)__atomic_load_n(&tr.ctl, __ATOMIC_ACQUIRE);
	claimed = RTE_MIN(claimed, (uint32_t)ZC_TRACE_MAX);
	for (i = 0; i < claimed; i++)
		if (tr.rec[i].m == m && !tr.rec[i].done)
			return &tr.rec[i];
	return NULL;
}

void
zc_trace_select(const struct zc_stage *src, struct rte_mbuf **pkts,
		uint16_t n, uint64_t tsc)
{
	zc_trace_select_t sel = tr.sel;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint64_t flow[ZC_TRACE_FLOW_LEN / sizeof(uint64_t)];
		struct zc_trace_rec *r;
		struct zc_trace_hop *h;
		int k;
		uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_ACQUIRE);

		if ((uint32_t)c >= (uint32_t)(c >> 32))
			return;	/* All claimed: nothing more to select. */
		memset(flow, 0, sizeof(flow));
		if (zc_trace_flag == 0 || (sel != NULL && !sel(m, flow)))
			continue;
		k = claim();
		if (k < 0)
			return;
		r = &tr.rec[k];
		memcpy(r->flow, flow, sizeof(r->flow));
		r->sel_tsc = tsc;
		r->rx_stamp = zc_rx_tsc_offset >= 0 ? *zc_rx_tsc(m) :
			      (uint32_t)tsc;
		r->port = m->port;
		r->len = m->pkt_len;
		r->nb_segs = m->nb_segs;
		h = &r->hop[0];
		memset(h, 0, sizeof(*h));
		h->stage = src->ops->name;
		h->lcore = (uint16_t)src->lcore_id;
		h->t_cycles = (uint32_t)tsc - r->rx_stamp;
		h->out_port = ZC_PORT_NONE;
		h->verdict = ZC_TRACE_PASS;
		r->m = m;
		m->ol_flags |= zc_trace_flag;
		__atomic_store_n(&r->nb_hops, 1, __ATOMIC_RELEASE);
	}
}

void *
zc_trace_enter(const struct zc_stage *st, struct rte_mbuf *m, uint64_t tsc)
{
	struct trace_scratch *sc = &scratch[rte_lcore_id()];
	struct zc_trace_rec *r = lookup(m);
	struct zc_trace_hop *h;

	if (r == NULL) {
		/* Trace cleared while the packet was in flight. */
		m->ol_flags &= ~zc_trace_flag;
		return NULL;
	}
	/* The last slot is reused if a packet takes more hops than fit. */
	h = &r->hop[RTE_MIN(r->nb_hops, ZC_TRACE_HOPS - 1)];
	memset(h, 0, sizeof(*h));
	h->stage = st->ops->name;
	h->lcore = (uint16_t)rte_lcore_id();
	h->t_cycles = (uint32_t)tsc - r->rx_stamp;
	sc->rec = r;
	sc->hop = h;
	sc->enter_tsc = tsc;
	sc->sink = (st->ops->flags & ZC_STAGE_F_SINK) != 0;
	memcpy(sc->drops, st->stats.drops, sizeof(sc->drops));
	if (sc->sink) {
		/* The sink owns the packet from now on: look before. */
		h->meta = *zc_meta(m);
		h->out_port = h->meta.out_port;
		h->has_meta = 1;
		m->ol_flags &= ~zc_trace_flag;
	}
	return sc;
}

void
zc_trace_leave(void *hop, const struct zc_stage *st, struct rte_mbuf *kept,
	       uint64_t tsc)
{
	struct trace_scratch *sc = hop;
	struct zc_trace_rec *r = sc->rec;
	struct zc_trace_hop *h = sc->hop;
	unsigned int i, reason = ZC_DROP_MAX;

	h->stage_cycles = (uint32_t)(tsc - sc->enter_tsc);
	for (i = 0; i < ZC_DROP_MAX; i++)
		if (st->stats.drops[i] != sc->drops[i]) {
			reason = i;
			break;
		}
	sc->rec = NULL;
	sc->hop = NULL;
	if (kept != NULL && !sc->sink) {
		h->verdict = ZC_TRACE_PASS;
		h->meta = *zc_meta(kept);
		h->out_port = h->meta.out_port;
		h->has_meta = 1;
		if (kept != r->m) {
			/* The stage replaced the head mbuf. */
			kept->ol_flags |= zc_trace_flag;
			r->m = kept;
		}
		if (r->nb_hops < ZC_TRACE_HOPS)
			__atomic_store_n(&r->nb_hops, r->nb_hops + 1,
					 __ATOMIC_RELEASE);
		return;
	}
	if (reason != ZC_DROP_MAX) {
		h->verdict = ZC_TRACE_DROP;
		h->reason = (uint8_t)reason;
	} else {
		h->verdict = sc->sink ? ZC_TRACE_TX : ZC_TRACE_CONSUMED;
	}
	if (r->nb_hops < ZC_TRACE_HOPS)
		__atomic_store_n(&r->nb_hops, r->nb_hops + 1, __ATOMIC_RELEASE);
	complete(r);
}

void
zc_trace_ring_full(struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct zc_trace_rec *r;
		struct zc_trace_hop *h;

		if (!zc_trace_pkt(pkts[i]))
			continue;
		pkts[i]->ol_flags &= ~zc_trace_flag;
		r = lookup(pkts[i]);
		if (r == NULL)
			continue;
		h = &r->hop[RTE_MIN(r->nb_hops, ZC_TRACE_HOPS - 1)];
		memset(h, 0, sizeof(*h));
		h->stage = "ring";
		h->lcore = (uint16_t)rte_lcore_id();
		h->t_cycles = (uint32_t)rte_rdtsc() - r->rx_stamp;
		h->out_port = ZC_PORT_NONE;
		h->verdict = ZC_TRACE_DROP;
		h->reason = ZC_DROP_RING_FULL;
		if (r->nb_hops < ZC_TRACE_HOPS)
			__atomic_store_n(&r->nb_hops, r->nb_hops + 1,
					 __ATOMIC_RELEASE);
		complete(r);
	}
}

void
zc_trace_note(const struct rte_mbuf *m, const char *fmt, ...)
{
	struct trace_scratch *sc;
	unsigned int lcore = rte_lcore_id();
	size_t used;
	va_list ap;

	if (lcore >= RTE_MAX_LCORE)
		return;
	sc = &scratch[lcore];
	if (sc->rec == NULL || sc->rec->m != m)
		return;
	used = strlen(sc->hop->note);
	if (used != 0 && used + 2 < ZC_TRACE_NOTE_LEN) {
		memcpy(sc->hop->note + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= ZC_TRACE_NOTE_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(sc->hop->note + used, ZC_TRACE_NOTE_LEN - used, fmt, ap);
	va_end(ap);
}

/* ---- control ------------------------------------------------------------- */

int
zc_trace_arm(uint32_t n, zc_trace_select_t sel)
{
	if (n == 0 || n > ZC_TRACE_MAX)
		return -EINVAL;
	if (zc_trace_on)
		return -EBUSY;
	if (zc_trace_flag == 0)
		return -ENOTSUP;
	memset(tr.rec, 0, sizeof(tr.rec));
	tr.sel = sel;
	tr.ever = 1;
	tr.stopped = 0;
	tr.arm_tsc = rte_rdtsc();
	__atomic_store_n(&tr.completed, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&tr.ctl, (uint64_t)n << 32, __ATOMIC_SEQ_CST);
	__atomic_store_n(&zc_trace_on, 1, __ATOMIC_RELEASE);
	return 0;
}

void
zc_trace_stop(void)
{
	uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_SEQ_CST);
	uint64_t nc;

	/* No more claims: wanted = claimed. */
	do {
		nc = (c & 0xffffffffu) << 32 | (c & 0xffffffffu);
		if (nc == c)
			break;
	} while (!__atomic_compare_exchange_n(&tr.ctl, &c, nc, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	if (tr.ever && (uint32_t)(c >> 32) != (uint32_t)c)
		tr.stopped = 1;
	maybe_finish();
}

void
zc_trace_clear(void)
{
	zc_trace_on = 0;
	rte_delay_us_sleep(10000);
	__atomic_store_n(&tr.ctl, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&tr.completed, 0, __ATOMIC_SEQ_CST);
	memset(tr.rec, 0, sizeof(tr.rec));
	tr.sel = NULL;
	tr.ever = 0;
	tr.stopped = 0;
}

void
zc_trace_status(struct zc_trace_status *s)
{
	uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_ACQUIRE);

	s->wanted = (uint32_t)(c >> 32);
	s->claimed = RTE_MIN((uint32_t)c, (uint32_t)ZC_TRACE_MAX);
	s->completed = __atomic_load_n(&tr.completed, __ATOMIC_ACQUIRE);
	s->ever = tr.ever != 0;
	s->stopped = tr.stopped != 0;
	s->arm_tsc = tr.arm_tsc;
}

const struct zc_trace_rec *
zc_trace_record(uint32_t idx, uint8_t *nb_hops, bool *done)
{
	const struct zc_trace_rec *r;

	if (idx >= ZC_TRACE_MAX)
		return NULL;
	r = &tr.rec[idx];
	*done = __atomic_load_n(&r->done, __ATOMIC_ACQUIRE) != 0;
	*nb_hops = RTE_MIN(__atomic_load_n(&r->nb_hops, __ATOMIC_ACQUIRE),
			   (uint8_t)ZC_TRACE_HOPS);
	return r;
}
