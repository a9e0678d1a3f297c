/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/* The stage framework: registry, the burst contract, drop accounting. */

#include <ctype.h>
#include <string.h>

#include <rte_mbuf.h>

#include "unit.h"
#include "core/zc_config.h"
#include "core/zc_drop.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"

/* A test stage that drops every packet whose first byte is odd. */
static uint16_t
odd_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i, kept = 0;

	for (i = 0; i < n; i++) {
		if (*rte_pktmbuf_mtod(pkts[i], uint8_t *) & 1)
			zc_stage_drop(st, pkts[i], ZC_DROP_ACL_DENY);
		else
			pkts[kept++] = pkts[i];
	}
	return kept;
}

static struct zc_stage_ops odd_stage = {
	.name = "test_odd",
	.desc = "test: drop odd first bytes",
	.process = odd_process,
};

ZC_STAGE_REGISTER(odd_stage);

static struct rte_mbuf *
mk(uint8_t first)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(zc_unit_pool);

	ck_assert_ptr_nonnull(m);
	*(uint8_t *)rte_pktmbuf_append(m, 60) = first;
	return m;
}

START_TEST(registry_has_builtin_stages)
{
	static const char *const names[] = { "rx", "parse", "forward", "tx" };
	unsigned int i, n = 0;
	const struct zc_stage_ops *ops;

	for (i = 0; i < RTE_DIM(names); i++) {
		ops = zc_stage_find(names[i]);
		ck_assert_msg(ops != NULL, "stage %s not registered", names[i]);
		ck_assert_str_eq(ops->name, names[i]);
		ck_assert_ptr_nonnull(ops->process);
	}
	ck_assert(zc_stage_find("rx")->flags & ZC_STAGE_F_SOURCE);
	ck_assert(zc_stage_find("tx")->flags & ZC_STAGE_F_SINK);
	ck_assert(!(zc_stage_find("parse")->flags &
		    (ZC_STAGE_F_SOURCE | ZC_STAGE_F_SINK)));
	ck_assert_ptr_null(zc_stage_find("no-such-stage"));
	for (ops = zc_stage_next(NULL); ops != NULL; ops = zc_stage_next(ops))
		n++;
	ck_assert_uint_ge(n, 5);
}
END_TEST

START_TEST(process_keeps_order_and_counts_drops)
{
	struct zc_stage st;
	struct rte_mbuf *pkts[8];
	uint8_t firsts[8] = { 0, 1, 2, 3, 5, 6, 7, 8 };
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	uint16_t i, kept;

	memset(&st, 0, sizeof(st));
	st.ops = zc_stage_find("test_odd");
	for (i = 0; i < 8; i++)
		pkts[i] = mk(firsts[i]);
	kept = st.ops->process(&st, pkts, 8);
	ck_assert_uint_eq(kept, 4);
	ck_assert_uint_eq(*rte_pktmbuf_mtod(pkts[0], uint8_t *), 0);
	ck_assert_uint_eq(*rte_pktmbuf_mtod(pkts[1], uint8_t *), 2);
	ck_assert_uint_eq(*rte_pktmbuf_mtod(pkts[2], uint8_t *), 6);
	ck_assert_uint_eq(*rte_pktmbuf_mtod(pkts[3], uint8_t *), 8);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_ACL_DENY], 4);
	ck_assert_uint_eq(zc_stage_drops_total(&st), 4);
	/* Dropped mbufs went back to the pool; the kept ones did not. */
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail - 4);
	rte_pktmbuf_free_bulk(pkts, kept);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

START_TEST(drop_bulk_counts_and_frees)
{
	struct zc_stage st;
	struct rte_mbuf *pkts[5];
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	uint16_t i;

	memset(&st, 0, sizeof(st));
	for (i = 0; i < 5; i++)
		pkts[i] = mk(0);
	zc_stage_drop_bulk(&st, pkts, 5, ZC_DROP_RING_FULL);
	zc_stage_drop_bulk(&st, pkts, 0, ZC_DROP_TX_FULL);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_RING_FULL], 5);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_TX_FULL], 0);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

