#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The parser's strict side, end to end: every capture in pcaps/real/
# (VLAN, QinQ, MPLS, VXLAN with a 9,100-byte jumbo frame, GRE, 6in4,
# fragments, truncated and malformed frames), joined into one capture, is
# replayed through mode = filter (rx parse classify forward tx; no ACL rule,
# default permit), where every malformation drops. Checks:
#  - exactly the frames listed below are dropped, each under its reason
#    (the list was read off the frames with tshark, independently of the C
#    code), and every other frame leaves port 1 byte for byte, in order;
#  - the parse stage's own counters carry those drops, rx = tx + drops, no
#    mbuf leaked;
#  - with [parse] ipv4_checksum = pass, the frames whose IPv4 checksum is
#    wrong are forwarded instead.
# Then pcaps/parse-edge.pcap (scripts/gen_parse_pcaps.py: one frame per
# protocol, tunnel and drop reason, with each frame's fate decided by the
# generator in pcaps/parse-edge.expect) goes through mode = filter, where
# each frame must meet exactly its fate, and through l2-xconnect, where
# only l2_truncated, vlan_truncated and vlan_too_many may drop.
source "$(dirname "$0")/lib.sh"

[ -d "$REAL_PCAPS" ] || fail "no real captures in $REAL_PCAPS"

# Frames that must drop in filter mode: FILE INDEX(1-based) REASON.
cat >"$ZC_TMP/expect.txt" <<'EOX'
suricata-decode-too-small-test.pcap 1 l4_truncated
suricata-decode-too-small-test.pcap 2 l4_truncated
suricata-decode-too-small-test.pcap 3 l4_truncated
suricata-decode-too-small-test.pcap 4 tunnel_truncated
suricata-decode-too-small-test.pcap 5 l4_truncated
suricata-decode-too-small-test.pcap 6 l4_truncated
suricata-decode-too-small-test.pcap 7 l4_truncated
suricata-decode-too-small-test.pcap 8 tunnel_truncated
suricata-ipv4-truncated-truncated.pcap 1 ipv4_bad_total_length
zeek-mpls-in-vlan.pcap 1 ipv4_bad_checksum
zeek-mpls-in-vlan.pcap 2 ipv4_bad_checksum
zeek-mpls-in-vlan.pcap 3 ipv4_bad_checksum
EOX

# Join the captures (in name order, frames in file order).
$PY - "$REAL_PCAPS" "$ZC_TMP/all.pcap" "$ZC_TMP/index.txt" <<'EOP' ||
import os, sys
from scapy.utils import RawPcapReader, RawPcapWriter
src, out, idx = sys.argv[1:4]
w = RawPcapWriter(out, linktype=1, snaplen=65535)
with open(idx, "w") as ix:
    for name in sorted(os.listdir(src)):
        if not name.endswith(".pcap"):
            continue
        r = RawPcapReader(os.path.join(src, name))
        if r.linktype != 1:
            sys.exit("%s: link type %d, not Ethernet" % (name, r.linktype))
        for i, (data, _meta) in enumerate(r, 1):
            w.write(data)
            ix.write("%s %d\n" % (name, i))
        r.close()
w.close()
EOP
	fail "cannot join the real captures"
NPKTS=$(wc -l <"$ZC_TMP/index.txt")

write_cfg() { # write_cfg FILE OUTDIR CHECKSUM [INPUT [MODE]]
	cat >"$1" <<EOC
[general]
mode = ${5:-filter}
replay_timeout = 20

[port.0]
dev = net_pcap_p0,rx_pcap=${4:-$ZC_TMP/all.pcap},tx_pcap=$2/port0.pcap

[port.1]
dev = net_pcap_p1,tx_pcap=$2/port1.pcap

[forward]
map = 0->1, 1->0

[parse]
ipv4_checksum = $3
EOC
}

