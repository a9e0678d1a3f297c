#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Generate the ACL test capture and its rule file (deterministic: fixed
timestamps and payloads, so a re-run gives byte-identical files).

  pcaps/acl-filter.rules  the rule set tests/integration/test_filter.sh uses
  pcaps/acl-filter.pcap   traffic for it: IPv4/IPv6 TCP/UDP/ICMP, VLAN and
                          QinQ, IPv6 extension headers, a non-first
                          fragment, a jumbo frame, ARP

Every frame carries its expected fate at the end of its bytes (payload or
Ethernet trailer): b"ACL:<P>:<D>;" where <P> is the fate with
[acl] default = permit and <D> with default = deny; '0' and '1' name the
egress port (the filter-mode cross-connect is 0->1, 1->0; every frame
enters on port 0) and '-' means dropped as acl_deny.

Usage: gen_acl_pcaps.py [OUTDIR]   (default: the repository's pcaps/)
"""
import os
import sys

from scapy.all import (ARP, Dot1AD, Dot1Q, Ether, ICMP, IP, IPv6,
                       IPv6ExtHdrHopByHop, Padding, Raw, TCP, UDP)
from scapy.utils import wrpcap

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps")
MAC_A = "02:00:00:00:00:01"
MAC_B = "02:00:00:00:00:02"

RULES = """\
# ACL rules of tests/integration/test_filter.sh (made by
# scripts/gen_acl_pcaps.py with pcaps/acl-filter.pcap; see docs/acl.md).
priority=10 src=10.0.0.0/8 proto=tcp dport=22 action=deny        # 0 ssh
priority=10 src=10.0.0.0/8 proto=tcp dport=80 action=permit      # 1 web
priority=10 proto=udp dport=53 action=count                      # 2 dns, v4+v6
priority=20 dst=2001:db8:bad::/48 action=deny                    # 3 beats 4
priority=10 src=2001:db8::/32 proto=tcp dport=443 action=permit  # 4
vlan=100 action=deny                                             # 5 outer tag
priority=30 src=192.0.2.0/24 action=forward:0                    # 6 hairpin
priority=5 proto=icmp action=permit                              # 7
"""

# (name, frame without tag, fate with default permit, with default deny)
def flows():
    e = Ether(src=MAC_A, dst=MAC_B)
    v4 = lambda s, d: IP(src=s, dst=d)
    v6 = lambda s, d: IPv6(src=s, dst=d)
    return [
        ("web", e / v4("10.1.1.1", "192.168.1.10") / TCP(sport=40000, dport=80), "1", "1"),
        ("ssh", e / v4("10.1.1.1", "192.168.1.10") / TCP(sport=40001, dport=22), "-", "-"),
        ("dns4", e / v4("172.16.0.1", "8.8.8.8") / UDP(sport=5353, dport=53), "1", "1"),
        ("dns6", e / v6("2001:db8:1::1", "2001:db8:2::1") / UDP(sport=5353, dport=53), "1", "1"),
        ("bad6", e / v6("2001:db8:1::1", "2001:db8:bad::1") / TCP(sport=40002, dport=443), "-", "-"),
        ("https6", e / v6("2001:db8:1::1", "2001:db8:2::1") / TCP(sport=40003, dport=443), "1", "1"),
        ("vlan100", e / Dot1Q(vlan=100) / v4("10.1.1.1", "1.1.1.1") / UDP(sport=9, dport=9999), "-", "-"),
        ("vlan101", e / Dot1Q(vlan=101) / v4("10.1.1.1", "1.1.1.1") / UDP(sport=9, dport=9999), "1", "-"),
        ("qinq100", e / Dot1AD(vlan=100) / Dot1Q(vlan=200) / v4("10.1.1.1", "1.1.1.1") / UDP(sport=9, dport=9), "-", "-"),
        ("hairpin", e / v4("192.0.2.5", "1.1.1.1") / UDP(sport=1000, dport=1000), "0", "0"),
        ("icmp", e / v4("10.1.1.1", "1.1.1.1") / ICMP(), "1", "1"),
        ("nomatch", e / v4("11.0.0.1", "1.1.1.1") / TCP(sport=40004, dport=22), "1", "-"),
        # A non-first fragment has no ports: rule 0 cannot match it.
        ("frag", e / v4("10.1.1.1", "192.168.1.10") / Raw(b"\x00" * 16), "1", "-"),
        ("jumbo", e / v4("10.1.1.1", "1.1.1.1") / UDP(sport=7, dport=53) / Raw(b"j" * 2900), "1", "1"),
        # Protocol and ports come from after the extension header.
        ("hbh6", e / v6("2001:db8:1::1", "2001:db8:2::1") / IPv6ExtHdrHopByHop() / TCP(sport=40005, dport=443), "1", "1"),
        ("other6", e / v6("2001:db9::1", "2001:db9::2") / TCP(sport=40006, dport=80), "1", "-"),
        ("arp", e / ARP(op=1, hwsrc=MAC_A, psrc="10.1.1.1", pdst="10.1.1.2"), "1", "1"),
    ]


def tagged(frame, name, fate_p, fate_d, rep):
    """The frame with a per-copy filler and its fate tag as payload (as the
    Ethernet trailer for ARP), lengths and checksums computed by scapy."""
    load = ("%s#%d " % (name, rep)).encode() * (rep + 1)
    load += ("ACL:%s:%s;" % (fate_p, fate_d)).encode()
    if name == "frag":
        frame[IP].proto = 6
        frame[IP].frag = 100  # offset 800 bytes, MF clear: last fragment
    if ARP in frame:
        frame = frame / Padding(load)
    else:
        frame = frame / Raw(load)
    return Ether(bytes(frame))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    os.makedirs(out, exist_ok=True)
    pkts = []
    for rep in range(3):
        for name, frame, fp, fd in flows():
            pkts.append(tagged(frame, name, fp, fd, rep))
    for i, p in enumerate(pkts):
        p.time = 1700000000.0 + i * 0.001
    wrpcap(os.path.join(out, "acl-filter.pcap"), pkts)
    with open(os.path.join(out, "acl-filter.rules"), "w") as f:
        f.write(RULES)
    print("acl-filter.pcap: %d frames; acl-filter.rules: %d rules"
          % (len(pkts), sum(1 for l in RULES.splitlines()
                            if l.split("#")[0].strip())))


if __name__ == "__main__":
    main()
