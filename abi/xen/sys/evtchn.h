/* SPDX-License-Identifier: MIT */
/*
 * xen/sys/evtchn.h - the event-channel device's ioctls: event channels for
 * dom0's userland (the store and console daemons).
 *
 * The device is pvkernel's /dev/pvisor/evtchn (also /dev/xen/evtchn), with
 * Linux's ioctl numbers and layouts (Debian's <xen/sys/evtchn.h>). Each
 * open file owns the ports it binds; closing it closes them. read() gives
 * the ports that fired since the last read, as uint32_t each, and masks
 * them; write() of uint32_t ports unmasks them again. The bind ioctls
 * return the new local port.
 */
#ifndef __LINUX_PUBLIC_EVTCHN_H__
#define __LINUX_PUBLIC_EVTCHN_H__

#include <xen/xen.h>
#include "ioc.h"

struct ioctl_evtchn_bind_virq {
    unsigned int virq;
};
#define IOCTL_EVTCHN_BIND_VIRQ \
    _IOC(_IOC_NONE, 'E', 0, sizeof(struct ioctl_evtchn_bind_virq))

struct ioctl_evtchn_bind_interdomain {
    unsigned int remote_domain, remote_port;
};
#define IOCTL_EVTCHN_BIND_INTERDOMAIN \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))

struct ioctl_evtchn_bind_unbound_port {
    unsigned int remote_domain;
};
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT \
    _IOC(_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))

struct ioctl_evtchn_unbind {
    unsigned int port;
};
#define IOCTL_EVTCHN_UNBIND \
    _IOC(_IOC_NONE, 'E', 3, sizeof(struct ioctl_evtchn_unbind))

struct ioctl_evtchn_notify {
    unsigned int port;
};
#define IOCTL_EVTCHN_NOTIFY \
    _IOC(_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_notify))

/* Forget every port that fired and was not read yet. */
#define IOCTL_EVTCHN_RESET _IOC(_IOC_NONE, 'E', 5, 0)

#endif
