#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# `make run`: replay the bundled capture (pcaps/default.pcap) through the
# default pipeline (app/zcpipe.ini) and print the summary. Output packets go
# to build/out/port1.pcap.
set -euo pipefail
cd "$(dirname "$0")/.."

eal=(-l 0-1 --no-pci --file-prefix zcpipe-run)
if scripts/hugepages.sh 512; then
	eal+=(-m 256)
else
	echo "run: WARNING: no hugepages: falling back to --no-huge" >&2
	eal+=(--no-huge -m 512)
fi
mkdir -p build/out
trap 'rm -rf /var/run/dpdk/zcpipe-run' EXIT
set -x
build/zcpipe "${eal[@]}" -- -f app/zcpipe.ini --replay
