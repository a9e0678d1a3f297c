#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Hostile and crowded clients of zcpipe's control socket (test_zcctl.sh).

    ctlclients.py bad SOCKET
        malformed requests, each on its own connection: every one must be
        answered {"ok": false, "error": "..."} in valid JSON; an overlong
        request also closes the connection; two requests in one write get
        two replies, in order
    ctlclients.py silent SOCKET TIMEOUT
        a client that connects and sends nothing, one that sends half a
        request, one that sends binary garbage without a newline: while
        they hang on, other clients are answered at once; after TIMEOUT
        seconds each silent one is told "timeout" and disconnected
    ctlclients.py many SOCKET N
        N clients at once (half sending good requests, half garbage),
        every one answered; then more idle connections than the socket
        serves (64): the extra ones are refused with an error, and once
        they are gone a new client is served again

    ctlclients.py churn SOCKET REPLACES PREFIX VIA,VIA... ACL...
        on one connection: REPLACES next-hop replacements of PREFIX,
        cycling through the VIAs; after every REPLACES/len(ACL) of them,
        acl load of the next ACL file, and a route add and del of a
        prefix nobody sends to (each a new FIB); every reply must be ok

Prints one line of what it saw; exits 0, or 1 with the reason.
"""

import json
import socket
import sys
import threading
import time


def connect(path, timeout=5.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def read_lines(s, n, timeout=5.0):
    """Read n reply lines (or until EOF); returns (lines, eof)."""
    buf = b""
    end = time.monotonic() + timeout
    while buf.count(b"\n") < n and time.monotonic() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            return buf.split(b"\n")[:-1], True
        buf += chunk
    return buf.split(b"\n")[:-1], False


def reply(line):
    r = json.loads(line.decode())
    if not isinstance(r, dict) or not isinstance(r.get("ok"), bool):
        raise ValueError("not a reply object: %r" % line[:200])
    return r


def eof_soon(s, timeout=3.0):
    s.settimeout(timeout)
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return True
    except socket.timeout:
        return False
    except OSError:
        return True


BAD = [
    b"bogus\n",
    b"acl\n",
    b"acl load\n",
    b"acl load relative/path\n",
    b"acl load /nonexistent/zcpipe.rules\n",
    b"acl load /\n",
    b"acl show extra words\n",
    b"acl frobnicate\n",
    b"status now\n",
    b"reload please\n",
    b"acl load \"/unterminated\n",
    b"acl load \"/a\"b\n",
    b"st\x01atus\n",
    b"status\x7f\n",
    b"\x00\x00\x00\n",
    b"\xff\xfe\xfd garbage \x80\n",
    b"{\"json\": \"is not the protocol\"}\n",
    b" ".join([b"w"] * 100) + b"\n",
    b"\"\\\"\" \\\n",
]


def mode_bad(path):
    for req in BAD:
        s = connect(path)
        s.sendall(req)
        lines, _ = read_lines(s, 1)
        s.close()
        if len(lines) != 1:
            return "no single reply line to %r: %r" % (req[:60], lines)
        r = reply(lines[0])
        if r["ok"] or not r.get("error"):
            return "%r was not refused with an error: %r" % (req[:60], r)
    # Overlong: an error, then the connection closes.
    s = connect(path)
    try:
        s.sendall(b"status " + b"x" * 5000 + b"\n")
    except OSError:
        pass
    lines, _ = read_lines(s, 1)
    if len(lines) != 1 or reply(lines[0])["ok"] or \
            "longer" not in reply(lines[0])["error"]:
        return "overlong request: %r" % lines[:1]
    if not eof_soon(s):
        return "the connection stayed open after an overlong request"
    s.close()
    # Pipelined requests and a blank line: two replies, in order.
    s = connect(path)
    s.sendall(b"status\n\nbogus\r\n")
    lines, _ = read_lines(s, 2)
    s.close()
    if len(lines) != 2 or not reply(lines[0])["ok"] or \
            reply(lines[1])["ok"]:
        return "two pipelined requests: %r" % lines
    # A last request without its newline, then shutdown: answered.
    s = connect(path)
    s.sendall(b"status")
    s.shutdown(socket.SHUT_WR)
    lines, eof = read_lines(s, 1)
    s.close()
    if len(lines) != 1 or not reply(lines[0])["ok"]:
        return "a request ended by shutdown was not answered: %r" % lines
    print("%d malformed requests refused, overlong closed, pipelining ok"
          % len(BAD))
    return None


def mode_silent(path, timeout):
    quiet = connect(path, timeout + 5)
    half = connect(path, timeout + 5)
    half.sendall(b"acl sh")
    junk = connect(path, timeout + 5)
    junk.sendall(bytes(range(256)).replace(b"\n", b""))
    t0 = time.monotonic()
    # Others are served while they hang on.
    for _ in range(5):
        s = connect(path)
        s.sendall(b"status\n")
        lines, _ = read_lines(s, 1, 2.0)
        s.close()
        if len(lines) != 1 or not reply(lines[0])["ok"]:
            return "a client was not served while silent ones were connected"
    served = time.monotonic() - t0
    if served > 2.0:
        return "serving 5 clients took %.1f s with silent ones connected" % served
    for name, s in (("silent", quiet), ("half-request", half),
                    ("garbage", junk)):
        lines, eof = read_lines(s, 1, timeout + 4)
        waited = time.monotonic() - t0
        if len(lines) != 1:
            return "%s client: no timeout reply after %.1f s" % (name, waited)
        r = reply(lines[0])
        if r["ok"] or "timeout" not in r.get("error", ""):
            return "%s client: %r" % (name, r)
        if not eof and not eof_soon(s):
            return "%s client: not disconnected after its timeout" % name
        s.close()
    if waited < timeout - 0.5:
        return "timed out after %.1f s, before the %d s timeout" % (waited,
                                                                  timeout)
    print("3 silent clients timed out after %.1f s; others served in %.2f s"
          % (waited, served))
    return None


def mode_many(path, n):
    errors = []
    go = threading.Barrier(n)

    def client(i):
        try:
            s = connect(path, 20)
            go.wait(10)
            if i % 2:
                s.sendall(b"\x01garbage %d \xfe\n" % i)
                want = False
            else:
                s.sendall(b"status\nacl show\n" if i % 4 == 0 else
                          b"status\n")
                want = True
            lines, _ = read_lines(s, 2 if i % 4 == 0 else 1, 20)
            s.close()
            if not lines or any(reply(x)["ok"] != want for x in lines):
                errors.append("client %d: %r" % (i, lines[:2]))
        except Exception as e:  # noqa: BLE001 (report any failure)
            errors.append("client %d: %s" % (i, e))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    if errors:
        return "%d of %d concurrent clients failed: %s" % (
            len(errors), n, "; ".join(errors[:3]))
    # More idle connections than served: the extra ones are refused.
    time.sleep(0.5)  # the server has seen the clients above leave
    held, refused = [], 0
    for _ in range(70):
        s = connect(path)
        held.append(s)
    time.sleep(1.0)
    for s in held:
        s.setblocking(False)
        try:
            data = s.recv(65536)
        except BlockingIOError:
            continue
        r = reply(data.split(b"\n")[0])
        if not r["ok"] and "too many" in r["error"]:
            refused += 1
    for s in held:
        s.close()
    if refused != 6:
        return "70 idle connections: %d refused, expected 6" % refused
    time.sleep(0.3)
    s = connect(path)
    s.sendall(b"status\n")
    lines, _ = read_lines(s, 1)
    s.close()
    if len(lines) != 1 or not reply(lines[0])["ok"]:
        return "no service after the crowd left: %r" % lines
    print("%d concurrent clients answered; 6 of 70 idle connections "
          "refused; served again after" % n)
    return None


def mode_churn(path, replaces, prefix, vias, acls):
    s = connect(path, 60)
    buf = b""

    def ask(line):
        nonlocal buf
        s.sendall(line.encode() + b"\n")
        while b"\n" not in buf:
            chunk = s.recv(1 << 20)
            if not chunk:
                raise ConnectionError("closed after %r" % line)
            buf += chunk
        one, buf = buf.split(b"\n", 1)
        r = reply(one)
        if not r["ok"]:
            raise ValueError("%s: %s" % (line, r.get("error")))
        return r

    t0 = time.monotonic()
    every = max(1, replaces // max(1, len(acls)))
    loads = fibs = 0
    for i in range(replaces):
        r = ask("route replace %s via %s" % (prefix, vias[i % len(vias)]))
        if r.get("replaced") != 1:
            return "replace %d did not replace: %r" % (i, r)
        if i % every == every - 1 and loads < len(acls):
            ask("acl load %s" % acls[loads])
            loads += 1
            ask("route add 10.200.%d.0/24 via %s" % (loads, vias[0]))
            ask("route del 10.200.%d.0/24" % loads)
            fibs += 2
    s.close()
    print("%d next-hop replacements, %d ACL loads, %d FIB rebuilds in %.1f s"
          % (replaces, loads, fibs, time.monotonic() - t0))
    return None


def main(argv):
    if len(argv) == 3 and argv[1] == "bad":
        err = mode_bad(argv[2])
    elif len(argv) == 4 and argv[1] == "silent":
        err = mode_silent(argv[2], int(argv[3]))
    elif len(argv) == 4 and argv[1] == "many":
        err = mode_many(argv[2], int(argv[3]))
    elif len(argv) >= 6 and argv[1] == "churn":
        err = mode_churn(argv[2], int(argv[3]), argv[4], argv[5].split(","),
                         argv[6:])
    else:
        sys.stderr.write(__doc__)
        return 2
    if err:
        print(err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
