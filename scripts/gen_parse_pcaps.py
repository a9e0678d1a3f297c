#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Generate the parser's edge-case capture (deterministic: fixed timestamps,
no randomness, so a re-run gives byte-identical files).

  pcaps/parse-edge.pcap     one frame per case: every protocol and tunnel the
                            parse stage decodes, and one frame per drop
                            reason it can give
  pcaps/parse-edge.expect   one line per frame: "FATE NAME", where FATE is
                            "forward" or the drop reason the parse stage must
                            give in router/filter mode with the default
                            [parse] section (ipv4_checksum = drop). Decided
                            here, from the protocol formats, not from the C
                            code. In l2-xconnect only l2_truncated,
                            vlan_truncated and vlan_too_many drop.

tests/integration/test_parse_real.sh replays the capture through
mode = filter and checks the fates; test_replay.sh replays every pcaps/*.pcap
through l2-xconnect.
"""
import logging
import os
import struct
import sys

from scapy.all import (ARP, GRE, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether,
                       IPOption_NOP,
                       IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw)
from scapy.contrib.geneve import GENEVE
from scapy.contrib.mpls import MPLS
from scapy.layers.inet6 import ICMPv6EchoRequest
from scapy.layers.sctp import SCTP
from scapy.layers.vxlan import VXLAN
from scapy.utils import wrpcap

# Raw frames written as Ethernet: scapy's link-type warning is expected.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps")
ETH = dict(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
A4 = dict(src="10.0.0.1", dst="10.0.0.2")
A6 = dict(src="2001:db8::1", dst="2001:db8::2")
PAY = Raw(b"zcpipe-parse")


def eth(**kw):
    return Ether(**ETH, **kw)


def raw(p):
    return bytes(p)


def ipv4_csum_fix(b, off):
    """Recompute the IPv4 header checksum at off (after a byte edit)."""
    ihl = (b[off] & 0xF) * 4
    h = bytearray(b[off:off + ihl])
    h[10:12] = b"\0\0"
    s = sum(struct.unpack("!%dH" % (ihl // 2), bytes(h)))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    h[10:12] = struct.pack("!H", ~s & 0xFFFF)
    return b[:off] + bytes(h) + b[off + ihl:]


def cases():
    """(fate, name, frame bytes) for every case."""
    c = []

    def ok(name, p):
        c.append(("forward", name, raw(p)))

    def bad(reason, name, b):
        c.append((reason, name, bytes(b)))

    # ---- well formed ----
    ok("ipv4-udp", eth() / IP(**A4) / UDP(sport=1000, dport=53) / PAY)
    ok("ipv4-tcp-options", eth() / IP(**A4) / TCP(
        sport=40000, dport=80, options=[("MSS", 1460), ("NOP", None),
                                        ("WScale", 7)]) / PAY)
    ok("ipv4-options-udp", eth() / IP(**A4, options=[IPOption_NOP()] * 4) /
       UDP(sport=1, dport=2) / PAY)
    # Ethernet padding after the datagram (IP total length < frame).
    c.append(("forward", "ipv4-padded",
              raw(eth() / IP(**A4) / UDP(sport=1, dport=2)) + b"\0" * 30))
    ok("vlan-ipv4-icmp", eth() / Dot1Q(vlan=100) / IP(**A4) / ICMP() / PAY)
    ok("qinq3-ipv6-tcp", eth() / Dot1AD(vlan=10) / Dot1Q(vlan=20) /
       Dot1Q(vlan=30) / IPv6(**A6) / TCP(sport=1, dport=2) / PAY)
    ok("mpls2-ipv4-udp", eth(type=0x8847) / MPLS(label=100, s=0) /
       MPLS(label=200, s=1) / IP(**A4) / UDP(sport=1, dport=2) / PAY)
    ok("mpls-ipv6-udp", eth(type=0x8847) / MPLS(label=5, s=1) / IPv6(**A6) /
       UDP(sport=1, dport=2) / PAY)
    ok("mpls-control-word", eth(type=0x8847) / MPLS(label=5, s=1) /
       Raw(b"\0\0\0\0" + b"\xaa" * 40))
    ok("arp", Ether(src=ETH["src"], dst="ff:ff:ff:ff:ff:ff") /
       ARP(psrc="10.0.0.1", pdst="10.0.0.2", hwsrc=ETH["src"]))
    ok("lldp", eth(type=0x88CC) / Raw(b"\0" * 46))
    ok("ipv6-ext-chain-tcp", eth() / IPv6(**A6) / IPv6ExtHdrHopByHop() /
       IPv6ExtHdrRouting() / IPv6ExtHdrDestOpt() / TCP(sport=1, dport=2))
    ok("ipv6-frag-first", eth() / IPv6(**A6) / IPv6ExtHdrFragment(
        m=1, offset=0, id=7) / UDP(sport=1, dport=2) / PAY)
    ok("ipv6-frag-next", eth() / IPv6(**A6) / IPv6ExtHdrFragment(
        nh=17, m=0, offset=3, id=7) / Raw(b"xy"))
    ok("ipv4-frag-first", eth() / IP(**A4, flags="MF", proto=17) /
       UDP(sport=1, dport=2) / PAY)
    ok("ipv4-frag-next", eth() / IP(**A4, frag=3, proto=6) / Raw(b"abc"))
    # A first fragment's UDP length counts the whole datagram.
    ok("ipv4-frag-first-udp-len", eth() / IP(**A4, flags="MF", proto=17) /
       UDP(sport=1, dport=2, len=1000) / PAY)
    # A UDP length short of the datagram's end leaves trailing bytes.
    ok("udp-len-short", eth() / IP(**A4) / UDP(sport=1, dport=2, len=8) /
       PAY)
    ok("sctp", eth() / IP(**A4) / SCTP(sport=1, dport=2))
    ok("icmpv6", eth() / IPv6(**A6) / ICMPv6EchoRequest())
    ok("vxlan", eth() / IP(**A4) / UDP(sport=49152, dport=4789) /
       VXLAN(vni=42) / Ether() / IP(**A4) / TCP() / PAY)
    ok("vxlan-ipv6-outer-arp-inner", eth() / IPv6(**A6) /
       UDP(sport=49152, dport=4789) / VXLAN(vni=1) / Ether() / ARP())
    ok("geneve-options", eth() / IP(**A4) / UDP(sport=1, dport=6081) /
       GENEVE(proto=0x6558, optionlen=2, options=b"\0" * 8) / Ether() /
       IPv6(**A6) / UDP())
    ok("gre-key-seq-teb", eth() / IP(**A4) / GRE(
        key_present=1, key=5, seqnum_present=1, seqence_number=9,
        proto=0x6558) / Ether() / IP(**A4) / UDP())
    ok("gre-ipv4", eth() / IP(**A4) / GRE(proto=0x0800) / IP(**A4) / ICMP())
    ok("ipip", eth() / IP(**A4) / IP(**A4) / UDP())
    ok("6in4", eth() / IP(**A4) / IPv6(**A6) / UDP())
    ok("vxlan-jumbo", eth() / IP(**A4) / UDP(sport=49152, dport=4789) /
       VXLAN(vni=42) / Ether() / IP(**A4) / TCP() / Raw(b"j" * 8900))

    # ---- one frame per drop reason ----
    good4 = raw(eth() / IP(**A4) / UDP(sport=1, dport=2) / PAY)
    good6 = raw(eth() / IPv6(**A6) / UDP(sport=1, dport=2) / PAY)
    bad("l2_truncated", "runt-10", good4[:10])
    bad("vlan_truncated", "vlan-cut", raw(eth(type=0x8100)) + b"\x00\x05")
    bad("vlan_too_many", "vlan-4-tags", eth() / Dot1AD(vlan=1) /
        Dot1Q(vlan=2) / Dot1Q(vlan=3) / Dot1Q(vlan=4) / IP(**A4) / UDP())
    bad("mpls_truncated", "mpls-no-bos", raw(eth(type=0x8847) /
                                             MPLS(label=1, s=0)))
    bad("mpls_too_deep", "mpls-9-labels", raw(
        eth(type=0x8847) / MPLS(label=1, s=0) / MPLS(label=2, s=0) /
        MPLS(label=3, s=0) / MPLS(label=4, s=0) / MPLS(label=5, s=0) /
        MPLS(label=6, s=0) / MPLS(label=7, s=0) / MPLS(label=8, s=0) /
        MPLS(label=9, s=1) / IP(**A4) / UDP()))
    bad("arp_truncated", "arp-cut", raw(eth() / ARP())[:14 + 20])
    bad("ipv4_truncated", "ipv4-cut", good4[:14 + 12])
    b = bytearray(good4)
    b[14] = 0x55
    bad("ipv4_bad_version", "ipv4-version-5", b)
    b = bytearray(good4)
    b[14] = 0x44
    bad("ipv4_bad_ihl", "ipv4-ihl-4", ipv4_csum_fix(bytes(b), 14))
    b = bytearray(good4)
    b[16:18] = struct.pack("!H", 1400)
    bad("ipv4_bad_total_length", "ipv4-totlen-beyond",
        ipv4_csum_fix(bytes(b), 14))
    b = bytearray(good4)
    b[16:18] = struct.pack("!H", 19)
    bad("ipv4_total_length_below_header", "ipv4-totlen-19",
        ipv4_csum_fix(bytes(b), 14))
    # IHL 15 (60 bytes) is a valid value, but the frame ends before.
    b = bytearray(good4)
    b[14] = 0x4F
    bad("ipv4_truncated", "ipv4-options-cut", b)
    b = bytearray(good4)
    b[24] ^= 0x5A
    bad("ipv4_bad_checksum", "ipv4-bad-checksum", b)
    bad("ipv6_truncated", "ipv6-cut", good6[:14 + 30])
    b = bytearray(good6)
    b[14] = 0x40
    bad("ipv6_bad_version", "ipv6-version-4", b)
    b = bytearray(good6)
    b[18:20] = struct.pack("!H", 400)
    bad("ipv6_bad_payload_length", "ipv6-plen-beyond", b)
    b = bytearray(raw(eth() / IPv6(**A6) / IPv6ExtHdrDestOpt() / UDP()))
    b[18:20] = struct.pack("!H", 6)  # the 8-byte dest-opt header overruns
    bad("ipv6_ext_truncated", "ipv6-ext-cut", b)
    p = IPv6(**A6)
    for _ in range(9):
        p = p / IPv6ExtHdrDestOpt()
    bad("ipv6_ext_too_many", "ipv6-9-ext", raw(eth() / p / UDP()))
    b = bytearray(raw(eth() / IP(**A4, proto=17) / Raw(b"1234")))
    bad("l4_truncated", "udp-cut", b)
    # UDP length (offset 14 + 20 + 4) beyond the datagram, or below 8.
    b = bytearray(good4)
    b[38:40] = struct.pack("!H", 200)
    bad("udp_bad_length", "udp-len-beyond", b)
    b = bytearray(good4)
    b[38:40] = struct.pack("!H", 7)
    bad("udp_bad_length", "udp-len-7", b)
    b = bytearray(raw(eth() / IP(**A4) / TCP(sport=1, dport=2) / PAY))
    b[14 + 20 + 12] = 0x40
    bad("tcp_bad_data_offset", "tcp-doff-4", b)
    bad("tunnel_truncated", "vxlan-inner-cut", raw(
        eth() / IP(**A4) / UDP(sport=1, dport=4789) / VXLAN() /
        Raw(bytes(Ether())[:10])))
    return c


def main():
    os.makedirs(OUT, exist_ok=True)
    cs = cases()
    frames = []
    for i, (_fate, _name, b) in enumerate(cs):
        r = Raw(b)
        r.time = 1700000000.0 + i * 0.001
        frames.append(r)
    pcap = os.path.join(OUT, "parse-edge.pcap")
    wrpcap(pcap, frames, linktype=1)
    exp = os.path.join(OUT, "parse-edge.expect")
    with open(exp, "w") as f:
        for fate, name, _b in cs:
            f.write("%s %s\n" % (fate, name))
    print("wrote", os.path.relpath(pcap), "and", os.path.relpath(exp),
          "(%d frames)" % len(cs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
