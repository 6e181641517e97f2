#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""report.py - the benchmark suite's report: tables, results.csv, plots.

Owns:    reading the serial logs `./pvisor bench` left in BENCH_DIR (listed,
         one run a line, in BENCH_DIR/runs.tsv), the tables it prints, the
         CSV and the plots (gnuplot, PNG and SVG, in BENCH_DIR/plots/).
Touches: BENCH_DIR; and, unless BENCH_DOCS=0 or a run failed, the
         generated blocks (<!-- bench:TAG --> ... <!-- /bench:TAG -->) of
         README.md and docs/performance.md (the headline table, the
         batch-size table and bench/breakdown.py's breakdown) and
         docs/img/bench-*.svg, so the
         documents show the figures of the last full run. It boots
         nothing: the `pvisor` script does.

runs.tsv, one line per QEMU run, tab-separated:
    KIND  HYPERVISOR  SETTING  ACCEL  CPU  LOG
KIND says how to read LOG: image (the bench image, `bench: NAME median M
min m n N unit U`), user (/bin/bench in pvkernel), native (callgrind's
figures, native-user.txt), pingpong, yield, share:W (two boot domUs,
pvisor), create (bench/create.sh). HYPERVISOR is pvisor, xen-4.17 or
native-user; SETTING says how it ran (for Xen, its speculation
mitigations: `default` or `spec-ctrl=no`); ACCEL is tcg-icount or kvm;
CPU the CPU model the figures were taken on.

Every CSV row is a figure that was measured: benchmark, hypervisor,
setting, accel, cpu, unit, median, min, samples, and the provenance of the
whole run (project commit, QEMU version, Xen build). A run that left no
figure, or a benchmark one hypervisor measured and another could not, is
named under the tables, and the exit status is 1 when a run gave nothing:
a benchmark that could not run never reports success.
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import textwrap

FIELDS = ('benchmark', 'hypervisor', 'setting', 'accel', 'cpu', 'unit',
          'median', 'min', 'samples', 'commit', 'qemu', 'xen_build')


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except OSError:
        return ''


# ---- one parser per kind: a list of (benchmark, unit, median, min, n) ----

IMAGE_LINE = re.compile(r'bench: (\S+) (?:median (\d+) min (\d+) n (\d+) unit (\S+)'
                        r'|unavailable \(rc (-?\d+)\))')


def parse_image(text, accel):
    figures, refused = [], {}
    for m in IMAGE_LINE.finditer(text):
        name = m.group(1)
        if m.group(2) is None:
            refused[name] = m.group(6)
            continue
        unit = m.group(5)
        if unit == 'tsc':       # /bin/bench: TSC deltas; under icount, instructions
            unit = 'instructions' if accel == 'tcg-icount' else 'cycles'
        figures.append((name, unit, int(m.group(2)), int(m.group(3)), int(m.group(4))))
    return figures, refused


def parse_native(text, accel):
    out = []
    for line in text.splitlines():
        f = line.split()
        if len(f) == 3:
            out.append((f[0], 'user instructions', int(f[1]), int(f[1]), int(f[2])))
    return out, {}


def parse_pingpong(text, accel):
    m = re.search(r'\(d\d+\) pingpong: (\d+) round trips, (\d+) tsc per round trip', text)
    return ([('evtchn_round_trip_2dom', 'instructions', int(m.group(2)), int(m.group(2)),
              int(m.group(1)))] if m else []), {}


def parse_yield(text, accel):
    # Each loop iteration is a round: a yield, a switch, the other's
    # yield, a switch back. The domain that finishes second also measured
    # the first one's teardown, so the smaller figure is the clean one.
    y = [(int(n), int(t)) for n, t in
         re.findall(r'\(d\d+\) yieldloop: (\d+) yields, (\d+) tsc per yield', text)]
    if not y:
        return [], {}
    n, rnd = min(y, key=lambda v: v[1])
    return [('sched_yield_2dom', 'instructions', rnd // 2, rnd // 2, n)], {}


def parse_share(weight):
    def parse(text, accel):
        s = dict(re.findall(r'\(d(\d+)\) spin: (\d+) iterations in \d+ ms', text))
        if '1' not in s or '2' not in s or not int(s['1']):
            return [], {}
        ratio = int(s['2']) / int(s['1'])
        return [('cpu_share_1:%g' % (weight / 256), 'ratio', round(ratio, 3),
                 round(ratio, 3), int(s['1']) + int(s['2']))], {}
    return parse


CREATE_PHASES = ('read', 'build', 'store', 'console', 'unpause', 'total',
                 'to_entry', 'to_console')


def parse_create(text, accel):
    rows = {}
    for m in re.finditer(r'createbench: (\d+) \d+ ((?:-?\d+ ){7}-?\d+)', text):
        rows.setdefault(int(m.group(1)), []).append([int(v) for v in m.group(2).split()])
    out = []
    xen = 'Xen version' in text
    for r, samples in sorted(rows.items()):
        for k, p in enumerate(CREATE_PHASES):
            if p.startswith('to_') and xen:
                continue        # a Xen domU reads a TSC of its own
            s = sorted(x[k] for x in samples)
            out.append(('create_%s_r%d' % (p, r), 'instructions', s[len(s) // 2], s[0], len(s)))
    failed = len(re.findall(r'createbench: \d+ \d+ failed', text))
    return out, ({'create (%d creates failed)' % failed: 'failed'} if failed else {})


def parse_domain_state(text):
    """What one domain and one vCPU cost the hypervisor (pvisor's log)."""
    m = re.search(r'd0 created \(privileged\): state (\d+) bytes \(slot\) \+ (\d+) frames; '
                  r'(\d+) bytes \((\d+) frames\) per vCPU', text)
    if not m:
        return []
    slot, frames, vcpu, vframes = (int(v) for v in m.groups())
    return [('state_per_domain', 'bytes', slot + frames * 4096, slot + frames * 4096, 1),
            ('state_per_vcpu', 'bytes', vframes * 4096, vcpu, 1)]


PARSERS = {'image': parse_image, 'user': parse_image, 'native': parse_native,
           'pingpong': parse_pingpong, 'yield': parse_yield, 'create': parse_create}


def parser_for(kind):
    if kind.startswith('share:'):
        return parse_share(int(kind.split(':')[1]))
    return PARSERS.get(kind)


# ---- provenance ----

def provenance(root, logs_dir, logs):
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=root,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ''
    # the commit the runs were made from, recorded by ./pvisor bench as it
    # starts; else (a report made again later) the tree's now
    commit = read(os.path.join(logs_dir, 'commit')).strip()
    if not commit:
        commit = run(['git', 'rev-parse', '--short=12', 'HEAD']) or 'unknown'
        if run(['git', 'status', '--porcelain', '--untracked-files=no']):
            commit += '-dirty'
    qemu = run(['qemu-system-x86_64', '--version']).splitlines()
    qemu = qemu[0].replace('QEMU emulator version ', '') if qemu else 'unknown'
    xen = ''
    for text in logs:
        m = re.search(r'Xen version (\S+ \([^)]*\))', text)
        if m:
            xen = m.group(1)
            break
    return commit, qemu, xen or 'n/a'


def xen_mitigations(text):
    m = re.search(r'Xen settings: ([^\r\n]*)', text)
    return m.group(1).strip() if m else ''


# ---- tables ----

def fmt(v):
    return '{:,}'.format(v) if isinstance(v, int) else str(v)


def table(title, columns, rows, figures, width=22):
    """rows: benchmark names; columns: (heading, key); figures[key][name]."""
    print('\n' + title)
    print('%-26s' % 'benchmark' + ''.join(' %*s' % (width, h) for h, _ in columns))
    for name in rows:
        cells = []
        for _, key in columns:
            f = figures.get(key, {}).get(name)
            cells.append('%s / %s' % (fmt(f[2]), fmt(f[3])) if isinstance(f, tuple)
                         else (f or '-'))
        print('%-26s' % name + ''.join(' %*s' % (width, c) for c in cells))


# ---- plots ----

def plot(plots, name, gp_body, data):
    """One figure, PNG and SVG, from gnuplot commands and inline data."""
    if not shutil.which('gnuplot'):
        return False
    os.makedirs(plots, exist_ok=True)
    dat = os.path.join(plots, name + '.dat')
    with open(dat, 'w') as f:
        f.write(data)
    ok = True
    for term, ext in (("pngcairo size 960,540 font 'sans,10'", 'png'),
                      ("svg size 960,540 font 'sans,10'", 'svg')):
        script = "set terminal %s noenhanced\nset output '%s'\n%s\n" % (
            term, os.path.join(plots, '%s.%s' % (name, ext)), gp_body.replace('DATA', dat))
        r = subprocess.run(['gnuplot'], input=script, capture_output=True, text=True)
        if r.returncode:
            print('plot %s: gnuplot: %s' % (name, r.stderr.strip()[:300]))
            ok = False
    return ok


def series(figs, prefix):
    """{N: median} of the benchmarks named PREFIX + N."""
    out = {}
    for name, f in figs.items():
        m = re.fullmatch(re.escape(prefix) + r'(\d+)', name)
        if m and isinstance(f, tuple):
            out[int(m.group(1))] = f[2]
    return out


PLOTS = ('operations', 'pte_batch', 'multicall_entries', 'events', 'cpu_share',
         'create_levels')


def make_plots(plots, by_key, hv_keys, accel='tcg-icount'):
    made = []
    keys = [k for k in hv_keys if k[2] == accel]
    # 1. per-operation bars: the bench image's operations, every hypervisor.
    names = []
    for k in keys:
        for n, f in by_key[k].items():
            # the operations of the bench image, the interdomain ones and
            # the user getpid/pipe; not the batch series (plots of their
            # own) nor fork and exec (four orders of magnitude above)
            if isinstance(f, tuple) and f[1] == 'instructions' and n not in names \
                    and not re.search(r'_b\d+$|_n\d+$|^user_(fork|rdtsc)|^create_', n):
                names.append(n)
    if names and keys:
        rows = []
        for n in names:
            rows.append('"%s" ' % n + ' '.join(
                str(by_key[k][n][2]) if isinstance(by_key[k].get(n), tuple)
                else 'NaN' for k in keys))
        cols = ' , '.join("'DATA' using %d:xtic(1) title '%s'" % (i + 2, label(k))
                          for i, k in enumerate(keys))
        if plot(plots, 'operations', """set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel 'instructions per operation (log scale)'
set xtics rotate by -35 scale 0
set rmargin 10
set key top left
set grid ytics
set title 'Per-operation cost, TCG -icount shift=0 (instructions, medians)'
plot %s""" % cols, '\n'.join(rows) + '\n'):
            made.append('operations')
    # 2. per PTE against the batch size; 3. per multicall entry against entries.
    for name, prefix, xl, title in (
            ('pte_batch', 'mmu_update_b', 'PTEs in one mmu_update',
             'mmu_update: instructions per PTE against the batch size'),
            ('multicall_entries', 'multicall_n', 'entries in one multicall',
             'multicall of update_va_mapping: instructions per entry')):
        lines, data = [], []
        for i, k in enumerate(keys):
            s = series(by_key[k], prefix)
            if not s:
                continue
            data.append('# %s\n' % label(k) + ''.join('%d %d\n' % (x, s[x]) for x in sorted(s)))
            lines.append("'DATA' index %d using 1:2 with linespoints title '%s'"
                         % (len(data) - 1, label(k)))
        if lines and plot(plots, name, """set logscale x 2
set xlabel '%s'
set ylabel 'instructions per item'
set grid
set key top right
set title '%s'
plot %s""" % (xl, title, ', '.join(lines)), '\n\n'.join(data)):
            made.append(name)
    # 4. events: a send, and the interdomain round trip.
    ev = []
    for k in keys:
        for n in ('evtchn_send', 'evtchn_send_pending', 'evtchn_round_trip_2dom'):
            f = by_key[k].get(n)
            if isinstance(f, tuple):
                ev.append('"%s\\n%s" %d' % (label(k), n, f[2]))
    if ev and plot(plots, 'events', """set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set logscale y
set ylabel 'instructions (log scale)'
set xtics rotate by -30 scale 0 font ',8'
set grid ytics
set key off
set title 'Event channels: a send, and a round trip between two domains'
plot 'DATA' using 2:xtic(1)""", '\n'.join(ev) + '\n'):
        made.append('events')
    # 5. CPU share against the weight ratio.
    pts = []
    for k in keys:
        for n, f in by_key[k].items():
            m = re.fullmatch(r'cpu_share_1:([\d.]+)', n)
            if m and isinstance(f, tuple):
                pts.append((float(m.group(1)), f[2]))
    if pts and plot(plots, 'cpu_share', """set xlabel 'weight ratio (d2 : d1)'
set ylabel 'CPU share ratio (d2 iterations / d1 iterations)'
set xrange [0:5]
set yrange [0:5]
set grid
set key top left
set title 'Credit scheduler: CPU share against weight (two spinning domains)'
plot 'DATA' using 1:2 with points pt 7 ps 1.5 title 'pvisor', x with lines dt 2 title 'ideal'""",
                        ''.join('%g %g\n' % p for p in sorted(pts))):
        made.append('cpu_share')
    # 6. pvctl create against the number of running domains.
    lines, data = [], []
    for k in keys:
        for phase in ('total', 'build'):
            s = series(by_key[k], 'create_%s_r' % phase)
            if not s:
                continue
            data.append('# %s %s\n' % (label(k), phase) +
                        ''.join('%d %d\n' % (x, s[x]) for x in sorted(s)))
            lines.append("'DATA' index %d using 1:($2/1e6) with linespoints title '%s, %s'"
                         % (len(data) - 1, label(k), phase))
    if lines and plot(plots, 'create_levels', """set xlabel 'domains running (dom0 included)'
set ylabel 'million instructions'
set logscale x
set grid
set key top left
set title 'pvctl create (a tiny guest): total and build phase, medians'
plot %s""" % ', '.join(lines), '\n\n'.join(data)):
        made.append('create_levels')
    return made


# Issue 12's targets (instructions, icount), in the order of the headline
# table; None: the target is three null hypercalls.
TARGETS = [
    ('null_hypercall', 'null hypercall (`xen_version`)', 64),
    ('mmu_update_1', '`mmu_update`, one PTE', 300),
    ('mmu_update_64', '`mmu_update`, per PTE of 64', 150),
    ('update_va_mapping', '`update_va_mapping` + `UVMF_INVLPG`', 250),
    ('multicall_null_entry', 'multicall of 32 `xen_version`, per entry', 40),
    ('evtchn_send', '`EVTCHNOP_send`, no receiver running', 100),
    ('sched_yield_2dom', '`SCHEDOP_yield` between two domains', 400),
    ('user_getpid', 'user `getpid` round trip', None),
]
# More rows of the headline table, without a target.
OTHERS = [
    ('sched_yield', '`SCHEDOP_yield`, nothing else to run'),
    ('multicall_uvm_entry', 'multicall of 32 `update_va_mapping`, per entry'),
    ('gnttab_map_unmap', 'grant map + unmap (two hypercalls)'),
    ('gnttab_copy_4k', '`GNTTABOP_copy` of 4 KiB'),
]


def median_of(by_key, key, name):
    f = by_key.get(key, {}).get(name) if key else None
    return f[2] if isinstance(f, tuple) else None


def headline(by_key, hv_keys):
    """The headline table (markdown): pvisor, the target, Xen both ways."""
    def key(hv, setting):
        return next((k for k in hv_keys if k[0] == hv and k[1] == setting
                     and k[2] == 'tcg-icount'), None)
    pv, xd, xn = key('pvisor', 'default'), key('xen-4.17', 'default'), \
        key('xen-4.17', 'spec-ctrl=no')
    null = median_of(by_key, pv, 'null_hypercall')
    rows = ['| operation | pvisor | issue 12\'s target | met | Xen 4.17 | Xen, `spec-ctrl=no` |',
            '|---|---|---|---|---|---|']

    def cell(v):
        return '{:,}'.format(v) if v is not None else '—'
    for name, what, target in TARGETS + [(n, w, False) for n, w in OTHERS]:
        mine = median_of(by_key, pv, name)
        if target is None:
            target = 3 * null if null else None
            tcell = '%s (3 x null)' % cell(target)
        else:
            tcell = cell(target) if target is not False else ''
        met = '' if target is False or mine is None or target is None else \
            ('yes' if mine <= target else 'no')
        xen = [cell(median_of(by_key, k, name)) for k in (xd, xn)]
        if name == 'sched_yield_2dom':
            xen = ['(no boot-time domUs)', '']
        rows.append('| %s | %s | %s | %s | %s | %s |' % (
            what, cell(mine), tcell, met, xen[0], xen[1]))
    return '\n'.join(rows)


def batch_table(by_key, hv_keys):
    """Per item against the batch size: mmu_update_bN, multicall_nN."""
    def key(hv):
        return next((k for k in hv_keys if k[0] == hv and k[1] == 'default'
                     and k[2] == 'tcg-icount'), None)
    pv, xen = key('pvisor'), key('xen-4.17')
    sizes = [1 << i for i in range(10)]
    rows = ['| N | ' + ' | '.join(str(n) for n in sizes) + ' |',
            '|---' * (len(sizes) + 1) + '|']
    for prefix, what in (('mmu_update_b', '`mmu_update`, per PTE'),
                         ('multicall_n', 'multicall of `update_va_mapping`, per entry')):
        for k, who in ((pv, 'pvisor'), (xen, 'Xen 4.17')):
            vals = [median_of(by_key, k, '%s%d' % (prefix, n)) for n in sizes]
            if any(v is not None for v in vals):
                rows.append('| %s, %s | ' % (what, who) + ' | '.join(
                    '{:,}'.format(v) if v is not None else '—' for v in vals) + ' |')
    return '\n'.join(rows) if len(rows) > 2 else ''


def splice(path, tag, body):
    """Put body between <!-- bench:TAG --> and <!-- /bench:TAG --> in path."""
    text = read(path)
    begin, end = '<!-- bench:%s -->' % tag, '<!-- /bench:%s -->' % tag
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < i:
        return False
    new = text[:i + len(begin)] + '\n' + body.strip('\n') + '\n' + text[j:]
    if new != text:
        with open(path, 'w') as f:
            f.write(new)
    return True


def update_docs(root, bench_dir, by_key, hv_keys, commit, qemu, xen_build):
    """The figures of this run into the README and docs/performance.md,
    its breakdown (bench/breakdown.py) into the latter, its main plots
    into docs/img: the documents are this command's output."""
    made = []
    prov = ('From `./pvisor bench` at commit %s (QEMU %s, TCG `-icount shift=0`; '
            'Xen %s), instructions per operation (medians, exact and repeatable), '
            'pvisor\'s counters on, cycle sampling off:' % (commit, qemu, xen_build))
    table_md = textwrap.fill(prov, 74) + '\n\n' + headline(by_key, hv_keys)
    for rel in ('README.md', 'docs/performance.md'):
        if splice(os.path.join(root, rel), 'headline', table_md):
            made.append(rel)
    batch = batch_table(by_key, hv_keys)
    if batch and splice(os.path.join(root, 'docs/performance.md'), 'batch', batch):
        made.append('docs/performance.md (batch sizes)')
    bd = read(os.path.join(bench_dir, 'breakdown.md'))
    if bd.strip():
        note = textwrap.fill(
            'Traced by `bench/breakdown.py` in the same run (commit %s): one call '
            'of each operation single-stepped under QEMU\'s gdb stub, every '
            'instruction put in the part of the path its function belongs to '
            '(its PARTS). For the bench image\'s operations the benchmark\'s '
            'figure is the total (per item: divided by the items) plus the 10 '
            'instructions of its `rdtsc` pair; `sched_yield_2dom` is one measured '
            'yield to its return in the other domain; `user_getpid` the user\'s '
            'call to its return.' % commit, 74)
        if splice(os.path.join(root, 'docs/performance.md'), 'breakdown', note + '\n\n' + bd):
            made.append('docs/performance.md (breakdown)')
    for src, dst in (('operations', 'bench-operations'), ('pte_batch', 'bench-pte-batch')):
        svg = os.path.join(bench_dir, 'plots', src + '.svg')
        img = os.path.join(root, 'docs', 'img', dst + '.svg')
        if os.path.exists(svg) and os.path.isdir(os.path.dirname(img)):
            shutil.copyfile(svg, img)
            made.append('docs/img/%s.svg' % dst)
    return made


def label(k):
    hv, setting, _accel, _cpu = k
    if hv == 'pvisor':
        return 'pvisor'
    if hv.startswith('xen'):
        return 'Xen 4.17' + ('' if setting == 'default' else ' (%s)' % setting)
    return hv


def main():
    bench_dir = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else '.'
    runs = []
    for line in read(os.path.join(bench_dir, 'runs.tsv')).splitlines():
        f = line.split('\t')
        if len(f) == 6:
            runs.append(f)
    if not runs:
        print('bench: no runs listed in %s/runs.tsv' % bench_dir)
        return 1
    texts = {r[5]: read(r[5]) for r in runs}
    commit, qemu, xen_build = provenance(root, bench_dir, texts.values())
    by_key, hv_keys, empty, refused_all, csv_rows = {}, [], [], [], []
    mitig = {}
    for kind, hv, setting, accel, cpu, log in runs:
        parse = parser_for(kind)
        text = texts[log]
        figs, refused = parse(text, accel) if parse else ([], {})
        if kind == 'image' and hv == 'pvisor':
            figs = figs + parse_domain_state(text)
        if hv.startswith('xen') and xen_mitigations(text):
            mitig[(setting, accel)] = xen_mitigations(text)
        key = (hv, setting, accel, cpu)
        if key not in by_key:
            by_key[key] = {}
            hv_keys.append(key)
        for name, unit, med, mn, n in figs:
            by_key[key][name] = (name, unit, med, mn, n)
            csv_rows.append(dict(benchmark=name, hypervisor=hv, setting=setting, accel=accel,
                                 cpu=cpu, unit=unit, median=med, min=mn, samples=n,
                                 commit=commit, qemu=qemu,
                                 xen_build=xen_build if hv.startswith('xen') else 'n/a'))
        for name, rc in refused.items():
            by_key[key].setdefault(name, 'rc %s' % rc if rc != 'failed' else 'failed')
            refused_all.append('%s on %s (%s): %s' % (name, label(key), accel,
                                                       'refused, rc %s' % rc if rc != 'failed'
                                                       else 'failed'))
        if not figs:
            empty.append('%s %s (%s, %s): no figures in %s' % (kind, label(key), setting, accel, log))

    print('\nbench: commit %s, QEMU %s, Xen %s' % (commit, qemu, xen_build))
    for (setting, accel), m in sorted(mitig.items()):
        print('bench: Xen %s under %s: %s' % (setting, accel, m))
    print('bench: pvisor runs no speculative-execution mitigations (docs/decisions.md)')
    for accel in dict.fromkeys(k[2] for k in hv_keys):
        keys = [k for k in hv_keys if k[2] == accel and k[0] != 'native-user']
        cpu = keys[0][3] if keys else ''
        names = list(dict.fromkeys(n for k in keys for n in by_key[k]
                                   if not n.startswith('create_')))
        unit = 'instructions' if accel == 'tcg-icount' else 'cycles of %s' % cpu
        cols = [(label(k), k) for k in keys]
        native = [k for k in hv_keys if k[0] == 'native-user' and k[2] == accel]
        if native:
            cols.append(('native user', native[0]))
        if names:
            table('%s (%s; median / min)' % (accel, unit), cols, names, by_key)
        create = sorted({n for k in keys for n in by_key[k] if n.startswith('create_')},
                        key=lambda n: (int(n.rsplit('_r', 1)[1]),
                                       CREATE_PHASES.index(n[7:].rsplit('_r', 1)[0])))
        if create:
            table('pvctl create, %s (instructions from pvctl\'s start; median / min;'
                  ' rR = R domains running, dom0 included)' % accel,
                  [(label(k), k) for k in keys if any(n.startswith('create_') for n in by_key[k])],
                  create, by_key, width=28)

    out = os.path.join(bench_dir, 'results.csv')
    with open(out, 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(csv_rows)
    made = make_plots(os.path.join(bench_dir, 'plots'), by_key, hv_keys)
    print('\nbench: %d figures in %s' % (len(csv_rows), out))
    if made:
        print('bench: plots (PNG and SVG) in %s/plots/: %s' % (bench_dir, ', '.join(made)))
    if not shutil.which('gnuplot'):
        print('bench: no gnuplot: no plots')
    else:
        skipped = [p for p in PLOTS if p not in made]
        if skipped:
            print('bench: no figures for the plots %s' % ', '.join(skipped))
    if os.environ.get('BENCH_DOCS', '1') != '0' and not empty:
        made = update_docs(root, bench_dir, by_key, hv_keys, commit, qemu, xen_build)
        if made:
            print('bench: updated from this run (commit them with what they measure): %s'
                  % ', '.join(made))
    for r in refused_all:
        print('bench: not measured: %s' % r)
    for e in empty:
        print('bench: FAILED: %s' % e)
    return 1 if empty else 0


if __name__ == '__main__':
    sys.exit(main())
