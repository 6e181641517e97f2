/* SPDX-License-Identifier: MIT */
/*
 * privcmd.c - /dev/pvisor/privcmd (and /dev/xen/privcmd): hypercalls and
 *             other domains' frames for dom0's userland, with Linux's
 *             ioctls (abi/xen/sys/privcmd.h).
 * Owns:    each open file's restriction (IOCTL_PRIVCMD_RESTRICT); what a
 *          privcmd region's leaves are (another domain's frames).
 * Touches: the hypervisor (any hypercall for IOCTL_PRIVCMD_HYPERCALL;
 *          mmu_update with foreigndom for MMAPBATCH_V2); the process's
 *          page tables through uspace_pte_maddr()/uspace_foreign_pte()
 *          (mm.h) and its regions (vma_holding(), proc.h).
 * Trusts:  nothing from the user: the ioctl argument is copied in, the
 *          hypercall's own arguments are the hypervisor's to check.
 *
 * As Linux's drivers/xen/privcmd.c:
 *  - Only in dom0 (SIF_INITDOMAIN): elsewhere open() answers -ENODEV
 *    (Linux has the device in a domU too; its hypercalls would all be the
 *    hypervisor's -EPERM).  Linux checks nothing more at open but its
 *    mode (0600, root); here every process is root (sys_proc.c).
 *  - IOCTL_PRIVCMD_HYPERCALL: hypercall op (below 128, the hypercall
 *    page's slots: else -EINVAL) with arg[0..4]; its result is the
 *    ioctl's, so Xen's -E becomes -1 with errno E (Xen's error numbers
 *    are Linux's on x86).
 *  - mmap() reserves a region and maps nothing; MMAPBATCH_V2 fills pages
 *    of it with domain dom's frames (per-page err[]: 0 or Xen's -E), which
 *    must not be mapped yet (-EINVAL); the ioctl answers 0 even when some
 *    pages failed, -ENOENT when one failed with -ENOENT (paged out, for
 *    Linux), -EFAULT when err[] cannot be written.
 *  - IOCTL_PRIVCMD_RESTRICT(domid): from then on the file may only map
 *    that domain's frames and make no raw hypercall (-EPERM); a second
 *    restriction to another domain is -EINVAL.
 *
 * Why user pointers in a hypercall's arguments work: the ioctl runs in
 * the calling process's system call, so the vCPU is in guest-kernel mode
 * on that process's *kernel* L4 (uspace_activate()).  That L4 holds the
 * user slots 0..255 too, pointing at the very L3s of the user L4
 * (user_pgtable.c: one entry links a user L3 into both), so every user
 * address means in kernel mode exactly what it means in user mode; and
 * the hypervisor reads and writes guest memory through the page tables
 * live when the hypercall is made (its copy_from_guest()/copy_to_guest(),
 * with CR0.WP set), just as Linux PV, whose kernel page table holds the
 * user half as well.  The consequences are Linux's too: a pointer to an
 * unmapped page is the hypervisor's -EFAULT; so is a page the hypervisor
 * must write that is read-only to the user, which includes a page shared
 * copy-on-write after a fork until the process writes to it (Linux's
 * libxencall uses buffers that are never shared for that reason).  Events
 * stay masked in the kernel, so no switch to another space can happen
 * while the hypervisor runs the call (a preempted batch is continued by
 * re-executing it, on the same tables).
 */
#include <kernel.h>
#include <proc.h>
#include <xendev.h>
#include <asm/page.h>
#include <pv/hypercall.h>
#include <xen/sys/privcmd.h>

#define BATCH 16
#define NR_HYPERCALL_SLOTS (PAGE_SIZE / HYPERCALL_STUB_SIZE)

struct privcmd_file {
    domid_t restrict_dom;       /* DOMID_INVALID: not restricted */
};

static long privcmd_open(struct file *f)
{
    struct privcmd_file *pf;

    if (!arch_is_initial_domain())
        return -ENODEV;
    pf = kzalloc(sizeof(*pf));
    if (!pf)
        return -ENOMEM;
    pf->restrict_dom = DOMID_INVALID;
    f->priv = pf;
    return 0;
}

static void privcmd_release(struct file *f)
{
    kfree(f->priv);
}

static long privcmd_hypercall(struct process *p, struct privcmd_file *pf, uint64_t arg)
{
    privcmd_hypercall_t h;

    if (pf->restrict_dom != DOMID_INVALID)
        return -EPERM;
    if (uspace_copy_from(&p->us, &h, arg, sizeof(h)))
        return -EFAULT;
    if (h.op >= NR_HYPERCALL_SLOTS)
        return -EINVAL;
    return hypercall((unsigned int)h.op, h.arg[0], h.arg[1], h.arg[2], h.arg[3], h.arg[4]);
}

/*
 * Map n frames at va (prot) for domain dom with one mmu_update per batch;
 * a failed entry gets its error in err[] and the batch goes on after it.
 */
