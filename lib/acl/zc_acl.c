/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * ACL rule files and their rte_acl contexts. Control path only: the
 * classify stage does the lookups (lib/acl/classify.c).
 *
 * Rule priority: rte_acl returns, per packet, the matching rule with the
 * highest priority, and leaves ties open. zcpipe wants "higher priority=
 * wins, and among equal priorities the earlier line wins", so each rule
 * gets a unique rte_acl priority from its rank in that order.
 */

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_acl.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "acl/zc_acl.h"
#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_stage.h"
#include "parse/zc_parse.h"

/* A parsed rule: what the file said, ports still as configured indexes. */
struct zc_acl_rule {
	uint32_t line;         /* Line in the file. */
	uint32_t priority;     /* priority= as written. */
	uint32_t rank;         /* rte_acl priority: unique, higher wins. */
	uint8_t family;        /* 4, 6, or 0 for both. */
	uint8_t src_len;       /* Prefix length of src (0: any). */
	uint8_t dst_len;       /* Prefix length of dst (0: any). */
	uint8_t proto;         /* Protocol value. */
	uint8_t proto_mask;    /* Protocol mask (0: any). */
	uint8_t action;        /* enum zc_acl_action. */
	uint16_t action_port;  /* Configured port of forward/mirror. */
	uint8_t has_in_port;   /* in_port= given. */
	uint16_t in_port;      /* Configured ingress port. */
	uint16_t sport[2];     /* Source port range, inclusive. */
	uint16_t dport[2];     /* Destination port range, inclusive. */
	uint16_t vlan[2];      /* VLAN id range, inclusive. */
	uint8_t src[16];       /* Source prefix (IPv4: first 4 bytes). */
	uint8_t dst[16];       /* Destination prefix. */
	char *text;            /* The rule as written. */
};

/* rte_acl field layout of the IPv4 key (struct zc_acl_key4). */
enum {
	F4_PROTO, F4_SRC, F4_DST, F4_SPORT, F4_DPORT, F4_VLAN, F4_INPORT,
	F4_NUM
};

/* rte_acl field layout of the IPv6 key (struct zc_acl_key6). */
enum {
	F6_PROTO,
	F6_SRC0, F6_SRC1, F6_SRC2, F6_SRC3,
	F6_DST0, F6_DST1, F6_DST2, F6_DST3,
	F6_SPORT, F6_DPORT, F6_VLAN, F6_INPORT,
	F6_NUM
};

RTE_ACL_RULE_DEF(zc_acl_rule4, F4_NUM);
RTE_ACL_RULE_DEF(zc_acl_rule6, F6_NUM);

#define DEF(t, sz, fi, ii, st, mb) { \
	.type = RTE_ACL_FIELD_TYPE_##t, .size = (sz), .field_index = (fi), \
	.input_index = (ii), .offset = offsetof(struct st, mb) }

static const struct rte_acl_field_def defs4[F4_NUM] = {
	DEF(BITMASK, 1, F4_PROTO, 0, zc_acl_key4, proto),
	DEF(MASK, 4, F4_SRC, 1, zc_acl_key4, src),
	DEF(MASK, 4, F4_DST, 2, zc_acl_key4, dst),
	DEF(RANGE, 2, F4_SPORT, 3, zc_acl_key4, sport),
	DEF(RANGE, 2, F4_DPORT, 3, zc_acl_key4, dport),
	DEF(RANGE, 2, F4_VLAN, 4, zc_acl_key4, vlan),
	DEF(RANGE, 2, F4_INPORT, 4, zc_acl_key4, in_port),
};

#define DEF6(fi, ii, mb, k) { \
	.type = RTE_ACL_FIELD_TYPE_MASK, .size = 4, .field_index = (fi), \
	.input_index = (ii), \
	.offset = offsetof(struct zc_acl_key6, mb) + 4 * (k) }

static const struct rte_acl_field_def defs6[F6_NUM] = {
	DEF(BITMASK, 1, F6_PROTO, 0, zc_acl_key6, proto),
	DEF6(F6_SRC0, 1, src, 0),
	DEF6(F6_SRC1, 2, src, 1),
	DEF6(F6_SRC2, 3, src, 2),
	DEF6(F6_SRC3, 4, src, 3),
	DEF6(F6_DST0, 5, dst, 0),
	DEF6(F6_DST1, 6, dst, 1),
	DEF6(F6_DST2, 7, dst, 2),
	DEF6(F6_DST3, 8, dst, 3),
	DEF(RANGE, 2, F6_SPORT, 9, zc_acl_key6, sport),
	DEF(RANGE, 2, F6_DPORT, 9, zc_acl_key6, dport),
	DEF(RANGE, 2, F6_VLAN, 10, zc_acl_key6, vlan),
	DEF(RANGE, 2, F6_INPORT, 10, zc_acl_key6, in_port),
};

