#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# TCP through zcpipe on untouched kernel interfaces. Two namespaces, A and
# B, each joined to the root namespace by a veth pair left with the
# kernel's default offloads (no ethtool here); zcpipe cross-connects the
# root-side ends with net_af_packet:
#
#   ns A 10.77.0.1/24 --veth-- port 0 ==zcpipe== port 1 --veth-- ns B 10.77.0.2/24
#
#  - kernel_offloads = fix (the default): zcpipe turns off the veth peers'
#    transmit checksum offloads (which hand it partially checksummed TSO
#    frames), says so, and a 2-second iperf3 TCP transfer A->B completes;
#    the AF_PACKET ring's drops show as kernel_ring_full in telemetry and
#    in the summary; the accounting balances. The undo command it prints
#    restores the offloads, and the same holds with net_af_xdp ports.
#  - kernel_offloads = keep: zcpipe leaves the offloads, warns with the
#    exact ethtool command, and TCP does not connect (what every user saw
#    before).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netns.sh"
zc_netns_init k

ip netns add "$NS_A" && ip netns add "$NS_B" || fail "cannot create namespaces"
ip link add "$V0" type veth peer name "$VA" netns "$NS_A" || fail "veth $V0"
ip link add "$V1" type veth peer name "$VB" netns "$NS_B" || fail "veth $V1"
for v in "$V0" "$V1"; do
	echo 1 >"/proc/sys/net/ipv6/conf/$v/disable_ipv6"
	ip link set "$v" up
done
inA ip link set lo up; inA ip link set "$VA" up; inA ip addr add 10.77.0.1/24 dev "$VA"
inB ip link set lo up; inB ip link set "$VB" up; inB ip addr add 10.77.0.2/24 dev "$VB"
inA ethtool -k "$VA" | grep -q '^tx-checksumming: on' ||
	fail "the veth's default has tx checksumming off here: nothing to test"

# run_zc NAME [MODE [DRIVER]]: start zcpipe with kernel_offloads = MODE
# (default if empty) on DRIVER ports (net_af_packet if not given).
run_zc() {
	local key=${2:+kernel_offloads = $2} drv=${3:-net_af_packet}
	cat >"$ZC_TMP/$1.ini" <<EOC
[port.0]
dev = ${drv}_k0,iface=$V0
$key

[port.1]
dev = ${drv}_k1,iface=$V1
$key

[forward]
map = 0->1, 1->0
EOC
	ZC_PREFIXES+=("zct-$1-$$")
	"$ZCPIPE" $(zc_eal_args "$1" | sed 's/\*:warning/*:notice/') -- -f "$ZC_TMP/$1.ini" \
		--summary-json "$ZC_TMP/$1.json" >"$ZC_TMP/$1.out" 2>&1 &
	ZC_PID=$!
	ZC_PIDS+=("$ZC_PID")
	wait_ping 10.77.0.2 "$ZC_PID" "$ZC_TMP/$1.out" "$1" ||
		{ cat "$ZC_TMP/$1.out"; fail "$1: no ping through zcpipe"; }
}

iperf() { # iperf NAME PORT: 2-second TCP A->B; output in $ZC_TMP/NAME.iperf
	# ip netns exec execs iperf3: $! is the server itself, which kill stops.
	ip netns exec "$NS_B" iperf3 -s -1 -B 10.77.0.2 -p "$2" >"$ZC_TMP/$1.server" 2>&1 &
	NS_PIDS+=($!)
	for _ in $(seq 50); do
		inB ss -Hltn "sport = :$2" | grep -q . && break
		sleep 0.1
	done
	inA timeout -k 2 20 iperf3 -c 10.77.0.2 -p "$2" -t 2 -J \
		--connect-timeout 3000 >"$ZC_TMP/$1.iperf" 2>&1
	local rc=$?
	kill "${NS_PIDS[-1]}" 2>/dev/null
	wait "${NS_PIDS[-1]}" 2>/dev/null
	# iperf3 -J exits 0 even when it cannot connect: read its verdict.
	grep -q '"error"' "$ZC_TMP/$1.iperf" && return 1
	return $rc
}

# ---- keep: the offloads stay, a warning says what to run, TCP fails --------
run_zc keep keep
grep -q "port 0: its veth peer $VA has tx-checksum-ip-generic.* on: TCP through zcpipe will fail.* run: ip netns exec $NS_A ethtool -K $VA tx off" \
	"$ZC_TMP/keep.out" || { cat "$ZC_TMP/keep.out"; fail "keep: no warning with the ethtool command"; }
inA ethtool -k "$VA" | grep -q '^tx-checksumming: on' || fail "keep: the peer's offloads were changed"
if iperf keep 5201; then
	tail -30 "$ZC_TMP/keep.iperf"
	fail "keep: TCP went through with the peer's offloads on (the test proves nothing)"
fi
zc_stop_pid "$ZC_PID"
pass "kernel_offloads = keep: offloads left on, exact ethtool command logged, TCP fails"

