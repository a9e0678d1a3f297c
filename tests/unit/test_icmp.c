/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The route stage's ICMP errors and the IPv4 fragmentation it asks tx
 * for (lib/route/icmp.c, lib/route/frag.c): each error's bytes (type,
 * code, MTU field, addresses, TTL, the quote, both checksums), the RFC
 * 1812 4.3.2.7 / RFC 4443 2.4(e) rules that forbid one, the token
 * bucket, the header segment used when a packet has no headroom, ACL
 * reject, trimming of bytes past the datagram, and fragments that
 * reference the payload where it lies.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "unit.h"
#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "actions/zc_frag.h"
#include "route/zc_icmp.h"
#include "route/zc_route.h"

/* Port 0: 10.0.0.1/24, 2001:db8:1::1/64, MTU 1500; port 1: 10.0.1.1/24,
 * 2001:db8:2::1/64, MTU 1400. Host h0 (10.0.0.2) on port 0.
 */
static const struct rte_ether_addr mac_p0 = { { 0x02, 0, 0, 0, 0, 0xa0 } };
static const struct rte_ether_addr mac_p1 = { { 0x02, 0, 0, 0, 0, 0xa1 } };
static const struct rte_ether_addr mac_h0 = { { 0x02, 0, 0, 0, 0, 0x10 } };
static const struct rte_ether_addr mac_gw = { { 0x02, 0, 0, 0, 0, 0x22 } };
static const struct rte_ether_addr bcast = {
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

static struct zc_config cfg;
static struct zc_stage st;
static struct zc_act_pools pools;

static const char *const routes =
	"10.1.0.0/16 via 10.0.1.2\n"
	"2001:db8:5::/48 via 2001:db8:2::2\n";
static const char *const neigh =
	"10.0.1.2 02:00:00:00:00:22\n"
	"2001:db8:2::2 02:00:00:00:00:22 port 1\n";

static void
router_up(const char *extra)
{
	struct zc_stage_params p;
	char ini[2048], rpath[256], npath[256];
	unsigned int i;

	snprintf(rpath, sizeof(rpath), "%s",
		 zc_unit_write_file("routes.txt", routes));
	snprintf(npath, sizeof(npath), "%s",
		 zc_unit_write_file("neigh.txt", neigh));
	snprintf(ini, sizeof(ini),
		 "[general]\nmode = router\n"
		 "[port.0]\ndev = net_null0\nipv4 = 10.0.0.1/24\nipv6 = 2001:db8:1::1/64\n"
		 "[port.1]\ndev = net_null1\nipv4 = 10.0.1.1/24\nipv6 = 2001:db8:2::1/64\n"
		 "[route]\nlearn = off\nroutes = %s\nneighbours = %s\n%s"
		 "[pipeline.0]\nrx = 0:0, 1:0\nstages = rx parse route tx\n",
		 rpath, npath, extra);
	ck_assert_msg(zc_config_load(zc_unit_write_file("r.ini", ini),
				     &cfg) == 0, "%s", zc_config_strerror());
	for (i = 0; i < cfg.nb_ports; i++)
		cfg.port[i].port_id = i;
	zc_ports[0].mac = mac_p0;
	zc_ports[1].mac = mac_p1;
	zc_ports[0].mtu = 1500;
	zc_ports[1].mtu = 1400;
	zc_rt.pools[0] = zc_unit_pool;
	ck_assert_int_eq(zc_actions_pools(&cfg, 0, &pools), 0);
	memset(&st, 0, sizeof(st));
	st.ops = zc_stage_find("route");
	ck_assert_ptr_nonnull(st.ops);
	memset(&p, 0, sizeof(p));
	p.cfg = &cfg;
	p.lcore_id = rte_lcore_id();
	p.socket_id = SOCKET_ID_ANY;
	ck_assert_msg(st.ops->init(&st, &p) == 0, "init: %s",
		      zc_config_strerror());
	zc_icmp_stats_reset();
	zc_act_stats_reset();
}

static void
teardown(void)
{
	if (st.ops != NULL && st.priv != NULL)
		st.ops->fini(&st);
	st.priv = NULL;
	zc_config_free(&cfg);
}

/* Every mbuf of the test and header pools is back. */
static void
pools_full(void)
{
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool),
			  zc_unit_pool->size);
	ck_assert_uint_eq(rte_mempool_avail_count(pools.hdr), pools.hdr->size);
	ck_assert_uint_eq(rte_mempool_avail_count(pools.clone),
			  pools.clone->size);
}

static uint16_t
run(struct rte_mbuf **pkts, uint16_t n)
{
	return st.ops->process(&st, pkts, n);
}

