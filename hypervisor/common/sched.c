/* SPDX-License-Identifier: MIT */
/*
 * sched.c - the sched_op hypercall (29) and the idle loop.
 * Owns:    blocking and waking (block, poll, vcpu_unblock), the idle
 *          loop, what the machine does when dom0 is gone. Who runs next
 *          is sched_credit.c's decision.
 * Touches: domain state through domain.c; the scheduler (schedule()).
 * ABI:     abi/xen/sched.h; docs/abi/hypercalls.md row 29. Implemented:
 *          SCHEDOP_yield, SCHEDOP_block, SCHEDOP_poll, SCHEDOP_shutdown. Others:
 *          -XEN_ENOSYS.
 *
 * A blocked vCPU is not runnable: the way back to the guest calls the
 * scheduler, which runs another vCPU or the idle loop (it halts the CPU
 * until an interrupt); an event or timer for the blocked vCPU makes it
 * runnable again (vcpu_unblock()) and the scheduler is told (sched_wake).
 */
#define LOG_PREFIX "sched"
#include <xen/sched.h>
#include "arch.h"
#include "console.h"
#include "domain.h"
#include "entry.h"
#include "guest_access.h"
#include "hypercall.h"
#include "frame.h"
#include "page_alloc.h"
#include "sched_credit.h"
#include "timer.h"

void vcpu_unblock(struct vcpu *v)
{
    bool was_blocked = v->blocked;

    v->blocked = false;
    v->polling = false;
    stop_timer(&v->poll_timer);
    if (was_blocked && vcpu_runnable(v)) {
        if (!v->running)
            vcpu_runstate_change(v, RUNSTATE_runnable);
        sched_wake(v);
    }
}

/*
 * SCHEDOP_block, as Xen: events are unmasked (the guest's "sti; hlt"),
 * and an event already pending, or raised since, means no sleep at all.
 */
static long sched_block(struct vcpu *v)
{
    struct vcpu_info *vi = v->vcpu_info;

    vi->evtchn_upcall_mask = 0;
    v->blocked = true;
    if (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
        vcpu_unblock(v);
    return 0;
}

#define POLL_PORTS_MAX 128          /* Xen's "fairly arbitrary limit" */

/*
 * SCHEDOP_poll, as Xen's do_poll(): events stay masked; returns at once
 * if an upcall is due or one of the ports is pending (the list is read in
 * order: the first pending or invalid port decides), else sleeps until an
 * event arrives (any upcall, or one of the ports even while masked:
 * evtchn_poll_wake()) or the timeout (system time; 0: none) passes.
 */
static long sched_poll(struct vcpu *v, uint64_t arg)
{
    struct vcpu_info *vi = v->vcpu_info;
    struct sched_poll p;
    evtchn_port_t port = 0;
    long rc;

    if (copy_from_guest(&p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.nr_ports > POLL_PORTS_MAX)
        return hc_fail(-XEN_EINVAL, "poll: %u ports", p.nr_ports);
    if (!guest_range_ok((uint64_t)p.ports.p, p.nr_ports * sizeof(port)))
        return -XEN_EFAULT;
    if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask)
        return 0;
    for (uint32_t i = 0; i < p.nr_ports; i++) {
        if (copy_from_guest(&port, (uint64_t)p.ports.p + i * sizeof(port),
                            sizeof(port)))
            return -XEN_EFAULT;
        if ((rc = evtchn_port_poll(v->domain, port)) != 0)
            return rc < 0 ? rc : 0;
    }
    v->blocked = v->polling = true;
    v->poll_port = p.nr_ports == 1 ? port : 0;
    if (p.timeout)
        set_timer(&v->poll_timer, p.timeout);
    return 0;
}

long do_sched_op(unsigned int cmd, uint64_t arg)
{
    switch (cmd) {
    case SCHEDOP_yield:
        sched_yield();
        return 0;
    case SCHEDOP_block:
        return sched_block(current);
    case SCHEDOP_poll:
        return sched_poll(current, arg);
    case SCHEDOP_shutdown: {
        struct sched_shutdown s;
        if (copy_from_guest(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        domain_shutdown(current->domain, (uint8_t)s.reason);
        return 0;
    }
    default:
        return hc_fail(-XEN_ENOSYS, "sched_op cmd %u", cmd);
    }
}

/*
 * The machine's lifetime follows dom0's, as on Xen: when dom0 shuts down
 * the reason is reported and the machine powers off, reboots or halts.
 * The shutdown reason is the debug-exit value (QEMU exits with 2r+1).
 */
static void __attribute__((noreturn)) dom0_gone(struct domain *d0)
{
    unsigned int reason = d0->shutdown_code;
    struct domain *d;
    uint64_t left;

    hypercall_stats_dump(d0);
    /* On a CPU about to leave every guest's page tables behind for good. */
    arch_enter_idle_page_table();
    /* As Xen, the machine goes with dom0; the other domains end first. */
    for (d = domain_next(NULL); d; d = domain_next(d)) {
        /* A zombie goes when dom0's references to its frames do, below. */
        if (d == d0 || d->kill_phase == KILL_DEAD)
            continue;
        printk("pvisor: d%u is still %s; destroying it\n", d->domain_id,
               d->state == DOMAIN_RUNNING ? "running" : "shut down");
        domain_destroy(d);
    }
    arch_audit_domain_memory(d0);
    left = domain_relinquish_memory(d0);
    /* dom0's struct vcpus stay: this CPU still runs on one. */
    printk("mm: d0 relinquished its memory: %lu frames still held, %ld frames "
           "not back in the allocator\n", left,
           (long)(d0->free_frames_before - machine_frames.nr_free -
                  domain_vcpu_frames(d0)));
    printk("pvisor: dom0 %s; stopping the machine\n",
           d0->crashed ? "crashed" : shutdown_reason_name(reason));
    /* As Xen: only a poweroff powers off; anything else restarts. */
    arch_machine_stop(reason, reason != SHUTDOWN_poweroff);
}

void idle_loop(void)
{
    for (;;) {
        struct domain *d0 = domain_by_id(0);

        if (!d0 || d0->state != DOMAIN_RUNNING)
            dom0_gone(d0);
        schedule();                /* returns only with nothing to run */
        arch_idle();
    }
}
