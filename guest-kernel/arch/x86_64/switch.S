/* SPDX-License-Identifier: MIT */
/*
 * switch.S - switch_context(): from one kernel stack to another.
 * Owns:    the layout of a switched-out stack: rbx, rbp, r12-r15 pushed,
 *          then the stack pointer saved in struct kcontext.
 * Touches: nothing else.  The same instructions natively and under PV: a
 *          kernel stack switch is not privileged (what is, telling the
 *          hypervisor which stack traps from user mode enter on, is
 *          pv_ops.load_kernel_stack, done by arch/x86_64/process.c).
 *
 * A process that never ran is given a stack (process.c) whose saved
 * registers are zero and whose return address is ret_to_user_first, so
 * the first switch to it "returns" into the path that enters user mode.
 */
    .text
    .globl switch_context
/* void switch_context(struct kcontext *save (rdi), const struct kcontext *load (rsi)) */
switch_context:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, (%rdi)
    mov (%rsi), %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
