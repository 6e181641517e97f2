/* SPDX-License-Identifier: MIT */
/*
 * apic.h - this CPU's local APIC: the hypervisor's timer interrupt.
 * Owns:    the declarations of arch/x86_64/apic.c and the vectors it uses.
 * Touches: nothing.
 */
#ifndef PVISOR_APIC_H
#define PVISOR_APIC_H

#include "types.h"

#define FIRST_IRQ_VECTOR      0x20   /* vectors below are exceptions     */
#define APIC_TIMER_VECTOR     0xf0
#define APIC_SPURIOUS_VECTOR  0xff

/* Enable the local APIC, map its registers, calibrate its timer. */
void apic_init(void);
/* The timer: arch_timer_program() (timer.h) arms it. */
/* Acknowledge the interrupt being handled. */
void apic_eoi(void);
/* Is machine frame mfn the local APIC's registers (never a guest's)? */
bool apic_mmio_mfn(uint64_t mfn);
/* Is it the I/O APIC's (a guest may map it only read-only)? */
bool apic_mmio_ro_mfn(uint64_t mfn);

#endif
