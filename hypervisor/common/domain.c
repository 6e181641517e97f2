/* SPDX-License-Identifier: MIT */
/*
 * domain.c - struct domain and struct vcpu: creation, lookup, shutdown
 * and crash.
 * Owns:    the domain table, each domain's shared_info frame.
 * Touches: the frame table (frame_assign) and the allocator; the
 *          event-channel table (evtchn_init/evtchn_destroy); dom0's
 *          VIRQ_DOM_EXC when a domain shuts down or is destroyed.
 */
#define LOG_PREFIX "domain"
#include <stdarg.h>
#include <xen/sched.h>
#include "arch.h"
#include "bug.h"
#include "console.h"
#include "domain.h"
#include "frame.h"
#include "grant_table.h"
#include "sched.h"
#include "sched_credit.h"
#include "hypercall.h"
#include "lib.h"
#include "log.h"
#include "page.h"
#include "page_alloc.h"
#include "time.h"
#include "panic.h"

static struct domain domains[MAX_DOMAINS];
static bool domain_used[MAX_DOMAINS];
static struct vcpu vcpus[MAX_DOMAINS][MAX_VCPUS_PER_DOM];

static const char *const reason_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

const char *shutdown_reason_name(unsigned int reason)
{
    return reason < ARRAY_SIZE(reason_names) && reason_names[reason] ?
           reason_names[reason] : "unknown reason";
}

struct domain *domain_by_id(domid_t id)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (domain_used[i] && domains[i].domain_id == id)
            return &domains[i];
    return NULL;
}

struct domain *domain_next(const struct domain *prev)
{
    for (unsigned int i = prev ? (unsigned int)(prev - domains) + 1 : 0;
         i < MAX_DOMAINS; i++)
        if (domain_used[i])
            return &domains[i];
    return NULL;
}

static void alloc_shared_info(struct domain *d)
{
    mfn_t m = frame_alloc(1, 1);

    if (!mfn_valid_val(m))
        panic("no memory for d%u's shared_info", d->domain_id);
    frame_assign(mfn_to_page(m), d, true);
    d->shared_info_mfn = m;
    d->shared_info = mfn_to_virt(m);
    memset(d->shared_info, 0, PAGE_SIZE);
}

struct domain *domain_create(domid_t id, bool privileged)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[i];
        if (domain_used[i])
            continue;
        memset(d, 0, sizeof(*d));
        domain_used[i] = true;
        d->domain_id = id;
        d->is_privileged = privileged;
        d->state = DOMAIN_RUNNING;
        d->weight = SCHED_DEFAULT_WEIGHT;
        d->console_mfn = INVALID_MFN;
        alloc_shared_info(d);
        if (!evtchn_init(d))
            panic("no memory for d%u's event channels", id);
        if (!gnttab_init(d))
            panic("no memory for d%u's grant table", id);
        update_domain_wallclock_time(d);
        log_info("d%u created%s", id, privileged ? " (privileged)" : "");
        return d;
    }
    return NULL;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = &vcpus[d - domains][id];

    BUG_ON(id >= MAX_VCPUS_PER_DOM, "vcpu id %u", id);
    memset(v, 0, sizeof(*v));
    v->vcpu_id = id;
    v->domain = d;
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    v->guest_table = INVALID_MFN;
    v->guest_table_user = INVALID_MFN;
    v->kernel_mode = true;
    d->vcpu[id] = v;
    d->max_vcpus = id + 1;
    arch_vcpu_init(v);
    v->vcpu_info_mfn = INVALID_MFN;
    v->evtchn_fifo.control_mfn = INVALID_MFN;
    /* As Xen: a vCPU is down until its builder or VCPUOP_up says. */
    v->down = true;
    vcpu_runstate_change(v, RUNSTATE_offline);
    vcpu_timers_init(v);
    sched_vcpu_init(v);
    return v;
}

void vcpu_bring_up(struct vcpu *v)
{
    if (!v->down)
        return;
    v->down = false;
    vcpu_runstate_change(v, RUNSTATE_runnable);
    if (vcpu_runnable(v))
        sched_wake(v);
}

