/* SPDX-License-Identifier: MIT */
/*
 * sched_credit.c - which vCPU runs: proportional share by weight, with an
 * optional cap, on Xen's credit scheduler's terms.
 * Owns:    the runqueue order (credit, boost, round robin), the time
 *          slice and accounting timers, the decision in schedule() and
 *          the switch it makes (through arch_context_save/arch_vcpu_enter),
 *          reaping a boot domain that ended.
 * Touches: vCPU runstate (vcpu_runstate_change), the periodic timer,
 *          domain teardown (domain_destroy) once no vCPU of it is on a CPU.
 *
 * The rules, as a user of Xen's credit scheduler knows them:
 *   - Every ACCT_PERIOD the CPU time of the period is handed out as
 *     credit to the domains that want the CPU (a runnable or running
 *     vCPU), in proportion to their weights (default 256), split among
 *     their active vCPUs. A cap (a percentage of one CPU) limits what a
 *     domain is handed; a capped vCPU with no credit left is parked until
 *     the next period. Credit stops accumulating at one period's worth,
 *     so an idle domain cannot bank the CPU.
 *   - A running vCPU burns credit by the nanosecond.
 *   - Priority: BOOST (it woke from a block with credit left: an I/O
 *     bound vCPU answers at once) over UNDER (credit >= 0) over OVER
 *     (credit < 0). Within a priority, the vCPU queued longest runs
 *     first (round robin). Nothing runnable: the CPU halts.
 *   - A vCPU runs until its SLICE ends, it blocks, yields or goes down,
 *     or a vCPU of higher priority is waiting (preemption at the next
 *     return to a guest); equals wait for the slice end. Boost lasts
 *     until the vCPU is descheduled or its slice ends (Xen drops it at
 *     the next tick).
 * Xen's defaults are a 30 ms slice and a 10 ms tick; pvisor uses 10 ms
 * for both, since TCG runs guests ~100x slower than hardware and a test
 * must see several slices (docs/decisions.md).
 *
 * The runqueue holds the vCPUs waiting for the CPU, in the order they
 * joined it (the round robin within a priority): a vCPU joins when it
 * becomes runnable (sched_wake(): every path that unblocks, unpauses or
 * brings up a vCPU ends there) and when it leaves the CPU still runnable
 * (schedule()); it leaves when it is picked, freed, or found no longer
 * runnable at a pick (paused, blocked, down, or its domain ended: such an
 * entry is dropped there, and sched_wake() brings it back). So a decision
 * scans only the vCPUs that wait, not every vCPU of every domain, and the
 * first of each priority met on the way is the one queued longest.
 * Priorities are read at the scan, so credit, boost and cap changes need
 * no re-sorting. The running vCPU is never on the queue.
 *
 * One CPU: one runqueue; the per-CPU state is in struct sched_cpu,
 * indexed by CPU, so SMP can follow without a change of model.
 */
#define LOG_PREFIX "sched"
#include "arch.h"
#include "console.h"
#include "domain.h"
#include "lib.h"
#include "log.h"
#include "sched_credit.h"
#include "time.h"
#include "timer.h"

#define SLICE        MILLISECS(10)
#define ACCT_PERIOD  MILLISECS(30)
#define CREDIT_MAX   ((int64_t)ACCT_PERIOD)

enum sched_prio { PRIO_PARKED, PRIO_OVER, PRIO_UNDER, PRIO_BOOST };

struct sched_cpu sched_cpus[NR_CPUS];

static struct sched_cpu *this_sched(void)
{
    return &sched_cpus[smp_processor_id()];
}

static bool vcpu_active(const struct vcpu *v)
{
    return vcpu_runnable(v) || v->running;
}

static enum sched_prio vcpu_prio(const struct vcpu *v)
{
    if (v->sched.boost)
        return PRIO_BOOST;
    if (v->sched.credit >= 0)
        return PRIO_UNDER;
    return v->domain->cap ? PRIO_PARKED : PRIO_OVER;
}

/* Charge v's time on the CPU since the last charge. */
static void burn_credit(struct vcpu *v, uint64_t now)
{
    if (now > v->sched.burn_since)
        v->sched.credit -= (int64_t)(now - v->sched.burn_since);
    v->sched.burn_since = now;
}

