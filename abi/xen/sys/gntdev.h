/* SPDX-License-Identifier: MIT */
/*
 * xen/sys/gntdev.h - the grant-mapping device's ioctls: dom0's userland
 * maps pages other domains granted it (the console and store rings).
 *
 * The device is pvkernel's /dev/pvisor/gntdev (also /dev/xen/gntdev),
 * with Linux's ioctl numbers and layouts (Debian's <xen/sys/gntdev.h>).
 * MAP_GRANT_REF reserves count pages and returns an offset (index); an
 * mmap() of the device at that offset maps the grants (GNTTABOP_map_grant_ref
 * happens there), munmap() unmaps them, UNMAP_GRANT_REF frees the offset.
 */
#ifndef __LINUX_PUBLIC_GNTDEV_H__
#define __LINUX_PUBLIC_GNTDEV_H__

#include <stdint.h>
#include "ioc.h"

struct ioctl_gntdev_grant_ref {
    uint32_t domid;
    uint32_t ref;
};

struct ioctl_gntdev_map_grant_ref {
    uint32_t count;                         /* in */
    uint32_t pad;
    uint64_t index;                         /* out: the offset for mmap() */
    struct ioctl_gntdev_grant_ref refs[1];  /* in: count of them */
};
#define IOCTL_GNTDEV_MAP_GRANT_REF \
    _IOC(_IOC_NONE, 'G', 0, sizeof(struct ioctl_gntdev_map_grant_ref))

struct ioctl_gntdev_unmap_grant_ref {
    uint64_t index;
    uint32_t count;
    uint32_t pad;
};
#define IOCTL_GNTDEV_UNMAP_GRANT_REF \
    _IOC(_IOC_NONE, 'G', 1, sizeof(struct ioctl_gntdev_unmap_grant_ref))

#endif
