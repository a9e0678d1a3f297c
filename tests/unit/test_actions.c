/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Zero-copy actions (lib/actions/zc_actions.c, lib/act/act.c, lib/actions/tx.c):
 *  - helpers on hand-built packets: VLAN push and pop in the headroom and,
 *    for shared data, in a header segment (the shared bytes untouched);
 *    mirror clones sharing the payload (reference count seen), a tagged
 *    header segment for a SPAN port, the copy fallback when no clone can
 *    be made; VXLAN encapsulation (outer fields, checksum in software or
 *    left to the port, inner frame untouched behind a header mbuf, or in
 *    the headroom of an unshared packet) and
 *    decapsulation (also with outer headers spanning segments);
 *    linearisation in place and by copy, with the copy counters;
 *  - the act stage on a burst (order kept, each action, decap_loop);
 *  - the tx stage on two net_ring ports, each looped back onto its ring: chains
 *    kept for a port that sends chains and linearised (and counted) for
 *    one that cannot, offload requests left to a port that grants them
 *    and done in software otherwise, mirror clones counted;
 *  - the [vxlan.NAME] and [actions] sections and the new ACL actions,
 *    errors checked exactly.
 * After every test, every mbuf is back in the packet, header and clone
 * pools.
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "unit.h"
#include "acl/zc_acl.h"
#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "core/zc_stats.h"
#include "parse/zc_parse.h"

static struct zc_config cfg;
static struct zc_act_pools pools;
static struct zc_act_lcore_stats *as;
static struct zc_parse_conf pconf;

/* Two looped-back net_ring ports, created once. */
static struct rte_ring *ring[2];
static uint16_t ring_port[2] = { UINT16_MAX, UINT16_MAX };

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

#define BASE_INI \
	"[general]\nmode = filter\n" \
	"[port.0]\ndev = net_null_a0\n" \
	"[port.1]\ndev = net_null_a1\n" \
	"[forward]\nmap = 0->1, 1->0\n" \
	"[pipeline.0]\nrx = 0:0\nstages = rx parse classify forward act tx\n"

#define TUNNEL_INI \
	"[vxlan.t0]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 42\n" \
	"port = 1\nremote_mac = 02:00:00:00:00:99\nlocal_mac = 02:00:00:00:00:01\n" \
	"[actions]\nmirror_vlan = 1:100\nmax_decap = 1\n"

/* ---- packets ------------------------------------------------------------ */

/* Ethernet/IPv4/UDP with len bytes of payload (a counting pattern). */
static uint32_t
build_udp(uint8_t *b, uint32_t src, uint32_t dst, uint16_t dport,
	  uint32_t len)
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)b;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(e + 1);
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);
	uint8_t *pl = (uint8_t *)(u + 1);
	uint32_t i;

	memcpy(&e->dst_addr, mac_b, 6);
	memcpy(&e->src_addr, mac_a, 6);
	e->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(20 + 8 + len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	u->src_port = RTE_BE16(1234);
	u->dst_port = rte_cpu_to_be_16(dport);
	u->dgram_len = rte_cpu_to_be_16(8 + len);
	u->dgram_cksum = 0;
	for (i = 0; i < len; i++)
		pl[i] = (uint8_t)i;
	return 14 + 20 + 8 + len;
}

/* VXLAN around an inner frame: outer to dst, VNI vni. */
static uint32_t
build_vxlan(uint8_t *b, uint32_t dst, uint32_t vni, const uint8_t *inner,
	    uint32_t ilen)
{
	uint32_t n = build_udp(b, inet_addr("10.0.1.2"), dst, 4789, 8 + ilen);
	uint8_t *vx = b + 14 + 20 + 8;
	uint32_t w[2] = { RTE_BE32(0x08000000), rte_cpu_to_be_32(vni << 8) };

	memcpy(vx, w, 8);
	memcpy(vx + 8, inner, ilen);
	return n;
}

/* An mbuf holding bytes, cut into segments of at most seg bytes. */
static struct rte_mbuf *
mk(const uint8_t *b, uint32_t len, uint32_t seg)
{
	struct rte_mbuf *head = NULL;
	uint32_t off = 0;

	while (off < len) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(zc_unit_pool);
		uint32_t n = RTE_MIN(seg, len - off);

		ck_assert_ptr_nonnull(m);
		memcpy(rte_pktmbuf_append(m, n), b + off, n);
		if (head == NULL)
			head = m;
		else
			ck_assert_int_eq(rte_pktmbuf_chain(head, m), 0);
		off += n;
	}
	head->ol_flags = 0;
	zc_meta_reset(zc_meta(head));
	return head;
}

/* mk() and parse, as the parse stage would. */
static struct rte_mbuf *
mkp(const uint8_t *b, uint32_t len, uint32_t seg)
{
	struct rte_mbuf *m = mk(b, len, seg);

	ck_assert_int_eq(zc_parse_packet(&pconf, m), ZC_DROP_MAX);
	return m;
}

/* The packet's bytes must be exactly want. */
static void
expect_bytes(struct rte_mbuf *m, const uint8_t *want, uint32_t len)
{
	static uint8_t buf[16384];
	const uint8_t *p;
	uint32_t i;

	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), len);
	p = rte_pktmbuf_read(m, 0, len, buf);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < len; i++)
		ck_assert_msg(p[i] == want[i], "byte %u: %02x, expected %02x",
			      i, p[i], want[i]);
}

/* want = b with a tag after the MACs. */
static uint32_t
tagged(uint8_t *want, const uint8_t *b, uint32_t len, uint16_t tci)
{
	memcpy(want, b, 12);
	want[12] = 0x81;
	want[13] = 0x00;
	want[14] = tci >> 8;
	want[15] = tci & 0xff;
	memcpy(want + 16, b + 12, len - 12);
	return len + 4;
}

static unsigned int
mbufs_out(void)
{
	return (zc_unit_pool->size - rte_mempool_avail_count(zc_unit_pool)) +
	       (pools.hdr->size - rte_mempool_avail_count(pools.hdr)) +
	       (pools.clone->size - rte_mempool_avail_count(pools.clone));
}

/* ---- fixture ------------------------------------------------------------ */

static void
load_cfg(const char *extra)
{
	static char text[4096];

	snprintf(text, sizeof(text), "%s%s", BASE_INI, extra);
	ck_assert_msg(zc_config_load(zc_unit_write_file("act.ini", text),
				     &cfg) == 0, "%s", zc_config_strerror());
}

