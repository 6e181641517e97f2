#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mkcpio.py - write a cpio "newc" archive (an initramfs) from a list of
entries, reproducibly (mtime 0, inode numbers in order, uid/gid 0).

Owns:    the initramfs images the build makes (guest-kernel/user/meson.build).
Touches: only the files it is told to read and the archive it writes.

  mkcpio.py OUT ENTRY...
  ENTRY:  dir:PATH                   a directory (0755)
          file:SRC:PATH[:MODE]       a regular file from SRC (MODE octal, 0755)
          text:PATH:CONTENT          a regular file (0644) holding CONTENT
          textx:PATH:CONTENT         the same, executable (0755)
          symlink:PATH:TARGET        a symbolic link
          trunc:SRC:PATH:N           the first N bytes of SRC (0755): a
                                     truncated program, for exec's checks
Parent directories are not implied: list them (the kernel makes missing
ones itself, but an archive should be complete).
"""
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


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out, specs = argv[1], argv[2:]
    blob = b""
    for ino, spec in enumerate(specs, start=1):
        kind, _, rest = spec.partition(":")
        if kind == "dir":
            blob += entry(ino, 0o040755, rest.lstrip("/"))
        elif kind == "file":
            parts = rest.split(":")
            mode = int(parts[2], 8) if len(parts) > 2 else 0o755
            with open(parts[0], "rb") as f:
                blob += entry(ino, 0o100000 | mode, parts[1].lstrip("/"), f.read())
        elif kind in ("text", "textx"):
            path, _, content = rest.partition(":")
            mode = 0o100755 if kind == "textx" else 0o100644
            blob += entry(ino, mode, path.lstrip("/"),
                          content.encode().decode("unicode_escape").encode())
        elif kind == "symlink":
            path, _, target = rest.partition(":")
            blob += entry(ino, 0o120777, path.lstrip("/"), target.encode())
        elif kind == "trunc":
            src, path, n = rest.split(":")
            with open(src, "rb") as f:
                blob += entry(ino, 0o100755, path.lstrip("/"), f.read()[:int(n)])
        else:
            sys.exit("mkcpio.py: unknown entry kind in %r" % spec)
    blob += entry(0, 0, "TRAILER!!!")
    blob += b"\0" * (-len(blob) % 512)
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main(sys.argv)
