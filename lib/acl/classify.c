/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * classify: the ACL ([acl] rules = FILE, syntax in docs/acl.md) on rte_acl.
 *
 * Reads:  zc_meta l3_type, l3_off, flags (F_L4, F_FRAG_NF), l4_off,
 *         l4_proto, vlan[0], nb_vlan; mbuf port; the IPv4/IPv6 addresses
 *         and protocol at l3_off and the TCP/UDP/SCTP ports at l4_off
 *         (bounds-checked with rte_pktmbuf_read: headers may span
 *         segments). Needs the parse stage earlier in the chain.
 * Writes: zc_meta out_port (action forward:PORT; vxlan:NAME: the tunnel's
 *         virtual port; ZC_PORT_DECAP for a VXLAN packet addressed to one
 *         of our VTEPs) and mirror_port (action mirror:PORT); for
 *         vlan-push:TCI, m->vlan_tci_outer and zc_vlan_push_flag; for
 *         vlan-pop, zc_vlan_pop_flag (the act stage carries these out,
 *         lib/actions/zc_actions.h); the per-rule counters of this lcore.
 * Next:   the packet goes on (permit, count, forward, mirror, vlan-push,
 *         vlan-pop, vxlan, no match with default permit, not IP) or is
 *         freed as acl_deny (deny, no match
 *         with default deny). A packet a reject rule matched goes on
 *         with out_port ZC_PORT_REJECT: the route stage, which must come
 *         later in the chain, answers it with an ICMP error. A header that cannot be read, which the parse
 *         stage should already have refused, is freed as ipv4_truncated,
 *         ipv6_truncated or l4_truncated.
 *
 * Per burst: gather each IP packet's key fields (headers only, never the
 * payload) into a small per-family key array, call rte_acl_classify() once
 * per family, then apply the verdicts in packet order. The ACL does not
 * apply to non-IP packets (ARP, other ethertypes): they go on untouched.
 * Packets without a parsed L4 header (F_L4 clear, non-first fragments,
 * protocols other than TCP, UDP and SCTP) are looked up with ports 0.
 *
 * The rule set and its rte_acl contexts are built once, by the first
 * instance, and shared by every instance (lookups are read-only and
 * thread-safe); each lcore writes its own row of per-rule counters.
 *
 * At run time the control thread may replace the whole rule set
 * (zc_classify_prepare/commit, lib/control/acl_cmd.c): it builds the new
 * one off the data path, then publishes it with one release store. Each
 * instance loads the pointer once per burst and, when it changed, takes
 * the new contexts and its counter row from it: one load and one compare
 * per burst. The old rule set is freed after an RCU grace period
 * (core/zc_rcu.h), when no lcore can still be classifying with it.
 */

#include <string.h>

#include <rte_acl.h>
#include <rte_byteorder.h>
#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "acl/zc_acl.h"
#include "acl/zc_acl_dp.h"
#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_stage.h"
#include "core/zc_trace.h"

/* Packets ahead whose headers are prefetched while gathering keys. */
#define CLASSIFY_PREFETCH 4

/* result[] value of a packet already freed while gathering. */
#define RES_FREED UINT32_MAX

/* A classify stage instance (zc_acl_dp_lcore() hands it out). */
struct zc_acl_dp {
	struct zc_acl_key4 key4[ZC_BURST_MAX];  /* IPv4 keys of a burst. */
	struct zc_acl_key6 key6[ZC_BURST_MAX];  /* IPv6 keys of a burst. */
	const uint8_t *data4[ZC_BURST_MAX];     /* &key4[i], set once. */
	const uint8_t *data6[ZC_BURST_MAX];     /* &key6[i], set once. */
	uint32_t res4[ZC_BURST_MAX];            /* rte_acl results. */
	uint32_t res6[ZC_BURST_MAX];
	uint16_t idx4[ZC_BURST_MAX];            /* Packet of key4[i]. */
	uint16_t idx6[ZC_BURST_MAX];            /* Packet of key6[i]. */
	uint32_t result[ZC_BURST_MAX];          /* Verdict index per packet. */
	const struct rte_acl_ctx *ctx4;         /* NULL: no IPv4 rule. */
	const struct rte_acl_ctx *ctx6;         /* NULL: no IPv6 rule. */
	const struct zc_acl_verdict *verdict;   /* Shared, read-only. */
	struct zc_acl_ctr *ctr;                 /* This lcore's row. */
	uint32_t bypass;                        /* Verdict index of non-IP. */
	uint8_t vtep;                           /* Tunnels are configured. */
	struct zc_stage *st;                    /* The instance: its drops. */
	const struct zc_acl *acl;               /* Rule set of the above. */
	unsigned int socket;                    /* Socket slot of contexts. */
	unsigned int lcore;                     /* Counter row. */
} __rte_cache_aligned;

