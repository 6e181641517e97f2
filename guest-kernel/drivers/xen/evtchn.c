/* SPDX-License-Identifier: MIT */
/*
 * evtchn.c - /dev/pvisor/evtchn (and /dev/xen/evtchn): event channels for
 *            user programs (the store and console daemons), with Linux's
 *            ioctls and read/write protocol (abi/xen/sys/evtchn.h).
 * Owns:    which open file owns each port it bound (owner[]), whether the
 *          port is enabled (unmasked for the user), each file's ring of
 *          fired ports and its wait queue.
 * Touches: the kernel's event-channel layer (include/evtchn.h: bind,
 *          close, notify, mask, unmask; the handler runs in the upcall);
 *          wait queues and poll_wake(); user copies.
 * Trusts:  nothing from the user: ports named in ioctls and writes must be
 *          ones this file bound.
 *
 * As Linux's drivers/xen/evtchn.c:
 *  - Each open file owns the ports it binds (BIND_VIRQ on vCPU 0,
 *    BIND_INTERDOMAIN, BIND_UNBOUND_PORT: the ioctl answers the new local
 *    port; the hypervisor's -E is the ioctl's) and close() closes them.
 *    UNBIND and NOTIFY of a port it does not own: -ENOTCONN (-EINVAL past
 *    the port range).  RESET forgets the ports fired and not read, and a
 *    ring overflow; the ports stay bound.  Others: -ENOSYS (Linux's).
 *  - When a port fires its handler masks it ("disabled") and puts it in
 *    the file's ring (1024 ports; when full, later reads answer -EFBIG
 *    until RESET).  read() gives the fired ports as uint32_t each (the
 *    count rounded down to 4 bytes, at most a page), waiting while there
 *    are none (O_NONBLOCK: -EAGAIN); write() of uint32_t ports unmasks
 *    those this file owns and disabled (others are ignored) and answers
 *    the count.  poll(): POLLIN when a port is waiting, POLLERR on
 *    overflow, always POLLOUT.
 */
#include <kernel.h>
#include <evtchn.h>
#include <mm.h>
#include <poll.h>
#include <proc.h>
#include <wait.h>
#include <xendev.h>
#include <asm/page.h>
#include <xen/sys/evtchn.h>

#define RING_PORTS   (PAGE_SIZE / sizeof(uint32_t))     /* Linux's first ring */
#define DEV_PORTS    4096U      /* the 2-level ABI's ports (evtchn.h's layer) */

struct evtchn_user {
    uint32_t *ring;             /* a page: RING_PORTS entries */
    uint64_t ring_pfn;
    unsigned int cons, prod;    /* free-running */
    bool overflow;
    struct wait_queue wq;
};

static struct evtchn_user *owner[DEV_PORTS];
static bool enabled[DEV_PORTS];

/* In the upcall, events masked: the port stays masked until written back. */
static void evtchn_dev_fired(unsigned int port, void *arg)
{
    struct evtchn_user *u = arg;

    evtchn_mask(port);
    if (port < DEV_PORTS)
        enabled[port] = false;
    if (u->prod - u->cons < RING_PORTS)
        u->ring[u->prod++ % RING_PORTS] = port;
    else
        u->overflow = true;
    wait_wake_all(&u->wq);
    poll_wake();
}

static long evtchn_dev_open(struct file *f)
{
    struct evtchn_user *u = kzalloc(sizeof(*u));

    if (!u)
        return -ENOMEM;
    u->ring_pfn = mm_alloc_pfn();
    if (u->ring_pfn == INVALID_FRAME) {
        kfree(u);
        return -ENOMEM;
    }
    u->ring = pfn_to_virt(u->ring_pfn);
    wait_init(&u->wq);
    f->priv = u;
    return 0;
}

static void evtchn_dev_release(struct file *f)
{
    struct evtchn_user *u = f->priv;
    unsigned int port;

    for (port = 1; port < DEV_PORTS; port++) {
        if (owner[port] != u)
            continue;
        evtchn_close(port);
        owner[port] = NULL;
        enabled[port] = false;
    }
    mm_free_pfn(u->ring_pfn);
    kfree(u);
}

/* A bind's answer: the port, now this file's, or the error. */
static long own(struct evtchn_user *u, long port)
{
    if (port < 0)
        return port;
    if ((unsigned long)port >= DEV_PORTS) {
        evtchn_close((unsigned int)port);
        return -ENOSPC;
    }
    owner[port] = u;
    enabled[port] = true;       /* the bind unmasked it */
    return port;
}

