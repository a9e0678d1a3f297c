/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The route stage and its tables: routes and neighbours files (each bad
 * line's message), longest-prefix matches, forwarding rewrites checked
 * against full checksum recomputation, and the router's own replies (ARP,
 * ICMP echo, ICMPv6 echo, NS -> NA) byte by byte, neighbour learning and
 * probes.
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_random.h>
#include <rte_udp.h>

#include "unit.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "route/zc_route.h"

/* Port 0: 10.0.0.1/24, 2001:db8:1::1/64; port 1: 10.0.1.1/24, 2001:db8:2::1/64. */
static const struct rte_ether_addr mac_p0 = { { 0x02, 0, 0, 0, 0, 0xa0 } };
static const struct rte_ether_addr mac_p1 = { { 0x02, 0, 0, 0, 0, 0xa1 } };
static const struct rte_ether_addr mac_h0 = { { 0x02, 0, 0, 0, 0, 0x10 } };
static const struct rte_ether_addr mac_gw = { { 0x02, 0, 0, 0, 0, 0x22 } };
static const struct rte_ether_addr mac_h1 = { { 0x02, 0, 0, 0, 0, 0x11 } };

static struct zc_config cfg;
static struct zc_stage st;
/* More [route] keys for the next load_cfg() ("" for none). */
static const char *route_extra = "";
static char routes_path[256], neigh_path[256];

static const char *const good_routes =
	"# test routes\n"
	"\n"
	"10.1.0.0/16 via 10.0.1.2          # port inferred: 1\n"
	"10.1.2.0/24 via 10.0.0.2 port 0\n"
	"10.3.0.0/16 port 1\n"
	"2001:db8:5::/48 via fe80::2 port 1\n"
	"2001:db8:5:1::/64 via 2001:db8:1::2\n";

static const char *const good_neigh =
	"10.0.1.2 02:00:00:00:00:22\n"
	"fe80::2 02:00:00:00:00:22 port 1\n"
	"10.0.1.7 02:00:00:00:00:11\n"
	"2001:db8:2::7 02:00:00:00:00:11 port 1\n";

static uint32_t
ip4(const char *s)
{
	uint32_t a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void
ip6(const char *s, uint8_t out[16])
{
	ck_assert_int_eq(inet_pton(AF_INET6, s, out), 1);
}

/* Load a router configuration; routes/neighbours text NULL for none. */
static int
load_cfg(const char *routes, const char *neigh, int learn)
{
	char ini[2048];
	unsigned int i;

	routes_path[0] = neigh_path[0] = '\0';
	if (routes != NULL)
		snprintf(routes_path, sizeof(routes_path), "%s",
			 zc_unit_write_file("routes.txt", routes));
	if (neigh != NULL)
		snprintf(neigh_path, sizeof(neigh_path), "%s",
			 zc_unit_write_file("neigh.txt", neigh));
	snprintf(ini, sizeof(ini),
		 "[general]\nmode = router\n"
		 "[port.0]\ndev = net_null0\nipv4 = 10.0.0.1/24\nipv6 = 2001:db8:1::1/64\n"
		 "[port.1]\ndev = net_null1\nipv4 = 10.0.1.1/24\nipv6 = 2001:db8:2::1/64\n"
		 "[route]\nlearn = %s\n%s%s%s%s%s%s%s"
		 "[pipeline.0]\nrx = 0:0, 1:0\nstages = rx parse route tx\n",
		 learn ? "on" : "off", route_extra,
		 routes ? "routes = " : "", routes ? routes_path : "",
		 routes ? "\n" : "",
		 neigh ? "neighbours = " : "", neigh ? neigh_path : "",
		 neigh ? "\n" : "");
	ck_assert_msg(zc_config_load(zc_unit_write_file("r.ini", ini),
				     &cfg) == 0, "%s", zc_config_strerror());
	for (i = 0; i < cfg.nb_ports; i++)
		cfg.port[i].port_id = i;

	zc_ports[0].mac = mac_p0;
	zc_ports[1].mac = mac_p1;
	zc_ports[0].mtu = 1500;
	zc_ports[1].mtu = 1500;
	return 0;
}

/* Expect building the table to fail with exactly this message. */
static void
expect_error(const char *routes, const char *neigh, const char *file_line,
	     const char *msg)
{
	struct zc_route_table *rt;
	char want[1024];

	load_cfg(routes, neigh, 1);
	rt = zc_route_table_create(&cfg, SOCKET_ID_ANY);
	ck_assert_msg(rt == NULL, "accepted: %s", routes ? routes : neigh);
	snprintf(want, sizeof(want), "%s%s: %s",
		 routes != NULL && neigh == NULL ? routes_path : neigh_path,
		 file_line, msg);
	ck_assert_str_eq(zc_config_strerror(), want);
	zc_config_free(&cfg);
}

static void
router_up(const char *routes, const char *neigh, int learn)
{
	struct zc_stage_params p;
	int ret;

	load_cfg(routes, neigh, learn);
	/* The header pool (ICMP errors) is sized from the packet pool. */
	zc_rt.pools[0] = zc_unit_pool;
	memset(&st, 0, sizeof(st));
	st.ops = zc_stage_find("route");
	ck_assert_ptr_nonnull(st.ops);
	memset(&p, 0, sizeof(p));
	p.cfg = &cfg;
	p.lcore_id = rte_lcore_id();
	p.socket_id = SOCKET_ID_ANY;
	ret = st.ops->init(&st, &p);
	ck_assert_msg(ret == 0, "init: %s", zc_config_strerror());
}

static void
router_down(void)
{
	st.ops->fini(&st);
	zc_config_free(&cfg);
}

/* After every test, even a failed one: no table left for the next. */
static void
teardown(void)
{
	if (st.ops != NULL && st.priv != NULL)
		st.ops->fini(&st);
	st.priv = NULL;
	route_extra = "";
	zc_config_free(&cfg);
	ck_assert_uint_eq(zc_route_count(), 0);
}

/* ---- packet builders ------------------------------------------------ */

static uint8_t *
pkt_start(struct rte_mbuf **mp, uint16_t port, const struct rte_ether_addr *dst,
	  const struct rte_ether_addr *src, uint16_t type, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(zc_unit_pool);
	struct rte_ether_hdr *eth;
	uint8_t *d;

	ck_assert_ptr_nonnull(m);
	d = (uint8_t *)rte_pktmbuf_append(m, len);
	ck_assert_ptr_nonnull(d);
	memset(d, 0, len);
	eth = (struct rte_ether_hdr *)d;
	eth->dst_addr = *dst;
	eth->src_addr = *src;
	eth->ether_type = rte_cpu_to_be_16(type);
	m->port = port;
	zc_meta_reset(zc_meta(m));
	zc_meta(m)->l3_off = sizeof(*eth);
	zc_meta(m)->l3_type = type == RTE_ETHER_TYPE_IPV4 ? ZC_L3_IPV4 :
			      type == RTE_ETHER_TYPE_IPV6 ? ZC_L3_IPV6 :
			      type == RTE_ETHER_TYPE_ARP ? ZC_L3_ARP :
			      ZC_L3_OTHER;
	*mp = m;
	return d;
}

/* Ethernet + IPv4 + UDP (8 bytes) + payload. */
static struct rte_mbuf *
mk_udp4(uint16_t port, const struct rte_ether_addr *dmac, const char *src,
	const char *dst, uint8_t ttl, uint16_t payload)
{
	struct rte_mbuf *m;
	uint16_t len = 14 + 20 + 8 + payload;
	uint8_t *d = pkt_start(&m, port, dmac, &mac_h0, RTE_ETHER_TYPE_IPV4,
			       len);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + 14);
	uint16_t i;

	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(len - 14);
	ip->packet_id = rte_cpu_to_be_16((uint16_t)rte_rand());
	ip->time_to_live = ttl;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = ip4(src);
	ip->dst_addr = ip4(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	for (i = 0; i < payload; i++)
		d[42 + i] = (uint8_t)i;
	return m;
}

static struct rte_mbuf *
mk_udp6(uint16_t port, const struct rte_ether_addr *dmac, const char *src,
	const char *dst, uint8_t hop)
{
	struct rte_mbuf *m;
	uint8_t *d = pkt_start(&m, port, dmac, &mac_h0, RTE_ETHER_TYPE_IPV6,
			       14 + 40 + 8);
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(d + 14);

	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = RTE_BE16(8);
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = hop;
	ip6(src, ip->src_addr);
	ip6(dst, ip->dst_addr);
	return m;
}

static struct rte_mbuf *
mk_arp(uint16_t port, uint16_t op, const struct rte_ether_addr *sha,
       const char *sip, const char *tip)
{
	static const struct rte_ether_addr bcast = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	struct rte_mbuf *m;
	uint8_t *d = pkt_start(&m, port, op == RTE_ARP_OP_REQUEST ? &bcast :
			       &mac_p0, sha, RTE_ETHER_TYPE_ARP, 60);
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(d + 14);

	a->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = 6;
	a->arp_plen = 4;
	a->arp_opcode = rte_cpu_to_be_16(op);
	a->arp_data.arp_sha = *sha;
	a->arp_data.arp_sip = ip4(sip);
	if (op == RTE_ARP_OP_REPLY)
		a->arp_data.arp_tha = mac_p0;
	a->arp_data.arp_tip = ip4(tip);
	return m;
}

/* ICMPv4 echo request/reply with 16 bytes of data. */
static struct rte_mbuf *
mk_echo4(uint16_t port, const struct rte_ether_addr *dmac,
	 const struct rte_ether_addr *smac, const char *src, const char *dst,
	 uint8_t type, uint8_t ttl)
{
	struct rte_mbuf *m;
	uint8_t *d = pkt_start(&m, port, dmac, smac, RTE_ETHER_TYPE_IPV4,
			       14 + 20 + 8 + 16);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + 14);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);
	int i;

	ip->version_ihl = 0x45;
	ip->total_length = RTE_BE16(20 + 8 + 16);
	ip->packet_id = RTE_BE16(0x1234);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = ttl;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = ip4(src);
	ip->dst_addr = ip4(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ic->icmp_type = type;
	ic->icmp_ident = RTE_BE16(0x55);
	ic->icmp_seq_nb = RTE_BE16(7);
	for (i = 0; i < 16; i++)
		((uint8_t *)(ic + 1))[i] = (uint8_t)(0xc0 + i);
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, 8 + 16);
	return m;
}

