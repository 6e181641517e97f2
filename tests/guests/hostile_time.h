/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_time.h - what the time, timer and vCPU attacks
 *             share: Xen system time read from vcpu_info, a busy wait, and
 *             a VIRQ_TIMER port kept masked so that "did the timer fire"
 *             is a pending bit to read, never an upcall.
 * Owns:    nothing; hostile_time.c implements it.
 * Touches: vCPU 0's vcpu_time_info (read), rdtsc; event_channel_op
 *          bind_virq/close; shared_info's mask and pending bit of the
 *          timer port.
 */
#ifndef HOSTILE_TIME_H
#define HOSTILE_TIME_H

#include "hostile_evtchn.h"
#include <xen/vcpu.h>
#include <xen/sched.h>

#define HG_MS 1000000ull                    /* ns */

/* Xen system time now (ns since boot), from vCPU 0's vcpu_time_info. */
uint64_t hg_now(void);
/* Spin (events stay masked) for ns nanoseconds of system time. */
void hg_spin_ns(uint64_t ns);

/* Bind VIRQ_TIMER on vCPU 0 with the raw sub-op, set its mask bit and
 * clear its pending bit: port, or the bind's -XEN_E*. */
long hg_timer_port_open(void);
/* Spin wait_ns, then say whether port became pending; clear it again. */
int hg_timer_fired(evtchn_port_t port, uint64_t wait_ns);
void hg_port_clear_pending(evtchn_port_t port);
void hg_port_set_mask(evtchn_port_t port);

#endif /* HOSTILE_TIME_H */