static struct rte_mbuf *
run1(struct rte_mbuf *m)
{
	struct rte_mbuf *p[1] = { m };

	return run(p, 1) == 1 ? p[0] : NULL;
}

/* ---- packets ------------------------------------------------------------- */

/*
 * Ethernet + IPv4 (proto, 8-byte L4 header of bytes 0xa0.., payload of
 * bytes i & 0xff) + pad bytes of 0xee after the datagram.
 */
static struct rte_mbuf *
mk4(const struct rte_ether_addr *dmac, const char *src, const char *dst,
    uint8_t ttl, uint16_t frag_off, uint8_t proto, uint16_t payload,
    uint16_t pad)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(zc_unit_pool);
	uint16_t len = 14 + 20 + 8 + payload;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	uint8_t *d;
	uint16_t i;

	ck_assert_ptr_nonnull(m);
	d = (uint8_t *)rte_pktmbuf_append(m, len + pad);
	ck_assert_ptr_nonnull(d);
	memset(d + len, 0xee, pad);
	eth = (struct rte_ether_hdr *)d;
	eth->dst_addr = *dmac;
	eth->src_addr = mac_h0;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(d + 14);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->type_of_service = 0x10;
	ip->total_length = rte_cpu_to_be_16(len - 14);
	ip->packet_id = RTE_BE16(0x4242);
	ip->fragment_offset = rte_cpu_to_be_16(frag_off);
	ip->time_to_live = ttl;
	ip->next_proto_id = proto;
	ck_assert_int_eq(inet_pton(AF_INET, src, &ip->src_addr), 1);
	ck_assert_int_eq(inet_pton(AF_INET, dst, &ip->dst_addr), 1);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	for (i = 0; i < 8; i++)
		d[34 + i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < payload; i++)
		d[42 + i] = (uint8_t)i;
	m->port = 0;
	zc_meta_reset(zc_meta(m));
	zc_meta(m)->l3_off = 14;
	zc_meta(m)->l3_type = ZC_L3_IPV4;
	zc_meta(m)->flags = ZC_META_F_PARSED;
	if (frag_off & RTE_IPV4_HDR_OFFSET_MASK)
		zc_meta(m)->flags |= ZC_META_F_FRAG | ZC_META_F_FRAG_NF;
	return m;
}

/* Ethernet + IPv6 + 8-byte L4 header (first byte: l4type) + payload. */
static struct rte_mbuf *
mk6(const char *src, const char *dst, uint8_t hop, uint8_t nh,
    uint8_t l4type, uint16_t payload)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(zc_unit_pool);
	uint16_t len = 14 + 40 + 8 + payload;
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip6;
	uint8_t *d;
	uint16_t i;

	ck_assert_ptr_nonnull(m);
	d = (uint8_t *)rte_pktmbuf_append(m, len);
	ck_assert_ptr_nonnull(d);
	eth = (struct rte_ether_hdr *)d;
	eth->dst_addr = mac_p0;
	eth->src_addr = mac_h0;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip6 = (struct rte_ipv6_hdr *)(d + 14);
	ip6->vtc_flow = RTE_BE32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(8 + payload);
	ip6->proto = nh;
	ip6->hop_limits = hop;
	ck_assert_int_eq(inet_pton(AF_INET6, src, ip6->src_addr), 1);
	ck_assert_int_eq(inet_pton(AF_INET6, dst, ip6->dst_addr), 1);
	for (i = 0; i < 8; i++)
		d[54 + i] = (uint8_t)(0xa0 + i);
	d[54] = l4type;
	for (i = 0; i < payload; i++)
		d[62 + i] = (uint8_t)i;
	m->port = 0;
	zc_meta_reset(zc_meta(m));
	zc_meta(m)->l3_off = 14;
	zc_meta(m)->l3_type = ZC_L3_IPV6;
	zc_meta(m)->flags = ZC_META_F_PARSED | ZC_META_F_L4;
	zc_meta(m)->l4_off = 54;
	zc_meta(m)->l4_proto = nh;
	return m;
}

/* The whole packet as bytes; its length. */
static uint32_t
bytes_of(const struct rte_mbuf *m, uint8_t *buf, uint32_t size)
{
	const void *p;

	ck_assert_uint_le(m->pkt_len, size);
	p = rte_pktmbuf_read(m, 0, m->pkt_len, buf);
	ck_assert_ptr_nonnull(p);
	if (p != buf)
		memcpy(buf, p, m->pkt_len);
	return m->pkt_len;
}

