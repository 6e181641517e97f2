/* SPDX-License-Identifier: MIT */
/*
 * memory.c - the memory_op hypercall (12): a domain's reservation.
 * Owns:    which machine frames a domain holds as memory: increase and
 *          decrease_reservation (the balloon), populate_physmap, exchange,
 *          and the reservation queries. Architecture-specific sub-ops (the
 *          memory maps, the M2P's location) go to arch_memory_op().
 * Touches: the frame table (frame_assign, get/put_page), the allocator,
 *          the M2P through arch_set_m2p().
 * Trusts:  nothing: each extent is read and written through guest_access
 *          one element at a time, so a bad list faults at that element.
 * ABI:     abi/xen/memory.h; docs/abi/hypercalls.md row 12. Reservation
 *          ops return the number of extents done (Xen's semantics: fewer
 *          than asked means the next one failed); a long list continues
 *          through a continuation with the restart point in cmd's bits
 *          above PVISOR_MEMOP_EXTENT_SHIFT.
 */
#define LOG_PREFIX "memory"
#include <xen/memory.h>
#include "arch.h"
#include "domain.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "page_alloc.h"

#define MAX_EXTENT_ORDER 9       /* 2 MiB, as Xen's default memop limit */
#define XENMEMF_ADDRESS_BITS_MASK 0xff

struct memop_args {
    struct domain *d;
    uint64_t list;               /* guest address of xen_pfn_t[]     */
    uint64_t nr_extents;
    unsigned int order;
    unsigned int address_bits;   /* 0: any machine address           */
    uint64_t done;               /* extents completed, incl. earlier */
};

/* The domain a reservation names: itself, or any for a privileged one. */
static struct domain *reservation_domain(domid_t domid, long *rc)
{
    struct domain *curr = current->domain, *d;

    if (domid == DOMID_SELF || domid == curr->domain_id)
        return curr;
    d = domain_by_id(domid);
    *rc = !d ? -XEN_ESRCH : -XEN_EPERM;
    return d && curr->is_privileged ? d : NULL;
}

static void free_extent(mfn_t mfn, unsigned int order)
{
    page_free(&machine_frames, mfn, 1UL << order);
}

/* A free extent honouring address_bits, not yet anyone's; or INVALID_MFN. */
static mfn_t alloc_raw_extent(unsigned int order, unsigned int address_bits)
{
    uint64_t n = 1UL << order;
    mfn_t mfn = page_alloc_contig(&machine_frames, n, n);

    if (!mfn_valid_val(mfn))
        return INVALID_MFN;
    if (address_bits && address_bits < 64 &&
        ((mfn_x(mfn) + n) << PAGE_SHIFT) > (1ULL << address_bits)) {
        free_extent(mfn, order);
        return INVALID_MFN;
    }
    return mfn;
}

static void assign_extent(struct domain *d, mfn_t mfn, unsigned int order)
{
    for (uint64_t i = 0; i < (1UL << order); i++) {
        frame_assign(mfn_to_page(_mfn(mfn_x(mfn) + i)), d, false);
        arch_set_m2p(_mfn(mfn_x(mfn) + i), INVALID_M2P);
    }
}

/* A fresh extent for d, or INVALID_MFN (no memory, over max_pages). */
static mfn_t alloc_extent(struct memop_args *a)
{
    mfn_t mfn;

    if (a->d->tot_pages + (1UL << a->order) > a->d->max_pages)
        return INVALID_MFN;
    mfn = alloc_raw_extent(a->order, a->address_bits);
    if (mfn_valid_val(mfn))
        assign_extent(a->d, mfn, a->order);
    return mfn;
}

/* Drop an extent the domain owned but never saw (its list write failed). */
static void unassign_extent(struct domain *d, mfn_t mfn, unsigned int order)
{
    (void)d;
    for (uint64_t i = 0; i < (1UL << order); i++)
        put_page(mfn_to_page(_mfn(mfn_x(mfn) + i)));
}

static int write_extent(const struct memop_args *a, uint64_t i, uint64_t val)
{
    return copy_to_guest(a->list + i * sizeof(xen_pfn_t), &val, sizeof(val));
}

static int read_extent(const struct memop_args *a, uint64_t i, uint64_t *val)
{
    return copy_from_guest(val, a->list + i * sizeof(xen_pfn_t), sizeof(*val));
}

static int increase_one(struct memop_args *a)
{
    mfn_t mfn = alloc_extent(a);

    if (!mfn_valid_val(mfn))
        return -XEN_ENOMEM;
    if (a->list && write_extent(a, a->done, mfn_x(mfn))) {
        unassign_extent(a->d, mfn, a->order);
        return -XEN_EFAULT;
    }
    return 0;
}

