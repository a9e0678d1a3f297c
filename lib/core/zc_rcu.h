/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_RCU_H
#define ZC_RCU_H

/**
 * @file
 * Read-copy-update between the workers and the control thread, on
 * rte_rcu_qsbr (quiescent-state-based reclamation).
 *
 * Tables that change at run time (the ACL rule set, routes, next hops,
 * neighbours) are reached by the workers through one pointer each, loaded
 * once per burst, and never held across two iterations of the run loop.
 * So the end of an iteration is a quiescent state: each worker lcore
 * reports it with zc_rcu_quiescent() (one load of the token and, when it
 * moved, one store). The control thread, the only writer, publishes a new
 * table with a release store, then frees the old one only after a grace
 * period: zc_rcu_synchronize() waits for it, zc_rcu_defer() queues the
 * free and zc_rcu_reclaim() runs the frees whose grace period is over.
 *
 * A worker is online from the start of its run loop to its end (thread
 * id = lcore id): a grace period never waits for a worker that has
 * stopped, nor for one that has not started (it cannot have seen the old
 * table).
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_rcu_qsbr.h>

/** The QS variable of the workers; NULL before zc_rcu_init(). */
extern struct rte_rcu_qsbr *zc_rcu;

/**
 * Create the QS variable and the defer queue, and register every worker
 * lcore of the EAL (offline until its run loop starts). 0 or -errno.
 */
int zc_rcu_init(void);

/**
 * Run every deferred free (waiting for its grace period), then release
 * the QS variable. Call once no worker runs and no writer is left.
 */
void zc_rcu_release(void);

/** A worker lcore starts reading tables (start of its run loop). */
static inline void
zc_rcu_online(unsigned int lcore_id)
{
	if (zc_rcu == NULL)
		return;
	rte_rcu_qsbr_thread_online(zc_rcu, lcore_id);
}

/**
 * A worker lcore holds no table pointer: once per run-loop iteration.
 * The QS variable is set before any worker starts, so no check here.
 */
static inline void
zc_rcu_quiescent(unsigned int lcore_id)
{
	rte_rcu_qsbr_quiescent(zc_rcu, lcore_id);
}

/** A worker lcore stops reading tables (end of its run loop). */
static inline void
zc_rcu_offline(unsigned int lcore_id)
{
	if (zc_rcu == NULL)
		return;
	rte_rcu_qsbr_thread_offline(zc_rcu, lcore_id);
}

/**
 * Wait until every worker has passed a quiescent state since the call:
 * nothing unpublished before it is still in use. Control path; must not
 * be called by a worker.
 */
void zc_rcu_synchronize(void);

/**
 * Call fn(arg) once every worker has passed a quiescent state after this
 * call. Control path, single writer. If the queue is full, waits for a
 * grace period and frees what is due first.
 *
 * @return
 *   0, or -errno if it could not be queued (fn(arg) has then been called
 *   after a synchronous grace period: nothing is leaked).
 */
int zc_rcu_defer(void (*fn)(void *arg), void *arg);

/**
 * Run the deferred frees whose grace period is over; never waits.
 *
 * @return
 *   How many are still pending.
 */
unsigned int zc_rcu_reclaim(void);

/** Grace periods waited for and frees deferred, since start. */
struct zc_rcu_stats {
	uint64_t syncs;    /**< zc_rcu_synchronize() calls. */
	uint64_t deferred; /**< zc_rcu_defer() calls. */
	uint64_t freed;    /**< Deferred frees run. */
};

/** Counters of the writer side (written by the control thread only). */
void zc_rcu_stats(struct zc_rcu_stats *out);

#endif /* ZC_RCU_H */
