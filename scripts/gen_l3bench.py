#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write one routing benchmark twice: for zcpipe and for DPDK's l3fwd.

From one description (N IPv4 /24 routes and a few IPv6 /48 routes, every
route via one of two gateways, one behind each port; A ACL rules that
match none of the traffic) this writes, in the output folder:

  zc.routes, zc.neighbours     zcpipe's [route] files
  zc.acl                       zcpipe's [acl] rules (A rules)
  zc-router.ini, zc-router-acl.ini
                               zcpipe configurations: two net_pcap ports
                               replaying in{0,1}.pcap forever, TX dropped
  l3fwd.v4, l3fwd.v6           l3fwd --lookup lpm|fib rule files (R lines)
  l3fwd-acl.v4, l3fwd-acl.v6   l3fwd --lookup acl: the same A rules as '@'
                               lines (deny) and every route as an 'R' line
  in0.pcap, in1.pcap           64-byte (or --size) IPv4/UDP frames to random
                               hosts of random routes, addressed to the
                               receiving port's MAC
  mix0.pcap, mix1.pcap         (with --mix PCAP) that capture readdressed
                               to each port's MAC, routed by a default
                               route in both programs

The ACL rules use source prefixes in 198.18.0.0/15 (RFC 2544 benchmark
space) that no generated frame carries, so every packet walks the ACL and
matches nothing: the default (permit) applies, as in l3fwd's acl mode where
no '@' rule matches and the route decides.

Deterministic for a given --seed.

Usage: gen_l3bench.py -o DIR [-n 1000] [--acl 100] [--size 64]
                      [--frames 1024] [--mix PCAP] [--seed 1]
"""
import argparse
import ipaddress
import os
import random
import struct
import sys

PORT_MAC = ["02:00:00:00:00:a0", "02:00:00:00:00:a1"]
HOST_MAC = ["02:00:00:00:00:10", "02:00:00:00:00:11"]
PORT_V4 = ["10.0.0.1/24", "10.0.1.1/24"]
PORT_V6 = ["2001:db8:1::1/64", "2001:db8:2::1/64"]
GW_V4 = ["10.0.0.2", "10.0.1.2"]
GW_V6 = ["2001:db8:1::2", "2001:db8:2::2"]
GW_MAC = ["02:00:00:00:b0:02", "02:00:00:00:b1:02"]
# Routes are /24s inside 32.0.0.0/4: room for 1,048,576 of them.
V4_BASE = 32 << 24
V4_SLOTS = 1 << 20
V6_ROUTES = 16
DEFAULT_V4 = ("0.0.0.0/1", "128.0.0.0/1")
DEFAULT_V6 = ("::/1", "8000::/1")


def make_routes(n, rnd):
    """N distinct /24 network numbers (as ints), each with a port."""
    if n > V4_SLOTS:
        sys.exit("gen_l3bench.py: at most %d IPv4 routes" % V4_SLOTS)
    if n * 2 > V4_SLOTS:
        slots = list(range(V4_SLOTS))
        rnd.shuffle(slots)
        slots = slots[:n]
    else:
        slots = rnd.sample(range(V4_SLOTS), n)
    return [(V4_BASE + (s << 8), i % 2) for i, s in enumerate(slots)]


def ip4(a):
    return str(ipaddress.IPv4Address(a))


def v6_routes():
    return [("2001:db8:%x::/48" % (0x1000 + i), i % 2)
            for i in range(V6_ROUTES)]


def write_routes(out, routes, default):
    with open(os.path.join(out, "zc.routes"), "w") as f:
        f.write("# %d IPv4 /24 routes via 2 gateways (gen_l3bench.py)\n" %
                len(routes))
        for net, port in routes:
            f.write("%s/24 via %s port %d\n" % (ip4(net), GW_V4[port], port))
        for net, port in v6_routes():
            f.write("%s via %s port %d\n" % (net, GW_V6[port], port))
        # A default route as two /1s: rte_lpm (l3fwd lpm) has no /0.
        for net in DEFAULT_V4 if default else ():
            f.write("%s via %s port 1\n" % (net, GW_V4[1]))
        for net in DEFAULT_V6 if default else ():
            f.write("%s via %s port 1\n" % (net, GW_V6[1]))
    with open(os.path.join(out, "zc.neighbours"), "w") as f:
        for p in range(2):
            f.write("%s %s port %d\n" % (GW_V4[p], GW_MAC[p], p))
            f.write("%s %s port %d\n" % (GW_V6[p], GW_MAC[p], p))
    with open(os.path.join(out, "l3fwd.v4"), "w") as f:
        for net, port in routes:
            f.write("R%s/24 %d\n" % (ip4(net), port))
        for net in DEFAULT_V4 if default else ():
            f.write("R%s 1\n" % net)
    with open(os.path.join(out, "l3fwd.v6"), "w") as f:
        for net, port in v6_routes():
            f.write("R%s %d\n" % (net, port))
        for net in DEFAULT_V6 if default else ():
            f.write("R%s 1\n" % net)


def acl_rules(n_acl, rnd):
    """(src /32 in 198.18.0.0/15, dst /16, proto, dport) per rule."""
    rules = []
    for i in range(n_acl):
        src = (198 << 24 | 18 << 16) + rnd.randrange(1 << 17)
        dst = rnd.randrange(1 << 16) << 16
        proto = rnd.choice((6, 17))
        dport = rnd.randrange(1, 65536)
        rules.append((src, dst, proto, dport))
    return rules


def write_acl(out, rules, routes, default):
    with open(os.path.join(out, "zc.acl"), "w") as f:
        f.write("# %d rules that match no benchmark frame (gen_l3bench.py)\n"
                % len(rules))
        for src, dst, proto, dport in rules:
            f.write("src=%s dst=%s/16 proto=%s dport=%d action=deny\n" %
                    (ip4(src), ip4(dst), "tcp" if proto == 6 else "udp",
                     dport))
    with open(os.path.join(out, "l3fwd-acl.v4"), "w") as f:
        for src, dst, proto, dport in rules:
            f.write("@%s/32 %s/16 0 : 65535 %d : %d 0x%02x/0xff\n" %
                    (ip4(src), ip4(dst), dport, dport, proto))
        for net, port in routes:
            f.write("R0.0.0.0/0 %s/24 0 : 65535 0 : 65535 0x0/0x0 %d\n" %
                    (ip4(net), port))
        for net in DEFAULT_V4 if default else ():
            f.write("R0.0.0.0/0 %s 0 : 65535 0 : 65535 0x0/0x0 1\n" % net)
    with open(os.path.join(out, "l3fwd-acl.v6"), "w") as f:
        for net, port in v6_routes():
            f.write("R0:0:0:0:0:0:0:0/0 %s 0 : 65535 0 : 65535 0x0/0x0 %d\n"
                    % (net.replace("::/", ":0:0:0:0:0/"), port))


def write_ini(out, acl):
    d = os.path.abspath(out)
    name = "zc-router-acl.ini" if acl else "zc-router.ini"
    with open(os.path.join(out, name), "w") as f:
        f.write("""\