check() { # check CHECKSUM OUTDIR JSON
	$PY - "$ZC_TMP/all.pcap" "$ZC_TMP/index.txt" "$ZC_TMP/expect.txt" "$@" <<'EOP'
import json, sys
from scapy.utils import RawPcapReader

pcap, index, expect, csum, outdir, js = sys.argv[1:7]


def frames(path):
    r = RawPcapReader(path)
    try:
        return [bytes(d) for d, _m in r]
    finally:
        r.close()


inp = frames(pcap)
names = [tuple(l.split()) for l in open(index)]
drop = {}
for line in open(expect):
    f, i, why = line.split()
    if csum == "pass" and why == "ipv4_bad_checksum":
        continue
    drop[(f, i)] = why
want_out = [b for b, n in zip(inp, names) if n not in drop]
want_drops = {}
for why in drop.values():
    want_drops[why] = want_drops.get(why, 0) + 1

err = []
got = frames(outdir + "/port1.pcap")
if got != want_out:
    missing = [n for b, n in zip(inp, names) if n not in drop and b not in got]
    err.append("port 1: %d frames, expected %d; missing: %s"
               % (len(got), len(want_out), missing[:5]))
if frames(outdir + "/port0.pcap"):
    err.append("frames came out of port 0")
s = json.load(open(js))
drops = {k: v for k, v in s["drops"].items() if v}
if drops != want_drops:
    err.append("drops %s, expected %s" % (drops, want_drops))
if s["rx"] != len(inp):
    err.append("rx %d != %d frames" % (s["rx"], len(inp)))
if s["tx"] != len(want_out):
    err.append("tx %d != %d" % (s["tx"], len(want_out)))
if s["rx"] + s["clones"] != s["tx"] + s["dropped"] or not s["balanced"]:
    err.append("unbalanced: rx %d tx %d dropped %d"
               % (s["rx"], s["tx"], s["dropped"]))
if s["leaked_mbufs"]:
    err.append("%d mbufs leaked" % s["leaked_mbufs"])
parse = [st for st in s["stages"] if st["stage"] == "parse"]
pdrops = {k: v for k, v in parse[0]["drops"].items() if v} if parse else None
if pdrops != want_drops:
    err.append("parse stage drops %s, expected %s" % (pdrops, want_drops))
for e in err:
    print(e)
if err:
    sys.exit(1)
print("%d frames, %d forwarded, drops %s"
      % (len(inp), len(want_out), json.dumps(want_drops, sort_keys=True)))
EOP
}

for csum in drop pass; do
	d="$ZC_TMP/$csum"
	mkdir -p "$d"
	write_cfg "$d/zc.ini" "$d" $csum
	zc_replay "p$csum" "$d/zc.ini"
	rc=$?
	[ $rc -eq 0 ] || { tail -20 "$ZC_TMP/p$csum.out"; fail "ipv4_checksum = $csum: zcpipe exited $rc"; }
	res=$(check $csum "$d" "$ZC_TMP/p$csum.json") ||
		{ echo "$res"; fail "ipv4_checksum = $csum: wrong result"; }
	pass "filter, ipv4_checksum = $csum, $NPKTS frames from $(ls "$REAL_PCAPS"/*.pcap | wc -l) captures: $res"
done

# ---- generated edge cases ----
EDGE=$ZC_ROOT/pcaps/parse-edge.pcap
[ -f "$EDGE" ] && [ -f "${EDGE%.pcap}.expect" ] ||
	fail "missing $EDGE or its .expect (run scripts/gen_parse_pcaps.py)"

check_edge() { # check_edge MODE OUTDIR JSON
	$PY - "$EDGE" "${EDGE%.pcap}.expect" "$@" <<'EOP'
import json, sys
from scapy.utils import RawPcapReader

pcap, expect, mode, outdir, js = sys.argv[1:6]
L2 = ("l2_truncated", "vlan_truncated", "vlan_too_many")


def frames(path):
    r = RawPcapReader(path)
    try:
        return [bytes(d) for d, _m in r]
    finally:
        r.close()


inp = frames(pcap)
fates = [l.split() for l in open(expect)]
if len(fates) != len(inp):
    sys.exit("%d frames but %d fates" % (len(inp), len(fates)))
want_out, want_drops = [], {}
for b, (fate, name) in zip(inp, fates):
    if fate == "forward" or (mode == "l2-xconnect" and fate not in L2):
        want_out.append((b, name))
    else:
        want_drops[fate] = want_drops.get(fate, 0) + 1
err = []
got = frames(outdir + "/port1.pcap")
if got != [b for b, _n in want_out]:
    names = [n for b, n in want_out if b not in got]
    extra = len([g for g in got if g not in [b for b, _n in want_out]])
    err.append("port 1: %d frames, expected %d; missing %s, %d unexpected"
               % (len(got), len(want_out), names, extra))
s = json.load(open(js))
drops = {k: v for k, v in s["drops"].items() if v}
if drops != want_drops:
    err.append("drops %s, expected %s" % (drops, want_drops))
if s["rx"] != len(inp) or s["leaked_mbufs"] or not s["balanced"]:
    err.append("rx %d of %d, leaked %d, balanced %s"
               % (s["rx"], len(inp), s["leaked_mbufs"], s["balanced"]))
for e in err:
    print(e)
if err:
    sys.exit(1)
print("%d frames, %d forwarded, %d drop reasons"
      % (len(inp), len(want_out), len(want_drops)))
EOP
}

for mode in filter l2-xconnect; do
	d="$ZC_TMP/edge-$mode"
	mkdir -p "$d"
	csum=drop
	[ $mode = filter ] || csum=pass
	write_cfg "$d/zc.ini" "$d" $csum "$EDGE" $mode
	zc_replay "e$mode" "$d/zc.ini"
	rc=$?
	[ $rc -eq 0 ] || { tail -20 "$ZC_TMP/e$mode.out"; fail "edge cases, $mode: zcpipe exited $rc"; }
	res=$(check_edge $mode "$d" "$ZC_TMP/e$mode.json") ||
		{ echo "$res"; fail "edge cases, $mode: wrong result"; }
	pass "edge cases, $mode: $res"
done
