/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_LATENCY_H
#define ZC_LATENCY_H

/**
 * @file
 * Latency histograms: how long packets took from RX to a stage.
 *
 * The rx stage stamps every packet with the low 32 bits of the TSC
 * (zc_rx_tsc()). When a burst enters a later stage, the run loop reads the
 * TSC once (it does so anyway to count cycles) and records, for every packet,
 * now - stamp into that stage instance's histogram. The histogram of the
 * sink (tx) stage is therefore the RX-to-TX latency; the ones before it show
 * where the time goes, ring waits included.
 *
 * A histogram belongs to one stage instance and is written by the lcore that
 * runs it only: no atomics, no locks. Readers (telemetry) copy it and compute
 * percentiles; a copy taken while the writer runs may be off by the packets
 * of one burst, never worse.
 *
 * Buckets are log-linear over cycles, as in HdrHistogram: values below
 * ZC_LAT_SUB each have a bucket, and every power of two above is cut into
 * ZC_LAT_SUB equal buckets, so a bucket is at most 1/ZC_LAT_SUB (6.25 %)
 * wide relative to its value, from 1 cycle to 2^32 cycles (1.7 s at
 * 2.45 GHz) in ZC_LAT_BUCKETS buckets.
 *
 * All packets of one rx burst carry the same stamp, so recording costs one
 * load and one compare per packet, and one bucket update per run of equal
 * stamps; behind a source, where a burst is one rx burst, it costs two
 * loads and one bucket update per burst (zc_lat_record_one_rx()).
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "core/zc_meta.h"

/** log2 of the number of sub-buckets per power of two. */
#define ZC_LAT_SUB_BITS 4

/** Sub-buckets per power of two. */
#define ZC_LAT_SUB (1u << ZC_LAT_SUB_BITS)

/** Number of buckets covering every uint32_t value. */
#define ZC_LAT_BUCKETS ((32 - ZC_LAT_SUB_BITS + 1) * ZC_LAT_SUB)

/**
 * One latency histogram, in TSC cycles. Single writer.
 */
struct zc_lat_hist {
	uint64_t count;  /**< Values recorded. */
	uint64_t sum;    /**< Sum of the values, cycles. */
	uint32_t max;    /**< Largest value, cycles. */
	uint32_t pad;    /**< Unused. */
	uint64_t bucket[ZC_LAT_BUCKETS]; /**< Counts per bucket. */
} __rte_cache_aligned;

/**
 * Bucket of a value.
 *
 * @param v
 *   Latency in cycles.
 * @return
 *   Bucket index, below ZC_LAT_BUCKETS.
 */
static inline unsigned int
zc_lat_bucket(uint32_t v)
{
	unsigned int e;

	if (v < ZC_LAT_SUB)
		return v;
	e = 31 - (unsigned int)__builtin_clz(v); /* ZC_LAT_SUB_BITS .. 31 */
	return ((e - ZC_LAT_SUB_BITS + 1) << ZC_LAT_SUB_BITS) |
	       ((v >> (e - ZC_LAT_SUB_BITS)) & (ZC_LAT_SUB - 1));
}

/**
 * Smallest value that falls into a bucket.
 */
static inline uint64_t
zc_lat_bucket_low(unsigned int b)
{
	unsigned int shift;

	if (b < ZC_LAT_SUB)
		return b;
	shift = (b >> ZC_LAT_SUB_BITS) - 1;
	return (uint64_t)(ZC_LAT_SUB + (b & (ZC_LAT_SUB - 1))) << shift;
}

/**
 * Largest value that falls into a bucket.
 */
static inline uint64_t
zc_lat_bucket_high(unsigned int b)
{
	if (b < ZC_LAT_SUB)
		return b;
	return zc_lat_bucket_low(b) +
	       (UINT64_C(1) << ((b >> ZC_LAT_SUB_BITS) - 1)) - 1;
}

/**
 * Record n values equal to v.
 */
static inline void
zc_lat_add(struct zc_lat_hist *h, uint32_t v, uint32_t n)
{
	h->bucket[zc_lat_bucket(v)] += n;
	h->count += n;
	h->sum += (uint64_t)v * n;
	if (v > h->max)
		h->max = v;
}

/**
 * Record the latency of every packet of a burst: now minus its RX stamp.
 * The caller checks that the stamp exists (zc_rx_tsc_offset >= 0).
 *
 * @param h
 *   Histogram of the stage the burst enters.
 * @param pkts
 *   The burst.
 * @param n
 *   Packets in it, at least 1.
 * @param now
 *   Low 32 bits of the TSC read at stage entry.
 */
static inline void
zc_lat_record_burst(struct zc_lat_hist *h, struct rte_mbuf **pkts,
		    uint16_t n, uint32_t now)
{
	uint32_t stamp = *zc_rx_tsc(pkts[0]);
	uint32_t run = 1;
	uint16_t i;

	for (i = 1; i < n; i++) {
		uint32_t t = *zc_rx_tsc(pkts[i]);

		if (likely(t == stamp)) {
			run++;
			continue;
		}
		zc_lat_add(h, now - stamp, run);
		stamp = t;
		run = 1;
	}
	zc_lat_add(h, now - stamp, run);
}

/**
 * zc_lat_record_burst() for a burst known to come from one rx burst, as on
 * an lcore whose first stage is the source: every packet carries the same
 * stamp, so one bucket update records them all. If the first and last
 * stamps differ after all (a stage made a packet of its own), falls back
 * to the per-packet walk.
 */
static inline void
zc_lat_record_one_rx(struct zc_lat_hist *h, struct rte_mbuf **pkts,
		     uint16_t n, uint32_t now)
{
	uint32_t stamp = *zc_rx_tsc(pkts[0]);

	if (likely(*zc_rx_tsc(pkts[n - 1]) == stamp))
		zc_lat_add(h, now - stamp, n);
	else
		zc_lat_record_burst(h, pkts, n, now);
}

/** Percentiles of a histogram, in cycles. */
struct zc_lat_summary {
	uint64_t count; /**< Values recorded. */
	uint64_t sum;   /**< Sum of the values. */
	uint64_t min;   /**< Low edge of the lowest non-empty bucket. */
	uint64_t p50;   /**< Median (high edge of its bucket, at most max). */
	uint64_t p90;   /**< 90th percentile. */
	uint64_t p99;   /**< 99th percentile. */
	uint64_t p999;  /**< 99.9th percentile. */
	uint64_t max;   /**< Exact largest value. */
};

/**
 * Copy a histogram another lcore is writing. Fields are read one by one;
 * count is recomputed from the buckets so that it matches them.
 */
void zc_lat_snapshot(struct zc_lat_hist *dst, const struct zc_lat_hist *src);

/**
 * Add histogram src into dst (merging several instances).
 */
void zc_lat_merge(struct zc_lat_hist *dst, const struct zc_lat_hist *src);

/**
 * Value at a quantile.
 *
 * @param h
 *   A snapshot.
 * @param q_ppm
 *   Quantile in parts per million (990000 for p99).
 * @return
 *   High edge of the bucket holding that rank, capped at h->max; 0 if the
 *   histogram is empty.
 */
uint64_t zc_lat_quantile(const struct zc_lat_hist *h, uint32_t q_ppm);

/**
 * Fill a summary from a snapshot.
 */
void zc_lat_summarize(const struct zc_lat_hist *h, struct zc_lat_summary *s);

/**
 * Convert cycles to nanoseconds with the TSC frequency.
 */
uint64_t zc_lat_cycles_to_ns(uint64_t cycles);

#endif /* ZC_LATENCY_H */
