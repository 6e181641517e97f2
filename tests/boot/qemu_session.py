#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""qemu_session.py - a scripted console session: boot pvisor under QEMU,
type on its serial line, wait for what it prints.

Owns:    one interactive QEMU run (class Session) and a command line that
         plays a script of steps against it (exit 0 pass, 1 fail, 2 usage).
Touches: nothing but its log file.
Trusts:  nothing from the guest: output is decoded with replacement, every
         wait has a timeout, QEMU is killed when the session ends.

As a library (other boot tests build shell sessions on it):

    from qemu_session import Session, SessionError
    with Session.boot("build/hypervisor/pvisor.elf",
                      ["build/guest-kernel/pvkernel.elf noselftest init=/bin/sh",
                       "build/guest-kernel/user/initramfs.cpio"],
                      "x.serial.log") as s:      # or Session(qemu_argv, log)
        s.expect(r"login:|# $", timeout=60)
        s.send("echo $((6*7))\\r")
        s.expect(r"^42$")
        status = s.wait_exit(30)

expect() searches the output after the previous expect's match (carriage
returns removed, re.MULTILINE: ^ and $ match at lines); on timeout it
raises SessionError whose message names the pattern, the time waited and
shows the tail of the output.  send() types bytes (str is encoded latin-1,
so "\\x03" is ^C); the serial line is 8 bits and the guest sees exactly
these bytes (Enter is "\\r", as a terminal sends).

From the command line (tests/boot/meson.build: tty-session):

    qemu_session.py --kernel pvisor.elf --append '...' --module '...' \\
        --step 'expect:ttytest: ready 0' --step 'send:hello\\r' \\
        --step 'expect:got .hello' --exit 1

