/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Any frame through the router: the parser, the route stage (forwarding,
 * trimming, ICMP errors built in the packet, ACL reject) and the tx
 * stage's IPv4 fragmentation (lib/route/icmp.c, lib/route/frag.c).
 * Input: 2 control bytes, then the frame. Control byte 0: bit 0 the
 * ingress port, bit 1 an ACL reject, bit 2 no headroom (the frame at the
 * start of its buffer: the error takes a header segment), bits 3-7 the
 * MTU fragments are cut to (68 + 48 * value); byte 1 a cut that makes the
 * frame a chain of two segments (0: one mbuf).
 *
 * Checked for every input: an ICMP error the router sends is within 576
 * (IPv4) or 1,280 (IPv6) bytes and its checksums are right; each
 * fragment fits the MTU, has a right header checksum and no empty
 * segment; every mbuf is back in its pool afterwards.
 */

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "fuzz.h"
#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "parse/zc_parse.h"
#include "actions/zc_frag.h"

#define ROOM     16384
#define NB_MBUFS 63

static struct rte_mempool *pool;
static struct zc_act_pools pools;
static struct zc_config cfg;
static struct zc_parse_conf pc;
static struct zc_stage st;

static const char ini_fmt[] =
	"[general]\nmode = router\n"
	"[port.0]\ndev = net_null0\nipv4 = 10.0.0.1/24\nipv6 = 2001:db8:1::1/64\n"
	"[port.1]\ndev = net_null1\nipv4 = 10.0.1.1/24\nipv6 = 2001:db8:2::1/64\n"
	"[route]\nlearn = off\nicmp_rate = 1000000\nroutes = %s\nneighbours = %s\n"
	"[pipeline.0]\nrx = 0:0, 1:0\nstages = rx parse route tx\n";
static const char routes[] =
	"10.0.0.0/8 via 10.0.1.2\n"
	"2000::/3 via 2001:db8:2::2\n";
static const char neigh[] =
	"10.0.1.2 02:00:00:00:00:22\n"
	"10.0.0.2 02:00:00:00:00:10\n"
	"2001:db8:2::2 02:00:00:00:00:22 port 1\n";

