/* SPDX-License-Identifier: MIT */
/*
 * domain.c - struct domain and struct vcpu: creation, lookup, ids, pause
 * counts, shutdown, crash and destruction.
 * Owns:    the domain table, the id rover, each domain's shared_info
 *          frame, the frames each struct vcpu lives in, pause counts,
 *          the phases of domain_kill().
 * Touches: the frame table (frame_assign) and the allocator; the
 *          event-channel table (evtchn_init/evtchn_destroy); dom0's
 *          VIRQ_DOM_EXC when a domain shuts down or is destroyed.
 *
 * Hypervisor memory per domain: its struct domain in the static table
 * (about 16 KiB, most of it the grant maptrack) and, per vCPU created, two
 * frames for its struct vcpu (about 6 KiB); the shared_info frame, one
 * frame of event channels and one of grant entries at creation. Nothing
 * else until the guest grows its tables.
 *
 * A domain's end, as Xen's domain_kill(): paused, marked dying, its event
 * channels and grant mappings closed, every vCPU's tables released, then
 * every pin and every allocation reference dropped, in steps a destroying
 * toolstack may be sent back to continue (-XEN_ERESTART). Frames still
 * held afterwards (a foreign mapping in dom0, a grant mapping elsewhere)
 * keep the domain a zombie, shown dying, until the last goes
 * (domain_frame_freed()); then its slot is free. Its id is not handed out
 * again at once: createdomain picks ids upward from the last it picked.
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
/*
 * One past the highest slot in use: the scans below stop there, so the
 * scheduler's walk over the domains (every schedule()) and a lookup by id
 * cost what the domains that exist cost, not MAX_DOMAINS.
 */
static unsigned int domain_slots_hi;

/* Frames of a struct vcpu. */
#define VCPU_FRAMES ((sizeof(struct vcpu) + PAGE_SIZE - 1) / PAGE_SIZE)

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
    for (unsigned int i = 0; i < domain_slots_hi; i++)
        if (domain_used[i] && domains[i].domain_id == id)
            return &domains[i];
    return NULL;
}

struct domain *domain_next(const struct domain *prev)
{
    for (unsigned int i = prev ? (unsigned int)(prev - domains) + 1 : 0;
         i < domain_slots_hi; i++)
        if (domain_used[i])
            return &domains[i];
    return NULL;
}

static bool alloc_shared_info(struct domain *d)
{
    mfn_t m = frame_alloc(1, 1);

    if (!mfn_valid_val(m))
        return false;
    frame_assign(mfn_to_page(m), d, true);
    d->shared_info_mfn = m;
    d->shared_info = mfn_to_virt(m);
    memset(d->shared_info, 0, PAGE_SIZE);
    return true;
}

static long relinquish_step(struct domain *d, bool preemptible);

/* Scrubbed first: the allocator hands frames to guests as they are, and
 * these hold a guest's registers and FPU state and hypervisor pointers. */
static void vcpu_free(struct vcpu *v)
{
    memset(v, 0, VCPU_FRAMES * PAGE_SIZE);
    page_free(&machine_frames, virt_to_mfn(v), VCPU_FRAMES);
}

static void domain_slot_take(unsigned int i)
{
    domain_used[i] = true;
    if (i >= domain_slots_hi)
        domain_slots_hi = i + 1;
}

static void domain_slot_release(unsigned int i)
{
    domain_used[i] = false;
    while (domain_slots_hi && !domain_used[domain_slots_hi - 1])
        domain_slots_hi--;
}

/* The slot goes back; every frame of d is already back. */
static void domain_free(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        sched_vcpu_release(d->vcpu[i]);
        vcpu_free(d->vcpu[i]);
        d->vcpu[i] = NULL;
    }
    d->max_vcpus = 0;
    domain_slot_release((unsigned int)(d - domains));
}

/*
 * As Xen's createdomain: want, if it is a valid id (not 0, below
 * DOMID_FIRST_RESERVED) and free; otherwise the next free id upward from
 * the last one picked this way, wrapping from DOMID_FIRST_RESERVED to 1,
 * so an id is not reused until the others are.
 */
long domain_pick_id(domid_t want)
{
    static domid_t rover;

    if (want > 0 && want < DOMID_FIRST_RESERVED)
        return domain_by_id(want) ? -XEN_EEXIST : want;
    for (domid_t id = (domid_t)(rover + 1); id != rover; id++) {
        if (id == DOMID_FIRST_RESERVED)
            id = 1;
        if (!domain_by_id(id)) {
            rover = id;
            return id;
        }
        if (id == rover)
            break;
    }
    return -XEN_ENOMEM;
}

