#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Module counters come from their descriptors (lib/core/zc_counter.h) and
# nowhere else. A router that routes, encapsulates and decapsulates (the
# capture of test_actions' router case) runs live until its input is
# done; then, for every counter /zcpipe/counters lists, whatever it is:
#  - the reply is well formed (group, name, kind, unit, help, value), its
#    pages (from/next, GROUP, GROUP,FIRST) list each counter once, an
#    unknown group or a hostile parameter is answered with valid JSON;
#  - /zcpipe/routes' counters are the route group's;
#  - zcstat --once --json carries the same counters, and zcstat --once
#    --prometheus exports each under the name derived from its group,
#    name, unit and kind, with its help and value (promtool accepts it);
#  - after SIGTERM the summary JSON has each group with the same values
#    (and copied_bytes, the copies group's total), and the text summary a
#    line for each group that counted something.
# So a counter added to a module's list is checked here with no edit.
source "$(dirname "$0")/lib.sh"

P=$ZC_ROOT/pcaps
ZCSTAT=$ZC_ROOT/scripts/zcstat
for f in act-route-in0.pcap act-route-in1.pcap act-route.routes act-route.neighbours; do
	[ -f "$P/$f" ] || fail "missing pcaps/$f (scripts/gen_action_pcaps.py)"
done
$PY -c "import prometheus_client" 2>/dev/null ||
	fail "python3-prometheus-client is missing (apt-get install python3-prometheus-client)"
command -v promtool >/dev/null || fail "promtool is missing (Debian package prometheus)"

cat >"$ZC_TMP/c.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_pcap_ct0,rx_pcap=$P/act-route-in0.pcap,tx_pcap=$ZC_TMP/p0.pcap
ipv4 = 10.0.0.1/24
mac = 02:00:00:00:00:10
mtu = 9100

[port.1]
dev = net_pcap_ct1,rx_pcap=$P/act-route-in1.pcap,tx_pcap=$ZC_TMP/p1.pcap
ipv4 = 10.0.1.1/24
mac = 02:00:00:00:00:11
mtu = 9100

[route]
routes = $P/act-route.routes
neighbours = $P/act-route.neighbours

[pipeline.0]
rx = 0:0, 1:0
stages = rx parse classify route act tx

[vxlan.t0]
local = 10.0.1.1
remote = 10.0.1.2
vni = 4242
port = 1
remote_mac = 02:00:00:00:0b:02
peer_mac = 02:00:00:00:0c:02
EOC
PREFIX="zct-ctr-$$"
zc_start ctr -f "$ZC_TMP/c.ini" --summary-json "$ZC_TMP/ctr.json"

# Telemetry, once every input packet went through.
$PY - "$ZCSTAT" "$PREFIX" "$ZC_TMP/tel.json" <<'EOP' || { cat "$ZC_TMP/ctr.out"; fail "telemetry"; }
import importlib.machinery, importlib.util, json, socket, sys, time
loader = importlib.machinery.SourceFileLoader("zcstat", sys.argv[1])
spec = importlib.util.spec_from_loader("zcstat", loader)
zs = importlib.util.module_from_spec(spec); loader.exec_module(zs)
t = zs.Telemetry(sys.argv[2])
q = t.query
s = {}
for _ in range(200):
    try:
        s = q("/zcpipe/stats") or {}
    except zs.TelemetryError:
        t.close()
    if s.get("state") == "running" and s.get("rx") == 5 and s.get("in_flight") == 0:
        break
    time.sleep(0.1)
assert s.get("rx") == 5 and s.get("in_flight") == 0, s

# Every page, following next.
first = q("/zcpipe/counters")
groups = first["groups"]
ctr, r, seen = {}, first, set()
while True:
    assert r["from"] not in seen, r
    seen.add(r["from"])
    for k, c in r["counters"].items():
        assert k not in ctr, "counter %s on two pages" % k
        ctr[k] = c
    if "next" not in r:
        break
    r = q("/zcpipe/counters", str(r["next"]))
assert len(ctr) == first["nb_counters"], (len(ctr), first["nb_counters"])
for k, c in ctr.items():
    assert set(c) == {"group", "name", "kind", "unit", "help", "value"}, c
    assert k == "%s/%s" % (c["group"], c["name"]) and c["group"] in groups, (k, c)
    assert c["kind"] in ("counter", "gauge") and c["unit"] and c["help"], c
    assert isinstance(c["value"], int) and c["value"] >= 0, c
for g, h in groups.items():
    assert h and any(c["group"] == g for c in ctr.values()), g

# What this traffic did (the counts of test_actions' router case).
assert ctr["actions/encap"]["value"] == 3 and ctr["actions/decap"]["value"] == 1, ctr
assert ctr["route/forwarded"]["value"] > 0, ctr
assert ctr["copies/tx/linearize"]["unit"] == "bytes", ctr

# One group, and one group from a counter on: the same entries.
for g in groups:
    mine = {k: c for k, c in ctr.items() if c["group"] == g}
    r = q("/zcpipe/counters", g)
    assert r["counters"] == mine and list(r["groups"]) == [g], (g, r)
    assert r["nb_counters"] == len(mine) and "next" not in r, r
    r = q("/zcpipe/counters", "%s,1" % g)
    assert list(r["counters"]) == list(mine)[1:], (g, r)
off = q("/zcpipe/counters", "3")
assert off["from"] == 3 and list(off["counters"]) == list(ctr)[3:3 + len(off["counters"])], off
assert "error" in q("/zcpipe/counters", "no_such_group"), "unknown group accepted"
assert q("/zcpipe/counters", "route,x") is None, "bad page accepted"

