#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Bind a NIC to vfio-pci for zcpipe, or give it back to its kernel driver,
# with dpdk-devbind.py.
#
#   scripts/bind-nic.sh PCI_ADDR          bind to vfio-pci
#   scripts/bind-nic.sh --unbind PCI_ADDR DRIVER   back to e.g. ixgbe
#   scripts/bind-nic.sh --status          what is bound where
#
# Refuses a device that carries a route or an address the machine is using
# (dpdk-devbind.py marks it *Active*): binding it would cut you off.
# mlx5 NICs must stay on mlx5_core (bifurcated driver): see
# drivers-config/mlx5_pci.ini.
set -euo pipefail
DEVBIND=$(command -v dpdk-devbind.py || echo /usr/bin/dpdk-devbind.py)

die() { echo "bind-nic: $*" >&2; exit 1; }

[ -x "$DEVBIND" ] || die "dpdk-devbind.py not found (apt-get install dpdk)"
case "${1:-}" in
--status)
	exec "$DEVBIND" --status-dev net ;;
--unbind)
	[ $# -eq 3 ] || die "usage: $0 --unbind PCI_ADDR DRIVER"
	exec "$DEVBIND" -b "$3" "$2" ;;
""|-h|--help)
	sed -n '3,14p' "$0"; exit 0 ;;
esac

addr=$1
[ -e "/sys/bus/pci/devices/$addr" ] || die "$addr: no such PCI device"
if "$DEVBIND" --status-dev net | grep -F "$addr" | grep -q '\*Active\*'; then
	die "$addr is active (it carries this machine's traffic); refusing to bind it"
fi
vendor=$(cat "/sys/bus/pci/devices/$addr/vendor")
if [ "$vendor" = "0x15b3" ]; then
	die "$addr is a Mellanox/NVIDIA NIC: keep it on mlx5_core; zcpipe drives it through the kernel driver"
fi
modprobe vfio-pci
if [ ! -e /sys/kernel/iommu_groups/0 ]; then
	echo "bind-nic: no IOMMU: enabling vfio no-IOMMU mode (unsafe, VMs/labs only)" >&2
	echo 1 > /sys/module/vfio/parameters/enable_unsafe_noiommu_mode
fi
"$DEVBIND" -b vfio-pci "$addr"
"$DEVBIND" --status-dev net | grep -F "$addr"
