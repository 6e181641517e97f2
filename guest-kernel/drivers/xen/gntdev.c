/* SPDX-License-Identifier: MIT */
/*
 * gntdev.c - /dev/pvisor/gntdev (and /dev/xen/gntdev): pages other
 *            domains granted to this one, mapped into a user program,
 *            with Linux's ioctls (abi/xen/sys/gntdev.h).
 * Owns:    each open file's grant maps (refs, offsets, handles, where
 *          mapped).
 * Touches: the hypervisor (grant_table_op map_grant_ref/unmap_grant_ref
 *          at user addresses of the current page table); the process's
 *          tables through uspace_pte_maddr() (the L1s must exist);
 *          device regions (vma.c calls gntdev_mmap/gntdev_unmap).
 * Trusts:  nothing from the user: counts are bounded, refs are the
 *          hypervisor's to check.
 *
 * As Linux's drivers/xen/gntdev.c on PV:
 *  - IOCTL_GNTDEV_MAP_GRANT_REF records count (domid, ref) pairs and
 *    answers an offset (index, bytes: the lowest free range of offsets);
 *    nothing is mapped yet.  count 0 or over GNTDEV_MAX_COUNT: -EINVAL.
 *  - mmap() of count pages at that offset maps them, one
 *    GNTTABOP_map_grant_ref each (GNTMAP_host_map |
 *    GNTMAP_application_map at the page's user address, which the
 *    hypervisor finds in the current page table: the caller's, in its
 *    system call; read-only without PROT_WRITE); a failed grant fails
 *    the mmap with -EINVAL (the others undone); another length, or an
 *    offset already mapped: -EINVAL.  The entries carry UPTE_FOREIGN
 *    (through GNTMAP_guest_avail, PTE bits 9-11), so the rest of the
 *    kernel knows them for frames not its own.
 *  - munmap(), exit and exec unmap them with GNTTABOP_unmap_grant_ref at
 *    the same addresses (a grant entry must not be cleared by mmu_update:
 *    the granter's entry would stay marked in use).
 *  - IOCTL_GNTDEV_UNMAP_GRANT_REF frees the offset: at once if unmapped,
 *    else when the mapping goes (the region still maps the pages, as
 *    Linux); an unknown offset/count: -ENOENT.
 * Linux's limit is on all maps of a file (64 Ki pages); ours is per map
 * (a page holds each map's refs and handles).  Not here: the other
 * ioctls (-ENOTTY... Linux: -ENOIOCTLCMD, which is -ENOTTY for the user).
 */
#include <kernel.h>
#include <mm.h>
#include <proc.h>
#include <xendev.h>
#include <asm/page.h>
#include <pv/hypercall.h>
#include <xen/grant_table.h>
#include <xen/sys/gntdev.h>

#define NO_HANDLE 0xffffffffU
/* UPTE_FOREIGN (PTE bit 10) as GNTMAP_guest_avail bits (9-11 from 16). */
#define GNTMAP_UPTE_FOREIGN (1U << (_GNTMAP_guest_avail0 + 1))
_Static_assert(UPTE_FOREIGN == 1UL << 10, "GNTMAP_UPTE_FOREIGN names PTE bit 10");

struct gntdev_slot {
    struct ioctl_gntdev_grant_ref ref;
    uint32_t handle;            /* NO_HANDLE: not mapped */
};
#define GNTDEV_MAX_COUNT (PAGE_SIZE / sizeof(struct gntdev_slot))

struct gntdev_map {
    uint64_t index;             /* the offset: bytes */
    uint32_t count;
    bool freed;                 /* UNMAP_GRANT_REF came while mapped */
    uint64_t va;                /* where mmap() put it, 0: not mapped */
    uint64_t pfn;               /* the page of slots */
    struct gntdev_slot *slots;
    struct gntdev_map *next;    /* sorted by index */
};

struct gntdev_file {
    struct gntdev_map *maps;
};

static long gntdev_open(struct file *f)
{
    f->priv = kzalloc(sizeof(struct gntdev_file));
    return f->priv ? 0 : -ENOMEM;
}

static void map_free(struct gntdev_file *g, struct gntdev_map *m)
{
    struct gntdev_map **pp = &g->maps;

    while (*pp != m)
        pp = &(*pp)->next;
    *pp = m->next;
    mm_free_pfn(m->pfn);
    kfree(m);
}

/* Every region has gone (each held the file): nothing is mapped. */
static void gntdev_release(struct file *f)
{
    struct gntdev_file *g = f->priv;

    while (g->maps)
        map_free(g, g->maps);
    kfree(g);
}

/* The map whose offsets hold page offset pgoff. */
static struct gntdev_map *map_at(struct gntdev_file *g, uint64_t pgoff)
{
    struct gntdev_map *m;

    for (m = g->maps; m; m = m->next)
        if ((m->index >> PAGE_SHIFT) <= pgoff && pgoff < (m->index >> PAGE_SHIFT) + m->count)
            return m;
    return NULL;
}

