/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ACTIONS_H
#define ZC_ACTIONS_H

/**
 * @file
 * Zero-copy packet actions: VXLAN tunnels, VLAN push/pop, mirror clones,
 * the header and clone pools they use, and the copy counters.
 *
 * Nothing here copies a payload. A header that must grow is written into
 * the packet's own headroom when the packet is not shared, else into a
 * small mbuf from a dedicated header pool chained in front of it
 * (rte_pktmbuf_chain). A mirror is an rte_pktmbuf_clone() of the packet
 * into an indirect-mbuf pool: it shares the data by reference count.
 *
 * What the datapath still copies (a chain linearised for a port that cannot
 * send chains, a mirror copied because no clone could be made, header bytes
 * moved beyond the 12 MAC bytes) is counted per lcore, per stage and per
 * reason in zc_copy_stats[], single writer; zc_copy_bytes_total() sums it.
 *
 * How the stages use this (docs/actions.md):
 *  - classify turns ACL actions into requests: vlan-push:TCI sets
 *    m->vlan_tci and RTE_MBUF_F_TX_VLAN, vlan-pop sets zc_vlan_pop_flag,
 *    vxlan:NAME sets zc_meta.out_port to the tunnel's virtual port; and it
 *    marks VXLAN packets addressed to a local VTEP with ZC_PORT_DECAP so
 *    that the route stage lets them through;
 *  - act (lib/act/act.c) carries the requests out: decapsulation and
 *    the re-run of the stages before it on the inner packet, VLAN pop and
 *    push (or leaves the push to the port's VLAN insert offload), VXLAN
 *    encapsulation;
 *  - tx (lib/actions/tx.c) makes mirror clones, resolves checksum requests
 *    the port cannot offload, linearises for ports without chains and
 *    calls rte_eth_tx_prepare.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "core/zc_counter.h"
#include "core/zc_stage.h"

struct zc_config;
struct zc_meta;

/** Most [vxlan.NAME] tunnels. */
#define ZC_VXLAN_MAX 16

/** Longest tunnel name. */
#define ZC_VXLAN_NAME_LEN 32

/** Default outer UDP destination port (RFC 7348). */
#define ZC_VXLAN_UDP_PORT 4789

/** Outer headers of an encapsulated packet: Ethernet, IPv4, UDP, VXLAN. */
#define ZC_VXLAN_HDR_LEN (14 + 20 + 8 + 8)

/**
 * zc_meta.out_port of a VXLAN packet addressed to a local VTEP, set by
 * classify: the act stage decapsulates it. Above every ethdev port id.
 */
#define ZC_PORT_DECAP (UINT16_MAX - 1)

/**
 * Virtual port id of tunnel i: ethdev ids from the top down, which no
 * device of this process may use (checked at start-up). A packet whose
 * out_port is a tunnel's virtual port is encapsulated by the act stage.
 */
#define ZC_VXLAN_VPORT(i) ((uint16_t)(RTE_MAX_ETHPORTS - 1 - (i)))

/** One [vxlan.NAME] tunnel. */
struct zc_vxlan {
	char name[ZC_VXLAN_NAME_LEN]; /**< NAME of the section. */
	uint32_t vni;          /**< VXLAN network identifier (24 bits). */
	uint32_t local;        /**< Local VTEP IPv4, network order. */
	uint32_t remote;       /**< Remote VTEP IPv4, network order. */
	uint16_t udp_port;     /**< Outer UDP destination port, host order. */
	uint16_t cfg_port;     /**< Egress port, configuration index. */
	uint16_t port;         /**< Egress ethdev port id (after probing). */
	uint16_t vport;        /**< Virtual port id, ZC_VXLAN_VPORT(index). */
	uint8_t ttl;           /**< Outer TTL. */
	uint8_t has_local_mac; /**< local_mac was given. */
	uint8_t has_peer_mac;  /**< peer_mac was given. */
	uint8_t pad;           /**< Zero. */
	struct rte_ether_addr remote_mac; /**< Outer destination MAC. */
	struct rte_ether_addr local_mac;  /**< Outer source MAC. */
	struct rte_ether_addr peer_mac;   /**< Inner destination of routes. */
	/** Outer headers with the per-packet fields (IPv4 total length and
	 * checksum, UDP source port and length) zero; built by
	 * zc_actions_setup().
	 */
	uint8_t tmpl[ZC_VXLAN_HDR_LEN] __rte_aligned(8);
	uint32_t ip_sum;       /**< Ones' complement sum of tmpl's IPv4 header. */
};

