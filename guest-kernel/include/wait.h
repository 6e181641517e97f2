/* SPDX-License-Identifier: MIT */
/*
 * wait.h - wait queues: a process sleeps on a queue until someone wakes
 *          it (a syscall of another process, an event handler, a timer).
 * Owns:    struct wait_queue and its API.
 * Touches: nothing (declarations).  Implemented by kernel/wait.c, on top of
 *          the scheduler (kernel/sched.c).
 *
 * Usage, in process context (a system call), the condition re-tested after
 * every wake-up:
 *
 *     while (!condition) {
 *         long rc = wait_sleep(&wq);
 *         if (rc)
 *             return rc;          // -EINTR: a signal (or its restart code, signal.h)
 *     }
 *
 * and on the other side, after making the condition true:
 *
 *     wait_wake_all(&wq);         // or wait_wake_one(): the first sleeper
 *
 * No lost wake-up: kernel code runs with events masked on the one vCPU that
 * runs processes, so nothing runs between the test and the sleep.  Wakers
 * may run in any context, an event handler or a timer function included;
 * sleeping is for process context only (never in the upcall, never from
 * the boot/idle thread).  Sleepers are woken in the order they slept.
 */
#ifndef WAIT_H
#define WAIT_H

#include <stdint.h>

struct process;

struct wait_queue {
    struct process *head;       /* sleepers, linked by process.wq_next */
};

#define WAIT_QUEUE_INIT { NULL }

static inline void wait_init(struct wait_queue *wq) { wq->head = 0; }

/* Sleep until woken: 0, or -EINTR when a signal that can act (signal.h:
 * not blocked, not ignored) came, or was pending already. */
long wait_sleep(struct wait_queue *wq);
/* The same with a deadline (system time, ns; see time.h):  -ETIMEDOUT
 * once it has passed without a wake-up. */
long wait_sleep_until(struct wait_queue *wq, uint64_t deadline_ns);
/* Wake the first sleeper / all sleepers; how many were woken. */
unsigned int wait_wake_one(struct wait_queue *wq);
unsigned int wait_wake_all(struct wait_queue *wq);

#endif /* WAIT_H */
