#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Captures and golden outputs for the zero-copy action tests
(tests/integration/test_actions.sh) and the benchmark (scripts/bench.d).

    scripts/gen_action_pcaps.py [OUTDIR]          default: pcaps/
    scripts/gen_action_pcaps.py --bench OUTDIR    benchmark inputs only

Inputs (replayed into port 0) and, in act-out/, what zcpipe must send,
written from the packet formats with scapy, independently of zcpipe's C
code:

  act-mirror.pcap + act-mirror.rules
      ACL "proto=tcp action=mirror:2" and "proto=udp dport=53
      action=mirror:1", [actions] mirror_vlan = 2:100, filter mode 0->1.
      act-mirror-out1.pcap: every frame, each DNS query followed by its
      mirror; act-mirror-out2.pcap: the TCP frames (IPv4 and IPv6, one of
      9,000 bytes) with an 802.1Q tag 100 after the MACs.
  act-vlan.pcap + act-vlan.rules
      push 0x2064 on untagged UDP, pop tag 10, pop the outer of QinQ 20/30,
      push 50 over tag 40; untagged TCP untouched; a 9,000-byte UDP frame
      pushed too. act-vlan-out1.pcap: the result.
  act-encap.pcap
      frames of every kind (UDP, TCP, ICMP, IPv6, ARP, 9,000 bytes, and one
      of 9,100 bytes too big for the tunnel port's MTU) for ACL
      "in_port=0 action=vxlan:t0"; the test checks the outer headers.
  act-nested.pcap
      VXLAN to 10.0.1.1 VNI 42 holding an HTTP-like TCP frame; VXLAN in
      VXLAN (both to 10.0.1.1 VNI 42); VXLAN to 10.0.1.1 with VNI 43 (not
      ours). act-nested-out1-max1.pcap / -max2.pcap: what leaves with
      [actions] max_decap = 1 (the nested one is a decap_loop drop) and 2.
  act-route-in0.pcap, act-route-in1.pcap + act-route.routes,
  act-route.neighbours
      router mode, "192.168.100.0/24 vxlan t0", "2001:db8:100::/48 vxlan
      t0" and "10.9.0.0/16 via 10.0.1.2": from port 0 a UDP frame, a
      9,000-byte TCP frame and an IPv6 UDP frame into the tunnel and a
      9,000-byte frame routed as a chain; into port 1 a
      VXLAN frame for our VTEP whose inner packet is routed to port 0.
      act-route-out0.pcap, act-route-out1.pcap: the goldens, with the
      outer UDP source port (a hash of the inner flow) written as 0.
  --bench: bench-udpSIZE.pcap (one frame) and bench-replaySIZE.pcap (4,096
      frames), SIZE 64, 1500 and 9000: one UDP flow each, for
      scripts/bench.d/actions.sh (made when the benchmark runs, not kept in
      pcaps/).
"""
import os
import struct
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, VXLAN, Dot1AD, Dot1Q, Ether,
                       IPv6, Raw, wrpcap)

BENCH = len(sys.argv) > 1 and sys.argv[1] == "--bench"
ARGS = sys.argv[2:] if BENCH else sys.argv[1:]
OUT = ARGS[0] if ARGS else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "pcaps")

MAC_A = "02:00:00:00:0a:01"
MAC_B = "02:00:00:00:0b:01"


def pad(n, tag):
    """n bytes of payload that say what they are."""
    s = (tag * (n // len(tag) + 1))[:n]
    return Raw(s.encode())


def udp(dport=53, n=32, src="10.0.0.1", dst="10.0.0.2", tag="udp"):
    return Ether(src=MAC_A, dst=MAC_B) / IP(src=src, dst=dst) / \
        UDP(sport=40000, dport=dport) / pad(n, tag)


def tcp(dport=80, n=40, src="10.0.0.1", dst="10.0.0.2", tag="tcp"):
    return Ether(src=MAC_A, dst=MAC_B) / IP(src=src, dst=dst) / \
        TCP(sport=40001, dport=dport, flags="PA", seq=1000) / pad(n, tag)


def frame_of(size, mk, tag):
    """A frame of exactly size bytes built by mk(payload_len)."""
    base = len(mk(0, tag))
    return mk(size - base, tag)


def tag_after_macs(raw, tci, tpid=0x8100):
    return raw[:12] + struct.pack("!HH", tpid, tci) + raw[12:]


def pop_outer(raw):
    return raw[:12] + raw[16:]


def vxlan(inner, dst="10.0.1.1", vni=42, src="10.0.1.2", sport=50000):
    return Ether(src="02:00:00:00:00:99", dst="02:00:00:00:00:01") / \
        IP(src=src, dst=dst) / UDP(sport=sport, dport=4789) / \
        VXLAN(vni=vni, flags=0x08) / inner


def w(name, pkts):
    """Write frames with fixed timestamps, so that files are reproducible.
    Goldens (-out in the name) go to act-out/, out of the way of the tests
    that replay every capture in pcaps/."""
    path = os.path.join(OUT, "act-out" if "-out" in name else "", name)
    frames = []
    for i, p in enumerate(pkts):
        f = Ether(p if isinstance(p, bytes) else bytes(p))
        f.time = 1700000000 + i / 1000
        frames.append(f)
    wrpcap(path, frames)
    return path


def bench():
    for size in (64, 1500, 9000):
        p = bytes(frame_of(size, lambda n, t: udp(9, n, tag=t), "bench"))
        w("bench-udp%d.pcap" % size, [p])
        # For replays: the same flow, 4,096 frames (net_pcap's infinite_rx
        # cannot hold chains, so 9,000-byte chains are measured this way).
        wrpcap(os.path.join(OUT, "bench-replay%d.pcap" % size),
               [Ether(p)] * 4096)
    return 0


def main():
    if BENCH:
        os.makedirs(OUT, exist_ok=True)
        return bench()
    os.makedirs(os.path.join(OUT, "act-out"), exist_ok=True)

    # ---- mirror ------------------------------------------------------------
    inp = [
        udp(53, 30, tag="dns-1"),
        tcp(80, 60, tag="http-1"),
        Ether(src=MAC_A, dst=MAC_B) / IP(src="10.0.0.1", dst="10.0.0.2") /
        ICMP() / pad(32, "ping"),
        udp(5000, 100, tag="other-udp"),
        frame_of(9000, lambda n, t: tcp(80, n, tag=t), "jumbo-tcp"),
        Ether(src=MAC_A, dst=MAC_B) / IPv6(src="2001:db8::1", dst="2001:db8::2") /
        TCP(sport=40002, dport=443, flags="S") / pad(20, "v6-tcp"),
        Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") /
        ARP(psrc="10.0.0.1", pdst="10.0.0.2", hwsrc=MAC_A),
        udp(53, 200, tag="dns-2"),
        tcp(22, 10, tag="ssh"),
    ]
    raw = [bytes(p) for p in inp]
    out1, out2 = [], []
    for p, r in zip(inp, raw):
        out1.append(r)
        if p.haslayer(UDP) and p[UDP].dport == 53:
            out1.append(r)
        if p.haslayer(TCP):
            out2.append(tag_after_macs(r, 100))
    w("act-mirror.pcap", raw)
    w("act-mirror-out1.pcap", out1)
    w("act-mirror-out2.pcap", out2)
    with open(os.path.join(OUT, "act-mirror.rules"), "w") as f:
        f.write("# mirror TCP to the SPAN port 2 (tagged there), DNS to port 1\n"
                "proto=tcp action=mirror:2\n"
                "proto=udp dport=53 action=mirror:1\n")

    # ---- VLAN --------------------------------------------------------------
    inp = [
        udp(7000, 40, tag="push-me"),
        Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=10, prio=3) /
        IP(src="10.0.0.1", dst="10.0.0.2") / TCP(sport=1, dport=2) / pad(30, "pop-10"),
        Ether(src=MAC_A, dst=MAC_B) / Dot1AD(vlan=20) / Dot1Q(vlan=30) /
        IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1, dport=2) / pad(30, "qinq"),
        Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=40) /
        IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1, dport=2) / pad(30, "over-40"),
        tcp(80, 50, tag="untouched"),
        frame_of(9000, lambda n, t: udp(7000, n, tag=t), "jumbo-push"),
    ]
    raw = [bytes(p) for p in inp]
    out = [
        tag_after_macs(raw[0], 0x2064),
        pop_outer(raw[1]),
        pop_outer(raw[2]),
        tag_after_macs(raw[3], 50),
        raw[4],
        tag_after_macs(raw[5], 0x2064),
    ]
    w("act-vlan.pcap", raw)
    w("act-vlan-out1.pcap", out)
    with open(os.path.join(OUT, "act-vlan.rules"), "w") as f:
        f.write("vlan=none proto=udp action=vlan-push:0x2064\n"
                "vlan=10 action=vlan-pop\n"
                "vlan=20 action=vlan-pop\n"
                "vlan=40 action=vlan-push:50\n")

    # ---- encapsulation -----------------------------------------------------
    inp = [
        udp(53, 30, tag="enc-udp"),
        tcp(80, 500, src="10.0.0.3", tag="enc-tcp"),
        Ether(src=MAC_A, dst=MAC_B) / IP(src="10.0.0.1", dst="10.0.0.9") /
        ICMP() / pad(56, "enc-ping"),
        Ether(src=MAC_A, dst=MAC_B) / IPv6(src="2001:db8::1", dst="2001:db8::2") /
        UDP(sport=5, dport=6) / pad(40, "enc-v6"),
        Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") /
        ARP(psrc="10.0.0.1", pdst="10.0.0.2", hwsrc=MAC_A),
        frame_of(9000, lambda n, t: tcp(80, n, tag=t), "enc-jumbo"),
        frame_of(9100, lambda n, t: tcp(80, n, tag=t), "too-big"),
        frame_of(1514, lambda n, t: udp(9, n, tag=t), "enc-1514"),
    ]
    w("act-encap.pcap", [bytes(p) for p in inp])

    # ---- nested decapsulation ---------------------------------------------
    inner = tcp(80, 100, src="192.168.0.1", dst="192.168.1.1", tag="GET /")
    one = vxlan(inner)
    two = vxlan(vxlan(inner, sport=50001), sport=50002)
    other = vxlan(inner, vni=43)
    w("act-nested.pcap", [bytes(one), bytes(two), bytes(other)])
    w("act-nested-out1-max1.pcap", [bytes(inner), bytes(other)])
    w("act-nested-out1-max2.pcap", [bytes(inner), bytes(inner), bytes(other)])

    # ---- routes into a tunnel ---------------------------------------------
    p0, p1 = "02:00:00:00:00:10", "02:00:00:00:00:11"
    host_a, gw, peer = "02:00:00:00:0a:02", "02:00:00:00:0b:02", "02:00:00:00:0c:02"

    def routed(pkt, dst, src):
        """What a router makes of pkt: new MACs, TTL - 1, checksum."""
        q = Ether(bytes(pkt))
        q[Ether].dst, q[Ether].src = dst, src
        q[IP].ttl -= 1
        del q[IP].chksum
        return Ether(bytes(q))

    def outer(inner_pkt):
        return Ether(dst=gw, src=p1) / \
            IP(src="10.0.1.1", dst="10.0.1.2", ttl=64, id=0, flags="DF") / \
            UDP(sport=0, dport=4789, chksum=0) / VXLAN(vni=4242, flags=0x08) / \
            inner_pkt

    a = Ether(dst=p0, src=host_a) / IP(src="10.0.0.2", dst="192.168.100.2") / \
        UDP(sport=7, dport=7) / pad(40, "to-tunnel")
    j = frame_of(9000, lambda n, t: Ether(dst=p0, src=host_a) /
                 IP(src="10.0.0.2", dst="10.9.1.1") /
                 TCP(sport=8, dport=80, flags="A") / pad(n, t), "routed-jumbo")
    jt = frame_of(9000, lambda n, t: Ether(dst=p0, src=host_a) /
                  IP(src="10.0.0.2", dst="192.168.100.3") /
                  TCP(sport=9, dport=80, flags="A") / pad(n, t), "jumbo-tunnel")
    v6 = Ether(dst=p0, src=host_a) / IPv6(src="2001:db8:1::2", dst="2001:db8:100::2") / \
        UDP(sport=11, dport=12) / pad(30, "v6-to-tunnel")

    def routed6(pkt, dst, src):
        q = Ether(bytes(pkt))
        q[Ether].dst, q[Ether].src = dst, src
        q[IPv6].hlim -= 1
        return Ether(bytes(q))

    back = Ether(dst=p1, src=peer) / IP(src="192.168.100.2", dst="10.0.0.2") / \
        TCP(sport=80, dport=8, flags="SA") / pad(60, "from-tunnel")
    b_in = Ether(dst=p1, src=gw) / IP(src="10.0.1.2", dst="10.0.1.1") / \
        UDP(sport=50000, dport=4789) / VXLAN(vni=4242, flags=0x08) / back
    w("act-route-in0.pcap", [bytes(a), bytes(j), bytes(jt), bytes(v6)])
    w("act-route-in1.pcap", [bytes(b_in)])
    w("act-route-out1.pcap", [bytes(outer(routed(a, peer, p1))),
                              bytes(routed(j, gw, p1)),
                              bytes(outer(routed(jt, peer, p1))),
                              bytes(outer(routed6(v6, peer, p1)))])
    w("act-route-out0.pcap", [bytes(routed(back, host_a, p0))])
    with open(os.path.join(OUT, "act-route.routes"), "w") as f:
        f.write("192.168.100.0/24 vxlan t0\n2001:db8:100::/48 vxlan t0\n"
                "10.9.0.0/16 via 10.0.1.2\n")
    with open(os.path.join(OUT, "act-route.neighbours"), "w") as f:
        f.write("10.0.0.2 %s\n10.0.1.2 %s\n" % (host_a, gw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
