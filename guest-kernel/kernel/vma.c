/* SPDX-License-Identifier: MIT */
/*
 * vma.c - the mapped regions of a process: a sorted array of [start, end)
 *         with their protection, as Linux's VMAs, anonymous or of a device.
 * Owns:    p->vmas[] and p->nvmas; the reference a device region holds on
 *          its file.
 * Touches: uspace_unmap()/uspace_activate() (mm.h) for the regions that go
 *          through vma_unmap() and vma_release_devices(); a device
 *          driver's mmap and unmap operations (struct file_ops, proc.h);
 *          file_put().  Anonymous regions are mapped by their callers.
 *
 * Regions never overlap; neighbours with the same protection are not
 * merged (PROC_MAX_VMAS is the limit, -ENOMEM past it, as Linux's
 * max_map_count).  The array is on the heap and grows (vma_reserve()): a
 * pointer to a region is good only until the next region is made.  mmap
 * finds room top-down from USER_MMAP_BASE.
 *
 * A device region (an mmap() of /dev/pvisor/privcmd or gntdev) maps
 * frames that are not the kernel's: another domain's, or a grant.  It
 * holds a reference on its open file (closing the descriptor keeps the
 * mapping, as Linux), is split like any region (each part holding its own
 * reference), is never inherited by fork (fork.c leaves it out, and
 * uspace_fork() skips its UPTE_FOREIGN leaves), cannot be mprotect()ed
 * (-EACCES: its entries are the hypervisor's to validate against a
 * foreign owner or a grant) and goes, when unmapped or when the process
 * execs or ends, through its driver's unmap operation before the kernel
 * clears what is left.  A grant mapping must be undone by the hypervisor
 * at its address in the current page table, hence "the space must be the
 * active one".
 */
#include <kernel.h>
#include <proc.h>
#include <asm/page.h>

bool vma_free_range(const struct process *p, uint64_t start, uint64_t end)
{
    unsigned int i;

    for (i = 0; i < p->nvmas; i++)
        if (p->vmas[i].start < end && start < p->vmas[i].end)
            return false;
    return true;
}

/* Is every byte of [start, end) in some region? */
bool vma_covered(const struct process *p, uint64_t start, uint64_t end)
{
    unsigned int i;

    for (i = 0; i < p->nvmas && start < end; i++)
        if (p->vmas[i].start <= start && start < p->vmas[i].end)
            start = p->vmas[i].end;
    return start >= end;
}

/* The array doubles from VMA_FIRST (a 1 KiB heap block) up to
 * PROC_MAX_VMAS; it never shrinks while the process lives. */
#define VMA_FIRST 24

long vma_reserve(struct process *p, unsigned int n)
{
    unsigned int cap = p->vma_cap ? p->vma_cap : VMA_FIRST;
    struct vma *v;

    if (n <= p->vma_cap)
        return 0;
    if (n > PROC_MAX_VMAS)
        return -ENOMEM;
    while (cap < n)
        cap *= 2;
    cap = MIN(cap, PROC_MAX_VMAS);
    v = kzalloc(cap * sizeof(*v));
    if (!v)
        return -ENOMEM;
    if (p->nvmas)
        memcpy(v, p->vmas, p->nvmas * sizeof(*v));
    kfree(p->vmas);
    p->vmas = v;
    p->vma_cap = cap;
    return 0;
}

/* Put v in the sorted array; the caller checked that it overlaps nothing. */
static long insert(struct process *p, struct vma v)
{
    unsigned int i;

    if (vma_reserve(p, p->nvmas + 1))
        return -ENOMEM;
    for (i = p->nvmas; i > 0 && p->vmas[i - 1].start > v.start; i--)
        p->vmas[i] = p->vmas[i - 1];
    p->vmas[i] = v;
    p->nvmas++;
    return 0;
}

long vma_add(struct process *p, uint64_t start, uint64_t end, unsigned int prot)
{
    if (start >= end || !vma_free_range(p, start, end))
        return -EINVAL;
    return insert(p, (struct vma){ start, end, prot, NULL, 0 });
}

/* Cut the region holding addr (not at its start) in two at addr. */
static long split_at(struct process *p, uint64_t addr)
{
    unsigned int i;

    for (i = 0; i < p->nvmas; i++) {
        struct vma *v = &p->vmas[i], tail;

        if (!(v->start < addr && addr < v->end))
            continue;
        if (vma_reserve(p, p->nvmas + 1))
            return -ENOMEM;
        v = &p->vmas[i];        /* the array may have moved */
        tail = *v;
        tail.start = addr;
        if (tail.file) {
            tail.pgoff += (addr - v->start) >> PAGE_SHIFT;
            tail.file->refs++;
        }
        v->end = addr;
        return insert(p, tail);
    }
    return 0;
}