static long gntdev_map_grant_ref(struct process *p, struct gntdev_file *g, uint64_t arg)
{
    struct ioctl_gntdev_map_grant_ref op;
    struct gntdev_map *m, **pp;
    uint64_t next = 0;
    uint32_t i;

    if (uspace_copy_from(&p->us, &op, arg, offsetof(struct ioctl_gntdev_map_grant_ref, refs)))
        return -EFAULT;
    if (!op.count || op.count > GNTDEV_MAX_COUNT)
        return -EINVAL;
    m = kzalloc(sizeof(*m));
    if (!m)
        return -ENOMEM;
    m->pfn = mm_alloc_pfn();
    if (m->pfn == INVALID_FRAME) {
        kfree(m);
        return -ENOMEM;
    }
    m->slots = pfn_to_virt(m->pfn);
    m->count = op.count;
    for (i = 0; i < op.count; i++) {
        m->slots[i].handle = NO_HANDLE;
        if (uspace_copy_from(&p->us, &m->slots[i].ref,
                             arg + offsetof(struct ioctl_gntdev_map_grant_ref, refs) +
                             i * sizeof(m->slots[i].ref), sizeof(m->slots[i].ref))) {
            mm_free_pfn(m->pfn);
            kfree(m);
            return -EFAULT;
        }
    }
    /* The lowest gap in the sorted offsets that holds count pages. */
    for (pp = &g->maps; *pp && (*pp)->index < next + (uint64_t)m->count * PAGE_SIZE;
         pp = &(*pp)->next)
        next = (*pp)->index + (uint64_t)(*pp)->count * PAGE_SIZE;
    m->index = next;
    m->next = *pp;
    *pp = m;
    op.index = m->index;
    if (uspace_copy_to(&p->us, arg + offsetof(struct ioctl_gntdev_map_grant_ref, index),
                       &op.index, sizeof(op.index))) {
        map_free(g, m);
        return -EFAULT;
    }
    return 0;
}

static long gntdev_unmap_grant_ref(struct process *p, struct gntdev_file *g, uint64_t arg)
{
    struct ioctl_gntdev_unmap_grant_ref op;
    struct gntdev_map *m;

    if (uspace_copy_from(&p->us, &op, arg, sizeof(op)))
        return -EFAULT;
    for (m = g->maps; m; m = m->next)
        if (m->index == op.index && m->count == op.count && !m->freed)
            break;
    if (!m)
        return -ENOENT;
    if (m->va)
        m->freed = true;
    else
        map_free(g, m);
    return 0;
}

static long gntdev_ioctl(struct process *p, struct file *f, unsigned int cmd, uint64_t arg)
{
    switch (cmd) {
    case IOCTL_GNTDEV_MAP_GRANT_REF:
        return gntdev_map_grant_ref(p, f->priv, arg);
    case IOCTL_GNTDEV_UNMAP_GRANT_REF:
        return gntdev_unmap_grant_ref(p, f->priv, arg);
    }
    return -ENOTTY;
}

/* Unmap slots [first, end) of m, mapped from va (m's page first). */
static void unmap_slots(struct gntdev_map *m, uint32_t first, uint32_t end)
{
    for (uint32_t i = first; i < end; i++) {
        struct gnttab_unmap_grant_ref op = {
            .host_addr = m->va + (uint64_t)i * PAGE_SIZE, .handle = m->slots[i].handle };

        if (m->slots[i].handle == NO_HANDLE)
            continue;
        if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1) || op.status)
            printk("gntdev: unmap of d%u ref %u at %#lx: %d\n", m->slots[i].ref.domid,
                   m->slots[i].ref.ref, op.host_addr, op.status);
        m->slots[i].handle = NO_HANDLE;
    }
}

static long gntdev_mmap(struct process *p, struct file *f, struct vma *v)
{
    struct gntdev_map *m = map_at(f->priv, v->pgoff);
    uint32_t flags = GNTMAP_host_map | GNTMAP_application_map | GNTMAP_UPTE_FOREIGN;
    uint64_t old;
    uint32_t i;

    if (!m || m->freed || m->va || m->index != v->pgoff << PAGE_SHIFT ||
        (v->end - v->start) >> PAGE_SHIFT != m->count)
        return -EINVAL;
    if (!(v->prot & UPROT_WRITE))
        flags |= GNTMAP_readonly;
    m->va = v->start;
    for (i = 0; i < m->count; i++) {
        struct gnttab_map_grant_ref op = {
            .host_addr = v->start + (uint64_t)i * PAGE_SIZE, .flags = flags,
            .ref = m->slots[i].ref.ref, .dom = (domid_t)m->slots[i].ref.domid };

        /* The hypervisor writes the entry of an L1 that must exist. */
        if (!uspace_pte_maddr(&p->us, op.host_addr, &old) ||
            HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1) ||
            op.status != GNTST_okay) {
            unmap_slots(m, 0, i);
            m->va = 0;
            return -EINVAL;
        }
        m->slots[i].handle = op.handle;
    }
    return 0;
}

static void gntdev_unmap(struct file *f, const struct vma *v, uint64_t start, uint64_t end)
{
    struct gntdev_file *g = f->priv;
    uint64_t pgoff = v->pgoff + ((start - v->start) >> PAGE_SHIFT);
    struct gntdev_map *m = map_at(g, pgoff);
    uint32_t first, i;

    if (!m || !m->va)
        return;
    first = (uint32_t)(pgoff - (m->index >> PAGE_SHIFT));
    if (m->va + (uint64_t)first * PAGE_SIZE != start)
        return;                 /* another region of the offset: a refused mmap */
    unmap_slots(m, first, MIN(m->count, first + (uint32_t)((end - start) >> PAGE_SHIFT)));
    for (i = 0; i < m->count && m->slots[i].handle == NO_HANDLE; i++)
        ;
    if (i == m->count) {        /* none left mapped */
        m->va = 0;
        if (m->freed)
            map_free(g, m);
    }
}

static const struct file_ops gntdev_fops = {
    .open = gntdev_open,
    .release = gntdev_release,
    .ioctl = gntdev_ioctl,
    .mmap = gntdev_mmap,
    .unmap = gntdev_unmap,
};

void gntdev_register(void)
{
    uint32_t rdev = XENDEV_MAJOR << 8 | XENDEV_GNTDEV_MINOR;

    devfs_register("pvisor/gntdev", rdev, 0600, &gntdev_fops);
    devfs_register("xen/gntdev", rdev, 0600, &gntdev_fops);
}
