/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <string.h>

#include "core/zc_drop.h"

static const char *const drop_names[ZC_DROP_MAX] = {
#define ZC_DROP_NAME(id, name, desc) [ZC_DROP_##id] = name,
	ZC_DROP_REASONS(ZC_DROP_NAME)
#undef ZC_DROP_NAME
};

static const char *const drop_descs[ZC_DROP_MAX] = {
#define ZC_DROP_DESC(id, name, desc) [ZC_DROP_##id] = desc,
	ZC_DROP_REASONS(ZC_DROP_DESC)
#undef ZC_DROP_DESC
};

const char *
zc_drop_name(enum zc_drop_reason r)
{
	if ((unsigned int)r >= ZC_DROP_MAX)
		return "unknown";
	return drop_names[r];
}

const char *
zc_drop_desc(enum zc_drop_reason r)
{
	if ((unsigned int)r >= ZC_DROP_MAX)
		return "unknown";
	return drop_descs[r];
}

int
zc_drop_lookup(const char *name)
{
	int i;

	for (i = 0; i < ZC_DROP_MAX; i++)
		if (strcmp(drop_names[i], name) == 0)
			return i;
	return -1;
}