/* Ones' complement sum of len bytes. */
static uint16_t
sum16(const void *p, uint32_t len, uint32_t init)
{
	return __rte_raw_cksum_reduce(__rte_raw_cksum(p, len, init));
}

/*
 * Check an IPv4 error e (received on port 0 from h0) against the datagram
 * orig (olen bytes, padding excluded): Ethernet, IPv4, ICMP type, code and
 * MTU field, the quote and both checksums.
 */
static void
check_err4(struct rte_mbuf *e, const char *from, uint8_t type, uint8_t code,
	   uint16_t mtu, const uint8_t *orig, uint32_t olen)
{
	static uint8_t b[4096];
	uint32_t n = bytes_of(e, b, sizeof(b)), quote;
	const struct rte_ipv4_hdr *ip = (const void *)(b + 14);
	const uint8_t *ic = b + 34;
	uint32_t a;

	quote = RTE_MIN(olen, 576u - 28);
	ck_assert_uint_eq(n, 14 + 28 + quote);
	ck_assert(rte_is_same_ether_addr((const void *)b, &mac_h0));
	ck_assert(rte_is_same_ether_addr((const void *)(b + 6), &mac_p0));
	ck_assert_uint_eq(b[12], 0x08);
	ck_assert_uint_eq(ip->version_ihl, 0x45);
	ck_assert_uint_eq(ip->type_of_service, 0xc0 | 0x10);
	ck_assert_uint_eq(rte_be_to_cpu_16(ip->total_length), 28 + quote);
	ck_assert_uint_eq(ip->time_to_live, 64);
	ck_assert_uint_eq(ip->next_proto_id, IPPROTO_ICMP);
	ck_assert_uint_eq(ip->fragment_offset, 0);
	ck_assert_int_eq(inet_pton(AF_INET, from, &a), 1);
	ck_assert_uint_eq(ip->src_addr, a);
	ck_assert_uint_eq(ip->dst_addr, ((const struct rte_ipv4_hdr *)orig)->src_addr);
	ck_assert_uint_eq(sum16(ip, 20, 0), 0xffff);
	ck_assert_uint_eq(ic[0], type);
	ck_assert_uint_eq(ic[1], code);
	ck_assert_uint_eq(sum16(ic, 8 + quote, 0), 0xffff);
	ck_assert_uint_eq(ic[4], 0);
	ck_assert_uint_eq(ic[5], 0);
	ck_assert_uint_eq((ic[6] << 8) | ic[7], mtu);
	ck_assert_mem_eq(ic + 8, orig, quote);
	ck_assert_uint_eq(zc_meta(e)->out_port, 0);
	ck_assert(zc_meta(e)->flags & ZC_META_F_LOCAL);
	ck_assert_uint_eq(zc_meta(e)->l4_off, 34);
	ck_assert_uint_eq(zc_meta(e)->l4_proto, IPPROTO_ICMP);
}

/* Same for IPv6 (from 2001:db8:1::1; 4-byte field: the MTU or 0). */
static void
check_err6(struct rte_mbuf *e, uint8_t type, uint8_t code, uint32_t mtu,
	   const uint8_t *orig, uint32_t olen)
{
	static uint8_t b[4096];
	uint32_t n = bytes_of(e, b, sizeof(b)), quote, s;
	const struct rte_ipv6_hdr *ip6 = (const void *)(b + 14);
	const uint8_t *ic = b + 54;
	uint8_t me[16];
	struct {
		rte_be32_t len;
		uint8_t zero[3];
		uint8_t nh;
	} ph = { .nh = IPPROTO_ICMPV6 };

	quote = RTE_MIN(olen, 1280u - 48);
	ck_assert_uint_eq(n, 14 + 48 + quote);
	ck_assert(rte_is_same_ether_addr((const void *)b, &mac_h0));
	ck_assert(rte_is_same_ether_addr((const void *)(b + 6), &mac_p0));
	ck_assert_uint_eq(b[12], 0x86);
	ck_assert_uint_eq(rte_be_to_cpu_16(ip6->payload_len), 8 + quote);
	ck_assert_uint_eq(ip6->proto, IPPROTO_ICMPV6);
	ck_assert_uint_eq(ip6->hop_limits, 64);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8:1::1", me), 1);
	ck_assert_mem_eq(ip6->src_addr, me, 16);
	ck_assert_mem_eq(ip6->dst_addr, orig + 8, 16);
	ck_assert_uint_eq(ic[0], type);
	ck_assert_uint_eq(ic[1], code);
	ck_assert_uint_eq(rte_be_to_cpu_32(*(const rte_be32_t *)(ic + 4)), mtu);
	ph.len = rte_cpu_to_be_32(8 + quote);
	s = __rte_raw_cksum(ip6->src_addr, 32, 0);
	s = __rte_raw_cksum(&ph, sizeof(ph), s);
	ck_assert_uint_eq(sum16(ic, 8 + quote, s), 0xffff);
	ck_assert_mem_eq(ic + 8, orig, quote);
	ck_assert_uint_eq(zc_meta(e)->out_port, 0);
	ck_assert_uint_eq(zc_meta(e)->l4_proto, IPPROTO_ICMPV6);
}

