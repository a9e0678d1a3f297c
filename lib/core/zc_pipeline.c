/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "core/zc_config.h"
#include "core/zc_latency.h"
#include "core/zc_log.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "core/zc_rcu.h"
#include "core/zc_stage.h"
#include "core/zc_trace.h"

struct zc_runtime zc_rt;
volatile bool zc_stop;

/* Flush buffered TX at least this often (microseconds) under light load. */
#define ZC_DRAIN_US 100

/* Statements that only the statistics build runs (see zc_pipeline.h). */
#ifdef ZC_NO_STATS
#define ZC_STATS(...) do { } while (0)
#else
#define ZC_STATS(...) do { __VA_ARGS__; } while (0)
#endif

const char *
zc_pipeline_placement(const struct zc_config *cfg)
{
	unsigned int i, multi = 0;

	for (i = 0; i < cfg->nb_pipelines; i++)
		multi += cfg->pipeline[i].nb_groups > 1;
	if (multi == 0)
		return "run-to-completion";
	return multi == cfg->nb_pipelines ? "pipeline" : "mixed";
}

/*
 * Whether stage s of pipeline pl is left out of it (see build_pipeline): a
 * default chain leaves out a stage with nothing to do, unless a stage
 * after it reads what it writes (the stage contract holds without it).
 */
static bool
stage_left_out(const struct zc_config *cfg, const struct zc_pipeline_conf *pl,
	       unsigned int s)
{
	const struct zc_stage_ops *ops = zc_stage_find(pl->stage[s]);
	unsigned int i;

	if (!pl->default_chain || ops->idle == NULL || !ops->idle(cfg))
		return false;
	for (i = s + 1; i < pl->nb_stages; i++)
		if (zc_stage_find(pl->stage[i])->reads & ops->writes)
			return false;
	return true;
}

bool
zc_pipeline_runs_flag(unsigned int flag)
{
	unsigned int l, s;

	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const struct zc_lcore_ctx *lc = zc_rt.lcores[l];

		if (lc == NULL)
			continue;
		for (s = 0; s < lc->nb_stages; s++)
			if (lc->stages[s]->ops->flags & flag)
				return true;
	}
	return false;
}

/* Give every group an lcore: the one named, or the next free worker. */
static int
assign_lcores(struct zc_config *cfg)
{
	bool taken[RTE_MAX_LCORE] = { false };
	unsigned int i, g, need = 0, have = rte_lcore_count() - 1;
	unsigned int next = rte_get_next_lcore(-1, 1, 0);

	for (i = 0; i < cfg->nb_pipelines; i++)
		need += cfg->pipeline[i].nb_groups;
	if (need > have)
		return zc_config_error(cfg, cfg->nb_pipelines > 1 ||
				       cfg->path[0] == '\0' ? NULL : "pipeline.0",
				       NULL,
				       "the stage placement needs %u worker lcore(s) but the EAL has %u (main lcore %u excluded); give the EAL more with -l/--lcores or put more stages on one lcore",
				       need, have, rte_get_main_lcore());

	/* Named lcores first, so that auto ones do not take them. */
	for (i = 0; i < cfg->nb_pipelines; i++) {
		struct zc_pipeline_conf *pl = &cfg->pipeline[i];
		char sec[CFG_NAME_LEN];

		snprintf(sec, sizeof(sec), "pipeline.%u", i);
		for (g = 0; g < pl->nb_groups; g++) {
			uint32_t l = pl->lcore[g];

			if (l == ZC_LCORE_AUTO)
				continue;
			if (!rte_lcore_is_enabled(l))
				return zc_config_error(cfg, sec, "lcores",
						       "lcore %u is not enabled in the EAL (-l/--lcores)",
						       l);
			if (l == rte_get_main_lcore())
				return zc_config_error(cfg, sec, "lcores",
						       "lcore %u is the main lcore, which runs control; use a worker lcore",
						       l);
			if (taken[l])
				return zc_config_error(cfg, sec, "lcores",
						       "lcore %u is given to two stage groups",
						       l);
			taken[l] = true;
		}
	}
	for (i = 0; i < cfg->nb_pipelines; i++) {
		struct zc_pipeline_conf *pl = &cfg->pipeline[i];

		for (g = 0; g < pl->nb_groups; g++) {
			if (pl->lcore[g] != ZC_LCORE_AUTO)
				continue;
			while (next < RTE_MAX_LCORE && taken[next])
				next = rte_get_next_lcore(next, 1, 0);
			if (next >= RTE_MAX_LCORE)
				return zc_config_error(cfg, NULL, NULL,
						       "no free worker lcore left for [pipeline.%u] group %u",
						       i, g);
			pl->lcore[g] = next;
			taken[next] = true;
		}
	}
	return 0;
}

