#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Traffic under change: a router replays three captures in a loop (net_pcap
# infinite_rx, so the traffic lasts as long as the changes) while one
# control client (tests/integration/ctlclients.py churn) replaces the next
# hop of 10.1.0.0/16 1,000 times (port 1 <-> port 2, both neighbours
# static), loads a 1,000-rule ACL 20 times (alternately denying and
# permitting one flow), and adds and deletes an unused prefix after each
# load (a new FIB each time). Each input port carries one class of flows,
# so each port's counters must come out exact:
#  - port 0 (10.1.0.0/16, permitted by every ACL): every packet left by
#    port 1 or port 2, both used (tx1 + tx2 == rx0): a next-hop change
#    loses no packet, nor does a FIB swap;
#  - port 1 (dport 9, denied by every ACL): all counted acl_deny;
#  - port 2 (dport 53, denied by half the ACLs): what was not denied left
#    by port 3, and both happened;
#  - no other drop, rx + clones == tx + dropped, no mbuf leaked, exit 0.
source "$(dirname "$0")/lib.sh"

GEN=$ZC_ROOT/tests/integration/ctlgen.py
CLIENTS=$ZC_ROOT/tests/integration/ctlclients.py
T=$ZC_TMP
PREFIX=zct-chg-$$
SOCK=/var/run/dpdk/$PREFIX/zcpipe_control

$PY "$GEN" traffic "$T/permit.pcap" 10.0.0.2 10.1.0.5 7 7 7 7 7 7 7 7 || fail ctlgen
$PY "$GEN" traffic "$T/deny.pcap" 10.0.1.2 10.3.0.5 mac=02:00:00:00:00:a1 9 9 9 9 || fail ctlgen
$PY "$GEN" traffic "$T/toggle.pcap" 10.0.2.2 10.3.0.5 mac=02:00:00:00:00:a2 53 53 53 53 || fail ctlgen
$PY "$GEN" traffic "$T/empty.pcap" 10.0.0.2 10.1.0.5 || fail ctlgen
acls=()
for i in $(seq 20); do
	if [ $((i % 2)) = 1 ]; then
		$PY "$GEN" acl "$T/acl$i.rules" 1000 "$i" "proto=udp dport=9 action=deny" \
			"proto=udp dport=53 action=deny"
	else
		$PY "$GEN" acl "$T/acl$i.rules" 1000 "$i" "proto=udp dport=9 action=deny" \
			"proto=udp dport=53 action=count"
	fi
	acls+=("$T/acl$i.rules")
done
cp "$T/acl2.rules" "$T/start.rules"
printf '10.1.0.0/16 via 10.0.1.2\n10.3.0.0/16 via 10.0.3.2\n' >"$T/r.routes"
printf '10.0.1.2 02:00:00:00:00:b1\n10.0.2.2 02:00:00:00:00:b2\n10.0.3.2 02:00:00:00:00:b3\n' >"$T/r.neighbours"

cat >"$T/zc.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_pcap_g0,rx_pcap=$T/permit.pcap,infinite_rx=1
mac = 02:00:00:00:00:a0
ipv4 = 10.0.0.1/24

[port.1]
dev = net_pcap_g1,rx_pcap=$T/deny.pcap,infinite_rx=1
mac = 02:00:00:00:00:a1
ipv4 = 10.0.1.1/24

[port.2]
dev = net_pcap_g2,rx_pcap=$T/toggle.pcap,infinite_rx=1
mac = 02:00:00:00:00:a2
ipv4 = 10.0.2.1/24

[port.3]
dev = net_pcap_g3,rx_pcap=$T/empty.pcap
mac = 02:00:00:00:00:a3
ipv4 = 10.0.3.1/24

[route]
routes = $T/r.routes
neighbours = $T/r.neighbours

[acl]
rules = $T/start.rules
EOC

zc_start chg -f "$T/zc.ini" --summary-json "$T/chg.json"
for i in $(seq 100); do
	[ -S "$SOCK" ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$T/chg.out"; fail "zcpipe exited"; }
	sleep 0.1
done
[ -S "$SOCK" ] || { cat "$T/chg.out"; fail "no control socket"; }

res=$(timeout 120 $PY "$CLIENTS" churn "$SOCK" 1000 10.1.0.0/16 \
	10.0.2.2,10.0.1.2 "${acls[@]}") || { tail "$T/chg.out"; fail "churn: $res"; }
pass "$res"
kill -0 "$ZC_PID" 2>/dev/null || { cat "$T/chg.out"; fail "zcpipe died under change"; }
kill -TERM "$ZC_PID"
wait "$ZC_PID"
rc=$?
[ $rc -eq 0 ] || { tail -30 "$T/chg.out"; fail "zcpipe exited $rc"; }

res=$($PY - "$T/chg.json" <<'EOP'
import json, sys
s = json.load(open(sys.argv[1]))
p = {x["port"]: x for x in s["ports"]}
rx = [p[i]["rx_pkts"] for i in range(4)]
tx = [p[i]["tx_pkts"] for i in range(4)]
deny = s["drops"]["acl_deny"]
toggled = deny - rx[1]
err = []
other = {k: v for k, v in s["drops"].items() if v and k != "acl_deny"}
if other:
    err.append("drops other than acl_deny: %s" % other)
if tx[1] + tx[2] != rx[0]:
    err.append("port 0 received %d, ports 1 and 2 sent %d + %d = %d: %d lost"
               % (rx[0], tx[1], tx[2], tx[1] + tx[2], rx[0] - tx[1] - tx[2]))
if not tx[1] or not tx[2]:
    err.append("not both next hops used: port 1 sent %d, port 2 sent %d"
               % (tx[1], tx[2]))
if toggled < 0 or tx[3] + toggled != rx[2]:
    err.append("port 2 received %d: %d left by port 3 and %d denied"
               % (rx[2], tx[3], toggled))
if not tx[3] or toggled <= 0:
    err.append("not both ACL versions applied: %d permitted, %d denied"
               % (tx[3], toggled))
if tx[0]:
    err.append("port 0 sent %d" % tx[0])
if not s["balanced"] or s["leaked_mbufs"]:
    err.append("balanced %s, leaked %d" % (s["balanced"], s["leaked_mbufs"]))
print("; ".join(err) if err else
      "port 0: %d in, %d out by port 1 and %d by port 2; port 1: %d denied; "
      "port 2: %d in, %d permitted, %d denied" % (rx[0], tx[1], tx[2], rx[1],
                                                  rx[2], tx[3], toggled))
sys.exit(1 if err else 0)
EOP
) || fail "accounting: $res"
pass "$res; balanced, no leak"
