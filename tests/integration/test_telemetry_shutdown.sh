#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Shutdown while telemetry is being read (issue 11): 20 rounds, each
# starting zcpipe on an endless input in one of three placements
# (run-to-completion, 2-lcore pipeline, router), then SIGTERM or SIGINT
# while three clients (tests/integration/telclients.py, each on its own
# connection to the telemetry socket) loop over the /zcpipe/ commands.
# Every round must exit 0 with its summary, every packet accounted for and
# every mbuf back, and every reply must be valid JSON: data while the
# pipeline runs, an "error" once it is being freed. Before the telemetry
# gate, 6 to 9 rounds in 12 ended in SIGSEGV in collect_instances().
source "$(dirname "$0")/lib.sh"
P=$ZC_ROOT/pcaps
ROUNDS=${ROUNDS:-20}
# Routed traffic for the router rounds (route-in0.pcap has jumbo frames,
# which net_pcap cannot loop with infinite_rx).
$PY - "$ZC_TMP/routed.pcap" <<'EOP' || fail "cannot write routed.pcap"
import sys
from scapy.all import IP, UDP, Ether, IPv6, wrpcap
pkts = [Ether(src="02:00:00:00:00:10", dst="02:00:00:00:00:a0") /
        IP(src="10.0.0.2", dst="10.%d.%d.1" % (1 + i % 2, i)) /
        UDP(sport=1000, dport=2000) / (b"x" * 18) for i in range(32)]
pkts += [Ether(src="02:00:00:00:00:10", dst="02:00:00:00:00:a0") /
         IPv6(src="2001:db8:1::2", dst="2001:db8:20::%x" % i) /
         UDP(sport=1000, dport=2000) for i in range(16)]
wrpcap(sys.argv[1], pkts)
EOP

write_cfg() { # write_cfg FILE PLACEMENT NAME
	case $2 in
	router)
		cat >"$1" <<EOC
[general]
mode = router
ring_size = 256

[port.0]
dev = net_pcap_t$3,rx_pcap=$ZC_TMP/routed.pcap,infinite_rx=1
mac = 02:00:00:00:00:a0
ipv4 = 10.0.0.1/24
ipv6 = 2001:db8:1::1/64

[port.1]
dev = net_null_t$3a,no-rx=1
mac = 02:00:00:00:00:a1
ipv4 = 10.0.1.1/24
ipv6 = 2001:db8:2::1/64

[port.2]
dev = net_null_t$3b,no-rx=1
mac = 02:00:00:00:00:a2
ipv4 = 10.0.2.1/24
ipv6 = 2001:db8:3::1/64

[route]
routes = $P/route.routes
neighbours = $P/route.neighbours

[acl]
rules = $P/route.acl
EOC
		;;
	*)
		cat >"$1" <<EOC
[general]
mode = l2-xconnect
ring_size = 256

[port.0]
dev = net_pcap_t$3,rx_pcap=$P/default.pcap,infinite_rx=1

[port.1]
dev = net_null_t$3,no-rx=1

[forward]
map = 0->1, 1->0
EOC
		[ "$2" = pipeline ] &&
			printf '[pipeline.0]\nrx = 0:0, 1:0\nstages = rx parse | forward tx\n' >>"$1"
		;;
	esac
}

placements=(rtc pipeline router)
signals=(TERM INT)
start=$(date +%s)
for r in $(seq "$ROUNDS"); do
	placement=${placements[$(( (r - 1) % 3 ))]}
	sig=${signals[$(( (r - 1) % 2 ))]}
	name=r$r
	d="$ZC_TMP/$name"
	mkdir -p "$d"
	write_cfg "$d/zc.ini" "$placement" "$r"
	eal="$(zc_eal_args "$name")"
	[ "$placement" = pipeline ] && eal=${eal/-l 0-1/--lcores 0@0,1@0,2@1}
	"$ZCPIPE" $eal -- -f "$d/zc.ini" --summary-json "$d/sum.json" \
		>"$d/out.txt" 2>&1 &
	pid=$!
	ZC_PIDS+=("$pid")
	$PY "$ZC_ROOT/tests/integration/telclients.py" \
		"/var/run/dpdk/zct-$name-$$/dpdk_telemetry.v2" "$pid" "$sig" 3 \
		>"$d/clients.txt" 2>&1
	crc=$?
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && fail "round $r ($placement): still running 10 s after SIG$sig"
	wait "$pid"
	rc=$?
	[ $rc -eq 0 ] || { tail -20 "$d/out.txt"; cat "$d/clients.txt";
		fail "round $r ($placement, SIG$sig): exit status $rc$([ $rc -gt 128 ] && echo " (signal $((rc - 128)))")"; }
	[ $crc -eq 0 ] || { cat "$d/clients.txt"; fail "round $r ($placement): telemetry clients failed"; }
	grep -q "zcpipe summary" "$d/out.txt" || { cat "$d/out.txt"; fail "round $r: no summary"; }
	grep -q "all returned to their pools" "$d/out.txt" || fail "round $r: mbufs missing"
	$PY - "$d/sum.json" <<'EOP' || fail "round $r ($placement): counters do not add up"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["rx"] > 0 and s["balanced"] and s["leaked_mbufs"] == 0, s
assert s["rx"] + s["clones"] == s["tx"] + s["dropped"], s
EOP
	pass "round $r: $placement, SIG$sig: $(cat "$d/clients.txt")"
done
pass "$ROUNDS rounds in $(( $(date +%s) - start )) s"
