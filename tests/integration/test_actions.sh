#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Zero-copy actions, golden replays on net_pcap ports (captures and goldens
# from scripts/gen_action_pcaps.py, goldens in pcaps/act-out/, checked
# with scapy):
#  - mirror: ACL mirror:2 (tagged 100 on the SPAN port by a header
#    segment) and mirror:1 (same port as the original); both copies exact,
#    clones counted, rx + clones = tx + dropped;
#  - VLAN push/pop by ACL rules, a 9,000-byte chain included;
#  - VXLAN encapsulation by ACL vxlan:NAME: outer Ethernet/IPv4/UDP/VXLAN
#    fields, lengths and checksum right, inner frame identical to the input,
#    too_big for a frame over the tunnel port's MTU, ARP (not IP) untouched;
#    by a header mbuf, and into the headroom with vxlan_headroom;
#  - VXLAN decapsulation of the zeek captures in pcaps/real/ (the 9,100-byte frame
#    included) in l2-xconnect and filter mode, nested tunnels and
#    decap_loop with [actions] max_decap 1 and 2;
#  - a port that cannot send chains (drivers-config override): chains
#    linearised at TX only, and every copied byte counted;
#  - routes whose next hop is a tunnel ("PREFIX vxlan NAME"), router mode.
# Every run: no mbuf left out of any pool (packet, header, clone), the
# accounting balances, and copied_bytes is 0 where every port sends chains.
source "$(dirname "$0")/lib.sh"

P=$ZC_ROOT/pcaps
CMP="$PY $ZC_ROOT/tests/integration/pcapcmp.py"
for f in act-mirror act-vlan act-encap act-nested; do
	[ -f "$P/$f.pcap" ] || fail "missing $P/$f.pcap (run scripts/gen_action_pcaps.py)"
done
[ -d "$REAL_PCAPS" ] || fail "no real captures at $REAL_PCAPS"

# summary NAME JSON_EXPECT: check the summary of run NAME. JSON_EXPECT
# holds rx, tx, clones, drops (exact, others 0), copied (default 0) and
# actions (each must match).
summary() {
	$PY - "$ZC_TMP/$1.json" "$2" <<'EOP'
import json, sys
s = json.load(open(sys.argv[1]))
exp = json.loads(sys.argv[2])
err = []
for k in ("rx", "tx", "clones"):
    if k in exp and s[k] != exp[k]:
        err.append("%s %d, expected %d" % (k, s[k], exp[k]))
for k, v in s["drops"].items():
    if v != exp.get("drops", {}).get(k, 0):
        err.append("drop %s = %d, expected %d" % (k, v, exp.get("drops", {}).get(k, 0)))
if s["copied_bytes"] != exp.get("copied", 0):
    err.append("copied_bytes %d, expected %d (%s)" % (s["copied_bytes"], exp.get("copied", 0), s["copies"]))
for k, v in exp.get("actions", {}).items():
    if s["actions"][k] != v:
        err.append("actions.%s %d, expected %d" % (k, s["actions"][k], v))
if not s["balanced"] or s["rx"] + s["clones"] != s["tx"] + s["dropped"]:
    err.append("unbalanced: rx %d + clones %d != tx %d + dropped %d"
               % (s["rx"], s["clones"], s["tx"], s["dropped"]))
if s["leaked_mbufs"]:
    err.append("%d mbufs missing from the pools" % s["leaked_mbufs"])
print("; ".join(err) if err else "rx %d clones %d tx %d dropped %d copied %d"
      % (s["rx"], s["clones"], s["tx"], s["dropped"], s["copied_bytes"]))
sys.exit(1 if err else 0)
EOP
}

# run NAME INI: replay, zcpipe must exit 0.
run() {
	zc_replay "$1" "$2" || { tail -30 "$ZC_TMP/$1.out"; fail "$1: zcpipe exited $?"; }
}

