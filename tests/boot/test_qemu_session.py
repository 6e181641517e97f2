#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_qemu_session.py - the scripted-session helper must pass and fail
when it should.

Owns:    a fake QEMU (written to a temporary directory) that prints a
         prompt, answers each typed line with "got: LINE" and exits with
         the status typed as "exit N"; the cases below.
Touches: only its temporary directory.

Each case runs qemu_session.py as a program against the fake and checks
its verdict and message: a session test that cannot fail proves nothing.
"""

import os
import subprocess
import sys
import tempfile
import unittest

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemu_session.py")

FAKE_QEMU = """\
#!{python}
import sys
out = sys.stdout
out.write("booting\\r\\nprompt> ")
out.flush()
line = b""
while True:
    c = sys.stdin.buffer.read(1)
    if not c:
        sys.exit(9)
    if c != b"\\r":
        line += c
        continue
    text = line.decode("latin-1")
    line = b""
    if text.startswith("exit "):
        sys.exit(int(text[5:]))
    out.write("\\r\\ngot: %r\\r\\nprompt> " % text)
    out.flush()
"""


class SessionTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="qemu_session_test.")
        d = self.tmp.name
        self.qemu = os.path.join(d, "fake-qemu")
        with open(self.qemu, "w") as f:
            f.write(FAKE_QEMU.format(python=sys.executable))
        os.chmod(self.qemu, 0o755)
        self.kernel = os.path.join(d, "pvisor.elf")
        with open(self.kernel, "wb") as f:
            f.write(b"\x7fELF")

    def tearDown(self):
        self.tmp.cleanup()

    def run_helper(self, *args):
        cmd = [sys.executable, HELPER, "--qemu", self.qemu, "--kernel", self.kernel,
               "--log-dir", self.tmp.name, "--name", "case", "--timeout", "20"] + list(args)
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        return r.returncode, r.stdout.decode()

    def test_pass(self):
        rc, out = self.run_helper("--step", "expect:^prompt> $", "--step", "send:hi\\r",
                                  "--step", "expect:got: 'hi'", "--step", "send:\\x03x\\r",
                                  "--step", "expect:got: '\\\\x03x'", "--step", "send:exit 1\\r")
        self.assertEqual(rc, 0, out)
        self.assertIn("case: PASS", out)
        with open(os.path.join(self.tmp.name, "case.serial.log"), "rb") as f:
            self.assertIn(b"got: 'hi'", f.read())

    def test_expect_times_out_with_the_tail(self):
        rc, out = self.run_helper("--step", "send:hello\\r", "--step", "expect:never",
                                  "--step-timeout", "1")
        self.assertEqual(rc, 1, out)
        self.assertIn("expected /never/: timed out after 1 s", out)
        self.assertIn("| got: 'hello'", out)

    def test_matches_move_forward(self):
        # the second expect must not match the first prompt again
        rc, out = self.run_helper("--step", "expect:prompt>", "--step", "expect:prompt>",
                                  "--step-timeout", "1")
        self.assertEqual(rc, 1, out)
        self.assertIn("expected /prompt>/", out)

    def test_wrong_exit_status(self):
        rc, out = self.run_helper("--step", "expect:prompt", "--step", "send:exit 7\\r")
        self.assertEqual(rc, 1, out)
        self.assertIn("QEMU exit 7 (crash), expected 1 (poweroff)", out)

    def test_qemu_ends_during_expect(self):
        rc, out = self.run_helper("--step", "send:exit 1\\r", "--step", "expect:never")
        self.assertEqual(rc, 1, out)
        self.assertIn("expected /never/: QEMU ended", out)

    def test_rejected_pattern(self):
        rc, out = self.run_helper("--step", "send:PANIC\\r", "--step", "expect:got",
                                  "--step", "send:exit 1\\r")
        self.assertEqual(rc, 1, out)
        self.assertIn("rejected /PANIC/ appeared", out)

    def test_library(self):
        sys.path.insert(0, os.path.dirname(HELPER))
        import qemu_session
        log = os.path.join(self.tmp.name, "lib.serial.log")
        with qemu_session.Session.boot(self.kernel, [], log, qemu=self.qemu) as s:
            s.expect(r"^prompt> $", 10)
            s.send("x\r")
            self.assertEqual(s.expect(r"got: '(\w)'", 10).group(1), "x")
            with self.assertRaises(qemu_session.SessionError) as e:
                s.expect("nothing", 0.5)
            self.assertIn("| got: 'x'", str(e.exception))
            s.send("exit 3\r")
            self.assertEqual(s.wait_exit(10), 3)

    def test_bad_step(self):
        rc, out = self.run_helper("--step", "type:x")
        self.assertEqual(rc, 2, out)


if __name__ == "__main__":
    unittest.main()