/* How many tx-stage instances transmit on each port: each needs its own
 * TX queue there.
 */
static void
count_tx_queues(const struct zc_config *cfg, uint16_t *nb_txq)
{
	unsigned int i, s, p, sinks = 0;

	for (i = 0; i < cfg->nb_pipelines; i++) {
		const struct zc_pipeline_conf *pl = &cfg->pipeline[i];

		for (s = 0; s < pl->nb_stages; s++) {
			const struct zc_stage_ops *ops =
				zc_stage_find(pl->stage[s]);

			if (ops->flags & ZC_STAGE_F_SINK)
				sinks++;
		}
	}
	for (p = 0; p < cfg->nb_ports; p++)
		nb_txq[p] = sinks;
}

/*
 * Pool size: every descriptor of every port on the socket, every ring slot,
 * a burst in flight and a TX buffer per port on every lcore, the per-lcore
 * caches, and room for jumbo chains; rounded to 2^n - 1.
 */
static unsigned int
pool_size_for(const struct zc_config *cfg, int socket)
{
	unsigned int i, n = 0, nb_lcores = rte_lcore_count();
	unsigned int size;

	for (i = 0; i < cfg->nb_ports; i++) {
		const struct zc_port *p = &zc_ports[cfg->port[i].port_id];

		if (p->socket_id != socket)
			continue;
		n += p->nb_rxq * p->rx_desc + p->nb_txq * p->tx_desc;
	}
	n += zc_rt.nb_rings * cfg->ring_size;
	n += nb_lcores * (ZC_BURST_MAX + cfg->nb_ports * cfg->burst);
	n += nb_lcores * cfg->pool_cache * 3 / 2;
	n += n / 4 + 1024;
	size = rte_align32pow2(n + 1) - 1;
	return size;
}

static int
create_pools(struct zc_config *cfg)
{
	bool need[RTE_MAX_NUMA_NODES] = { false };
	unsigned int i;

	for (i = 0; i < cfg->nb_ports; i++)
		need[zc_ports[cfg->port[i].port_id].socket_id] = true;
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		char name[RTE_MEMPOOL_NAMESIZE];
		unsigned int size;

		if (!need[i])
			continue;
		size = cfg->pool_size != 0 ? cfg->pool_size :
		       pool_size_for(cfg, i);
		snprintf(name, sizeof(name), "zc_pkt_s%u", i);
		zc_rt.pools[i] = rte_pktmbuf_pool_create(name, size,
							 cfg->pool_cache, 0,
							 cfg->mbuf_size, i);
		if (zc_rt.pools[i] == NULL)
			return zc_config_error(cfg, "general",
					       cfg->pool_size ? "pool_size" : NULL,
					       "cannot create a pool of %u mbufs of %u bytes on socket %u: %s (reserve more hugepages or lower pool_size/rx_desc)",
					       size, cfg->mbuf_size, i,
					       rte_strerror(rte_errno));
		ZC_LOG(INFO, "pool %s: %u mbufs of %u bytes, cache %u, socket %u",
		       name, size, cfg->mbuf_size, cfg->pool_cache, i);
	}
	return 0;
}

static void
stage_ready(struct zc_stage *st, void *arg)
{
	RTE_SET_USED(arg);
	if (st->ops->ready != NULL)
		st->ops->ready(st);
}

static struct zc_stage *
stage_create(const struct zc_stage_ops *ops, const struct zc_stage_params *p)
{
	struct zc_stage *st;

	st = rte_zmalloc_socket("zc_stage", sizeof(*st), RTE_CACHE_LINE_SIZE,
				p->socket_id);
	if (st == NULL)
		return NULL;
	st->ops = ops;
	st->lcore_id = p->lcore_id;
	st->pipeline_id = p->pipeline_id;
	return st;
}

