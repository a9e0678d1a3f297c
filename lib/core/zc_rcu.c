/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The workers' QS variable and the control thread's defer queue
 * (zc_rcu.h). Everything here but the inline reader side is control path.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "core/zc_log.h"
#include "core/zc_rcu.h"

/* Entries the defer queue holds before enqueue has to wait. */
#define ZC_RCU_DQ_SIZE 4096

struct rcu_deferred {
	void (*fn)(void *arg);
	void *arg;
};

struct rte_rcu_qsbr *zc_rcu;
static struct rte_rcu_qsbr_dq *dq;
static struct zc_rcu_stats stats;

static void
dq_free(void *p, void *e, unsigned int n)
{
	struct rcu_deferred *d = e;
	unsigned int i;

	RTE_SET_USED(p);
	for (i = 0; i < n; i++) {
		d[i].fn(d[i].arg);
		stats.freed++;
	}
}

int
zc_rcu_init(void)
{
	struct rte_rcu_qsbr_dq_parameters prm = { 0 };
	char name[RTE_RCU_QSBR_DQ_NAMESIZE];
	unsigned int lcore;
	size_t sz;

	if (zc_rcu != NULL)
		return 0;
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	zc_rcu = rte_zmalloc("zc_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (zc_rcu == NULL)
		return -ENOMEM;
	if (rte_rcu_qsbr_init(zc_rcu, RTE_MAX_LCORE) != 0)
		goto fail;
	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_rcu_qsbr_thread_register(zc_rcu, lcore);

	snprintf(name, sizeof(name), "zc_rcu_dq");
	prm.name = name;
	prm.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE; /* One writer thread. */
	prm.size = ZC_RCU_DQ_SIZE;
	prm.esize = sizeof(struct rcu_deferred);
	prm.trigger_reclaim_limit = ZC_RCU_DQ_SIZE / 4;
	prm.max_reclaim_size = ZC_RCU_DQ_SIZE / 4;
	prm.free_fn = dq_free;
	prm.v = zc_rcu;
	dq = rte_rcu_qsbr_dq_create(&prm);
	if (dq == NULL)
		goto fail;
	memset(&stats, 0, sizeof(stats));
	return 0;
fail:
	rte_free(zc_rcu);
	zc_rcu = NULL;
	return rte_errno != 0 ? -rte_errno : -ENOMEM;
}

void
zc_rcu_synchronize(void)
{
	if (zc_rcu == NULL)
		return;
	rte_rcu_qsbr_synchronize(zc_rcu, RTE_QSBR_THRID_INVALID);
	stats.syncs++;
}

int
zc_rcu_defer(void (*fn)(void *arg), void *arg)
{
	struct rcu_deferred d = { .fn = fn, .arg = arg };

	if (dq == NULL) {
		/* No QS variable: no reader to wait for. */
		fn(arg);
		return 0;
	}
	stats.deferred++;
	if (rte_rcu_qsbr_dq_enqueue(dq, &d) == 0)
		return 0;
	/* Full: one grace period frees everything queued so far. */
	zc_rcu_synchronize();
	zc_rcu_reclaim();
	if (rte_rcu_qsbr_dq_enqueue(dq, &d) == 0)
		return 0;
	ZC_LOG(ERR, "RCU defer queue: %s; freeing after a grace period",
	       rte_strerror(rte_errno));
	zc_rcu_synchronize();
	fn(arg);
	stats.freed++;
	return -ENOSPC;
}

unsigned int
zc_rcu_reclaim(void)
{
	unsigned int freed = 0, pending = 0, avail = 0;

	if (dq == NULL)
		return 0;
	rte_rcu_qsbr_dq_reclaim(dq, ZC_RCU_DQ_SIZE, &freed, &pending, &avail);
	return pending;
}

void
zc_rcu_stats(struct zc_rcu_stats *out)
{
	*out = stats;
}

void
zc_rcu_release(void)
{
	if (dq != NULL) {
		/* No worker runs any more: every grace period is over. */
		while (zc_rcu_reclaim() != 0)
			zc_rcu_synchronize();
		if (rte_rcu_qsbr_dq_delete(dq) != 0)
			ZC_LOG(ERR, "RCU defer queue not empty at exit");
		dq = NULL;
	}
	rte_free(zc_rcu);
	zc_rcu = NULL;
}