START_TEST(drop_reasons_are_one_list)
{
	int r;

	ck_assert_str_eq(zc_drop_name(ZC_DROP_RING_FULL), "ring_full");
	ck_assert_str_eq(zc_drop_name(ZC_DROP_TX_FULL), "tx_full");
	ck_assert_str_eq(zc_drop_name(ZC_DROP_NO_ROUTE), "no_route");
	ck_assert_str_eq(zc_drop_name(ZC_DROP_MAX), "unknown");
	for (r = 0; r < ZC_DROP_MAX; r++) {
		const char *n = zc_drop_name(r);
		int j;

		ck_assert_int_eq(zc_drop_lookup(n), r);
		ck_assert_msg(strlen(zc_drop_desc(r)) > 5, "%s has no desc", n);
		/* Telemetry keys: lower case, digits and '_' only. */
		for (j = 0; n[j] != '\0'; j++)
			ck_assert_msg((n[j] >= 'a' && n[j] <= 'z') ||
				      (n[j] >= '0' && n[j] <= '9') ||
				      n[j] == '_', "bad name %s", n);
	}
	ck_assert_int_eq(zc_drop_lookup("nonsense"), -1);
}
END_TEST

START_TEST(meta_reset)
{
	struct rte_mbuf *m = mk(0);
	struct zc_meta *md = zc_meta(m);

	memset(md, 0xab, sizeof(*md));
	zc_meta_reset(md);
	ck_assert_uint_eq(md->out_port, ZC_PORT_NONE);
	ck_assert_uint_eq(md->mirror_port, ZC_PORT_NONE);
	ck_assert_uint_eq(md->l3_off, 0);
	ck_assert_uint_eq(md->flags, 0);
	/* The field lies inside the mbuf, clear of the packet data. */
	ck_assert((uint8_t *)md >= (uint8_t *)m &&
		  (uint8_t *)(md + 1) <= (uint8_t *)(m + 1));
	rte_pktmbuf_free(m);
}
END_TEST

/*
 * Every registered stage is usable everywhere it is named: telemetry keys
 * ("p0/l1/NAME") take letters, digits and '_' only, and the contract
 * names only modes and metadata groups that exist.
 */
START_TEST(registered_stages_keep_the_contract)
{
	const uint32_t all_md = (1u << ZC_MD_NB) - 1;
	const struct zc_stage_ops *ops;
	const char *c;

	for (ops = zc_stage_next(NULL); ops != NULL; ops = zc_stage_next(ops)) {
		ck_assert_msg(ops->name[0] != '\0', "a stage without a name");
		for (c = ops->name; *c != '\0'; c++)
			ck_assert_msg(isalnum((unsigned char)*c) || *c == '_',
				      "stage '%s': '%c' cannot be in a telemetry key",
				      ops->name, *c);
		ck_assert_msg(ops->desc != NULL && ops->process != NULL,
			      "stage '%s': no desc or process", ops->name);
		ck_assert_msg(((ops->reads | ops->may_read | ops->writes) &
			       ~all_md) == 0,
			      "stage '%s': unknown metadata group", ops->name);
		ck_assert_msg(((ops->modes | ops->default_modes) &
			       ~ZC_MODES_ALL) == 0,
			      "stage '%s': unknown mode", ops->name);
		ck_assert_msg(ops->modes == 0 ||
			      (ops->default_modes & ~ops->modes) == 0,
			      "stage '%s': in the default chain of a mode it may not run in",
			      ops->name);
	}
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("stage");
	TCase *tc = tcase_create("framework");

	tcase_add_test(tc, registry_has_builtin_stages);
	tcase_add_test(tc, process_keeps_order_and_counts_drops);
	tcase_add_test(tc, drop_bulk_counts_and_frees);
	tcase_add_test(tc, drop_reasons_are_one_list);
	tcase_add_test(tc, meta_reset);
	tcase_add_test(tc, registered_stages_keep_the_contract);
	suite_add_tcase(s, tc);
	return s;
}