/* The datagram of m (from l3_off, its own length) into buf. */
static uint32_t
datagram_of(struct rte_mbuf *m, uint8_t *buf, int v6)
{
	static uint8_t all[4096];
	uint32_t n = bytes_of(m, all, sizeof(all)), len;

	if (v6)
		len = 40 + ((all[18] << 8) | all[19]);
	else
		len = (all[16] << 8) | all[17];
	ck_assert_uint_le(14 + len, n);
	memcpy(buf, all + 14, len);
	return len;
}

static uint64_t
sent(int v6, enum zc_icmp_kind k)
{
	struct zc_icmp_lcore_stats s;

	zc_icmp_stats_sum(&s);
	return s.sent[v6][k];
}

static uint64_t
suppressed(int v6, enum zc_icmp_kind k)
{
	struct zc_icmp_lcore_stats s;

	zc_icmp_stats_sum(&s);
	return s.suppressed[v6][k];
}

/* ---- errors --------------------------------------------------------------- */

/* TTL 1: time exceeded from the ingress port's address, the padding
 * after the datagram not quoted; TTL 2 is forwarded.
 */
START_TEST(time_exceeded4)
{
	static uint8_t orig[4096];
	struct rte_mbuf *m, *e;
	uint32_t olen;

	router_up("");
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_UDP, 100, 10);
	olen = datagram_of(m, orig, 0);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err4(e, "10.0.0.1", 11, 0, 0, orig, olen);
	ck_assert_uint_eq(sent(0, ZC_ICMP_TIME_EXCEEDED), 1);
	ck_assert_ptr_eq(e->pool, zc_unit_pool); /* in its own headroom */
	rte_pktmbuf_free(e);
	e = run1(mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 2, 0, IPPROTO_UDP, 10,
		     0));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(zc_meta(e)->out_port, 1);
	rte_pktmbuf_free(e);
	ck_assert_uint_eq(zc_copy_bytes_total(), 0);
	pools_full();
}
END_TEST

/* A long packet is quoted up to 576 bytes of error (RFC 1812 4.3.2.3),
 * the rest of it cut off; from a chain too.
 */
START_TEST(quote_limit4)
{
	static uint8_t orig[4096];
	struct rte_mbuf *m, *e, *tail;
	uint32_t olen;

	router_up("");
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_UDP, 1400, 0);
	olen = datagram_of(m, orig, 0);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err4(e, "10.0.0.1", 11, 0, 0, orig, olen);
	ck_assert_uint_eq(e->pkt_len, 14 + 576);
	rte_pktmbuf_free(e);

	/* Chain: headers and 100 bytes, then 1300 more in a second one. */
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_UDP, 1400, 0);
	olen = datagram_of(m, orig, 0);
	tail = rte_pktmbuf_alloc(zc_unit_pool);
	memcpy(rte_pktmbuf_append(tail, 1300),
	       rte_pktmbuf_mtod_offset(m, void *, 142), 1300);
	rte_pktmbuf_trim(m, 1300);
	ck_assert_int_eq(rte_pktmbuf_chain(m, tail), 0);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err4(e, "10.0.0.1", 11, 0, 0, orig, olen);
	ck_assert_uint_eq(e->nb_segs, 2);
	rte_pktmbuf_free(e);
	pools_full();
}
END_TEST

START_TEST(time_exceeded6)
{
	static uint8_t orig[4096];
	struct rte_mbuf *m, *e;
	uint32_t olen;

	router_up("");
	m = mk6("2001:db8:1::2", "2001:db8:5::1", 1, IPPROTO_UDP, 0, 1300);
	olen = datagram_of(m, orig, 1);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err6(e, 3, 0, 0, orig, olen);
	ck_assert_uint_eq(e->pkt_len, 14 + 1280);
	ck_assert_uint_eq(sent(1, ZC_ICMP_TIME_EXCEEDED), 1);
	rte_pktmbuf_free(e);
	pools_full();
}
END_TEST

