/* SPDX-License-Identifier: MIT */
/*
 * gk_host.h - what pvkernel's file code needs from the rest of the kernel,
 *             on the host: printk, panic, the heap, a page allocator over a
 *             pool of host pages, and empty devfs/procfs constructors
 *             (devfs's unless GK_HOST_HAVE_DEVFS).
 * Owns:    the pool (GK_POOL_PAGES pages; pfn N is pool page N) and its
 *          free count, which tests read and can cap (gk_pool_limit()).
 * Touches: nothing else.  Included once by each gk_* unit test.
 */
#ifndef GK_HOST_H
#define GK_HOST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mm.h>
#include <vfs.h>

#include "check_runner.h"

void printk(const char *fmt, ...)
{
    va_list ap;

    if (!getenv("PVISOR_TEST_VERBOSE"))
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    (void)fmt;
    abort();
}

void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }

#define GK_POOL_PAGES 4096
static uint8_t (*gk_pool)[4096];
static uint8_t gk_used[GK_POOL_PAGES];
static uint64_t gk_nfree = GK_POOL_PAGES, gk_limit = GK_POOL_PAGES;

/* Only the first `pages` of the pool can be handed out (the rest look used). */
static inline void gk_pool_limit(uint64_t pages) { gk_limit = pages; }

uint64_t mm_free_pfns(void)
{
    uint64_t used = GK_POOL_PAGES - gk_nfree;

    return used >= gk_limit ? 0 : gk_limit - used;
}

uint64_t mm_alloc_pfn(void)
{
    uint64_t i;

    if (!gk_pool)
        gk_pool = aligned_alloc(4096, (size_t)GK_POOL_PAGES * 4096);
    if (!mm_free_pfns())
        return INVALID_FRAME;
    for (i = 0; i < GK_POOL_PAGES; i++) {
        if (!gk_used[i]) {
            gk_used[i] = 1;
            gk_nfree--;
            memset(gk_pool[i], 0, 4096);
            return i;
        }
    }
    return INVALID_FRAME;
}

void mm_free_pfn(uint64_t pfn)
{
    if (pfn >= GK_POOL_PAGES || !gk_used[pfn])
        abort();                        /* a double or wild free is a bug */
    memset(gk_pool[pfn], 0xa5, 4096);   /* a use after free reads garbage */
    gk_used[pfn] = 0;
    gk_nfree++;
}

void *pfn_to_virt(uint64_t pfn) { return pfn < GK_POOL_PAGES ? gk_pool[pfn] : NULL; }

uint64_t virt_to_pfn(const void *va)
{
    uint64_t off = (uint64_t)((const uint8_t *)va - gk_pool[0]);

    if (off / 4096 >= GK_POOL_PAGES)
        abort();
    return off / 4096;
}

#ifndef GK_HOST_HAVE_DEVFS             /* test_gk_devfs.c has the real one */
struct inode *devfs_new(void) { return NULL; }
#endif
struct inode *procfs_new(void) { return NULL; }

#endif /* GK_HOST_H */
