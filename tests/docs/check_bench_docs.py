#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_bench_docs.py - `./pvisor bench` can rewrite the documents it owns.

Owns:    the checks that README.md and docs/performance.md carry the
         generated blocks bench/report.py fills (<!-- bench:headline -->,
         and docs/performance.md's <!-- bench:breakdown -->), and that
         report.py, run on a made-up bench directory (one pvisor run and
         one Xen run of the bench image, a breakdown), fills them in a
         copy of those files: the figures of the run in the right rows,
         "met" only where the figure is at or below the target, the text
         around the blocks unchanged; that BENCH_DOCS=0 leaves the copy
         alone; and that bench/breakdown.py puts instructions in the parts
         its PARTS name (guest code in the guest's part).
Touches: a temporary directory only.

Usage: check_bench_docs.py SOURCE_ROOT. Exit 0 when all hold, 1 with a
line per failure.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)


def image_log(figures):
    return ''.join('bench: %s median %d min %d n 1000 unit instructions\n' % (n, m, m)
                   for n, m in figures.items()) + 'bench: done\n'


def main():
    root = sys.argv[1]
    for rel, tags in (('README.md', ['headline']),
                      ('docs/performance.md', ['headline', 'breakdown', 'batch'])):
        text = open(os.path.join(root, rel)).read()
        for tag in tags:
            check('<!-- bench:%s -->' % tag in text and '<!-- /bench:%s -->' % tag in text,
                  '%s: no generated block %s' % (rel, tag))

    tmp = tempfile.mkdtemp(prefix='bench-docs-')
    try:
        bench, copy = os.path.join(tmp, 'bench'), os.path.join(tmp, 'root')
        os.makedirs(bench)
        os.makedirs(os.path.join(copy, 'docs', 'img'))
        before = ('# t\n\nabove\n\n<!-- bench:headline -->\nstale\n<!-- /bench:headline -->\n\n'
                  'between\n\n<!-- bench:breakdown -->\nstale\n<!-- /bench:breakdown -->\n\nbelow\n')
        for rel in ('README.md', 'docs/performance.md'):
            with open(os.path.join(copy, rel), 'w') as f:
                f.write(before)
        pv = {'null_hypercall': 60, 'mmu_update_1': 301, 'evtchn_send': 100}
        xen = {'null_hypercall': 351, 'mmu_update_1': 1190, 'evtchn_send': 513}
        runs = []
        for hv, setting, figs in (('pvisor', 'default', pv), ('xen-4.17', 'default', xen)):
            log = os.path.join(bench, '%s.log' % hv)
            with open(log, 'w') as f:
                f.write(image_log(figs))
            runs.append('\t'.join(['image', hv, setting, 'tcg-icount', 'qemu64', log]))
        with open(os.path.join(bench, 'runs.tsv'), 'w') as f:
            f.write('\n'.join(runs) + '\n')
        with open(os.path.join(bench, 'breakdown.md'), 'w') as f:
            f.write('**`null_hypercall`**: 50 instructions traced.\n')
        report = os.path.join(root, 'bench', 'report.py')

        env = dict(os.environ, BENCH_DOCS='0')
        subprocess.run([sys.executable, report, bench, copy], env=env,
                       capture_output=True, text=True)
        check(open(os.path.join(copy, 'README.md')).read() == before,
              'BENCH_DOCS=0: README.md changed')

        r = subprocess.run([sys.executable, report, bench, copy],
                           capture_output=True, text=True)
        check(r.returncode == 0, 'report.py exited %d: %s' % (r.returncode, r.stderr[-300:]))
        doc = open(os.path.join(copy, 'docs/performance.md')).read()
        readme = open(os.path.join(copy, 'README.md')).read()
        check('stale' not in readme.split('<!-- bench:breakdown -->')[0],
              'README.md: the headline block was not rewritten')
        for word in ('above', 'between', 'below'):
            check(word in doc, 'docs/performance.md: "%s" around the blocks was lost' % word)
        rows = {line.split('|')[1].strip(): [c.strip() for c in line.split('|')[2:-1]]
                for line in doc.splitlines() if line.startswith('| ') and '---' not in line}
        null = rows.get('null hypercall (`xen_version`)')
        check(null == ['60', '64', 'yes', '351', '—'], 'null row: %s' % null)
        mmu = rows.get('`mmu_update`, one PTE')
        check(mmu == ['301', '300', 'no', '1,190', '—'], 'mmu_update row: %s' % mmu)
        ev = rows.get('`EVTCHNOP_send`, no receiver running')
        check(ev and ev[2] == 'yes', 'a figure equal to its target is met: %s' % ev)
        getpid = rows.get('user `getpid` round trip')
        check(getpid and getpid[1] == '180 (3 x null)', 'getpid target: %s' % getpid)
        check('50 instructions traced' in doc, 'the breakdown block was not filled')

        spec = importlib.util.spec_from_file_location(
            'breakdown', os.path.join(root, 'bench', 'breakdown.py'))
        bd = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bd)
        check(bd.part_of('syscall_entry', True) == 'entry', 'syscall_entry: entry')
        check(bd.part_of('hypercall_exit_fast', True) == 'exit', 'hypercall_exit_fast: exit')
        check(bd.part_of('syscall_entry', False) == bd.GUEST, 'guest code is the guest\'s')
        check(bd.part_of('do_mmu_update', True) == bd.HANDLER, 'do_mmu_update: handler')
        check(bd.part_of('schedule', True).startswith('scheduler'), 'schedule: scheduler')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in FAILS:
        print('check_bench_docs: ' + f)
    return 1 if FAILS else 0


if __name__ == '__main__':
    sys.exit(main())
