#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""qemu_boot.py - boot pvisor under QEMU (TCG) and assert on what it prints.

Owns:    one QEMU run: the command line, the timeout, the serial log file,
         and the verdict (exit 0 pass, 1 fail, 2 bad usage).
Touches: nothing but its log file (--log-dir, --log).
Trusts:  nothing from the guest: serial bytes are decoded with replacement,
         a guest that never stops is killed at --timeout.

Each boot test in tests/boot/meson.build is one call of this script; the
test's patterns are its --expect/--reject arguments there. By hand:

    tests/boot/qemu_boot.py --kernel build/hypervisor/pvisor.elf \\
        --append 'loglvl=info debug_exit=0xf4 noreboot' \\
        --module 'build/guest-kernel/pvkernel.elf crash=nohandler' \\
        --expect 'domain_crash: d0' --exit 7 --log /tmp/serial.log

Exit status. The hypervisor writes the shutdown reason r to the
isa-debug-exit port (0xf4), and QEMU then exits with (r << 1) | 1; --exit
takes that raw QEMU status (see SHUTDOWN_STATUS). QEMU exits 0 by itself
when the machine resets under -no-reboot (a triple fault).

Patterns are Python regular expressions, searched in the serial output with
carriage returns removed and re.MULTILINE on (so ^ and $ match at lines).
With --in-order each --expect must match after the previous one's match;
--expect-anywhere patterns are never ordered.
Unless told otherwise (--no-default-reject, or --exit 255, which is a
hypervisor panic), the pattern PANIC must not appear.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
import threading
import time

# Raw QEMU exit status -> what happened. Keep in step with the hypervisor's
# shutdown codes (SHUTDOWN_* in abi/xen/sched.h, written to debug_exit) and
# with the copy of this table in ./pvisor.
SHUTDOWN_STATUS = {
    0: "QEMU stopped by itself (reset under -no-reboot: triple fault?)",
    1: "poweroff",
    3: "reboot",
    5: "suspend",
    7: "crash",
    9: "watchdog",
    255: "hypervisor panic",
}
PANIC_STATUS = 255
DEFAULT_REJECT = ["PANIC"]
DEBUG_EXIT_PORT = "0xf4"
STOP_GRACE = 5      # seconds QEMU may run on after a rejected line

# The machine every boot test runs on. ./pvisor run boots the same one, with
# -serial mon:stdio in place of the serial/monitor pair used here.
#
# The accelerator is TCG unless PVISOR_TEST_ACCEL=kvm (./pvisor test runs
# the boot suites a second time so where KVM works): tests must run
# anywhere, and users run on KVM and hardware too.
ACCEL_ARGS = {
    # Guest time follows executed instructions (4 ns each), not the host:
    # a loaded machine slows a test down but cannot make a timer late.
    "tcg": ["-accel", "tcg", "-icount", "shift=2"],
    # -cpu host aborts in QEMU 7.2 on MSR 0x10a under nested KVM.
    "kvm": ["-accel", "kvm", "-cpu", "qemu64"],
}
SKIP_STATUS = 77    # meson: the test was skipped (no working KVM)
QEMU_MACHINE_ARGS = [
    "-display", "none",
    "-serial", "stdio",         # COM1 -> our pipe -> the log file
    "-monitor", "none",
    "-no-reboot",               # a reset stops QEMU (status 0)
    "-device", "isa-debug-exit,iobase=%s,iosize=4" % DEBUG_EXIT_PORT,
]


def describe_status(status):
    """'7 (crash)' for a raw QEMU exit status; signals read 'killed by ...'."""
    if status is None:
        return "none (QEMU killed)"
    if status < 0:
        return "%d (killed by signal %d)" % (status, -status)
    return "%d (%s)" % (status, SHUTDOWN_STATUS.get(status, "unknown"))


def split_module(entry):
    """'PATH ARGS' -> (PATH, ARGS). PATH is the shortest run of words that
    names a file, so a build directory with spaces in its path works."""
    words = entry.split(" ")
    for i in range(1, len(words) + 1):
        if os.path.isfile(" ".join(words[:i])):
            return " ".join(words[:i]), " ".join(words[i:])
    return words[0], " ".join(words[1:])


