/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The parse stage, driven through its registered descriptor: every protocol
 * it decodes, every malformation with its exact drop reason, tunnels and
 * their inner offsets, headers split across two and three segments at every
 * position, checksum policy, xconnect vs router strictness, and every
 * real capture in pcaps/real/ (contiguous and cut into small segments).
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_ptype.h>

#include "unit.h"
#include "core/zc_config.h"
#include "core/zc_drop.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"
#include "parse/zc_parse.h"

/* ------------------------------------------------------------------ */
/* Packet builder                                                      */

struct pb {
	uint8_t b[10000];
	uint32_t len;
	/* UDP headers of this packet, whose length fix_ipv4/6() set. */
	uint32_t udp[4];
	unsigned int nb_udp;
};

static uint32_t
put(struct pb *p, const void *d, uint32_t n)
{
	uint32_t off = p->len;

	if (off == 0)
		p->nb_udp = 0; /* A new packet. */

	ck_assert_uint_le(p->len + n, sizeof(p->b));
	if (d != NULL)
		memcpy(p->b + off, d, n);
	else
		memset(p->b + off, 0, n);
	p->len += n;
	return off;
}

static void
w16(struct pb *p, uint32_t off, uint16_t v)
{
	p->b[off] = v >> 8;
	p->b[off + 1] = v & 0xff;
}

static uint32_t
put16(struct pb *p, uint16_t v)
{
	uint32_t off = put(p, NULL, 2);

	w16(p, off, v);
	return off;
}

static void
fill(struct pb *p, uint32_t n, uint8_t v)
{
	uint32_t off = put(p, NULL, n);

	memset(p->b + off, v, n);
}

static uint32_t
put_eth(struct pb *p, uint16_t type)
{
	static const uint8_t macs[12] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01
	};
	uint32_t off = put(p, macs, sizeof(macs));

	put16(p, type);
	return off;
}

static void
put_vlan(struct pb *p, uint16_t tci, uint16_t type)
{
	put16(p, tci);
	put16(p, type);
}

static void
put_mpls(struct pb *p, uint32_t label, int bos)
{
	uint32_t v = label << 12 | (bos ? 0x100 : 0) | 64;
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	put(p, b, 4);
}

/* IPv4 header with opt_words of NOP options; fix_ipv4() sets the lengths. */
static uint32_t
put_ipv4(struct pb *p, uint8_t proto, unsigned int opt_words)
{
	uint32_t off = put(p, NULL, 20 + 4 * opt_words);
	uint8_t *h = p->b + off;

	h[0] = 0x40 | (5 + opt_words);
	h[8] = 64;
	h[9] = proto;
	memcpy(h + 12, (uint8_t[]){ 10, 0, 0, 1, 10, 0, 0, 2 }, 8);
	memset(h + 20, 1, 4 * opt_words);
	return off;
}

/* UDP headers after off: their length runs to the end built so far. */
static void
fix_udp(struct pb *p, uint32_t off)
{
	unsigned int i;

	for (i = 0; i < p->nb_udp; i++)
		if (p->udp[i] > off && p->udp[i] + 8 <= p->len)
			w16(p, p->udp[i] + 4, (uint16_t)(p->len - p->udp[i]));
}

static void
csum_ipv4(struct pb *p, uint32_t off)
{
	struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)(p->b + off);

	h->hdr_checksum = 0;
	h->hdr_checksum = rte_ipv4_cksum(h);
}

/* Total length up to the end of what is built so far, and the checksum. */
static void
fix_ipv4(struct pb *p, uint32_t off)
{
	w16(p, off + 2, p->len - off);
	csum_ipv4(p, off);
	fix_udp(p, off);
}

static uint32_t
put_ipv6(struct pb *p, uint8_t nh)
{
	uint32_t off = put(p, NULL, 40);
	uint8_t *h = p->b + off;

	h[0] = 0x60;
	h[6] = nh;
	h[7] = 64;
	h[8] = 0x20;
	h[9] = 0x01;
	h[23] = 1;
	h[24] = 0x20;
	h[25] = 0x01;
	h[39] = 2;
	return off;
}

static void
fix_ipv6(struct pb *p, uint32_t off)
{
	w16(p, off + 4, p->len - off - 40);
	fix_udp(p, off);
}

/* Generic IPv6 extension header of (len8 + 1) * 8 bytes. */
static void
put_ext6(struct pb *p, uint8_t nh, uint8_t len8)
{
	uint32_t off = put(p, NULL, (len8 + 1u) * 8);

	p->b[off] = nh;
	p->b[off + 1] = len8;
}

static void
put_frag6(struct pb *p, uint8_t nh, uint16_t offset8, int more)
{
	uint32_t off = put(p, NULL, 8);

	p->b[off] = nh;
	w16(p, off + 2, (uint16_t)(offset8 << 3 | (more ? 1 : 0)));
}

static uint32_t
put_tcp(struct pb *p, uint16_t sport, uint16_t dport, unsigned int words)
{
	uint32_t off = put(p, NULL, 4 * words);

	w16(p, off, sport);
	w16(p, off + 2, dport);
	p->b[off + 12] = (uint8_t)(words << 4);
	p->b[off + 13] = 0x02;
	return off;
}

static uint32_t
put_udp(struct pb *p, uint16_t sport, uint16_t dport)
{
	uint32_t off = put(p, NULL, 8);

	w16(p, off, sport);
	w16(p, off + 2, dport);
	ck_assert_uint_lt(p->nb_udp, RTE_DIM(p->udp));
	p->udp[p->nb_udp++] = off;
	return off;
}

static void
put_vxlan(struct pb *p)
{
	uint32_t off = put(p, NULL, 8);

	p->b[off] = 0x08;
	p->b[off + 6] = 42;
}

static void
put_geneve(struct pb *p, unsigned int opt_words, uint16_t proto)
{
	uint32_t off = put(p, NULL, 8 + 4 * opt_words);

	p->b[off] = (uint8_t)opt_words;
	w16(p, off + 2, proto);
}

static void
put_gre(struct pb *p, uint16_t flags, uint16_t proto)
{
	put16(p, flags);
	put16(p, proto);
	if (flags & 0x8000)
		put(p, NULL, 4);
	if (flags & 0x2000)
		put(p, NULL, 4);
	if (flags & 0x1000)
		put(p, NULL, 4);
}

/* ------------------------------------------------------------------ */
/* mbufs                                                               */

/*
 * A packet in segments: cut[] are the offsets where a new segment starts
 * (ascending, inside the packet). Each segment starts at a different
 * headroom so that nothing happens to be aligned.
 */
static struct rte_mbuf *
mk_split(const uint8_t *b, uint32_t len, const uint32_t *cut,
	 unsigned int nb_cut)
{
	struct rte_mbuf *head = NULL;
	uint32_t start = 0;
	unsigned int i;

	for (i = 0; i <= nb_cut; i++) {
		uint32_t stop = i < nb_cut ? cut[i] : len;
		struct rte_mbuf *m = rte_pktmbuf_alloc(zc_unit_pool);
		char *d;

		ck_assert_ptr_nonnull(m);
		m->data_off = (uint16_t)(RTE_PKTMBUF_HEADROOM - (i * 7) % 64);
		ck_assert_uint_le(stop - start, rte_pktmbuf_tailroom(m));
		d = rte_pktmbuf_append(m, (uint16_t)(stop - start));
		ck_assert_ptr_nonnull(d);
		memcpy(d, b + start, stop - start);
		zc_meta_reset(zc_meta(m));
		if (head == NULL)
			head = m;
		else
			ck_assert_int_eq(rte_pktmbuf_chain(head, m), 0);
		start = stop;
	}
	return head;
}

static struct rte_mbuf *
mk(const struct pb *p)
{
	return mk_split(p->b, p->len, NULL, 0);
}

/* A packet cut into segments of seg bytes at most (any length). */
static struct rte_mbuf *
mk_chunks(const uint8_t *b, uint32_t len, uint32_t seg)
{
	uint32_t cut[64] = { 0 };
	unsigned int n = 0;
	uint32_t o;

	for (o = seg; o < len; o += seg) {
		ck_assert_uint_lt(n, RTE_DIM(cut));
		cut[n++] = o;
	}
	return mk_split(b, len, cut, n);
}

/* ------------------------------------------------------------------ */
/* The stage under test                                                */

static struct zc_config cfg;
static struct zc_stage st;
static unsigned int pool_avail;

static void
start_mode(enum zc_mode mode, int drop_bad_csum)
{
	struct zc_stage_params prm;

	/* Without ready() (no pipeline here), the stage computes the
	 * software hash, as when a stage that reads it runs.
	 */
	zc_config_defaults(&cfg);
	cfg.mode = mode;
	zc_parse_opts.drop_bad_csum = (uint8_t)drop_bad_csum;
	memset(&prm, 0, sizeof(prm));
	prm.cfg = &cfg;
	prm.lcore_id = rte_lcore_id();
	prm.socket_id = SOCKET_ID_ANY;
	memset(&st, 0, sizeof(st));
	st.ops = zc_stage_find("parse");
	ck_assert_ptr_nonnull(st.ops);
	ck_assert_int_eq(st.ops->init(&st, &prm), 0);
	pool_avail = rte_mempool_avail_count(zc_unit_pool);
}

static void
start(enum zc_mode mode)
{
	start_mode(mode, mode != ZC_MODE_XCONNECT);
}

