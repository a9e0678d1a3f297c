#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The fuzzing smoke tier (make fuzz-smoke, part of make test), on
# build-fuzz/ (make fuzz). For every target in build-fuzz/fuzz/:
#  1. replay its regression inputs, tests/fuzz/corpus/TARGET/* (each an
#     input that once crashed or failed, kept after the fix);
#  2. fuzz it for FUZZ_TIME seconds (default 40) from the seeds of
#     tests/fuzz/seed.sh and the regression inputs.
# A crash, a sanitizer report, a timeout (10 s for one input), or an EAL
# runtime folder left behind fails the run. Crashing inputs are written
# to build-fuzz/artifacts/; docs/testing.md says what to do with them.
# FUZZ_TARGETS="parse acl" runs a subset.
set -u
cd "$(dirname "$0")/../.."

B=build-fuzz
T=${FUZZ_TIME:-40}
export ZC_TEST_ID=${ZC_TEST_ID:-$$}
[ -d $B/fuzz ] || { echo "fuzz: no $B/fuzz (make fuzz)" >&2; exit 1; }
tests/fuzz/seed.sh || exit 1
mkdir -p $B/artifacts $B/fuzz-logs
# The parse target checks one mbuf against a chain; the rest read files.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

failed=()
start=$(date +%s)
for bin in $B/fuzz/fuzz_*; do
	name=${bin##*/fuzz_}
	if [ -n "${FUZZ_TARGETS:-}" ] && ! grep -qw "$name" <<<"$FUZZ_TARGETS"; then
		continue
	fi
	reg=tests/fuzz/corpus/$name
	log=$B/fuzz-logs/$name.log
	mkdir -p "$reg"
	nreg=$(find "$reg" -type f | wc -l)
	: >"$log"
	ok=1
	if [ "$nreg" -gt 0 ]; then
		find "$reg" -type f -print0 | sort -z |
			xargs -0 "$bin" -timeout=10 >>"$log" 2>&1 || ok=0
	fi
	if [ $ok = 1 ]; then
		"$bin" -max_total_time="$T" -timeout=10 -print_final_stats=1 \
			-artifact_prefix="$B/artifacts/$name-" \
			"$B/corpus/$name" "$reg" >>"$log" 2>&1 || ok=0
	fi
	left=$(ls -d /var/run/dpdk/zcfuzz-*-"$ZC_TEST_ID" 2>/dev/null)
	if [ -n "$left" ]; then
		echo "leftover: $left" >>"$log"
		rm -rf $left
		ok=0
	fi
	execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $ok = 1 ]; then
		printf 'PASS fuzz/%-23s %d regression inputs, %s runs in %ss, %s\n' \
			"$name" "$nreg" "${execs:-?}" "$T" "${cov:-cov: ?}"
	else
		failed+=("fuzz/$name")
		printf 'FAIL fuzz/%-23s (log %s)\n' "$name" "$log"
		grep -v '^#[0-9]' "$log" | tail -40 | sed 's/^/    | /'
		ls $B/artifacts/$name-* 2>/dev/null | sed 's/^/    | artifact: /'
	fi
done
echo "---- fuzz: ${#failed[@]} failed, $(( $(date +%s) - start ))s"
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
