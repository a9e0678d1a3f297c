#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Inputs of the runtime-control tests (test_zcctl.sh, test_ctl_change.sh).

    ctlgen.py traffic OUT.pcap SRC DST [mac=MAC] DPORT...
        one 64-byte UDP frame per DPORT from SRC to DST (IPv4), sent to
        MAC (default the router's port 0 MAC 02:00:00:00:00:a0)
    ctlgen.py flows OUT.pcap N REPEAT PHASE
        N UDP flows from 10.0.0.2 to 10.1.(i/256).(i%256), source port
        10000+i, REPEAT packets each, interleaved; each payload says
        "F<i>P<PHASE>" so that outputs name their flow and phase
    ctlgen.py acl OUT.rules N SEED [RULE...]
        an ACL of N rules: the RULEs given, then filler rules up to N that
        match no test traffic (sources in 172.16.0.0/12), which differ
        with SEED so that each file builds a different rte_acl context

Standard library only: frames are written with struct, fast enough for
large captures.
"""

import random
import socket
import struct
import sys

ROUTER_MAC = bytes.fromhex("0200000000a0")
PEER_MAC = bytes.fromhex("020000000010")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp4(src, dst, sport, dport, payload=b"", mac=ROUTER_MAC):
    """An Ethernet + IPv4 + UDP frame, padded to 60 bytes (64 with FCS)."""
    payload = payload.ljust(18, b"\0")
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                     0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return mac + PEER_MAC + b"\x08\x00" + ip + udp


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", i // 1000000, i % 1000000,
                                len(fr), len(fr)))
            f.write(fr)


def filler(n, seed):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        a, b = rnd.randrange(16, 32), rnd.randrange(256)
        out.append("priority=%d src=172.%d.%d.%d/32 proto=udp dport=%d "
                   "action=%s" % (rnd.randrange(1, 100), a, b, i % 256,
                                  rnd.randrange(1, 65536),
                                  rnd.choice(("deny", "count", "permit"))))
    return out


def main(argv):
    if len(argv) >= 5 and argv[1] == "traffic":
        src, dst, ports, mac = argv[3], argv[4], argv[5:], ROUTER_MAC
        if ports and ports[0].startswith("mac="):
            mac = bytes.fromhex(ports[0][4:].replace(":", ""))
            ports = ports[1:]
        frames = [udp4(src, dst, 1024 + i, int(p), mac=mac)
                  for i, p in enumerate(ports)]
        write_pcap(argv[2], frames)
        return 0
    if len(argv) == 6 and argv[1] == "flows":
        n, rep, phase = int(argv[3]), int(argv[4]), argv[5]
        frames = [udp4("10.0.0.2", "10.1.%d.%d" % (i >> 8, i & 255),
                       10000 + i, 80, ("F%dP%s" % (i, phase)).encode())
                  for _ in range(rep) for i in range(n)]
        write_pcap(argv[2], frames)
        return 0
    if len(argv) >= 5 and argv[1] == "acl":
        n, seed, rules = int(argv[3]), int(argv[4]), argv[5:]
        with open(argv[2], "w") as f:
            f.write("# %d rules, seed %d (tests/integration/ctlgen.py)\n"
                    % (n, seed))
            for r in rules + filler(max(0, n - len(rules)), seed):
                f.write(r + "\n")
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
