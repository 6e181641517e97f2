#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_command_line.py - docs/command-line.md lists every option.

Owns:    the check that the hypervisor's option table (hv_options[] in
         hypervisor/arch/x86_64/setup.c) and the options table of
         docs/command-line.md name the same options, and that every
         CMDLINE_CUSTOM option says what it takes (its .valid text, which
         the bad-value message prints).
Touches: nothing; reads the two files.

Usage: check_command_line.py SOURCE_ROOT. Exit 0 when they agree, 1 with
one line per difference.
"""

import os
import re
import sys

SETUP_C = "hypervisor/arch/x86_64/setup.c"
DOC = "docs/command-line.md"

# A row of hv_options[]: { "name", CMDLINE_TYPE, var, len, valid },
# where valid may run onto the next line.
ROW = re.compile(r'\{\s*"([^"]+)",\s*(CMDLINE_\w+),\s*[^,]+,\s*[^,]+,\s*([^}]*)\}',
                 re.S)
# A row of the doc's options table: | `name=` | or | `name` |
DOC_ROW = re.compile(r"^\|\s*`([a-z0-9_-]+)=?`\s*\|", re.M)


def table_options(text):
    """[(name, type, valid)] of hv_options[] in setup.c's text."""
    m = re.search(r"hv_options\[\]\s*=\s*\{(.*?)\n\};", text, re.S)
    if not m:
        return None
    return [(n, t, v.strip()) for n, t, v in ROW.findall(m.group(1))]


def doc_options(text):
    """Option names in the doc's table under '## Options'."""
    m = re.search(r"^## Options\n(.*?)(?=^## )", text, re.S | re.M)
    return DOC_ROW.findall(m.group(1)) if m else None


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-2])
        return 2
    root = argv[1]
    with open(os.path.join(root, SETUP_C)) as f:
        options = table_options(f.read())
    with open(os.path.join(root, DOC)) as f:
        documented = doc_options(f.read())
    problems = []
    if not options:
        problems.append("%s: no hv_options[] rows found (did its form change? "
                        "update this script)" % SETUP_C)
    if not documented:
        problems.append("%s: no options table under '## Options'" % DOC)
    names = [n for n, _, _ in options or []]
    for name in names:
        if name not in (documented or []):
            problems.append("%s: option %s (in %s) has no row; add one"
                            % (DOC, name, SETUP_C))
    for name in documented or []:
        if name not in names:
            problems.append("%s: row for %s, which %s's hv_options[] does not "
                            "have" % (DOC, name, SETUP_C))
    for name, kind, valid in options or []:
        if kind == "CMDLINE_CUSTOM" and (not valid or valid == "NULL"):
            problems.append("%s: CMDLINE_CUSTOM option %s does not say what it "
                            "takes (its fifth field)" % (SETUP_C, name))
    for p in problems:
        print("FAIL " + p)
    if not problems:
        print("ok: %d options, each in %s" % (len(names), DOC))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
