/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Packet trace. Control (arm, stop, clear, read) runs on the telemetry
 * thread; the hooks run on workers, only while zc_trace_on is set.
 *
 * Claiming is lock-free: tr.ctl packs the number of packets wanted (high
 * 32 bits) and claimed (low 32 bits), and a worker claims record k by moving
 * claimed from k to k + 1 with a compare-and-swap. A record is then written
 * by whichever lcore holds its packet (ring hand-off orders the writes), and
 * published hop by hop with a release store of nb_hops and finally of done.
 * zc_trace_on is cleared when everything claimed is done and nothing more
 * can be claimed.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>

#include "core/zc_config.h"
#include "core/zc_drop.h"
#include "core/zc_latency.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"
#include "telemetry/zc_telemetry.h"
#include "telemetry/zc_trace.h"

volatile uint32_t zc_trace_on;
uint64_t zc_trace_flag;

/* Most hops of one packet: every stage of a pipeline. */
#define TRACE_HOPS ZC_STAGES_MAX

#define TRACE_NOTE_LEN 96

enum trace_verdict {
	TV_PASS = 0,   /* Passed on to the next stage. */
	TV_DROP,       /* Freed and counted under a reason. */
	TV_TX,         /* Handed to a port's TX queue by a sink. */
	TV_CONSUMED,   /* Taken by the stage without a drop (e.g. answered). */
};

static const char *const verdict_names[] = {
	[TV_PASS] = "pass",
	[TV_DROP] = "drop",
	[TV_TX] = "tx",
	[TV_CONSUMED] = "consumed",
};

struct trace_hop {
	const char *stage;      /* Stage name (static). */
	uint32_t t_cycles;      /* Stage entry minus the RX stamp. */
	uint32_t stage_cycles;  /* Time in the stage for this packet alone. */
	uint16_t lcore;
	uint16_t out_port;      /* zc_meta.out_port after the stage. */
	uint8_t verdict;        /* enum trace_verdict. */
	uint8_t reason;         /* enum zc_drop_reason, with TV_DROP. */
	uint8_t has_meta;       /* meta is worth showing. */
	struct zc_meta meta;    /* After the stage (before, for a sink). */
	char note[TRACE_NOTE_LEN]; /* zc_trace_note() text. */
};

/* Headers seen at selection time, for the filter and the summary. */
struct trace_flow {
	uint16_t ether_type;  /* After VLAN tags, host order. */
	uint8_t af;           /* AF_INET, AF_INET6 or 0. */
	uint8_t proto;        /* IP protocol. */
	uint8_t has_ports;
	uint8_t nb_vlan;
	uint8_t frag;         /* Non-first fragment. */
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
};

struct trace_rec {
	struct rte_mbuf *m;     /* The packet, while in flight. */
	uint64_t sel_tsc;       /* TSC when selected (after RX). */
	uint32_t rx_stamp;      /* Low 32 bits of the RX TSC. */
	uint16_t port;          /* Ingress port. */
	uint32_t len;           /* pkt_len at RX. */
	uint16_t nb_segs;       /* Segments at RX. */
	uint8_t nb_hops;        /* Hops published (release). */
	uint8_t done;           /* Record complete (release). */
	struct trace_flow flow; /* Headers at RX, formatted when read. */
	struct trace_hop hop[TRACE_HOPS];
};

/* What the filter keeps. */
struct trace_filter {
	uint8_t has_port, has_proto, has_sport, has_dport;
	uint8_t src_af, dst_af;     /* 0 (any), AF_INET or AF_INET6. */
	uint8_t src_len, dst_len;   /* Prefix lengths. */
	uint8_t proto;
	uint16_t port, sport, dport;
	uint8_t src[16], dst[16];
	char text[128];             /* As given, for display. */
};

static struct {
	uint64_t ctl;           /* wanted << 32 | claimed. */
	uint32_t completed;     /* Records done. */
	uint8_t ever;           /* Armed at least once. */
	uint8_t stopped;        /* Stopped before N were claimed. */
	uint64_t arm_tsc;       /* When armed. */
	struct trace_filter f;  /* Written before arming only. */
	struct trace_rec rec[ZC_TRACE_MAX];
} tr;

/* Per-lcore state of the hop in progress. */
struct trace_scratch {
	struct trace_rec *rec;
	struct trace_hop *hop;
	uint64_t enter_tsc;
	uint8_t sink;
	uint64_t drops[ZC_DROP_MAX];
} __rte_cache_aligned;

