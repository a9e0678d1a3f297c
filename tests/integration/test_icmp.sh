#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The router's ICMP errors, IPv4 fragmentation and trimming, replayed
# through the default router chain (rx parse classify route act tx) on
# net_pcap ports; every output frame checked with scapy:
#
#   port 0  10.0.0.1/24 2001:db8:1::1/64  MTU 1500  host H0 10.0.0.2
#   port 1  10.0.1.1/24 2001:db8:2::1/64  MTU 1400  gateway 10.0.1.2
#
#  - TTL 1, no route, an ACL reject rule, DF set and too big: each gets
#    its error (IPv4 11/0, 3/0, 3/13, 3/4 with MTU 1400; ICMPv6 3/0, 1/0,
#    1/1, 2 with MTU 1400) back out of port 0, from the port's address to
#    the sender, TTL 64, quoting the datagram's first bytes (576 bytes of
#    error at most for IPv4, 1280 for IPv6, padding never), both
#    checksums right;
#  - no error about an ICMP error, a non-first fragment, a link-layer
#    broadcast, a source that is not one host (dropped ttl_expired);
#  - a 3,000-byte datagram with DF clear (a chain) leaves port 1 as
#    fragments of at most 1,400 bytes that reassemble to it; the Ethernet
#    padding of a short frame is not forwarded;
#  - the summary counts each error sent or suppressed by type, rx + clones
#    = tx + dropped, nothing leaked, and the copy counter is 0;
#  - under a flood of 3,000 TTL=1 packets with icmp_rate = 100, at most
#    the bucket (5) plus 100 a second of the time the errors took are
#    sent, the rest counted as rate limited;
#  - an ACL reject rule in filter mode (no route stage) stops zcpipe at
#    start-up with a clear error.
source "$(dirname "$0")/lib.sh"

IN=$ZC_TMP/in
mkdir -p "$IN"
$PY - "$IN" <<'EOP' || fail "cannot build the input captures"
import json, sys
from scapy.all import (Ether, ICMP, ICMPv6DestUnreach, ICMPv6EchoRequest,
                       IP, IPv6, Padding, Raw, TCP, UDP, wrpcap)

out = sys.argv[1]
H0, P0 = "02:00:00:00:00:10", "02:00:00:00:00:a0"
e0 = Ether(src=H0, dst=P0)
cases = []   # (name, frame, expected)


def tag(n, size=0):
    t = b"zcicmp:%03d:" % n
    return Raw(t + bytes((i * 7) & 0xFF for i in range(max(0, size - len(t)))))


def case(name, frame, expect):
    cases.append((name, bytes(frame), expect))


n = 0
def nxt():
    global n
    n += 1
    return n

# Errors: expect (family, type, code, mtu field).
case("ttl4", e0 / IP(src="10.0.0.2", dst="10.1.5.5", ttl=1, tos=0x10) /
     UDP(sport=33434, dport=33434) / tag(nxt(), 100) / Padding(load=b"\xee" * 10),
     ("err", 4, 11, 0, 0))
case("ttl4-long", e0 / IP(src="10.0.0.2", dst="10.1.5.5", ttl=1) /
     UDP(sport=1, dport=2) / tag(nxt(), 1400), ("err", 4, 11, 0, 0))
case("echo-ttl4", e0 / IP(src="10.0.0.2", dst="10.1.5.5", ttl=1) /
     ICMP(type=8, id=1, seq=1) / tag(nxt(), 20), ("err", 4, 11, 0, 0))
case("ttl6", e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:5::1", hlim=1) /
     UDP(sport=1, dport=2) / tag(nxt(), 1300), ("err", 6, 3, 0, 0))
case("noroute4", e0 / IP(src="10.0.0.2", dst="192.168.9.9") /
     UDP(sport=1, dport=2) / tag(nxt()), ("err", 4, 3, 0, 0))
case("noroute6", e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:99::1") /
     UDP(sport=1, dport=2) / tag(nxt()), ("err", 6, 1, 0, 0))
case("reject4", e0 / IP(src="10.0.0.2", dst="10.1.5.5") /
     TCP(sport=40000, dport=23, flags="S") / tag(nxt()), ("err", 4, 3, 13, 0))
case("reject6", e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:5::1") /
     TCP(sport=40000, dport=23, flags="S") / tag(nxt()), ("err", 6, 1, 1, 0))
case("df4", e0 / IP(src="10.0.0.2", dst="10.1.5.5", flags="DF") /
     UDP(sport=1, dport=2) / tag(nxt(), 1472), ("err", 4, 3, 4, 1400))
case("big6", e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:5::1") /
     UDP(sport=1, dport=2) / tag(nxt(), 1452), ("err", 6, 2, 0, 1400))