static uint16_t
icmp6_cksum(const struct rte_ipv6_hdr *ip, const void *l4, uint16_t len)
{
	uint32_t sum = __rte_raw_cksum(ip->src_addr, 32, 0);
	uint32_t plen = rte_cpu_to_be_32(len);
	uint32_t nh = rte_cpu_to_be_32(IPPROTO_ICMPV6);

	sum = __rte_raw_cksum(&plen, 4, sum);
	sum = __rte_raw_cksum(&nh, 4, sum);
	sum = __rte_raw_cksum(l4, len, sum);
	return (uint16_t)~__rte_raw_cksum_reduce(sum);
}

/* ICMPv6 message (type, code, 4-byte field, body) to dst. */
static struct rte_mbuf *
mk_icmp6(uint16_t port, const struct rte_ether_addr *dmac,
	 const struct rte_ether_addr *smac, const char *src, const char *dst,
	 uint8_t hop, const uint8_t *msg, uint16_t len)
{
	struct rte_mbuf *m;
	uint8_t *d = pkt_start(&m, port, dmac, smac, RTE_ETHER_TYPE_IPV6,
			       14 + 40 + len);
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(d + 14);
	uint8_t *ic = d + 54;

	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(len);
	ip->proto = IPPROTO_ICMPV6;
	ip->hop_limits = hop;
	ip6(src, ip->src_addr);
	ip6(dst, ip->dst_addr);
	memcpy(ic, msg, len);
	ic[2] = ic[3] = 0;
	{
		uint16_t c = icmp6_cksum(ip, ic, len);

		memcpy(ic + 2, &c, 2);
	}
	return m;
}

/* NS (135) or NA (136) for target with a link-layer option. */
static struct rte_mbuf *
mk_nd(uint16_t port, uint8_t type, const struct rte_ether_addr *dmac,
      const struct rte_ether_addr *smac, const char *src, const char *dst,
      const char *target, uint8_t flags, int with_opt)
{
	uint8_t msg[32] = { 0 };

	msg[0] = type;
	msg[4] = flags;
	ip6(target, msg + 8);
	if (with_opt) {
		msg[24] = type == 135 ? 1 : 2;
		msg[25] = 1;
		memcpy(msg + 26, smac, 6);
	}
	return mk_icmp6(port, dmac, smac, src, dst, 255, msg,
			with_opt ? 32 : 24);
}

static uint16_t
run(struct rte_mbuf **pkts, uint16_t n)
{
	return st.ops->process(&st, pkts, n);
}

/* Run one packet; return it if kept, else NULL. */
static struct rte_mbuf *
run1(struct rte_mbuf *m)
{
	struct rte_mbuf *p[1] = { m };
	uint16_t k = run(p, 1);
	int r;

	if (k == 0 && getenv("DBG"))
		for (r = 0; r < ZC_DROP_MAX; r++)
			if (st.stats.drops[r])
				fprintf(stderr, "  drop %s %" PRIu64 "\n",
					zc_drop_name(r), st.stats.drops[r]);
	return k == 1 ? p[0] : NULL;
}

/* ---- files ----------------------------------------------------------- */

/* A route's text, as /zcpipe/routes and errors show it. */
static const char *
rtext(const struct zc_route *r)
{
	static char buf[ZC_ROUTE_TEXT_LEN];

	zc_route_format(r, buf, sizeof(buf));
	return buf;
}

