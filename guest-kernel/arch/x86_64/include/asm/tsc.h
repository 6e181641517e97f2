/* SPDX-License-Identifier: MIT */
/*
 * asm/tsc.h - reading the time-stamp counter.
 * Owns:    rdtsc_ordered(); the declarations of the boot stamps
 *          (boot_tsc_entry: head.S, _start's first instruction;
 *          boot_tsc_console: pv/xen_console.c, the first console write),
 *          which the `boottsc` command-line word prints (kernel/main.c).
 * Touches: nothing.
 *
 * rdtsc is not a privileged instruction (CR4.TSD is clear under Xen and
 * pvisor alike), so it needs no pv-op; but it is not ordered with the
 * instructions around it, hence the lfence before it: the counter is read
 * after every load before it has completed (SDM vol. 2B, RDTSC).  Used by
 * the pvclock (pv/xen_time.c) and by the benchmark roles, which count in
 * TSC ticks.
 */
#ifndef ASM_TSC_H
#define ASM_TSC_H

#include <stdint.h>

static inline uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

extern uint64_t boot_tsc_entry, boot_tsc_console;

#endif /* ASM_TSC_H */
