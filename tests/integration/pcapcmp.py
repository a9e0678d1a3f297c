#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Packet-level checks for the integration tests (timestamps ignored).

  pcapcmp.py count FILE                  number of packets
  pcapcmp.py same A B                    same frames, same order, same bytes
  pcapcmp.py xconnect IN OUT [MAX_VLAN [MAX_FRAME]]
                                         OUT is what an l2 cross-connect
                                         must send for IN; prints the
                                         expected drops as JSON. MAX_FRAME
                                         (default 16128, what net_pcap
                                         sends whole) is the egress port's
                                         longest frame
  pcapcmp.py wire IN OUT [MAX_FRAME]     OUT is what the default
                                         cross-connect (rx forward tx, no
                                         header read) must send: every
                                         frame of IN up to MAX_FRAME bytes
                                         (default 16128); same JSON
"""
import json
import struct
import sys

from scapy.utils import RawPcapReader

VLAN_TPIDS = (0x8100, 0x88A8, 0x9100)


def frames(path):
    r = RawPcapReader(path)
    try:
        return [bytes(data) for data, _meta in r]
    finally:
        r.close()


def l2_verdict(f, max_vlan):
    """What the L2 parser must do with a frame: None (forward) or the
    drop reason. Written from the Ethernet/802.1Q formats, independently
    of zcpipe's C code."""
    if len(f) < 14:
        return "l2_truncated"
    off, tags = 12, 0
    (etype,) = struct.unpack_from("!H", f, off)
    while etype in VLAN_TPIDS:
        if tags == max_vlan:
            return "vlan_too_many"
        if len(f) < off + 2 + 4:
            return "vlan_truncated"
        tags += 1
        off += 4
        (etype,) = struct.unpack_from("!H", f, off)
    return None


def diff(want, got, what):
    if len(want) != len(got):
        print("%s: %d frames expected, %d found" % (what, len(want), len(got)),
              file=sys.stderr)
        return 1
    for i, (a, b) in enumerate(zip(want, got)):
        if a != b:
            at = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]),
                      min(len(a), len(b)))
            print("%s: frame %d differs (len %d vs %d, first at byte %d)"
                  % (what, i, len(a), len(b), at), file=sys.stderr)
            return 1
    return 0


def main(argv):
    cmd = argv[1]
    if cmd == "count":
        print(len(frames(argv[2])))
        return 0
    if cmd == "same":
        return diff(frames(argv[2]), frames(argv[3]), "%s vs %s" % (argv[2], argv[3]))
    if cmd == "wire":
        max_frame = int(argv[4]) if len(argv) > 4 else 16128
        want, drops = [], {}
        for f in frames(argv[2]):
            if len(f) > max_frame:
                drops["too_big_for_port"] = drops.get("too_big_for_port", 0) + 1
            else:
                want.append(f)
        print(json.dumps({"forwarded": len(want), "drops": drops}))
        return diff(want, frames(argv[3]), argv[3])
    if cmd == "xconnect":
        max_vlan = int(argv[4]) if len(argv) > 4 else 3
        max_frame = int(argv[5]) if len(argv) > 5 else 16128
        want, drops = [], {}
        for f in frames(argv[2]):
            v = l2_verdict(f, max_vlan)
            if v is None and len(f) > max_frame:
                v = "too_big_for_port"
            if v is None:
                want.append(f)
            else:
                drops[v] = drops.get(v, 0) + 1
        print(json.dumps({"forwarded": len(want), "drops": drops}))
        return diff(want, frames(argv[3]), argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
