#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# mode = router (rx parse classify route tx) on three net_pcap ports: replay
# pcaps/route-in{0,1}.pcap with pcaps/route.{routes,neighbours,acl} (all
# made by scripts/gen_route_pcaps.py). Checks, with scapy:
#  - each port sends exactly its golden frames (pcaps/route-out*.pcap),
#    byte for byte, and frames from one input port keep their order;
#  - independently of the goldens: every routed frame left by the port of
#    its destination's longest prefix, with the next hop's MAC and the
#    port's MAC, TTL/hop limit one less, a valid IPv4 header checksum;
#    the ACL-forwarded frame left untouched by port 2;
#  - ARP reply, ICMP/ICMPv6 echo replies and the NA to an NS went back out
#    of port 0; unresolved next hops got one ARP request / NS each;
#  - every drop is counted under its reason (pcaps/route-drops.json) and
#    nothing else is dropped; rx == tx + dropped; no mbuf leaked;
#  - a bad routes or neighbours line stops zcpipe before any port starts,
#    with "FILE:LINE: reason".
source "$(dirname "$0")/lib.sh"

P=$ZC_ROOT/pcaps
for f in route-in0.pcap route-in1.pcap route-out0.pcap route-out1.pcap \
	 route-out2.pcap route.routes route.neighbours route.acl \
	 route-drops.json; do
	[ -f "$P/$f" ] || fail "missing $P/$f (run scripts/gen_route_pcaps.py)"
done
"$ZCPIPE" --no-pci --no-huge -m 64 --file-prefix "zct-router-ls-$$" \
	--log-level='*:error' -- --list-stages >"$ZC_TMP/stages" 2>&1
ZC_PREFIXES+=("zct-router-ls-$$")
grep -q '^classify' "$ZC_TMP/stages" ||
	fail "the classify stage is not registered; this test needs the default router chain"

write_cfg() { # write_cfg FILE OUTDIR ROUTES NEIGHBOURS
	cat >"$1" <<EOC
[general]
mode = router
replay_timeout = 20

[port.0]
dev = net_pcap_r0,rx_pcap=$P/route-in0.pcap,tx_pcap=$2/port0.pcap
mac = 02:00:00:00:00:a0
ipv4 = 10.0.0.1/24
ipv6 = 2001:db8:1::1/64
mtu = 9000

[port.1]
dev = net_pcap_r1,rx_pcap=$P/route-in1.pcap,tx_pcap=$2/port1.pcap
mac = 02:00:00:00:00:a1
ipv4 = 10.0.1.1/24
ipv6 = 2001:db8:2::1/64
mtu = 9000

[port.2]
dev = net_pcap_r2,tx_pcap=$2/port2.pcap
mac = 02:00:00:00:00:a2
ipv4 = 10.0.2.1/24
ipv6 = 2001:db8:3::1/64

[route]
routes = $3
neighbours = $4
; No ICMP errors here: each packet not forwarded is dropped under its
; reason (tests/integration/test_icmp.sh checks the errors).
icmp_rate = 0

[acl]
rules = $P/route.acl
EOC
}

OUT=$ZC_TMP/out
mkdir -p "$OUT"
write_cfg "$ZC_TMP/router.ini" "$OUT" "$P/route.routes" "$P/route.neighbours"
zc_replay router "$ZC_TMP/router.ini" ||
	{ cat "$ZC_TMP/router.out"; fail "zcpipe exited with $?"; }

$PY - "$P" "$OUT" "$ZC_TMP/router.json" <<'EOP' || fail "output differs"
import ipaddress, json, sys
import scapy.layers.l2  # noqa: F401
from scapy.all import ARP, Ether, ICMP, ICMPv6EchoReply, ICMPv6ND_NA, IP, IPv6
from scapy.utils import RawPcapReader

pdir, outdir, js = sys.argv[1:4]

def frames(path):
    r = RawPcapReader(path)
    try:
        return [bytes(d) for d, _ in r]
    finally:
        r.close()

PORT_MAC = ["02:00:00:00:00:a0", "02:00:00:00:00:a1", "02:00:00:00:00:a2"]
# What the routes, neighbours and port addresses say, written out again
# here: prefix -> (egress port, next hop MAC or None for "the host's").
TABLE = {
    "10.0.0.0/24": (0, None), "10.0.1.0/24": (1, None),
    "10.0.2.0/24": (2, None), "10.1.0.0/16": (1, "02:00:00:00:00:b2"),
    "10.2.0.0/16": (2, "02:00:00:00:00:c2"),
    "10.2.128.0/17": (1, "02:00:00:00:00:b3"),
    "2001:db8:1::/64": (0, None), "2001:db8:10::/48": (1, "02:00:00:00:00:b2"),
    "2001:db8:20::/48": (2, "02:00:00:00:00:c2"),
}
HOSTS = {"10.0.0.2": "02:00:00:00:00:10", "2001:db8:1::2": "02:00:00:00:00:10",
         "10.0.1.7": "02:00:00:00:00:b7"}

def lookup(dst):
    a = ipaddress.ip_address(dst)
    best = None
    for p, v in TABLE.items():
        n = ipaddress.ip_network(p)
        if a.version == n.version and a in n and \
           (best is None or n.prefixlen > best[0].prefixlen):
            best = (n, v)
    port, mac = best[1]
    return port, mac or HOSTS[dst]

def tag(b):
    i = b.find(b"zcroute:")
    return int(b[i + 8:i + 11]) if i >= 0 else None

