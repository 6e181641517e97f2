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
 * Implemented as Xen 4.17.7 answers them (tests/guests/vcpu_op_bad_args):
 * is_up, up (-EINVAL without a context), down (the vCPU stops; the last
 * vCPU down powers the domain off), initialise (vCPUs above 0 start with
 * no context and down: the context is loaded by pv/vcpu_context.c;
 * -EEXIST once a vCPU has one, so always for vCPU 0), the
 * timers (single-shot, whose VCPU_SSHOTTMR_future Xen ignores since
 * 4.17.3; periodic, 10 ms from the start), runstate (get_runstate_info,
 * register_runstate_memory_area), register_vcpu_time_memory_area,
 * register_vcpu_info (moves vcpu_info into a page of the guest, held by
 * a writable type reference until the domain dies), send_nmi (through
 * trap-table vector 2, masked until the guest's iret), get_physid (the
 * privileged domain only).
 */
#define LOG_PREFIX "vcpu"
#include <xen/sched.h>
#include <xen/vcpu.h>
#include "arch.h"
#include "domain.h"
#include "frame.h"
#include "guest_access.h"
#include "lib.h"
#include "page.h"
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

/*
 * The periodic timer ticks only while its vCPU runs, as Xen's: off the
 * CPU it sends nothing, and when the vCPU comes back
 * (vcpu_periodic_timer_work() from the context switch) the ticks missed
 * meanwhile come as one. Xen stops the timer as the vCPU leaves; here it
 * is left armed (a switch pays nothing for it) and, firing while its
 * vCPU is away, finds it so and neither ticks nor re-arms: at most one
 * early interrupt per vCPU that leaves, and a vCPU back before its next
 * tick finds its timer still armed for it.
 */
void vcpu_periodic_timer_work(struct vcpu *v, uint64_t now)
{
    uint64_t next;

    if (!v->periodic_period)
        return;
    next = v->periodic_last_event + v->periodic_period;
    if (now >= next) {
        send_guest_vcpu_virq(v, VIRQ_TIMER);
        v->periodic_last_event = now;
        next = now + v->periodic_period;
    } else if (v->periodic_timer.active && v->periodic_timer.expires == next) {
        return;
    }
    set_timer(&v->periodic_timer, next);
}

static void vcpu_set_periodic_timer(struct vcpu *v, uint64_t period)
{
    v->periodic_period = period;
    v->periodic_last_event = NOW();
    if (period)
        set_timer(&v->periodic_timer, v->periodic_last_event + period);
    else
        stop_timer(&v->periodic_timer);
}

static void vcpu_periodic_timer_fn(void *data)
{
    struct vcpu *v = data;

    if (v->running)                 /* off the CPU: no tick (above) */
        vcpu_periodic_timer_work(v, NOW());
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

/* ---- runstate ------------------------------------------------------- */

void vcpu_runstate_change(struct vcpu *v, int state)
{
    vcpu_runstate_change_at(v, state, NOW());
}

void vcpu_runstate_change_at(struct vcpu *v, int state, uint64_t now)
{
    struct vcpu_runstate_info *r = &v->runstate;

    if (r->state_entry_time)
        r->time[r->state] += now - r->state_entry_time;
    r->state = state;
    r->state_entry_time = now;
}

/* The runstate as of now: the current state's time counted up to now. */
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r)
{
    *r = v->runstate;
    r->time[r->state] += NOW() - r->state_entry_time;
}

/*
 * Copy the runstate into the area the guest registered (faults ignored,
 * as Xen). Only from guest kernel mode: the area is a kernel address.
 */
void vcpu_update_guest_areas(struct vcpu *v)
{
    struct vcpu_runstate_info r;

    if (!v->runstate_guest || !v->kernel_mode)
        return;
    vcpu_runstate_get(v, &r);
    (void)copy_to_guest(v->runstate_guest, &r, sizeof(r));
}

/* Register an area (runstate, time): 0 unregisters; Xen's range is -EFAULT. */
static long vcpu_register_area(uint64_t arg, uint64_t *slot, size_t size)
{
    uint64_t addr;

    if (copy_from_guest(&addr, arg, sizeof(addr)))
        return -XEN_EFAULT;
    if (addr && !guest_range_ok(addr, size))
        return hc_fail(-XEN_EFAULT, "area %#lx is not the guest's", addr);
    *slot = addr;
    return 0;
}

static long vcpu_get_runstate_info(const struct vcpu *v, uint64_t arg)
{
    struct vcpu_runstate_info r;

    vcpu_runstate_get(v, &r);
    return copy_to_guest(arg, &r, sizeof(r)) ? -XEN_EFAULT : 0;
}

/* ---- vcpu_info out of shared_info ----------------------------------- */

#define VCPU_INFO_ALIGN 8

/*
 * Move v's vcpu_info to offset of a frame of the domain (Xen's
 * map_vcpu_info): the frame is held writable (so it can never become a
 * page table) until the domain dies; the old contents move with it, and
 * every event word is marked pending so nothing is lost in the move.
 */