/* Re-read the configuration (after changing zc_parse_opts). */
static void
restart(void)
{
	struct zc_stage_params prm;

	st.ops->fini(&st);
	memset(&prm, 0, sizeof(prm));
	prm.cfg = &cfg;
	prm.lcore_id = rte_lcore_id();
	prm.socket_id = SOCKET_ID_ANY;
	ck_assert_int_eq(st.ops->init(&st, &prm), 0);
}

/* Every mbuf is back in the pool. */
static void
stop(void)
{
	st.ops->fini(&st);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), pool_avail);
}

/*
 * Run one packet. Returns it if kept (the caller frees it), else NULL with
 * the drop reason in *why, checked to be the only counter that moved.
 */
static struct rte_mbuf *
run(struct rte_mbuf *m, enum zc_drop_reason *why)
{
	uint16_t n;
	int r;

	*why = ZC_DROP_MAX;
	for (r = 0; r < ZC_DROP_MAX; r++)
		st.stats.drops[r] = 0;
	n = st.ops->process(&st, &m, 1);
	if (n == 1) {
		ck_assert_uint_eq(zc_stage_drops_total(&st), 0);
		return m;
	}
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(zc_stage_drops_total(&st), 1);
	for (r = 0; r < ZC_DROP_MAX; r++)
		if (st.stats.drops[r] == 1)
			*why = r;
	return NULL;
}

/* The packet must pass; returns the mbuf for inspection. */
static struct rte_mbuf *
pass_pb(const struct pb *p)
{
	enum zc_drop_reason why;
	struct rte_mbuf *m = run(mk(p), &why);

	ck_assert_msg(m != NULL, "dropped as %s", zc_drop_name(why));
	ck_assert(zc_meta(m)->flags & ZC_META_F_PARSED);
	return m;
}

static void
expect_drop(const struct pb *p, enum zc_drop_reason want)
{
	enum zc_drop_reason why;
	struct rte_mbuf *m = run(mk(p), &why);

	if (m != NULL)
		rte_pktmbuf_free(m);
	ck_assert_msg(m == NULL, "not dropped, expected %s",
		      zc_drop_name(want));
	ck_assert_msg(why == want, "dropped as %s, expected %s",
		      zc_drop_name(why), zc_drop_name(want));
}

/* ------------------------------------------------------------------ */
/* Common packets                                                      */

static void
ipv4_udp(struct pb *p, uint16_t sport, uint16_t dport, uint32_t payload)
{
	uint32_t ip;

	p->len = 0;
	put_eth(p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(p, IPPROTO_UDP, 0);
	put_udp(p, sport, dport);
	fill(p, payload, 0xaa);
	fix_ipv4(p, ip);
}

/* ------------------------------------------------------------------ */
/* Basic protocols                                                     */

START_TEST(ipv4_udp_basic)
{
	static struct pb p;
	struct rte_mbuf *m;
	struct zc_meta *md;

	start(ZC_MODE_ROUTER);
	ipv4_udp(&p, 1000, 53, 18);
	m = mk(&p);
	zc_meta(m)->out_port = 5; /* not the parser's to touch */
	{
		enum zc_drop_reason why;

		m = run(m, &why);
		ck_assert_ptr_nonnull(m);
	}
	md = zc_meta(m);
	ck_assert_uint_eq(md->l3_off, 14);
	ck_assert_uint_eq(md->l3_type, ZC_L3_IPV4);
	ck_assert_uint_eq(md->l4_off, 34);
	ck_assert_uint_eq(md->l4_proto, IPPROTO_UDP);
	ck_assert_uint_eq(md->flags, ZC_META_F_PARSED | ZC_META_F_L4);
	ck_assert_uint_eq(md->nb_vlan, 0);
	ck_assert_uint_eq(md->tunnel, ZC_TUN_NONE);
	ck_assert_uint_eq(md->inner_l2_off, 0);
	ck_assert_uint_eq(md->inner_l3_off, 0);
	ck_assert_uint_eq(md->out_port, 5);
	ck_assert_uint_eq(md->mirror_port, ZC_PORT_NONE);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER |
			  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP);
	ck_assert_uint_eq(m->l2_len, 14);
	ck_assert_uint_eq(m->l3_len, 20);
	ck_assert_uint_eq(m->l4_len, 8);
	ck_assert_uint_ne(md->flow_hash, 0);
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

/* [parse] depth = l2: L2 is checked, nothing beyond is read or claimed. */
START_TEST(depth_l2_only)
{
	static struct pb p;
	struct rte_mbuf *m;
	struct zc_meta *md;

	start(ZC_MODE_XCONNECT);
	zc_parse_opts.l2_only = 1;
	restart();
	ipv4_udp(&p, 1000, 53, 18);
	m = pass_pb(&p);
	md = zc_meta(m);
	ck_assert_uint_eq(md->l3_off, 14);
	ck_assert_uint_eq(md->l3_type, ZC_L3_NONE);
	ck_assert_uint_eq(md->flags, ZC_META_F_PARSED);
	ck_assert_uint_eq(md->flow_hash, 0);
	ck_assert_uint_eq(m->l2_len, 14);
	ck_assert_uint_eq(m->l3_len, 0);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER);
	rte_pktmbuf_free(m);
	/* A broken IPv4 header is not looked at... */
	p.b[14] = 0x15; /* IHL 5, version 1 */
	rte_pktmbuf_free(pass_pb(&p));
	/* ...but a frame that cannot be delimited still drops. */
	p.len = 10;
	expect_drop(&p, ZC_DROP_L2_TRUNCATED);
	stop();
}
END_TEST

/*
 * No stage of the chain reads the flow hash: the parse stage leaves it 0
 * rather than compute it (an RSS hash from the NIC is still kept).
 */
START_TEST(flow_hash_unread)
{
	static struct pb p;
	struct rte_mbuf *m;

	start(ZC_MODE_ROUTER);
	/* Set up alone, no act instance runs: ready() turns the hash off. */
	st.ops->ready(&st);
	ipv4_udp(&p, 1000, 53, 10);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->flow_hash, 0);
	rte_pktmbuf_free(m);
	m = mk(&p);
	m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
	m->hash.rss = 0x12345678;
	{
		enum zc_drop_reason why;

		m = run(m, &why);
		ck_assert_ptr_nonnull(m);
	}
	ck_assert_uint_eq(zc_meta(m)->flow_hash, 0x12345678);
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

/* The software hash is symmetric and separates flows. */
START_TEST(flow_hash_symmetric)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t h1, h2, h3;
	uint8_t tmp[4];

	start(ZC_MODE_ROUTER);
	ipv4_udp(&p, 1000, 53, 10);
	m = pass_pb(&p);
	h1 = zc_meta(m)->flow_hash;
	rte_pktmbuf_free(m);
	/* Reverse direction: swap addresses and ports. */
	memcpy(tmp, p.b + 26, 4);
	memcpy(p.b + 26, p.b + 30, 4);
	memcpy(p.b + 30, tmp, 4);
	w16(&p, 34, 53);
	w16(&p, 36, 1000);
	csum_ipv4(&p, 14);
	m = pass_pb(&p);
	h2 = zc_meta(m)->flow_hash;
	rte_pktmbuf_free(m);
	ck_assert_uint_eq(h1, h2);
	/* Another source port: another flow. */
	w16(&p, 36, 1001);
	m = pass_pb(&p);
	h3 = zc_meta(m)->flow_hash;
	rte_pktmbuf_free(m);
	ck_assert_uint_ne(h1, h3);

	/* IPv6/TCP behind an extension header, both directions. */
	{
		uint32_t ip6;
		uint8_t a[16];

		p.len = 0;
		put_eth(&p, RTE_ETHER_TYPE_IPV6);
		ip6 = put_ipv6(&p, IPPROTO_DSTOPTS);
		put_ext6(&p, IPPROTO_TCP, 0);
		put_tcp(&p, 443, 40001, 5);
		fix_ipv6(&p, ip6);
		m = pass_pb(&p);
		h1 = zc_meta(m)->flow_hash;
		rte_pktmbuf_free(m);
		memcpy(a, p.b + ip6 + 8, 16);
		memcpy(p.b + ip6 + 8, p.b + ip6 + 24, 16);
		memcpy(p.b + ip6 + 24, a, 16);
		w16(&p, ip6 + 48, 40001);
		w16(&p, ip6 + 50, 443);
		m = pass_pb(&p);
		ck_assert_uint_eq(zc_meta(m)->flow_hash, h1);
		rte_pktmbuf_free(m);
		/* Ports swapped alone: another flow. */
		w16(&p, ip6 + 48, 443);
		w16(&p, ip6 + 50, 40001);
		m = pass_pb(&p);
		ck_assert_uint_ne(zc_meta(m)->flow_hash, h1);
		rte_pktmbuf_free(m);
	}

	/* An RSS hash from the NIC is used as is. */
	m = mk(&p);
	m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
	m->hash.rss = 0x12345678;
	{
		enum zc_drop_reason why;

		m = run(m, &why);
		ck_assert_ptr_nonnull(m);
	}
	ck_assert_uint_eq(zc_meta(m)->flow_hash, 0x12345678);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

