#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""breakdown.py - where each benchmarked operation's instructions go.

Run by `./pvisor bench` (bench_breakdown) after the timed runs:

    python3 bench/breakdown.py BUILD_DIR OUT_DIR

It boots the benchmark images on pvisor under QEMU TCG with -icount
shift=0, stopped at its gdb stub, and has gdb (this same file, run inside
gdb: the second half below) stop at one call of each operation after its
warm-up, single-step it to its return and record the function of every
instruction, the inlined one where the compiler inlined it (QEMU steps
with interrupts and timers held, so nothing else is counted). Each
instruction is put in one part of the path (PARTS below); the sum is the
operation's figure less the 10 of the benchmark's rdtsc pair. It writes

    OUT_DIR/breakdown.tsv   op, "part" or "fn", name, instructions
    OUT_DIR/breakdown.md    a table of parts and the heaviest functions
                            per operation (bench/report.py puts it into
                            docs/performance.md)

Needs gdb; without it, or if a boot fails, it says so and writes what it
has (report.py then leaves the breakdown out).
"""
import os
import re
import sys

# Each operation: (benchmark name, function to stop in, calls to let pass
# first, items per call, calls traced). The image ones are bench/bench.c's
# op_* functions, called 50 times to warm up, then once per sample; the
# yield between two domains stops in spin.c's yield_timed(), one measured
# yield, and 20 in a row are traced (a yield hands the CPU over only to
# a vCPU of the same or a higher priority, so as the two domains' credit
# moves some yields switch and some do not, and the benchmark's figure
# is their mean); user getpid in guest-kernel/user/bench.c's op_getpid().
IMAGE_OPS = [
    ('null_hypercall', 'op_null', 52, 1, 1),
    ('mmu_update_1', 'op_mmu_update_1', 52, 1, 1),
    ('mmu_update_64', 'op_mmu_update_64', 52, 64, 1),
    ('update_va_mapping', 'op_update_va_mapping', 52, 1, 1),
    ('multicall_null_entry', 'op_multicall_null', 52, 32, 1),
    ('evtchn_send', 'op_evtchn_send', 52, 1, 1),
    ('sched_yield', 'op_sched_yield', 52, 1, 1),
    ('gnttab_map_unmap', 'op_gnttab_map_unmap', 52, 1, 1),
    ('gnttab_copy_4k', 'op_gnttab_copy_4k', 52, 1, 1),
]
DOMAIN_OPS = [('sched_yield_2dom', 'yield_timed', 200, 1, 20)]
USER_OPS = [('user_getpid', 'op_getpid', 100, 1, 1)]

# The parts of a path, by function (the first pattern that matches the
# innermost function, inlined or not); the rest of the hypervisor is the
# operation's handler. Names are the hypervisor's own (hypervisor/).
PARTS = [
    ('entry', r'^(syscall_entry|cstar_entry|idt_stubs|trap_common\w*|db_entry)$'),
    ('dispatch and accounting',
     r'^(hypercall_dispatch_fast|do_guest_hypercall|guest_syscall_slow|'
     r'hypercall_dispatch\w*|hypercall_call_sampled\w*|do_guest_syscall32)$'),
    ('event check',
     r'^(hypercall_exit_check|exit_work_pending|exit_to_guest|sched_resched_pending|'
     r'pv_deliver_events|debugreg_deliver_pending|deliver_nmi|do_guest_hypercall_exit)$'),
    ('exit', r'^(hypercall_exit_fast|ret_to_guest|iret_to_guest_fault|start_guest_frame)$'),
    ('scheduler and timers',
     r'^(schedule|pick_next|rq_\w+|burn_credit|vcpu_prio|vcpu_may_run|vcpu_runnable|'
     r'dom0_running|domain_by_id|in_slice|this_sched|sched_\w+|reap_if_dead|'
     r'set_timer|stop_timer|timer_\w+|arch_timer_program|apic_write)$'),
    ('context switch',
     r'^(arch_context_save|arch_vcpu_enter|load_\w*selector|selector_nulled|fpu_\w+|'
     r'cpu_gdt_\w+|pv_ldt_\w+|cpu_load_ldt|switch_cr3|write_cr3|tlbflush_\w+|rdmsr|'
     r'wrmsr|vcpu_runstate_\w+|update_vcpu_system_time|vcpu_update_guest_areas|'
     r'vcpu_periodic_\w+|debugreg_switch_\w+|hw_dr7_value|clts|stts|version_\w+)$'),
    ('clock reads', r'^(NOW|scale_delta|rdtsc\w*)$'),
    ('bounce to the guest kernel, iret',
     r'^(create_bounce_frame|pv_bounce_syscall|do_iret|pv_toggle_guest_mode|bounce_rsp_ok|'
     r'sysret_selectors|pv_iopl_\w+|architectural_iopl|pv_iret_\w+|is_restart)$'),
    ('guest memory access',
     r'^(copy_from_guest|copy_to_guest|raw_copy_\w+|guest_range_ok|is_canonical_address)$'),
    ('common helpers', r'^(get_cpu_info|smp_processor_id|percpu_area|memcpy|memset)$'),
]
GUEST = 'guest (benchmark, wrappers, guest kernel)'
HANDLER = 'handler'


def part_of(fn, in_hv):
    if not in_hv:
        return GUEST
    for name, pat in PARTS:
        if re.match(pat, fn):
            return name
    return HANDLER


# ---- inside gdb ---------------------------------------------------------

def gdb_main():
    import gdb

    port = os.environ['BD_PORT']
    out = os.environ['BD_OUT']
    hv_lo, hv_hi = (int(x, 16) for x in os.environ['BD_HV_RANGE'].split('-'))
    limit = int(os.environ.get('BD_MAX', '60000'))
    ops = [o.split(':') for o in os.environ['BD_OPS'].split(',')]
    gdb.execute('set pagination off')
    gdb.execute('set confirm off')
    gdb.execute('target remote 127.0.0.1:' + port)
    names = {}

    def function_of(pc):
        if pc in names:
            return names[pc]
        b = gdb.block_for_pc(pc)
        fn = None
        while b is not None and fn is None:
            fn = b.function.name if b.function else None
            b = b.superblock
        if fn is None:
            sym = gdb.execute('info symbol %#x' % pc, to_string=True).split()
            fn = sym[0] if sym and sym[0] != 'No' else '?'
        names[pc] = fn
        return fn

    with open(out, 'w') as f:
        for name, func, skip, per, calls in ops:
            counts = {}
            n = 0
            for call in range(int(calls)):
                # '*func': its first instruction (a bare name would stop
                # after the prologue, where a loop may start, and the
                # return address is not at rsp).
                bp = gdb.Breakpoint('*' + func, type=gdb.BP_HARDWARE_BREAKPOINT,
                                    internal=True)
                bp.ignore_count = int(skip) if call == 0 else 0
                try:
                    gdb.execute('continue', to_string=True)
                except gdb.error as e:
                    f.write('%s\terror\t%s\t0\n' % (name, str(e).replace('\t', ' ')))
                    return
                bp.delete()
                rsp0 = int(gdb.parse_and_eval('$rsp'))
                ret = int(gdb.parse_and_eval('*(unsigned long *)$rsp'))
                pc = int(gdb.parse_and_eval('$pc'))
                while n < limit:
                    fn = function_of(pc)
                    key = (fn, hv_lo <= pc < hv_hi)
                    counts[key] = counts.get(key, 0) + 1
                    gdb.execute('stepi', to_string=True)
                    n += 1
                    pc = int(gdb.parse_and_eval('$pc'))
                    if pc == ret and int(gdb.parse_and_eval('$rsp')) > rsp0:
                        break
            f.write('%s\ttotal\t%s\t%d\n' % (name, 'complete' if n < limit else 'cut', n))
            f.write('%s\tper\t%s\t0\n' % (name, int(per) * int(calls)))
            for (fn, in_hv), c in counts.items():
                f.write('%s\tfn\t%s%s\t%d\n' % (name, fn, '' if in_hv else ' (guest)', c))
                f.write('%s\tpart\t%s\t%d\n' % (name, part_of(fn, in_hv), c))
            f.flush()
    gdb.execute('kill')


# ---- the driver -----------------------------------------------------------

def hv_range(elf):
    import subprocess
    lo = hi = None
    out = subprocess.run(['nm', elf], capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in ('__image_start', '__image_end', '_end'):
            v = int(parts[0], 16)
            if parts[2] == '__image_start':
                lo = v
            else:
                hi = max(hi or 0, v)
    return lo, hi


def trace(build, out_tsv, port, ops, initrd, append, symbol_files, timeout):
    import subprocess
    import time
    hv = os.path.join(build, 'hypervisor/pvisor.elf')
    lo, hi = hv_range(hv)
    if lo is None or hi is None:
        return 'no __image_start/__image_end in ' + hv
    qemu = subprocess.Popen(
        ['qemu-system-x86_64', '-m', '512', '-display', 'none', '-serial',
         'file:' + out_tsv + '.serial', '-no-reboot', '-monitor', 'none',
         '-accel', 'tcg', '-icount', 'shift=0',
         '-device', 'isa-debug-exit,iobase=0xf4,iosize=4',
         '-kernel', hv, '-append', 'loglvl=info debug_exit=0xf4 noreboot ' + append,
         '-initrd', initrd, '-gdb', 'tcp:127.0.0.1:%d' % port, '-S'],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    env = dict(os.environ, BD_PORT=str(port), BD_OUT=out_tsv,
               BD_HV_RANGE='%x-%x' % (lo, hi),
               BD_OPS=','.join('%s:%s:%d:%d:%d' % o for o in ops))
    cmd = ['gdb', '-q', '-batch', '-nx', '-ex', 'file ' + hv]
    for s in symbol_files:
        cmd += ['-ex', 'add-symbol-file ' + s]
    cmd += ['-x', os.path.abspath(__file__)]
    why = None
    try:
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        if r.returncode:
            why = 'gdb exited %d: %s' % (r.returncode, r.stderr.strip()[-300:])
    except subprocess.TimeoutExpired:
        why = 'gdb did not finish in %d s' % timeout
    qemu.kill()
    qemu.wait()
    return why


def load(tsvs):
    ops = {}
    for path in tsvs:
        if not os.path.exists(path):
            continue
        for line in open(path):
            f = line.rstrip('\n').split('\t')
            if len(f) != 4:
                continue
            op, kind, name, n = f[0], f[1], f[2], int(f[3])
            o = ops.setdefault(op, {'part': {}, 'fn': {}, 'total': None, 'per': 1})
            if kind == 'total':
                o['total'] = (n, name)
            elif kind == 'per':
                o['per'] = int(name)
            elif kind in ('part', 'fn'):
                o[kind][name] = o[kind].get(name, 0) + n
    return ops


def markdown(ops, order):
    lines = []
    part_order = [GUEST] + [p for p, _ in PARTS] + [HANDLER]
    for op in order:
        o = ops.get(op)
        if not o or not o['total']:
            continue
        total, how = o['total']
        per = o['per']
        head = '**`%s`**: %d instructions traced' % (op, total)
        if per > 1:
            head += ' for %d items, %.0f per item' % (per, total / per)
        if how != 'complete':
            head += ' (cut short: the step limit was reached)'
        lines += [head + '.', '', '| part | instructions | share |', '|---|---|---|']
        for p in part_order:
            if p in o['part']:
                n = o['part'][p]
                lines.append('| %s | %d | %.0f%% |' % (p, n, 100.0 * n / total))
        top = sorted(o['fn'].items(), key=lambda kv: -kv[1])[:10]
        lines += ['', 'Heaviest functions: ' +
                  ', '.join('`%s` %d' % (fn, n) for fn, n in top) + '.', '']
    return '\n'.join(lines)


def main():
    import shutil
    if len(sys.argv) != 3:
        sys.exit('usage: breakdown.py BUILD_DIR OUT_DIR')
    build, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    if not shutil.which('gdb'):
        print('bench (breakdown): no gdb, skipped')
        return 0
    test_elf = os.path.join(build, 'guest-kernel/pvkernel-test.elf')
    guest = os.path.join(build, 'guest-kernel/pvkernel.elf')
    user = os.path.join(build, 'guest-kernel/user/bench')
    initramfs = os.path.join(build, 'guest-kernel/user/initramfs.cpio')
    port = 20000 + os.getpid() % 20000
    runs = [
        ('image', IMAGE_OPS, test_elf + ' noselftest bench=n=3', 'dom0_mem=256M',
         [test_elf], 900),
        ('domains', DOMAIN_OPS,
         '%s noselftest wait_domus,%s noselftest yieldloop=2000,%s noselftest yieldloop=2000'
         % (guest, guest, guest), 'domus=2', [guest], 600),
        ('user', USER_OPS, '%s noselftest init=/bin/bench,%s' % (guest, initramfs),
         'dom0_mem=256M', [guest, user], 600),
    ]
    tsvs = []
    for name, ops, initrd, append, syms, timeout in runs:
        if not all(os.path.exists(s) for s in syms):
            print('bench (breakdown): %s skipped, no %s' % (name, ' or '.join(syms)))
            continue
        tsv = os.path.join(out, 'breakdown-%s.tsv' % name)
        print('bench (breakdown): %s, single-stepped under gdb' % name)
        why = trace(build, tsv, port, ops, initrd, append, syms, timeout)
        port += 1
        if why:
            print('bench (breakdown): %s: %s' % (name, why))
        tsvs.append(tsv)
    ops = load(tsvs)
    with open(os.path.join(out, 'breakdown.tsv'), 'w') as f:
        for op, o in ops.items():
            if o['total']:
                f.write('%s\ttotal\t%s\t%d\n' % (op, o['total'][1], o['total'][0]))
            for kind in ('part', 'fn'):
                for name, n in o[kind].items():
                    f.write('%s\t%s\t%s\t%d\n' % (op, kind, name, n))
    order = [o[0] for o in IMAGE_OPS + DOMAIN_OPS + USER_OPS]
    with open(os.path.join(out, 'breakdown.md'), 'w') as f:
        f.write(markdown(ops, order))
    missing = [op for op in order if op not in ops or not ops[op]['total']]
    if missing:
        print('bench (breakdown): no trace of ' + ', '.join(missing))
    return 0


try:
    import gdb  # noqa: F401  (present only when gdb runs this file)
    gdb_main()
except ImportError:
    if __name__ == '__main__':
        sys.exit(main())
