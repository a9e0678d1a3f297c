#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Start-up failures an operator meets on a real machine name their cause
# and their fix (docs/deployment.md, "When it does not start"), exit 1:
#  - not enough hugepages (-m larger than what is free): said before the
#    EAL tries, with the commands that reserve them;
#  - a busy port: a second zcpipe on an AF_XDP interface the first one
#    already holds names the XDP program attached and how to free it.
source "$(dirname "$0")/lib.sh"

# ---- hugepages ----------------------------------------------------------------
timeout 30 "$ZCPIPE" -l 0-1 --no-pci --file-prefix "zct-hp-$$" -m 100000000 \
	-- -f "$ZC_ROOT/app/zcpipe.ini" >"$ZC_TMP/hp.out" 2>&1
rc=$?
ZC_PREFIXES+=("zct-hp-$$")
[ $rc -eq 1 ] || { cat "$ZC_TMP/hp.out"; fail "hugepages: exit $rc, expected 1"; }
grep -q "^zcpipe: not enough hugepages: -m asks for 100000000 MiB, [0-9]* MiB are free. Reserve and mount them as root: scripts/hugepages.sh" \
	"$ZC_TMP/hp.out" || { cat "$ZC_TMP/hp.out"; fail "hugepages: no message with cause and fix"; }
grep -q "^EAL:" "$ZC_TMP/hp.out" && fail "hugepages: the EAL started anyway"
pass "not enough hugepages: cause and fix, before the EAL"

# ---- busy port ------------------------------------------------------------------
V=zse$$
cleanup_veth() { ip link del "$V" 2>/dev/null; zc_cleanup; }
trap cleanup_veth EXIT
ip link add "$V" type veth peer name "${V}p" || fail "cannot create a veth"
ip link set "$V" up && ip link set "${V}p" up
cat >"$ZC_TMP/busy.ini" <<EOC
[port.0]
dev = net_af_xdp0,iface=$V

[port.1]
dev = net_null1

[pipeline.0]
rx = 0:0

[forward]
map = 0->1
EOC
zc_start busy1 -f "$ZC_TMP/busy.ini"
for _ in $(seq 100); do
	ip -d link show "$V" | grep -q "prog/xdp" && break
	kill -0 "$ZC_PID" 2>/dev/null || { cat "$ZC_TMP/busy1.out"; fail "first zcpipe exited"; }
	sleep 0.1
done
ip -d link show "$V" | grep -q "prog/xdp" || fail "the first zcpipe attached no XDP program"
timeout 60 "$ZCPIPE" $(zc_eal_args busy2) -- -f "$ZC_TMP/busy.ini" >"$ZC_TMP/busy2.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$ZC_TMP/busy2.out"; fail "busy: second zcpipe exit $rc, expected 1"; }
grep -q "\[port.0\].*the interface is busy: $V already has an XDP program (id [0-9]*), from another zcpipe or XDP user; stop it, or detach a stale one with 'ip link set dev $V xdp off'" \
	"$ZC_TMP/busy2.out" || { cat "$ZC_TMP/busy2.out"; fail "busy: no message naming the cause and the fix"; }
pass "busy AF_XDP port: the second instance names the XDP program and the fix"
