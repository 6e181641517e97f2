/* SPDX-License-Identifier: MIT */
/*
 * process.c - the arch half of processes: the first user frame (exec,
 *             fork), the switch to a process, the FS base.
 * Owns:    the user frame's initial values (selectors, rflags), the
 *          shape of a never-run process's kernel stack, the user's x87/SSE
 *          registers across switches (fxsave/fxrstor, eager: saved when a
 *          process leaves the CPU, restored when it gets it; no AVX state,
 *          which the CPUs pvisor runs on under TCG do not have); loading
 *          and resetting it for signal frames.
 * Touches: pv_ops.load_kernel_stack (stack_switch), pv_ops.set_segment_base
 *          (SEGBASE_FS), pv_ops.user_cs/user_ss; uspace_activate();
 *          switch_context() (switch.S), ret_to_user_first (entry.S).
 */
#include <kernel.h>
#include <proc.h>
#include <asm/pvops.h>

/* The never-run stack: six callee-saved registers, then the return address. */
struct first_switch {
    uint64_t r15, r14, r13, r12, rbx, rbp;
    void (*ret)(void);
};

void ret_to_user_first(void);           /* entry.S */

/* The x87/SSE state a new program starts with (Linux's: FCW 0x37f, MXCSR
 * 0x1f80, everything else 0). */
static void fpu_init_state(struct process *p)
{
    memset(p->fpu, 0, sizeof(p->fpu));
    p->fpu[0] = 0x7f;                   /* FCW */
    p->fpu[1] = 0x03;
    p->fpu[24] = 0x80;                  /* MXCSR */
    p->fpu[25] = 0x1f;
}

void arch_fpu_save(struct process *p)
{
    __asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t (*)[512])p->fpu));
}

static void fpu_restore(struct process *p)
{
    __asm__ volatile("fxrstor64 %0" :: "m"(*(uint8_t (*)[512])p->fpu));
}

/* Signal frames (kernel/signal.c): the state rt_sigreturn took from the
 * user (its MXCSR already checked), and the fresh state a handler starts
 * with. */
void arch_fpu_load(struct process *p)
{
    fpu_restore(p);
}

void arch_fpu_reset(struct process *p)
{
    fpu_init_state(p);
    fpu_restore(p);
}

void arch_proc_start(struct process *p, uint64_t entry, uint64_t sp)
{
    struct trap_frame *f = p->uregs;
    struct first_switch *s = (struct first_switch *)f - 1;

    memset(f, 0, sizeof(*f));
    f->rip = entry;
    f->cs = pv_ops.user_cs;
    f->rflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;   /* events on in user mode */
    f->rsp = sp;
    f->ss = pv_ops.user_ss;
    fpu_init_state(p);
    /* execve: the process runs on this stack, just below its frame; it
     * goes back to user mode through its syscall return, with a clean FPU. */
    if (p == proc_current()) {
        fpu_restore(p);
        return;
    }
    memset(s, 0, sizeof(*s));
    s->ret = ret_to_user_first;
    p->kctx.rsp = (uint64_t)s;
}

/* Everything user mode needs of this CPU before the process runs. */
static void load_process(struct process *p)
{
    long rc = pv_ops.load_kernel_stack((unsigned long)(p->kstack + KSTACK_SIZE));

    if (!rc)
        rc = uspace_activate(&p->us);
    if (!rc)
        rc = pv_ops.set_segment_base(SEGBASE_KIND_FS, p->fs_base);
    if (rc)
        panic("switching to %s[%d] failed: %ld", p->comm, p->pid, rc);
}

void arch_switch_to(struct kcontext *save, struct process *next)
{
    load_process(next);
    fpu_restore(next);
    switch_context(save, &next->kctx);
}

/* The child of a fork returns to user mode with the parent's registers,
 * rax 0 (and the stack clone() gave, if any), through the same first
 * switch as a new program. */
void arch_proc_fork(struct process *child, const struct trap_frame *parent_regs,
                    uint64_t child_sp)
{
    struct trap_frame *f = child->uregs;
    struct first_switch *s = (struct first_switch *)f - 1;

    *f = *parent_regs;
    f->rax = 0;
    arch_fpu_save(child);       /* the parent's live state, as it is now */
    if (child_sp)
        f->rsp = child_sp;
    memset(s, 0, sizeof(*s));
    s->ret = ret_to_user_first;
    child->kctx.rsp = (uint64_t)s;
}

long arch_set_fs(struct process *p, uint64_t base)
{
    long rc = 0;

    if (base >= USER_VA_END)
        return -EPERM;          /* Linux: a non-canonical or kernel base */
    if (p == proc_current())
        rc = pv_ops.set_segment_base(SEGBASE_KIND_FS, base);
    if (rc)
        return -EINVAL;
    p->fs_base = base;
    return 0;
}