# Forwarded: fragments, and a padded frame trimmed.
case("frag4", e0 / IP(src="10.0.0.2", dst="10.1.5.5", id=777) /
     UDP(sport=5, dport=6) / tag(nxt(), 3000 - 28), ("frag",))
case("pad4", e0 / IP(src="10.0.0.2", dst="10.1.5.5") /
     UDP(sport=7, dport=8) / tag(nxt(), 0) / Padding(load=b"\xee" * 8),
     ("trim",))
# No error: about an error, non-first fragment, broadcast, not one host.
case("err-about-err", e0 / IP(src="10.0.0.2", dst="10.1.5.5", ttl=1) /
     ICMP(type=3, code=1) / tag(nxt(), 20), ("none",))
case("err-about-err6", e0 / IPv6(src="2001:db8:1::2", dst="2001:db8:5::1",
                                  hlim=1) /
     ICMPv6DestUnreach() / tag(nxt(), 20), ("none",))
case("nonfirst", e0 / IP(src="10.0.0.2", dst="10.1.5.5", ttl=1, frag=100) /
     tag(nxt(), 40), ("none",))
case("bcast", Ether(src=H0, dst="ff:ff:ff:ff:ff:ff") /
     IP(src="10.0.0.2", dst="10.1.5.5", ttl=1) / UDP() / tag(nxt()),
     ("none",))
case("src-zero", e0 / IP(src="0.0.0.0", dst="10.1.5.5", ttl=1) / UDP() /
     tag(nxt()), ("none",))
case("src-mcast6", e0 / IPv6(src="ff02::1", dst="2001:db8:5::1", hlim=1) /
     UDP() / tag(nxt()), ("none",))
case("to-bcast", e0 / IP(src="10.0.0.2", dst="10.0.1.255", ttl=1) / UDP() /
     tag(nxt()), ("none",))

wrpcap(out + "/in0.pcap", [Ether(f) for _, f, _ in cases])
json.dump([(name, f.hex(), e) for name, f, e in cases],
          open(out + "/cases.json", "w"))
flood = [bytes(e0 / IP(src="10.0.0.2", dst="10.1.%d.%d" % (i >> 8, i & 255),
                       ttl=1) / UDP(sport=9, dport=9) / tag(i))
         for i in range(3000)]
wrpcap(out + "/flood.pcap", [Ether(f) for f in flood])
EOP

cat >"$ZC_TMP/routes" <<EOR
10.1.0.0/16 via 10.0.1.2
2001:db8:5::/48 via 2001:db8:2::2
EOR
cat >"$ZC_TMP/neigh" <<EOR
10.0.1.2 02:00:00:00:00:22
2001:db8:2::2 02:00:00:00:00:22 port 1
10.0.0.2 02:00:00:00:00:10
EOR
cat >"$ZC_TMP/acl" <<EOR
priority=10 proto=tcp dport=23 action=reject
EOR

write_cfg() { # write_cfg FILE INPUT OUTDIR RATE
	cat >"$1" <<EOC
[general]
mode = router

[port.0]
dev = net_pcap_i0,rx_pcap=$2,tx_pcap=$3/out0.pcap
mac = 02:00:00:00:00:a0
ipv4 = 10.0.0.1/24
ipv6 = 2001:db8:1::1/64

[port.1]
dev = net_pcap_i1,tx_pcap=$3/out1.pcap
mac = 02:00:00:00:00:a1
ipv4 = 10.0.1.1/24
ipv6 = 2001:db8:2::1/64
mtu = 1400

[route]
routes = $ZC_TMP/routes
neighbours = $ZC_TMP/neigh
learn = off
icmp_rate = $4

[acl]
rules = $ZC_TMP/acl
EOC
}

mkdir -p "$ZC_TMP/o1" "$ZC_TMP/o2"
write_cfg "$ZC_TMP/icmp.ini" "$IN/in0.pcap" "$ZC_TMP/o1" 1000
zc_replay icmp "$ZC_TMP/icmp.ini" ||
	{ cat "$ZC_TMP/icmp.out"; fail "zcpipe exited with $?"; }
grep -q "icmp:" "$ZC_TMP/icmp.out" ||
	{ cat "$ZC_TMP/icmp.out"; fail "the text summary has no icmp line"; }

$PY - "$IN/cases.json" "$ZC_TMP/o1" "$ZC_TMP/icmp.json" <<'EOP' || fail "ICMP errors, fragments or counters wrong"
import json, struct, sys
from scapy.all import Ether, IP, IPv6, UDP
from scapy.utils import RawPcapReader

cases = json.load(open(sys.argv[1]))
odir = sys.argv[2]
s = json.load(open(sys.argv[3]))
err = []

def frames(path):
    r = RawPcapReader(path)
    try:
        return [bytes(d) for d, _ in r]
    finally:
        r.close()

