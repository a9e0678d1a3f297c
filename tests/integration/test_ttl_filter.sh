#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The ttl_filter stage (lib/ttlfilter/ttl_filter.c), the worked example of
# docs/architecture.md: a stage added in one file, with its own section.
#  - rx parse ttl_filter forward tx, [ttl_filter] min_ttl = 4, on a capture
#    of IPv4 and IPv6 packets with TTLs/hop limits around the limit, an
#    ARP packet and a runt: exactly the packets below 4 drop, counted as
#    ttl_below_min by the ttl_filter stage; the rest leave port 1 byte for
#    byte, in order; every packet is accounted for, no mbuf leaked;
#  - the same with min_ttl = 1 (the default): only the TTL 0 packet drops;
#  - ttl_filter before parse is refused by the stage contract, before any
#    port starts; so are a bad min_ttl and a [ttl_filter] that no chain
#    runs;
#  - --list-stages shows its contract.
source "$(dirname "$0")/lib.sh"
cd "$ZC_TMP"

# TTL/hop limit of each IP packet; its fate with min_ttl = 4.
$PY - <<'EOP' || fail "cannot write the capture"
from scapy.all import ARP, Ether, IP, IPv6, UDP, TCP, Raw, wrpcap
E = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
pkts = []
for ttl in (0, 1, 3, 4, 5, 64, 255):
    pkts.append(E / IP(src="10.0.0.1", dst="10.0.0.2", ttl=ttl) / UDP(dport=ttl + 1000) / Raw(b"x" * 18))
for hlim in (2, 3, 4, 200):
    pkts.append(E / IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=hlim) / TCP(dport=hlim + 2000))