START_TEST(routes_file_good)
{
	struct zc_route_table *rt;
	unsigned int i, nb_local = 0, nb_conn = 0;

	load_cfg(good_routes, good_neigh, 1);
	rt = zc_route_table_create(&cfg, SOCKET_ID_ANY);
	ck_assert_msg(rt != NULL, "%s", zc_config_strerror());
	/* 2 ports x 2 families x (connected + local) + 5 from the file. */
	ck_assert_uint_eq(rt->nb_routes, 8 + 5);
	for (i = 0; i < rt->nb_routes; i++) {
		nb_local += rt->routes[i].kind == ZC_ROUTE_LOCAL;
		nb_conn += rt->routes[i].kind == ZC_ROUTE_CONNECTED;
	}
	ck_assert_uint_eq(nb_local, 4);
	ck_assert_uint_eq(nb_conn, 4);
	ck_assert_str_eq(rtext(&rt->routes[8]), "10.1.0.0/16 via 10.0.1.2 port 1");
	ck_assert_uint_eq(rt->routes[8].line, 3);
	ck_assert_uint_eq(rt->routes[8].port, 1);
	ck_assert_str_eq(rtext(&rt->routes[9]), "10.1.2.0/24 via 10.0.0.2 port 0");
	ck_assert_str_eq(rtext(&rt->routes[10]), "10.3.0.0/16 port 1");
	ck_assert_uint_eq(rt->routes[10].kind, ZC_ROUTE_ONLINK);
	ck_assert_str_eq(rtext(&rt->routes[11]),
			 "2001:db8:5::/48 via fe80::2 port 1");
	ck_assert_str_eq(rtext(&rt->routes[12]),
			 "2001:db8:5:1::/64 via 2001:db8:1::2 port 0");
	ck_assert_uint_eq(rt->nb_neigh, 4);
	ck_assert_uint_eq(rt->neigh[0].cfg_port, 1); /* inferred */
	ck_assert_uint_eq(rt->neigh[1].cfg_port, 1);
	zc_route_table_free(rt);
	zc_config_free(&cfg);
}
END_TEST

START_TEST(routes_file_errors)
{
	static const struct {
		const char *line;
		const char *msg;
	} bad[] = {
		{ "10.1.0.0/33 via 10.0.0.2",
		  "'10.1.0.0/33' is not an IPv4 or IPv6 prefix (expected e.g. 10.1.0.0/16 or 2001:db8::/32)" },
		{ "2001:db8::zz/32 port 0",
		  "'2001:db8::zz/32' is not an IPv4 or IPv6 prefix (expected e.g. 10.1.0.0/16 or 2001:db8::/32)" },
		{ "10.1.0.1/16 via 10.0.0.2",
		  "'10.1.0.1/16' has bits set beyond its /16 prefix length (did you mean 10.1.0.0/16?)" },
		{ "10.1.0.0/16",
		  "'10.1.0.0/16' needs 'via NEXTHOP', 'port N' or both" },
		{ "10.1.0.0/16 via", "'via' needs a next-hop address" },
		{ "10.1.0.0/16 via 10.0.0.x",
		  "next hop '10.0.0.x' is not an IP address" },
		{ "10.1.0.0/16 via fe80::1 port 0",
		  "next hop 'fe80::1' is IPv6 but the prefix '10.1.0.0/16' is IPv4" },
		{ "10.1.0.0/16 via 10.0.0.2 port 7",
		  "port '7' is not configured (ports 0 to 1 exist)" },
		{ "10.1.0.0/16 via 10.0.0.2 port one",
		  "port 'one' is not configured (ports 0 to 1 exist)" },
		{ "10.1.0.0/16 port", "'port' needs a port number" },
		{ "10.1.0.0/16 via 10.0.0.2 via 10.0.0.2",
		  "next hop 10.0.0.2 port 0 given twice" },
		{ "10.1.0.0/16 port 0 via 10.0.0.2 via 10.0.0.3",
		  "with several next hops, each 'port N' follows its 'via ADDRESS'" },
		{ "10.1.0.0/16 via 10.0.0.2 port 0 port 0 via 10.0.0.3",
		  "'port' given twice" },
		{ "10.1.0.0/16 via 10.0.0.2 via 10.0.0.3 via 10.0.0.4 via 10.0.0.5 via 10.0.0.6 via 10.0.0.7 via 10.0.0.8 via 10.0.0.9 via 10.0.0.10",
		  "more than 8 next hops" },
		{ "10.1.0.0/16 via 10.0.0.2 port 0 port 1",
		  "'port' given twice" },
		{ "10.1.0.0/16 gw 10.0.0.2",
		  "unexpected 'gw' (expected 'via ADDRESS' or 'port N')" },
		{ "10.1.0.0/16 via 192.168.9.9",
		  "next hop 192.168.9.9 is in no port's subnet; add 'port N'" },
		{ "2001:db8:9::/48 via fe80::9",
		  "next hop fe80::9 is in no port's subnet; add 'port N'" },
		{ "10.1.0.0/16 via 10.0.0.1",
		  "next hop 10.0.0.1 is this router's own address" },
		{ "10.0.0.0/24 port 0",
		  "'10.0.0.0/24 port 0' is already the connected route of port 0" },
		{ "10.0.1.1/32 port 1",
		  "'10.0.1.1/32 port 1' is already the local route of port 1" },
		{ "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35",
		  "too many words (expected PREFIX [via NEXTHOP] [port N])" },
	};
	char text[256];
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		snprintf(text, sizeof(text), "# line 1\n%s\n", bad[i].line);
		expect_error(text, NULL, ":2", bad[i].msg);
	}
	/* A duplicate is reported at its second line, naming the first. */
	expect_error("10.1.0.0/16 via 10.0.0.2\n\n10.1.0.0/16 via 10.0.1.2\n",
		     NULL, ":3",
		     "'10.1.0.0/16 via 10.0.1.2 port 1' duplicates the route at line 1");
	/* A file that is not there. */
	load_cfg("", NULL, 1);
	snprintf(zc_route_conf.routes, sizeof(zc_route_conf.routes),
		 "/nonexistent/routes");
	ck_assert_ptr_null(zc_route_table_create(&cfg, SOCKET_ID_ANY));
	ck_assert_str_eq(zc_config_strerror(),
			 "/nonexistent/routes: cannot open: No such file or directory");
	zc_config_free(&cfg);
}
END_TEST

/*
 * [route] max_routes/max_routes6 bound each family (the port's connected
 * and local routes count), and the error names the key to raise.
 */