/** The [actions] section and the tunnels, as loaded. */
struct zc_actions_conf {
	uint8_t max_decap;     /**< Decapsulations a packet may go through. */
	uint8_t setup_done;    /**< zc_actions_setup() has run. */
	/** Outer VXLAN headers in the packet's headroom when it is not shared
	 * ([actions] vxlan_headroom), instead of a header mbuf.
	 */
	uint8_t vxlan_headroom;
	uint16_t nb_vxlan;     /**< Tunnels in vxlan[]. */
	struct zc_vxlan vxlan[ZC_VXLAN_MAX]; /**< By index (section order). */
	/** mirror_vlan by configuration port index, as written. */
	uint16_t mirror_cfg[RTE_MAX_ETHPORTS];
	uint8_t has_mirror_cfg[RTE_MAX_ETHPORTS]; /**< mirror_cfg[] is set. */
	/** Tag of mirror copies sent out of each ethdev port. */
	uint16_t mirror_tci[RTE_MAX_ETHPORTS];
	uint8_t has_mirror_tci[RTE_MAX_ETHPORTS]; /**< mirror_tci[] is set. */
};

/** The loaded configuration; filled by zc_config_load(). */
extern struct zc_actions_conf zc_act_conf;

/** Dynamic mbuf flag of a vlan-pop request; 0 until registered. */
extern uint64_t zc_vlan_pop_flag;

/**
 * Dynamic mbuf flag of a vlan-push request; the TCI is in
 * m->vlan_tci_outer (m->vlan_tci may hold a tag the port stripped).
 */
extern uint64_t zc_vlan_push_flag;

/**
 * Register the dynamic mbuf flags (idempotent). Call from stage init.
 * @return 0 or a negative errno value.
 */
int zc_actions_register(void);

/** The tunnel named name, or NULL. */
const struct zc_vxlan *zc_vxlan_find(const char *name);

/** The tunnel whose virtual port is port, or NULL. */
static inline const struct zc_vxlan *
zc_vxlan_by_vport(uint16_t port)
{
	uint16_t i = (uint16_t)(RTE_MAX_ETHPORTS - 1 - port);

	if (port >= RTE_MAX_ETHPORTS || i >= zc_act_conf.nb_vxlan)
		return NULL;
	return &zc_act_conf.vxlan[i];
}

/**
 * After the ports are probed: resolve the tunnels' egress ports and MACs,
 * claim their virtual port ids (zc_ports[vport] MAC and MTU, which the
 * route stage reads) and map mirror_vlan to ethdev ports. Once per
 * configuration load.
 * @return 0, or -1 with zc_config_strerror() set.
 */
int zc_actions_setup(const struct zc_config *cfg);

/**
 * Is this packet a VXLAN packet for one of our tunnels: IPv4, UDP to a
 * tunnel's udp_port, destination a tunnel's local address, I flag set and
 * the tunnel's VNI? Reads the outer headers (bounds-checked).
 *
 * @param inner_off
 *   Set to the offset of the inner Ethernet header when it is.
 * @param inner_len
 *   Set to the inner frame's length (to the end of the outer IP packet).
 * @return
 *   The tunnel index, or -1.
 */
int zc_vxlan_match(struct rte_mbuf *m, const struct zc_meta *md,
		   uint32_t *inner_off, uint32_t *inner_len);

/** Any tunnel configured? Cheap test for the fast path. */
static inline int
zc_vxlan_any(void)
{
	return zc_act_conf.nb_vxlan != 0;
}

/* ---- pools ------------------------------------------------------------ */

/** The pools of one NUMA socket. */
struct zc_act_pools {
	struct rte_mempool *hdr;   /**< Small direct mbufs for headers. */
	struct rte_mempool *clone; /**< Indirect mbufs (no data room). */
	struct rte_mempool *pkt;   /**< The socket's packet pool (fallback). */
};

/**
 * Create the header and clone pools of a socket if they do not exist yet,
 * each as large as the socket's packet pool. Control path (stage init).
 * @return 0, or -1 with zc_config_strerror() set.
 */
int zc_actions_pools(const struct zc_config *cfg, int socket_id,
		     struct zc_act_pools *out);

/**
 * Check that the header and clone pools are full again (call after the
 * ports are closed, as zc_pipeline_check_pools() is).
 * @return mbufs missing over those pools (0 = no leak).
 */
unsigned int zc_actions_check_pools(FILE *out);

/** Free the header and clone pools (after zc_actions_check_pools()). */
void zc_actions_release(void);

/* ---- copy accounting ---------------------------------------------------- */

