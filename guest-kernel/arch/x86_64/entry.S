/* SPDX-License-Identifier: MIT */
#define __ASSEMBLY__   /* Xen's public headers test this, gcc defines __ASSEMBLER__ */
/*
 * entry.S - trap and callback entry stubs.
 * Owns:    the layout of struct trap_frame (asm/traps.h) and the paths
 *          stub -> trap_common -> trap_dispatch() -> pv_iret,
 *          event_callback_entry -> evtchn_do_upcall() ->
 *          sched_upcall_return() (which may switch processes and
 *          deliver signals: kernel/signal.c) -> pv_iret,
 *          failsafe_callback_entry -> failsafe_dispatch() (fatal),
 *          syscall_callback_entry -> syscall_dispatch() -> pv_iret_syscall
 *          (a user `syscall`), ret_to_user_first (a process's first entry).
 * Touches: pv_iret, pv_iret_syscall (the return pv-ops).
 * ABI:     the PV64 exception frame: the hypervisor enters a handler on the
 *          kernel stack with
 *              rsp -> rcx, r11, [error code,] rip, cs, rflags, rsp, ss
 *          (the failsafe callback has ds, es, fs, gs between r11 and rip).
 *          rcx and r11 hold garbage; their values are in the frame.
 */
#include <asm/traps.h>

/* struct trap_frame's general registers, rax pushed first. */
.macro SAVE_REGS
    .irp reg, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
    push %\reg
    .endr
.endm

.macro RESTORE_REGS
    .irp reg, r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax
    pop %\reg
    .endr
.endm

/* Call fn(frame) with the frame at rsp: on a 16-byte aligned stack and with
 * DF clear, as the C ABI requires whatever the interrupted code had (the
 * frame's rflags restores DF); rbx (callee-saved) keeps the frame. */
.macro CALL_WITH_FRAME fn
    mov %rsp, %rdi
    mov %rsp, %rbx
    and $-16, %rsp
    cld
    call \fn
    mov %rbx, %rsp
.endm

/* Stub for a vector without a CPU error code: push a 0 in its place. */
.macro TRAP_NOERR vec
trap_entry_\vec:
    pop %rcx
    pop %r11
    pushq $0
    pushq $\vec
    jmp trap_common
.endm

/* Stub for a vector whose frame carries an error code. */
.macro TRAP_ERR vec
trap_entry_\vec:
    pop %rcx
    pop %r11
    pushq $\vec
    jmp trap_common
.endm

    .text
    TRAP_NOERR 0
    TRAP_NOERR 1
    TRAP_NOERR 2
    TRAP_NOERR 3
    TRAP_NOERR 4
    TRAP_NOERR 5
    TRAP_NOERR 6
    TRAP_NOERR 7
    TRAP_ERR   8
    TRAP_NOERR 9
    TRAP_ERR   10
    TRAP_ERR   11
    TRAP_ERR   12
    TRAP_ERR   13
    TRAP_ERR   14
    TRAP_NOERR 15
    TRAP_NOERR 16
    TRAP_ERR   17
    TRAP_NOERR 18
    TRAP_NOERR 19

    .globl trap_entry_softint_user, trap_entry_softint_kernel
trap_entry_softint_user:
    pop %rcx
    pop %r11
    pushq $0
    pushq $SOFTINT_VECTOR_USER
    jmp trap_common
trap_entry_softint_kernel:
    pop %rcx
    pop %r11
    pushq $0
    pushq $SOFTINT_VECTOR_KERNEL
    jmp trap_common

    .globl event_callback_entry, failsafe_callback_entry, syscall_callback_entry
/* An event upcall: the hypervisor found an event pending with the upcall
 * mask clear, set the mask and bounced here (a frame without error code).
 * The scan is C (pv/xen_events.c); the return through pv_iret restores the
 * interrupted upcall mask from the frame's rflags.IF, which is how events
 * get unmasked again atomically with the return. */
event_callback_entry:
    pop %rcx
    pop %r11
    pushq $0
    pushq $CALLBACK_VECTOR_EVENT
    SAVE_REGS
    CALL_WITH_FRAME evtchn_do_upcall
    CALL_WITH_FRAME sched_upcall_return     /* preemption (kernel/sched.c) */
    jmp trap_return

/* The hypervisor could not reload our ds/es/fs/gs on a return to us: it
 * bounced here with their values between r11 and rip.  Keep them for the
 * report, drop them, and die in C. */
failsafe_callback_entry:
    pop %rcx
    pop %r11
    push %rax
    .irp i, 0, 1, 2, 3
    mov 8 + 8 * \i(%rsp), %rax
    mov %rax, failsafe_segments + 8 * \i(%rip)
    .endr
    pop %rax
    add $FAILSAFE_SEGMENT_SLOTS_SIZE, %rsp
    pushq $0
    pushq $CALLBACK_VECTOR_FAILSAFE
    SAVE_REGS
    CALL_WITH_FRAME failsafe_dispatch
    ud2                             /* failsafe_dispatch() does not return */

/* A `syscall` from user mode: the hypervisor switched to the kernel L4
 * and to the process's kernel stack (stack_switch), so the frame lands at
 * the top of that stack: the user registers of the process (proc.h:
 * uregs).  rcx and r11 on top are the user's rip and rflags (the syscall
 * instruction's).  syscall_dispatch() returns 0 for the fast way back
 * (iret with VGCF_in_syscall: the hypervisor may sysret, rcx and r11
 * are clobbered as the syscall ABI allows), nonzero for a full iret
 * (exec, a signal handler's frame, rt_sigreturn, a restarted call).  A
 * trap or upcall from user mode always returns with the full iret, so a
 * signal frame built on their way out needs nothing more here. */
syscall_callback_entry:
    pop %rcx
    pop %r11
    pushq $0
    pushq $CALLBACK_VECTOR_SYSCALL
    SAVE_REGS
    CALL_WITH_FRAME syscall_dispatch
    test %rax, %rax
    RESTORE_REGS                    /* pops leave the flags alone */
    lea 16(%rsp), %rsp              /* vector, error code; flags too */
    jnz 1f
    jmp pv_iret_syscall
1:  jmp pv_iret

/* A process's first entry to user mode: switch_context() "returns" here
 * on its kernel stack, with its first user frame (process.c) at rsp. */
    .globl ret_to_user_first
ret_to_user_first:
    jmp trap_return

/* Save every general register, call trap_dispatch(frame), restore, drop
 * vector and error code, return via pv_iret. */
trap_common:
    SAVE_REGS
    CALL_WITH_FRAME trap_dispatch
trap_return:
    RESTORE_REGS
    add $16, %rsp                   /* vector, error code */
    jmp pv_iret

    .section .rodata
    .balign 8
    .globl trap_entry_table
trap_entry_table:
    .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
    .quad trap_entry_\vec
    .endr
