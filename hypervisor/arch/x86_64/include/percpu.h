/* SPDX-License-Identifier: MIT */
/*
 * percpu.h - per-CPU state found from the stack pointer.
 * Owns:    struct cpu_info, which sits at the top of each CPU's
 *          STACK_SIZE-aligned stack block (as in Xen), and current.
 * Touches: nothing.
 *
 * The guest frame is the first field: a trap from ring 3 lands there
 * (TSS.RSP0 = &guest_regs.es), and the syscall entry builds it there, so
 * guest_cpu_user_regs() is always the running vCPU's saved state.
 */
#ifndef PVISOR_PERCPU_H
#define PVISOR_PERCPU_H

#include <xen/xen.h>
#include "asm_offsets.h"
#include "layout.h"
#include "processor.h"

struct vcpu;

struct cpu_info {
    struct cpu_user_regs guest_regs;
    uint64_t scratch_rsp;        /* guest rsp during syscall entry      */
    uint64_t rsp0;               /* = &guest_regs.es, for syscall entry */
    struct vcpu *current_vcpu;
    unsigned int processor_id;
    uint32_t pad;
};

_Static_assert(__builtin_offsetof(struct cpu_info, scratch_rsp) == CPUINFO_scratch_rsp, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_info, rsp0) == CPUINFO_rsp0, "asm_offsets");
/* RSP0 = base + UREGS_kernel_sizeof must be 16-byte aligned. */
_Static_assert((sizeof(struct cpu_info) + UREGS_kernel_sizeof) % 16 == 0,
               "cpu_info size keeps RSP0 16-byte aligned");

/*
 * Not volatile: every %rsp of this CPU lies in the same stack block, so
 * the compiler may compute the mask once per function (the hypercall
 * path asks for current and the frame several times).
 */
static inline struct cpu_info *get_cpu_info(void)
{
    uint64_t sp, top;

    asm("mov %%rsp, %0" : "=r"(sp));
    top = (sp | (STACK_SIZE - 1)) + 1;
    return (struct cpu_info *)(top - sizeof(struct cpu_info));
}

#define current (get_cpu_info()->current_vcpu)
#define smp_processor_id() (get_cpu_info()->processor_id)
#define guest_cpu_user_regs() (&get_cpu_info()->guest_regs)

#endif
