#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The packet trace sees packets as the parser does (lib/core/zc_trace.c,
# lib/telemetry/zc_trace_cmd.c): its filter and its "flow" come from the
# parser's own results, never from a second header reader that could
# disagree with the parse stage.
#
# A looping capture, l2-xconnect with [parse] max_vlan = 1:
#  - IPv6 UDP first fragments (fragment header, M set, offset 0) to port
#    7000: the parser's L4 protocol is UDP with its ports, so
#    "proto=udp,dport=7000" selects them (a reader that stops at the
#    fragment header sees protocol 44 and never does);
#  - ICMPv6 echo requests: "proto=icmpv6" (and its older spelling
#    "proto=icmp6") selects them, and their flow reads "ipv6 icmpv6";
#  - double-tagged IPv4 UDP to port 9000, which the parser refuses
#    (vlan_too_many: it does not look past max_vlan tags) and parse drops:
#    "dport=9000" selects nothing, as the parse stage never sees a port.
source "$(dirname "$0")/lib.sh"

ZCSTAT=$ZC_ROOT/scripts/zcstat
[ -x "$ZCPIPE" ] || fail "no $ZCPIPE (make all)"

$PY - "$ZC_TMP/in.pcap" <<'EOP' || fail "cannot write the test capture"
import sys
from scapy.all import (Ether, IP, IPv6, IPv6ExtHdrFragment, UDP, ICMPv6EchoRequest,
                       Dot1Q, Raw, wrpcap)
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
pk = []
for i in range(30):
    pk.append(e / IPv6(src="2001:db8::1", dst="2001:db8:1::1") /
              IPv6ExtHdrFragment(id=i, m=1, offset=0) /
              UDP(sport=1000 + i, dport=7000, len=200) / Raw(b"f" * 40))
    pk.append(e / IPv6(src="2001:db8::2", dst="2001:db8:1::2") /
              ICMPv6EchoRequest(id=1, seq=i))
    pk.append(e / Dot1Q(vlan=5) / Dot1Q(vlan=6) /
              IP(src="10.0.0.1", dst="10.9.0.1") / UDP(sport=1, dport=9000) /
              Raw(b"v" * 30))
wrpcap(sys.argv[1], pk, linktype=1)
EOP

cat >"$ZC_TMP/zc.ini" <<EOC
[general]
mode = l2-xconnect
burst = 32

[parse]
depth = full
max_vlan = 1

[port.0]
dev = net_pcap0,rx_pcap=$ZC_TMP/in.pcap,infinite_rx=1

[port.1]
dev = net_null1

[pipeline.0]
rx = 0:0
stages = rx parse forward tx

[forward]
map = 0->1
EOC

zc_start t -f "$ZC_TMP/zc.ini"
PREFIX="zct-t-$$"
for _ in $(seq 100); do
	[ -S "/var/run/dpdk/$PREFIX/dpdk_telemetry.v2" ] && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$ZC_TMP/t.out" >&2; fail "zcpipe exited"; }
	sleep 0.1
done

$PY - "$ZCSTAT" "$PREFIX" <<'EOP' || fail "trace filters and flows"
import importlib.machinery, importlib.util, sys, time
loader = importlib.machinery.SourceFileLoader("zcstat", sys.argv[1])
spec = importlib.util.spec_from_loader("zcstat", loader)
zs = importlib.util.module_from_spec(spec); loader.exec_module(zs)
q = zs.Telemetry(sys.argv[2]).query

def trace(params, n):
    r = q("/zcpipe/trace", params)
    assert "error" not in r, (params, r)
    for _ in range(100):
        r = q("/zcpipe/trace")
        if r["state"] == "done":
            break
        time.sleep(0.05)
    assert r["state"] == "done" and len(r["packets"]) == n, (params, r)
    return r

r = trace("3,proto=udp,dport=7000", 3)
for p in r["packets"].values():
    assert p["flow"].startswith("ipv6 udp 2001:db8::1:") and p["flow"].endswith("> 2001:db8:1::1:7000"), p
    assert p["verdict"] == "tx", p

r = trace("2,proto=icmpv6", 2)
assert r["filter"] == "proto=icmpv6", r
for p in r["packets"].values():
    assert p["flow"] == "ipv6 icmpv6 2001:db8::2 > 2001:db8:1::2", p
r = trace("1,proto=icmp6", 1)
assert r["filter"] == "proto=icmpv6", r

# The parse stage cannot read a port past two tags here: neither can the
# trace. Nothing is selected while packets keep flowing.
r = q("/zcpipe/trace", "1,dport=9000")
assert "error" not in r, r
time.sleep(0.5)
r = q("/zcpipe/trace")
assert r["state"] == "armed" and r["traced"] == 0, r
q("/zcpipe/trace", "stop")
s = q("/zcpipe/drops")
assert s["reasons"]["vlan_too_many"] > 0, s
print("fragments, icmpv6 and refused tags traced as the parser sees them")
EOP

zc_stop_pid "$ZC_PID"
pass "the trace filters and shows packets as the parser sees them"
