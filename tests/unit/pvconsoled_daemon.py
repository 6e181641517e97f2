#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pvconsoled_daemon.py - pvconsoled (host build) on a unix socket.

Owns: a temporary directory and the daemon process it starts.
Touches: toolstack/console/pvconsoled.c, consd.c (as built).

On the host dom0's devices do not exist: the daemon says so, serves its
socket anyway, answers "list", refuses "add" with the reason and an
unknown or overlong command with an error, and survives clients that
vanish mid-command; SIGTERM ends it with status 0 and removes the socket.
(unit-pvconsoled runs the guest side over a fake platform.)
Usage: pvconsoled_daemon.py PVCONSOLED
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile


def ask(sock, data):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    s.settimeout(10)
    s.sendall(data)
    out = b""
    while True:
        try:
            chunk = s.recv(4096)
        except ConnectionResetError:
            break
        if not chunk:
            break
        out += chunk
    s.close()
    return out.decode()


def main():
    tmp = tempfile.mkdtemp(prefix="pvconsoled-")
    sock = os.path.join(tmp, "run", "socket")
    daemon = subprocess.Popen([sys.argv[1], "-s", sock, "-l",
                               os.path.join(tmp, "log")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)
            print("FAIL:", what)

    try:
        line = daemon.stdout.readline().decode()
        check("serving" in line, "daemon start: %r" % line)
        check(ask(sock, b"list\n") == "ok\n", "list")
        r = ask(sock, b"add 5 1 4096 web\n")
        check(r.startswith("error: no event-channel device"), "add: %r" % r)
        r = ask(sock, b"attach 5\n")
        check(r == "error: no console for domain 5\n", "attach: %r" % r)
        check(ask(sock, b"frobnicate\n").startswith("error: unknown"), "bad")
        check(ask(sock, b"x" * 1000).startswith("error: command too long"),
              "long line")
        for _ in range(20):     # vanish mid-command
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sock)
            s.sendall(b"att")
            s.close()
        check(ask(sock, b"list\n") == "ok\n", "list after vanishing clients")
    finally:
        daemon.send_signal(signal.SIGTERM)
        rc = daemon.wait(timeout=10)
        err = daemon.stderr.read().decode()
    check(rc == 0, "exit status %d" % rc)
    check("no guests' consoles" in err, "stderr: %r" % err)
    check(not os.path.exists(sock), "socket left behind")
    print("pvconsoled_daemon: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
