#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# [general] stats_period lines show rates over the period, not totals:
# a capture replayed once (port 0, no cross-connect pair: every packet is
# dropped as no_xconnect) makes the first line show packets, bits and drops
# per second, and the lines after it 0 pps and 0 drops/s. The final summary
# has no empty "actions:" line when no action ran.
source "$(dirname "$0")/lib.sh"

cat >"$ZC_TMP/sp.ini" <<EOC
[general]
mode = l2-xconnect
stats_period = 1

[port.0]
dev = net_pcap0,rx_pcap=$ZC_ROOT/pcaps/default.pcap

[port.1]
dev = net_null1

[forward]
map = 1->0
EOC
zc_start sp -f "$ZC_TMP/sp.ini"
for _ in $(seq 100); do
	n=$(grep -c '^zcpipe: port0' "$ZC_TMP/sp.out" 2>/dev/null)
	[ "${n:-0}" -ge 3 ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$ZC_TMP/sp.out"; fail "zcpipe exited"; }
	sleep 0.1
done
zc_stop_pid "$ZC_PID"
$PY - "$ZC_TMP/sp.out" <<'EOP' || { cat "$ZC_TMP/sp.out"; fail "stats lines"; }
import re, sys
text = open(sys.argv[1]).read()
mult = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
num = r"([0-9.]+)([kMGT]?)"
pat = re.compile(r"^zcpipe: port0 rx %s pps %s bit/s tx %s pps %s bit/s \| "
                 r"port1 rx .* \| drops %s/s(.*) over ([0-9.]+) s$" % ((num,) * 5), re.M)
lines = pat.findall(text)
assert len(lines) >= 3, "fewer than 3 stats lines in the expected format:\n" + text
def v(m, i):
    return float(m[2 * i]) * mult[m[2 * i + 1]]
first, later = lines[0], lines[1:]
assert v(first, 0) > 0 and v(first, 1) > 0, first
assert v(first, 4) > 0 and "no_xconnect" in first[10], first
# 8 bits per byte: bit/s over pps is the mean frame size in bits.
assert 8 * 60 <= v(first, 1) / v(first, 0) <= 8 * 1600, first
for m in later:
    assert v(m, 0) == 0 and v(m, 4) == 0, "a later period shows traffic: %s" % (m,)
    assert 0.9 <= float(m[11]) <= 1.5, m
print("first line: %s pps, %s bit/s, %s drops/s" % (v(first, 0), v(first, 1), v(first, 4)))
EOP
grep -q "=== zcpipe summary" "$ZC_TMP/sp.out" || fail "no final summary"
grep -q "^actions:" "$ZC_TMP/sp.out" && fail "empty actions: line in the summary"
pass "stats_period lines: rates per period (pps, bit/s, drops/s by reason); no empty actions line"
