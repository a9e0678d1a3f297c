/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "core/zc_latency.h"

void
zc_lat_snapshot(struct zc_lat_hist *dst, const struct zc_lat_hist *src)
{
	const volatile struct zc_lat_hist *v = src;
	uint64_t count = 0;
	unsigned int b;

	for (b = 0; b < ZC_LAT_BUCKETS; b++) {
		dst->bucket[b] = v->bucket[b];
		count += dst->bucket[b];
	}
	dst->count = count;
	dst->sum = v->sum;
	dst->max = v->max;
	dst->pad = 0;
}

void
zc_lat_merge(struct zc_lat_hist *dst, const struct zc_lat_hist *src)
{
	unsigned int b;

	for (b = 0; b < ZC_LAT_BUCKETS; b++)
		dst->bucket[b] += src->bucket[b];
	dst->count += src->count;
	dst->sum += src->sum;
	dst->max = RTE_MAX(dst->max, src->max);
}

uint64_t
zc_lat_quantile(const struct zc_lat_hist *h, uint32_t q_ppm)
{
	uint64_t rank, seen = 0;
	unsigned int b;

	if (h->count == 0)
		return 0;
	/* Smallest rank r (1-based) with r >= q * count. */
	rank = (h->count * q_ppm + 999999) / 1000000;
	if (rank == 0)
		rank = 1;
	for (b = 0; b < ZC_LAT_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= rank)
			return RTE_MIN(zc_lat_bucket_high(b), (uint64_t)h->max);
	}
	return h->max;
}

void
zc_lat_summarize(const struct zc_lat_hist *h, struct zc_lat_summary *s)
{
	unsigned int b;

	memset(s, 0, sizeof(*s));
	s->count = h->count;
	s->sum = h->sum;
	if (h->count == 0)
		return;
	for (b = 0; b < ZC_LAT_BUCKETS; b++)
		if (h->bucket[b] != 0) {
			s->min = zc_lat_bucket_low(b);
			break;
		}
	s->p50 = zc_lat_quantile(h, 500000);
	s->p90 = zc_lat_quantile(h, 900000);
	s->p99 = zc_lat_quantile(h, 990000);
	s->p999 = zc_lat_quantile(h, 999000);
	s->max = h->max;
}

uint64_t
zc_lat_cycles_to_ns(uint64_t cycles)
{
	uint64_t hz = rte_get_tsc_hz();

	if (hz == 0)
		return 0;
	/* Split to avoid overflowing 64 bits for large values. */
	return cycles / hz * 1000000000ULL +
	       (cycles % hz) * 1000000000ULL / hz;
}