/* The port of an UNBIND/NOTIFY argument, if this file owns it. */
static long owned_port(struct process *p, struct evtchn_user *u, uint64_t arg)
{
    unsigned int port;

    if (uspace_copy_from(&p->us, &port, arg, sizeof(port)))
        return -EFAULT;
    if (port >= DEV_PORTS)
        return -EINVAL;
    return owner[port] == u ? (long)port : -ENOTCONN;
}

static long evtchn_dev_ioctl(struct process *p, struct file *f, unsigned int cmd, uint64_t arg)
{
    struct evtchn_user *u = f->priv;
    unsigned int a[2];
    long port;

    switch (cmd) {
    case IOCTL_EVTCHN_BIND_VIRQ:
        if (uspace_copy_from(&p->us, a, arg, sizeof(struct ioctl_evtchn_bind_virq)))
            return -EFAULT;
        return own(u, evtchn_bind_virq(a[0], 0, evtchn_dev_fired, u));
    case IOCTL_EVTCHN_BIND_INTERDOMAIN:
        if (uspace_copy_from(&p->us, a, arg, sizeof(struct ioctl_evtchn_bind_interdomain)))
            return -EFAULT;
        return own(u, evtchn_bind_interdomain((uint16_t)a[0], a[1], evtchn_dev_fired, u));
    case IOCTL_EVTCHN_BIND_UNBOUND_PORT:
        if (uspace_copy_from(&p->us, a, arg, sizeof(struct ioctl_evtchn_bind_unbound_port)))
            return -EFAULT;
        return own(u, evtchn_alloc_unbound((uint16_t)a[0], evtchn_dev_fired, u));
    case IOCTL_EVTCHN_UNBIND:
        port = owned_port(p, u, arg);
        if (port < 0)
            return port;
        evtchn_close((unsigned int)port);
        owner[port] = NULL;
        enabled[port] = false;
        return 0;
    case IOCTL_EVTCHN_NOTIFY:
        port = owned_port(p, u, arg);
        return port < 0 ? port : evtchn_notify((unsigned int)port);
    case IOCTL_EVTCHN_RESET:
        u->cons = u->prod = 0;
        u->overflow = false;
        return 0;
    }
    return -ENOSYS;
}

static long evtchn_dev_read(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    struct evtchn_user *u = f->priv;
    uint64_t n, i;
    long rc;

    len = MIN(len & ~(uint64_t)3, (uint64_t)PAGE_SIZE);
    if (!len)
        return 0;
    for (;;) {
        if (u->overflow)
            return -EFBIG;
        if (u->cons != u->prod)
            break;
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        rc = wait_sleep(&u->wq);
        if (rc)
            return rc == -EINTR ? -ERESTARTSYS : rc;
    }
    n = MIN(len / sizeof(uint32_t), (uint64_t)(u->prod - u->cons));
    for (i = 0; i < n; i++)
        if (uspace_copy_to(&p->us, buf + i * sizeof(uint32_t),
                           &u->ring[(u->cons + i) % RING_PORTS], sizeof(uint32_t)))
            return -EFAULT;     /* nothing consumed, as Linux */
    u->cons += (unsigned int)n;
    return (long)(n * sizeof(uint32_t));
}

static long evtchn_dev_write(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    struct evtchn_user *u = f->priv;
    uint32_t port;
    uint64_t i;

    len = MIN(len & ~(uint64_t)3, (uint64_t)PAGE_SIZE);
    for (i = 0; i < len; i += sizeof(port)) {
        if (uspace_copy_from(&p->us, &port, buf + i, sizeof(port)))
            return -EFAULT;
        if (port < DEV_PORTS && owner[port] == u && !enabled[port]) {
            enabled[port] = true;
            evtchn_unmask(port);
        }
    }
    return (long)len;
}

static unsigned int evtchn_dev_poll(struct file *f)
{
    const struct evtchn_user *u = f->priv;
    unsigned int ev = POLLOUT | POLLWRNORM;

    if (u->cons != u->prod)
        ev |= POLLIN | POLLRDNORM;
    if (u->overflow)
        ev |= POLLERR;
    return ev;
}

static const struct file_ops evtchn_dev_fops = {
    .open = evtchn_dev_open,
    .release = evtchn_dev_release,
    .read = evtchn_dev_read,
    .write = evtchn_dev_write,
    .ioctl = evtchn_dev_ioctl,
    .poll = evtchn_dev_poll,
};

void evtchn_dev_register(void)
{
    uint32_t rdev = XENDEV_MAJOR << 8 | XENDEV_EVTCHN_MINOR;

    devfs_register("pvisor/evtchn", rdev, 0600, &evtchn_dev_fops);
    devfs_register("xen/evtchn", rdev, 0600, &evtchn_dev_fops);
}
