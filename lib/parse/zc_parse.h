/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_PARSE_H
#define ZC_PARSE_H

/**
 * @file
 * The header parser behind the "parse" stage (lib/parse/parse.c).
 *
 * The parse stage is the normal way in: it runs zc_parse_packet() on every
 * packet and drops or forwards according to the mode. The functions here
 * are for code that must parse a packet again after changing it (a
 * decapsulation stage) and for tests. What is decoded, every drop reason
 * and every metadata field are described in docs/parse.md.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "core/zc_drop.h"

struct zc_config;
struct zc_meta;
struct zc_stage;

/** UDP destination port of VXLAN (RFC 7348). */
#define ZC_PARSE_VXLAN_PORT 4789

/** UDP destination port of Geneve (RFC 8926). */
#define ZC_PARSE_GENEVE_PORT 6081

/** Seed of the software flow hash. */
#define ZC_PARSE_HASH_SEED 0x7a637069u

/**
 * The [parse] section, as loaded (lib/parse/config.c). Defaults that
 * depend on the mode and the chains are filled in once the whole file is
 * read.
 */
struct zc_parse_opts {
	uint8_t drop_bad_csum; /**< ipv4_checksum = drop. */
	uint8_t max_vlan;      /**< Most stacked VLAN tags. */
	uint8_t max_mpls;      /**< Most MPLS labels. */
	uint8_t max_ext;       /**< Most IPv6 extension headers. */
	uint8_t l2_only;       /**< depth = l2: stop after Ethernet/VLAN. */
	uint8_t depth_set;     /**< depth was given in the file. */
	uint8_t csum_set;      /**< ipv4_checksum was given in the file. */
	uint8_t given;         /**< The file has a [parse] section. */
};

/** The loaded configuration; filled by zc_config_load(). */
extern struct zc_parse_opts zc_parse_opts;

/**
 * What the parser needs from the configuration, packed for the fast path.
 */
struct zc_parse_conf {
	uint8_t strict;        /**< Drop L2.5/L3/L4/tunnel problems too. */
	uint8_t drop_bad_csum; /**< Drop IPv4 headers with a wrong checksum. */
	uint8_t max_vlan;      /**< Most stacked VLAN tags (0..7). */
	uint8_t max_mpls;      /**< Most MPLS labels (1..16). */
	uint8_t max_ext;       /**< Most IPv6 extension headers (1..16). */
	uint8_t l2_only;       /**< Stop after Ethernet/VLAN ([parse] depth). */
	/** No stage reads zc_meta.flow_hash: without a NIC hash it is 0
	 *  rather than computed (the parse stage sets this; the API
	 *  functions compute it by default).
	 */
	uint8_t no_sw_hash;
};

/**
 * Fill a parser configuration from the zcpipe configuration.
 *
 * strict is set in router and filter mode and clear in l2-xconnect mode;
 * the limits and the checksum policy come from the [parse] section
 * (zc_parse_opts).
 *
 * @param pc
 *   Filled in.
 * @param cfg
 *   Validated configuration.
 */
void zc_parse_conf_init(struct zc_parse_conf *pc, const struct zc_config *cfg);

/**
 * Parse one packet into its metadata (zc_meta) and its mbuf fields
 * (packet_type, l2_len, l3_len, l4_len).
 *
 * The parser never writes the packet and never linearises it; headers that
 * span segments are read through rte_pktmbuf_read(). It stops at the first
 * problem and leaves in the metadata what it had validated up to there.
 * zc_meta fields out_port, mirror_port and decap are left as they are.
 *
 * @param pc
 *   Parser configuration.
 * @param m
 *   Packet (zc_meta_register() must have run).
 * @return
 *   ZC_DROP_MAX if every header was well formed, else the first problem
 *   found. Whether that problem drops the packet is zc_parse_must_drop()'s
 *   decision.
 */
enum zc_drop_reason zc_parse_packet(const struct zc_parse_conf *pc,
				    struct rte_mbuf *m);

/**
 * Parse one packet into md, the way zc_parse_packet() would, but without
 * writing anything of the packet's: its own metadata, packet_type and
 * l2_len..l4_len are left as they were. For code that must know what the
 * parser makes of a packet before (or without) the parse stage, e.g. the
 * packet trace's filter at selection time.
 *
 * @param pc
 *   Parser configuration.
 * @param m
 *   Packet; read only (the parameter is not const because the mbuf
 *   fields the parser sets are saved and restored).
 * @param md
 *   Reset, then filled.
 * @return
 *   As zc_parse_packet().
 */
enum zc_drop_reason zc_parse_peek(const struct zc_parse_conf *pc,
				  struct rte_mbuf *m, struct zc_meta *md);

/**
 * Whether a problem reported by zc_parse_packet() drops the packet.
 *
 * Layer-2 problems (the frame cannot be delimited) always drop. An IPv4
 * checksum problem is only ever reported when the configuration asked to
 * drop it, so it drops too. Everything else drops only in strict mode.
 *
 * @param pc
 *   Parser configuration.
 * @param r
 *   What zc_parse_packet() returned.
 * @return
 *   Non-zero to drop.
 */
static inline int
zc_parse_must_drop(const struct zc_parse_conf *pc, enum zc_drop_reason r)
{
	if (r == ZC_DROP_MAX)
		return 0;
	return pc->strict || r == ZC_DROP_L2_TRUNCATED ||
	       r == ZC_DROP_VLAN_TRUNCATED || r == ZC_DROP_VLAN_TOO_MANY ||
	       r == ZC_DROP_IPV4_BAD_CSUM;
}

/**
 * Packets a parse stage instance forwarded although they had a problem
 * (lenient mode), by the reason that would have dropped them in strict
 * mode. Single writer (the instance's lcore); readers may lag.
 *
 * @param st
 *   A "parse" stage instance.
 * @param r
 *   Reason.
 * @return
 *   The count; 0 if st is not a parse stage or r is out of range.
 */
uint64_t zc_parse_anomalies(const struct zc_stage *st, enum zc_drop_reason r);

/** A parse stage instance: the parser as it runs on one lcore. */
struct zc_parse_dp;

/**
 * The parse stage instance that runs on an lcore, for a later stage of
 * the same lcore that must parse packets again (act, after
 * decapsulation).
 *
 * @return
 *   The instance, or NULL if no parse stage runs on lcore_id (or none was
 *   set up before the caller's own init).
 */
struct zc_parse_dp *zc_parse_dp_lcore(unsigned int lcore_id);

/**
 * Parse a burst as the instance does in the pipeline: the packets that
 * pass are kept in pkts[0 .. ret-1], in order; those that must drop are
 * freed and counted by the instance, problems forgiven in lenient mode
 * are counted as its anomalies. The burst counts as the instance's input
 * and output. On the instance's own lcore only.
 *
 * @return
 *   Packets kept.
 */
uint16_t zc_parse_dp_rerun(struct zc_parse_dp *dp, struct rte_mbuf **pkts,
			   uint16_t n);

/**
 * The IP protocol named name: "icmp", "tcp", "udp", "gre", "esp", "ah",
 * "icmpv6" (also "icmp6"), "sctp". For every text that names a protocol
 * (ACL rules, the trace filter).
 *
 * @return
 *   0 with *proto set, or -1 if the name is unknown.
 */
int zc_proto_by_name(const char *name, uint8_t *proto);

/**
 * The name of IP protocol proto as zcpipe shows it ("icmpv6" for 58), or
 * NULL if it has none.
 */
const char *zc_proto_name(uint8_t proto);

#endif /* ZC_PARSE_H */