START_TEST(unreachable)
{
	static uint8_t orig[4096];
	struct rte_mbuf *m, *e;
	uint32_t olen;

	router_up("");
	m = mk4(&mac_p0, "10.0.0.2", "192.168.9.9", 64, 0, IPPROTO_TCP, 20, 0);
	olen = datagram_of(m, orig, 0);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err4(e, "10.0.0.1", 3, 0, 0, orig, olen);
	rte_pktmbuf_free(e);
	m = mk6("2001:db8:1::2", "2001:db8:99::1", 64, IPPROTO_UDP, 0, 20);
	olen = datagram_of(m, orig, 1);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err6(e, 1, 0, 0, orig, olen);
	rte_pktmbuf_free(e);
	ck_assert_uint_eq(sent(0, ZC_ICMP_UNREACHABLE), 1);
	ck_assert_uint_eq(sent(1, ZC_ICMP_UNREACHABLE), 1);
	pools_full();
}
END_TEST

/* DF set and too big for port 1 (MTU 1400): fragmentation needed with
 * the MTU (RFC 1191); IPv6: packet too big with the MTU.
 */
START_TEST(too_big)
{
	static uint8_t orig[4096];
	struct rte_mbuf *m, *e;
	uint32_t olen;

	router_up("");
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 64, RTE_IPV4_HDR_DF_FLAG,
		IPPROTO_UDP, 1400, 0);
	olen = datagram_of(m, orig, 0);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err4(e, "10.0.0.1", 3, 4, 1400, orig, olen);
	rte_pktmbuf_free(e);
	/* 1400 bytes of L3 fit. */
	e = run1(mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 64,
		     RTE_IPV4_HDR_DF_FLAG, IPPROTO_UDP, 1400 - 28, 0));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(zc_meta(e)->out_port, 1);
	rte_pktmbuf_free(e);
	m = mk6("2001:db8:1::2", "2001:db8:5::1", 64, IPPROTO_UDP, 0, 1400);
	olen = datagram_of(m, orig, 1);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err6(e, 2, 0, 1400, orig, olen);
	rte_pktmbuf_free(e);
	ck_assert_uint_eq(sent(0, ZC_ICMP_TOO_BIG), 1);
	ck_assert_uint_eq(sent(1, ZC_ICMP_TOO_BIG), 1);
	pools_full();
}
END_TEST

/* An ACL reject rule (classify sets ZC_PORT_REJECT): administratively
 * prohibited, IPv4 type 3 code 13 and ICMPv6 type 1 code 1.
 */
START_TEST(reject)
{
	static uint8_t orig[4096];
	struct rte_mbuf *m, *e;
	uint32_t olen;

	router_up("");
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 64, 0, IPPROTO_TCP, 20, 0);
	zc_meta(m)->out_port = ZC_PORT_REJECT;
	olen = datagram_of(m, orig, 0);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err4(e, "10.0.0.1", 3, 13, 0, orig, olen);
	rte_pktmbuf_free(e);
	m = mk6("2001:db8:1::2", "2001:db8:5::1", 64, IPPROTO_TCP, 0, 20);
	zc_meta(m)->out_port = ZC_PORT_REJECT;
	olen = datagram_of(m, orig, 1);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	check_err6(e, 1, 1, 0, orig, olen);
	rte_pktmbuf_free(e);
	pools_full();
}
END_TEST

/* RFC 1812 4.3.2.7, RFC 4443 2.4(e): none about an error, a non-first
 * fragment, a source that is not one host, a broadcast or multicast;
 * each dropped under its reason and counted as suppressed.
 */
