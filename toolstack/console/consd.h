/* SPDX-License-Identifier: MIT */
/*
 * consd.h - the console backend's core: guests' console rings, their log
 *           files, and the clients attached over a unix socket.
 * Owns:    struct consd (guests, clients, the listening socket).
 * Touches: the platform through pvback.h only (ring pages, event
 *          channels, domains' states), and POSIX files and sockets: no
 *          device of its own, so the unit tests run it on the host over a
 *          fake platform and rings in ordinary memory.
 * ABI:     abi/xen/io/console.h (struct xencons_interface); the client
 *          protocol is toolstack/console/README.md's.
 */
#ifndef PVISOR_CONSD_H
#define PVISOR_CONSD_H

#include <stdint.h>
#include <stdio.h>

#include "pvback.h"

struct consd;

/*
 * A backend over platform pb, writing each guest's output to
 * LOGDIR/NAME.log (or LOGDIR/guest-ID.log); log gets the daemon's own
 * lines (stderr in pvconsoled). pb may be NULL: no guest can be added
 * (the host daemon without devices). NULL on allocation failure.
 */
struct consd *consd_new(struct pvback *pb, const char *logdir, FILE *log);
/* Closes every client, guest (unmap, unbind) and the socket. */
void consd_free(struct consd *d);

/* Listen on a unix socket at path (replacing a stale one): 0 or -errno. */
int consd_listen(struct consd *d, const char *path);

/*
 * Serve guest dom's console: map its ring (grant ref 0, else frame mfn),
 * bind its event channel (remote port), open its log. name may be NULL
 * or empty. 0, or -errno with a message in err.
 */
int consd_add(struct consd *d, uint32_t dom, uint32_t port, uint64_t mfn,
              const char *name, char *err, size_t errlen);
/* Stop serving it: its last output is logged, its clients see end of
 * file. 0 or -ENOENT. */
int consd_remove(struct consd *d, uint32_t dom);

/* One round of the daemon: poll (up to timeout_ms, -1 forever) the
 * socket, the clients and the platform's events, and act on what came;
 * every CONSD_CHECK_MS, consd_check_domains(). */
void consd_poll(struct consd *d, int timeout_ms);

/* Ask each served domain's state: a dead one's console closes. */
#define CONSD_CHECK_MS 1000
void consd_check_domains(struct consd *d);

/* Counts for tests and diagnostics. */
unsigned consd_guest_count(const struct consd *d);
unsigned consd_client_count(const struct consd *d);

#endif
