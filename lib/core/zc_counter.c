/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/zc_counter.h"

static TAILQ_HEAD(, zc_counter_group) counter_groups =
	TAILQ_HEAD_INITIALIZER(counter_groups);
static unsigned int nb_counter_groups;

/* Lower-case letters, digits and the characters of extra; not empty, not
 * longer than ZC_COUNTER_NAME_LEN, starting with a letter.
 */
static bool
name_ok(const char *s, const char *extra)
{
	size_t i;

	if (s == NULL || s[0] < 'a' || s[0] > 'z')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (i == ZC_COUNTER_NAME_LEN)
			return false;
		if ((c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' &&
		    strchr(extra, c) == NULL)
			return false;
	}
	return true;
}

/* Printable ASCII, no '"' or '\\' (it goes into JSON as it is). */
static bool
help_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (i == ZC_COUNTER_HELP_LEN || s[i] < 0x20 || s[i] >= 0x7f ||
		    s[i] == '"' || s[i] == '\\')
			return false;
	return true;
}

/*
 * The stem of a counter's metric name, as zcstat derives it:
 * <group>_<name> with '/' read as '_', then _<unit> for the base units
 * Prometheus wants in names (bytes, seconds) unless the name ends so.
 * zcstat adds the zcpipe_ prefix, and _total for a counter.
 */
static void
metric_stem(const struct zc_counter_group *g, unsigned int i, char *buf,
	    size_t len)
{
	const struct zc_counter_desc *d = &g->desc[i];
	size_t n, u;
	char *p;

	snprintf(buf, len, "%s_%s", g->name, d->name);
	for (p = buf; *p != '\0'; p++)
		if (*p == '/')
			*p = '_';
	if (strcmp(d->unit, "bytes") != 0 && strcmp(d->unit, "seconds") != 0)
		return;
	n = strlen(buf);
	u = strlen(d->unit);
	if (n > u && buf[n - u - 1] == '_' && strcmp(buf + n - u, d->unit) == 0)
		return;
	if (n < len)
		snprintf(buf + n, len - n, "_%s", d->unit);
}

