/* SPDX-License-Identifier: MIT */
/*
 * keyhandler.c - debug keys, as Xen's: typed on the serial line once the
 *                input is the hypervisor's (Ctrl-A three times, console.c).
 * Owns:    the key table and the dumps it prints.
 * Touches: reads every domain's and vCPU's state and counters; raises
 *          VIRQ_DEBUG ('q', as Xen's dump_domains()).
 *
 *   h   this list
 *   p   the per-hypercall counters of every domain, and the TLB flushes
 *       (what dom0's shutdown prints, at any time: a researcher need not
 *       stop the machine to read them)
 *   q   every domain and vCPU: state, runstate, event mask and pending
 *       flags, timers; then VIRQ_DEBUG to every vCPU that bound it
 *   r   the timers and vCPUs waiting for the CPU
 */
#define LOG_PREFIX "keys"
#include "config.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "hypercall.h"
#include "keyhandler.h"
#include "lib.h"
#include "sched_credit.h"
#include "time.h"

struct keyhandler {
    char key;
    void (*fn)(void);
    const char *desc;
};

static void show_help(void);

static void dump_vcpu(const struct vcpu *v)
{
    static const char *const rs[] = { "running", "runnable", "blocked", "offline" };
    const struct vcpu_info *vi = v->vcpu_info;

    printk("  d%uv%u %s%s, events %s, upcall %s, sel %#lx; periodic %lu ns, "
           "single-shot %s\n", v->domain->domain_id, v->vcpu_id,
           rs[v->runstate.state & 3], v->polling ? " (polling)" : "",
           vi->evtchn_upcall_mask ? "masked" : "unmasked",
           vi->evtchn_upcall_pending ? "pending" : "none",
           vi->evtchn_pending_sel, v->periodic_period,
           v->singleshot_timer.active ? "armed" : "off");
}

/* 'q': what every domain and vCPU is doing; VIRQ_DEBUG, as Xen. */
static void dump_domains(void)
{
    struct domain *d;

    printk("'q' pressed -> dumping domain info (now %lu ns)\n", NOW());
    for_each_domain(d) {
        printk("d%u: %s, %s, %lu pages (max %lu), %u ports valid\n", d->domain_id,
               d->is_privileged ? "privileged" : "unprivileged",
               d->state == DOMAIN_RUNNING ? "running" : "shut down",
               d->tot_pages, d->max_pages, d->evtchn.valid);
        for (unsigned int i = 0; i < d->max_vcpus; i++) {
            dump_vcpu(d->vcpu[i]);
            send_guest_vcpu_virq(d->vcpu[i], VIRQ_DEBUG);
        }
    }
    sched_dump();
}

/* 'p': the counters dom0's shutdown prints, for every domain, now. */
static void dump_counters(void)
{
    struct domain *d;

    printk("'p' pressed -> dumping hypercall counters\n");
    for_each_domain(d)
        hypercall_stats_dump(d);
}

/* 'c': cycle sampling of the hypercall counters on or off (hc_cycles=). */
static void toggle_sampling(void)
{
    hypercall_sampling = !hypercall_sampling;
    printk("'c' pressed -> hypercall cycle sampling %s\n",
           hypercall_sampling ? "on" : "off");
}

/* 'r': who waits for the CPU, and when the timers fire. */
static void dump_runq(void)
{
    struct domain *d;

    printk("'r' pressed -> dumping the runqueue and timers (now %lu ns)\n", NOW());
    sched_dump();
    for_each_domain(d) {
        for (unsigned int i = 0; i < d->max_vcpus; i++) {
            const struct vcpu *v = d->vcpu[i];
            printk("  d%uv%u %s; single-shot %lu, periodic %lu, poll %lu\n",
                   d->domain_id, i, v->running ? "on the CPU" : v->down ? "down" :
                   v->blocked ? "blocked" : "waiting", v->singleshot_timer.active ? v->singleshot_timer.expires : 0,
                   v->periodic_timer.active ? v->periodic_timer.expires : 0,
                   v->poll_timer.active ? v->poll_timer.expires : 0);
        }
    }
}

static const struct keyhandler keys[] = {
    { 'c', toggle_sampling, "switch the hypercall counters' cycle sampling on/off" },
    { 'h', show_help,     "show this list" },
    { 'p', dump_counters, "dump the per-hypercall counters and TLB flushes" },
    { 'q', dump_domains,  "dump domains and vCPUs; raise VIRQ_DEBUG" },
    { 'r', dump_runq,     "dump the runqueue (credit, weight) and timers" },
};

static void show_help(void)
{
    printk("'h' pressed -> showing installed handlers\n");
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        printk(" key '%c': %s\n", keys[i].key, keys[i].desc);
}

void handle_keypress(char key)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        if (keys[i].key == key) {
            keys[i].fn();
            return;
        }
    if (key >= ' ' && key < 0x7f)
        printk("'%c' pressed -> no handler ('h' lists them)\n", key);
}
