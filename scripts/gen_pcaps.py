#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Generate the bundled captures in pcaps/ (deterministic: fixed seed and
timestamps, so a re-run gives byte-identical files).

  default.pcap   mixed traffic for `make run`: IPv4/IPv6 TCP and UDP, VLAN,
                 QinQ, ARP, ICMP, and a few malformed frames
  udp64.pcap     64-byte UDP frames over 256 flows, for the benchmark
  oversize.pcap  IPv4/UDP frames of 1,514, 9,000, 16,128, 16,129 and
                 16,400 bytes: net_pcap sends at most 16,128 (its
                 drivers-config max_frame); the two longer ones must drop
                 as too_big_for_port, not leave cut short
"""
import os
import random
import sys

from scapy.all import (ARP, Dot1AD, Dot1Q, Ether, ICMP, IP, IPv6, Raw, TCP,
                       UDP)
from scapy.utils import wrpcap

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps")
MAC_A = "02:00:00:00:00:01"
MAC_B = "02:00:00:00:00:02"


def stamp(pkts, t0=1700000000.0):
    for i, p in enumerate(pkts):
        p.time = t0 + i * 0.001
    return pkts


def default_mix():
    rnd = random.Random(42)
    pkts = []
    for i in range(200):
        kind = i % 10
        src = "10.0.%d.%d" % (i % 4, 1 + i % 200)
        dst = "192.168.%d.%d" % (i % 8, 1 + (i * 7) % 250)
        eth = Ether(src=MAC_A, dst=MAC_B)
        pay = Raw(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 200))))
        if kind in (0, 1, 2):
            p = eth / IP(src=src, dst=dst) / UDP(sport=1024 + i, dport=53) / pay
        elif kind in (3, 4):
            p = eth / IP(src=src, dst=dst) / TCP(sport=40000 + i, dport=80,
                                                 flags="PA", seq=i) / pay
        elif kind == 5:
            p = eth / IPv6(src="2001:db8::%x" % (i + 1),
                           dst="2001:db8:1::%x" % (i + 1)) / UDP(
                               sport=5000, dport=5001) / pay
        elif kind == 6:
            p = eth / Dot1Q(vlan=100 + i % 3) / IP(src=src, dst=dst) / UDP(
                sport=7, dport=7) / pay
        elif kind == 7:
            p = eth / Dot1AD(vlan=10) / Dot1Q(vlan=20) / IP(
                src=src, dst=dst) / ICMP(id=i, seq=i) / pay
        elif kind == 8:
            p = Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") / ARP(
                psrc=src, pdst=dst, hwsrc=MAC_A)
        else:
            p = eth / IP(src=src, dst=dst) / TCP(sport=443, dport=50000 + i,
                                                 flags="A") / pay
        pkts.append(p)
    # Malformed frames a forwarder must survive: runt, cut VLAN tag.
    pkts.insert(50, Raw(b"\x02\x00\x00\x00\x00\x02\x02\x00\x00"))
    pkts.insert(120, Raw(bytes(Ether(src=MAC_A, dst=MAC_B, type=0x8100))
                         + b"\x00"))
    return stamp(pkts)


def udp64():
    pkts = []
    for i in range(256):
        p = (Ether(src=MAC_A, dst=MAC_B) /
             IP(src="10.1.0.%d" % (i % 250 + 1), dst="10.2.0.1") /
             UDP(sport=1024 + i, dport=9) / Raw(b"\x00" * 18))
        assert len(p) == 60, len(p)  # 64 on the wire with the FCS
        pkts.append(p)
    return stamp(pkts)


def oversize():
    pkts = []
    for n in (1514, 9000, 16128, 16129, 16400):
        p = (Ether(src=MAC_A, dst=MAC_B) / IP(src="10.3.0.1", dst="10.3.0.2") /
             UDP(sport=5000, dport=n))
        p = p / Raw(bytes(i & 0xFF for i in range(n - len(p))))
        assert len(p) == n, len(p)
        pkts.append(p)
    return stamp(pkts)


def write(path, pkts):
    """Write frames as DLT_EN10MB, whatever scapy layer they start with
    (the malformed ones are Raw)."""
    raw = []
    for p in pkts:
        r = Raw(bytes(p))
        r.time = p.time
        raw.append(r)
    wrpcap(path, raw, linktype=1)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in (("default.pcap", default_mix), ("udp64.pcap", udp64),
                     ("oversize.pcap", oversize)):
        path = os.path.join(OUT, name)
        write(path, fn())
        print("wrote", os.path.relpath(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