/* Hand out one period of CPU time by weight (Xen's csched_acct()). */
static void credit_account(void *data)
{
    struct sched_cpu *sc = data;
    uint64_t now = NOW(), total_weight = 0;
    struct domain *d;

    if (current)
        burn_credit(current, now);
    for_each_domain(d) {
        for (unsigned int i = 0; i < d->max_vcpus; i++)
            if (vcpu_active(d->vcpu[i])) {
                total_weight += d->weight;
                break;
            }
    }
    for_each_domain(d) {
        unsigned int active = 0;
        int64_t share;

        for (unsigned int i = 0; i < d->max_vcpus; i++)
            active += vcpu_active(d->vcpu[i]);
        if (!active)
            continue;
        share = (int64_t)(ACCT_PERIOD * d->weight / total_weight);
        if (d->cap)
            share = MIN(share, (int64_t)(ACCT_PERIOD * d->cap / 100));
        for (unsigned int i = 0; i < d->max_vcpus; i++) {
            struct vcpu *v = d->vcpu[i];
            if (!vcpu_active(v))
                continue;
            v->sched.credit = MIN(v->sched.credit + share / active, CREDIT_MAX);
        }
    }
    set_timer(&sc->acct_timer, now + ACCT_PERIOD);
    /* A parked vCPU may have credit again; let the CPU decide. */
    sc->need_resched = true;
}

/*
 * The slice timer is armed lazily: a switch moves sc->slice_end, and
 * the timer, still armed for an earlier end, finds on firing that the
 * slice goes on and re-arms for the new end. A decision (every yield)
 * then costs a store rather than a timer re-armed and the hardware
 * reprogrammed, for at most one early interrupt per slice.
 */
static void slice_end(void *data)
{
    struct sched_cpu *sc = data;
    uint64_t now = NOW();

    if (now < sc->slice_end) {
        set_timer(&sc->slice_timer, sc->slice_end);
        return;
    }
    sc->need_resched = true;
    sc->slices++;
}

static bool in_slice(const struct sched_cpu *sc, uint64_t now)
{
    return now < sc->slice_end;
}

void sched_init(void)
{
    struct sched_cpu *sc = this_sched();

    init_timer(&sc->slice_timer, slice_end, sc);
    init_timer(&sc->acct_timer, credit_account, sc);
    set_timer(&sc->acct_timer, NOW() + ACCT_PERIOD);
}

void sched_vcpu_init(struct vcpu *v)
{
    memset(&v->sched, 0, sizeof(v->sched));
}

/* v joins the runqueue's tail: of the vCPUs waiting, it waits least. */
static void rq_append(struct sched_cpu *sc, struct vcpu *v)
{
    v->sched.rq_next = NULL;
    v->sched.rq_prev = sc->rq_tail;
    if (sc->rq_tail)
        sc->rq_tail->sched.rq_next = v;
    else
        sc->rq_head = v;
    sc->rq_tail = v;
    v->sched.queued = true;
}

static void rq_remove(struct sched_cpu *sc, struct vcpu *v)
{
    if (!v->sched.queued)
        return;
    if (v->sched.rq_prev)
        v->sched.rq_prev->sched.rq_next = v->sched.rq_next;
    else
        sc->rq_head = v->sched.rq_next;
    if (v->sched.rq_next)
        v->sched.rq_next->sched.rq_prev = v->sched.rq_prev;
    else
        sc->rq_tail = v->sched.rq_prev;
    v->sched.rq_next = v->sched.rq_prev = NULL;
    v->sched.queued = false;
}

/* Its struct goes back to the allocator: nothing may point at it. */
void sched_vcpu_release(struct vcpu *v)
{
    rq_remove(this_sched(), v);
}

/*
 * The next vCPU to run: highest priority, then queued longest. prev (the
 * running vCPU if it may run on, or NULL) competes as if queued now, so
 * equals that wait go first. Entries that may no longer run leave the
 * queue here.
 */
static struct vcpu *pick_next(struct sched_cpu *sc, struct vcpu *prev)
{
    struct vcpu *best = NULL, *v = sc->rq_head, *next;
    enum sched_prio best_prio = PRIO_PARKED, prio;

    for (; v; v = next) {
        next = v->sched.rq_next;
        if (!vcpu_may_run(v)) {        /* vcpu_runnable(), inline */
            rq_remove(sc, v);
            continue;
        }
        prio = vcpu_prio(v);
        if (prio > best_prio) {        /* the first of its priority: oldest */
            best = v;
            best_prio = prio;
            if (prio == PRIO_BOOST)
                break;
        }
    }
    if (prev && vcpu_prio(prev) > best_prio)
        return prev;
    return best;
}

static bool dom0_running(void)
{
    const struct domain *d0 = domain_by_id(0);

    return d0 && d0->state == DOMAIN_RUNNING;
}

/* v may run again (woke from a block or poll, or was brought up). */
void sched_wake(struct vcpu *v)
{
    struct sched_cpu *sc = this_sched();
    struct vcpu *curr = current;

    rq_remove(sc, v);                  /* to the tail, with its boost */
    if (v->sched.credit >= 0)
        v->sched.boost = true;
    if (!v->running)
        rq_append(sc, v);
    if (!curr || v == curr || vcpu_prio(v) > vcpu_prio(curr))
        sc->need_resched = true;
}