static int populate_one(struct memop_args *a)
{
    uint64_t gpfn;
    mfn_t mfn;

    if (read_extent(a, a->done, &gpfn))
        return -XEN_EFAULT;
    mfn = alloc_extent(a);
    if (!mfn_valid_val(mfn))
        return -XEN_ENOMEM;
    for (uint64_t j = 0; j < (1UL << a->order); j++)
        arch_set_m2p(_mfn(mfn_x(mfn) + j), gpfn + j);
    if (write_extent(a, a->done, mfn_x(mfn))) {
        unassign_extent(a->d, mfn, a->order);
        return -XEN_EFAULT;
    }
    return 0;
}

/*
 * Give one frame back (Xen's guest_remove_page): drop the allocation
 * reference. A frame still mapped or referenced lives on until
 * its last reference goes, and only then returns to the allocator.
 */
static int guest_remove_page(struct domain *d, uint64_t gmfn)
{
    struct page_info *pg;

    if (!mfn_valid(_mfn(gmfn)))
        return hc_fail(-XEN_EINVAL, "remove: mfn %#lx beyond RAM", gmfn);
    pg = mfn_to_page(_mfn(gmfn));
    if (!get_page(pg, d))
        return hc_fail(-XEN_EINVAL, "remove: mfn %#lx not d%u's", gmfn, d->domain_id);
    if ((pg->flags & PGF_xen_heap) || !(pg->flags & PGF_allocated)) {
        put_page(pg);
        return hc_fail(-XEN_EINVAL, "remove: mfn %#lx is not removable", gmfn);
    }
    /* A pin stays (Xen 4.17 keeps it): the frame lives until unpinned. */
    pg->flags &= (uint8_t)~PGF_allocated;
    arch_set_m2p(_mfn(gmfn), INVALID_M2P);
    put_page(pg);                 /* the allocation reference */
    put_page(pg);                 /* ours                      */
    return 0;
}

static int decrease_one(struct memop_args *a)
{
    uint64_t gmfn;
    int rc;

    if (read_extent(a, a->done, &gmfn))
        return -XEN_EFAULT;
    for (uint64_t j = 0; j < (1UL << a->order); j++)
        if ((rc = guest_remove_page(a->d, gmfn + j)))
            return rc;
    return 0;
}

/* Run one reservation op over the list, with continuations. */
static long reservation_op(unsigned int op, unsigned long start, uint64_t arg)
{
    struct xen_memory_reservation r;
    struct memop_args a;
    long rc = 0;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return -XEN_EFAULT;
    a.d = reservation_domain(r.domid, &rc);
    if (!a.d)
        return rc;
    /* Too large to encode a continuation, or past the end: nothing to do. */
    if (r.extent_order > MAX_EXTENT_ORDER || start > r.nr_extents ||
        r.nr_extents > (UINT32_MAX >> PVISOR_MEMOP_EXTENT_SHIFT))
        return (long)start;
    a.list = (uint64_t)r.extent_start.p;
    a.nr_extents = r.nr_extents;
    a.order = r.extent_order;
    a.address_bits = r.mem_flags & XENMEMF_ADDRESS_BITS_MASK;
    for (a.done = start; a.done < a.nr_extents; a.done++) {
        if (hypercall_preempt_check((unsigned int)(a.done - start)))
            return hypercall_create_continuation(__HYPERVISOR_memory_op,
                op | (a.done << PVISOR_MEMOP_EXTENT_SHIFT), arg, 0, 0, 0);
        rc = op == XENMEM_increase_reservation ? increase_one(&a) :
             op == XENMEM_populate_physmap ? populate_one(&a) : decrease_one(&a);
        if (rc)
            break;
    }
    return (long)a.done;
}

/*
 * exchange, one chunk: the in extents covering `span` pages must all be
 * the domain's, unmapped and untyped; they are freed and replaced by out
 * extents of the same total size.
 */
static int steal_ok(const struct domain *d, uint64_t mfn)
{
    const struct page_info *pg;

    if (!mfn_valid(_mfn(mfn)))
        return 0;
    pg = mfn_to_page(_mfn(mfn));
    return pg->owner == d->domain_id && pg->count == 1 && !pg->type_count &&
           (pg->flags & PGF_allocated) && !(pg->flags & PGF_xen_heap);
}