struct domain *domain_create(domid_t id, bool privileged)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[i];
        if (domain_used[i])
            continue;
        uint64_t free_before = machine_frames.nr_free;

        memset(d, 0, sizeof(*d));
        domain_slot_take(i);
        d->domain_id = id;
        d->is_privileged = privileged;
        d->state = DOMAIN_RUNNING;
        d->weight = SCHED_DEFAULT_WEIGHT;
        d->console_mfn = INVALID_MFN;
        d->config_max_vcpus = MAX_VCPUS_PER_DOM;
        d->max_evtchn_port = UINT32_MAX;
        if (!alloc_shared_info(d)) {
            domain_slot_release(i);
            return NULL;
        }
        if (!evtchn_init(d) || !gnttab_init(d)) {
            /* Nothing to tear down but what was just made: no vCPU, no page
             * of the guest's; the kill is one pass. */
            d->state = DOMAIN_DYING;
            while (relinquish_step(d, false))
                ;
            domain_free(d);
            return NULL;
        }
        update_domain_wallclock_time(d);
        /* What a domain costs the hypervisor before its first vCPU (the
         * benchmark suite reports it): its slot, and the frames taken
         * just now (shared info, event channels, grant table). */
        log_info("d%u created%s: state %zu bytes (slot) + %lu frames; "
                 "%zu bytes (%lu frames) per vCPU", id,
                 privileged ? " (privileged)" : "", sizeof(*d),
                 free_before - machine_frames.nr_free, sizeof(struct vcpu),
                 (unsigned long)VCPU_FRAMES);
        return d;
    }
    return NULL;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    mfn_t m;
    struct vcpu *v;

    BUG_ON(id >= MAX_VCPUS_PER_DOM || id != d->max_vcpus, "d%u vcpu id %u",
           d->domain_id, id);
    m = frame_alloc(VCPU_FRAMES, 1);      /* the hypervisor's: count stays 0 */
    if (!mfn_valid_val(m))
        return NULL;
    v = mfn_to_virt(m);
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
    v->affinity_hard = v->affinity_soft = ~0ULL;
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
    return v && vcpu_may_run(v);
}

/*
 * One CPU (NR_CPUS 1): while a hypercall runs, the only vCPU on a CPU is
 * the caller's, and domctl refuses to pause the caller's own domain, so
 * none of d's vCPUs is on a CPU when this returns (Xen's vcpu_sleep_sync()
 * waits for that on other CPUs); schedule() skips them until the count is
 * back to 0.
 */
void domain_pause(struct domain *d)
{
    d->pause_count++;
}

void domain_unpause(struct domain *d)
{
    BUG_ON(!d->pause_count, "d%u unpaused more than paused", d->domain_id);
    if (--d->pause_count)
        return;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (vcpu_runnable(d->vcpu[i]))
            sched_wake(d->vcpu[i]);
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
    d->shut_down = true;
    d->shutdown_code = reason;
    if (reason == SHUTDOWN_crash)
        d->crashed = true;
    log_info("d%u %s", d->domain_id, d->crashed ? "crashed" : "shut down");
    printk("d%u shut down: %s\n", d->domain_id, shutdown_reason_name(reason));
    if (d->boot_domain)
        console_ring_drain(d);      /* its last words */
    notify_dom_exc(d);
}

/* Frames looked at per step of a preemptible kill before it restarts. */
#define KILL_SCAN_BATCH  (64 * 1024)

/*
 * Drop, from kill_cursor on, every frame of d's reference that `flag`
 * stands for (a pin, then the allocation). Type references only point
 * down a level (L4 to L1), so once the roots go every table devalidates
 * and releases what it mapped, and each frame's last reference returns it
 * to the allocator. -XEN_ERESTART: preempted, kill_cursor is where to go on.
 */
static long drop_refs(struct domain *d, uint8_t flag, bool preemptible)
{
    uint64_t stop = preemptible ? d->kill_cursor + KILL_SCAN_BATCH : max_page;

    for (; d->kill_cursor < max_page; d->kill_cursor++) {
        struct page_info *pg = &frame_table[d->kill_cursor];

        if (d->kill_cursor >= stop)
            return -XEN_ERESTART;
        if (pg->owner != d->domain_id || !pg->count || !(pg->flags & flag))
            continue;
        pg->flags &= (uint8_t)~flag;
        if (flag == PGF_pinned)
            put_page_and_type(pg);
        else
            put_page(pg);
    }
    d->kill_cursor = 0;
    return 0;
}

