#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Standard tools through zcpipe, as through a Linux router (ICMP errors,
# path-MTU discovery, fragmentation). Two namespaces behind veth pairs,
# zcpipe on the root ends with net_af_packet; zcpipe's port 1 has MTU
# 1,400, host B's link 1,500 (so TCP's MSS does not hide the step), A's
# link 4,000:
#
#   ns A  10.0.0.2/24 2001:db8:1::2/64 --veth-- port 0  10.0.0.1 2001:db8:1::1
#         (MTU 4000)                                    (receives 4000)
#   ns B  10.0.1.2/24 2001:db8:2::2/64 --veth-- port 1  10.0.1.1 2001:db8:2::1
#                                                       (MTU 1400)
# A's link carries whole 3,000-byte datagrams because net_af_packet
# (DPDK 22.11) joins a fanout group with PACKET_FANOUT_FLAG_DEFRAG: the
# kernel reassembles IPv4 fragments before zcpipe sees them, and a
# datagram longer than the ring's frames (framesz) arrives cut short.
# From A:
#  - a 3,000-byte UDP datagram with DF clear arrives whole at B's kernel
#    (zcpipe cut it into fragments of at most 1,400 bytes);
#  - traceroute -n (UDP and -I) and traceroute6 -n list zcpipe's address
#    at hop 1 and B at hop 2;
#  - ping -M do -s 1472 gets "Frag needed and DF set (mtu = 1400)";
#  - tracepath -n and tracepath -6 -n report pmtu 1400;
#  - a 2-second iperf3 TCP transfer over IPv4 and IPv6 across the MTU
#    step completes (the kernel learns the MTU from zcpipe's errors).
# Then the summary: errors sent by type, fragments made, the copy counter
# 0, rx + clones = tx + dropped, no mbuf leaked.
source "$(dirname "$0")/lib.sh"

source "$(dirname "$0")/netns.sh"
zc_netns_init i

for t in traceroute traceroute6 tracepath; do
	command -v $t >/dev/null ||
		fail "$t is not installed (apt-get install traceroute iputils-tracepath)"
done

