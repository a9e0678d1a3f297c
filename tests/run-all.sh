#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Run every unit suite (build/tests/test_*) and every integration test
# (tests/integration/test_*.sh). Prints one line per test, a summary, and
# exits non-zero if any failed. TESTS="name ..." runs a subset.
# ZC_BUILD=build-asan runs that build's unit suites and zcpipe instead
# (tests/run-asan.sh).
set -u
cd "$(dirname "$0")/.."
B=${ZC_BUILD:-build}
export ZCPIPE=${ZCPIPE:-$PWD/$B/zcpipe}

if [ "$(id -u)" -ne 0 ]; then
	echo "run-all: the tests need root (hugepages, vdevs, namespaces)" >&2
	exit 1
fi

passed=0
failed=()
start=$(date +%s)

# Every test runs with ZC_TEST_RUN=$RUN_TAG in its environment (inherited
# by whatever it starts) and ZC_TEST_ID=<its own PID>. What a test creates
# is named after that PID: EAL file prefixes end in -PID (zct-NAME-$$,
# zcunit-PID, zcfuzz-...-PID), namespaces and veths too (netns.sh). So
# the leftover check looks only at what this run's tests made, never at
# another user's processes, runtime folders or namespaces on a shared
# machine.
RUN_TAG="zcrun-$$-$(date +%s%N)"

leftovers() { # leftovers PID: what the test PID left behind
	local pid=$1 p
	for p in /proc/[0-9]*; do
		grep -qsz "^ZC_TEST_RUN=$RUN_TAG\$" "$p/environ" &&
			echo "process ${p#/proc/}: $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)"
	done
	for p in /var/run/dpdk/*-"$pid"; do
		[ -e "$p" ] && echo "runtime $p"
	done
	for p in $(awk '$3 == "hugetlbfs" {print $2}' /proc/mounts); do
		for p in "$p"/*-"$pid"map_*; do
			[ -e "$p" ] && echo "hugepage $p"
		done
	done
	ip netns list 2>/dev/null | awk -v s="-$pid" \
		'substr($1, length($1) - length(s) + 1) == s {print "namespace " $1}'
	ip -o link show 2>/dev/null | awk -F': ' -v s="-$pid" \
		'{ sub(/@.*/, "", $2) } substr($2, length($2) - length(s) + 1) == s {print "link " $2}'
}

# clean_leftovers: remove what leftovers listed (processes by their PID).
clean_leftovers() {
	local what name
	while read -r what name _; do
		case $what in
		process) kill -KILL "${name%:}" 2>/dev/null ;;
		runtime) rm -rf "$name" ;;
		hugepage) rm -f "$name" ;;
		namespace) ip netns del "$name" 2>/dev/null ;;
		link) ip link del "$name" 2>/dev/null ;;
		esac
	done
}

run_one() {
	local name=$1; shift
	local t0 rc pid left
	if [ -n "${TESTS:-}" ] && ! grep -qw "$name" <<<"$TESTS"; then
		return
	fi
	t0=$(date +%s)
	mkdir -p "$(dirname "$B/test-logs/$name.log")"
	# A simple command in the background: $! is the test's own PID.
	( exec env ZC_TEST_RUN="$RUN_TAG" ZC_TEST_ID="$BASHPID" "$@" ) \
		>"$B/test-logs/$name.log" 2>&1 &
	pid=$!
	wait $pid
	rc=$?
	left=$(leftovers $pid)
	if [ -n "$left" ]; then
		echo "$left" | sed 's/^/leftover: /' >>"$B/test-logs/$name.log"
		[ $rc -eq 0 ] && rc=99
		echo "$left" | clean_leftovers
	fi
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		printf 'PASS %-28s %4ss\n' "$name" $(( $(date +%s) - t0 ))
	else
		failed+=("$name")
		printf 'FAIL %-28s %4ss (exit %d%s)\n' "$name" \
			$(( $(date +%s) - t0 )) $rc "${left:+, left processes, runtime folders or namespaces behind}"
		sed 's/^/    | /' "$B/test-logs/$name.log" | tail -40
	fi
}

mkdir -p $B/test-logs/unit $B/test-logs/integration
for t in "$B"/tests/test_*; do
	[ -x "$t" ] && run_one "unit/$(basename "$t")" "$t"
done
for t in tests/integration/test_*.sh; do
	[ -f "$t" ] && run_one "integration/$(basename "$t" .sh)" bash "$t"
done

echo "---- $passed passed, ${#failed[@]} failed, $(( $(date +%s) - start ))s"
if [ ${#failed[@]} -ne 0 ]; then
	echo "failed: ${failed[*]}"
	exit 1
fi