bool vcpu_runnable(const struct vcpu *v)
{
    return v && v->domain->state == DOMAIN_RUNNING && !v->blocked && !v->down;
}

/* dom0 hears of every change of another domain's state (Xen's VIRQ_DOM_EXC). */
static void notify_dom_exc(const struct domain *d)
{
    struct domain *d0 = domain_by_id(0);

    if (d0 && d0 != d && d0->state == DOMAIN_RUNNING)
        send_guest_global_virq(d0, VIRQ_DOM_EXC);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    if (d->state != DOMAIN_RUNNING)
        return;
    d->state = DOMAIN_SHUTDOWN;
    d->shutdown_code = reason;
    if (reason == SHUTDOWN_crash)
        d->crashed = true;
    log_info("d%u %s", d->domain_id, d->crashed ? "crashed" : "shut down");
    printk("d%u shut down: %s\n", d->domain_id, shutdown_reason_name(reason));
    if (d->boot_domain)
        console_ring_drain(d);      /* its last words */
    notify_dom_exc(d);
}

/*
 * Give back everything d holds (Xen's domain_relinquish_resources): each
 * vCPU's page-table and GDT references, every pin, then every allocation
 * reference. Type references only point down a level (L4 to L1), so once
 * the roots go every table devalidates and releases what it mapped, and
 * each frame's last reference returns it to the allocator. Returns the
 * number of frames d still owns afterwards: 0 unless counts leaked.
 */
uint64_t domain_relinquish_memory(struct domain *d)
{
    evtchn_destroy(d);
    gnttab_release_mappings(d);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        arch_vcpu_release(d->vcpu[i]);
    for (uint64_t m = 0; m < max_page; m++) {
        struct page_info *pg = &frame_table[m];
        if (pg->owner == d->domain_id && pg->count && (pg->flags & PGF_pinned)) {
            pg->flags &= (uint8_t)~PGF_pinned;
            put_page_and_type(pg);
        }
    }
    for (uint64_t m = 0; m < max_page; m++) {
        struct page_info *pg = &frame_table[m];
        if (pg->owner == d->domain_id && pg->count && (pg->flags & PGF_allocated)) {
            pg->flags &= (uint8_t)~PGF_allocated;
            put_page(pg);
        }
    }
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        vcpu_timers_stop(d->vcpu[i]);
        vcpu_release_vcpu_info(d->vcpu[i]);
    }
    d->shared_info = NULL;
    return frame_count_owned(d->domain_id);
}

/*
 * The end of a domain (Xen's domain_kill and its completion): every frame
 * back, scrubbed, its id free again, dom0 told. The caller made sure no
 * vCPU of d is on a CPU and that the CPU runs on the idle page table.
 */
void domain_destroy(struct domain *d)
{
    uint64_t free_before = machine_frames.nr_free, left;
    unsigned int errors;

    BUG_ON(d->domain_id == 0, "dom0 is never destroyed");
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        BUG_ON(d->vcpu[i]->running, "d%uv%u destroyed while running",
               d->domain_id, i);
    if (d->state == DOMAIN_RUNNING)
        domain_shutdown(d, SHUTDOWN_poweroff);
    d->state = DOMAIN_DYING;
    hypercall_stats_dump(d);
    errors = arch_audit_domain_memory(d);
    if (mfn_valid_val(d->console_mfn))
        put_page_and_type(mfn_to_page(d->console_mfn));
    d->console_mfn = INVALID_MFN;
    left = domain_relinquish_memory(d);
    frame_disown(d->domain_id);
    printk("d%u destroyed: %lu frames back in the allocator, %lu still held, "
           "%u audit errors\n", d->domain_id,
           machine_frames.nr_free - free_before, left, errors);
    domain_used[d - domains] = false;
    notify_dom_exc(d);
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    char why[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    printk("domain_crash: d%u: %s\n", d->domain_id, why);
    if (current && current->domain == d)
        arch_show_guest_registers(current, guest_cpu_user_regs());
    domain_shutdown(d, SHUTDOWN_crash);
}