# host NS VETH PEER V4 V6 GW4 GW6 (as test_netns.sh)
host() {
	local ns=$1 v=$2 peer=$3
	ip netns add "$ns" || fail "cannot create namespace $ns"
	ip link add "$peer" type veth peer name "$v" netns "$ns" ||
		fail "cannot create veth $peer"
	echo 1 >"/proc/sys/net/ipv6/conf/$peer/disable_ipv6"
	ip link set "$peer" arp off up
	ethtool -K "$peer" gro off >/dev/null 2>&1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.accept_ra=0
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
# net_af_packet reports a 1,518-byte frame limit: the link's MTU is set
# on the interfaces, zcpipe's port 0 keeps MTU 1500 (it sends A nothing
# longer).
inA ip link set "$VA" mtu 4000 || fail "cannot set A's MTU"
ip link set "$V0" mtu 4000 || fail "cannot set $V0's MTU"

cat >"$ZC_TMP/icmp.ini" <<EOC
[general]
mode = router
; Frames up to 4,000 bytes from A arrive in one mbuf.
mbuf_size = 4224

[port.0]
dev = net_af_packet_i0,iface=$V0,framesz=4096
ipv4 = 10.0.0.1/24
ipv6 = 2001:db8:1::1/64

[port.1]
dev = net_af_packet_i1,iface=$V1
ipv4 = 10.0.1.1/24
ipv6 = 2001:db8:2::1/64
mtu = 1400
EOC

zc_start icmpns -f "$ZC_TMP/icmp.ini" --summary-json "$ZC_TMP/icmp.json"
ZC_ICMP_PID=$ZC_PID
wait_ping 10.0.0.1 "$ZC_ICMP_PID" "$ZC_TMP/icmpns.out" "start-up" ||
	{ cat "$ZC_TMP/icmpns.out"; fail "no answer from 10.0.0.1"; }
[ "$(cat "/sys/class/net/$V0/mtu")" = 4000 ] ||
	fail "$V0's MTU is $(cat "/sys/class/net/$V0/mtu") after start-up, not 4000"
# The first packet to B becomes the router's ARP request / NS for B.
for dst in 10.0.1.2 2001:db8:2::2; do
	for i in 1 2 3; do
		inA ping -c 1 -W 1 "$dst" >/dev/null 2>&1 && break
	done
done

# 1. 3,000 bytes of UDP with DF clear: A sends it whole, zcpipe cuts it
# into fragments of 1,400 bytes at most, B's kernel puts it together.
cat >"$ZC_TMP/udp_rx.py" <<'EOP'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.1.2", 9999))
s.settimeout(10)
d, a = s.recvfrom(65535)
want = bytes((i * 7) & 0xFF for i in range(3000))
print("received %d bytes from %s, %s" % (len(d), a[0],
      "intact" if d == want else "CORRUPT"))
sys.exit(0 if d == want else 1)
EOP
bgB "$ZC_TMP/udp_rx.out" $PY "$ZC_TMP/udp_rx.py"
UDP_RX=${NS_PIDS[-1]}
for i in $(seq 50); do
	inB ss -Hlun "sport = :9999" | grep -q . && break
	sleep 0.1
done
inA $PY - <<'EOP' || fail "cannot send the UDP datagram"
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# IP_MTU_DISCOVER = IP_PMTUDISC_DONT: DF clear.
s.setsockopt(socket.IPPROTO_IP, 10, 0)
s.sendto(bytes((i * 7) & 0xFF for i in range(3000)), ("10.0.1.2", 9999))
EOP
wait "$UDP_RX" || { cat "$ZC_TMP/udp_rx.out"; fail "B did not receive the 3000-byte datagram whole"; }
cat "$ZC_TMP/udp_rx.out"
pass "a 3000-byte UDP datagram with DF clear arrives reassembled at B"

# 2. traceroute: zcpipe's address at hop 1, B at hop 2.
trace_check() { # trace_check OUT HOP1 HOP2
	awk -v h1="$2" -v h2="$3" '
		$1 == 1 && $2 == h1 { a = 1 }
		$1 == 2 && $2 == h2 { b = 1 }
		END { exit !(a && b) }' "$1"
}
inA traceroute -n -q 1 -w 2 -m 4 10.0.1.2 >"$ZC_TMP/tr.out" 2>&1
cat "$ZC_TMP/tr.out"
trace_check "$ZC_TMP/tr.out" 10.0.0.1 10.0.1.2 ||
	fail "traceroute -n (UDP) does not show 10.0.0.1 then 10.0.1.2"
inA traceroute -I -n -q 1 -w 2 -m 4 10.0.1.2 >"$ZC_TMP/tr.out" 2>&1
cat "$ZC_TMP/tr.out"
trace_check "$ZC_TMP/tr.out" 10.0.0.1 10.0.1.2 ||
	fail "traceroute -I -n does not show 10.0.0.1 then 10.0.1.2"
inA traceroute6 -n -q 1 -w 2 -m 4 2001:db8:2::2 >"$ZC_TMP/tr.out" 2>&1
cat "$ZC_TMP/tr.out"
trace_check "$ZC_TMP/tr.out" 2001:db8:1::1 2001:db8:2::2 ||
	fail "traceroute6 -n does not show 2001:db8:1::1 then 2001:db8:2::2"
pass "traceroute (UDP, -I) and traceroute6 list zcpipe's address at its hop"

# 3. Path MTU: learned afresh by each tool.
inA ip route flush cache
inA ping -M do -s 1472 -c 1 -W 2 10.0.1.2 >"$ZC_TMP/p.out" 2>&1
cat "$ZC_TMP/p.out"
grep -q "From 10.0.0.1 .*Frag needed and DF set (mtu = 1400)" "$ZC_TMP/p.out" ||
	fail "ping -M do -s 1472 did not get 'Frag needed and DF set (mtu = 1400)' from 10.0.0.1"
pass "ping -M do -s 1472 gets Frag needed and DF set (mtu = 1400)"

inA ip route flush cache
inA ip -6 route flush cache 2>/dev/null
inA timeout 20 tracepath -n 10.0.1.2 >"$ZC_TMP/tp.out" 2>&1
cat "$ZC_TMP/tp.out"
grep -q "Resume: pmtu 1400 " "$ZC_TMP/tp.out" ||
	fail "tracepath -n does not report pmtu 1400"
inA timeout 20 tracepath -6 -n 2001:db8:2::2 >"$ZC_TMP/tp.out" 2>&1
cat "$ZC_TMP/tp.out"
grep -q "Resume: pmtu 1400 " "$ZC_TMP/tp.out" ||
	fail "tracepath -6 -n does not report pmtu 1400"
pass "tracepath and tracepath -6 report pmtu 1400"

# 4. TCP across the step: B's MSS says 1,460, the path carries 1,400.
wait_listen() { # wait_listen PORT
	local i
	for i in $(seq 50); do
		inB ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}
inA ip route flush cache
inA ip -6 route flush cache 2>/dev/null
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
print("iperf3: %.1f Mbit/s, %d bytes received" %
      (r["sum_received"]["bits_per_second"] / 1e6, b))
sys.exit(0 if b > 100000 else 1)
EOP
	wait "${NS_PIDS[-1]}" 2>/dev/null
done
inA ip route get 10.0.1.2 | grep -q "mtu 1400" ||
	{ inA ip route get 10.0.1.2; fail "A did not learn the path MTU 1400"; }
pass "iperf3 TCP over IPv4 and IPv6 across the MTU step completes"

zc_stop_pid "$ZC_ICMP_PID"
wait "$ZC_ICMP_PID" 2>/dev/null
$PY - "$ZC_TMP/icmp.json" <<'EOP' || { cat "$ZC_TMP/icmpns.out"; fail "summary"; }
import json, sys
s = json.load(open(sys.argv[1]))
ic = s["icmp"]
print("icmp %s" % {k: v for k, v in ic.items() if v})
print("ipv4_frag %s, copied_bytes %d" % (s["ipv4_frag"], s["copied_bytes"]))
err = []
for k in ("sent/time_exceeded", "sent/time_exceeded6", "sent/frag_needed",
          "sent/packet_too_big6"):
    if ic.get(k, 0) < 1:
        err.append("no %s counted" % k)
if s["ipv4_frag"]["fragmented"] < 1:
    err.append("nothing fragmented")
if s["copied_bytes"] != 0:
    err.append("%d bytes copied" % s["copied_bytes"])
if not s["balanced"] or s["rx"] + s["clones"] != s["tx"] + s["dropped"]:
    err.append("accounting does not balance")
if s["leaked_mbufs"]:
    err.append("%d mbufs leaked" % s["leaked_mbufs"])
print("\n".join(err))
sys.exit(1 if err else 0)
EOP
pass "errors and fragments counted, copy counter 0, accounting balanced, no leak"