/*
 * Give back everything d holds (Xen's domain_relinquish_resources): event
 * channels, grant mappings, each vCPU's page-table and GDT references,
 * every pin, then every allocation reference. Restartable: each call goes
 * on from d->kill_phase. 0 when done.
 */
static long relinquish_step(struct domain *d, bool preemptible)
{
    long rc;

    switch (d->kill_phase) {
    case KILL_ALIVE:
        evtchn_destroy(d);
        gnttab_release_mappings(d);
        for (unsigned int i = 0; i < d->max_vcpus; i++)
            arch_vcpu_release(d->vcpu[i]);
        if (mfn_valid_val(d->console_mfn))
            put_page_and_type(mfn_to_page(d->console_mfn));
        d->console_mfn = INVALID_MFN;
        d->kill_phase = KILL_PINS;
        d->kill_cursor = 0;
        /* fall through */
    case KILL_PINS:
        if ((rc = drop_refs(d, PGF_pinned, preemptible)))
            return rc;
        d->kill_phase = KILL_ALLOCS;
        /* fall through */
    case KILL_ALLOCS:
        if ((rc = drop_refs(d, PGF_allocated, preemptible)))
            return rc;
        for (unsigned int i = 0; i < d->max_vcpus; i++) {
            vcpu_timers_stop(d->vcpu[i]);
            vcpu_release_vcpu_info(d->vcpu[i]);
        }
        d->shared_info = NULL;
        d->kill_phase = KILL_DEAD;
        /* fall through */
    case KILL_DEAD:
        break;
    }
    return 0;
}

/* dom0's own end (sched.c): its frames back, how many stay held. */
uint64_t domain_relinquish_memory(struct domain *d)
{
    while (relinquish_step(d, false))
        ;
    return frame_count_owned(d->domain_id);
}

static bool made_hypercalls(const struct domain *d)
{
    for (unsigned int nr = 0; nr <= NR_HYPERCALLS; nr++)
        if (d->hc_stats[nr].calls)
            return true;
    return false;
}

long domain_kill(struct domain *d, bool preemptible)
{
    uint64_t left;
    long rc;

    BUG_ON(d->domain_id == 0, "dom0 is never destroyed");
    if (d->kill_phase == KILL_DEAD)
        return 0;                       /* as Xen: again on a dead one, 0 */
    if (d->kill_phase == KILL_ALIVE && d->state != DOMAIN_DYING) {
        domain_pause(d);                /* held for good */
        d->state = DOMAIN_DYING;
        d->free_frames_before = machine_frames.nr_free;
        if (made_hypercalls(d))
            hypercall_stats_dump(d);
        d->audit_errors = arch_audit_domain_memory(d);
    }
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        BUG_ON(d->vcpu[i]->running, "d%uv%u destroyed while running",
               d->domain_id, i);
    if ((rc = relinquish_step(d, preemptible)))
        return rc;
    left = frame_count_owned(d->domain_id);
    printk("d%u destroyed: %lu frames back in the allocator, %lu still held, "
           "%u audit errors\n", d->domain_id,
           machine_frames.nr_free - d->free_frames_before, left, d->audit_errors);
    /* As Xen: dom0 hears when d is dead, and again when its struct goes
     * (complete_domain_destroy(); here at once unless a zombie). */
    notify_dom_exc(d);
    d->zombie_frames = left;
    if (!left)
        domain_free(d);
    return 0;
}

uint64_t domain_vcpu_frames(const struct domain *d)
{
    return d->max_vcpus * VCPU_FRAMES;
}

void domain_frame_freed(struct domain *d)
{
    if (d->kill_phase == KILL_DEAD && d->zombie_frames && !--d->zombie_frames) {
        log_info("d%u: its last held frame is back; gone", d->domain_id);
        domain_free(d);
        notify_dom_exc(d);
    }
}

/*
 * The end of a boot domain (reaped, or its build failed) and of every
 * domain when dom0 goes: shut down if it was not, then killed in one go.
 * The caller made sure no vCPU of d is on a CPU and that the CPU runs on
 * the idle page table.
 */
void domain_destroy(struct domain *d)
{
    if (d->state == DOMAIN_RUNNING)
        domain_shutdown(d, SHUTDOWN_poweroff);
    while (domain_kill(d, false) == -XEN_ERESTART)
        ;
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