START_TEST(tcp_sctp_icmp_other)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip;

	start(ZC_MODE_ROUTER);
	/* TCP with 12 bytes of options. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_TCP, 0);
	put_tcp(&p, 40000, 80, 8);
	fill(&p, 5, 0);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_TCP);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 34);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert_uint_eq(m->l4_len, 32);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_L4_MASK, RTE_PTYPE_L4_TCP);
	rte_pktmbuf_free(m);

	/* SCTP: 12-byte common header. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_SCTP, 0);
	put_udp(&p, 5000, 5001);
	fill(&p, 4, 0);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_SCTP);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert_uint_eq(m->l4_len, 12);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_L4_MASK,
			  RTE_PTYPE_L4_SCTP);
	rte_pktmbuf_free(m);

	/* ICMP echo. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_ICMP, 0);
	fill(&p, 8, 8);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_ICMP);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_L4_MASK,
			  RTE_PTYPE_L4_ICMP);
	rte_pktmbuf_free(m);

	/* ICMPv6. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_ICMPV6);
	fill(&p, 8, 128);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV6);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_ICMPV6);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 54);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER |
			  RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_ICMP);
	rte_pktmbuf_free(m);

	/* OSPF: recorded, not an L4 header we parse. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, 89, 0);
	fill(&p, 3, 0);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, 89);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 34);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_L4));
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_L4_MASK,
			  RTE_PTYPE_L4_NONFRAG);
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

START_TEST(non_ip_and_arp)
{
	static struct pb p;
	struct rte_mbuf *m;

	start(ZC_MODE_ROUTER);
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_ARP);
	put16(&p, 1);
	put16(&p, RTE_ETHER_TYPE_IPV4);
	p.b[p.len++] = 6;
	p.b[p.len++] = 4;
	put16(&p, 1);
	fill(&p, 20, 0x11);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_ARP);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 14);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER_ARP);
	ck_assert_uint_eq(m->l3_len, 28);
	ck_assert_uint_ne(zc_meta(m)->flow_hash, 0);
	rte_pktmbuf_free(m);
	/* Cut inside the target address. */
	p.len -= 3;
	expect_drop(&p, ZC_DROP_ARP_TRUNCATED);
	p.len = 14 + 7;
	expect_drop(&p, ZC_DROP_ARP_TRUNCATED);

	/* LLDP: another ethertype, left alone. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_LLDP);
	fill(&p, 46, 0);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_OTHER);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 14);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_L4));
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER);
	rte_pktmbuf_free(m);

	/* Shorter than an Ethernet header. */
	p.len = 13;
	expect_drop(&p, ZC_DROP_L2_TRUNCATED);
	p.len = 0;
	expect_drop(&p, ZC_DROP_L2_TRUNCATED);
	stop();
}
END_TEST

/* ------------------------------------------------------------------ */
/* VLAN, QinQ, MPLS                                                    */

START_TEST(vlan_qinq)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip;

	start(ZC_MODE_ROUTER);
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 0x2064, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->nb_vlan, 1);
	ck_assert_uint_eq(zc_meta(m)->vlan[0], 0x2064);
	ck_assert_uint_eq(zc_meta(m)->vlan[1], 0);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 18);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 38);
	ck_assert_uint_eq(m->l2_len, 18);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER_VLAN |
			  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP);
	rte_pktmbuf_free(m);

	/* 802.1ad + 0x9100 + 802.1Q: three tags, the default limit. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_QINQ);
	put_vlan(&p, 100, RTE_ETHER_TYPE_QINQ1);
	put_vlan(&p, 200, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 300, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_TCP);
	put_tcp(&p, 1, 2, 5);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->nb_vlan, 3);
	ck_assert_uint_eq(zc_meta(m)->vlan[0], 100);
	ck_assert_uint_eq(zc_meta(m)->vlan[1], 200);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 26);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV6);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 66);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER_QINQ |
			  RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_TCP);
	rte_pktmbuf_free(m);

	/* A fourth tag is one too many... */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_QINQ);
	put_vlan(&p, 1, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 2, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 3, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 4, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_VLAN_TOO_MANY);
	/* ... unless the limit says otherwise. */
	zc_parse_opts.max_vlan = 4;
	restart();
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->nb_vlan, 4);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 30);
	rte_pktmbuf_free(m);
	zc_parse_opts.max_vlan = 0;
	restart();
	expect_drop(&p, ZC_DROP_VLAN_TOO_MANY);

	/* A tag cut short. */
	zc_parse_opts.max_vlan = 3;
	restart();
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 1, RTE_ETHER_TYPE_VLAN);
	put16(&p, 2);
	expect_drop(&p, ZC_DROP_VLAN_TRUNCATED);
	p.len = 15;
	expect_drop(&p, ZC_DROP_VLAN_TRUNCATED);
	stop();
}
END_TEST

START_TEST(mpls)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip;
	int i;

	start(ZC_MODE_ROUTER);
	/* VLAN, two labels, IPv4/TCP. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 7, RTE_ETHER_TYPE_MPLS);
	put_mpls(&p, 100, 0);
	put_mpls(&p, 200, 1);
	ip = put_ipv4(&p, IPPROTO_TCP, 0);
	put_tcp(&p, 1, 2, 5);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert(zc_meta(m)->flags & ZC_META_F_MPLS);
	ck_assert_uint_eq(zc_meta(m)->nb_vlan, 1);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 26);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV4);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 46);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER_MPLS |
			  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP);
	rte_pktmbuf_free(m);

	/* One label, IPv6 (multicast MPLS ethertype). */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_MPLSM);
	put_mpls(&p, 5, 1);
	ip = put_ipv6(&p, IPPROTO_UDP);
	put_udp(&p, 1, 2);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 18);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV6);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 58);
	rte_pktmbuf_free(m);

	/* A pseudowire control word: stop at L2.5. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_MPLS);
	put_mpls(&p, 5, 1);
	fill(&p, 30, 0);
	m = pass_pb(&p);
	ck_assert(zc_meta(m)->flags & ZC_META_F_MPLS);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 18);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_OTHER);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_L4));
	rte_pktmbuf_free(m);
	/* Nothing after the bottom of stack: still L2.5, not an error. */
	p.len = 18;
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_OTHER);
	rte_pktmbuf_free(m);

	/* Eight labels is the default limit, nine too deep. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_MPLS);
	for (i = 0; i < 7; i++)
		put_mpls(&p, i, 0);
	put_mpls(&p, 7, 1);
	ip = put_ipv4(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l3_off, 14 + 32);
	rte_pktmbuf_free(m);
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_MPLS);
	for (i = 0; i < 8; i++)
		put_mpls(&p, i, 0);
	put_mpls(&p, 8, 1);
	fill(&p, 20, 0x45);
	expect_drop(&p, ZC_DROP_MPLS_TOO_DEEP);
	/* No bottom of stack before the end of the frame. */
	p.len = 14 + 12;
	expect_drop(&p, ZC_DROP_MPLS_TRUNCATED);
	p.len = 14 + 3;
	expect_drop(&p, ZC_DROP_MPLS_TRUNCATED);
	stop();
}
END_TEST

/* ------------------------------------------------------------------ */
/* IPv4                                                                */

START_TEST(ipv4_malformed)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip;

	start(ZC_MODE_ROUTER);
	ipv4_udp(&p, 1, 2, 10);
	/* Cut inside the header. */
	p.len = 14 + 19;
	expect_drop(&p, ZC_DROP_IPV4_TRUNCATED);
	p.len = 14;
	expect_drop(&p, ZC_DROP_IPV4_TRUNCATED);

	ipv4_udp(&p, 1, 2, 10);
	p.b[14] = 0x55;
	expect_drop(&p, ZC_DROP_IPV4_BAD_VERSION);
	p.b[14] = 0x65;
	expect_drop(&p, ZC_DROP_IPV4_BAD_VERSION);

	ipv4_udp(&p, 1, 2, 10);
	p.b[14] = 0x44;
	csum_ipv4(&p, 14);
	expect_drop(&p, ZC_DROP_IPV4_BAD_IHL);
	/*
	 * IHL 15 = 60 bytes, a valid value, but the frame ends before: the
	 * header is cut short, the field is not wrong.
	 */
	ipv4_udp(&p, 1, 2, 10);
	p.b[14] = 0x4f;
	expect_drop(&p, ZC_DROP_IPV4_TRUNCATED);
	/* The same options cut inside a second segment. */
	{
		static const uint32_t cut[] = { 30 };
		enum zc_drop_reason why;
		struct rte_mbuf *m2;

		m2 = run(mk_split(p.b, p.len, cut, 1), &why);
		ck_assert_ptr_null(m2);
		ck_assert_uint_eq(why, ZC_DROP_IPV4_TRUNCATED);
	}

	/* Total length beyond the frame. */
	ipv4_udp(&p, 1, 2, 10);
	w16(&p, 16, 39);
	csum_ipv4(&p, 14);
	expect_drop(&p, ZC_DROP_IPV4_BAD_TOTLEN);
	/* Total length below the header: a fault of its own. */
	w16(&p, 16, 19);
	csum_ipv4(&p, 14);
	expect_drop(&p, ZC_DROP_IPV4_TOTLEN_SHORT);
	w16(&p, 16, 0);
	csum_ipv4(&p, 14);
	expect_drop(&p, ZC_DROP_IPV4_TOTLEN_SHORT);
	/* With options, below the 24-byte header but above 20. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_UDP, 1);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, ip);
	w16(&p, 16, 22);
	csum_ipv4(&p, 14);
	expect_drop(&p, ZC_DROP_IPV4_TOTLEN_SHORT);

	/* Ethernet padding after the datagram is legal... */
	ipv4_udp(&p, 1, 2, 0);
	fill(&p, 18, 0);
	m = pass_pb(&p);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	rte_pktmbuf_free(m);
	/* ... but an L4 header may not live in it. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_TCP, 0);
	fix_ipv4(&p, ip);
	fill(&p, 26, 0x50);
	expect_drop(&p, ZC_DROP_L4_TRUNCATED);
	stop();
}
END_TEST

START_TEST(ipv4_options_and_checksum)
{
	static struct pb p;
	struct rte_mbuf *m;
	enum zc_drop_reason why;
	uint32_t ip;

	start_mode(ZC_MODE_ROUTER, 1);
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_UDP, 3);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert(zc_meta(m)->flags & ZC_META_F_IP_OPT);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 14 + 32);
	ck_assert_uint_eq(m->l3_len, 32);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_L3_MASK,
			  RTE_PTYPE_L3_IPV4_EXT);
	rte_pktmbuf_free(m);

	/* A wrong checksum in the options is found too... */
	p.b[ip + 25] ^= 0x40;
	expect_drop(&p, ZC_DROP_IPV4_BAD_CSUM);
	/* ... also when the header spans segments. */
	{
		uint32_t cut[2] = { ip + 7, ip + 23 };

		m = run(mk_split(p.b, p.len, cut, 2), &why);
		ck_assert_ptr_null(m);
		ck_assert_uint_eq(why, ZC_DROP_IPV4_BAD_CSUM);
	}
	/* The NIC's verdict wins over the software check. */
	m = mk(&p);
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	m = run(m, &why);
	ck_assert_ptr_nonnull(m);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_CSUM_BAD));
	rte_pktmbuf_free(m);
	p.b[ip + 25] ^= 0x40;
	m = mk(&p);
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_BAD;
	m = run(m, &why);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(why, ZC_DROP_IPV4_BAD_CSUM);

	/* ipv4_checksum = pass: forwarded and flagged. */
	zc_parse_opts.drop_bad_csum = 0;
	restart();
	p.b[ip + 10] ^= 1;
	m = pass_pb(&p);
	ck_assert(zc_meta(m)->flags & ZC_META_F_CSUM_BAD);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV4);
	rte_pktmbuf_free(m);
	p.b[ip + 10] ^= 1;
	m = pass_pb(&p);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_CSUM_BAD));
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

