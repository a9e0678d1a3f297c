#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# net_af_xdp ports shut down clean (issue 11). Two namespaces A and B, each
# joined to the root namespace by a veth pair whose root ends zcpipe drives
# with net_af_xdp (zero copy on its packet pool), cross-connected:
#
#   ns A --veth-- port 0 (net_af_xdp) ==zcpipe== port 1 (net_af_xdp) --veth-- ns B
#
# A sends 300 distinct frames; B must receive them; SIGTERM must then give
# exit 0 with the summary, every packet accounted for, and no leak: DPDK
# 22.11's af_xdp driver keeps the 2048 mbufs of each RX fill queue even
# after close (drivers-config/net_af_xdp.ini: keeps_rx_mbufs), which the
# leak check reports apart, and sent mbufs come back from its completion
# queue before close. (Before: "mbuf leak: ... 4098 missing", exit 3.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netns.sh"
zc_netns_init x
N=300

host() { # host NS VETH PEER
	ip netns add "$1" || fail "cannot create namespace $1"
	ip link add "$3" type veth peer name "$2" netns "$1" ||
		fail "cannot create veth $3"
	echo 1 >"/proc/sys/net/ipv6/conf/$3/disable_ipv6"
	ip link set "$3" arp off up
	# Keep the kernel quiet on the test link: only the test's frames.
	ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
	ip netns exec "$1" ip link set "$2" arp off up
}
host "$NS_A" "$VA" "$V0"
host "$NS_B" "$VB" "$V1"

cat >"$ZC_TMP/afxdp.ini" <<EOC
[port.0]
dev = net_af_xdp_x0,iface=$V0

[port.1]
dev = net_af_xdp_x1,iface=$V1

[forward]
map = 0->1, 1->0
EOC
zc_start afxdp -f "$ZC_TMP/afxdp.ini" --summary-json "$ZC_TMP/afxdp.json"
for i in $(seq 100); do
	[ -S "/var/run/dpdk/zct-afxdp-$$/dpdk_telemetry.v2" ] && break
	kill -0 "$ZC_PID" 2>/dev/null ||
		{ cat "$ZC_TMP/afxdp.out"; fail "zcpipe exited at start"; }
	sleep 0.1
done
# Let the sockets bind before sending.
sleep 2
kill -0 "$ZC_PID" 2>/dev/null || { cat "$ZC_TMP/afxdp.out"; fail "zcpipe exited"; }

# B captures while A sends N distinct frames.
inB $PY - "$VB" "$N" >"$ZC_TMP/sniff.out" 2>&1 <<'EOP' &
import sys
from scapy.all import sniff
n = int(sys.argv[2])
got = sniff(iface=sys.argv[1], count=n, timeout=20,
            lfilter=lambda p: p.haslayer("UDP") and p["UDP"].dport == 7777)
print(len(got))
EOP
spid=$!
sleep 1
inA $PY - "$VA" "$N" <<'EOP' || fail "A cannot send"
import sys
from scapy.all import IP, UDP, Ether, sendp
n = int(sys.argv[2])
sendp([Ether(src="02:00:00:00:0a:01", dst="02:00:00:00:0b:01") /
       IP(src="10.7.0.1", dst="10.7.0.2") / UDP(sport=i + 1, dport=7777) /
       (b"%05d" % i * 10) for i in range(n)], iface=sys.argv[1], verbose=False)
EOP
wait $spid
got=$(tail -1 "$ZC_TMP/sniff.out")
[ "$got" = "$N" ] || { cat "$ZC_TMP/sniff.out"; fail "B received ${got:-0} of $N frames"; }

kill -TERM "$ZC_PID"
wait "$ZC_PID"
rc=$?
[ $rc -eq 0 ] || { grep -v '^lib' "$ZC_TMP/afxdp.out" | tail -20; fail "exit status $rc after SIGTERM"; }
grep -q "zcpipe summary" "$ZC_TMP/afxdp.out" || fail "no summary"
grep -q "net_af_xdp driver keeps the 2048 mbufs" "$ZC_TMP/afxdp.out" ||
	{ cat "$ZC_TMP/afxdp.out"; fail "no word about the mbufs the driver keeps"; }
$PY - "$ZC_TMP/afxdp.json" "$N" <<'EOP' || fail "summary is wrong"
import json, sys
s = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
p0, p1 = s["ports"]
assert p0["rx_pkts"] >= n and p1["tx_pkts"] >= n, s["ports"]
assert s["balanced"] and s["rx"] + s["clones"] == s["tx"] + s["dropped"], s
assert s["leaked_mbufs"] == 0, s["leaked_mbufs"]
assert s["driver_kept_mbufs"] == 2 * 2048, s["driver_kept_mbufs"]
print("rx %d tx %d, no leak, %d mbufs kept by the driver" %
      (s["rx"], s["tx"], s["driver_kept_mbufs"]))
EOP
pass "net_af_xdp: $N frames A->B, clean exit, no leak"