static int
build_pipeline(struct zc_config *cfg, unsigned int pi)
{
	struct zc_pipeline_conf *pl = &cfg->pipeline[pi];
	struct zc_lcore_ctx *prev = NULL;
	char sec[CFG_NAME_LEN];
	unsigned int g, s, q;

	snprintf(sec, sizeof(sec), "pipeline.%u", pi);
	for (g = 0; g < pl->nb_groups; g++) {
		unsigned int lcore = pl->lcore[g];
		int socket = (int)rte_lcore_to_socket_id(lcore);
		struct zc_lcore_ctx *lc;
		struct zc_stage_params params;

		lc = rte_zmalloc_socket("zc_lcore", sizeof(*lc),
					RTE_CACHE_LINE_SIZE, socket);
		if (lc == NULL)
			return zc_config_error(cfg, sec, NULL, "out of memory");
		lc->lcore_id = lcore;
		lc->pipeline_id = pi;
		lc->group = g;
		lc->burst = cfg->burst;
		lc->lossless = cfg->replay;
		lc->upstream = prev;
		zc_rt.lcores[lcore] = lc;
		zc_rt.nb_workers++;

		if (prev != NULL) {
			char name[RTE_RING_NAMESIZE];
			struct rte_ring *r;

			snprintf(name, sizeof(name), "zc_p%u_g%u", pi, g);
			r = rte_ring_create(name, cfg->ring_size, socket,
					    RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (r == NULL)
				return zc_config_error(cfg, "general",
						       "ring_size",
						       "cannot create ring %s of %u: %s",
						       name, cfg->ring_size,
						       rte_strerror(rte_errno));
			zc_rt.rings[zc_rt.nb_rings++] = r;
			prev->out = r;
			lc->in = r;
		}

		memset(&params, 0, sizeof(params));
		params.cfg = cfg;
		params.pipeline_id = pi;
		params.lcore_id = lcore;
		params.socket_id = socket;
		for (q = 0; q < pl->nb_rxq; q++) {
			const struct zc_port_conf *pc =
				&cfg->port[pl->rxq[q].port];

			params.rxq[q].port = pc->port_id;
			params.rxq[q].queue = pl->rxq[q].queue;
			if (g == 0 && zc_ports[pc->port_id].socket_id != socket)
				ZC_LOG(WARNING, "[%s] lcore %u is on socket %d but polls port %u on socket %d: every packet crosses sockets",
				       sec, lcore, socket, pl->rxq[q].port,
				       zc_ports[pc->port_id].socket_id);
		}
		params.nb_rxq = pl->nb_rxq;

		for (s = 0; s < pl->nb_stages; s++) {
			const struct zc_stage_ops *ops;
			struct zc_stage *st;
			int ret;

			if (pl->group[s] != g)
				continue;
			ops = zc_stage_find(pl->stage[s]);
			if (stage_left_out(cfg, pl, s)) {
				ZC_LOG(INFO, "[%s] stage %s has nothing to do under this configuration: left out of the default chain",
				       sec, ops->name);
				continue;
			}
			if (ops->flags & ZC_STAGE_F_SINK) {
				unsigned int p;

				for (p = 0; p < cfg->nb_ports; p++) {
					uint16_t pid = cfg->port[p].port_id;

					params.txq[pid] =
						zc_ports[pid].next_txq++;
				}
			}
			st = stage_create(ops, &params);
			if (st == NULL)
				return zc_config_error(cfg, sec, "stages",
						       "out of memory");
#ifndef ZC_NO_STATS
			/* Not for a source, nor for the stage right after
			 * one: its entry time is the RX stamp itself.
			 */
			if (!(ops->flags & ZC_STAGE_F_SOURCE) &&
			    !(g == 0 && lc->nb_stages == 1) &&
			    zc_rx_tsc_offset >= 0) {
				lc->lat[lc->nb_stages] = rte_zmalloc_socket(
					"zc_lat", sizeof(struct zc_lat_hist),
					RTE_CACHE_LINE_SIZE, socket);
				if (lc->lat[lc->nb_stages] == NULL)
					return zc_config_error(cfg, sec,
							       "stages",
							       "out of memory");
			}
#endif
			lc->stages[lc->nb_stages++] = st;
			ret = ops->init != NULL ? ops->init(st, &params) : 0;
			if (ret < 0) {
				/* The stage said what is wrong, if anything. */
				if (zc_config_strerror()[0] == '\0')
					zc_config_error(cfg, sec, "stages",
							"stage '%s' failed to initialise: %s",
							ops->name,
							strerror(-ret));
				return -1;
			}
		}
		prev = lc;
	}
	return 0;
}

int
zc_pipeline_build(struct zc_config *cfg)
{
	uint16_t nb_txq[ZC_MAX_PORTS] = { 0 };
	uint16_t nb_txq_cfg[ZC_MAX_PORTS] = { 0 };
	unsigned int i;

	memset(&zc_rt, 0, sizeof(zc_rt));
	zc_rt.cfg = cfg;
	zc_stop = false;

	if (assign_lcores(cfg) < 0 || zc_port_probe_all(cfg) < 0)
		return -1;
	if (zc_rcu_init() < 0)
		return zc_config_error(cfg, NULL, NULL,
				       "cannot create the RCU variable of the workers: out of memory");
#ifndef ZC_NO_STATS
	if (zc_rx_tsc_offset < 0 && zc_rx_tsc_register() < 0)
		ZC_LOG(WARNING, "no room left in the mbuf for the RX timestamp: per-packet latency is not measured");
#endif
	if (zc_trace_init() < 0)
		ZC_LOG(WARNING, "no dynamic mbuf flag left: packet trace is unavailable");
	count_tx_queues(cfg, nb_txq_cfg);
	for (i = 0; i < cfg->nb_ports; i++)
		nb_txq[i] = nb_txq_cfg[i];
	if (zc_port_configure_all(cfg, nb_txq) < 0)
		return -1;
	/* Rings are counted before pools are sized. */
	for (i = 0; i < cfg->nb_pipelines; i++)
		zc_rt.nb_rings += cfg->pipeline[i].nb_groups - 1;
	if (create_pools(cfg) < 0)
		return -1;
	zc_rt.nb_rings = 0;
	for (i = 0; i < cfg->nb_pipelines; i++)
		if (build_pipeline(cfg, i) < 0)
			return -1;
	zc_pipeline_foreach_stage(stage_ready, NULL);
	return zc_port_start_all(cfg, zc_rt.pools);
}

/*
 * Call stage s of an lcore on a burst, with its counters and the latency
 * histogram. *tsc is the TSC at entry; on return, the TSC at exit, which is
 * the next stage's entry: one TSC read per stage per burst.
 */
static inline uint16_t
stage_call(struct zc_lcore_ctx *lc, unsigned int s, struct rte_mbuf **pkts,
	   uint16_t n, uint64_t *tsc)
{
	struct zc_stage *st = lc->stages[s];
#ifdef ZC_NO_STATS
	RTE_SET_USED(tsc);
	return st->ops->process(st, pkts, n);
#else
	struct zc_lat_hist *lat = lc->lat[s];
	uint64_t t0 = *tsc, t1;
	uint16_t kept;

	/* No per-stage byte count: a walk over the burst per stage costs
	 * more than everything else here; ports count bytes.
	 */
	if (lat != NULL) {
		/* Behind a source, a burst is one rx burst: one stamp. */
		if (lc->in == NULL)
			zc_lat_record_one_rx(lat, pkts, n, (uint32_t)t0);
		else
			zc_lat_record_burst(lat, pkts, n, (uint32_t)t0);
	}
	st->stats.pkts_in += n;
	st->stats.calls++;
	kept = st->ops->process(st, pkts, n);
	t1 = rte_rdtsc();
	st->stats.pkts_out += kept;
	st->stats.cycles += t1 - t0;
	*tsc = t1;
	return kept;
#endif
}

/*
 * When the source returned: its RX stamp, taken right after the driver's
 * rx burst, saves a TSC read per burst (about 1 % of router throughput).
 * The rx stage's per-packet loop after the stamp is then counted in the
 * next stage. Without a plausible stamp, read the TSC.
 */
static inline uint64_t
source_end_tsc(struct rte_mbuf *m, uint64_t start)
{
#ifdef ZC_NO_STATS
	RTE_SET_USED(m);
	RTE_SET_USED(start);
	return 0;
#else
	uint32_t d;

	if (unlikely(zc_rx_tsc_offset < 0))
		return rte_rdtsc();
	d = *zc_rx_tsc(m) - (uint32_t)start;
	if (unlikely(d > UINT32_MAX / 2))
		return rte_rdtsc();
	return start + d;
#endif
}

/* Run the stages of one lcore on a burst, from stage 'first' on. */
static inline uint16_t
run_stages(struct zc_lcore_ctx *lc, unsigned int first,
	   struct rte_mbuf **pkts, uint16_t n, uint64_t *tsc)
{
	unsigned int s;

	for (s = first; s < lc->nb_stages && n > 0; s++)
		n = stage_call(lc, s, pkts, n, tsc);
	return n;
}

/*
 * run_stages() while a trace is on: each traced packet goes through each
 * stage alone, between zc_trace_enter() and zc_trace_leave(); the packets
 * around it go in runs. Kept packets stay in their order.
 */
static __rte_noinline uint16_t
run_stages_traced(struct zc_lcore_ctx *lc, unsigned int first,
		  struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t tsc = rte_rdtsc();
	unsigned int s;

	for (s = first; s < lc->nb_stages && n > 0; s++) {
		struct zc_stage *st = lc->stages[s];
		uint16_t i = 0, out = 0, j, k;

		while (i < n) {
			void *hop;

			for (j = i; j < n && !zc_trace_pkt(pkts[j]); j++)
				;
			if (j == i) {
				/* pkts[i] is traced. */
				hop = zc_trace_enter(st, pkts[i], rte_rdtsc());
				k = stage_call(lc, s, pkts + i, 1, &tsc);
				if (hop != NULL)
					zc_trace_leave(hop, st,
						       k ? pkts[i] : NULL,
						       rte_rdtsc());
				j = i + 1;
			} else {
				k = stage_call(lc, s, pkts + i, j - i, &tsc);
			}
			memmove(pkts + out, pkts + i, k * sizeof(*pkts));
			out += k;
			i = j;
		}
		n = out;
	}
	return n;
}

static inline void
flush_stages(struct zc_lcore_ctx *lc)
{
	unsigned int s;

	for (s = 0; s < lc->nb_stages; s++)
		if (lc->stages[s]->ops->flush != NULL)
			lc->stages[s]->ops->flush(lc->stages[s]);
}

/*
 * Replay: the ring is full, so wait for the consumer to take what is left
 * of the burst instead of dropping it. The consumer never waits for its
 * producer, so this ends. Yield, in case both lcores share a CPU.
 */
static __rte_noinline uint16_t
ring_out_wait(struct zc_lcore_ctx *lc, struct rte_mbuf **pkts, uint16_t n,
	      uint16_t sent, unsigned int *free_space)
{
	while (sent < n) {
		sched_yield();
		sent += rte_ring_sp_enqueue_burst(lc->out,
						  (void **)pkts + sent,
						  n - sent, free_space);
	}
	return sent;
}

/* Hand a burst to the next lcore; what does not fit is dropped and counted
 * by this lcore's last stage (single writer), or, in replay, waited for.
 */
static inline void
ring_out(struct zc_lcore_ctx *lc, struct rte_mbuf **pkts, uint16_t n)
{
	unsigned int free_space;
	uint16_t sent;

	sent = rte_ring_sp_enqueue_burst(lc->out, (void **)pkts, n,
					 &free_space);
	if (unlikely(sent < n)) {
		if (lc->lossless) {
			sent = ring_out_wait(lc, pkts, n, sent, &free_space);
		} else {
			if (unlikely(zc_trace_on))
				zc_trace_ring_full(pkts + sent, n - sent);
			ZC_STATS(lc->out_stats.enq_fail += n - sent);
			zc_stage_drop_bulk(lc->stages[lc->nb_stages - 1],
					   pkts + sent, n - sent,
					   ZC_DROP_RING_FULL);
		}
	}
#ifdef ZC_NO_STATS
	RTE_SET_USED(free_space);
#else
	lc->out_stats.enq_pkts += sent;
	if (lc->out->capacity - free_space > lc->out_stats.hwm)
		lc->out_stats.hwm = lc->out->capacity - free_space;
#endif
}

static int
lcore_main(void *arg)
{
	struct zc_lcore_ctx *lc = arg;
	struct rte_mbuf *pkts[ZC_BURST_MAX];
	const uint64_t drain_tsc = rte_get_tsc_hz() / 1000000 * ZC_DRAIN_US;
	uint64_t now = rte_rdtsc(), last_flush = now;
	struct zc_stage *src = lc->in == NULL ? lc->stages[0] : NULL;

	ZC_LOG(DEBUG, "lcore %u: pipeline %u group %u, %u stage(s)",
	       lc->lcore_id, lc->pipeline_id, lc->group, lc->nb_stages);
	/* From here on, the tables the control thread replaces may be read
	 * (zc_rcu.h): each iteration ends in a quiescent state.
	 */
	zc_rcu_online(lc->lcore_id);

	/*
	 * TSC reads: 'now' ends each iteration (drain timer). In the
	 * statistics build it is also the next iteration's start, and after
	 * a busy iteration it is the last stage's end: the loop then reads
	 * the TSC once after the source and once per stage, and a stage's
	 * cycles include the loop's own work just before it (the previous
	 * flush, the dequeue).
	 */
	for (;;) {
		uint64_t t = now;
		bool busy = false;
		uint16_t n, got;

		if (src != NULL) {
			if (zc_stop)
				break;
			n = src->ops->process(src, pkts, 0);
			got = n;
			if (n == 0) {
				ZC_STATS(src->stats.empty++);
			} else {
				t = source_end_tsc(pkts[0], now);
				ZC_STATS(src->stats.calls++;
					 src->stats.pkts_out += n;
					 src->stats.cycles += t - now);
				if (unlikely(zc_trace_on)) {
					zc_trace_select(src, pkts, n,
							rte_rdtsc());
					n = run_stages_traced(lc, 1, pkts, n);
				} else {
					n = run_stages(lc, 1, pkts, n, &t);
					busy = true;
				}
			}
		} else {
			n = rte_ring_sc_dequeue_burst(lc->in, (void **)pkts,
						      lc->burst, NULL);
			if (n == 0) {
				/* Done only when upstream is done and the
				 * ring is empty after that.
				 */
				if (__atomic_load_n(&lc->upstream->done,
						    __ATOMIC_ACQUIRE)) {
					n = rte_ring_sc_dequeue_burst(lc->in,
						(void **)pkts, lc->burst, NULL);
					if (n == 0)
						break;
				}
			}
			got = n;
			if (n == 0) {
				ZC_STATS(lc->stages[0]->stats.empty++);
			} else if (unlikely(zc_trace_on)) {
				n = run_stages_traced(lc, 0, pkts, n);
			} else {
				n = run_stages(lc, 0, pkts, n, &t);
				busy = true;
			}
		}
		if (n > 0 && lc->out != NULL)
			ring_out(lc, pkts, n);

#ifdef ZC_NO_STATS
		RTE_SET_USED(busy);
		RTE_SET_USED(t);
		now = rte_rdtsc();
#else
		now = busy ? t : rte_rdtsc();
#endif
		/* Buffered TX goes out in whole bursts: flushed when there
		 * was nothing to take in, or every ZC_DRAIN_US.
		 */
		if (got == 0 || now - last_flush > drain_tsc) {
			flush_stages(lc);
			last_flush = now;
		}
		zc_rcu_quiescent(lc->lcore_id);
	}
	flush_stages(lc);
	zc_rcu_offline(lc->lcore_id);
	__atomic_store_n(&lc->done, 1, __ATOMIC_RELEASE);
	ZC_LOG(DEBUG, "lcore %u: drained", lc->lcore_id);
	return 0;
}

int
zc_pipeline_launch(void)
{
	unsigned int l;
	int ret;

	zc_rt.start_tsc = rte_rdtsc();
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		if (zc_rt.lcores[l] == NULL)
			continue;
		ret = rte_eal_remote_launch(lcore_main, zc_rt.lcores[l], l);
		if (ret != 0) {
			ZC_LOG(ERR, "cannot launch lcore %u: %s", l,
			       strerror(-ret));
			zc_stop = true;
			return -1;
		}
	}
	zc_rt.launched = true;
	return 0;
}