static void
make_ring_ports(void)
{
	unsigned int i;

	/* A net_ring vdev without arguments is a loopback: one ring it
	 * transmits into and receives from. The test reads the ring.
	 */
	for (i = 0; i < 2; i++) {
		struct rte_eth_conf conf;
		char name[32];

		if (ring_port[i] != UINT16_MAX)
			continue;
		snprintf(name, sizeof(name), "net_ring_zca%u", i);
		ck_assert_int_eq(rte_dev_probe(name), 0);
		ck_assert_int_eq(rte_eth_dev_get_port_by_name(name,
							      &ring_port[i]), 0);
		snprintf(name, sizeof(name), "ETH_RXTX0_net_ring_zca%u", i);
		ring[i] = rte_ring_lookup(name);
		ck_assert_ptr_nonnull(ring[i]);
		memset(&conf, 0, sizeof(conf));
		ck_assert_int_eq(rte_eth_dev_configure(ring_port[i], 1, 1,
						       &conf), 0);
		ck_assert_int_eq(rte_eth_rx_queue_setup(ring_port[i], 0, 1024,
							SOCKET_ID_ANY, NULL,
							zc_unit_pool), 0);
		ck_assert_int_eq(rte_eth_tx_queue_setup(ring_port[i], 0, 1024,
							SOCKET_ID_ANY, NULL),
				 0);
		ck_assert_int_eq(rte_eth_dev_start(ring_port[i]), 0);
	}
}

static void
setup(void)
{
	unsigned int i;

	make_ring_ports();
	load_cfg(TUNNEL_INI);
	for (i = 0; i < 2; i++) {
		struct zc_port *zp = &zc_ports[ring_port[i]];

		cfg.port[i].port_id = ring_port[i];
		memset(zp, 0, sizeof(*zp));
		zp->used = 1;
		zp->multi_seg_tx = 1;
		zp->nb_txq = 1;
		zp->mtu = 1500;
		rte_eth_macaddr_get(ring_port[i], &zp->mac);
	}
	zc_rt.pools[0] = zc_unit_pool;
	ck_assert_msg(zc_actions_pools(&cfg, 0, &pools) == 0, "%s",
		      zc_config_strerror());
	ck_assert_msg(zc_actions_setup(&cfg) == 0, "%s", zc_config_strerror());
	ck_assert_int_eq(zc_actions_register(), 0);
	zc_parse_conf_init(&pconf, &cfg);
	pconf.strict = 0;
	zc_act_stats_reset();
	as = &zc_act_stats[rte_lcore_id()];
}

static void
teardown(void)
{
	struct rte_mbuf *m;
	unsigned int i;

	for (i = 0; i < 2; i++)
		while (ring[i] != NULL &&
		       rte_ring_dequeue(ring[i], (void **)&m) == 0)
			rte_pktmbuf_free(m);
	ck_assert_uint_eq(mbufs_out(), 0);
	ck_assert_uint_eq(zc_actions_check_pools(stderr), 0);
	zc_actions_release();
	zc_rt.pools[0] = NULL;
	zc_config_free(&cfg);
}

/* ---- VLAN ----------------------------------------------------------------- */

START_TEST(vlan_push_pop_in_headroom)
{
	uint8_t b[256], want[256];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 40);
	struct rte_mbuf *m = mkp(b, n, 2048);
	char *data = rte_pktmbuf_mtod(m, char *);

	ck_assert_int_eq(zc_vlan_push(&m, 0x2064, pools.hdr, as), 0);
	ck_assert_uint_eq(m->nb_segs, 1);
	ck_assert_ptr_eq(rte_pktmbuf_mtod(m, char *), data - 4);
	expect_bytes(m, want, tagged(want, b, n, 0x2064));
	ck_assert_uint_eq(zc_meta(m)->l3_off, 18);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 38);
	ck_assert_uint_eq(zc_meta(m)->nb_vlan, 1);
	ck_assert_uint_eq(zc_meta(m)->vlan[0], 0x2064);
	ck_assert_uint_eq(m->l2_len, 18);
	ck_assert_uint_eq(as->hdr_segs, 0);

	ck_assert_int_eq(zc_vlan_pop(&m, pools.hdr, as), 0);
	ck_assert_uint_eq(m->nb_segs, 1);
	expect_bytes(m, b, n);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 14);
	ck_assert_uint_eq(zc_meta(m)->nb_vlan, 0);
	/* Untagged: nothing to pop. */
	ck_assert_int_eq(zc_vlan_pop(&m, pools.hdr, as), 1);
	ck_assert_uint_eq(as->vlan_push, 1);
	ck_assert_uint_eq(as->vlan_pop, 1);
	ck_assert_uint_eq(zc_copy_bytes_total(), 0);
	rte_pktmbuf_free(m);
}
END_TEST

START_TEST(vlan_push_pop_on_shared_data)
{
	uint8_t b[256], want[256];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 40);
	struct rte_mbuf *m = mkp(b, n, 2048), *c, *orig = m;

	/* A clone shares the data: pushing must not write into it. */
	c = rte_pktmbuf_clone(m, pools.clone);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(rte_mbuf_refcnt_read(m), 2);
	ck_assert_int_eq(zc_vlan_push(&m, 7, pools.hdr, as), 0);
	ck_assert_ptr_ne(m, orig);
	ck_assert_ptr_eq(m->pool, pools.hdr);
	ck_assert_uint_eq(m->nb_segs, 2);
	ck_assert_ptr_eq(m->next, orig);
	expect_bytes(m, want, tagged(want, b, n, 7));
	expect_bytes(c, b, n);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 18);
	ck_assert_uint_eq(as->hdr_segs, 1);

	/* Pop it again: the MACs go into a header segment of their own. */
	ck_assert_int_eq(zc_vlan_pop(&m, pools.hdr, as), 0);
	expect_bytes(m, b, n);

	/* Pop a tag out of shared tagged data. */
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(c);
	n = tagged(want, b, n, 9);
	m = mkp(want, n, 2048);
	c = rte_pktmbuf_clone(m, pools.clone);
	orig = m;
	ck_assert_int_eq(zc_vlan_pop(&m, pools.hdr, as), 0);
	ck_assert_ptr_eq(m->next, orig);
	expect_bytes(m, b, n - 4);
	expect_bytes(c, want, n);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 14);
	ck_assert_uint_eq(zc_copy_bytes_total(), 0);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(c);
}
END_TEST

