/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * /zcpipe/trace: arms the packet trace (core/zc_trace.h) with a filter,
 * stops, clears and reads it (docs/telemetry.md, "Packet trace").
 *
 * The filter is applied when a packet is selected, just after RX, before
 * any stage has parsed it: the selector runs the real parser on it
 * (zc_parse_peek(), which writes nothing of the packet's) with the
 * running configuration's limits, and matches the 5-tuple at the offsets
 * the parser found. What it saw is kept in the record and shown as the
 * packet's "flow"; each hop shows the metadata the stages wrote.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>

#include "core/zc_config.h"
#include "core/zc_drop.h"
#include "core/zc_latency.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_trace.h"
#include "parse/zc_parse.h"
#include "telemetry/zc_telemetry.h"

static const char *const verdict_names[] = {
	[ZC_TRACE_PASS] = "pass",
	[ZC_TRACE_DROP] = "drop",
	[ZC_TRACE_TX] = "tx",
	[ZC_TRACE_CONSUMED] = "consumed",
};

/*
 * What a record keeps of a packet's headers at RX (the record's flow
 * bytes): the parser's metadata of it, and the fields the filter and the
 * display read at the offsets the parser found.
 */
struct trace_flow {
	struct zc_meta md;     /* zc_parse_peek()'s result. */
	uint16_t ether_type;   /* After the VLAN tags, host order. */
	uint8_t has_ports;     /* sport and dport are set. */
	uint8_t result;        /* The parser's enum zc_drop_reason. */
	uint16_t sport, dport; /* TCP/UDP/SCTP ports, host order. */
	uint8_t src[16], dst[16]; /* IP addresses (IPv4: 4 bytes). */
};

/* What the filter keeps. */
struct trace_filter {
	uint8_t has_port, has_proto, has_sport, has_dport;
	uint8_t src_af, dst_af;     /* 0 (any), AF_INET or AF_INET6. */
	uint8_t src_len, dst_len;   /* Prefix lengths. */
	uint8_t proto;
	uint16_t port, sport, dport;
	uint8_t src[16], dst[16];
	char text[128];             /* As understood, for display. */
};

/*
 * The armed filter and the parser configuration the selector uses: written
 * by the telemetry thread before zc_trace_arm(), read by workers after.
 */
static struct trace_filter filter;
static struct zc_parse_conf parse_conf;

/* ---- selection (on the workers) ------------------------------------------ */

/* The headers of m as the parser sees them. */
static void
flow_read(struct rte_mbuf *m, struct trace_flow *f)
{
	union {
		struct rte_ipv4_hdr v4;
		struct rte_ipv6_hdr v6;
		uint16_t ports[2];
		uint16_t type;
	} buf;
	const struct zc_meta *md = &f->md;

	f->result = (uint8_t)zc_parse_peek(&parse_conf, m, &f->md);
	if (f->result != ZC_DROP_L2_TRUNCATED) {
		const uint16_t *t = rte_pktmbuf_read(m,
			2 * RTE_ETHER_ADDR_LEN + md->nb_vlan *
			sizeof(struct rte_vlan_hdr), 2, &buf.type);

		f->ether_type = t != NULL ? rte_be_to_cpu_16(*t) : 0;
	}
	if (md->l3_type == ZC_L3_IPV4) {
		const struct rte_ipv4_hdr *ip;

		ip = rte_pktmbuf_read(m, md->l3_off, sizeof(*ip), &buf.v4);
		if (ip != NULL) {
			memcpy(f->src, &ip->src_addr, 4);
			memcpy(f->dst, &ip->dst_addr, 4);
		}
	} else if (md->l3_type == ZC_L3_IPV6) {
		const struct rte_ipv6_hdr *ip6;

		ip6 = rte_pktmbuf_read(m, md->l3_off, sizeof(*ip6), &buf.v6);
		if (ip6 != NULL) {
			memcpy(f->src, ip6->src_addr, 16);
			memcpy(f->dst, ip6->dst_addr, 16);
		}
	}
	if ((md->flags & ZC_META_F_L4) &&
	    (md->l4_proto == IPPROTO_TCP || md->l4_proto == IPPROTO_UDP ||
	     md->l4_proto == IPPROTO_SCTP)) {
		const uint16_t *p = rte_pktmbuf_read(m, md->l4_off, 4,
						     buf.ports);

		if (p != NULL) {
			f->has_ports = 1;
			f->sport = rte_be_to_cpu_16(p[0]);
			f->dport = rte_be_to_cpu_16(p[1]);
		}
	}
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

static uint8_t
flow_af(const struct trace_flow *f)
{
	return f->md.l3_type == ZC_L3_IPV4 ? AF_INET :
	       f->md.l3_type == ZC_L3_IPV6 ? AF_INET6 : 0;
}

/* The selector zc_trace_arm() is given: the filter, on the parser's view. */
static bool
trace_select(struct rte_mbuf *m, void *out)
{
	const struct trace_filter *flt = &filter;
	struct trace_flow *f = out;
	uint8_t af;

	RTE_BUILD_BUG_ON(sizeof(struct trace_flow) > ZC_TRACE_FLOW_LEN);
	RTE_BUILD_BUG_ON(ZC_DROP_MAX > UINT8_MAX);
	if (flt->has_port && m->port != flt->port)
		return false;
	flow_read(m, f);
	af = flow_af(f);
	if (flt->has_proto && (af == 0 || f->md.l4_proto != flt->proto))
		return false;
	if (flt->src_af && (af != flt->src_af ||
			    !prefix_match(f->src, flt->src, flt->src_len)))
		return false;
	if (flt->dst_af && (af != flt->dst_af ||
			    !prefix_match(f->dst, flt->dst, flt->dst_len)))
		return false;
	if (flt->has_sport && (!f->has_ports || f->sport != flt->sport))
		return false;
	if (flt->has_dport && (!f->has_ports || f->dport != flt->dport))
		return false;
	return true;
}

/* ---- display ------------------------------------------------------------- */

static void
flow_format(const struct trace_flow *f, uint32_t len, char *buf, size_t sz)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], pr[8];
	uint8_t af = flow_af(f);
	const char *pn;

	if (f->result == ZC_DROP_L2_TRUNCATED) {
		snprintf(buf, sz, "runt %u bytes", len);
		return;
	}
	if (af == 0) {
		if (f->ether_type == RTE_ETHER_TYPE_ARP)
			snprintf(buf, sz, "arp");
		else
			snprintf(buf, sz, "ethertype 0x%04x", f->ether_type);
		return;
	}
	inet_ntop(af, f->src, s, sizeof(s));
	inet_ntop(af, f->dst, d, sizeof(d));
	pn = zc_proto_name(f->md.l4_proto);
	if (pn == NULL) {
		snprintf(pr, sizeof(pr), "%u", f->md.l4_proto);
		pn = pr;
	}
	if (f->has_ports)
		snprintf(buf, sz, "%s %s %s:%u > %s:%u", af == AF_INET ?
			 "ipv4" : "ipv6", pn, s, f->sport, d, f->dport);
	else
		snprintf(buf, sz, "%s %s %s > %s%s", af == AF_INET ?
			 "ipv4" : "ipv6", pn, s, d,
			 (f->md.flags & ZC_META_F_FRAG_NF) ? " fragment" : "");
}

