/* SPDX-License-Identifier: MIT */
/*
 * sched.h - struct domain and struct vcpu, the nouns every subsystem
 * shares (Xen's names, so readers can cross-reference).
 * Owns:    the structures' layout; their lifecycle is domain.c's.
 * Touches: nothing.
 */
#ifndef PVISOR_SCHED_H
#define PVISOR_SCHED_H

#include <xen/vcpu.h>
#include <xen/xen.h>
#include "config.h"
#include "event.h"
#include "grant_table.h"
#include "timer.h"
#include "percpu.h"
#include "pv_domain.h"
#include "pv_vcpu.h"
#include "types.h"

struct domain;

/* Per-hypercall counters (common/hypercall.c). */
struct hypercall_stats {
    uint64_t reuse_flushes;      /* TLB flushes for frame reuse in it:
                                  * first, so the row's address is where
                                  * tlbflush_reuse_counter points     */
    uint64_t calls;
    uint64_t cycles;             /* TSC ticks spent in the handler      */
    uint64_t pad;                /* 32-byte rows: entry.S indexes them
                                  * with twice hypercall_table's stride */
};

/*
 * A vCPU's place in the credit scheduler (common/sched_credit.c): its
 * credit in ns of CPU time, and its links in the runqueue (whose order,
 * that of joining, is the round robin within a priority).
 */
struct sched_vcpu {
    int64_t credit;                    /* earned by weight, burnt by running */
    uint64_t burn_since;               /* system time credit was last burnt */
    struct vcpu *rq_next, *rq_prev;    /* the runqueue, oldest first         */
    bool queued;                       /* on the runqueue                    */
    bool boost;                        /* woke from a block with credit     */
};

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    struct vcpu_info *vcpu_info;       /* in the shared_info page       */
    bool kernel_mode;                  /* guest kernel (true) or user   */
    /*
     * The vCPU's own reasons the way back to the guest has work
     * (exit_work_pending()): four bytes, one load for the hypercall
     * exit (entry.S, VCPU_exit_flags). Keep them together, and keep a new
     * reason here, in exit_work_pending() and in entry.S.
     */
    union {
        struct {
            bool blocked;              /* SCHEDOP_block: until an event */
            bool down;                 /* VCPUOP_down, or never brought up  */
            bool nmi_pending;          /* VCPUOP_send_nmi (nmi_masked: until iret) */
            bool db_pending;           /* a #DB taken at a hypervisor entry
                                        * point, for the guest on its way out */
        };
        uint32_t exit_flags;
        uint16_t stop_flags;           /* blocked and down: vcpu_may_run() */
    };
    struct pv_vcpu pv;
    mfn_t guest_table;                 /* kernel L4 (NEW_BASEPTR)       */
    mfn_t guest_table_user;            /* user L4 (NEW_USER_BASEPTR)    */
    struct cpu_user_regs regs;         /* saved when not running        */
    bool running;
    bool initialised;                  /* has a context (builder, VCPUOP_initialise) */
    struct sched_vcpu sched;
    evtchn_port_t virq_to_evtchn[NR_VIRQS]; /* 0: the VIRQ is unbound   */
    struct timer singleshot_timer;     /* set_timer_op, VCPUOP_*_singleshot */
    struct timer periodic_timer;       /* VCPUOP_set_periodic_timer     */
    uint64_t periodic_period;          /* ns; 0: none                   */
    uint64_t periodic_last_event;      /* system time of the last tick  */
    bool polling;                      /* SCHEDOP_poll: blocked for ports */
    evtchn_port_t poll_port;           /* ... this one, or 0: any/several */
    struct timer poll_timer;           /* ... its timeout               */
    struct evtchn_fifo_vcpu evtchn_fifo;    /* FIFO ABI: control block  */
    struct vcpu_runstate_info runstate;     /* running, blocked, ...    */
    uint64_t runstate_guest;           /* VCPUOP_register_runstate_memory_area */
    uint64_t time_guest;               /* VCPUOP_register_vcpu_time_memory_area */
    mfn_t vcpu_info_mfn;               /* VCPUOP_register_vcpu_info, or INVALID */
    bool nmi_masked;                   /* a virtual NMI: masked until iret */
    bool in_multicall;                 /* running a multicall's entries */
    bool mc_preempted;                 /* ... and the entry asked to continue */
    bool mc_exit;                      /* ... or moved the vCPU (iret): stop */
    uint64_t mc_args[5];               /* ... with these arguments      */
    uint64_t affinity_hard;            /* XEN_DOMCTL_setvcpuaffinity: CPUs */
    uint64_t affinity_soft;            /* ... as set (bit n: CPU n)     */
};

