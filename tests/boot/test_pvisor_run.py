#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_pvisor_run.py - `./pvisor run`'s arguments, and a boot through it.

Owns:    the checks of the pvisor script's run command: --add's parsing
         (HOST_PATH[:GUEST_PATH], the default guest path, directories
         recursively, an entry replacing one of the same name, a missing
         HOST_PATH refused before anything boots), --selftest against the
         default noselftest, and one real boot (--add a script, run it as
         init through `-- init=/bin/sh -- SCRIPT`) that finds the file.
Touches: runs SOURCE_ROOT/pvisor with --no-build (what the build made in
         SOURCE_ROOT/build is booted) and --dry-run; temporary files only.

  test_pvisor_run.py SOURCE_ROOT
Exit 0 when every check holds, 1 otherwise (a line per failure); 77
(skipped) when SOURCE_ROOT/build has no initramfs (the script boots only
what is in SOURCE_ROOT/build).
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

failures = []


def check(name, ok, detail=""):
    print("%s %s%s" % ("ok  " if ok else "FAIL", name, "" if ok else ": " + detail))
    if not ok:
        failures.append(name)


def pvisor(root, args, cwd, timeout=60):
    return subprocess.run([os.path.join(root, "pvisor"), "run", "--no-build"] + args,
                          cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors="replace", timeout=timeout)


def main(argv):
    root = os.path.abspath(argv[1])
    if not os.path.exists(os.path.join(root, "build/guest-kernel/user/initramfs.cpio")):
        print("no build/guest-kernel/user/initramfs.cpio: skipped")
        return 77
    sys.path.insert(0, os.path.join(root, "guest-kernel/user"))
    import mkcpio

    with tempfile.TemporaryDirectory() as tmp:
        # A missing HOST_PATH: an error, nothing boots.
        r = pvisor(root, ["--add", os.path.join(tmp, "nosuch")], tmp)
        check("missing HOST_PATH refused", r.returncode != 0 and
              "no such file or directory" in r.stderr and "booting" not in r.stderr,
              "status %d, stderr %r" % (r.returncode, r.stderr[-300:]))
        r = pvisor(root, ["--add"], tmp)
        check("--add without a path refused", r.returncode != 0, r.stderr[-200:])

        # Files and a tree, relative and absolute, with and without GUEST_PATH.
        with open(os.path.join(tmp, "hello.txt"), "w") as f:
            f.write("hello\n")
        os.makedirs(os.path.join(tmp, "tree/sub"))
        with open(os.path.join(tmp, "tree/sub/leaf"), "w") as f:
            f.write("leaf\n")
        os.chmod(os.path.join(tmp, "tree/sub/leaf"), 0o750)
        os.symlink("sub/leaf", os.path.join(tmp, "tree/link"))
        with open(os.path.join(tmp, "motd"), "w") as f:
            f.write("replaced\n")
        r = pvisor(root, ["--dry-run", "--add", "hello.txt:/root/hi.txt",
                          "--add", "tree", "--add", os.path.join(tmp, "motd") + ":/etc/motd",
                          "--", "init=/bin/sh"], tmp)
        check("dry run", r.returncode == 0, "status %d: %s" % (r.returncode, r.stderr[-300:]))
        words = shlex.split(r.stdout.strip().splitlines()[-1]) if r.stdout.strip() else []
        initrd = words[words.index("-initrd") + 1] if "-initrd" in words else ""
        check("noselftest by default, dom0 args after it",
              "pvkernel.elf noselftest init=/bin/sh," in initrd, initrd)
        m = re.search(r",([^,]+/initramfs\.cpio)$", initrd)
        check("a per-run initramfs", bool(m) and "pvisor-run." in m.group(1), initrd)
        if m:
            entries = {n: (mode, data) for n, mode, data in mkcpio.read_archive(m.group(1))}
            subprocess.run(["rm", "-rf", os.path.dirname(m.group(1))])
            check("HOST:GUEST", entries.get("root/hi.txt", (0, b""))[1] == b"hello\n")
            check("GUEST_PATH defaults to HOST_PATH (from /)",
                  entries.get("tree/sub/leaf", (0, b""))[1] == b"leaf\n", str(sorted(entries)[:5]))
            check("permission bits kept", entries.get("tree/sub/leaf", (0,))[0] == 0o100750)
            check("directories recursively, symlinks kept",
                  entries.get("tree/sub", (0,))[0] & 0o170000 == 0o040000 and
                  entries.get("tree/link", (0, b""))[1] == b"sub/leaf")
            check("an entry replaces the built one", entries.get("etc/motd", (0, b""))[1] ==
                  b"replaced\n")
            check("the built entries stay", "bin/busybox" in entries and "sbin/init" in entries)
        r = pvisor(root, ["--dry-run", "--selftest"], tmp)
        check("--selftest drops noselftest", r.returncode == 0 and "noselftest" not in r.stdout and
              "build/guest-kernel/user/initramfs.cpio" in r.stdout, r.stdout[-300:])

        # A real boot: the added script runs as init and finds its own file.
        with open(os.path.join(tmp, "added.sh"), "w") as f:
            f.write("#!/bin/sh\necho \"added: $(cat /opt/data/hi.txt)\"\npoweroff -f\n")
        os.makedirs(os.path.join(tmp, "data"))
        with open(os.path.join(tmp, "data/hi.txt"), "w") as f:
            f.write("found me\n")
        r = pvisor(root, ["--add", "added.sh:/root/added.sh", "--add", "data:/opt/data",
                          "--", "init=/bin/sh", "--", "/root/added.sh"], tmp, timeout=240)
        check("boot: the added files are there", "added: found me" in r.stdout,
              r.stdout[-600:])
        check("boot: poweroff -f, status 0", r.returncode == 0 and
              "dom0 powered off" in r.stderr, "status %d %r" % (r.returncode, r.stderr[-300:]))
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
