#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Reserve and mount 2 MiB hugepages for zcpipe (make run, the tests, and
# ExecStartPre of the zcpipe@.service unit, installed as zcpipe-hugepages).
#
#   scripts/hugepages.sh [PAGES]    default 512 (1 GiB)
#
# Exits 0 when at least PAGES/2 pages are free and hugetlbfs is mounted,
# else 1 with a warning: callers then fall back to --no-huge.
set -u
want=${1:-512}
mnt=/dev/hugepages

warn() { echo "hugepages: WARNING: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	warn "not root: cannot reserve hugepages"
else
	total=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
	if [ "$total" -lt "$want" ]; then
		echo "$want" > /proc/sys/vm/nr_hugepages 2>/dev/null ||
			warn "cannot write /proc/sys/vm/nr_hugepages"
	fi
	if ! mount | grep -q "type hugetlbfs"; then
		mkdir -p "$mnt"
		mount -t hugetlbfs -o pagesize=2M nodev "$mnt" 2>/dev/null ||
			warn "cannot mount hugetlbfs on $mnt"
	fi
fi

free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
if [ "${free:-0}" -ge $((want / 2)) ] && mount | grep -q "type hugetlbfs"; then
	echo "hugepages: ${free} x 2 MiB free, hugetlbfs mounted"
	exit 0
fi
warn "only ${free:-0} hugepages free (wanted $want; see docs/deployment.md): make run and the tests fall back to --no-huge (ordinary pages: fine for tests, slow for traffic); the zcpipe@ service does not start"
exit 1