static struct trace_scratch scratch[RTE_MAX_LCORE];

int
zc_trace_init(void)
{
	static const struct rte_mbuf_dynflag desc = {
		.name = "zcpipe_trace",
	};
	int bit;

	if (zc_trace_flag != 0)
		return 0;
	bit = rte_mbuf_dynflag_register(&desc);
	if (bit < 0)
		return -rte_errno;
	zc_trace_flag = UINT64_C(1) << bit;
	return 0;
}

/* ---- headers ------------------------------------------------------------ */

static void
flow_parse(const struct rte_mbuf *m, struct trace_flow *f)
{
	union {
		struct rte_ether_hdr eth;
		struct rte_vlan_hdr vlan;
		struct rte_ipv4_hdr v4;
		struct rte_ipv6_hdr v6;
		uint8_t ext[2];
		uint16_t ports[2];
	} buf;
	const struct rte_ether_hdr *eth;
	const struct rte_vlan_hdr *vh;
	uint32_t off = sizeof(struct rte_ether_hdr);
	uint16_t type;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	eth = rte_pktmbuf_read(m, 0, sizeof(*eth), &buf);
	if (eth == NULL)
		return;
	type = rte_be_to_cpu_16(eth->ether_type);
	while ((type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ ||
		type == RTE_ETHER_TYPE_QINQ1) && f->nb_vlan < 8) {
		vh = rte_pktmbuf_read(m, off, sizeof(*vh), &buf);
		if (vh == NULL) {
			f->ether_type = type;
			return;
		}
		type = rte_be_to_cpu_16(vh->eth_proto);
		off += sizeof(*vh);
		f->nb_vlan++;
	}
	f->ether_type = type;
	if (type == RTE_ETHER_TYPE_IPV4) {
		const struct rte_ipv4_hdr *ip;

		ip = rte_pktmbuf_read(m, off, sizeof(*ip), &buf);
		if (ip == NULL)
			return;
		f->af = AF_INET;
		f->proto = ip->next_proto_id;
		memcpy(f->src, &ip->src_addr, 4);
		memcpy(f->dst, &ip->dst_addr, 4);
		f->frag = (rte_be_to_cpu_16(ip->fragment_offset) &
			   RTE_IPV4_HDR_OFFSET_MASK) != 0;
		off += (ip->version_ihl & 0xf) * 4u;
	} else if (type == RTE_ETHER_TYPE_IPV6) {
		const struct rte_ipv6_hdr *ip6;
		uint8_t nh;

		ip6 = rte_pktmbuf_read(m, off, sizeof(*ip6), &buf);
		if (ip6 == NULL)
			return;
		f->af = AF_INET6;
		memcpy(f->src, ip6->src_addr, 16);
		memcpy(f->dst, ip6->dst_addr, 16);
		nh = ip6->proto;
		off += sizeof(*ip6);
		/* Hop-by-hop, routing and destination options. */
		for (i = 0; i < 4 && (nh == 0 || nh == 43 || nh == 60); i++) {
			const uint8_t *e = rte_pktmbuf_read(m, off, 2, &buf);

			if (e == NULL)
				return;
			nh = e[0];
			off += (e[1] + 1u) * 8;
		}
		if (nh == 44) {
			f->frag = 1;
			f->proto = nh;
			return;
		}
		f->proto = nh;
	} else {
		return;
	}
	if (!f->frag && (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP ||
			 f->proto == IPPROTO_SCTP)) {
		const uint16_t *p = rte_pktmbuf_read(m, off, 4, &buf);

		if (p != NULL) {
			f->has_ports = 1;
			f->sport = rte_be_to_cpu_16(p[0]);
			f->dport = rte_be_to_cpu_16(p[1]);
		}
	}
}

static const char *
proto_name(uint8_t p)
{
	switch (p) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmp6";
	case IPPROTO_SCTP:
		return "sctp";
	case IPPROTO_GRE:
		return "gre";
	default:
		return NULL;
	}
}