START_TEST(forbidden)
{
	struct rte_mbuf *p[16], *e;
	uint16_t kept;
	unsigned int i;

	router_up("");
	i = 0;
	/* About an ICMP error (destination unreachable, type 3). */
	p[i] = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_ICMP, 8, 0);
	rte_pktmbuf_mtod_offset(p[i], uint8_t *, 34)[0] = 3;
	i++;
	/* Unknown ICMP type 42: treated as an error. */
	p[i] = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_ICMP, 8, 0);
	rte_pktmbuf_mtod_offset(p[i], uint8_t *, 34)[0] = 42;
	i++;
	/* A non-first fragment. */
	p[i++] = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 100, IPPROTO_UDP, 8,
		     0);
	/* Link-layer broadcast. */
	p[i++] = mk4(&bcast, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_UDP, 8, 0);
	/* Sources: unspecified, loopback, multicast, class E, a subnet's
	 * broadcast.
	 */
	p[i++] = mk4(&mac_p0, "0.0.0.0", "10.1.5.5", 1, 0, IPPROTO_UDP, 8, 0);
	p[i++] = mk4(&mac_p0, "127.0.0.1", "10.1.5.5", 1, 0, IPPROTO_UDP, 8,
		     0);
	p[i++] = mk4(&mac_p0, "224.0.0.5", "10.1.5.5", 1, 0, IPPROTO_UDP, 8,
		     0);
	p[i++] = mk4(&mac_p0, "240.0.0.1", "10.1.5.5", 1, 0, IPPROTO_UDP, 8,
		     0);
	p[i++] = mk4(&mac_p0, "10.0.0.255", "10.1.5.5", 1, 0, IPPROTO_UDP, 8,
		     0);
	/* To the broadcast address of port 1's subnet. */
	p[i++] = mk4(&mac_p0, "10.0.0.2", "10.0.1.255", 1, 0, IPPROTO_UDP, 8,
		     0);
	/* IPv6: about an ICMPv6 error, from multicast, from ::, a
	 * non-first fragment.
	 */
	p[i++] = mk6("2001:db8:1::2", "2001:db8:5::1", 1, IPPROTO_ICMPV6, 1,
		     8);
	p[i++] = mk6("ff02::1", "2001:db8:5::1", 1, IPPROTO_UDP, 0, 8);
	p[i++] = mk6("::", "2001:db8:5::1", 1, IPPROTO_UDP, 0, 8);
	p[i] = mk6("2001:db8:1::2", "2001:db8:5::1", 1, IPPROTO_UDP, 0, 8);
	zc_meta(p[i++])->flags |= ZC_META_F_FRAG | ZC_META_F_FRAG_NF;
	kept = run(p, i);
	ck_assert_uint_eq(kept, 0);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_TTL_EXPIRED], i);
	ck_assert_uint_eq(suppressed(0, ZC_ICMP_TIME_EXCEEDED), 10);
	ck_assert_uint_eq(suppressed(1, ZC_ICMP_TIME_EXCEEDED), 4);
	ck_assert_uint_eq(sent(0, ZC_ICMP_TIME_EXCEEDED), 0);

	/* Queries are not errors: echo requests get one. */
	p[0] = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_ICMP, 8, 0);
	rte_pktmbuf_mtod_offset(p[0], uint8_t *, 34)[0] = 8;
	e = run1(p[0]);
	ck_assert_ptr_nonnull(e);
	rte_pktmbuf_free(e);
	e = run1(mk6("2001:db8:1::2", "2001:db8:5::1", 1, IPPROTO_ICMPV6, 128,
		     8));
	ck_assert_ptr_nonnull(e);
	rte_pktmbuf_free(e);
	ck_assert_uint_eq(sent(0, ZC_ICMP_TIME_EXCEEDED), 1);
	ck_assert_uint_eq(sent(1, ZC_ICMP_TIME_EXCEEDED), 1);
	pools_full();
}
END_TEST

/* icmp_rate = 1: the bucket holds one message; the rest of a burst is
 * dropped and counted as rate limited. icmp_rate = 0: none at all.
 */
START_TEST(rate_limit)
{
	struct rte_mbuf *p[10];
	struct zc_icmp_lcore_stats s;
	unsigned int i;

	router_up("icmp_rate = 1\n");
	for (i = 0; i < 10; i++)
		p[i] = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_UDP,
			   8, 0);
	ck_assert_uint_eq(run(p, 10), 1);
	rte_pktmbuf_free(p[0]);
	zc_icmp_stats_sum(&s);
	ck_assert_uint_eq(s.sent[0][ZC_ICMP_TIME_EXCEEDED], 1);
	ck_assert_uint_eq(s.suppressed[0][ZC_ICMP_TIME_EXCEEDED], 9);
	ck_assert_uint_eq(s.rate_limited, 9);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_TTL_EXPIRED], 9);
	teardown();

	router_up("icmp_rate = 0\n");
	for (i = 0; i < 10; i++)
		p[i] = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_UDP,
			   8, 0);
	ck_assert_uint_eq(run(p, 10), 0);
	zc_icmp_stats_sum(&s);
	ck_assert_uint_eq(s.sent[0][ZC_ICMP_TIME_EXCEEDED], 0);
	ck_assert_uint_eq(s.suppressed[0][ZC_ICMP_TIME_EXCEEDED], 10);
	ck_assert_uint_eq(s.rate_limited, 0);
	pools_full();
}
END_TEST

/* No headroom to spare: the new headers go in a header segment in front
 * of the packet, which is not copied.
 */
