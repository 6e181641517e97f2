#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
gen_abi_items.py - write the conformance test's item list from the headers.

Owns:    tests/abi/abi_items.def and tests/abi/abi_headers.h (both generated).
Touches: reads abi/xen/** and Xen's installed headers (/usr/include/xen);
         runs clang (preprocessor and JSON AST dump); writes nothing else.

For each header in abi/xen, and each view (guest, with __XEN_TOOLS__ so that
the toolstack-only headers are seen too; hypervisor = __XEN__), it compiles
our header set and Xen's with clang and collects:
  - object-like macros and enum constants   -> CONST(name) or STRING(name)
  - structs, unions, enums and typedefs     -> SIZE(type)
  - every field, nested ones by path        -> OFFSET(type, a.b) / FLEX(...)
An item goes in the list when both trees define it in that view. Names that
only our tree defines must carry the pvisor prefix: anything else is an error
(names in abi/ are Xen's names), reported and counted in the exit status.

Usage:
  gen_abi_items.py [--abi DIR] [--xen-include DIR] [--check]
With --check nothing is written: the exit status says whether the committed
files are current and the naming rule holds (the 'abi-items-current' test).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
DEF_OUT = os.path.join(HERE, 'abi_items.def')
HDR_OUT = os.path.join(HERE, 'abi_headers.h')
MESON = os.path.join(HERE, 'meson.build')
XEN_VERSION = '0x00040e00'   # interface version both trees are compiled at
PROBE = 'pvisor_probe_'

VIEWS = ('guest', 'xen')     # 'xen' = the hypervisor's view (__XEN__)

# Xen's own copies of these include hypervisor-internal headers under
# __XEN__ (domctl.h -> hvm/save.h -> <xen/lib.h>; sysctl.h includes
# domctl.h), so they are compared in the guest view (with __XEN_TOOLS__)
# only.
XEN_TOOLS_ONLY = ('xen/domctl.h', 'xen/sysctl.h')


def ours_only_allowed(key):
    """Our own additions are spelled with the pvisor prefix."""
    return 'pvisor' in key.lower()


def clang():
    return os.environ.get('CLANG', 'clang')


def resource_include():
    out = subprocess.run([clang(), '-print-resource-dir'], check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, 'include')


def list_headers(abi_dir):
    hdrs = []
    for dirpath, dirs, files in os.walk(os.path.join(abi_dir, 'xen')):
        # xen/sys/: Linux's device ioctls (privcmd, evtchn, gntdev), not
        # Xen's public headers; their layouts are checked apart from these.
        dirs[:] = [d for d in dirs if not (dirpath.endswith('xen') and d == 'sys')]
        for f in files:
            if f.endswith('.h'):
                rel = os.path.relpath(os.path.join(dirpath, f), abi_dir)
                hdrs.append(rel.replace(os.sep, '/'))
    # xen/xen.h first, then the rest by path: the order of the .def.
    return sorted(hdrs, key=lambda h: (h != 'xen/xen.h', h))


def cflags(side, view, abi_dir, xen_inc):
    f = ['-x', 'c', '-std=gnu11', '-w']
    if side == 'ours':
        f += ['-ffreestanding', '-nostdinc', '-isystem', resource_include(),
              '-I', abi_dir]
    else:
        f += ['-I', xen_inc]
        if view == 'guest':
            f += ['-D__XEN_INTERFACE_VERSION__=' + XEN_VERSION]
    if view == 'xen':
        f += ['-D__XEN__']
    else:
        f += ['-D__XEN_TOOLS__']   # toolstack-only headers (domctl.h) too
    return f


def tu_text(headers):
    lines = ['#include <stdint.h>', '#include <stddef.h>']
    lines += ['#include <%s>' % h for h in headers]
    return '\n'.join(lines) + '\n'


def header_of(path, roots):
    """'xen/...' name of a file under root/xen/ for one of roots, else None."""
    if path is None:
        return None
    p = os.path.normpath(path)
    for r in roots:
        r = os.path.normpath(r)
        if p.startswith(os.path.join(r, 'xen') + os.sep):
            return os.path.relpath(p, r).replace(os.sep, '/')
    return None


# --- macros ---------------------------------------------------------------

DEFINE_RE = re.compile(r'#define\s+([A-Za-z_]\w*)(\()?\s*(.*)$')
LINEMARK_RE = re.compile(r'#\s+(\d+)\s+"([^"]*)"')


def macros(src, flags, roots):
    """{name: (header, line, function_like, body)} defined in our roots."""
    out = subprocess.run([clang(), '-E', '-dD'] + flags + [src],
                         check=True, capture_output=True, text=True).stdout
    res, cur, line = {}, None, 0
    for text in out.splitlines():
        m = LINEMARK_RE.match(text)
        if m:
            line, cur = int(m.group(1)), m.group(2)
            continue
        m = DEFINE_RE.match(text)
        if m:
            hdr = header_of(cur, roots)
            if cur == '<command line>' and m.group(1).startswith(
                    '__XEN_INTERFACE_VERSION'):
                hdr = 'xen/xen.h'
            if hdr:
                res[m.group(1)] = (hdr, line, bool(m.group(2)),
                                   m.group(3).strip())
        line += 1
    return res


# --- declarations (clang JSON AST) ----------------------------------------

class LocTracker:
    """clang's JSON elides a location's file and line when unchanged since
    the previous location printed; replay them in print order."""

    def __init__(self):
        self.file, self.line = None, 0

    def visit(self, loc):
        if not isinstance(loc, dict):
            return
        if 'spellingLoc' in loc:
            self.visit(loc['spellingLoc'])
            self.visit(loc.get('expansionLoc'))
            return
        if 'file' in loc:
            self.file = loc['file']
        if 'line' in loc:
            self.line = loc['line']

    def node(self, n):
        """Visit a node's own locations; return (file, line) of its loc."""
        where = None
        for k, v in n.items():
            if k == 'loc':
                self.visit(v)
                where = (self.file, self.line)
            elif k == 'range':
                self.visit(v.get('begin'))
                self.visit(v.get('end'))
        return where

    def subtree(self, n):
        where = self.node(n)
        for c in n.get('inner', []):
            if isinstance(c, dict):
                self.subtree(c)
        return where


def record_fields(rec, prefix):
    """[(path, is_flex)] of a record's fields, nested inline records by
    path and anonymous members flattened, in declaration order."""
    out, last = [], None
    for c in rec.get('inner', []):
        kind = c.get('kind')
        if kind == 'RecordDecl':
            last = c
        elif kind == 'FieldDecl':
            qt = c['type']['qualType']
            name = c.get('name')
            if not name:                       # C11 anonymous member
                if last is not None:
                    out += record_fields(last, prefix)
                continue
            path = prefix + name
            out.append((path, qt.endswith('[]')))
            if last is not None and not qt.endswith(']'):
                tag = last.get('name')
                inline = (('unnamed' in qt and not tag) or
                          (tag and qt in ('struct ' + tag, 'union ' + tag)))
                if inline:
                    out += record_fields(last, path + '.')
    return out


def nested_named_records(rec):
    res = []
    for c in rec.get('inner', []):
        if c.get('kind') == 'RecordDecl':
            if c.get('name') and c.get('completeDefinition'):
                res.append(c)
            res += nested_named_records(c)
    return res


def decls(src, flags, roots):
    """Items declared in our roots, and the types of the probe variables.
    Returns (items, probe_types, probe_errors); items maps a key such as
    'SIZE struct start_info' to (header, line, def_line)."""
    proc = subprocess.run([clang(), '-fsyntax-only', '-ferror-limit=0',
                           '-Xclang', '-ast-dump=json'] + flags + [src],
                          capture_output=True, text=True)
    if not proc.stdout:
        sys.exit('clang failed on %s:\n%s' % (src, proc.stderr))
    errs = set()
    for m in re.finditer(re.escape(os.path.basename(src)) +
                         r':(\d+):\d+: error', proc.stderr):
        errs.add(int(m.group(1)))
    ast = json.loads(proc.stdout)
    tr = LocTracker()
    items, ptypes, anon = {}, {}, {}
    tops = ast.get('inner', [])
    placed = []
    for n in tops:
        f, line = tr.subtree(n) or (None, 0)
        placed.append((n, header_of(f, roots), line))
    # Anonymous records take the name of the typedef that owns them.
    for n, hdr, line in placed:
        if n.get('kind') == 'TypedefDecl':
            for c in n.get('inner', []):
                owned = c.get('ownedTagDecl')
                if owned:
                    anon[owned['id']] = n['name']
    for n, hdr, line in placed:
        kind, name = n.get('kind'), n.get('name')
        if kind == 'VarDecl' and name and name.startswith(PROBE):
            ptypes[int(name[len(PROBE):])] = n['type']['qualType']
            continue
        if not hdr:
            continue

        def add(key, flex=False):
            items.setdefault(key, (hdr, line, flex))
        if kind == 'RecordDecl' and n.get('completeDefinition'):
            tname = ('%s %s' % (n['tagUsed'], name)) if name \
                else anon.get(n['id'])
            if not tname:
                continue
            add('SIZE ' + tname)
            for path, flex in record_fields(n, ''):
                add('%s %s, %s' % ('FLEX' if flex else 'OFFSET', tname, path))
            for sub in nested_named_records(n):
                add('SIZE %s %s' % (sub['tagUsed'], sub['name']))
        elif kind == 'TypedefDecl':
            add('SIZE ' + name)
        elif kind == 'EnumDecl':
            if name:
                add('SIZE enum ' + name)
            for c in n.get('inner', []):
                if c.get('kind') == 'EnumConstantDecl':
                    add('CONST ' + c['name'])
    return items, ptypes, errs


def collect(side, view, headers, abi_dir, xen_inc, tmp):
    """All items one tree defines in one view, keyed as in the .def, plus
    the set of every name it defines (for the naming rule)."""
    roots = [abi_dir] if side == 'ours' else [xen_inc]
    flags = cflags(side, view, abi_dir, xen_inc)
    base = os.path.join(tmp, '%s_%s.c' % (side, view))
    with open(base, 'w') as f:
        f.write(tu_text(headers))
    mac = macros(base, flags, roots)
    cands = sorted(n for n, (h, l, fn, body) in mac.items()
                   if not fn and body)
    probe = os.path.join(tmp, '%s_%s_probe.c' % (side, view))
    text = tu_text(headers)
    first = text.count('\n') + 1
    lines = ['static __auto_type %s%d = (%s);' % (PROBE, i, n)
             for i, n in enumerate(cands)]
    with open(probe, 'w') as f:
        f.write(text + '\n'.join(lines) + '\n')
    items, ptypes, errs = decls(probe, flags, roots)
    for i, n in enumerate(cands):
        if first + i in errs or i not in ptypes:
            continue                        # not an expression (alias ...)
        t = ptypes[i]
        hdr, line = mac[n][0], mac[n][1]
        if re.fullmatch(r'(const )?char \*', t):
            items.setdefault('STRING ' + n, (hdr, line, False))
        elif '*' not in t and '[' not in t and 'struct' not in t:
            items.setdefault('CONST ' + n, (hdr, line, False))
    names = set(mac)
    for k in items:
        names.add(k)
        if k.startswith(('CONST ', 'STRING ')):
            names.add(k.split(' ', 1)[1])
    # Guest handle typedefs are not items, but their names must match.
    return items, names


def item_line(key):
    kind, rest = key.split(' ', 1)
    return '%s(%s)' % (kind, rest)


def naming_problems(got):
    """Names our tree defines that Xen's does not, without the prefix."""
    problems = []
    xen_names = got['xen', 'guest'][1] | got['xen', 'xen'][1]
    for view in VIEWS:
        extra = got['ours', view][1] - xen_names
        for n in sorted(extra):
            if n.startswith(('CONST ', 'STRING ')) and \
                    n.split(' ', 1)[1] in extra:
                continue                    # reported by its bare name
            if not ours_only_allowed(n):
                problems.append('%s view: "%s" is not a Xen name '
                                '(spell it as Xen does, or prefix it pvisor_)'
                                % (view, n))
    return problems


def split_views(got):
    """(items in both views, {view: items in that view only}), each item
    defined by both trees in that view."""
    common = {}
    for view in VIEWS:
        o, x = got['ours', view][0], got['xen', view][0]
        common[view] = {k: o[k] for k in o
                        if k in x and '__guest_handle_' not in k}
    both = {k: v for k, v in common['guest'].items() if k in common['xen']}
    only = {view: {k: v for k, v in common[view].items() if k not in both}
            for view in VIEWS}
    return both, only


def render_def(headers, got, both, only):
    order = {h: i for i, h in enumerate(headers)}
    seq = {}                                # declaration order in our tree
    for view in VIEWS:
        for k in got['ours', view][0]:
            seq.setdefault(k, len(seq))

    def sort_key(kv):
        k, (hdr, line, _) = kv
        return (order.get(hdr, 99), line, seq[k])

    out = ['/* SPDX-License-Identifier: MIT */',
           '/*',
           ' * abi_items.def - every constant, type size and field offset that',
           ' * abi/ and Xen 4.17\'s public headers both define, per view.',
           ' * GENERATED by tests/abi/gen_abi_items.py: do not edit; rerun it.',
           ' * CONST(name) STRING(name) SIZE(type) OFFSET(type, field)',
           ' * FLEX(type, field): a flexible array member (offset only).',
           ' */']
    cur = None
    for k, (hdr, line, _) in sorted(both.items(), key=sort_key):
        if hdr != cur:
            out += ['', '/* %s */' % hdr]
            cur = hdr
        out.append(item_line(k))
    for view, guard in (('xen', '#ifdef __XEN__'), ('guest', '#else')):
        out += ['', guard,
                '/* Only in the %s view. */' %
                ('hypervisor\'s (__XEN__)' if view == 'xen' else 'guest')]
        for k, _ in sorted(only[view].items(), key=sort_key):
            out.append(item_line(k))
    out += ['#endif', '']
    return '\n'.join(out)