static struct zc_stage_ops classify_stage;

/* The rule set in force, shared by every instance; replaced at run time
 * by the control thread only (RCU, see the top of this file).
 */
static struct zc_acl *shared_acl;
static unsigned int shared_users;
static const struct zc_config *classify_cfg;

/* Ports of a TCP, UDP or SCTP header, both in network byte order, or 0.
 * Returns -1 if the header the parser announced cannot be read.
 */
static inline int
l4_ports(struct rte_mbuf *m, const struct zc_meta *md, uint16_t *sport,
	 uint16_t *dport)
{
	uint16_t buf[2];
	const uint16_t *p;

	*sport = 0;
	*dport = 0;
	if ((md->flags & (ZC_META_F_L4 | ZC_META_F_FRAG_NF)) != ZC_META_F_L4)
		return 0;
	if (md->l4_proto != IPPROTO_TCP && md->l4_proto != IPPROTO_UDP &&
	    md->l4_proto != IPPROTO_SCTP)
		return 0;
	p = rte_pktmbuf_read(m, md->l4_off, sizeof(buf), buf);
	if (unlikely(p == NULL))
		return -1;
	*sport = p[0];
	*dport = p[1];
	return 0;
}

static inline uint16_t
key_vlan(const struct zc_meta *md)
{
	return md->nb_vlan != 0 ?
	       rte_cpu_to_be_16(md->vlan[0] & RTE_VLAN_ID_MASK) :
	       RTE_BE16(ZC_ACL_VLAN_NONE);
}

static inline enum zc_drop_reason
gather4(struct rte_mbuf *m, const struct zc_meta *md, struct zc_acl_key4 *k)
{
	struct rte_ipv4_hdr buf;
	const struct rte_ipv4_hdr *ip;

	ip = rte_pktmbuf_read(m, md->l3_off, sizeof(buf), &buf);
	if (unlikely(ip == NULL))
		return ZC_DROP_IPV4_TRUNCATED;
	k->proto = md->l4_proto != 0 ? md->l4_proto : ip->next_proto_id;
	k->src = ip->src_addr;
	k->dst = ip->dst_addr;
	if (unlikely(l4_ports(m, md, &k->sport, &k->dport) < 0))
		return ZC_DROP_L4_TRUNCATED;
	k->vlan = key_vlan(md);
	k->in_port = rte_cpu_to_be_16(m->port);
	return ZC_DROP_MAX;
}

static inline enum zc_drop_reason
gather6(struct rte_mbuf *m, const struct zc_meta *md, struct zc_acl_key6 *k)
{
	struct rte_ipv6_hdr buf;
	const struct rte_ipv6_hdr *ip;

	ip = rte_pktmbuf_read(m, md->l3_off, sizeof(buf), &buf);
	if (unlikely(ip == NULL))
		return ZC_DROP_IPV6_TRUNCATED;
	k->proto = md->l4_proto != 0 ? md->l4_proto : ip->proto;
	memcpy(k->src, ip->src_addr, sizeof(k->src));
	memcpy(k->dst, ip->dst_addr, sizeof(k->dst));
	if (unlikely(l4_ports(m, md, &k->sport, &k->dport) < 0))
		return ZC_DROP_L4_TRUNCATED;
	k->vlan = key_vlan(md);
	k->in_port = rte_cpu_to_be_16(m->port);
	return ZC_DROP_MAX;
}

static inline void
mark_decap(struct rte_mbuf *m)
{
	struct zc_meta *md = zc_meta(m);
	uint32_t off, len;

	if (zc_vxlan_match(m, md, &off, &len) >= 0)
		md->out_port = ZC_PORT_DECAP;
}

static inline void
prefetch_headers(struct rte_mbuf *m)
{
	rte_prefetch0(rte_pktmbuf_mtod_offset(m, void *, zc_meta(m)->l3_off));
}

