/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_time.c - time for the Xen PV64 ABI: system time from the pvclock,
 *                 the wallclock, the one-shot timer and its event, blocking.
 * Owns:    each vCPU's VIRQ_TIMER port and the function they call.
 * Touches: vcpu_info.time and shared_info.wc_* (read only); rdtsc; set_timer_op;
 *          vcpu_op(VCPUOP_stop_periodic_timer); sched_op(SCHEDOP_block);
 *          the event layer (evtchn_bind_virq, evtchn_close).
 * Trusts:  the hypervisor's time fields, once their version is even and
 *          unchanged across the read.
 * ABI:     abi/xen/xen.h (struct vcpu_time_info, shared_info.wc_*,
 *          VIRQ_TIMER); abi/xen/vcpu.h; abi/xen/sched.h;
 *          docs/porting-guide.md, section 7.
 *
 * System time is nanoseconds since the hypervisor booted.  The hypervisor
 * does not keep it current in memory: it writes, per vCPU, a snapshot
 * (system_time at TSC value tsc_timestamp) and the TSC's rate as a shift
 * and a 32.32 fixed-point multiplier, and the guest extrapolates with its
 * own rdtsc:
 *
 *     delta = tsc - tsc_timestamp, shifted left by tsc_shift (right if < 0)
 *     now   = system_time + (delta * tsc_to_system_mul) / 2^32
 *
 * The snapshot is rewritten whenever the hypervisor recalibrates or moves
 * the vCPU, so it is read as a seqlock: version is odd while the fields
 * change; read version, the fields, the version again, and start over if
 * it was odd or moved.  The wallclock (wc_sec_hi:wc_sec, wc_nsec: the date
 * at system time 0) is read the same way under wc_version.
 */
#include <kernel.h>
#include <evtchn.h>
#include <time.h>
#include <asm/tsc.h>
#include "hypercall.h"
#include "xen.h"

/* TSC ticks to ns with the snapshot's scale: a 64 x 32 -> 96-bit product,
 * of which bits 32..95 are the answer. */
static inline uint64_t pvclock_scale(uint64_t delta, int8_t shift, uint32_t mul)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t xen_clock_ns_version(uint32_t *version)
{
    const volatile struct vcpu_time_info *t = &xen_vcpu()->time;
    uint32_t v;
    uint64_t ns;

    do {
        v = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        ns = t->system_time + pvclock_scale(rdtsc_ordered() - t->tsc_timestamp,
                                            t->tsc_shift, t->tsc_to_system_mul);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((v & 1) || v != t->version);
    if (version)
        *version = v;
    return ns;
}

uint64_t xen_clock_ns(void)
{
    return xen_clock_ns_version(NULL);
}

void xen_wallclock(struct wall_time *wt)
{
    const volatile shared_info_t *s = HYPERVISOR_shared_info;
    uint64_t sec, ns;
    uint32_t v, nsec;

    do {
        v = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
        nsec = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((v & 1) || v != s->wc_version);
    ns = nsec + xen_clock_ns();
    wt->sec = sec + ns / NSEC_PER_SEC;
    wt->nsec = ns % NSEC_PER_SEC;
}

long xen_set_timer(uint64_t deadline_ns)
{
    return HYPERVISOR_set_timer_op(deadline_ns);
}

/* VIRQ_TIMER is per vCPU: each vCPU binds its own, for its own timer. */
static void (*xen_timer_fn)(void);
static unsigned int xen_timer_evtchn[SMP_MAX_CPUS];

unsigned int xen_timer_port(void)
{
    return xen_timer_evtchn[smp_processor_id()];
}

static void xen_timer_virq(unsigned int port, void *arg)
{
    (void)port;
    (void)arg;
    xen_timer_fn();
}

/*
 * VIRQ_TIMER is raised by the one-shot timer (set_timer_op, or
 * VCPUOP_set_singleshot_timer) and by the periodic timer, which Xen
 * starts at 10 ms for every PV vCPU; this kernel drives everything from
 * the one-shot timer, as Linux does, so the periodic one is stopped first.
 * Both timers and the VIRQ are the calling vCPU's.
 */
long xen_timer_irq_bind(void (*fn)(void))
{
    unsigned int cpu = smp_processor_id();
    long rc;

    if (xen_timer_evtchn[cpu])
        return -XEN_EEXIST;
    rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, cpu, NULL);
    if (rc)
        return rc;
    xen_timer_fn = fn;
    rc = evtchn_bind_virq(VIRQ_TIMER, cpu, xen_timer_virq, NULL);
    if (rc < 0)
        return rc;
    xen_timer_evtchn[cpu] = rc;
    return 0;
}

long xen_timer_irq_unbind(void)
{
    unsigned int cpu = smp_processor_id();
    long rc, rc_close;

    if (!xen_timer_evtchn[cpu])
        return -XEN_EINVAL;
    rc = HYPERVISOR_set_timer_op(0);
    rc_close = evtchn_close(xen_timer_evtchn[cpu]);
    xen_timer_evtchn[cpu] = 0;
    return rc ? rc : rc_close;
}

/*
 * Called with events masked.  SCHEDOP_block unmasks them and sleeps until
 * one is pending, and Xen checks for a pending event after unmasking, so
 * an event raised just before the call is not lost.  One that is already
 * pending is handled here without entering the hypervisor to sleep: unmask
 * (xen_irq_enable() makes the upcall happen) and return.
 */
long xen_safe_halt(void)
{
    if (xen_vcpu()->evtchn_upcall_pending) {
        xen_irq_enable();
        return 0;
    }
    return HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}
