#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what zcpipe needs to build, run and test on Debian bookworm.
# Only missing packages are installed; apt-get update runs once, if needed.
set -uo pipefail

PKGS=(build-essential pkg-config dpdk dpdk-dev libdpdk-dev libnuma-dev
      libpcap-dev libmnl-dev check libsubunit-dev python3 python3-scapy tshark
      iproute2 iperf3 iputils-ping traceroute iputils-tracepath ethtool prometheus
      clang libclang-rt-14-dev llvm python3-prometheus-client systemd)
# clang, its sanitizer and libFuzzer runtimes (libclang-rt-14-dev) and
# llvm-symbolizer (llvm) build and run the sanitizer and fuzzing tiers
# (make asan, make fuzz; docs/testing.md).

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
# The tests start their own Prometheus on loopback; keep the package's
# system service from starting (and listening on every interface).
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e $policy ]; then
	printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy && own_policy=1
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
rc=$?
[ $own_policy -eq 1 ] && rm -f $policy
exit $rc
