#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Generate a large ACL rule file (syntax: docs/acl.md) for benchmarks.

The mix resembles a ClassBench-style firewall: IPv4 /24 sources to /16
destinations (and, for --ipv6 of them, IPv6 /64 to /48), TCP or UDP, a
single destination port or a range of up to 1000 ports, priorities 0-99,
deny or permit. The same mix (though not the same rules) is built by the
unit test tests/unit/test_acl.c (build_10000_rules), which reports build
time and memory.

With --match PCAP, also write a capture of 64-byte UDP/TCP frames that hit
the rules (one frame per rule, up to --frames), so that a benchmark measures
lookups that walk the tries rather than miss at the first byte.

Deterministic: the same arguments give the same files.

Usage: gen_acl_rules.py [-n 10000] [--ipv6 0.2] [--seed 1] [-o FILE]
                        [--match PCAP] [--frames 4096]
"""
import argparse
import random
import sys


def gen(n, v6_share, seed):
    """Yield (rule text, sample 5-tuple that matches it)."""
    rnd = random.Random(seed)
    every = round(1 / v6_share) if v6_share > 0 else 0
    for i in range(n):
        proto = rnd.choice(("tcp", "udp"))
        prio = rnd.randrange(100)
        lo = rnd.randrange(60000)
        hi = lo if rnd.random() < 0.5 else lo + rnd.randrange(1000)
        action = rnd.choice(("deny", "permit"))
        if every and i % every == every - 1:
            a, b, c = (rnd.randrange(0x10000) for _ in range(3))
            src = "2001:db8:%x:%x::/64" % (a, b)
            dst = "2001:db8:%x::/48" % c
            sample = (6, "2001:db8:%x:%x::1" % (a, b),
                      "2001:db8:%x::1" % c, proto, lo)
        else:
            a, b, c = 10 + rnd.randrange(100), rnd.randrange(256), rnd.randrange(256)
            d, e = 172 + rnd.randrange(20), rnd.randrange(256)
            src = "%d.%d.%d.0/24" % (a, b, c)
            dst = "%d.%d.0.0/16" % (d, e)
            sample = (4, "%d.%d.%d.1" % (a, b, c), "%d.%d.1.1" % (d, e),
                      proto, lo)
        dport = "%d" % lo if lo == hi else "%d-%d" % (lo, hi)
        yield ("priority=%d src=%s dst=%s proto=%s dport=%s action=%s"
               % (prio, src, dst, proto, dport, action), sample)


def write_pcap(path, samples, frames):
    from scapy.all import IP, IPv6, TCP, UDP, Ether, Raw
    from scapy.utils import wrpcap

    pkts = []
    for i, (fam, s, d, proto, dport) in enumerate(samples[:frames]):
        l3 = IP(src=s, dst=d) if fam == 4 else IPv6(src=s, dst=d)
        l4 = (TCP if proto == "tcp" else UDP)(sport=1024 + i % 60000,
                                              dport=dport)
        p = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / l3 / l4
        pad = 64 - 4 - len(p)  # 64 bytes with the FCS the NIC would add
        if pad > 0:
            p = p / Raw(b"\x00" * pad)
        p.time = 1700000000.0 + i * 0.000001
        pkts.append(p)
    wrpcap(path, pkts)
    return len(pkts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=10000, help="rules (default 10000)")
    ap.add_argument("--ipv6", type=float, default=0.2,
                    help="share of IPv6 rules (default 0.2)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", help="rule file (default: stdout)")
    ap.add_argument("--match", help="also write a capture that hits the rules")
    ap.add_argument("--frames", type=int, default=4096)
    a = ap.parse_args()
    if not 0 <= a.ipv6 <= 1 or a.n < 0:
        ap.error("need -n >= 0 and 0 <= --ipv6 <= 1")

    rules = list(gen(a.n, a.ipv6, a.seed))
    out = open(a.output, "w") if a.output else sys.stdout
    out.write("# %d rules: gen_acl_rules.py -n %d --ipv6 %g --seed %d\n"
              % (a.n, a.n, a.ipv6, a.seed))
    for text, _ in rules:
        out.write(text + "\n")
    if a.output:
        out.close()
    if a.match:
        n = write_pcap(a.match, [s for _, s in rules], a.frames)
        print("%s: %d frames" % (a.match, n), file=sys.stderr)


if __name__ == "__main__":
    main()
