#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Telemetry clients that keep reading /zcpipe/* while zcpipe shuts down.

    telclients.py SOCKET PID SIGNAL [CLIENTS]

Waits for zcpipe's telemetry socket, starts CLIENTS (3) clients, each on its
own connection (DPDK serves each on its own thread), looping over the
/zcpipe/ commands. Once every client has had answers from a running
pipeline, sends SIGNAL (TERM or INT) to PID, and goes on querying until
the socket goes away. Every reply must be valid JSON holding the command's
name, with either data or an "error". Prints one line of counts; exits 0,
or 1 with the reason. Bounded: gives up after 20 s.
"""

import json
import os
import signal
import socket
import sys
import threading
import time

CMDS = ["/zcpipe/stats", "/zcpipe/stages", "/zcpipe/latency", "/zcpipe/rings",
        "/zcpipe/ports", "/zcpipe/drops", "/zcpipe/pools", "/zcpipe/config",
        "/zcpipe/acl", "/zcpipe/routes", "/zcpipe/trace",
        "/zcpipe/latency,rx_to_tx", "/zcpipe/stages,1"]
DEADLINE = time.monotonic() + 20


class Client(threading.Thread):
    def __init__(self, path, first):
        super().__init__(daemon=True)
        self.path, self.first = path, first
        self.data = self.errors = 0
        self.running = threading.Event()
        self.problem = None

    def run(self):
        try:
            self.loop()
        except Exception as e:  # noqa: BLE001 - reported, not hidden
            self.problem = "client %d: %r" % (self.first, e)

    def loop(self):
        # DPDK listens with a backlog of 1: clients connecting at the same
        # moment may be told to try again.
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            try:
                s.connect(self.path)
                break
            except (BlockingIOError, ConnectionRefusedError):
                s.close()
                if time.monotonic() > DEADLINE:
                    raise
                time.sleep(0.01)
        s.settimeout(5)
        s.recv(1024)  # {"version": ..., "max_output_len": ...}
        i = self.first
        while time.monotonic() < DEADLINE:
            cmd = CMDS[i % len(CMDS)]
            i += 1
            try:
                s.send(cmd.encode())
                raw = s.recv(65536)
            except (ConnectionError, BrokenPipeError, socket.timeout):
                return  # zcpipe is gone (or going): the end of the round
            if not raw:
                return
            reply = json.loads(raw.decode())
            value = reply[cmd.split(",")[0]]
            if isinstance(value, dict) and "error" in value:
                self.errors += 1
            elif value is None:
                raise AssertionError("%s answered null" % cmd)
            else:
                self.data += 1
                if cmd == "/zcpipe/stats" and value.get("state") == "running":
                    self.running.set()
        self.problem = "client %d: zcpipe still answering after 20 s" % self.first


def main():
    path, pid, sig = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    while not os.path.exists(path):
        if time.monotonic() > DEADLINE:
            sys.exit("no telemetry socket %s" % path)
        time.sleep(0.02)
    clients = [Client(path, k * 4) for k in range(n)]
    for c in clients:
        c.start()
    for c in clients:
        while not c.running.wait(0.05):
            if not c.is_alive() or time.monotonic() > DEADLINE:
                sys.exit("client never saw a running pipeline: %s" % c.problem)
    # A few rounds of every command while it runs, then the signal.
    time.sleep(0.1)
    os.kill(pid, getattr(signal, "SIG" + sig))
    for c in clients:
        c.join(max(0.1, DEADLINE - time.monotonic()))
    problems = [c.problem for c in clients if c.problem]
    print("%d clients: %d data replies, %d error replies" %
          (n, sum(c.data for c in clients), sum(c.errors for c in clients)))
    if problems:
        sys.exit("; ".join(problems))


if __name__ == "__main__":
    main()