void
zc_pipeline_stop(void)
{
	if (zc_rt.stop_tsc == 0)
		zc_rt.stop_tsc = rte_rdtsc();
	zc_stop = true;
}

void
zc_pipeline_wait(void)
{
	if (zc_rt.launched)
		rte_eal_mp_wait_lcore();
	zc_rt.launched = false;
}

void
zc_pipeline_foreach_stage(void (*fn)(struct zc_stage *st, void *arg),
			  void *arg)
{
	unsigned int p, l, s;

	/* Pipeline order, then group order, then stage order. */
	for (p = 0; p < ZC_PIPELINES_MAX; p++)
		for (l = 0; l < RTE_MAX_LCORE; l++) {
			struct zc_lcore_ctx *lc = zc_rt.lcores[l];

			if (lc == NULL || lc->pipeline_id != p)
				continue;
			for (s = 0; s < lc->nb_stages; s++)
				fn(lc->stages[s], arg);
		}
}

void *
zc_stage_priv_on_lcore(const struct zc_stage_ops *ops, unsigned int lcore_id)
{
	const struct zc_lcore_ctx *lc;
	unsigned int s;

	if (lcore_id >= RTE_MAX_LCORE || zc_rt.lcores[lcore_id] == NULL)
		return NULL;
	lc = zc_rt.lcores[lcore_id];
	for (s = 0; s < lc->nb_stages; s++)
		if (lc->stages[s]->ops == ops)
			return lc->stages[s]->priv;
	return NULL;
}