# ports DIR N INPUT: [port.0] replays INPUT; ports 0..N-1 write DIR/pK.pcap.
ports() {
	local d=$1 n=$2 in=$3 i
	for i in $(seq 0 $((n - 1))); do
		echo "[port.$i]"
		if [ "$i" = 0 ]; then
			echo "dev = net_pcap_$RANDOM$i,rx_pcap=$in,tx_pcap=$d/p$i.pcap"
		else
			echo "dev = net_pcap_$RANDOM$i,tx_pcap=$d/p$i.pcap"
		fi
	done
}

# ---- mirror ---------------------------------------------------------------
d=$ZC_TMP/mirror; mkdir -p "$d"
{ printf '[general]\nmode = filter\n'; ports "$d" 3 "$P/act-mirror.pcap"
  printf '[forward]\nmap = 0->1, 1->0\n[acl]\nrules = %s\n' "$P/act-mirror.rules"
  printf '[actions]\nmirror_vlan = 2:100\n'; } >"$d/zc.ini"
run mirror "$d/zc.ini"
$CMP same "$P/act-out/act-mirror-out1.pcap" "$d/p1.pcap" || fail "mirror: port 1 (originals, DNS mirrored behind each)"
$CMP same "$P/act-out/act-mirror-out2.pcap" "$d/p2.pcap" || fail "mirror: port 2 (TCP mirrors with tag 100)"
[ "$($CMP count "$d/p0.pcap")" = 0 ] || fail "mirror: something left by port 0"
r=$(summary mirror '{"rx": 9, "clones": 6, "tx": 15, "actions": {"mirror_hdr": 4}}') ||
	fail "mirror: $r"
pass "mirror by clone: originals and tagged/untagged mirrors byte-exact, 9,000-byte chain included; $r"

# ---- VLAN push/pop ------------------------------------------------------------
d=$ZC_TMP/vlan; mkdir -p "$d"
{ printf '[general]\nmode = filter\n'; ports "$d" 2 "$P/act-vlan.pcap"
  printf '[forward]\nmap = 0->1, 1->0\n[acl]\nrules = %s\n' "$P/act-vlan.rules"
  printf '[pipeline.0]\nrx = 0:0\nstages = rx parse classify forward act tx\n'; } >"$d/zc.ini"
run vlan "$d/zc.ini"
$CMP same "$P/act-out/act-vlan-out1.pcap" "$d/p1.pcap" || fail "vlan: port 1"
r=$(summary vlan '{"rx": 6, "tx": 6, "actions": {"vlan_push": 3, "vlan_pop": 2, "hdr_segs": 0}}') ||
	fail "vlan: $r"
pass "VLAN push (headroom) and pop (12 MAC bytes moved) by ACL rules, chain included; $r"

# ---- VXLAN encapsulation -------------------------------------------------------
check_encap() { # check_encap INPUT OUTPUT [SKIP_ABOVE]: encapsulated frames right
	$PY - "$@" <<'EOP'
import sys
from scapy.all import rdpcap, Ether, IP, UDP, VXLAN, ARP
inp = [bytes(p) for p in rdpcap(sys.argv[1])]
out = rdpcap(sys.argv[2])
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 9050
want = [b for b in inp if len(b) + 50 - 14 <= 9100 and (len(b) + 50 <= limit or Ether(b).haslayer(ARP))]
err = []
if len(out) != len(want):
    sys.exit("%d frames out, %d expected" % (len(out), len(want)))
sports = {}
for i, (b, o) in enumerate(zip(want, out)):
    if Ether(b).haslayer(ARP):
        if bytes(o) != b:
            err.append("frame %d: ARP changed" % i)
        continue
    e, ip, u = o[Ether], o[IP], o[UDP]
    if (e.dst, e.src, e.type) != ("02:00:00:00:00:99", "02:00:00:00:00:01", 0x800):
        err.append("frame %d: outer Ethernet %s %s %x" % (i, e.dst, e.src, e.type))
    if (ip.src, ip.dst, ip.ttl, ip.proto, int(ip.flags)) != ("10.0.1.1", "10.0.1.2", 64, 17, 2):
        err.append("frame %d: outer IPv4 %s" % (i, ip.summary()))
    if ip.len != len(b) + 36 or ip.ihl != 5:
        err.append("frame %d: IPv4 length %d for %d bytes inside" % (i, ip.len, len(b)))
    c = ip.chksum
    del ip.chksum
    if IP(bytes(ip)[:20]).chksum != c:
        err.append("frame %d: IPv4 checksum %#x wrong" % (i, c))
    if u.dport != 4789 or not 49152 <= u.sport <= 65535 or u.len != len(b) + 16 or u.chksum != 0:
        err.append("frame %d: UDP %d->%d len %d sum %#x" % (i, u.sport, u.dport, u.len, u.chksum))
    v = o[VXLAN]
    if v.vni != 4242 or v.flags != 0x08:
        err.append("frame %d: VXLAN vni %d flags %#x" % (i, v.vni, v.flags))
    if bytes(v.payload) != b:
        err.append("frame %d: inner frame differs from the input" % i)
    if len(bytes(o)) != len(b) + 50:
        err.append("frame %d: %d bytes, expected %d" % (i, len(bytes(o)), len(b) + 50))
print("\n".join(err) if err else "%d frames: outer headers right, inner frames identical" % len(out))
sys.exit(1 if err else 0)
EOP
}

