#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Live capture with Debian's dpdk-dumpcap from a running zcpipe (which calls
# rte_pdump_init()): RX side of a net_pcap infinite_rx port and TX side of a
# net_null port, each with a BPF filter. The captured frames must be frames
# of the input capture, byte for byte, and all match the filter; zcpipe must
# keep forwarding after the capture ends and exit balanced with no mbuf lost.
#
# dumpcap is a secondary process: it needs the primary's --file-prefix and
# hugepages (a --no-huge primary cannot share its memory).
source "$(dirname "$0")/lib.sh"

DUMPCAP=${DUMPCAP:-/usr/bin/dpdk-dumpcap}
[ -x "$ZCPIPE" ] || fail "no $ZCPIPE (make all)"
[ -x "$DUMPCAP" ] || fail "no $DUMPCAP (Debian package dpdk)"
zc_have_hugepages || fail "dpdk-dumpcap needs hugepages shared with zcpipe; none free"

$PY - "$ZC_TMP/in.pcap" <<'EOP' || fail "cannot write the test capture"
import sys
from scapy.all import Ether, IP, IPv6, UDP, TCP, Dot1Q, Raw, wrpcap
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
pk = []
for i in range(48):
    k = i % 4
    if k < 2:
        pk.append(e / IP(src="10.0.0.%d" % (i + 1), dst="10.9.0.1") /
                  UDP(sport=1000 + i, dport=2000) / Raw(bytes([i]) * 40))
    elif k == 2:
        pk.append(e / IP(src="10.1.0.%d" % (i + 1), dst="10.9.0.2") /
                  TCP(sport=3000 + i, dport=80) / Raw(bytes([i]) * 40))
    else:
        pk.append(e / Dot1Q(vlan=7) / IPv6(src="2001:db8::%x" % (i + 1),
                  dst="2001:db8:1::1") / UDP(sport=5, dport=6) / Raw(bytes([i]) * 40))
wrpcap(sys.argv[1], pk)
EOP

cat >"$ZC_TMP/cap.ini" <<EOC
[general]
mode = l2-xconnect

[port.0]
dev = net_pcap0,rx_pcap=$ZC_TMP/in.pcap,infinite_rx=1

[port.1]
dev = net_null1

[pipeline.0]
rx = 0:0
stages = rx parse forward tx

[forward]
map = 0->1
EOC

PREFIX=zct-cap-$$
"$ZCPIPE" $(zc_eal_args cap) -- -f "$ZC_TMP/cap.ini" \
	--summary-json "$ZC_TMP/cap.json" >"$ZC_TMP/cap.out" 2>&1 &
ZC_PID=$!
ZC_PIDS+=("$ZC_PID")
for _ in $(seq 100); do
	[ -S "/var/run/dpdk/$PREFIX/dpdk_telemetry.v2" ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$ZC_TMP/cap.out" >&2; fail "zcpipe exited"; }
	sleep 0.1
done
sleep 0.5

# capture NAME IFACE FILTER COUNT FORMAT-FLAG
capture() {
	local out=$ZC_TMP/$1.cap rc
	timeout -k 5 30 "$DUMPCAP" --file-prefix="$PREFIX" -i "$2" -f "$3" \
		-c "$4" $5 -w "$out" >"$ZC_TMP/$1.log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || { cat "$ZC_TMP/$1.log" >&2; fail "dumpcap $1 exited $rc"; }
	[ -s "$out" ] || fail "dumpcap $1 wrote nothing"
}

# RX side of port 0 (by name), pcapng; TX side of port 1 (by index), pcap.
capture rx_tcp net_pcap0 "tcp dst port 80" 20 ""
capture tx_v6 1 "vlan and ip6 and udp port 6" 10 -P
capture rx_all 0 "" 100 -P

$PY - "$ZC_TMP/in.pcap" "$ZC_TMP" <<'EOP' || fail "captured packets are wrong"
import sys
from scapy.all import rdpcap, Dot1Q, IPv6, TCP
inp = {bytes(p) for p in rdpcap(sys.argv[1])}
d = sys.argv[2]
def load(name, minimum):
    pk = rdpcap("%s/%s.cap" % (d, name))
    assert len(pk) >= minimum, "%s: %d packets, wanted %d" % (name, len(pk), minimum)
    for p in pk:
        assert bytes(p) in inp, "%s: a frame that zcpipe never received: %r" % (name, bytes(p)[:40])
    return pk
for p in load("rx_tcp", 20):
    assert TCP in p and p[TCP].dport == 80, p.summary()
for p in load("tx_v6", 10):
    assert Dot1Q in p and p[Dot1Q].vlan == 7 and IPv6 in p, p.summary()
allp = load("rx_all", 100)
assert len({bytes(p) for p in allp}) >= 40, "an unfiltered capture of a looping 48-frame input"
print("captured: tcp %d, v6 %d, all %d" % (len(rdpcap(d + "/rx_tcp.cap")),
      len(rdpcap(d + "/tx_v6.cap")), len(allp)))
EOP

# zcpipe forwards on once the capture is gone, and exits cleanly.
$PY - "$PREFIX" <<'EOP' || fail "zcpipe stopped forwarding after the capture"
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect("/var/run/dpdk/%s/dpdk_telemetry.v2" % sys.argv[1])
s.recv(1024)
def tx():
    s.send(b"/zcpipe/stats")
    return json.loads(s.recv(65536))["/zcpipe/stats"]["tx"]
a = tx(); time.sleep(0.3); b = tx()
assert b > a, (a, b)
EOP
kill -TERM "$ZC_PID"
wait "$ZC_PID"
rc=$?
[ $rc -eq 0 ] || { tail -20 "$ZC_TMP/cap.out" >&2; fail "zcpipe exited $rc after the capture"; }
$PY -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["balanced"] and s["leaked_mbufs"] == 0, s' \
	"$ZC_TMP/cap.json" || fail "summary not balanced after the capture"
pass "dpdk-dumpcap captured RX and TX with BPF filters; frames are exact"