static void
flow_format(const struct trace_flow *f, uint32_t len, char *buf, size_t sz)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], pr[8];
	const char *pn;

	if (f->ether_type == 0) {
		snprintf(buf, sz, "runt %u bytes", len);
		return;
	}
	if (f->af == 0) {
		if (f->ether_type == RTE_ETHER_TYPE_ARP)
			snprintf(buf, sz, "arp");
		else
			snprintf(buf, sz, "ethertype 0x%04x", f->ether_type);
		return;
	}
	inet_ntop(f->af, f->src, s, sizeof(s));
	inet_ntop(f->af, f->dst, d, sizeof(d));
	pn = proto_name(f->proto);
	if (pn == NULL) {
		snprintf(pr, sizeof(pr), "%u", f->proto);
		pn = pr;
	}
	if (f->has_ports)
		snprintf(buf, sz, "%s %s %s:%u > %s:%u", f->af == AF_INET ?
			 "ipv4" : "ipv6", pn, s, f->sport, d, f->dport);
	else
		snprintf(buf, sz, "%s %s %s > %s%s", f->af == AF_INET ?
			 "ipv4" : "ipv6", pn, s, d, f->frag ? " fragment" : "");
}

static bool
prefix_match(const uint8_t *a, const uint8_t *p, unsigned int len)
{
	unsigned int bytes = len / 8, bits = len % 8;

	if (memcmp(a, p, bytes) != 0)
		return false;
	if (bits == 0)
		return true;
	return ((a[bytes] ^ p[bytes]) & (0xff00 >> bits)) == 0;
}

static bool
filter_match(const struct trace_filter *flt, const struct rte_mbuf *m,
	     struct trace_flow *f, bool *parsed)
{
	if (flt->has_port && m->port != flt->port)
		return false;
	if (!(flt->has_proto || flt->src_af || flt->dst_af ||
	      flt->has_sport || flt->has_dport))
		return true;
	flow_parse(m, f);
	*parsed = true;
	if (flt->has_proto && (f->af == 0 || f->proto != flt->proto))
		return false;
	if (flt->src_af && (f->af != flt->src_af ||
			    !prefix_match(f->src, flt->src, flt->src_len)))
		return false;
	if (flt->dst_af && (f->af != flt->dst_af ||
			    !prefix_match(f->dst, flt->dst, flt->dst_len)))
		return false;
	if (flt->has_sport && (!f->has_ports || f->sport != flt->sport))
		return false;
	if (flt->has_dport && (!f->has_ports || f->dport != flt->dport))
		return false;
	return true;
}

/* ---- worker hooks -------------------------------------------------------- */

/* Clear zc_trace_on once nothing more can be claimed and all is done. */
static void
maybe_finish(void)
{
	uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_SEQ_CST);
	uint32_t claimed = (uint32_t)c;

	if (claimed >= (uint32_t)(c >> 32) &&
	    __atomic_load_n(&tr.completed, __ATOMIC_SEQ_CST) == claimed)
		zc_trace_on = 0;
}

static int
claim(void)
{
	uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_ACQUIRE);

	for (;;) {
		uint32_t claimed = (uint32_t)c;

		if (claimed >= (uint32_t)(c >> 32) || claimed >= ZC_TRACE_MAX)
			return -1;
		if (__atomic_compare_exchange_n(&tr.ctl, &c, c + 1, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return (int)claimed;
	}
}

static void
complete(struct trace_rec *r)
{
	r->m = NULL;
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	__atomic_fetch_add(&tr.completed, 1, __ATOMIC_SEQ_CST);
	maybe_finish();
}

static struct trace_rec *
lookup(const struct rte_mbuf *m)
{
	uint32_t i, claimed;

	claimed = (uint32_t)__atomic_load_n(&tr.ctl, __ATOMIC_ACQUIRE);
	claimed = RTE_MIN(claimed, (uint32_t)ZC_TRACE_MAX);
	for (i = 0; i < claimed; i++)
		if (tr.rec[i].m == m && !tr.rec[i].done)
			return &tr.rec[i];
	return NULL;
}

void
zc_trace_select(const struct zc_stage *src, struct rte_mbuf **pkts,
		uint16_t n, uint64_t tsc)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct trace_flow f;
		struct trace_rec *r;
		struct trace_hop *h;
		bool parsed = false;
		int k;
		uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_ACQUIRE);

		if ((uint32_t)c >= (uint32_t)(c >> 32))
			return;	/* All claimed: nothing more to select. */
		if (zc_trace_flag == 0 || !filter_match(&tr.f, m, &f, &parsed))
			continue;
		k = claim();
		if (k < 0)
			return;
		r = &tr.rec[k];
		if (!parsed)
			flow_parse(m, &f);
		r->flow = f;
		r->sel_tsc = tsc;
		r->rx_stamp = zc_rx_tsc_offset >= 0 ? *zc_rx_tsc(m) :
			      (uint32_t)tsc;
		r->port = m->port;
		r->len = m->pkt_len;
		r->nb_segs = m->nb_segs;
		h = &r->hop[0];
		memset(h, 0, sizeof(*h));
		h->stage = src->ops->name;
		h->lcore = (uint16_t)src->lcore_id;
		h->t_cycles = (uint32_t)tsc - r->rx_stamp;
		h->out_port = ZC_PORT_NONE;
		h->verdict = TV_PASS;
		r->m = m;
		m->ol_flags |= zc_trace_flag;
		__atomic_store_n(&r->nb_hops, 1, __ATOMIC_RELEASE);
	}
}

