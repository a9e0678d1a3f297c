#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Installing and checking configurations, as an operator does:
#  - make install DESTDIR=... PREFIX=/usr puts the binary, zcstat, zcctl,
#    drivers-config, examples, docs, man page and systemd unit in place;
#  - the installed binary prints its version (git describe) and DPDK's;
#  - run from another folder, `zcpipe --check` on each shipped example
#    passes and uses the installed drivers-config;
#  - --check refuses broken configurations and named files (exit 1, with
#    file and line), checks the placement against -l, creates no device
#    (a net_tap port makes no interface) and leaves no runtime folder;
#  - the README and docs/deployment.md name only configurations that exist;
#  - systemd-analyze verify accepts the installed unit (where available);
#  - make uninstall removes everything but the operator's configurations.
source "$(dirname "$0")/lib.sh"

D=$ZC_TMP/dest
make -s -C "$ZC_ROOT" install DESTDIR="$D" PREFIX=/usr >"$ZC_TMP/install.log" 2>&1 ||
	{ cat "$ZC_TMP/install.log"; fail "make install failed"; }
for f in usr/bin/zcpipe usr/bin/zcstat usr/bin/zcctl usr/share/man/man8/zcpipe.8 \
	 usr/lib/systemd/system/zcpipe@.service \
	 usr/libexec/zcpipe/zcpipe-hugepages \
	 usr/share/doc/zcpipe/README.md usr/share/doc/zcpipe/configuration.md \
	 usr/share/doc/zcpipe/deployment.md; do
	[ -e "$D/$f" ] || fail "make install did not install /$f"
done
[ -x "$D/usr/bin/zcpipe" ] && [ -x "$D/usr/bin/zcstat" ] && [ -x "$D/usr/bin/zcctl" ] ||
	fail "binaries not executable"
[ -d "$D/etc/zcpipe" ] || fail "no /etc/zcpipe folder"
n_src=$(ls "$ZC_ROOT"/drivers-config/*.ini | wc -l)
n_dst=$(ls "$D"/usr/share/zcpipe/drivers-config/*.ini | wc -l)
[ "$n_src" -eq "$n_dst" ] || fail "drivers-config: $n_dst of $n_src files installed"
for f in "$ZC_ROOT"/examples/*; do
	cmp -s "$f" "$D/usr/share/zcpipe/examples/${f##*/}" ||
		fail "example ${f##*/} not installed"
done
grep -q "ExecStart=/usr/bin/zcpipe .*--file-prefix %i -- -f /etc/zcpipe/%i.ini" \
	"$D/usr/lib/systemd/system/zcpipe@.service" ||
	fail "unit does not run /usr/bin/zcpipe on /etc/zcpipe/%i.ini: $(grep ExecStart= "$D/usr/lib/systemd/system/zcpipe@.service")"
pass "make install DESTDIR PREFIX=/usr: binary, zcstat, zcctl, drivers-config, examples, docs, man page, unit"

# ---- --version ------------------------------------------------------------
"$D/usr/bin/zcpipe" --version >"$ZC_TMP/version" 2>&1 || fail "--version failed"
grep -qE '^DPDK 22\.11' "$ZC_TMP/version" || fail "--version lacks DPDK's: $(cat "$ZC_TMP/version")"
if want=$(git -C "$ZC_ROOT" describe --tags --always 2>/dev/null); then
	grep -q "^zcpipe $want" "$ZC_TMP/version" ||
		fail "--version says '$(head -1 "$ZC_TMP/version")', git describe '$want'"
fi
pass "--version: $(tr '\n' ' ' <"$ZC_TMP/version")"

