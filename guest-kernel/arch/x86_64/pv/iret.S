/* SPDX-License-Identifier: MIT */
#define __ASSEMBLY__   /* Xen's public headers test this, gcc defines __ASSEMBLER__ */
/*
 * pv/iret.S - the one pv-op written in assembly: return from a trap.
 * Owns:    pv_iret, pv_iret_syscall.
 * Touches: hypercall_page slot __HYPERVISOR_iret.
 * ABI:     abi/xen/arch-x86/xen-x86_64.h (struct iret_context).
 *
 * On entry the stack holds rip, cs, rflags, rsp, ss (cs with the RPL the
 * hypervisor gave the frame).  Natively this would be "iretq".  Under Xen the
 * kernel is in ring 3 and returns through the iret hypercall: we push the
 * iret_context flags (0: not returning from a syscall) and jump to the iret
 * stub, which pushes rcx, r11 and rax to complete struct iret_context
 * {rax, r11, rcx, flags, rip, cs, rflags, rsp, ss} and never returns.
 */
#include <xen/xen.h>
#include "hypercall_page.h"

    .text
    .globl pv_iret
pv_iret:
    pushq $0
    jmp hypercall_page + __HYPERVISOR_iret * HYPERCALL_STUB_SIZE

/* The return from a system call: the same with VGCF_in_syscall, which lets
 * the hypervisor return with sysret (rcx, r11 not restored). */
    .globl pv_iret_syscall
pv_iret_syscall:
    pushq $VGCF_in_syscall
    jmp hypercall_page + __HYPERVISOR_iret * HYPERCALL_STUB_SIZE