START_TEST(ipv4_fragments)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip, h_first, h_next;

	start(ZC_MODE_ROUTER);
	/* First fragment: MF set, L4 header present. */
	ipv4_udp(&p, 1000, 2000, 16);
	w16(&p, 14 + 6, RTE_IPV4_HDR_MF_FLAG);
	csum_ipv4(&p, 14);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->flags & (ZC_META_F_FRAG |
					      ZC_META_F_FRAG_NF),
			  ZC_META_F_FRAG);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_L4_MASK,
			  RTE_PTYPE_L4_FRAG);
	h_first = zc_meta(m)->flow_hash;
	rte_pktmbuf_free(m);

	/* Non-first fragment, 3 bytes of data: no L4 header to check. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_UDP, 0);
	fill(&p, 3, 0);
	w16(&p, ip + 6, 3);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->flags & (ZC_META_F_FRAG |
					      ZC_META_F_FRAG_NF |
					      ZC_META_F_L4),
			  ZC_META_F_FRAG | ZC_META_F_FRAG_NF);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_UDP);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 34);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_L4_MASK,
			  RTE_PTYPE_L4_FRAG);
	h_next = zc_meta(m)->flow_hash;
	rte_pktmbuf_free(m);
	/* Every fragment of a datagram lands on the same hash. */
	ck_assert_uint_eq(h_first, h_next);

	/* A non-first fragment of a tunnel protocol is not a tunnel. */
	p.b[ip + 9] = IPPROTO_GRE;
	csum_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_NONE);
	rte_pktmbuf_free(m);

	/* A first fragment too short for its L4 header. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_TCP, 0);
	fill(&p, 8, 0);
	w16(&p, ip + 6, RTE_IPV4_HDR_MF_FLAG);
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_L4_TRUNCATED);
	stop();
}
END_TEST

/* ------------------------------------------------------------------ */
/* IPv6                                                                */

START_TEST(ipv6_ext_chain)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip;
	int i;

	start(ZC_MODE_ROUTER);
	/* Hop-by-hop (8), routing (24), destination options (16), AH (16). */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_HOPOPTS);
	put_ext6(&p, IPPROTO_ROUTING, 0);
	put_ext6(&p, IPPROTO_DSTOPTS, 2);
	put_ext6(&p, IPPROTO_AH, 1);
	{
		uint32_t ah = put(&p, NULL, 16);

		p.b[ah] = IPPROTO_TCP;
		p.b[ah + 1] = 2; /* (2 + 2) * 4 = 16 bytes */
	}
	put_tcp(&p, 443, 50000, 5);
	fill(&p, 7, 0);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV6);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 14 + 40 + 8 + 24 + 16 + 16);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_TCP);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert(zc_meta(m)->flags & ZC_META_F_IP_OPT);
	ck_assert_uint_eq(m->l3_len, 40 + 8 + 24 + 16 + 16);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER |
			  RTE_PTYPE_L3_IPV6_EXT | RTE_PTYPE_L4_TCP);
	rte_pktmbuf_free(m);

	/* The chain ends beyond the payload length. */
	w16(&p, ip + 4, 8 + 24 + 10);
	expect_drop(&p, ZC_DROP_IPV6_EXT_TRUNCATED);
	w16(&p, ip + 4, 4);
	expect_drop(&p, ZC_DROP_IPV6_EXT_TRUNCATED);

	/* Eight headers pass, nine are too many. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_DSTOPTS);
	for (i = 0; i < 7; i++)
		put_ext6(&p, IPPROTO_DSTOPTS, 0);
	put_ext6(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1, 2);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 14 + 40 + 64);
	rte_pktmbuf_free(m);
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_DSTOPTS);
	for (i = 0; i < 8; i++)
		put_ext6(&p, IPPROTO_DSTOPTS, 0);
	put_ext6(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1, 2);
	fix_ipv6(&p, ip);
	expect_drop(&p, ZC_DROP_IPV6_EXT_TOO_MANY);
	zc_parse_opts.max_ext = 9;
	restart();
	m = pass_pb(&p);
	rte_pktmbuf_free(m);

	/* ESP and "no next header" end the walk without an L4 header. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_ESP);
	fill(&p, 30, 0);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_ESP);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 54);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_L4));
	rte_pktmbuf_free(m);
	p.b[ip + 6] = IPPROTO_NONE;
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_NONE);
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

START_TEST(ipv6_malformed_and_fragments)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip, h1, h2;

	start(ZC_MODE_ROUTER);
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_UDP);
	put_udp(&p, 1, 2);
	fix_ipv6(&p, ip);
	p.len = 14 + 39;
	expect_drop(&p, ZC_DROP_IPV6_TRUNCATED);
	p.len = 14 + 48;
	p.b[ip] = 0x40;
	expect_drop(&p, ZC_DROP_IPV6_BAD_VERSION);
	p.b[ip] = 0x60;
	w16(&p, ip + 4, 9);
	expect_drop(&p, ZC_DROP_IPV6_BAD_PLEN);
	/* A payload length shorter than the frame (padding) is fine. */
	fill(&p, 10, 0);
	w16(&p, ip + 4, 8);
	m = pass_pb(&p);
	rte_pktmbuf_free(m);
	/* But the UDP header must fit in the payload length. */
	w16(&p, ip + 4, 7);
	expect_drop(&p, ZC_DROP_L4_TRUNCATED);

	/* First fragment: fragment header, then UDP. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_FRAGMENT);
	put_frag6(&p, IPPROTO_UDP, 0, 1);
	put_udp(&p, 7, 9);
	fill(&p, 16, 0);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->flags & (ZC_META_F_FRAG |
					      ZC_META_F_FRAG_NF |
					      ZC_META_F_L4 | ZC_META_F_IP_OPT),
			  ZC_META_F_FRAG | ZC_META_F_L4 | ZC_META_F_IP_OPT);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 14 + 48);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_UDP);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_L4_MASK,
			  RTE_PTYPE_L4_FRAG);
	h1 = zc_meta(m)->flow_hash;
	rte_pktmbuf_free(m);
	/* Non-first: data follows; a 2-byte tail is fine. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_FRAGMENT);
	put_frag6(&p, IPPROTO_UDP, 3, 0);
	fill(&p, 2, 0);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->flags & (ZC_META_F_FRAG |
					      ZC_META_F_FRAG_NF |
					      ZC_META_F_L4),
			  ZC_META_F_FRAG | ZC_META_F_FRAG_NF);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 14 + 48);
	h2 = zc_meta(m)->flow_hash;
	rte_pktmbuf_free(m);
	ck_assert_uint_eq(h1, h2);
	/* Atomic fragment (offset 0, no M): a whole datagram. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_FRAGMENT);
	put_frag6(&p, IPPROTO_UDP, 0, 0);
	put_udp(&p, 7, 9);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_FRAG));
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

/* ------------------------------------------------------------------ */
/* L4                                                                  */

START_TEST(l4_malformed)
{
	static struct pb p;
	uint32_t ip;

	start(ZC_MODE_ROUTER);
	/* TCP data offset below 5 words. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_TCP, 0);
	put_tcp(&p, 1, 2, 5);
	p.b[p.len - 20 + 12] = 4 << 4;
	fill(&p, 20, 0);
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_TCP_BAD_DOFF);
	/* Data offset beyond the datagram. */
	p.b[ip + 20 + 12] = 15 << 4;
	expect_drop(&p, ZC_DROP_TCP_BAD_DOFF);
	/* 10 words: exactly the 40 bytes there are. */
	p.b[ip + 20 + 12] = 10 << 4;
	{
		struct rte_mbuf *m = pass_pb(&p);

		ck_assert_uint_eq(m->l4_len, 40);
		rte_pktmbuf_free(m);
	}
	/* TCP cut at 19 bytes. */
	p.len = ip + 20 + 19;
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_L4_TRUNCATED);

	/* UDP, SCTP, ICMP, ICMPv6 one byte short. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_UDP, 0);
	fill(&p, 7, 0);
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_L4_TRUNCATED);
	p.b[ip + 9] = IPPROTO_ICMP;
	csum_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_L4_TRUNCATED);
	fill(&p, 4, 0);
	fix_ipv4(&p, ip);
	p.b[ip + 9] = IPPROTO_SCTP;
	csum_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_L4_TRUNCATED);
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_ICMPV6);
	fill(&p, 7, 0);
	fix_ipv6(&p, ip);
	expect_drop(&p, ZC_DROP_L4_TRUNCATED);
	stop();
}
END_TEST

/* ------------------------------------------------------------------ */
/* Tunnels                                                             */