START_TEST(routes_over_max)
{
	struct zc_route_table *rt;
	char want[1024];

	/* 4 derived (2 ports x connected + local) + 3 from the file. */
	load_cfg("10.1.0.0/16 via 10.0.0.2\n10.2.0.0/16 via 10.0.0.2\n"
		 "10.3.0.0/16 via 10.0.0.2\n", NULL, 1);
	zc_route_conf.max_routes = 7;
	rt = zc_route_table_create(&cfg, SOCKET_ID_ANY);
	ck_assert_msg(rt != NULL, "%s", zc_config_strerror());
	zc_route_table_free(rt);
	zc_route_conf.max_routes = 6;
	ck_assert_ptr_null(zc_route_table_create(&cfg, SOCKET_ID_ANY));
	snprintf(want, sizeof(want),
		 "%s:3: more than 6 IPv4 routes (raise [route] max_routes)",
		 routes_path);
	ck_assert_str_eq(zc_config_strerror(), want);
	zc_config_free(&cfg);

	load_cfg("2001:db8:5::/48 via fe80::2 port 1\n", NULL, 1);
	zc_route_conf.max_routes6 = 4;
	ck_assert_ptr_null(zc_route_table_create(&cfg, SOCKET_ID_ANY));
	snprintf(want, sizeof(want),
		 "%s:1: more than 4 IPv6 routes (raise [route] max_routes6)",
		 routes_path);
	ck_assert_str_eq(zc_config_strerror(), want);
	zc_config_free(&cfg);
}
END_TEST

/*
 * Past 32,767 routes the FIBs hold 4-byte next hops: every route is still
 * found, the last ones included, and a miss is still a miss.
 */
START_TEST(large_table)
{
	const unsigned int n = 40000;
	struct zc_route_table *rt;
	char *text, *p;
	unsigned int i;
	int idx;

	text = malloc(n * 32);
	ck_assert_ptr_nonnull(text);
	for (i = 0, p = text; i < n; i++)
		p += sprintf(p, "%u.%u.%u.0/24 via 10.0.%u.2\n",
			     32 + (i >> 16), (i >> 8) & 0xff, i & 0xff, i & 1);
	load_cfg(text, NULL, 1);
	free(text);
	rt = zc_route_table_create(&cfg, SOCKET_ID_ANY);
	ck_assert_msg(rt != NULL, "%s", zc_config_strerror());
	ck_assert_uint_eq(rt->nb_routes, n + 8);
	ck_assert_uint_eq(rt->fibs->none4, ZC_ROUTE_NONE);
	for (i = 0; i < n; i += 997) {
		char want[64];

		idx = zc_route_lookup4(rt, rte_cpu_to_be_32(
			(32u + (i >> 16)) << 24 | (i & 0xffff) << 8 | 7));
		ck_assert_int_ge(idx, 0);
		snprintf(want, sizeof(want), "%u.%u.%u.0/24 via 10.0.%u.2 port %u",
			 32 + (i >> 16), (i >> 8) & 0xff, i & 0xff, i & 1,
			 i & 1);
		ck_assert_str_eq(rtext(&rt->routes[idx]), want);
		ck_assert_uint_eq(rt->routes[idx].port, i & 1);
	}
	idx = zc_route_lookup4(rt, rte_cpu_to_be_32(31u << 24 | 1));
	ck_assert_int_eq(idx, -1);
	zc_route_table_free(rt);
	zc_config_free(&cfg);
}
END_TEST

START_TEST(neighbours_file_errors)
{
	static const struct {
		const char *line;
		const char *msg;
	} bad[] = {
		{ "10.0.0.x 02:00:00:00:00:02",
		  "'10.0.0.x' is not an IPv4 or IPv6 address" },
		{ "10.0.0.2",
		  "'10.0.0.2' needs a MAC address (ADDRESS MAC [port N])" },
		{ "10.0.0.2 02:00:00:00:00:zz",
		  "'02:00:00:00:00:zz' is not a MAC address like 02:00:00:00:00:01" },
		{ "10.0.0.2 01:00:5e:00:00:01",
		  "01:00:5e:00:00:01 is not a unicast MAC address" },
		{ "10.0.0.2 00:00:00:00:00:00",
		  "00:00:00:00:00:00 is not a unicast MAC address" },
		{ "10.0.0.2 02:00:00:00:00:02 dev 1",
		  "unexpected 'dev' (expected 'port N')" },
		{ "10.0.0.2 02:00:00:00:00:02 port",
		  "'port' needs a port number" },
		{ "10.0.0.2 02:00:00:00:00:02 port 9",
		  "port '9' is not configured (ports 0 to 1 exist)" },
		{ "10.0.0.2 02:00:00:00:00:02 port 0 extra",
		  "unexpected 'extra' after the port" },
		{ "192.168.1.1 02:00:00:00:00:02",
		  "192.168.1.1 is in no port's subnet; add 'port N'" },
		{ "fe80::5 02:00:00:00:00:02",
		  "fe80::5 is in no port's subnet; add 'port N'" },
		{ "10.0.0.1 02:00:00:00:00:02",
		  "10.0.0.1 is this router's own address" },
	};
	char text[256];
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		snprintf(text, sizeof(text), "\n%s\n", bad[i].line);
		expect_error(NULL, text, ":2", bad[i].msg);
	}
	expect_error(NULL, "10.0.0.2 02:00:00:00:00:02\n10.0.0.2 02:00:00:00:00:03 port 0\n",
		     ":2", "10.0.0.2 on port 0 is already given at line 1");
}
END_TEST

START_TEST(ports_in_one_subnet)
{
	const char *ini =
		"[general]\nmode = router\n"
		"[port.0]\ndev = net_null0\nipv4 = 10.0.0.1/24\n"
		"[port.1]\ndev = net_null1\nipv6 = 2001:db8::1/64\n"
		"[port.2]\ndev = net_null2\nipv4 = 10.0.0.2/24\n"
		"[pipeline.0]\nrx = 0:0\nstages = rx parse route tx\n";
	char want[512];
	const char *path = zc_unit_write_file("same.ini", ini);

	snprintf(want, sizeof(want),
		 "%s:11: [port.2] ipv4: same subnet or address as [port.0]",
		 path);
	ck_assert_msg(zc_config_load(path, &cfg) == 0, "%s",
		      zc_config_strerror());
	cfg.port[1].port_id = 1;
	cfg.port[2].port_id = 2;
	ck_assert_ptr_null(zc_route_table_create(&cfg, SOCKET_ID_ANY));
	ck_assert_str_eq(zc_config_strerror(), want);
	zc_config_free(&cfg);
}
END_TEST

