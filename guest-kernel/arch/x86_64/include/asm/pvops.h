/* SPDX-License-Identifier: MIT */
/*
 * asm/pvops.h - the pv-ops table: every privileged operation of the kernel.
 * Owns:    struct pv_ops, the one interface between the kernel and whatever
 *          runs it.  arch/x86_64/pv/xen.c fills it with Xen-ABI hypercalls;
 *          a native build would fill it with the instructions themselves.
 * Touches: nothing.
 *
 * Rule: kernel code outside arch/x86_64/pv/ never issues a hypercall or a
 * privileged instruction; it calls pv_ops.<op>().  docs/porting-guide.md
 * walks this table op by op (native instruction, PV replacement, hypercall).
 *
 * One operation cannot be a C function: returning from a trap.  Natively
 * that is "iretq"; under Xen the kernel runs in ring 3 and returns through
 * the iret hypercall.  entry.S jumps to pv_iret (arch/x86_64/pv/iret.S).
 */
#ifndef ASM_PVOPS_H
#define ASM_PVOPS_H

#include <stddef.h>
#include <stdint.h>
#include <asm/page.h>
#include <asm/traps.h>

/* Why the machine stops (kernel/main.c maps the command line to these). */
enum power_reason { POWER_OFF, POWER_REBOOT, POWER_CRASH };

/* Kernel entry points the platform calls into, other than the trap gates. */
enum kernel_entry {
    KERNEL_ENTRY_EVENT,      /* asynchronous event ("interrupt") */
    KERNEL_ENTRY_FAILSAFE,   /* the return to the kernel itself failed */
    KERNEL_ENTRY_SYSCALL,    /* "syscall" executed in user mode */
};

/* Which segment base set_segment_base changes. */
enum segment_base { SEGBASE_KIND_FS, SEGBASE_KIND_GS_KERNEL, SEGBASE_KIND_GS_USER };

struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };

/* Time of day: seconds and nanoseconds since 1970-01-01 00:00 UTC. */
struct wall_time { uint64_t sec; uint32_t nsec; };

/* One page-table write: the machine address of the entry, the new value.
 * (The layout of Xen's struct mmu_update, so the PV op passes the array
 * through unchanged; ptr's low two bits must be 0.) */
struct pte_update { uint64_t ptr, val; };

struct pv_ops {
    /* Console: natively a UART; PV: console_io(CONSOLEIO_write).
     * console_read takes up to len bytes of console input that have
     * arrived (natively the UART's receive FIFO; PV: console_io
     * (CONSOLEIO_read), dom0's input ring, announced by VIRQ_CONSOLE).
     * Returns the number of bytes read, 0 if none, or -errno. */
    void (*console_write)(const char *s, size_t len);
    long (*console_read)(char *buf, size_t len);

    /* Traps and entry points: natively lidt / wrmsr(LSTAR); PV:
     * set_trap_table, callback_op(CALLBACKOP_register).  Return 0 or -errno. */
    long (*load_idt)(const struct trap_gate *gates, size_t n);
    long (*set_entry)(enum kernel_entry which, void (*entry)(void));
    /* Kernel stack for traps from user mode: natively TSS.rsp0; PV: stack_switch. */
    long (*load_kernel_stack)(unsigned long sp);

    /* Virtual interrupt flag: natively cli/sti; PV: vcpu_info upcall mask. */
    void (*irq_disable)(void);
    void (*irq_enable)(void);

    /* CPU state: natively cpuid, rdmsr/wrmsr, mov from %cr2/%cr3, clts/stts.
     * PV: forced-emulation cpuid, emulated rdmsr/wrmsr and %cr3 read,
     * vcpu_info.arch.cr2, set_segment_base, fpu_taskswitch. */
    void (*cpuid)(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);
    uint64_t (*read_msr)(uint32_t msr);
    void (*write_msr)(uint32_t msr, uint64_t val);
    long (*set_segment_base)(enum segment_base which, unsigned long base);
    unsigned long (*read_cr2)(void);
    unsigned long (*read_cr3)(void);
    long (*fpu_set_ts)(int ts);