/* eth / IPv4 / UDP 4789 / VXLAN / eth [/ VLAN] / IPv4 / TCP */
static void
build_vxlan(struct pb *p, int inner_vlan, int outer_v6)
{
	uint32_t ip, iip;

	p->len = 0;
	put_eth(p, outer_v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	ip = outer_v6 ? put_ipv6(p, IPPROTO_UDP) : put_ipv4(p, IPPROTO_UDP, 0);
	put_udp(p, 49152, ZC_PARSE_VXLAN_PORT);
	put_vxlan(p);
	if (inner_vlan) {
		put_eth(p, RTE_ETHER_TYPE_VLAN);
		put_vlan(p, 9, RTE_ETHER_TYPE_IPV4);
	} else {
		put_eth(p, RTE_ETHER_TYPE_IPV4);
	}
	iip = put_ipv4(p, IPPROTO_TCP, 0);
	put_tcp(p, 1, 80, 5);
	fill(p, 12, 0x33);
	fix_ipv4(p, iip);
	if (outer_v6)
		fix_ipv6(p, ip);
	else
		fix_ipv4(p, ip);
}

START_TEST(tunnel_vxlan)
{
	static struct pb p;
	struct rte_mbuf *m;
	struct zc_meta *md;

	start(ZC_MODE_ROUTER);
	build_vxlan(&p, 0, 0);
	m = pass_pb(&p);
	md = zc_meta(m);
	ck_assert_uint_eq(md->tunnel, ZC_TUN_VXLAN);
	ck_assert_uint_eq(md->inner_l2_off, 50);
	ck_assert_uint_eq(md->inner_l3_off, 64);
	/* Forwarding state describes the outer packet. */
	ck_assert_uint_eq(md->l3_off, 14);
	ck_assert_uint_eq(md->l4_off, 34);
	ck_assert_uint_eq(md->l4_proto, IPPROTO_UDP);
	ck_assert(md->flags & ZC_META_F_L4);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER |
			  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP |
			  RTE_PTYPE_TUNNEL_VXLAN | RTE_PTYPE_INNER_L2_ETHER |
			  RTE_PTYPE_INNER_L3_IPV4);
	rte_pktmbuf_free(m);

	build_vxlan(&p, 1, 0);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 50);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 68);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_INNER_L2_MASK,
			  RTE_PTYPE_INNER_L2_ETHER_VLAN);
	rte_pktmbuf_free(m);

	build_vxlan(&p, 0, 1);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_VXLAN);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV6);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 70);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 84);
	rte_pktmbuf_free(m);

	/* Inner IPv4 header cut short (within the outer datagram). */
	build_vxlan(&p, 0, 0);
	p.len = 64 + 12;
	fix_ipv4(&p, 14);
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);
	/* Inner Ethernet cut short. */
	p.len = 50 + 10;
	fix_ipv4(&p, 14);
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);
	/* VXLAN header itself cut short. */
	p.len = 42 + 5;
	fix_ipv4(&p, 14);
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);
	/* Inner frame present in the Ethernet padding only: still short. */
	build_vxlan(&p, 0, 0);
	w16(&p, 14 + 2, 20 + 8 + 8 + 10);
	csum_ipv4(&p, 14);
	w16(&p, 34 + 4, 8 + 8 + 10);
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);
	stop();
}
END_TEST

/* The UDP length field must cover the header and lie in the datagram. */
START_TEST(udp_length)
{
	static const uint32_t cut[] = { 14 + 20 + 5 };
	static struct pb p;
	enum zc_drop_reason why;
	struct rte_mbuf *m;
	uint32_t ip;

	start(ZC_MODE_ROUTER);
	/* Exactly the datagram: kept. */
	ipv4_udp(&p, 1, 2, 10);
	ck_assert_uint_eq(p.b[38] << 8 | p.b[39], 18);
	m = pass_pb(&p);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	rte_pktmbuf_free(m);
	/* One byte past the datagram, where the frame ends too. */
	w16(&p, 38, 19);
	expect_drop(&p, ZC_DROP_UDP_BAD_LEN);
	/* The same, the length field split across two segments. */
	m = run(mk_split(p.b, p.len, cut, 1), &why);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(why, ZC_DROP_UDP_BAD_LEN);
	/* Inside the frame but past the datagram, into Ethernet padding. */
	ipv4_udp(&p, 1, 2, 10);
	fill(&p, 20, 0);
	w16(&p, 38, 18 + 20);
	expect_drop(&p, ZC_DROP_UDP_BAD_LEN);
	w16(&p, 38, 0xffff);
	expect_drop(&p, ZC_DROP_UDP_BAD_LEN);
	/* Below the 8-byte header. */
	ipv4_udp(&p, 1, 2, 10);
	w16(&p, 38, 7);
	expect_drop(&p, ZC_DROP_UDP_BAD_LEN);
	w16(&p, 38, 0);
	expect_drop(&p, ZC_DROP_UDP_BAD_LEN);
	/* Short of the datagram's end (trailing bytes): kept. */
	w16(&p, 38, 8);
	m = pass_pb(&p);
	rte_pktmbuf_free(m);

	/* IPv6: the same bound. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_UDP);
	put_udp(&p, 1, 2);
	fill(&p, 4, 0);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	rte_pktmbuf_free(m);
	w16(&p, 54 + 4, 13);
	expect_drop(&p, ZC_DROP_UDP_BAD_LEN);

	/* A first fragment's UDP length counts the whole datagram: kept. */
	ipv4_udp(&p, 1, 2, 10);
	w16(&p, 20, RTE_IPV4_HDR_MF_FLAG);
	csum_ipv4(&p, 14);
	w16(&p, 38, 1000);
	m = pass_pb(&p);
	ck_assert(zc_meta(m)->flags & ZC_META_F_FRAG);
	rte_pktmbuf_free(m);

	/* A VXLAN datagram whose UDP length overruns: no tunnel decoded. */
	build_vxlan(&p, 0, 0);
	w16(&p, 38, (uint16_t)(p.len - 34 + 1));
	expect_drop(&p, ZC_DROP_UDP_BAD_LEN);
	stop();

	/* l2-xconnect, full depth: an anomaly, forwarded, L4 not claimed. */
	start(ZC_MODE_XCONNECT);
	ipv4_udp(&p, 1, 2, 10);
	w16(&p, 38, 19);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_parse_anomalies(&st, ZC_DROP_UDP_BAD_LEN), 1);
	ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV4);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_L4));
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

