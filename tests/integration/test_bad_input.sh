#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Bad configurations and bad captures: zcpipe must stop before any port
# starts, exit non-zero, and print the documented message naming the file,
# line, section and key (docs/configuration.md, "Errors").
source "$(dirname "$0")/lib.sh"
cd "$ZC_TMP"
P=$ZC_ROOT/pcaps/default.pcap
$PY -c "
from scapy.all import IP, UDP, wrpcap
wrpcap('rawip.pcap', [IP(dst='10.0.0.1')/UDP()] * 3)
" 2>/dev/null || fail "cannot write rawip.pcap"
echo "not a capture" > text.pcap
# Five whole records and the start of a sixth.
$PY - "$P" <<'EOP' || fail "cannot write cut.pcap"
import struct, sys
data = open(sys.argv[1], "rb").read()
off = 24
for _ in range(5):
    off += 16 + struct.unpack_from("<I", data, off + 8)[0]
open("cut.pcap", "wb").write(data[:off + 16 + 10])
EOP

n=0
expect_error() { # expect_error CONFIG-TEXT EXPECTED-MESSAGE [zcpipe args]
	local text=$1 want=$2; shift 2
	n=$((n + 1))
	printf '%b' "$text" > "c$n.ini"
	timeout -k 5 60 "$ZCPIPE" $(zc_eal_args "bad$n") -- -f "c$n.ini" "$@" \
		>"c$n.out" 2>&1
	local rc=$?
	[ $rc -ne 0 ] || fail "case $n: exit 0 for a bad input"
	[ $rc -ne 124 ] || fail "case $n: hung"
	[ $rc -eq 1 ] || { cat "c$n.out"; fail "case $n: exit status $rc, expected 1"; }
	grep -qF -- "$want" "c$n.out" ||
		{ cat "c$n.out"; fail "case $n: no message '$want'"; }
	if grep -q "zcpipe summary" "c$n.out"; then
		fail "case $n: the pipeline ran"
	fi
	pass "case $n: $want"
}

OK_PORT="[port.0]\ndev = net_pcap0,rx_pcap=$P\n[forward]\nmap = 0->0\n"

expect_error "[general]\nbogus = 1\n$OK_PORT" \
	"c1.ini:2: [general] bogus: unknown key (this section takes: mode, burst,"
expect_error "[general]\nburst = 1000\n$OK_PORT" \
	"c2.ini:2: [general] burst: expected an integer from 1 to 64, got '1000'"
expect_error "[general]\nmode = bridge\n$OK_PORT" \
	"c3.ini:2: [general] mode: expected l2-xconnect, router or filter, got 'bridge'"
expect_error "[port.0]\ndev = net_nosuch0\n[forward]\nmap = 0->0\n" \
	"c4.ini:2: [port.0] dev: cannot probe 'net_nosuch0'"
expect_error "[port.0]\ndev = 0000:00:1f.7\n[forward]\nmap = 0->0\n" \
	"c5.ini:2: [port.0] dev: cannot probe '0000:00:1f.7'"
expect_error "${OK_PORT}[pipeline.0]\nrx = 0:0\nstages = rx parse | forward | tx\n" \
	"c6.ini:5: [pipeline.0]: the stage placement needs 3 worker lcore(s) but the EAL has 1"
expect_error "[port.0]\ndev = net_pcap0,rx_pcap=$ZC_TMP/missing.pcap\n[forward]\nmap = 0->0\n" \
	"c7.ini:2: [port.0] dev: rx_pcap '$ZC_TMP/missing.pcap': cannot read: No such file or directory"
expect_error "[port.0]\ndev = net_pcap0,rx_pcap=rawip.pcap\n[forward]\nmap = 0->0\n" \
	"c8.ini:2: [port.0] dev: rx_pcap 'rawip.pcap': link type 228 (IPV4) is not Ethernet"
expect_error "[port.0]\ndev = net_pcap0,rx_pcap=text.pcap\n[forward]\nmap = 0->0\n" \
	"c9.ini:2: [port.0] dev: rx_pcap 'text.pcap': not a pcap capture"
expect_error "[port.0]\ndev = net_pcap0,rx_pcap=$P\n[forwrd]\nmap = 0->0\n" \
	"c10.ini:3: [forwrd]: unknown section (known: general, port.N, forward, pipeline.N"
expect_error "[port.0]\ndev = net_pcap0,rx_pcap=$P\n[forward]\nmap = 0->1\n" \
	"c11.ini:4: [forward] map: '0->1' names a port that is not configured (ports 0 to 0 exist)"
expect_error "${OK_PORT}[pipeline.0]\nrx = 0:0\nstages = rx parse forward\n" \
	"c12.ini:7: [pipeline.0] stages: the last stage must be a sink such as tx, not 'forward'"
expect_error "${OK_PORT}[pipeline.0]\nrx = 0:0\nstages = rx parse frobnicate tx\n" \
	"c13.ini:7: [pipeline.0] stages: unknown stage 'frobnicate' (stages:"
expect_error "${OK_PORT}[pipeline.0]\nrx = 0:5\n" \
	"c14.ini:6: [pipeline.0] rx: port 0 has 1 rx queue(s); queue 5 does not exist"
