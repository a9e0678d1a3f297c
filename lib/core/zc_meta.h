/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_META_H
#define ZC_META_H

/**
 * @file
 * Per-packet metadata kept in an mbuf dynamic field.
 *
 * The parse stage fills it once; every later stage reads it and never parses
 * the packet again. The field is registered at start-up with
 * rte_mbuf_dynfield_register(), so it lives in the mbuf's own cache lines and
 * travels with the mbuf pointer through rings: nothing is copied.
 *
 * Offsets are from the start of the packet data (rte_pktmbuf_mtod(m)) and may
 * point beyond the first segment: readers use rte_pktmbuf_read() or the
 * zc_pkt helpers, which handle chains.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

/** No port chosen yet. */
#define ZC_PORT_NONE UINT16_MAX

/**
 * zc_meta.out_port of a packet an ACL reject rule matched (set by
 * classify): the route stage answers it with an ICMP administratively
 * prohibited error. Above every ethdev port id, beside ZC_PORT_DECAP.
 */
#define ZC_PORT_REJECT (UINT16_MAX - 2)

/** L3 type found by the parser (outer, or inner after decapsulation). */
enum zc_l3_type {
	ZC_L3_NONE = 0, /**< Unknown or not parsed. */
	ZC_L3_IPV4,     /**< IPv4. */
	ZC_L3_IPV6,     /**< IPv6. */
	ZC_L3_ARP,      /**< ARP. */
	ZC_L3_OTHER,    /**< Another ethertype, left alone. */
};

/** Tunnel found by the parser. */
enum zc_tunnel_type {
	ZC_TUN_NONE = 0, /**< No tunnel. */
	ZC_TUN_VXLAN,    /**< VXLAN, UDP 4789. */
	ZC_TUN_GENEVE,   /**< Geneve, UDP 6081. */
	ZC_TUN_GRE,      /**< GRE. */
	ZC_TUN_IPIP,     /**< IPv4 in IPv4. */
	ZC_TUN_6IN4,     /**< IPv6 in IPv4. */
};

/** zc_meta.flags bits. */
#define ZC_META_F_FRAG      (1u << 0) /**< IP fragment (any). */
#define ZC_META_F_FRAG_NF   (1u << 1) /**< Non-first fragment: no L4 header. */
#define ZC_META_F_L4        (1u << 2) /**< l4_off points at a parsed L4 header. */
#define ZC_META_F_LOCAL     (1u << 3) /**< Addressed to zcpipe itself. */
#define ZC_META_F_MPLS      (1u << 4) /**< Carried an MPLS label stack. */
#define ZC_META_F_IP_OPT    (1u << 5) /**< IPv4 options or IPv6 ext headers. */
#define ZC_META_F_CSUM_BAD  (1u << 6) /**< IPv4 header checksum wrong. */
#define ZC_META_F_PARSED    (1u << 7) /**< The parse stage has run. */

/*
 * Groups of metadata, for the stage contract (zc_stage_ops reads, may_read
 * and writes, core/zc_stage.h): one bit per group of fields that a stage
 * fills in together. The names are what --list-stages and the contract
 * errors show (zc_md_format()).
 */
/** "l2": Ethernet and VLAN tags delimited: nb_vlan, vlan[], l3_off of
 *  the frame, ZC_META_F_PARSED.
 */
#define ZC_MD_L2        (1u << 0)
/** "l3": l3_type, l3_off, the IP flags (fragment, options, checksum),
 *  m->packet_type, m->l2_len and l3_len.
 */
#define ZC_MD_L3        (1u << 1)
/** "l4": l4_proto, l4_off with ZC_META_F_L4, m->l4_len. */
#define ZC_MD_L4        (1u << 2)
/** "tunnel": tunnel, inner_l2_off, inner_l3_off. */
#define ZC_MD_TUNNEL    (1u << 3)
/** "flow_hash": flow_hash. */
#define ZC_MD_FLOW_HASH (1u << 4)
/** "egress": out_port and mirror_port. */
#define ZC_MD_EGRESS    (1u << 5)
/** "actions": requests for the act stage: the VLAN push/pop flags, a
 *  tunnel's virtual out_port, the decapsulation mark.
 */