START_TEST(lpm_longest_prefix)
{
	struct zc_route_table *rt;
	uint8_t a[16];

	load_cfg(good_routes, NULL, 1);
	rt = zc_route_table_create(&cfg, SOCKET_ID_ANY);
	ck_assert_msg(rt != NULL, "%s", zc_config_strerror());
#define TEXT4(s) rtext(&rt->routes[zc_route_lookup4(rt, ip4(s))])
	ck_assert_str_eq(TEXT4("10.1.9.9"), "10.1.0.0/16 via 10.0.1.2 port 1");
	/* The /24 inside the /16 wins. */
	ck_assert_str_eq(TEXT4("10.1.2.3"), "10.1.2.0/24 via 10.0.0.2 port 0");
	ck_assert_str_eq(TEXT4("10.1.3.0"), "10.1.0.0/16 via 10.0.1.2 port 1");
	ck_assert_str_eq(TEXT4("10.0.0.1"), "10.0.0.1/32 local port 0");
	ck_assert_str_eq(TEXT4("10.0.0.77"), "10.0.0.0/24 connected port 0");
	ck_assert_str_eq(TEXT4("10.3.255.255"), "10.3.0.0/16 port 1");
	ck_assert_int_eq(zc_route_lookup4(rt, ip4("10.2.0.1")), -1);
	ck_assert_int_eq(zc_route_lookup4(rt, ip4("8.8.8.8")), -1);
#define TEXT6(s) (ip6(s, a), rtext(&rt->routes[zc_route_lookup6(rt, a)]))
	ck_assert_str_eq(TEXT6("2001:db8:5:1::9"),
			 "2001:db8:5:1::/64 via 2001:db8:1::2 port 0");
	ck_assert_str_eq(TEXT6("2001:db8:5:2::9"),
			 "2001:db8:5::/48 via fe80::2 port 1");
	ck_assert_str_eq(TEXT6("2001:db8:2::1"), "2001:db8:2::1/128 local port 1");
	ck_assert_str_eq(TEXT6("2001:db8:2::99"),
			 "2001:db8:2::/64 connected port 1");
	ip6("2001:db8:6::1", a);
	ck_assert_int_eq(zc_route_lookup6(rt, a), -1);
	zc_route_table_free(rt);
	zc_config_free(&cfg);

	/* Default routes catch everything else. */
	load_cfg("0.0.0.0/0 via 10.0.1.254\n::/0 via 2001:db8:2::fe\n"
		 "10.9.0.0/16 via 10.0.0.9\n", NULL, 1);
	rt = zc_route_table_create(&cfg, SOCKET_ID_ANY);
	ck_assert_msg(rt != NULL, "%s", zc_config_strerror());
	ck_assert_str_eq(TEXT4("8.8.8.8"), "0.0.0.0/0 via 10.0.1.254 port 1");
	ck_assert_str_eq(TEXT4("10.9.1.1"), "10.9.0.0/16 via 10.0.0.9 port 0");
	ck_assert_str_eq(TEXT6("2a00::1"), "::/0 via 2001:db8:2::fe port 1");
#undef TEXT4
#undef TEXT6
	zc_route_table_free(rt);
	zc_config_free(&cfg);
}
END_TEST

/* ---- forwarding ------------------------------------------------------ */

START_TEST(forward_ipv4_rewrites)
{
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip, copy;
	struct rte_ether_hdr *eth;
	char text[ZC_ROUTE_TEXT_LEN];
	uint64_t hits;
	unsigned int n;

	router_up(good_routes, good_neigh, 0);
	m = run1(mk_udp4(0, &mac_p0, "10.0.0.2", "10.1.9.9", 64, 18));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 1);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert(rte_is_same_ether_addr(&eth->dst_addr, &mac_gw));
	ck_assert(rte_is_same_ether_addr(&eth->src_addr, &mac_p1));
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ck_assert_uint_eq(ip->time_to_live, 63);
	copy = *ip;
	copy.hdr_checksum = 0;
	ck_assert_uint_eq(ip->hdr_checksum, rte_ipv4_cksum(&copy));
	rte_pktmbuf_free(m);

	/* Connected route: the destination's own MAC. */
	m = run1(mk_udp4(0, &mac_p0, "10.0.0.2", "10.0.1.7", 9, 0));
	ck_assert_ptr_nonnull(m);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert(rte_is_same_ether_addr(&eth->dst_addr, &mac_h1));
	ck_assert_uint_eq(((struct rte_ipv4_hdr *)(eth + 1))->time_to_live, 8);
	rte_pktmbuf_free(m);

	/* The per-route hit counter of "10.1.0.0/16 via ..." counted one. */
	ck_assert_uint_eq(zc_route_count(), 13);
	ck_assert_int_eq(zc_route_info(8, text, sizeof(text), &hits), 0);
	ck_assert_str_eq(text, "10.1.0.0/16 via 10.0.1.2 port 1");
	ck_assert_uint_eq(hits, 1);
	ck_assert_int_eq(zc_route_info(13, text, sizeof(text), &hits), -1);
	for (n = 0, hits = 0; n < zc_route_count(); n++) {
		uint64_t h;

		zc_route_info(n, text, sizeof(text), &h);
		hits += h;
	}
	ck_assert_uint_eq(hits, 2);
	router_down();
	ck_assert_uint_eq(zc_route_count(), 0);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* Incremental checksum == full recompute over many random headers. */
START_TEST(forward_checksum_matches_full_recompute)
{
	unsigned int i;

	router_up(good_routes, good_neigh, 0);
	for (i = 0; i < 4000; i++) {
		struct rte_mbuf *m = mk_udp4(0, &mac_p0, "10.0.0.2",
					     "10.1.9.9", 2 + i % 254, 0);
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
				struct rte_ipv4_hdr *, 14);
		struct rte_ipv4_hdr copy;

		/* Random addresses, id, tos and flags: every checksum. */
		ip->src_addr = (uint32_t)rte_rand();
		/* 10.1.0.0/16 via 10.0.1.2, avoiding 10.1.2.0/24. */
		ip->dst_addr = rte_cpu_to_be_32(0x0a010900 |
						(rte_rand() & 0xff));
		ip->packet_id = (uint16_t)rte_rand();
		ip->type_of_service = (uint8_t)rte_rand();
		ip->fragment_offset = (uint16_t)rte_rand() &
				      RTE_BE16(0x5fff);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		m = run1(m);
		ck_assert_ptr_nonnull(m);
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		ck_assert_uint_eq(ip->time_to_live, 1 + i % 254);
		copy = *ip;
		copy.hdr_checksum = 0;
		ck_assert_msg(ip->hdr_checksum == rte_ipv4_cksum(&copy),
			      "packet %u: %04x != %04x", i, ip->hdr_checksum,
			      rte_ipv4_cksum(&copy));
		rte_pktmbuf_free(m);
	}
	router_down();
}
END_TEST

