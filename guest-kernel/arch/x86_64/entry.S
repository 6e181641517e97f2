/* SPDX-License-Identifier: MIT */
#define __ASSEMBLY__   /* Xen's public headers test this, gcc defines __ASSEMBLER__ */
/*
 * entry.S - trap and callback entry stubs.
 * Owns:    the layout of struct trap_frame (asm/traps.h) and the path
 *          stub -> trap_common -> trap_dispatch() -> pv_iret.
 * Touches: pv_iret (the return pv-op).
 * ABI:     the PV64 exception frame: the hypervisor enters a handler on the
 *          kernel stack with
 *              rsp -> rcx, r11, [error code,] rip, cs, rflags, rsp, ss
 *          (the failsafe callback has ds, es, fs, gs between r11 and rip).
 *          rcx and r11 hold garbage; their values are in the frame.
 */
#include <asm/traps.h>

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
event_callback_entry:
    pop %rcx
    pop %r11
    pushq $0
    pushq $CALLBACK_VECTOR_EVENT
    jmp trap_common
failsafe_callback_entry:
    pop %rcx
    pop %r11
    add $FAILSAFE_SEGMENT_SLOTS_SIZE, %rsp  /* ds, es, fs, gs: not reloaded */
    pushq $0
    pushq $CALLBACK_VECTOR_FAILSAFE
    jmp trap_common
syscall_callback_entry:
    pop %rcx
    pop %r11
    pushq $0
    pushq $CALLBACK_VECTOR_SYSCALL
    jmp trap_common

/* Save every general register, call trap_dispatch(frame) on a 16-byte
 * aligned stack, restore, drop vector and error code, return via pv_iret. */
trap_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    mov %rsp, %rbx
    and $-16, %rsp
    call trap_dispatch
    mov %rbx, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp                   /* vector, error code */
    jmp pv_iret

    .section .rodata
    .balign 8
    .globl trap_entry_table
trap_entry_table:
    .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
    .quad trap_entry_\vec
    .endr
