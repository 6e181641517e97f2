#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_suites.py - ./pvisor and the README name the suites meson has.

Owns:    the checks that the test suites named by `suite:` in the tree's
         meson.build files, less those the default test setup excludes
         (`exclude_suites:` in the top meson.build: soak), are exactly
         those README.md's "Tests" section lists (its count in words and
         its bullets) and those `./pvisor help` lists under `test`; that
         each excluded suite is named in that section and has its own
         `./pvisor` command; and that `./pvisor` with an unknown command
         says so, prints the usage and exits 2.
Touches: nothing; reads the tree and runs ./pvisor help (which changes
         nothing).

Usage: check_suites.py SOURCE_ROOT. Exit 0 when all agree, 1 with a line
per difference.
"""

import os
import re
import subprocess
import sys

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def meson_suites(root):
    suites = set()
    for top, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "build"))]
        if "meson.build" in names:
            with open(os.path.join(top, "meson.build")) as f:
                suites |= set(re.findall(r"\bsuite:\s*'([\w-]+)'", f.read()))
    return suites


def excluded_suites(root):
    """The suites the default test setup leaves out."""
    with open(os.path.join(root, "meson.build")) as f:
        m = re.search(r"exclude_suites:\s*\[([^\]]*)\]", f.read())
    return set(re.findall(r"'([\w-]+)'", m.group(1))) if m else set()


def readme_suites(root):
    """(count word, [bullet names]) of README.md's Tests section."""
    with open(os.path.join(root, "README.md")) as f:
        text = f.read()
    m = re.search(r"^## Tests\n(.*?)(?=^## )", text, re.S | re.M)
    if not m:
        return None, []
    section = m.group(1)
    count = re.search(r"over (\w+) suites", section)
    return (count.group(1) if count else None,
            re.findall(r"^- \*\*([\w-]+)\*\*", section, re.M))


def pvisor(root, *args):
    return subprocess.run(["bash", os.path.join(root, "pvisor")] + list(args),
                          capture_output=True, text=True, timeout=30)


def help_suites(root):
    """The suites `./pvisor help` names: 'every test suite: a, b and c'."""
    out = pvisor(root, "help").stdout
    m = re.search(r"every test suite:\s*(.*?)\s*\(", out, re.S)
    if not m:
        return None
    words = re.split(r",\s*|\s+and\s+", " ".join(m.group(1).split()))
    return [w for w in words if w]


def main(argv):
    if len(argv) != 2:
        print("usage: check_suites.py SOURCE_ROOT")
        return 2
    root = argv[1]
    problems = []
    excluded = excluded_suites(root)
    suites = meson_suites(root) - excluded
    count, bullets = readme_suites(root)
    with open(os.path.join(root, "README.md")) as f:
        tests = re.search(r"^## Tests\n(.*?)(?=^## )", f.read(), re.S | re.M)
    usage = pvisor(root, "help").stdout
    for name in sorted(excluded):
        if not tests or "`./pvisor %s`" % name not in tests.group(1):
            problems.append("README.md's Tests section does not name `./pvisor %s` "
                            "(the suite `./pvisor test` leaves out)" % name)
        if not re.search(r"^  %s\b" % re.escape(name), usage, re.M):
            problems.append("./pvisor help has no '%s' command" % name)
    if NUMBERS.get(count) != len(suites):
        problems.append("README.md says 'over %s suites'; meson has %d: %s"
                        % (count, len(suites), ", ".join(sorted(suites))))
    if sorted(bullets) != sorted(suites):
        problems.append("README.md's Tests bullets are %s; meson's suites are %s"
                        % (", ".join(bullets), ", ".join(sorted(suites))))
    listed = help_suites(root)
    if listed is None:
        problems.append("./pvisor help: no 'every test suite: ... (' under test")
    elif sorted(listed) != sorted(suites):
        problems.append("./pvisor help lists %s; meson's suites are %s"
                        % (", ".join(listed), ", ".join(sorted(suites))))
    bad = pvisor(root, "nonsense")
    if bad.returncode != 2:
        problems.append("./pvisor nonsense exits %d, not 2" % bad.returncode)
    if not bad.stderr.startswith("pvisor: unknown command 'nonsense'\n"):
        problems.append("./pvisor nonsense does not begin with \"pvisor: unknown "
                        "command 'nonsense'\" on stderr: %r" % bad.stderr[:80])
    if "usage: ./pvisor COMMAND" not in bad.stderr:
        problems.append("./pvisor nonsense prints no usage on stderr")
    for p in problems:
        print("FAIL " + p)
    if not problems:
        print("ok: %d suites (%s), the same in README.md and ./pvisor help"
              % (len(suites), ", ".join(sorted(suites))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