/* A header split over two segments is rewritten in both. */
START_TEST(forward_chained_header)
{
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct rte_mbuf *m, *tail;
	struct rte_ipv4_hdr whole, copy;
	uint8_t flat[128];
	const uint8_t *p;

	router_up(good_routes, good_neigh, 0);
	m = mk_udp4(0, &mac_p0, "10.0.0.2", "10.1.9.9", 33, 20);
	/* Cut after 14 + 9 bytes: TTL in the first segment, protocol and
	 * checksum in the second.
	 */
	tail = rte_pktmbuf_alloc(zc_unit_pool);
	ck_assert_ptr_nonnull(tail);
	memcpy(rte_pktmbuf_append(tail, m->data_len - 23),
	       rte_pktmbuf_mtod_offset(m, uint8_t *, 23), m->data_len - 23);
	rte_pktmbuf_trim(m, m->data_len - 23);
	ck_assert_int_eq(rte_pktmbuf_chain(m, tail), 0);
	ck_assert_uint_eq(m->nb_segs, 2);

	m = run1(m);
	ck_assert_ptr_nonnull(m);
	p = rte_pktmbuf_read(m, 0, m->pkt_len, flat);
	ck_assert_ptr_nonnull(p);
	memcpy(&whole, p + 14, sizeof(whole));
	ck_assert_uint_eq(whole.time_to_live, 32);
	copy = whole;
	copy.hdr_checksum = 0;
	ck_assert_uint_eq(whole.hdr_checksum, rte_ipv4_cksum(&copy));
	ck_assert(rte_is_same_ether_addr((const struct rte_ether_addr *)p,
					 &mac_gw));
	rte_pktmbuf_free(m);
	router_down();
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

START_TEST(forward_ipv6_rewrites)
{
	struct rte_mbuf *m;
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip;

	router_up(good_routes, good_neigh, 0);
	m = run1(mk_udp6(0, &mac_p0, "2001:db8:1::2", "2001:db8:5:9::1", 64));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 1);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert(rte_is_same_ether_addr(&eth->dst_addr, &mac_gw)); /* fe80::2 */
	ck_assert(rte_is_same_ether_addr(&eth->src_addr, &mac_p1));
	ip = (struct rte_ipv6_hdr *)(eth + 1);
	ck_assert_uint_eq(ip->hop_limits, 63);
	rte_pktmbuf_free(m);
	m = run1(mk_udp6(0, &mac_p0, "2001:db8:1::2", "2001:db8:2::7", 2));
	ck_assert_ptr_nonnull(m);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert(rte_is_same_ether_addr(&eth->dst_addr, &mac_h1));
	ck_assert_uint_eq(((struct rte_ipv6_hdr *)(eth + 1))->hop_limits, 1);
	rte_pktmbuf_free(m);
	router_down();
}
END_TEST

START_TEST(drops_with_reasons)
{
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct rte_mbuf *p[10];
	struct rte_mbuf *other;
	struct rte_ipv4_hdr *ip;
	uint16_t kept;

	/* No ICMP error (tests/unit/test_icmp.c has them): each packet is
	 * dropped under its reason.
	 */
	route_extra = "icmp_rate = 0\n";
	router_up(good_routes, good_neigh, 0);
	p[0] = mk_udp4(0, &mac_p0, "10.0.0.2", "10.1.9.9", 1, 0);
	p[1] = mk_udp4(0, &mac_p0, "10.0.0.2", "10.1.9.9", 0, 0);
	p[2] = mk_udp6(0, &mac_p0, "2001:db8:1::2", "2001:db8:5::1", 1);
	p[3] = mk_udp4(0, &mac_p0, "10.0.0.2", "10.2.0.1", 64, 0);
	p[4] = mk_udp6(0, &mac_p0, "2001:db8:1::2", "2001:db8:9::1", 64);
	pkt_start(&other, 0, &mac_p0, &mac_h0, 0x88b5, 60);
	p[5] = other;
	/* Unresolved next hop with learning off. */
	p[6] = mk_udp4(0, &mac_p0, "10.0.0.2", "10.0.1.99", 64, 0);
	/* For another host's MAC. */
	p[7] = mk_udp4(0, &mac_h1, "10.0.0.2", "10.1.9.9", 64, 0);
	/* For the router, not ICMP. */
	p[8] = mk_udp4(0, &mac_p0, "10.0.0.2", "10.0.1.1", 64, 0);
	/* Larger than the egress MTU, DF set (DF clear: fragmented). */
	p[9] = mk_udp4(0, &mac_p0, "10.0.0.2", "10.1.9.9", 64, 1500);
	ip = rte_pktmbuf_mtod_offset(p[9], struct rte_ipv4_hdr *, 14);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	kept = run(p, 10);
	ck_assert_uint_eq(kept, 0);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_TTL_EXPIRED], 3);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_NO_ROUTE], 2);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_NOT_IP], 1);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_NO_NEIGHBOUR], 1);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_L2_OTHER_HOST], 1);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_LOCAL], 1);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_TOO_BIG], 1);
	ck_assert_uint_eq(zc_stage_drops_total(&st), 10);
	router_down();
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* out_port already chosen (ACL "forward"): the packet is left alone. */
START_TEST(policy_forward_untouched)
{
	struct rte_mbuf *m = NULL;
	uint8_t before[60];

	router_up(good_routes, good_neigh, 0);
	m = mk_udp4(0, &mac_p0, "10.0.0.2", "10.1.9.9", 64, 18);
	zc_meta(m)->out_port = 0;
	memcpy(before, rte_pktmbuf_mtod(m, void *), 60);
	m = run1(m);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 0);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), before, 60);
	rte_pktmbuf_free(m);
	router_down();
}
END_TEST

/* ---- the router's own packets ---------------------------------------- */

START_TEST(arp_reply_bytes)
{
	struct rte_mbuf *m, *want;
	struct rte_arp_hdr *a;

	router_up(good_routes, good_neigh, 0);
	m = run1(mk_arp(0, RTE_ARP_OP_REQUEST, &mac_h0, "10.0.0.2",
			"10.0.0.1"));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 0);
	/* The expected reply, built field by field. */
	pkt_start(&want, 0, &mac_h0, &mac_p0, RTE_ETHER_TYPE_ARP, 60);
	a = rte_pktmbuf_mtod_offset(want, struct rte_arp_hdr *, 14);
	a->arp_hardware = RTE_BE16(1);
	a->arp_protocol = RTE_BE16(0x0800);
	a->arp_hlen = 6;
	a->arp_plen = 4;
	a->arp_opcode = RTE_BE16(2);
	a->arp_data.arp_sha = mac_p0;
	a->arp_data.arp_sip = ip4("10.0.0.1");
	a->arp_data.arp_tha = mac_h0;
	a->arp_data.arp_tip = ip4("10.0.0.2");
	ck_assert_uint_eq(m->pkt_len, 60);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *),
			 rte_pktmbuf_mtod(want, void *), 60);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(want);

	/* Asking for the other port's address, or someone else's: no. */
	ck_assert_ptr_null(run1(mk_arp(0, RTE_ARP_OP_REQUEST, &mac_h0,
				       "10.0.0.2", "10.0.1.1")));
	ck_assert_ptr_null(run1(mk_arp(0, RTE_ARP_OP_REQUEST, &mac_h0,
				       "10.0.0.2", "10.0.0.3")));
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_ARP_IGNORED], 2);
	router_down();
}
END_TEST

START_TEST(icmp_echo_reply_bytes)
{
	struct rte_mbuf *m, *want;

	router_up(good_routes, good_neigh, 0);
	m = run1(mk_echo4(0, &mac_p0, &mac_h0, "10.0.0.2", "10.0.0.1",
			  RTE_IP_ICMP_ECHO_REQUEST, 17));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 0);
	want = mk_echo4(0, &mac_h0, &mac_p0, "10.0.0.1", "10.0.0.2",
			RTE_IP_ICMP_ECHO_REPLY, 64);
	ck_assert_uint_eq(m->pkt_len, want->pkt_len);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *),
			 rte_pktmbuf_mtod(want, void *), want->pkt_len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(want);

	/* The other port's address answers too, out of the ingress port. */
	m = run1(mk_echo4(0, &mac_p0, &mac_h0, "10.0.0.2", "10.0.1.1",
			  RTE_IP_ICMP_ECHO_REQUEST, 64));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 0);
	want = mk_echo4(0, &mac_h0, &mac_p0, "10.0.1.1", "10.0.0.2",
			RTE_IP_ICMP_ECHO_REPLY, 64);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *),
			 rte_pktmbuf_mtod(want, void *), want->pkt_len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(want);

	/* An echo reply to the router is not answered. */
	ck_assert_ptr_null(run1(mk_echo4(0, &mac_p0, &mac_h0, "10.0.0.2",
					 "10.0.0.1", RTE_IP_ICMP_ECHO_REPLY,
					 64)));
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_LOCAL], 1);
	router_down();
}
END_TEST

