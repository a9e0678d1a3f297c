# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers for the integration tests (source it; bash only).
#
#   zc_eal_args NAME        EAL options for one zcpipe/testpmd process:
#                           its own --file-prefix (zct-NAME-$$), --no-pci,
#                           hugepages if there are free ones, else --no-huge
#   zc_start NAME ARGS...   start build/zcpipe in the background; sets ZC_PID
#   zc_stop_pid PID         SIGTERM, wait up to 10 s, then SIGKILL
#   zc_cleanup              stop what this test started, remove its runtime
#                           folders, the hugepage files of its prefixes (a
#                           process that had to be killed leaves them) and
#                           its temp dir (installed as an EXIT trap)
#   fail MSG / pass MSG     report; fail exits 1
#
# ZC_KEEP=1 keeps the temp dir ($ZC_TMP) for a look after a failure.
#
# Every test must leave no process, no /var/run/dpdk/<prefix> and no
# network namespace behind, nor a hugepage file, even when it fails.

set -uo pipefail

ZC_ROOT=${ZC_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ZCPIPE=${ZCPIPE:-$ZC_ROOT/build/zcpipe}
# Real captures from other projects (pcaps/real/SOURCES.md).
REAL_PCAPS=$ZC_ROOT/pcaps/real
PY=/usr/bin/python3
ZC_TMP=$(mktemp -d /tmp/zctest.XXXXXX)
ZC_PIDS=()
ZC_PREFIXES=()
ZC_TEST=$(basename "${0%.sh}")

fail() { echo "FAIL: $ZC_TEST: $*" >&2; exit 1; }
pass() { echo "ok: $ZC_TEST: $*"; }

zc_have_hugepages() {
	local free
	# ZC_NO_HUGE=1 (the sanitizer runs): anonymous memory only.
	[ "${ZC_NO_HUGE:-0}" = 1 ] && return 1
	free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	[ "${free:-0}" -ge 128 ] && mount | grep -q hugetlbfs
}

# zc_eal_args NAME [LCORES]: LCORES as for -l, or a --lcores map such as
# 0@0,1@0,2@1 (two workers and the sleeping main lcore on 2 CPUs).
zc_eal_args() {
	local prefix="zct-$1-$$" lcores="-l ${2:-0-1}"
	[[ $lcores == *@* ]] && lcores="--lcores ${2}"
	# Usually called in $(...): record the prefix in a file, which
	# survives the subshell, so that zc_cleanup removes its folder.
	touch "$ZC_TMP/.prefix.$prefix"
	if zc_have_hugepages; then
		echo "$lcores --no-pci --file-prefix $prefix -m 256 --log-level=*:warning"
	else
		echo "$lcores --no-pci --file-prefix $prefix --no-huge -m 512 --log-level=*:warning"
	fi
}

zc_start() {
	local name=$1; shift
	"$ZCPIPE" $(zc_eal_args "$name") -- "$@" >"$ZC_TMP/$name.out" 2>&1 &
	ZC_PID=$!
	ZC_PIDS+=("$ZC_PID")
}

zc_stop_pid() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# zc_rm_prefix PREFIX: an EAL file prefix's runtime folder and hugepage
# files (PREFIXmap_N in every hugetlbfs mount).
zc_rm_prefix() {
	local d
	rm -rf "/var/run/dpdk/$1"
	for d in $(awk '$3 == "hugetlbfs" {print $2}' /proc/mounts); do
		rm -f "$d/$1"map_*
	done
}

zc_cleanup() {
	local pid p
	for pid in "${ZC_PIDS[@]}"; do
		zc_stop_pid "$pid"
	done
	for p in "${ZC_PREFIXES[@]}"; do
		zc_rm_prefix "$p"
	done
	for p in "$ZC_TMP"/.prefix.*; do
		[ -e "$p" ] && zc_rm_prefix "${p##*/.prefix.}"
	done
	[ -n "${ZC_KEEP:-}" ] || rm -rf "$ZC_TMP"
}
trap zc_cleanup EXIT

# zc_replay NAME CONFIG [more zcpipe args]: run a replay to the end, in the
# foreground, with a time limit. Output in $ZC_TMP/NAME.out, the summary
# as JSON in $ZC_TMP/NAME.json. Returns zcpipe's exit status.
zc_replay() {
	local name=$1 cfg=$2; shift 2
	local lcores=${ZC_LCORES:-0-1}
	ZC_PREFIXES+=("zct-$name-$$")
	timeout -k 5 120 "$ZCPIPE" $(zc_eal_args "$name" "$lcores") -- \
		-f "$cfg" --replay --summary-json "$ZC_TMP/$name.json" \
		"$@" >"$ZC_TMP/$name.out" 2>&1
}
