#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Replay every capture in pcaps/ and pcaps/real/ through the l2
# cross-connect, in run-to-completion (1 worker) and in 2-lcore pipeline
# placement (rx parse | forward tx, joined by a ring). For each:
#  - output frames == input frames minus what L2 parsing must drop, byte for
#    byte (pcapcmp.py derives the expectation from the Ethernet format);
#  - the two placements give identical output;
#  - the summary accounts for every packet (rx = tx + drops), rx equals the
#    capture's packet count, the drop reasons match, no mbuf leaked.
source "$(dirname "$0")/lib.sh"
CMP="$PY $ZC_ROOT/tests/integration/pcapcmp.py"

write_cfg() { # write_cfg FILE INPUT OUTDIR PLACEMENT
	cat >"$1" <<EOC
[general]
mode = l2-xconnect
replay_timeout = 20

[port.0]
dev = net_pcap_a0,rx_pcap=$2,tx_pcap=$3/port0.pcap

[port.1]
dev = net_pcap_b1,tx_pcap=$3/port1.pcap

[forward]
map = 0->1, 1->0
EOC
	if [ "$4" = pipeline ]; then
		cat >>"$1" <<EOC

[pipeline.0]
rx = 0:0
stages = rx | forward tx
EOC
	fi
}

check_json() { # check_json JSON NPKTS EXPECT_JSON PLACEMENT
	$PY - "$@" <<'EOP'
import json, sys
s = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
exp = json.loads(sys.argv[3])
placement = sys.argv[4]
err = []
if s["rx"] != n: err.append("rx %d != %d packets in the capture" % (s["rx"], n))
if s["tx"] != exp["forwarded"]: err.append("tx %d != %d expected" % (s["tx"], exp["forwarded"]))
if s["rx"] + s["clones"] != s["tx"] + s["dropped"] or not s["balanced"]:
    err.append("unbalanced: rx %d tx %d dropped %d" % (s["rx"], s["tx"], s["dropped"]))
for k, v in s["drops"].items():
    if v != exp["drops"].get(k, 0): err.append("drop %s = %d, expected %d" % (k, v, exp["drops"].get(k, 0)))
if s["leaked_mbufs"] != 0: err.append("%d mbufs leaked" % s["leaked_mbufs"])
want = "pipeline" if placement == "pipeline" else "run-to-completion"
if s["placement"] != want: err.append("placement %s != %s" % (s["placement"], want))
if placement == "pipeline":
    ring_stages = [st for st in s["stages"] if st["stage"] == "forward"]
    rx_stages = [st for st in s["stages"] if st["stage"] == "rx"]
    if ring_stages[0]["lcore"] == rx_stages[0]["lcore"]:
        err.append("pipeline placement ran rx and forward on one lcore")
for e in err: print("  " + e)
sys.exit(1 if err else 0)
EOP
}

inputs=("$ZC_ROOT"/pcaps/*.pcap "$REAL_PCAPS"/*.pcap)
[ -d "$REAL_PCAPS" ] || fail "no real captures at $REAL_PCAPS"
[ ${#inputs[@]} -ge 15 ] || fail "expected at least 15 captures, found ${#inputs[@]}"

i=0
for in in "${inputs[@]}"; do
	i=$((i + 1))
	name=$(basename "$in" .pcap)
	n=$($CMP count "$in") || fail "$name: cannot read"
	for placement in rtc pipeline; do
		d="$ZC_TMP/$i-$placement"
		mkdir -p "$d"
		write_cfg "$d/zc.ini" "$in" "$d" $placement
		if [ $placement = pipeline ]; then
			# main + 2 workers on 2 cores: the main lcore sleeps.
			ZC_LCORES="0@0,1@0,2@1"
		else
			ZC_LCORES="0-1"
		fi
		if [ $placement = pipeline ]; then
			ZC_PREFIXES+=("zct-r$i$placement-$$")
			timeout -k 5 120 "$ZCPIPE" --lcores "$ZC_LCORES" --no-pci \
				--file-prefix "zct-r$i$placement-$$" \
				$(zc_have_hugepages && echo "-m 256" || echo "--no-huge -m 512") \
				--log-level='*:warning' -- -f "$d/zc.ini" --replay \
				--summary-json "$d/sum.json" >"$d/out.txt" 2>&1
		else
			ZC_LCORES=0-1 zc_replay "r$i$placement" "$d/zc.ini" &&
				cp "$ZC_TMP/r$i$placement.json" "$d/sum.json"
		fi
		rc=$?
		[ $rc -eq 0 ] || { cat "$d/out.txt" "$ZC_TMP/r$i$placement.out" 2>/dev/null | tail -20; fail "$name ($placement): zcpipe exited $rc"; }
		# The default cross-connect reads no header: every frame
		# goes through, malformed or not (parse's L2 checks are
		# in test_parse_real and the pipeline tests).
		exp=$($CMP wire "$in" "$d/port1.pcap") ||
			fail "$name ($placement): output differs from input"
		check_json "$d/sum.json" "$n" "$exp" $placement ||
			fail "$name ($placement): summary is wrong"
		[ "$($CMP count "$d/port0.pcap")" -eq 0 ] ||
			fail "$name ($placement): packets came out of the ingress port"
	done
	$CMP same "$ZC_TMP/$i-rtc/port1.pcap" "$ZC_TMP/$i-pipeline/port1.pcap" ||
		fail "$name: run-to-completion and pipeline outputs differ"
	pass "$name: $n packets, $(echo "$exp" | tr -d ' ')"
done

# The egress port's frame limit: with [port.1] mtu = 9000 it is 9,022
# bytes (MTU, Ethernet header, two VLAN tags), below net_pcap's own
# 16,128; longer frames drop as too_big_for_port, none leaves cut short.
in=$ZC_ROOT/pcaps/oversize.pcap
d=$ZC_TMP/mtu
mkdir -p "$d"
write_cfg "$d/zc.ini" "$in" "$d" rtc
sed -i 's|^\(dev = net_pcap_b1.*\)$|\1\nmtu = 9000|' "$d/zc.ini"
ZC_LCORES=0-1 zc_replay mtu "$d/zc.ini"
rc=$?
[ $rc -eq 0 ] ||
	{ tail -20 "$ZC_TMP/mtu.out"; fail "oversize, mtu 9000: zcpipe exited $rc"; }
exp=$($CMP wire "$in" "$d/port1.pcap" 9022) ||
	fail "oversize, mtu 9000: output differs"
check_json "$ZC_TMP/mtu.json" "$($CMP count "$in")" "$exp" rtc ||
	fail "oversize, mtu 9000: summary is wrong"
grep -q '"too_big_for_port": 3' <<<"$exp" ||
	fail "oversize, mtu 9000: expected 3 frames over the limit, model says $exp"
pass "oversize.pcap through a port with mtu 9000: $(echo "$exp" | tr -d ' ')"
