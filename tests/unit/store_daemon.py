#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""store_daemon.py - pvstored (host build) on a unix socket, driven by
pvstore-client and by raw xenstore frames.

Owns: a temporary socket directory and the daemon process it starts.
Touches: toolstack/store/pvstored.c, pvstore-client.c, xs.c (as built).

Checks: the client's commands end to end (write, read, ls, rm, watch with
its initial event and a later one from another client), error names
("ENOENT"), and that a client sending an unframeable header (len >
XENSTORE_PAYLOAD_MAX) or garbage is disconnected while the daemon keeps
serving the others (cxenstored drops such a client the same way).
Usage: store_daemon.py PVSTORED PVSTORE_CLIENT
"""
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

XS_READ, XS_WRITE, XS_ERROR = 2, 11, 16


def main():
    pvstored, client = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="pvstored-")
    sock = os.path.join(tmp, "sub", "socket")
    daemon = subprocess.Popen([pvstored, "-s", sock], stdout=subprocess.PIPE)
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)
            print("FAIL:", what)

    def run(*args):
        return subprocess.run([client, "-s", sock] + list(args),
                              capture_output=True, text=True, timeout=10)

    try:
        line = daemon.stdout.readline().decode()
        check("serving" in line, "daemon start: %r" % line)
        r = run("write", "/vm/1/name", "guest")
        check(r.returncode == 0, "write: %s" % r.stderr)
        r = run("read", "/vm/1/name")
        check(r.stdout == "guest\n", "read: %r" % r.stdout)
        r = run("ls", "/vm")
        check(r.stdout == "1\n", "ls: %r" % r.stdout)
        r = run("read", "/nope")
        check(r.returncode == 1 and "ENOENT" in r.stderr,
              "read missing: %d %r" % (r.returncode, r.stderr))

        watcher = subprocess.Popen([client, "-s", sock, "watch", "/vm", "2"],
                                   stdout=subprocess.PIPE, text=True)
        first = watcher.stdout.readline()
        check(first == "/vm pvstore-client\n", "initial event: %r" % first)
        run("write", "/vm/1/state", "running")
        second = watcher.stdout.readline()
        check(second == "/vm/1/state pvstore-client\n",
              "event: %r" % second)
        watcher.wait(timeout=10)

        # Garbage and an unframeable header: that client is dropped.
        bad = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        bad.connect(sock)
        bad.sendall(struct.pack("<IIII", XS_READ, 1, 0, 4097))
        bad.settimeout(5)
        check(bad.recv(16) == b"", "oversized frame closes the connection")
        bad.close()
        junk = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        junk.connect(sock)
        junk.sendall(struct.pack("<IIII", 999, 5, 0, 3) + b"ab\0")
        junk.settimeout(5)
        hdr = junk.recv(16)
        typ, req, _, ln = struct.unpack("<IIII", hdr)
        body = junk.recv(ln)
        check(typ == XS_ERROR and req == 5 and body == b"ENOSYS\0",
              "unknown type: %r %r" % (hdr, body))
        junk.close()

        r = run("rm", "/vm")
        check(r.returncode == 0, "rm: %s" % r.stderr)
        r = run("read", "/vm/1/name")
        check("ENOENT" in r.stderr, "after rm: %r" % r.stderr)
        check(daemon.poll() is None, "daemon still running")
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
    check(daemon.returncode == 0, "daemon exit status %s" % daemon.returncode)
    check(not os.path.exists(sock), "socket removed at exit")
    print("store_daemon: %s" % ("FAIL" if failures else "PASS"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