static void map_batch(struct process *p, uint64_t va, const xen_pfn_t *mfns, int *err,
                      unsigned int n, domid_t dom, unsigned int prot)
{
    struct mmu_update req[BATCH];
    unsigned int i, first = 0, done;
    uint64_t old;
    long rc;

    for (i = 0; i < n; i++) {
        uint64_t ma = uspace_pte_maddr(&p->us, va + (uint64_t)i * PAGE_SIZE, &old);

        err[i] = ma ? 0 : -ENOMEM;
        req[i] = (struct mmu_update){ ma | MMU_NORMAL_PT_UPDATE,
                                      uspace_foreign_pte(mfns[i], prot) };
    }
    while (first < n) {
        while (first < n && err[first])
            first++;
        for (i = first; i < n && !err[i]; i++)
            ;
        if (i == first)
            break;
        done = 0;
        rc = HYPERVISOR_mmu_update(req + first, i - first, &done, dom);
        if (rc >= 0) {
            first = i;
            continue;
        }
        if (first + done < i)
            err[first + done] = (int)rc;
        first += done + 1;
    }
}

static long privcmd_mmapbatch(struct process *p, struct file *f, uint64_t arg)
{
    struct privcmd_file *pf = f->priv;
    privcmd_mmapbatch_v2_t m;
    xen_pfn_t mfns[BATCH];
    int err[BATCH];
    const struct vma *v;
    uint64_t i, end, old;
    bool enoent = false;

    if (uspace_copy_from(&p->us, &m, arg, sizeof(m)))
        return -EFAULT;
    if (pf->restrict_dom != DOMID_INVALID && m.dom != pf->restrict_dom)
        return -EPERM;
    if (!m.num || (m.addr & (PAGE_SIZE - 1)) || m.addr >= USER_VA_END ||
        m.num > (USER_VA_END - m.addr) >> PAGE_SHIFT)
        return -EINVAL;
    end = m.addr + (uint64_t)m.num * PAGE_SIZE;
    v = vma_holding(p, m.addr, end);
    if (!v || v->file != f)
        return -EINVAL;
    for (i = m.addr; i < end; i += PAGE_SIZE)
        if (uspace_pte_maddr(&p->us, i, &old) && (old & _PAGE_PRESENT))
            return -EINVAL;     /* Linux: the range must not be mapped yet */
    for (i = 0; i < m.num; i += BATCH) {
        unsigned int n = (unsigned int)MIN((uint64_t)BATCH, m.num - i), k;

        if (uspace_copy_from(&p->us, mfns, (uint64_t)m.arr + i * sizeof(xen_pfn_t),
                             n * sizeof(xen_pfn_t)))
            return -EFAULT;
        map_batch(p, m.addr + i * PAGE_SIZE, mfns, err, n, m.dom, v->prot);
        for (k = 0; k < n; k++)
            enoent |= err[k] == -ENOENT;
        if (uspace_copy_to(&p->us, (uint64_t)m.err + i * sizeof(int), err, n * sizeof(int)))
            return -EFAULT;
    }
    return enoent ? -ENOENT : 0;
}

static long privcmd_restrict(struct process *p, struct privcmd_file *pf, uint64_t arg)
{
    domid_t dom;

    if (uspace_copy_from(&p->us, &dom, arg, sizeof(dom)))
        return -EFAULT;
    if (pf->restrict_dom == DOMID_INVALID)
        pf->restrict_dom = dom;
    else if (pf->restrict_dom != dom)
        return -EINVAL;
    return 0;
}

static long privcmd_ioctl(struct process *p, struct file *f, unsigned int cmd, uint64_t arg)
{
    switch (cmd) {
    case IOCTL_PRIVCMD_HYPERCALL:
        return privcmd_hypercall(p, f->priv, arg);
    case IOCTL_PRIVCMD_MMAPBATCH_V2:
        return privcmd_mmapbatch(p, f, arg);
    case IOCTL_PRIVCMD_RESTRICT:
        return privcmd_restrict(p, f->priv, arg);
    }
    return -ENOTTY;             /* Linux's answer to the ones it lacks too */
}

/* A region is only reserved: MMAPBATCH_V2 fills it. */
static long privcmd_mmap(struct process *p, struct file *f, struct vma *v)
{
    (void)p; (void)f; (void)v;
    return 0;
}

static const struct file_ops privcmd_fops = {
    .open = privcmd_open,
    .release = privcmd_release,
    .ioctl = privcmd_ioctl,
    .mmap = privcmd_mmap,
    /* no unmap: the kernel clears the leaves (mmu_update), and the
     * hypervisor drops its reference on each foreign frame with them */
};

void privcmd_register(void)
{
    uint32_t rdev = XENDEV_MAJOR << 8 | XENDEV_PRIVCMD_MINOR;

    devfs_register("pvisor/privcmd", rdev, 0600, &privcmd_fops);
    devfs_register("xen/privcmd", rdev, 0600, &privcmd_fops);
}
