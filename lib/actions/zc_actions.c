/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Zero-copy actions: the [actions] and [vxlan.NAME] sections, the header
 * and clone pools, the copy counters, and the packet helpers the act and
 * tx stages call (VLAN push/pop, VXLAN encap/decap, mirror clones,
 * software checksum, linearisation). docs/actions.md has the behaviour.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mbuf_ptype.h>
#include <rte_memcpy.h>
#include <rte_mempool.h>
#include <rte_string_fns.h>
#include <rte_udp.h>

#include "actions/zc_actions.h"
#include "core/zc_config.h"
#include "core/zc_log.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"

struct zc_actions_conf zc_act_conf;
struct zc_act_lcore_stats zc_act_stats[RTE_MAX_LCORE];
uint64_t zc_vlan_pop_flag;
uint64_t zc_vlan_push_flag;

/* Data room of a header mbuf beyond the headroom: the longest header we
 * build (VXLAN, 50 bytes) with room to spare.
 */
#define HDR_ROOM 64

/* Outer UDP source ports come from this range (RFC 7348, 5). */
#define VXLAN_SPORT_BASE 49152
#define VXLAN_SPORT_MASK 0x3fff

/* VXLAN flags word: the I bit (VNI valid). */
#define VXLAN_FLAG_I 0x08000000u

static struct zc_act_pools act_pools[RTE_MAX_NUMA_NODES];

/* ---- configuration ------------------------------------------------------ */

static void
actions_reset(void)
{
	memset(&zc_act_conf, 0, sizeof(zc_act_conf));
	zc_act_conf.max_decap = 1;
}

/* Does some chain carry out action requests (the act stage)? */
static int
chain_has_act(const struct zc_config *cfg)
{
	return zc_config_chains_read(cfg, NULL, NULL, ZC_MD_ACTIONS) != 0;
}

static int
parse_actions(struct zc_config *cfg, struct rte_cfgfile *f, const char *sec)
{
	static const char *const keys[] = {
		"max_decap", "mirror_vlan", "vxlan_headroom", NULL
	};
	char buf[CFG_VALUE_LEN];
	char *tok, *save = NULL;
	const char *v;
	uint64_t x = zc_act_conf.max_decap;

	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_uint(cfg, f, sec, "max_decap", 1, 3, &x) < 0)
		return -1;
	zc_act_conf.max_decap = (uint8_t)x;
	if (zc_config_get_bool(cfg, f, sec, "vxlan_headroom",
			       &zc_act_conf.vxlan_headroom) < 0)
		return -1;
	v = rte_cfgfile_get_entry(f, sec, "mirror_vlan");
	if (v == NULL)
		return 0;
	strlcpy(buf, v, sizeof(buf));
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL;
	     tok = strtok_r(NULL, ", \t", &save)) {
		char *colon = strchr(tok, ':');
		uint64_t tci;
		uint16_t port;

		if (colon == NULL)
			return zc_config_error(cfg, sec, "mirror_vlan",
					       "expected PORT:TCI pairs such as 2:100, got '%s'",
					       tok);
		*colon = '\0';
		if (zc_parse_port_ref(cfg, tok, &port) < 0)
			return zc_config_error(cfg, sec, "mirror_vlan",
					       "port '%s' is not configured (ports 0 to %d exist)",
					       tok, cfg->nb_ports - 1);
		if (zc_parse_uint(colon + 1, 0, UINT16_MAX, &tci) < 0)
			return zc_config_error(cfg, sec, "mirror_vlan",
					       "expected a TCI from 0 to 65535 after '%s:', got '%s'",
					       tok, colon + 1);
		zc_act_conf.mirror_cfg[port] = (uint16_t)tci;
		zc_act_conf.has_mirror_cfg[port] = 1;
	}
	return 0;
}

static int
get_ipv4(const struct zc_config *cfg, struct rte_cfgfile *f, const char *sec,
	 const char *key, uint32_t *out)
{
	const char *v = rte_cfgfile_get_entry(f, sec, key);
	uint8_t len;

	if (v == NULL)
		return zc_config_error(cfg, sec, key,
				       "missing: the tunnel's %s VTEP IPv4 address",
				       strcmp(key, "local") == 0 ? "local" :
				       "remote");
	if (zc_parse_ipv4_prefix(v, out, &len) < 0 || len != 32 ||
	    strchr(v, '/') != NULL)
		return zc_config_error(cfg, sec, key,
				       "expected an IPv4 address such as 10.0.1.1, got '%s'",
				       v);
	return 0;
}

static int
get_mac(const struct zc_config *cfg, struct rte_cfgfile *f, const char *sec,
	const char *key, struct rte_ether_addr *mac, uint8_t *has)
{
	const char *v = rte_cfgfile_get_entry(f, sec, key);

	if (v == NULL) {
		if (has == NULL)
			return zc_config_error(cfg, sec, key,
					       "missing: the outer destination MAC (the remote VTEP's, or its gateway's)");
		*has = 0;
		return 0;
	}
	return zc_config_get_mac(cfg, f, sec, key, mac, has);
}