void *
zc_trace_enter(const struct zc_stage *st, struct rte_mbuf *m, uint64_t tsc)
{
	struct trace_scratch *sc = &scratch[rte_lcore_id()];
	struct trace_rec *r = lookup(m);
	struct trace_hop *h;

	if (r == NULL) {
		/* Trace cleared while the packet was in flight. */
		m->ol_flags &= ~zc_trace_flag;
		return NULL;
	}
	/* The last slot is reused if a packet takes more hops than fit. */
	h = &r->hop[RTE_MIN(r->nb_hops, TRACE_HOPS - 1)];
	memset(h, 0, sizeof(*h));
	h->stage = st->ops->name;
	h->lcore = (uint16_t)rte_lcore_id();
	h->t_cycles = (uint32_t)tsc - r->rx_stamp;
	sc->rec = r;
	sc->hop = h;
	sc->enter_tsc = tsc;
	sc->sink = (st->ops->flags & ZC_STAGE_F_SINK) != 0;
	memcpy(sc->drops, st->stats.drops, sizeof(sc->drops));
	if (sc->sink) {
		/* The sink owns the packet from now on: look before. */
		h->meta = *zc_meta(m);
		h->out_port = h->meta.out_port;
		h->has_meta = 1;
		m->ol_flags &= ~zc_trace_flag;
	}
	return sc;
}

void
zc_trace_leave(void *hop, const struct zc_stage *st, struct rte_mbuf *kept,
	       uint64_t tsc)
{
	struct trace_scratch *sc = hop;
	struct trace_rec *r = sc->rec;
	struct trace_hop *h = sc->hop;
	unsigned int i, reason = ZC_DROP_MAX;

	h->stage_cycles = (uint32_t)(tsc - sc->enter_tsc);
	for (i = 0; i < ZC_DROP_MAX; i++)
		if (st->stats.drops[i] != sc->drops[i]) {
			reason = i;
			break;
		}
	sc->rec = NULL;
	sc->hop = NULL;
	if (kept != NULL && !sc->sink) {
		h->verdict = TV_PASS;
		h->meta = *zc_meta(kept);
		h->out_port = h->meta.out_port;
		h->has_meta = 1;
		if (kept != r->m) {
			/* The stage replaced the head mbuf. */
			kept->ol_flags |= zc_trace_flag;
			r->m = kept;
		}
		if (r->nb_hops < TRACE_HOPS)
			__atomic_store_n(&r->nb_hops, r->nb_hops + 1,
					 __ATOMIC_RELEASE);
		return;
	}
	if (reason != ZC_DROP_MAX) {
		h->verdict = TV_DROP;
		h->reason = (uint8_t)reason;
	} else {
		h->verdict = sc->sink ? TV_TX : TV_CONSUMED;
	}
	if (r->nb_hops < TRACE_HOPS)
		__atomic_store_n(&r->nb_hops, r->nb_hops + 1, __ATOMIC_RELEASE);
	complete(r);
}

void
zc_trace_ring_full(struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct trace_rec *r;
		struct trace_hop *h;

		if (!zc_trace_pkt(pkts[i]))
			continue;
		pkts[i]->ol_flags &= ~zc_trace_flag;
		r = lookup(pkts[i]);
		if (r == NULL)
			continue;
		h = &r->hop[RTE_MIN(r->nb_hops, TRACE_HOPS - 1)];
		memset(h, 0, sizeof(*h));
		h->stage = "ring";
		h->lcore = (uint16_t)rte_lcore_id();
		h->t_cycles = (uint32_t)rte_rdtsc() - r->rx_stamp;
		h->out_port = ZC_PORT_NONE;
		h->verdict = TV_DROP;
		h->reason = ZC_DROP_RING_FULL;
		if (r->nb_hops < TRACE_HOPS)
			__atomic_store_n(&r->nb_hops, r->nb_hops + 1,
					 __ATOMIC_RELEASE);
		complete(r);
	}
}