encap_ini() { # encap_ini DIR [extra general lines]
	{ printf '[general]\nmode = filter\n%s\n' "${2:-}"; ports "$1" 2 "$P/act-encap.pcap"
	  printf 'mtu = 9100\n[forward]\nmap = 0->1, 1->0\n[acl]\nrules = %s\n' "$1/encap.rules"
	  printf '[pipeline.0]\nrx = 0:0\nstages = rx parse classify forward act tx\n'
	  printf '[vxlan.t0]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 4242\nport = 1\n'
	  printf 'remote_mac = 02:00:00:00:00:99\nlocal_mac = 02:00:00:00:00:01\n'; } >"$1/zc.ini"
	echo "in_port=0 action=vxlan:t0" >"$1/encap.rules"
}
d=$ZC_TMP/encap; mkdir -p "$d"
encap_ini "$d"
run encap "$d/zc.ini"
r=$(check_encap "$P/act-encap.pcap" "$d/p1.pcap") || { echo "$r"; fail "encap: wrong output"; }
s=$(summary encap '{"rx": 8, "tx": 7, "drops": {"too_big": 1}, "actions": {"encap": 6, "cksum_sw": 6}}') ||
	fail "encap: $s"
pass "VXLAN encap by ACL: $r; 9,100-byte frame too_big; $s"

# The same into the packets' own headroom ([actions] vxlan_headroom): same
# bytes on the wire, no header mbuf.
d=$ZC_TMP/encaphr; mkdir -p "$d"
encap_ini "$d"
printf '[actions]\nvxlan_headroom = yes\n' >>"$d/zc.ini"
run encaphr "$d/zc.ini"
r=$(check_encap "$P/act-encap.pcap" "$d/p1.pcap") || { echo "$r"; fail "encap in headroom: wrong output"; }
s=$(summary encaphr '{"rx": 8, "tx": 7, "drops": {"too_big": 1}, "actions": {"encap": 6, "hdr_segs": 0}}') ||
	fail "encap in headroom: $s"
pass "VXLAN encap into the headroom (vxlan_headroom): same frames, no header mbuf; $s"

