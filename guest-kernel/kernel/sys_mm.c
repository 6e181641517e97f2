/* SPDX-License-Identifier: MIT */
/*
 * sys_mm.c - memory system calls: brk, mmap (anonymous, private),
 *            munmap, mprotect.
 * Owns:    the rules (Linux's): page-aligned addresses, lengths rounded up
 *          to pages, MAP_FIXED replaces what was there, brk never shrinks
 *          below its start and answers the current break on failure.
 * Touches: vma_* (kernel/vma.c) and uspace_* (mm.h).
 *
 * Pages are allocated and mapped when the region is made (no demand
 * paging yet), zeroed.  File mappings, MAP_SHARED and mremap come later.
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>
#include <asm/page.h>

#define PG_UP(x) (((x) + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1))

static unsigned int uprot(long prot)
{
    return (prot & PROT_READ ? UPROT_READ : 0) | (prot & PROT_WRITE ? UPROT_WRITE : 0) |
           (prot & PROT_EXEC ? UPROT_EXEC : 0);
}

/* Map [start, end) anew, or leave nothing behind. */
static long map_region(struct process *p, uint64_t start, uint64_t end, unsigned int prot)
{
    long rc = vma_add(p, start, end, prot);

    if (rc)
        return rc;
    rc = uspace_map(&p->us, start, (end - start) >> PAGE_SHIFT, prot);
    if (rc) {
        uspace_unmap(&p->us, start, (end - start) >> PAGE_SHIFT);
        vma_remove(p, start, end);
        return -ENOMEM;
    }
    return 0;
}

long sys_brk(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t want = a0, old_top = PG_UP(p->brk), new_top = PG_UP(want);

    /* Room is whatever no other region takes (vma_add() refuses a clash
     * with an mmap or the stack), as Linux without an RLIMIT_DATA. */
    if (want < p->brk_start || want >= USER_VA_END)
        return p->brk;
    if (new_top > old_top) {
        if (map_region(p, old_top, new_top, UPROT_READ | UPROT_WRITE))
            return p->brk;
    } else if (new_top < old_top) {
        uspace_unmap(&p->us, new_top, (old_top - new_top) >> PAGE_SHIFT);
        vma_remove(p, new_top, old_top);
    }
    p->brk = want;
    return p->brk;
}

long sys_mmap(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t addr = a0, len = PG_UP((uint64_t)a1);
    long flags = a3;

    if (!a1 || !len || len >= USER_VA_END)
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS) || (flags & MAP_SHARED))
        return -ENODEV;         /* no file or shared mappings yet */
    if (!(flags & MAP_PRIVATE))
        return -EINVAL;
    if (flags & MAP_FIXED) {
        if ((addr & (PAGE_SIZE - 1)) || addr < USER_MIN_ADDR || addr + len > USER_VA_END)
            return -EINVAL;
        uspace_unmap(&p->us, addr, len >> PAGE_SHIFT);
        vma_remove(p, addr, addr + len);
    } else {
        addr = vma_find_gap(p, len);
        if (!addr)
            return -ENOMEM;
    }
    if (map_region(p, addr, addr + len, uprot(a2)))
        return -ENOMEM;
    return (long)addr;
}

long sys_munmap(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t addr = a0, len = PG_UP((uint64_t)a1);

    if ((addr & (PAGE_SIZE - 1)) || !len || addr >= USER_VA_END ||
        len > USER_VA_END - addr)
        return -EINVAL;
    uspace_unmap(&p->us, addr, len >> PAGE_SHIFT);
    return vma_remove(p, addr, addr + len);
}

long sys_mprotect(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t addr = a0, len = PG_UP((uint64_t)a1);
    long rc;

    if ((addr & (PAGE_SIZE - 1)) || addr >= USER_VA_END || len > USER_VA_END - addr)
        return -EINVAL;
    if (!len)
        return 0;
    rc = vma_set_prot(p, addr, addr + len, uprot(a2));
    if (rc)
        return rc;
    return uspace_protect(&p->us, addr, len >> PAGE_SHIFT, uprot(a2));
}
