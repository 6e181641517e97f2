/* SPDX-License-Identifier: MIT */
/*
 * syscall.c - the system-call table and its dispatch.
 * Owns:    syscall_table[] (built from SYSCALL_LIST, syscall.h), the call
 *          counters, the "logged once" set of unknown numbers.
 * Touches: the handlers (sys_*.c), the calling process's frame.
 *
 * The path of a system call (guest-kernel/README.md, "The syscall path"):
 * user `syscall` -> the hypervisor (ring 0) sees it came from guest user
 * mode, switches to the kernel L4 and the kernel stack and bounces to the
 * syscall callback -> entry.S saves the user registers in the process's
 * frame -> syscall_dispatch() -> the handler -> entry.S -> the iret
 * hypercall with VGCF_in_syscall -> the hypervisor returns to user mode
 * (the user L4) with sysret.  On the way out: the scheduler (a kill, the
 * end of the slice), then signals (a handler's frame, a restart; both
 * need the full iret).
 */
#include <kernel.h>
#include <proc.h>
#include <signal.h>
#include <syscall.h>
#include <uapi.h>

typedef long syscall_fn(SYSCALL_ARGS);

static const struct syscall_entry {
    const char *name;
    syscall_fn *fn;
} syscall_table[SYSCALL_TABLE_SIZE] = {
#define SYSCALL_ROW(nr, name, family) [nr] = { #name, sys_##name },
    SYSCALL_LIST(SYSCALL_ROW)
#undef SYSCALL_ROW
};

static unsigned long calls[SYSCALL_TABLE_SIZE];
static uint64_t unknown_logged[SYSCALL_TABLE_SIZE / 64];
static bool unknown_high_logged;

long syscall_count(unsigned int nr)
{
    return nr < SYSCALL_TABLE_SIZE ? (long)calls[nr] : 0;
}

static void log_unknown(const struct process *p, unsigned long nr)
{
    if (nr < SYSCALL_TABLE_SIZE) {
        if (unknown_logged[nr / 64] & (1UL << (nr % 64)))
            return;
        unknown_logged[nr / 64] |= 1UL << (nr % 64);
    } else {
        if (unknown_high_logged)
            return;
        unknown_high_logged = true;
    }
    printk("syscall: %s[%d]: unknown system call %lu: -ENOSYS (logged once)\n",
           p->comm, p->pid, nr);
}

long syscall_dispatch(struct trap_frame *f)
{
    struct process *p = proc_current();
    unsigned long nr = f->rax;
    const struct syscall_entry *e = nr < SYSCALL_TABLE_SIZE ? &syscall_table[nr] : NULL;
    uint64_t rip = f->rip;

    if (!e || !e->fn) {
        log_unknown(p, nr);
        f->rax = (uint64_t)-ENOSYS;
    } else {
        calls[nr]++;
        f->rax = (uint64_t)e->fn(f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
    }
    /* A kill, the end of the slice: before going back (kernel/sched.c).
     * Tested here first: the common case costs two loads. */
    if (__builtin_expect(need_resched || p->killed, 0))
        sched_user_return();
    /* Signals to deliver, a call to restart (kernel/signal.c); rt_sigreturn
     * is no call to restart whatever rax it restored. */
    if (__builtin_expect(signal_work(p, f), 0) &&
        signal_user_return(f, nr == 15 ? -1 : (long)nr))
        return 1;
    /* A handler that moved rip (exec) needs the full iret. */
    return f->rip != rip;
}