static int
parse_vxlan(struct zc_config *cfg, struct rte_cfgfile *f, const char *sec)
{
	static const char *const keys[] = {
		"local", "remote", "vni", "udp_port", "port", "remote_mac",
		"local_mac", "peer_mac", "ttl", NULL
	};
	const char *name = sec + strlen("vxlan.");
	struct zc_vxlan *t;
	uint64_t x;
	unsigned int i;
	const char *c;

	if (*name == '\0' || strlen(name) >= ZC_VXLAN_NAME_LEN)
		return zc_config_error(cfg, sec, NULL,
				       "expected [vxlan.NAME] with a NAME of 1 to %d characters",
				       ZC_VXLAN_NAME_LEN - 1);
	for (c = name; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
			return zc_config_error(cfg, sec, NULL,
					       "tunnel names take letters, digits, '_' and '-' only");
	if (zc_act_conf.nb_vxlan == ZC_VXLAN_MAX)
		return zc_config_error(cfg, sec, NULL,
				       "more than %d tunnels", ZC_VXLAN_MAX);
	if (cfg->nb_ports + zc_act_conf.nb_vxlan >= RTE_MAX_ETHPORTS)
		return zc_config_error(cfg, sec, NULL,
				       "no port id left for the tunnel (%u ports and %u tunnels, at most %d together)",
				       cfg->nb_ports, zc_act_conf.nb_vxlan + 1u,
				       RTE_MAX_ETHPORTS - 1);
	if (zc_config_check_keys(cfg, f, sec, keys) < 0)
		return -1;
	t = &zc_act_conf.vxlan[zc_act_conf.nb_vxlan];
	memset(t, 0, sizeof(*t));
	strlcpy(t->name, name, sizeof(t->name));
	if (get_ipv4(cfg, f, sec, "local", &t->local) < 0 ||
	    get_ipv4(cfg, f, sec, "remote", &t->remote) < 0)
		return -1;
	if (rte_cfgfile_get_entry(f, sec, "vni") == NULL)
		return zc_config_error(cfg, sec, "vni",
				       "missing: the VXLAN network identifier, 0 to 16777215");
	if (zc_config_get_uint(cfg, f, sec, "vni", 0, 0xffffff, &x) < 0)
		return -1;
	t->vni = (uint32_t)x;
	x = ZC_VXLAN_UDP_PORT;
	if (zc_config_get_uint(cfg, f, sec, "udp_port", 1, UINT16_MAX, &x) < 0)
		return -1;
	t->udp_port = (uint16_t)x;
	if (rte_cfgfile_get_entry(f, sec, "port") == NULL)
		return zc_config_error(cfg, sec, "port",
				       "missing: the port encapsulated packets leave by");
	if (zc_config_get_uint(cfg, f, sec, "port", 0, UINT16_MAX, &x) < 0)
		return -1;
	if (x >= cfg->nb_ports)
		return zc_config_error(cfg, sec, "port",
				       "port %" PRIu64 " is not configured (ports 0 to %d exist)",
				       x, cfg->nb_ports - 1);
	t->cfg_port = (uint16_t)x;
	x = 64;
	if (zc_config_get_uint(cfg, f, sec, "ttl", 1, 255, &x) < 0)
		return -1;
	t->ttl = (uint8_t)x;
	if (get_mac(cfg, f, sec, "remote_mac", &t->remote_mac, NULL) < 0 ||
	    get_mac(cfg, f, sec, "local_mac", &t->local_mac,
		    &t->has_local_mac) < 0 ||
	    get_mac(cfg, f, sec, "peer_mac", &t->peer_mac,
		    &t->has_peer_mac) < 0)
		return -1;
	for (i = 0; i < zc_act_conf.nb_vxlan; i++) {
		const struct zc_vxlan *o = &zc_act_conf.vxlan[i];

		if (o->local == t->local && o->udp_port == t->udp_port &&
		    o->vni == t->vni)
			return zc_config_error(cfg, sec, "vni",
					       "[vxlan.%s] already terminates VNI %u on the same local address and UDP port",
					       o->name, t->vni);
	}
	if (!chain_has_act(cfg))
		return zc_config_error(cfg, sec, NULL,
				       "tunnels need the act stage in the pipeline (e.g. stages = rx parse classify route act tx)");
	t->vport = ZC_VXLAN_VPORT(zc_act_conf.nb_vxlan);
	zc_act_conf.nb_vxlan++;
	return 0;
}

static struct zc_config_section actions_section = {
	.prefix = "actions",
	.order = 70,
	.parse = parse_actions,
	.reset = actions_reset,
};

static struct zc_config_section vxlan_section = {
	.prefix = "vxlan.",
	.order = 75,
	.parse = parse_vxlan,
};

ZC_CONFIG_SECTION(actions_section);
ZC_CONFIG_SECTION(vxlan_section);

const struct zc_vxlan *
zc_vxlan_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < zc_act_conf.nb_vxlan; i++)
		if (strcmp(zc_act_conf.vxlan[i].name, name) == 0)
			return &zc_act_conf.vxlan[i];
	return NULL;
}

/* Outer headers of one encapsulated packet, as laid out on the wire. */
struct vxlan_hdrs {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
	struct rte_udp_hdr udp;
	uint32_t flags;
	uint32_t vni;
} __rte_packed __rte_aligned(2);

/* The fields every packet of a tunnel shares, and their IPv4 sum. */
static void
vxlan_template(struct zc_vxlan *t)
{
	struct vxlan_hdrs *o = (struct vxlan_hdrs *)t->tmpl;

	RTE_BUILD_BUG_ON(sizeof(struct vxlan_hdrs) != ZC_VXLAN_HDR_LEN);
	memset(o, 0, sizeof(*o));
	o->eth.dst_addr = t->remote_mac;
	o->eth.src_addr = t->local_mac;
	o->eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	o->ip.version_ihl = RTE_IPV4_VHL_DEF;
	o->ip.fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	o->ip.time_to_live = t->ttl;
	o->ip.next_proto_id = IPPROTO_UDP;
	o->ip.src_addr = t->local;
	o->ip.dst_addr = t->remote;
	o->udp.dst_port = rte_cpu_to_be_16(t->udp_port);
	o->flags = RTE_BE32(VXLAN_FLAG_I);
	o->vni = rte_cpu_to_be_32(t->vni << 8);
	t->ip_sum = rte_raw_cksum(&o->ip, sizeof(o->ip));
}