int
zc_counter_group_check(const struct zc_counter_group *g, char *err,
		       size_t errlen)
{
	char a[2 * ZC_COUNTER_NAME_LEN + 16], b[sizeof(a)];
	unsigned int i, j;

	if (!name_ok(g->name, "")) {
		snprintf(err, errlen,
			 "counter group name '%s': not lower-case letters, digits and '_' (up to %u, a letter first)",
			 g->name != NULL ? g->name : "(null)",
			 ZC_COUNTER_NAME_LEN);
		return -EINVAL;
	}
	if (!help_ok(g->help)) {
		snprintf(err, errlen, "counter group %s: help missing, too long or not printable ASCII without quotes",
			 g->name);
		return -EINVAL;
	}
	if (g->base == NULL || g->stride == 0 || g->nb_rows == 0 ||
	    g->stride % sizeof(uint64_t) != 0) {
		snprintf(err, errlen, "counter group %s: no rows, or a row size that is not a multiple of 8 bytes",
			 g->name);
		return -EINVAL;
	}
	if (g->desc == NULL || g->nb_desc == 0 ||
	    g->nb_desc > ZC_COUNTER_GROUP_MAX) {
		snprintf(err, errlen, "counter group %s: %u counters (1 to %u)",
			 g->name, g->nb_desc, ZC_COUNTER_GROUP_MAX);
		return -EINVAL;
	}
	if (g->total != NULL && !name_ok(g->total, "")) {
		snprintf(err, errlen, "counter group %s: total key '%s' not lower-case letters, digits and '_'",
			 g->name, g->total);
		return -EINVAL;
	}
	for (i = 0; i < g->nb_desc; i++) {
		const struct zc_counter_desc *d = &g->desc[i];
		size_t n;

		if (!name_ok(d->name, "/")) {
			snprintf(err, errlen, "counter group %s: counter %u: name '%s' not lower-case letters, digits, '_' and '/'",
				 g->name, i, d->name != NULL ? d->name : "(null)");
			return -EINVAL;
		}
		n = strlen(d->name);
		if (n >= 6 && strcmp(d->name + n - 6, "_total") == 0) {
			snprintf(err, errlen, "counter %s/%s: a name must not end in _total (zcstat adds it to counters)",
				 g->name, d->name);
			return -EINVAL;
		}
		if (!name_ok(d->unit, "")) {
			snprintf(err, errlen, "counter %s/%s: unit '%s' not lower-case letters, digits and '_'",
				 g->name, d->name, d->unit != NULL ? d->unit : "(null)");
			return -EINVAL;
		}
		if (!help_ok(d->help)) {
			snprintf(err, errlen, "counter %s/%s: help missing, over %u characters, or not printable ASCII without quotes",
				 g->name, d->name, ZC_COUNTER_HELP_LEN);
			return -EINVAL;
		}
		if (d->kind != ZC_COUNTER_KIND_COUNTER &&
		    d->kind != ZC_COUNTER_KIND_GAUGE) {
			snprintf(err, errlen, "counter %s/%s: kind %d is neither a counter nor a gauge",
				 g->name, d->name, (int)d->kind);
			return -EINVAL;
		}
		if (d->offset % sizeof(uint64_t) != 0 ||
		    d->offset + sizeof(uint64_t) > g->stride) {
			snprintf(err, errlen, "counter %s/%s: offset %zu is not an aligned uint64_t inside a %zu-byte row",
				 g->name, d->name, d->offset, g->stride);
			return -EINVAL;
		}
		metric_stem(g, i, a, sizeof(a));
		for (j = 0; j < i; j++) {
			metric_stem(g, j, b, sizeof(b));
			if (strcmp(g->desc[j].name, d->name) == 0 ||
			    strcmp(a, b) == 0) {
				snprintf(err, errlen, "counter group %s: counters '%s' and '%s' have the same name or metric",
					 g->name, g->desc[j].name, d->name);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Whether a counter of g has the metric name of one already registered. */
static bool
metric_taken(const struct zc_counter_group *g, char *err, size_t errlen)
{
	const struct zc_counter_group *o;
	char a[2 * ZC_COUNTER_NAME_LEN + 16], b[sizeof(a)];
	unsigned int i, j;

	TAILQ_FOREACH(o, &counter_groups, next)
		for (i = 0; i < g->nb_desc; i++) {
			metric_stem(g, i, a, sizeof(a));
			for (j = 0; j < o->nb_desc; j++) {
				metric_stem(o, j, b, sizeof(b));
				if (strcmp(a, b) != 0)
					continue;
				snprintf(err, errlen, "counter %s/%s has the metric name of %s/%s",
					 g->name, g->desc[i].name, o->name,
					 o->desc[j].name);
				return true;
			}
		}
	return false;
}

void
zc_counter_group_register(struct zc_counter_group *g)
{
	struct zc_counter_group *o;
	char err[256];

	if (zc_counter_group_check(g, err, sizeof(err)) < 0)
		goto bad;
	if (zc_counter_group_find(g->name) != NULL) {
		snprintf(err, sizeof(err), "counter group %s registered twice",
			 g->name);
		goto bad;
	}
	if (metric_taken(g, err, sizeof(err)))
		goto bad;
	/* Keep the registry in name order: outputs do not depend on the
	 * order in which the linker ran the constructors.
	 */
	TAILQ_FOREACH(o, &counter_groups, next)
		if (strcmp(g->name, o->name) < 0) {
			TAILQ_INSERT_BEFORE(o, g, next);
			nb_counter_groups++;
			return;
		}
	TAILQ_INSERT_TAIL(&counter_groups, g, next);
	nb_counter_groups++;
	return;
bad:
	/* A declaration bug: before main(), no log yet. */
	fprintf(stderr, "zcpipe: bad counter declaration: %s\n", err);
	abort();
}

const struct zc_counter_group *
zc_counter_group_find(const char *name)
{
	const struct zc_counter_group *g;

	TAILQ_FOREACH(g, &counter_groups, next)
		if (strcmp(g->name, name) == 0)
			return g;
	return NULL;
}

const struct zc_counter_group *
zc_counter_group_next(const struct zc_counter_group *prev)
{
	if (prev == NULL)
		return TAILQ_FIRST(&counter_groups);
	return TAILQ_NEXT(prev, next);
}

unsigned int
zc_counter_group_count(void)
{
	return nb_counter_groups;
}

/* The value of counter d in row r: a relaxed load, the row's lcore being
 * the only writer.
 */
static inline uint64_t
row_value(const struct zc_counter_group *g, unsigned int r,
	  const struct zc_counter_desc *d)
{
	const uint64_t *p = (const uint64_t *)(const void *)
		((const char *)g->base + (size_t)r * g->stride + d->offset);

	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

uint64_t
zc_counter_read(const struct zc_counter_group *g, unsigned int i)
{
	uint64_t sum = 0;
	unsigned int r;

	if (i >= g->nb_desc)
		return 0;
	for (r = 0; r < g->nb_rows; r++)
		sum += row_value(g, r, &g->desc[i]);
	return sum;
}

void
zc_counter_group_read(const struct zc_counter_group *g, uint64_t *sum)
{
	unsigned int r, i;

	memset(sum, 0, g->nb_desc * sizeof(*sum));
	/* Row by row: each row is read front to back, once. */
	for (r = 0; r < g->nb_rows; r++)
		for (i = 0; i < g->nb_desc; i++)
			sum[i] += row_value(g, r, &g->desc[i]);
}

const char *
zc_counter_kind_name(enum zc_counter_kind kind)
{
	return kind == ZC_COUNTER_KIND_GAUGE ? "gauge" : "counter";
}
