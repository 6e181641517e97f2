/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_time.c - the time helpers of hostile_time.h.
 * Owns:    nothing.
 * Touches: vcpu_info[0].time (read), rdtsc, event_channel_op, shared_info's
 *          bits of the one port it binds.
 */
#include "hostile_time.h"

#define HG_BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The pvclock formula: system_time + ((tsc - tsc_timestamp) << shift) * mul >> 32,
 * read again if the version was odd or changed meanwhile. */
uint64_t hg_now(void)
{
    volatile struct vcpu_time_info *t = &HYPERVISOR_shared_info->vcpu_info[0].time;
    uint32_t version, mul;
    uint64_t stamp, sys, delta;
    int8_t shift;

    do {
        version = t->version;
        asm volatile("" ::: "memory");
        stamp = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        delta = rdtsc() - stamp;
        asm volatile("" ::: "memory");
    } while ((version & 1) || version != t->version);
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

void hg_spin_ns(uint64_t ns)
{
    uint64_t end = hg_now() + ns;

    while (hg_now() < end)
        asm volatile("pause");
}

void hg_port_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(&HYPERVISOR_shared_info->evtchn_pending[port / HG_BITS_PER_WORD],
                       ~((xen_ulong_t)1 << (port % HG_BITS_PER_WORD)), __ATOMIC_SEQ_CST);
}

void hg_port_set_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&HYPERVISOR_shared_info->evtchn_mask[port / HG_BITS_PER_WORD],
                      (xen_ulong_t)1 << (port % HG_BITS_PER_WORD), __ATOMIC_SEQ_CST);
}

long hg_timer_port_open(void)
{
    long port = hg_evtchn_bind_virq(VIRQ_TIMER, 0);

    if (port > 0) {
        hg_port_set_mask(port);
        hg_port_clear_pending(port);
    }
    return port;
}

int hg_timer_fired(evtchn_port_t port, uint64_t wait_ns)
{
    int fired;

    hg_spin_ns(wait_ns);
    fired = hg_evtchn_pending(port);
    hg_port_clear_pending(port);
    return fired;
}
