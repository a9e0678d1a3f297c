#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Generate a large route table (default 1,000 routes) for the router
benchmark, with its static neighbours and, optionally, traffic that hits
it and a ready-to-run zcpipe configuration. Deterministic for a given
--seed.

The tables fit the two-port topology of docs/routing.md:
  port 0  10.0.0.1/24  2001:db8:1::1/64  mac 02:00:00:00:00:a0
  port 1  10.0.1.1/24  2001:db8:2::1/64  mac 02:00:00:00:00:a1
with 8 gateways per port (10.0.P.2 .. 10.0.P.9, 2001:db8:P+1::2 ..).

Prefixes: IPv4 inside 11.0.0.0/8 .. 74.0.0.0/8, lengths /16 (10 %),
/20 (10 %), /24 (60 %), /28 (10 %), /32 (10 %), so that many nest (a /24
inside a /16: longest prefix matters); IPv6 inside 2001:db8:1000::/36,
lengths /40 .. /64 and some /128. No duplicates, nothing overlapping the
connected subnets.

Usage:
  gen_routes.py [-n 1000] [--v6 0.25] [--seed 1] -o DIR
      writes DIR/bench.routes and DIR/bench.neighbours
  ... --pcap 4096 [--size 64]
      also DIR/bench-in0.pcap, DIR/bench-in1.pcap: that many frames per
      port, each to a random address inside a random route, addressed to
      that port's MAC
  ... --ini
      also DIR/bench-router.ini: mode = router on two net_pcap ports
      replaying those captures forever (infinite_rx=1), TX dropped
"""
import argparse
import ipaddress
import os
import random
import sys

PORT_MAC = ["02:00:00:00:00:a0", "02:00:00:00:00:a1"]
HOST_MAC = ["02:00:00:00:00:10", "02:00:00:00:00:11"]
GATEWAYS = 8


def gw4(port, i):
    return "10.0.%d.%d" % (port, 2 + i)


def gw6(port, i):
    return "2001:db8:%d::%x" % (port + 1, 2 + i)


def gw_mac(port, i):
    return "02:00:00:00:%02x:%02x" % (0xb0 + port, 2 + i)


def make_routes(n, v6_share, rnd):
    seen = set()
    routes = []
    n6 = int(round(n * v6_share))
    bases16 = [(11 + rnd.randrange(64)) << 24 | rnd.randrange(256) << 16
               for _ in range(max(8, n // 40))]
    while len(routes) < n - n6:
        length = rnd.choices([16, 20, 24, 28, 32], [10, 10, 60, 10, 10])[0]
        addr = rnd.choice(bases16) | rnd.getrandbits(16)
        net = ipaddress.ip_network((addr, length), strict=False)
        if net in seen:
            continue
        seen.add(net)
        port, g = rnd.randrange(2), rnd.randrange(GATEWAYS)
        routes.append((net, gw4(port, g), port))
    base6 = int(ipaddress.ip_address("2001:db8:1000::"))
    while len(routes) < n:
        length = rnd.choice([40, 44, 48, 48, 56, 64, 64, 128])
        addr = base6 | rnd.getrandbits(92)
        net = ipaddress.ip_network((addr, length), strict=False)
        if net in seen:
            continue
        seen.add(net)
        port, g = rnd.randrange(2), rnd.randrange(GATEWAYS)
        routes.append((net, gw6(port, g), port))
    return routes


def write_tables(out, routes, args):
    with open(os.path.join(out, "bench.routes"), "w") as f:
        f.write("# %d routes from scripts/gen_routes.py -n %d --v6 %g "
                "--seed %d\n" % (len(routes), args.n, args.v6, args.seed))
        for net, gw, port in routes:
            f.write("%s via %s port %d\n" % (net, gw, port))
    with open(os.path.join(out, "bench.neighbours"), "w") as f:
        f.write("# gateways of bench.routes\n")
        for port in range(2):
            for i in range(GATEWAYS):
                f.write("%s %s port %d\n" % (gw4(port, i), gw_mac(port, i),
                                             port))
                f.write("%s %s port %d\n" % (gw6(port, i), gw_mac(port, i),
                                             port))


def write_pcaps(out, routes, args, rnd):
    from scapy.all import IP, UDP, Ether, IPv6, Raw
    from scapy.utils import wrpcap

    for port in range(2):
        pkts = []
        for i in range(args.pcap):
            net, _gw, _p = rnd.choice(routes)
            host = net.network_address + rnd.randrange(net.num_addresses)
            if net.version == 4:
                l3 = IP(src="10.0.%d.200" % port, dst=str(host), ttl=64)
                hdr = 14 + 20 + 8
            else:
                l3 = IPv6(src="2001:db8:%d::200" % (port + 1), dst=str(host),
                          hlim=64)
                hdr = 14 + 40 + 8
            p = (Ether(src=HOST_MAC[port], dst=PORT_MAC[port]) / l3 /
                 UDP(sport=1024 + i % 4096, dport=9) /
                 Raw(b"\0" * max(0, args.size - hdr)))
            p.time = 1700000000 + i / 1e6
            pkts.append(p)
        wrpcap(os.path.join(out, "bench-in%d.pcap" % port), pkts)


def write_ini(out):
    d = os.path.abspath(out)
    with open(os.path.join(out, "bench-router.ini"), "w") as f:
        f.write("""\
; Router benchmark (scripts/gen_routes.py): two net_pcap ports replaying
; traffic to the generated routes forever; TX is dropped by the PMD.
[general]
mode = router

[port.0]
dev = net_pcap_b0,rx_pcap={d}/bench-in0.pcap,infinite_rx=1
mac = {m0}
ipv4 = 10.0.0.1/24
ipv6 = 2001:db8:1::1/64

[port.1]
dev = net_pcap_b1,rx_pcap={d}/bench-in1.pcap,infinite_rx=1
mac = {m1}
ipv4 = 10.0.1.1/24
ipv6 = 2001:db8:2::1/64

[route]
routes = {d}/bench.routes
neighbours = {d}/bench.neighbours
""".format(d=d, m0=PORT_MAC[0], m1=PORT_MAC[1]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="routes (default 1000)")
    ap.add_argument("--v6", type=float, default=0.25,
                    help="share of IPv6 routes (default 0.25)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pcap", type=int, default=0, metavar="FRAMES",
                    help="also write bench-in{0,1}.pcap with FRAMES each")
    ap.add_argument("--size", type=int, default=64,
                    help="frame size without FCS (default 64)")
    ap.add_argument("--ini", action="store_true",
                    help="also write bench-router.ini")
    ap.add_argument("-o", "--out", required=True, help="output folder")
    args = ap.parse_args()
    if not 0 < args.n <= 30000 or not 0 <= args.v6 <= 1:
        sys.exit("gen_routes.py: -n must be 1..30000 and --v6 0..1")
    os.makedirs(args.out, exist_ok=True)
    rnd = random.Random(args.seed)
    routes = make_routes(args.n, args.v6, rnd)
    write_tables(args.out, routes, args)
    if args.pcap:
        write_pcaps(args.out, routes, args, rnd)
    if args.ini:
        write_ini(args.out)
    print("gen_routes.py: %d routes (%d IPv6) in %s" %
          (len(routes), sum(1 for r in routes if r[0].version == 6),
           args.out))


if __name__ == "__main__":
    main()
