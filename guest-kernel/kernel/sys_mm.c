/* SPDX-License-Identifier: MIT */
/*
 * sys_mm.c - memory system calls: brk, mmap (anonymous, private; or
 *            shared, of a device whose driver maps), munmap, mprotect,
 *            mremap.
 * Owns:    the rules (Linux's): page-aligned addresses, lengths rounded up
 *          to pages, MAP_FIXED replaces what was there, brk never shrinks
 *          below its start and answers the current break on failure.
 * Touches: vma_* (kernel/vma.c) and uspace_* (mm.h).
 *
 * Pages are allocated and mapped when the region is made (no demand
 * paging yet), zeroed.  File mappings and anonymous MAP_SHARED come
 * later.  A device's mapping (MAP_SHARED of /dev/pvisor/privcmd or
 * gntdev) is a device region of vma.c, filled by its driver; mremap of
 * one is -EINVAL (Linux's VM_DONTEXPAND regions cannot grow or move),
 * mprotect -EACCES.
 * mremap shrinks in place, grows in place when the pages after are free,
 * else (MREMAP_MAYMOVE) copies into a new region and unmaps the old one
 * (glibc's realloc of a large block); MREMAP_FIXED and MREMAP_DONTUNMAP
 * are -EINVAL (nothing here asks for them; the caller then falls back).
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

/* Where a new region of len bytes goes: addr itself with MAP_FIXED
 * (what was there is unmapped first), else a gap; 0 if nowhere. */
static uint64_t place(struct process *p, uint64_t addr, uint64_t len, long flags)
{
    if (flags & MAP_FIXED) {
        if ((addr & (PAGE_SIZE - 1)) || addr < USER_MIN_ADDR || addr + len > USER_VA_END)
            return 0;
        vma_unmap(p, addr, addr + len);
        return addr;
    }
    return vma_find_gap(p, len);
}

/* mmap() of a file: only a device whose driver maps (privcmd, gntdev),
 * shared (Linux's privcmd and gntdev take MAP_PRIVATE as well; nothing
 * copies on write here, so the two mean the same). */
static long mmap_device(struct process *p, uint64_t addr, uint64_t len, long prot,
                        long flags, int fd, uint64_t off)
{
    struct file *f = proc_fd(p, fd);
    long rc;

    if (!f)
        return -EBADF;
    if (!f->ops || !f->ops->mmap)
        return -ENODEV;         /* no file mappings yet */
    if (!(flags & (MAP_SHARED | MAP_PRIVATE)) || (off & (PAGE_SIZE - 1)))
        return -EINVAL;
    addr = place(p, addr, len, flags);
    if (!addr)
        return (flags & MAP_FIXED) ? -EINVAL : -ENOMEM;
    rc = vma_add_device(p, addr, addr + len, uprot(prot), f, off >> PAGE_SHIFT);
    return rc ? rc : (long)addr;
}

long sys_mmap(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t addr = a0, len = PG_UP((uint64_t)a1);
    long flags = a3;

    if (!a1 || !len || len >= USER_VA_END)
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS))
        return mmap_device(p, addr, len, a2, flags, (int)a4, (uint64_t)a5);
    if (flags & MAP_SHARED)
        return -ENODEV;         /* no anonymous shared mappings yet */
    if (!(flags & MAP_PRIVATE))
        return -EINVAL;
    addr = place(p, addr, len, flags);
    if (!addr)
        return (flags & MAP_FIXED) ? -EINVAL : -ENOMEM;
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
    return vma_unmap(p, addr, addr + len);
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

long sys_mremap(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t old = a0, old_len = PG_UP((uint64_t)a1), new_len = PG_UP((uint64_t)a2);
    uint64_t flags = a3, to, off, pfn;
    const struct vma *v;
    unsigned int prot;
    uint8_t *bounce;

    if ((old & (PAGE_SIZE - 1)) || !new_len || new_len >= USER_VA_END ||
        (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)))
        return -EINVAL;
    if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
        return -EINVAL;
    if (!old_len || old >= USER_VA_END || old_len > USER_VA_END - old)
        return -EINVAL;         /* old_len 0 duplicates a shared mapping: none here */
    v = vma_holding(p, old, old + old_len);
    if (!v)
        return -EFAULT;
    if (v->file)
        return -EINVAL;
    prot = v->prot;
    if (new_len <= old_len) {
        if (new_len < old_len) {
            uspace_unmap(&p->us, old + new_len, (old_len - new_len) >> PAGE_SHIFT);
            vma_remove(p, old + new_len, old + old_len);
        }
        return (long)old;
    }
    if (old + new_len <= USER_VA_END && vma_free_range(p, old + old_len, old + new_len)) {
        if (!map_region(p, old + old_len, old + new_len, prot))
            return (long)old;
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    to = vma_find_gap(p, new_len);
    pfn = mm_alloc_pfn();
    if (!to || pfn == INVALID_FRAME) {
        if (pfn != INVALID_FRAME)
            mm_free_pfn(pfn);
        return -ENOMEM;
    }
    if (map_region(p, to, to + new_len, prot)) {
        mm_free_pfn(pfn);
        return -ENOMEM;
    }
    /* Page by page through a kernel page: the new frames are fresh and
     * this space's own, so writing them through the direct map is safe
     * whatever the region's protection. */
    bounce = pfn_to_virt(pfn);
    for (off = 0; off < old_len; off += PAGE_SIZE) {
        uint8_t *dst = uspace_ptr(&p->us, to + off, false);

        if (!dst || uspace_copy_from(&p->us, bounce, old + off, PAGE_SIZE))
            break;
        memcpy(dst, bounce, PAGE_SIZE);
    }
    mm_free_pfn(pfn);
    if (off < old_len) {
        uspace_unmap(&p->us, to, new_len >> PAGE_SHIFT);
        vma_remove(p, to, to + new_len);
        return -EFAULT;
    }
    uspace_unmap(&p->us, old, old_len >> PAGE_SHIFT);
    vma_remove(p, old, old + old_len);
    return (long)to;
}

/*
 * madvise: the hints (MADV_NORMAL, RANDOM, SEQUENTIAL, WILLNEED) and
 * MADV_FREE (musl's free() of a large block) are accepted and change
 * nothing: Linux too may keep a MADV_FREE page's bytes until memory is
 * short. MADV_DONTNEED, whose next read must see zeros, and every other
 * advice are -EINVAL, as Linux answers advice it does not know.
 */
long sys_madvise(SYSCALL_ARGS)
{
    enum { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
           MADV_FREE = 8 };
    uint64_t addr = a0, len = a1;
    int advice = (int)a2;

    (void)len;
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    switch (advice) {
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
    case MADV_WILLNEED: case MADV_FREE:
        return 0;
    default:
        return -EINVAL;
    }
}
