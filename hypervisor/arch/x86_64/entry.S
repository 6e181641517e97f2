/* SPDX-License-Identifier: MIT */
/*
 * entry.S - every way into and out of the hypervisor on x86_64.
 * Owns:    the IDT stubs, the syscall (hypercall) entry with the
 *          hypercall fast path (dispatch, counters, exit check), the
 *          common register save/restore, the return to a guest, and the
 *          guest memory copy routines with their exception-table fixups.
 * Touches: MSR_SHADOW_GS_BASE only through swapgs in the syscall entry
 *          (it holds this CPU's struct cpu_info while a guest runs).
 *
 * Frames: every entry builds a struct cpu_user_regs on the stack and
 * calls C with a pointer to it. From a guest, the frame is the one at the
 * top of this CPU's stack (cpu_info->guest_regs): TSS.RSP0 points just
 * above its ss slot, and the syscall entry switches to the same place.
 */
#include "asm_offsets.h"
#include "x86.h"
#include "layout.h"
#include "config.h"

        /* The registers C may clobber, in cpu_user_regs' order: all the
         * hypercall fast path saves (syscall_entry). */
        .macro SAVE_SCRATCH
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        .endm

        .macro SAVE_ALL
        SAVE_SCRATCH
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        .endm

        /* SAVE_SCRATCH undone: the hypercall fast path's exit. */
        .macro RESTORE_SCRATCH
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
        .endm

        .macro RESTORE_ALL
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        RESTORE_SCRATCH
        .endm

/* Exception stubs: make the error_code/entry_vector slot, then common. */
        .macro EXC_NOERR vec
        .balign 16
        pushq   $0
        movl    $\vec, 4(%rsp)
        jmp     trap_common
        .endm
        .macro EXC_ERR vec
        .balign 16
        movl    $\vec, 4(%rsp)
        jmp     trap_common
        .endm

        /* #DB: its own IST stack and path (db_entry below). */
        .macro EXC_DB
        .balign 16
        pushq   $0
        movl    $TRAP_debug, 4(%rsp)
        jmp     db_entry
        .endm

        .text
        .balign 16
        .globl  idt_stubs
idt_stubs:
        EXC_NOERR 0
        EXC_DB
        EXC_NOERR 2
        EXC_NOERR 3
        EXC_NOERR 4
        EXC_NOERR 5
        EXC_NOERR 6
        EXC_NOERR 7
        EXC_ERR   8
        EXC_NOERR 9
        EXC_ERR   10
        EXC_ERR   11
        EXC_ERR   12
        EXC_ERR   13
        EXC_ERR   14
        EXC_NOERR 15
        EXC_NOERR 16
        EXC_ERR   17
        EXC_NOERR 18
        EXC_NOERR 19
        EXC_NOERR 20
        EXC_ERR   21
        .set    vec, 22
        .rept   256 - 22
        EXC_NOERR vec
        .set    vec, vec + 1
        .endr
        .globl  idt_stubs_end
idt_stubs_end:

/*
 * Calls into C are made with %rsp 16-byte aligned (the SysV ABI): a frame
 * is 8 mod 16 after SAVE_ALL (the CPU aligned it before pushing), so one
 * spare slot goes below it for the call.
 */
trap_common:
        SAVE_ALL
trap_common_saved:
        cld
        mov     %rsp, %rdi
        sub     $8, %rsp
        call    do_trap
        add     $8, %rsp
        /* An NMI's frame is on its IST stack: never the guest exit path. */
        cmpl    $TRAP_nmi, UREGS_entry_vector(%rsp)
        je      1f
        testb   $3, UREGS_cs(%rsp)
        jnz     ret_to_guest
1:
        /* Back into the hypervisor: nothing to deliver. */
        RESTORE_ALL
        add     $8, %rsp
        iretq

/*
 * #DB arrives on its IST stack (pv/debugreg.c says why). Raised in the
 * hypervisor, including at the first instruction of an entry with a
 * guest's rsp, it is handled there and returns there. Raised by a guest,
 * its frame moves to the guest frame at the top of the stack (unused
 * while the guest ran), so that the exit path, which may schedule, works
 * on the vCPU's frame and the IST stack is free again.
 */