def module_entry(entry):
    """A module for QEMU, which takes its path up to the first space: a path
    with spaces is made relative to the working directory."""
    path, args = split_module(entry)
    if " " in path:
        path = os.path.relpath(path)
    return path + (" " + args if args else "")


def initrd_arg(modules):
    """QEMU's -initrd for Multiboot: 'path args' entries joined by ',';
    a comma inside an entry is written ',,'."""
    return ",".join(module_entry(m).replace(",", ",,") for m in modules)


def qemu_command(opts):
    """The full QEMU argv for the parsed options."""
    cmd = [opts.qemu] + ACCEL_ARGS[opts.accel] + QEMU_MACHINE_ARGS + ["-m", str(opts.memory)]
    if opts.cdrom:
        cmd += ["-cdrom", opts.cdrom, "-boot", "d"]
    else:
        cmd += ["-kernel", opts.kernel]
        if opts.append is not None:
            cmd += ["-append", opts.append]
        if opts.module:
            cmd += ["-initrd", initrd_arg(opts.module)]
    return cmd + opts.qemu_arg


class Run:
    """Result of one QEMU run: serial text, QEMU's stderr, status, timing."""

    def __init__(self):
        self.serial = b""
        self.stderr = b""
        self.status = None          # QEMU's exit status; None if we killed it
        self.timed_out = False
        self.stopped_early = False  # killed after a rejected line
        self.seconds = 0.0

    def text(self):
        return self.serial.decode("utf-8", "replace").replace("\r", "")


def _pump(stream, sink, store, attr, reject=(), rejected=None, typer=None):
    """Copy stream into the file sink (if any) and into store.attr. With
    reject patterns, set the event rejected when a whole line matches one.
    With a typer, let it answer what has been seen so far."""
    chunks, partial = [], b""
    while True:
        data = stream.read1(65536)
        if not data:
            break
        chunks.append(data)
        if typer is not None:
            typer.seen(b"".join(chunks))
        if sink is not None:
            sink.write(data)
            sink.flush()
        if reject and not rejected.is_set():
            lines, _, partial = (partial + data).rpartition(b"\n")
            text = lines.decode("utf-8", "replace")
            if any(re.search(p, text, re.MULTILINE) for p in reject):
                rejected.set()
    setattr(store, attr, b"".join(chunks))


def _stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Typer:
    """Types on the serial line: each (pattern, text) in turn, once pattern
    has appeared in the output after the previous one's match."""

    def __init__(self, inputs, stdin):
        self.inputs = [(re.compile(p.encode()), t) for p, t in inputs]
        self.stdin, self.pos = stdin, 0

    def seen(self, serial):
        while self.inputs:
            m = self.inputs[0][0].search(serial, self.pos)
            if not m:
                return
            self.pos = m.end()
            self.stdin.write(self.inputs.pop(0)[1])
            self.stdin.flush()


def run_qemu(cmd, log_path, timeout, reject=(), inputs=()):
    """Run cmd with stdin closed (or typing the inputs: (regex, bytes) each
    sent once the regex appears), serial (stdout) into log_path, for at most
    timeout seconds. A line that matches a reject pattern fails the test
    anyway: QEMU then gets STOP_GRACE seconds to exit by itself (so that its
    status is known) before it is killed, rather than the whole timeout.
    Returns a Run."""
    run = Run()
    rejected = threading.Event()
    start = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if inputs else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        typer = Typer(inputs, proc.stdin) if inputs else None
        out = threading.Thread(target=_pump, args=(proc.stdout, log, run,
                                                   "serial", reject, rejected,
                                                   typer))
        err = threading.Thread(target=_pump, args=(proc.stderr, None, run, "stderr"))
        out.start()
        err.start()
        deadline, stop_at = start + timeout, None
        while run.status is None:
            try:
                run.status = proc.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                now = time.monotonic()
                if rejected.is_set() and stop_at is None:
                    stop_at = now + STOP_GRACE
                if now >= deadline or (stop_at is not None and now >= stop_at):
                    run.timed_out = now >= deadline
                    run.stopped_early = not run.timed_out
                    _stop(proc)
                    break
        out.join()
        err.join()
    run.seconds = time.monotonic() - start
    return run