pkts.append(E / ARP(psrc="10.0.0.1", pdst="10.0.0.2"))
# Not IP at all: goes on untouched whatever its bytes.
pkts.append(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02", type=0x88b5) / Raw(b"\x00" * 46))
wrpcap("ttl.pcap", pkts)
EOP

write_cfg() { # write_cfg FILE OUTDIR STAGES [TTL SECTION]
	cat >"$1" <<EOC
[general]
mode = l2-xconnect
replay_timeout = 20

[port.0]
dev = net_pcap_t0,rx_pcap=$ZC_TMP/ttl.pcap

[port.1]
dev = net_pcap_t1,tx_pcap=$2/port1.pcap

[forward]
map = 0->1

[pipeline.0]
rx = 0:0
stages = $3
EOC
	[ -z "${4:-}" ] || printf '%b' "$4" >>"$1"
}

check() { # check MIN_TTL OUTDIR JSON
	$PY - "$ZC_TMP/ttl.pcap" "$@" <<'EOP'
import json, sys
from scapy.all import IP, IPv6, rdpcap
inp, min_ttl, outdir, js = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
frames = rdpcap(inp)
def ttl(p):
    return p[IP].ttl if IP in p else p[IPv6].hlim if IPv6 in p else None
want = [bytes(p) for p in frames if ttl(p) is None or ttl(p) >= min_ttl]
dropped = len(frames) - len(want)
got = [bytes(p) for p in rdpcap(outdir + "/port1.pcap")]
err = []
if got != want:
    err.append("port 1: %d frames, expected %d%s" % (len(got), len(want),
               "" if len(got) != len(want) else " (bytes or order differ)"))
s = json.load(open(js))
other = {k: v for k, v in s["drops"].items() if k != "ttl_below_min" and v}
if s["drops"].get("ttl_below_min", 0) != dropped:
    err.append("ttl_below_min %s != %d" % (s["drops"].get("ttl_below_min"), dropped))
if other:
    err.append("unexpected drops: %s" % other)
if s["rx"] != len(frames) or s["tx"] != len(want):
    err.append("rx %d tx %d, expected %d and %d" % (s["rx"], s["tx"], len(frames), len(want)))
if s["rx"] + s["clones"] != s["tx"] + s["dropped"] or not s["balanced"]:
    err.append("unbalanced: %s" % {k: s[k] for k in ("rx", "tx", "dropped", "clones")})
if s["leaked_mbufs"]:
    err.append("%d mbufs leaked" % s["leaked_mbufs"])
st = [x for x in s["stages"] if x["stage"] == "ttl_filter"]
if len(st) != 1 or st[0]["drops"].get("ttl_below_min", 0) != dropped:
    err.append("the ttl_filter stage did not count the %d drops: %s" % (dropped, st))
for e in err:
    print(e)
if err:
    sys.exit(1)
print("%d frames, %d below %d dropped as ttl_below_min, %d out of port 1"
      % (len(frames), dropped, min_ttl, len(want)))
EOP
}

for min in 4 1; do
	d=$ZC_TMP/min$min
	mkdir -p "$d"
	sec="\n[ttl_filter]\nmin_ttl = $min\n"
	[ $min = 1 ] && sec=""	# the default
	write_cfg "$d/zc.ini" "$d" "rx parse ttl_filter forward tx" "$sec"
	zc_replay "ttl$min" "$d/zc.ini"
	rc=$?
	[ $rc -eq 0 ] || { tail -20 "$ZC_TMP/ttl$min.out"; fail "min_ttl $min: zcpipe exited $rc"; }
	res=$(check $min "$d" "$ZC_TMP/ttl$min.json") ||
		{ echo "$res"; fail "min_ttl $min: wrong output"; }
	pass "min_ttl $min: $res"
done
# The first run must have dropped something, or it proved nothing.
grep -q '"ttl_below_min": [1-9]' "$ZC_TMP/ttl4.json" || fail "min_ttl 4 dropped nothing"

# Refused before any port starts, each with its message.
n=0
refused() { # refused STAGES SECTION MESSAGE
	n=$((n + 1))
	local d=$ZC_TMP/bad$n
	mkdir -p "$d"
	write_cfg "$d/zc.ini" "$d" "$1" "$2"
	zc_replay "ttlbad$n" "$d/zc.ini"
	local rc=$?
	[ $rc -eq 1 ] || { cat "$ZC_TMP/ttlbad$n.out"; fail "case $n: exit $rc, expected 1"; }
	grep -qxF "zcpipe: configuration error: $d/zc.ini:$3" "$ZC_TMP/ttlbad$n.out" ||
		{ cat "$ZC_TMP/ttlbad$n.out"; fail "case $n: expected $3"; }
	! grep -q "zcpipe summary" "$ZC_TMP/ttlbad$n.out" || fail "case $n: the pipeline ran"
	pass "refused: $3"
}
refused "rx ttl_filter parse forward tx" "" \
	"16: [pipeline.0] stages: ttl_filter needs the parse stage before it in the chain"
refused "rx | ttl_filter forward tx" "" \
	"16: [pipeline.0] stages: ttl_filter needs the parse stage before it in the chain"
refused "rx parse ttl_filter forward tx" "\n[ttl_filter]\nmin_ttl = 0\n" \
	"19: [ttl_filter] min_ttl: expected an integer from 1 to 255, got '0'"
refused "rx parse forward tx" "\n[ttl_filter]\nmin_ttl = 4\n" \
	"18: [ttl_filter]: no chain runs the ttl_filter stage: add it to a [pipeline.N] stages line, after parse"

# Its contract, as --list-stages prints it.
"$ZCPIPE" $(zc_eal_args ttlls) -- --list-stages >"$ZC_TMP/stages" 2>&1 ||
	{ cat "$ZC_TMP/stages"; fail "--list-stages failed"; }
grep -A1 '^ttl_filter ' "$ZC_TMP/stages" | grep -qF "reads: l3; may read: -; writes: -" ||
	{ cat "$ZC_TMP/stages"; fail "--list-stages does not show ttl_filter's contract"; }
pass "--list-stages: $(grep -A1 '^ttl_filter ' "$ZC_TMP/stages" | tail -1 | tr -s ' ')"
