/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_DROP_H
#define ZC_DROP_H

/**
 * @file
 * The one list of drop reasons.
 *
 * Every packet zcpipe frees without transmitting it is counted under exactly
 * one of these reasons. The X-macro below yields the enum, the short names
 * shown in the summary, telemetry and tests, and a one-line description.
 * Append new reasons here and nowhere else; the names are a stable interface
 * for collectors, so never rename one.
 */

#define ZC_DROP_REASONS(X) \
	X(RING_FULL,        "ring_full",        "inter-stage ring was full") \
	X(TX_FULL,          "tx_full",          "port TX queue did not take the packet") \
	X(NO_XCONNECT,      "no_xconnect",      "ingress port has no cross-connect") \
	X(NO_EGRESS,        "no_egress",        "no egress port was chosen") \
	X(PORT_DOWN,        "port_down",        "egress port is not usable") \
	X(L2_TRUNCATED,     "l2_truncated",     "frame shorter than its Ethernet header") \
	X(VLAN_TRUNCATED,   "vlan_truncated",   "VLAN tag cut short") \
	X(VLAN_TOO_MANY,    "vlan_too_many",    "more stacked VLAN tags than allowed") \
	X(MPLS_TRUNCATED,   "mpls_truncated",   "MPLS label stack cut short") \
	X(MPLS_TOO_DEEP,    "mpls_too_deep",    "MPLS label stack deeper than allowed") \
	X(ARP_TRUNCATED,    "arp_truncated",    "ARP packet cut short") \
	X(IPV4_TRUNCATED,   "ipv4_truncated",   "IPv4 header (with its options) cut short") \
	X(IPV4_BAD_VERSION, "ipv4_bad_version", "IPv4 version field is not 4") \
	X(IPV4_BAD_IHL,     "ipv4_bad_ihl",     "IPv4 header length field below 20 bytes") \
	X(IPV4_BAD_TOTLEN,  "ipv4_bad_total_length", "IPv4 total length beyond the frame") \
	X(IPV4_BAD_CSUM,    "ipv4_bad_checksum", "IPv4 header checksum is wrong") \
	X(IPV6_TRUNCATED,   "ipv6_truncated",   "IPv6 header cut short") \
	X(IPV6_BAD_VERSION, "ipv6_bad_version", "IPv6 version field is not 6") \
	X(IPV6_BAD_PLEN,    "ipv6_bad_payload_length", "IPv6 payload length beyond the frame") \
	X(IPV6_EXT_TRUNCATED, "ipv6_ext_truncated", "IPv6 extension header cut short") \
	X(IPV6_EXT_TOO_MANY, "ipv6_ext_too_many", "IPv6 extension header chain too long") \
	X(L4_TRUNCATED,     "l4_truncated",     "TCP/UDP/SCTP/ICMP header cut short") \
	X(TCP_BAD_DOFF,     "tcp_bad_data_offset", "TCP data offset below 20 bytes or beyond the packet") \
	X(TUNNEL_TRUNCATED, "tunnel_truncated", "tunnel header or inner frame cut short") \
	X(TUNNEL_TOO_DEEP,  "tunnel_too_deep",  "tunnel nesting deeper than allowed") \
	X(ACL_DENY,         "acl_deny",         "denied by an ACL rule or the default action") \
	X(NOT_IP,           "not_ip",           "router received a frame that is neither IPv4, IPv6 nor ARP") \
	X(NO_ROUTE,         "no_route",         "no route to the destination") \
	X(TTL_EXPIRED,      "ttl_expired",      "TTL or hop limit reached zero") \
	X(NO_NEIGHBOUR,     "no_neighbour",     "next hop has no known MAC address") \
	X(FRAGMENT,         "fragment",         "fragment the router will not forward") \
	X(LOCAL,            "local_unhandled",  "addressed to zcpipe itself, not ARP/ND/echo") \
	X(ARP_IGNORED,      "arp_ignored",      "ARP not asking for one of our addresses") \
	X(NO_MBUF,          "no_mbuf",          "a pool was empty when a buffer was needed") \
	X(CLONE_FAILED,     "clone_failed",     "mirror clone could not be made") \
	X(ENCAP_FAILED,     "encap_failed",     "tunnel encapsulation could not be built") \
	X(DECAP_LOOP,       "decap_loop",       "decapsulation limit reached") \
	X(TX_PREPARE,       "tx_prepare",       "port rejected the packet in tx_prepare") \
	X(TOO_BIG,          "too_big",          "packet larger than the egress MTU") \
	X(NEIGH_LEARNED,    "neigh_learned",    "ARP reply or IPv6 neighbour advertisement taken in by the neighbour table") \
	X(ND_IGNORED,       "nd_ignored",       "IPv6 neighbour solicitation/advertisement not for us or not usable") \
	X(L2_OTHER_HOST,    "l2_other_host",    "router received a unicast frame for another MAC address") \
	X(UDP_BAD_LEN,      "udp_bad_length",   "UDP length field below 8 bytes or beyond the IP datagram") \
	X(IPV4_TOTLEN_SHORT, "ipv4_total_length_below_header", "IPv4 total length below its header length") \
	X(TOO_BIG_FOR_PORT, "too_big_for_port", "frame longer than the egress port can send") \
	X(TTL_BELOW_MIN,    "ttl_below_min",    "TTL or hop limit below [ttl_filter] min_ttl")

/** Drop reason identifiers. */
enum zc_drop_reason {
#define ZC_DROP_ENUM(id, name, desc) ZC_DROP_##id,
	ZC_DROP_REASONS(ZC_DROP_ENUM)
#undef ZC_DROP_ENUM
	ZC_DROP_MAX /**< Number of reasons; not a reason. */
};

/**
 * Short name of a drop reason, as shown in the summary and telemetry.
 *
 * @param r
 *   Drop reason.
 * @return
 *   Static string; "unknown" for an out-of-range value.
 */
const char *zc_drop_name(enum zc_drop_reason r);

/**
 * One-line description of a drop reason.
 */
const char *zc_drop_desc(enum zc_drop_reason r);

/**
 * Look a reason up by its short name.
 *
 * @return
 *   The reason, or -1 if no reason has that name.
 */
int zc_drop_lookup(const char *name);

#endif /* ZC_DROP_H */
