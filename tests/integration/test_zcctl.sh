#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Runtime control through the control socket (scripts/zcctl, docs/control.md)
# on a router whose port 0 loops a capture of three UDP flows (dport 7, 9,
# 53) forever (net_pcap infinite_rx), routed out of port 1. Checks:
#  - round trips: status (the pid), help, acl show (rules, lines, hits);
#  - acl load FILE (a relative path) swaps the rule set while traffic
#    flows: the new rules count hits, the old deny stops, the new deny
#    drops; a rule file with an error on line 3, a missing file and a
#    folder are refused naming FILE:LINE or the file, and change nothing;
#  - reload and SIGHUP re-read the file [acl] rules names; a broken one is
#    refused by both and changes nothing;
#  - hostile clients (tests/integration/ctlclients.py): malformed requests,
#    silent, half-request and garbage clients (timed out after [control]
#    timeout, while others are served), 50 concurrent clients, 70 idle
#    connections (6 refused);
#  - zcpipe unharmed: still forwarding after all that, SIGTERM with a
#    client connected exits 0 at once and removes the socket; accounting
#    balances (port 1 sent all port 0 received but the acl_deny drops, no
#    other drop), no mbuf leaked;
#  - [control] keys are checked (zcpipe --check).
source "$(dirname "$0")/lib.sh"

ZCCTL=$ZC_ROOT/scripts/zcctl
GEN=$ZC_ROOT/tests/integration/ctlgen.py
CLIENTS=$ZC_ROOT/tests/integration/ctlclients.py
T=$ZC_TMP
PREFIX=zct-ctl-$$
SOCK=/var/run/dpdk/$PREFIX/zcpipe_control

$PY "$GEN" traffic "$T/in0.pcap" 10.0.0.2 10.1.0.5 7 9 53 || fail "ctlgen"
$PY "$GEN" traffic "$T/empty.pcap" 10.0.0.2 10.1.0.5 || fail "ctlgen"
$PY "$GEN" acl "$T/a.rules" 2 1 "proto=udp dport=9 action=deny" \
	"proto=udp dport=7 action=count"
$PY "$GEN" acl "$T/b.rules" 3 2 "proto=udp dport=53 action=deny" \
	"proto=udp dport=7 action=count" "proto=udp dport=9 action=count"
printf '# bad\nproto=udp dport=7 action=count\nproto=udp dport=70-7 action=deny\n' >"$T/bad.rules"
echo "10.1.0.0/16 via 10.0.1.2" >"$T/r.routes"
echo "10.0.1.2 02:00:00:00:00:b2" >"$T/r.neighbours"

cat >"$T/zc.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_pcap_c0,rx_pcap=$T/in0.pcap,infinite_rx=1
mac = 02:00:00:00:00:a0
ipv4 = 10.0.0.1/24

[port.1]
dev = net_pcap_c1,rx_pcap=$T/empty.pcap
mac = 02:00:00:00:00:a1
ipv4 = 10.0.1.1/24

[route]
routes = $T/r.routes
neighbours = $T/r.neighbours

[acl]
rules = $T/a.rules

[control]
timeout = 2
EOC

zcctl() { $PY "$ZCCTL" -f "$PREFIX" "$@"; }
# jq-free JSON field: jget EXPR < json (EXPR in Python on r)
jget() { $PY -c "import json,sys; r=json.load(sys.stdin); print($1)"; }

# --check knows [control] and checks its keys.
sed 's/^timeout = 2$/timeout = 0/' "$T/zc.ini" >"$T/bad.ini"
"$ZCPIPE" --check -f "$T/bad.ini" >"$T/check.out" 2>&1 &&
	fail "--check accepted [control] timeout = 0"
grep -q "bad.ini:.*\[control\] timeout" "$T/check.out" ||
	{ cat "$T/check.out"; fail "--check did not name [control] timeout"; }
"$ZCPIPE" --check -f "$T/zc.ini" >"$T/check.out" 2>&1 ||
	{ cat "$T/check.out"; fail "--check refused a good [control] section"; }
