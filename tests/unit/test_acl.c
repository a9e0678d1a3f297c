/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The ACL: rule-file parser (valid rules, every kind of bad line with its
 * exact "FILE:LINE: reason"), the classify stage on hand-built IPv4/IPv6
 * packets (each match field, priorities, actions, default action, non-IP,
 * packets without L4 ports, headers across segments), per-rule counters
 * summed over lcores, and the build of 10,000 rules.
 *
 * Packets get their zc_meta set here as the parse stage's contract says
 * (l3_off, l3_type, l4_off + F_L4, l4_proto, vlan, nb_vlan, F_FRAG_NF);
 * one test runs the real parse stage first instead.
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_acl.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>

#include "unit.h"
#include "acl/zc_acl.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"

/* ---- configuration ---------------------------------------------------- */

static struct zc_config cfg;
static char rules_path[256];
static char ini_path[256];

/* Line of "rules =" in the INI below. */
#define INI_RULES_LINE 12

/* Configured port i has ethdev id PORT_ID(i), to see the mapping. */
#define PORT_ID(i) ((uint16_t)(10 + (i)))

static const char *
write_rules(const char *text)
{
	strlcpy(rules_path, zc_unit_write_file("rules.acl", text),
		sizeof(rules_path));
	return rules_path;
}

/* Load a filter-mode configuration with three ports and a rule file. */
static void
cfg_setup(const char *rules_text, int deny_default)
{
	char ini[1024];
	unsigned int i;

	if (rules_text != NULL)
		write_rules(rules_text);
	snprintf(ini, sizeof(ini),
		 "[general]\n"
		 "mode = filter\n"
		 "[port.0]\n"
		 "dev = net_null0\n"
		 "[port.1]\n"
		 "dev = net_null1\n"
		 "[port.2]\n"
		 "dev = net_null2\n"
		 "[forward]\n"
		 "map = 0->1, 1->0\n"
		 "[acl]\n"
		 "%s%s\n"
		 "default = %s\n",
		 rules_text != NULL ? "rules = " : "; no rule file",
		 rules_text != NULL ? rules_path : "",
		 deny_default ? "deny" : "permit");
	strlcpy(ini_path, zc_unit_write_file("acl.ini", ini),
		sizeof(ini_path));
	zc_config_free(&cfg);
	ck_assert_msg(zc_config_load(ini_path, &cfg) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(cfg.mode, ZC_MODE_FILTER);
	ck_assert(zc_acl_conf.deny_default == !!deny_default);
	if (rules_text == NULL)
		zc_acl_conf.rules[0] = '\0';
	for (i = 0; i < cfg.nb_ports; i++)
		cfg.port[i].port_id = PORT_ID(i);
}

/* Stages started and not yet stopped, stopped by the teardown when an
 * assertion ends a test early (no-fork mode: state would leak into the
 * next test).
 */
static struct zc_stage *running[4];

static int
stage_start(struct zc_stage *st, const char *name, unsigned int lcore)
{
	const struct zc_stage_ops *ops = zc_stage_find(name);
	struct zc_stage_params p;
	unsigned int i;

	ck_assert_ptr_nonnull(ops);
	memset(st, 0, sizeof(*st));
	memset(&p, 0, sizeof(p));
	p.cfg = &cfg;
	p.pipeline_id = 0;
	p.lcore_id = lcore;
	p.socket_id = 0;
	st->ops = ops;
	st->lcore_id = lcore;
	for (i = 0; i < RTE_DIM(running); i++)
		if (running[i] == NULL) {
			running[i] = st;
			break;
		}
	return ops->init(st, &p);
}

static void
stage_stop(struct zc_stage *st)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(running); i++)
		if (running[i] == st)
			running[i] = NULL;
	if (st->ops->fini != NULL)
		st->ops->fini(st);
}

static void
teardown(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(running); i++)
		if (running[i] != NULL)
			stage_stop(running[i]);
}

/* ---- packets ------------------------------------------------------------ */

struct spec {
	uint8_t fam;        /* 4, 6; 0 for ARP */
	const char *src;
	const char *dst;
	uint8_t proto;      /* 0: UDP */
	uint16_t sport;
	uint16_t dport;
	uint8_t tagged;     /* One 802.1Q tag with VLAN id vid. */
	uint16_t vid;
	uint16_t port;      /* Ingress ethdev port id. */
	uint8_t no_l4;      /* Leave F_L4 clear. */
	uint8_t frag_nf;    /* Non-first fragment. */
	uint16_t pay;       /* Payload bytes. */
	uint8_t keep;       /* Expected: still in the burst after classify. */
	uint16_t out;       /* Expected out_port (0: ZC_PORT_NONE). */
	uint16_t mirror;    /* Expected mirror_port (0: ZC_PORT_NONE). */
};

static uint16_t
l4_len(uint8_t proto)
{
	return proto == IPPROTO_TCP ? 20 : proto == IPPROTO_SCTP ? 12 : 8;
}

/* Build the frame bytes of a spec into buf; returns its length. Sets the
 * metadata the parse stage would set into *md (if md is not NULL).
 */