START_TEST(icmp6_echo_reply)
{
	static const uint8_t req[12] = { 128, 0, 0, 0, 0, 9, 0, 1, 'p', 'i',
					 'n', 'g' };
	struct rte_mbuf *m;
	struct rte_ipv6_hdr *ip;
	uint8_t *ic, a[16];

	router_up(good_routes, good_neigh, 0);
	m = run1(mk_icmp6(0, &mac_p0, &mac_h0, "2001:db8:1::2",
			  "2001:db8:1::1", 64, req, sizeof(req)));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 0);
	ck_assert(rte_is_same_ether_addr(rte_pktmbuf_mtod(m,
			struct rte_ether_addr *), &mac_h0));
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, 14);
	ic = (uint8_t *)(ip + 1);
	ip6("2001:db8:1::1", a);
	ck_assert_mem_eq(ip->src_addr, a, 16);
	ip6("2001:db8:1::2", a);
	ck_assert_mem_eq(ip->dst_addr, a, 16);
	ck_assert_uint_eq(ip->hop_limits, 64);
	ck_assert_uint_eq(ic[0], 129);
	ck_assert_mem_eq(ic + 4, req + 4, sizeof(req) - 4);
	ck_assert_uint_eq(icmp6_cksum(ip, ic, sizeof(req)), 0);
	rte_pktmbuf_free(m);
	router_down();
}
END_TEST

START_TEST(ns_gets_na)
{
	struct rte_mbuf *m;
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip;
	uint8_t *na, a[16];
	uint64_t learned;
	struct zc_route_lcore_stats s;

	router_up(good_routes, NULL, 1);
	zc_route_stats_sum(&s);
	learned = s.learned;
	/* To the solicited-node group of 2001:db8:1::1, from a host. */
	m = run1(mk_nd(0, 135, &(struct rte_ether_addr){
				{ 0x33, 0x33, 0xff, 0, 0, 1 } },
		       &mac_h0, "2001:db8:1::2", "ff02::1:ff00:1",
		       "2001:db8:1::1", 0, 1));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 0);
	ck_assert_uint_eq(m->pkt_len, 14 + 40 + 32);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert(rte_is_same_ether_addr(&eth->dst_addr, &mac_h0));
	ck_assert(rte_is_same_ether_addr(&eth->src_addr, &mac_p0));
	ck_assert_uint_eq(eth->ether_type, RTE_BE16(RTE_ETHER_TYPE_IPV6));
	ip = (struct rte_ipv6_hdr *)(eth + 1);
	ck_assert_uint_eq(ip->vtc_flow, RTE_BE32(6u << 28));
	ck_assert_uint_eq(ip->payload_len, RTE_BE16(32));
	ck_assert_uint_eq(ip->proto, IPPROTO_ICMPV6);
	ck_assert_uint_eq(ip->hop_limits, 255);
	ip6("2001:db8:1::1", a);
	ck_assert_mem_eq(ip->src_addr, a, 16);
	ip6("2001:db8:1::2", a);
	ck_assert_mem_eq(ip->dst_addr, a, 16);
	na = (uint8_t *)(ip + 1);
	ck_assert_uint_eq(na[0], 136);
	ck_assert_uint_eq(na[1], 0);
	ck_assert_uint_eq(na[4], 0xe0); /* router, solicited, override */
	ip6("2001:db8:1::1", a);
	ck_assert_mem_eq(na + 8, a, 16);
	ck_assert_uint_eq(na[24], 2);
	ck_assert_uint_eq(na[25], 1);
	ck_assert_mem_eq(na + 26, &mac_p0, 6);
	ck_assert_uint_eq(icmp6_cksum(ip, na, 32), 0);
	rte_pktmbuf_free(m);
	/* The soliciting host was learned from its option ... */
	zc_route_stats_sum(&s);
	ck_assert_uint_eq(s.learned, learned + 1);
	/* ... so traffic to it is forwarded at once. */
	m = run1(mk_udp6(1, &mac_p1, "2001:db8:2::7", "2001:db8:1::2", 9));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 0);
	ck_assert(rte_is_same_ether_addr(rte_pktmbuf_mtod(m,
			struct rte_ether_addr *), &mac_h0));
	rte_pktmbuf_free(m);

	/* For someone else's address, a wrong hop limit, a bad checksum. */
	ck_assert_ptr_null(run1(mk_nd(0, 135, &mac_p0, &mac_h0,
				      "2001:db8:1::2", "ff02::1:ff00:9",
				      "2001:db8:1::9", 0, 1)));
	m = mk_nd(0, 135, &mac_p0, &mac_h0, "2001:db8:1::2", "2001:db8:1::1",
		  "2001:db8:1::1", 0, 1);
	rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, 14)->hop_limits = 64;
	ck_assert_ptr_null(run1(m));
	m = mk_nd(0, 135, &mac_p0, &mac_h0, "2001:db8:1::2", "2001:db8:1::1",
		  "2001:db8:1::1", 0, 1);
	rte_pktmbuf_mtod_offset(m, uint8_t *, 54 + 2)[0] ^= 1;
	ck_assert_ptr_null(run1(m));
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_ND_IGNORED], 3);
	router_down();
}
END_TEST

/* Duplicate address detection: NS from :: gets an NA to all-nodes. */
START_TEST(ns_dad_gets_na_to_all_nodes)
{
	struct rte_mbuf *m;
	struct rte_ipv6_hdr *ip;
	uint8_t a[16];

	router_up(NULL, NULL, 1);
	m = run1(mk_nd(1, 135, &(struct rte_ether_addr){
				{ 0x33, 0x33, 0xff, 0, 0, 1 } },
		       &mac_h1, "::", "ff02::1:ff00:1", "2001:db8:2::1", 0,
		       0));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 1);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *),
			 ((uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }), 6);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, 14);
	ip6("ff02::1", a);
	ck_assert_mem_eq(ip->dst_addr, a, 16);
	ck_assert_uint_eq(((uint8_t *)(ip + 1))[4], 0xa0); /* not solicited */
	ck_assert_uint_eq(icmp6_cksum(ip, ip + 1, 32), 0);
	rte_pktmbuf_free(m);
	router_down();
}
END_TEST

/* Unknown next hop: the packet becomes an ARP request; the reply is
 * learned; the next packet is forwarded.
 */
