#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_paths.py - every file the docs name exists.

Owns:    the check that each source file named in the tree's Markdown
         (README.md, hypervisor/README.md, docs/*.md, guest-kernel/README.md
         and every other tracked .md) is in the tree, and that each
         relative link points at a file.
Touches: nothing; reads the tree.

What counts as naming a file:
  - in `backquotes`, a word ending .c .h .S .py .md or .ld, e.g.
    `hypervisor/common/hypercall.c`, `common/frame.c`, `descriptor.c`
    (a trailing :LINE is allowed);
  - in a fenced code block, a path with a '/' and one of those endings
    (a log line's `../hypervisor/arch/x86_64/pv/descriptor.c:138`, an
    `#include <xen/xen.h>`);
  - a Markdown link [text](relative/path#anchor).
It exists if it is the path of a tracked file from the repository's top,
from the doc's own directory, or the end of a tracked file's path at a
'/' (so `common/frame.c` and `frame.c` find hypervisor/common/frame.c).
`<placeholder>` and `*` match any name (`tests/guests/<attack>.c`).
Paths under build/ and absolute paths are not checked (they are made by
the build, or are on the host). Other projects' files that the docs name
on purpose are in ELSEWHERE below, each with whose they are.

Usage: check_paths.py SOURCE_ROOT. Exit 0 if every name resolves, 1 with
a DOC:LINE: line per one that does not.
"""

import fnmatch
import os
import re
import subprocess
import sys

EXTENSIONS = r"(?:c|h|S|py|md|ld)"
INLINE = re.compile(r"`([^`\s]+\." + EXTENSIONS + r")(?::\d+)?`")
IN_FENCE = re.compile(r"(?<![\w./*-])((?:\.\.\./|\.\./|\./|<)?[\w.*-]+(?:/[\w.<>*-]+)+\."
                      + EXTENSIONS + r")\b")
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")

# Files of other projects that the docs name on purpose: path -> whose.
ELSEWHERE = {
    "xen-compat.h": "Xen's public headers",
    "hvm/save.h": "Xen's public headers",
    "public/xen.h": "Xen's public headers",
    "public/foo.h": "an example of Xen's header names (abi/README.md)",
    "xen/foo.h": "an example of our header names (abi/README.md)",
    "io/blkif.h": "Xen's public headers (not mirrored in abi/ yet)",
    "io/netif.h": "Xen's public headers (not mirrored in abi/ yet)",
    "event_2l.c": "Xen's xen/common/event_2l.c",
    "hvc_xen.c": "Linux's drivers/tty/hvc/hvc_xen.c",
    "xen/arch/x86/dom0_build.c": "Xen's source",
    "xen/common/kernel.c": "Xen's source",
    "emul-priv-op.c": "Xen's xen/arch/x86/pv/emul-priv-op.c",
}


def tracked_files(root):
    """Every file of the tree, relative to root: git's list (tracked, and
    new files not ignored), or a walk that leaves out build directories and
    dot-directories."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached",
                              "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout
        files = [f for f in out.decode().split("\0") if f]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for top, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and
                   not d.startswith("build")]
        files += [os.path.relpath(os.path.join(top, n), root) for n in names]
    return files


def exists(name, doc, files):
    """Does name, as written in doc, name a file of the tree?"""
    for prefix in (".../", "../", "./"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if name.startswith("<") and ">" not in name:     # #include <xen/xen.h>
        name = name[1:]
    if name.startswith("build/") or name.startswith("/") or name in ELSEWHERE:
        return True
    pattern = re.sub(r"<[^>]*>", "*", name)
    here = os.path.normpath(os.path.join(os.path.dirname(doc), pattern))
    for f in files:
        if (fnmatch.fnmatchcase(f, pattern) or fnmatch.fnmatchcase(f, here) or
                fnmatch.fnmatchcase(f, "*/" + pattern)):
            return True
    return False


def link_exists(target, doc, root):
    if re.match(r"^[a-z]+:", target):           # http:, mailto: ...
        return True
    return os.path.exists(os.path.join(root, os.path.dirname(doc), target))


def check_doc(root, doc, files):
    """DOC:LINE: lines for each name in doc that resolves to nothing."""
    bad = []
    fenced = False
    with open(os.path.join(root, doc), encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        names = IN_FENCE.findall(line) if fenced else INLINE.findall(line)
        for name in names:
            if not exists(name, doc, files):
                bad.append("%s:%d: `%s` names no file in the tree" % (doc, n, name))
        if not fenced:
            for target in LINK.findall(line):
                if not link_exists(target, doc, root):
                    bad.append("%s:%d: link to %s, which does not exist"
                               % (doc, n, target))
    return bad


def main(argv):
    if len(argv) != 2:
        print("usage: check_paths.py SOURCE_ROOT")
        return 2
    root = argv[1]
    files = tracked_files(root)
    docs = sorted(f for f in files if f.endswith(".md"))
    bad = []
    for doc in docs:
        bad += check_doc(root, doc, files)
    for line in bad:
        print("FAIL " + line)
    if not bad:
        print("ok: every file named in %d docs exists" % len(docs))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
