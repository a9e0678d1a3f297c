#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# scripts/zcstat against a running zcpipe (net_pcap infinite_rx -> net_null):
#  - --once --json parses and agrees with the telemetry it read;
#  - --once (text) and the live view show rates, stages, drops, latency;
#  - a wrong --file-prefix fails with a message;
#  - a reader that closes the pipe (zcstat ... | head) stops zcstat quietly;
#  - --prometheus serves, on 127.0.0.1 only, metrics that promtool check
#    metrics accepts: base units, the port's name as label, build info,
#    stage latency as histograms, no total next to its breakdown;
#  - a real Prometheus server (Debian package "prometheus", installed here
#    if missing) scrapes it: zcpipe metrics read back through its HTTP API.
source "$(dirname "$0")/lib.sh"

ZCSTAT=$ZC_ROOT/scripts/zcstat
[ -x "$ZCPIPE" ] || fail "no $ZCPIPE (make all)"
if ! command -v prometheus >/dev/null; then
	echo "test_zcstat: installing the Debian package prometheus" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends prometheus >/dev/null 2>&1 ||
		fail "prometheus is missing and could not be installed"
fi

cat >"$ZC_TMP/zs.ini" <<EOC
[general]
mode = l2-xconnect

[port.0]
dev = net_pcap0,rx_pcap=$ZC_ROOT/pcaps/udp64.pcap,infinite_rx=1

[port.1]
dev = net_null1

[pipeline.0]
rx = 0:0
stages = rx parse forward tx

[forward]
map = 0->1
EOC

