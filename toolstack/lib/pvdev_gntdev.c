/* SPDX-License-Identifier: MIT */
/*
 * pvdev_gntdev.c - the gntdev part of pvdev.h: map pages other domains
 *                  granted to dom0 (console and store rings).
 * Owns:    the table of live mappings (address -> the device's index),
 *          which pv_gnt_unmap() needs to free the index.
 * Touches: /dev/pvisor/gntdev (pvkernel) or /dev/xen/gntdev (Linux), with
 *          Linux's ioctls (abi/xen/sys/gntdev.h), mmap() and munmap().
 *
 * Linux's sequence: IOCTL_GNTDEV_MAP_GRANT_REF reserves count pages and
 * answers an index; mmap() of the device at offset index maps the grants
 * (the grant map hypercall happens there, so a bad ref fails the mmap);
 * munmap() unmaps them; IOCTL_GNTDEV_UNMAP_GRANT_REF frees the index.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/sys/gntdev.h>

#include "pvdev.h"

#define PV_PAGE_SIZE 4096u

static const char *const gntdev_paths[] = {
    "/dev/pvisor/gntdev", "/dev/xen/gntdev",
};

/* One live mapping. A daemon holds a few (one ring per guest): a list. */
struct gnt_mapping {
    struct gnt_mapping *next;
    int fd;
    void *addr;
    unsigned int count;
    uint64_t index;
};
static struct gnt_mapping *gnt_mappings;

int pv_gntdev_open(void)
{
    int err = ENOENT;
    for (unsigned i = 0; i < sizeof(gntdev_paths) / sizeof(gntdev_paths[0]);
         i++) {
        int fd = open(gntdev_paths[i], O_RDWR | O_CLOEXEC);
        if (fd >= 0)
            return fd;
        if (errno != ENOENT)
            err = errno;
    }
    return -err;
}

static int gnt_free_index(int fd, uint64_t index, unsigned int n)
{
    struct ioctl_gntdev_unmap_grant_ref op = { .index = index, .count = n };
    return ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &op) < 0 ? -errno : 0;
}

void *pv_gnt_map(int fd, domid_t dom, const uint32_t *refs, unsigned int n,
                 int prot, int *rc)
{
    int err = 0;
    void *addr = NULL;
    struct ioctl_gntdev_map_grant_ref *op = NULL;
    struct gnt_mapping *m = malloc(sizeof(*m));
    if (n == 0 || n > 1024) {
        err = -EINVAL;
        goto out;
    }
    /* The struct ends in refs[1]: n entries follow its header. */
    op = calloc(1, sizeof(*op) + (n - 1) * sizeof(op->refs[0]));
    if (!m || !op) {
        err = -ENOMEM;
        goto out;
    }
    op->count = n;
    for (unsigned int i = 0; i < n; i++)
        op->refs[i] = (struct ioctl_gntdev_grant_ref){ dom, refs[i] };
    if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, op) < 0) {
        err = -errno;
        goto out;
    }
    addr = mmap(NULL, (size_t)n * PV_PAGE_SIZE, prot, MAP_SHARED, fd,
                (off_t)op->index);
    if (addr == MAP_FAILED) {
        err = -errno;
        addr = NULL;
        gnt_free_index(fd, op->index, n);
        goto out;
    }
    *m = (struct gnt_mapping){ gnt_mappings, fd, addr, n, op->index };
    gnt_mappings = m;
    m = NULL;
out:
    free(m);
    free(op);
    if (rc)
        *rc = err;
    return addr;
}

int pv_gnt_unmap(int fd, void *addr, unsigned int n)
{
    struct gnt_mapping **link = &gnt_mappings;
    while (*link && ((*link)->addr != addr || (*link)->fd != fd))
        link = &(*link)->next;
    if (!*link || (*link)->count != n)
        return -EINVAL;
    struct gnt_mapping *m = *link;
    *link = m->next;
    int rc = munmap(addr, (size_t)n * PV_PAGE_SIZE) < 0 ? -errno : 0;
    int rc2 = gnt_free_index(fd, m->index, n);
    free(m);
    return rc ? rc : rc2;
}