db_entry:
        SAVE_ALL
        cld                                 /* a guest's DF, before movsq */
        testb   $3, UREGS_cs(%rsp)
        jz      trap_common_saved
        mov     %rsp, %rsi
        mov     %rsp, %rdi
        or      $(STACK_SIZE - 1), %rdi
        sub     $(CPUINFO_sizeof - 1 - CPUINFO_guest_regs), %rdi
        mov     %rdi, %rsp
        mov     $(UREGS_kernel_sizeof / 8), %ecx
        rep movsq
        jmp     trap_common_saved

/*
 * syscall from a guest. %rcx = guest rip, %r11 = guest rflags, %rsp =
 * guest rsp; interrupts, TF, DF, AC and NT are cleared by
 * MSR_SYSCALL_MASK (so no cld). swapgs exposes cpu_info
 * (MSR_SHADOW_GS_BASE) just long enough to find this CPU's stack.
 */
        .macro SYSCALL_HW_FRAME cs, error_code
        swapgs
        movq    %rsp, %gs:CPUINFO_scratch_rsp
        movq    %gs:CPUINFO_rsp0, %rsp
        pushq   $GUEST_DS                   /* ss     */
        pushq   %gs:CPUINFO_scratch_rsp     /* rsp    */
        swapgs
        pushq   %r11                        /* rflags */
        pushq   $\cs                        /* cs     */
        pushq   %rcx                        /* rip    */
        pushq   $\error_code
        movl    $TRAP_syscall, 4(%rsp)
        .endm

/*
 * The 64-bit syscall entry: a hypercall from guest kernel mode, or a
 * guest user's system call to bounce to its kernel.
 *
 * The lean frame (docs/performance.md): the C code preserves rbx, rbp
 * and r12-r15 (the System V ABI), so only the registers it may clobber
 * are saved; the other slots are left unwritten (error_code
 * UREGS_PARTIAL says so) until the way out needs the whole frame. The
 * rbx slot, which aligns %rsp for C, holds until then the rflags the
 * syscall came with: whether TF was set at the syscall, for the #DB on
 * the way out (do_guest_hypercall_exit()). HC(x) is frame or cpu_info
 * offset x while %rsp points at the rbx slot.
 *
 * The fast path, in assembly as hypercall_dispatch_args() is in C (the
 * two change together): a hypercall from kernel mode, with a handler,
 * cycle sampling off. The number is range-checked as 64 bits
 * and stays in the frame's rax slot; the arguments stay where the guest
 * put them but r10, moved to rcx; the call is counted in the domain's
 * row, which also takes the TLB flushes the handler causes
 * (tlbflush_reuse_counter) and, with cycle sampling on, its ticks
 * (hypercall_call_sampled_entry() calls the handler then). Everything else
 * (user mode, a number without a handler) goes to do_guest_hypercall()
 * in C. TF needs no test on the way in: only an iret changes the
 * frame's rflags, so the test on the way out sees TF set at the syscall
 * as well (and the rbx slot tells the two apart).
 *
 * The exit check is exit_work_pending() (traps.c) in loads: the per-CPU
 * flags (timers due, need_resched), the vCPU's four exit flags in one
 * word, the domain's state and pause count in one word, then an
 * unmasked pending upcall; and TF, which an iret may have set. If none
 * is there, the saved registers come back (rcx and r11 with the guest's
 * own rip and rflags, or what an iret wrote, never a value of ours),
 * rax with the result, and iretq returns. Otherwise rbx, rbp and
 * r12-r15, still the guest's, complete the frame and the common exit
 * path runs.
 */
#define HC(off) ((off) - UREGS_rbx)(%rsp)

/* The labels without .L name the parts of the path (entry, dispatch, exit
 * check, exit) for bench/breakdown.py; they cost nothing. */
        .globl  syscall_entry
syscall_entry:
        SYSCALL_HW_FRAME GUEST_CS64, UREGS_PARTIAL
        SAVE_SCRATCH
        push    %r11                        /* in the rbx slot: see above */
