#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The tree's include graph has no circle and core includes no feature
# (scripts/include-graph.sh). Also checks that the script catches each kind
# of breakage, on small trees made here: a module cycle inside one folder,
# a folder cycle, and core including a feature.
source "$(dirname "$0")/lib.sh"

G=$ZC_ROOT/scripts/include-graph.sh

"$G" "$ZC_ROOT" >"$ZC_TMP/graph.out" 2>&1 ||
	{ cat "$ZC_TMP/graph.out" >&2; fail "the tree's include graph is not clean"; }

# mk ROOT FILE 'INCLUDE...': a file including the given headers
mk() {
	local f=$1/$2 i
	mkdir -p "$(dirname "$f")"
	: >"$f"
	for i in $3; do echo "#include \"$i\"" >>"$f"; done
}

# expect_fail NAME PATTERN: the script refuses tree NAME, saying PATTERN
expect_fail() {
	if "$G" "$ZC_TMP/$1" >"$ZC_TMP/$1.out" 2>&1; then
		cat "$ZC_TMP/$1.out" >&2
		fail "$1: accepted"
	fi
	grep -q "$2" "$ZC_TMP/$1.out" ||
		{ cat "$ZC_TMP/$1.out" >&2; fail "$1: no '$2'"; }
}

# A clean tree: a feature on core, an app on both.
mk "$ZC_TMP/ok" lib/core/a.h ""
mk "$ZC_TMP/ok" lib/core/a.c "core/a.h"
mk "$ZC_TMP/ok" lib/feat/b.h "core/a.h"
mk "$ZC_TMP/ok" lib/feat/b.c "feat/b.h core/a.h"
mk "$ZC_TMP/ok" app/main.c "feat/b.h core/a.h"
"$G" "$ZC_TMP/ok" >"$ZC_TMP/ok.out" 2>&1 ||
	{ cat "$ZC_TMP/ok.out" >&2; fail "a clean tree refused"; }

# Two modules of one folder including each other's headers.
mk "$ZC_TMP/mod" lib/feat/x.h ""
mk "$ZC_TMP/mod" lib/feat/x.c "feat/x.h feat/y.h"
mk "$ZC_TMP/mod" lib/feat/y.h ""
mk "$ZC_TMP/mod" lib/feat/y.c "feat/y.h feat/x.h"
expect_fail mod "module cycle: feat/x -> feat/y -> feat/x"

# Two features using each other.
mk "$ZC_TMP/fold" lib/f1/a.c "f2/b.h"
mk "$ZC_TMP/fold" lib/f2/b.h ""
mk "$ZC_TMP/fold" lib/f2/b.c "f1/a.h"
mk "$ZC_TMP/fold" lib/f1/a.h ""
expect_fail fold "folder cycle: f1 -> f2 -> f1"

# Core using a feature that does not use core: no cycle, still refused.
mk "$ZC_TMP/core" lib/core/c.c "feat/d.h"
mk "$ZC_TMP/core" lib/feat/d.h ""
expect_fail core "core includes a feature: core/c -> feat/d"

pass "no include circle, core includes no feature; the check catches each kind"
