/* SPDX-License-Identifier: MIT */
/*
 * domain_build.h - building a domain from boot modules (pv/domain_build.c):
 * dom0, and the boot domUs named by domus= (setup.c).
 */
#ifndef PVISOR_DOMAIN_BUILD_H
#define PVISOR_DOMAIN_BUILD_H

#include "dom0_mem.h"
#include "multiboot.h"
#include "sched.h"

struct domain_build_params {
    domid_t id;
    bool privileged;                   /* dom0: SIF_INITDOMAIN, no console ring */
    const struct boot_module *kernel;
    const struct boot_module *initrd;  /* or NULL */
    uint64_t mem;                      /* a domU's, in bytes */
    const struct dom0_mem *dom0_mem;   /* dom0's: dom0_mem= (NULL: default) */
    uint64_t keep_free;                /* dom0 leaves this free too */
    const char *cmdline;
    unsigned int max_vcpus;            /* vCPU 0 runs; the others wait for VCPUOP_up */
    unsigned int weight, cap;          /* credit scheduler; weight 0: default */
};

/*
 * Build the domain, vCPU 0 runnable. NULL with the reason in err if the
 * kernel or the memory cannot be used; a refused domU has given back
 * everything, a refused dom0 is the caller's panic.
 */
struct domain *domain_build(const struct domain_build_params *bp, char *err,
                            size_t errlen);

#endif