hypercall_dispatch_fast:
        mov     %r10, %rcx                  /* a3, as C takes it */
        mov     HC(CPUINFO_current_vcpu), %r11
        cmpb    $0, VCPU_kernel_mode(%r11)
        je      .Lhc_slow
        cmp     $NR_HYPERCALLS, %rax
        jae     .Lhc_slow
        shl     $4, %rax                    /* nr * sizeof(struct hypercall) */
        lea     hypercall_table(%rip), %r9
        mov     HYPERCALL_fn(%r9, %rax), %r9
        test    %r9, %r9
        jz      .Lhc_slow
#if HYPERCALL_COUNTERS
        mov     VCPU_domain(%r11), %r11
        lea     DOMAIN_hc_stats(%r11, %rax, 2), %r11 /* &d->hc_stats[nr] */
        incq    HCSTATS_calls(%r11)
        mov     %r11, tlbflush_reuse_counter(%rip)   /* its reuse_flushes */
        cmpb    $0, hypercall_sampling(%rip)
        jne     .Lhc_sampled
#endif
        call    *%r9
.Lhc_called:
#if HYPERCALL_COUNTERS
        movq    $0, tlbflush_reuse_counter(%rip)
#endif
hypercall_exit_check:
        testl   $X86_EFLAGS_TF, HC(UREGS_rflags)     /* set by an iret */
        jnz     .Lhc_exit_slow
        cmpb    $0, timer_softirq_pending(%rip)
        jne     .Lhc_exit_slow
        cmpb    $0, sched_cpus + SCHED_CPU_need_resched(%rip) /* CPU 0's */
        jne     .Lhc_exit_slow
        mov     HC(CPUINFO_current_vcpu), %r11
        cmpl    $0, VCPU_exit_flags(%r11)   /* blocked, down, NMI, #DB */
        jne     .Lhc_exit_slow
        mov     VCPU_domain(%r11), %r10
        cmpq    $0, DOMAIN_state(%r10)      /* not running, or paused */
        jne     .Lhc_exit_slow
        mov     VCPU_vcpu_info(%r11), %r10
        cmpb    $0, VCPUINFO_upcall_pending(%r10)
        jne     .Lhc_upcall
.Lhc_restore:                               /* rax: the result */
hypercall_exit_fast:
        mov     HC(UREGS_r11), %r11
        mov     HC(UREGS_r10), %r10
        mov     HC(UREGS_r9), %r9
        mov     HC(UREGS_r8), %r8
        mov     HC(UREGS_rcx), %rcx
        mov     HC(UREGS_rdx), %rdx
        mov     HC(UREGS_rsi), %rsi
        mov     HC(UREGS_rdi), %rdi
        add     $(UREGS_rip - UREGS_rbx), %rsp
.Liret_hypercall:
        iretq
        .section .ex_table, "a"
        .quad   .Liret_hypercall, iret_to_guest_fault
        .previous
#if HYPERCALL_COUNTERS
.Lhc_sampled:                               /* fn in r9, its sixth argument */
        call    hypercall_call_sampled_entry
        jmp     .Lhc_called
#endif
.Lhc_upcall:                                /* pending: is it masked? */
        cmpb    $0, VCPUINFO_upcall_mask(%r10)
        jne     .Lhc_restore
        /* fall through */
.Lhc_exit_slow:
        mov     %rax, %rdi
        call    do_guest_hypercall_exit     /* rax into the frame, TF */
        jmp     .Lhc_full_exit
.Lhc_slow:
        mov     HC(UREGS_rax), %r9          /* nr, as the guest gave it */
        call    do_guest_hypercall
        test    %al, %al
        mov     HC(UREGS_rax), %rax         /* the result */
        jz      .Lhc_restore
.Lhc_full_exit:
        sub     $UREGS_rbx, %rsp            /* the frame's start */
        mov     %rbx, UREGS_rbx(%rsp)
        mov     %rbp, UREGS_rbp(%rsp)
        mov     %r12, UREGS_r12(%rsp)
        mov     %r13, UREGS_r13(%rsp)
        mov     %r14, UREGS_r14(%rsp)
        mov     %r15, UREGS_r15(%rsp)
        movl    $0, UREGS_error_code(%rsp)
        jmp     ret_to_guest
#undef HC

/* syscall from a guest running 32-bit (compatibility mode) code. */
        .globl  cstar_entry
