/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/* Latency histograms: bucket layout, recording from RX stamps, percentiles. */

#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "unit.h"
#include "core/zc_latency.h"
#include "core/zc_meta.h"

static struct zc_lat_hist *
hist_new(void)
{
	struct zc_lat_hist *h = rte_zmalloc("test_lat", sizeof(*h),
					    RTE_CACHE_LINE_SIZE);

	ck_assert_ptr_nonnull(h);
	return h;
}

START_TEST(buckets_tile_every_value)
{
	unsigned int b;

	/* Buckets are contiguous, ordered and cover 0 .. UINT32_MAX. */
	ck_assert_uint_eq(zc_lat_bucket_low(0), 0);
	for (b = 0; b < ZC_LAT_BUCKETS; b++) {
		uint64_t lo = zc_lat_bucket_low(b), hi = zc_lat_bucket_high(b);

		ck_assert_uint_le(lo, hi);
		ck_assert_uint_eq(zc_lat_bucket((uint32_t)lo), b);
		ck_assert_uint_eq(zc_lat_bucket((uint32_t)hi), b);
		if (b + 1 < ZC_LAT_BUCKETS)
			ck_assert_uint_eq(zc_lat_bucket_low(b + 1), hi + 1);
		/* Relative width at most 1/ZC_LAT_SUB. */
		if (lo < ZC_LAT_SUB)
			ck_assert_uint_eq(hi, lo);
		else
			ck_assert_uint_le((hi - lo + 1) * ZC_LAT_SUB, lo);
	}
	ck_assert_uint_eq(zc_lat_bucket_high(ZC_LAT_BUCKETS - 1), UINT32_MAX);
	ck_assert_uint_eq(zc_lat_bucket(UINT32_MAX), ZC_LAT_BUCKETS - 1);
	ck_assert_uint_eq(zc_lat_bucket(15), 15);
	ck_assert_uint_eq(zc_lat_bucket(16), 16);
	ck_assert_uint_eq(zc_lat_bucket(32), zc_lat_bucket(33));
	ck_assert_uint_ne(zc_lat_bucket(33), zc_lat_bucket(34));
}
END_TEST

START_TEST(quantiles_of_a_uniform_distribution)
{
	struct zc_lat_hist *h = hist_new();
	struct zc_lat_summary s;
	uint32_t v;

	for (v = 1; v <= 10000; v++)
		zc_lat_add(h, v, 1);
	ck_assert_uint_eq(h->count, 10000);
	ck_assert_uint_eq(h->sum, 10000ULL * 10001 / 2);
	zc_lat_summarize(h, &s);
	ck_assert_uint_eq(s.max, 10000);
	ck_assert_uint_eq(s.min, 1);
	/* Each quantile is the high edge of the bucket of the exact rank: not
	 * below the true value and at most one bucket (6.25 %) above it.
	 */
	ck_assert_uint_ge(s.p50, 5000);
	ck_assert_uint_le(s.p50, 5000 + 5000 / ZC_LAT_SUB);
	ck_assert_uint_ge(s.p90, 9000);
	ck_assert_uint_le(s.p90, 9000 + 9000 / ZC_LAT_SUB);
	ck_assert_uint_ge(s.p99, 9900);
	ck_assert_uint_le(s.p99, 10000);
	ck_assert_uint_ge(s.p999, 9990);
	ck_assert_uint_le(s.p999, 10000);
	ck_assert_uint_le(s.p50, s.p90);
	rte_free(h);
}
END_TEST

START_TEST(quantiles_see_the_tail)
{
	struct zc_lat_hist *h = hist_new();
	struct zc_lat_summary s;

	/* 998 fast packets and 2 slow ones: p99 is fast, p99.9 is slow. */
	zc_lat_add(h, 100, 998);
	zc_lat_add(h, 1000000, 2);
	zc_lat_summarize(h, &s);
	ck_assert_uint_eq(s.count, 1000);
	ck_assert_uint_ge(s.p50, 100);
	ck_assert_uint_le(s.p50, 100 + 100 / ZC_LAT_SUB);
	ck_assert_uint_le(s.p99, 100 + 100 / ZC_LAT_SUB);
	ck_assert_uint_ge(s.p999, 1000000 - 1000000 / ZC_LAT_SUB);
	ck_assert_uint_eq(s.max, 1000000);
	ck_assert_uint_eq(zc_lat_quantile(h, 1000000), 1000000);

	memset(h, 0, sizeof(*h));
	zc_lat_summarize(h, &s);
	ck_assert_uint_eq(s.count, 0);
	ck_assert_uint_eq(s.p99, 0);
	ck_assert_uint_eq(s.max, 0);
	rte_free(h);
}
END_TEST

