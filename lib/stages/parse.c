/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * parse: reads the headers once and records what it found in the packet's
 * metadata (zc_meta), so that no later stage parses again.
 *
 * Packets are never trusted: every read goes through rte_pktmbuf_read(),
 * which checks the bounds and copies the header into a local buffer only
 * when it spans segments. A frame that cannot be parsed is freed and counted
 * under the reason that says what was wrong with it.
 *
 * Layer 2: Ethernet, then up to [parse] max_vlan stacked 802.1Q/802.1ad
 * tags (0x8100, 0x88a8 and the pre-standard 0x9100).
 */

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mbuf_ptype.h>

#include "zc_config.h"
#include "zc_meta.h"
#include "zc_stage.h"

struct parse_priv {
	uint8_t max_vlan;
};

static int
parse_init(struct zc_stage *st, const struct zc_stage_params *p)
{
	static struct parse_priv privs[RTE_MAX_LCORE];
	struct parse_priv *pp = &privs[p->lcore_id];

	pp->max_vlan = p->cfg->parse.max_vlan;
	st->priv = pp;
	return 0;
}

static inline int
is_vlan_tpid(uint16_t be_type)
{
	return be_type == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
	       be_type == RTE_BE16(RTE_ETHER_TYPE_QINQ) ||
	       be_type == RTE_BE16(RTE_ETHER_TYPE_QINQ1);
}

/*
 * Parse layer 2. Returns ZC_DROP_MAX if the packet goes on, else the reason
 * to drop it.
 */
static inline enum zc_drop_reason
parse_l2(const struct parse_priv *pp, struct rte_mbuf *m, struct zc_meta *md)
{
	struct rte_ether_hdr eth_buf;
	const struct rte_ether_hdr *eth;
	uint16_t type, off;
	uint32_t ptype = RTE_PTYPE_L2_ETHER;
	unsigned int tags = 0;

	eth = rte_pktmbuf_read(m, 0, sizeof(*eth), &eth_buf);
	if (unlikely(eth == NULL))
		return ZC_DROP_L2_TRUNCATED;
	type = eth->ether_type;
	off = sizeof(*eth);

	while (is_vlan_tpid(type)) {
		struct rte_vlan_hdr vh_buf;
		const struct rte_vlan_hdr *vh;

		if (unlikely(tags == pp->max_vlan))
			return ZC_DROP_VLAN_TOO_MANY;
		vh = rte_pktmbuf_read(m, off, sizeof(*vh), &vh_buf);
		if (unlikely(vh == NULL))
			return ZC_DROP_VLAN_TRUNCATED;
		if (tags < RTE_DIM(md->vlan))
			md->vlan[tags] = rte_be_to_cpu_16(vh->vlan_tci);
		tags++;
		type = vh->eth_proto;
		off += sizeof(*vh);
	}
	md->nb_vlan = RTE_MIN(tags, 7u);
	if (tags == 1)
		ptype = RTE_PTYPE_L2_ETHER_VLAN;
	else if (tags > 1)
		ptype = RTE_PTYPE_L2_ETHER_QINQ;

	md->l3_off = off;
	switch (type) {
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		md->l3_type = ZC_L3_IPV4;
		break;
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		md->l3_type = ZC_L3_IPV6;
		break;
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		md->l3_type = ZC_L3_ARP;
		ptype = RTE_PTYPE_L2_ETHER_ARP;
		break;
	default:
		md->l3_type = ZC_L3_OTHER;
		break;
	}
	m->l2_len = off;
	m->packet_type = ptype;
	return ZC_DROP_MAX;
}

static uint16_t
parse_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct parse_priv *pp = st->priv;
	uint16_t i, kept = 0;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		struct zc_meta *md = zc_meta(m);
		enum zc_drop_reason r;

		r = parse_l2(pp, m, md);
		if (unlikely(r != ZC_DROP_MAX)) {
			zc_stage_drop(st, m, r);
			continue;
		}
		md->flags |= ZC_META_F_PARSED;
		pkts[kept++] = m;
	}
	return kept;
}

static struct zc_stage_ops parse_stage = {
	.name = "parse",
	.desc = "parse headers into the packet metadata; drop malformed frames",
	.init = parse_init,
	.process = parse_process,
};

ZC_STAGE_REGISTER(parse_stage);