static long vcpu_register_vcpu_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    struct vcpu_info *new_info;
    struct page_info *pg;

    if (copy_from_guest(&info, arg, sizeof(info)))
        return -XEN_EFAULT;
    if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
        (info.offset & (VCPU_INFO_ALIGN - 1)))
        return hc_fail(-XEN_ENXIO, "vcpu_info at offset %u", info.offset);
    if (mfn_valid_val(v->vcpu_info_mfn))
        return hc_fail(-XEN_EINVAL, "vcpu_info already moved");
    if (!mfn_valid(_mfn(info.mfn)))
        return hc_fail(-XEN_EINVAL, "vcpu_info frame %#lx beyond RAM", info.mfn);
    pg = mfn_to_page(_mfn(info.mfn));
    if (get_page_and_type(pg, v->domain, PGT_writable_page))
        return hc_fail(-XEN_EINVAL, "vcpu_info frame %#lx not writable by d%u",
                       info.mfn, v->domain->domain_id);
    new_info = (struct vcpu_info *)((char *)mfn_to_virt(_mfn(info.mfn)) + info.offset);
    memcpy(new_info, v->vcpu_info, sizeof(*new_info));
    v->vcpu_info = new_info;
    v->vcpu_info_mfn = _mfn(info.mfn);
    __atomic_store_n(&new_info->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
    __atomic_store_n(&new_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    update_vcpu_system_time(v);
    return 0;
}

void vcpu_release_vcpu_info(struct vcpu *v)
{
    if (!mfn_valid_val(v->vcpu_info_mfn))
        return;
    v->vcpu_info = &v->domain->shared_info->vcpu_info[v->vcpu_id];
    put_page_and_type(mfn_to_page(v->vcpu_info_mfn));
    v->vcpu_info_mfn = INVALID_MFN;
}

/* ---- the rest --------------------------------------------------------- */

/*
 * As Xen: a vCPU goes down (it stops being scheduled and keeps its state;
 * VCPUOP_up resumes it where it was); the last vCPU of a domain going
 * down powers the domain off instead.
 */
static long vcpu_down(struct vcpu *v)
{
    struct domain *d = v->domain;

    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] != v && !d->vcpu[i]->down)
            goto others_up;
    domain_shutdown(d, SHUTDOWN_poweroff);
    return 0;
others_up:
    v->down = true;
    if (v != current)
        vcpu_runstate_change(v, RUNSTATE_offline);
    return 0;                  /* v == current: it leaves the CPU on return */
}

/* As Xen: only an initialised vCPU comes up; up on one that is up is 0. */
static long vcpu_up(struct vcpu *v)
{
    if (!v->initialised)
        return hc_fail(-XEN_EINVAL, "vcpu_op up: d%uv%u has no context",
                       v->domain->domain_id, v->vcpu_id);
    vcpu_bring_up(v);
    return 0;
}

/*
 * initialise: copy the context in (-EFAULT), -EEXIST if the vCPU has one
 * already (vCPU 0 always: its builder gave it), else check and load it
 * (arch_set_info_guest). The vCPU stays down until VCPUOP_up. The
 * context (5 KiB) is copied to the stack (32 KiB; a hypercall is shallow).
 */
static long vcpu_initialise(struct vcpu *v, uint64_t arg)
{
    struct vcpu_guest_context ctxt, *c = &ctxt;

    if (copy_from_guest(c, arg, sizeof(*c)))
        return -XEN_EFAULT;
    if (v->initialised)
        return hc_fail(-XEN_EEXIST, "vcpu_op initialise: d%uv%u has a context",
                       v->domain->domain_id, v->vcpu_id);
    return arch_set_info_guest(v, c);
}

static long vcpu_get_physid(const struct vcpu *v, uint64_t arg)
{
    struct vcpu_get_physid id = { .phys_id = arch_vcpu_physid(v) };

    if (!v->domain->is_privileged)
        return hc_fail(-XEN_EINVAL, "get_physid: d%u is not the hardware domain",
                       v->domain->domain_id);
    return copy_to_guest(arg, &id, sizeof(id)) ? -XEN_EFAULT : 0;
}

static long vcpu_send_nmi(struct vcpu *v, uint64_t arg)
{
    if (arg)
        return hc_fail(-XEN_EINVAL, "send_nmi takes no argument");
    v->nmi_pending = true;
    return 0;
}

long do_vcpu_op(unsigned int cmd, unsigned int vcpuid, uint64_t arg)
{
    struct domain *d = current->domain;
    struct vcpu *v = domain_vcpu(d, vcpuid);

    if (!v)
        return hc_fail(-XEN_ENOENT, "vcpu_op: d%u has no vcpu %u", d->domain_id,
                       vcpuid);
    switch (cmd) {
    case VCPUOP_initialise:
        return vcpu_initialise(v, arg);
    case VCPUOP_up:
        return vcpu_up(v);
    case VCPUOP_down:
        return vcpu_down(v);
    case VCPUOP_is_up:
        return !v->down;
    case VCPUOP_get_runstate_info:
        return vcpu_get_runstate_info(v, arg);
    case VCPUOP_register_runstate_memory_area: {
        long rc = vcpu_register_area(arg, &v->runstate_guest,
                                     sizeof(struct vcpu_runstate_info));
        if (!rc && v == current)
            vcpu_update_guest_areas(v);
        return rc;
    }
    case VCPUOP_register_vcpu_time_memory_area: {
        long rc = vcpu_register_area(arg, &v->time_guest,
                                     sizeof(struct vcpu_time_info));
        if (!rc && v == current)
            update_vcpu_system_time(v);
        return rc;
    }
    case VCPUOP_register_vcpu_info:
        return vcpu_register_vcpu_info(v, arg);
    case VCPUOP_send_nmi:
        return vcpu_send_nmi(v, arg);
    case VCPUOP_get_physid:
        return vcpu_get_physid(v, arg);
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