void
zc_trace_note(const struct rte_mbuf *m, const char *fmt, ...)
{
	struct trace_scratch *sc;
	unsigned int lcore = rte_lcore_id();
	size_t used;
	va_list ap;

	if (lcore >= RTE_MAX_LCORE)
		return;
	sc = &scratch[lcore];
	if (sc->rec == NULL || sc->rec->m != m)
		return;
	used = strlen(sc->hop->note);
	if (used != 0 && used + 2 < TRACE_NOTE_LEN) {
		memcpy(sc->hop->note + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= TRACE_NOTE_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(sc->hop->note + used, TRACE_NOTE_LEN - used, fmt, ap);
	va_end(ap);
}

/* ---- telemetry ----------------------------------------------------------- */

static int
parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (zc_parse_uint(s, 0, max, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_addr(const char *s, uint8_t *af, uint8_t *addr, uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	uint32_t l, max;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*af = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, addr) == 1) {
		*af = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	l = max;
	if (slash != NULL && parse_u32(slash, max, &l) < 0)
		return -1;
	*len = (uint8_t)l;
	return 0;
}

static const struct {
	const char *name;
	uint8_t proto;
} proto_names[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP }, { "icmp6", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP }, { "gre", IPPROTO_GRE },
};

static int
parse_proto(const char *s, uint8_t *out)
{
	unsigned int i;
	uint32_t v;

	for (i = 0; i < RTE_DIM(proto_names); i++)
		if (strcmp(s, proto_names[i].name) == 0) {
			*out = proto_names[i].proto;
			return 0;
		}
	if (parse_u32(s, 255, &v) < 0)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

/* The filter as zcpipe understood it, for display: built from the parsed
 * values, so that no byte of the request is echoed.
 */
static void
filter_text(const struct trace_filter *f, unsigned int port_idx, char *buf,
	    size_t sz)
{
	char a[INET6_ADDRSTRLEN];
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
#define APPEND(...) do { \
		if (n < sz) \
			n += snprintf(buf + n, sz - n, __VA_ARGS__); \
	} while (0)
	if (f->has_port)
		APPEND(",port=%u", port_idx);
	if (f->has_proto) {
		for (i = 0; i < RTE_DIM(proto_names); i++)
			if (proto_names[i].proto == f->proto)
				break;
		if (i < RTE_DIM(proto_names))
			APPEND(",proto=%s", proto_names[i].name);
		else
			APPEND(",proto=%u", f->proto);
	}
	if (f->src_af) {
		inet_ntop(f->src_af, f->src, a, sizeof(a));
		APPEND(",src=%s/%u", a, f->src_len);
	}
	if (f->dst_af) {
		inet_ntop(f->dst_af, f->dst, a, sizeof(a));
		APPEND(",dst=%s/%u", a, f->dst_len);
	}
	if (f->has_sport)
		APPEND(",sport=%u", f->sport);
	if (f->has_dport)
		APPEND(",dport=%u", f->dport);
#undef APPEND
	if (buf[0] == ',')
		memmove(buf, buf + 1, strlen(buf));
}

/*
 * "N[,port=P][,proto=tcp|udp|icmp|icmp6|sctp|gre|NUM][,src=IP[/LEN]]
 *  [,dst=IP[/LEN]][,sport=N][,dport=N]". P is a configured port index
 * (cfg NULL: any). Errors show the client's text only through
 * zc_tel_quote().
 */
static int
parse_arm(const char *params, const struct zc_config *cfg, uint32_t *n,
	  struct trace_filter *f, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"port", "proto", "src", "dst", "sport", "dport"
	};
	char buf[256], q1[ZC_TEL_QUOTE_LEN], q2[ZC_TEL_QUOTE_LEN];
	char *tok, *save = NULL;
	unsigned int seen = 0, port_idx = 0, k;
	bool first = true;

	memset(f, 0, sizeof(*f));
	if (strlcpy(buf, params, sizeof(buf)) >= sizeof(buf)) {
		snprintf(err, errlen, "parameters longer than %zu characters",
			 sizeof(buf) - 1);
		return -1;
	}
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char *val = strchr(tok, '=');
		uint32_t v = 0;
		int ok;

		if (first) {
			first = false;
			if (parse_u32(tok, ZC_TRACE_MAX, n) < 0 || *n == 0) {
				snprintf(err, errlen,
					 "'%s': the first parameter is the number of packets to trace, 1 to %d",
					 zc_tel_quote(tok, q1, sizeof(q1)),
					 ZC_TRACE_MAX);
				return -1;
			}
			continue;
		}
		if (val == NULL) {
			snprintf(err, errlen, "'%s': expected key=value",
				 zc_tel_quote(tok, q1, sizeof(q1)));
			return -1;
		}
		*val++ = '\0';
		for (k = 0; k < RTE_DIM(keys); k++)
			if (strcmp(tok, keys[k]) == 0)
				break;
		if (k == RTE_DIM(keys)) {
			snprintf(err, errlen,
				 "'%s': unknown key (keys: port, proto, src, dst, sport, dport)",
				 zc_tel_quote(tok, q1, sizeof(q1)));
			return -1;
		}
		if (seen & (1u << k)) {
			snprintf(err, errlen, "%s given twice", keys[k]);
			return -1;
		}
		seen |= 1u << k;
		switch (k) {
		case 0:
			ok = cfg == NULL ?
			     parse_u32(val, UINT16_MAX - 1, &v) == 0 :
			     cfg->nb_ports > 0 &&
			     parse_u32(val, cfg->nb_ports - 1u, &v) == 0;
			if (!ok && cfg != NULL) {
				snprintf(err, errlen,
					 "port '%s' is not configured (ports 0 to %u exist)",
					 zc_tel_quote(val, q1, sizeof(q1)),
					 cfg->nb_ports - 1u);
				return -1;
			}
			port_idx = v;
			f->has_port = 1;
			/* Packets carry the ethdev port id. */
			f->port = cfg != NULL ? cfg->port[v].port_id :
				  (uint16_t)v;
			break;
		case 1:
			ok = parse_proto(val, &f->proto) == 0;
			f->has_proto = 1;
			break;
		case 2:
			ok = parse_addr(val, &f->src_af, f->src,
					&f->src_len) == 0;
			break;
		case 3:
			ok = parse_addr(val, &f->dst_af, f->dst,
					&f->dst_len) == 0;
			break;
		case 4:
			ok = parse_u32(val, UINT16_MAX, &v) == 0;
			f->has_sport = 1;
			f->sport = (uint16_t)v;
			break;
		default:
			ok = parse_u32(val, UINT16_MAX, &v) == 0;
			f->has_dport = 1;
			f->dport = (uint16_t)v;
			break;
		}
		if (!ok) {
			snprintf(err, errlen, "%s=%s: bad value (%s)", keys[k],
				 zc_tel_quote(val, q2, sizeof(q2)),
				 k == 0 ? "a port index" :
				 k == 1 ? "tcp, udp, icmp, icmp6, sctp, gre or 0 to 255" :
				 k <= 3 ? "an IPv4 or IPv6 address, optionally /LEN" :
				 "0 to 65535");
			return -1;
		}
	}
	if (first) {
		snprintf(err, errlen, "missing the number of packets");
		return -1;
	}
	filter_text(f, port_idx, f->text, sizeof(f->text));
	return 0;
}

