/* SPDX-License-Identifier: MIT */
/*
 * percpu.c - the per-CPU areas (asm/percpu.h).
 * Owns:    percpu_areas[], percpu_smp.
 * Touches: pv_ops.set_segment_base (the calling vCPU's kernel GS base).
 */
#include <asm/percpu.h>
#include <asm/pvops.h>
#include <xen/errno.h>

struct percpu percpu_areas[SMP_MAX_CPUS];
volatile bool percpu_smp;

struct percpu *percpu_area(unsigned int cpu)
{
    struct percpu *p;

    if (cpu >= SMP_MAX_CPUS)
        return NULL;
    p = &percpu_areas[cpu];
    p->self = p;
    p->cpu = cpu;
    return p;
}

long percpu_init(unsigned int cpu)
{
    struct percpu *p = percpu_area(cpu);

    if (!p)
        return -XEN_EINVAL;
    return pv_ops.set_segment_base(SEGBASE_KIND_GS_KERNEL, (unsigned long)p);
}
