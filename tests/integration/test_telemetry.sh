#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Telemetry commands and packet trace against running zcpipe instances.
#
#  A. Finite capture, run to completion, quiesced once the capture is read:
#     every /zcpipe/* command answers through dpdk-telemetry.py with the
#     documented shape; counters are exact: rx == tx + drops, ports agree
#     with /ethdev/stats, drop reasons match what the capture must lose,
#     latency histograms count exactly the packets that reached each stage;
#     pagination and bad parameters; the final summary agrees.
#  B. The same capture looping (net_pcap infinite_rx), run to completion:
#     /zcpipe/trace arms, filters, pages, stops; every traced packet took
#     the path its headers call for.
#  C. 2-group pipeline "rx parse | forward tx" with --lcores 0@0,1@0,2@1:
#     the main lcore (control, sleeps) shares CPU 0 with worker 1, worker 2
#     has CPU 1, so there are never more than 2 busy pollers. Ring occupancy
#     and high-water mark, latency per hop across the ring, a trace that
#     crosses lcores, counters that only grow and bracket /ethdev/stats;
#     after SIGTERM the summary balances.
#  D. Router replay (pcaps/route-*) with the router test's ACL rule plus 300
#     that never match: /zcpipe/acl pages through every rule once, hits add
#     up with misses to what classify saw; /zcpipe/routes lists connected,
#     local and file routes with hits.
source "$(dirname "$0")/lib.sh"

ZCSTAT=$ZC_ROOT/scripts/zcstat
TELPY=/usr/bin/dpdk-telemetry.py
[ -x "$ZCPIPE" ] || fail "no $ZCPIPE (make all)"
[ -f "$TELPY" ] || fail "no $TELPY (Debian package dpdk)"

