/* SPDX-License-Identifier: MIT */
/*
 * time.h - system time and the guests' view of it.
 * Owns:    the declarations of arch/x86_64/time.c: system time in ns
 *          since boot (Xen's NOW()), the pvclock and wallclock a guest
 *          reads from shared_info.
 * Touches: nothing.
 */
#ifndef PVISOR_TIME_H
#define PVISOR_TIME_H

#include "types.h"

#define MILLISECS(ms) ((uint64_t)(ms) * 1000000ULL)
#define SECONDS(s)    ((uint64_t)(s) * 1000000000ULL)

struct vcpu;
struct domain;

/* Calibrate the TSC and read the RTC (once, at boot). */
void time_init(void);
/* The TSC's calibrated rate in kHz (sysctl physinfo's cpu_khz). */
uint32_t time_cpu_khz(void);
/* ns since boot (the system time guests see in vcpu_time_info). */
uint64_t NOW(void);
/* The TSC value at system time ns (the TSC-deadline timer's unit). */
uint64_t stime_to_tsc(uint64_t ns);
/* Give v's vcpu_time_info the current scale (the version protocol). */
void update_vcpu_system_time(struct vcpu *v);
/* Write the wallclock at system time 0 into d's shared_info. */
void update_domain_wallclock_time(struct domain *d);

#endif