def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xFFFF) + (t >> 16)
    return t

def datagram(frame):
    e = Ether(frame)
    if IP in e:
        return bytes(e[IP])[:e[IP].len]
    return bytes(e[IPv6])[:40 + e[IPv6].plen]

inputs = {name: (bytes.fromhex(h), exp) for name, h, exp in cases}
out0, out1 = frames(odir + "/out0.pcap"), frames(odir + "/out1.pcap")

# Every frame port 0 sent is an error quoting one input datagram.
seen = {}
for f in out0:
    if f[6:12] != bytes.fromhex("0200000000a0") or \
       f[0:6] != bytes.fromhex("020000000010"):
        err.append("error with MACs %s -> %s" % (f[6:12].hex(), f[0:6].hex()))
    et = f[12:14]
    if et == b"\x08\x00":
        ip = f[14:34]
        fam, tot = 4, struct.unpack("!H", ip[2:4])[0]
        icmp = f[34:14 + tot]
        if ip[9] != 1 or ip[8] != 64 or ip[12:16] != bytes([10, 0, 0, 1]) \
           or ip[16:20] != bytes([10, 0, 0, 2]) or csum(ip) != 0xFFFF:
            err.append("IPv4 header of an error: %s" % ip.hex())
        if tot > 576 or len(f) != 14 + tot:
            err.append("IPv4 error of %d bytes (frame %d)" % (tot, len(f)))
        if csum(icmp) != 0xFFFF:
            err.append("ICMP checksum wrong")
        mtu = struct.unpack("!H", icmp[6:8])[0]
    elif et == b"\x86\xdd":
        ip6 = f[14:54]
        fam, plen = 6, struct.unpack("!H", ip6[4:6])[0]
        icmp = f[54:54 + plen]
        me = bytes.fromhex("20010db8000100000000000000000001")
        h0 = bytes.fromhex("20010db8000100000000000000000002")
        if ip6[6] != 58 or ip6[7] != 64 or ip6[8:24] != me or ip6[24:40] != h0:
            err.append("IPv6 header of an error: %s" % ip6.hex())
        if 40 + plen > 1280 or len(f) != 54 + plen:
            err.append("IPv6 error of %d bytes" % (40 + plen))
        ph = ip6[8:40] + struct.pack("!IxxxB", plen, 58)
        if csum(ph + icmp) != 0xFFFF:
            err.append("ICMPv6 checksum wrong")
        mtu = struct.unpack("!I", icmp[4:8])[0]
    else:
        err.append("port 0 sent a non-IP frame")
        continue
    quote = icmp[8:]
    match = [n for n, (b, e) in inputs.items()
             if datagram(b).startswith(quote) and len(quote) >= 28]
    if len(match) != 1:
        err.append("an error quotes %d inputs: %s" % (len(match), quote[:40].hex()))
        continue
    name = match[0]
    want = inputs[name][1]
    seen[name] = seen.get(name, 0) + 1
    if want[0] != "err" or (fam, icmp[0], icmp[1], mtu) != tuple(want[1:]):
        err.append("%s: got IPv%d type %d code %d mtu %d, want %s" %
                   (name, fam, icmp[0], icmp[1], mtu, want))
    d = datagram(inputs[name][0])
    full = min(len(d), (576 - 28) if fam == 4 else (1280 - 48))
    if len(quote) != full:
        err.append("%s: quotes %d bytes, want %d" % (name, len(quote), full))
for name, (b, want) in inputs.items():
    if want[0] == "err" and seen.get(name) != 1:
        err.append("%s: %s errors, want 1" % (name, seen.get(name)))
    if want[0] == "none" and name in seen:
        err.append("%s: an error was sent" % name)

# Port 1: the fragments of frag4 and the trimmed pad4, routed.
frags = [Ether(f) for f in out1 if IP in Ether(f) and Ether(f)[IP].id == 777]
big = datagram(inputs["frag4"][0])
if len(frags) != 3:
    err.append("frag4 left as %d frames, want 3" % len(frags))
data = b""
for i, fr in enumerate(sorted(frags, key=lambda p: p[IP].frag)):
    raw = bytes(fr)
    ip = fr[IP]
    if ip.len > 1400 or len(raw) != 14 + ip.len:
        err.append("fragment of %d bytes" % ip.len)
    if ip.frag * 8 != len(data):
        err.append("fragment offset %d, want %d" % (ip.frag * 8, len(data)))
    if bool(ip.flags.MF) != (i < len(frags) - 1):
        err.append("fragment %d MF %s" % (i, ip.flags.MF))
    if ip.ttl != 63 or raw[0:6] != bytes.fromhex("020000000022") or \
       raw[6:12] != bytes.fromhex("0200000000a1") or csum(raw[14:34]) != 0xFFFF:
        err.append("fragment %d not routed right" % i)
    data += raw[34:14 + ip.len]