START_TEST(tunnel_geneve)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip, iip;

	start(ZC_MODE_ROUTER);
	/* Two option words, inner Ethernet. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1234, ZC_PARSE_GENEVE_PORT);
	put_geneve(&p, 2, RTE_ETHER_TYPE_TEB);
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	iip = put_ipv6(&p, IPPROTO_NONE);
	fix_ipv6(&p, iip);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_GENEVE);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 58);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 72);
	ck_assert_uint_eq(m->packet_type & (RTE_PTYPE_TUNNEL_MASK |
					    RTE_PTYPE_INNER_L2_MASK |
					    RTE_PTYPE_INNER_L3_MASK),
			  RTE_PTYPE_TUNNEL_GENEVE | RTE_PTYPE_INNER_L2_ETHER |
			  RTE_PTYPE_INNER_L3_IPV6);
	rte_pktmbuf_free(m);
	/* Options longer than the datagram. */
	p.b[42] = 20;
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);
	/* An unknown version: the tunnel, but no inner offsets. */
	p.b[42] = 0x40 | 2;
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_GENEVE);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 0);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 0);
	rte_pktmbuf_free(m);

	/* No options, IPv4 directly inside. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1234, ZC_PARSE_GENEVE_PORT);
	put_geneve(&p, 0, RTE_ETHER_TYPE_IPV4);
	iip = put_ipv4(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, iip);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_GENEVE);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 0);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 50);
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

START_TEST(tunnel_gre)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip, iip;

	start(ZC_MODE_ROUTER);
	/* Plain GRE, IPv4 inside. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_GRE, 0);
	put_gre(&p, 0, RTE_ETHER_TYPE_IPV4);
	iip = put_ipv4(&p, IPPROTO_ICMP, 0);
	fill(&p, 8, 0);
	fix_ipv4(&p, iip);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_GRE);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_GRE);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 34);
	ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 0);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 38);
	ck_assert_uint_eq(m->l4_len, 4);
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER |
			  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_TUNNEL_GRE |
			  RTE_PTYPE_INNER_L3_IPV4);
	rte_pktmbuf_free(m);

	/* Checksum, key and sequence present; Ethernet inside (0x6558). */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_GRE, 0);
	put_gre(&p, 0x8000 | 0x2000 | 0x1000, RTE_ETHER_TYPE_TEB);
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	iip = put_ipv4(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, iip);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_GRE);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 50);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 64);
	ck_assert_uint_eq(m->l4_len, 16);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_INNER_L2_MASK,
			  RTE_PTYPE_INNER_L2_ETHER);
	rte_pktmbuf_free(m);
	/* The key and sequence announced but not there. */
	p.len = 34 + 10;
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);
	p.len = 34 + 3;
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);

	/* GRE over IPv6 with a key, IPv6 inside. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_GRE);
	put_gre(&p, 0x2000, RTE_ETHER_TYPE_IPV6);
	iip = put_ipv6(&p, IPPROTO_NONE);
	fix_ipv6(&p, iip);
	fix_ipv6(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_GRE);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 14 + 40 + 8);
	rte_pktmbuf_free(m);

	/* MPLS over GRE: the tunnel, no inner offsets. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_GRE, 0);
	put_gre(&p, 0, RTE_ETHER_TYPE_MPLS);
	fill(&p, 24, 0);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_GRE);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 0);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 0);
	rte_pktmbuf_free(m);
	stop();
}
END_TEST

START_TEST(tunnel_ip_in_ip)
{
	static struct pb p;
	struct rte_mbuf *m;
	uint32_t ip, iip;

	start(ZC_MODE_ROUTER);
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_IPIP, 0);
	iip = put_ipv4(&p, IPPROTO_UDP, 1);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, iip);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_IPIP);
	ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 0);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 34);
	ck_assert_uint_eq(zc_meta(m)->l4_proto, IPPROTO_IPIP);
	ck_assert_uint_eq(zc_meta(m)->l4_off, 34);
	ck_assert(!(zc_meta(m)->flags & ZC_META_F_L4));
	ck_assert_uint_eq(m->packet_type, RTE_PTYPE_L2_ETHER |
			  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_TUNNEL_IP |
			  RTE_PTYPE_INNER_L3_IPV4_EXT);
	rte_pktmbuf_free(m);
	/* Inner header (with its option word) cut short. */
	p.len = 34 + 22;
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);

	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_IPV6, 0);
	iip = put_ipv6(&p, IPPROTO_UDP);
	put_udp(&p, 1, 2);
	fix_ipv6(&p, iip);
	fix_ipv4(&p, ip);
	m = pass_pb(&p);
	ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_6IN4);
	ck_assert_uint_eq(zc_meta(m)->inner_l3_off, 34);
	ck_assert_uint_eq(m->packet_type & RTE_PTYPE_INNER_L3_MASK,
			  RTE_PTYPE_INNER_L3_IPV6);
	rte_pktmbuf_free(m);
	p.len = 34 + 39;
	fix_ipv4(&p, ip);
	expect_drop(&p, ZC_DROP_TUNNEL_TRUNCATED);
	stop();
}
END_TEST

/* ------------------------------------------------------------------ */
/* Segments                                                            */

struct outcome {
	int kept;
	enum zc_drop_reason why;
	struct zc_meta md;
	uint32_t ptype;
	uint64_t tx_offload;
};

static void
run_outcome(struct rte_mbuf *m, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	m = run(m, &o->why);
	o->kept = m != NULL;
	if (m != NULL) {
		o->md = *zc_meta(m);
		o->ptype = m->packet_type;
		o->tx_offload = m->tx_offload;
		rte_pktmbuf_free(m);
	}
}

static void
same_outcome(const struct outcome *a, const struct outcome *b,
	     const char *what, uint32_t c1, uint32_t c2)
{
	ck_assert_msg(a->kept == b->kept && a->why == b->why,
		      "%s cut at %u,%u: %s vs %s", what, c1, c2,
		      a->kept ? "kept" : zc_drop_name(a->why),
		      b->kept ? "kept" : zc_drop_name(b->why));
	ck_assert_msg(memcmp(&a->md, &b->md, sizeof(a->md)) == 0,
		      "%s cut at %u,%u: metadata differs", what, c1, c2);
	ck_assert_msg(a->ptype == b->ptype && a->tx_offload == b->tx_offload,
		      "%s cut at %u,%u: ptype %#x/%#x lens %#lx/%#lx", what,
		      c1, c2, a->ptype, b->ptype,
		      (unsigned long)a->tx_offload,
		      (unsigned long)b->tx_offload);
}

/*
 * The packet cut into two segments at every position, and into three at
 * every pair of positions within the first 'span' bytes, gives exactly the
 * outcome of the contiguous packet.
 */
static void
check_splits(const struct pb *p, const char *what, int want_kept)
{
	struct outcome ref, o;
	uint32_t c1, c2, span = RTE_MIN(p->len, 140u);

	run_outcome(mk(p), &ref);
	ck_assert_msg(ref.kept == want_kept, "%s: %s", what,
		      ref.kept ? "kept" : zc_drop_name(ref.why));
	for (c1 = 1; c1 < p->len; c1++) {
		run_outcome(mk_split(p->b, p->len, &c1, 1), &o);
		same_outcome(&ref, &o, what, c1, 0);
	}
	for (c1 = 1; c1 < span; c1++)
		for (c2 = c1 + 1; c2 < span; c2++) {
			uint32_t cut[2] = { c1, c2 };

			run_outcome(mk_split(p->b, p->len, cut, 2), &o);
			same_outcome(&ref, &o, what, c1, c2);
		}
}

START_TEST(split_segments)
{
	static struct pb p;
	uint32_t ip, iip;

	start_mode(ZC_MODE_ROUTER, 1);
	/* QinQ, MPLS, IPv4 with options, TCP with options. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_QINQ);
	put_vlan(&p, 10, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 20, RTE_ETHER_TYPE_MPLS);
	put_mpls(&p, 1, 0);
	put_mpls(&p, 2, 1);
	ip = put_ipv4(&p, IPPROTO_TCP, 2);
	put_tcp(&p, 1234, 80, 7);
	fill(&p, 9, 0);
	fix_ipv4(&p, ip);
	check_splits(&p, "qinq-mpls-ipv4opt-tcpopt", 1);

	/* The same with a bad checksum and ipv4_checksum = drop. */
	p.b[ip + 24] ^= 0x10;
	check_splits(&p, "bad-csum", 0);
	p.b[ip + 24] ^= 0x10;
	/* A bad TCP data offset. */
	p.b[ip + 28 + 12] = 0xf0;
	check_splits(&p, "bad-doff", 0);

	/* VLAN, IPv6 with hop-by-hop, routing and fragment headers, UDP. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_VLAN);
	put_vlan(&p, 5, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(&p, IPPROTO_HOPOPTS);
	put_ext6(&p, IPPROTO_ROUTING, 0);
	put_ext6(&p, IPPROTO_FRAGMENT, 1);
	put_frag6(&p, IPPROTO_UDP, 0, 1);
	put_udp(&p, 53, 5353);
	fill(&p, 3, 0);
	fix_ipv6(&p, ip);
	check_splits(&p, "vlan-ipv6-ext-udp", 1);

	/* VXLAN with an inner VLAN. */
	build_vxlan(&p, 1, 0);
	check_splits(&p, "vxlan", 1);

	/* GRE with key and sequence, Ethernet inside. */
	p.len = 0;
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(&p, IPPROTO_GRE, 0);
	put_gre(&p, 0x3000, RTE_ETHER_TYPE_TEB);
	put_eth(&p, RTE_ETHER_TYPE_IPV4);
	iip = put_ipv4(&p, IPPROTO_UDP, 0);
	put_udp(&p, 1, 2);
	fix_ipv4(&p, iip);
	fix_ipv4(&p, ip);
	check_splits(&p, "gre-ks-teb", 1);
	stop();
}
END_TEST

/* ------------------------------------------------------------------ */
/* Strictness by mode                                                  */

struct bad_case {
	const char *name;
	enum zc_drop_reason why;
	void (*build)(struct pb *p);
};

static void
bad_l2(struct pb *p)
{
	p->len = 0;
	put_eth(p, RTE_ETHER_TYPE_IPV4);
	p->len = 10;
}

static void
bad_vlan(struct pb *p)
{
	p->len = 0;
	put_eth(p, RTE_ETHER_TYPE_VLAN);
	put16(p, 1);
}

static void
bad_vlan_many(struct pb *p)
{
	int i;

	p->len = 0;
	put_eth(p, RTE_ETHER_TYPE_VLAN);
	for (i = 0; i < 4; i++)
		put_vlan(p, 1, i < 3 ? RTE_ETHER_TYPE_VLAN :
			 RTE_ETHER_TYPE_IPV4);
	fill(p, 30, 0);
}

static void
bad_mpls(struct pb *p)
{
	p->len = 0;
	put_eth(p, RTE_ETHER_TYPE_MPLS);
	put_mpls(p, 1, 0);
}

static void
bad_ihl(struct pb *p)
{
	ipv4_udp(p, 1, 2, 10);
	p->b[14] = 0x43;
	csum_ipv4(p, 14);
}

static void
bad_totlen(struct pb *p)
{
	ipv4_udp(p, 1, 2, 10);
	w16(p, 16, 200);
	csum_ipv4(p, 14);
}

static void
bad_totlen_short(struct pb *p)
{
	ipv4_udp(p, 1, 2, 10);
	w16(p, 16, 19);
	csum_ipv4(p, 14);
}

static void
bad_udp_len(struct pb *p)
{
	ipv4_udp(p, 1, 2, 10);
	w16(p, 38, 19);
}

static void
bad_plen(struct pb *p)
{
	uint32_t ip;

	p->len = 0;
	put_eth(p, RTE_ETHER_TYPE_IPV6);
	ip = put_ipv6(p, IPPROTO_UDP);
	put_udp(p, 1, 2);
	fix_ipv6(p, ip);
	w16(p, ip + 4, 100);
}