def render_headers(shared):
    text = ['/* SPDX-License-Identifier: MIT */',
            '/*',
            ' * abi_headers.h - the headers the conformance test compiles',
            ' * in both trees. GENERATED by tests/abi/gen_abi_items.py.',
            ' */']
    lines = []
    for h in shared:
        if h in XEN_TOOLS_ONLY:
            lines += ['#ifndef __XEN__   /* compared in the guest view only */',
                      '#include <%s>' % h, '#endif']
        else:
            lines.append('#include <%s>' % h)
    return '\n'.join(text + lines + [''])


def meson_problems(headers):
    """tests/abi/meson.build must compile every header standalone."""
    with open(MESON) as f:
        mtext = f.read()
    return ['%s is missing from abi_standalone_headers in %s'
            % (h, os.path.relpath(MESON, ROOT))
            for h in headers if "'%s'" % h not in mtext]


def generate(abi_dir, xen_inc):
    """Returns (abi_items.def text, abi_headers.h text, stats, problems)."""
    headers = list_headers(abi_dir)
    missing = [h for h in headers
               if not os.path.exists(os.path.join(xen_inc, h))]
    problems = ['%s has no counterpart in %s' % (h, xen_inc)
                for h in missing]
    shared = [h for h in headers if h not in missing]
    got = {}
    with tempfile.TemporaryDirectory() as tmp:
        for side in ('ours', 'xen'):
            for view in VIEWS:
                hs = headers if side == 'ours' else \
                    [h for h in shared
                     if view == 'guest' or h not in XEN_TOOLS_ONLY]
                got[side, view] = collect(side, view, hs, abi_dir, xen_inc,
                                          tmp)
    problems += naming_problems(got) + meson_problems(headers)
    both, only = split_views(got)
    xen_total = len(got['xen', 'guest'][0].keys() | got['xen', 'xen'][0].keys())
    stats = {'items': len(both) + len(only['xen']) + len(only['guest']),
             'both': len(both), 'xen_only': len(only['xen']),
             'guest_only': len(only['guest']), 'xen_total': xen_total}
    return (render_def(headers, got, both, only), render_headers(shared),
            stats, problems)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--abi', default=os.path.join(ROOT, 'abi'))
    ap.add_argument('--xen-include', default='/usr/include')
    ap.add_argument('--check', action='store_true',
                    help='compare with the committed files, write nothing')
    a = ap.parse_args()
    xen_inc = os.path.abspath(a.xen_include)
    abi_dir = os.path.abspath(a.abi)
    defs, hdrs, stats, problems = generate(abi_dir, xen_inc)
    print('abi items: %(items)d (%(both)d in both views, %(xen_only)d '
          'hypervisor-only, %(guest_only)d guest-only); Xen\'s headers '
          'define %(xen_total)d checkable items' % stats)
    status = 0
    for p in problems:
        print('error: ' + p, file=sys.stderr)
        status = 1
    if a.check:
        for path, text in ((DEF_OUT, defs), (HDR_OUT, hdrs)):
            try:
                with open(path) as f:
                    cur = f.read()
            except OSError:
                cur = None
            if cur != text:
                print('error: %s is stale: run %s' %
                      (os.path.relpath(path, ROOT),
                       os.path.relpath(__file__, ROOT)), file=sys.stderr)
                status = 1
    else:
        for path, text in ((DEF_OUT, defs), (HDR_OUT, hdrs)):
            with open(path, 'w') as f:
                f.write(text)
    return status


if __name__ == '__main__':
    sys.exit(main())
