/* SPDX-License-Identifier: MIT */
/*
 * vma.c - the mapped regions of a process: a sorted array of [start, end)
 *         with their protection, as Linux's VMAs (no file backing yet).
 * Owns:    p->vmas[] and p->nvmas.
 * Touches: nothing else: callers map and unmap the pages (uspace_*).
 *
 * Regions never overlap; neighbours with the same protection are not
 * merged (PROC_MAX_VMAS is the limit, -ENOMEM past it, as Linux's
 * max_map_count).  mmap finds room top-down from USER_MMAP_BASE.
 */
#include <kernel.h>
#include <proc.h>

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

long vma_add(struct process *p, uint64_t start, uint64_t end, unsigned int prot)
{
    unsigned int i;

    if (start >= end || !vma_free_range(p, start, end))
        return -EINVAL;
    if (p->nvmas == PROC_MAX_VMAS)
        return -ENOMEM;
    for (i = p->nvmas; i > 0 && p->vmas[i - 1].start > start; i--)
        p->vmas[i] = p->vmas[i - 1];
    p->vmas[i] = (struct vma){ start, end, prot };
    p->nvmas++;
    return 0;
}

long vma_remove(struct process *p, uint64_t start, uint64_t end)
{
    unsigned int i;

    for (i = 0; i < p->nvmas; i++) {
        struct vma *v = &p->vmas[i];

        if (v->end <= start || end <= v->start)
            continue;
        if (v->start < start && end < v->end) {         /* split in two */
            struct vma tail = { end, v->end, v->prot };

            v->end = start;
            return vma_add(p, tail.start, tail.end, tail.prot);
        }
        if (v->start < start) {
            v->end = start;
        } else if (end < v->end) {
            v->start = end;
        } else {                                        /* all of it */
            unsigned int k;

            for (k = i; k + 1 < p->nvmas; k++)
                p->vmas[k] = p->vmas[k + 1];
            p->nvmas--;
            i--;                /* unsigned wrap, undone by i++ */
        }
    }
    return 0;
}

long vma_set_prot(struct process *p, uint64_t start, uint64_t end, unsigned int prot)
{
    long rc;

    if (!vma_covered(p, start, end))
        return -ENOMEM;
    rc = vma_remove(p, start, end);
    return rc ? rc : vma_add(p, start, end, prot);
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
