/* SPDX-License-Identifier: MIT */
/*
 * vcpu.c - the vcpu_op hypercall (24): a vCPU's timers and state.
 * Owns:    each vCPU's single-shot and periodic timer (their callbacks
 *          raise VIRQ_TIMER), the vcpu_op sub-ops.
 * Touches: timers (common/timer.c), event channels (send_guest_vcpu_virq).
 * Trusts:  nothing from the guest: the vCPU id is checked first, each
 *          argument struct is copied in.
 * ABI:     abi/xen/vcpu.h; docs/abi/hypercalls.md rows 24.*. Semantics and
 *          errors are Xen 4.17's (common/domain.c do_vcpu_op()).
 *
 * Implemented: is_up, the timers (set/stop_singleshot_timer, whose
 * VCPU_SSHOTTMR_future Xen ignores since 4.17.3; set/stop_periodic_timer,
 * 10 ms from the start as Xen gives every PV vCPU). The rest answer
 * -XEN_ENOSYS until several vCPUs and runstate accounting exist.
 */
#define LOG_PREFIX "vcpu"
#include <xen/vcpu.h>
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "time.h"
#include "timer.h"

#define PERIOD_DEFAULT MILLISECS(10)   /* as Xen gives every PV vCPU */
#define PERIOD_MIN MILLISECS(1)        /* as Xen: shorter is -EINVAL */
#define PERIOD_MAX (~0ULL >> 2)        /* Xen's STIME_DELTA_MAX      */

static void vcpu_singleshot_timer_fn(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

static void vcpu_set_periodic_timer(struct vcpu *v, uint64_t period)
{
    v->periodic_period = period;
    if (period)
        set_timer(&v->periodic_timer, NOW() + period);
    else
        stop_timer(&v->periodic_timer);
}

static void vcpu_periodic_timer_fn(void *data)
{
    struct vcpu *v = data;

    send_guest_vcpu_virq(v, VIRQ_TIMER);
    set_timer(&v->periodic_timer, NOW() + v->periodic_period);
}

static void vcpu_poll_timer_fn(void *data)
{
    struct vcpu *v = data;

    if (v->polling)
        vcpu_unblock(v);
}

/* A PV vCPU starts with a 10 ms periodic VIRQ_TIMER, as on Xen. */
void vcpu_timers_init(struct vcpu *v)
{
    init_timer(&v->singleshot_timer, vcpu_singleshot_timer_fn, v);
    init_timer(&v->periodic_timer, vcpu_periodic_timer_fn, v);
    init_timer(&v->poll_timer, vcpu_poll_timer_fn, v);
    vcpu_set_periodic_timer(v, PERIOD_DEFAULT);
}

void vcpu_timers_stop(struct vcpu *v)
{
    stop_timer(&v->singleshot_timer);
    stop_timer(&v->periodic_timer);
    stop_timer(&v->poll_timer);
}

static long vcpu_set_periodic(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_periodic_timer set;

    if (copy_from_guest(&set, arg, sizeof(set)))
        return -XEN_EFAULT;
    if (set.period_ns < PERIOD_MIN || set.period_ns > PERIOD_MAX)
        return hc_fail(-XEN_EINVAL, "periodic timer of %lu ns", set.period_ns);
    vcpu_set_periodic_timer(v, set.period_ns);
    return 0;
}

static long vcpu_set_singleshot(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_singleshot_timer set;

    if (v != current)
        return hc_fail(-XEN_EINVAL, "single-shot timer of another vcpu");
    if (copy_from_guest(&set, arg, sizeof(set)))
        return -XEN_EFAULT;
    /* flags are ignored, VCPU_SSHOTTMR_future too, as Xen 4.17.3 on. */
    set_timer(&v->singleshot_timer, set.timeout_abs_ns);
    return 0;
}

long do_vcpu_op(unsigned int cmd, unsigned int vcpuid, uint64_t arg)
{
    struct domain *d = current->domain;
    struct vcpu *v = vcpuid < d->max_vcpus ? d->vcpu[vcpuid] : NULL;

    if (!v)
        return hc_fail(-XEN_ENOENT, "vcpu_op: d%u has no vcpu %u", d->domain_id,
                       vcpuid);
    switch (cmd) {
    case VCPUOP_is_up:
        return 1;                       /* every vCPU that exists is up */
    case VCPUOP_set_periodic_timer:
        return vcpu_set_periodic(v, arg);
    case VCPUOP_stop_periodic_timer:
        vcpu_set_periodic_timer(v, 0);
        return 0;
    case VCPUOP_set_singleshot_timer:
        return vcpu_set_singleshot(v, arg);
    case VCPUOP_stop_singleshot_timer:
        if (v != current)
            return hc_fail(-XEN_EINVAL, "single-shot timer of another vcpu");
        stop_timer(&v->singleshot_timer);
        return 0;
    default:
        return hc_fail(-XEN_ENOSYS, "vcpu_op cmd %u", cmd);
    }
}
