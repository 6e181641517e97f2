#!/usr/bin/env python3
"""Run every config under cfg/good and cfg/bad through `pvctl-host check`.

Each .cfg file carries its expectations as comments:
  # args: KEY=VALUE ...      command-line overrides (split on spaces)
  # expect-out: LINE         a line stdout must hold (the parsed domain)
  # expect-err: LINE         a message stderr must hold; for bad/ files the
                             errors must be exactly these, for good/ files
                             the warnings must be exactly these
good/ files must exit 0 and end with "FILE: OK (N warnings)"; bad/ files
must exit 1 and end with "FILE: N errors: nothing created".
Usage: check_cfg.py PVCTL-HOST CFG-DIR
"""
import os
import subprocess
import sys


def run(pvctl, path, good):
    name = os.path.basename(path)
    args, outs, errs = [], [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('# args: '):
                args += line[len('# args: '):].split()
            elif line.startswith('# expect-out: '):
                outs.append(line[len('# expect-out: '):].rstrip('\n'))
            elif line.startswith('# expect-err: '):
                errs.append(line[len('# expect-err: '):].rstrip('\n'))
    r = subprocess.run([pvctl, 'check', name] + args, cwd=os.path.dirname(path),
                       capture_output=True, text=True, timeout=30)
    problems = []
    out = r.stdout.splitlines()
    # pvctl's own note about a kernel path that is not on this machine
    err = [l for l in r.stderr.splitlines() if 'is not readable here' not in l]
    if r.returncode != (0 if good else 1):
        problems.append('exit status %d' % r.returncode)
    for want in outs:
        if want not in out:
            problems.append('stdout lacks: ' + want)
    if good:
        diags = err
        if not out or not out[-1].startswith(name + ': OK ('):
            problems.append('stdout does not end with "%s: OK (...)"' % name)
    else:
        diags = err[:-1]
        if not err or not err[-1].endswith('nothing created'):
            problems.append('stderr does not end with "nothing created"')
    if diags != errs:
        problems.append('messages differ:\n    want: %s\n    got:  %s'
                        % ('\n          '.join(errs), '\n          '.join(diags)))
    for p in problems:
        print('FAIL %s: %s' % (path, p))
    if problems:
        print('  stdout:\n    ' + '\n    '.join(out))
        print('  stderr:\n    ' + '\n    '.join(r.stderr.splitlines()))
    else:
        print('ok   %s' % path)
    return not problems


def main():
    pvctl, cfgdir = sys.argv[1], sys.argv[2]
    ok = True
    count = 0
    for kind in ('good', 'bad'):
        d = os.path.join(cfgdir, kind)
        for f in sorted(os.listdir(d)):
            if f.endswith('.cfg'):
                count += 1
                ok &= run(pvctl, os.path.join(d, f), kind == 'good')
    print('%d configs, %s' % (count, 'all as expected' if ok else 'FAILURES'))
    return 0 if ok and count else 1


if __name__ == '__main__':
    sys.exit(main())