START_TEST(header_segment)
{
	static uint8_t orig[4096];
	struct rte_mbuf *m, *e;
	uint32_t olen;
	uint8_t *d;

	router_up("");
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 1, 0, IPPROTO_UDP, 100, 0);
	olen = datagram_of(m, orig, 0);
	/* Move the frame to the start of the buffer: no headroom. */
	d = rte_pktmbuf_mtod(m, uint8_t *);
	memmove((uint8_t *)m->buf_addr, d, m->data_len);
	m->data_off = 0;
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_eq(e->pool, pools.hdr);
	ck_assert_ptr_eq(e->next, m);
	ck_assert_uint_eq(e->data_len, 14 + 28);
	check_err4(e, "10.0.0.1", 11, 0, 0, orig, olen);
	rte_pktmbuf_free(e);
	ck_assert_uint_eq(zc_copy_bytes_total(), 0);
	pools_full();
}
END_TEST

/* Bytes after the datagram are cut before forwarding: in the segment, or
 * a whole segment of padding freed.
 */
START_TEST(trim)
{
	struct zc_route_lcore_stats rs;
	struct rte_mbuf *m, *e, *tail;

	router_up("");
	zc_route_stats_sum(&rs);
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 64, 0, IPPROTO_UDP, 6, 20);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->pkt_len, 14 + 20 + 8 + 6);
	ck_assert_uint_eq(e->data_len, 14 + 20 + 8 + 6);
	rte_pktmbuf_free(e);
	m = mk6("2001:db8:1::2", "2001:db8:5::1", 64, IPPROTO_UDP, 0, 6);
	tail = rte_pktmbuf_alloc(zc_unit_pool);
	memset(rte_pktmbuf_append(tail, 30), 0xee, 30);
	ck_assert_int_eq(rte_pktmbuf_chain(m, tail), 0);
	e = run1(m);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->pkt_len, 14 + 40 + 8 + 6);
	ck_assert_uint_eq(e->nb_segs, 1);
	ck_assert_ptr_null(e->next);
	rte_pktmbuf_free(e);
	{
		struct zc_route_lcore_stats now;

		zc_route_stats_sum(&now);
		ck_assert_uint_eq(now.trimmed - rs.trimmed, 2);
	}
	pools_full();
}
END_TEST

/*
 * DF clear and too big: the route stage routes it and marks it; the
 * fragments tx makes of it are headers in header mbufs and the payload
 * referenced where it lies (indirect mbufs), no empty segment, offsets
 * and MF right, each fitting the MTU, all of the payload there.
 */
START_TEST(fragments)
{
	static uint8_t frame[4096], b[4096];
	struct rte_mbuf *m, *e, *seg[3], *fr[ZC_FRAG_MAX];
	const uint32_t cut[4] = { 0, 34, 34 + 1500, 14 + 3000 };
	struct rte_ipv4_hdr *ip;
	uint32_t covered = 0, k;
	int n, i;

	router_up("");
	/* A 3000-byte datagram in three segments: the Ethernet and IPv4
	 * headers alone in the first, then 1500 and 1466 bytes.
	 */
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 64, 0, IPPROTO_UDP, 100, 0);
	memcpy(frame, rte_pktmbuf_mtod(m, void *), 34);
	rte_pktmbuf_free(m);
	ip = (struct rte_ipv4_hdr *)(frame + 14);
	ip->total_length = RTE_BE16(3000);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	for (k = 34; k < cut[3]; k++)
		frame[k] = (uint8_t)(k * 7);
	for (i = 0; i < 3; i++) {
		seg[i] = rte_pktmbuf_alloc(zc_unit_pool);
		memcpy(rte_pktmbuf_append(seg[i], cut[i + 1] - cut[i]),
		       frame + cut[i], cut[i + 1] - cut[i]);
		if (i > 0)
			ck_assert_int_eq(rte_pktmbuf_chain(seg[0], seg[i]), 0);
	}
	m = seg[0];
	m->port = 0;
	zc_meta_reset(zc_meta(m));
	zc_meta(m)->l3_off = 14;
	zc_meta(m)->l3_type = ZC_L3_IPV4;
	zc_meta(m)->flags = ZC_META_F_PARSED;

	e = run1(m);
	ck_assert_ptr_eq(e, m);
	ck_assert_uint_eq(zc_meta(e)->out_port, 1);
	ck_assert(e->ol_flags & zc_frag_flag);
	ck_assert_uint_eq(e->pkt_len, cut[3]);

	n = zc_ipv4_fragment(e, 1400, fr, ZC_FRAG_MAX, pools.hdr, pools.clone);
	/* 2980 bytes of payload, 1376 (1380 rounded down to 8) a fragment. */
	ck_assert_int_eq(n, 3);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *f = fr[i], *s;
		uint32_t len = bytes_of(f, b, sizeof(b)), plen;
		const struct rte_ipv4_hdr *fip = (const void *)(b + 14);
		uint16_t fo = rte_be_to_cpu_16(fip->fragment_offset);

		ck_assert_ptr_eq(f->pool, pools.hdr);
		ck_assert_uint_eq(f->data_len, 14 + 20);
		for (s = f->next; s != NULL; s = s->next) {
			ck_assert(RTE_MBUF_CLONED(s));
			ck_assert_uint_gt(s->data_len, 0);
			ck_assert(rte_mbuf_from_indirect(s) == seg[1] ||
				  rte_mbuf_from_indirect(s) == seg[2]);
		}
		ck_assert_uint_le(len - 14, 1400);
		ck_assert(rte_is_same_ether_addr((const void *)b, &mac_gw));
		ck_assert(rte_is_same_ether_addr((const void *)(b + 6),
						 &mac_p1));
		ck_assert_uint_eq(fip->time_to_live, 63);
		ck_assert_uint_eq(sum16(fip, 20, 0), 0xffff);
		ck_assert_uint_eq(rte_be_to_cpu_16(fip->total_length), len - 14);
		ck_assert_uint_eq((fo & RTE_IPV4_HDR_OFFSET_MASK) * 8u, covered);
		ck_assert_uint_eq(!!(fo & RTE_IPV4_HDR_MF_FLAG), i < n - 1);
		plen = len - 34;
		ck_assert_mem_eq(b + 34, frame + 34 + covered, plen);
		covered += plen;
		ck_assert_uint_eq(zc_meta(f)->out_port, 1);
		ck_assert(!(f->ol_flags & zc_frag_flag));
	}
	ck_assert_uint_eq(covered, 3000 - 20);
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(fr[i]);
	ck_assert_uint_eq(zc_copy_bytes_total(), 0);
	pools_full();
}
END_TEST

