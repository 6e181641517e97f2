/* SPDX-License-Identifier: MIT */
/*
 * cpu.h - per-CPU descriptor tables and MSR set-up (cpu.c).
 */
#ifndef PVISOR_CPU_H
#define PVISOR_CPU_H

#include "types.h"

/* A fresh, zeroed stack block for CPU `cpu`, mapped in the stack area:
 * returns the initial rsp (below struct cpu_info). */
uint64_t cpu_alloc_stack(unsigned int cpu);
void cpu_init_boot(void);
/* Remap the legacy PICs off the exception vectors and mask them. */
void i8259_init_masked(void);
/* The GDT area of this CPU: guest frames in pages 0..13. */
void cpu_gdt_map_guest_frames(const unsigned long *mfns, unsigned int nr);

#endif
