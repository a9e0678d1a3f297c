#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Seed the fuzz corpora in build-fuzz/corpus/TARGET/ from what the
# repository holds (generated again each run; tests/fuzz/corpus/TARGET/
# keeps the regression inputs, which are seeds too):
#   parse       every frame of pcaps/*.pcap and pcaps/real/*.pcap, behind
#               3 control bytes (fuzz_parse.c), in strict and lenient mode
#   acl         pcaps/*.rules, pcaps/*.acl, the rule blocks of docs/acl.md
#   routes      pcaps/*.routes
#   neighbours  pcaps/*.neighbours
#   config      app/zcpipe.ini and every ini block of docs/*.md
#   control     every command of zcctl's grammar, well and badly formed
#   router      the frames of pcaps/route-in*.pcap and pcaps/act-route-in*
#               .pcap, and frames the router answers with ICMP errors or
#               fragments (TTL 1, no route, too big with DF set and clear,
#               IPv6), behind 2 control bytes (fuzz_router.c)
set -euo pipefail
cd "$(dirname "$0")/../.."
C=build-fuzz/corpus
rm -rf "$C"
mkdir -p "$C"/{parse,acl,routes,neighbours,config,router,control}

/usr/bin/python3 - "$C/parse" pcaps/*.pcap pcaps/real/*.pcap <<'EOP'
import os, sys
from scapy.utils import RawPcapReader
out, files = sys.argv[1], sys.argv[2:]
n = 0
for path in files:
    for i, (data, _meta) in enumerate(RawPcapReader(path)):
        if len(data) > 16384:
            continue
        # Strict and lenient, cut in the first header and further on.
        for ctl in (bytes([0x01, 0x10, 0x80]), bytes([0x02, 0x30, 0x00])):
            with open(os.path.join(out, "%s-%d-%d" % (
                    os.path.basename(path), i, ctl[0])), "wb") as f:
                f.write(ctl + bytes(data))
            n += 1
print("seed: parse: %d inputs" % n)
EOP

cp pcaps/*.rules pcaps/*.acl "$C/acl/"
/usr/bin/python3 - docs "$C" <<'EOP'
import os, re, sys
docs, out = sys.argv[1], sys.argv[2]
k = {"acl": 0, "config": 0}
for name in sorted(os.listdir(docs)):
    text = open(os.path.join(docs, name)).read()
    for lang, body in re.findall(r"```(\w*)\n(.*?)```", text, re.S):
        if lang == "ini":
            kind = "config"
        elif name == "acl.md" and "action=" in body:
            kind = "acl"
        else:
            continue
        k[kind] += 1
        with open(os.path.join(out, kind, "%s-%d" % (name, k[kind])), "w") as f:
            f.write(body)
print("seed: from docs: %d rule and %d ini blocks" % (k["acl"], k["config"]))
EOP
cp pcaps/*.routes "$C/routes/"
cp pcaps/*.neighbours "$C/neighbours/"
cp app/zcpipe.ini "$C/config/"
i=0
while IFS= read -r req; do
	printf '%s' "$req" >"$C/control/req-$i"
	i=$((i + 1))
done <<'EOR'
status
help
reload
acl show
acl load /nonexistent.rules
acl load "/a b/\"c\".rules"
route show
route show 10.1.2.3
route show 2001:db8::/32
route add 10.1.0.0/16 via 10.0.1.2 port 1
route replace 10.1.0.0/16 via 10.0.1.2
route change 2001:db8:10::/48 via fe80::2 port 1
route del 10.1.0.0/16
route load /nonexistent.routes
neigh add 10.0.1.2 02:00:00:00:00:b2 port 1
neigh del 10.0.1.2 port 1
neigh show
"unterminated
EOR
echo "seed: control: $i requests"

/usr/bin/python3 - "$C/router" pcaps/route-in*.pcap pcaps/act-route-in*.pcap <<'EOP'
import os, sys
from scapy.all import Ether, ICMP, IP, IPv6, UDP
from scapy.utils import RawPcapReader
out, files = sys.argv[1], sys.argv[2:]
frames = []
for path in files:
    frames += [bytes(d) for d, _ in RawPcapReader(path) if len(d) <= 16384]
e = Ether(src="02:00:00:00:00:10", dst="02:00:00:00:00:a0")
pay = bytes(range(256)) * 12
frames += [bytes(f) for f in (
    e / IP(src="10.0.0.2", dst="10.1.5.5", ttl=1) / UDP() / pay[:100],
    e / IP(src="10.0.0.2", dst="192.168.1.1") / UDP() / pay[:40],
    e / IP(src="10.0.0.2", dst="10.1.5.5", flags="DF") / UDP() / pay[:1400],
    e / IP(src="10.0.0.2", dst="10.1.5.5") / UDP() / pay[:3000],
    e / IP(src="10.0.0.2", dst="10.1.5.5", options=b"\x83\x07\x04" + bytes(5)) /
        UDP() / pay[:2000],
    e / IP(src="10.0.0.2", dst="10.1.5.5", ttl=1) / ICMP(type=3) / pay[:60],
    e / IPv6(src="2001:db8:1::2", dst="2001:db8:5::1", hlim=1) / UDP() / pay[:1300],
    e / IPv6(src="2001:db8:1::2", dst="3000::1") / UDP() / pay[:20],
    e / IPv6(src="2001:db8:1::2", dst="2001:db8:5::1") / UDP() / pay[:1400])]
for i, f in enumerate(frames):
    # One mbuf; ingress port 1, reject, no headroom, a chain cut early.
    for ctl in (bytes([0x40, 0]), bytes([0x07, 0x0c])):
        with open(os.path.join(out, "%d-%d" % (i, ctl[0])), "wb") as fh:
            fh.write(ctl + f)
print("seed: router: %d inputs" % (2 * len(frames)))
EOP