START_TEST(arp_probe_and_learn)
{
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct rte_mbuf *m;
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *a;

	router_up(NULL, NULL, 1);
	m = run1(mk_udp4(0, &mac_p0, "10.0.0.2", "10.0.1.50", 64, 100));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 1);
	ck_assert_uint_eq(m->pkt_len, 42);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert(rte_is_broadcast_ether_addr(&eth->dst_addr));
	ck_assert(rte_is_same_ether_addr(&eth->src_addr, &mac_p1));
	ck_assert_uint_eq(eth->ether_type, RTE_BE16(RTE_ETHER_TYPE_ARP));
	a = (struct rte_arp_hdr *)(eth + 1);
	ck_assert_uint_eq(a->arp_opcode, RTE_BE16(RTE_ARP_OP_REQUEST));
	ck_assert(rte_is_same_ether_addr(&a->arp_data.arp_sha, &mac_p1));
	ck_assert_uint_eq(a->arp_data.arp_sip, ip4("10.0.1.1"));
	ck_assert_uint_eq(a->arp_data.arp_tip, ip4("10.0.1.50"));
	rte_pktmbuf_free(m);

	/* Within probe_ms: no second probe. */
	ck_assert_ptr_null(run1(mk_udp4(0, &mac_p0, "10.0.0.2", "10.0.1.50",
					64, 0)));
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_NO_NEIGHBOUR], 1);

	/* The host answers; the table takes it. */
	m = mk_arp(1, RTE_ARP_OP_REPLY, &mac_h1, "10.0.1.50", "10.0.1.1");
	rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr = mac_p1;
	rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, 14)->arp_data.arp_tha =
		mac_p1;
	ck_assert_ptr_null(run1(m));
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_NEIGH_LEARNED], 1);

	m = run1(mk_udp4(0, &mac_p0, "10.0.0.2", "10.0.1.50", 64, 0));
	ck_assert_ptr_nonnull(m);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert(rte_is_same_ether_addr(&eth->dst_addr, &mac_h1));
	ck_assert_uint_eq(zc_meta(m)->out_port, 1);
	rte_pktmbuf_free(m);

	/* A reply from outside the subnet is not learned. */
	m = mk_arp(1, RTE_ARP_OP_REPLY, &mac_h1, "192.168.0.5", "10.0.1.1");
	rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr = mac_p1;
	ck_assert_ptr_null(run1(m));
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_ARP_IGNORED], 1);
	router_down();
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

START_TEST(ns_probe_and_learn)
{
	struct rte_mbuf *m;
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip;
	uint8_t *ns, a[16];

	router_up("2001:db8:7::/48 via fe80::7 port 1\n", NULL, 1);
	m = run1(mk_udp6(0, &mac_p0, "2001:db8:1::2", "2001:db8:7::1", 64));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(zc_meta(m)->out_port, 1);
	ck_assert_uint_eq(m->pkt_len, 14 + 40 + 32);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert_mem_eq(&eth->dst_addr,
			 ((uint8_t[]){ 0x33, 0x33, 0xff, 0, 0, 7 }), 6);
	ip = (struct rte_ipv6_hdr *)(eth + 1);
	ip6("2001:db8:2::1", a);
	ck_assert_mem_eq(ip->src_addr, a, 16);
	ip6("ff02::1:ff00:7", a);
	ck_assert_mem_eq(ip->dst_addr, a, 16);
	ck_assert_uint_eq(ip->hop_limits, 255);
	ns = (uint8_t *)(ip + 1);
	ck_assert_uint_eq(ns[0], 135);
	ip6("fe80::7", a);
	ck_assert_mem_eq(ns + 8, a, 16);
	ck_assert_uint_eq(ns[24], 1);
	ck_assert_mem_eq(ns + 26, &mac_p1, 6);
	ck_assert_uint_eq(icmp6_cksum(ip, ns, 32), 0);
	rte_pktmbuf_free(m);

	/* The gateway advertises itself. */
	ck_assert_ptr_null(run1(mk_nd(1, 136, &mac_p1, &mac_gw, "fe80::7",
				      "2001:db8:2::1", "fe80::7", 0x60, 1)));
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_NEIGH_LEARNED], 1);
	m = run1(mk_udp6(0, &mac_p0, "2001:db8:1::2", "2001:db8:7::1", 64));
	ck_assert_ptr_nonnull(m);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ck_assert(rte_is_same_ether_addr(&eth->dst_addr, &mac_gw));
	rte_pktmbuf_free(m);
	router_down();
}
END_TEST

START_TEST(stage_init_reports_bad_line)
{
	struct zc_stage_params p;

	load_cfg("10.1.0.0/16 via 10.0.0.2\nbogus\n", NULL, 1);
	memset(&st, 0, sizeof(st));
	st.ops = zc_stage_find("route");
	memset(&p, 0, sizeof(p));
	p.cfg = &cfg;
	p.socket_id = SOCKET_ID_ANY;
	ck_assert_int_lt(st.ops->init(&st, &p), 0);
	ck_assert_ptr_null(st.priv);
	ck_assert(strstr(zc_config_strerror(), "routes.txt:2: 'bogus' is not an IPv4 or IPv6 prefix") != NULL);
	st.ops->fini(&st);
	ck_assert_uint_eq(zc_route_count(), 0);
	zc_config_free(&cfg);
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("route");
	TCase *files = tcase_create("files");
	TCase *fwd = tcase_create("forwarding");
	TCase *local = tcase_create("local");

	tcase_add_test(files, routes_file_good);
	tcase_add_test(files, routes_file_errors);
	tcase_add_test(files, neighbours_file_errors);
	tcase_add_test(files, routes_over_max);
	tcase_add_test(files, large_table);
	tcase_add_test(files, ports_in_one_subnet);
	tcase_add_test(files, lpm_longest_prefix);
	tcase_add_test(files, stage_init_reports_bad_line);
	tcase_add_checked_fixture(files, NULL, teardown);
	tcase_set_timeout(files, 60);
	suite_add_tcase(s, files);

	tcase_add_test(fwd, forward_ipv4_rewrites);
	tcase_add_test(fwd, forward_checksum_matches_full_recompute);
	tcase_add_test(fwd, forward_chained_header);
	tcase_add_test(fwd, forward_ipv6_rewrites);
	tcase_add_test(fwd, drops_with_reasons);
	tcase_add_test(fwd, policy_forward_untouched);
	tcase_add_checked_fixture(fwd, NULL, teardown);
	tcase_set_timeout(fwd, 60);
	suite_add_tcase(s, fwd);

	tcase_add_test(local, arp_reply_bytes);
	tcase_add_test(local, icmp_echo_reply_bytes);
	tcase_add_test(local, icmp6_echo_reply);
	tcase_add_test(local, ns_gets_na);
	tcase_add_test(local, ns_dad_gets_na_to_all_nodes);
	tcase_add_test(local, arp_probe_and_learn);
	tcase_add_test(local, ns_probe_and_learn);
	tcase_add_checked_fixture(local, NULL, teardown);
	tcase_set_timeout(local, 60);
	suite_add_tcase(s, local);
	return s;
}
