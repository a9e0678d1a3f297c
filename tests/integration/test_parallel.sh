#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Parallel pipelines: two [pipeline.N] sections, each polling its own port
# on its own worker lcore, each with its own TX queue on every port (the
# net_pcap ports get one tx_pcap file per TX queue). Every input frame must
# come out of the peer port exactly once, in order, and the counters must
# add up per pipeline.
source "$(dirname "$0")/lib.sh"
CMP="$PY $ZC_ROOT/tests/integration/pcapcmp.py"
A=$ZC_ROOT/pcaps/default.pcap
B=$REAL_PCAPS/zeek-http-bro.org.pcap
d=$ZC_TMP
cat >"$d/zc.ini" <<EOC
[port.0]
dev = net_pcap_p0,rx_pcap=$A,tx_pcap=$d/p0q0.pcap,tx_pcap=$d/p0q1.pcap
[port.1]
dev = net_pcap_p1,rx_pcap=$B,tx_pcap=$d/p1q0.pcap,tx_pcap=$d/p1q1.pcap
[forward]
map = 0->1, 1->0
[pipeline.0]
rx = 0:0
[pipeline.1]
rx = 1:0
EOC
ZC_PREFIXES+=("zct-par-$$")
timeout -k 5 120 "$ZCPIPE" --lcores 0@0,1@0,2@1 --no-pci --file-prefix "zct-par-$$" \
	$(zc_have_hugepages && echo "-m 256" || echo "--no-huge -m 512") \
	--log-level='*:warning' -- -f "$d/zc.ini" --replay \
	--summary-json "$d/sum.json" >"$d/out.txt" 2>&1 ||
	{ cat "$d/out.txt"; fail "zcpipe failed"; }

# Pipeline 0 (lcore 1) owns TX queue 0 of both ports, pipeline 1 queue 1.
exp=$($CMP wire "$A" "$d/p1q0.pcap") || fail "port 0 input did not come out of port 1 queue 0 intact"
[ "$($CMP count "$d/p1q1.pcap")" -eq 0 ] || fail "pipeline 1 sent port 0's packets"
$CMP wire "$B" "$d/p0q1.pcap" >/dev/null || fail "port 1 input did not come out of port 0 queue 1 intact"
[ "$($CMP count "$d/p0q0.pcap")" -eq 0 ] || fail "pipeline 0 sent port 1's packets"
$PY - "$d/sum.json" <<'EOP' || fail "summary"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["balanced"] and s["leaked_mbufs"] == 0, s
lcores = {(st["pipeline"], st["lcore"]) for st in s["stages"]}
assert len({l for _, l in lcores}) == 2, "pipelines share an lcore: %s" % lcores
rx = {st["pipeline"]: st["pkts_out"] for st in s["stages"] if st["stage"] == "rx"}
assert rx == {0: 202, 1: 751}, rx
EOP
pass "2 pipelines on 2 lcores, $(echo $exp | tr -d ' ') + 751 bro.org frames, own TX queues"
