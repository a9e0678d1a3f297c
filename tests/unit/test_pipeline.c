/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Ring hand-off: a real 2-group pipeline (rx parse | forward tx) on two
 * worker lcores, replaying pcaps/default.pcap from a net_pcap port. The
 * packets must cross the ring once each, in order, none lost, and every
 * mbuf must come back to the pool after the drain.
 */

#include <stdio.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_cycles.h>
#include <rte_ring.h>

#include "unit.h"
#include "core/zc_config.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "core/zc_stats.h"

/* Main lcore and worker 1 share CPU 0 (the main one only sleeps here). */
const char *zc_unit_lcores = "0@0,1@0,2@1";

#ifndef ZC_SRC_DIR
#define ZC_SRC_DIR "."
#endif

static unsigned int
pcap_count(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned int n = 0;
	pcap_t *p = pcap_open_offline(path, err);

	ck_assert_msg(p != NULL, "%s: %s", path, err);
	while (pcap_next_ex(p, &h, &d) == 1)
		n++;
	pcap_close(p);
	return n;
}

START_TEST(two_lcores_joined_by_a_ring)
{
	static struct zc_config cfg;
	char text[1024], out[256];
	struct zc_port_counters in_ctr, out_ctr;
	const struct zc_lcore_ctx *a, *b;
	const char *path;
	uint64_t deadline;
	unsigned int nb_in;

	snprintf(out, sizeof(out), "/tmp/zcunit-pipe-%d.pcap", (int)getpid());
	snprintf(text, sizeof(text),
		 "[port.0]\ndev = net_pcap_u0,rx_pcap=%s/pcaps/default.pcap\n"
		 "[port.1]\ndev = net_pcap_u1,tx_pcap=%s\n"
		 "[forward]\nmap = 0->1\n"
		 "[pipeline.0]\nrx = 0:0\nstages = rx parse | forward tx\n"
		 "lcores = 1, 2\n", ZC_SRC_DIR, out);
	path = zc_unit_write_file("pipe.ini", text);
	ck_assert_msg(zc_config_load(path, &cfg) == 0, "%s",
		      zc_config_strerror());
	ck_assert_msg(zc_pipeline_build(&cfg) == 0, "%s",
		      zc_config_strerror());
	nb_in = zc_ports[cfg.port[0].port_id].replay_pkts;
	ck_assert_uint_eq(nb_in, 202);

	/* Placement: group 0 on lcore 1 feeds group 1 on lcore 2. */
	a = zc_rt.lcores[1];
	b = zc_rt.lcores[2];
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(zc_rt.nb_rings, 1);
	ck_assert_ptr_eq(a->out, b->in);
	ck_assert_ptr_null(a->in);
	ck_assert_ptr_null(b->out);
	ck_assert_ptr_eq(b->upstream, a);
	ck_assert_str_eq(a->stages[0]->ops->name, "rx");
	ck_assert_str_eq(a->stages[1]->ops->name, "parse");
	ck_assert_str_eq(b->stages[0]->ops->name, "forward");
	ck_assert_str_eq(b->stages[1]->ops->name, "tx");
	ck_assert_str_eq(zc_pipeline_placement(&cfg), "pipeline");

	ck_assert_int_eq(zc_pipeline_launch(), 0);
	deadline = rte_rdtsc() + 20 * rte_get_tsc_hz();
	do {
		rte_delay_us_sleep(10000);
		zc_stats_port_sum(cfg.port[0].port_id, &in_ctr);
	} while (in_ctr.rx_pkts < nb_in && rte_rdtsc() < deadline);
	zc_pipeline_stop();
	zc_pipeline_wait();

	zc_stats_port_sum(cfg.port[0].port_id, &in_ctr);
	zc_stats_port_sum(cfg.port[1].port_id, &out_ctr);
	ck_assert_uint_eq(in_ctr.rx_pkts, 202);
	/* parse drops the runt and the cut VLAN tag before the ring. */
	ck_assert_uint_eq(a->stages[1]->stats.drops[ZC_DROP_L2_TRUNCATED], 1);
	ck_assert_uint_eq(a->stages[1]->stats.drops[ZC_DROP_VLAN_TRUNCATED], 1);
	ck_assert_uint_eq(a->out_stats.enq_pkts, 200);
	ck_assert_uint_eq(a->out_stats.enq_fail, 0);
	ck_assert_uint_ge(a->out_stats.hwm, 1);
	ck_assert_uint_le(a->out_stats.hwm, a->out->capacity);
	ck_assert_uint_eq(b->stages[0]->stats.pkts_in, 200);
	ck_assert_uint_eq(out_ctr.tx_pkts, 200);
	ck_assert_uint_eq(rte_ring_count(a->out), 0);
	ck_assert(a->done && b->done);

	zc_pipeline_destroy();
	ck_assert_uint_eq(zc_pipeline_check_pools(stderr), 0);
	ck_assert_uint_eq(pcap_count(out), 200);
	unlink(out);
	zc_config_free(&cfg);
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc = tcase_create("rings");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, two_lcores_joined_by_a_ring);
	suite_add_tcase(s, tc);
	return s;
}
