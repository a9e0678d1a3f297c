#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The sanitizer tier (make test-asan, part of make test): every unit suite
# and the integration tests that replay captures, feed bad input and stop
# zcpipe by signal, on build-asan/ (ASan + UBSan, see the Makefile), with
# the EAL on anonymous memory (--no-huge: no hugepage mapping to share
# the address space with ASan's shadow). A sanitizer report fails the run
# whatever the test's own verdict: each report is written to
# build-asan/sanitizer-logs/ (log_path) and any file there is a failure,
# so that a report in a test that expects zcpipe to exit 1 is not lost.
# ZC_ASAN_TESTS="name ..." replaces the list of integration tests.
set -u
cd "$(dirname "$0")/.."

B=build-asan
LOGS=$PWD/$B/sanitizer-logs
[ -x $B/zcpipe ] || { echo "run-asan: no $B/zcpipe (make asan)" >&2; exit 1; }
rm -rf "$LOGS"
mkdir -p "$LOGS"

# halt_on_error: stop at the first report. detect_leaks: every unit suite
# and zcpipe free what they allocate before exit (the EAL's own
# allocations are not malloc's, so LeakSanitizer does not see them).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$LOGS/asan:strip_path_prefix=$PWD/"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$LOGS/ubsan:strip_path_prefix=$PWD/"
export ZC_NO_HUGE=1

tests=""
for t in $B/tests/test_*; do
	tests+=" unit/$(basename "$t")"
done
for t in ${ZC_ASAN_TESTS:-test_replay test_bad_input test_parse_real test_actions \
	test_signal test_telemetry test_router test_filter test_ttl_filter \
	test_zcctl test_zcctl_route}; do
	tests+=" integration/$t"
done

echo "---- sanitizer run (ASan + UBSan, $B/):$tests"
ZC_BUILD=$B TESTS="$tests" tests/run-all.sh
rc=$?
reports=$(find "$LOGS" -type f | sort)
if [ -n "$reports" ]; then
	echo "FAIL sanitizer reports:"
	for f in $reports; do
		echo "    | ${f#$PWD/}"
		sed 's/^/    | /' "$f" | head -40
	done
	rc=1
fi
exit $rc