cstar_entry:
        SYSCALL_HW_FRAME GUEST_CS32, 0
        SAVE_ALL
        mov     %rsp, %rdi
        sub     $8, %rsp                    /* aligned for the C call */
        call    do_guest_syscall32
        add     $8, %rsp
        /* fall through */

/*
 * Return to the guest whose frame is at %rsp. exit_to_guest() delivers
 * pending events and never returns if this vCPU may no longer run.
 */
        .globl  ret_to_guest
ret_to_guest:
        mov     %rsp, %rdi
        sub     $8, %rsp
        call    exit_to_guest
        add     $8, %rsp
        RESTORE_ALL
        add     $8, %rsp
.Liret_to_guest:
        iretq
        .section .ex_table, "a"
        .quad   .Liret_to_guest, iret_to_guest_fault
        .previous

/*
 * The iretq above faulted: the guest asked for a context the CPU will not
 * enter (a selector or rip it cannot have). The fault is the guest's, at
 * that context (pv_iret_fault). hypervisor_trap() resumed here with %rsp
 * back at the frame's rip slot and the guest's registers live again; the
 * CPU's exception frame overwrote the frame below rip, so those slots are
 * saved anew.
 */
iret_to_guest_fault:
        sub     $8, %rsp                    /* error_code, entry_vector */
        SAVE_ALL
        cld
        mov     %rsp, %rdi
        sub     $8, %rsp
        call    pv_iret_fault
        add     $8, %rsp
        jmp     ret_to_guest

/* Enter a guest for the first time: %rdi = its frame (on this stack). */
        .globl  start_guest_frame
start_guest_frame:
        mov     %rdi, %rsp
        jmp     ret_to_guest

/* Continue on a fresh stack: reset_stack_and_call(stack_top, fn). */
        .globl  reset_stack_and_call
reset_stack_and_call:
        mov     %rdi, %rsp
        and     $~0xf, %rsp
        xor     %ebp, %ebp
        call    *%rsi
6:      hlt
        jmp     6b

/*
 * size_t raw_copy_from_guest(void *dst, const void *src, size_t n)
 * size_t raw_copy_to_guest(void *dst, const void *src, size_t n)
 * Copy with fault fixup; return the number of bytes NOT copied. The
 * callers (guest_access.h) have already checked the range is guest space.
 * Eight bytes at a time, then the tail: a rep string instruction is one
 * instruction per iteration under TCG's -icount (and the arguments
 * hypercalls copy are mostly 8-byte words), so this is the count of the
 * benchmarks as well as fewer iterations on hardware.
 */
        .globl  raw_copy_from_guest
        .globl  raw_copy_to_guest
raw_copy_from_guest:
raw_copy_to_guest:
        mov     %rdx, %rcx
        shr     $3, %rcx
        and     $7, %edx
7:      rep movsq
        mov     %rdx, %rcx
11:     rep movsb
        xor     %eax, %eax
        ret
8:      lea     (%rdx, %rcx, 8), %rax       /* words left, and the tail */
        ret
12:     mov     %rcx, %rax
        ret
        .section .ex_table, "a"
        .quad   7b, 8b
        .quad   11b, 12b
        .previous

/*
 * int raw_read_guest_u8(const void *src, uint8_t *out): 0 or -1 on fault.
 * Used by the instruction decoders (emulate.c) byte by byte.
 */
        .globl  raw_read_guest_u8
raw_read_guest_u8:
9:      movb    (%rdi), %al
        movb    %al, (%rsi)
        xor     %eax, %eax
        ret
10:     mov     $-1, %eax
        ret
        .section .ex_table, "a"
        .quad   9b, 10b
        .previous

/*
 * int load_{ds,es,fs,gs}_selector(uint16_t sel): 0, or -1 if loading the
 * guest's selector faulted (the register is then left as it was).
 */
        .macro LOAD_SELECTOR seg
        .globl  load_\seg\()_selector
load_\seg\()_selector:
1:      mov     %di, %\seg
        xor     %eax, %eax
        ret
2:      mov     $-1, %eax
        ret
        .section .ex_table, "a"
        .quad   1b, 2b
        .previous
        .endm
        LOAD_SELECTOR ds
        LOAD_SELECTOR es
        LOAD_SELECTOR fs
        LOAD_SELECTOR gs
