#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""static_pie.py - build a static-PIE program against musl (ET_DYN, no
interpreter, self-relocating through musl's rcrt1.o), which Debian's
musl-gcc cannot do by itself (its -static-pie still names a dynamic loader).

Owns:    the compile and link lines of a musl static PIE.
Touches: the source, a temporary object next to OUT, OUT.

  static_pie.py MUSL_GCC CC SRC OUT [CFLAGS...]

musl's library directory is where musl-gcc's specs file is (the script
passes -specs DIR/musl-gcc.specs to gcc); the link is Linux's own recipe
for a static PIE: rcrt1.o crti.o crtbeginS.o OBJ libc.a libgcc.a
crtendS.o crtn.o with -static-pie.
"""
import os
import re
import subprocess
import sys


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    musl_gcc, cc, src, out, cflags = argv[1], argv[2], argv[3], argv[4], argv[5:]
    text = open(musl_gcc, errors="replace").read()
    m = re.search(r'-specs\s+"?([^"\s]+)/musl-gcc\.specs', text)
    if not m:
        sys.exit("static_pie.py: cannot find musl's directory in %s" % musl_gcc)
    lib = m.group(1)
    if not os.path.exists(os.path.join(lib, "rcrt1.o")):
        sys.exit("static_pie.py: no %s/rcrt1.o" % lib)

    def cc_file(name):
        return subprocess.run([cc, "-print-file-name=" + name], check=True,
                              capture_output=True, text=True).stdout.strip()

    obj = out + ".o"
    subprocess.run([musl_gcc, "-fPIE", *cflags, "-c", src, "-o", obj], check=True)
    subprocess.run([cc, "-nostdlib", "-static-pie", "-o", out,
                    os.path.join(lib, "rcrt1.o"), os.path.join(lib, "crti.o"),
                    cc_file("crtbeginS.o"), obj, os.path.join(lib, "libc.a"),
                    subprocess.run([cc, "-print-libgcc-file-name"], check=True,
                                   capture_output=True, text=True).stdout.strip(),
                    cc_file("crtendS.o"), os.path.join(lib, "crtn.o")], check=True)
    os.unlink(obj)


if __name__ == "__main__":
    main(sys.argv)