/* The rte_acl field offsets above assume these layouts. */
static_assert(sizeof(struct zc_acl_key4) == 20, "zc_acl_key4 layout");
static_assert(sizeof(struct zc_acl_key6) == 44, "zc_acl_key6 layout");

static const char *const action_names[] = {
	[ZC_ACL_PERMIT] = "permit",
	[ZC_ACL_DENY] = "deny",
	[ZC_ACL_COUNT] = "count",
	[ZC_ACL_FORWARD] = "forward",
	[ZC_ACL_MIRROR] = "mirror",
	[ZC_ACL_VLAN_PUSH] = "vlan-push",
	[ZC_ACL_VLAN_POP] = "vlan-pop",
	[ZC_ACL_VXLAN] = "vxlan",
	[ZC_ACL_REJECT] = "reject",
};

static struct zc_acl *active_acl;

/* Telemetry reads the active rule set on its own threads while the
 * control thread may replace it: the replacement waits for readers.
 */
static pthread_rwlock_t active_lock = PTHREAD_RWLOCK_INITIALIZER;

/* Unique rte_acl context names: rte_acl_create() returns an existing
 * context of the same name instead of a new one.
 */
static unsigned int ctx_seq;

const char *
zc_acl_action_name(enum zc_acl_action a)
{
	if ((unsigned int)a >= RTE_DIM(action_names))
		return "unknown";
	return action_names[a];
}

/* ---- rule-file parser ------------------------------------------------ */

struct parse_ctx {
	const struct zc_acl_params *p;
	const char *path;
	unsigned int line;
	char *err;
	size_t errlen;
};

static int __rte_format_printf(2, 3)
perr(struct parse_ctx *pc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pc->line != 0)
		snprintf(pc->err, pc->errlen, "%s:%u: %s", pc->path, pc->line,
			 msg);
	else
		snprintf(pc->err, pc->errlen, "%s: %s", pc->path, msg);
	return -1;
}

/* Unsigned decimal (leading zeros are not octal), or hexadecimal with
 * 0x; no sign, no blanks.
 */
static int
parse_num(const char *s, uint64_t max, uint64_t *out)
{
	return zc_parse_uint_ext(s, 0, max, ZC_UINT_HEX | ZC_UINT_ZEROS, out);
}

/* "N" or "LO-HI" within 0..max. 0, -1 malformed, -2 reversed. */
static int
parse_range(const char *s, uint64_t max, uint16_t r[2])
{
	char buf[64];
	char *dash;
	uint64_t lo, hi;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	dash = strchr(buf, '-');
	if (dash != NULL)
		*dash = '\0';
	if (parse_num(buf, max, &lo) < 0)
		return -1;
	hi = lo;
	if (dash != NULL && parse_num(dash + 1, max, &hi) < 0)
		return -1;
	if (lo > hi)
		return -2;
	r[0] = (uint16_t)lo;
	r[1] = (uint16_t)hi;
	return 0;
}

static int
parse_port_range(struct parse_ctx *pc, const char *key, const char *v,
		 uint16_t r[2])
{
	int ret = parse_range(v, UINT16_MAX, r);

	if (ret == -2)
		return perr(pc, "%s: range '%s' runs backwards (write LO-HI)",
			    key, v);
	if (ret < 0)
		return perr(pc, "%s: expected a port or a range LO-HI within 0-65535, got '%s'",
			    key, v);
	return 0;
}

