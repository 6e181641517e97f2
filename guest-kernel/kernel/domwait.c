/* SPDX-License-Identifier: MIT */
/*
 * domwait.c - wait_domus: dom0 waits for the other domains to end before
 *             it shuts down.  On Xen and on pvisor the machine stops with
 *             dom0, so without this a dom0 that is done would take running
 *             domUs down with it.
 * Owns:    the wait_domus option, the VIRQ_DOM_EXC count.
 * Touches: xen_getdomaininfo() (arch/x86_64/pv/xen_domctl.c: domctl
 *          XEN_DOMCTL_getdomaininfo); the event layer (evtchn_bind_virq,
 *          evtchn_close); the timers (time_timers_start/stop,
 *          kernel_sleep_until); arch_is_initial_domain().
 *
 * The domains are listed the way a toolstack lists them: getdomaininfo
 * answers for the first domain whose id is at least the one asked for, so
 * asking from 1, then from one past each id found, visits every domain
 * but dom0 until -XEN_ESRCH.  A domain has ended once the hypervisor
 * reports it shut down (XEN_DOMINF_shutdown, whatever the reason, crash
 * included) or dying, or no longer lists it.  The hypervisor raises
 * VIRQ_DOM_EXC in dom0 when a domain shuts down or dies; domwait sleeps in
 * slices (kernel_sleep_until: SCHEDOP_block with the one-shot timer,
 * events unmasked while blocked) until one came or DOMWAIT_RECHECK_NS
 * passed, so an event that is missed, or never sent, costs a second, not
 * a hang.
 */
#define __XEN_TOOLS__           /* xen/domctl.h is toolstack-only */
#include <kernel.h>
#include <domwait.h>
#include <evtchn.h>
#include <time.h>
#include <asm/pvops.h>
#include <pv/xen.h>
#include <xen/domctl.h>
#include <xen/errno.h>

/* How long domwait sleeps at most before it looks at the domains again. */
#define DOMWAIT_RECHECK_NS (1 * NSEC_PER_SEC)
/* One sleep: how late domwait notices that VIRQ_DOM_EXC came. */
#define DOMWAIT_SLICE_NS   (100 * NSEC_PER_MSEC)

static bool domwait_wanted;
static volatile unsigned long domwait_dom_exc;  /* VIRQ_DOM_EXC events */

bool domwait_parse_word(const char *w)
{
    if (strcmp(w, "wait_domus"))
        return false;
    domwait_wanted = true;
    return true;
}

static void domwait_event(unsigned int port, void *arg)
{
    (void)port;
    (void)arg;
    domwait_dom_exc++;
}

/* How many domains other than dom0 have not ended, or -XEN_E*. */
static long domwait_count_running(void)
{
    struct xen_domctl_getdomaininfo info;
    unsigned int id = 1;
    long n = 0, rc;

    while (id < DOMID_FIRST_RESERVED) {
        rc = xen_getdomaininfo((domid_t)id, &info);
        if (rc == -XEN_ESRCH)
            break;                      /* none at or past id */
        if (rc)
            return rc;
        if (!(info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)))
            n++;
        id = info.domain + 1U;
    }
    return n;
}

/* Sleep until a VIRQ_DOM_EXC after the seen-th, or deadline.  0 or -XEN_E*. */
static long domwait_sleep(uint64_t deadline, unsigned long seen)
{
    long rc = 0;
    uint64_t now;

    while (rc == 0 && domwait_dom_exc == seen && (now = clock_ns()) < deadline)
        rc = kernel_sleep_until(MIN(now + DOMWAIT_SLICE_NS, deadline));
    return rc;
}

/* Bound to VIRQ_DOM_EXC: wait until the count is 0.  0 or -XEN_E*. */
static long domwait_loop(void)
{
    long n = domwait_count_running(), rc = 0;

    if (n >= 0)
        printk("domwait: waiting for %ld domains\n", n);
    while (n > 0 && rc == 0) {
        rc = domwait_sleep(clock_ns() + DOMWAIT_RECHECK_NS, domwait_dom_exc);
        if (rc == 0)
            n = domwait_count_running();
    }
    if (n < 0) {
        printk("domwait: getdomaininfo failed (%ld)\n", n);
        return n;
    }
    if (rc) {
        printk("domwait: sleep failed (%ld)\n", rc);
        return rc;
    }
    printk("domwait: all domains ended\n");
    return 0;
}

long domwait_run(void)
{
    bool own_timers;
    long port, rc;

    if (!domwait_wanted)
        return 0;
    if (!arch_is_initial_domain()) {
        printk("domwait: not the initial domain: nothing to wait for\n");
        return 0;
    }
    own_timers = !time_timers_running();
    rc = own_timers ? time_timers_start() : 0;
    port = rc ? rc : evtchn_bind_virq(EVTCHN_VIRQ_DOM_EXC, 0, domwait_event, NULL);
    if (port < 0) {
        printk("domwait: cannot bind VIRQ_DOM_EXC (%ld)\n", port);
        rc = port;
    } else {
        rc = domwait_loop();
    }
    pv_ops.irq_disable();
    if (port > 0)
        evtchn_close((unsigned int)port);
    if (own_timers)
        time_timers_stop();
    return rc;
}
