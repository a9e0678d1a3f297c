#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# `make bench`: zcpipe against dpdk-testpmd, side by side in one run.
#
# Every profile runs on the same vdevs: two net_pcap ports replaying a
# capture forever (infinite_rx=1), TX dropped by the PMD (no tx_pcap), one
# forwarding lcore unless said otherwise. The rate is the sum of both
# ports' opackets from the DPDK telemetry socket (/ethdev/stats) over the
# same window, after the same warm-up. Only ratios from one run mean
# anything (see docs/performance.md).
#
#   scripts/bench.sh [WINDOW_SECONDS]      default 5
#   scripts/bench.sh --inputs              say which captures it would
#                                          replay, and measure nothing
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
INPUTS_ONLY=""
if [ "${1:-}" = "--inputs" ]; then
	INPUTS_ONLY=1
	shift
fi
WINDOW=${1:-${BENCH_WINDOW:-5}}
WARMUP=${BENCH_WARMUP:-2}
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

if [ -n "$INPUTS_ONLY" ]; then
	MEM=()
elif scripts/hugepages.sh 1024 >/dev/null; then
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
stages = $stages
EOC
	measure "$name" "zcb-$name" "$ROOT/build/zcpipe" $lcores --no-pci \
		--file-prefix "zcb-$name" "${MEM[@]}" --log-level='*:warning' \
		-- -f "$TMP/$name.ini"
}

ratio() { $PY -c "print('%.2f' % ($1 / $2 if $2 > 0 else 0))"; }

UDP64=$ROOT/pcaps/udp64.pcap
# The real traffic mix lives outside the repository. Without it the mix
# rows replay the 64-byte capture instead, and every line that does says
# so: their name (BRO_NAME) and a note above the table.
BRO=${BENCH_MIX:-$ROOT/../shared/pcaps/real/zeek-http-bro.org.pcap}
BRO_NAME="bro.org mix"
BRO_NOTE=""
if [ ! -f "$BRO" ]; then
	BRO_NOTE="NOTE: $BRO not found: the mix rows replay pcaps/udp64.pcap instead (marked 'udp64 SUBSTITUTED for bro.org mix'); set BENCH_MIX=FILE to give the mix"
	BRO=$UDP64
	BRO_NAME="udp64 SUBSTITUTED for bro.org mix"
fi

echo "zcpipe benchmark: window ${WINDOW}s after ${WARMUP}s warm-up, $(nproc) cores, $(date -u +%F)"
[ -n "$BRO_NOTE" ] && echo "$BRO_NOTE"
if [ -n "$INPUTS_ONLY" ]; then
	echo "64 B: $UDP64"
	echo "mix ($BRO_NAME): $BRO"
	exit 0
fi
echo "profile                                   Mpps   vs testpmd io   target"

tp64=$(testpmd tp-io-64 "$UDP64" io)
printf '%-40s %6s   %-14s %s\n' "testpmd io, 64 B UDP" "$tp64" "1.00" ""
tpcs=$(testpmd tp-csum-64 "$UDP64" csum)
printf '%-40s %6s   %-14s %s\n' "testpmd csum, 64 B UDP" "$tpcs" "$(ratio $tpcs $tp64)" ""

x64=$(zcpipe zc-xc-64 "$UDP64" "rx parse forward tx")
r=$(ratio $x64 $tp64)
printf '%-40s %6s   %-14s %s\n' "zcpipe l2-xconnect rtc, 64 B" "$x64" "$r" \
	"$($PY -c "print('>= 0.95: ' + ('met' if $r >= 0.95 else 'NOT MET'))")"

xp64=$(zcpipe zc-xcpipe-64 "$UDP64" "rx parse | forward tx" "--lcores 0@0,1@0,2@1")
printf '%-40s %6s   %-14s %s\n' "zcpipe l2-xconnect 2-lcore pipeline, 64 B" "$xp64" "$(ratio $xp64 $tp64)" "(2 workers on 2 cores)"

tpbro=$(testpmd tp-io-bro "$BRO" io)
printf '%-40s %6s   %-14s %s\n' "testpmd io, $BRO_NAME" "$tpbro" "1.00" ""
xbro=$(zcpipe zc-xc-bro "$BRO" "rx parse forward tx")
printf '%-40s %6s   %-14s %s\n' "zcpipe l2-xconnect rtc, $BRO_NAME" "$xbro" "$(ratio $xbro $tpbro)" ""

# Further profiles (router, ACL scale, zero-copy, telemetry cost) are added
# by scripts/bench.d/*.sh when present; each prints its own lines.
for extra in "$ROOT"/scripts/bench.d/*.sh; do
	[ -f "$extra" ] && source "$extra"
done
[ -n "$BRO_NOTE" ] && echo "$BRO_NOTE"
echo "logs: build/bench-*.log"