static void
bad_doff(struct pb *p)
{
	uint32_t ip;

	p->len = 0;
	put_eth(p, RTE_ETHER_TYPE_IPV4);
	ip = put_ipv4(p, IPPROTO_TCP, 0);
	put_tcp(p, 1, 2, 3);
	put(p, NULL, 8);
	fix_ipv4(p, ip);
}

static void
bad_tunnel(struct pb *p)
{
	build_vxlan(p, 0, 0);
	p->len = 55;
	fix_ipv4(p, 14);
}

static const struct bad_case bad_cases[] = {
	{ "l2", ZC_DROP_L2_TRUNCATED, bad_l2 },
	{ "vlan", ZC_DROP_VLAN_TRUNCATED, bad_vlan },
	{ "vlan-many", ZC_DROP_VLAN_TOO_MANY, bad_vlan_many },
	{ "mpls", ZC_DROP_MPLS_TRUNCATED, bad_mpls },
	{ "ihl", ZC_DROP_IPV4_BAD_IHL, bad_ihl },
	{ "totlen", ZC_DROP_IPV4_BAD_TOTLEN, bad_totlen },
	{ "totlen-short", ZC_DROP_IPV4_TOTLEN_SHORT, bad_totlen_short },
	{ "udp-len", ZC_DROP_UDP_BAD_LEN, bad_udp_len },
	{ "plen", ZC_DROP_IPV6_BAD_PLEN, bad_plen },
	{ "doff", ZC_DROP_TCP_BAD_DOFF, bad_doff },
	{ "tunnel", ZC_DROP_TUNNEL_TRUNCATED, bad_tunnel },
};

static int
is_l2_reason(enum zc_drop_reason r)
{
	return r == ZC_DROP_L2_TRUNCATED || r == ZC_DROP_VLAN_TRUNCATED ||
	       r == ZC_DROP_VLAN_TOO_MANY;
}

START_TEST(strictness_by_mode)
{
	static const enum zc_mode strict_modes[] = {
		ZC_MODE_ROUTER, ZC_MODE_FILTER
	};
	static struct pb p;
	unsigned int i, k;

	for (k = 0; k < RTE_DIM(strict_modes); k++) {
		start(strict_modes[k]);
		for (i = 0; i < RTE_DIM(bad_cases); i++) {
			bad_cases[i].build(&p);
			expect_drop(&p, bad_cases[i].why);
		}
		stop();
	}

	start(ZC_MODE_XCONNECT);
	for (i = 0; i < RTE_DIM(bad_cases); i++) {
		enum zc_drop_reason why = bad_cases[i].why;
		struct rte_mbuf *m;

		bad_cases[i].build(&p);
		if (is_l2_reason(why)) {
			expect_drop(&p, why);
			ck_assert_uint_eq(zc_parse_anomalies(&st, why), 0);
			continue;
		}
		m = pass_pb(&p);
		ck_assert_msg(zc_parse_anomalies(&st, why) == 1,
			      "%s: anomaly not counted", bad_cases[i].name);
		/* Forwarded untouched, and what failed is not claimed. */
		ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), p.len);
		ck_assert(memcmp(rte_pktmbuf_mtod(m, void *), p.b,
				 p.len) == 0);
		switch (why) {
		case ZC_DROP_IPV4_BAD_IHL:
		case ZC_DROP_IPV4_BAD_TOTLEN:
		case ZC_DROP_IPV4_TOTLEN_SHORT:
		case ZC_DROP_IPV6_BAD_PLEN:
		case ZC_DROP_MPLS_TRUNCATED:
			ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_NONE);
			ck_assert(!(zc_meta(m)->flags & ZC_META_F_L4));
			break;
		case ZC_DROP_TCP_BAD_DOFF:
		case ZC_DROP_UDP_BAD_LEN:
			ck_assert_uint_eq(zc_meta(m)->l3_type, ZC_L3_IPV4);
			ck_assert(!(zc_meta(m)->flags & ZC_META_F_L4));
			break;
		case ZC_DROP_TUNNEL_TRUNCATED:
			ck_assert(zc_meta(m)->flags & ZC_META_F_L4);
			ck_assert_uint_eq(zc_meta(m)->tunnel, ZC_TUN_NONE);
			ck_assert_uint_eq(zc_meta(m)->inner_l2_off, 0);
			break;
		default:
			break;
		}
		ck_assert_uint_eq(zc_stage_drops_total(&st), 0);
		rte_pktmbuf_free(m);
	}
	/* Not a parse stage: no anomalies to report. */
	{
		struct zc_stage other = { .ops = zc_stage_find("forward") };

		ck_assert_uint_eq(zc_parse_anomalies(&other,
						     ZC_DROP_TCP_BAD_DOFF), 0);
	}
	stop();

	/* A bad checksum passes flagged in l2-xconnect's default... */
	start(ZC_MODE_XCONNECT);
	ipv4_udp(&p, 1, 2, 4);
	p.b[24] ^= 0xff;
	{
		struct rte_mbuf *m = pass_pb(&p);

		ck_assert(zc_meta(m)->flags & ZC_META_F_CSUM_BAD);
		rte_pktmbuf_free(m);
	}
	/* ... and drops when the configuration asks for it. */
	zc_parse_opts.drop_bad_csum = 1;
	restart();
	expect_drop(&p, ZC_DROP_IPV4_BAD_CSUM);
	stop();
}
END_TEST

/* A burst: order kept, each drop under its reason, pool whole. */
START_TEST(burst_order)
{
	static struct pb p;
	struct rte_mbuf *pkts[ZC_BURST_MAX];
	uint16_t i, n, kept;

	start(ZC_MODE_ROUTER);
	for (i = 0; i < ZC_BURST_MAX; i++) {
		if (i % 5 == 3) {
			bad_cases[i % RTE_DIM(bad_cases)].build(&p);
		} else {
			ipv4_udp(&p, 1000 + i, 53, i % 9);
		}
		pkts[i] = mk(&p);
	}
	n = st.ops->process(&st, pkts, ZC_BURST_MAX);
	kept = 0;
	for (i = 0; i < ZC_BURST_MAX; i++) {
		uint16_t sport;

		if (i % 5 == 3)
			continue;
		ck_assert_uint_lt(kept, n);
		sport = (uint16_t)(rte_pktmbuf_mtod_offset(pkts[kept],
							   uint8_t *, 34)[0] << 8 |
			 rte_pktmbuf_mtod_offset(pkts[kept], uint8_t *, 35)[0]);
		ck_assert_uint_eq(sport, 1000 + i);
		kept++;
	}
	ck_assert_uint_eq(n, kept);
	ck_assert_uint_eq(zc_stage_drops_total(&st), ZC_BURST_MAX - kept);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_IPV4_BAD_IHL] +
			  st.stats.drops[ZC_DROP_L2_TRUNCATED] +
			  st.stats.drops[ZC_DROP_VLAN_TRUNCATED] +
			  st.stats.drops[ZC_DROP_VLAN_TOO_MANY] +
			  st.stats.drops[ZC_DROP_MPLS_TRUNCATED] +
			  st.stats.drops[ZC_DROP_IPV4_BAD_TOTLEN] +
			  st.stats.drops[ZC_DROP_IPV4_TOTLEN_SHORT] +
			  st.stats.drops[ZC_DROP_UDP_BAD_LEN] +
			  st.stats.drops[ZC_DROP_IPV6_BAD_PLEN] +
			  st.stats.drops[ZC_DROP_TCP_BAD_DOFF] +
			  st.stats.drops[ZC_DROP_TUNNEL_TRUNCATED],
			  ZC_BURST_MAX - kept);
	rte_pktmbuf_free_bulk(pkts, n);
	stop();
}
END_TEST

/* ------------------------------------------------------------------ */
/* Real captures                                                       */

struct real_expect {
	const char *file;
	unsigned int packets;
	unsigned int kept_drop; /* router, ipv4_checksum = drop */
	unsigned int kept_pass; /* router, ipv4_checksum = pass */
	/* Run on each packet with ipv4_checksum = pass. */
	void (*check)(unsigned int idx, const struct outcome *o);
};

static void
chk_gre(unsigned int idx, const struct outcome *o)
{
	RTE_SET_USED(idx);
	ck_assert_uint_eq(o->md.nb_vlan, 1);
	ck_assert_uint_eq(o->md.tunnel, ZC_TUN_GRE);
	ck_assert_uint_eq(o->md.inner_l2_off, 0);
	ck_assert_uint_eq(o->md.inner_l3_off, 18 + 20 + 4);
}

static void
chk_too_small(unsigned int idx, const struct outcome *o)
{
	static const enum zc_drop_reason want[] = {
		ZC_DROP_L4_TRUNCATED, ZC_DROP_L4_TRUNCATED,
		ZC_DROP_L4_TRUNCATED, ZC_DROP_TUNNEL_TRUNCATED,
		ZC_DROP_L4_TRUNCATED, ZC_DROP_L4_TRUNCATED,
		ZC_DROP_L4_TRUNCATED, ZC_DROP_TUNNEL_TRUNCATED,
	};

	ck_assert_msg(o->why == want[idx], "packet %u: %s, want %s", idx + 1,
		      zc_drop_name(o->why), zc_drop_name(want[idx]));
}

static void
chk_v6frag(unsigned int idx, const struct outcome *o)
{
	ck_assert_uint_eq(o->md.nb_vlan, 1);
	ck_assert_uint_eq(o->md.l3_type, ZC_L3_IPV6);
	ck_assert(o->md.flags & ZC_META_F_FRAG);
	ck_assert_uint_eq(!!(o->md.flags & ZC_META_F_FRAG_NF), idx != 0);
	ck_assert_uint_eq(!!(o->md.flags & ZC_META_F_L4), idx == 0);
}