enum domain_state {
    DOMAIN_RUNNING,
    DOMAIN_SHUTDOWN,                   /* sched_op shutdown, or crashed */
    DOMAIN_DYING,                      /* being destroyed, or a zombie  */
};

/* How far domain_kill() got (it is restartable, as Xen's). */
enum kill_phase {
    KILL_ALIVE,                        /* not started                   */
    KILL_PINS,                         /* dropping pins, from kill_cursor */
    KILL_ALLOCS,                       /* dropping allocation refs      */
    KILL_DEAD,                         /* done: gone, or a zombie       */
};

struct domain {
    domid_t domain_id;
    bool is_privileged;
    /* state and pause_count: one 8-byte load, 0 if the domain may run
     * (the hypercall exit, entry.S, and vcpu_may_run(); DOMAIN_RUNNING
     * is 0). */
    union {
        struct {
            enum domain_state state;
            unsigned int pause_count;  /* every pauser: 0 = may run     */
        };
        uint64_t run_word;
    };
    /* Early, at a fixed offset for entry.S (DOMAIN_hc_stats). */
    struct hypercall_stats hc_stats[NR_HYPERCALLS + 1]; /* +1: out of range */
    unsigned int shutdown_code;        /* SHUTDOWN_* when SHUTDOWN      */
    bool crashed;
    struct shared_info *shared_info;   /* hypervisor's mapping          */
    mfn_t shared_info_mfn;
    struct vcpu *vcpu[MAX_VCPUS_PER_DOM];
    unsigned int max_vcpus;            /* vCPUs created: vcpu[0..max_vcpus) */
    unsigned int config_max_vcpus;     /* createdomain's max_vcpus (Xen's
                                        * d->max_vcpus): the bound of ids */
    uint64_t tot_pages, max_pages;
    unsigned long vm_assist;           /* VMASST_TYPE_* bits            */
    struct pv_domain pv;               /* arch: the CMOS index latch    */
    struct evtchn_table evtchn;        /* event_channel.c: the ports    */
    struct grant_table grant_table;    /* grant_table.c: shared entries */
    uint64_t free_frames_before;       /* allocator's count before build */
    unsigned int weight;               /* credit scheduler: share, 1..65535 */
    unsigned int cap;                  /* ... % of one CPU; 0: no cap      */
    bool boot_domain;                  /* started at boot (domU=): the
                                        * hypervisor reaps it at shutdown */
    evtchn_port_t console_port;        /* boot domain: the hypervisor drains */
    mfn_t console_mfn;                 /* ... this ring (held writable) */
    bool console_at_line_start;        /* ... "(dN) " goes first        */
    /* The toolstack's view (domctl.c, domctl_domain.c). */
    unsigned int controller_pause_count; /* the toolstack's share (<= 255) */
    bool creation_finished;            /* its count first reached 0     */
    bool shut_down;                    /* SHUTDOWN_* code is valid (Xen's
                                        * is_shut_down; stays when dying) */
    bool debugger_attached;            /* XEN_DOMCTL_setdebugging       */
    bool is_xenstore;                  /* XEN_DOMCTL_CDF_xs_domain      */
    xen_domain_handle_t handle;        /* the toolstack's UUID          */
    uint32_t max_evtchn_port;          /* highest port it may bind      */
    uint32_t tsc_mode, gtsc_khz, tsc_incarnation; /* settscinfo, as set */
    enum kill_phase kill_phase;
    uint64_t kill_cursor;              /* next frame the phase looks at */
    uint64_t zombie_frames;            /* frames others still hold      */
    unsigned int audit_errors;         /* found as it started dying     */
};

#endif
