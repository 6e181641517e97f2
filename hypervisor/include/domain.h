/* SPDX-License-Identifier: MIT */
/*
 * domain.h - creating, crashing, shutting down and finding domains
 * (common/domain.c).
 */
#ifndef PVISOR_DOMAIN_H
#define PVISOR_DOMAIN_H

#include <xen/errno.h>
#include "sched.h"

/* A new domain (running, unpaused, no vCPU) with id, or NULL: no free
 * slot or no memory. */
struct domain *domain_create(domid_t id, bool privileged);
/* The id createdomain gives for a request of want, or -XEN_E* (domain.c). */
long domain_pick_id(domid_t want);
/* Pause counts (Xen's domain_pause/unpause): d runs only at 0. */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
/*
 * Destroy d (Xen's domain_kill): paused, dying, everything given back,
 * dom0 told; then gone, or a zombie while others hold its frames.
 * Preemptible: -XEN_ERESTART means call again (progress is kept in d).
 */
long domain_kill(struct domain *d, bool preemptible);
/* The frames d's struct vcpus take (hypervisor memory, freed with d). */
uint64_t domain_vcpu_frames(const struct domain *d);
/* frame.c: a frame owned by d went back to the allocator. */
void domain_frame_freed(struct domain *d);
struct domain *domain_by_id(domid_t id);
/* d's vCPU id, or NULL if it has none (Xen's domain_vcpu()). */
static inline struct vcpu *domain_vcpu(const struct domain *d, uint32_t id)
{
    return id < d->max_vcpus ? d->vcpu[id] : NULL;
}
/* The domain after prev in the table (NULL: the first); NULL at the end. */
struct domain *domain_next(const struct domain *prev);
#define for_each_domain(d) for ((d) = domain_next(NULL); (d); (d) = domain_next(d))
/*
 * The domain a guest's domid argument names (Xen's
 * rcu_lock_domain_by_any_id() with its XSM "target" check): DOMID_SELF or
 * the caller's own id is the caller; another domain only for a privileged
 * caller. NULL with *rc -XEN_ESRCH (no such domain) or -XEN_EPERM.
 */
static inline struct domain *domain_by_any_id(domid_t id, long *rc)
{
    struct domain *curr = current->domain, *d;

    if (id == DOMID_SELF || id == curr->domain_id)
        return curr;
    d = domain_by_id(id);
    *rc = !d ? -XEN_ESRCH : -XEN_EPERM;
    return d && curr->is_privileged ? d : NULL;
}
/* d's vCPU id, down, or NULL when out of memory; created in id order. */
struct vcpu *vcpu_create(struct domain *d, unsigned int id);
/*
 * domctl.c: what XEN_DOMCTL_getdomaininfo says of d, *info zeroed first
 * (also XEN_SYSCTL_getdomaininfolist's entries, sysctl.c).
 */
struct xen_domctl_getdomaininfo;
void getdomaininfo(const struct domain *d, struct xen_domctl_getdomaininfo *info);
/*
 * The guest broke the rules: log why with a register dump, mark the
 * domain crashed (SHUTDOWN_crash). The caller returns normally; the
 * vCPU is not resumed (exit_to_guest() checks).
 */
void domain_crash(struct domain *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* sched_op(SCHEDOP_shutdown) and domain_crash() end here. */
void domain_shutdown(struct domain *d, unsigned int reason);
bool vcpu_runnable(const struct vcpu *v);
/* vcpu_runnable() of a vCPU that exists, inline for the exit path. */
static inline bool vcpu_may_run(const struct vcpu *v)
{
    /* The domain running and not paused, the vCPU neither blocked nor
     * down: two loads (struct domain's run_word, struct vcpu's
     * stop_flags), asked on every multicall entry and scheduling pick. */
    return !v->domain->run_word && !v->stop_flags;
}
_Static_assert(__builtin_offsetof(struct vcpu, stop_flags) ==
               __builtin_offsetof(struct vcpu, blocked) &&
               __builtin_offsetof(struct vcpu, down) ==
               __builtin_offsetof(struct vcpu, blocked) + 1,
               "stop_flags is blocked and down");
_Static_assert(__builtin_offsetof(struct domain, run_word) ==
               __builtin_offsetof(struct domain, state) &&
               __builtin_offsetof(struct domain, pause_count) ==
               __builtin_offsetof(struct domain, state) + 4 &&
               DOMAIN_RUNNING == 0, "run_word is state and pause_count");
/* VCPUOP_up, or the builder: v is no longer down (the scheduler is told). */
void vcpu_bring_up(struct vcpu *v);
/*
 * Give back all of d and free its id; no vCPU of d may be on a CPU, and
 * the CPU must be on the idle page table. dom0 gets VIRQ_DOM_EXC.
 */
void domain_destroy(struct domain *d);
/* console_ring.c: copy what a boot domain wrote to its ring to the console. */
void console_ring_drain(struct domain *d);
/*
 * console_ring.c: the builder gives boot domain d its console: ring (a
 * frame of d) and a new port unbound for dom0. Returns the port or
 * -XEN_E*.
 */
long console_ring_setup(struct domain *d, mfn_t ring);
/* vcpu.c: a new vCPU's timers; stopping them when its domain dies. */
void vcpu_timers_init(struct vcpu *v);
void vcpu_timers_stop(struct vcpu *v);
/* vcpu.c: the periodic timer ticks only while v is on the CPU; v is
 * back on it at system time now (the ticks missed come as one). */
void vcpu_periodic_timer_work(struct vcpu *v, uint64_t now);
/* vcpu.c: v enters RUNSTATE_*; the registered runstate area follows. */
void vcpu_runstate_change(struct vcpu *v, int state);
/* The same at a system time already read (the context switch's). */
void vcpu_runstate_change_at(struct vcpu *v, int state, uint64_t now);
/* vcpu.c: v's runstate as of now (the current state counted up to now). */
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r);
void vcpu_update_guest_areas(struct vcpu *v);
/* vcpu.c: give back the frame register_vcpu_info holds (domain death). */
void vcpu_release_vcpu_info(struct vcpu *v);
/* sched.c: v has an event to take; if it blocked, it runs again. */
void vcpu_unblock(struct vcpu *v);
uint64_t domain_relinquish_memory(struct domain *d);
const char *shutdown_reason_name(unsigned int reason);

#endif