/* Take the contexts, verdicts and counter row of a rule set. */
static void
classify_bind(struct zc_acl_dp *cp, const struct zc_acl *acl)
{
	cp->ctx4 = acl->ctx4[cp->socket];
	cp->ctx6 = acl->ctx6[cp->socket];
	cp->verdict = acl->verdict;
	cp->bypass = acl->bypass;
	cp->ctr = acl->ctr[cp->lcore];
	cp->acl = acl;
}

static uint16_t
classify_process(struct zc_stage *st, struct rte_mbuf **pkts,
		 uint16_t nb_pkts)
{
	struct zc_acl_dp *cp = st->priv;
	const struct zc_acl *acl = __atomic_load_n(&shared_acl,
						   __ATOMIC_ACQUIRE);
	uint16_t i, n4 = 0, n6 = 0, kept = 0;

	if (unlikely(acl != cp->acl))
		classify_bind(cp, acl);

	for (i = 0; i < RTE_MIN(nb_pkts, CLASSIFY_PREFETCH); i++)
		prefetch_headers(pkts[i]);

	/* Gather the key fields of each IP packet, by family. */
	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct zc_meta *md = zc_meta(m);
		enum zc_drop_reason r;

		if (i + CLASSIFY_PREFETCH < nb_pkts)
			prefetch_headers(pkts[i + CLASSIFY_PREFETCH]);
		switch (md->l3_type) {
		case ZC_L3_IPV4:
			r = gather4(m, md, &cp->key4[n4]);
			if (likely(r == ZC_DROP_MAX)) {
				cp->idx4[n4++] = i;
				cp->result[i] = 0;
				continue;
			}
			break;
		case ZC_L3_IPV6:
			r = gather6(m, md, &cp->key6[n6]);
			if (likely(r == ZC_DROP_MAX)) {
				cp->idx6[n6++] = i;
				cp->result[i] = 0;
				continue;
			}
			break;
		default:
			cp->result[i] = cp->bypass;
			continue;
		}
		cp->result[i] = RES_FREED;
		zc_stage_drop(st, m, r);
	}

	/* One lookup per family for the whole burst. */
	if (n4 != 0 && cp->ctx4 != NULL) {
		rte_acl_classify(cp->ctx4, cp->data4, cp->res4, n4, 1);
		for (i = 0; i < n4; i++)
			cp->result[cp->idx4[i]] = cp->res4[i];
	}
	if (n6 != 0 && cp->ctx6 != NULL) {
		rte_acl_classify(cp->ctx6, cp->data6, cp->res6, n6, 1);
		for (i = 0; i < n6; i++)
			cp->result[cp->idx6[i]] = cp->res6[i];
	}

	/* Apply the verdicts in packet order. */
	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t res = cp->result[i];
		const struct zc_acl_verdict *v;

		if (unlikely(res == RES_FREED))
			continue;
		v = &cp->verdict[res];
		if (unlikely(zc_trace_pkt(m))) {
			if (res == 0)
				zc_trace_note(m, "acl no match: default %s",
					      zc_acl_action_name(v->action));
			else if (res == cp->bypass)
				zc_trace_note(m, "acl not applied (not IP)");
			else	/* Results are rule index + 1; 0 is no match. */
				zc_trace_note(m, "acl rule %u %s", res - 1,
					      zc_acl_action_name(v->action));
		}
		cp->ctr[res].pkts++;
		cp->ctr[res].bytes += m->pkt_len;
		switch (v->action) {
		case ZC_ACL_DENY:
			zc_stage_drop(st, m, ZC_DROP_ACL_DENY);
			continue;
		case ZC_ACL_REJECT:
			/* The route stage sends the ICMP error, or drops it
			 * as acl_deny.
			 */
			zc_meta(m)->out_port = ZC_PORT_REJECT;
			pkts[kept++] = m;
			continue;
		case ZC_ACL_FORWARD:
			zc_meta(m)->out_port = v->port;
			pkts[kept++] = m;
			continue;
		case ZC_ACL_VXLAN:
			zc_meta(m)->out_port = v->port;
			pkts[kept++] = m;
			continue;
		case ZC_ACL_MIRROR:
			zc_meta(m)->mirror_port = v->port;
			break;
		case ZC_ACL_VLAN_PUSH:
			m->vlan_tci_outer = v->port;
			m->ol_flags |= zc_vlan_push_flag;
			break;
		case ZC_ACL_VLAN_POP:
			m->ol_flags |= zc_vlan_pop_flag;
			break;
		default:
			break;
		}
		/* A tunnel packet for one of our VTEPs is ours to open: the
		 * act stage decapsulates it (the route stage lets it by).
		 */
		if (unlikely(cp->vtep) && zc_meta(m)->l4_proto == IPPROTO_UDP)
			mark_decap(m);
		pkts[kept++] = m;
	}
	return kept;
}