/* A prefix of either family; host bits must be clear. */
static int
parse_prefix(struct parse_ctx *pc, const char *key, const char *v,
	     uint8_t addr[16], uint8_t *len, uint8_t *family)
{
	unsigned int i, bits;

	memset(addr, 0, 16);
	if (strchr(v, ':') != NULL) {
		if (zc_parse_ipv6_prefix(v, addr, len) < 0)
			return perr(pc, "%s: expected an IPv6 prefix such as 2001:db8::/32, got '%s'",
				    key, v);
		*family = 6;
		bits = 128;
	} else {
		uint32_t a;

		if (zc_parse_ipv4_prefix(v, &a, len) < 0)
			return perr(pc, "%s: expected an IPv4 prefix such as 10.0.0.0/8, got '%s'",
				    key, v);
		memcpy(addr, &a, 4);
		*family = 4;
		bits = 32;
	}
	for (i = *len; i < bits; i++)
		if (addr[i / 8] & (0x80 >> (i % 8)))
			return perr(pc, "%s: '%s' has bits set beyond the /%u prefix length",
				    key, v, *len);
	return 0;
}

static int
parse_proto(struct parse_ctx *pc, const char *v, struct zc_acl_rule *r)
{
	char buf[64];
	char *slash;
	uint64_t x, mask = 0xff;
	uint8_t p;

	if (strlcpy(buf, v, sizeof(buf)) >= sizeof(buf))
		goto bad;
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (parse_num(slash + 1, 0xff, &mask) < 0)
			goto bad;
	}
	if (zc_proto_by_name(buf, &p) == 0)
		x = p;
	else if (parse_num(buf, 0xff, &x) < 0)
		goto bad;
	r->proto = (uint8_t)(x & mask);
	r->proto_mask = (uint8_t)mask;
	return 0;
bad:
	return perr(pc, "proto: expected a number 0-255 or icmp, tcp, udp, gre, esp, ah, icmpv6, sctp, optionally /MASK, got '%s'",
		    v);
}

static int
parse_cfg_port(struct parse_ctx *pc, const char *key, const char *v,
	       uint16_t *port)
{
	uint64_t x;

	if (parse_num(v, UINT16_MAX, &x) < 0)
		return perr(pc, "%s: expected a port number, got '%s'", key,
			    v);
	if (x >= pc->p->nb_ports)
		return perr(pc, "%s: port %" PRIu64 " is not configured (ports 0 to %d exist)",
			    key, x, pc->p->nb_ports - 1);
	*port = (uint16_t)x;
	return 0;
}

static int
parse_action(struct parse_ctx *pc, const char *v, struct zc_acl_rule *r)
{
	const char *colon = strchr(v, ':');
	size_t n = colon != NULL ? (size_t)(colon - v) : strlen(v);
	unsigned int a;

	for (a = 0; a < RTE_DIM(action_names); a++)
		if (strlen(action_names[a]) == n &&
		    strncmp(v, action_names[a], n) == 0)
			break;
	if (a == RTE_DIM(action_names))
		return perr(pc, "action: expected permit, deny, count, forward:PORT or mirror:PORT, got '%s'",
			    v);
	r->action = a;
	if (a == ZC_ACL_FORWARD || a == ZC_ACL_MIRROR) {
		if (colon == NULL)
			return perr(pc, "action: %s needs a port, as in %s:1",
				    action_names[a], action_names[a]);
		return parse_cfg_port(pc, "action", colon + 1,
				      &r->action_port);
	}
	if (a == ZC_ACL_VLAN_PUSH) {
		uint64_t tci;

		if (colon == NULL || parse_num(colon + 1, UINT16_MAX, &tci) < 0)
			return perr(pc, "action: vlan-push needs a TCI from 0 to 65535 (VLAN id, plus priority << 13), as in vlan-push:100, got '%s'",
				    v);
		r->action_port = (uint16_t)tci;
		return 0;
	}
	if (a == ZC_ACL_VXLAN) {
		const struct zc_vxlan *t;

		if (colon == NULL || colon[1] == '\0')
			return perr(pc, "action: vxlan needs a tunnel name, as in vxlan:NAME for a [vxlan.NAME] section");
		t = zc_vxlan_find(colon + 1);
		if (t == NULL)
			return perr(pc, "action: no tunnel '%s' (define it in a [vxlan.%s] section)",
				    colon + 1, colon + 1);
		r->action_port = (uint16_t)(t - zc_act_conf.vxlan);
		return 0;
	}
	if (colon != NULL)
		return perr(pc, "action: %s takes no port, got '%s'",
			    action_names[a], v);
	return 0;
}

enum {
	K_PRIORITY, K_FAMILY, K_SRC, K_DST, K_PROTO, K_SPORT, K_DPORT,
	K_VLAN, K_IN_PORT, K_ACTION, K_NUM
};