if data != big[20:]:
    err.append("the fragments do not reassemble to the datagram")
pads = [f for f in out1 if b"zcicmp:012:" in f]
want = datagram(inputs["pad4"][0])
if len(pads) != 1 or len(pads[0]) != 14 + len(want) or \
   pads[0][14:22] != want[:8] or pads[0][23:24] != want[9:10] or \
   pads[0][26:] != want[12:]:
    err.append("pad4 not forwarded trimmed: %s" % [len(p) for p in pads])

ic = s["icmp"]
wants = {"sent/time_exceeded": 3, "sent/unreachable": 1, "sent/prohibited": 1,
         "sent/frag_needed": 1, "sent/time_exceeded6": 1,
         "sent/unreachable6": 1, "sent/prohibited6": 1,
         "sent/packet_too_big6": 1, "suppressed/time_exceeded": 5,
         "suppressed/time_exceeded6": 2, "rate_limited": 0}
for k, v in wants.items():
    if ic.get(k) != v:
        err.append("icmp %s = %s, want %s" % (k, ic.get(k), v))
if s["ipv4_frag"] != {"fragmented": 1, "fragments": 3}:
    err.append("ipv4_frag %s" % s["ipv4_frag"])
if s["route"].get("trimmed", 0) < 1:
    err.append("route trimmed %s" % s["route"].get("trimmed"))
d = {k: v for k, v in s["drops"].items() if v}
if d != {"ttl_expired": 7}:
    err.append("drops %s, want ttl_expired 7" % d)
if not s["balanced"] or s["leaked_mbufs"] or s["copied_bytes"] != 0:
    err.append("balanced %s leaked %s copied %s" %
               (s["balanced"], s["leaked_mbufs"], s["copied_bytes"]))
print("errors sent on port 0: %d, port 1: %d frames; %s" %
      (len(out0), len(out1), ic))
print("\n".join(err))
sys.exit(1 if err else 0)
EOP
pass "errors by type, code, MTU, addresses, quote and checksums; none about errors, fragments, broadcasts; fragments and trimming; copy counter 0"

# The flood: 3,000 TTL=1 packets at icmp_rate = 100.
write_cfg "$ZC_TMP/flood.ini" "$IN/flood.pcap" "$ZC_TMP/o2" 100
zc_replay flood "$ZC_TMP/flood.ini" ||
	{ cat "$ZC_TMP/flood.out"; fail "zcpipe exited with $?"; }
$PY - "$ZC_TMP/o2/out0.pcap" "$ZC_TMP/flood.json" <<'EOP' || fail "the rate limit did not hold"
import json, sys
from scapy.utils import RawPcapReader

times = [m.sec + m.usec / 1e6 for _, m in RawPcapReader(sys.argv[1])]
s = json.load(open(sys.argv[2]))
sent = len(times)
span = times[-1] - times[0] if times else 0.0
ic = s["icmp"]
print("flood: %d errors sent over %.3f s, %d rate limited" %
      (sent, span, ic["rate_limited"]))
err = []
if sent < 5 or sent > 5 + 100 * span + 1:
    err.append("%d errors in %.3f s at 100/s with a bucket of 5" % (sent, span))
if ic["sent/time_exceeded"] != sent or ic["rate_limited"] != 3000 - sent or \
   ic["suppressed/time_exceeded"] != 3000 - sent:
    err.append("counters %s" % ic)
if s["drops"].get("ttl_expired") != 3000 - sent or not s["balanced"]:
    err.append("drops %s balanced %s" % (s["drops"].get("ttl_expired"), s["balanced"]))
print("\n".join(err))
sys.exit(1 if err else 0)
EOP
pass "a TTL=1 flood gets at most the bucket plus icmp_rate a second of errors"

# reject needs the route stage: in filter mode zcpipe refuses to start.
cat >"$ZC_TMP/filter.ini" <<EOC
[general]
mode = filter

[port.0]
dev = net_pcap_if0,rx_pcap=$IN/in0.pcap,tx_pcap=$ZC_TMP/f0.pcap

[port.1]
dev = net_pcap_if1,tx_pcap=$ZC_TMP/f1.pcap

[forward]
map = 0->1, 1->0

[acl]
rules = $ZC_TMP/acl
EOC
zc_replay filter "$ZC_TMP/filter.ini" && fail "filter mode accepted an ACL reject rule"
grep -q "stages: the ACL's reject action needs the route stage after classify" \
	"$ZC_TMP/filter.out" ||
	{ cat "$ZC_TMP/filter.out"; fail "no clear error for reject without the route stage"; }
pass "reject without the route stage (filter mode) is refused at start-up"
