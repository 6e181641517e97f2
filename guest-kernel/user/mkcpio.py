#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mkcpio.py - write a cpio "newc" archive (an initramfs) from a list of
entries, reproducibly (mtime 0, inode numbers in order, uid/gid 0).

Owns:    the initramfs images the build makes (guest-kernel/user/meson.build).
Touches: only the files it is told to read and the archive it writes.

  mkcpio.py [--base ARCHIVE] OUT ENTRY...
  --base ARCHIVE                     start from ARCHIVE's entries (a newc
                                     archive this script wrote); an ENTRY
                                     with the name of one replaces it
  ENTRY:  dir:PATH                   a directory (0755)
          file:SRC:PATH[:MODE]       a regular file from SRC (MODE octal, 0755)
          text:PATH:CONTENT          a regular file (0644) holding CONTENT
          textx:PATH:CONTENT         the same, executable (0755)
          symlink:PATH:TARGET        a symbolic link
          trunc:SRC:PATH:N           the first N bytes of SRC (0755): a
                                     truncated program, for exec's checks
          busybox:SRC:PATH           the busybox binary SRC at PATH, and a
                                     symlink to PATH for each applet that
                                     `SRC --list-full` names (their
                                     directories implied), except where
                                     another ENTRY already puts something
          tree:SRC:PATH              SRC (a file, or a directory with all
                                     below it, symlinks kept as symlinks,
                                     permission bits kept) at PATH, with
                                     PATH's parent directories implied
Parent directories are not implied otherwise: list them (the kernel makes
missing ones itself, but an archive should be complete).  Entries are
written in the order given (the base's first), mtime 0, inodes numbered in
order, so the same inputs give the same bytes.
"""
import os
import stat
import subprocess
import sys


def header(ino, mode, size, name):
    namez = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(namez), 0]
    h = b"070701" + b"".join(b"%08x" % f for f in fields)
    out = h + namez
    return out + b"\0" * (-len(out) % 4)


def entry(ino, mode, name, data=b""):
    out = header(ino, mode, len(data), name) + data
    return out + b"\0" * (-len(out) % 4)


def read_archive(path):
    """The (name, mode, data) entries of a newc archive, trailer excluded."""
    with open(path, "rb") as f:
        buf = f.read()
    out, pos = [], 0
    while True:
        if buf[pos:pos + 6] not in (b"070701", b"070702"):
            sys.exit("mkcpio.py: %s: not a newc archive at offset %d" % (path, pos))
        fields = [int(buf[pos + 6 + 8 * i:pos + 14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = fields[1], fields[6], fields[11]
        name = buf[pos + 110:pos + 110 + namesize - 1].decode()
        pos = (pos + 110 + namesize + 3) & ~3
        data = buf[pos:pos + size]
        pos = (pos + size + 3) & ~3
        if name == "TRAILER!!!":
            return out
        out.append((name, mode, data))


class Archive:
    def __init__(self):
        self.entries = {}               # name -> (mode, data), in order

    def add(self, name, mode, data=b""):
        name = name.strip("/")
        if not name:
            return                      # "/": the root exists already
        self.entries.pop(name, None)    # a replacement goes where it is added
        self.entries[name] = (mode, data)

    def parents(self, name):
        parts = name.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self.entries:
                self.add(d, 0o040755)

    def tree(self, src, dst):
        self.parents(dst)
        st = os.stat(src)               # SRC itself: followed
        self.node(src, dst, st)
        if stat.S_ISDIR(st.st_mode):
            for top, dirs, files in os.walk(src):
                dirs.sort()
                rel = os.path.relpath(top, src)
                base = dst if rel == "." else dst.rstrip("/") + "/" + rel
                for n in sorted(dirs + files):
                    full = os.path.join(top, n)
                    self.node(full, base.rstrip("/") + "/" + n, os.lstat(full))

    def node(self, path, name, st):
        perm = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            self.add(name, 0o120777, os.readlink(path).encode())
        elif stat.S_ISDIR(st.st_mode):
            self.add(name, 0o040000 | perm)
        elif stat.S_ISREG(st.st_mode):
            with open(path, "rb") as f:
                self.add(name, 0o100000 | perm, f.read())
        else:
            sys.stderr.write("mkcpio.py: %s: not a file, directory or symlink: skipped\n" % path)

    def busybox(self, src, dst, taken):
        with open(src, "rb") as f:
            self.parents(dst)
            self.add(dst, 0o100755, f.read())
        applets = subprocess.run([src, "--list-full"], check=True, capture_output=True,
                                 text=True).stdout.split()
        for a in sorted(applets):
            a = a.strip("/")
            if a == dst.strip("/") or a in taken:
                continue
            self.parents(a)
            self.add(a, 0o120777, ("/" + dst.strip("/")).encode())


def main(argv):
    args = argv[1:]
    base = None
    if args[:1] == ["--base"]:
        base, args = args[1], args[2:]
    if not args:
        sys.exit(__doc__)
    out, specs = args[0], args[1:]
    ar = Archive()
    if base:
        for name, mode, data in read_archive(base):
            ar.add(name, mode, data)
    # what the other entries name: busybox's links leave them alone
    taken = set(s.split(":")[1].strip("/") if s.split(":")[0] in ("dir", "text", "textx", "symlink")
                else s.split(":")[2].strip("/") for s in specs
                if s.split(":")[0] in ("dir", "text", "textx", "symlink", "file", "trunc"))
    for spec in specs:
        kind, _, rest = spec.partition(":")
        if kind == "dir":
            ar.add(rest, 0o040755)
        elif kind == "file":
            parts = rest.split(":")
            mode = int(parts[2], 8) if len(parts) > 2 else 0o755
            with open(parts[0], "rb") as f:
                ar.add(parts[1], 0o100000 | mode, f.read())
        elif kind in ("text", "textx"):
            path, _, content = rest.partition(":")
            mode = 0o100755 if kind == "textx" else 0o100644
            ar.add(path, mode, content.encode().decode("unicode_escape").encode())
        elif kind == "symlink":
            path, _, target = rest.partition(":")
            ar.add(path, 0o120777, target.encode())
        elif kind == "trunc":
            src, path, n = rest.split(":")
            with open(src, "rb") as f:
                ar.add(path, 0o100755, f.read()[:int(n)])
        elif kind == "busybox":
            src, path = rest.split(":")
            ar.busybox(src, path, taken)
        elif kind == "tree":
            src, _, path = rest.partition(":")
            if not os.path.lexists(src):
                sys.exit("mkcpio.py: %s: no such file or directory" % src)
            ar.tree(src, path)
        else:
            sys.exit("mkcpio.py: unknown entry kind in %r" % spec)
    blob = b""
    for ino, (name, (mode, data)) in enumerate(ar.entries.items(), start=1):
        blob += entry(ino, mode, name, data)
    blob += entry(0, 0, "TRAILER!!!")
    blob += b"\0" * (-len(blob) % 512)
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main(sys.argv)