static uint16_t
frame(const struct spec *s, uint8_t *buf, struct zc_meta *md)
{
	uint8_t proto = s->proto != 0 ? s->proto : IPPROTO_UDP;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	uint16_t off = sizeof(*eth), l3, l4, plen;
	uint16_t type;

	memset(buf, 0, 2048);
	memset(&eth->dst_addr, 0x02, sizeof(eth->dst_addr));
	memset(&eth->src_addr, 0x04, sizeof(eth->src_addr));
	type = s->fam == 4 ? RTE_ETHER_TYPE_IPV4 :
	       s->fam == 6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_ARP;
	if (s->tagged) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(buf + off);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
		/* PCP bits set: only the VLAN id may be matched. */
		vh->vlan_tci = rte_cpu_to_be_16(0xe000 | s->vid);
		vh->eth_proto = rte_cpu_to_be_16(type);
		off += sizeof(*vh);
	} else {
		eth->ether_type = rte_cpu_to_be_16(type);
	}
	l3 = off;
	if (md != NULL) {
		zc_meta_reset(md);
		md->flags = ZC_META_F_PARSED;
		md->l3_off = l3;
		md->nb_vlan = s->tagged;
		md->vlan[0] = s->tagged ? 0xe000 | s->vid : 0;
	}
	if (s->fam == 0) {
		if (md != NULL)
			md->l3_type = ZC_L3_ARP;
		return off + 28;
	}
	plen = l4_len(proto) + s->pay;
	if (s->fam == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + off);

		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16(20 + plen);
		ip->time_to_live = 64;
		ip->next_proto_id = proto;
		if (s->frag_nf) /* Offset 800 bytes: a non-first fragment. */
			ip->fragment_offset = RTE_BE16(100);
		ck_assert_int_eq(inet_pton(AF_INET, s->src, &ip->src_addr), 1);
		ck_assert_int_eq(inet_pton(AF_INET, s->dst, &ip->dst_addr), 1);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		off += 20;
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(buf + off);

		ip->vtc_flow = RTE_BE32(0x60000000);
		ip->payload_len = rte_cpu_to_be_16(plen);
		ip->proto = proto;
		ip->hop_limits = 64;
		ck_assert_int_eq(inet_pton(AF_INET6, s->src, ip->src_addr), 1);
		ck_assert_int_eq(inet_pton(AF_INET6, s->dst, ip->dst_addr), 1);
		off += 40;
	}
	l4 = off;
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	    proto == IPPROTO_SCTP) {
		uint16_t *ports = (uint16_t *)(buf + off);

		ports[0] = rte_cpu_to_be_16(s->sport);
		ports[1] = rte_cpu_to_be_16(s->dport);
		if (proto == IPPROTO_UDP)
			ports[2] = rte_cpu_to_be_16(8 + s->pay);
		if (proto == IPPROTO_TCP)
			buf[off + 12] = 5 << 4; /* data offset: 20 bytes */
	}
	off += l4_len(proto) + s->pay;
	if (md != NULL) {
		md->l3_type = s->fam == 4 ? ZC_L3_IPV4 : ZC_L3_IPV6;
		md->l4_off = l4;
		md->l4_proto = proto;
		if (!s->no_l4)
			md->flags |= ZC_META_F_L4;
		if (s->frag_nf)
			md->flags |= ZC_META_F_FRAG | ZC_META_F_FRAG_NF;
	}
	return off;
}

static struct rte_mbuf *
mk(const struct spec *s)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(zc_unit_pool);
	uint8_t buf[2048];
	struct zc_meta md;
	uint16_t len;

	ck_assert_ptr_nonnull(m);
	len = frame(s, buf, &md);
	ck_assert_ptr_nonnull(rte_pktmbuf_append(m, len));
	memcpy(rte_pktmbuf_mtod(m, void *), buf, len);
	m->port = s->port;
	*zc_meta(m) = md;
	return m;
}

/* Same, with the frame split into two segments after 'first' bytes. */
static struct rte_mbuf *
mk_chain(const struct spec *s, uint16_t first)
{
	struct rte_mbuf *a = rte_pktmbuf_alloc(zc_unit_pool);
	struct rte_mbuf *b = rte_pktmbuf_alloc(zc_unit_pool);
	uint8_t buf[2048];
	struct zc_meta md;
	uint16_t len;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	len = frame(s, buf, &md);
	ck_assert_uint_gt(len, first);
	memcpy(rte_pktmbuf_append(a, first), buf, first);
	memcpy(rte_pktmbuf_append(b, len - first), buf + first, len - first);
	ck_assert_int_eq(rte_pktmbuf_chain(a, b), 0);
	a->port = s->port;
	*zc_meta(a) = md;
	return a;
}

/*
 * Classify specs[] as one burst and check every packet: kept in order or
 * gone, out_port and mirror_port as expected. Frees what is kept.
 * Returns the number dropped.
 */
static unsigned int
check_burst_parsed(struct zc_stage *parse, struct zc_stage *st,
		   const struct spec *specs, unsigned int n)
{
	struct rte_mbuf *pkts[ZC_BURST_MAX];
	const struct spec *want[ZC_BURST_MAX];
	unsigned int i, nkeep = 0;
	uint16_t kept;

	ck_assert_uint_le(n, ZC_BURST_MAX);
	for (i = 0; i < n; i++) {
		pkts[i] = mk(&specs[i]);
		if (specs[i].keep)
			want[nkeep++] = &specs[i];
	}
	if (parse != NULL) {
		/* The real parser fills the metadata instead. */
		for (i = 0; i < n; i++)
			zc_meta_reset(zc_meta(pkts[i]));
		ck_assert_uint_eq(parse->ops->process(parse, pkts, n), n);
	}
	kept = st->ops->process(st, pkts, n);
	ck_assert_uint_eq(kept, nkeep);
	for (i = 0; i < kept; i++) {
		const struct zc_meta *md = zc_meta(pkts[i]);
		const struct spec *s = want[i];
		struct spec got = *s;

		/* Same packet as expected, in order: compare its addresses. */
		if (s->fam != 0) {
			uint8_t buf[2048];
			uint16_t len = frame(&got, buf, NULL);

			ck_assert_uint_eq(pkts[i]->pkt_len, len);
			ck_assert_msg(memcmp(rte_pktmbuf_mtod(pkts[i], void *),
					     buf, len) == 0,
				      "kept packet %u is not %s -> %s", i,
				      s->src, s->dst);
		}
		ck_assert_msg(md->out_port == (s->out ? s->out : ZC_PORT_NONE),
			      "%s -> %s: out_port %u, expected %u", s->src,
			      s->dst, md->out_port, s->out);
		ck_assert_msg(md->mirror_port ==
			      (s->mirror ? s->mirror : ZC_PORT_NONE),
			      "%s -> %s: mirror_port %u, expected %u", s->src,
			      s->dst, md->mirror_port, s->mirror);
		rte_pktmbuf_free(pkts[i]);
	}
	return n - nkeep;
}

