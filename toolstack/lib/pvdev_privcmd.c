/* SPDX-License-Identifier: MIT */
/*
 * pvdev_privcmd.c - the privcmd part of pvdev.h: hypercalls and foreign
 *                   mappings through dom0's privcmd device, with Linux's
 *                   ioctls (abi/xen/sys/privcmd.h), so the same code
 *                   runs over pvkernel's /dev/pvisor/privcmd and Linux's
 *                   /dev/xen/privcmd.
 * Owns:    the mappings it hands out (an mmap() of the device each).
 * Touches: the device, through open/ioctl/mmap/munmap only.
 */
#include "pvdev.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/sys/privcmd.h>

#define PRIVCMD_PAGE 4096UL

/* pvkernel's name first, then Linux's, so pvctl also runs on Xen. */
static const char *const privcmd_paths[] = {
    "/dev/pvisor/privcmd", "/dev/xen/privcmd",
};

int pv_privcmd_open(void)
{
    int err = ENOENT;

    for (unsigned int i = 0; i < sizeof(privcmd_paths) / sizeof(privcmd_paths[0]);
         i++) {
        int fd = open(privcmd_paths[i], O_RDWR | O_CLOEXEC);
        if (fd >= 0)
            return fd;
        if (errno != ENOENT)
            err = errno;       /* say EACCES rather than "not there" */
    }
    return -err;
}

long pv_hypercall(int fd, unsigned int op, uint64_t a0, uint64_t a1,
                  uint64_t a2, uint64_t a3, uint64_t a4)
{
    privcmd_hypercall_t call = { .op = op, .arg = { a0, a1, a2, a3, a4 } };
    long rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call);

    return rc < 0 ? -errno : rc;
}

void *pv_map_foreign(int fd, domid_t dom, int prot, const xen_pfn_t *mfns,
                     int *err, unsigned int n, int *rc)
{
    size_t len = (size_t)n * PRIVCMD_PAGE;
    int *errs = err ? err : calloc(n ? n : 1, sizeof(int));
    privcmd_mmapbatch_v2_t batch = { .num = n, .dom = dom, .arr = mfns };
    void *addr;
    int r = 0;

    if (!errs) {
        r = -ENOMEM;
        goto out;
    }
    addr = mmap(NULL, len, prot, MAP_SHARED, fd, 0);
    if (addr == MAP_FAILED) {
        r = -errno;
        goto out;
    }
    batch.addr = (uintptr_t)addr;
    batch.err = errs;
    /* As Linux's: 0 once every page was tried; err[] says which failed. */
    if (ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &batch) < 0)
        r = -errno;
    for (unsigned int i = 0; r == 0 && i < n; i++)
        r = errs[i] < 0 ? errs[i] : 0;
    if (r) {
        munmap(addr, len);
        goto out;
    }
    if (!err)
        free(errs);
    if (rc)
        *rc = 0;
    return addr;
out:
    if (!err)
        free(errs);
    if (rc)
        *rc = r;
    return NULL;
}

int pv_unmap_foreign(void *addr, unsigned int n)
{
    return munmap(addr, (size_t)n * PRIVCMD_PAGE) ? -errno : 0;
}
