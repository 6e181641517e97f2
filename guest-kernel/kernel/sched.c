/* SPDX-License-Identifier: MIT */
/*
 * sched.c - the scheduler: `current`, round robin over runnable processes
 *           with a time slice, the idle loop, the way back to user mode.
 * Owns:    the current process (in the per-CPU area, asm/percpu.h), the
 *          boot thread's context while processes run (the idle thread),
 *          need_resched, the slice timer.
 * Touches: arch_switch_to() (stack_switch, the L4 pair, the FS base),
 *          switch_context(), timer_arm() (include/time.h: VIRQ_TIMER),
 *          pv_ops.safe_halt / irq_disable (SCHEDOP_block while idle).
 *
 * Preemption: the slice timer (SCHED_SLICE_NS after a process is given
 * the CPU) only sets need_resched; the switch happens on the way back to
 * user mode (sched_user_return(), from the syscall path and from entry.S
 * after an upcall that interrupted user mode, which then delivers signals:
 * kernel/signal.c), never in the middle of
 * kernel code.  The kernel runs with events masked, so the only upcalls
 * that interrupt it are the ones it waits for in the idle loop.  Round
 * robin: the next runnable slot after the current one's.
 *
 * Processes run on vCPU 0 only (the kernel's other vCPUs are started by
 * the smp self-test alone).
 */
#include <kernel.h>
#include <proc.h>
#include <signal.h>
#include <time.h>
#include <asm/percpu.h>
#include <asm/pvops.h>

static struct kcontext idle_ctx;
bool need_resched;
static struct timer slice_timer;
unsigned long sched_switches;

struct process *proc_current(void)
{
    return this_percpu()->current;
}

void proc_set_current(struct process *p)
{
    this_percpu()->current = p;
}

static void slice_end(struct timer *t, void *arg)
{
    (void)t;
    (void)arg;
    need_resched = true;
}

static void slice_start(void)
{
    need_resched = false;
    timer_arm(&slice_timer, clock_ns() + SCHED_SLICE_NS, slice_end, NULL);
}

/* The first runnable process after `from` in slot order (from itself last);
 * NULL if none.  A walk of the slots in use: O(processes), no run queue
 * (a few hundred pointers at most, each switch). */
static struct process *pick_next(const struct process *from)
{
    unsigned int i, end = proc_slots_end(), start = from ? from->slot + 1 : 0;

    for (i = 0; i < end; i++) {
        struct process *p = proc_slot((start + i) % end);

        if (p && p->state == PROC_RUNNABLE)
            return p;
    }
    return NULL;
}

void proc_make_runnable(struct process *p)
{
    p->state = PROC_RUNNABLE;
    if (!proc_current())
        need_resched = true;    /* the idle loop looks again */
}

void schedule(void)
{
    struct process *prev = proc_current(), *next = pick_next(prev);

    if (next == prev) {
        slice_start();
        return;
    }
    sched_switches++;
    arch_fpu_save(prev);
    if (!next) {
        /* Nothing else to run: the idle loop waits for a wake-up. */
        proc_set_current(NULL);
        switch_context(&prev->kctx, &idle_ctx);
    } else {
        proc_set_current(next);
        slice_start();
        arch_switch_to(&prev->kctx, next);
    }
    /* prev runs again: whoever switched here set it current. */
}

void sched_yield_now(void)
{
    schedule();
}

void sched_user_return(void)
{
    struct process *p = proc_current();

    for (;;) {
        if (p->killed)
            proc_exit(p->killed & 0x7f);
        if (!need_resched)
            return;
        schedule();
    }
}

/* entry.S, after an upcall: preempt only what was in user mode, then
 * deliver its signals (a timer's SIGALRM, a kill from another process
 * while it was preempted); the upcall always returns with a full iret. */
void sched_upcall_return(struct trap_frame *f)
{
    struct process *p = proc_current();

    if (p && (f->cs & SELECTOR_RPL_MASK) == 3) {
        sched_user_return();
        if (p->sigpending & ~p->sigmask)
            signal_user_return(f, -1);
    }
}

void sched_exit_to_idle(void)
{
    struct process *prev = proc_current();

    proc_set_current(NULL);
    switch_context(&prev->kctx, &idle_ctx);
    panic("a process that went idle for good ran again");
}

void sched_idle_loop(bool (*done)(void *), void *arg)
{
    while (!done(arg)) {
        struct process *next = pick_next(NULL);

        need_resched = false;
        if (next) {
            sched_switches++;
            proc_set_current(next);
            slice_start();
            arch_switch_to(&idle_ctx, next);
            continue;
        }
        /* Events masked: a wake-up pending now makes safe_halt return at
         * once (SCHEDOP_block unmasks and sleeps atomically). */
        pv_ops.safe_halt();
        pv_ops.irq_disable();
    }
    timer_cancel(&slice_timer);
    if (uspace_activate(NULL))
        panic("back to the kernel's own page tables failed");
    pv_ops.set_segment_base(SEGBASE_KIND_FS, 0);
}