void
zc_pipeline_destroy(void)
{
	unsigned int l, s, r;

	/* No worker runs: what the control thread replaced is freed now. */
	zc_rcu_release();
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		struct zc_lcore_ctx *lc = zc_rt.lcores[l];

		if (lc == NULL)
			continue;
		for (s = 0; s < lc->nb_stages; s++) {
			struct zc_stage *st = lc->stages[s];

			if (st->ops->fini != NULL)
				st->ops->fini(st);
		}
	}
	if (zc_rt.cfg != NULL)
		zc_port_close_all(zc_rt.cfg);
	for (r = 0; r < zc_rt.nb_rings; r++) {
		struct rte_mbuf *m;

		/* Only after a failed start can a ring hold packets. */
		while (rte_ring_dequeue(zc_rt.rings[r], (void **)&m) == 0)
			rte_pktmbuf_free(m);
	}
}

unsigned int
zc_pipeline_check_pools(FILE *out)
{
	unsigned int i, missing = 0;

	zc_rt.driver_kept = 0;
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		struct rte_mempool *mp = zc_rt.pools[i];
		unsigned int avail, lost, kept = 0, p;

		if (mp == NULL)
			continue;
		avail = rte_mempool_avail_count(mp);
		lost = mp->size - RTE_MIN(avail, mp->size);
		/* What a driver never gives back is not ours to count. */
		for (p = 0; zc_rt.cfg != NULL && p < zc_rt.cfg->nb_ports; p++) {
			const struct zc_port *zp =
				&zc_ports[zc_rt.cfg->port[p].port_id];

			if (zp->socket_id != (int)i || !zp->drv.keeps_rx_mbufs ||
			    zp->rx_held == 0)
				continue;
			kept += RTE_MIN(zp->rx_held, lost - kept);
			fprintf(out, "zcpipe: port %u (%s): the %s driver keeps the %u mbufs its RX queues took at start, even after close (drivers-config keeps_rx_mbufs); not counted as a leak\n",
				p, zp->name, zp->drv.family, zp->rx_held);
		}
		zc_rt.driver_kept += kept;
		if (lost > kept) {
			missing += lost - kept;
			fprintf(out, "zcpipe: mbuf leak: pool %s has %u of %u mbufs back%s; %u missing\n",
				mp->name, avail, mp->size,
				kept != 0 ? " besides those drivers keep" : "",
				lost - kept);
		}
	}
	return missing;
}