/** Why the datapath copied packet bytes. */
#define ZC_COPY_REASONS(X) \
	X(LINEARIZE,  "linearize",   "chain copied into one buffer for a port that cannot send chains") \
	X(CLONE_COPY, "clone_copy",  "mirror copied because no clone could be made") \
	X(HDR_MOVE,   "header_move", "header bytes moved beyond the 12 MAC bytes")

/** Copy reasons. */
enum zc_copy_reason {
#define ZC_COPY_ENUM(id, name, desc) ZC_COPY_##id,
	ZC_COPY_REASONS(ZC_COPY_ENUM)
#undef ZC_COPY_ENUM
	ZC_COPY_MAX /**< Number of reasons. */
};

/** Stages that may copy. */
enum zc_copy_stage {
	ZC_COPY_STAGE_ACT = 0, /**< The act stage. */
	ZC_COPY_STAGE_TX,      /**< The tx stage. */
	ZC_COPY_STAGE_MAX      /**< Number of stages. */
};

/**
 * The action counters, X(T, name, kind, unit, help) each: fields of
 * struct zc_act_lcore_stats and the "actions" counter group (summary,
 * /zcpipe/counters, zcstat) come from this list (core/zc_counter.h). The
 * copy counters are the "copies" (bytes) and "copy_events" (packets)
 * groups, one counter per stage and ZC_COPY_REASONS entry.
 */
#define ZC_ACT_COUNTERS(X, T) \
	X(T, encap,          COUNTER, packets, "Packets VXLAN-encapsulated.") \
	X(T, decap,          COUNTER, packets, "Packets decapsulated.") \
	X(T, vlan_push,      COUNTER, packets, "VLAN tags pushed in software.") \
	X(T, vlan_push_hw,   COUNTER, packets, "VLAN tags left to the port's VLAN insert offload.") \
	X(T, vlan_pop,       COUNTER, packets, "VLAN tags popped in software.") \
	X(T, vlan_pop_hw,    COUNTER, packets, "VLAN tags the port's VLAN strip offload removed.") \
	X(T, hdr_segs,       COUNTER, packets, "Header segments chained in front of packets.") \
	X(T, cksum_hw,       COUNTER, packets, "IPv4 checksums left to the port.") \
	X(T, cksum_sw,       COUNTER, packets, "IPv4 checksums computed in software.") \
	X(T, mirror_hdr,     COUNTER, packets, "Mirror copies given a tagged header segment.") \
	X(T, tx_prepare_rej, COUNTER, packets, "Packets rte_eth_tx_prepare refused.")

/** Per-lcore counters of the actions (single writer: that lcore). */
struct zc_act_lcore_stats {
	uint64_t copy_bytes[ZC_COPY_STAGE_MAX][ZC_COPY_MAX]; /**< Bytes. */
	uint64_t copy_events[ZC_COPY_STAGE_MAX][ZC_COPY_MAX]; /**< Times. */
	ZC_ACT_COUNTERS(ZC_COUNTER_FIELD, _)
} __rte_cache_aligned;

/** Counters by lcore id. */
extern struct zc_act_lcore_stats zc_act_stats[RTE_MAX_LCORE];

/** Count a copy. Fast path, single writer (the calling lcore's row). */
static inline void
zc_copy_count(struct zc_act_lcore_stats *s, enum zc_copy_stage st,
	      enum zc_copy_reason r, uint32_t bytes)
{
	s->copy_bytes[st][r] += bytes;
	s->copy_events[st][r]++;
}

/**
 * Bytes the datapath copied, summed over lcores, stages and reasons.
 * The telemetry accessor; 0 in a zero-copy run.
 */
uint64_t zc_copy_bytes_total(void);

/** Sum every lcore's row into one. */
void zc_act_stats_sum(struct zc_act_lcore_stats *sum);

/** Zero every lcore's row (tests; never while workers run). */
void zc_act_stats_reset(void);

/** Name of a copy reason / stage. */
const char *zc_copy_reason_name(enum zc_copy_reason r);
const char *zc_copy_stage_name(enum zc_copy_stage s);

/* ---- packet helpers (fast path) ---------------------------------------- */

/**
 * Prepend len bytes in a header mbuf chained in front of m. The new head
 * takes m's mbuf header fields, dynamic fields and offload flags.
 *
 * @return
 *   The new head (data at rte_pktmbuf_mtod), or NULL if the pool is empty
 *   or the chain would be too long; m is unchanged then.
 */
struct rte_mbuf *zc_hdr_prepend(struct rte_mbuf *m, uint16_t len,
				struct rte_mempool *hdr_pool);