static const char *const key_names[K_NUM] = {
	"priority", "family", "src", "dst", "proto", "sport", "dport",
	"vlan", "in_port", "action",
};

static int
parse_token(struct parse_ctx *pc, const char *tok, struct zc_acl_rule *r,
	    bool *seen, uint8_t *fam)
{
	char key[32];
	const char *eq = strchr(tok, '=');
	const char *v;
	uint64_t x;
	unsigned int k;
	int ret;

	if (eq == NULL || eq == tok)
		return perr(pc, "expected key=value, got '%s'", tok);
	if ((size_t)(eq - tok) >= sizeof(key))
		return perr(pc, "unknown key '%.*s'", (int)(eq - tok), tok);
	memcpy(key, tok, eq - tok);
	key[eq - tok] = '\0';
	v = eq + 1;
	for (k = 0; k < K_NUM; k++)
		if (strcmp(key, key_names[k]) == 0)
			break;
	if (k == K_NUM)
		return perr(pc, "unknown key '%s' (keys: priority, family, src, dst, proto, sport, dport, vlan, in_port, action)",
			    key);
	if (seen[k])
		return perr(pc, "%s: given twice", key);
	seen[k] = true;
	if (*v == '\0')
		return perr(pc, "%s: empty value", key);

	switch (k) {
	case K_PRIORITY:
		if (parse_num(v, RTE_ACL_MAX_PRIORITY, &x) < 0)
			return perr(pc, "priority: expected a number from 0 to %u, got '%s'",
				    RTE_ACL_MAX_PRIORITY, v);
		r->priority = (uint32_t)x;
		return 0;
	case K_FAMILY:
		if (strcmp(v, "ipv4") == 0)
			fam[0] = 4;
		else if (strcmp(v, "ipv6") == 0)
			fam[0] = 6;
		else
			return perr(pc, "family: expected ipv4 or ipv6, got '%s'",
				    v);
		return 0;
	case K_SRC:
		return parse_prefix(pc, key, v, r->src, &r->src_len, &fam[1]);
	case K_DST:
		return parse_prefix(pc, key, v, r->dst, &r->dst_len, &fam[2]);
	case K_PROTO:
		return parse_proto(pc, v, r);
	case K_SPORT:
		return parse_port_range(pc, key, v, r->sport);
	case K_DPORT:
		return parse_port_range(pc, key, v, r->dport);
	case K_VLAN:
		if (strcmp(v, "none") == 0) {
			r->vlan[0] = r->vlan[1] = ZC_ACL_VLAN_NONE;
			return 0;
		}
		ret = parse_range(v, 4095, r->vlan);
		if (ret == -2)
			return perr(pc, "vlan: range '%s' runs backwards (write LO-HI)",
				    v);
		if (ret < 0)
			return perr(pc, "vlan: expected none, a VLAN id or a range LO-HI within 0-4095, got '%s'",
				    v);
		return 0;
	case K_IN_PORT:
		r->has_in_port = 1;
		return parse_cfg_port(pc, key, v, &r->in_port);
	case K_ACTION:
		return parse_action(pc, v, r);
	}
	return 0;
}

static bool
proto_has_ports(const struct zc_acl_rule *r)
{
	if (r->proto_mask != 0xff)
		return true;
	return r->proto == 6 || r->proto == 17 || r->proto == 132;
}

