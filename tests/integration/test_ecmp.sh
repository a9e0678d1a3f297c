#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Multipath routes (ECMP, docs/control.md and docs/routing.md): a route with
# four next hops, one per egress port, each a static neighbour.
#  A. Replay of 1,000 UDP flows, 3 packets each, through
#     "10.1.0.0/16 via 10.0.1.2 via 10.0.2.2 via 10.0.3.2 via 10.0.4.2"
#     from the routes file: every packet leaves, every packet of a flow by
#     the same port, and each port carries 250 flows +-15%.
#  B. Live, through a veth pair (net_af_packet): the 1,000 flows sent
#     once, then the fourth next hop removed with zcctl route replace,
#     then the flows sent again: flows on the three that stay keep their
#     port, the fourth's move to the others, which then carry 333 +-15%.
#     Both phases leave every packet; exit 0, balanced, no leak.
source "$(dirname "$0")/lib.sh"

ZCCTL=$ZC_ROOT/scripts/zcctl
GEN=$ZC_ROOT/tests/integration/ctlgen.py
T=$ZC_TMP

$PY "$GEN" flows "$T/flows.pcap" 1000 3 1 || fail ctlgen
$PY "$GEN" traffic "$T/empty.pcap" 10.0.0.2 10.1.0.5 || fail ctlgen
echo "10.1.0.0/16 via 10.0.1.2 via 10.0.2.2 via 10.0.3.2 via 10.0.4.2" >"$T/r.routes"
for i in 1 2 3 4; do echo "10.0.$i.2 02:00:00:00:00:b$i"; done >"$T/r.neighbours"

write_cfg() { # write_cfg FILE PORT0-DEV OUTDIR
	{
		printf '[general]\nmode = router\nreplay_timeout = 20\n\n'
		printf '[port.0]\ndev = %s\nmac = 02:00:00:00:00:a0\nipv4 = 10.0.0.1/24\n\n' "$2"
		for i in 1 2 3 4; do
			printf '[port.%d]\ndev = net_pcap_m%d,rx_pcap=%s/empty.pcap,tx_pcap=%s/port%d.pcap\n' \
				"$i" "$i" "$T" "$3" "$i"
			printf 'mac = 02:00:00:00:00:a%d\nipv4 = 10.0.%d.1/24\n\n' "$i" "$i"
		done
		printf '[route]\nroutes = %s/r.routes\nneighbours = %s/r.neighbours\n' "$T" "$T"
	} >"$1"
}

# egress OUTDIR: "flow phase port" per packet out of ports 1-4
egress() {
	$PY - "$1" <<'EOP'
import re, struct, sys
for port in (1, 2, 3, 4):
    data = open("%s/port%d.pcap" % (sys.argv[1], port), "rb").read()
    off = 24
    while off < len(data):
        caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        m = re.search(rb"F(\d+)P(\d)", frame)
        if m:
            print(m.group(1).decode(), m.group(2).decode(), port)
EOP
}

# ---- A: replay ------------------------------------------------------------
mkdir -p "$T/a"
write_cfg "$T/a.ini" "net_pcap_m0,rx_pcap=$T/flows.pcap" "$T/a"
zc_replay ecmpa "$T/a.ini"
rc=$?
[ $rc -eq 0 ] || { tail -20 "$T/ecmpa.out"; fail "replay exited $rc"; }
egress "$T/a" >"$T/a.egress"
res=$($PY - "$T/a.egress" "$T/ecmpa.json" <<'EOP'
import json, sys
port_of, split, n = {}, set(), 0
for line in open(sys.argv[1]):
    flow, _, port = line.split()
    n += 1
    if port_of.setdefault(flow, port) != port:
        split.add(flow)
count = {p: sum(1 for v in port_of.values() if v == p) for p in "1234"}
s = json.load(open(sys.argv[2]))
err = []
if n != 3000 or len(port_of) != 1000:
    err.append("%d packets of %d flows left, expected 3000 of 1000" % (n, len(port_of)))
if split:
    err.append("%d flows split across ports" % len(split))
bad = {p: c for p, c in count.items() if not 212 <= c <= 288}
if bad:
    err.append("flows per port %s, expected 250 +-15%%" % count)
if not s["balanced"] or s["leaked_mbufs"] or s["dropped"]:
    err.append("dropped %d, balanced %s, leaked %d" % (s["dropped"], s["balanced"], s["leaked_mbufs"]))
print("; ".join(err) if err else "flows per port %s, no flow split" % count)
sys.exit(1 if err else 0)
EOP
) || fail "replay: $res"
pass "replay through a 4-way route: $res"

