#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_maps.py - each component's README names every source file in it.

Owns:    the check that hypervisor/README.md's map names every .c and .S
         file under hypervisor/, and guest-kernel/README.md every one under
         guest-kernel/: the map is where a reader looks first, and a file
         it leaves out is a file nobody finds.
Touches: nothing; reads the tree.

A file counts as named when its file name appears in the README as a word
(`iret.c`, or iret.c in the map's text). Usage: check_maps.py SOURCE_ROOT;
exit 0 when every file is named, 1 with a line per file that is not.
"""

import os
import re
import sys

# README -> the directory whose sources it maps.
MAPS = {
    "hypervisor/README.md": "hypervisor",
    "guest-kernel/README.md": "guest-kernel",
}
SOURCE = re.compile(r"\.(c|S)$")


def main(argv):
    if len(argv) != 2:
        print("usage: check_maps.py SOURCE_ROOT")
        return 2
    root = argv[1]
    missing = []
    count = 0
    for readme, top in MAPS.items():
        with open(os.path.join(root, readme), encoding="utf-8") as f:
            text = f.read()
        for dirpath, dirs, names in os.walk(os.path.join(root, top)):
            dirs.sort()
            for name in sorted(n for n in names if SOURCE.search(n)):
                count += 1
                if not re.search(r"(?<![\w.-])" + re.escape(name) + r"(?![\w-])(?!\.\w)", text):
                    path = os.path.relpath(os.path.join(dirpath, name), root)
                    missing.append("%s does not name %s: add it to the map"
                                   % (readme, path))
    for line in missing:
        print("FAIL " + line)
    if not missing:
        print("ok: %d sources, each named in its README's map" % count)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
