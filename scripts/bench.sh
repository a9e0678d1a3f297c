#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# `make bench`: zcpipe against DPDK's own testpmd (io) and l3fwd (lpm, fib,
# acl), side by side in one run, on identical work.
#
# Every profile runs on the same vdevs: two net_pcap ports replaying a
# capture forever (infinite_rx=1), TX dropped by the PMD (no tx_pcap), one
# forwarding lcore. The routing work (routes, neighbours, ACL rules,
# captures) comes from one description, scripts/gen_l3bench.py; l3fwd is
# built from the dpdk-doc package by scripts/build-l3fwd.sh. The rate is
# the sum of both ports' opackets from the DPDK telemetry socket
# (/ethdev/stats) over the same window, after the same warm-up, the same
# reader for every program. BENCH_ROUNDS rounds (default 3), each running
# every program once in turn; the table shows medians. Only ratios from
# one run mean anything (see docs/performance.md).
#
#   scripts/bench.sh [WINDOW_SECONDS]      default 3
#   scripts/bench.sh --inputs              say which captures it would
#                                          replay, and measure nothing
#   BENCH_EXTRA=0 skips the profiles of scripts/bench.d/
#   BENCH_MIX=FILE replays FILE as the traffic mix
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
INPUTS_ONLY=""
if [ "${1:-}" = "--inputs" ]; then
	INPUTS_ONLY=1
	shift
fi
UDP64=$ROOT/pcaps/udp64.pcap
# The real traffic mix (pcaps/real/, SOURCES.md). Should it be missing,
# the mix rows replay the 64-byte capture instead, and every line that
# does says so: their name and a note above the table.
BRO=${BENCH_MIX:-$ROOT/pcaps/real/zeek-http-bro.org.pcap}
BRO_NAME="bro.org mix"
BRO_NOTE=""
if [ ! -f "$BRO" ]; then
	BRO_NOTE="NOTE: $BRO not found: the mix rows replay pcaps/udp64.pcap instead (marked 'udp64 SUBSTITUTED for bro.org mix'); set BENCH_MIX=FILE to give the mix"
	BRO=$UDP64
	BRO_NAME="udp64 SUBSTITUTED for bro.org mix"
fi
if [ -n "$INPUTS_ONLY" ]; then
	[ -n "$BRO_NOTE" ] && echo "$BRO_NOTE"
	echo "64 B: $UDP64"
	echo "mix ($BRO_NAME): $BRO"
	exit 0
fi
WINDOW=${1:-${BENCH_WINDOW:-3}}
WARMUP=${BENCH_WARMUP:-1.5}
PY=/usr/bin/python3
TESTPMD=$(command -v dpdk-testpmd || echo /usr/bin/dpdk-testpmd)
TMP=$(mktemp -d /tmp/zcbench.XXXXXX)
PIDS=()
PREFIXES=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null && { sleep 1; kill -KILL "$p" 2>/dev/null; }
		wait "$p" 2>/dev/null
	done
	for p in "${PREFIXES[@]}"; do rm -rf "/var/run/dpdk/$p"; done
	for p in "$TMP"/.prefix.*; do
		[ -e "$p" ] && rm -rf "/var/run/dpdk/${p##*/.prefix.}"
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# The 1M-route profiles take about 1 GiB each.
if scripts/hugepages.sh 2048 >/dev/null; then
	MEM=(-m 512)
else
	echo "bench: WARNING: no hugepages: numbers with --no-huge are not meaningful" >&2
	MEM=(--no-huge -m 512)
fi

# opackets of ports 0 and 1, summed, from a process's telemetry socket.
opackets() {
	$PY - "/var/run/dpdk/$1/dpdk_telemetry.v2" <<'EOP'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.recv(1024)
total = 0
for port in (0, 1):
    s.send(("/ethdev/stats,%d" % port).encode())
    total += json.loads(s.recv(65536))["/ethdev/stats"]["opackets"]
print(total)
EOP
}

