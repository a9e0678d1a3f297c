#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# zcctl route and neigh on a running router (docs/control.md): port 0 loops
# a capture (net_pcap infinite_rx) of flows to 10.1.0.5 (routed by the
# routes file out of port 1) and to 10.9.0.5 (no route at start). Checks:
#  - route show lists the routes with their source; route show ADDRESS
#    gives the longest match and its next hop's MAC;
#  - neigh add, then route add 10.9.0.0/16 via that neighbour: the flow
#    to 10.9.0.5 is routed out of port 2 (its hits count); route del; an
#    IPv6 route added and deleted;
#  - bad input refused with a clear error and nothing changed: a bad
#    prefix, an unknown port, a next hop on no port's subnet, host bits
#    set, an existing prefix added, a missing one deleted or changed, a
#    port's own route, a routes file with an error on line 2 (named, and
#    its good line 1 not added), a bad MAC;
#  - route load adds and replaces; reload and SIGHUP re-read the routes
#    file (its routes back in force, one removed from it gone, routes
#    zcctl set kept; a broken file refused, nothing changed); neigh show
#    and neigh del;
#  - zcpipe exits 0, balanced, no mbuf leaked, only no_route and
#    no_neighbour drops.
source "$(dirname "$0")/lib.sh"

ZCCTL=$ZC_ROOT/scripts/zcctl
GEN=$ZC_ROOT/tests/integration/ctlgen.py
T=$ZC_TMP
PREFIX=zct-ctlr-$$
SOCK=/var/run/dpdk/$PREFIX/zcpipe_control

$PY "$GEN" traffic "$T/a.pcap" 10.0.0.2 10.1.0.5 7 7 || fail ctlgen
$PY "$GEN" traffic "$T/b.pcap" 10.0.0.2 10.9.0.5 7 7 || fail ctlgen
$PY - "$T/a.pcap" "$T/b.pcap" "$T/in0.pcap" <<'EOP'
import sys
a, b = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
open(sys.argv[3], "wb").write(a + b[24:])
EOP
$PY "$GEN" traffic "$T/empty.pcap" 10.0.0.2 10.1.0.5 || fail ctlgen
printf '10.1.0.0/16 via 10.0.1.2\n10.7.0.0/16 via 10.0.1.2\n' >"$T/r.routes"
echo "10.0.1.2 02:00:00:00:00:b1" >"$T/r.neighbours"

cat >"$T/zc.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_pcap_r0,rx_pcap=$T/in0.pcap,infinite_rx=1
mac = 02:00:00:00:00:a0
ipv4 = 10.0.0.1/24

[port.1]
dev = net_pcap_r1,rx_pcap=$T/empty.pcap
mac = 02:00:00:00:00:a1
ipv4 = 10.0.1.1/24

[port.2]
dev = net_pcap_r2,rx_pcap=$T/empty.pcap
mac = 02:00:00:00:00:a2
ipv4 = 10.0.2.1/24
ipv6 = 2001:db8:2::1/64

[route]
routes = $T/r.routes
neighbours = $T/r.neighbours
EOC

zcctl() { $PY "$ZCCTL" -f "$PREFIX" "$@"; }
jget() { $PY -c "import json,sys; r=json.load(sys.stdin); print($1)"; }
routes() { # the routes in force, without their hits
	zcctl --json route show | jget '"\n".join("%s %s" % (x["route"], x["source"]) for x in r["routes"])'
}
refused() { # refused EXPECTED-TEXT zcctl-ARGS...: exit 1 naming it, nothing changed
	local want=$1 err before after
	shift
	before=$(routes)
	err=$(zcctl "$@" 2>&1) && fail "zcctl $* was accepted"
	[[ $err == *"$want"* ]] || fail "zcctl $*: '$err' does not say '$want'"
	after=$(routes)
	[ "$before" = "$after" ] || fail "zcctl $* changed the routes although refused"
}