struct zc_acl_dp *
zc_acl_dp_lcore(unsigned int lcore_id)
{
	return zc_stage_priv_on_lcore(&classify_stage, lcore_id);
}

uint16_t
zc_acl_dp_rerun(struct zc_acl_dp *dp, struct rte_mbuf **pkts, uint16_t n)
{
	return zc_stage_rerun(dp->st, classify_process, pkts, n);
}

/* Rules that only ask (vlan-push, vlan-pop, vxlan) and tunnels to open
 * need a stage after classify that carries requests out (reads
 * ZC_MD_ACTIONS: act).
 */
static int
check_act(const struct zc_stage_params *p, const struct zc_acl *acl)
{
	const struct zc_config *cfg = p->cfg;
	char sec[CFG_NAME_LEN];
	int need = zc_vxlan_any();
	unsigned int i;

	for (i = 1; i <= acl->nb_rules && !need; i++)
		need = acl->verdict[i].action == ZC_ACL_VLAN_PUSH ||
		       acl->verdict[i].action == ZC_ACL_VLAN_POP ||
		       acl->verdict[i].action == ZC_ACL_VXLAN;
	if (!need || p->pipeline_id >= cfg->nb_pipelines ||
	    (zc_config_read_after(cfg, p->pipeline_id, &classify_stage) &
	     ZC_MD_ACTIONS))
		return 0;
	snprintf(sec, sizeof(sec), "pipeline.%u", p->pipeline_id);
	return zc_config_error(cfg, sec, "stages",
			       "the ACL's vlan-push, vlan-pop and vxlan actions and [vxlan.NAME] tunnels need the act stage after classify (e.g. rx parse classify route act tx)");
}

/* A reject rule is answered by the route stage, which has the router's
 * addresses to send the ICMP error from: it must come after classify.
 */
static int
check_reject(const struct zc_stage_params *p, const struct zc_acl *acl)
{
	const struct zc_config *cfg = p->cfg;
	const struct zc_pipeline_conf *pl;
	char sec[CFG_NAME_LEN];
	unsigned int s, i, after = 0;
	int need = 0;

	for (i = 1; i <= acl->nb_rules && !need; i++)
		need = acl->verdict[i].action == ZC_ACL_REJECT;
	if (!need || p->pipeline_id >= cfg->nb_pipelines)
		return 0;
	pl = &cfg->pipeline[p->pipeline_id];
	for (s = 0; s < pl->nb_stages; s++) {
		if (strcmp(pl->stage[s], "classify") == 0)
			after = 1;
		else if (after && strcmp(pl->stage[s], "route") == 0)
			return 0;
	}
	snprintf(sec, sizeof(sec), "pipeline.%u", p->pipeline_id);
	return zc_config_error(cfg, sec, "stages",
			       "the ACL's reject action needs the route stage after classify (mode = router): the ICMP error is sent from the router's addresses; use deny to drop silently");
}

