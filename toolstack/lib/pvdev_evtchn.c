/* SPDX-License-Identifier: MIT */
/*
 * pvdev_evtchn.c - the evtchn part of pvdev.h: event channels for dom0's
 *                  daemons through the event-channel device.
 * Owns:    nothing but the file descriptors it opens.
 * Touches: /dev/pvisor/evtchn (pvkernel) or /dev/xen/evtchn (Linux), with
 *          Linux's ioctls (abi/xen/sys/evtchn.h), read() and write() only.
 *
 * The device's semantics are Linux's: each open file owns the ports it
 * binds and closing it unbinds them; read() gives the ports that fired,
 * a uint32_t each, and leaves them masked; write() of ports unmasks them.
 * A bind ioctl returns the new local port. ioctl() failing sets errno,
 * which every function here returns negated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xen/sys/evtchn.h>

#include "pvdev.h"

/* pvkernel's node first, then Linux's, so the same binary runs on both. */
static const char *const evtchn_paths[] = {
    "/dev/pvisor/evtchn", "/dev/xen/evtchn",
};

int pv_evtchn_open(void)
{
    int err = ENOENT;
    for (unsigned i = 0; i < sizeof(evtchn_paths) / sizeof(evtchn_paths[0]);
         i++) {
        int fd = open(evtchn_paths[i], O_RDWR | O_CLOEXEC);
        if (fd >= 0)
            return fd;
        if (errno != ENOENT)
            err = errno;    /* a node that exists but refused says more */
    }
    return -err;
}

/* An ioctl whose non-negative result is the answer (a port, or 0). */
static int evtchn_ioctl(int fd, unsigned long cmd, void *arg)
{
    int rc = ioctl(fd, cmd, arg);
    return rc < 0 ? -errno : rc;
}

int pv_evtchn_bind_interdomain(int fd, domid_t dom, evtchn_port_t remote)
{
    struct ioctl_evtchn_bind_interdomain op = {
        .remote_domain = dom, .remote_port = remote,
    };
    return evtchn_ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &op);
}

int pv_evtchn_bind_unbound(int fd, domid_t remote_dom)
{
    struct ioctl_evtchn_bind_unbound_port op = { .remote_domain = remote_dom };
    return evtchn_ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &op);
}

int pv_evtchn_bind_virq(int fd, unsigned int virq)
{
    struct ioctl_evtchn_bind_virq op = { .virq = virq };
    return evtchn_ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &op);
}

int pv_evtchn_unbind(int fd, evtchn_port_t port)
{
    struct ioctl_evtchn_unbind op = { .port = port };
    int rc = evtchn_ioctl(fd, IOCTL_EVTCHN_UNBIND, &op);
    return rc < 0 ? rc : 0;
}

int pv_evtchn_notify(int fd, evtchn_port_t port)
{
    struct ioctl_evtchn_notify op = { .port = port };
    int rc = evtchn_ioctl(fd, IOCTL_EVTCHN_NOTIFY, &op);
    return rc < 0 ? rc : 0;
}

int pv_evtchn_pending(int fd)
{
    uint32_t port;
    for (;;) {
        ssize_t n = read(fd, &port, sizeof(port));
        if (n == (ssize_t)sizeof(port))
            return (int)(port & 0x7fffffffu);
        if (n < 0 && errno == EINTR)
            continue;
        /* A short read cannot happen on a well-behaved device: say so
         * rather than hand out a torn port. */
        return n < 0 ? -errno : -EIO;
    }
}

int pv_evtchn_unmask(int fd, evtchn_port_t port)
{
    uint32_t p = port;
    for (;;) {
        ssize_t n = write(fd, &p, sizeof(p));
        if (n == (ssize_t)sizeof(p))
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 ? -errno : -EIO;
    }
}