def line_of(text, pos):
    """1-based line number and the line's text at offset pos."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text.count("\n", 0, pos) + 1, text[start:end if end >= 0 else len(text)]


def check(run, opts):
    """Return (passes, failures): lists of human-readable lines."""
    text = run.text()
    passes, failures = [], []
    pos = 0
    for pattern in opts.expect:
        m = re.compile(pattern, re.MULTILINE).search(text, pos if opts.in_order else 0)
        if m is None:
            where = " after line %d" % line_of(text, pos)[0] if opts.in_order and pos else ""
            failures.append("expected /%s/%s: not found" % (pattern, where))
            continue
        n, line = line_of(text, m.start())
        passes.append("expect /%s/ line %d: %s" % (pattern, n, line))
        if opts.in_order:
            pos = m.end()
    for pattern in opts.expect_anywhere:
        m = re.compile(pattern, re.MULTILINE).search(text)
        if m is None:
            failures.append("expected /%s/ anywhere: not found" % pattern)
        else:
            n, line = line_of(text, m.start())
            passes.append("expect /%s/ line %d: %s" % (pattern, n, line))
    for pattern in opts.reject:
        m = re.compile(pattern, re.MULTILINE).search(text)
        if m is not None:
            n, line = line_of(text, m.start())
            failures.append("rejected /%s/ found at line %d: %s" % (pattern, n, line))
        else:
            passes.append("reject /%s/: absent" % pattern)
    for big, small in opts.expect_greater:
        values = []
        for pattern in (big, small):
            m = re.compile(pattern, re.MULTILINE).search(text)
            values.append(float(m.group(1)) if m else None)
            if m is None:
                failures.append("expected /%s/ (a number to compare): not found"
                                % pattern)
        if None in values:
            continue
        verdict = "%g > %g" % tuple(values)
        if values[0] > values[1]:
            passes.append("expect /%s/ > /%s/: %s" % (big, small, verdict))
        else:
            failures.append("expected /%s/ > /%s/, but %g <= %g"
                            % (big, small, values[0], values[1]))
    if run.timed_out:
        failures.append("timed out after %d s (QEMU killed)" % opts.timeout)
    elif run.stopped_early:
        failures.append("QEMU killed: no exit within %d s of a rejected line"
                        % STOP_GRACE)
    elif run.status != opts.exit:
        failures.append("QEMU exit status %s, expected %s"
                        % (describe_status(run.status), describe_status(opts.exit)))
    else:
        passes.append("exit status %s" % describe_status(run.status))
    return passes, failures


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Boot pvisor under QEMU TCG; assert on serial output "
                    "and exit status.",
        epilog="Exit status: 0 all assertions held, 1 one failed, 2 usage.")
    img = p.add_mutually_exclusive_group(required=True)
    img.add_argument("--kernel", metavar="ELF",
                     help="boot this Multiboot1 image with QEMU -kernel")
    img.add_argument("--cdrom", metavar="ISO",
                     help="boot this ISO (GRUB, Multiboot2) with -cdrom")
    p.add_argument("--append", metavar="CMDLINE",
                   help="hypervisor command line (-append; --kernel only)")
    p.add_argument("--module", action="append", default=[],
                   metavar="'PATH [ARGS]'",
                   help="a Multiboot module, its path then its command line "
                        "(repeatable, in order; --kernel only)")
    p.add_argument("--memory", type=int, default=512, metavar="MB")
    p.add_argument("--accel", choices=sorted(ACCEL_ARGS),
                   default=os.environ.get("PVISOR_TEST_ACCEL", "tcg"),
                   help="accelerator (default: $PVISOR_TEST_ACCEL, else tcg); "
                        "a KVM that does not start skips the test (status 77)")
    p.add_argument("--timeout", type=int, default=120, metavar="S",
                   help="kill QEMU after S seconds and fail (default 120)")
    p.add_argument("--expect", action="append", default=[], metavar="RE",
                   help="regex that must appear in the serial output")
    p.add_argument("--in-order", action="store_true",
                   help="the --expect regexes must match in the order given")
    p.add_argument("--expect-anywhere", action="append", default=[],
                   metavar="RE",
                   help="regex that must appear, in any place (not ordered)")
    p.add_argument("--expect-greater", nargs=2, action="append", default=[],
                   metavar=("RE_BIG", "RE_SMALL"),
                   help="the number RE_BIG's first group captures must be "
                        "greater than RE_SMALL's (first matches)")
    p.add_argument("--reject", action="append", default=[], metavar="RE",
                   help="regex that must not appear (PANIC is added unless "
                        "--exit 255 or --no-default-reject)")
    p.add_argument("--no-default-reject", action="store_true",
                   help="do not add PANIC to the --reject patterns")
    p.add_argument("--exit", type=int, default=1, metavar="STATUS",
                   help="expected raw QEMU exit status, (reason << 1) | 1 "
                        "(default 1, poweroff)")
    p.add_argument("--name", default="qemu-boot",
                   help="test name, for messages and the log file's name")
    p.add_argument("--log-dir", default=".", metavar="DIR",
                   help="write the serial output to DIR/NAME.serial.log")
    p.add_argument("--log", metavar="FILE",
                   help="write the serial output to FILE instead")
    p.add_argument("--qemu", default="qemu-system-x86_64", metavar="PROG")
    p.add_argument("--qemu-arg", action="append", default=[], metavar="ARG",
                   help="extra QEMU argument (repeatable)")
    p.add_argument("--type-after", nargs=2, action="append", default=[],
                   metavar=("RE", "TEXT"),
                   help="once RE appears in the output (after the previous "
                        "--type-after's match), type TEXT on the serial line; "
                        "TEXT takes Python escapes (\\x01 is Ctrl-A)")
    p.add_argument("--tail", type=int, default=60, metavar="N",
                   help="serial lines to show on failure (default 60)")
    opts = p.parse_args(argv)
    if opts.cdrom and (opts.append is not None or opts.module):
        p.error("--append and --module go with --kernel; the ISO's grub.cfg "
                "holds its command lines")
    for path in [opts.kernel, opts.cdrom] + [split_module(m)[0] for m in opts.module]:
        if path is not None and not os.path.isfile(path):
            p.error("no such image: %s" % path)
    for m in opts.module:
        if " " in split_module(m)[0] and " " in os.path.relpath(split_module(m)[0]):
            p.error("QEMU cannot take a module path with spaces: %s" % m)
    if not opts.no_default_reject and opts.exit != PANIC_STATUS:
        opts.reject = DEFAULT_REJECT + opts.reject
    for pattern in (opts.expect + opts.expect_anywhere + opts.reject +
                    [p_ for pair in opts.expect_greater for p_ in pair]):
        try:
            re.compile(pattern)
        except re.error as e:
            p.error("bad regex /%s/: %s" % (pattern, e))
    opts.log = opts.log or os.path.join(opts.log_dir, opts.name + ".serial.log")
    opts.type_after = [(r, t.encode("latin-1").decode("unicode_escape").encode("latin-1"))
                       for r, t in opts.type_after]
    return opts


def main(argv=None):
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    cmd = qemu_command(opts)
    print("%s: %s" % (opts.name, shlex.join(cmd)))
    print("%s: serial log %s" % (opts.name, os.path.abspath(opts.log)))
    sys.stdout.flush()
    try:
        run = run_qemu(cmd, opts.log, opts.timeout, opts.reject, opts.type_after)
    except OSError as e:
        print("%s: FAIL: cannot run %s: %s" % (opts.name, opts.qemu, e))
        return 1
    if opts.accel == "kvm" and b"failed to initialize kvm" in run.stderr:
        print("%s: SKIP: KVM does not start here: %s" % (opts.name,
              run.stderr.decode("utf-8", "replace").strip().splitlines()[0]))
        return SKIP_STATUS
    passes, failures = check(run, opts)
    for line in passes:
        print("  ok   " + line)
    for line in failures:
        print("  FAIL " + line)
    print("%s: QEMU ran %.1f s, exit %s" % (opts.name, run.seconds,
                                           describe_status(run.status)))
    if not failures:
        print("%s: PASS" % opts.name)
        return 0
    lines = run.text().splitlines()
    print("---- last %d of %d serial lines (%s) ----"
          % (min(opts.tail, len(lines)), len(lines), opts.log))
    for line in lines[-opts.tail:]:
        print("| " + line)
    stderr = run.stderr.decode("utf-8", "replace").strip()
    if stderr:
        print("---- QEMU stderr ----")
        print(stderr)
    print("%s: FAIL (%d assertion%s)" % (opts.name, len(failures),
                                         "" if len(failures) == 1 else "s"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