# measure NAME PREFIX CMD...: start CMD, warm up, count opackets over the
# window, stop it. Prints Mpps.
measure() {
	local name=$1 prefix=$2; shift 2
	local pid a b t0 t1 i
	# Called in $(...): note the prefix in a file for cleanup().
	touch "$TMP/.prefix.$prefix"
	"$@" >"$TMP/$name.log" 2>&1 </dev/null &
	pid=$!
	PIDS+=("$pid")
	for i in $(seq 50); do
		[ -S "/var/run/dpdk/$prefix/dpdk_telemetry.v2" ] && break
		sleep 0.2
	done
	# The socket comes with the EAL, before the tables are loaded (1M
	# routes take seconds): warm up from the first packet sent.
	for i in $(seq 300); do
		a=$(opackets "$prefix" 2>/dev/null) || a=0
		[ "${a:-0}" -gt 0 ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	sleep "$WARMUP"
	a=$(opackets "$prefix") || { tail "$TMP/$name.log" >&2; echo 0; return; }
	t0=$(date +%s.%N)
	sleep "$WINDOW"
	b=$(opackets "$prefix")
	t1=$(date +%s.%N)
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	cp "$TMP/$name.log" "$ROOT/build/bench-$name.log" 2>/dev/null
	$PY -c "print('%.2f' % (($b - $a) / ($t1 - $t0) / 1e6))"
}

vdevs() { # vdevs CAPTURE: the two ports as --vdev arguments
	echo "--vdev net_pcap0,rx_pcap=$1,infinite_rx=1 --vdev net_pcap1,rx_pcap=$1,infinite_rx=1"
}

testpmd() { # testpmd NAME CAPTURE MODE
	measure "$1" "zcb-$1" "$TESTPMD" -l 0-1 --no-pci --file-prefix "zcb-$1" \
		"${MEM[@]}" $(vdevs "$2") -- --forward-mode="$3" --nb-cores=1 \
		--no-flush-rx -a --stats-period 60 --total-num-mbufs=16384 \
		--burst=32
}

zcpipe() { # zcpipe NAME CAPTURE STAGES [EAL lcores] [extra config]
	local name=$1 cap=$2 stages=$3 lcores=${4:--l 0-1} extra=${5:-}
	cat >"$TMP/$name.ini" <<EOC
[general]
mode = ${ZC_MODE:-l2-xconnect}
burst = 32
$extra
[port.0]
dev = net_pcap0,rx_pcap=$cap,infinite_rx=1
[port.1]
dev = net_pcap1,rx_pcap=$cap,infinite_rx=1
[forward]
map = 0->1, 1->0
[pipeline.0]
rx = 0:0, 1:0
${stages:+stages = $stages}
EOC
	measure "$name" "zcb-$name" "$ROOT/build/zcpipe" $lcores --no-pci \
		--file-prefix "zcb-$name" "${MEM[@]}" --log-level='*:warning' \
		-- -f "$TMP/$name.ini"
}

ratio() { $PY -c "print('%.2f' % ($1 / $2 if $2 > 0 else 0))"; }

ROUNDS=${BENCH_ROUNDS:-3}
L3FWD=$(scripts/build-l3fwd.sh) || { echo "bench: cannot build l3fwd" >&2; exit 1; }

# l3fwd NAME DIR MODE IN0 IN1 [EAL memory]: one lcore, both ports.
l3fwd() {
	local name=$1 d=$2 mode=$3 in0=$4 in1=$5 mem=${6:-}
	local v4=$d/l3fwd.v4 v6=$d/l3fwd.v6
	if [ "$mode" = acl ]; then
		v4=$d/l3fwd-acl.v4
		v6=$d/l3fwd-acl.v6
	fi
	measure "$name" "zcb-$name" "$L3FWD" -l 1 --no-pci \
		--file-prefix "zcb-$name" ${mem:-"${MEM[@]}"} \
		--vdev "net_pcap0,rx_pcap=$in0,infinite_rx=1" \
		--vdev "net_pcap1,rx_pcap=$in1,infinite_rx=1" -- -p 0x3 -P \
		--config '(0,0,1),(1,0,1)' --parse-ptype --lookup "$mode" \
		--rule_ipv4="$v4" --rule_ipv6="$v6"
}

# zcrouter NAME INI IN0 IN1 [EAL memory]: the generated router
# configuration replaying other captures.
zcrouter() {
	local name=$1 ini=$2 in0=$3 in1=$4 mem=${5:-}
	sed -e "s|rx_pcap=[^,]*in0.pcap|rx_pcap=$in0|" \
	    -e "s|rx_pcap=[^,]*in1.pcap|rx_pcap=$in1|" "$ini" >"$TMP/$name.ini"
	measure "$name" "zcb-$name" "$ROOT/build/zcpipe" -l 0-1 --no-pci \
		--file-prefix "zcb-$name" ${mem:-"${MEM[@]}"} \
		--log-level='*:warning' -- -f "$TMP/$name.ini"
}

median() { $PY -c "import sys, statistics; v = [float(x) for x in sys.argv[1:]]; print('%.2f' % statistics.median(v) if v else 0)" "$@"; }

echo "zcpipe benchmark: window ${WINDOW}s after ${WARMUP}s warm-up, $ROUNDS rounds (medians), $(nproc) cores, $(date -u +%F)"
[ -n "$BRO_NOTE" ] && echo "$BRO_NOTE"
G=$TMP/gen
$PY scripts/gen_l3bench.py -o "$G/64" --mix "$BRO" >/dev/null &&
$PY scripts/gen_l3bench.py -o "$G/1500" --size 1500 >/dev/null &&
$PY scripts/gen_l3bench.py -o "$G/1m" -n 1000000 --acl 0 >/dev/null ||
	{ echo "bench: gen_l3bench.py failed" >&2; exit 1; }
M1=(-m 1536)

# Each profile: a name, then "label|command" for the anchor and for zcpipe
# (and a second anchor, reported only). Within a round every program runs
# once, in this order, so that drift over time touches them alike.
declare -A R
run_round() {
	local k=$1
	R[tp64]+=" $(testpmd tp64-$k "$UDP64" io)"
	R[xc64]+=" $(zcpipe xc64-$k "$UDP64" "")"
	R[tp1500]+=" $(testpmd tp1500-$k "$G/1500/in0.pcap" io)"
	R[xc1500]+=" $(zcpipe xc1500-$k "$G/1500/in0.pcap" "")"
	R[tpmix]+=" $(testpmd tpmix-$k "$BRO" io)"
	R[xcmix]+=" $(zcpipe xcmix-$k "$BRO" "")"
	R[lpm64]+=" $(l3fwd lpm64-$k "$G/64" lpm "$G/64/in0.pcap" "$G/64/in1.pcap")"
	R[fib64]+=" $(l3fwd fib64-$k "$G/64" fib "$G/64/in0.pcap" "$G/64/in1.pcap" "-m 1024")"
	R[rt64]+=" $(zcrouter rt64-$k "$G/64/zc-router.ini" "$G/64/in0.pcap" "$G/64/in1.pcap")"
	R[lpm1500]+=" $(l3fwd lpm1500-$k "$G/1500" lpm "$G/1500/in0.pcap" "$G/1500/in1.pcap")"
	R[rt1500]+=" $(zcrouter rt1500-$k "$G/1500/zc-router.ini" "$G/1500/in0.pcap" "$G/1500/in1.pcap")"
	R[lpmmix]+=" $(l3fwd lpmmix-$k "$G/64" lpm "$G/64/mix0.pcap" "$G/64/mix1.pcap")"
	R[rtmix]+=" $(zcrouter rtmix-$k "$G/64/zc-router.ini" "$G/64/mix0.pcap" "$G/64/mix1.pcap")"
	R[acl64]+=" $(l3fwd acl64-$k "$G/64" acl "$G/64/in0.pcap" "$G/64/in1.pcap")"
	R[ra64]+=" $(zcrouter ra64-$k "$G/64/zc-router-acl.ini" "$G/64/in0.pcap" "$G/64/in1.pcap")"
	R[acl1500]+=" $(l3fwd acl1500-$k "$G/1500" acl "$G/1500/in0.pcap" "$G/1500/in1.pcap")"
	R[ra1500]+=" $(zcrouter ra1500-$k "$G/1500/zc-router-acl.ini" "$G/1500/in0.pcap" "$G/1500/in1.pcap")"
	R[aclmix]+=" $(l3fwd aclmix-$k "$G/64" acl "$G/64/mix0.pcap" "$G/64/mix1.pcap")"
	R[ramix]+=" $(zcrouter ramix-$k "$G/64/zc-router-acl.ini" "$G/64/mix0.pcap" "$G/64/mix1.pcap")"
	R[fib1m]+=" $(l3fwd fib1m-$k "$G/1m" fib "$G/1m/in0.pcap" "$G/1m/in1.pcap" "${M1[*]}")"
	R[rt1m]+=" $(zcrouter rt1m-$k "$G/1m/zc-router.ini" "$G/1m/in0.pcap" "$G/1m/in1.pcap" "${M1[*]}")"
}
for k in $(seq "$ROUNDS"); do
	echo "  round $k of $ROUNDS ..."
	run_round "$k"
done
declare -A MED
for key in "${!R[@]}"; do
	MED[$key]=$(median ${R[$key]})
done

target() { # target RATIO GOAL
	$PY -c "r, g = $1, $2; print('>= %.2f: %s' % (g, 'met' if r >= g else 'NOT MET'))"
}
row() { # row LABEL ANCHOR_KEY ZC_KEY [GOAL]
	local r
	r=$(ratio "${MED[$3]}" "${MED[$2]}")
	printf '%-34s %8s %8s %7s   %s\n' "$1" "${MED[$2]}" "${MED[$3]}" "$r" \
		"${4:+$(target "$r" "$4")}"
}
echo
echo "work                               anchor   zcpipe   ratio   target   (Mpps, medians of $ROUNDS)"
row "cross-connect 64 B  (testpmd io)" tp64 xc64 0.90
row "cross-connect 1500 B (testpmd io)" tp1500 xc1500
row "cross-connect $BRO_NAME (testpmd io)" tpmix xcmix
row "router 64 B         (l3fwd lpm)" lpm64 rt64 0.75
row "router 64 B         (l3fwd fib)" fib64 rt64
row "router 1500 B       (l3fwd lpm)" lpm1500 rt1500
row "router $BRO_NAME (l3fwd lpm)" lpmmix rtmix
row "router+ACL100 64 B  (l3fwd acl)" acl64 ra64 1.00
row "router+ACL100 1500 B (l3fwd acl)" acl1500 ra1500
row "router+ACL100 $BRO_NAME (l3fwd acl)" aclmix ramix
row "router 1M routes    (l3fwd fib)" fib1m rt1m
$PY - "${MED[rt64]}" "${MED[fib64]}" "${MED[rt1m]}" "${MED[fib1m]}" <<'EOP'
import sys
a, b, c, d = (float(x) for x in sys.argv[1:])
r1k = a / b if b else 0
r1m = c / d if d else 0
ok = r1k and abs(r1m - r1k) / r1k <= 0.10
print("1M-route ratio vs fib %.2f against %.2f at 1,000 routes: within 10%%: %s"
      % (r1m, r1k, "met" if ok else "NOT MET"))
EOP
grep -h "route: .* loaded" "$ROOT"/build/bench-rt1m-1.log 2>/dev/null | sed 's/^zcpipe: /  /'
echo "  all rounds (Mpps):"
for key in $(printf '%s\n' "${!R[@]}" | sort); do
	printf '    %-8s %s\n' "$key" "${R[$key]}"
done
echo "  cycles/pkt per stage, router 64 B (round 1):"
sed -n '/^stages:/,/^drops:/p' "$ROOT/build/bench-rt64-1.log" 2>/dev/null |
	awk '/cycles\/pkt/ {printf "    %-10s %s\n", $1, $NF}'
echo "  copied bytes (copy counter) in every zcpipe profile:"
grep -h "bytes copied" "$ROOT"/build/bench-xc*-1.log "$ROOT"/build/bench-r*-1.log 2>/dev/null |
	sort | uniq -c | sed 's/^/   /'

# Further profiles (zero-copy actions, statistics cost) from bench.d/.
for extra in "$ROOT"/scripts/bench.d/*.sh; do
	[ "${BENCH_EXTRA:-1}" != 0 ] && [ -f "$extra" ] && source "$extra"
done
echo "logs: build/bench-*.log"
