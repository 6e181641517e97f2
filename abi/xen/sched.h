/* SPDX-License-Identifier: MIT */
/*
 * xen/sched.h - sched_op(cmd, arg): yield, block, shutdown, poll, and the
 *             shutdown reasons.
 * Mirrors: Xen 4.17 public/sched.h.
 * Owns:    SCHEDOP_*, SHUTDOWN_* and the sub-op argument structs.
 * Touches: nothing; declarations only.
 */
#ifndef __XEN_PUBLIC_SCHED_H__
#define __XEN_PUBLIC_SCHED_H__

#include "event_channel.h"

#define SCHEDOP_yield           0  /* arg NULL: give up the CPU */
#define SCHEDOP_block           1  /* arg NULL: sleep until an event; unmasks */
#define SCHEDOP_shutdown        2  /* sched_shutdown: stop this domain */
#define SCHEDOP_poll            3  /* sched_poll: wait for given ports */
#define SCHEDOP_remote_shutdown 4  /* sched_remote_shutdown (privileged) */
#define SCHEDOP_shutdown_code   5  /* sched_shutdown: set code, don't stop */
#define SCHEDOP_watchdog        6  /* sched_watchdog */
#define SCHEDOP_pin_override    7  /* sched_pin_override (dom0) */

/* Shutdown reasons (sched_shutdown.reason). */
#define SHUTDOWN_poweroff   0  /* clean halt */
#define SHUTDOWN_reboot     1  /* clean reboot */
#define SHUTDOWN_suspend    2  /* save state and stop */
#define SHUTDOWN_crash      3  /* the guest gave up */
#define SHUTDOWN_watchdog   4  /* a watchdog expired */
#define SHUTDOWN_soft_reset 5  /* restart keeping memory */
#define SHUTDOWN_MAX        5

#ifndef __ASSEMBLY__

struct sched_shutdown {
    uint32_t reason;            /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

/* Block until one of `ports` is pending or `timeout` (system time, ns). */
struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    uint32_t nr_ports;
    uint64_t timeout;           /* 0: no timeout */
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);

struct sched_remote_shutdown {
    domid_t domain_id;
    uint32_t reason;            /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);

/* id 0 creates a watchdog (returns its id); timeout 0 destroys it. */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;           /* seconds */
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);

struct sched_pin_override {
    int32_t pcpu;               /* -1 ends the override */
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);

_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown");
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "poll.timeout");
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "remote_shutdown");
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog");
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_SCHED_H__ */