; Router benchmark (scripts/gen_l3bench.py): two net_pcap ports replaying
; in0.pcap/in1.pcap forever; TX is dropped by the PMD.
[general]
mode = router
burst = 32

[port.0]
dev = net_pcap0,rx_pcap={d}/in0.pcap,infinite_rx=1
mac = {m0}
ipv4 = {a0}
ipv6 = {b0}

[port.1]
dev = net_pcap1,rx_pcap={d}/in1.pcap,infinite_rx=1
mac = {m1}
ipv4 = {a1}
ipv6 = {b1}

[route]
routes = {d}/zc.routes
neighbours = {d}/zc.neighbours
""".format(d=d, m0=PORT_MAC[0], m1=PORT_MAC[1], a0=PORT_V4[0],
           a1=PORT_V4[1], b0=PORT_V6[0], b1=PORT_V6[1]))
        if acl:
            f.write("\n[acl]\nrules = %s/zc.acl\ndefault = permit\n" % d)


def udp_frame(src_mac, dst_mac, src, dst, sport, size):
    """An Ethernet/IPv4/UDP frame of size bytes (no FCS), checksums set."""
    payload = b"\0" * max(0, size - 42)
    udp = struct.pack("!HHHH", sport, 9, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                      0, src, dst)
    s = sum(struct.unpack("!10H", hdr))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    hdr = hdr[:10] + struct.pack("!H", ~s & 0xffff) + hdr[12:]
    eth = (bytes.fromhex(dst_mac.replace(":", "")) +
           bytes.fromhex(src_mac.replace(":", "")) + b"\x08\x00")
    return eth + hdr + udp


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)))
            f.write(fr)


def write_traffic(out, routes, nframes, size, rnd):
    for port in range(2):
        frames = []
        src = ipaddress.IPv4Address("10.0.%d.200" % port).packed
        for i in range(nframes):
            net, _p = routes[rnd.randrange(len(routes))]
            dst = struct.pack("!I", net + 1 + rnd.randrange(254))
            frames.append(udp_frame(HOST_MAC[port], PORT_MAC[port], src, dst,
                                    1024 + i % 4096, size))
        write_pcap(os.path.join(out, "in%d.pcap" % port), frames)


def write_mix(out, src_path, port):
    """The capture readdressed to a port's MAC (pcap, Ethernet)."""
    data = open(src_path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        sys.exit("gen_l3bench.py: %s: not a little-endian pcap" % src_path)
    mac = bytes.fromhex(PORT_MAC[port].replace(":", ""))
    res = bytearray(data[:24])
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        rec = bytearray(data[off:off + 16 + incl])
        if incl >= 6:
            rec[16:22] = mac
        res += rec
        off += 16 + incl
    with open(os.path.join(out, "mix%d.pcap" % port), "wb") as f:
        f.write(res)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("-n", type=int, default=1000, help="IPv4 /24 routes")
    ap.add_argument("--acl", type=int, default=100, help="ACL rules")
    ap.add_argument("--size", type=int, default=64, help="frame bytes")
    ap.add_argument("--frames", type=int, default=1024,
                    help="frames per port capture")
    ap.add_argument("--mix", metavar="PCAP",
                    help="also write mix.pcap from this capture, and a "
                         "default route")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.n < 1 or a.size < 60 or a.size > 9000 or a.frames < 1:
        sys.exit("gen_l3bench.py: need -n >= 1, 60 <= --size <= 9000")
    os.makedirs(a.out, exist_ok=True)
    rnd = random.Random(a.seed)
    routes = make_routes(a.n, rnd)
    write_routes(a.out, routes, a.mix is not None)
    write_acl(a.out, acl_rules(a.acl, rnd), routes, a.mix is not None)
    write_ini(a.out, False)
    write_ini(a.out, True)
    write_traffic(a.out, routes, a.frames, a.size, rnd)
    if a.mix:
        write_mix(a.out, a.mix, 0)
        write_mix(a.out, a.mix, 1)


if __name__ == "__main__":
    main()