# The route stage's counters in /zcpipe/routes are the route group's.
rc = q("/zcpipe/routes")["counters"]
assert rc == {c["name"]: c["value"] for c in ctr.values() if c["group"] == "route"}, rc

# Hostile parameters: valid printable JSON, a null or an error.
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect("/var/run/dpdk/%s/dpdk_telemetry.v2" % sys.argv[2])
s.settimeout(5)
s.recv(1024)
hostile = [bytes([b]) for b in range(1, 0x20) if b != 0x2c]
hostile += [bytes([b]) for b in range(0x80, 0x100)]
hostile += [b'"', b"\\", b"-1", b"+1", b"0x10", b"010", b" 1", b"A" * 900,
            b"\xff" * 300, b"route,\xff", b"route,-1", b",", b",5", b"route,",
            b"route/forwarded", b"ROUTE", b"99999999999999999999"]
for h in hostile:
    s.send(b"/zcpipe/counters," + h)
    raw = s.recv(65536)
    assert all(0x20 <= b < 0x7f for b in raw), (h, raw[:200])
    v = json.loads(raw.decode("ascii"))["/zcpipe/counters"]
    assert v is None or "error" in v or v["from"] == 0, (h, v)
json.dump(ctr, open(sys.argv[3], "w"))
print("telemetry: %d counters in %d groups, %d hostile parameters answered"
      % (len(ctr), len(groups), len(hostile)))
EOP

# zcstat: the same counters in --json, and one metric each in Prometheus.
timeout 20 $PY "$ZCSTAT" -f "$PREFIX" --once --json >"$ZC_TMP/once.json" ||
	fail "zcstat --once --json failed"
timeout 20 $PY "$ZCSTAT" -f "$PREFIX" --once --prometheus >"$ZC_TMP/once.prom" ||
	fail "zcstat --once --prometheus failed"
promtool check metrics <"$ZC_TMP/once.prom" >"$ZC_TMP/promtool.out" 2>&1 ||
	{ cat "$ZC_TMP/promtool.out"; fail "promtool check metrics refuses the output"; }
timeout 20 $PY "$ZCSTAT" -f "$PREFIX" --once -i 0.2 >"$ZC_TMP/once.txt" ||
	fail "zcstat --once failed"
$PY - "$ZC_TMP/tel.json" "$ZC_TMP/once.json" "$ZC_TMP/once.prom" "$ZC_TMP/once.txt" <<'EOP' || fail "zcstat"
import json, re, sys
ctr = json.load(open(sys.argv[1]))
snap = json.load(open(sys.argv[2]))
assert snap["counters"]["counters"] == ctr, "zcstat --json differs from /zcpipe/counters"
text = open(sys.argv[3]).read()
helps = dict(re.findall(r"^# HELP (\S+) (.*)$", text, re.M))
types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M))
values = {n: float(v) for n, v in re.findall(r"^(zcpipe_\w+) (\S+)$", text, re.M)}
for k, c in ctr.items():
    # The naming rule of docs/telemetry.md, written out again here.
    stem = "zcpipe_%s_%s" % (c["group"], c["name"].replace("/", "_"))
    if c["unit"] in ("bytes", "seconds") and not stem.endswith("_" + c["unit"]):
        stem += "_" + c["unit"]
    sample = stem + ("_total" if c["kind"] == "counter" else "")
    # python3-prometheus-client writes a counter's HELP and TYPE under
    # its sample's name, with _total.
    assert types.get(sample) == c["kind"], (k, sample, types.get(sample))
    assert helps.get(sample) == c["help"], (k, helps.get(sample), c["help"])
    assert values.get(sample) == c["value"], (k, sample, values.get(sample), c["value"])
view = open(sys.argv[4]).read()
for k, c in ctr.items():
    if c["value"]:
        assert re.search(r"^%s +%d " % (re.escape(k), c["value"]), view, re.M), (k, view)
print("zcstat: %d counters in --json, as Prometheus metrics and in the text view" % len(ctr))
EOP

# The summary: each group with the values telemetry showed.
zc_stop_pid "$ZC_PID"
[ -s "$ZC_TMP/ctr.json" ] || { cat "$ZC_TMP/ctr.out"; fail "no summary JSON"; }
$PY - "$ZC_TMP/tel.json" "$ZC_TMP/ctr.json" "$ZC_TMP/ctr.out" <<'EOP' || fail "summary"
import json, sys
ctr = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
text = open(sys.argv[3]).read()
groups = {}
for c in ctr.values():
    groups.setdefault(c["group"], {})[c["name"]] = c["value"]
assert s["balanced"], s
for g, want in groups.items():
    assert s.get(g) == want, (g, s.get(g), want)
    assert list(s[g]) == list(want), "order differs in %s" % g
assert s["copied_bytes"] == sum(groups["copies"].values()), s
lines = text.splitlines()
for g in ("actions", "route"):
    line = [l for l in lines if l.startswith(g + ":")]
    want = " ".join("%s %d" % (n, v) for n, v in groups[g].items() if v)
    assert line == ["%s: %s" % (g, want)], (g, line, want)
assert "copies:" in lines and "  none: 0 bytes copied" in lines, text
print("summary: %s" % ", ".join("%s (%d)" % (g, len(v)) for g, v in sorted(groups.items())))
EOP
pass "every counter descriptor in /zcpipe/counters, zcstat (JSON, Prometheus, text) and the summary, with one value"
