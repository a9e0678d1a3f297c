#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what zcpipe needs to build, run and test on Debian bookworm.
# Only missing packages are installed; apt-get update runs once, if needed.
set -euo pipefail

PKGS=(build-essential pkg-config dpdk dpdk-dev libdpdk-dev libnuma-dev
      libpcap-dev check libsubunit-dev python3 python3-scapy tshark
      iproute2 iperf3 iputils-ping)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "setup: missing packages: ${missing[*]}; run as root or install them" >&2
	exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