static const char *
trace_state(uint32_t wanted, uint32_t claimed, uint32_t completed)
{
	if (!tr.ever)
		return "idle";
	if (claimed < wanted)
		return "armed";
	if (completed < claimed)
		return "in_flight";
	return tr.stopped ? "stopped" : "done";
}

static void
meta_format(const struct zc_meta *md, char *buf, size_t sz)
{
	static const char *const l3[] = { "none", "ipv4", "ipv6", "arp",
					  "other" };
	static const char *const tun[] = { "none", "vxlan", "geneve", "gre",
					   "ipip", "6in4" };
	static const char *const fl[] = { "frag", "frag_nf", "l4", "local",
					  "mpls", "ip_opt", "csum_bad",
					  "parsed" };
	size_t n = 0;
	unsigned int i;
	bool first = true;

	buf[0] = '\0';
#define APPEND(...) do { \
		if (n < sz) \
			n += snprintf(buf + n, sz - n, __VA_ARGS__); \
	} while (0)
	if (md->l3_type != ZC_L3_NONE)
		APPEND("l3=%s@%u", md->l3_type < RTE_DIM(l3) ?
		       l3[md->l3_type] : "?", md->l3_off);
	if (md->flags & ZC_META_F_L4)
		APPEND(" l4=%u@%u", md->l4_proto, md->l4_off);
	if (md->nb_vlan != 0)
		APPEND(" vlan=%u", md->vlan[0] & 0xfff);
	if (md->nb_vlan > 1)
		APPEND("/%u", md->vlan[1] & 0xfff);
	if (md->tunnel != ZC_TUN_NONE)
		APPEND(" tunnel=%s", md->tunnel < RTE_DIM(tun) ?
		       tun[md->tunnel] : "?");
	if (md->decap != 0)
		APPEND(" decap=%u", md->decap);
	if (md->mirror_port != ZC_PORT_NONE)
		APPEND(" mirror=%u", md->mirror_port);
	for (i = 0; i < RTE_DIM(fl); i++)
		if (md->flags & (1u << i)) {
			APPEND("%s%s", first ? " flags=" : ",", fl[i]);
			first = false;
		}