#define ZC_MD_ACTIONS   (1u << 6)
/** Number of groups. */
#define ZC_MD_NB        7

/** What a parser set to [parse] depth = l2 leaves out. */
#define ZC_MD_BEYOND_L2 (ZC_MD_L3 | ZC_MD_L4 | ZC_MD_TUNNEL)

/**
 * Write the names of the groups in mask into buf ("l3, l4"), "-" if none.
 * @return buf.
 */
char *zc_md_format(uint32_t mask, char *buf, size_t len);

/**
 * What the parser found and what later stages decided, for one packet.
 * 24 bytes: it must fit in the mbuf's dynamic field area beside the fields
 * that drivers register.
 */
struct zc_meta {
	uint32_t flow_hash;   /**< RSS hash from the NIC, else a software hash. */
	uint16_t out_port;    /**< Egress port, ZC_PORT_NONE until decided. */
	uint16_t mirror_port; /**< Port to mirror to, ZC_PORT_NONE if none. */
	uint16_t l3_off;      /**< Offset of the L3 header used for forwarding. */
	uint16_t l4_off;      /**< Offset of the L4 header (valid with F_L4). */
	uint16_t inner_l2_off; /**< Offset of the tunnel's inner frame, 0 if none. */
	uint16_t inner_l3_off; /**< Offset of the tunnel's inner L3, 0 if none. */
	uint16_t vlan[2];     /**< Outer and second VLAN TCI, 0 if absent. */
	uint8_t l3_type;      /**< enum zc_l3_type. */
	uint8_t l4_proto;     /**< IP protocol of the L4 header (6, 17, ...). */
	uint8_t flags;        /**< ZC_META_F_* bits. */
	uint8_t nb_vlan : 3;  /**< Number of VLAN tags seen (saturating at 7). */
	uint8_t tunnel : 3;   /**< enum zc_tunnel_type. */
	uint8_t decap : 2;    /**< Times this packet was decapsulated. */
};

/** Offset of the zc_meta dynamic field; valid after zc_meta_register(). */
extern int zc_meta_offset;

/** Offset of the RX timestamp (TSC) dynamic field; -1 if it has none. */
extern int zc_rx_tsc_offset;

/**
 * Register the metadata dynamic field. Call once after rte_eal_init(),
 * before any port is probed.
 *
 * @return
 *   0 on success, a negative errno value if the mbuf has no room.
 */
int zc_meta_register(void);

/**
 * Register the RX timestamp field. Call after the ports are probed: drivers
 * register their own fields (net_pcap: its timestamp) at probe time and
 * come first. Without room the timestamp is simply not kept.
 *
 * @return
 *   0 on success, a negative errno value if the mbuf has no room.
 */
int zc_rx_tsc_register(void);

/** Metadata of a packet. */
static inline struct zc_meta *
zc_meta(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, zc_meta_offset, struct zc_meta *);
}

/**
 * RX timestamp of a packet: the low 32 bits of the TSC when it was received.
 * Latency is (uint32_t)(rte_rdtsc() - *zc_rx_tsc(m)), valid for latencies
 * under 2^32 cycles (over a second); 4 bytes is what the mbuf has room for
 * beside zc_meta and the drivers' own fields.
 */
static inline uint32_t *
zc_rx_tsc(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, zc_rx_tsc_offset, uint32_t *);
}

/** Reset a packet's metadata to "nothing known yet". */
static inline void
zc_meta_reset(struct zc_meta *md)
{
	*md = (struct zc_meta){
		.out_port = ZC_PORT_NONE,
		.mirror_port = ZC_PORT_NONE,
	};
}

#endif /* ZC_META_H */
