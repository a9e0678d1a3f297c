# SPDX-License-Identifier: BSD-3-Clause
# Two network namespaces for tests with real kernel peers (source it after
# lib.sh). zc_netns_init TAG names them and their veth pairs after TAG
# (one letter) and this shell's PID, and installs an EXIT trap that stops
# the processes in NS_PIDS, runs zc_cleanup, and removes the namespaces and
# veths, even when the test fails:
#
#   NS_A, NS_B   the namespaces
#   V0, V1       root-side veth ends (zcpipe's ports 0 and 1)
#   VA, VB       their peers, moved into A and B by the test
#   inA/inB CMD  run CMD in A or B
#   bgB OUT CMD  start CMD in B in the background, output to OUT; its own
#                PID (ip netns exec execs CMD) is added to NS_PIDS
#   mac_of DEV [NS]  a device's MAC address
#   wait_ping ADDR PID LOG WHAT  wait until ADDR answers A's pings
#   ID           the PID the names end with

command -v iperf3 >/dev/null || fail "iperf3 is not installed (apt-get install iperf3)"
command -v ethtool >/dev/null || fail "ethtool is not installed (apt-get install ethtool)"

NS_PIDS=()

zc_netns_init() {
	local t=$1 id=$$
	ID=$id
	NS_A=zc${t}A-$id
	NS_B=zc${t}B-$id
	V0=z${t}0-$id
	V1=z${t}1-$id
	VA=z${t}a-$id
	VB=z${t}b-$id
	trap netns_cleanup EXIT
}

netns_cleanup() {
	local pid
	for pid in "${NS_PIDS[@]}"; do
		zc_stop_pid "$pid"
	done
	zc_cleanup
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	ip link del "$V0" 2>/dev/null
	ip link del "$V1" 2>/dev/null
	return 0
}

inA() { ip netns exec "$NS_A" "$@"; }
inB() { ip netns exec "$NS_B" "$@"; }
# Not "inB CMD &": that forks a subshell that runs ip as its child, and
# killing the subshell's PID would leave CMD running.
bgB() {
	local out=$1; shift
	ip netns exec "$NS_B" "$@" >"$out" 2>&1 &
	NS_PIDS+=($!)
}
# wait_ping ADDR PID LOG WHAT: ping ADDR from A once a second, up to 30
# times, until it answers (return 0); fail if zcpipe (PID) exits meanwhile.
wait_ping() {
	local i
	for i in $(seq 30); do
		kill -0 "$2" 2>/dev/null ||
			{ cat "$3"; fail "$4: zcpipe exited"; }
		inA ping -c 1 -W 1 "$1" >/dev/null 2>&1 && return 0
	done
	return 1
}

mac_of() { ip ${2:+netns exec "$2" ip} link show "$1" | awk '/link\/ether/ {print $2}'; }