static int
classify_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	const struct zc_config *cfg = p->cfg;
	struct zc_acl_dp *cp;
	char err[640];
	unsigned int i, s;

	/* Also when started outside a configuration's checks. */
	if (zc_config_check_stage(cfg, p->pipeline_id, &classify_stage) < 0)
		return -1;
	classify_cfg = cfg;
	if (shared_acl == NULL) {
		uint16_t port_ids[ZC_MAX_PORTS];
		struct zc_acl_params ap = {
			.path = zc_acl_conf.rules,
			.nb_ports = cfg->nb_ports,
			.port_ids = port_ids,
			.deny_default = zc_acl_conf.deny_default,
		};

		for (i = 0; i < cfg->nb_ports; i++)
			port_ids[i] = cfg->port[i].port_id;
		shared_acl = zc_acl_load(&ap, err, sizeof(err));
		if (shared_acl == NULL)
			return zc_config_error(cfg, "acl", "rules", "%s", err);
	}
	if (zc_acl_build(shared_acl, p->socket_id, err, sizeof(err)) != 0)
		goto fail;
	if (zc_actions_register() < 0) {
		snprintf(err, sizeof(err), "no dynamic mbuf flag left for the VLAN actions");
		goto fail;
	}
	if (check_act(p, shared_acl) < 0 || check_reject(p, shared_acl) < 0) {
		if (shared_users == 0) {
			zc_acl_free(shared_acl);
			shared_acl = NULL;
		}
		return -1;
	}

	cp = rte_zmalloc_socket("zc_classify", sizeof(*cp),
				RTE_CACHE_LINE_SIZE, p->socket_id);
	if (cp == NULL)
		goto nomem;
	cp->ctr = zc_acl_counters(shared_acl, p->lcore_id);
	if (cp->ctr == NULL) {
		rte_free(cp);
		goto nomem;
	}
	s = p->socket_id >= 0 && p->socket_id < RTE_MAX_NUMA_NODES ?
	    (unsigned int)p->socket_id : 0;
	cp->socket = s;
	cp->lcore = p->lcore_id;
	classify_bind(cp, shared_acl);
	cp->vtep = zc_vxlan_any();
	for (i = 0; i < ZC_BURST_MAX; i++) {
		cp->data4[i] = (const uint8_t *)&cp->key4[i];
		cp->data6[i] = (const uint8_t *)&cp->key6[i];
	}
	cp->st = st;
	st->priv = cp;
	shared_users++;
	zc_acl_set_active(shared_acl);
	return 0;

nomem:
	snprintf(err, sizeof(err), "%s: out of memory",
		 zc_acl_conf.rules[0] != '\0' ? zc_acl_conf.rules : "ACL");
fail:
	if (shared_users == 0) {
		zc_acl_free(shared_acl);
		shared_acl = NULL;
	}
	return zc_config_error(cfg, "acl", "rules", "%s", err);
}

static void
classify_fini(struct zc_stage *st)
{
	if (st->priv == NULL)
		return;
	rte_free(st->priv);
	st->priv = NULL;
	if (--shared_users == 0) {
		zc_acl_free(shared_acl);
		shared_acl = NULL;
	}
}

bool
zc_classify_acts(void)
{
	uint32_t i;

	/* Not loaded yet (a classify stage sets it up): assume it may. */
	if (shared_acl == NULL)
		return true;
	for (i = 0; i < shared_acl->nb_rules + 2; i++)
		switch (shared_acl->verdict[i].action) {
		case ZC_ACL_VLAN_PUSH:
		case ZC_ACL_VLAN_POP:
		case ZC_ACL_VXLAN:
			return true;
		default:
			break;
		}
	return false;
}

/* ---- replacing the rule set at run time ------------------------------ */

/* Where classify instances run, and which pipelines run act. */
struct classify_scan {
	bool socket[RTE_MAX_NUMA_NODES]; /* Context slots in use. */
	bool lcore[RTE_MAX_LCORE];       /* Counter rows in use. */
	bool classify[ZC_PIPELINES_MAX]; /* Pipelines running classify. */
	bool act[ZC_PIPELINES_MAX];      /* Pipelines running act. */
};

static void
scan_stage(struct zc_stage *st, void *arg)
{
	struct classify_scan *sc = arg;
	unsigned int pl = st->pipeline_id;

	if (pl >= ZC_PIPELINES_MAX)
		return;
	if (st->ops == &classify_stage) {
		const struct zc_acl_dp *cp = st->priv;

		if (cp == NULL)
			return;
		sc->socket[cp->socket] = true;
		sc->lcore[cp->lcore] = true;
		sc->classify[pl] = true;
	} else if (strcmp(st->ops->name, "act") == 0) {
		sc->act[pl] = true;
	}
}

/* Whether the act stage runs after classify in a pipeline. */
static bool
act_after(const struct classify_scan *sc, unsigned int pl)
{
	const struct zc_pipeline_conf *pc = &classify_cfg->pipeline[pl];
	unsigned int s;
	bool after = false;

	if (!sc->act[pl])
		return false;
	for (s = 0; s < pc->nb_stages; s++) {
		if (strcmp(pc->stage[s], "classify") == 0)
			after = true;
		else if (after && strcmp(pc->stage[s], "act") == 0)
			return true;
	}
	return false;
}

