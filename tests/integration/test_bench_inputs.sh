#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# scripts/bench.sh never replays one capture in place of another without
# saying so: without the real traffic mix, its output carries a note and
# the mix rows are named as substituted (checked with --inputs, which
# measures nothing); with the mix, no note.
source "$(dirname "$0")/lib.sh"

BENCH_MIX=/nonexistent/mix.pcap "$ZC_ROOT/scripts/bench.sh" --inputs >"$ZC_TMP/no-mix.out" 2>&1 ||
	{ cat "$ZC_TMP/no-mix.out"; fail "bench.sh --inputs failed"; }
grep -q "^NOTE: /nonexistent/mix.pcap not found: the mix rows replay pcaps/udp64.pcap instead" "$ZC_TMP/no-mix.out" ||
	{ cat "$ZC_TMP/no-mix.out"; fail "no note about the substituted capture"; }
grep -q "^mix (udp64 SUBSTITUTED for bro.org mix): .*pcaps/udp64.pcap$" "$ZC_TMP/no-mix.out" ||
	{ cat "$ZC_TMP/no-mix.out"; fail "the mix rows are not named as substituted"; }

BENCH_MIX="$ZC_ROOT/pcaps/default.pcap" "$ZC_ROOT/scripts/bench.sh" --inputs >"$ZC_TMP/mix.out" 2>&1 ||
	fail "bench.sh --inputs with a mix failed"
grep -q "NOTE\|SUBSTITUTED" "$ZC_TMP/mix.out" && { cat "$ZC_TMP/mix.out"; fail "a note without a substitution"; }
grep -q "^mix (bro.org mix): .*pcaps/default.pcap$" "$ZC_TMP/mix.out" || { cat "$ZC_TMP/mix.out"; fail "mix not used"; }
pass "bench.sh names a substituted capture in its output and its table rows"
