/* SPDX-License-Identifier: MIT */
/*
 * rdrand.h - the CPU's random number instruction, for the kernel RNG's seed.
 * Owns:    rdrand64().
 * Touches: nothing.
 *
 * rdrand is not privileged and not intercepted by a PV hypervisor; whether
 * the CPU has it is CPUID.1:ECX bit 30 (ask through pv_ops.cpuid, which a
 * hypervisor may mask).  It can fail transiently (CF clear): retry a few
 * times, as Intel's guidance says.
 */
#ifndef ASM_RDRAND_H
#define ASM_RDRAND_H

#include <stdbool.h>
#include <stdint.h>

#define CPUID1_ECX_RDRAND (1u << 30)

static inline bool rdrand64(uint64_t *v)
{
    int tries;

    for (tries = 0; tries < 10; tries++) {
        unsigned char ok;

        asm volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
        if (ok)
            return true;
    }
    return false;
}

#endif /* ASM_RDRAND_H */
