#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Run every unit suite (build/tests/test_*) and every integration test
# (tests/integration/test_*.sh). Prints one line per test, a summary, and
# exits non-zero if any failed. TESTS="name ..." runs a subset.
set -u
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
	echo "run-all: the tests need root (hugepages, vdevs, namespaces)" >&2
	exit 1
fi

passed=0
failed=()
start=$(date +%s)

run_one() {
	local name=$1; shift
	local t0 rc
	if [ -n "${TESTS:-}" ] && ! grep -qw "$name" <<<"$TESTS"; then
		return
	fi
	t0=$(date +%s)
	"$@" >"build/test-logs/$name.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		printf 'PASS %-28s %4ss\n' "$name" $(( $(date +%s) - t0 ))
	else
		failed+=("$name")
		printf 'FAIL %-28s %4ss (exit %d)\n' "$name" $(( $(date +%s) - t0 )) $rc
		sed 's/^/    | /' "build/test-logs/$name.log" | tail -40
	fi
}

mkdir -p build/test-logs/unit build/test-logs/integration
leftovers() { # runtime folders, processes and namespaces tests may leave
	ls -d /var/run/dpdk/zct-* /var/run/dpdk/zcunit-* 2>/dev/null
	# Programs that run (command line starting with the binary), not a
	# shared machine's other commands that name one (a "flock ...
	# build/zcpipe" waiting for the lock, a compiler writing one).
	pgrep -a -f '^([^ ]*/)?build[^ ]*/(zcpipe|tests/test_)' 2>/dev/null
	ip netns list 2>/dev/null | grep '^zc'
}
before=$(leftovers | sort)
for t in build/tests/test_*; do
	[ -x "$t" ] && run_one "unit/$(basename "$t")" "$t"
done
for t in tests/integration/test_*.sh; do
	[ -f "$t" ] && run_one "integration/$(basename "$t" .sh)" bash "$t"
done

after=$(leftovers | sort)
left=$(comm -13 <(echo "$before") <(echo "$after"))
if [ -n "$left" ]; then
	failed+=("leftovers")
	echo "FAIL the tests left these behind:"
	echo "$left" | sed 's/^/    | /'
fi

echo "---- $passed passed, ${#failed[@]} failed, $(( $(date +%s) - start ))s"
if [ ${#failed[@]} -ne 0 ]; then
	echo "failed: ${failed[*]}"
	exit 1
fi