/* ---- mirror ------------------------------------------------------------- */

START_TEST(mirror_clone_shares_payload)
{
	uint8_t b[2048];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 1400);
	struct rte_mbuf *m = mkp(b, n, 2048), *c;

	zc_meta(m)->out_port = ring_port[0];
	zc_meta(m)->mirror_port = ring_port[0];
	c = zc_mirror_make(m, ring_port[0], &pools, as);
	ck_assert_ptr_nonnull(c);
	/* Same bytes in the same place: the payload is shared. */
	ck_assert(RTE_MBUF_CLONED(c));
	ck_assert_ptr_eq(c->pool, pools.clone);
	ck_assert_ptr_eq(rte_pktmbuf_mtod(c, void *), rte_pktmbuf_mtod(m, void *));
	ck_assert_uint_eq(rte_mbuf_refcnt_read(m), 2);
	ck_assert_uint_eq(zc_meta(c)->out_port, ring_port[0]);
	ck_assert_uint_eq(zc_meta(c)->mirror_port, ZC_PORT_NONE);
	ck_assert_uint_eq(zc_meta(c)->l3_off, 14);
	/* The original goes; the clone keeps the data alive. */
	rte_pktmbuf_free(m);
	ck_assert_uint_eq(rte_mbuf_refcnt_read(rte_mbuf_from_indirect(c)), 1);
	expect_bytes(c, b, n);
	rte_pktmbuf_free(c);
	ck_assert_uint_eq(zc_copy_bytes_total(), 0);
}
END_TEST

START_TEST(mirror_span_vlan_header_segment)
{
	uint8_t b[256], want[256];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 60);
	struct rte_mbuf *m = mkp(b, n, 2048), *c;

	/* [actions] mirror_vlan = 1:100: port 1 is ring_port[1]. */
	ck_assert(zc_act_conf.has_mirror_tci[ring_port[1]]);
	c = zc_mirror_make(m, ring_port[1], &pools, as);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_eq(c->pool, pools.hdr);
	ck_assert_uint_eq(c->nb_segs, 2);
	ck_assert(RTE_MBUF_CLONED(c->next));
	expect_bytes(c, want, tagged(want, b, n, 100));
	expect_bytes(m, b, n);
	ck_assert_uint_eq(rte_mbuf_refcnt_read(m), 2);
	ck_assert_uint_eq(zc_meta(c)->out_port, ring_port[1]);
	ck_assert_uint_eq(as->mirror_hdr, 1);
	rte_pktmbuf_free(c);
	rte_pktmbuf_free(m);
}
END_TEST

START_TEST(mirror_copy_when_no_clone)
{
	struct rte_mbuf *hold[8192];
	uint8_t b[256];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 100);
	struct rte_mbuf *m = mkp(b, n, 2048), *c;
	unsigned int k = 0;

	while (k < RTE_DIM(hold) &&
	       (hold[k] = rte_pktmbuf_alloc(pools.clone)) != NULL)
		k++;
	c = zc_mirror_make(m, ring_port[0], &pools, as);
	ck_assert_ptr_nonnull(c);
	ck_assert(RTE_MBUF_DIRECT(c));
	ck_assert_ptr_ne(rte_pktmbuf_mtod(c, void *), rte_pktmbuf_mtod(m, void *));
	expect_bytes(c, b, n);
	ck_assert_uint_eq(as->copy_bytes[ZC_COPY_STAGE_TX][ZC_COPY_CLONE_COPY], n);
	ck_assert_uint_eq(zc_copy_bytes_total(), n);
	while (k > 0)
		rte_pktmbuf_free(hold[--k]);
	rte_pktmbuf_free(c);
	rte_pktmbuf_free(m);
}
END_TEST

/* ---- VXLAN -------------------------------------------------------------- */

static void
check_outer(struct rte_mbuf *h, uint32_t inner_len, uint32_t hash, int sw)
{
	const struct zc_vxlan *t = zc_vxlan_find("t0");
	const uint8_t *o = rte_pktmbuf_mtod(h, const uint8_t *);
	const struct rte_ipv4_hdr *ip = (const void *)(o + 14);
	const struct rte_udp_hdr *u = (const void *)(o + 34);
	uint32_t w[2];

	ck_assert_ptr_nonnull(t);
	if (h->pool == pools.hdr) /* a header mbuf, not the headroom */
		ck_assert_uint_eq(h->data_len, ZC_VXLAN_HDR_LEN);
	ck_assert_uint_eq(h->pkt_len, ZC_VXLAN_HDR_LEN + inner_len);
	ck_assert_mem_eq(o, t->remote_mac.addr_bytes, 6);
	ck_assert_mem_eq(o + 6, t->local_mac.addr_bytes, 6);
	ck_assert_uint_eq(o[12], 0x08);
	ck_assert_uint_eq(o[13], 0x00);
	ck_assert_uint_eq(ip->version_ihl, 0x45);
	ck_assert_uint_eq(rte_be_to_cpu_16(ip->total_length), 36 + inner_len);
	ck_assert_uint_eq(ip->next_proto_id, IPPROTO_UDP);
	ck_assert_uint_eq(ip->src_addr, inet_addr("10.0.1.1"));
	ck_assert_uint_eq(ip->dst_addr, inet_addr("10.0.1.2"));
	ck_assert_uint_eq(ip->time_to_live, 64);
	if (sw) {
		ck_assert_uint_eq(rte_raw_cksum(ip, 20), 0xffff);
		ck_assert(!(h->ol_flags & RTE_MBUF_F_TX_IP_CKSUM));
	} else {
		ck_assert_uint_eq(ip->hdr_checksum, 0);
		ck_assert((h->ol_flags & (RTE_MBUF_F_TX_IPV4 |
					  RTE_MBUF_F_TX_IP_CKSUM)) ==
			  (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM));
		ck_assert_uint_eq(h->l2_len, 14);
		ck_assert_uint_eq(h->l3_len, 20);
	}
	ck_assert_uint_eq(rte_be_to_cpu_16(u->src_port),
			  49152 | (hash & 0x3fff));
	ck_assert_uint_eq(rte_be_to_cpu_16(u->dst_port), 4789);
	ck_assert_uint_eq(rte_be_to_cpu_16(u->dgram_len), 16 + inner_len);
	ck_assert_uint_eq(u->dgram_cksum, 0);
	memcpy(w, o + 42, 8);
	ck_assert_uint_eq(rte_be_to_cpu_32(w[0]), 0x08000000);
	ck_assert_uint_eq(rte_be_to_cpu_32(w[1]), 42u << 8);
}

