#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# mode = filter (rx parse classify forward tx) on two net_pcap ports:
# replay pcaps/acl-filter.pcap with pcaps/acl-filter.rules (both made by
# scripts/gen_acl_pcaps.py), once with [acl] default = permit and once with
# default = deny. Each frame carries its expected fate in its last bytes
# ("ACL:<permit>:<deny>;": egress port 0 or 1, or '-' for acl_deny). Checks:
#  - each port's output is exactly the frames expected there, byte for byte
#    and in order (denied flows absent, forward:0 hairpins out of port 0);
#  - the summary's acl_deny equals the denied frames, no other drop, rx is
#    the capture's count, rx + clones == tx + dropped, no mbuf leaked;
#  - a bad rule line stops zcpipe before any port starts, naming the INI
#    line and the rule file's FILE:LINE.
source "$(dirname "$0")/lib.sh"

PCAP=$ZC_ROOT/pcaps/acl-filter.pcap
RULES=$ZC_ROOT/pcaps/acl-filter.rules
[ -f "$PCAP" ] && [ -f "$RULES" ] ||
	fail "missing $PCAP or $RULES (run scripts/gen_acl_pcaps.py)"

write_cfg() { # write_cfg FILE OUTDIR RULES DEFAULT
	cat >"$1" <<EOC
[general]
mode = filter
replay_timeout = 20

[port.0]
dev = net_pcap_f0,rx_pcap=$PCAP,tx_pcap=$2/port0.pcap

[port.1]
dev = net_pcap_f1,tx_pcap=$2/port1.pcap

[forward]
map = 0->1, 1->0

[acl]
rules = $3
default = $4
EOC
}

check() { # check DEFAULT OUTDIR JSON
	$PY - "$PCAP" "$@" <<'EOP'
import json, sys
import scapy.layers.l2  # noqa: F401 (Ethernet link type, quiet reader)
from scapy.utils import rdpcap

pcap, default, outdir, js = sys.argv[1:5]
col = 1 if default == "permit" else 2
inp = [bytes(p) for p in rdpcap(pcap)]
want = {"0": [], "1": [], "-": []}
for b in inp:
    i = b.rfind(b"ACL:")
    if i < 0 or not b.endswith(b";"):
        sys.exit("input frame without a fate tag: %r" % b[:40])
    fate = b[i:-1].decode().split(":")[col]
    want[fate].append(b)
err = []
for port in ("0", "1"):
    got = [bytes(p) for p in rdpcap("%s/port%s.pcap" % (outdir, port))]
    if got != want[port]:
        missing = [w for w in want[port] if w not in got]
        extra = [g for g in got if g not in want[port]]
        err.append("port %s: %d frames, expected %d (missing %d, unexpected %d%s)"
                   % (port, len(got), len(want[port]), len(missing),
                      len(extra), ", order differs" if not missing and
                      not extra else ""))
        for g in extra[:3]:
            err.append("  unexpected: %r" % g[-24:])
        for w in missing[:3]:
            err.append("  missing: %r" % w[-24:])
s = json.load(open(js))
denied = len(want["-"])
if s["rx"] != len(inp):
    err.append("rx %d != %d frames in the capture" % (s["rx"], len(inp)))
if s["drops"].get("acl_deny") != denied:
    err.append("acl_deny %s != %d denied frames" % (s["drops"].get("acl_deny"), denied))
other = {k: v for k, v in s["drops"].items() if k != "acl_deny" and v}
if other:
    err.append("unexpected drops: %s" % other)
if s["tx"] != len(inp) - denied:
    err.append("tx %d != %d" % (s["tx"], len(inp) - denied))
if s["rx"] + s["clones"] != s["tx"] + s["dropped"] or not s["balanced"]:
    err.append("unbalanced: rx %d + clones %d != tx %d + dropped %d"
               % (s["rx"], s["clones"], s["tx"], s["dropped"]))
if s["leaked_mbufs"]:
    err.append("%d mbufs leaked" % s["leaked_mbufs"])
cls = [st for st in s["stages"] if st["stage"] == "classify"]
if len(cls) != 1 or cls[0]["drops"].get("acl_deny") != denied:
    err.append("classify stage did not count the %d denials" % denied)
for e in err:
    print(e)
if err:
    sys.exit(1)
print("%d frames: %d out of port 1, %d out of port 0, %d denied"
      % (len(inp), len(want["1"]), len(want["0"]), denied))
EOP
}

for def in permit deny; do
	d="$ZC_TMP/$def"
	mkdir -p "$d"
	write_cfg "$d/zc.ini" "$d" "$RULES" $def
	zc_replay "f$def" "$d/zc.ini"
	rc=$?
	[ $rc -eq 0 ] || { tail -20 "$ZC_TMP/f$def.out"; fail "default $def: zcpipe exited $rc"; }
	res=$(check $def "$d" "$ZC_TMP/f$def.json") ||
		{ echo "$res"; fail "default $def: wrong output"; }
	pass "default $def: $res"
done

# A bad rule line: refused at start-up, before any port starts.
d="$ZC_TMP/bad"
mkdir -p "$d"
printf 'action=permit\n# comment\nsrc=10.0.0.0/8 proto=tcp dport=80-70 action=deny\n' >"$d/bad.rules"
write_cfg "$d/zc.ini" "$d" "$d/bad.rules" permit
zc_replay fbad "$d/zc.ini"
rc=$?
[ $rc -ne 0 ] || fail "a bad rule file was accepted"
want="zcpipe: configuration error: $d/zc.ini:15: [acl] rules: $d/bad.rules:3: dport: range '80-70' runs backwards (write LO-HI)"
grep -qxF "$want" "$ZC_TMP/fbad.out" ||
	{ cat "$ZC_TMP/fbad.out"; fail "expected the message: $want"; }
! grep -q "zcpipe summary" "$ZC_TMP/fbad.out" || fail "the pipeline ran despite the bad rule"
[ ! -e "$ZC_TMP/fbad.json" ] || fail "a summary was written despite the bad rule"
pass "bad rule refused: exit $rc, $(grep -o 'bad.rules:3: .*' "$ZC_TMP/fbad.out")"