/* ---- arming -------------------------------------------------------------- */

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
parse_proto(const char *s, uint8_t *out)
{
	uint32_t v;

	if (zc_proto_by_name(s, out) == 0)
		return 0;
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

	buf[0] = '\0';
#define APPEND(...) do { \
		if (n < sz) \
			n += snprintf(buf + n, sz - n, __VA_ARGS__); \
	} while (0)
	if (f->has_port)
		APPEND(",port=%u", port_idx);
	if (f->has_proto) {
		const char *pn = zc_proto_name(f->proto);

		if (pn != NULL)
			APPEND(",proto=%s", pn);
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
 * "N[,port=P][,proto=NAME|NUM][,src=IP[/LEN]]
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
			ok = zc_parse_ip_prefix(val, &f->src_af, f->src,
						&f->src_len) == 0;
			break;
		case 3:
			ok = zc_parse_ip_prefix(val, &f->dst_af, f->dst,
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
				 k == 1 ? "tcp, udp, icmp, icmpv6, sctp, gre, esp, ah or 0 to 255" :
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
trace_state(const struct zc_trace_status *ts)
{
	if (!ts->ever)
		return "idle";
	if (ts->claimed < ts->wanted)
		return "armed";
	if (ts->completed < ts->claimed)
		return "in_flight";
	return ts->stopped ? "stopped" : "done";
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
add_hop(struct zc_tel *rec, unsigned int i, const struct zc_trace_hop *h,
	const struct zc_trace_hop *prev)
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
	if (h->verdict == ZC_TRACE_DROP)
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
add_record(struct zc_tel *rec, uint32_t idx, uint64_t arm_tsc)
{
	const struct zc_trace_rec *r;
	const struct zc_trace_hop *last;
	struct zc_tel hops;
	char flow[128];
	unsigned int i;
	uint8_t nb;
	bool done;

	r = zc_trace_record(idx, &nb, &done);
	if (r == NULL)
		return -EINVAL;
	last = nb ? &r->hop[nb - 1] : NULL;
	zc_tel_u64(rec, "port", r->port);
	zc_tel_u64(rec, "len", r->len);
	if (r->nb_segs > 1)
		zc_tel_u64(rec, "segs", r->nb_segs);
	flow_format((const struct trace_flow *)r->flow, r->len, flow,
		    sizeof(flow));
	zc_tel_str(rec, "flow", flow);
	zc_tel_u64(rec, "rx_ns", r->sel_tsc > arm_tsc ?
		   zc_lat_cycles_to_ns(r->sel_tsc - arm_tsc) : 0);
	if (!done || last == NULL) {
		zc_tel_str(rec, "verdict", "in_flight");
	} else {
		zc_tel_str(rec, "verdict", verdict_names[last->verdict]);
		if (last->verdict == ZC_TRACE_DROP)
			zc_tel_str(rec, "reason", zc_drop_name(last->reason));
		if (last->verdict == ZC_TRACE_TX &&
		    last->out_port != ZC_PORT_NONE)
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
	struct zc_trace_status ts;
	struct zc_tel pkts;
	uint32_t i;

	zc_trace_status(&ts);
	zc_tel_str(t, "state", trace_state(&ts));
	zc_tel_u64(t, "wanted", ts.wanted);
	zc_tel_u64(t, "traced", ts.claimed);
	zc_tel_u64(t, "completed", ts.completed);
	zc_tel_str(t, "filter", filter.text);
	zc_tel_u64(t, "from", from);
	if (zc_tel_open(&pkts) < 0)
		return;
	for (i = from; i < ts.claimed; i++) {
		struct zc_tel rec;
		char key[12];

		if (zc_tel_open(&rec) < 0)
			break;
		add_record(&rec, i, ts.arm_tsc);
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

/* The parser as the parse stage runs it, to every depth the filter reads. */
static void
filter_parse_conf(const struct zc_config *cfg)
{
	zc_parse_conf_init(&parse_conf, cfg);
	parse_conf.l2_only = 0;
	parse_conf.no_sw_hash = 1;
}

static int
cmd_trace(const char *cmd __rte_unused, const char *params,
	  struct rte_tel_data *d)
{
	const struct zc_config *cfg = zc_rt.cfg;
	struct trace_filter f;
	struct zc_tel t;
	char err[200];
	uint32_t from = 0, n = 0;
	int ret;

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
		zc_trace_stop();
		trace_show(&t, 0);
		return 0;
	}
	if (strcmp(params, "clear") == 0) {
		zc_trace_clear();
		memset(&filter, 0, sizeof(filter));
		trace_show(&t, 0);
		return 0;
	}

	/* Arm. */
	if (cfg == NULL) {
		zc_tel_str(&t, "error", "zcpipe is starting: no pipeline yet");
		return 0;
	}
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
	/* Workers read the filter only once armed. */
	filter = f;
	filter_parse_conf(cfg);
	ret = zc_trace_arm(n, trace_select);
	if (ret < 0) {
		zc_tel_str(&t, "error", strerror(-ret));
		return 0;
	}
	trace_show(&t, 0);
	return 0;
}

RTE_INIT(zc_trace_cmd_register)
{
	zc_telemetry_register_cmd("/zcpipe/trace", cmd_trace,
				  "Packet trace. ,N[,port=P,proto=,src=,dst=,sport=,dport=] arms; none or from=K reads; stop; clear.");
}