int
zc_actions_setup(const struct zc_config *cfg)
{
	unsigned int i;

	if (zc_act_conf.setup_done)
		return 0;
	for (i = 0; i < zc_act_conf.nb_vxlan; i++) {
		struct zc_vxlan *t = &zc_act_conf.vxlan[i];
		const struct zc_port_conf *pc = &cfg->port[t->cfg_port];
		struct zc_port *vp = &zc_ports[t->vport];
		char sec[CFG_NAME_LEN];
		uint16_t mtu = 0;

		snprintf(sec, sizeof(sec), "vxlan.%s", t->name);
		if (rte_eth_dev_is_valid_port(t->vport) ||
		    zc_ports[t->vport].used)
			return zc_config_error(cfg, sec, NULL,
					       "port id %u, which the tunnel needs, belongs to a device; use fewer ports or tunnels",
					       t->vport);
		t->port = pc->port_id;
		if (!t->has_local_mac) {
			if (pc->has_mac)
				t->local_mac = pc->mac;
			else
				rte_eth_macaddr_get(t->port, &t->local_mac);
		}
		vxlan_template(t);
		rte_eth_dev_get_mtu(t->port, &mtu);
		/* The tunnel as a port for the route stage: its source MAC
		 * and the largest inner IP packet that fits the egress MTU.
		 */
		memset(vp, 0, sizeof(*vp));
		vp->mac = t->local_mac;
		vp->mtu = mtu > ZC_VXLAN_HDR_LEN ? mtu - ZC_VXLAN_HDR_LEN : 0;
		vp->socket_id = zc_ports[t->port].socket_id;
		snprintf(vp->name, sizeof(vp->name), "vxlan:%s", t->name);
	}
	memset(zc_act_conf.has_mirror_tci, 0,
	       sizeof(zc_act_conf.has_mirror_tci));
	for (i = 0; i < cfg->nb_ports; i++) {
		uint16_t pid = cfg->port[i].port_id;

		if (!zc_act_conf.has_mirror_cfg[i])
			continue;
		zc_act_conf.mirror_tci[pid] = zc_act_conf.mirror_cfg[i];
		zc_act_conf.has_mirror_tci[pid] = 1;
	}
	zc_act_conf.setup_done = 1;
	return 0;
}

int
zc_actions_register(void)
{
	static const struct rte_mbuf_dynflag pop = { .name = "zcpipe_vlan_pop" };
	static const struct rte_mbuf_dynflag push = { .name = "zcpipe_vlan_push" };
	int b;

	if (zc_vlan_pop_flag != 0 && zc_vlan_push_flag != 0)
		return 0;
	b = rte_mbuf_dynflag_register(&pop);
	if (b < 0)
		return -rte_errno;
	zc_vlan_pop_flag = RTE_BIT64(b);
	b = rte_mbuf_dynflag_register(&push);
	if (b < 0)
		return -rte_errno;
	zc_vlan_push_flag = RTE_BIT64(b);
	return 0;
}

int
zc_vxlan_match(struct rte_mbuf *m, const struct zc_meta *md,
	       uint32_t *inner_off, uint32_t *inner_len)
{
	struct rte_ipv4_hdr ipb;
	const struct rte_ipv4_hdr *ip;
	uint32_t hb[4];
	const uint32_t *h;
	uint32_t vx, end;
	uint16_t dport;
	unsigned int i;

	if (md->l3_type != ZC_L3_IPV4 || md->l4_proto != IPPROTO_UDP ||
	    (md->flags & (ZC_META_F_L4 | ZC_META_F_FRAG)) != ZC_META_F_L4)
		return -1;
	ip = rte_pktmbuf_read(m, md->l3_off, sizeof(ipb), &ipb);
	/* UDP header and VXLAN header: 16 bytes. */
	h = rte_pktmbuf_read(m, md->l4_off, sizeof(hb), hb);
	if (ip == NULL || h == NULL)
		return -1;
	dport = rte_be_to_cpu_16(((const struct rte_udp_hdr *)h)->dst_port);
	vx = rte_be_to_cpu_32(h[2]);
	if (!(vx & VXLAN_FLAG_I))
		return -1;
	for (i = 0; i < zc_act_conf.nb_vxlan; i++) {
		const struct zc_vxlan *t = &zc_act_conf.vxlan[i];

		if (t->local != ip->dst_addr || t->udp_port != dport ||
		    t->vni != rte_be_to_cpu_32(h[3]) >> 8)
			continue;
		*inner_off = md->l4_off + 16u;
		end = md->l3_off + (uint32_t)rte_be_to_cpu_16(ip->total_length);
		*inner_len = end > *inner_off ? end - *inner_off : 0;
		return (int)i;
	}
	return -1;
}

/* ---- pools -------------------------------------------------------------- */

int
zc_actions_pools(const struct zc_config *cfg, int socket_id,
		 struct zc_act_pools *out)
{
	unsigned int s = socket_id >= 0 && socket_id < RTE_MAX_NUMA_NODES ?
			 (unsigned int)socket_id : 0;
	struct zc_act_pools *p = &act_pools[s];
	struct rte_mempool *pkt = zc_rt.pools[s];
	unsigned int size, i;
	char name[RTE_MEMPOOL_NAMESIZE];