err = []
inputs = {}
for port in (0, 1):
    for b in frames("%s/route-in%d.pcap" % (pdir, port)):
        if tag(b) is not None:
            inputs[tag(b)] = (port, b)

routed = 0
for port in (0, 1, 2):
    got = frames("%s/port%d.pcap" % (outdir, port))
    want = frames("%s/route-out%d.pcap" % (pdir, port))
    if sorted(got) != sorted(want):
        missing = [w for w in want if w not in got]
        extra = [g for g in got if g not in want]
        err.append("port %d: %d frames, expected %d (missing %d, unexpected %d)"
                   % (port, len(got), len(want), len(missing), len(extra)))
        for g in extra[:4]:
            err.append("  unexpected: %s" % Ether(g).summary())
        for w in missing[:4]:
            err.append("  missing:    %s" % Ether(w).summary())
    last = {}
    for b in got:
        t = tag(b)
        if t is None:
            continue
        src = inputs[t][0]
        if t < last.get(src, -1):
            err.append("port %d: frame %d from port %d sent after %d" %
                       (port, t, src, last[src]))
        last[src] = t
        e, ie = Ether(b), Ether(inputs[t][1])
        l3, il3 = (e[IP], ie[IP]) if IP in e else (e[IPv6], ie[IPv6])
        if l3.src == "10.0.0.66":   # ACL forward:2 - policy, untouched
            if port != 2 or b != inputs[t][1]:
                err.append("policy-forwarded frame %d changed or on port %d" % (t, port))
            continue
        routed += 1
        want_port, want_mac = lookup(l3.dst)
        if port != want_port:
            err.append("frame %d to %s left by port %d, not %d" % (t, l3.dst, port, want_port))
        if e.dst != want_mac or e.src != PORT_MAC[port]:
            err.append("frame %d: MACs %s > %s, want %s > %s" %
                       (t, e.src, e.dst, PORT_MAC[port], want_mac))
        if IP in e:
            if l3.ttl != il3.ttl - 1:
                err.append("frame %d: TTL %d after %d" % (t, l3.ttl, il3.ttl))
            c = l3.chksum
            del l3.chksum
            if IP(bytes(l3)).chksum != c:
                err.append("frame %d: IPv4 checksum %#06x is wrong" % (t, c))
        elif l3.hlim != il3.hlim - 1:
            err.append("frame %d: hop limit %d after %d" % (t, l3.hlim, il3.hlim))
if routed != 14:
    err.append("%d routed frames checked, expected 14" % routed)

# Replies out of port 0, probes out of port 2 (also in the goldens).
p0 = [Ether(b) for b in frames("%s/port0.pcap" % outdir)]
kinds = sorted([("arp-reply" if ARP in p and p[ARP].op == 2 else
                 "echo-reply" if ICMP in p and p[ICMP].type == 0 else
                 "echo6-reply" if ICMPv6EchoReply in p else
                 "na" if ICMPv6ND_NA in p else "fwd") for p in p0])
if kinds != sorted(["arp-reply", "echo-reply", "echo-reply", "echo6-reply",
                    "na", "fwd", "fwd"]):
    err.append("port 0 sent %s" % kinds)

s = json.load(open(js))
want_drops = json.load(open("%s/route-drops.json" % pdir))
for k, v in s["drops"].items():
    if v != want_drops.get(k, 0):
        err.append("drop %s: %d, expected %d" % (k, v, want_drops.get(k, 0)))
nin = sum(len(frames("%s/route-in%d.pcap" % (pdir, p))) for p in (0, 1))
nout = sum(len(frames("%s/route-out%d.pcap" % (pdir, p))) for p in (0, 1, 2))
if s["rx"] != nin or s["tx"] != nout:
    err.append("rx %d tx %d, expected %d and %d" % (s["rx"], s["tx"], nin, nout))
if s["rx"] != s["tx"] + s["dropped"] or not s["balanced"]:
    err.append("rx %d != tx %d + dropped %d" % (s["rx"], s["tx"], s["dropped"]))
if s["leaked_mbufs"] != 0:
    err.append("%d mbufs leaked" % s["leaked_mbufs"])
for e in err:
    print(e)
sys.exit(1 if err else 0)
EOP
pass "golden replay: egress ports, rewrites, replies, probes and drop reasons"

# A bad line stops zcpipe before any port starts, naming FILE:LINE.
bad_line() { # bad_line NAME ROUTES NEIGHBOURS EXPECTED
	write_cfg "$ZC_TMP/$1.ini" "$OUT" "$2" "$3"
	if zc_replay "$1" "$ZC_TMP/$1.ini"; then
		fail "$1: zcpipe accepted a bad line"
	fi
	grep -qF "configuration error: $4" "$ZC_TMP/$1.out" ||
		{ cat "$ZC_TMP/$1.out"; fail "$1: no '$4'"; }
}
printf '10.1.0.0/16 via 10.0.1.2\n10.5.0.0/16 via 10.0.0.1\n' >"$ZC_TMP/bad.routes"
bad_line badroute "$ZC_TMP/bad.routes" "$P/route.neighbours" \
	"$ZC_TMP/bad.routes:2: next hop 10.0.0.1 is this router's own address"
printf '10.0.0.2 02:00:00:00:00:10\n\n10.0.1.9 ff:ff:ff:ff:ff:ff\n' >"$ZC_TMP/bad.neigh"
bad_line badneigh "$P/route.routes" "$ZC_TMP/bad.neigh" \
	"$ZC_TMP/bad.neigh:3: ff:ff:ff:ff:ff:ff is not a unicast MAC address"
pass "bad routes and neighbours lines refused with FILE:LINE"