void sched_yield(void)
{
    struct sched_cpu *sc = this_sched();

    current->sched.boost = false;
    sc->yielding = true;
    sc->need_resched = true;
}

/* A boot domain that shut down, once none of its vCPUs is on a CPU. */
static void reap_if_dead(struct domain *d)
{
    if (d->state == DOMAIN_RUNNING || !d->boot_domain)
        return;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i]->running)
            return;
    arch_enter_idle_page_table();
    domain_destroy(d);
}

/*
 * Decide who runs, and switch to it. Called on the way back to a guest
 * (need_resched, or the current vCPU may no longer run) and from the
 * idle loop (current NULL). Returns only if the current vCPU goes on
 * running, or if the CPU is idle and nothing is runnable.
 */
void schedule(void)
{
    struct sched_cpu *sc = this_sched();
    struct vcpu *prev = current, *next;
    uint64_t now = NOW();
    bool prev_runs = prev && vcpu_may_run(prev);   /* read once: nothing
                                                      below changes it */

    sc->need_resched = false;
    if (prev) {
        burn_credit(prev, now);
        if (!prev_runs || !in_slice(sc, now))
            prev->sched.boost = false;
    }
    /* The machine goes with dom0 (the idle loop stops it): nobody runs on. */
    next = dom0_running() ? pick_next(sc, prev_runs ? prev : NULL) : NULL;
    /*
     * Within its slice, a vCPU that may run keeps the CPU unless it yields
     * or one of higher priority is waiting: equals wait for the slice end
     * (an accounting period ending mid-slice asks for a decision, which
     * only a parked vCPU getting credit back, or a change of priority,
     * should change).
     */
    if (prev_runs && next && next != prev && in_slice(sc, now) && !sc->yielding &&
        vcpu_prio(next) <= vcpu_prio(prev))
        next = prev;
    sc->yielding = false;
    if (next && (!in_slice(sc, now) || next != prev)) {
        sc->slice_end = now + SLICE;
        if (!sc->slice_timer.active)
            set_timer(&sc->slice_timer, sc->slice_end);
    }
    if (next == prev)
        return;
    if (!next) {
        sc->slice_end = 0;
        stop_timer(&sc->slice_timer);
    }
    if (next)
        rq_remove(sc, next);
    if (prev) {
        prev->sched.boost = false;
        if (prev_runs)
            rq_append(sc, prev);
        arch_context_save(prev, now);
        reap_if_dead(prev->domain);
    }
    sc->switches++;
    if (!next) {
        if (prev)
            arch_reset_to_idle();     /* does not return */
        return;
    }
    next->sched.burn_since = now;
    arch_vcpu_enter(next, now);
}

static const char *const runstate_names[] = {
    [RUNSTATE_running] = "running", [RUNSTATE_runnable] = "runnable",
    [RUNSTATE_blocked] = "blocked", [RUNSTATE_offline] = "offline",
};

/* The runqueue, for VIRQ_DEBUG and the 'q' debug key. */
void sched_dump(void)
{
    struct sched_cpu *sc = this_sched();
    static const char *const prio_names[] = {
        [PRIO_PARKED] = "parked", [PRIO_OVER] = "over",
        [PRIO_UNDER] = "under", [PRIO_BOOST] = "boost",
    };
    struct domain *d;

    printk("scheduler: credit, slice %lu ms, period %lu ms; %lu switches, "
           "%lu slices ended\n", (unsigned long)(SLICE / MILLISECS(1)),
           (unsigned long)(ACCT_PERIOD / MILLISECS(1)),
           sc->switches, sc->slices);
    for_each_domain(d) {
        printk("  d%u weight %u cap %u%s\n", d->domain_id, d->weight, d->cap,
               d->state == DOMAIN_RUNNING ? "" : " (shut down)");
        for (unsigned int i = 0; i < d->max_vcpus; i++) {
            const struct vcpu *v = d->vcpu[i];
            printk("    v%u %-8s %-6s credit %8ld us, ran %lu ms%s\n", v->vcpu_id,
                   runstate_names[v->runstate.state & 3],
                   prio_names[vcpu_prio(v)], v->sched.credit / 1000,
                   (v->runstate.time[RUNSTATE_running] +
                    (v->running ? NOW() - v->runstate.state_entry_time : 0)) /
                   1000000UL, v->sched.queued ? ", queued" : "");
            /* The runqueue's rule (the head comment): a vCPU waiting
             * for the CPU is on it. Broken, it would never run again. */
            if (vcpu_may_run(v) && !v->running && !v->sched.queued)
                printk("    v%u: runnable but not queued (a scheduler bug)\n",
                       v->vcpu_id);
        }
    }
}
