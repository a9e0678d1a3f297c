#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# zcpipe as a VXLAN tunnel endpoint facing a real Linux VXLAN endpoint.
# Two namespaces joined to the root namespace by veth pairs; zcpipe drives
# the root-side ends with net_af_packet:
#
#   ns A  --veth-- port 0  zcpipe  port 1 (VTEP 10.0.1.1) --veth-- ns B
#                                                     10.0.1.2, vxlan0 (VNI 4242,
#                                                     dstport 4789) 192.168.100.2
#
# Part 1, filter mode (an L2 VTEP): A is 192.168.100.1 on the same overlay
#   subnet as B's vxlan0. The ACL rule "in_port=0 action=vxlan:t0" puts
#   everything from A into the tunnel; what B's vxlan0 sends to 10.0.1.1
#   is decapsulated and cross-connected to A. (The ACL sees IP only, so A
#   and B know each other's MACs statically.)
# Part 2, router mode: A is 10.0.0.2/24 behind the router's 10.0.0.1; the
#   routes file says "192.168.100.0/24 vxlan t0"; B's vxlan0 routes
#   10.0.0.0/24 via 192.168.100.1. zcpipe answers B's ARP for its VTEP
#   address, routes into the tunnel, decapsulates B's replies and routes
#   them to A by their inner headers.
# Each part: ping -c 3 A->B without loss and a 2-second iperf3 TCP
# transfer A->B; then zcpipe stops cleanly: packets encapsulated and
# decapsulated, no byte copied, accounting balanced, no mbuf left out of
# any pool. Namespaces, veths and processes are removed even on failure.
source "$(dirname "$0")/lib.sh"

source "$(dirname "$0")/netns.sh"
zc_netns_init v

# veth NS INNER ROOT MTU: a veth pair, the inner end in NS, both up.
veth() {
	local ns=$1 v=$2 peer=$3 mtu=$4
	ip link add "$peer" mtu "$mtu" type veth peer name "$v" mtu "$mtu" netns "$ns" ||
		fail "cannot create veth $peer"
	# The root side belongs to zcpipe: no kernel addresses, ARP or IPv6.
	echo 1 >"/proc/sys/net/ipv6/conf/$peer/disable_ipv6"
	ip link set "$peer" arp off up
	ethtool -K "$peer" gro off >/dev/null 2>&1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	# af_packet hands zcpipe the frames as the kernel built them: without
	# this, TCP would leave with partial checksums and TSO/GSO segments.
	ip netns exec "$ns" ethtool -K "$v" tx off tso off gso off >/dev/null ||
		fail "cannot turn offloads off on $v"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip link set "$v" up
}

ip netns add "$NS_A" || fail "cannot create namespace $NS_A"
ip netns add "$NS_B" || fail "cannot create namespace $NS_B"
# The overlay's MTU leaves room for the 50 bytes of outer headers on the
# 1500-byte underlay, as Linux does for its own vxlan devices.
veth "$NS_A" "$VA" "$V0" 1450
veth "$NS_B" "$VB" "$V1" 1500
inB ip addr add 10.0.1.2/24 dev "$VB"
inB ip link add vxlan0 type vxlan id 4242 local 10.0.1.2 remote 10.0.1.1 \
	dstport 4789 dev "$VB" || fail "cannot create the Linux VXLAN endpoint"
inB ip link set vxlan0 mtu 1450 up
inB ethtool -K vxlan0 tx off tso off gso off >/dev/null 2>&1
inB ip addr add 192.168.100.2/24 dev vxlan0

M_V1=$(mac_of "$V1")
M_VA=$(mac_of "$VA" "$NS_A")
M_VB=$(mac_of "$VB" "$NS_B")
M_VX=$(mac_of vxlan0 "$NS_B")
[ -n "$M_V1" ] && [ -n "$M_VA" ] && [ -n "$M_VB" ] && [ -n "$M_VX" ] ||
	fail "cannot read the interfaces' MAC addresses"