pass "[control] keys checked"

zc_start ctl -f "$T/zc.ini" --summary-json "$T/ctl.json"
for i in $(seq 100); do
	[ -S "$SOCK" ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$T/ctl.out"; fail "zcpipe exited"; }
	sleep 0.1
done
[ -S "$SOCK" ] || { cat "$T/ctl.out"; fail "no control socket $SOCK"; }
mode=$(stat -c %a "$SOCK")
[ "$mode" = 600 ] || fail "control socket mode $mode, expected 600"

# ---- round trips --------------------------------------------------------
pid=$(zcctl --json status | jget 'r["pid"]') || fail "zcctl status failed"
[ "$pid" = "$ZC_PID" ] || fail "status says pid $pid, zcpipe is $ZC_PID"
out=$(zcctl status) && grep -q "^zcpipe pid $ZC_PID" <<<"$out" ||
	fail "zcctl status text: $out"
out=$(zcctl help) && grep -q "acl load FILE" <<<"$out" ||
	fail "zcctl help lists no acl load: $out"
sleep 0.5
zcctl --json acl show >"$T/show.json" || fail "acl show failed"
got=$(jget '"%s %d %s %d" % (r["path"], r["nb_rules"], [x["line"] for x in r["rules"]], r["rules"][0]["pkts"] > 0)' <"$T/show.json")
[ "$got" = "$T/a.rules 2 [2, 3] 1" ] ||
	fail "acl show: '$got', expected a.rules, 2 rules on lines 2 and 3, hits on the deny"
pass "status, help and acl show answer (pid $pid, hits counted)"

# ---- acl load -----------------------------------------------------------
out=$(cd "$T" && zcctl acl load b.rules) || fail "acl load b.rules: $out"
[ "$out" = "3 rule(s) from $T/b.rules replace 2 rule(s) from $T/a.rules" ] ||
	fail "acl load said: $out"
sleep 0.5
zcctl --json acl show >"$T/show.json"
got=$(jget '"%s %d %d %d %d" % (r["path"], r["nb_rules"], r["rules"][0]["pkts"] > 0, r["rules"][1]["pkts"] > 0, r["rules"][2]["pkts"] > 0)' <"$T/show.json")
[ "$got" = "$T/b.rules 3 1 1 1" ] ||
	fail "after acl load: '$got', expected b.rules in force and every rule hit"
pass "acl load swapped the rule set under traffic: $out"

err=$(zcctl acl load "$T/bad.rules" 2>&1) && fail "a bad rule file was accepted"
[[ $err == *"$T/bad.rules:3: dport: range '70-7' runs backwards"* ]] ||
	fail "bad rule file: '$err' does not name bad.rules:3"
err2=$(zcctl acl load "$T/missing.rules" 2>&1) && fail "a missing file was accepted"
[[ $err2 == *missing.rules* ]] || fail "missing file: '$err2'"
zcctl acl load "$T" >/dev/null 2>&1 && fail "a folder was accepted as a rule file"
zcctl bogus >/dev/null 2>&1; [ $? -eq 1 ] || fail "unknown command: exit not 1"
$PY "$ZCCTL" -f "nosuch-$$" status >/dev/null 2>&1; [ $? -eq 2 ] ||
	fail "no such instance: exit not 2"
got=$(zcctl --json acl show | jget '"%s %d" % (r["path"], r["nb_rules"])')
[ "$got" = "$T/b.rules 3" ] || fail "a refused load changed the rule set: $got"
pass "bad loads refused, nothing changed: $err"

# ---- reload and SIGHUP --------------------------------------------------
out=$(zcctl reload) || fail "reload: $out"
grep -qF "acl: 2 rule(s) from $T/a.rules replace 3 rule(s)" <<<"$out" ||
	fail "reload said: $out"
zcctl acl load "$T/b.rules" >/dev/null || fail "acl load b.rules"
kill -HUP "$ZC_PID"
for i in $(seq 50); do
	got=$(zcctl --json acl show | jget 'r["path"]')
	[ "$got" = "$T/a.rules" ] && break
	sleep 0.1
done
[ "$got" = "$T/a.rules" ] || fail "SIGHUP did not reload a.rules: $got"
zcctl acl load "$T/b.rules" >/dev/null || fail "acl load b.rules"
cp "$T/a.rules" "$T/a.rules.good"
cp "$T/bad.rules" "$T/a.rules"
err=$(zcctl reload 2>&1) && fail "reload of a broken file was accepted"
[[ $err == *"$T/a.rules:3:"* ]] || fail "reload error: $err"
kill -HUP "$ZC_PID"
for i in $(seq 50); do
	grep -q "SIGHUP: reload refused" "$T/ctl.out" && break
	sleep 0.1
done
grep -q "SIGHUP: reload refused.*a.rules:3:" "$T/ctl.out" ||
	{ cat "$T/ctl.out"; fail "no log of the refused SIGHUP reload"; }
got=$(zcctl --json acl show | jget 'r["path"]')
[ "$got" = "$T/b.rules" ] || fail "a refused reload changed the rule set: $got"
cp "$T/a.rules.good" "$T/a.rules"
n=$(zcctl --json status | jget 'r["reloads"]')
[ "$n" = 2 ] || fail "status counts $n reloads, expected 2"
pass "reload and SIGHUP re-read a.rules; a broken one refused by both"

# ---- hostile and crowded clients ----------------------------------------
res=$($PY "$CLIENTS" bad "$SOCK") || fail "malformed requests: $res"
pass "$res"
res=$($PY "$CLIENTS" silent "$SOCK" 2) || fail "silent clients: $res"
pass "$res"
res=$($PY "$CLIENTS" many "$SOCK" 50) || fail "concurrent clients: $res"
pass "$res"

# ---- unharmed -----------------------------------------------------------
h1=$(zcctl --json acl show | jget 'r["rules"][1]["pkts"]')
sleep 0.3
h2=$(zcctl --json acl show | jget 'r["rules"][1]["pkts"]')
[ "$h2" -gt "$h1" ] || fail "not forwarding any more: hits $h1 then $h2"
# SIGTERM while a client is connected (and says nothing).
$PY -c "import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(8)" "$SOCK" &
idle=$!
sleep 0.2
t0=$(date +%s%N)
kill -TERM "$ZC_PID"
wait "$ZC_PID"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
kill "$idle" 2>/dev/null
wait "$idle" 2>/dev/null
[ $rc -eq 0 ] || { tail -20 "$T/ctl.out"; fail "zcpipe exited $rc"; }
[ "$ms" -lt 5000 ] || fail "SIGTERM with a client connected took $ms ms"
[ ! -e "$SOCK" ] || fail "the control socket was left behind"
res=$($PY - "$T/ctl.json" <<'EOP'
import json, sys
s = json.load(open(sys.argv[1]))
p = {x["port"]: x for x in s["ports"]}
deny = s["drops"]["acl_deny"]
other = {k: v for k, v in s["drops"].items() if v and k != "acl_deny"}
err = []
if other:
    err.append("unexpected drops %s" % other)
if not deny:
    err.append("no acl_deny drop")
if p[1]["tx_pkts"] != p[0]["rx_pkts"] - deny:
    err.append("port 1 sent %d, port 0 received %d, %d denied"
               % (p[1]["tx_pkts"], p[0]["rx_pkts"], deny))
if not s["balanced"] or s["leaked_mbufs"]:
    err.append("balanced %s, leaked %d" % (s["balanced"], s["leaked_mbufs"]))
print("; ".join(err) if err else "%d received, %d sent, %d denied"
      % (p[0]["rx_pkts"], p[1]["tx_pkts"], deny))
sys.exit(1 if err else 0)
EOP
) || fail "accounting: $res"
pass "unharmed: SIGTERM with a client connected exited 0 in $ms ms; $res; no leak"
