/* SPDX-License-Identifier: MIT */
/*
 * traps.c - the kernel's exception handling: gate table, entry points,
 *           dispatch, the fixup table.
 * Owns:    trap_gates[] (the kernel's IDT), trap_last, the handling policy:
 *          #NM clears TS and retries; #BP and the DPL-3 software interrupt
 *          return past the instruction; any other fault resumes at its fixup
 *          or is fatal.
 * Touches: pv_ops.load_idt, pv_ops.set_entry, pv_ops.read_cr2,
 *          pv_ops.fpu_set_ts; entry.S builds the frames.
 * Trusts:  the frame: the hypervisor wrote it.
 */
#include <kernel.h>
#include <asm/fixup.h>
#include <asm/pvops.h>
#include <asm/traps.h>

volatile struct trap_record trap_last;

/* Exceptions, then the two software-interrupt gates. */
static struct trap_gate trap_gates[X86_NR_EXCEPTIONS + 2];

static const char *const exception_names[X86_NR_EXCEPTIONS] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO",
    "#TS", "#NP", "#SS", "#GP", "#PF", "#SPV", "#MF", "#AC", "#MC", "#XM",
};

const char *trap_name(unsigned long vector)
{
    if (vector < X86_NR_EXCEPTIONS)
        return exception_names[vector];
    switch (vector) {
    case SOFTINT_VECTOR_USER:      return "int 0x80";
    case SOFTINT_VECTOR_KERNEL:    return "int 0x81";
    case CALLBACK_VECTOR_EVENT:    return "event callback";
    case CALLBACK_VECTOR_FAILSAFE: return "failsafe callback";
    case CALLBACK_VECTOR_SYSCALL:  return "syscall callback";
    }
    return "?";
}

/* int3 and into must work from the kernel, which runs in ring 3. */
static uint8_t exception_dpl(unsigned int vector)
{
    return (vector == X86_EXC_BP || vector == X86_EXC_OF) ? GATE_DPL_USER
                                                          : GATE_DPL_KERNEL;
}

/* Build the gate table and hand it to the platform; failure is fatal. */
void trap_init(void)
{
    size_t n = 0;
    unsigned int v;
    long rc;

    for (v = 0; v < X86_NR_EXCEPTIONS; v++)
        trap_gates[n++] = (struct trap_gate){ v, exception_dpl(v), trap_entry_table[v] };
    trap_gates[n++] = (struct trap_gate){ SOFTINT_VECTOR_USER, GATE_DPL_USER,
                                          trap_entry_softint_user };
    trap_gates[n++] = (struct trap_gate){ SOFTINT_VECTOR_KERNEL, GATE_DPL_KERNEL,
                                          trap_entry_softint_kernel };
    rc = pv_ops.load_idt(trap_gates, n);
    if (rc)
        panic("installing the trap table failed: %ld", rc);
}

/* Register the event, failsafe and syscall entry points; failure is fatal. */
void entry_init(void)
{
    static const struct { enum kernel_entry which; void (*fn)(void); const char *name; }
    entries[] = {
        { KERNEL_ENTRY_EVENT,    event_callback_entry,    "event" },
        { KERNEL_ENTRY_FAILSAFE, failsafe_callback_entry, "failsafe" },
        { KERNEL_ENTRY_SYSCALL,  syscall_callback_entry,  "syscall" },
    };
    size_t i;
    long rc;

    for (i = 0; i < ARRAY_SIZE(entries); i++) {
        rc = pv_ops.set_entry(entries[i].which, entries[i].fn);
        if (rc)
            panic("registering the %s callback failed: %ld", entries[i].name, rc);
    }
}

extern const struct fixup_entry __start_ex_table[], __stop_ex_table[];

unsigned long fixup_search(unsigned long rip)
{
    const struct fixup_entry *e;

    for (e = __start_ex_table; e < __stop_ex_table; e++)
        if (e->fault_rip == rip)
            return e->resume_rip;
    return 0;
}

static void trap_record(const struct trap_frame *f)
{
    trap_last.vector = f->vector;
    trap_last.error_code = f->error_code;
    trap_last.rip = f->rip;
    trap_last.cs = f->cs;
    trap_last.cr2 = f->vector == X86_EXC_PF ? pv_ops.read_cr2() : 0;
    trap_last.count++;
}

static void __noreturn trap_fatal(const struct trap_frame *f)
{
    printk("pvkernel: unhandled %s (vector %#lx) error %#lx\n",
           trap_name(f->vector), f->vector, f->error_code);
    printk("  rip %#lx cs %#lx rflags %#lx rsp %#lx ss %#lx cr2 %#lx\n",
           f->rip, f->cs, f->rflags, f->rsp, f->ss, trap_last.cr2);
    printk("  rax %#lx rbx %#lx rcx %#lx rdx %#lx rsi %#lx rdi %#lx\n",
           f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi);
    panic("fatal trap");
}

/* Lazy FPU: whoever set TS wanted to know about the next FPU instruction;
 * clear TS and let the instruction run again. */
static void do_device_not_available(void)
{
    long rc = pv_ops.fpu_set_ts(0);

    if (rc)
        panic("clearing CR0.TS failed: %ld", rc);
}

void trap_dispatch(struct trap_frame *f)
{
    unsigned long resume;

    trap_record(f);
    switch (f->vector) {
    case X86_EXC_NM:
        do_device_not_available();
        return;
    case X86_EXC_BP:                /* traps: rip is past the instruction */
    case SOFTINT_VECTOR_USER:
        return;
    }
    resume = fixup_search(f->rip);
    if (!resume)
        trap_fatal(f);
    f->rip = resume;
}
