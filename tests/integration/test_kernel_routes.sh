#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# [route] source = kernel (docs/control.md): zcpipe runs in a network
# namespace of its own, Z, routing between two hosts, A and B, over veth
# pairs it drives with net_af_packet; each port stands for another
# interface of Z (kernel_iface, one end of a veth pair within Z) that
# carries its subnet, so that `ip route` in Z accepts next hops there:
#
#   ns A 10.0.0.2 --veth-- Z: port 0 (kernel_iface zkd0, 10.0.0.1/24)
#   ns B 10.0.1.2 --veth-- Z: port 1 (kernel_iface zkd1, 10.0.1.1/24)
#   B also holds 10.9.9.9/32
#
# Checks:
#  - ip route add 10.9.0.0/16 via 10.0.1.2 in Z shows in zcctl route show
#    within 100 ms (source kernel), and A's ping to 10.9.9.9 goes through;
#    ip route del takes it out within 100 ms, and the ping fails;
#  - a multipath route (ip route add ... nexthop via ... nexthop via ...)
#    arrives with both next hops;
#  - ip neigh add/del in Z adds and removes a static neighbour;
#  - 10,000 routes added with ip -batch all arrive, and deleted, all go;
#  - zcpipe exits 0, balanced, no mbuf leaked.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netns.sh"
zc_netns_init k

ZCCTL=$ZC_ROOT/scripts/zcctl
NS_Z=zckZ-$ID
D0=zkd0-$ID
D1=zkd1-$ID
trap 'netns_cleanup; ip netns del "$NS_Z" 2>/dev/null' EXIT
inZ() { ip netns exec "$NS_Z" "$@"; }

ip netns add "$NS_Z" || fail "cannot create namespace $NS_Z"
host() { # host NS VETH PEER V4 GW4
	ip netns add "$1" || fail "cannot create namespace $1"
	ip link add "$3" type veth peer name "$2" netns "$1" ||
		fail "cannot create veth $3"
	ip link set "$3" netns "$NS_Z"
	inZ sysctl -qw "net.ipv6.conf.$3.disable_ipv6=1"
	inZ ip link set "$3" arp off up
	inZ ethtool -K "$3" gro off >/dev/null 2>&1
	ip netns exec "$1" ethtool -K "$2" tx off tso off gso off >/dev/null ||
		fail "cannot turn offloads off on $2"
	ip netns exec "$1" ip link set lo up
	ip netns exec "$1" ip link set "$2" up
	ip netns exec "$1" ip addr add "$4" dev "$2"
	ip netns exec "$1" ip route add default via "$5"
}
host "$NS_A" "$VA" "$V0" 10.0.0.2/24 10.0.0.1
host "$NS_B" "$VB" "$V1" 10.0.1.2/24 10.0.1.1
inB ip addr add 10.9.9.9/32 dev lo
inZ ip link set lo up
# The ports' stand-ins: one end of a veth pair each, both ends in Z (the
# kernel here has no dummy interfaces; a TAP would do as well, but has no
# carrier without a process behind it).
for d in "$D0:10.0.0.1/24" "$D1:10.0.1.1/24"; do
	inZ ip link add "${d%%:*}" type veth peer name "p${d%%:*}" ||
		fail "cannot create the veth ${d%%:*}"
	inZ sysctl -qw "net.ipv6.conf.${d%%:*}.disable_ipv6=1" \
		"net.ipv6.conf.p${d%%:*}.disable_ipv6=1"
	inZ ip addr add "${d#*:}" dev "${d%%:*}"
	inZ ip link set "p${d%%:*}" up
	inZ ip link set "${d%%:*}" up
done

cat >"$ZC_TMP/k.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_af_packet_k0,iface=$V0
ipv4 = 10.0.0.1/24
kernel_iface = $D0

[port.1]
dev = net_af_packet_k1,iface=$V1
ipv4 = 10.0.1.1/24
kernel_iface = $D1

[route]
source = kernel
EOC

PREFIX=zct-kmir-$ID
SOCK=/var/run/dpdk/$PREFIX/zcpipe_control
touch "$ZC_TMP/.prefix.$PREFIX"
# ip netns exec execs zcpipe: $! is zcpipe's own PID.
ip netns exec "$NS_Z" "$ZCPIPE" $(zc_eal_args kmir) -- -f "$ZC_TMP/k.ini" \
	--summary-json "$ZC_TMP/k.json" >"$ZC_TMP/k.out" 2>&1 &