# ---- B: live removal of a next hop ----------------------------------------
V0=zE0-$$
VA=zEa-$$
ip link add "$V0" type veth peer name "$VA" || fail "cannot create a veth pair"
trap 'zc_cleanup; ip link del "$V0" 2>/dev/null' EXIT
for v in "$V0" "$VA"; do
	sysctl -qw "net.ipv6.conf.$v.disable_ipv6=1"
	ip link set "$v" up
done
ip link set "$V0" address 02:00:00:00:00:a0
$PY "$GEN" flows "$T/p1.pcap" 1000 1 1 || fail ctlgen
$PY "$GEN" flows "$T/p2.pcap" 1000 1 2 || fail ctlgen
mkdir -p "$T/b"
write_cfg "$T/b.ini" "net_af_packet0,iface=$V0" "$T/b"
PREFIX=zct-ecmpb-$$
SOCK=/var/run/dpdk/$PREFIX/zcpipe_control
zc_start ecmpb -f "$T/b.ini" --summary-json "$T/ecmpb.json"
for i in $(seq 100); do
	[ -S "$SOCK" ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$T/ecmpb.out"; fail "zcpipe exited"; }
	sleep 0.1
done
[ -S "$SOCK" ] || { cat "$T/ecmpb.out"; fail "no control socket"; }
sleep 1 # af_packet: let the port settle before sending

zcctl() { $PY "$ZCCTL" -f "$PREFIX" "$@"; }
hits() { zcctl --json route show 10.1.0.1 | $PY -c "import json,sys; print(json.load(sys.stdin)['match']['hits'])"; }
send() { # send PCAP: every frame of PCAP into the veth, paced
	$PY - "$VA" "$1" <<'EOP'
import socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
data = open(sys.argv[2], "rb").read()
off = 24
while off < len(data):
    caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
    s.send(data[off + 16:off + 16 + caplen])
    off += 16 + caplen
    time.sleep(0.0002)
EOP
}
wait_hits() { # wait_hits N: until the route counted N packets
	local i h
	for i in $(seq 100); do
		h=$(hits)
		[ "$h" -ge "$1" ] && break
		sleep 0.1
	done
	[ "$h" -eq "$1" ] || fail "the route counted $h packets, expected $1"
}
send "$T/p1.pcap" || fail "cannot send into $VA"
wait_hits 1000
out=$(zcctl route replace 10.1.0.0/16 via 10.0.1.2 via 10.0.2.2 via 10.0.3.2) ||
	fail "route replace: $out"
[ "$out" = "replaced 10.1.0.0/16 via 10.0.1.2 port 1 via 10.0.2.2 port 2 via 10.0.3.2 port 3 via 10.0.4.2 port 4 by 10.1.0.0/16 via 10.0.1.2 port 1 via 10.0.2.2 port 2 via 10.0.3.2 port 3" ] ||
	fail "route replace said: $out"
got=$(zcctl --json route show 10.1.0.1 | $PY -c "import json,sys; print(len(json.load(sys.stdin)['match']['nexthops']))")
[ "$got" = 3 ] || fail "route show lists $got next hops"
send "$T/p2.pcap" || fail "cannot send into $VA"
wait_hits 2000
kill -TERM "$ZC_PID"
wait "$ZC_PID"
rc=$?
[ $rc -eq 0 ] || { tail -20 "$T/ecmpb.out"; fail "zcpipe exited $rc"; }
egress "$T/b" >"$T/b.egress"
res=$($PY - "$T/b.egress" "$T/ecmpb.json" <<'EOP'
import json, sys
port = {"1": {}, "2": {}}
for line in open(sys.argv[1]):
    flow, phase, p = line.split()
    port[phase][flow] = p
err = []
if len(port["1"]) != 1000 or len(port["2"]) != 1000:
    err.append("%d and %d flows left, expected 1000 each" % (len(port["1"]), len(port["2"])))
stayed = moved = wrong = 0
for flow, p1 in port["1"].items():
    p2 = port["2"].get(flow)
    if p1 != "4":
        stayed += p2 == p1
        wrong += p2 != p1
    else:
        moved += p2 in ("1", "2", "3")
        wrong += p2 not in ("1", "2", "3")
if wrong:
    err.append("%d flows moved that should not have (or did not move off port 4)" % wrong)
count = {p: sum(1 for v in port["2"].values() if v == p) for p in "1234"}
if count["4"] or any(not 283 <= count[p] <= 383 for p in "123"):
    err.append("after the removal, flows per port %s, expected 333 +-15%% on 1-3" % count)
s = json.load(open(sys.argv[2]))
if not s["balanced"] or s["leaked_mbufs"]:
    err.append("balanced %s, leaked %d" % (s["balanced"], s["leaked_mbufs"]))
print("; ".join(err) if err else
      "%d flows kept their port, %d moved off the removed one; then %s"
      % (stayed, moved, count))
sys.exit(1 if err else 0)
EOP
) || fail "removal: $res"
pass "next hop removed under traffic: $res"
