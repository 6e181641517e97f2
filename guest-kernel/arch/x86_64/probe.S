/* SPDX-License-Identifier: MIT */
/*
 * probe.S - probe_enter(), the half of probe_call() that cannot be C.
 * Owns:    the layout of struct probe_ctx (asm/traps.h): the callee-saved
 *          registers, rsp and rip with which probe_enter() "returns 1"
 *          when traps.c abandons a probed function after a fault.
 * Touches: nothing else.
 *
 * long probe_enter(struct probe_ctx *ctx, void (*fn)(void *), void *arg)
 * saves its own return context in ctx, calls fn(arg) and returns 0.  If fn
 * faults, trap_dispatch() rewrites the trap frame from ctx, so the iret
 * lands at probe_enter's return address with rax = 1: a setjmp/longjmp
 * pair where the longjmp is done by the trap return.
 */
#define PROBE_RBX 0
#define PROBE_RBP 8
#define PROBE_R12 16
#define PROBE_R13 24
#define PROBE_R14 32
#define PROBE_R15 40
#define PROBE_RSP 48
#define PROBE_RIP 56

    .text
    .globl probe_enter
probe_enter:
    mov %rbx, PROBE_RBX(%rdi)
    mov %rbp, PROBE_RBP(%rdi)
    mov %r12, PROBE_R12(%rdi)
    mov %r13, PROBE_R13(%rdi)
    mov %r14, PROBE_R14(%rdi)
    mov %r15, PROBE_R15(%rdi)
    lea 8(%rsp), %rax               /* rsp once we have returned */
    mov %rax, PROBE_RSP(%rdi)
    mov (%rsp), %rax                /* our return address */
    mov %rax, PROBE_RIP(%rdi)
    push %rbx                       /* realign the stack to 16 for the call */
    mov %rsi, %rax
    mov %rdx, %rdi
    call *%rax
    pop %rbx
    xor %eax, %eax
    ret
