#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_qemu_boot.py - the boot-test harness must fail when it should.

Owns:    a fake QEMU (written to a temporary directory) that prints a canned
         serial log and exits with a chosen status, and the cases below.
Touches: only its temporary directory.

Each case runs qemu_boot.py as a program against the fake and checks its
verdict and message: a boot test that cannot fail proves nothing.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemu_boot.py")

GOOD_LOG = """\
pvisor 0.1.0 booting
boot: memory map
dom0: entering kernel
pvkernel 0.1.0 booting
pvkernel: shutting down (poweroff)
d0 shut down: poweroff
"""

FAKE_QEMU = """\
#!{python}
import json, os, sys, time
with open(os.environ["FAKE_ARGV"], "w") as f:
    json.dump(sys.argv[1:], f)
sys.stdout.write(os.environ.get("FAKE_SERIAL", "").replace("\\n", "\\r\\n"))
sys.stdout.flush()
if os.environ.get("FAKE_ECHO"):          # a serial line that types back
    sys.stdout.write("typed: %r\\n" % sys.stdin.read(int(os.environ["FAKE_ECHO"])))
    sys.stdout.flush()
sys.stderr.write(os.environ.get("FAKE_STDERR", ""))
time.sleep(float(os.environ.get("FAKE_SLEEP", "0")))
sys.exit(int(os.environ.get("FAKE_STATUS", "1")))
"""


class HarnessTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="qemu_boot_test.")
        d = self.tmp.name
        self.qemu = os.path.join(d, "fake-qemu")
        with open(self.qemu, "w") as f:
            f.write(FAKE_QEMU.format(python=sys.executable))
        os.chmod(self.qemu, 0o755)
        self.kernel = os.path.join(d, "pvisor.elf")
        self.dom0 = os.path.join(d, "pvkernel.elf")
        for path in (self.kernel, self.dom0):
            with open(path, "wb") as f:
                f.write(b"\x7fELF")
        self.argv_file = os.path.join(d, "argv.json")
        self.log = os.path.join(d, "serial.log")

    def tearDown(self):
        self.tmp.cleanup()

    def harness(self, args, serial=GOOD_LOG, status=1, sleep=0, stderr="",
                echo=0):
        """Run the harness; return (exit status, its stdout)."""
        env = dict(os.environ, FAKE_ARGV=self.argv_file, FAKE_SERIAL=serial,
                   FAKE_STATUS=str(status), FAKE_SLEEP=str(sleep),
                   FAKE_STDERR=stderr, FAKE_ECHO=str(echo) if echo else "")
        base = [sys.executable, HARNESS, "--qemu", self.qemu, "--log", self.log]
        if "--cdrom" not in args:
            base += ["--kernel", self.kernel]
        p = subprocess.run(base + args, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=60)
        return p.returncode, p.stdout

    def qemu_argv(self):
        with open(self.argv_file) as f:
            return json.load(f)

    def assertPass(self, result):
        rc, out = result
        self.assertEqual(rc, 0, out)
        self.assertIn("PASS", out)

    def assertFail(self, result, *messages):
        rc, out = result
        self.assertEqual(rc, 1, out)
        for m in messages:
            self.assertIn(m, out)

    def test_all_expected_lines_pass(self):
        self.assertPass(self.harness(
            ["--in-order", "--expect", r"pvisor 0\.1\.0", "--expect",
             "dom0: entering kernel", "--expect", r"d0 shut down: poweroff"]))
        with open(self.log, "rb") as f:
            self.assertIn(b"dom0: entering kernel", f.read())

    def test_missing_line_fails_and_shows_tail(self):
        self.assertFail(self.harness(["--expect", "selftest: \\d+ passed"]),
                        "expected /selftest: \\d+ passed/: not found",
                        "| d0 shut down: poweroff")

    def test_wrong_order_fails(self):
        self.assertFail(self.harness(
            ["--in-order", "--expect", "d0 shut down", "--expect", "entering kernel"]),
            "expected /entering kernel/ after line 6: not found")

    def test_unordered_accepts_any_order(self):
        self.assertPass(self.harness(
            ["--expect", "d0 shut down", "--expect", "entering kernel"]))

    def test_expect_anywhere_ignores_order(self):
        self.assertPass(self.harness(
            ["--in-order", "--expect", "d0 shut down",
             "--expect-anywhere", "entering kernel"]))
        self.assertFail(self.harness(["--expect-anywhere", "multiboot2"]),
                        "expected /multiboot2/ anywhere: not found")

    def test_expect_greater_compares_numbers(self):
        serial = GOOD_LOG + "(d1) spin: 150 iterations\n(d2) spin: 1200 iterations\n"
        self.assertPass(self.harness(
            ["--expect-greater", r"\(d2\) spin: (\d+)", r"\(d1\) spin: (\d+)"],
            serial=serial))
        self.assertFail(self.harness(
            ["--expect-greater", r"\(d1\) spin: (\d+)", r"\(d2\) spin: (\d+)"],
            serial=serial), "but 150 <= 1200")
        self.assertFail(self.harness(
            ["--expect-greater", r"\(d3\) spin: (\d+)", r"\(d2\) spin: (\d+)"],
            serial=serial), "(a number to compare): not found")

    def test_accel_tcg_by_default_kvm_on_request(self):
        self.assertPass(self.harness([]))
        argv = self.qemu_argv()
        self.assertIn("tcg", argv)
        self.assertIn("-icount", argv)
        self.assertPass(self.harness(["--accel", "kvm"]))
        argv = self.qemu_argv()
        self.assertIn("kvm", argv)
        self.assertNotIn("-icount", argv)

    def test_kvm_that_does_not_start_skips(self):
        rc, out = self.harness(["--accel", "kvm"], serial="", status=1,
                               stderr="kvm version too old\nqemu-system-x86_64: "
                                      "-accel kvm: failed to initialize kvm: x\n")
        self.assertEqual(rc, 77, out)
        self.assertIn("SKIP: KVM does not start here", out)

    def test_panic_rejected_by_default(self):
        self.assertFail(self.harness([], serial=GOOD_LOG + "PANIC: oops\n"),
                        "rejected /PANIC/ found at line 7: PANIC: oops")

    def test_panic_allowed_when_panic_expected(self):
        self.assertPass(self.harness(["--expect", "PANIC", "--exit", "255"],
                                     serial="PANIC: no dom0 kernel\n", status=255))

    def test_extra_reject(self):
        self.assertFail(self.harness(["--reject", "domain_crash"],
                                     serial=GOOD_LOG + "domain_crash: d0\n"),
                        "rejected /domain_crash/")

    def test_types_after_the_pattern(self):
        self.assertPass(self.harness(
            ["--type-after", "entering kernel", "\\x01\\x01\\x01q",
             "--type-after", "booting", "p",
             "--expect", r"typed: '\\x01\\x01\\x01qp'"], echo=5))

    def test_typed_text_that_is_not_echoed_fails(self):
        self.assertFail(self.harness(
            ["--type-after", "entering kernel", "ab",
             "--expect", "typed: 'xy'"], echo=2), "typed: 'xy'")

    def test_wrong_exit_status_fails(self):
        self.assertFail(self.harness(["--exit", "1"], status=7),
                        "QEMU exit status 7 (crash), expected 1 (poweroff)")

    def test_qemu_stderr_shown_on_failure(self):
        self.assertFail(self.harness([], status=0, stderr="qemu: bad thing\n"),
                        "qemu: bad thing", "0 (QEMU stopped by itself")

    def test_timeout_kills_and_fails(self):
        self.assertFail(self.harness(["--timeout", "1"], sleep=30),
                        "timed out after 1 s")

    def test_rejected_line_stops_a_hung_qemu(self):
        start = time.monotonic()
        self.assertFail(self.harness(["--timeout", "60"], sleep=30,
                                     serial="pvisor\nPANIC: stuck\n"),
                        "rejected /PANIC/ found at line 2",
                        "QEMU killed: no exit within")
        self.assertLess(time.monotonic() - start, 20)

    def test_kernel_command_line(self):
        self.assertPass(self.harness(
            ["--append", "loglvl=info noreboot", "--memory", "256",
             "--module", self.dom0 + " crash=nohandler,x=1",
             "--module", self.dom0]))
        argv = self.qemu_argv()
        self.assertEqual(argv[argv.index("-kernel") + 1], self.kernel)
        self.assertEqual(argv[argv.index("-append") + 1], "loglvl=info noreboot")
        self.assertEqual(argv[argv.index("-m") + 1], "256")
        self.assertEqual(argv[argv.index("-initrd") + 1],
                         "%s crash=nohandler,,x=1,%s" % (self.dom0, self.dom0))
        self.assertIn("isa-debug-exit,iobase=0xf4,iosize=4", argv)
        self.assertIn("-no-reboot", argv)
        self.assertNotIn("-enable-kvm", argv)
        self.assertEqual(argv[argv.index("-accel") + 1], "tcg")

    def test_no_module_means_no_initrd(self):
        self.assertPass(self.harness([]))
        self.assertNotIn("-initrd", self.qemu_argv())

    def test_cdrom(self):
        self.assertPass(self.harness(["--cdrom", self.kernel]))
        argv = self.qemu_argv()
        self.assertEqual(argv[argv.index("-cdrom") + 1], self.kernel)
        self.assertNotIn("-kernel", argv)

    def test_missing_image_is_usage_error(self):
        rc, out = self.harness(["--module", "/nonexistent/pvkernel.elf x"])
        self.assertEqual(rc, 2, out)
        self.assertIn("no such image: /nonexistent/pvkernel.elf", out)

    def test_bad_regex_is_usage_error(self):
        rc, out = self.harness(["--expect", "shutting down (poweroff"])
        self.assertEqual(rc, 2, out)
        self.assertIn("bad regex /shutting down (poweroff/", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