#undef APPEND
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

static int
add_hop(struct zc_tel *rec, unsigned int i, const struct trace_hop *h,
	const struct trace_hop *prev)
{
	struct zc_tel ht;
	char key[8], meta[128];

	if (zc_tel_open(&ht) < 0)
		return -ENOMEM;
	zc_tel_str(&ht, "stage", h->stage != NULL ? h->stage : "?");
	zc_tel_u64(&ht, "lcore", h->lcore);
	zc_tel_u64(&ht, "t_ns", zc_lat_cycles_to_ns(h->t_cycles));
	zc_tel_u64(&ht, "stage_ns", zc_lat_cycles_to_ns(h->stage_cycles));
	zc_tel_str(&ht, "verdict", verdict_names[h->verdict]);
	if (h->verdict == TV_DROP)
		zc_tel_str(&ht, "reason", zc_drop_name(h->reason));
	if (h->out_port != ZC_PORT_NONE)
		zc_tel_u64(&ht, "egress_port", h->out_port);
	if (h->has_meta && (prev == NULL || !prev->has_meta ||
			    memcmp(&prev->meta, &h->meta,
				   sizeof(h->meta)) != 0)) {
		meta_format(&h->meta, meta, sizeof(meta));
		zc_tel_str(&ht, "meta", meta);
	}
	if (h->note[0] != '\0')
		zc_tel_str(&ht, "note", h->note);
	snprintf(key, sizeof(key), "%u", i);
	return zc_tel_close(rec, key, &ht);
}

static int
add_record(struct zc_tel *rec, uint32_t idx)
{
	const struct trace_rec *r = &tr.rec[idx];
	uint8_t done = __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
	uint8_t nb = __atomic_load_n(&r->nb_hops, __ATOMIC_ACQUIRE);
	const struct trace_hop *last = nb ? &r->hop[nb - 1] : NULL;
	struct zc_tel hops;
	char flow[128];
	unsigned int i;

	zc_tel_u64(rec, "port", r->port);
	zc_tel_u64(rec, "len", r->len);
	if (r->nb_segs > 1)
		zc_tel_u64(rec, "segs", r->nb_segs);
	flow_format(&r->flow, r->len, flow, sizeof(flow));
	zc_tel_str(rec, "flow", flow);
	zc_tel_u64(rec, "rx_ns", r->sel_tsc > tr.arm_tsc ?
		   zc_lat_cycles_to_ns(r->sel_tsc - tr.arm_tsc) : 0);
	if (!done || last == NULL) {
		zc_tel_str(rec, "verdict", "in_flight");
	} else {
		zc_tel_str(rec, "verdict", verdict_names[last->verdict]);
		if (last->verdict == TV_DROP)
			zc_tel_str(rec, "reason", zc_drop_name(last->reason));
		if (last->verdict == TV_TX && last->out_port != ZC_PORT_NONE)
			zc_tel_u64(rec, "egress_port", last->out_port);
		zc_tel_u64(rec, "latency_ns",
			   zc_lat_cycles_to_ns((uint64_t)last->t_cycles +
					       last->stage_cycles));
	}
	if (zc_tel_open(&hops) < 0)
		return -ENOMEM;
	for (i = 0; i < nb; i++)
		add_hop(&hops, i, &r->hop[i], i ? &r->hop[i - 1] : NULL);
	return zc_tel_close(rec, "hops", &hops);
}