START_TEST(vxlan_encap_chains_untouched_original)
{
	static uint8_t b[9100], want[9200];
	const struct zc_vxlan *t = zc_vxlan_find("t0");
	uint32_t n = build_udp(b, inet_addr("192.168.0.1"),
			       inet_addr("192.168.1.1"), 80, 8000);
	struct rte_mbuf *m = mkp(b, n, 2048), *orig = m;
	uint16_t segs = m->nb_segs;
	uint32_t hash;
	int sw;

	ck_assert_uint_eq(segs, 4);
	for (sw = 1; sw >= 0; sw--) {
		ck_assert_msg(zc_parse_packet(&pconf, m) == ZC_DROP_MAX,
			      "sw %d flags %" PRIx64 " segs %u", sw,
			      m->ol_flags, m->nb_segs);
		hash = zc_meta(m)->flow_hash;
		ck_assert_int_eq(zc_vxlan_encap(&m, t, pools.hdr, !sw), 0);
		ck_assert_ptr_eq(m->pool, pools.hdr);
		ck_assert_ptr_eq(m->next, orig);
		ck_assert_uint_eq(m->nb_segs, segs + 1);
		check_outer(m, n, hash, sw);
		/* The inner frame is the original, byte for byte. */
		memcpy(want, rte_pktmbuf_mtod(m, void *), ZC_VXLAN_HDR_LEN);
		memcpy(want + ZC_VXLAN_HDR_LEN, b, n);
		expect_bytes(m, want, n + ZC_VXLAN_HDR_LEN);
		ck_assert_uint_eq(zc_meta(m)->out_port, t->port);
		ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 50);
		ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 64);
		ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_VXLAN);
		/* And it parses as what it is (with its checksum done). */
		if (sw) {
			ck_assert_int_eq(zc_parse_packet(&pconf, m),
					 ZC_DROP_MAX);
			ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_VXLAN);
			ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 50);
		}
		/* Decapsulation gives the original back, in place. */
		ck_assert_int_eq(zc_vxlan_decap(&m, 50, n), 0);
		ck_assert_ptr_eq(m, orig);
		expect_bytes(m, b, n);
	}
	ck_assert_uint_eq(zc_copy_bytes_total(), 0);
	rte_pktmbuf_free(m);
}
END_TEST

START_TEST(vxlan_encap_in_headroom)
{
	const struct zc_vxlan *t = zc_vxlan_find("t0");
	uint8_t b[256], want[320];
	uint32_t n = build_udp(b, inet_addr("192.168.0.1"),
			       inet_addr("192.168.1.1"), 80, 100);
	struct rte_mbuf *m = mkp(b, n, 2048), *c, *orig = m;
	uint8_t *data = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t hash = zc_meta(m)->flow_hash;

	/* Not shared: the headers go in front, the frame does not move. */
	ck_assert_int_eq(zc_vxlan_encap_headroom(m, t, 0), 0);
	ck_assert_ptr_eq(m, orig);
	ck_assert_uint_eq(m->nb_segs, 1);
	ck_assert_ptr_eq(rte_pktmbuf_mtod(m, uint8_t *) + ZC_VXLAN_HDR_LEN,
			 data);
	check_outer(m, n, hash, 1);
	memcpy(want, rte_pktmbuf_mtod(m, void *), ZC_VXLAN_HDR_LEN);
	memcpy(want + ZC_VXLAN_HDR_LEN, b, n);
	expect_bytes(m, want, n + ZC_VXLAN_HDR_LEN);
	ck_assert_uint_eq(zc_meta(m)->out_port, t->port);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 64);
	ck_assert_int_eq(zc_vxlan_decap(&m, 50, n), 0);
	expect_bytes(m, b, n);
	/* Shared: refused, the caller uses a header mbuf. */
	c = rte_pktmbuf_clone(m, pools.clone);
	ck_assert_int_eq(zc_vxlan_encap_headroom(m, t, 0), -ENOSPC);
	expect_bytes(m, b, n);
	rte_pktmbuf_free(c);
	rte_pktmbuf_free(m);
}
END_TEST

START_TEST(vxlan_match_and_decap_across_segments)
{
	uint8_t in[256], b[512], pad[600];
	uint32_t il = build_udp(in, inet_addr("192.168.0.1"),
				inet_addr("192.168.1.1"), 80, 20);
	uint32_t n = build_vxlan(b, inet_addr("10.0.1.1"), 42, in, il);
	struct rte_mbuf *m, *second;
	uint32_t off, len;

	/* Ours: decapsulated. Wrong VNI or address: not ours. */
	m = mkp(b, n, 2048);
	ck_assert_int_eq(zc_vxlan_match(m, zc_meta(m), &off, &len), 0);
	ck_assert_uint_eq(off, 50);
	ck_assert_uint_eq(len, il);
	rte_pktmbuf_free(m);
	build_vxlan(b, inet_addr("10.0.1.1"), 43, in, il);
	m = mkp(b, n, 2048);
	ck_assert_int_eq(zc_vxlan_match(m, zc_meta(m), &off, &len), -1);
	rte_pktmbuf_free(m);
	build_vxlan(b, inet_addr("10.0.1.9"), 42, in, il);
	m = mkp(b, n, 2048);
	ck_assert_int_eq(zc_vxlan_match(m, zc_meta(m), &off, &len), -1);
	rte_pktmbuf_free(m);

	/* Outer headers over three segments of 20 bytes, Ethernet padding
	 * after a short inner frame: the first two segments go, the
	 * padding is trimmed.
	 */
	n = build_vxlan(b, inet_addr("10.0.1.1"), 42, in, il);
	memcpy(pad, b, n);
	memset(pad + n, 0, 10);
	m = mk(pad, n + 10, 20);
	ck_assert_int_eq(zc_parse_packet(&pconf, m), ZC_DROP_MAX);
	ck_assert_int_eq(zc_vxlan_match(m, zc_meta(m), &off, &len), 0);
	second = m->next->next;
	ck_assert_int_eq(zc_vxlan_decap(&m, off, len), 0);
	ck_assert_ptr_eq(m, second);
	expect_bytes(m, in, il);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 14); /* fields moved along */
	rte_pktmbuf_free(m);

	/* Truncated: the inner frame is shorter than Ethernet. */
	m = mk(b, 50 + 10, 2048);
	ck_assert_int_eq(zc_vxlan_decap(&m, 50, 10), -EINVAL);
	rte_pktmbuf_free(m);
}
END_TEST

