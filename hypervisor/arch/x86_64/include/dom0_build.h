/* SPDX-License-Identifier: MIT */
/*
 * dom0_build.h - building dom0 from the boot modules (pv/dom0_build.c).
 */
#ifndef PVISOR_DOM0_BUILD_H
#define PVISOR_DOM0_BUILD_H

#include "multiboot.h"

/* Build dom0 and run it; never returns. Panics with the reason if the
 * kernel image or the memory cannot be used. dom0_mem 0 = default. */
void dom0_construct(const struct boot_module *kernel,
                    const struct boot_module *initrd, uint64_t dom0_mem,
                    const char *cmdline)
    __attribute__((noreturn));

#endif