wait_listen() { # wait_listen PORT
	local i
	for i in $(seq 50); do
		inB ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# traffic RUN NAME: ping -c 3 and a 2-second iperf3 from A to 192.168.100.2.
traffic() {
	local run=$1 name=$2
	wait_ping 192.168.100.2 "$ZC_PID" "$ZC_TMP/$run.out" "$name" ||
		{ cat "$ZC_TMP/$run.out"; fail "$name: no answer from 192.168.100.2 through the tunnel"; }
	inA ping -c 3 -i 0.2 -W 2 192.168.100.2 >"$ZC_TMP/p.out" 2>&1 ||
		{ cat "$ZC_TMP/p.out"; fail "$name: ping A -> B over VXLAN"; }
	grep -q " 0% packet loss" "$ZC_TMP/p.out" ||
		{ cat "$ZC_TMP/p.out"; fail "$name: ping over VXLAN lost packets"; }
	pass "$name: ping -c 3 A -> B through the tunnel, no loss"

	bgB "$ZC_TMP/iperf-s.out" iperf3 -s -1 -B 192.168.100.2 -p 5201
	wait_listen 5201 || fail "$name: iperf3 server did not start in B"
	inA timeout -k 2 20 iperf3 -c 192.168.100.2 -p 5201 -t 2 -J \
		--connect-timeout 3000 >"$ZC_TMP/iperf-c.json" 2>&1 ||
		{ tail -20 "$ZC_TMP/iperf-c.json"; fail "$name: iperf3 A -> B failed"; }
	r=$($PY - "$ZC_TMP/iperf-c.json" <<'EOP'
import json, sys
r = json.load(open(sys.argv[1]))["end"]
b = r["sum_received"]["bytes"]
print("%.1f Mbit/s, %d bytes received, %d retransmits" %
      (r["sum_received"]["bits_per_second"] / 1e6, b,
       r["sum_sent"].get("retransmits", 0)))
sys.exit(0 if b > 100000 else 1)
EOP
	) || fail "$name: iperf3 moved no data: $r"
	wait "${NS_PIDS[-1]}" 2>/dev/null
	pass "$name: 2-second iperf3 TCP A -> B through the tunnel: $r"
}

# stopped NAME: stop zcpipe and check its summary.
stopped() {
	local name=$1
	zc_stop_pid "$ZC_PID"
	$PY - "$ZC_TMP/$name.json" <<'EOP' || { tail -40 "$ZC_TMP/$name.out"; fail "$name: summary"; }
import json, sys
s = json.load(open(sys.argv[1]))
a = s["actions"]
d = {k: v for k, v in s["drops"].items() if v}
print("zcpipe: rx %d tx %d dropped %d encap %d decap %d copied %d %s" %
      (s["rx"], s["tx"], s["dropped"], a["encap"], a["decap"], s["copied_bytes"], d))
err = []
if a["encap"] < 1000 or a["decap"] < 100:
    err.append("too few packets through the tunnel")
if s["copied_bytes"]:
    err.append("%d bytes copied" % s["copied_bytes"])
for k in ("too_big", "encap_failed", "no_mbuf", "tx_full", "decap_loop", "tunnel_truncated"):
    if d.get(k):
        err.append("unexpected %s drops" % k)
if not s["balanced"] or s["rx"] + s["clones"] != s["tx"] + s["dropped"]:
    err.append("accounting does not balance")
if s["leaked_mbufs"]:
    err.append("%d mbufs missing from the pools" % s["leaked_mbufs"])
print("\n".join(err))
sys.exit(1 if err else 0)
EOP
	pass "$name: zcpipe stopped cleanly; no byte copied, accounting balanced, every pool full"
}

# ---- part 1: filter mode, an L2 VTEP ------------------------------------
inA ip addr add 192.168.100.1/24 dev "$VA"
inA ip neigh replace 192.168.100.2 lladdr "$M_VX" dev "$VA"
inB ip neigh replace 192.168.100.1 lladdr "$M_VA" dev vxlan0
inB ip neigh replace 10.0.1.1 lladdr "$M_V1" dev "$VB"
echo "in_port=0 action=vxlan:t0" >"$ZC_TMP/l2.rules"
cat >"$ZC_TMP/l2.ini" <<EOC
[general]
mode = filter

[port.0]
dev = net_af_packet_v0$ID,iface=$V0

[port.1]
dev = net_af_packet_v1$ID,iface=$V1

[forward]
map = 0->1, 1->0

[pipeline.0]
rx = 0:0, 1:0
stages = rx parse classify forward act tx

[acl]
rules = $ZC_TMP/l2.rules

[vxlan.t0]
local = 10.0.1.1
remote = 10.0.1.2
vni = 4242
port = 1
remote_mac = $M_VB
EOC
zc_start l2 -f "$ZC_TMP/l2.ini" --summary-json "$ZC_TMP/l2.json"
traffic l2 "filter mode (ACL vxlan:t0)"
stopped l2

# ---- part 2: router mode, routes through the tunnel --------------------
inA ip addr flush dev "$VA"
inA ip neigh flush dev "$VA"
inA ip addr add 10.0.0.2/24 dev "$VA"
inA ip route add default via 10.0.0.1
inB ip neigh del 10.0.1.1 dev "$VB" 2>/dev/null
inB ip neigh replace 192.168.100.1 lladdr "$M_V1" dev vxlan0
inB ip route add 10.0.0.0/24 via 192.168.100.1
echo "192.168.100.0/24 vxlan t0" >"$ZC_TMP/rt.routes"
cat >"$ZC_TMP/rt.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_af_packet_r0$ID,iface=$V0
ipv4 = 10.0.0.1/24

[port.1]
dev = net_af_packet_r1$ID,iface=$V1
ipv4 = 10.0.1.1/24

[route]
routes = $ZC_TMP/rt.routes

[pipeline.0]
rx = 0:0, 1:0
stages = rx parse classify route act tx

[vxlan.t0]
local = 10.0.1.1
remote = 10.0.1.2
vni = 4242
port = 1
remote_mac = $M_VB
peer_mac = $M_VX
EOC
zc_start rt -f "$ZC_TMP/rt.ini" --summary-json "$ZC_TMP/rt.json"
# A learns the router's MAC, the router learns A's: the first packet to a
# host the router has not resolved yet is turned into its ARP request.
for i in $(seq 30); do
	inA ping -c 1 -W 1 10.0.0.1 >/dev/null 2>&1 && break
done
traffic rt "router mode (routes via vxlan t0)"
stopped rt