static int exchange_chunk(struct memop_args *in, struct memop_args *out,
                          uint64_t span)
{
    uint64_t in_n = span >> in->order, out_n = span >> out->order, v, gpfn;
    mfn_t got[1UL << MAX_EXTENT_ORDER];

    for (uint64_t i = 0; i < in_n; i++) {
        if (read_extent(in, in->done + i, &v))
            return -XEN_EFAULT;
        for (uint64_t j = 0; j < (1UL << in->order); j++)
            if (!steal_ok(in->d, v + j))
                return hc_fail(-XEN_EINVAL, "exchange: mfn %#lx is in use", v + j);
    }
    /* The new extents first: if they cannot all be had, nothing changes. */
    for (uint64_t i = 0; i < out_n; i++) {
        got[i] = alloc_raw_extent(out->order, out->address_bits);
        if (!mfn_valid_val(got[i]) || read_extent(out, out->done + i, &gpfn)) {
            int rc = mfn_valid_val(got[i]) ? -XEN_EFAULT : -XEN_ENOMEM;
            for (uint64_t k = 0; k <= i; k++)
                if (mfn_valid_val(got[k]))
                    free_extent(got[k], out->order);
            return rc;
        }
    }
    for (uint64_t i = 0; i < in_n; i++) {
        read_extent(in, in->done + i, &v);
        for (uint64_t j = 0; j < (1UL << in->order); j++) {
            arch_set_m2p(_mfn(v + j), INVALID_M2P);
            mfn_to_page(_mfn(v + j))->flags &= (uint8_t)~PGF_allocated;
            put_page(mfn_to_page(_mfn(v + j)));
        }
    }
    in->done += in_n;
    for (uint64_t i = 0; i < out_n; i++, out->done++) {
        read_extent(out, out->done, &gpfn);
        assign_extent(out->d, got[i], out->order);
        for (uint64_t j = 0; j < (1UL << out->order); j++)
            arch_set_m2p(_mfn(mfn_x(got[i]) + j), gpfn + j);
        if (write_extent(out, out->done, mfn_x(got[i])))
            return -XEN_EFAULT;   /* exchanged; the guest lost the answer */
    }
    return 0;
}

static long memory_exchange(uint64_t arg)
{
    struct xen_memory_exchange x;
    struct memop_args in, out;
    uint64_t span;
    long rc = 0;

    if (copy_from_guest(&x, arg, sizeof(x)))
        return -XEN_EFAULT;
    in.d = out.d = reservation_domain(x.in.domid, &rc);
    if (!in.d)
        return rc;
    if (x.in.extent_order > MAX_EXTENT_ORDER || x.out.extent_order > MAX_EXTENT_ORDER ||
        (x.in.nr_extents << x.in.extent_order) != (x.out.nr_extents << x.out.extent_order) ||
        x.in.domid != x.out.domid)
        return hc_fail(-XEN_EINVAL, "exchange: extents do not match");
    in.list = (uint64_t)x.in.extent_start.p;
    out.list = (uint64_t)x.out.extent_start.p;
    in.order = x.in.extent_order;
    out.order = x.out.extent_order;
    in.address_bits = 0;
    out.address_bits = x.out.mem_flags & XENMEMF_ADDRESS_BITS_MASK;
    in.done = x.nr_exchanged;
    out.done = (x.nr_exchanged << in.order) >> out.order;
    in.nr_extents = x.in.nr_extents;
    span = 1UL << MAX(in.order, out.order);
    while (in.done < in.nr_extents && !rc)
        rc = exchange_chunk(&in, &out, span);
    x.nr_exchanged = in.done;
    if (copy_to_guest(arg + __builtin_offsetof(struct xen_memory_exchange, nr_exchanged),
                      &x.nr_exchanged, sizeof(x.nr_exchanged)))
        return -XEN_EFAULT;
    return rc;
}

static long reservation_query(unsigned int op, uint64_t arg)
{
    domid_t domid;
    struct domain *d;
    long rc = 0;

    if (copy_from_guest(&domid, arg, sizeof(domid)))
        return -XEN_EFAULT;
    d = reservation_domain(domid, &rc);
    if (!d)
        return rc;
    return (long)(op == XENMEM_current_reservation ? d->tot_pages : d->max_pages);
}

long do_memory_op(unsigned long cmd, uint64_t arg)
{
    unsigned int op = cmd & PVISOR_MEMOP_CMD_MASK;
    unsigned long start = cmd >> PVISOR_MEMOP_EXTENT_SHIFT;

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(op, start, arg);
    case XENMEM_exchange:
        return memory_exchange(arg);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return reservation_query(op, arg);
    case XENMEM_maximum_ram_page:
        return (long)arch_max_ram_page();
    default:
        return arch_memory_op(op, arg);
    }
}