/* ---- linearisation ------------------------------------------------------ */

START_TEST(linearize_in_place_and_by_copy)
{
	uint8_t b[2048];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 900);
	struct rte_mbuf *m = mkp(b, n, 300), *c, *orig;

	ck_assert_uint_eq(m->nb_segs, 4);
	ck_assert_int_eq(zc_linearize(&m, zc_unit_pool, as,
				      ZC_COPY_STAGE_TX), 0);
	ck_assert_uint_eq(m->nb_segs, 1);
	expect_bytes(m, b, n);
	ck_assert_uint_eq(as->copy_bytes[ZC_COPY_STAGE_TX][ZC_COPY_LINEARIZE],
			  n - 300);
	rte_pktmbuf_free(m);

	/* Shared: copied into a new mbuf, the clone untouched. */
	zc_act_stats_reset();
	m = mkp(b, n, 300);
	c = rte_pktmbuf_clone(m, pools.clone);
	orig = m;
	ck_assert_int_eq(zc_linearize(&m, zc_unit_pool, as,
				      ZC_COPY_STAGE_TX), 0);
	ck_assert_ptr_ne(m, orig);
	ck_assert_uint_eq(m->nb_segs, 1);
	expect_bytes(m, b, n);
	expect_bytes(c, b, n);
	ck_assert_uint_eq(c->nb_segs, 4);
	ck_assert_uint_eq(zc_copy_bytes_total(), n);
	rte_pktmbuf_free(c);
	rte_pktmbuf_free(m);
}
END_TEST

/* ---- the act stage ------------------------------------------------------ */

static struct zc_stage *
stage_make(const char *name)
{
	static struct zc_stage sts[4];
	static unsigned int next;
	struct zc_stage *st = &sts[next++ % RTE_DIM(sts)];
	struct zc_stage_params p;

	memset(st, 0, sizeof(*st));
	memset(&p, 0, sizeof(p));
	p.cfg = &cfg;
	p.lcore_id = rte_lcore_id();
	p.socket_id = 0;
	p.txq[ring_port[0]] = 0;
	p.txq[ring_port[1]] = 0;
	st->ops = zc_stage_find(name);
	ck_assert_ptr_nonnull(st->ops);
	st->lcore_id = p.lcore_id;
	ck_assert_msg(st->ops->init(st, &p) == 0, "%s", zc_config_strerror());
	return st;
}

START_TEST(act_stage_burst)
{
	const struct zc_vxlan *t = zc_vxlan_find("t0");
	struct zc_stage *st = stage_make("act");
	uint8_t b[6][512], want[600], in[256], in2[512];
	uint32_t n[6], il, il2;
	struct rte_mbuf *pk[6], *keep[6];
	uint16_t k;

	/* 0: nothing to do. 1: push 100. 2: pop. 3: into t0.
	 * 4: VXLAN to our VTEP (ZC_PORT_DECAP). 5: VXLAN in VXLAN to us,
	 * one decapsulation allowed: decap_loop.
	 */
	n[0] = build_udp(b[0], inet_addr("10.0.0.1"), inet_addr("10.0.0.2"),
			 53, 30);
	pk[0] = mkp(b[0], n[0], 2048);
	memcpy(b[1], b[0], n[0]);
	n[1] = n[0];
	pk[1] = mkp(b[1], n[1], 2048);
	pk[1]->vlan_tci_outer = 100;
	pk[1]->ol_flags |= zc_vlan_push_flag;
	n[2] = tagged(b[2], b[0], n[0], 5);
	pk[2] = mkp(b[2], n[2], 2048);
	pk[2]->ol_flags |= zc_vlan_pop_flag;
	memcpy(b[3], b[0], n[0]);
	n[3] = n[0];
	pk[3] = mkp(b[3], n[3], 2048);
	zc_meta(pk[3])->out_port = t->vport;
	il = build_udp(in, inet_addr("192.168.0.1"), inet_addr("192.168.1.1"),
		       80, 20);
	n[4] = build_vxlan(b[4], inet_addr("10.0.1.1"), 42, in, il);
	pk[4] = mkp(b[4], n[4], 2048);
	zc_meta(pk[4])->out_port = ZC_PORT_DECAP;
	il2 = build_vxlan(in2 + 0, inet_addr("10.0.1.1"), 42, in, il);
	n[5] = build_vxlan(b[5], inet_addr("10.0.1.1"), 42, in2, il2);
	pk[5] = mkp(b[5], n[5], 2048);
	zc_meta(pk[5])->out_port = ZC_PORT_DECAP;
	for (k = 0; k < 6; k++) {
		zc_meta(pk[k])->out_port = k == 3 ? t->vport :
			k >= 4 ? ZC_PORT_DECAP : ring_port[0];
		keep[k] = pk[k];
	}

	k = st->ops->process(st, pk, 6);
	ck_assert_uint_eq(k, 5);
	ck_assert_uint_eq(st->stats.drops[ZC_DROP_DECAP_LOOP], 1);
	ck_assert_ptr_eq(pk[0], keep[0]);
	expect_bytes(pk[0], b[0], n[0]);
	/* No port here inserts tags: pushed in the headroom. */
	ck_assert_ptr_eq(pk[1], keep[1]);
	expect_bytes(pk[1], want, tagged(want, b[1], n[1], 100));
	ck_assert(!(pk[1]->ol_flags & (zc_vlan_push_flag | RTE_MBUF_F_TX_VLAN)));
	expect_bytes(pk[2], b[0], n[0]);
	/* Encapsulated toward t0, leaving by its port. */
	ck_assert_ptr_eq(pk[3]->next, keep[3]);
	check_outer(pk[3], n[3], zc_meta(keep[3])->flow_hash, 1);
	ck_assert_uint_eq(zc_meta(pk[3])->out_port, t->port);
	/* Decapsulated and parsed again by its inner headers. */
	ck_assert_ptr_eq(pk[4], keep[4]);
	expect_bytes(pk[4], in, il);
	ck_assert_uint_eq(zc_meta(pk[4])->decap, 1);
	ck_assert_uint_eq(zc_meta(pk[4])->l3_off, 14);
	ck_assert(zc_meta(pk[4])->flags & ZC_META_F_PARSED);
	ck_assert_uint_eq(zc_meta(pk[4])->out_port, ZC_PORT_NONE);
	ck_assert_uint_eq(as->decap, 2);
	ck_assert_uint_eq(as->encap, 1);
	ck_assert_uint_eq(as->vlan_push, 1);
	ck_assert_uint_eq(as->vlan_pop, 1);
	ck_assert_uint_eq(zc_copy_bytes_total(), 0);
	for (k = 0; k < 5; k++)
		rte_pktmbuf_free(pk[k]);
	st->ops->fini(st);
}
END_TEST

