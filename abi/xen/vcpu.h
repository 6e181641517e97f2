/* SPDX-License-Identifier: MIT */
/*
 * xen/vcpu.h - vcpu_op(cmd, vcpuid, arg): bring vCPUs up and down, timers,
 *             runstate, and moving vcpu_info out of shared_info.
 * Mirrors: Xen 4.17 public/vcpu.h.
 * Owns:    VCPUOP_*, RUNSTATE_*, VCPU_SSHOTTMR_* and the argument structs.
 * Touches: nothing; declarations only.
 */
#ifndef __XEN_PUBLIC_VCPU_H__
#define __XEN_PUBLIC_VCPU_H__

#include "xen.h"

#define VCPUOP_initialise                     0  /* vcpu_guest_context */
#define VCPUOP_up                             1  /* arg NULL */
#define VCPUOP_down                           2  /* arg NULL */
#define VCPUOP_is_up                          3  /* arg NULL; returns 0/1 */
#define VCPUOP_get_runstate_info              4  /* vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer             6
#define VCPUOP_stop_periodic_timer            7  /* arg NULL */
#define VCPUOP_set_singleshot_timer           8
#define VCPUOP_stop_singleshot_timer          9  /* arg NULL */
#define VCPUOP_register_vcpu_info            10
#define VCPUOP_send_nmi                      11  /* arg NULL */
#define VCPUOP_get_physid                    12  /* privileged */
#define VCPUOP_register_vcpu_time_memory_area 13

/* vcpu_runstate_info.state */
#define RUNSTATE_running  0   /* on a physical CPU */
#define RUNSTATE_runnable 1   /* ready, waiting for a CPU */
#define RUNSTATE_blocked  2   /* waiting for an event */
#define RUNSTATE_offline  3   /* down or paused */

/* Set in state_entry_time while the hypervisor updates the area. */
#define XEN_RUNSTATE_UPDATE (xen_mk_ullong(1) << 63)

/*
 * vcpu_set_singleshot_timer.flags: once "fail with -XEN_ETIME if already
 * past"; Xen ignores it since 4.17.3 (a past deadline fires at once).
 */
#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

#ifndef __ASSEMBLY__

struct vcpu_runstate_info {
    int32_t state;              /* RUNSTATE_* */
    uint64_t state_entry_time;  /* system time of the last change */
    uint64_t time[4];           /* ns spent in each RUNSTATE_* */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);

/* Where the hypervisor keeps a copy of the runstate up to date. */
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        struct vcpu_runstate_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area
    vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);

struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;    /* system time */
    uint32_t flags;             /* VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);

/* Move this vCPU's vcpu_info to guest frame mfn at offset. */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;              /* zero */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);

struct vcpu_get_physid {
    uint64_t phys_id;           /* APIC id in [31:0], ACPI id in [63:32] */
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);
#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

/* Where the hypervisor keeps a user-readable copy of vcpu_time_info. */
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        struct vcpu_time_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);

_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate_info");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8,
               "state_entry_time");
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8,
               "runstate_memory_area");
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "periodic_timer");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "singleshot");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_info reg");
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "vcpu_get_physid");
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8,
               "time_memory_area");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_VCPU_H__ */