/* What cannot be fragmented is refused with the packet left as it was. */
START_TEST(fragment_refused)
{
	struct rte_mbuf *m, *fr[2];

	router_up("");
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 64, RTE_IPV4_HDR_DF_FLAG,
		IPPROTO_UDP, 1500, 0);
	ck_assert_int_eq(zc_ipv4_fragment(m, 1400, fr, 2, pools.hdr,
					  pools.clone), -ENOTSUP);
	ck_assert_uint_eq(m->pkt_len, 14 + 1528);
	rte_pktmbuf_free(m);
	/* More fragments than room. */
	m = mk4(&mac_p0, "10.0.0.2", "10.1.5.5", 64, 0, IPPROTO_UDP, 1500, 0);
	ck_assert_int_eq(zc_ipv4_fragment(m, 576, fr, 2, pools.hdr,
					  pools.clone), -EINVAL);
	ck_assert_uint_eq(m->pkt_len, 14 + 1528);
	ck_assert_uint_eq(rte_pktmbuf_mtod(m, uint8_t *)[12], 0x08);
	rte_pktmbuf_free(m);
	pools_full();
}
END_TEST

/* [route] icmp_rate: 0 to 1,000,000, refused with file, line and key. */
START_TEST(rate_key)
{
	const char *path;

	path = zc_unit_write_file("k.ini",
				  "[general]\nmode = router\n"
				  "[port.0]\ndev = net_null0\nipv4 = 10.0.0.1/24\n"
				  "[route]\nicmp_rate = 1000001\n");
	ck_assert_int_ne(zc_config_load(path, &cfg), 0);
	ck_assert_msg(strstr(zc_config_strerror(),
			     "k.ini:7: [route] icmp_rate: expected an integer from 0 to 1000000, got '1000001'") != NULL,
		      "%s", zc_config_strerror());
	zc_config_free(&cfg);
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("icmp");
	TCase *t = tcase_create("errors");

	tcase_add_test(t, time_exceeded4);
	tcase_add_test(t, quote_limit4);
	tcase_add_test(t, time_exceeded6);
	tcase_add_test(t, unreachable);
	tcase_add_test(t, too_big);
	tcase_add_test(t, reject);
	tcase_add_test(t, forbidden);
	tcase_add_test(t, rate_limit);
	tcase_add_test(t, header_segment);
	tcase_add_test(t, trim);
	tcase_add_test(t, fragments);
	tcase_add_test(t, fragment_refused);
	tcase_add_test(t, rate_key);
	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return s;
}
