#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Build DPDK's l3fwd example, the benchmark anchor, from the Debian dpdk-doc
# package's sources into build/l3fwd/ (nothing of it is kept in this
# repository). Two changes, both made here with sed on the copy:
#  - its RX offload requests are masked by what the port can do, or it
#    refuses to start on vdevs (net_pcap has no RX checksum offload);
#  - --lookup fib holds up to 2^21 IPv4 routes (it has room for 65,536),
#    for the 1M-route profile.
# Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=/usr/share/dpdk/examples
OUT=build/l3fwd
if [ ! -d "$SRC/l3fwd" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpdk-doc >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq dpdk-doc >/dev/null; }
	fi
	[ -d "$SRC/l3fwd" ] || { echo "build-l3fwd: no $SRC/l3fwd (install dpdk-doc)" >&2; exit 1; }
fi
if [ -x "$OUT/l3fwd/build/l3fwd" ]; then
	echo "$PWD/$OUT/l3fwd/build/l3fwd"
	exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT"
cp -r "$SRC/l3fwd" "$SRC/common" "$OUT/"
cd "$OUT/l3fwd"
sed -i 's/^\(\t*\)local_port_conf.rx_adv_conf.rss_conf.rss_hf &=$/\1local_port_conf.rxmode.offloads \&= dev_info.rx_offload_capa;\n&/' main.c
sed -i 's/rxq_conf.offloads = port_conf.rxmode.offloads;/rxq_conf.offloads = port_conf.rxmode.offloads \& dev_info.rx_offload_capa;/' main.c
sed -i 's/config_ipv4.max_routes = (1 << 16);/config_ipv4.max_routes = (1 << 21);/' l3fwd_fib.c
grep -q 'rxmode.offloads &= dev_info.rx_offload_capa' main.c &&
	grep -q 'port_conf.rxmode.offloads & dev_info.rx_offload_capa' main.c &&
	grep -q '(1 << 21)' l3fwd_fib.c ||
	{ echo "build-l3fwd: the l3fwd sources changed; cannot patch them" >&2; exit 1; }
make -s >/dev/null 2>make.log || { cat make.log >&2; exit 1; }
echo "$PWD/build/l3fwd"