	if (pkt == NULL)
		for (i = 0; i < RTE_MAX_NUMA_NODES && pkt == NULL; i++)
			pkt = zc_rt.pools[i];
	if (pkt == NULL)
		return zc_config_error(cfg, "general", NULL,
				       "no packet pool to size the header and clone pools from");
	size = pkt->size;
	if (p->hdr == NULL) {
		snprintf(name, sizeof(name), "zc_hdr_s%u", s);
		p->hdr = rte_pktmbuf_pool_create(name, size, cfg->pool_cache,
						 0, RTE_PKTMBUF_HEADROOM +
						 HDR_ROOM, (int)s);
		if (p->hdr == NULL)
			return zc_config_error(cfg, "general", NULL,
					       "cannot create header pool %s of %u mbufs: %s",
					       name, size,
					       rte_strerror(rte_errno));
		ZC_LOG(INFO, "pool %s: %u header mbufs of %u bytes, socket %u",
		       name, size, RTE_PKTMBUF_HEADROOM + HDR_ROOM, s);
	}
	if (p->clone == NULL) {
		snprintf(name, sizeof(name), "zc_clone_s%u", s);
		p->clone = rte_pktmbuf_pool_create(name, size, cfg->pool_cache,
						   0, 0, (int)s);
		if (p->clone == NULL)
			return zc_config_error(cfg, "general", NULL,
					       "cannot create clone pool %s of %u mbufs: %s",
					       name, size,
					       rte_strerror(rte_errno));
		ZC_LOG(INFO, "pool %s: %u indirect mbufs, socket %u", name,
		       size, s);
	}
	p->pkt = pkt;
	*out = *p;
	return 0;
}

static unsigned int
check_pool(FILE *out, struct rte_mempool *mp)
{
	unsigned int avail;

	if (mp == NULL)
		return 0;
	avail = rte_mempool_avail_count(mp);
	if (avail == mp->size)
		return 0;
	fprintf(out, "zcpipe: mbuf leak: pool %s has %u of %u mbufs back; %u missing\n",
		mp->name, avail, mp->size, mp->size - avail);
	return mp->size - avail;
}

unsigned int
zc_actions_check_pools(FILE *out)
{
	unsigned int i, missing = 0;

	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		missing += check_pool(out, act_pools[i].hdr);
		missing += check_pool(out, act_pools[i].clone);
	}
	return missing;
}

void
zc_actions_release(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		rte_mempool_free(act_pools[i].hdr);
		rte_mempool_free(act_pools[i].clone);
		memset(&act_pools[i], 0, sizeof(act_pools[i]));
	}
	zc_act_conf.setup_done = 0;
}

/* ---- counters ----------------------------------------------------------- */

static const char *const copy_names[ZC_COPY_MAX] = {
#define ZC_COPY_NAME(id, name, desc) [ZC_COPY_##id] = name,
	ZC_COPY_REASONS(ZC_COPY_NAME)
#undef ZC_COPY_NAME
};

static const char *const copy_descs[ZC_COPY_MAX] = {
#define ZC_COPY_DESC(id, name, desc) [ZC_COPY_##id] = desc,
	ZC_COPY_REASONS(ZC_COPY_DESC)
#undef ZC_COPY_DESC
};

static const char *const copy_stage_names[ZC_COPY_STAGE_MAX] = {
	[ZC_COPY_STAGE_ACT] = "act",
	[ZC_COPY_STAGE_TX] = "tx",
};

const char *
zc_copy_reason_name(enum zc_copy_reason r)
{
	return (unsigned int)r < ZC_COPY_MAX ? copy_names[r] : "unknown";
}

const char *
zc_copy_stage_name(enum zc_copy_stage s)
{
	return (unsigned int)s < ZC_COPY_STAGE_MAX ? copy_stage_names[s] :
	       "unknown";
}

void
zc_act_stats_sum(struct zc_act_lcore_stats *sum)
{
	const size_t n = sizeof(*sum) / sizeof(uint64_t);
	unsigned int l;
	size_t k;

	/* The struct is uint64_t counters only (and padding, zero). */
	memset(sum, 0, sizeof(*sum));
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const uint64_t *src = (const uint64_t *)&zc_act_stats[l];
		uint64_t *dst = (uint64_t *)sum;

		for (k = 0; k < n; k++)
			dst[k] += src[k];
	}
}

void
zc_act_stats_reset(void)
{
	memset(zc_act_stats, 0, sizeof(zc_act_stats));
}

uint64_t
zc_copy_bytes_total(void)
{
	struct zc_act_lcore_stats s;
	uint64_t sum = 0;
	unsigned int st, r;

	zc_act_stats_sum(&s);
	for (st = 0; st < ZC_COPY_STAGE_MAX; st++)
		for (r = 0; r < ZC_COPY_MAX; r++)
			sum += s.copy_bytes[st][r];
	return sum;
}

/* ---- counter groups ----------------------------------------------------- */

ZC_COUNTER_GROUP(actions, "Packet actions: tunnels, VLAN tags, header segments, checksums.",
		 zc_act_stats, ZC_ACT_COUNTERS);