START_TEST(act_stage_two_decaps_allowed)
{
	struct zc_stage *st;
	uint8_t b[512], in[256], in2[512];
	uint32_t n, il, il2;
	struct rte_mbuf *m;

	zc_act_conf.max_decap = 2;
	st = stage_make("act");
	il = build_udp(in, inet_addr("192.168.0.1"), inet_addr("192.168.1.1"),
		       80, 20);
	il2 = build_vxlan(in2, inet_addr("10.0.1.1"), 42, in, il);
	n = build_vxlan(b, inet_addr("10.0.1.1"), 42, in2, il2);
	m = mkp(b, n, 2048);
	zc_meta(m)->out_port = ZC_PORT_DECAP;
	/* Outside a pipeline only parse re-runs: the inner tunnel is found
	 * by the stage's own match, as without classify.
	 */
	ck_assert_uint_eq(st->ops->process(st, &m, 1), 1);
	expect_bytes(m, in, il);
	ck_assert_uint_eq(zc_meta(m)->decap, 2);
	rte_pktmbuf_free(m);
	st->ops->fini(st);
}
END_TEST

/* ---- the tx stage ------------------------------------------------------- */

static unsigned int
drain(unsigned int i, struct rte_mbuf **out, unsigned int max)
{
	return rte_ring_dequeue_burst(ring[i], (void **)out, max, NULL);
}

START_TEST(tx_chains_offloads_and_mirror)
{
	const struct zc_vxlan *t = zc_vxlan_find("t0");
	struct zc_port *p0 = &zc_ports[ring_port[0]];
	struct zc_port *p1 = &zc_ports[ring_port[1]];
	struct zc_port_counters *c0, *c1;
	struct zc_stage *st;
	static uint8_t b[4096], want[4200], sb[128];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 1500), small;
	struct rte_mbuf *pk[4], *out[16], *enc;
	unsigned int got;

	/* Port 0 sends chains and checksums IPv4 itself; port 1 can do
	 * neither.
	 */
	p0->tx_offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
			  RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
	p1->multi_seg_tx = 0;
	st = stage_make("tx");
	c0 = &zc_lcore_stats[rte_lcore_id()].port[ring_port[0]];
	c1 = &zc_lcore_stats[rte_lcore_id()].port[ring_port[1]];
	memset(c0, 0, sizeof(*c0));
	memset(c1, 0, sizeof(*c1));

	/* 0: a chain to port 0, mirrored to port 1 (tagged 100 there).
	 * 1: the same chain to port 1. 2: encapsulated, checksum asked of
	 * the port, to port 0. 3: the same to port 1.
	 */
	pk[0] = mkp(b, n, 1000);
	zc_meta(pk[0])->out_port = ring_port[0];
	zc_meta(pk[0])->mirror_port = ring_port[1];
	pk[1] = mkp(b, n, 1000);
	zc_meta(pk[1])->out_port = ring_port[1];
	small = build_udp(sb, inet_addr("10.0.0.1"), inet_addr("10.0.0.2"),
			  53, 58);
	pk[2] = mkp(sb, small, 2048);
	ck_assert_int_eq(zc_vxlan_encap(&pk[2], t, pools.hdr, 1), 0);
	zc_meta(pk[2])->out_port = ring_port[0];
	pk[3] = mkp(sb, small, 2048);
	ck_assert_int_eq(zc_vxlan_encap(&pk[3], t, pools.hdr, 1), 0);
	zc_meta(pk[3])->out_port = ring_port[1];
	enc = pk[3];

	ck_assert_uint_eq(st->ops->process(st, pk, 4), 0);
	st->ops->flush(st);

	got = drain(0, out, RTE_DIM(out));
	ck_assert_uint_eq(got, 2);
	ck_assert_uint_eq(out[0]->nb_segs, 2); /* chain kept */
	expect_bytes(out[0], b, n);
	ck_assert(out[1]->ol_flags & RTE_MBUF_F_TX_IP_CKSUM); /* left to it */
	ck_assert_uint_eq(rte_pktmbuf_mtod_offset(out[1], struct rte_ipv4_hdr *,
						  14)->hdr_checksum, 0);
	rte_pktmbuf_free_bulk(out, got);

	got = drain(1, out, RTE_DIM(out));
	ck_assert_uint_eq(got, 3);
	/* The mirror, tagged and linearised (by copy: its head is a small
	 * header mbuf); the chain, linearised in place; the encapsulated
	 * packet with its checksum done.
	 */
	ck_assert_uint_eq(out[0]->nb_segs, 1);
	expect_bytes(out[0], want, tagged(want, b, n, 100));
	ck_assert_uint_eq(out[1]->nb_segs, 1);
	expect_bytes(out[1], b, n);
	ck_assert_uint_eq(out[2]->nb_segs, 1);
	ck_assert(out[2] != enc); /* a header segment is never enlarged */
	ck_assert(!(out[2]->ol_flags & RTE_MBUF_F_TX_IP_CKSUM));
	ck_assert_uint_eq(rte_raw_cksum(rte_pktmbuf_mtod_offset(out[2], void *,
								14), 20),
			  0xffff);
	rte_pktmbuf_free_bulk(out, got);

	ck_assert_uint_eq(c0->tx_pkts, 2);
	ck_assert_uint_eq(c1->tx_pkts, 3);
	ck_assert_uint_eq(c1->clones, 1);
	ck_assert_uint_eq(as->copy_events[ZC_COPY_STAGE_TX][ZC_COPY_LINEARIZE],
			  3);
	ck_assert_uint_eq(as->copy_bytes[ZC_COPY_STAGE_TX][ZC_COPY_LINEARIZE],
			  (n + 4) + (n - 1000) + (100 + 50));
	ck_assert_uint_eq(as->cksum_sw, 1);
	ck_assert_uint_eq(zc_stage_drops_total(st), 0);
	st->ops->fini(st);
}
END_TEST