static void
trace_show(struct zc_tel *t, uint32_t from)
{
	uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_ACQUIRE);
	uint32_t wanted = (uint32_t)(c >> 32), claimed = (uint32_t)c;
	uint32_t completed = __atomic_load_n(&tr.completed, __ATOMIC_ACQUIRE);
	struct zc_tel pkts;
	uint32_t i;

	claimed = RTE_MIN(claimed, (uint32_t)ZC_TRACE_MAX);
	zc_tel_str(t, "state", trace_state(wanted, claimed, completed));
	zc_tel_u64(t, "wanted", wanted);
	zc_tel_u64(t, "traced", claimed);
	zc_tel_u64(t, "completed", completed);
	zc_tel_str(t, "filter", tr.f.text);
	zc_tel_u64(t, "from", from);
	if (zc_tel_open(&pkts) < 0)
		return;
	for (i = from; i < claimed; i++) {
		struct zc_tel rec;
		char key[12];

		if (zc_tel_open(&rec) < 0)
			break;
		add_record(&rec, i);
		/* Room for the "next" entry too. */
		if (!zc_tel_fits(&pkts, &rec, t->len + 64)) {
			zc_tel_discard(&rec);
			zc_tel_u64(t, "next", i);
			break;
		}
		snprintf(key, sizeof(key), "%u", i);
		zc_tel_close(&pkts, key, &rec);
	}
	zc_tel_close(t, "packets", &pkts);
}

int
zc_trace_telemetry(const char *params, const struct zc_config *cfg,
		   struct rte_tel_data *d)
{
	struct zc_tel t;
	char err[200];
	uint32_t from = 0, n = 0;

	zc_tel_start(&t, d);
	if (params == NULL || *params == '\0') {
		trace_show(&t, 0);
		return 0;
	}
	if (strncmp(params, "from=", 5) == 0) {
		if (parse_u32(params + 5, ZC_TRACE_MAX, &from) < 0)
			return -EINVAL;
		trace_show(&t, from);
		return 0;
	}
	if (strcmp(params, "stop") == 0) {
		uint64_t c = __atomic_load_n(&tr.ctl, __ATOMIC_SEQ_CST);
		uint64_t nc;

		/* No more claims: wanted = claimed. */
		do {
			nc = (c & 0xffffffffu) << 32 | (c & 0xffffffffu);
			if (nc == c)
				break;
		} while (!__atomic_compare_exchange_n(&tr.ctl, &c, nc, false,
						      __ATOMIC_SEQ_CST,
						      __ATOMIC_SEQ_CST));
		if (tr.ever && (uint32_t)(c >> 32) != (uint32_t)c)
			tr.stopped = 1;
		maybe_finish();
		trace_show(&t, 0);
		return 0;
	}
	if (strcmp(params, "clear") == 0) {
		/* Forget everything, even packets still in flight: their
		 * flag is dropped when a stage next sees them.
		 */
		zc_trace_on = 0;
		rte_delay_us_sleep(10000);
		__atomic_store_n(&tr.ctl, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&tr.completed, 0, __ATOMIC_SEQ_CST);
		memset(tr.rec, 0, sizeof(tr.rec));
		memset(&tr.f, 0, sizeof(tr.f));
		tr.ever = 0;
		tr.stopped = 0;
		trace_show(&t, 0);
		return 0;
	}

	/* Arm. */
	{
		struct trace_filter f;

		if (parse_arm(params, cfg, &n, &f, err, sizeof(err)) < 0) {
			zc_tel_str(&t, "error", err);
			return 0;
		}
		if (zc_trace_on) {
			zc_tel_str(&t, "error",
				   "a trace is still running: read it, or end it with /zcpipe/trace,stop");
			trace_show(&t, 0);
			return 0;
		}
		if (zc_trace_flag == 0) {
			zc_tel_str(&t, "error",
				   "tracing is unavailable: no dynamic mbuf flag");
			return 0;
		}
		memset(tr.rec, 0, sizeof(tr.rec));
		tr.f = f;
		tr.ever = 1;
		tr.stopped = 0;
		tr.arm_tsc = rte_rdtsc();
		__atomic_store_n(&tr.completed, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&tr.ctl, (uint64_t)n << 32, __ATOMIC_SEQ_CST);
		__atomic_store_n(&zc_trace_on, 1, __ATOMIC_RELEASE);
		trace_show(&t, 0);
	}
	return 0;
}
