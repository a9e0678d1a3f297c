#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Generate the router golden test (tests/integration/test_router.sh):
inputs, the tables they are routed with, and what zcpipe must send.
Deterministic: fixed timestamps and payloads, so a re-run gives
byte-identical files.

  pcaps/route.routes        routes file        ([route] routes)
  pcaps/route.neighbours    static neighbours  ([route] neighbours)
  pcaps/route.acl           one ACL rule: policy forwarding ([acl] rules)
  pcaps/route-in0.pcap      received on port 0
  pcaps/route-in1.pcap      received on port 1
  pcaps/route-out{0,1,2}.pcap  the golden output of each port, built here
                            from the input and the tables (TTL/hop limit
                            minus one, IPv4 checksum recomputed, MACs
                            rewritten; replies and probes built with scapy)
  pcaps/route-drops.json    expected drop counts by reason

Topology (MACs of the router's ports: 02:00:00:00:00:aN):
  port 0  10.0.0.1/24  2001:db8:1::1/64  mtu 9000   host H0 10.0.0.2
  port 1  10.0.1.1/24  2001:db8:2::1/64  mtu 9000   gateways GW1, GW1B
  port 2  10.0.2.1/24  2001:db8:3::1/64  mtu 1500   gateway GW2

Forwarded frames carry b"zcroute:NNN" in their payload (NNN = case).

The router runs with [route] icmp_rate = 0: what is not forwarded is
dropped under its reason, no ICMP error is sent (tests/integration/
test_icmp.sh has those), and the frame too big for port 2 has DF set
(with DF clear it would be fragmented).

Usage: gen_route_pcaps.py [OUTDIR]   (default: the repository's pcaps/)
"""
import json
import os
import struct
import sys

from scapy.all import (ARP, Dot1Q, Ether, ICMP, ICMPv6EchoReply,
                       ICMPv6EchoRequest, ICMPv6ND_NA, ICMPv6ND_NS,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IP,
                       IPOption_NOP, IPv6, Padding, Raw, TCP, UDP)
from scapy.utils import wrpcap

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps")

PORT_MAC = ["02:00:00:00:00:a0", "02:00:00:00:00:a1", "02:00:00:00:00:a2"]
PORT_V4 = ["10.0.0.1", "10.0.1.1", "10.0.2.1"]
PORT_V6 = ["2001:db8:1::1", "2001:db8:2::1", "2001:db8:3::1"]
H0 = "02:00:00:00:00:10"      # 10.0.0.2 / 2001:db8:1::2 on port 0
GW1 = "02:00:00:00:00:b2"     # 10.0.1.2 / fe80::2 on port 1
GW1B = "02:00:00:00:00:b3"    # 10.0.1.3 on port 1
H1 = "02:00:00:00:00:b7"      # 10.0.1.7 on port 1 (connected host)
GW2 = "02:00:00:00:00:c2"     # 10.0.2.2 / 2001:db8:3::2 on port 2
OTHER = "02:00:00:00:00:ee"   # a MAC that is nobody's here

ROUTES = """\
# Routes of tests/integration/test_router.sh (scripts/gen_route_pcaps.py).
10.1.0.0/16      via 10.0.1.2
10.2.0.0/16      via 10.0.2.2
10.2.128.0/17    via 10.0.1.3 port 1     # longer prefix inside 10.2/16
10.9.0.0/16      via 10.0.2.9            # no neighbour: probed
2001:db8:10::/48 via fe80::2 port 1
2001:db8:20::/48 via 2001:db8:3::2
2001:db8:30::/48 via 2001:db8:3::9       # no neighbour: probed
"""

NEIGHBOURS = """\
# Static neighbours of tests/integration/test_router.sh.
10.0.0.2      02:00:00:00:00:10
2001:db8:1::2 02:00:00:00:00:10
10.0.1.2      02:00:00:00:00:b2
10.0.1.3      02:00:00:00:00:b3
10.0.1.7      02:00:00:00:00:b7
fe80::2       02:00:00:00:00:b2 port 1
10.0.2.2      02:00:00:00:00:c2
2001:db8:3::2 02:00:00:00:00:c2
"""

ACL = """\
# Policy forwarding: 10.0.0.66 leaves by port 2, untouched.
priority=10 src=10.0.0.66/32 action=forward:2
"""


def ipv4_csum(hdr):
    """RFC 1071 checksum of an IPv4 header whose checksum field is 0."""
    s = 0
    for i in range(0, len(hdr), 2):
        s += (hdr[i] << 8) | hdr[i + 1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def mac_bytes(m):
    return bytes(int(x, 16) for x in m.split(":"))


def routed(frame, dst_mac, out_port, l3_off=14):
    """What the router sends for a forwarded frame."""
    b = bytearray(frame)
    b[0:6] = mac_bytes(dst_mac)
    b[6:12] = mac_bytes(PORT_MAC[out_port])
    if b[l3_off] >> 4 == 4:
        b[l3_off + 8] -= 1
        ihl = (b[l3_off] & 0xF) * 4
        b[l3_off + 10:l3_off + 12] = b"\0\0"
        struct.pack_into("!H", b, l3_off + 10,
                         ipv4_csum(bytes(b[l3_off:l3_off + ihl])))
    else:
        b[l3_off + 7] -= 1
    return bytes(b)


def tag(n, size=0):
    t = b"zcroute:%03d" % n
    return Raw(t + bytes(i & 0xFF for i in range(max(0, size - len(t)))))


def build():
    ins = {0: [], 1: []}
    outs = {0: [], 1: [], 2: []}
    drops = {}
    e0 = Ether(src=H0, dst=PORT_MAC[0])
    n = [0]

    def case(port, frame, out=None, expect=None, drop=None):
        """out: (port, frame bytes) sent for this input; drop: reason."""
        ins[port].append(bytes(frame))
        if out is not None:
            outs[out].append(expect)
        if drop is not None:
            drops[drop] = drops.get(drop, 0) + 1
        n[0] += 1

    def fwd(port, frame, dst_mac, out_port, l3_off=14):
        f = bytes(frame)
        case(port, f, out_port, routed(f, dst_mac, out_port, l3_off))

    # -- forwarded, IPv4 --------------------------------------------------
    for i, size in enumerate((18, 100, 1000, 1458)):
        fwd(0, e0 / IP(src="10.0.0.2", dst="10.1.5.5", id=100 + i, ttl=64) /
            UDP(sport=1000 + i, dport=2000) / tag(n[0], size), GW1, 1)
    fwd(0, e0 / IP(src="10.0.0.2", dst="10.2.1.1", ttl=17) /
        TCP(sport=40000, dport=80, flags="S") / tag(n[0]), GW2, 2)
    # the /17 inside 10.2.0.0/16 wins
    fwd(0, e0 / IP(src="10.0.0.2", dst="10.2.200.1", ttl=2) /
        UDP(sport=7, dport=7) / tag(n[0]), GW1B, 1)
    # connected host: its own MAC
    fwd(0, e0 / IP(src="10.0.0.2", dst="10.0.1.7", ttl=255, tos=0x10) /
        UDP(sport=9, dport=9) / tag(n[0]), H1, 1)
    # IPv4 options and a VLAN tag travel unchanged
    fwd(0, e0 / IP(src="10.0.0.2", dst="10.1.0.9",
                   options=[IPOption_NOP()] * 4) /
        UDP(sport=5, dport=5) / tag(n[0]), GW1, 1)
    fwd(0, Ether(src=H0, dst=PORT_MAC[0]) / Dot1Q(vlan=10) /
        IP(src="10.0.0.2", dst="10.1.7.7") / UDP(sport=6, dport=6) /
        tag(n[0]), GW1, 1, l3_off=18)
    # a 3000-byte frame arrives as an mbuf chain; port 1's MTU is 9000
    fwd(0, e0 / IP(src="10.0.0.2", dst="10.1.3.3") / UDP(sport=8, dport=8) /
        tag(n[0], 2958), GW1, 1)

    # -- forwarded, IPv6 --------------------------------------------------
    fwd(0, e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:10::5", hlim=64) /
        UDP(sport=1, dport=2) / tag(n[0], 200), GW1, 1)
    fwd(0, e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:20::5", hlim=2,
                     fl=0x12345) /
        TCP(sport=40001, dport=443, flags="S") / tag(n[0]), GW2, 2)

    # -- from port 1 back to the host on port 0 --------------------------
    e1 = Ether(src=GW1, dst=PORT_MAC[1])
    fwd(1, e1 / IP(src="10.1.5.5", dst="10.0.0.2", ttl=60) /
        UDP(sport=2000, dport=1000) / tag(n[0]), H0, 0)
    fwd(1, e1 / IPv6(src="2001:db8:10::5", dst="2001:db8:1::2", hlim=60) /
        UDP(sport=2, dport=1) / tag(n[0]), H0, 0)

    # -- policy forwarding (ACL forward:2): untouched, out of port 2 ------
    f = bytes(e0 / IP(src="10.0.0.66", dst="10.1.5.5", ttl=1) /
              UDP(sport=66, dport=66) / tag(n[0]))
    case(0, f, 2, f)

    # -- drops -----------------------------------------------------------
    case(0, e0 / IP(src="10.0.0.2", dst="10.1.5.5", ttl=1) / UDP() /
         tag(n[0]), drop="ttl_expired")
    case(0, e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:10::5", hlim=1) /
         UDP() / tag(n[0]), drop="ttl_expired")
    case(0, e0 / IP(src="10.0.0.2", dst="192.168.99.1") / UDP() / tag(n[0]),
         drop="no_route")
    case(0, e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:99::1") / UDP() /
         tag(n[0]), drop="no_route")
    case(0, Ether(src=H0, dst=PORT_MAC[0], type=0x88B5) / tag(n[0], 46),
         drop="not_ip")
    case(0, Ether(src=H0, dst=OTHER) / IP(src="10.0.0.2", dst="10.1.5.5") /
         UDP() / tag(n[0]), drop="l2_other_host")
    case(0, e0 / IP(src="10.0.0.2", dst="10.0.0.1") / UDP(dport=53) /
         tag(n[0]), drop="local_unhandled")
    case(0, e0 / IP(src="10.0.0.2", dst="10.2.3.3", flags="DF") / UDP() /
         tag(n[0], 2958), drop="too_big")
    case(0, Ether(src=H0, dst="ff:ff:ff:ff:ff:ff") /
         ARP(op=1, hwsrc=H0, psrc="10.0.0.2", pdst="10.0.0.99") /
         Padding(load=b"\0" * 18), drop="arp_ignored")

    # -- unresolved next hops: the first packet becomes the probe --------
    for i in range(2):
        f = e0 / IP(src="10.0.0.2", dst="10.9.1.1") / UDP() / tag(n[0])
        if i == 0:
            case(0, f, 2, bytes(
                Ether(dst="ff:ff:ff:ff:ff:ff", src=PORT_MAC[2]) /
                ARP(op=1, hwsrc=PORT_MAC[2], psrc=PORT_V4[2],
                    hwdst="00:00:00:00:00:00", pdst="10.0.2.9")))
        else:
            case(0, f, drop="no_neighbour")
    for i in range(2):
        f = e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:30::1") / UDP() / \
            tag(n[0])
        if i == 0:
            case(0, f, 2, bytes(
                Ether(dst="33:33:ff:00:00:09", src=PORT_MAC[2]) /
                IPv6(src=PORT_V6[2], dst="ff02::1:ff00:9", hlim=255) /
                ICMPv6ND_NS(tgt="2001:db8:3::9") /
                ICMPv6NDOptSrcLLAddr(lladdr=PORT_MAC[2])))
        else:
            case(0, f, drop="no_neighbour")

    # -- for the router itself: answered out of port 0 --------------------
    pad = Padding(load=b"\0" * 18)
    case(0, Ether(src=H0, dst="ff:ff:ff:ff:ff:ff") /
         ARP(op=1, hwsrc=H0, psrc="10.0.0.2", pdst="10.0.0.1") / pad, 0,
         bytes(Ether(dst=H0, src=PORT_MAC[0]) /
               ARP(op=2, hwsrc=PORT_MAC[0], psrc="10.0.0.1", hwdst=H0,
                   pdst="10.0.0.2") / pad))
    for dst in ("10.0.0.1", "10.0.1.1"):
        data = b"zcroute-ping-%s" % dst.encode()
        case(0, e0 / IP(src="10.0.0.2", dst=dst, id=7, flags="DF", ttl=33) /
             ICMP(type=8, id=0x99, seq=3) / data, 0,
             bytes(Ether(dst=H0, src=PORT_MAC[0]) /
                   IP(src=dst, dst="10.0.0.2", id=7, flags="DF", ttl=64) /
                   ICMP(type=0, id=0x99, seq=3) / data))
    case(0, e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:1::1", hlim=50) /
         ICMPv6EchoRequest(id=5, seq=6, data=b"zcroute-ping6"), 0,
         bytes(Ether(dst=H0, src=PORT_MAC[0]) /
               IPv6(src="2001:db8:1::1", dst="2001:db8:1::2", hlim=64) /
               ICMPv6EchoReply(id=5, seq=6, data=b"zcroute-ping6")))
    case(0, Ether(src=H0, dst="33:33:ff:00:00:01") /
         IPv6(src="2001:db8:1::2", dst="ff02::1:ff00:1", hlim=255) /
         ICMPv6ND_NS(tgt="2001:db8:1::1") / ICMPv6NDOptSrcLLAddr(lladdr=H0),
         0,
         bytes(Ether(dst=H0, src=PORT_MAC[0]) /
               IPv6(src="2001:db8:1::1", dst="2001:db8:1::2", hlim=255) /
               ICMPv6ND_NA(R=1, S=1, O=1, tgt="2001:db8:1::1") /
               ICMPv6NDOptDstLLAddr(lladdr=PORT_MAC[0])))
    return ins, outs, drops


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    os.makedirs(out, exist_ok=True)
    ins, outs, drops = build()

    def write(name, frames):
        pkts = [Ether(f) for f in frames]
        for i, p in enumerate(pkts):
            p.time = 1700000000 + i / 1000.0
        wrpcap(os.path.join(out, name), pkts)

    for p, frames in ins.items():
        write("route-in%d.pcap" % p, frames)
    for p, frames in outs.items():
        write("route-out%d.pcap" % p, frames)
    for name, text in (("route.routes", ROUTES),
                       ("route.neighbours", NEIGHBOURS),
                       ("route.acl", ACL)):
        with open(os.path.join(out, name), "w") as f:
            f.write(text)
    with open(os.path.join(out, "route-drops.json"), "w") as f:
        json.dump(drops, f, indent=1, sort_keys=True)
        f.write("\n")
    print("route pcaps: in %s, out %s, drops %s" % (
        {p: len(v) for p, v in ins.items()},
        {p: len(v) for p, v in outs.items()}, drops))


if __name__ == "__main__":
    main()
