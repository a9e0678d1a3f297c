# SPDX-License-Identifier: BSD-3-Clause
# Cost of the statistics, sourced by scripts/bench.sh (uses its TMP, ROOT,
# PY, MEM, PIDS, PREFIXES, WINDOW, WARMUP).
#
# The router (default chain, 1,000 routes from scripts/gen_routes.py, 64 B
# frames on two net_pcap infinite_rx ports) built as usual (every counter
# and the latency histograms on) against build-nostats/zcpipe (make
# nostats: -DZC_NO_STATS). Target: >= 0.97.
#
# Both run at the same time with the worker on the same CPU, and each is
# measured in packets per CPU-second of its worker thread (opackets over
# utime + stime of the thread "rte-worker-1"): the scheduler's share and
# the other load on the machine then cancel out, which back-to-back runs on
# a shared 2-vCPU machine do not (they vary by +-10 %). The median of 3
# rounds is reported.

TEL_ZC=${ZCPIPE_BIN:-$ROOT/build/zcpipe}
TEL_NS=$ROOT/build-nostats/zcpipe
make --no-print-directory -C "$ROOT" nostats >/dev/null ||
	echo "bench: telemetry: cannot build build-nostats/zcpipe" >&2
mkdir -p "$TMP/tel"
$PY "$ROOT/scripts/gen_routes.py" -n 1000 --pcap 4096 --ini -o "$TMP/tel" \
	>/dev/null || echo "bench: telemetry: gen_routes.py failed" >&2
# Two instances at once: each needs room for 2 x 4,096 replayed frames.
sed -i 's/^mode = router$/mode = router\npool_size = 16383/' \
	"$TMP/tel/bench-router.ini"

# Worker thread CPU ticks (utime + stime) of a zcpipe.
tel_ticks() {
	local t
	for t in /proc/"$1"/task/*; do
		if grep -q 'worker-1' "$t/comm" 2>/dev/null; then
			awk '{print $14 + $15}' "$t/stat"
			return
		fi
	done
	echo 0
}

tel_round() {
	local ps pn a1 a2 b1 b2 ca1 ca2 cb1 cb2
	PREFIXES+=(zcb-tel-s zcb-tel-n)
	"$TEL_ZC" -l 0-1 --no-pci --file-prefix zcb-tel-s "${MEM[@]}" \
		--log-level='*:error' -- -f "$TMP/tel/bench-router.ini" \
		>"$TMP/tel-s.log" 2>&1 </dev/null &
	ps=$!
	"$TEL_NS" -l 0-1 --no-pci --file-prefix zcb-tel-n "${MEM[@]}" \
		--log-level='*:error' -- -f "$TMP/tel/bench-router.ini" \
		>"$TMP/tel-n.log" 2>&1 </dev/null &
	pn=$!
	PIDS+=("$ps" "$pn")
	sleep "$($PY -c "print($WARMUP + 2)")"
	a1=$(opackets zcb-tel-s); ca1=$(tel_ticks $ps)
	b1=$(opackets zcb-tel-n); cb1=$(tel_ticks $pn)
	sleep "$WINDOW"
	a2=$(opackets zcb-tel-s); ca2=$(tel_ticks $ps)
	b2=$(opackets zcb-tel-n); cb2=$(tel_ticks $pn)
	kill -TERM "$ps" "$pn" 2>/dev/null
	wait "$ps" "$pn" 2>/dev/null
	rm -rf /var/run/dpdk/zcb-tel-s /var/run/dpdk/zcb-tel-n
	$PY -c "
s = ($a2 - $a1) / max($ca2 - $ca1, 1)
n = ($b2 - $b1) / max($cb2 - $cb1, 1)
print('%.4f' % (s / n if n else 0))" 2>/dev/null || echo 0
}

if [ -x "$TEL_NS" ] && [ -f "$TMP/tel/bench-router.ini" ]; then
	tel_r=$(for i in 1 2 3; do tel_round; done | sort -n | sed -n 2p)
	printf '%-40s %6s   %-14s %s\n' "router, statistics on / compiled out" "-" \
		"$tel_r" "$($PY -c "print('>= 0.97: ' + ('met' if $tel_r >= 0.97 else 'NOT MET'))")"
fi