# ---- a port that cannot send chains ---------------------------------------------
d=$ZC_TMP/lin; mkdir -p "$d/drv"
cp "$ZC_ROOT"/drivers-config/*.ini "$d/drv/"
printf '[driver]\nrx_queues = 1\nrx_desc = 512\ntx_desc = 512\nmulti_seg_tx = no\n' >"$d/drv/net_pcap.ini"
encap_ini "$d" "drivers_config = $d/drv"
run lin "$d/zc.ini"
r=$(check_encap "$P/act-encap.pcap" "$d/p1.pcap" 2048) || { echo "$r"; fail "linearise: wrong output"; }
copied=$($PY -c "
from scapy.all import rdpcap, ARP
print(sum(len(p) for p in rdpcap('$d/p1.pcap') if not p.haslayer(ARP)))")
s=$(summary lin "{\"rx\": 8, \"tx\": 6, \"drops\": {\"too_big\": 2}, \"copied\": $copied}") ||
	fail "linearise: $s"
grep -q "tx   linearize" "$ZC_TMP/lin.out" || fail "linearise: no copy line in the text summary"
pass "port without chains: encapsulated frames linearised at TX and counted ($copied bytes), 9,000-byte chain too_big; $s"

# ---- VXLAN decapsulation ---------------------------------------------------------
decap_ini() { # decap_ini DIR INPUT MODE TUNNELS [extra]
	local chain="rx parse forward act tx"
	[ "$3" = filter ] && chain="rx parse classify forward act tx"
	{ printf '[general]\nmode = %s\n' "$3"; ports "$1" 2 "$2"
	  printf '[forward]\nmap = 0->1, 1->0\n[pipeline.0]\nrx = 0:0\nstages = %s\n' "$chain"
	  printf '%b' "$4"; printf '%b' "${5:-}"; } >"$1/zc.ini"
}
inner_of() { # inner_of INPUT OUTPUT: the inner frames of a VXLAN capture
	$PY - "$1" "$2" <<'EOP'
import sys
from scapy.all import rdpcap, wrpcap, VXLAN, Ether
wrpcap(sys.argv[2], [Ether(bytes(p[VXLAN].payload)) for p in rdpcap(sys.argv[1])])
EOP
}
T_HTTP='[vxlan.h]\nlocal = 10.1.1.172\nremote = 10.1.200.131\nvni = 1\nport = 1\nremote_mac = 02:00:00:00:00:09\n'
T_PAIR='[vxlan.a]\nlocal = 192.168.56.12\nremote = 192.168.56.11\nvni = 123\nport = 1\nremote_mac = 08:00:27:ae:4d:62\n[vxlan.b]\nlocal = 192.168.56.11\nremote = 192.168.56.12\nvni = 123\nport = 1\nremote_mac = 08:00:27:f2:1d:8c\n'
for cap in zeek-tunnels-vxlan-encapsulated-http zeek-tunnels-vxlan; do
	in=$REAL_PCAPS/$cap.pcap
	n=$($CMP count "$in")
	tun=$T_HTTP; [ $cap = zeek-tunnels-vxlan ] && tun=$T_PAIR
	inner_of "$in" "$ZC_TMP/$cap-inner.pcap"
	for mode in l2-xconnect filter; do
		d=$ZC_TMP/decap-$cap-$mode; mkdir -p "$d"
		decap_ini "$d" "$in" $mode "$tun"
		run "d$mode$n" "$d/zc.ini"
		$CMP same "$ZC_TMP/$cap-inner.pcap" "$d/p1.pcap" || fail "decap $cap ($mode): port 1"
		r=$(summary "d$mode$n" "{\"rx\": $n, \"tx\": $n, \"actions\": {\"decap\": $n}}") ||
			fail "decap $cap ($mode): $r"
	done
	pass "VXLAN decap of $cap ($n frames) in l2-xconnect and filter mode: inner frames exact; $r"
done

for max in 1 2; do
	for mode in l2-xconnect filter; do
		d=$ZC_TMP/nested-$max-$mode; mkdir -p "$d"
		decap_ini "$d" "$P/act-nested.pcap" $mode \
			'[vxlan.t]\nlocal = 10.0.1.1\nremote = 10.0.1.2\nvni = 42\nport = 1\nremote_mac = 02:00:00:00:00:99\n' \
			"[actions]\nmax_decap = $max\n"
		run "n$max$mode" "$d/zc.ini"
		$CMP same "$P/act-out/act-nested-out1-max$max.pcap" "$d/p1.pcap" || fail "nested, max_decap $max ($mode)"
		if [ $max = 1 ]; then
			e='{"rx": 3, "tx": 2, "drops": {"decap_loop": 1}, "actions": {"decap": 2}}'
		else
			e='{"rx": 3, "tx": 3, "actions": {"decap": 3}}'
		fi
		r=$(summary "n$max$mode" "$e") || fail "nested, max_decap $max ($mode): $r"
	done
	pass "tunnel in tunnel, max_decap $max: $([ $max = 1 ] && echo 'decap_loop' || echo 'both layers opened'); other VNI passed untouched; $r"
done

# ---- jumbo chains forwarded intact -------------------------------------------------
d=$ZC_TMP/jumbo; mkdir -p "$d"
in=$REAL_PCAPS/zeek-tunnels-vxlan-encapsulated-http.pcap
decap_ini "$d" "$in" l2-xconnect ""
run jumbo "$d/zc.ini"
$CMP same "$in" "$d/p1.pcap" || fail "jumbo: output differs from input"
r=$(summary jumbo '{"rx": 12, "tx": 12}') || fail "jumbo: $r"
pass "9,100-byte frame received as a chain and forwarded intact through act; $r"

# ---- routes into a tunnel, router mode ---------------------------------------------
# Goldens carry 0 as outer UDP source port (a hash of the inner flow): the
# output's must be in 49152-65535, and is zeroed before comparing.
d=$ZC_TMP/route; mkdir -p "$d"
cat >"$d/zc.ini" <<EOC
[general]
mode = router

[port.0]
dev = net_pcap_rt0,rx_pcap=$P/act-route-in0.pcap,tx_pcap=$d/p0.pcap
ipv4 = 10.0.0.1/24
mac = 02:00:00:00:00:10
mtu = 9100

[port.1]
dev = net_pcap_rt1,rx_pcap=$P/act-route-in1.pcap,tx_pcap=$d/p1.pcap
ipv4 = 10.0.1.1/24
mac = 02:00:00:00:00:11
mtu = 9100

[route]
routes = $P/act-route.routes
neighbours = $P/act-route.neighbours

[pipeline.0]
rx = 0:0, 1:0
stages = rx parse classify route act tx

[vxlan.t0]
local = 10.0.1.1
remote = 10.0.1.2
vni = 4242
port = 1
remote_mac = 02:00:00:00:0b:02
peer_mac = 02:00:00:00:0c:02
EOC
run route "$d/zc.ini"
r=$($PY - "$P" "$d" <<'EOP'
import sys
from scapy.all import rdpcap
P, d = sys.argv[1:3]
err = []
for port in (0, 1):
    want = [bytes(p) for p in rdpcap("%s/act-out/act-route-out%d.pcap" % (P, port))]
    got = [bytes(p) for p in rdpcap("%s/p%d.pcap" % (d, port))]
    fixed = []
    for g in got:
        if len(g) > 42 and g[12:14] == b"\x08\x00" and g[23] == 17 and g[36:38] == b"\x12\xb5":
            sport = int.from_bytes(g[34:36], "big")
            if sport < 49152:
                err.append("port %d: outer UDP source port %d" % (port, sport))
            g = g[:34] + b"\0\0" + g[36:]
        fixed.append(g)
    if fixed != want:
        err.append("port %d: %d frames, expected %d%s" % (port, len(fixed), len(want),
                   "" if len(fixed) != len(want) else " (bytes differ at frame %d)"
                   % next(i for i in range(len(want)) if fixed[i] != want[i])))
print("; ".join(err))
sys.exit(1 if err else 0)
EOP
) || fail "route: $r"
r=$(summary route '{"rx": 5, "tx": 5, "actions": {"encap": 3, "decap": 1}}') || fail "route: $r"
pass "router mode: IPv4 and IPv6 routes into the tunnel (inner MACs and TTL/hop limit rewritten, then encapsulated), a 9,000-byte chain routed, a tunnel packet to our VTEP decapsulated and routed by its inner headers; $r"
