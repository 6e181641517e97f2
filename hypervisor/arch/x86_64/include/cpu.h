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
/* The LDT area of this CPU (LDT_AREA_PAGES pages), its pages, and LDTR
 * (ents descriptors of the area; 0: no LDT). */
uint64_t cpu_ldt_area(void);
void cpu_ldt_map_page(unsigned int i, mfn_t mfn);
void cpu_ldt_unmap_page(unsigned int i);
void cpu_load_ldt(unsigned int ents);

#endif
