/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <string.h>
#include <sys/queue.h>

#include "core/zc_stage.h"

static STAILQ_HEAD(, zc_stage_ops) stage_registry =
	STAILQ_HEAD_INITIALIZER(stage_registry);

void
zc_stage_register(struct zc_stage_ops *ops)
{
	STAILQ_INSERT_TAIL(&stage_registry, ops, next);
}

const struct zc_stage_ops *
zc_stage_find(const char *name)
{
	const struct zc_stage_ops *ops;

	STAILQ_FOREACH(ops, &stage_registry, next)
		if (strcmp(ops->name, name) == 0)
			return ops;
	return NULL;
}

const struct zc_stage_ops *
zc_stage_next(const struct zc_stage_ops *prev)
{
	if (prev == NULL)
		return STAILQ_FIRST(&stage_registry);
	return STAILQ_NEXT(prev, next);
}

uint64_t
zc_stage_drops_total(const struct zc_stage *st)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < ZC_DROP_MAX; i++)
		sum += st->stats.drops[i];
	return sum;
}
