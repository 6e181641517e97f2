/* SPDX-License-Identifier: MIT */
/*
 * xen/sys/privcmd.h - the privcmd device's ioctls: how dom0's userland
 * makes hypercalls and maps other domains' frames.
 *
 * The device is pvkernel's /dev/pvisor/privcmd (also /dev/xen/privcmd);
 * its ioctl numbers and argument layouts are Linux's (Debian installs them
 * as <xen/sys/privcmd.h>), so a toolstack written for Linux's device works
 * on ours. Only the calls pvkernel implements are here.
 */
#ifndef __LINUX_PUBLIC_PRIVCMD_H__
#define __LINUX_PUBLIC_PRIVCMD_H__

#include <stdint.h>
#include <xen/xen.h>
#include "ioc.h"

/* One hypercall: op is __HYPERVISOR_*, arg[] its arguments in order.
 * The ioctl returns the hypercall's result (a Xen error -E becomes -1
 * with errno E). */
typedef struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
} privcmd_hypercall_t;

/*
 * Map num frames of domain dom at addr, inside an mmap() of the device:
 * arr[i] is the frame number (an MFN on PV), err[i] receives 0 or the
 * -errno for that page. As Linux's, the ioctl answers 0 once every page
 * has been tried even when some failed (their err[] says which), ENOENT
 * when some page failed with -ENOENT (paged out, for Xen), EFAULT when
 * err[] cannot be written, EINVAL for a range outside a privcmd mapping
 * or already mapped.
 */
typedef struct privcmd_mmapbatch_v2 {
    unsigned int num;
    domid_t dom;
    uint64_t addr;
    const xen_pfn_t *arr;
    int *err;
} privcmd_mmapbatch_v2_t;

#define IOCTL_PRIVCMD_HYPERCALL \
    _IOC(_IOC_NONE, 'P', 0, sizeof(privcmd_hypercall_t))
#define IOCTL_PRIVCMD_MMAPBATCH_V2 \
    _IOC(_IOC_NONE, 'P', 4, sizeof(privcmd_mmapbatch_v2_t))
#define IOCTL_PRIVCMD_RESTRICT \
    _IOC(_IOC_NONE, 'P', 6, sizeof(domid_t))

#endif