static unsigned int
check_burst(struct zc_stage *st, const struct spec *specs, unsigned int n)
{
	return check_burst_parsed(NULL, st, specs, n);
}

/* ---- parser ------------------------------------------------------------- */

static struct zc_acl *
load(const char *text, char *err, size_t len)
{
	struct zc_acl_params p = {
		.path = write_rules(text), .nb_ports = 3,
	};

	return zc_acl_load(&p, err, len);
}

START_TEST(parse_valid_rules)
{
	static const char text[] =
		"# zcpipe ACL\n"
		"\n"
		"priority=10 src=10.0.0.0/8 dst=192.168.0.0/16 proto=tcp sport=1024-65535 dport=80 vlan=100 in_port=0 action=deny  # web\n"
		"   dst=2001:db8::/32 proto=6/0xff action=forward:2\n"
		"\tproto=17 dport=53 action=count\n"
		"family=ipv6 vlan=none action=mirror:1\n"
		"priority=536870911 src=0.0.0.0/0 action=permit\n";
	struct zc_acl_rule_stats rs;
	struct zc_acl *acl;
	char err[512];

	acl = load(text, err, sizeof(err));
	ck_assert_msg(acl != NULL, "%s", err);
	ck_assert_uint_eq(acl->nb_rules, 5);
	/* The address-less "proto=17" rule applies to both families. */
	ck_assert_uint_eq(acl->nb_rules4, 3);
	ck_assert_uint_eq(acl->nb_rules6, 3);

	ck_assert_int_eq(zc_acl_rule_stats_of(acl, 0, &rs), 0);
	ck_assert_uint_eq(rs.id, 0);
	ck_assert_uint_eq(rs.line, 3);
	ck_assert_uint_eq(rs.priority, 10);
	ck_assert_uint_eq(rs.family, 4);
	ck_assert_uint_eq(rs.action, ZC_ACL_DENY);
	ck_assert_str_eq(rs.text, "priority=10 src=10.0.0.0/8 dst=192.168.0.0/16 proto=tcp sport=1024-65535 dport=80 vlan=100 in_port=0 action=deny");
	ck_assert_uint_eq(rs.pkts, 0);

	ck_assert_int_eq(zc_acl_rule_stats_of(acl, 1, &rs), 0);
	ck_assert_uint_eq(rs.line, 4);
	ck_assert_uint_eq(rs.family, 6);
	ck_assert_uint_eq(rs.action, ZC_ACL_FORWARD);
	ck_assert_uint_eq(rs.port, 2);
	ck_assert_str_eq(rs.text, "dst=2001:db8::/32 proto=6/0xff action=forward:2");

	ck_assert_int_eq(zc_acl_rule_stats_of(acl, 2, &rs), 0);
	ck_assert_uint_eq(rs.family, 0);
	ck_assert_uint_eq(rs.action, ZC_ACL_COUNT);
	ck_assert_int_eq(zc_acl_rule_stats_of(acl, 3, &rs), 0);
	ck_assert_uint_eq(rs.family, 6);
	ck_assert_uint_eq(rs.action, ZC_ACL_MIRROR);
	ck_assert_uint_eq(rs.port, 1);
	ck_assert_int_eq(zc_acl_rule_stats_of(acl, 4, &rs), 0);
	ck_assert_uint_eq(rs.line, 7);
	ck_assert_uint_eq(rs.action, ZC_ACL_PERMIT);
	ck_assert_int_eq(zc_acl_rule_stats_of(acl, 5, &rs), -1);

	/* Verdict table: forward/mirror ports are ethdev ids (identity
	 * here), 0 is the default, nb_rules + 1 the non-IP bypass.
	 */
	ck_assert_uint_eq(acl->verdict[0].action, ZC_ACL_PERMIT);
	ck_assert_uint_eq(acl->verdict[2].action, ZC_ACL_FORWARD);
	ck_assert_uint_eq(acl->verdict[2].port, 2);
	ck_assert_uint_eq(acl->bypass, 6);
	ck_assert_uint_eq(acl->verdict[6].action, ZC_ACL_PERMIT);

	ck_assert_int_eq(zc_acl_build(acl, 0, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(acl->ctx4[0]);
	ck_assert_ptr_nonnull(acl->ctx6[0]);
	zc_acl_free(acl);
}
END_TEST

START_TEST(parse_empty_file_has_no_context)
{
	struct zc_acl *acl;
	char err[512];

	acl = load("# nothing here\n\n   # still nothing\n", err, sizeof(err));
	ck_assert_msg(acl != NULL, "%s", err);
	ck_assert_uint_eq(acl->nb_rules, 0);
	ck_assert_int_eq(zc_acl_build(acl, 0, err, sizeof(err)), 0);
	ck_assert_ptr_null(acl->ctx4[0]);
	ck_assert_ptr_null(acl->ctx6[0]);
	zc_acl_free(acl);
}
END_TEST

static const struct {
	const char *line;
	const char *msg;
} bad_lines[] = {
	{ "src=10.0.0.0/8",
	  "missing action= (permit, deny, count, forward:PORT or mirror:PORT)" },
	{ "action=drop",
	  "action: expected permit, deny, count, forward:PORT or mirror:PORT, got 'drop'" },
	{ "action=forward",
	  "action: forward needs a port, as in forward:1" },
	{ "action=mirror:7",
	  "action: port 7 is not configured (ports 0 to 2 exist)" },
	{ "action=forward:one",
	  "action: expected a port number, got 'one'" },
	{ "action=deny:1",
	  "action: deny takes no port, got 'deny:1'" },
	{ "src=10.0.0.0/33 action=deny",
	  "src: expected an IPv4 prefix such as 10.0.0.0/8, got '10.0.0.0/33'" },
	{ "dst=10.0.0 action=deny",
	  "dst: expected an IPv4 prefix such as 10.0.0.0/8, got '10.0.0'" },
	{ "dst=2001:db8::g/32 action=deny",
	  "dst: expected an IPv6 prefix such as 2001:db8::/32, got '2001:db8::g/32'" },
	{ "src=10.1.0.0/8 action=deny",
	  "src: '10.1.0.0/8' has bits set beyond the /8 prefix length" },
	{ "dst=2001:db8::1/64 action=deny",
	  "dst: '2001:db8::1/64' has bits set beyond the /64 prefix length" },
	{ "src=10.0.0.0/8 dst=2001:db8::/32 action=deny",
	  "src is IPv4 but dst is IPv6" },
	{ "family=ipv6 src=10.0.0.0/8 action=deny",
	  "family is ipv6 but the addresses are IPv4" },
	{ "family=ip4 action=deny",
	  "family: expected ipv4 or ipv6, got 'ip4'" },
	{ "proto=tcpp action=deny",
	  "proto: expected a number 0-255 or icmp, tcp, udp, gre, esp, ah, icmpv6, sctp, optionally /MASK, got 'tcpp'" },
	{ "proto=256 action=deny",
	  "proto: expected a number 0-255 or icmp, tcp, udp, gre, esp, ah, icmpv6, sctp, optionally /MASK, got '256'" },
	{ "proto=0x action=deny",
	  "proto: expected a number 0-255 or icmp, tcp, udp, gre, esp, ah, icmpv6, sctp, optionally /MASK, got '0x'" },
	{ "proto=6/0x1ff action=deny",
	  "proto: expected a number 0-255 or icmp, tcp, udp, gre, esp, ah, icmpv6, sctp, optionally /MASK, got '6/0x1ff'" },
	{ "proto=tcp dport=80-70 action=deny",
	  "dport: range '80-70' runs backwards (write LO-HI)" },
	{ "proto=udp sport=65536 action=deny",
	  "sport: expected a port or a range LO-HI within 0-65535, got '65536'" },
	{ "proto=udp sport=1- action=deny",
	  "sport: expected a port or a range LO-HI within 0-65535, got '1-'" },
	{ "proto=icmp dport=80 action=deny",
	  "dport: protocol 1 has no ports (ports are matched for tcp, udp and sctp only)" },
	{ "vlan=4096 action=deny",
	  "vlan: expected none, a VLAN id or a range LO-HI within 0-4095, got '4096'" },
	{ "vlan=20-10 action=deny",
	  "vlan: range '20-10' runs backwards (write LO-HI)" },
	{ "in_port=3 action=deny",
	  "in_port: port 3 is not configured (ports 0 to 2 exist)" },
	{ "in_port=x action=deny",
	  "in_port: expected a port number, got 'x'" },
	{ "priority=-1 action=deny",
	  "priority: expected a number from 0 to 536870911, got '-1'" },
	{ "priority=536870912 action=deny",
	  "priority: expected a number from 0 to 536870911, got '536870912'" },
	{ "prio=1 action=deny",
	  "unknown key 'prio' (keys: priority, family, src, dst, proto, sport, dport, vlan, in_port, action)" },
	{ "action=deny action=permit", "action: given twice" },
	{ "deny", "expected key=value, got 'deny'" },
	{ "=deny", "expected key=value, got '=deny'" },
	{ "src= action=deny", "src: empty value" },
};

START_TEST(parse_bad_line)
{
	char text[512], want[1024], err[1024];
	struct zc_acl *acl;

	/* The bad rule is on line 3, after a comment and a good rule. */
	snprintf(text, sizeof(text),
		 "# header\npriority=1 action=permit\n%s   # comment\n"
		 "action=deny\n", bad_lines[_i].line);
	acl = load(text, err, sizeof(err));
	ck_assert_msg(acl == NULL, "'%s' was accepted", bad_lines[_i].line);
	snprintf(want, sizeof(want), "%s:3: %s", rules_path, bad_lines[_i].msg);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(parse_long_line_and_missing_file)
{
	char text[2048], want[1024], err[1024];
	struct zc_acl_params p = { .path = "/nonexistent/zc.acl", .nb_ports = 1 };
	struct zc_acl *acl;

	memset(text, 0, sizeof(text));
	strcpy(text, "action=deny\naction=permit priority=1 ");
	memset(text + strlen(text), ' ', 1100);
	strcat(text, "\n");
	acl = load(text, err, sizeof(err));
	ck_assert_ptr_null(acl);
	snprintf(want, sizeof(want), "%s:2: line longer than 1024 characters",
		 rules_path);
	ck_assert_str_eq(err, want);

	ck_assert_ptr_null(zc_acl_load(&p, err, sizeof(err)));
	ck_assert_str_eq(err, "/nonexistent/zc.acl: cannot open: No such file or directory");
}
END_TEST

/* The app path: init fails, the message names both files and lines. */
START_TEST(stage_init_reports_bad_rule)
{
	struct zc_stage st;
	char want[1024];

	cfg_setup("action=permit\nproto=udp dport=99999 action=deny\n", 0);
	ck_assert_int_eq(stage_start(&st, "classify", 0), -1);
	snprintf(want, sizeof(want),
		 "%s:%u: [acl] rules: %s:2: dport: expected a port or a range LO-HI within 0-65535, got '99999'",
		 ini_path, INI_RULES_LINE, rules_path);
	ck_assert_str_eq(zc_config_strerror(), want);
	ck_assert_ptr_null(zc_acl_active());
	stage_stop(&st);

	/* A chain without parse before classify is refused. */
	cfg_setup("action=permit\n", 0);
	strlcpy(cfg.pipeline[0].stage[1], "classify", ZC_STAGE_NAME_LEN);
	strlcpy(cfg.pipeline[0].stage[2], "parse", ZC_STAGE_NAME_LEN);
	ck_assert_int_eq(stage_start(&st, "classify", 0), -1);
	snprintf(want, sizeof(want),
		 "%s: [pipeline.0] stages: classify needs the parse stage before it in the chain",
		 ini_path);
	ck_assert_str_eq(zc_config_strerror(), want);
	stage_stop(&st);
}
END_TEST

/* ---- classification ------------------------------------------------------- */

#define V4(s, d) .fam = 4, .src = (s), .dst = (d)
#define V6(s, d) .fam = 6, .src = (s), .dst = (d)

/* One deny rule per match field; each denied packet has a twin that
 * differs only in that field and passes (default permit).
 */
START_TEST(classify_each_field)
{
	static const char rules[] =
		"src=10.1.0.0/16 action=deny\n"
		"dst=192.168.7.0/24 action=deny\n"
		"proto=gre action=deny\n"
		"proto=udp dport=5000-5010 action=deny\n"
		"proto=tcp sport=1234 action=deny\n"
		"vlan=100 action=deny\n"
		"in_port=2 action=deny\n"
		"src=2001:db8:aaaa::/48 action=deny\n"
		"dst=2001:db8:0:0:8000::/65 action=deny\n"
		"proto=0x80/0x80 action=deny\n"
		"dst=172.16.0.1 vlan=none action=deny\n"
		"src=10.50.0.0/16 vlan=200-299 proto=udp sport=7 dport=9 in_port=1 action=deny\n";
	static const struct spec specs[] = {
		{ V4("10.9.9.9", "10.8.8.8"), .keep = 1 },
		{ V4("10.1.200.1", "10.8.8.8") },               /* src */
		{ V4("10.2.0.1", "10.8.8.8"), .keep = 1 },
		{ V4("10.9.9.9", "192.168.7.255") },            /* dst */
		{ V4("10.9.9.9", "192.168.8.0"), .keep = 1 },
		{ V4("10.9.9.9", "10.8.8.8"), .proto = 47 },    /* proto */
		{ V4("10.9.9.9", "10.8.8.8"), .proto = 46, .keep = 1 },
		{ V4("10.9.9.9", "10.8.8.8"), .dport = 5000 },  /* dport */
		{ V4("10.9.9.9", "10.8.8.8"), .dport = 5010 },
		{ V4("10.9.9.9", "10.8.8.8"), .dport = 5011, .keep = 1 },
		{ V4("10.9.9.9", "10.8.8.8"), .proto = IPPROTO_TCP,
		  .dport = 5005, .keep = 1 },                   /* not UDP */
		{ V4("10.9.9.9", "10.8.8.8"), .proto = IPPROTO_TCP,
		  .sport = 1234 },                              /* sport */
		{ V4("10.9.9.9", "10.8.8.8"), .proto = IPPROTO_TCP,
		  .sport = 1235, .keep = 1 },
		{ V4("10.9.9.9", "10.8.8.8"), .tagged = 1, .vid = 100 },
		{ V4("10.9.9.9", "10.8.8.8"), .tagged = 1, .vid = 101,
		  .keep = 1 },                                  /* vlan */
		{ V4("10.9.9.9", "10.8.8.8"), .port = PORT_ID(2) },
		{ V4("10.9.9.9", "10.8.8.8"), .port = PORT_ID(1), .keep = 1 },
		{ V6("2001:db8:aaaa:1::1", "2001:db8:1::1") },  /* v6 src */
		{ V6("2001:db8:aaab::1", "2001:db8:1::1"), .keep = 1 },
		{ V6("2001:db8:1::1", "2001:db8::8000:0:0:1") }, /* v6 dst */
		{ V6("2001:db8:1::1", "2001:db8::ffff:0:0:0") },
		{ V6("2001:db8:1::1", "2001:db8::7fff:0:0:1"), .keep = 1 },
		{ V6("2001:db8:1::1", "2001:db8:0:1:8000::1"), .keep = 1 },
		{ V4("10.9.9.9", "10.8.8.8"), .proto = IPPROTO_SCTP },
		{ V6("2001:db8:1::1", "2001:db8:2::1"), .proto = 255 },
		{ V4("10.9.9.9", "10.8.8.8"), .proto = 127, .keep = 1 },
		{ V4("10.9.9.9", "172.16.0.1") },               /* untagged */
		{ V4("10.9.9.9", "172.16.0.1"), .tagged = 1, .vid = 0,
		  .keep = 1 },                                  /* VID 0 != none */
		{ V4("10.9.9.9", "172.16.0.1"), .tagged = 1, .vid = 5,
		  .keep = 1 },
		/* All of rule 12's fields at once, then each one off. */
		{ V4("10.50.1.1", "1.1.1.1"), .tagged = 1, .vid = 250,
		  .sport = 7, .dport = 9, .port = PORT_ID(1) },
		{ V4("10.51.1.1", "1.1.1.1"), .tagged = 1, .vid = 250,
		  .sport = 7, .dport = 9, .port = PORT_ID(1), .keep = 1 },
		{ V4("10.50.1.1", "1.1.1.1"), .tagged = 1, .vid = 300,
		  .sport = 7, .dport = 9, .port = PORT_ID(1), .keep = 1 },
		{ V4("10.50.1.1", "1.1.1.1"), .sport = 7, .dport = 9,
		  .port = PORT_ID(1), .keep = 1 },
		{ V4("10.50.1.1", "1.1.1.1"), .tagged = 1, .vid = 250,
		  .sport = 8, .dport = 9, .port = PORT_ID(1), .keep = 1 },
		{ V4("10.50.1.1", "1.1.1.1"), .tagged = 1, .vid = 250,
		  .sport = 7, .dport = 10, .port = PORT_ID(1), .keep = 1 },
		{ V4("10.50.1.1", "1.1.1.1"), .tagged = 1, .vid = 250,
		  .sport = 7, .dport = 9, .port = PORT_ID(0), .keep = 1 },
		{ V4("10.50.1.1", "1.1.1.1"), .tagged = 1, .vid = 250,
		  .proto = IPPROTO_TCP, .sport = 7, .dport = 9,
		  .port = PORT_ID(1), .keep = 1 },
		{ .fam = 0, .keep = 1 },                        /* ARP */
	};
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	unsigned int i, denied = 0;
	struct zc_stage st;

	for (i = 0; i < RTE_DIM(specs); i++)
		denied += !specs[i].keep;
	cfg_setup(rules, 0);
	ck_assert_msg(stage_start(&st, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(check_burst(&st, specs, RTE_DIM(specs)), denied);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_ACL_DENY], denied);
	ck_assert_uint_eq(zc_stage_drops_total(&st), denied);
	stage_stop(&st);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* Higher priority wins whatever the order; equal priority: earlier line. */
START_TEST(classify_priorities_and_actions)
{
	static const char rules[] =
		"src=10.0.0.0/8 action=deny\n"
		"priority=5 src=10.1.0.0/16 action=forward:1\n"
		"priority=5 src=10.1.2.0/24 action=mirror:2\n"
		"priority=6 src=10.1.3.0/24 action=mirror:2\n"
		"priority=6 src=2001:db8::/32 action=forward:0\n"
		"priority=7 dst=10.200.0.1 action=count\n"
		"priority=7 src=10.77.0.0/16 action=permit\n"
		"priority=8 proto=0x11 dport=010 action=forward:2\n";
	static const struct spec specs[] = {
		{ V4("10.5.0.1", "1.1.1.1") },
		{ V4("10.1.2.3", "1.1.1.1"), .keep = 1, .out = PORT_ID(1) },
		{ V4("10.1.9.9", "1.1.1.1"), .keep = 1, .out = PORT_ID(1) },
		{ V4("10.1.3.3", "1.1.1.1"), .keep = 1, .mirror = PORT_ID(2) },
		{ V4("10.1.2.3", "10.200.0.1"), .keep = 1 },
		{ V4("10.77.1.1", "1.1.1.1"), .keep = 1 },
		{ V6("2001:db8::5", "2001:db9::5"), .keep = 1,
		  .out = PORT_ID(0) },
		{ V6("2001:db9::5", "2001:db8::5"), .keep = 1 },
		{ V4("11.0.0.1", "1.1.1.1"), .keep = 1 },
		/* "010" is ten, not octal eight; 0x11 is UDP. */
		{ V4("12.0.0.1", "1.1.1.1"), .dport = 10, .keep = 1,
		  .out = PORT_ID(2) },
		{ V4("12.0.0.1", "1.1.1.1"), .dport = 8, .keep = 1 },
	};
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct zc_stage st;

	cfg_setup(rules, 0);
	ck_assert_msg(stage_start(&st, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(check_burst(&st, specs, RTE_DIM(specs)), 1);
	stage_stop(&st);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

START_TEST(classify_default_deny)
{
	static const char rules[] =
		"proto=udp dport=53 action=permit\n"
		"src=2001:db8::/32 action=permit\n";
	static const struct spec specs[] = {
		{ V4("10.0.0.1", "10.0.0.2"), .dport = 53, .keep = 1 },
		{ V4("10.0.0.1", "10.0.0.2"), .dport = 54 },
		{ V6("2001:db8::1", "2001:db9::1"), .keep = 1 },
		{ V6("2001:db9::1", "2001:db8::1"), .dport = 53, .keep = 1 },
		{ V6("2001:db9::1", "2001:db8::1"), .dport = 80 },
		{ .fam = 0, .keep = 1 },        /* ARP: the ACL does not apply */
		{ V4("10.0.0.1", "10.0.0.2"), .proto = IPPROTO_ICMP },
	};
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct zc_acl_ctr none, bypass;
	struct zc_stage st;

	cfg_setup(rules, 1);
	ck_assert_msg(stage_start(&st, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(check_burst(&st, specs, RTE_DIM(specs)), 3);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_ACL_DENY], 3);
	ck_assert_int_eq(zc_acl_other_stats(&none, &bypass), 0);
	ck_assert_uint_eq(none.pkts, 3);
	ck_assert_uint_eq(bypass.pkts, 1);
	ck_assert_uint_eq(bypass.bytes, 14 + 28);
	stage_stop(&st);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* No rule file: the ACL is the default action alone. */
START_TEST(classify_without_rules)
{
	static const struct spec permit[] = {
		{ V4("10.0.0.1", "10.0.0.2"), .keep = 1 },
		{ V6("2001:db8::1", "2001:db9::1"), .keep = 1 },
		{ .fam = 0, .keep = 1 },
	};
	static const struct spec deny[] = {
		{ V4("10.0.0.1", "10.0.0.2") },
		{ V6("2001:db8::1", "2001:db9::1") },
		{ .fam = 0, .keep = 1 },
	};
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct zc_stage st;

	cfg_setup(NULL, 0);
	ck_assert_msg(stage_start(&st, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(zc_acl_rule_count(), 0);
	ck_assert_uint_eq(check_burst(&st, permit, RTE_DIM(permit)), 0);
	stage_stop(&st);
	cfg_setup(NULL, 1);
	ck_assert_msg(stage_start(&st, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(check_burst(&st, deny, RTE_DIM(deny)), 2);
	stage_stop(&st);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* Ports are 0 unless the parser found an L4 header with ports. */
START_TEST(classify_ports_zero_without_l4)
{
	static const char rules[] =
		"proto=udp dport=0 action=deny\n"
		"proto=tcp dport=0 action=deny\n";
	static const struct spec specs[] = {
		{ V4("10.0.0.1", "10.0.0.2"), .dport = 53, .keep = 1 },
		{ V4("10.0.0.1", "10.0.0.2"), .dport = 53, .no_l4 = 1 },
		{ V4("10.0.0.1", "10.0.0.2"), .dport = 53, .frag_nf = 1 },
		{ V6("2001:db8::1", "2001:db9::1"), .proto = IPPROTO_TCP,
		  .dport = 80, .keep = 1 },
		{ V6("2001:db8::1", "2001:db9::1"), .proto = IPPROTO_TCP,
		  .dport = 80, .frag_nf = 1 },
	};
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct zc_stage st;

	cfg_setup(rules, 0);
	ck_assert_msg(stage_start(&st, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(check_burst(&st, specs, RTE_DIM(specs)), 3);
	stage_stop(&st);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* Headers split across segments are read whole; unreadable ones dropped. */
START_TEST(classify_chains_and_truncation)
{
	static const struct spec v6 = {
		V6("2001:db8::1", "2001:db9::1"), .proto = IPPROTO_UDP,
		.dport = 4242,
	};
	static const struct spec v4 = {
		V4("10.3.0.1", "10.0.0.2"), .proto = IPPROTO_UDP,
		.dport = 4242,
	};
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct rte_mbuf *pkts[6];
	struct zc_stage st;
	uint16_t kept;

	cfg_setup("src=2001:db8::/32 proto=udp dport=4242 action=forward:2\n"
		  "src=10.3.0.0/16 proto=udp dport=4242 action=mirror:1\n",
		  0);
	ck_assert_msg(stage_start(&st, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	/* IPv6 header split after 14 + 10 bytes, ports split in the middle. */
	pkts[0] = mk_chain(&v6, 24);
	pkts[1] = mk_chain(&v6, 14 + 40 + 1);
	pkts[2] = mk_chain(&v4, 14 + 20 + 3);
	/* IPv4 cut short: only 14 + 12 bytes of it are there. */
	pkts[3] = mk(&v4);
	rte_pktmbuf_trim(pkts[3], pkts[3]->pkt_len - 26);
	/* IPv6 claims an L4 header beyond the end. */
	pkts[4] = mk(&v6);
	zc_meta(pkts[4])->l4_off = pkts[4]->pkt_len - 2;
	pkts[5] = mk(&v6);
	zc_meta(pkts[5])->l3_off = pkts[5]->pkt_len - 39;
	kept = st.ops->process(&st, pkts, 6);
	ck_assert_uint_eq(kept, 3);
	ck_assert_uint_eq(zc_meta(pkts[0])->out_port, PORT_ID(2));
	ck_assert_uint_eq(pkts[0]->nb_segs, 2);
	ck_assert_uint_eq(zc_meta(pkts[1])->out_port, PORT_ID(2));
	ck_assert_uint_eq(zc_meta(pkts[2])->mirror_port, PORT_ID(1));
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_IPV4_TRUNCATED], 1);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_L4_TRUNCATED], 1);
	ck_assert_uint_eq(st.stats.drops[ZC_DROP_IPV6_TRUNCATED], 1);
	rte_pktmbuf_free_bulk(pkts, kept);
	stage_stop(&st);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* Counters: per rule, per lcore, summed by the accessor. */
START_TEST(counters_sum_over_lcores)
{
	static const char rules[] =
		"src=10.0.0.0/8 action=count\n"
		"src=2001:db8::/32 action=deny\n";
	static const struct spec a[] = {
		{ V4("10.0.0.1", "1.1.1.1"), .pay = 10, .keep = 1 },
		{ V4("10.0.0.2", "1.1.1.1"), .pay = 100, .keep = 1 },
		{ V6("2001:db8::1", "2001:db9::1"), .pay = 1 },
		{ V4("11.0.0.1", "1.1.1.1"), .keep = 1 },
	};
	static const struct spec b[] = {
		{ V4("10.9.0.1", "1.1.1.1"), .pay = 1000, .keep = 1 },
		{ V6("2001:db8::2", "2001:db9::1"), .pay = 2 },
		{ V6("2001:db8::3", "2001:db9::1"), .pay = 3 },
		{ .fam = 0, .keep = 1 },
	};
	const unsigned int h4 = 14 + 20 + 8, h6 = 14 + 40 + 8;
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct zc_acl_rule_stats rs;
	struct zc_acl_ctr none, bypass;
	struct zc_stage s0, s1;
	struct zc_acl *acl;

	cfg_setup(rules, 0);
	ck_assert_msg(stage_start(&s0, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	ck_assert_msg(stage_start(&s1, "classify", 1) == 0, "%s",
		      zc_config_strerror());
	/* One rule set shared by both, one counter row each. */
	acl = zc_acl_active();
	ck_assert_ptr_nonnull(acl);
	ck_assert_ptr_nonnull(acl->ctr[0]);
	ck_assert_ptr_nonnull(acl->ctr[1]);
	ck_assert_ptr_ne(acl->ctr[0], acl->ctr[1]);
	ck_assert_uint_eq(zc_acl_rule_count(), 2);

	ck_assert_uint_eq(check_burst(&s0, a, RTE_DIM(a)), 1);
	ck_assert_uint_eq(check_burst(&s1, b, RTE_DIM(b)), 2);
	ck_assert_uint_eq(check_burst(&s0, b, RTE_DIM(b)), 2);

	ck_assert_int_eq(zc_acl_rule_stats(0, &rs), 0);
	ck_assert_uint_eq(rs.pkts, 2 + 1 + 1);
	ck_assert_uint_eq(rs.bytes, 4 * h4 + 10 + 100 + 1000 + 1000);
	ck_assert_str_eq(rs.text, "src=10.0.0.0/8 action=count");
	ck_assert_int_eq(zc_acl_rule_stats(1, &rs), 0);
	ck_assert_uint_eq(rs.pkts, 1 + 2 + 2);
	ck_assert_uint_eq(rs.bytes, 5 * h6 + 1 + 2 + 3 + 2 + 3);
	ck_assert_int_eq(zc_acl_rule_stats(2, &rs), -1);
	/* Per lcore: lcore 1 saw burst b once. */
	ck_assert_uint_eq(acl->ctr[1][2].pkts, 2);
	ck_assert_uint_eq(acl->ctr[0][2].pkts, 3);
	zc_acl_other_stats(&none, &bypass);
	ck_assert_uint_eq(none.pkts, 1);
	ck_assert_uint_eq(none.bytes, h4);
	ck_assert_uint_eq(bypass.pkts, 2);

	stage_stop(&s0);
	ck_assert_ptr_eq(zc_acl_active(), acl);
	stage_stop(&s1);
	ck_assert_ptr_null(zc_acl_active());
	ck_assert_uint_eq(zc_acl_rule_count(), 0);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* The real parse stage in front: its metadata is what classify reads. */
START_TEST(classify_after_real_parse)
{
	static const struct spec specs[] = {
		{ V4("10.1.1.1", "10.2.2.2"), .tagged = 1, .vid = 42 },
		{ V4("10.1.1.1", "10.2.2.2"), .tagged = 1, .vid = 43,
		  .keep = 1 },
		{ V4("10.1.1.1", "10.2.2.2"), .keep = 1, .out = PORT_ID(2) },
		{ V6("2001:db8::1", "2001:db9::1"), .tagged = 1, .vid = 7,
		  .keep = 1 },
		{ V6("2001:db8::1", "2001:db9::1") },
		{ V4("10.1.1.1", "10.3.3.3"), .proto = IPPROTO_TCP,
		  .dport = 443 },
		{ V4("10.1.1.1", "10.3.3.3"), .proto = IPPROTO_TCP,
		  .dport = 444, .keep = 1 },
		{ V4("10.1.1.1", "10.3.3.3"), .proto = IPPROTO_TCP,
		  .dport = 443, .frag_nf = 1, .keep = 1 },   /* no ports */
		{ V6("2001:db9::1", "2001:db9::2"), .sport = 53,
		  .keep = 1, .mirror = PORT_ID(1) },
		{ V6("2001:db9::1", "2001:db9::2"), .sport = 54, .keep = 1 },
		{ V6("2001:db9::1", "2001:db9::2"), .proto = IPPROTO_SCTP,
		  .sport = 53, .keep = 1 },
		{ V4("10.1.1.1", "10.3.3.3"), .proto = IPPROTO_ICMP,
		  .keep = 1 },
		{ .fam = 0, .keep = 1 },
	};
	unsigned int avail = rte_mempool_avail_count(zc_unit_pool);
	struct zc_stage parse, cls;

	cfg_setup("vlan=42 action=deny\n"
		  "src=2001:db8::/32 vlan=none action=deny\n"
		  "dst=10.2.2.2 vlan=none action=forward:2\n"
		  "proto=tcp dport=443 action=deny\n"
		  "proto=udp sport=53 action=mirror:1\n", 0);
	ck_assert_int_eq(stage_start(&parse, "parse", 0), 0);
	ck_assert_msg(stage_start(&cls, "classify", 0) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(check_burst_parsed(&parse, &cls, specs,
					     RTE_DIM(specs)), 3);
	stage_stop(&cls);
	stage_stop(&parse);
	ck_assert_uint_eq(rte_mempool_avail_count(zc_unit_pool), avail);
}
END_TEST

/* ---- scale ---------------------------------------------------------------- */

/* 10,000 rules of the kind the benchmark uses (scripts/gen_acl_rules.py
 * makes the same mix): 4/5 IPv4, 1/5 IPv6, prefixes, protocols, port
 * ranges, priorities. Deterministic.
 */
static uint32_t
rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (uint32_t)(*x >> 16);
}

static void
gen_rules(FILE *f, unsigned int n)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t r = rnd(&x), prio = rnd(&x) % 100;
		uint32_t a = rnd(&x), b = rnd(&x), c = rnd(&x), d = rnd(&x);
		uint32_t lo = rnd(&x) % 60000, width = rnd(&x) % 1000;

		fprintf(f, "priority=%u ", prio);
		if (i % 5 == 4)
			fprintf(f, "src=2001:db8:%x:%x::/64 dst=2001:db8:%x::/48 ",
				a & 0xffff, b & 0xffff, c & 0xffff);
		else
			fprintf(f, "src=%u.%u.%u.0/24 dst=%u.%u.0.0/16 ",
				10 + a % 100, b % 256, c % 256, 172 + d % 20,
				(d >> 8) % 256);
		fprintf(f, "proto=%s ", r & 1 ? "tcp" : "udp");
		if (r & 2)
			fprintf(f, "dport=%u ", lo);
		else
			fprintf(f, "dport=%u-%u ", lo, lo + width);
		fprintf(f, "action=%s\n", r & 4 ? "deny" : "permit");
	}
}

START_TEST(build_10000_rules)
{
	char path[300], err[512];
	uint64_t ns = 0, bytes = 0;
	uint32_t nb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s",
		 zc_unit_write_file("rules10k.acl", "# generated\n"));
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	gen_rules(f, 10000);
	fclose(f);
	ck_assert_msg(zc_acl_build_stats(path, &ns, &bytes, &nb, err,
					 sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(nb, 10000);
	printf("acl build: %u rules in %.1f ms, %.1f MiB of rte_malloc memory\n",
	       nb, ns / 1e6, bytes / 1048576.0);
	/* At least the rules themselves (IPv4 rules are the smaller). */
	ck_assert_uint_gt(bytes, 10000 * RTE_ACL_RULE_SZ(7));
	/* A sanity bound, not a benchmark: ~1 s here, pathological trie
	 * growth takes minutes.
	 */
	ck_assert_msg(ns < 15000000000ull, "build took %.1f s", ns / 1e9);

	/* The benchmark's own rule file, if named (scripts/gen_acl_rules.py). */
	if (getenv("ZC_ACL_BENCH_RULES") != NULL) {
		const char *bench = getenv("ZC_ACL_BENCH_RULES");

		ck_assert_msg(zc_acl_build_stats(bench, &ns, &bytes, &nb, err,
						 sizeof(err)) == 0, "%s", err);
		printf("acl build: %s: %u rules in %.1f ms, %.1f MiB of rte_malloc memory\n",
		       bench, nb, ns / 1e6, bytes / 1048576.0);
	}
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("acl");
	TCase *tc = tcase_create("parser");

	tcase_add_test(tc, parse_valid_rules);
	tcase_add_test(tc, parse_empty_file_has_no_context);
	tcase_add_loop_test(tc, parse_bad_line, 0, RTE_DIM(bad_lines));
	tcase_add_test(tc, parse_long_line_and_missing_file);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, stage_init_reports_bad_rule);
	suite_add_tcase(s, tc);

	tc = tcase_create("classify");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, classify_each_field);
	tcase_add_test(tc, classify_priorities_and_actions);
	tcase_add_test(tc, classify_default_deny);
	tcase_add_test(tc, classify_without_rules);
	tcase_add_test(tc, classify_ports_zero_without_l4);
	tcase_add_test(tc, classify_chains_and_truncation);
	tcase_add_test(tc, counters_sum_over_lcores);
	tcase_add_test(tc, classify_after_real_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("scale");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, build_10000_rules);
	suite_add_tcase(s, tc);
	return s;
}