zc_start ctlr -f "$T/zc.ini" --summary-json "$T/ctlr.json"
for i in $(seq 100); do
	[ -S "$SOCK" ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$T/ctlr.out"; fail "zcpipe exited"; }
	sleep 0.1
done
[ -S "$SOCK" ] || { cat "$T/ctlr.out"; fail "no control socket"; }

# ---- show ----------------------------------------------------------------
r=$(routes)
grep -qx "10.1.0.0/16 via 10.0.1.2 port 1 file" <<<"$r" || fail "route show: $r"
grep -qx "10.0.2.0/24 connected port 2 port" <<<"$r" || fail "route show: $r"
got=$(zcctl --json route show 10.1.2.3 | jget '"%s %s %s" % (r["match"]["route"], r["neighbour"]["mac"], r["neighbour"]["state"])')
[ "$got" = "10.1.0.0/16 via 10.0.1.2 port 1 02:00:00:00:00:B1 static" ] ||
	fail "route show 10.1.2.3: $got"
out=$(zcctl route show 10.1.2.3) && [[ $out == "10.1.0.0/16 via 10.0.1.2 port 1"* ]] ||
	fail "route show text: $out"
refused "no route for 10.200.0.1" route show 10.200.0.1
pass "route show: routes with their source; the longest match with its next hop"

# ---- add, replace, delete under traffic ----------------------------------
out=$(zcctl neigh add 10.0.2.2 02:00:00:00:00:b2) || fail "neigh add: $out"
[ "$out" = "added neighbour 10.0.2.2 02:00:00:00:00:B2 port 2" ] || fail "neigh add said: $out"
out=$(zcctl route add 10.9.0.0/16 via 10.0.2.2) || fail "route add: $out"
[ "$out" = "added 10.9.0.0/16 via 10.0.2.2 port 2" ] || fail "route add said: $out"
sleep 0.3
h=$(zcctl --json route show 10.9.0.5 | jget 'r["match"]["hits"]')
[ "$h" -gt 0 ] || fail "the added route has no hits"
out=$(zcctl route replace 10.7.0.0/16 via 10.0.2.2) || fail "route replace: $out"
[ "$out" = "replaced 10.7.0.0/16 via 10.0.1.2 port 1 by 10.7.0.0/16 via 10.0.2.2 port 2" ] ||
	fail "route replace said: $out"
out=$(zcctl route add 2001:db8:99::/48 via 2001:db8:2::2) || fail "route add v6: $out"
got=$(zcctl --json route show 2001:db8:99::1 | jget 'r["match"]["route"]')
[ "$got" = "2001:db8:99::/48 via 2001:db8:2::2 port 2" ] || fail "IPv6 route: $got"
zcctl route del 2001:db8:99::/48 >/dev/null || fail "route del v6"
refused "no route for 2001:db8:99::1" route show 2001:db8:99::1
pass "neigh add, route add (10.9.0.5 routed: $h hits), replace, IPv6 add and del"

# ---- refused -------------------------------------------------------------
refused "'bogus' is not an IPv4 or IPv6 prefix" route add bogus via 10.0.1.2
refused "port '9' is not configured (ports 0 to 2 exist)" route add 10.8.0.0/16 via 10.0.1.2 port 9
refused "next hop 10.5.5.5 is in no port's subnet" route add 10.8.0.0/16 via 10.5.5.5
refused "has bits set beyond its /16 prefix length" route add 10.8.0.1/16 via 10.0.1.2
refused "a route for that prefix exists" route add 10.1.0.0/16 via 10.0.1.3
refused "no route for 10.77.0.0/16" route del 10.77.0.0/16
refused "route of the port's own address" route del 10.0.1.0/24
refused "no route for that prefix to replace" route change 10.66.0.0/16 via 10.0.1.2
refused "usage: route add" route add 10.8.0.0/16
printf '10.30.0.0/16 via 10.0.1.2\n10.31.0.0/16 via 10.0.1.2 port one\n' >"$T/bad.routes"
refused "$T/bad.routes:2: port 'one' is not configured" route load "$T/bad.routes"
refused "is not a MAC address" neigh add 10.0.1.9 02:00:00:zz:00:01
refused "10.5.5.5 is in no port's subnet" neigh add 10.5.5.5 02:00:00:00:00:01
refused "port 7 is not configured" neigh del 10.0.1.77 port 7
pass "bad routes and neighbours refused, nothing changed"

# ---- load, reload, SIGHUP ------------------------------------------------
printf '10.1.0.0/16 via 10.0.2.2\n10.40.0.0/16 via 10.0.1.2\n10.41.0.0/24 via 10.0.2.2\n' >"$T/load.routes"
out=$(cd "$T" && zcctl route load load.routes) || fail "route load: $out"
[[ $out == "routes: 2 added, 1 replaced, 0 deleted;"* ]] || fail "route load said: $out"
printf '10.1.0.0/16 via 10.0.1.2\n10.4.0.0/16 via 10.0.1.2\n' >"$T/r.routes"
out=$(zcctl reload) || fail "reload: $out"
grep -q "^route: routes: 1 added, 1 replaced, 0 deleted;" <<<"$out" || fail "reload said: $out"
r=$(routes)
grep -qx "10.1.0.0/16 via 10.0.1.2 port 1 file" <<<"$r" || fail "reload did not restore 10.1.0.0/16: $r"
grep -qx "10.4.0.0/16 via 10.0.1.2 port 1 file" <<<"$r" || fail "reload did not add 10.4.0.0/16: $r"
# Replaced by zcctl, 10.7.0.0/16 is zcctl's now: gone from the file, kept.
grep -qx "10.7.0.0/16 via 10.0.2.2 port 2 zcctl" <<<"$r" || fail "reload took a zcctl route: $r"
grep -qx "10.40.0.0/16 via 10.0.1.2 port 1 zcctl" <<<"$r" || fail "reload dropped a zcctl route: $r"
echo "10.1.0.0/16 via 10.0.1.2" >"$T/r.routes"
kill -HUP "$ZC_PID"
for i in $(seq 50); do
	r=$(routes)
	grep -q "^10.4.0.0/16" <<<"$r" || break
	sleep 0.1
done
! grep -q "^10.4.0.0/16" <<<"$r" || fail "SIGHUP did not reload the routes file: $r"
printf '10.1.0.0/16 via 10.0.1.2\n10.5.0.0/16 via\n' >"$T/r.routes"
refused "$T/r.routes:2: 'via' needs a next-hop address" reload
kill -HUP "$ZC_PID"
for i in $(seq 50); do
	grep -q "SIGHUP: reload refused" "$T/ctlr.out" && break
	sleep 0.1
done
grep -q "SIGHUP: reload refused.*r.routes:2:" "$T/ctlr.out" ||
	{ cat "$T/ctlr.out"; fail "no log of the refused SIGHUP reload"; }
[ "$(routes)" = "$r" ] || fail "a refused SIGHUP reload changed the routes"
pass "route load, reload and SIGHUP apply the routes file's difference; broken files refused"

# ---- neighbours ----------------------------------------------------------
got=$(zcctl --json neigh show | jget '" ".join("%s/%s/%s" % (n["addr"], n["port"], n["source"]) for n in r["static"])')
[ "$got" = "10.0.1.2/1/file 10.0.2.2/2/zcctl" ] || fail "neigh show: $got"
out=$(zcctl neigh del 10.0.2.2) || fail "neigh del: $out"
[ "$out" = "deleted neighbour 10.0.2.2 02:00:00:00:00:B2 port 2" ] || fail "neigh del said: $out"
got=$(zcctl --json neigh show | jget 'len(r["static"])')
[ "$got" = 1 ] || fail "neigh del left $got static neighbours"
pass "neigh show and neigh del"

kill -TERM "$ZC_PID"
wait "$ZC_PID"
rc=$?
[ $rc -eq 0 ] || { tail -30 "$T/ctlr.out"; fail "zcpipe exited $rc"; }
res=$($PY - "$T/ctlr.json" <<'EOP'
import json, sys
s = json.load(open(sys.argv[1]))
p = {x["port"]: x for x in s["ports"]}
other = {k: v for k, v in s["drops"].items()
         if v and k not in ("no_route", "no_neighbour")}
err = []
if other:
    err.append("unexpected drops %s" % other)
if not p[2]["tx_pkts"]:
    err.append("nothing left by port 2")
if not s["balanced"] or s["leaked_mbufs"]:
    err.append("balanced %s, leaked %d" % (s["balanced"], s["leaked_mbufs"]))
print("; ".join(err) if err else "rx %d, tx %d by port 1 and %d by port 2, drops %s"
      % (p[0]["rx_pkts"], p[1]["tx_pkts"], p[2]["tx_pkts"],
         {k: v for k, v in s["drops"].items() if v}))
sys.exit(1 if err else 0)
EOP
) || fail "accounting: $res"
pass "exit 0: $res; balanced, no leak"