static void
chk_vlan_stack(unsigned int idx, const struct outcome *o)
{
	ck_assert_uint_eq(o->md.nb_vlan, idx + 1);
	ck_assert_uint_eq(o->md.l4_proto, IPPROTO_ICMP);
	ck_assert(o->md.flags & ZC_META_F_L4);
}

static void
chk_truncated(unsigned int idx, const struct outcome *o)
{
	RTE_SET_USED(idx);
	ck_assert_uint_eq(o->why, ZC_DROP_IPV4_BAD_TOTLEN);
}

static void
chk_tcp(unsigned int idx, const struct outcome *o)
{
	RTE_SET_USED(idx);
	ck_assert_uint_eq(o->md.l3_type, ZC_L3_IPV4);
	ck_assert_uint_eq(o->md.l4_proto, IPPROTO_TCP);
	ck_assert(o->md.flags & ZC_META_F_L4);
}

static void
chk_qinq(unsigned int idx, const struct outcome *o)
{
	chk_tcp(idx, o);
	ck_assert_uint_eq(o->md.nb_vlan, 2);
	ck_assert_uint_eq(o->md.l3_off, 22);
}

static void
chk_vlan(unsigned int idx, const struct outcome *o)
{
	chk_tcp(idx, o);
	ck_assert_uint_eq(o->md.nb_vlan, 1);
	ck_assert_uint_eq(o->md.l3_off, 18);
}

static void
chk_frag4(unsigned int idx, const struct outcome *o)
{
	static const uint8_t want[] = {
		ZC_META_F_FRAG | ZC_META_F_L4,
		ZC_META_F_FRAG | ZC_META_F_FRAG_NF,
		ZC_META_F_FRAG | ZC_META_F_L4,
	};

	ck_assert_uint_eq(o->md.flags & (ZC_META_F_FRAG | ZC_META_F_FRAG_NF |
					 ZC_META_F_L4), want[idx]);
}

/* Anonymised addresses left every IPv4 checksum wrong in this one. */
static void
chk_mpls(unsigned int idx, const struct outcome *o)
{
	static const uint16_t l3_off[] = { 18, 22, 26 };

	chk_tcp(idx, o);
	ck_assert(o->md.flags & ZC_META_F_CSUM_BAD);
	ck_assert_uint_eq(!!(o->md.flags & ZC_META_F_MPLS), idx != 0);
	ck_assert_uint_eq(o->md.l3_off, l3_off[idx]);
	ck_assert_uint_eq(o->ptype & RTE_PTYPE_L2_MASK,
			  idx != 0 ? RTE_PTYPE_L2_ETHER_MPLS :
				     RTE_PTYPE_L2_ETHER_VLAN);
}

static void
chk_6in4(unsigned int idx, const struct outcome *o)
{
	RTE_SET_USED(idx);
	ck_assert_uint_eq(o->md.tunnel, ZC_TUN_6IN4);
	ck_assert_uint_eq(o->md.inner_l3_off, 34);
}

static void
chk_vxlan(unsigned int idx, const struct outcome *o)
{
	RTE_SET_USED(idx);
	ck_assert_uint_eq(o->md.tunnel, ZC_TUN_VXLAN);
	ck_assert_uint_eq(o->md.inner_l2_off, 50);
	ck_assert_uint_eq(o->md.inner_l3_off, 64);
	ck_assert_uint_eq(o->md.l4_proto, IPPROTO_UDP);
}

static const struct real_expect real_expect[] = {
	{ "suricata-bug-5633-gre-01-gre-udp.pcap", 3, 3, 3, chk_gre },
	{ "suricata-decode-too-small-test.pcap", 8, 0, 0, chk_too_small },
	{ "suricata-defrag-bug-6887-defrag-eth-vlan-ipv6-tcp-frag-eth-vlan-ipv6-tcp.pcap",
	  3, 3, 3, chk_v6frag },
	{ "suricata-eve-flow-vlan-02-input.pcap", 3, 3, 3, chk_vlan_stack },
	{ "suricata-ipv4-truncated-truncated.pcap", 1, 0, 0, chk_truncated },
	{ "zeek-chksums-ip4-tcp-bad-chksum.pcap", 1, 1, 1, chk_tcp },
	{ "zeek-http-bro.org.pcap", 751, 751, 751, chk_tcp },
	{ "zeek-http-qinq-0.pcap", 14, 14, 14, chk_qinq },
	{ "zeek-http-vlan-0.pcap", 14, 14, 14, chk_vlan },
	{ "zeek-ipv4-fragmented-1.pcap", 3, 3, 3, chk_frag4 },
	{ "zeek-mpls-in-vlan.pcap", 3, 0, 3, chk_mpls },
	{ "zeek-tunnels-6in4.pcap", 1, 1, 1, chk_6in4 },
	{ "zeek-tunnels-vxlan-encapsulated-http.pcap", 12, 12, 12, chk_vxlan },
	{ "zeek-tunnels-vxlan.pcap", 10, 10, 10, chk_vxlan },
};

/* The real captures kept in the repository (pcaps/real/SOURCES.md). */
static const char *
real_dir(void)
{
	const char *env = getenv("ZC_REAL_PCAPS");

	return env != NULL ? env : ZC_SRC_DIR "/pcaps/real";
}

/* Run every packet of a capture; returns how many were kept. */
static unsigned int
replay_file(const char *path, const struct real_expect *e, unsigned int *nb)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned int kept = 0, idx = 0;
	pcap_t *pc;

	pc = pcap_open_offline(path, errbuf);
	ck_assert_msg(pc != NULL, "%s: %s", path, errbuf);
	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct outcome ref, o;
		uint32_t len = h->caplen, seg;

		/* Whole when it fits in one mbuf, as net_pcap would give it. */
		run_outcome(mk_chunks(data, len, RTE_MAX(RTE_MIN(len, 2048u),
							 1u)), &ref);
		/* Small segments: most headers end up split. */
		seg = RTE_MAX(13u, len / 60 + 1);
		run_outcome(mk_chunks(data, len, seg), &o);
		same_outcome(&ref, &o, path, seg, idx);
		seg = RTE_MAX(64u, len / 60 + 1);
		run_outcome(mk_chunks(data, len, seg), &o);
		same_outcome(&ref, &o, path, seg, idx);
		if (ref.kept)
			kept++;
		if (e != NULL && e->check != NULL)
			e->check(idx, &ref);
		idx++;
	}
	pcap_close(pc);
	*nb = idx;
	return kept;
}

START_TEST(real_captures)
{
	const char *dir = real_dir();
	char path[512];
	unsigned int i, nb, kept, files = 0;
	struct dirent *de;
	DIR *d;

	/* Router strictness, checksum errors dropped. */
	start_mode(ZC_MODE_ROUTER, 1);
	for (i = 0; i < RTE_DIM(real_expect); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, real_expect[i].file);
		kept = replay_file(path, NULL, &nb);
		ck_assert_msg(nb == real_expect[i].packets, "%s: %u packets",
			      real_expect[i].file, nb);
		ck_assert_msg(kept == real_expect[i].kept_drop,
			      "%s: %u kept in router mode, want %u",
			      real_expect[i].file, kept,
			      real_expect[i].kept_drop);
	}
	stop();
	/* Router strictness, checksum errors flagged: check the metadata. */
	start_mode(ZC_MODE_ROUTER, 0);
	for (i = 0; i < RTE_DIM(real_expect); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, real_expect[i].file);
		kept = replay_file(path, &real_expect[i], &nb);
		ck_assert_msg(kept == real_expect[i].kept_pass,
			      "%s: %u kept with ipv4_checksum = pass, want %u",
			      real_expect[i].file, kept,
			      real_expect[i].kept_pass);
	}
	stop();

	/* l2-xconnect: every capture in the folder goes through whole. */
	start(ZC_MODE_XCONNECT);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 5, ".pcap") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		kept = replay_file(path, NULL, &nb);
		ck_assert_msg(kept == nb, "%s: %u of %u kept in l2-xconnect",
			      de->d_name, kept, nb);
		files++;
	}
	closedir(d);
	ck_assert_uint_ge(files, RTE_DIM(real_expect));
	stop();
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ipv4_udp_basic);
	tcase_add_test(tc, depth_l2_only);
	tcase_add_test(tc, flow_hash_symmetric);
	tcase_add_test(tc, flow_hash_unread);
	tcase_add_test(tc, tcp_sctp_icmp_other);
	tcase_add_test(tc, non_ip_and_arp);
	tcase_add_test(tc, vlan_qinq);
	tcase_add_test(tc, mpls);
	tcase_add_test(tc, ipv4_malformed);
	tcase_add_test(tc, udp_length);
	tcase_add_test(tc, ipv4_options_and_checksum);
	tcase_add_test(tc, ipv4_fragments);
	tcase_add_test(tc, ipv6_ext_chain);
	tcase_add_test(tc, ipv6_malformed_and_fragments);
	tcase_add_test(tc, l4_malformed);
	tcase_add_test(tc, tunnel_vxlan);
	tcase_add_test(tc, tunnel_geneve);
	tcase_add_test(tc, tunnel_gre);
	tcase_add_test(tc, tunnel_ip_in_ip);
	tcase_add_test(tc, split_segments);
	tcase_add_test(tc, strictness_by_mode);
	tcase_add_test(tc, burst_order);
	tcase_add_test(tc, real_captures);
	suite_add_tcase(s, tc);
	return s;
}