long vma_remove(struct process *p, uint64_t start, uint64_t end)
{
    unsigned int i, k;
    long rc = split_at(p, start);

    if (!rc)
        rc = split_at(p, end);
    if (rc)
        return rc;
    for (i = 0; i < p->nvmas; i++) {
        if (p->vmas[i].start < start || p->vmas[i].end > end)
            continue;
        file_put(p->vmas[i].file);
        for (k = i; k + 1 < p->nvmas; k++)
            p->vmas[k] = p->vmas[k + 1];
        p->nvmas--;
        i--;                    /* unsigned wrap, undone by i++ */
    }
    return 0;
}

bool vma_has_device(const struct process *p, uint64_t start, uint64_t end)
{
    unsigned int i;

    for (i = 0; i < p->nvmas; i++)
        if (p->vmas[i].file && p->vmas[i].start < end && start < p->vmas[i].end)
            return true;
    return false;
}

long vma_set_prot(struct process *p, uint64_t start, uint64_t end, unsigned int prot)
{
    unsigned int i;
    long rc;

    if (!vma_covered(p, start, end))
        return -ENOMEM;
    if (vma_has_device(p, start, end))
        return -EACCES;
    rc = split_at(p, start);
    if (!rc)
        rc = split_at(p, end);
    if (rc)
        return rc;
    for (i = 0; i < p->nvmas; i++)
        if (p->vmas[i].start >= start && p->vmas[i].end <= end)
            p->vmas[i].prot = prot;
    return 0;
}

uint64_t vma_find_gap(const struct process *p, uint64_t len)
{
    uint64_t top = USER_MMAP_BASE;
    int i;

    if (len == 0 || len > USER_MMAP_BASE - USER_MMAP_MIN)
        return 0;
    for (i = (int)p->nvmas - 1; i >= 0; i--) {
        const struct vma *v = &p->vmas[i];

        if (v->start >= top)
            continue;
        if (v->end <= top - len && top - len >= USER_MMAP_MIN)
            return top - len;
        top = v->start;
        if (top < USER_MMAP_MIN + len)
            return 0;
    }
    return top - len >= USER_MMAP_MIN ? top - len : 0;
}

struct vma *vma_holding(struct process *p, uint64_t start, uint64_t end)
{
    unsigned int i;

    for (i = 0; i < p->nvmas; i++)
        if (p->vmas[i].start <= start && end <= p->vmas[i].end)
            return &p->vmas[i];
    return NULL;
}

/* ---- device regions ---- */

long vma_add_device(struct process *p, uint64_t start, uint64_t end, unsigned int prot,
                    struct file *f, uint64_t pgoff)
{
    struct vma *v;
    long rc;

    if (start >= end || !vma_free_range(p, start, end))
        return -EINVAL;
    rc = insert(p, (struct vma){ start, end, prot, f, pgoff });
    if (rc)
        return rc;
    f->refs++;
    v = vma_holding(p, start, end);
    rc = f->ops->mmap(p, f, v);
    if (rc)
        vma_unmap(p, start, end);
    return rc;
}

/* Each device region's part in [start, end) to its driver, then the
 * leaves left cleared (UPTE_FOREIGN ones are not freed: mm.h). */
static void unmap_range(struct user_space *us, struct vma *vmas, unsigned int n,
                        uint64_t start, uint64_t end)
{
    unsigned int i;

    for (i = 0; i < n; i++) {
        const struct vma *v = &vmas[i];

        if (v->file && v->file->ops->unmap && v->start < end && start < v->end)
            v->file->ops->unmap(v->file, v, MAX(start, v->start), MIN(end, v->end));
    }
    uspace_unmap(us, start, (end - start) >> PAGE_SHIFT);
}

long vma_unmap(struct process *p, uint64_t start, uint64_t end)
{
    unmap_range(&p->us, p->vmas, p->nvmas, start, end);
    return vma_remove(p, start, end);
}

void vma_release_devices_in(struct user_space *us, struct vma *vmas, unsigned int *n)
{
    unsigned int i, k;

    for (i = 0; i < *n; i++) {
        if (!vmas[i].file)
            continue;
        unmap_range(us, &vmas[i], 1, vmas[i].start, vmas[i].end);
        file_put(vmas[i].file);
        for (k = i; k + 1 < *n; k++)
            vmas[k] = vmas[k + 1];
        (*n)--;
        i--;                    /* unsigned wrap, undone by i++ */
    }
}

void vma_release_devices(struct process *p)
{
    struct process *cur = proc_current();
    bool switched = false;

    if (!vma_has_device(p, 0, USER_VA_END))
        return;
    if (!uspace_is_active(&p->us)) {
        if (uspace_activate(&p->us)) {
            printk("pvkernel: %s[%d]: device regions left mapped\n", p->comm, p->pid);
            return;
        }
        switched = true;
    }
    vma_release_devices_in(&p->us, p->vmas, &p->nvmas);
    /* Back to where the caller was: its own process's space, or (exit,
     * the idle thread) the kernel's. */
    if (switched)
        uspace_activate(cur && cur != p && cur->state != PROC_ZOMBIE ? &cur->us : NULL);
}
