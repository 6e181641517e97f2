#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_syscalls.py - guest-kernel/README.md's table of system calls is
pvkernel's syscall table.

Owns:    the check that every X(NR, name, family) row of SYSCALL_LIST
         (guest-kernel/include/syscall.h) has a row `| NR | name | family |`
         in the "System calls" table of guest-kernel/README.md, and that the
         table has no other row; and that each family's sys_FAMILY.c exists.
Touches: nothing; reads the tree.

Usage: check_syscalls.py SOURCE_ROOT; exit 0 when they agree, 1 with a line
per difference.
"""

import os
import re
import sys

ROW_H = re.compile(r"X\(\s*(\d+)\s*,\s*(\w+)\s*,\s*(\w+)\s*\)")
ROW_MD = re.compile(r"^\|\s*(\d+)\s*\|\s*`?(\w+)`?\s*\|\s*`?sys_(\w+)\.c`?\s*\|")


def main(argv):
    if len(argv) != 2:
        print("usage: check_syscalls.py SOURCE_ROOT")
        return 2
    root = argv[1]
    with open(os.path.join(root, "guest-kernel/include/syscall.h")) as f:
        table = {(int(n), name, fam) for n, name, fam in ROW_H.findall(f.read())}
    with open(os.path.join(root, "guest-kernel/README.md")) as f:
        doc = {(int(m[1]), m[2], m[3]) for m in map(ROW_MD.match, f) if m}
    bad = 0
    for row in sorted(table - doc):
        print("README.md lacks the row for system call %d %s (sys_%s.c)" % row)
        bad = 1
    for row in sorted(doc - table):
        print("README.md lists system call %d %s (sys_%s.c), not in SYSCALL_LIST" % row)
        bad = 1
    for fam in sorted({r[2] for r in table}):
        if not os.path.exists(os.path.join(root, "guest-kernel/kernel/sys_%s.c" % fam)):
            print("no guest-kernel/kernel/sys_%s.c for its system calls" % fam)
            bad = 1
    if not table:
        print("no SYSCALL_LIST rows found")
        bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