/* One rule line, comment already cut off and not blank. */
static int
parse_rule(struct parse_ctx *pc, char *s, struct zc_acl_rule *r)
{
	bool seen[K_NUM] = { false };
	uint8_t fam[3] = { 0, 0, 0 }; /* family=, src, dst */
	char *tok, *save = NULL;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->line = pc->line;
	r->sport[1] = r->dport[1] = UINT16_MAX;
	r->vlan[1] = UINT16_MAX;
	for (tok = strtok_r(s, " \t\r\n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		if (parse_token(pc, tok, r, seen, fam) < 0)
			return -1;
	if (!seen[K_ACTION])
		return perr(pc, "missing action= (permit, deny, count, forward:PORT or mirror:PORT)");
	if (fam[1] != 0 && fam[2] != 0 && fam[1] != fam[2])
		return perr(pc, "src is IPv%u but dst is IPv%u", fam[1], fam[2]);
	r->family = fam[1] != 0 ? fam[1] : fam[2];
	if (fam[0] != 0) {
		if (r->family != 0 && r->family != fam[0])
			return perr(pc, "family is ipv%u but the addresses are IPv%u",
				    fam[0], r->family);
		r->family = fam[0];
	}
	for (i = K_SPORT; i <= K_DPORT; i++)
		if (seen[i] && !proto_has_ports(r))
			return perr(pc, "%s: protocol %u has no ports (ports are matched for tcp, udp and sctp only)",
				    key_names[i], r->proto);
	return 0;
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct zc_acl_rule *x = *(const struct zc_acl_rule *const *)a;
	const struct zc_acl_rule *y = *(const struct zc_acl_rule *const *)b;

	/* Best first: higher priority, then earlier line. */
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
assign_ranks(struct zc_acl *acl)
{
	struct zc_acl_rule **order;
	uint32_t i;

	if (acl->nb_rules == 0)
		return 0;
	order = malloc(acl->nb_rules * sizeof(*order));
	if (order == NULL)
		return -1;
	for (i = 0; i < acl->nb_rules; i++)
		order[i] = &acl->rules[i];
	qsort(order, acl->nb_rules, sizeof(*order), rank_cmp);
	for (i = 0; i < acl->nb_rules; i++)
		order[i]->rank = acl->nb_rules - i; /* >= RTE_ACL_MIN_PRIORITY */
	free(order);
	return 0;
}

/* The fast path's table: result index -> action and ethdev port. */
static int
fill_verdicts(struct zc_acl *acl, const struct zc_acl_params *p)
{
	uint32_t i;

	acl->bypass = acl->nb_rules + 1;
	acl->verdict = rte_zmalloc("zc_acl_verdict",
				   (acl->nb_rules + 2) * sizeof(*acl->verdict),
				   RTE_CACHE_LINE_SIZE);
	if (acl->verdict == NULL)
		return -1;
	acl->verdict[0].action = p->deny_default ? ZC_ACL_DENY : ZC_ACL_PERMIT;
	acl->verdict[acl->bypass].action = ZC_ACL_PERMIT;
	for (i = 0; i < acl->nb_rules; i++) {
		const struct zc_acl_rule *r = &acl->rules[i];
		struct zc_acl_verdict *v = &acl->verdict[i + 1];

		v->action = r->action;
		if (r->action == ZC_ACL_VLAN_PUSH)
			v->port = r->action_port;
		else if (r->action == ZC_ACL_VXLAN)
			v->port = ZC_VXLAN_VPORT(r->action_port);
		else if (r->action == ZC_ACL_VLAN_POP)
			v->port = 0;
		else
			v->port = p->port_ids != NULL ?
				  p->port_ids[r->action_port] : r->action_port;
	}
	return 0;
}

static struct zc_acl *
acl_alloc(void)
{
	return calloc(1, sizeof(struct zc_acl));
}

/* Keep the parameters the build needs: ethdev ids of in_port=. */
static void
map_in_ports(struct zc_acl *acl, const struct zc_acl_params *p)
{
	uint32_t i;

	for (i = 0; i < acl->nb_rules; i++) {
		struct zc_acl_rule *r = &acl->rules[i];

		if (r->has_in_port && p->port_ids != NULL)
			r->in_port = p->port_ids[r->in_port];
	}
}

struct zc_acl *
zc_acl_load(const struct zc_acl_params *p, char *err, size_t errlen)
{
	struct parse_ctx pc = {
		.p = p, .path = p->path != NULL ? p->path : "",
		.err = err, .errlen = errlen,
	};
	struct zc_acl *acl;
	char buf[ZC_ACL_LINE_MAX + 2];
	uint32_t cap = 0;
	FILE *f = NULL;

	err[0] = '\0';
	acl = acl_alloc();
	if (acl == NULL) {
		perr(&pc, "out of memory");
		return NULL;
	}
	strlcpy(acl->path, pc.path, sizeof(acl->path));
	if (p->path == NULL || p->path[0] == '\0')
		goto done; /* No rule file: every packet gets the default. */

	f = zc_open_file(p->path, buf, sizeof(buf));
	if (f == NULL) {
		perr(&pc, "%s", buf);
		goto fail;
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		struct zc_acl_rule *r;
		char *s, *hash, *e;

		pc.line++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			perr(&pc, "line longer than %u characters",
			     ZC_ACL_LINE_MAX);
			goto fail;
		}
		hash = strchr(buf, '#');
		if (hash != NULL)
			*hash = '\0';
		s = buf;
		while (isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (*s == '\0')
			continue;
		if (acl->nb_rules == ZC_ACL_MAX_RULES) {
			perr(&pc, "more than %u rules", ZC_ACL_MAX_RULES);
			goto fail;
		}
		if (acl->nb_rules == cap) {
			uint32_t ncap = cap == 0 ? 64 : cap * 2;
			struct zc_acl_rule *n;

			n = realloc(acl->rules, ncap * sizeof(*n));
			if (n == NULL) {
				perr(&pc, "out of memory");
				goto fail;
			}
			acl->rules = n;
			cap = ncap;
		}
		r = &acl->rules[acl->nb_rules];
		{
			char *text = strdup(s);

			if (text == NULL) {
				perr(&pc, "out of memory");
				goto fail;
			}
			if (parse_rule(&pc, s, r) < 0) {
				free(text);
				goto fail;
			}
			r->text = text;
		}
		acl->nb_rules++;
		acl->nb_rules4 += r->family != 6;
		acl->nb_rules6 += r->family != 4;
	}
	if (ferror(f)) {
		pc.line = 0;
		perr(&pc, "read error");
		goto fail;
	}
	fclose(f);
	f = NULL;
done:
	pc.line = 0;
	map_in_ports(acl, p);
	if (assign_ranks(acl) < 0 || fill_verdicts(acl, p) < 0) {
		perr(&pc, "out of memory");
		goto fail;
	}
	return acl;
fail:
	if (f != NULL)
		fclose(f);
	zc_acl_free(acl);
	return NULL;
}

/* ---- rte_acl build --------------------------------------------------- */

static inline uint32_t
be32_at(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static void
common_fields(const struct zc_acl_rule *r, struct rte_acl_field *proto,
	      struct rte_acl_field *ports, struct rte_acl_field *vlan_in)
{
	proto->value.u8 = r->proto;
	proto->mask_range.u8 = r->proto_mask;
	ports[0].value.u16 = r->sport[0];
	ports[0].mask_range.u16 = r->sport[1];
	ports[1].value.u16 = r->dport[0];
	ports[1].mask_range.u16 = r->dport[1];
	vlan_in[0].value.u16 = r->vlan[0];
	vlan_in[0].mask_range.u16 = r->vlan[1];
	if (r->has_in_port) {
		vlan_in[1].value.u16 = r->in_port;
		vlan_in[1].mask_range.u16 = r->in_port;
	} else {
		vlan_in[1].value.u16 = 0;
		vlan_in[1].mask_range.u16 = UINT16_MAX;
	}
}

static void
rule4(const struct zc_acl_rule *r, uint32_t userdata, struct zc_acl_rule4 *o)
{
	memset(o, 0, sizeof(*o));
	o->data.category_mask = 1;
	o->data.priority = (int32_t)r->rank;
	o->data.userdata = userdata;
	common_fields(r, &o->field[F4_PROTO], &o->field[F4_SPORT],
		      &o->field[F4_VLAN]);
	o->field[F4_SRC].value.u32 = be32_at(r->src);
	o->field[F4_SRC].mask_range.u32 = r->src_len;
	o->field[F4_DST].value.u32 = be32_at(r->dst);
	o->field[F4_DST].mask_range.u32 = r->dst_len;
}

static uint32_t
chunk_len(uint8_t len, unsigned int k)
{
	int l = (int)len - 32 * (int)k;

	return l <= 0 ? 0 : l >= 32 ? 32 : (uint32_t)l;
}

static void
rule6(const struct zc_acl_rule *r, uint32_t userdata, struct zc_acl_rule6 *o)
{
	unsigned int k;

	memset(o, 0, sizeof(*o));
	o->data.category_mask = 1;
	o->data.priority = (int32_t)r->rank;
	o->data.userdata = userdata;
	common_fields(r, &o->field[F6_PROTO], &o->field[F6_SPORT],
		      &o->field[F6_VLAN]);
	for (k = 0; k < 4; k++) {
		o->field[F6_SRC0 + k].value.u32 = be32_at(r->src + 4 * k);
		o->field[F6_SRC0 + k].mask_range.u32 = chunk_len(r->src_len, k);
		o->field[F6_DST0 + k].value.u32 = be32_at(r->dst + 4 * k);
		o->field[F6_DST0 + k].mask_range.u32 = chunk_len(r->dst_len, k);
	}
}

/* Build one family's context. */
static int
build_family(struct zc_acl *acl, int socket, unsigned int family,
	     struct rte_acl_ctx **out, char *err, size_t errlen)
{
	const uint32_t nb = family == 4 ? acl->nb_rules4 : acl->nb_rules6;
	const uint32_t rsz = family == 4 ? RTE_ACL_RULE_SZ(F4_NUM) :
				RTE_ACL_RULE_SZ(F6_NUM);
	struct rte_acl_param prm;
	struct rte_acl_config bcfg;
	struct rte_acl_ctx *ctx;
	char name[RTE_ACL_NAMESIZE];
	uint8_t *buf;
	uint32_t i, n = 0;
	int ret;

	*out = NULL;
	if (nb == 0)
		return 0;
	snprintf(name, sizeof(name), "zc_acl%u_%u", family, ctx_seq++);
	memset(&prm, 0, sizeof(prm));
	prm.name = name;
	prm.socket_id = socket;
	prm.rule_size = rsz;
	prm.max_rule_num = nb;
	ctx = rte_acl_create(&prm);
	if (ctx == NULL) {
		snprintf(err, errlen, "%s: cannot create the IPv%u ACL context: %s",
			 acl->path, family, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	buf = malloc((size_t)nb * rsz);
	if (buf == NULL) {
		rte_acl_free(ctx);
		snprintf(err, errlen, "%s: out of memory", acl->path);
		return -ENOMEM;
	}
	for (i = 0; i < acl->nb_rules; i++) {
		const struct zc_acl_rule *r = &acl->rules[i];

		if (r->family != 0 && r->family != family)
			continue;
		if (family == 4)
			rule4(r, i + 1, (struct zc_acl_rule4 *)(buf + n * rsz));
		else
			rule6(r, i + 1, (struct zc_acl_rule6 *)(buf + n * rsz));
		n++;
	}
	ret = rte_acl_add_rules(ctx, (const struct rte_acl_rule *)buf, n);
	free(buf);
	if (ret == 0) {
		memset(&bcfg, 0, sizeof(bcfg));
		bcfg.num_categories = 1;
		if (family == 4) {
			bcfg.num_fields = F4_NUM;
			memcpy(bcfg.defs, defs4, sizeof(defs4));
		} else {
			bcfg.num_fields = F6_NUM;
			memcpy(bcfg.defs, defs6, sizeof(defs6));
		}
		ret = rte_acl_build(ctx, &bcfg);
	}
	if (ret != 0) {
		rte_acl_free(ctx);
		snprintf(err, errlen, "%s: cannot build the IPv%u ACL of %u rules: %s",
			 acl->path, family, nb, strerror(-ret));
		return ret;
	}
	*out = ctx;
	return 0;
}

static unsigned int
socket_slot(int socket_id)
{
	if (socket_id < 0 || socket_id >= RTE_MAX_NUMA_NODES)
		return 0;
	return (unsigned int)socket_id;
}

int
zc_acl_build(struct zc_acl *acl, int socket_id, char *err, size_t errlen)
{
	unsigned int s = socket_slot(socket_id);
	int ret;

	if (acl->built[s])
		return 0;
	ret = build_family(acl, socket_id, 4, &acl->ctx4[s], err, errlen);
	if (ret == 0)
		ret = build_family(acl, socket_id, 6, &acl->ctx6[s], err,
				   errlen);
	if (ret != 0) {
		rte_acl_free(acl->ctx4[s]);
		acl->ctx4[s] = NULL;
		return ret;
	}
	acl->built[s] = 1;
	return 0;
}

struct zc_acl_ctr *
zc_acl_counters(struct zc_acl *acl, unsigned int lcore_id)
{
	int socket;

	if (lcore_id >= RTE_MAX_LCORE)
		return NULL;
	if (acl->ctr[lcore_id] != NULL)
		return acl->ctr[lcore_id];
	socket = (int)rte_lcore_to_socket_id(lcore_id);
	acl->ctr[lcore_id] = rte_zmalloc_socket("zc_acl_ctr",
				(acl->nb_rules + 2) * sizeof(struct zc_acl_ctr),
				RTE_CACHE_LINE_SIZE,
				socket >= 0 ? socket : SOCKET_ID_ANY);
	return acl->ctr[lcore_id];
}

void
zc_acl_free(struct zc_acl *acl)
{
	unsigned int i;

	if (acl == NULL)
		return;
	if (active_acl == acl)
		zc_acl_set_active(NULL);
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		rte_acl_free(acl->ctx4[i]);
		rte_acl_free(acl->ctx6[i]);
	}
	for (i = 0; i < RTE_MAX_LCORE; i++)
		rte_free(acl->ctr[i]);
	for (i = 0; i < acl->nb_rules; i++)
		free(acl->rules[i].text);
	free(acl->rules);
	rte_free(acl->verdict);
	free(acl);
}

/* ---- counters and accessors ------------------------------------------ */

static void
sum_row(const struct zc_acl *acl, uint32_t idx, struct zc_acl_ctr *out)
{
	unsigned int l;

	out->pkts = 0;
	out->bytes = 0;
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const struct zc_acl_ctr *c = acl->ctr[l];

		if (c == NULL)
			continue;
		out->pkts += c[idx].pkts;
		out->bytes += c[idx].bytes;
	}
}

void
zc_acl_set_active(struct zc_acl *acl)
{
	pthread_rwlock_wrlock(&active_lock);
	active_acl = acl;
	pthread_rwlock_unlock(&active_lock);
}

void
zc_acl_read_lock(void)
{
	pthread_rwlock_rdlock(&active_lock);
}

void
zc_acl_read_unlock(void)
{
	pthread_rwlock_unlock(&active_lock);
}

struct zc_acl *
zc_acl_active(void)
{
	return active_acl;
}

unsigned int
zc_acl_rule_count(void)
{
	return active_acl != NULL ? active_acl->nb_rules : 0;
}

int
zc_acl_rule_stats_of(const struct zc_acl *acl, unsigned int i,
		     struct zc_acl_rule_stats *out)
{
	const struct zc_acl_rule *r;
	struct zc_acl_ctr c;

	if (acl == NULL || i >= acl->nb_rules)
		return -1;
	r = &acl->rules[i];
	sum_row(acl, i + 1, &c);
	out->id = i;
	out->line = r->line;
	out->priority = r->priority;
	out->family = r->family;
	out->action = r->action;
	out->port = r->action_port;
	out->text = r->text;
	out->pkts = c.pkts;
	out->bytes = c.bytes;
	return 0;
}

int
zc_acl_rule_stats(unsigned int i, struct zc_acl_rule_stats *out)
{
	return zc_acl_rule_stats_of(active_acl, i, out);
}

void
zc_acl_other_stats_of(const struct zc_acl *acl, struct zc_acl_ctr *no_match,
		      struct zc_acl_ctr *bypass)
{
	sum_row(acl, 0, no_match);
	sum_row(acl, acl->bypass, bypass);
}

int
zc_acl_other_stats(struct zc_acl_ctr *no_match, struct zc_acl_ctr *bypass)
{
	if (active_acl == NULL) {
		memset(no_match, 0, sizeof(*no_match));
		memset(bypass, 0, sizeof(*bypass));
		return -1;
	}
	zc_acl_other_stats_of(active_acl, no_match, bypass);
	return 0;
}

/* ---- build statistics ------------------------------------------------ */

static uint64_t
heap_allocated(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int i;
	uint64_t sum = 0;

	for (i = 0; i < rte_socket_count(); i++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i),
						&st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int
zc_acl_build_stats(const char *path, uint64_t *ns, uint64_t *bytes,
		   uint32_t *nb_rules, char *err, size_t errlen)
{
	struct zc_acl_params p = {
		.path = path, .nb_ports = ZC_MAX_PORTS,
	};
	struct zc_acl *acl;
	uint64_t t0, m0;
	int socket = (int)rte_socket_id();

	acl = zc_acl_load(&p, err, errlen);
	if (acl == NULL)
		return -1;
	m0 = heap_allocated();
	t0 = now_ns();
	if (zc_acl_build(acl, socket, err, errlen) != 0) {
		zc_acl_free(acl);
		return -1;
	}
	*ns = now_ns() - t0;
	*bytes = heap_allocated() - m0;
	if (nb_rules != NULL)
		*nb_rules = acl->nb_rules;
	zc_acl_free(acl);
	return 0;
}