/* One copy counter of a stage and a reason, as "act/linearize". */
#define COPY_DESC(arr, st, st_name, unit_, what, id, name_, desc) \
	{ \
		.name = st_name "/" name_, \
		.unit = unit_, \
		.help = what " by " st_name ": " desc, \
		.kind = ZC_COUNTER_KIND_COUNTER, \
		.offset = offsetof(struct zc_act_lcore_stats, \
				   arr[ZC_COPY_STAGE_##st][ZC_COPY_##id]), \
	},
#define COPY_BYTES_ACT(id, name, desc) \
	COPY_DESC(copy_bytes, ACT, "act", "bytes", "Bytes copied", id, name, desc)
#define COPY_BYTES_TX(id, name, desc) \
	COPY_DESC(copy_bytes, TX, "tx", "bytes", "Bytes copied", id, name, desc)
#define COPY_EVENTS_ACT(id, name, desc) \
	COPY_DESC(copy_events, ACT, "act", "packets", "Packets copied", id, name, desc)
#define COPY_EVENTS_TX(id, name, desc) \
	COPY_DESC(copy_events, TX, "tx", "packets", "Packets copied", id, name, desc)

/* In enum order, stage by stage: entry st * ZC_COPY_MAX + r. */
static const struct zc_counter_desc copy_bytes_desc[] = {
	ZC_COPY_REASONS(COPY_BYTES_ACT)
	ZC_COPY_REASONS(COPY_BYTES_TX)
};

static const struct zc_counter_desc copy_events_desc[] = {
	ZC_COPY_REASONS(COPY_EVENTS_ACT)
	ZC_COPY_REASONS(COPY_EVENTS_TX)
};

static struct zc_counter_group copy_events_group = {
	.name = "copy_events",
	.help = "Packets the datapath copied bytes of, by stage and reason.",
	.base = zc_act_stats,
	.stride = sizeof(zc_act_stats[0]),
	.nb_rows = RTE_DIM(zc_act_stats),
	.desc = copy_events_desc,
	.nb_desc = RTE_DIM(copy_events_desc),
	/* Shown by the copies section of the text summary. */
	.flags = ZC_COUNTER_F_NO_TEXT,
};

ZC_COUNTER_GROUP_REGISTER(copy_events_group);

/* The copies section of the text summary: bytes and packets by stage and
 * reason, with what the reason means.
 */
static void
copies_print(FILE *out, const struct zc_counter_group *g,
	     const uint64_t *bytes)
{
	uint64_t events[RTE_DIM(copy_events_desc)], total = 0;
	unsigned int st, r;

	RTE_BUILD_BUG_ON(RTE_DIM(copy_bytes_desc) !=
			 ZC_COPY_STAGE_MAX * ZC_COPY_MAX);
	RTE_BUILD_BUG_ON(RTE_DIM(copy_events_desc) !=
			 ZC_COPY_STAGE_MAX * ZC_COPY_MAX);
	zc_counter_group_read(&copy_events_group, events);
	fprintf(out, "%s:\n", g->name);
	for (st = 0; st < ZC_COPY_STAGE_MAX; st++)
		for (r = 0; r < ZC_COPY_MAX; r++) {
			unsigned int i = st * ZC_COPY_MAX + r;

			if (events[i] == 0)
				continue;
			total += bytes[i];
			fprintf(out, "  %-4s %-12s %12" PRIu64 " bytes in %" PRIu64 " packets  (%s)\n",
				copy_stage_names[st], copy_names[r],
				bytes[i], events[i], copy_descs[r]);
		}
	if (total == 0)
		fprintf(out, "  none: 0 bytes copied\n");
}

static struct zc_counter_group copies_group = {
	.name = "copies",
	.help = "Bytes the datapath copied, by stage and reason (0 in a zero-copy run).",
	.base = zc_act_stats,
	.stride = sizeof(zc_act_stats[0]),
	.nb_rows = RTE_DIM(zc_act_stats),
	.desc = copy_bytes_desc,
	.nb_desc = RTE_DIM(copy_bytes_desc),
	.total = "copied_bytes",
	.print = copies_print,
};

ZC_COUNTER_GROUP_REGISTER(copies_group);

/* ---- packet helpers ----------------------------------------------------- */

/* What a new head takes from the packet it goes in front of. */
static inline void
hdr_copy_fields(struct rte_mbuf *h, const struct rte_mbuf *m)
{
	h->port = m->port;
	h->vlan_tci = m->vlan_tci;
	h->vlan_tci_outer = m->vlan_tci_outer;
	h->tx_offload = m->tx_offload;
	h->hash = m->hash;
	h->packet_type = m->packet_type;
	rte_mbuf_dynfield_copy(h, m);
	h->ol_flags = (h->ol_flags & (RTE_MBUF_F_INDIRECT |
				      RTE_MBUF_F_EXTERNAL)) |
		      (m->ol_flags & ~(RTE_MBUF_F_INDIRECT |
				       RTE_MBUF_F_EXTERNAL));
}

/*
 * Make h, straight from its pool (free state: one reference, no next, one
 * segment), a header of len bytes for m: every mbuf field rte_pktmbuf_reset()
 * would set is set here, most from m.
 */
static inline void
hdr_init(struct rte_mbuf *h, const struct rte_mbuf *m, uint16_t len)
{
	h->data_off = RTE_MIN((uint16_t)RTE_PKTMBUF_HEADROOM, h->buf_len);
	h->data_len = len;
	h->pkt_len = len;
	h->vlan_tci = m->vlan_tci;
	h->vlan_tci_outer = m->vlan_tci_outer;
	h->tx_offload = m->tx_offload;
	h->hash = m->hash;
	h->packet_type = m->packet_type;
	h->port = m->port;
	rte_mbuf_dynfield_copy(h, m);
	h->ol_flags = m->ol_flags & ~(RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL);
}

/* A header mbuf with len bytes of data, fields taken from m; not chained. */
static inline struct rte_mbuf *
hdr_alloc(struct rte_mbuf *m, uint16_t len, struct rte_mempool *pool)
{
	struct rte_mbuf *h;

	if (unlikely(m->nb_segs >= RTE_MBUF_MAX_NB_SEGS))
		return NULL;
	h = rte_mbuf_raw_alloc(pool);
	if (unlikely(h == NULL))
		return NULL;
	hdr_init(h, m, len);
	return h;
}

struct rte_mbuf *
zc_hdr_prepend(struct rte_mbuf *m, uint16_t len, struct rte_mempool *hdr_pool)
{
	struct rte_mbuf *h = hdr_alloc(m, len, hdr_pool);

	if (h == NULL)
		return NULL;
	if (unlikely(rte_pktmbuf_chain(h, m) != 0)) {
		rte_pktmbuf_free_seg(h);
		return NULL;
	}
	return h;
}

/* Offsets recorded by the parser move by d bytes. */
static inline void
meta_shift(struct rte_mbuf *m, int d)
{
	struct zc_meta *md = zc_meta(m);

	if (md->l3_off != 0)
		md->l3_off = (uint16_t)(md->l3_off + d);
	if (md->l4_off != 0)
		md->l4_off = (uint16_t)(md->l4_off + d);
	if (md->inner_l2_off != 0)
		md->inner_l2_off = (uint16_t)(md->inner_l2_off + d);
	if (md->inner_l3_off != 0)
		md->inner_l3_off = (uint16_t)(md->inner_l3_off + d);
	if (m->l2_len != 0 && (int)m->l2_len + d >= RTE_ETHER_HDR_LEN &&
	    (int)m->l2_len + d <= 127)
		m->l2_len = (uint64_t)((int)m->l2_len + d);
}

static inline int
is_vlan_tpid(uint16_t be)
{
	return be == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
	       be == RTE_BE16(RTE_ETHER_TYPE_QINQ) ||
	       be == RTE_BE16(RTE_ETHER_TYPE_QINQ1);
}

static inline int
unshared(const struct rte_mbuf *m)
{
	return RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1;
}

int
zc_vlan_push(struct rte_mbuf **mp, uint16_t tci, struct rte_mempool *hdr_pool,
	     struct zc_act_lcore_stats *s)
{
	struct rte_mbuf *m = *mp;
	struct zc_meta *md;
	uint16_t tag[2];
	uint8_t *p;

	if (unlikely(rte_pktmbuf_data_len(m) < 2 * RTE_ETHER_ADDR_LEN))
		return -EINVAL;
	if (unshared(m) && rte_pktmbuf_headroom(m) >= sizeof(tag)) {
		/* The 12 MAC bytes move 4 bytes back into the headroom. */
		p = (uint8_t *)rte_pktmbuf_prepend(m, sizeof(tag));
		memmove(p, p + sizeof(tag), 2 * RTE_ETHER_ADDR_LEN);
	} else {
		/* Shared data stays as it is: MACs and tag go in front. */
		struct rte_mbuf *h = hdr_alloc(m, 2 * RTE_ETHER_ADDR_LEN +
					       sizeof(tag), hdr_pool);

		if (unlikely(h == NULL))
			return -ENOBUFS;
		p = rte_pktmbuf_mtod(h, uint8_t *);
		memcpy(p, rte_pktmbuf_mtod(m, uint8_t *),
		       2 * RTE_ETHER_ADDR_LEN);
		rte_pktmbuf_adj(m, 2 * RTE_ETHER_ADDR_LEN);
		if (unlikely(rte_pktmbuf_chain(h, m) != 0)) {
			rte_pktmbuf_prepend(m, 2 * RTE_ETHER_ADDR_LEN);
			rte_pktmbuf_free_seg(h);
			return -ENOBUFS;
		}
		m = h;
		s->hdr_segs++;
	}
	/* TPID and TCI where the ethertype was; the old ethertype (or tag)
	 * now follows them.
	 */
	tag[0] = RTE_BE16(RTE_ETHER_TYPE_VLAN);
	tag[1] = rte_cpu_to_be_16(tci);
	memcpy(p + 2 * RTE_ETHER_ADDR_LEN, tag, sizeof(tag));
	m->ol_flags &= ~(RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED);
	meta_shift(m, (int)sizeof(tag));
	md = zc_meta(m);
	md->vlan[1] = md->vlan[0];
	md->vlan[0] = tci;
	if (md->nb_vlan < 7)
		md->nb_vlan++;
	s->vlan_push++;
	*mp = m;
	return 0;
}

int
zc_vlan_pop(struct rte_mbuf **mp, struct rte_mempool *hdr_pool,
	    struct zc_act_lcore_stats *s)
{
	struct rte_mbuf *m = *mp;
	const uint16_t hl = 2 * RTE_ETHER_ADDR_LEN + sizeof(struct rte_vlan_hdr);
	struct zc_meta *md;
	uint16_t tpid;
	uint8_t *p;

	if (unlikely(rte_pktmbuf_data_len(m) < hl))
		return rte_pktmbuf_pkt_len(m) < hl ? 1 : -EINVAL;
	p = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(&tpid, p + 2 * RTE_ETHER_ADDR_LEN, sizeof(tpid));
	if (!is_vlan_tpid(tpid))
		return 1;
	if (unshared(m)) {
		/* The 12 MAC bytes move 4 bytes on, over the tag. */
		memmove(p + sizeof(struct rte_vlan_hdr), p,
			2 * RTE_ETHER_ADDR_LEN);
		rte_pktmbuf_adj(m, sizeof(struct rte_vlan_hdr));
	} else {
		struct rte_mbuf *h = hdr_alloc(m, 2 * RTE_ETHER_ADDR_LEN,
					       hdr_pool);

		if (unlikely(h == NULL))
			return -ENOBUFS;
		memcpy(rte_pktmbuf_mtod(h, uint8_t *), p,
		       2 * RTE_ETHER_ADDR_LEN);
		rte_pktmbuf_adj(m, hl);
		if (unlikely(rte_pktmbuf_chain(h, m) != 0)) {
			rte_pktmbuf_prepend(m, hl);
			rte_pktmbuf_free_seg(h);
			return -ENOBUFS;
		}
		m = h;
		s->hdr_segs++;
	}
	meta_shift(m, -(int)sizeof(struct rte_vlan_hdr));
	md = zc_meta(m);
	md->vlan[0] = md->vlan[1];
	md->vlan[1] = 0;
	if (md->nb_vlan > 0)
		md->nb_vlan--;
	s->vlan_pop++;
	*mp = m;
	return 0;
}

int
zc_vxlan_encap(struct rte_mbuf **mp, const struct zc_vxlan *t,
	       struct rte_mempool *hdr_pool, int ip_cksum_offload)
{
	struct rte_mbuf *h = rte_mbuf_raw_alloc(hdr_pool);
	int ret;

	if (unlikely(h == NULL))
		return -ENOBUFS;
	ret = zc_vxlan_encap_hdr(mp, h, t, ip_cksum_offload);
	if (unlikely(ret != 0))
		rte_mbuf_raw_free(h);
	return ret;
}

/*
 * Write tunnel t's outer headers for an inner frame of inner bytes, whose
 * metadata is md, at o; set the head mbuf h's offload fields and metadata.
 */
static inline void
vxlan_write(struct vxlan_hdrs *o, struct rte_mbuf *h, const struct zc_vxlan *t,
	    uint32_t inner, const struct zc_meta *md, int ip_cksum_offload)
{
	uint16_t ip_len = (uint16_t)(inner + ZC_VXLAN_HDR_LEN -
				     RTE_ETHER_HDR_LEN);
	/* Read what carries over before writing: md may be h's own. */
	const uint32_t hash = md->flow_hash;
	const uint16_t inner_l3 = md->l3_type != ZC_L3_NONE ?
				  md->l3_off + ZC_VXLAN_HDR_LEN : 0;
	const uint8_t decap = md->decap;
	struct zc_meta *nm = zc_meta(h);

	/* Field by field, not a struct built on the stack: its bit-fields
	 * would be read back through a store-forwarding stall.
	 */
	nm->flow_hash = hash;
	nm->out_port = t->port;
	nm->mirror_port = md->mirror_port;
	nm->l3_off = RTE_ETHER_HDR_LEN;
	nm->l4_off = RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr);
	nm->inner_l2_off = ZC_VXLAN_HDR_LEN;
	nm->inner_l3_off = inner_l3;
	nm->vlan[0] = 0;
	nm->vlan[1] = 0;
	nm->l3_type = ZC_L3_IPV4;
	nm->l4_proto = IPPROTO_UDP;
	nm->flags = ZC_META_F_PARSED | ZC_META_F_L4;
	nm->nb_vlan = 0;
	nm->tunnel = ZC_TUN_VXLAN;
	nm->decap = decap;

	/* The tunnel's template, then the four fields that vary. */
	rte_memcpy(o, t->tmpl, ZC_VXLAN_HDR_LEN);
	o->ip.total_length = rte_cpu_to_be_16(ip_len);
	/* Entropy for the underlay's ECMP/RSS: the inner flow. */
	o->udp.src_port = rte_cpu_to_be_16(VXLAN_SPORT_BASE |
		(hash & VXLAN_SPORT_MASK));
	o->udp.dgram_len = rte_cpu_to_be_16((uint16_t)(inner + 16));
	/* UDP checksum 0: optional over IPv4 (RFC 7348). */

	/* The inner packet's own offload requests do not apply to the outer
	 * headers: the head asks for the outer IPv4 checksum only.
	 */
	h->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	h->tx_offload = rte_mbuf_tx_offload(RTE_ETHER_HDR_LEN,
					    sizeof(struct rte_ipv4_hdr),
					    sizeof(struct rte_udp_hdr), 0, 0,
					    0, 0);
	if (ip_cksum_offload) {
		h->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	} else {
		/* The template's sum plus the total length, folded. */
		uint32_t sum = t->ip_sum + rte_cpu_to_be_16(ip_len);

		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		o->ip.hdr_checksum = (uint16_t)~sum;
	}
	h->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 |
			 RTE_PTYPE_L4_UDP | RTE_PTYPE_TUNNEL_VXLAN |
			 RTE_PTYPE_INNER_L2_ETHER;
}

int
zc_vxlan_encap_hdr(struct rte_mbuf **mp, struct rte_mbuf *h,
		   const struct zc_vxlan *t, int ip_cksum_offload)
{
	struct rte_mbuf *m = *mp;
	uint32_t inner = rte_pktmbuf_pkt_len(m);

	if (unlikely(inner + ZC_VXLAN_HDR_LEN - RTE_ETHER_HDR_LEN >
		     UINT16_MAX || m->nb_segs >= RTE_MBUF_MAX_NB_SEGS))
		return -EOVERFLOW;
	hdr_init(h, m, ZC_VXLAN_HDR_LEN);
	vxlan_write(rte_pktmbuf_mtod(h, struct vxlan_hdrs *), h, t, inner,
		    zc_meta(m), ip_cksum_offload);
	/* rte_pktmbuf_chain(), the head being one segment. */
	h->next = m;
	h->nb_segs = (uint16_t)(m->nb_segs + 1);
	h->pkt_len = ZC_VXLAN_HDR_LEN + inner;
	m->pkt_len = m->data_len;
	*mp = h;
	return 0;
}

int
zc_vxlan_encap_headroom(struct rte_mbuf *m, const struct zc_vxlan *t,
			int ip_cksum_offload)
{
	uint32_t inner = rte_pktmbuf_pkt_len(m);
	struct vxlan_hdrs *o;

	if (!unshared(m) || rte_pktmbuf_headroom(m) < ZC_VXLAN_HDR_LEN ||
	    inner + ZC_VXLAN_HDR_LEN - RTE_ETHER_HDR_LEN > UINT16_MAX)
		return -ENOSPC;
	o = (struct vxlan_hdrs *)rte_pktmbuf_prepend(m, ZC_VXLAN_HDR_LEN);
	vxlan_write(o, m, t, inner, zc_meta(m), ip_cksum_offload);
	return 0;
}

/* Cut a packet to len bytes, whichever segments that takes. */
static void
pkt_trim(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *s = m, *rest;
	uint32_t off = 0;
	uint16_t nb = 1;

	while (off + s->data_len < len) {
		off += s->data_len;
		s = s->next;
		nb++;
	}
	s->data_len = (uint16_t)(len - off);
	rest = s->next;
	s->next = NULL;
	m->pkt_len = len;
	m->nb_segs = nb;
	rte_pktmbuf_free(rest);
}

int
zc_vxlan_decap(struct rte_mbuf **mp, uint32_t off, uint32_t len)
{
	struct rte_mbuf *m = *mp;

	if (unlikely(rte_pktmbuf_pkt_len(m) < off + RTE_ETHER_HDR_LEN ||
		     (len != 0 && len < RTE_ETHER_HDR_LEN)))
		return -EINVAL;
	/* Outer headers longer than the first segment: the next segment
	 * becomes the head (mbuf fields only; no packet byte moves).
	 */
	while (off >= m->data_len) {
		struct rte_mbuf *n = m->next;

		n->pkt_len = m->pkt_len - m->data_len;
		n->nb_segs = (uint16_t)(m->nb_segs - 1);
		hdr_copy_fields(n, m);
		off -= m->data_len;
		m->next = NULL;
		m->nb_segs = 1;
		rte_pktmbuf_free_seg(m);
		m = n;
	}
	rte_pktmbuf_adj(m, (uint16_t)off);
	/* Ethernet padding after a short outer packet is not inner frame. */
	if (len != 0 && rte_pktmbuf_pkt_len(m) > len)
		pkt_trim(m, len);
	/* What the NIC said about the outer packet is not about this one. */
	m->ol_flags &= ~(RTE_MBUF_F_RX_RSS_HASH | RTE_MBUF_F_RX_IP_CKSUM_MASK |
			 RTE_MBUF_F_RX_L4_CKSUM_MASK |
			 RTE_MBUF_F_RX_OUTER_L4_CKSUM_MASK |
			 RTE_MBUF_F_RX_OUTER_IP_CKSUM_BAD |
			 RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED |
			 RTE_MBUF_F_RX_QINQ | RTE_MBUF_F_RX_QINQ_STRIPPED |
			 RTE_MBUF_F_TX_OFFLOAD_MASK);
	m->packet_type = 0;
	*mp = m;
	return 0;
}

struct rte_mbuf *
zc_mirror_make(struct rte_mbuf *m, uint16_t mp,
	       const struct zc_act_pools *pools, struct zc_act_lcore_stats *s)
{
	struct rte_mbuf *c;
	struct zc_meta *md;

	c = rte_pktmbuf_clone(m, pools->clone);
	if (unlikely(c == NULL)) {
		c = rte_pktmbuf_copy(m, pools->pkt, 0, UINT32_MAX);
		if (c == NULL)
			return NULL;
		zc_copy_count(s, ZC_COPY_STAGE_TX, ZC_COPY_CLONE_COPY,
			      rte_pktmbuf_pkt_len(m));
	}
	if (mp < RTE_MAX_ETHPORTS && zc_act_conf.has_mirror_tci[mp]) {
		/* A tag the egress port would have inserted goes first, so
		 * that the SPAN tag ends up outermost.
		 */
		if ((c->ol_flags & RTE_MBUF_F_TX_VLAN) &&
		    zc_vlan_push(&c, c->vlan_tci, pools->hdr, s) != 0)
			goto fail;
		if (zc_vlan_push(&c, zc_act_conf.mirror_tci[mp], pools->hdr,
				 s) != 0)
			goto fail;
		s->vlan_push--; /* counted as a mirror header instead */
		s->mirror_hdr++;
	}
	md = zc_meta(c);
	md->out_port = mp;
	md->mirror_port = ZC_PORT_NONE;
	return c;
fail:
	rte_pktmbuf_free(c);
	return NULL;
}

void
zc_ipv4_cksum_sw(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip;

	m->ol_flags &= ~RTE_MBUF_F_TX_IP_CKSUM;
	if (unlikely(m->data_len < (uint32_t)m->l2_len + sizeof(*ip)))
		return;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

int
zc_linearize(struct rte_mbuf **mp, struct rte_mempool *pkt_pool,
	     struct zc_act_lcore_stats *s, enum zc_copy_stage st)
{
	struct rte_mbuf *m = *mp, *c;
	uint32_t rest = rte_pktmbuf_pkt_len(m) - rte_pktmbuf_data_len(m);

	if (m->nb_segs == 1)
		return 0;
	if (unshared(m) && rte_pktmbuf_tailroom(m) >= rest) {
		if (rte_pktmbuf_linearize(m) != 0)
			return -1;
		zc_copy_count(s, st, ZC_COPY_LINEARIZE, rest);
		return 0;
	}
	if (rte_pktmbuf_pkt_len(m) > (uint32_t)(rte_pktmbuf_data_room_size(pkt_pool) -
						RTE_PKTMBUF_HEADROOM))
		return -1;
	c = rte_pktmbuf_copy(m, pkt_pool, 0, UINT32_MAX);
	if (c == NULL || c->nb_segs != 1) {
		rte_pktmbuf_free(c);
		return -1;
	}
	zc_copy_count(s, st, ZC_COPY_LINEARIZE, rte_pktmbuf_pkt_len(m));
	rte_pktmbuf_free(m);
	*mp = c;
	return 0;
}