# ---- --check on every example, as /etc/zcpipe would hold it ----------------
ETC=$ZC_TMP/etc-zcpipe
mkdir -p "$ETC"
cp "$D"/usr/share/zcpipe/examples/* "$ETC/"
cd "$ETC"
for ini in "$ZC_ROOT"/examples/*.ini; do
	name=$(basename "$ini")
	timeout 60 "$D/usr/bin/zcpipe" --check -f "$name" >"$ZC_TMP/check.out" 2>&1 ||
		{ cat "$ZC_TMP/check.out"; fail "--check $name failed"; }
	grep -q "drivers-config: $D/usr/share/zcpipe/drivers-config " "$ZC_TMP/check.out" ||
		{ cat "$ZC_TMP/check.out"; fail "--check $name did not use the installed drivers-config"; }
	grep -q "^zcpipe: $name: OK" "$ZC_TMP/check.out" ||
		{ cat "$ZC_TMP/check.out"; fail "--check $name: no OK line"; }
	# What the sections' verify() hooks built from the files named.
	rules=$(sed -n 's/^rules = //p' "$name")
	[ -z "$rules" ] || grep -qxF "  acl: $(grep -cvE '^[[:space:]]*(#|$)' "$rules") rule(s) in $rules" "$ZC_TMP/check.out" ||
		{ cat "$ZC_TMP/check.out"; fail "--check $name: no ACL built from $rules"; }
	! grep -q '^mode = router' "$name" ||
		grep -qE '^  routes: [1-9][0-9]* \(connected and local ones included\), [0-9]+ static neighbour\(s\)$' "$ZC_TMP/check.out" ||
		{ cat "$ZC_TMP/check.out"; fail "--check $name: no route table built"; }
done
pass "--check passes on every example, run from /etc-like folder with the installed drivers-config, building its ACL and routes"

# ---- --check refuses what start-up would refuse -----------------------------
expect_check_error() { # CONFIG-FILE MESSAGE [EAL args]
	local cfg=$1 want=$2; shift 2
	timeout 60 "$D/usr/bin/zcpipe" "$@" --check -f "$cfg" >"$ZC_TMP/check.out" 2>&1
	local rc=$?
	[ $rc -eq 1 ] || { cat "$ZC_TMP/check.out"; fail "--check $cfg: exit $rc, expected 1"; }
	grep -qF -- "$want" "$ZC_TMP/check.out" ||
		{ cat "$ZC_TMP/check.out"; fail "--check $cfg: no message '$want'"; }
}
sed 's/^mode = router/mode = routr/' router-af_xdp.ini >bad-mode.ini
expect_check_error bad-mode.ini "bad-mode.ini:10: [general] mode: expected l2-xconnect, router or filter, got 'routr'"
printf '10.9.0.0/16 via 10.0.0.1 port 7\n' >bad.routes
sed 's/^routes = router.routes/routes = bad.routes/' router-af_xdp.ini >bad-routes.ini
expect_check_error bad-routes.ini "bad.routes:1:"
sed 's/^rules = filter.rules/rules = missing.rules/' filter-acl.ini >bad-acl.ini
expect_check_error bad-acl.ini "[acl] rules: 'missing.rules': No such file or directory"
printf 'action=forward:9\n' >bad.rules
sed 's/^rules = filter.rules/rules = bad.rules/' filter-acl.ini >bad-rules.ini
expect_check_error bad-rules.ini "bad.rules:1:"
sed 's|^dev = net_af_xdp0.*|dev = net_pcap0,rx_pcap=nowhere.pcap|' filter-acl.ini >bad-pcap.ini
expect_check_error bad-pcap.ini "nowhere.pcap"
# Two pipelines need two workers: -l 0-1 gives one, -l 0-2 two.
expect_check_error l2-xconnect-vfio.ini "needs 2 worker lcore(s) but the EAL options give 1" -l 0-1 --
timeout 60 "$D/usr/bin/zcpipe" -l 0-2 -- --check -f l2-xconnect-vfio.ini >"$ZC_TMP/check.out" 2>&1 ||
	{ cat "$ZC_TMP/check.out"; fail "--check with -l 0-2 refused a 2-worker placement"; }
pass "--check refuses a bad key, route, ACL, capture and placement, naming file and line"

# No device is created or probed: a tap port makes no interface.
TAP=zck$$
cat >tap.ini <<EOC
[port.0]
dev = net_tap0,iface=$TAP
[port.1]
dev = net_null1
[forward]
map = 0->1
EOC
timeout 60 "$D/usr/bin/zcpipe" --check -f tap.ini >"$ZC_TMP/check.out" 2>&1 ||
	{ cat "$ZC_TMP/check.out"; fail "--check tap.ini failed"; }
ip link show "$TAP" >/dev/null 2>&1 && { ip link del "$TAP"; fail "--check created interface $TAP"; }
ls -d /var/run/dpdk/zccheck-* 2>/dev/null && fail "--check left a runtime folder"
pass "--check creates no device and leaves no runtime folder"
cd "$ZC_ROOT"

# ---- the docs name configurations that exist --------------------------------
for doc in README.md docs/deployment.md; do
	for f in $(grep -oE -- '-f [^ )`]+\.ini' "$doc" | awk '{print $2}' | sort -u); do
		case $f in /etc/zcpipe/*) continue ;; esac # the operator's
		[ -f "$ZC_ROOT/$f" ] || fail "$doc names $f, which does not exist"
	done
done
pass "README.md and docs/deployment.md name only existing configurations"

# ---- systemd-analyze verify ---------------------------------------------------
if command -v systemd-analyze >/dev/null; then
	# Installed for real paths (no DESTDIR), so that verify finds the
	# binaries the unit runs.
	P=$ZC_TMP/prefix
	make -s -C "$ZC_ROOT" install PREFIX="$P/usr" SYSCONFDIR="$P/etc" \
		>"$ZC_TMP/install2.log" 2>&1 || { cat "$ZC_TMP/install2.log"; fail "make install PREFIX=$P/usr"; }
	cp "$P/usr/lib/systemd/system/zcpipe@.service" "$ZC_TMP/zcpipe@edge.service"
	(cd / && systemd-analyze verify --man=no "$ZC_TMP/zcpipe@edge.service") \
		>"$ZC_TMP/verify.out" 2>&1 ||
		{ cat "$ZC_TMP/verify.out"; fail "systemd-analyze verify zcpipe@edge.service"; }
	[ -s "$ZC_TMP/verify.out" ] && { cat "$ZC_TMP/verify.out"; fail "systemd-analyze verify warned"; }
	make -s -C "$ZC_ROOT" uninstall PREFIX="$P/usr" SYSCONFDIR="$P/etc" >/dev/null 2>&1
	pass "systemd-analyze verify accepts zcpipe@edge.service"
else
	echo "test_install: systemd-analyze not found: unit not verified" >&2
fi

# ---- uninstall ---------------------------------------------------------------
echo "; operator's" >"$D/etc/zcpipe/edge.ini"
make -s -C "$ZC_ROOT" uninstall DESTDIR="$D" PREFIX=/usr >"$ZC_TMP/uninstall.log" 2>&1 ||
	{ cat "$ZC_TMP/uninstall.log"; fail "make uninstall failed"; }
left=$(find "$D" -type f ! -path "$D/etc/zcpipe/edge.ini")
[ -z "$left" ] || fail "make uninstall left: $left"
[ -f "$D/etc/zcpipe/edge.ini" ] || fail "make uninstall removed the operator's configuration"
pass "make uninstall removes every installed file and keeps /etc/zcpipe/edge.ini"
