/* SPDX-License-Identifier: MIT */
/*
 * poll.h - poll, ppoll, select, pselect6: waiting for several descriptors.
 * Owns:    the POLL* bits (Linux's values), struct pollfd, poll_wake().
 *          Implemented by kernel/sys_poll.c.
 * Touches: nothing (declarations).
 *
 * One wait queue for every poller: whatever can change a descriptor's
 * readiness (a pipe's reads, writes and closes, console input, a termios
 * change) calls poll_wake(), and each poller looks at its descriptors
 * again.  Pollers are few (a shell, a test), so waking them all is cheaper
 * than a table of queues per poll; no wake-up is lost because the kernel
 * runs with events masked between a poller's look and its sleep.
 */
#ifndef POLL_H
#define POLL_H

#include <stdint.h>

#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200

struct linux_pollfd {
    int32_t fd;
    int16_t events, revents;
};

/* Readiness may have changed somewhere: pollers look again. */
void poll_wake(void);

#endif /* POLL_H */