ZC_PID=$!
ZC_PIDS+=("$ZC_PID")
for i in $(seq 100); do
	[ -S "$SOCK" ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$ZC_TMP/k.out"; fail "zcpipe exited"; }
	sleep 0.1
done
[ -S "$SOCK" ] || { cat "$ZC_TMP/k.out"; fail "no control socket"; }
wait_ping 10.0.0.1 "$ZC_PID" "$ZC_TMP/k.out" "start-up" ||
	{ cat "$ZC_TMP/k.out"; fail "no answer from 10.0.0.1"; }

zcctl() { $PY "$ZCCTL" -f "$PREFIX" "$@"; }
# seen CMD... : run the ip command in Z, then print the ms until the
# change shows (WANT, a Python expression on the reply r of QUERY)
seen() {
	local query=$1 want=$2; shift 2
	$PY - "$SOCK" "$NS_Z" "$query" "$want" "$@" <<'EOP'
import json, socket, subprocess, sys, time
sock, ns, query, want, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
f = s.makefile("rwb")
subprocess.run(["ip", "netns", "exec", ns] + cmd, check=True)
t0 = time.monotonic()
while time.monotonic() - t0 < 5:
    f.write(query.encode() + b"\n")
    f.flush()
    r = json.loads(f.readline())
    if eval(want):
        print("%.0f" % ((time.monotonic() - t0) * 1000))
        sys.exit(0)
    time.sleep(0.002)
print("never")
sys.exit(1)
EOP
}

# ---- a route in and out ---------------------------------------------------
! inA ping -c 1 -W 1 10.9.9.9 >/dev/null 2>&1 || fail "10.9.9.9 answered before any route"
ms=$(seen "route show 10.9.9.9" 'r["ok"] and r["match"]["source"] == "kernel"' \
	ip route add 10.9.0.0/16 via 10.0.1.2) || fail "the kernel route never showed: $ms"
[ "$ms" -le 100 ] || fail "the kernel route took $ms ms to show"
got=$(zcctl --json route show 10.9.9.9 | $PY -c 'import json,sys; print(json.load(sys.stdin)["match"]["route"])')
[ "$got" = "10.9.0.0/16 via 10.0.1.2 port 1" ] || fail "route show: $got"
inA ping -c 3 -i 0.2 -W 2 10.9.9.9 >"$ZC_TMP/p.out" 2>&1 ||
	{ cat "$ZC_TMP/p.out"; fail "ping to 10.9.9.9 through the kernel's route failed"; }
ms2=$(seen "route show 10.9.9.9" 'not r["ok"]' ip route del 10.9.0.0/16) ||
	fail "the deleted kernel route never went: $ms2"
[ "$ms2" -le 100 ] || fail "the deleted kernel route took $ms2 ms to go"
! inA ping -c 1 -W 1 10.9.9.9 >/dev/null 2>&1 || fail "10.9.9.9 answered after ip route del"
pass "ip route add shows in $ms ms and carries ping; ip route del goes in $ms2 ms"

# ---- multipath, neighbours --------------------------------------------------
ms=$(seen "route show 10.20.0.1" 'r["ok"] and len(r["match"].get("nexthops", [])) == 2' \
	ip route add 10.20.0.0/16 nexthop via 10.0.1.2 nexthop via 10.0.1.3) ||
	fail "the multipath route never showed"
ms2=$(seen "neigh show" 'any(n["addr"] == "10.0.1.7" and n["source"] == "kernel" and n["mac"] == "02:00:00:00:00:77" for n in r["static"])' \
	ip neigh add 10.0.1.7 lladdr 02:00:00:00:00:77 dev "$D1" nud permanent) ||
	fail "the kernel neighbour never showed"
ms3=$(seen "neigh show" 'not any(n["addr"] == "10.0.1.7" for n in r["static"])' \
	ip neigh del 10.0.1.7 dev "$D1") || fail "the deleted kernel neighbour never went"
pass "multipath route in $ms ms; ip neigh add in $ms2 ms, del in $ms3 ms"

# ---- 10,000 routes -------------------------------------------------------------
for i in $(seq 0 9999); do
	echo "route add 20.$((i / 256)).$((i % 256)).0/24 via 10.0.1.2"
done >"$ZC_TMP/add.batch"
sed 's/^route add \([^ ]*\) .*/route del \1/' "$ZC_TMP/add.batch" >"$ZC_TMP/del.batch"
count() { zcctl --json route show | $PY -c 'import json,sys; print(sum(1 for x in json.load(sys.stdin)["routes"] if x["source"] == "kernel"))'; }
t0=$(date +%s%N)
inZ ip -batch "$ZC_TMP/add.batch" || fail "ip -batch add failed"
for i in $(seq 200); do
	n=$(count)
	[ "$n" -ge 10001 ] && break
	sleep 0.1
done
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$n" -eq 10001 ] || fail "$n kernel routes arrived of 10,001"
inZ ip -batch "$ZC_TMP/del.batch" || fail "ip -batch del failed"
for i in $(seq 200); do
	n=$(count)
	[ "$n" -le 1 ] && break
	sleep 0.1
done
[ "$n" -eq 1 ] || fail "$n kernel routes left after deleting 10,000"
pass "10,000 routes from ip -batch all arrived (in $ms ms) and all went"

kill -TERM "$ZC_PID"
wait "$ZC_PID"
rc=$?
[ $rc -eq 0 ] || { tail -30 "$ZC_TMP/k.out"; fail "zcpipe exited $rc"; }
$PY - "$ZC_TMP/k.json" <<'EOP' || fail "accounting"
import json, sys
s = json.load(open(sys.argv[1]))
sys.exit(0 if s["balanced"] and not s["leaked_mbufs"] else 1)
EOP
pass "exit 0, balanced, no leak"