START_TEST(record_burst_uses_each_rx_stamp)
{
	struct zc_lat_hist *h = hist_new();
	struct rte_mbuf *pkts[8];
	unsigned int i;

	ck_assert_int_ge(zc_rx_tsc_offset, 0);
	ck_assert_int_eq(rte_pktmbuf_alloc_bulk(zc_unit_pool, pkts, 8), 0);
	/* Two rx bursts mixed (as after a ring), and a stamp taken just
	 * before the 32-bit TSC wrapped.
	 */
	for (i = 0; i < 8; i++)
		*zc_rx_tsc(pkts[i]) = i < 5 ? 1000 : 0xfffffff0u;
	*zc_rx_tsc(pkts[2]) = 1500;
	zc_lat_record_burst(h, pkts, 8, 2000);
	ck_assert_uint_eq(h->count, 8);
	ck_assert_uint_eq(h->bucket[zc_lat_bucket(1000)], 4);
	ck_assert_uint_eq(h->bucket[zc_lat_bucket(500)], 1);
	/* 2000 - 0xfffffff0 modulo 2^32 = 2016. */
	ck_assert_uint_eq(h->bucket[zc_lat_bucket(2016)], 3);
	ck_assert_uint_eq(h->sum, 4 * 1000 + 500 + 3 * 2016);
	ck_assert_uint_eq(h->max, 2016);

	zc_lat_record_burst(h, pkts, 1, 1000);
	ck_assert_uint_eq(h->count, 9);
	ck_assert_uint_eq(h->bucket[0], 1);
	rte_pktmbuf_free_bulk(pkts, 8);
	rte_free(h);
}
END_TEST

START_TEST(record_one_rx_burst)
{
	struct zc_lat_hist *h = hist_new();
	struct rte_mbuf *pkts[4];
	unsigned int i;

	ck_assert_int_eq(rte_pktmbuf_alloc_bulk(zc_unit_pool, pkts, 4), 0);
	for (i = 0; i < 4; i++)
		*zc_rx_tsc(pkts[i]) = 100;
	zc_lat_record_one_rx(h, pkts, 4, 300);
	ck_assert_uint_eq(h->count, 4);
	ck_assert_uint_eq(h->bucket[zc_lat_bucket(200)], 4);
	ck_assert_uint_eq(h->sum, 800);
	/* Last stamp differs: every packet is looked at. */
	*zc_rx_tsc(pkts[3]) = 250;
	*zc_rx_tsc(pkts[1]) = 290;
	zc_lat_record_one_rx(h, pkts, 4, 300);
	ck_assert_uint_eq(h->count, 8);
	ck_assert_uint_eq(h->bucket[zc_lat_bucket(200)], 6);
	ck_assert_uint_eq(h->bucket[zc_lat_bucket(50)], 1);
	ck_assert_uint_eq(h->bucket[zc_lat_bucket(10)], 1);
	rte_pktmbuf_free_bulk(pkts, 4);
	rte_free(h);
}
END_TEST

START_TEST(snapshot_and_merge)
{
	struct zc_lat_hist *a = hist_new(), *b = hist_new(), *c = hist_new();

	zc_lat_add(a, 10, 3);
	zc_lat_add(b, 5000, 2);
	zc_lat_snapshot(c, a);
	ck_assert_uint_eq(c->count, 3);
	ck_assert_uint_eq(c->sum, 30);
	zc_lat_merge(c, b);
	ck_assert_uint_eq(c->count, 5);
	ck_assert_uint_eq(c->sum, 30 + 10000);
	ck_assert_uint_eq(c->max, 5000);
	ck_assert_uint_eq(c->bucket[zc_lat_bucket(5000)], 2);
	rte_free(a);
	rte_free(b);
	rte_free(c);
}
END_TEST

START_TEST(cycles_to_ns)
{
	uint64_t hz = rte_get_tsc_hz();

	ck_assert_uint_eq(zc_lat_cycles_to_ns(0), 0);
	ck_assert_uint_eq(zc_lat_cycles_to_ns(hz), 1000000000ULL);
	ck_assert_uint_eq(zc_lat_cycles_to_ns(hz * 3 / 1000), 3000000ULL);
	ck_assert_uint_eq(zc_lat_cycles_to_ns(hz * 100000),
			  100000ULL * 1000000000ULL);
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("latency");
	TCase *tc = tcase_create("latency");

	tcase_add_test(tc, buckets_tile_every_value);
	tcase_add_test(tc, quantiles_of_a_uniform_distribution);
	tcase_add_test(tc, quantiles_see_the_tail);
	tcase_add_test(tc, record_burst_uses_each_rx_stamp);
	tcase_add_test(tc, record_one_rx_burst);
	tcase_add_test(tc, snapshot_and_merge);
	tcase_add_test(tc, cycles_to_ns);
	suite_add_tcase(s, tc);
	return s;
}
