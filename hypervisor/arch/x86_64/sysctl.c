/* SPDX-License-Identifier: MIT */
/*
 * sysctl.c - sysctl's x86 part: the machine's half of XEN_SYSCTL_physinfo
 *            (Xen's arch_do_physinfo()).
 * Owns:    nothing; reads CPUID, the TSC rate (time.c), the boot memory
 *          map and the frame table's size.
 * Touches: only the struct it is given.
 *
 * One CPU (NR_CPUS): one thread per core, one core per socket, CPU 0 the
 * largest id; one NUMA node, with Xen's max_node_id. total_pages counts the RAM frames of the boot
 * memory map, as Xen's total_pages; max_mfn is the last frame the frame
 * table covers (Xen's get_upper_mfn_bound() without memory hotplug).
 * hw_cap holds the boot CPU's CPUID words in Xen's featureset order
 * (public/arch-x86/cpufeatureset.h: 1.edx, 1.ecx, e1.edx, e1.ecx, Da1.eax,
 * 7:0.ebx, 7:0.ecx, e7.edx), as the CPU reports them.
 */
#define LOG_PREFIX "sysctl"
#include <xen/sysctl.h>
#include "arch.h"
#include "config.h"
#include "entry.h"
#include "frame.h"
#include "multiboot.h"
#include "page.h"
#include "processor.h"
#include "time.h"

#define CPUID_EXT_BASE 0x80000000u
#define CPUID_XSAVE    0xdu
#define CPUID_EXT_PM   0x80000007u     /* advanced power management */
/* Xen's MAX_NUMNODES - 1 (CONFIG_NR_NUMA_NODES 64): what 4.17 answers. */
#define XEN_MAX_NODE_ID 63

static uint64_t ram_frames(void)
{
    const struct boot_info *bi = boot_info_get();
    uint64_t n = 0;

    for (unsigned int i = 0; i < bi->nr_mem; i++)
        if (bi->mem[i].type == BOOT_MEM_RAM)
            n += (ROUNDDOWN(bi->mem[i].addr + bi->mem[i].len, PAGE_SIZE) -
                  ROUNDUP(bi->mem[i].addr, PAGE_SIZE)) >> PAGE_SHIFT;
    return n;
}

static void physinfo_hw_cap(uint32_t hw_cap[8])
{
    uint32_t max = cpuid_count(0, 0).eax, ext = cpuid_count(CPUID_EXT_BASE, 0).eax;
    struct cpuid_regs r = cpuid_count(1, 0);

    hw_cap[0] = r.edx;
    hw_cap[1] = r.ecx;
    if (ext >= CPUID_EXT_BASE + 1) {
        r = cpuid_count(CPUID_EXT_BASE + 1, 0);
        hw_cap[2] = r.edx;
        hw_cap[3] = r.ecx;
    }
    if (max >= CPUID_XSAVE)
        hw_cap[4] = cpuid_count(CPUID_XSAVE, 1).eax;
    if (max >= 7) {
        r = cpuid_count(7, 0);
        hw_cap[5] = r.ebx;
        hw_cap[6] = r.ecx;
    }
    if (ext >= CPUID_EXT_PM)
        hw_cap[7] = cpuid_count(CPUID_EXT_PM, 0).edx;
}

void arch_do_physinfo(struct xen_sysctl_physinfo *pi)
{
    pi->threads_per_core = 1;
    pi->cores_per_socket = 1;
    pi->nr_cpus = NR_CPUS;
    pi->max_cpu_id = NR_CPUS - 1;
    pi->nr_nodes = 1;
    pi->max_node_id = XEN_MAX_NODE_ID;
    pi->cpu_khz = time_cpu_khz();
    pi->capabilities |= XEN_SYSCTL_PHYSCAP_pv;
    pi->total_pages = ram_frames();
    pi->max_mfn = max_page - 1;
    physinfo_hw_cap(pi->hw_cap);
}