/**
 * Push an 802.1Q tag (TPID 0x8100) with this TCI after the MAC addresses:
 * in the headroom if m is direct, not shared and has room (12 MAC bytes
 * move), else in a header segment (12 MAC bytes written there, m adjusted
 * past them). zc_meta offsets and VLAN fields follow.
 *
 * @return 0, or -ENOBUFS (header pool empty), -EINVAL (runt frame).
 */
int zc_vlan_push(struct rte_mbuf **mp, uint16_t tci,
		 struct rte_mempool *hdr_pool, struct zc_act_lcore_stats *s);

/**
 * Pop the outer VLAN tag: the 12 MAC bytes move 4 bytes on when m is not
 * shared, else they are written into a header segment and m is adjusted
 * past the tag. Untagged packets are left alone (returns 1).
 *
 * @return 0 popped, 1 nothing to pop, or a negative errno value.
 */
int zc_vlan_pop(struct rte_mbuf **mp, struct rte_mempool *hdr_pool,
		struct zc_act_lcore_stats *s);

/**
 * Encapsulate m in VXLAN toward tunnel t: outer Ethernet/IPv4/UDP/VXLAN in
 * a header mbuf, m chained behind it untouched. Outer UDP source port from
 * zc_meta.flow_hash. IPv4 checksum offloaded (RTE_MBUF_F_TX_IPV4 |
 * RTE_MBUF_F_TX_IP_CKSUM, l2_len, l3_len) when ip_cksum_offload, else
 * computed. On success *mp is the new head and zc_meta.out_port the
 * tunnel's egress port.
 *
 * @return 0, or -ENOBUFS / -EOVERFLOW (m is unchanged).
 */
int zc_vxlan_encap(struct rte_mbuf **mp, const struct zc_vxlan *t,
		   struct rte_mempool *hdr_pool, int ip_cksum_offload);

/**
 * zc_vxlan_encap() with the header mbuf given: h comes straight from the
 * header pool (rte_mbuf_raw_alloc() or a bulk get); on failure it is not
 * used and stays the caller's.
 */
int zc_vxlan_encap_hdr(struct rte_mbuf **mp, struct rte_mbuf *h,
		       const struct zc_vxlan *t, int ip_cksum_offload);

/**
 * zc_vxlan_encap() into m's own headroom: when m is a direct mbuf with one
 * reference and 50 bytes of headroom, the outer headers are written in
 * front of the frame (which does not move) and m stays the head.
 *
 * @return 0, or -ENOSPC (m unchanged: use a header mbuf).
 */
int zc_vxlan_encap_headroom(struct rte_mbuf *m, const struct zc_vxlan *t,
			    int ip_cksum_offload);

/**
 * Strip the outer headers: the first off bytes go (rte_pktmbuf_adj; whole
 * leading segments are freed when the headers span them), the inner frame
 * is not moved; Ethernet padding beyond len bytes of inner frame is
 * trimmed. Receive offload flags that described the outer packet are
 * cleared. *mp may change when a leading segment is freed.
 *
 * @return 0, or -EINVAL if the packet is shorter than off + 14.
 */
int zc_vxlan_decap(struct rte_mbuf **mp, uint32_t off, uint32_t len);

/**
 * The copy of m to send out of mirror port mp: an rte_pktmbuf_clone() into
 * the clone pool, with a header segment carrying a VLAN tag when the port
 * has one (mirror_vlan), or, when no clone can be made, a copy into the
 * packet pool (counted as clone_copy). out_port and mirror_port of the
 * copy's metadata are set for the mirror port.
 *
 * @return the mirror, or NULL.
 */
struct rte_mbuf *zc_mirror_make(struct rte_mbuf *m, uint16_t mp,
				const struct zc_act_pools *pools,
				struct zc_act_lcore_stats *s);

/**
 * Compute in software the IPv4 header checksum m asks the port for
 * (RTE_MBUF_F_TX_IP_CKSUM, header at l2_len) and clear the request.
 */
void zc_ipv4_cksum_sw(struct rte_mbuf *m);

/**
 * Make m a single segment for a port that cannot send chains: in place
 * when m is direct, unshared and has the room, else as a copy into the
 * packet pool (m is freed). Counted as linearize.
 *
 * @return 0 (*mp may change), or -1 if it cannot fit one mbuf (m kept).
 */
int zc_linearize(struct rte_mbuf **mp, struct rte_mempool *pkt_pool,
		 struct zc_act_lcore_stats *s, enum zc_copy_stage st);

#endif /* ZC_ACTIONS_H */