/*
 * A frame longer than its egress port sends (zc_ports[].max_frame) is
 * dropped as too_big_for_port, whole or chained, mirror copies too; one
 * at the limit goes out whole.
 */
START_TEST(tx_too_big_for_port)
{
	struct zc_port *p1 = &zc_ports[ring_port[1]];
	static uint8_t b[4096], b2[4096];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 1500);
	uint32_t n2 = build_udp(b2, inet_addr("10.0.0.1"),
				inet_addr("10.0.0.2"), 53, 1499);
	struct rte_mbuf *pk[4], *out[8];
	struct zc_stage *st;
	unsigned int got;

	ck_assert_uint_eq(n2, n - 1);
	p1->max_frame = n2;
	st = stage_make("tx");
	pk[0] = mkp(b, n, 1000);	/* a chain one byte too long */
	zc_meta(pk[0])->out_port = ring_port[1];
	pk[1] = mkp(b, n, 2048);	/* one segment, one byte too long */
	zc_meta(pk[1])->out_port = ring_port[1];
	pk[2] = mkp(b2, n2, 700);	/* at the limit */
	zc_meta(pk[2])->out_port = ring_port[1];
	pk[3] = mkp(b, n, 2048);	/* fine on port 0, not its mirror */
	zc_meta(pk[3])->out_port = ring_port[0];
	zc_meta(pk[3])->mirror_port = ring_port[1];
	ck_assert_uint_eq(st->ops->process(st, pk, 4), 0);
	st->ops->flush(st);

	ck_assert_uint_eq(st->stats.drops[ZC_DROP_TOO_BIG_FOR_PORT], 3);
	ck_assert_uint_eq(zc_stage_drops_total(st), 3);
	got = drain(1, out, RTE_DIM(out));
	ck_assert_uint_eq(got, 1);
	expect_bytes(out[0], b2, n2);
	rte_pktmbuf_free_bulk(out, got);
	got = drain(0, out, RTE_DIM(out));
	ck_assert_uint_eq(got, 1);
	expect_bytes(out[0], b, n);
	rte_pktmbuf_free_bulk(out, got);
	p1->max_frame = 0;
	st->ops->fini(st);
}
END_TEST

START_TEST(tx_no_egress_and_unknown_port)
{
	struct zc_stage *st = stage_make("tx");
	uint8_t b[256];
	uint32_t n = build_udp(b, inet_addr("10.0.0.1"),
			       inet_addr("10.0.0.2"), 53, 30);
	struct rte_mbuf *pk[3];

	pk[0] = mkp(b, n, 2048);
	pk[1] = mkp(b, n, 2048);
	zc_meta(pk[1])->out_port = ZC_PORT_DECAP;
	pk[2] = mkp(b, n, 2048);
	zc_meta(pk[2])->out_port = zc_vxlan_find("t0")->vport;
	ck_assert_uint_eq(st->ops->process(st, pk, 3), 0);
	ck_assert_uint_eq(st->stats.drops[ZC_DROP_NO_EGRESS], 2);
	ck_assert_uint_eq(st->stats.drops[ZC_DROP_PORT_DOWN], 1);
	st->ops->fini(st);
}
END_TEST

/* ---- configuration ------------------------------------------------------ */

static const struct {
	const char *text;
	const char *msg;
} bad_cfg[] = {
	{ "[vxlan.t0]\nremote = 10.0.1.2\nvni = 1\nport = 1\nremote_mac = 02:00:00:00:00:01\n",
	  "12: [vxlan.t0] local: missing: the tunnel's local VTEP IPv4 address" },
	{ "[vxlan.t0]\nlocal = 10.0.1.1/24\nremote = 10.0.1.2\nvni = 1\nport = 1\nremote_mac = 02:00:00:00:00:01\n",
	  "13: [vxlan.t0] local: expected an IPv4 address such as 10.0.1.1, got '10.0.1.1/24'" },
	{ "[vxlan.t0]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 16777216\nport = 1\nremote_mac = 02:00:00:00:00:01\n",
	  "15: [vxlan.t0] vni: expected an integer from 0 to 16777215, got '16777216'" },
	{ "[vxlan.t0]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 1\nport = 2\nremote_mac = 02:00:00:00:00:01\n",
	  "16: [vxlan.t0] port: port 2 is not configured (ports 0 to 1 exist)" },
	{ "[vxlan.t0]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 1\nport = 1\n",
	  "12: [vxlan.t0] remote_mac: missing: the outer destination MAC (the remote VTEP's, or its gateway's)" },
	{ "[vxlan.t0]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 1\nport = 1\nremote_mac = ff:ff:ff:ff:ff:ff\n",
	  "17: [vxlan.t0] remote_mac: expected a unicast MAC address such as 02:00:00:00:00:01, got 'ff:ff:ff:ff:ff:ff', the broadcast address" },
	{ "[vxlan.t0]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 1\nport = 1\nremote_mac = 02:00:00:00:00:01\nmtu = 3\n",
	  "18: [vxlan.t0] mtu: unknown key (this section takes: local, remote, vni, udp_port, port, remote_mac, local_mac, peer_mac, ttl)" },
	{ "[vxlan.t0]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 1\nport = 1\nremote_mac = 02:00:00:00:00:01\n"
	  "[vxlan.t1]\nlocal = 10.0.1.1\nremote = 10.0.1.3\nvni = 1\nport = 1\nremote_mac = 02:00:00:00:00:01\n",
	  "21: [vxlan.t1] vni: [vxlan.t0] already terminates VNI 1 on the same local address and UDP port" },
	{ "[vxlan.a.b]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 1\nport = 1\nremote_mac = 02:00:00:00:00:01\n",
	  "12: [vxlan.a.b]: tunnel names take letters, digits, '_' and '-' only" },
	{ "[actions]\nmax_decap = 4\n",
	  "13: [actions] max_decap: expected an integer from 1 to 3, got '4'" },
	{ "[actions]\nmirror_vlan = 1-100\n",
	  "13: [actions] mirror_vlan: expected PORT:TCI pairs such as 2:100, got '1-100'" },
	{ "[actions]\nmirror_vlan = 5:100\n",
	  "13: [actions] mirror_vlan: port '5' is not configured (ports 0 to 1 exist)" },
};

