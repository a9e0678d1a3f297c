# SPDX-License-Identifier: BSD-3-Clause
# ACL build time and memory for 10,000 generated rules, sourced by
# scripts/bench.sh (uses its TMP, ROOT, PY). The router's forwarding
# profiles against l3fwd are in scripts/bench.sh itself.

echo "-- ACL build (scripts/bench.d/acl-build.sh) --"
$PY "$ROOT/scripts/gen_acl_rules.py" -n 10000 -o "$TMP/acl10k.rules" >/dev/null
if [ -x "$ROOT/build/tests/test_acl" ]; then
	ZC_ACL_BENCH_RULES="$TMP/acl10k.rules" "$ROOT/build/tests/test_acl" 2>/dev/null |
		grep "acl build:" | sed 's|^|  |; s|'"$TMP"'/||'
else
	echo "  acl build: run make unit-bins first for the 10,000-rule figures"
fi
