/* SPDX-License-Identifier: MIT */
/*
 * pv/stack_switch.c - the stack_switch hypercall (3).
 * Owns:    the kernel stack a bounce from guest user mode lands on.
 * ABI:     stack_switch(ss, rsp); the selector's RPL is forced to 3 (the
 *          guest kernel's ring). docs/abi/hypercalls.md row 3.
 */
#include "hypercall.h"

long do_stack_switch(unsigned long ss, unsigned long esp)
{
    struct vcpu *v = current;

    v->pv.kernel_ss = (ss & ~3UL) | 3;
    v->pv.kernel_sp = esp;
    return 0;
}