int
zc_fuzz_init(void)
{
	static const struct rte_ether_addr mac[2] = {
		{ { 0x02, 0, 0, 0, 0, 0xa0 } }, { { 0x02, 0, 0, 0, 0, 0xa1 } },
	};
	struct zc_stage_params p;
	char ini[1024], r[128], n[128];
	unsigned int i;

	if (zc_meta_register() < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("fz_router", NB_MBUFS, 0, 0,
				       ROOM + RTE_PKTMBUF_HEADROOM,
				       SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	snprintf(r, sizeof(r), "%s", zc_fuzz_write("routes", routes,
						   sizeof(routes) - 1));
	snprintf(n, sizeof(n), "%s", zc_fuzz_write("neigh", neigh,
						   sizeof(neigh) - 1));
	snprintf(ini, sizeof(ini), ini_fmt, r, n);
	if (zc_config_load(zc_fuzz_write("r.ini", ini, strlen(ini)),
			   &cfg) != 0) {
		fprintf(stderr, "fuzz_router: %s\n", zc_config_strerror());
		return -1;
	}
	for (i = 0; i < cfg.nb_ports; i++) {
		cfg.port[i].port_id = (uint16_t)i;
		zc_ports[i].mac = mac[i];
		zc_ports[i].mtu = i == 0 ? 1500 : 1280;
	}
	zc_rt.pools[0] = pool;
	/* The header and clone pools as small as this one, without caches. */
	cfg.pool_cache = 0;
	if (zc_actions_pools(&cfg, 0, &pools) < 0) {
		fprintf(stderr, "fuzz_router: %s\n", zc_config_strerror());
		return -1;
	}
	zc_parse_conf_init(&pc, &cfg);
	st.ops = zc_stage_find("route");
	memset(&p, 0, sizeof(p));
	p.cfg = &cfg;
	p.lcore_id = rte_lcore_id();
	p.socket_id = SOCKET_ID_ANY;
	if (st.ops == NULL || st.ops->init(&st, &p) != 0) {
		fprintf(stderr, "fuzz_router: %s\n", zc_config_strerror());
		return -1;
	}
	return 0;
}

/* Ones' complement sum of len bytes of m from off. */
static uint32_t
sum_of(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	uint16_t s;

	if (rte_raw_cksum_mbuf(m, off, len, &s) < 0)
		abort();
	return s;
}

/* An ICMP error the router built: size and checksums. */
static void
check_error(const struct rte_mbuf *m, const struct zc_meta *md)
{
	uint8_t buf[60];
	const uint8_t *ip = rte_pktmbuf_read(m, md->l3_off, 40, buf);
	const uint8_t *t;
	uint8_t tb;
	uint32_t l3 = m->pkt_len - md->l3_off, s;

	if (ip == NULL)
		abort();
	t = rte_pktmbuf_read(m, md->l4_off, 1, &tb);
	if (t == NULL)
		abort();
	if (md->l3_type == ZC_L3_IPV4) {
		if (*t != 3 && *t != 11)
			return; /* an echo reply */
		if (l3 > 576 || rte_raw_cksum(ip, 20) != 0xffff ||
		    __rte_raw_cksum_reduce(sum_of(m, md->l4_off, l3 - 20)) !=
		    0xffff)
			abort();
	} else {
		struct {
			rte_be32_t len;
			uint8_t zero[3];
			uint8_t nh;
		} ph = { .len = rte_cpu_to_be_32(l3 - 40),
			 .nh = IPPROTO_ICMPV6 };

		if (*t >= 128)
			return; /* echo reply, neighbour advertisement */
		if (l3 > 1280)
			abort();
		s = __rte_raw_cksum(ip + 8, 32, 0);
		s = __rte_raw_cksum(&ph, sizeof(ph), s);
		s += sum_of(m, md->l4_off, l3 - 40);
		if (__rte_raw_cksum_reduce(s) != 0xffff)
			abort();
	}
}

/* Fragments: each fits the MTU, a right header, no empty segment. */
static void
check_fragments(struct rte_mbuf *m, uint16_t mtu)
{
	struct rte_mbuf *fr[ZC_FRAG_MAX];
	int n, i;

	n = zc_ipv4_fragment(m, mtu, fr, ZC_FRAG_MAX, pools.hdr, pools.clone);
	if (n < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct rte_mbuf *s;
		uint16_t l2 = zc_meta(fr[i])->l3_off;
		const struct rte_ipv4_hdr *ip;

		if (fr[i]->pkt_len - l2 > mtu ||
		    fr[i]->data_len < l2 + sizeof(*ip))
			abort();
		ip = rte_pktmbuf_mtod_offset(fr[i], const struct rte_ipv4_hdr *,
					     l2);
		if (rte_raw_cksum(ip, rte_ipv4_hdr_len(ip)) != 0xffff ||
		    rte_be_to_cpu_16(ip->total_length) != fr[i]->pkt_len - l2)
			abort();
		for (s = fr[i]->next; s != NULL; s = s->next)
			if (s->data_len == 0)
				abort();
		rte_pktmbuf_free(fr[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *m, *p[1];
	uint32_t len, cut;
	uint16_t mtu;
	uint8_t ctl;

	if (size < 2 || size - 2 > ROOM)
		return 0;
	ctl = data[0];
	len = (uint32_t)(size - 2);
	cut = data[1] == 0 || len < 2 ? 0 : 1 + data[1] * (len - 1) / 256;
	mtu = (uint16_t)(68 + 48 * (ctl >> 3));
	data += 2;

	m = rte_pktmbuf_alloc(pool);
	if (m == NULL)
		abort();
	if (ctl & 4)
		m->data_off = 0;
	if (rte_pktmbuf_append(m, (uint16_t)(cut != 0 ? cut : len)) == NULL)
		abort();
	memcpy(rte_pktmbuf_mtod(m, void *), data, cut != 0 ? cut : len);
	if (cut != 0) {
		struct rte_mbuf *t = rte_pktmbuf_alloc(pool);

		if (t == NULL || rte_pktmbuf_append(t, (uint16_t)(len - cut)) ==
		    NULL || rte_pktmbuf_chain(m, t) != 0)
			abort();
		memcpy(rte_pktmbuf_mtod(t, void *), data + cut, len - cut);
	}
	m->port = ctl & 1;
	zc_meta_reset(zc_meta(m));
	if (zc_parse_packet(&pc, m) != ZC_DROP_MAX) {
		rte_pktmbuf_free(m);
		goto out;
	}
	if (ctl & 2)
		zc_meta(m)->out_port = ZC_PORT_REJECT;
	p[0] = m;
	if (st.ops->process(&st, p, 1) == 1) {
		m = p[0];
		if (m->ol_flags & zc_frag_flag) {
			check_fragments(m, mtu);
		} else {
			if ((zc_meta(m)->flags & ZC_META_F_LOCAL) &&
			    (zc_meta(m)->flags & ZC_META_F_L4) &&
			    (zc_meta(m)->l3_type == ZC_L3_IPV4 ||
			     zc_meta(m)->l3_type == ZC_L3_IPV6) &&
			    (zc_meta(m)->l4_proto == IPPROTO_ICMP ||
			     zc_meta(m)->l4_proto == IPPROTO_ICMPV6))
				check_error(m, zc_meta(m));
			rte_pktmbuf_free(m);
		}
	}
out:
	if (rte_mempool_avail_count(pool) != pool->size ||
	    rte_mempool_avail_count(pools.hdr) != pools.hdr->size ||
	    rte_mempool_avail_count(pools.clone) != pools.clone->size) {
		fprintf(stderr, "fuzz_router: an mbuf was not given back\n");
		abort();
	}
	return 0;
}