expect_error "[general]\nmode = l2-xconnect\n[general]\nburst = 8\n$OK_PORT" \
	"c15.ini:3: section [general] appears twice (first at line 1)"
expect_error "[port.0]\nrx_queues = 1\n" "c16.ini:1: [port.0] dev: missing"
# An empty stage group used to pass and crash a worker (issue 11).
expect_error "${OK_PORT}[pipeline.0]\nrx = 0:0\nstages = rx parse || forward tx\n" \
	"c17.ini:7: [pipeline.0] stages: '|' must separate two groups of stages"
expect_error "[port.0]\ndev = net_null0\n[forward]\nmap = 0->0\n" \
	"zcpipe: --replay needs at least one port with rx_pcap=FILE" --replay
# Wrong values that used to be accepted (issue 11): octal and hex
# integers, a MAC a port cannot own, a folder for a file, an empty value.
expect_error "[general]\nburst = 010\n$OK_PORT" \
	"c19.ini:2: [general] burst: expected an integer from 1 to 64, got '010' (integers are decimal"
expect_error "[general]\nring_size = 0x40\n$OK_PORT" \
	"c20.ini:2: [general] ring_size: expected an integer from 64 to 65536, got '0x40'"
expect_error "[port.0]\ndev = net_pcap0,rx_pcap=$P\nmac = 01:00:5e:00:00:01\n[forward]\nmap = 0->0\n" \
	"c21.ini:3: [port.0] mac: expected a unicast MAC address such as 02:00:00:00:00:01, got '01:00:5e:00:00:01', a multicast address"
expect_error "[general]\nmode = router\n[port.0]\ndev = net_pcap0,rx_pcap=$P\n[route]\nroutes = $ZC_TMP\n" \
	"c22.ini:6: [route] routes: '$ZC_TMP' is a folder, not a file"
expect_error "[general]\nmode = router\n[port.0]\ndev = net_pcap0,rx_pcap=$P\n[route]\nneighbours = $ZC_TMP\n" \
	"c23.ini:6: [route] neighbours: '$ZC_TMP' is a folder, not a file"
expect_error "[general]\nburst =\n$OK_PORT" \
	"c24.ini:2: [general] burst: no value after '='"

# A missing interface is named as such, not "Operation not permitted".
expect_error "[port.0]\ndev = net_af_packet0,iface=zcnosuchif0\n[forward]\nmap = 0->0\n" \
	"c25.ini:2: [port.0] dev: interface zcnosuchif0 does not exist"

# -f FOLDER: named as such, not "no [port.N] section".
timeout -k 5 60 "$ZCPIPE" $(zc_eal_args "dirf") -- -f "$ZC_TMP" >dirf.out 2>&1
rc=$?
[ $rc -eq 1 ] || { cat dirf.out; fail "-f FOLDER: exit status $rc, expected 1"; }
grep -qF "zcpipe: configuration error: $ZC_TMP: is a folder, not a file" dirf.out ||
	{ cat dirf.out; fail "-f FOLDER: no message naming the folder"; }
pass "-f FOLDER: $ZC_TMP: is a folder, not a file"

# A second instance with the same --file-prefix: named as such, not
# "EAL initialisation failed: Success".
printf '[port.0]\ndev = net_null0\n[forward]\nmap = 0->0\n' > dup.ini
eal=$(zc_eal_args dup)
"$ZCPIPE" $eal -- -f dup.ini >dup1.out 2>&1 &
dpid=$!
ZC_PIDS+=("$dpid")
for i in $(seq 100); do
	[ -S "/var/run/dpdk/zct-dup-$$/dpdk_telemetry.v2" ] && break
	kill -0 $dpid 2>/dev/null || { cat dup1.out; fail "dup: the first instance exited"; }
	sleep 0.1
done
timeout -k 5 60 "$ZCPIPE" $eal -- -f dup.ini >dup2.out 2>&1
rc=$?
[ $rc -eq 1 ] || { cat dup2.out; fail "dup: exit status $rc, expected 1"; }
grep -qF "zcpipe: EAL initialisation failed: another DPDK process (pid $dpid) already uses --file-prefix zct-dup-$$" dup2.out ||
	{ cat dup2.out; fail "dup: no message naming the file prefix"; }
kill -0 $dpid 2>/dev/null || fail "dup: the first instance died"
zc_stop_pid $dpid
pass "dup: a second instance on the same --file-prefix is named as such"

# A capture cut short inside a record: the whole records are replayed,
# with a warning naming the file, and nothing else is lost.
whole=5
printf '[port.0]\ndev = net_pcap0,rx_pcap=cut.pcap,tx_pcap=cut-out.pcap\n[forward]\nmap = 0->0\n' > cut.ini
zc_replay cut cut.ini || { cat "$ZC_TMP/cut.out"; fail "cut capture: zcpipe failed"; }
grep -q "cut.pcap" "$ZC_TMP/cut.out" || fail "cut capture: no warning naming the file"
$PY - "$ZC_TMP/cut.json" "$whole" <<'EOP' || fail "cut capture: wrong counts"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["rx"] == int(sys.argv[2]) and s["balanced"] and s["leaked_mbufs"] == 0, s
EOP
pass "cut capture: $whole whole record(s) replayed, with a warning"
