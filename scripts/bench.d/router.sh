# SPDX-License-Identifier: BSD-3-Clause
# Router profile for scripts/bench.sh (sourced: uses its measure, testpmd,
# ratio, TMP, ROOT, PY, MEM, TESTPMD, BRO, BRO_NAME).
#
# The full router on one worker lcore: parse + ACL (100 rules, default
# permit) + LPM (1,000 routes, a quarter IPv6) + TTL/MAC rewrite, against
# testpmd io and csum on the same inputs: 64-byte UDP to the generated
# routes, and the bro.org mix (its destination MACs set to the router's
# port, a default route added, so that it is routed rather than dropped).
# Target: >= 0.60x testpmd io at 64 bytes. Also: the ACL build time and
# memory for 10,000 rules.

echo "-- router (scripts/bench.d/router.sh) --"
RT=$TMP/router
mkdir -p "$RT"
$PY "$ROOT/scripts/gen_routes.py" -n 1000 --pcap 1024 --ini -o "$RT" >/dev/null ||
	echo "bench: router: gen_routes.py failed" >&2
$PY "$ROOT/scripts/gen_acl_rules.py" -n 100 -o "$RT/acl100.rules" >/dev/null ||
	echo "bench: router: gen_acl_rules.py failed" >&2
echo "0.0.0.0/0 via $(awk '$NF=="1" && $2=="via" {print $3; exit}' "$RT/bench.routes") port 1" \
	>>"$RT/bench.routes"
# bro.org frames addressed to port 0's MAC, so that the router takes them.
$PY - "$BRO" "$RT/bro-rt.pcap" 2>/dev/null <<'EOP'
import sys
from scapy.utils import RawPcapReader, wrpcap
from scapy.all import Raw
out = []
for data, _ in RawPcapReader(sys.argv[1]):
    b = bytearray(data)
    b[0:6] = bytes.fromhex("0200000000a0")
    out.append(Raw(bytes(b)))
wrpcap(sys.argv[2], out, linktype=1)
EOP

rt_cfg() { # rt_cfg NAME CAPTURE0 CAPTURE1
	sed -e "s|rx_pcap=[^,]*bench-in0.pcap|rx_pcap=$2|" \
	    -e "s|rx_pcap=[^,]*bench-in1.pcap|rx_pcap=$3|" \
	    "$RT/bench-router.ini" >"$TMP/$1.ini"
	printf '[acl]\nrules = %s\ndefault = permit\n[pipeline.0]\nrx = 0:0, 1:0\n' \
		"$RT/acl100.rules" >>"$TMP/$1.ini"
	measure "$1" "zcb-$1" "$ROOT/build/zcpipe" -l 0-1 --no-pci \
		--file-prefix "zcb-$1" "${MEM[@]}" --log-level='*:warning' \
		-- -f "$TMP/$1.ini"
}
tp_rt() { # tp_rt NAME CAPTURE0 CAPTURE1 MODE
	measure "$1" "zcb-$1" "$TESTPMD" -l 0-1 --no-pci --file-prefix "zcb-$1" \
		"${MEM[@]}" --vdev "net_pcap0,rx_pcap=$2,infinite_rx=1" \
		--vdev "net_pcap1,rx_pcap=$3,infinite_rx=1" -- \
		--forward-mode="$4" --nb-cores=1 --no-flush-rx -a \
		--stats-period 60 --total-num-mbufs=16384 --burst=32
}

tpr=$(tp_rt tp-io-rt "$RT/bench-in0.pcap" "$RT/bench-in1.pcap" io)
printf '%-40s %6s   %-14s %s\n' "testpmd io, router 64 B input" "$tpr" "1.00" ""
tpc=$(tp_rt tp-csum-rt "$RT/bench-in0.pcap" "$RT/bench-in1.pcap" csum)
printf '%-40s %6s   %-14s %s\n' "testpmd csum, router 64 B input" "$tpc" "$(ratio $tpc $tpr)" ""
zr=$(rt_cfg zc-router-64 "$RT/bench-in0.pcap" "$RT/bench-in1.pcap")
r=$(ratio $zr $tpr)
printf '%-40s %6s   %-14s %s\n' "zcpipe router+ACL100+LPM1000, 64 B" "$zr" "$r" \
	"$($PY -c "print('>= 0.60: ' + ('met' if $r >= 0.60 else 'NOT MET'))")"
tpb=$(tp_rt tp-io-rtbro "$RT/bro-rt.pcap" "$RT/bro-rt.pcap" io)
zb=$(rt_cfg zc-router-bro "$RT/bro-rt.pcap" "$RT/bro-rt.pcap")
printf '%-40s %6s   %-14s %s\n' "zcpipe router, $BRO_NAME" "$zb" "$(ratio $zb $tpb)" "(testpmd io $tpb)"
echo "  cycles/pkt per stage, router 64 B (rdtsc in zcpipe):"
sed -n '/^stages:/,/^drops:/p' "$ROOT/build/bench-zc-router-64.log" |
	awk '/cycles\/pkt/ {printf "    %-10s %s\n", $1, $NF}'

$PY "$ROOT/scripts/gen_acl_rules.py" -n 10000 -o "$RT/acl10k.rules" >/dev/null
if [ -x "$ROOT/build/tests/test_acl" ]; then
	ZC_ACL_BENCH_RULES="$RT/acl10k.rules" "$ROOT/build/tests/test_acl" 2>/dev/null |
		grep "acl build:" | sed 's|^|  |; s|'"$RT"'/||'
else
	echo "  acl build: run make unit-bins first for the 10,000-rule figures"
fi