# ---- fix (the default): offloads turned off, TCP flows -----------------------
run_zc fix
grep -q "port 0: kernel_offloads = fix: turned off on its veth peer $VA: tx-checksum-ip-generic" "$ZC_TMP/fix.out" &&
	grep -q "port 1: kernel_offloads = fix: turned off on its veth peer $VB: tx-checksum-ip-generic" "$ZC_TMP/fix.out" ||
	{ cat "$ZC_TMP/fix.out"; fail "fix: zcpipe did not say what it turned off"; }
inA ethtool -k "$VA" | grep -q '^tx-checksumming: off' || fail "fix: the peer's tx checksumming is still on"
iperf fix 5202 || { tail -n 20 "$ZC_TMP/fix.iperf" "$ZC_TMP/fix.server"; grep -v "^ " "$ZC_TMP/fix.out" | tail; fail "fix: iperf3 TCP A->B failed"; }
$PY - "$ZC_TMP/fix.iperf" <<'EOP' || fail "iperf3 moved too little"
import json, sys
r = json.load(open(sys.argv[1]))["end"]
b = r["sum_received"]["bytes"]
print("iperf3: %.1f Mbit/s, %d bytes, %d retransmits" %
      (r["sum_received"]["bits_per_second"] / 1e6, b, r["sum_sent"].get("retransmits", 0)))
sys.exit(0 if b > 1000000 else 1)
EOP
# The AF_PACKET ring's drops are a named reason of the port.
timeout 20 $PY "$ZC_ROOT/scripts/zcstat" -f "zct-fix-$$" --once --json >"$ZC_TMP/snap.json" ||
	fail "zcstat --once --json"
zc_stop_pid "$ZC_PID"
$PY - "$ZC_TMP/snap.json" "$ZC_TMP/fix.json" <<'EOP' || { cat "$ZC_TMP/fix.out"; fail "summary"; }
import json, sys
snap = json.load(open(sys.argv[1]))
for p in ("0", "1"):
    assert "kernel_ring_full" in snap["ports"]["ports"][p]["drops"], snap["ports"]["ports"][p]
assert "kernel_ring_full" in snap["drops"]["nic"], snap["drops"]
s = json.load(open(sys.argv[2]))
kd = [p["kernel_drops"]["kernel_ring_full"] for p in s["ports"]]
print("zcpipe: rx %d tx %d, kernel ring drops per port %s" % (s["rx"], s["tx"], kd))
assert s["balanced"] and not s["leaked_mbufs"], s
assert s["tx"] > 1000, s["tx"]
EOP
pass "kernel_offloads = fix: peer offloads turned off and said so; iperf3 TCP through zcpipe on untouched veths; ring drops named"

# ---- the printed undo command, then the same with net_af_xdp ------------------
undo=$(sed -n "s/.*port 0: kernel_offloads = fix: .*to undo: \(.*\))$/\1/p" "$ZC_TMP/fix.out")
[ -n "$undo" ] || fail "no undo command in: $(grep 'port 0' "$ZC_TMP/fix.out")"
eval "$undo" >/dev/null || fail "the undo command failed: $undo"
inA ethtool -k "$VA" | grep -q '^tx-checksumming: on' || fail "'$undo' did not restore the offloads"
inB ethtool -K "$VB" tx on >/dev/null
run_zc xdp "" net_af_xdp
grep -q "port 0: kernel_offloads = fix: turned off on its veth peer $VA" "$ZC_TMP/xdp.out" ||
	{ cat "$ZC_TMP/xdp.out"; fail "af_xdp: zcpipe did not say what it turned off"; }
iperf xdp 5203 || { tail -20 "$ZC_TMP/xdp.iperf"; cat "$ZC_TMP/xdp.out"; fail "af_xdp: iperf3 TCP A->B failed"; }
timeout 20 $PY "$ZC_ROOT/scripts/zcstat" -f "zct-xdp-$$" --once --json >"$ZC_TMP/snap.json" ||
	fail "zcstat --once --json (af_xdp)"
zc_stop_pid "$ZC_PID"
$PY - "$ZC_TMP/xdp.iperf" "$ZC_TMP/snap.json" "$ZC_TMP/xdp.json" <<'EOP' || { cat "$ZC_TMP/xdp.out"; fail "af_xdp summary"; }
import json, sys
r = json.load(open(sys.argv[1]))["end"]
print("iperf3 over af_xdp: %.1f Mbit/s" % (r["sum_received"]["bits_per_second"] / 1e6))
assert r["sum_received"]["bytes"] > 1000000
snap = json.load(open(sys.argv[2]))
assert "xdp_rx_ring_full" in snap["ports"]["ports"]["0"]["drops"], snap["ports"]["ports"]["0"]
s = json.load(open(sys.argv[3]))
assert s["balanced"], s
# The 22.11 af_xdp PMD does not give back the mbufs of its fill ring
# (2048 per queue) and of TX not yet completed when the port closes.
assert s["leaked_mbufs"] <= 2 * (2048 + 64), s["leaked_mbufs"]
EOP
pass "the printed undo command restores the offloads; iperf3 TCP through net_af_xdp ports too"