# A capture whose fate is known: 60 UDP, 20 TCP, 10 VLAN IPv6 UDP are
# forwarded; 5 runts (10 bytes) are dropped by parse as l2_truncated.
$PY - "$ZC_TMP/mix.pcap" <<'EOP' || fail "cannot write the test capture"
import logging, sys
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)  # runts are Raw
from scapy.all import Ether, IP, IPv6, UDP, TCP, Dot1Q, Raw, wrpcap
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
pk = []
for i in range(95):
    if i % 19 == 3:
        pk.append(Raw(b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00"))
    k = i % 9
    if k < 6:
        pk.append(e / IP(src="10.0.0.%d" % (i + 1), dst="10.9.0.1") /
                  UDP(sport=1000 + i, dport=2000) / Raw(b"u" * 30))
    elif k < 8:
        pk.append(e / IP(src="10.1.0.%d" % (i + 1), dst="10.9.0.2") /
                  TCP(sport=3000 + i, dport=80) / Raw(b"t" * 30))
    else:
        pk.append(e / Dot1Q(vlan=7) / IPv6(src="2001:db8::%x" % (i + 1),
                  dst="2001:db8:1::1") / UDP(sport=5, dport=6) / Raw(b"6" * 30))
wrpcap(sys.argv[1], pk, linktype=1)
EOP

write_cfg() { # write_cfg FILE DEVARGS_PORT0 STAGES
	cat >"$1" <<EOC
[general]
mode = l2-xconnect
burst = 32

; The trace checks what parse records at L3/L4.
[parse]
depth = full

[port.0]
dev = $2

[port.1]
dev = net_null1

[pipeline.0]
rx = 0:0
stages = $3

[forward]
map = 0->1
EOC
}

# start_zc NAME LCORE_ARGS CONFIG: start zcpipe; sets ZC_PID and PREFIX
start_zc() {
	local name=$1 lcores=$2 cfg=$3 args
	args=$(zc_eal_args "$name")
	args=${args/-l 0-1/$lcores}
	PREFIX="zct-$name-$$"
	"$ZCPIPE" $args -- -f "$cfg" --summary-json "$ZC_TMP/$name.json" \
		>"$ZC_TMP/$name.out" 2>&1 &
	ZC_PID=$!
	ZC_PIDS+=("$ZC_PID")
	for _ in $(seq 100); do
		[ -S "/var/run/dpdk/$PREFIX/dpdk_telemetry.v2" ] && break
		kill -0 "$ZC_PID" 2>/dev/null ||
			{ cat "$ZC_TMP/$name.out" >&2; fail "$name: zcpipe exited"; }
		sleep 0.1
	done
	[ -S "/var/run/dpdk/$PREFIX/dpdk_telemetry.v2" ] ||
		fail "$name: no telemetry socket"
}

# stop_zc NAME: SIGTERM, expect exit 0 and the summary file
stop_zc() {
	local rc
	kill -TERM "$ZC_PID"
	wait "$ZC_PID"
	rc=$?
	[ $rc -eq 0 ] || { tail -20 "$ZC_TMP/$1.out" >&2; fail "$1: zcpipe exited $rc"; }
	[ -s "$ZC_TMP/$1.json" ] || fail "$1: no summary JSON"
}

CMDS="/zcpipe/stats /zcpipe/ports /zcpipe/stages /zcpipe/drops /zcpipe/rings /zcpipe/pools /zcpipe/latency /zcpipe/config /zcpipe/trace /zcpipe/acl /zcpipe/routes"

# Every command through Debian's dpdk-telemetry.py: valid JSON, not null.
check_telemetry_py() {
	local c out
	for c in $CMDS /zcpipe/latency,rx_to_tx; do
		out=$(echo "$c" | timeout 10 $PY $TELPY -f "$PREFIX" 2>&1) ||
			fail "dpdk-telemetry.py $c: $out"
		$PY -c 'import json,sys; d=json.loads(sys.argv[1]); k=sys.argv[2].split(",")[0]; v=d[k]; assert isinstance(v, dict) and v and "error" not in v, v' \
			"$out" "$c" || fail "dpdk-telemetry.py $c: bad reply: ${out:0:300}"
	done
	out=$(echo "/help,/zcpipe/latency" | timeout 10 $PY $TELPY -f "$PREFIX")
	grep -q "percentiles" <<<"$out" || fail "no help text for /zcpipe/latency: $out"
}

# ---- A: quiesced counters ----------------------------------------------------
write_cfg "$ZC_TMP/a.ini" "net_pcap0,rx_pcap=$ZC_TMP/mix.pcap" \
	"rx parse forward tx"
start_zc a "-l 0-1" "$ZC_TMP/a.ini"
check_telemetry_py
$PY - "$ZCSTAT" "$PREFIX" "$ZC_ROOT/lib/core/zc_drop.h" "$ZC_TMP/mix.pcap" <<'EOP' || fail "A: telemetry content"
import importlib.machinery, importlib.util, re, sys, time
loader = importlib.machinery.SourceFileLoader("zcstat", sys.argv[1])
spec = importlib.util.spec_from_loader("zcstat", loader)
zs = importlib.util.module_from_spec(spec); loader.exec_module(zs)
from scapy.all import rdpcap
pk = rdpcap(sys.argv[4])
N = len(pk)
RUNTS = sum(1 for p in pk if len(p) < 14)
FWD = N - RUNTS
FWD_BYTES = sum(len(p) for p in pk if len(p) >= 14)
t = zs.Telemetry(sys.argv[2])
q = t.query

# The capture is read once; wait until it is all in and out.
for _ in range(100):
    s = q("/zcpipe/stats")
    if s.get("rx") == N and s.get("in_flight") == 0:
        break
    time.sleep(0.1)
err = []
def check(cond, msg):
    if not cond:
        err.append(msg)

check(s["rx"] == N, "rx %s != %d" % (s["rx"], N))
check(s["tx"] == FWD, "tx %s != %d" % (s["tx"], FWD))
check(s["drops"] == RUNTS, "drops %s != %d" % (s["drops"], RUNTS))
check(s["rx"] + s["clones"] == s["tx"] + s["drops"], "rx != tx + drops: %s" % s)
check(s["tx_bytes"] == FWD_BYTES, "tx_bytes %s != %d" % (s["tx_bytes"], FWD_BYTES))
check(s["rx_bytes"] == sum(len(p) for p in pk), "rx_bytes %s" % s["rx_bytes"])
check(s["in_flight"] == 0, "in_flight %s" % s["in_flight"])
check(s["placement"] == "run-to-completion" and s["mode"] == "l2-xconnect"
      and s["state"] == "running" and s["workers"] == 1, "stats: %s" % s)
check(s["uptime_ms"] >= 100 and s["uptime_s"] == s["uptime_ms"] // 1000,
      "uptime %s" % s)

# Ports agree with the driver's own counters, exactly.
p = q("/zcpipe/ports")
check(p["nb_ports"] == 2 and set(p["ports"]) == {"0", "1"}, "ports: %s" % p)
e0, e1 = q("/ethdev/stats", "0"), q("/ethdev/stats", "1")
p0, p1 = p["ports"]["0"], p["ports"]["1"]
check(p0["rx_pkts"] == e0["ipackets"] == N, "port 0 rx %s vs ethdev %s" % (p0["rx_pkts"], e0["ipackets"]))
check(p0["rx_bytes"] == e0["ibytes"], "port 0 rx_bytes %s vs %s" % (p0["rx_bytes"], e0["ibytes"]))
check(p1["tx_pkts"] == e1["opackets"] == FWD, "port 1 tx %s vs ethdev %s" % (p1["tx_pkts"], e1["opackets"]))
# net_null counts no obytes: compare with the capture instead.
check(p1["tx_bytes"] == FWD_BYTES, "port 1 tx_bytes %s vs %d" % (p1["tx_bytes"], FWD_BYTES))
check(p0["nic_ipackets"] == e0["ipackets"] and p1["nic_opackets"] == e1["opackets"], "nic_* fields")
check(p0["name"] == "net_pcap0" and p1["name"] == "net_null1", "names")
check(p0["link"] in ("up", "down") and isinstance(p0["rx_offloads"], list)
      and isinstance(p0["tx_offloads"], list), "link/offloads: %s" % p0)
check(set(p0["drops"]) == {"imissed", "ierrors", "rx_nombuf", "oerrors"}, "port drops %s" % p0["drops"])
pg = q("/zcpipe/ports", "1")
check(list(pg["ports"]) == ["1"] and pg["from"] == 1, "ports page 1: %s" % pg)

# Stages: counts, bursts, averages, cycles.
st = q("/zcpipe/stages")
keys = list(st["stages"])
check(keys == ["p0/l1/rx", "p0/l1/parse", "p0/l1/forward", "p0/l1/tx"], "stage keys %s" % keys)
rx, parse, fwd, tx = (st["stages"][k] for k in keys)
check(rx["pkts_out"] == N and parse["pkts_in"] == N, "rx/parse counts")
check(parse["pkts_out"] == FWD and parse["dropped"] == RUNTS and
      parse["drops"] == {"l2_truncated": RUNTS}, "parse drops: %s" % parse)
check(fwd["pkts_in"] == FWD and tx["pkts_in"] == FWD and tx["pkts_out"] == 0, "fwd/tx")
check(rx["empty_polls"] > 0, "rx never polled empty after the capture")
for k in keys:
    x = st["stages"][k]
    h = x["pkts_out"] if x["stage"] == "rx" else x["pkts_in"]
    check(x["bursts"] >= (h + 31) // 32 and x["bursts"] <= h, "%s bursts %s" % (k, x["bursts"]))
    check(x["avg_burst_x100"] == h * 100 // x["bursts"], "%s avg burst" % k)
    check(0 < x["cycles_per_pkt"] < 10**6 and 0 <= x["busy_pct_x100"] <= 10000, "%s cycles/busy: %s" % (k, x))
    check(x["lcore"] == 1 and x["pipeline"] == 0, "%s placement" % k)
check(st["lcores"]["1"]["stages"] == "rx,parse,forward,tx", "lcores %s" % st["lcores"])
pg = q("/zcpipe/stages", "2")
check(list(pg["stages"]) == keys[2:] and pg["from"] == 2, "stages page 2: %s" % list(pg["stages"]))

# Every drop reason of the X-macro list, zero included.
names = re.findall(r'^\s*X\(\w+,\s*"([a-z0-9_]+)"', open(sys.argv[3]).read(), re.M)
d = q("/zcpipe/drops")
check(list(d["reasons"]) == names, "drop reasons %s != zc_drop.h %s" % (list(d["reasons"]), names))
check(d["reasons"]["l2_truncated"] == RUNTS and d["total"] == RUNTS and
      sum(d["reasons"].values()) == RUNTS, "drops: %s" % d)
check(set(d["nic"]) == {"imissed", "ierrors", "rx_nombuf", "oerrors"}, "nic drops")

r = q("/zcpipe/rings")
check(r == {"nb_rings": 0, "rings": {}}, "rings: %s" % r)

pl = q("/zcpipe/pools")
check(len(pl["pools"]) == 1 and pl["samples"] > 0, "pools: %s" % pl)
for name, x in pl["pools"].items():
    check(x["in_use"] + x["available"] == x["size"] and
          0 < x["min_available"] <= x["available"] and x["in_use"] < x["size"],
          "pool %s: %s" % (name, x))

# Latency: each hop counted exactly the packets that entered its stage.
lat = q("/zcpipe/latency")
check(lat["enabled"] == 1 and lat["unit"] == "ns", "latency header %s" % lat)
hops = lat["hops"]
# No histogram for parse: behind rx its entry time is the RX stamp itself.
check(list(hops) == keys[2:], "latency hops %s" % list(hops))
check(hops["p0/l1/forward"]["count"] == FWD and hops["p0/l1/tx"]["count"] == FWD,
      "hop counts")
check(lat["rx_to_tx"]["count"] == FWD and lat["rx_to_tx"]["sinks"] == 1, "rx_to_tx %s" % lat["rx_to_tx"])
for k, h in list(hops.items()) + [("rx_to_tx", lat["rx_to_tx"])]:
    check(0 < h["min_ns"] <= h["p50_ns"] <= h["p90_ns"] <= h["p99_ns"] <= h["p999_ns"] <= h["max_ns"] < 10**9,
          "%s percentiles out of order or insane: %s" % (k, h))
    check(h["min_ns"] <= h["mean_ns"] <= h["max_ns"], "%s mean" % k)
check(hops["p0/l1/forward"]["p50_ns"] <= hops["p0/l1/tx"]["p50_ns"], "latency shrinks along the pipeline")
b = q("/zcpipe/latency", "rx_to_tx")
check(sum(b["counts"]) == b["count"] == FWD and len(b["le_ns"]) == b["nb_buckets"] == len(b["counts"])
      and b["le_ns"] == sorted(set(b["le_ns"])), "rx_to_tx buckets %s" % b)
b = q("/zcpipe/latency", "p0/l1/forward")
check(sum(b["counts"]) == FWD, "forward buckets %s" % b)
check("error" in q("/zcpipe/latency", "p0/l1/parse"), "parse has a histogram")
check("error" in q("/zcpipe/latency", "nope"), "unknown hop accepted")

c = q("/zcpipe/config")
check(c["general"]["mode"] == "l2-xconnect" and c["general"]["burst"] == 32, "config general %s" % c["general"])
check(c["pipelines"]["0"] == {"stages": "rx parse forward tx", "rx": "0:0", "lcores": "1"}, "config pipeline %s" % c["pipelines"])
check(c["forward"] == {"0": 1} and c["ports"]["0"]["dev"][0] == "net_pcap0"
      and c["ports"]["1"]["dev"] == ["net_null1"], "config ports %s" % c["ports"])

tr = q("/zcpipe/trace")
check(tr["state"] == "idle" and tr["packets"] == {}, "trace before arming: %s" % tr)
check(q("/zcpipe/ports", "x") is None and q("/zcpipe/stages", "-1") is None, "bad page accepted")

if err:
    print("\n".join(err))
    sys.exit(1)
print("A: %d packets, %d forwarded, %d dropped: counters exact" % (N, FWD, RUNTS))
EOP
stop_zc a
$PY - "$ZC_TMP/a.json" "$ZC_TMP/mix.pcap" <<'EOP' || fail "A: summary after SIGTERM"
import json, sys
from scapy.all import rdpcap
s = json.load(open(sys.argv[1]))
n = len(rdpcap(sys.argv[2]))
assert s["rx"] == n and s["balanced"] and s["rx"] == s["tx"] + s["dropped"], s
assert s["leaked_mbufs"] == 0, s
EOP
pass "A: every command, exact counters, pagination"

# ---- B: packet trace ----------------------------------------------------------
write_cfg "$ZC_TMP/b.ini" "net_pcap0,rx_pcap=$ZC_TMP/mix.pcap,infinite_rx=1" \
	"rx parse forward tx"
start_zc b "-l 0-1" "$ZC_TMP/b.ini"
$PY - "$ZCSTAT" "$PREFIX" <<'EOP' || fail "B: trace"
import importlib.machinery, importlib.util, sys, time
loader = importlib.machinery.SourceFileLoader("zcstat", sys.argv[1])
spec = importlib.util.spec_from_loader("zcstat", loader)
zs = importlib.util.module_from_spec(spec); loader.exec_module(zs)
t = zs.Telemetry(sys.argv[2])
q = t.query

def wait_done(timeout=10):
    for _ in range(int(timeout * 20)):
        r = q("/zcpipe/trace")
        if r["state"] in ("done", "stopped"):
            return r
        time.sleep(0.05)
    raise SystemExit("trace never completed: %s" % r)

def all_packets(r):
    """Read every page of the trace."""
    pk = dict(r["packets"])
    while "next" in r:
        r = q("/zcpipe/trace", "from=%d" % r["next"])
        assert r["from"] == int(min(r["packets"], key=int)) if r["packets"] else True
        pk.update(r["packets"])
    return pk

def check_path(k, p):
    """The path each kind of packet must take in l2-xconnect 0->1."""
    hops = [p["hops"][str(i)] for i in range(len(p["hops"]))]
    stages = [h["stage"] for h in hops]
    t_ns = [h["t_ns"] for h in hops]
    assert t_ns == sorted(t_ns), "%s: stage timestamps go back: %s" % (k, t_ns)
    assert p["port"] == 0 and all(h["lcore"] == 1 for h in hops), p
    if p["flow"].startswith("runt"):
        assert p["len"] == 10 and stages == ["rx", "parse"], p
        assert p["verdict"] == "drop" and p["reason"] == "l2_truncated", p
        assert hops[1]["verdict"] == "drop" and hops[1]["reason"] == "l2_truncated", p
        return "runt"
    assert stages == ["rx", "parse", "forward", "tx"], p
    assert [h["verdict"] for h in hops] == ["pass", "pass", "pass", "tx"], p
    assert p["verdict"] == "tx" and p["egress_port"] == 1, p
    assert "egress_port" not in hops[1] and hops[2]["egress_port"] == 1 and hops[3]["egress_port"] == 1, p
    assert "parsed" in hops[1]["meta"], p
    f = p["flow"]
    if " udp 10.0.0." in f:
        assert f.startswith("ipv4 udp 10.0.0.") and f.endswith("> 10.9.0.1:2000"), f
        assert hops[1]["meta"].startswith("l3=ipv4@14 l4=17@34"), hops[1]
        return "udp"
    if " tcp " in f:
        assert f.startswith("ipv4 tcp 10.1.0.") and f.endswith("> 10.9.0.2:80"), f
        assert hops[1]["meta"].startswith("l3=ipv4@14 l4=6@34"), hops[1]
        return "tcp"
    assert f.startswith("ipv6 udp 2001:db8::") and f.endswith("> 2001:db8:1::1:6"), f
    assert "l3=ipv6@18" in hops[1]["meta"] and "vlan=7" in hops[1]["meta"], hops[1]
    return "v6"

# 60 consecutive packets: more than a reply holds, so it pages, and
# every kind of packet of the capture is in it.
r = q("/zcpipe/trace", "60")
assert r["state"] == "armed" and r["wanted"] == 60, r
r = wait_done()
assert r["traced"] == 60 and r["completed"] == 60, r
assert "next" in r, "60 records fitted in one reply?"
pk = all_packets(r)
assert sorted(pk, key=int) == [str(i) for i in range(60)], sorted(pk, key=int)
kinds = {}
for k, p in pk.items():
    kind = check_path(k, p)
    kinds[kind] = kinds.get(kind, 0) + 1
assert set(kinds) == {"udp", "tcp", "v6", "runt"}, kinds

# Filters.
r = q("/zcpipe/trace", "4,proto=tcp")
assert r["filter"] == "proto=tcp", r
r = wait_done()
assert all(check_path(k, p) == "tcp" for k, p in r["packets"].items()) and len(r["packets"]) == 4, r
r = q("/zcpipe/trace", "3,src=2001:db8::/32,dport=6")
r = wait_done()
assert len(r["packets"]) == 3 and all(check_path(k, p) == "v6" for k, p in r["packets"].items()), r
r = q("/zcpipe/trace", "3,dst=10.9.0.1,sport=1003")
r = wait_done()
assert len(r["packets"]) == 3 and all(p["flow"] == "ipv4 udp 10.0.0.4:1003 > 10.9.0.1:2000"
                                      for p in r["packets"].values()), r

# Port 1 is not polled: nothing matches; stop ends it.
r = q("/zcpipe/trace", "2,port=1")
time.sleep(0.3)
r = q("/zcpipe/trace")
assert r["state"] == "armed" and r["traced"] == 0, r
again = q("/zcpipe/trace", "5")
assert "error" in again and again["state"] == "armed", again
r = q("/zcpipe/trace", "stop")
assert r["state"] == "stopped" and r["wanted"] == 0, r

for bad in ("0", "abc", "4,colour=red", "4,proto=xyz", "4,src=300.1.1.1", "100000",
            "010", "0x4", "4,port=01", "4,dport=0x50", "4,port=0,port=1"):
    r = q("/zcpipe/trace", bad)
    assert "error" in r, (bad, r)
# A port filter names a configured port (2 here): port=9 arms nothing.
r = q("/zcpipe/trace", "5,port=9")
assert r.get("error") == "port '9' is not configured (ports 0 to 1 exist)", r
r = q("/zcpipe/trace")
assert r["state"] in ("idle", "stopped") and r["wanted"] == 0, r
# The filter shown is what zcpipe understood, not the request's text.
r = q("/zcpipe/trace", "1,dst=10.9.0.1,proto=17")
assert r["filter"] == "proto=udp,dst=10.9.0.1/32", r
r = wait_done()
q("/zcpipe/trace", "stop")
r = q("/zcpipe/trace", "clear")
assert r["state"] == "idle", r

# Tracing disturbed nothing: still balanced up to what is in flight.
s = q("/zcpipe/stats")
assert s["rx"] > 0 and s["tx"] > 0 and s["in_flight"] < max(s["rx"] // 100, 10000), s
print("B: trace kinds %s" % kinds)
EOP
stop_zc b
pass "B: trace arms, filters, pages, stops; each packet's path is right"

# ---- C: two lcores joined by a ring -----------------------------------------
write_cfg "$ZC_TMP/c.ini" "net_pcap0,rx_pcap=$ZC_ROOT/pcaps/udp64.pcap,infinite_rx=1" \
	"rx parse | forward tx"
start_zc c "--lcores 0@0,1@0,2@1" "$ZC_TMP/c.ini"
check_telemetry_py
$PY - "$ZCSTAT" "$PREFIX" "$ZC_TMP/c.last" <<'EOP' || fail "C: pipeline placement"
import importlib.machinery, importlib.util, json, sys, time
loader = importlib.machinery.SourceFileLoader("zcstat", sys.argv[1])
spec = importlib.util.spec_from_loader("zcstat", loader)
zs = importlib.util.module_from_spec(spec); loader.exec_module(zs)
t = zs.Telemetry(sys.argv[2])
q = t.query
err = []
def check(cond, msg):
    if not cond:
        err.append(msg)

for _ in range(100):
    s1 = q("/zcpipe/stats")
    if s1["tx"] > 100000:
        break
    time.sleep(0.05)
check(s1["placement"] == "pipeline" and s1["workers"] == 2, "stats %s" % s1)

# zcpipe's counters bracket the driver's: ours (before) <= driver's <= ours
# (after) + one burst in progress.
z0 = q("/zcpipe/ports")["ports"]
e0, e1 = q("/ethdev/stats", "0"), q("/ethdev/stats", "1")
z1 = q("/zcpipe/ports")["ports"]
check(z0["0"]["rx_pkts"] <= e0["ipackets"] <= z1["0"]["rx_pkts"] + 32,
      "rx: zcpipe %d <= ethdev %d <= zcpipe %d" % (z0["0"]["rx_pkts"], e0["ipackets"], z1["0"]["rx_pkts"]))
check(z0["1"]["tx_pkts"] <= e1["opackets"] <= z1["1"]["tx_pkts"] + 32,
      "tx: zcpipe %d <= ethdev %d <= zcpipe %d" % (z0["1"]["tx_pkts"], e1["opackets"], z1["1"]["tx_pkts"]))

r = q("/zcpipe/rings")
check(r["nb_rings"] == 1 and list(r["rings"]) == ["zc_p0_g1"], "rings %s" % r)
ring = r["rings"]["zc_p0_g1"]
check(ring["from_lcore"] == 1 and ring["to_lcore"] == 2 and ring["pipeline"] == 0, "ring ends %s" % ring)
check(ring["size"] == 1023 and 0 <= ring["count"] <= ring["size"] and
      ring["count"] + ring["free"] == ring["size"], "ring occupancy %s" % ring)
check(1 <= ring["high_water"] <= ring["size"] and ring["enqueued"] > 0, "ring high water %s" % ring)

st = q("/zcpipe/stages")
check(list(st["stages"]) == ["p0/l1/rx", "p0/l1/parse", "p0/l2/forward", "p0/l2/tx"], "stages %s" % list(st["stages"]))
check(set(st["lcores"]) == {"1", "2"} and st["lcores"]["2"]["stages"] == "forward,tx", "lcores %s" % st["lcores"])
parse = st["stages"]["p0/l1/parse"]
check(parse["drops"].get("ring_full", 0) == ring["enqueue_failed"] or
      parse["drops"].get("ring_full", 0) >= ring["enqueue_failed"], "ring_full vs enqueue_failed")
check(st["stages"]["p0/l2/forward"]["empty_polls"] >= 0, "empty polls")

lat = q("/zcpipe/latency")
h = lat["hops"]
check(list(h) == ["p0/l2/forward", "p0/l2/tx"], "hops %s" % list(h))
check(h["p0/l2/tx"]["lcore"] == 2 and h["p0/l2/tx"]["hop"] == "rx->tx", "hop names")
for k, x in list(h.items()) + [("rx_to_tx", lat["rx_to_tx"])]:
    check(x["count"] > 0 and 0 < x["p50_ns"] <= x["p90_ns"] <= x["p99_ns"] <= x["p999_ns"] <= x["max_ns"],
          "%s: %s" % (k, x))
# The ring is crossed before forward; tx comes after forward.
check(h["p0/l2/forward"]["p50_ns"] <= h["p0/l2/tx"]["p50_ns"],
      "latency does not grow along the pipeline: %s" % {k: x["p50_ns"] for k, x in h.items()})

# A trace crosses the ring: parse on lcore 1, forward and tx on lcore 2,
# or a ring_full drop on the way.
r = q("/zcpipe/trace", "6")
for _ in range(200):
    r = q("/zcpipe/trace")
    if r["state"] == "done":
        break
    time.sleep(0.05)
check(r["state"] == "done" and len(r["packets"]) == 6, "trace: %s" % r)
for k, p in r["packets"].items():
    hops = [p["hops"][str(i)] for i in range(len(p["hops"]))]
    path = [(x["stage"], x["lcore"]) for x in hops]
    if p["verdict"] == "drop":
        check(path == [("rx", 1), ("parse", 1), ("ring", 1)] and p["reason"] == "ring_full", "trace drop %s" % p)
    else:
        check(path == [("rx", 1), ("parse", 1), ("forward", 2), ("tx", 2)] and p["egress_port"] == 1,
              "trace path %s" % path)

s2 = q("/zcpipe/stats")
for k in ("rx", "tx", "drops", "rx_bytes", "tx_bytes"):
    check(s2[k] >= s1[k], "%s went back: %d -> %d" % (k, s1[k], s2[k]))
check(s2["in_flight"] < max(s2["rx"] // 100, 10000), "in flight %s" % s2)
json.dump(s2, open(sys.argv[3], "w"))
if err:
    print("\n".join(err))
    sys.exit(1)
print("C: ring %s, rx->tx p50 %d ns" % (ring, lat["rx_to_tx"]["p50_ns"]))
EOP
stop_zc c
$PY - "$ZC_TMP/c.json" "$ZC_TMP/c.last" <<'EOP' || fail "C: summary after SIGTERM"
import json, sys
s = json.load(open(sys.argv[1]))
last = json.load(open(sys.argv[2]))
assert s["balanced"] and s["rx"] == s["tx"] + s["dropped"], s
assert s["rx"] >= last["rx"] and s["tx"] >= last["tx"] and s["dropped"] >= last["drops"], (s, last)
assert s["leaked_mbufs"] == 0, s
EOP
pass "C: rings, latency across lcores, trace across the ring, balanced at the end"

# ---- D: /zcpipe/acl and /zcpipe/routes on the router replay -----------------
P=$ZC_ROOT/pcaps
if [ -f "$P/route-in0.pcap" ] && [ -f "$P/route.routes" ] && [ -f "$P/route.acl" ]; then
	# The router test's rule, then 300 rules that never match: pages.
	{ grep -v '^[[:space:]]*#' "$P/route.acl" | grep -v '^[[:space:]]*$'
	  for i in $(seq 0 299); do
		echo "src=10.250.$((i / 256)).$((i % 256))/32 action=count"
	  done; } >"$ZC_TMP/d.acl"
	cat >"$ZC_TMP/d.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_pcap_r0,rx_pcap=$P/route-in0.pcap
mac = 02:00:00:00:00:a0
ipv4 = 10.0.0.1/24
ipv6 = 2001:db8:1::1/64
mtu = 9000

[port.1]
dev = net_pcap_r1,rx_pcap=$P/route-in1.pcap
mac = 02:00:00:00:00:a1
ipv4 = 10.0.1.1/24
ipv6 = 2001:db8:2::1/64
mtu = 9000

[port.2]
dev = net_null2
mac = 02:00:00:00:00:a2
ipv4 = 10.0.2.1/24
ipv6 = 2001:db8:3::1/64

[pipeline.0]
rx = 0:0, 1:0
stages = rx parse classify route tx

[route]
routes = $P/route.routes
neighbours = $P/route.neighbours

[acl]
rules = $ZC_TMP/d.acl
EOC
	start_zc d "-l 0-1" "$ZC_TMP/d.ini"
	check_telemetry_py
	$PY - "$ZCSTAT" "$PREFIX" "$ZC_TMP/d.acl" "$P/route.routes" "$P/route-in0.pcap" "$P/route-in1.pcap" <<'EOP' || fail "D: acl/routes"
import importlib.machinery, importlib.util, sys, time
loader = importlib.machinery.SourceFileLoader("zcstat", sys.argv[1])
spec = importlib.util.spec_from_loader("zcstat", loader)
zs = importlib.util.module_from_spec(spec); loader.exec_module(zs)
from scapy.utils import RawPcapReader
t = zs.Telemetry(sys.argv[2])
q = t.query
rules = [l.strip() for l in open(sys.argv[3])]
nroutes = sum(1 for l in open(sys.argv[4]) if l.split("#")[0].strip())
N = sum(1 for f in sys.argv[5:7] for _ in RawPcapReader(f))
for _ in range(100):
    s = q("/zcpipe/stats")
    if s.get("rx") == N and s.get("in_flight") == 0:
        break
    time.sleep(0.1)
assert s["rx"] == N and s["rx"] == s["tx"] + s["drops"], s

# Every rule exactly once over the pages, in file order, text as written.
a = q("/zcpipe/acl")
assert a["state"] == "active" and a["nb_rules"] == len(rules), a
assert "next" in a, "301 rules fitted in one reply?"
got, r = dict(a["rules"]), a
while "next" in r:
    r = q("/zcpipe/acl", str(r["next"]))
    assert r["from"] == int(min(r["rules"], key=int)), r["from"]
    assert not set(r["rules"]) & set(got), "a rule on two pages"
    got.update(r["rules"])
assert [int(k) for k in got] == list(range(len(rules))), sorted(got, key=int)[:5]
for k, x in got.items():
    assert x["rule"] == " ".join(rules[int(k)].split())[:127] or x["rule"] == rules[int(k)][:127], (x, rules[int(k)])
    assert x["line"] == int(k) + 1 and x["action"] in ("forward", "count"), x
assert got["0"]["action"] == "forward" and got["0"]["port"] == 2 and got["0"]["pkts"] == 1, got["0"]
assert all(got[str(i)]["pkts"] == 0 for i in range(1, len(rules)))
# Every packet the classify stage saw is a rule hit, a miss or not IP.
st = q("/zcpipe/stages")["stages"]
cls = st["p0/l1/classify"]["pkts_in"]
hits = sum(x["pkts"] for x in got.values())
assert hits + a["no_match"]["pkts"] + a["not_ip"]["pkts"] == cls, (hits, a["no_match"], a["not_ip"], cls)
h = q("/zcpipe/acl", "hits=0")
assert h["pkts"] == [got[str(i)]["pkts"] for i in range(len(rules))], h["pkts"][:5]
h = q("/zcpipe/acl", "hits=300")
assert h["pkts"] == [0] and "next" not in h, h

# Routes: connected and local routes of the 3 ports, then the file's.
rt = q("/zcpipe/routes")
assert rt["nb_routes"] == nroutes + 12 and len(rt["routes"]) == rt["nb_routes"], rt["nb_routes"]
texts = [rt["routes"][str(i)]["route"] for i in range(rt["nb_routes"])]
assert "10.0.0.0/24 connected port 0" in texts and "10.0.2.1/32 local port 2" in texts, texts
vias = [rt["routes"][str(i)] for i in range(rt["nb_routes"]) if " via " in texts[i]]
assert len(vias) == nroutes and sum(x["hits"] for x in vias) > 0, vias
c = rt["counters"]
assert c["forwarded"] > 0 and sum(x["hits"] for x in rt["routes"].values()) >= c["forwarded"], (c, rt)
pg = q("/zcpipe/routes", "12")
assert pg["from"] == 12 and list(pg["routes"]) == [str(i) for i in range(12, rt["nb_routes"])], pg
print("D: %d ACL rules over pages, %d routes" % (len(rules), rt["nb_routes"]))
EOP
	stop_zc d
	pass "D: /zcpipe/acl (paged, hits=) and /zcpipe/routes agree with the rule and route files"
else
	fail "D: missing pcaps/route-in0.pcap, route.routes or route.acl (scripts/gen_route_pcaps.py)"
fi

# ---- E: the trace names the ACL verdict and the route -----------------------
# The router of part D on endless input: arm a trace, and every traced
# packet that reached classify says which rule (or the default) decided,
# and every one that reached route says which route (or none) and where,
# or which ICMP error it got instead (sent, or suppressed and why).
# (infinite_rx cannot make chains: mbufs big enough for the jumbo frames)
sed -e 's|rx_pcap=\([^,]*route-in[01].pcap\)|rx_pcap=\1,infinite_rx=1|' \
	-e 's|^mode = router|mode = router\nmbuf_size = 10240|' \
	"$ZC_TMP/d.ini" >"$ZC_TMP/e.ini"
start_zc e "-l 0-1" "$ZC_TMP/e.ini"
$PY - "$ZCSTAT" "$PREFIX" <<'EOP' || fail "E: trace notes"
import importlib.machinery, importlib.util, re, sys, time
loader = importlib.machinery.SourceFileLoader("zcstat", sys.argv[1])
spec = importlib.util.spec_from_loader("zcstat", loader)
zs = importlib.util.module_from_spec(spec); loader.exec_module(zs)
q = zs.Telemetry(sys.argv[2]).query
r = q("/zcpipe/trace", "30")
for _ in range(100):
    r = q("/zcpipe/trace")
    if r.get("completed", 0) >= 30:
        break
    time.sleep(0.1)
assert r.get("completed", 0) >= 30, r
pk = dict(r["packets"])
while "next" in r:
    r = q("/zcpipe/trace", "from=%d" % r["next"])
    pk.update(r["packets"])
seen = {"acl": 0, "route": 0}
for p in pk.values():
    for h in p["hops"].values():
        note = h.get("note", "")
        if h["stage"] == "classify":
            assert re.match(r"acl (rule \d+ \w|no match: default \w|not applied)", note), h
            seen["acl"] += 1
        if h["stage"] == "route" and note:
            assert re.match(r"(route \d+ \(see /zcpipe/routes\) -> port \d+|no route|policy|\w+ -> icmp [\w-]+ (sent|suppressed: .+))", note), h
            seen["route"] += 1
assert seen["acl"] > 0 and seen["route"] > 0, seen
# The rule a trace names is the rule /zcpipe/acl lists under that index:
# only rule 0 (src 10.0.0.66, forward to port 2) matches this traffic.
q("/zcpipe/trace", "stop")
r = q("/zcpipe/trace", "2,src=10.0.0.66")
assert "error" not in r, r
for _ in range(100):
    r = q("/zcpipe/trace")
    if r.get("completed", 0) >= 2:
        break
    time.sleep(0.1)
assert r.get("completed", 0) >= 2, r
rule0 = q("/zcpipe/acl")["rules"]["0"]
assert rule0["action"] == "forward" and "10.0.0.66" in rule0["rule"], rule0
for p in r["packets"].values():
    notes = [h.get("note") for h in p["hops"].values() if h["stage"] == "classify"]
    assert notes == ["acl rule 0 forward"], (notes, p)
print("E: %s" % seen)
EOP
pass "E: trace names the ACL verdict and the route of each packet"

# ---- F: hostile parameters --------------------------------------------------
# Every /zcpipe/ command gets bytes a client should never send (control
# characters, every byte from 0x80 up, invalid and valid UTF-8, quotes and
# backslashes, numbers in other bases, overlong text). Every reply must be
# valid JSON made of printable ASCII, nothing may be armed, and zcpipe must
# keep running.
$PY - "/var/run/dpdk/$PREFIX/dpdk_telemetry.v2" <<'EOP' || fail "F: hostile parameters"
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.settimeout(5)
s.recv(1024)
CMDS = ["stats", "ports", "stages", "drops", "rings", "pools", "latency",
        "config", "acl", "routes", "trace"]
hostile = [bytes([b]) for b in range(1, 0x20) if b != 0x2c]
hostile += [bytes([b]) for b in range(0x80, 0x100)]
hostile += [b"\xc3\xa9", b"\xe2\x80\xa8", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
            b'"', b"\\", b'\\"', b"%s%s%n", b"{}", b"[", b"-1", b"+1", b"0x10",
            b"010", b"1e3", b" 1", b"1 ", b"99999999999999999999", b"A" * 900,
            b"\xff" * 300, b"5,port=\xff", b"5,src=\xc3\xa9", b"5,\x80=1",
            b"\x80,port=0", b"from=\x80", b"hits=\xfe", b"5,port=9", b"5,port=-1",
            b"5,proto=\"tcp", b"p0/l1/\xff", b"rx_to_tx\x80"]
bad = []
for c in CMDS:
    for h in hostile:
        s.send(b"/zcpipe/" + c.encode() + b"," + h)
        raw = s.recv(65536)
        try:
            assert all(0x20 <= b < 0x7f for b in raw), "not printable ASCII"
            v = json.loads(raw.decode("ascii"))["/zcpipe/" + c]
            assert v is None or isinstance(v, dict), v
            if c in ("latency", "trace") and v is not None:
                assert "error" in v, v
        except Exception as e:  # noqa: BLE001 - collected and reported
            bad.append("%s,%r: %s: %r" % (c, h[:40], e, raw[:160]))
s.send(b"/zcpipe/trace")
tr = json.loads(s.recv(65536).decode())["/zcpipe/trace"]
assert tr["state"] in ("idle", "done", "stopped") and tr["wanted"] in (0, 2), tr
s.send(b"/zcpipe/stats")
st = json.loads(s.recv(65536).decode())["/zcpipe/stats"]
assert st["state"] == "running", st
for b in bad[:20]:
    print("  " + b)
print("F: %d hostile requests, %d bad replies" % (len(CMDS) * len(hostile), len(bad)))
sys.exit(1 if bad else 0)
EOP
stop_zc e
pass "F: hostile parameters get valid JSON and change nothing"
