#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# zcpipe as a router between two real kernel hosts. Two network namespaces,
# A and B, each joined to the root namespace by a veth pair; zcpipe drives
# the root-side ends with net_af_packet:
#
#   ns A  10.0.0.2/24 2001:db8:1::2/64 --veth-- port 0  10.0.0.1 2001:db8:1::1
#   ns B  10.0.1.2/24 2001:db8:2::2/64 --veth-- port 1  10.0.1.1 2001:db8:2::1
#
# No static neighbour anywhere: the hosts resolve the router with ARP/NS
# and the router resolves them by probing and learning. From A:
#  - ping and ping -6 to the router's own addresses (both ports) answered;
#  - ping -c 3 and ping -6 -c 3 to B, no loss;
#  - a 2-second iperf3 TCP transfer to B over IPv4 and over IPv6;
#  - TCP to B port 5202 blocked by an ACL deny rule (acl_deny counted).
# Then zcpipe stops cleanly: rx + clones == tx + dropped, no mbuf leaked.
# The namespaces, veths and every process are removed even on failure.
source "$(dirname "$0")/lib.sh"

source "$(dirname "$0")/netns.sh"
zc_netns_init r

# host NS VETH PEER V4 V6 GW4 GW6
host() {
	local ns=$1 v=$2 peer=$3
	ip netns add "$ns" || fail "cannot create namespace $ns"
	ip link add "$peer" type veth peer name "$v" netns "$ns" ||
		fail "cannot create veth $peer"
	# The root side belongs to zcpipe: no kernel addresses, ARP or IPv6.
	echo 1 >"/proc/sys/net/ipv6/conf/$peer/disable_ipv6"
	ip link set "$peer" arp off up
	ethtool -K "$peer" gro off >/dev/null 2>&1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.accept_ra=0
	# af_packet hands zcpipe the frames as the kernel built them: without
	# this, TCP would leave A with partial (offloaded) checksums and
	# 64 KiB TSO/GSO segments.
	ip netns exec "$ns" ethtool -K "$v" tx off tso off gso off >/dev/null ||
		fail "cannot turn offloads off on $v"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip link set "$v" up
	ip netns exec "$ns" ip addr add "$4" dev "$v"
	ip netns exec "$ns" ip -6 addr add "$5" dev "$v" nodad
	ip netns exec "$ns" ip route add default via "$6"
	ip netns exec "$ns" ip -6 route add default via "$7"
}
host "$NS_A" "$VA" "$V0" 10.0.0.2/24 2001:db8:1::2/64 10.0.0.1 2001:db8:1::1
host "$NS_B" "$VB" "$V1" 10.0.1.2/24 2001:db8:2::2/64 10.0.1.1 2001:db8:2::1

cat >"$ZC_TMP/acl.rules" <<EOR
priority=10 proto=tcp dport=5202 action=deny
EOR
cat >"$ZC_TMP/netns.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_af_packet_z0,iface=$V0
ipv4 = 10.0.0.1/24
ipv6 = 2001:db8:1::1/64

[port.1]
dev = net_af_packet_z1,iface=$V1
ipv4 = 10.0.1.1/24
ipv6 = 2001:db8:2::1/64

[acl]
rules = $ZC_TMP/acl.rules
EOC

zc_start netns -f "$ZC_TMP/netns.ini" --summary-json "$ZC_TMP/netns.json"
ZC_NETNS_PID=$ZC_PID

# The router's own address answers once zcpipe is up (ARP, then echo).
wait_ping 10.0.0.1 "$ZC_NETNS_PID" "$ZC_TMP/netns.out" "start-up" ||
	{ cat "$ZC_TMP/netns.out"; fail "no answer from 10.0.0.1"; }
pass "router answers ARP and ping on its own address"

inA ping -c 2 -i 0.2 -W 2 10.0.1.1 >"$ZC_TMP/p.out" 2>&1 ||
	{ cat "$ZC_TMP/p.out"; fail "ping to the far port's address 10.0.1.1"; }
inA ping -6 -c 2 -i 0.2 -W 2 2001:db8:1::1 >"$ZC_TMP/p.out" 2>&1 ||
	{ cat "$ZC_TMP/p.out"; fail "ping -6 to 2001:db8:1::1 (NS/NA, echo)"; }
