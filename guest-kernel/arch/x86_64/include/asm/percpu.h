/* SPDX-License-Identifier: MIT */
/*
 * asm/percpu.h - per-CPU data: one area per vCPU, found through the
 *                kernel GS base.
 * Owns:    struct percpu, percpu_areas[], smp_processor_id().
 * Touches: nothing (declarations and inline readers; arch/x86_64/percpu.c
 *          sets the GS base through pv_ops.set_segment_base).
 *
 * Each vCPU's kernel GS base points at its own struct percpu, as Linux's
 * per-CPU data does: "mov %gs:8" is this vCPU's id, one load, no lock, no
 * hypercall, right in any context (the event upcall included).  The boot
 * vCPU sets its base in arch_setup() (percpu_init(0)); a vCPU the kernel
 * starts gets it in its initial context (vcpu_guest_context.gs_base_kernel,
 * pv/xen_smp.c), so its first instruction already runs with it.
 *
 * The kernel GS base is also something the self-tests and the fuzzer move
 * on purpose (set_segment_base, wrmsr), restoring it afterwards.  So that
 * nothing in between can trip over it, smp_processor_id() reads %gs only
 * while another vCPU may be running (smp_secondary_started(), which the
 * code that starts and stops vCPUs keeps true from the first
 * VCPUOP_initialise until they are all down); otherwise the boot vCPU is
 * the only one that runs and the answer is 0 without a load.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <stdbool.h>
#include <stddef.h>

/* vCPUs the kernel has per-CPU areas for (ids 0 .. SMP_MAX_CPUS-1). */
#define SMP_MAX_CPUS 4

struct percpu {
    struct percpu *self;        /* %gs:0, this area's own address */
    unsigned int cpu;           /* %gs:8, the vCPU id */
    void *current;              /* the process running here (kernel/sched.c:
                                   struct process *), NULL: idle/boot thread */
};

/* This vCPU's area (through smp_processor_id(), so safe while a test
 * moves the GS base on a uniprocessor kernel). */
#define this_percpu() (&percpu_areas[smp_processor_id()])

extern struct percpu percpu_areas[SMP_MAX_CPUS];
extern volatile bool percpu_smp;    /* see smp_secondary_started() */

/* vCPU cpu's area, filled in (self, cpu); NULL past SMP_MAX_CPUS.  What a
 * secondary vCPU's initial kernel GS base is set to. */
struct percpu *percpu_area(unsigned int cpu);
/* Point the calling vCPU's kernel GS base at percpu_area(cpu); 0 or -errno. */
long percpu_init(unsigned int cpu);

/* Whether a vCPU other than the boot one may be running. */
static inline bool smp_secondary_started(void)
{
    return __atomic_load_n(&percpu_smp, __ATOMIC_ACQUIRE);
}

/* Set before a secondary vCPU is initialised, cleared once all are down. */
static inline void smp_set_secondary_started(bool started)
{
    __atomic_store_n(&percpu_smp, started, __ATOMIC_RELEASE);
}

/* The id of the vCPU this code runs on. */
static inline unsigned int smp_processor_id(void)
{
    unsigned int cpu;

    if (!smp_secondary_started())
        return 0;
    asm volatile("movl %%gs:%c1, %0" : "=r"(cpu) : "i"(offsetof(struct percpu, cpu)));
    return cpu;
}

#endif /* ASM_PERCPU_H */