Each --step is `expect:REGEX`, `send:TEXT` (Python escapes), or
`sleep:SECONDS`; --script FILE reads the same steps from a file, one a
line (tests/boot/sessions/*.session); they run in order, then QEMU must exit with --exit's raw
status (qemu_boot.py's table) within --timeout.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_boot  # noqa: E402  (the machine, the QEMU command line)

DEFAULT_TAIL = 40
SEND_PAUSE = 0.002      # seconds between typed bytes: a person, not a flood


class SessionError(Exception):
    """A step of the session failed; the message says which and shows the
    tail of the output."""


class Session:
    """QEMU running with its serial line on our pipes."""

    def __init__(self, cmd, log_path, tail=DEFAULT_TAIL):
        self.cmd, self.tail = cmd, tail
        self.log = open(log_path, "wb")
        self.buf = b""
        self.pos = 0                    # text offset after the last match
        self.cond = threading.Condition()
        self.eof = False
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.stderr = b""
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    @classmethod
    def boot(cls, kernel, modules, log_path, append="loglvl=info debug_exit=0xf4 noreboot",
             memory=512, qemu="qemu-system-x86_64", accel=None, tail=DEFAULT_TAIL):
        """Boot kernel (pvisor.elf) with modules ('PATH ARGS' each, dom0
        first) on the boot tests' machine; a Session."""
        opts = argparse.Namespace(
            qemu=qemu, accel=accel or os.environ.get("PVISOR_TEST_ACCEL", "tcg"),
            memory=memory, cdrom=None, kernel=kernel, append=append, module=list(modules),
            qemu_arg=[])
        return cls(qemu_boot.qemu_command(opts), log_path, tail)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read(self):
        while True:
            data = self.proc.stdout.read1(65536)
            with self.cond:
                if not data:
                    self.eof = True
                    self.cond.notify_all()
                    return
                self.buf += data
                self.log.write(data)
                self.log.flush()
                self.cond.notify_all()

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def text(self):
        """Everything printed so far, carriage returns removed."""
        with self.cond:
            return self.buf.decode("utf-8", "replace").replace("\r", "")

    def tail_text(self, n=None):
        lines = self.text().splitlines()
        n = self.tail if n is None else n
        out = ["---- last %d of %d output lines ----" % (min(n, len(lines)), len(lines))]
        out += ["| " + line for line in lines[-n:]]
        stderr = self.stderr.decode("utf-8", "replace").strip()
        if stderr:
            out += ["---- QEMU stderr ----", stderr]
        return "\n".join(out)

    def expect(self, pattern, timeout=30):
        """Wait until pattern matches the output after the previous match;
        the match.  SessionError on timeout or when QEMU has ended."""
        rx = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                text = self.buf.decode("utf-8", "replace").replace("\r", "")
                m = rx.search(text, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    why = "QEMU ended" if self.eof else "timed out after %g s" % timeout
                    break
                self.cond.wait(min(left, 0.5))
        raise SessionError("expected /%s/: %s\n%s" % (pattern, why, self.tail_text()))

    def send(self, data, pause=SEND_PAUSE):
        """Type data (bytes, or str taken as latin-1) on the serial line."""
        if isinstance(data, str):
            data = data.encode("latin-1")
        try:
            for i in range(len(data)):
                self.proc.stdin.write(data[i:i + 1])
                self.proc.stdin.flush()
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, OSError) as e:
            raise SessionError("cannot type %r: %s\n%s" % (data, e, self.tail_text()))

    def wait_exit(self, timeout=30):
        """QEMU's raw exit status; SessionError if it runs on."""
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise SessionError("QEMU still running after %g s\n%s" % (timeout, self.tail_text()))
        self.reader.join(5)
        return status

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(5)
        self.err_reader.join(5)
        self.log.close()


def parse_step(step):
    kind, sep, arg = step.partition(":")
    if not sep or kind not in ("expect", "send", "sleep"):
        raise ValueError("a step is expect:REGEX, send:TEXT or sleep:SECONDS, not %r" % step)
    if kind == "expect":
        re.compile(arg)
    elif kind == "send":
        arg = arg.encode("latin-1").decode("unicode_escape").encode("latin-1")
    else:
        arg = float(arg)
    return kind, arg


def parse_args(argv):
    p = argparse.ArgumentParser(description="A scripted console session with pvisor "
                                            "under QEMU.")
    p.add_argument("--kernel", required=True, metavar="ELF")
    p.add_argument("--append", metavar="CMDLINE")
    p.add_argument("--module", action="append", default=[], metavar="'PATH [ARGS]'")
    p.add_argument("--memory", type=int, default=512, metavar="MB")
    p.add_argument("--accel", choices=sorted(qemu_boot.ACCEL_ARGS),
                   default=os.environ.get("PVISOR_TEST_ACCEL", "tcg"))
    p.add_argument("--qemu", default="qemu-system-x86_64", metavar="PROG")
    p.add_argument("--qemu-arg", action="append", default=[], metavar="ARG")
    p.add_argument("--step", action="append", default=[], metavar="KIND:ARG",
                   help="expect:REGEX | send:TEXT (Python escapes) | sleep:SECONDS")
    p.add_argument("--script", action="append", default=[], metavar="FILE",
                   help="steps from FILE, one per line (KIND:ARG as --step; "
                        "blank lines and lines starting with # skipped), "
                        "before the --step ones")
    p.add_argument("--step-timeout", type=float, default=60, metavar="S",
                   help="how long each expect waits (default 60)")
    p.add_argument("--timeout", type=float, default=180, metavar="S",
                   help="the whole session, exit included (default 180)")
    p.add_argument("--exit", type=int, default=1, metavar="STATUS",
                   help="expected raw QEMU exit status (default 1, poweroff)")
    p.add_argument("--reject", action="append", default=["PANIC"], metavar="RE",
                   help="regex that must not appear in the output (PANIC always)")
    p.add_argument("--name", default="qemu-session")
    p.add_argument("--log-dir", default=".", metavar="DIR")
    p.add_argument("--tail", type=int, default=DEFAULT_TAIL, metavar="N")
    opts = p.parse_args(argv)
    opts.cdrom = None
    try:
        steps = []
        for path in opts.script:
            with open(path, encoding="utf-8") as f:
                steps += [line.rstrip("\n") for line in f
                          if line.strip() and not line.startswith("#")]
        opts.steps = [parse_step(s) for s in steps + opts.step]
    except (OSError, ValueError, re.error) as e:
        p.error(str(e))
    return opts


def run_steps(s, opts):
    """The script; raises SessionError at the first failing step."""
    end = time.monotonic() + opts.timeout
    for i, (kind, arg) in enumerate(opts.steps, 1):
        left = end - time.monotonic()
        if left <= 0:
            raise SessionError("the session ran out of its %g s before step %d\n%s"
                               % (opts.timeout, i, s.tail_text()))
        if kind == "expect":
            s.expect(arg, min(opts.step_timeout, left))
            print("  ok   step %d: /%s/" % (i, arg))
        elif kind == "send":
            s.send(arg)
            print("  --   step %d: typed %r" % (i, arg))
        else:
            time.sleep(arg)
    status = s.wait_exit(max(end - time.monotonic(), 1))
    if status != opts.exit:
        raise SessionError("QEMU exit %s, expected %s\n%s"
                           % (qemu_boot.describe_status(status),
                              qemu_boot.describe_status(opts.exit), s.tail_text()))
    for pattern in opts.reject:
        m = re.search(pattern, s.text(), re.MULTILINE)
        if m:
            raise SessionError("rejected /%s/ appeared: %r\n%s"
                               % (pattern, m.group(0), s.tail_text()))


def main(argv=None):
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    cmd = qemu_boot.qemu_command(opts)
    log = os.path.join(opts.log_dir, opts.name + ".serial.log")
    print("%s: %s" % (opts.name, shlex.join(cmd)))
    print("%s: serial log %s" % (opts.name, os.path.abspath(log)))
    sys.stdout.flush()
    start = time.monotonic()
    try:
        with Session(cmd, log, opts.tail) as s:
            try:
                run_steps(s, opts)
            except SessionError as e:
                print("%s: FAIL after %.1f s: %s" % (opts.name, time.monotonic() - start, e))
                return 1
    except OSError as e:
        print("%s: FAIL: cannot run %s: %s" % (opts.name, opts.qemu, e))
        return 1
    print("%s: PASS (%.1f s)" % (opts.name, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