/* A rule the act stage carries out needs it to run after classify. */
static int
check_act_running(const struct classify_scan *sc, const struct zc_acl *acl,
		  char *err, size_t errlen)
{
	unsigned int i, pl;

	for (i = 0; i < acl->nb_rules; i++) {
		struct zc_acl_rule_stats rs;
		uint8_t a = acl->verdict[i + 1].action;

		if (a != ZC_ACL_VLAN_PUSH && a != ZC_ACL_VLAN_POP &&
		    a != ZC_ACL_VXLAN)
			continue;
		for (pl = 0; pl < classify_cfg->nb_pipelines &&
		     pl < ZC_PIPELINES_MAX; pl++) {
			if (!sc->classify[pl] || act_after(sc, pl))
				continue;
			zc_acl_rule_stats_of(acl, i, &rs);
			snprintf(err, errlen,
				 "%s:%u: action %s needs the act stage after classify, which [pipeline.%u] does not run (a default chain leaves act out when no rule asked for it at start; name it in stages = ... to load such rules later)",
				 acl->path, rs.line, zc_acl_action_name(a), pl);
			return -1;
		}
	}
	return 0;
}

bool
zc_classify_running(void)
{
	return shared_users != 0;
}

struct zc_acl *
zc_classify_prepare(const char *path, char *err, size_t errlen)
{
	const struct zc_config *cfg = classify_cfg;
	uint16_t port_ids[ZC_MAX_PORTS];
	struct classify_scan sc;
	struct zc_acl_params ap;
	struct zc_acl *acl;
	unsigned int i;

	if (shared_users == 0 || cfg == NULL) {
		snprintf(err, errlen, "no classify stage runs (a default chain leaves it out when [acl] names no rules and the default is permit; name it in [pipeline.N] stages = ... to load rules at run time)");
		return NULL;
	}
	memset(&ap, 0, sizeof(ap));
	ap.path = path != NULL ? path : zc_acl_conf.rules;
	ap.nb_ports = cfg->nb_ports;
	ap.port_ids = port_ids;
	ap.deny_default = zc_acl_conf.deny_default;
	for (i = 0; i < cfg->nb_ports; i++)
		port_ids[i] = cfg->port[i].port_id;
	acl = zc_acl_load(&ap, err, errlen);
	if (acl == NULL)
		return NULL;

	memset(&sc, 0, sizeof(sc));
	zc_pipeline_foreach_stage(scan_stage, &sc);
	if (check_act_running(&sc, acl, err, errlen) < 0)
		goto fail;
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (sc.socket[i] &&
		    zc_acl_build(acl, (int)i, err, errlen) != 0)
			goto fail;
	for (i = 0; i < RTE_MAX_LCORE; i++)
		if (sc.lcore[i] && zc_acl_counters(acl, i) == NULL) {
			snprintf(err, errlen, "%s: out of memory", acl->path);
			goto fail;
		}
	return acl;
fail:
	zc_acl_free(acl);
	return NULL;
}

struct zc_acl *
zc_classify_commit(struct zc_acl *acl)
{
	struct zc_acl *old = shared_acl;

	zc_acl_set_active(acl);
	__atomic_store_n(&shared_acl, acl, __ATOMIC_RELEASE);
	return old;
}

/* No rule and a permit default: every packet would go on untouched. */
static bool
classify_idle(const struct zc_config *cfg __rte_unused)
{
	return zc_acl_conf.rules[0] == '\0' && !zc_acl_conf.deny_default;
}

static struct zc_stage_ops classify_stage = {
	.idle = classify_idle,
	.name = "classify",
	.desc = "ACL on rte_acl: permit, deny, count, forward or mirror by 5-tuple, VLAN and port",
	.reads = ZC_MD_L2 | ZC_MD_L3 | ZC_MD_L4,
	.writes = ZC_MD_EGRESS | ZC_MD_ACTIONS,
	.default_modes = ZC_MODE_BIT(ZC_MODE_ROUTER) |
			 ZC_MODE_BIT(ZC_MODE_FILTER),
	.rank = 20,
	.init = classify_init,
	.fini = classify_fini,
	.process = classify_process,
};

ZC_STAGE_REGISTER(classify_stage);