    /* MMU: natively a store to the PTE plus invlpg; PV: update_va_mapping,
     * mmuext_op.  The page tables are read-only to a PV kernel. */
    long (*set_pte_at)(unsigned long va, pte_t pte, int invlpg);
    long (*flush_tlb_local)(void);
    long (*flush_tlb_one)(unsigned long va);
    long (*load_cr3)(unsigned long frame);

    /* Page tables the kernel builds itself.  Natively: plain stores into
     * the tables, nothing to pin, one cr3.  PV: the tables are read-only
     * to the kernel and typed by the hypervisor, so
     *   write_ptes         mmu_update (each write validated), n per call;
     *   pin_table          mmuext_op(MMUEXT_PIN_L<level>_TABLE): validate
     *                      the table and keep it typed until unpinned;
     *   unpin_table        mmuext_op(MMUEXT_UNPIN_TABLE);
     *   load_user_cr3      mmuext_op(MMUEXT_NEW_USER_BASEPTR): x86_64 PV
     *                      keeps a second top level for user mode;
     *   make_pagetable     the page at va (mapping mfn) becomes a table:
     *                      multicall[update_va_mapping read-only, pin];
     *   release_pagetable  the reverse: multicall[unpin, read-write]. */
    long (*write_ptes)(const struct pte_update *u, unsigned int n);
    long (*pin_table)(unsigned int level, uint64_t mfn);
    long (*unpin_table)(uint64_t mfn);
    long (*load_user_cr3)(uint64_t mfn);
    long (*make_pagetable)(unsigned int level, unsigned long va, uint64_t mfn);
    long (*release_pagetable)(unsigned long va, uint64_t mfn);

    /* Time and the timer interrupt.  Natively: the TSC calibrated against
     * the PIT or HPET, the RTC for the date, the local APIC timer (one-shot
     * or TSC-deadline mode) on an IDT vector, "sti; hlt" to idle.  PV:
     *   clock_ns           system time (ns since the hypervisor booted)
     *                      from vcpu_info.time and rdtsc (pvclock);
     *   wallclock          shared_info.wc_* (the date at system time 0)
     *                      plus system time;
     *   set_timer          set_timer_op(deadline): the vCPU's one-shot
     *                      timer, at an absolute system time; 0 stops it;
     *   timer_irq_bind     fn runs (events masked) for each expiry:
     *                      VIRQ_TIMER bound on the boot vCPU, the default
     *                      periodic timer stopped (vcpu_op);
     *   timer_irq_unbind   stop the timer, close VIRQ_TIMER's port;
     *   safe_halt          called with events masked: unmask them and wait
     *                      for one, atomically (sched_op(SCHEDOP_block));
     *                      returns with events unmasked, the event handled.
     * Return 0 or -errno. */
    uint64_t (*clock_ns)(void);
    void (*wallclock)(struct wall_time *wt);
    long (*set_timer)(uint64_t deadline_ns);
    long (*timer_irq_bind)(void (*fn)(void));
    long (*timer_irq_unbind)(void);
    long (*safe_halt)(void);

    /* Give the physical CPU to someone else for a moment: natively there
     * is no one to give it to (pause); PV: sched_op(SCHEDOP_yield), the
     * vCPU stays runnable.  0 or -errno. */
    long (*yield)(void);

    /* The selectors of a user-mode frame: natively the GDT's __USER_CS /
     * __USER_DS; PV: the hypervisor's flat ring-3 selectors
     * (FLAT_USER_CS64, FLAT_USER_SS), an RPL of 3 meaning user mode. */
    uint16_t user_cs, user_ss;

    /* Power: natively ACPI / triple fault; PV: sched_op(SCHEDOP_shutdown). */
    void (*shutdown)(enum power_reason why) __attribute__((noreturn));
};

extern const struct pv_ops pv_ops;

/* Asm-level op: return from a trap with the frame
 * rip, cs, rflags, rsp, ss on the stack (see entry.S). */
void pv_iret(void);
/* The same at the end of a system call: natively sysretq; PV: the iret
 * hypercall with VGCF_in_syscall (the hypervisor may sysret). */
void pv_iret_syscall(void);

#endif /* ASM_PVOPS_H */