PREFIX=zct-zs-$$
"$ZCPIPE" $(zc_eal_args zs) -- -f "$ZC_TMP/zs.ini" >"$ZC_TMP/zs.out" 2>&1 &
ZC_PID=$!
ZC_PIDS+=("$ZC_PID")
for _ in $(seq 100); do
	[ -S "/var/run/dpdk/$PREFIX/dpdk_telemetry.v2" ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$ZC_TMP/zs.out" >&2; fail "zcpipe exited"; }
	sleep 0.1
done
# Until packets flow (the socket comes up before the ports).
$PY - "$PREFIX" <<'EOP' || fail "zcpipe forwards nothing"
import json, socket, sys, time
for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect("/var/run/dpdk/%s/dpdk_telemetry.v2" % sys.argv[1]); s.recv(1024)
        s.send(b"/zcpipe/stats")
        if json.loads(s.recv(65536))["/zcpipe/stats"].get("tx", 0) > 0:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
EOP

# ---- --once --json --------------------------------------------------------
timeout 20 $PY "$ZCSTAT" -f "$PREFIX" --once --json >"$ZC_TMP/once.json" ||
	fail "zcstat --once --json failed"
$PY - "$ZC_TMP/once.json" "$PREFIX" <<'EOP' || fail "zcstat --once --json content"
import json, socket, sys
snap = json.load(open(sys.argv[1]))
for k in ("time", "stats", "ports", "stages", "drops", "rings", "pools", "latency"):
    assert k in snap, "missing %s" % k
st = snap["stats"]
assert st["rx"] > 0 and st["mode"] == "l2-xconnect", st
assert set(snap["ports"]["ports"]) == {"0", "1"}, snap["ports"]
assert list(snap["stages"]["stages"]) == ["p0/l1/rx", "p0/l1/parse", "p0/l1/forward", "p0/l1/tx"]
assert snap["drops"]["reasons"]["l2_truncated"] == 0 and "ring_full" in snap["drops"]["reasons"]
assert snap["latency"]["rx_to_tx"]["count"] > 0
# Counters are a true snapshot: a later direct read is not smaller.
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect("/var/run/dpdk/%s/dpdk_telemetry.v2" % sys.argv[2]); s.recv(1024)
s.send(b"/zcpipe/stats")
now = json.loads(s.recv(65536))["/zcpipe/stats"]
assert now["rx"] >= st["rx"] and now["tx"] >= st["tx"], (now, st)
EOP

# ---- text: --once and the live view ----------------------------------------
timeout 20 $PY "$ZCSTAT" -f "$PREFIX" --once -i 0.3 >"$ZC_TMP/once.txt" ||
	fail "zcstat --once failed"
for want in "placement run-to-completion" "net_pcap0" "p0/l1/parse" "DROPS" \
	    "LATENCY" "rx_to_tx" "POOL"; do
	grep -q -- "$want" "$ZC_TMP/once.txt" || fail "zcstat --once lacks '$want'"
done
# Rates are numbers (not '-') once two snapshots were taken.
grep -E '^0 +net_pcap0 +(up|down) +[0-9.]+[kMG]? ' "$ZC_TMP/once.txt" >/dev/null ||
	fail "no RX rate for port 0: $(grep net_pcap0 "$ZC_TMP/once.txt")"
timeout -s INT 2 $PY "$ZCSTAT" -f "$PREFIX" -i 0.3 >"$ZC_TMP/live.txt"
screens=$(grep -c $'\x1b\[2J' "$ZC_TMP/live.txt")
[ "$screens" -ge 3 ] || fail "live view refreshed $screens times in 2 s at 0.3 s"
if $PY "$ZCSTAT" -f "no-such-prefix-$$" --once 2>"$ZC_TMP/bad.err"; then
	fail "zcstat succeeded on a prefix with no zcpipe"
fi
grep -q "no-such-prefix" "$ZC_TMP/bad.err" || fail "no useful message: $(cat "$ZC_TMP/bad.err")"

# ---- a closed pipe -----------------------------------------------------------
for mode in "--once --json" "--once --prometheus" "-i 0.1"; do
	timeout 20 $PY "$ZCSTAT" -f "$PREFIX" $mode 2>"$ZC_TMP/pipe.err" | head -1 >/dev/null
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || fail "zcstat $mode | head: exit $rc"
	[ -s "$ZC_TMP/pipe.err" ] && fail "zcstat $mode | head printed: $(cat "$ZC_TMP/pipe.err")"
done
pass "zcstat | head stops quietly"

# ---- Prometheus --------------------------------------------------------------
command -v promtool >/dev/null || fail "promtool is missing (Debian package prometheus)"
timeout 20 $PY "$ZCSTAT" -f "$PREFIX" --once --prometheus >"$ZC_TMP/once.prom" ||
	fail "zcstat --once --prometheus failed"
promtool check metrics <"$ZC_TMP/once.prom" >"$ZC_TMP/promtool.out" 2>&1 ||
	{ cat "$ZC_TMP/promtool.out"; fail "promtool check metrics refuses zcstat --once --prometheus"; }
read -r EXP_PORT PROM_PORT < <($PY -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
$PY "$ZCSTAT" -f "$PREFIX" --prometheus "$EXP_PORT" >"$ZC_TMP/exp.out" 2>&1 &
ZC_PIDS+=("$!")
for _ in $(seq 50); do
	grep -q serving "$ZC_TMP/exp.out" && break
	sleep 0.1
done
$PY - "$EXP_PORT" "$ZC_TMP/scrape.prom" <<'EOP' || fail "exporter output"
import re, sys, urllib.request
port = int(sys.argv[1])
body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10).read().decode()
open(sys.argv[2], "w").write(body)
types, samples = {}, []
for line in body.splitlines():
    if line.startswith("# TYPE "):
        _, _, name, t = line.split(" ", 3)
        types[name] = t
    elif line.startswith("#") or not line:
        continue
    else:
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$', line)
        assert m, "bad sample line %r" % line
        samples.append((m.group(1), m.group(2) or "", float(m.group(3))))
assert samples, "no samples"
for name, lab, v in samples:
    assert name.startswith("zcpipe_"), name
    base = re.sub(r"_(sum|count|bucket)$", "", name)
    fam = name if name in types else base
    assert fam in types, "sample %s without a TYPE" % name
    if types[fam] == "counter":
        assert name.endswith("_total"), "counter %s lacks _total" % name
        assert v >= 0
    assert "mbps" not in name and "cycles" not in name, "not a base unit: %s" % name
def get(name, **lab):
    return [v for n, l, v in samples if n == name and all(('%s="%s"' % kv) in l for kv in lab.items())]
assert get("zcpipe_up") == [1.0]
bi = [l for n, l, v in samples if n == "zcpipe_build_info"]
assert len(bi) == 1 and re.search(r'dpdk="22\.11', bi[0]) and 'version="' in bi[0], bi
# A total beside its breakdown counts the same packets twice: gone.
for gone in ("zcpipe_dropped_packets_total", "zcpipe_rx_packets_total",
             "zcpipe_tx_packets_total", "zcpipe_lcore_busy_cycles_total"):
    assert gone not in types, "%s overlaps another metric" % gone
# The port label is the port's name, its index a second label.
assert get("zcpipe_port_rx_packets_total", port="net_pcap0", port_index="0")[0] > 0
assert get("zcpipe_port_link_speed_bytes_per_second", port="net_null1", port_index="1")
assert get("zcpipe_stage_packets_in_total", stage="parse", lcore="1")[0] > 0
assert get("zcpipe_drops_total", reason="l2_truncated") == [0.0]
assert len(get("zcpipe_drops_total")) > 30, "not every drop reason"
# Stage latency: real histograms, cumulative, +Inf equal to _count.
assert types["zcpipe_stage_latency_seconds"] == "histogram"
b = [(l, v) for n, l, v in samples if n == "zcpipe_stage_latency_seconds_bucket" and 'stage="tx"' in l]
assert len(b) > 10, b
vals = [v for l, v in b]
assert vals == sorted(vals) and vals[-1] > 0, vals
assert 'le="+Inf"' in b[-1][0]
assert get("zcpipe_stage_latency_seconds_count", stage="tx") == [vals[-1]]
assert 0 < get("zcpipe_stage_latency_seconds_sum", stage="tx")[0]
try:
    urllib.request.urlopen("http://127.0.0.1:%d/nope" % port, timeout=5)
    raise SystemExit("/nope answered 200")
except urllib.error.HTTPError as e:
    assert e.code == 404
EOP
promtool check metrics <"$ZC_TMP/scrape.prom" >"$ZC_TMP/promtool.out" 2>&1 ||
	{ cat "$ZC_TMP/promtool.out"; fail "promtool check metrics refuses the exporter's output"; }
# Loopback only.
ss -ltnH "sport = :$EXP_PORT" | awk '{print $4}' | grep -qx "127.0.0.1:$EXP_PORT" ||
	fail "exporter does not listen on 127.0.0.1 only: $(ss -ltnH "sport = :$EXP_PORT")"

mkdir -p "$ZC_TMP/prom"
cat >"$ZC_TMP/prom.yml" <<EOC
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: zcpipe
    static_configs:
      - targets: ['127.0.0.1:$EXP_PORT']
EOC
prometheus --config.file="$ZC_TMP/prom.yml" --storage.tsdb.path="$ZC_TMP/prom" \
	--web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn \
	>"$ZC_TMP/prom.log" 2>&1 &
ZC_PIDS+=("$!")
$PY - "$PROM_PORT" <<'EOP' || { tail -20 "$ZC_TMP/prom.log" >&2; fail "Prometheus never read zcpipe's metrics back"; }
import json, sys, time, urllib.parse, urllib.request
base = "http://127.0.0.1:%s/api/v1/query?query=" % sys.argv[1]
def query(expr):
    try:
        r = json.load(urllib.request.urlopen(base + urllib.parse.quote(expr), timeout=5))
    except OSError:
        return None
    if r.get("status") != "success" or not r["data"]["result"]:
        return None
    return r["data"]["result"]
deadline = time.time() + 30
got = None
while time.time() < deadline:
    up = query('up{job="zcpipe"}')
    rate = query('sum(rate(zcpipe_port_tx_packets_total{job="zcpipe"}[5s]))')
    if up and float(up[0]["value"][1]) == 1 and rate and float(rate[0]["value"][1]) > 0:
        got = rate
        break
    time.sleep(0.5)
assert got, "no scrape with a tx rate in 30 s"
lat = query('histogram_quantile(0.5, sum by (le) (rate(zcpipe_stage_latency_seconds_bucket{stage="tx"}[5s])))')
assert lat and 0 < float(lat[0]["value"][1]) < 1, lat
port = query('zcpipe_port_tx_packets_total{port="net_null1",port_index="1"}')
assert port and float(port[0]["value"][1]) > 0, port
print("Prometheus: tx rate %.0f pps, rx->tx p50 %s s" % (float(got[0]["value"][1]), lat[0]["value"][1]))
EOP
pass "zcstat --once --json, text views, promtool-clean metrics, exporter scraped by a real Prometheus"