START_TEST(config_errors)
{
	const char *path;
	char want[512];
	static char text[4096];

	snprintf(text, sizeof(text), "%s%s", BASE_INI, bad_cfg[_i].text);
	path = zc_unit_write_file("bad.ini", text);
	ck_assert_int_ne(zc_config_load(path, &cfg), 0);
	snprintf(want, sizeof(want), "%s:%s", path, bad_cfg[_i].msg);
	ck_assert_str_eq(zc_config_strerror(), want);
	zc_config_free(&cfg);
}
END_TEST

START_TEST(config_needs_act_and_resets)
{
	static char text[4096];
	char want[512];
	const char *path;

	snprintf(text, sizeof(text),
		 "[general]\nmode = l2-xconnect\n[port.0]\ndev = net_null_a0\n"
		 "[port.1]\ndev = net_null_a1\n[forward]\nmap = 0->1, 1->0\n%s",
		 TUNNEL_INI);
	path = zc_unit_write_file("noact.ini", text);
	ck_assert_int_ne(zc_config_load(path, &cfg), 0);
	snprintf(want, sizeof(want), "%s:9: [vxlan.t0]: tunnels need the act stage in the pipeline (e.g. stages = rx parse classify route act tx)",
		 path);
	ck_assert_str_eq(zc_config_strerror(), want);
	zc_config_free(&cfg);
	/* The default chains of filter and router mode have act. */
	snprintf(text, sizeof(text),
		 "[general]\nmode = filter\n[port.0]\ndev = net_null_a0\n"
		 "[port.1]\ndev = net_null_a1\n[forward]\nmap = 0->1, 1->0\n%s",
		 TUNNEL_INI);
	path = zc_unit_write_file("filter.ini", text);
	ck_assert_msg(zc_config_load(path, &cfg) == 0, "%s",
		      zc_config_strerror());
	ck_assert_str_eq(cfg.pipeline[0].stage[4], "act");
	zc_config_free(&cfg);
	/* A later load without tunnels has none. */
	load_cfg("");
	ck_assert_uint_eq(zc_act_conf.nb_vxlan, 0);
	ck_assert_ptr_null(zc_vxlan_find("t0"));
	zc_config_free(&cfg);
	load_cfg(TUNNEL_INI);
	ck_assert_uint_eq(zc_act_conf.nb_vxlan, 1);
	ck_assert_uint_eq(zc_vxlan_find("t0")->vport, RTE_MAX_ETHPORTS - 1);
	ck_assert_uint_eq(zc_vxlan_find("t0")->udp_port, 4789);
	ck_assert_uint_eq(zc_vxlan_find("t0")->ttl, 64);
	zc_config_free(&cfg);
}
END_TEST

START_TEST(acl_actions)
{
	char err[512];
	uint16_t ids[2] = { 10, 11 };
	struct zc_acl_params ap = {
		.nb_ports = 2, .port_ids = ids,
	};
	struct zc_acl *acl;
	static const struct {
		const char *line;
		const char *msg;
	} bad[] = {
		{ "action=vlan-push\n", "vlan-push needs a TCI from 0 to 65535 (VLAN id, plus priority << 13), as in vlan-push:100, got 'vlan-push'" },
		{ "action=vlan-push:65536\n", "vlan-push needs a TCI from 0 to 65535 (VLAN id, plus priority << 13), as in vlan-push:100, got 'vlan-push:65536'" },
		{ "action=vlan-pop:1\n", "vlan-pop takes no port, got 'vlan-pop:1'" },
		{ "action=vxlan\n", "vxlan needs a tunnel name, as in vxlan:NAME for a [vxlan.NAME] section" },
		{ "action=vxlan:nope\n", "no tunnel 'nope' (define it in a [vxlan.nope] section)" },
	};
	unsigned int i;

	ap.path = zc_unit_write_file("act.acl",
		"proto=udp action=vlan-push:0x2064\n"
		"proto=tcp action=vlan-pop\n"
		"dst=10.9.0.0/16 action=vxlan:t0\n");
	acl = zc_acl_load(&ap, err, sizeof(err));
	ck_assert_msg(acl != NULL, "%s", err);
	ck_assert_uint_eq(acl->verdict[1].action, ZC_ACL_VLAN_PUSH);
	ck_assert_uint_eq(acl->verdict[1].port, 0x2064);
	ck_assert_uint_eq(acl->verdict[2].action, ZC_ACL_VLAN_POP);
	ck_assert_uint_eq(acl->verdict[3].action, ZC_ACL_VXLAN);
	ck_assert_uint_eq(acl->verdict[3].port, zc_vxlan_find("t0")->vport);
	ck_assert_str_eq(zc_acl_action_name(ZC_ACL_VXLAN), "vxlan");
	zc_acl_free(acl);
	for (i = 0; i < RTE_DIM(bad); i++) {
		char want[512];

		ap.path = zc_unit_write_file("bad.acl", bad[i].line);
		ck_assert_ptr_null(zc_acl_load(&ap, err, sizeof(err)));
		snprintf(want, sizeof(want), "%s:1: action: %s", ap.path,
			 bad[i].msg);
		ck_assert_str_eq(err, want);
	}
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("actions");
	TCase *tc = tcase_create("helpers");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, vlan_push_pop_in_headroom);
	tcase_add_test(tc, vlan_push_pop_on_shared_data);
	tcase_add_test(tc, mirror_clone_shares_payload);
	tcase_add_test(tc, mirror_span_vlan_header_segment);
	tcase_add_test(tc, mirror_copy_when_no_clone);
	tcase_add_test(tc, vxlan_encap_chains_untouched_original);
	tcase_add_test(tc, vxlan_encap_in_headroom);
	tcase_add_test(tc, vxlan_match_and_decap_across_segments);
	tcase_add_test(tc, linearize_in_place_and_by_copy);
	suite_add_tcase(s, tc);

	tc = tcase_create("stages");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, act_stage_burst);
	tcase_add_test(tc, act_stage_two_decaps_allowed);
	tcase_add_test(tc, tx_chains_offloads_and_mirror);
	tcase_add_test(tc, tx_no_egress_and_unknown_port);
	tcase_add_test(tc, tx_too_big_for_port);
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_add_loop_test(tc, config_errors, 0, RTE_DIM(bad_cfg));
	tcase_add_test(tc, config_needs_act_and_resets);
	suite_add_tcase(s, tc);

	tc = tcase_create("acl");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, acl_actions);
	suite_add_tcase(s, tc);
	return s;
}