inA ping -6 -c 2 -i 0.2 -W 2 2001:db8:2::1 >"$ZC_TMP/p.out" 2>&1 ||
	{ cat "$ZC_TMP/p.out"; fail "ping -6 to 2001:db8:2::1"; }
pass "router answers ping -6 (after NS/NA) on both ports' addresses"

# A to B. The very first packet to B is turned into the router's ARP
# request / NS for B (zcpipe does not queue), so resolve first.
for dst in 10.0.1.2 2001:db8:2::2; do
	for i in 1 2 3; do
		inA ping -c 1 -W 1 "$dst" >/dev/null 2>&1 && break
	done
	inA ping -c 3 -i 0.2 -W 2 "$dst" >"$ZC_TMP/p.out" 2>&1 ||
		{ cat "$ZC_TMP/p.out"; fail "ping from A to B ($dst)"; }
	grep -q " 0% packet loss" "$ZC_TMP/p.out" ||
		{ cat "$ZC_TMP/p.out"; fail "ping to $dst lost packets"; }
done
pass "ping -c 3 and ping -6 -c 3 from A reach B without loss"

wait_listen() { # wait_listen PORT
	local i
	for i in $(seq 50); do
		inB ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# iperf3 over IPv4 then IPv6: a one-off server in B, bound to B's address.
for fam in 4 6; do
	if [ $fam = 4 ]; then src=10.0.0.2 dst=10.0.1.2; else
		src=2001:db8:1::2 dst=2001:db8:2::2; fi
	bgB "$ZC_TMP/iperf-s$fam.out" iperf3 -s -1 -B "$dst" -p 5201
	wait_listen 5201 || fail "iperf3 server did not start in B"
	inA timeout -k 2 20 iperf3 -$fam -c "$dst" -B "$src" -p 5201 -t 2 -J \
		--connect-timeout 3000 >"$ZC_TMP/iperf-c$fam.json" 2>&1 ||
		{ tail -20 "$ZC_TMP/iperf-c$fam.json"; fail "iperf3 -$fam A->B failed"; }
	$PY - "$ZC_TMP/iperf-c$fam.json" <<'EOP' || fail "iperf3 -$fam moved no data"
import json, sys
r = json.load(open(sys.argv[1]))["end"]
b = r["sum_received"]["bytes"]
print("iperf3: %.1f Mbit/s, %d bytes received, %d retransmits" %
      (r["sum_received"]["bits_per_second"] / 1e6, b,
       r["sum_sent"].get("retransmits", 0)))
sys.exit(0 if b > 100000 else 1)
EOP
	wait "${NS_PIDS[-1]}" 2>/dev/null
done
pass "2-second iperf3 TCP transfer A->B over IPv4 and IPv6"

# TCP to port 5202 is denied by the ACL: the connection never opens,
# while the listener is there.
bgB /dev/null iperf3 -s -1 -B 10.0.1.2 -p 5202
wait_listen 5202 || fail "listener on 5202 did not start in B"
if inA timeout 3 bash -c 'exec 3<>/dev/tcp/10.0.1.2/5202' 2>/dev/null; then
	fail "TCP to 10.0.1.2:5202 went through the ACL deny rule"
fi
pass "TCP port 5202 blocked by the ACL"

zc_stop_pid "$ZC_NETNS_PID"
wait "$ZC_NETNS_PID" 2>/dev/null
$PY - "$ZC_TMP/netns.json" <<'EOP' || { cat "$ZC_TMP/netns.out"; fail "summary"; }
import json, sys
s = json.load(open(sys.argv[1]))
d = {k: v for k, v in s["drops"].items() if v}
print("zcpipe: rx %d tx %d dropped %d %s" % (s["rx"], s["tx"], s["dropped"], d))
err = []
if d.get("acl_deny", 0) < 1:
    err.append("no acl_deny counted")
for k in ("ttl_expired", "no_route", "not_ip", "tx_full", "l2_other_host"):
    if d.get(k):
        err.append("unexpected %s drops" % k)
if not s["balanced"] or s["rx"] + s["clones"] != s["tx"] + s["dropped"]:
    err.append("accounting does not balance")
if s["leaked_mbufs"]:
    err.append("%d mbufs leaked" % s["leaked_mbufs"])
if s["tx"] < 1000:
    err.append("only %d packets sent" % s["tx"])
print("\n".join(err))
sys.exit(1 if err else 0)
EOP
pass "zcpipe stopped cleanly; accounting balanced, no leak"
