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
#include "lib.h"
#include "page.h"
#include "page_alloc.h"

/*
 * The largest extent a domain may ask for, as Xen 4.17's max_order():
 * 2 MiB for an ordinary domain, 1 GiB (x86's PAGEALLOC_MAX_ORDER) for the
 * privileged one (observed: an exchange of order 18 by dom0 is 0 on Xen,
 * order 19 -EPERM).
 */
#define DOMU_MAX_ORDER   9
#define CTLDOM_MAX_ORDER 18

static unsigned int memop_max_order(const struct domain *d)
{
    return d->is_privileged ? CTLDOM_MAX_ORDER : DOMU_MAX_ORDER;
}
#define XENMEMF_ADDRESS_BITS_MASK 0xff

struct memop_args {
    struct domain *d;
    uint64_t list;               /* guest address of xen_pfn_t[]     */
    uint64_t nr_extents;
    unsigned int order;
    unsigned int address_bits;   /* 0: any machine address           */
    uint64_t done;               /* extents completed, incl. earlier */
};

static void free_extent(mfn_t mfn, unsigned int order)
{
    page_free(&machine_frames, mfn, 1UL << order);
}

/* A free extent honouring address_bits, not yet anyone's; or INVALID_MFN. */
static mfn_t alloc_raw_extent(unsigned int order, unsigned int address_bits)
{
    uint64_t n = 1UL << order;
    mfn_t mfn = frame_alloc(n, n);

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

/* A fresh extent for d, or INVALID_MFN (no memory, over max_pages, or d
 * is dying: as Xen's assign_pages(), nothing is given to it any more). */
static mfn_t alloc_extent(struct memop_args *a)
{
    mfn_t mfn;

    if (a->d->state == DOMAIN_DYING ||
        a->d->tot_pages + (1UL << a->order) > a->d->max_pages)
        return INVALID_MFN;
    mfn = alloc_raw_extent(a->order, a->address_bits);
    if (mfn_valid_val(mfn))
        assign_extent(a->d, mfn, a->order);
    return mfn;
}

/* Drop an extent the domain owned but never saw (its list write failed). */
static void unassign_extent(mfn_t mfn, unsigned int order)
{
    for (uint64_t i = 0; i < (1UL << order); i++)
        put_page(mfn_to_page(_mfn(mfn_x(mfn) + i)));   /* frees it, M2P too */
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
        unassign_extent(mfn, a->order);
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
        unassign_extent(mfn, a->order);
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
    /*
     * The M2P entry stays until the frame is freed (put_page() clears it),
     * as Xen's: a frame still referenced keeps its pfn.
     */
    pg->flags &= (uint8_t)~PGF_allocated;
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

    /*
     * As Xen 4.17: an unreadable struct, a list too long to encode a
     * continuation, a start past the end, a domain that does not exist:
     * nothing done, the start extent returned (observed: populate_physmap
     * for a missing domain is 0 extents, not -ESRCH). Only a domain the
     * caller may not touch is an error (-EPERM).
     */
    if (copy_from_guest(&r, arg, sizeof(r)))
        return (long)start;
    if (start >= r.nr_extents || r.nr_extents > (UINT32_MAX >> PVISOR_MEMOP_EXTENT_SHIFT))
        return (long)start;
    a.d = domain_by_any_id(r.domid, &rc);
    if (!a.d)
        return rc == -XEN_ESRCH ? (long)start : rc;
    if (r.extent_order > memop_max_order(current->domain))
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
 * XENMEM_exchange, in Xen 4.17's order of steps (common/memory.c,
 * memory_exchange()). The lists are worked through in chunks of
 * 2^max(in order, out order) pages: 2^in_chunk input extents for
 * 2^out_chunk output extents. For each chunk:
 *
 *   1. steal every input frame as it is read (exchange_steal): the
 *      domain's allocation reference passes to the exchange, so a frame
 *      listed twice, mapped, pinned or typed is refused (-EINVAL);
 *   2. allocate every output extent (-ENOMEM if one cannot be had);
 *      a failure in 1 or 2 gives the stolen frames back and frees the
 *      new extents: nothing changed;
 *   3. free the stolen frames and assign every output extent to the
 *      domain: from here the chunk cannot fail;
 *   4. only then read each output gpfn, set its M2P entry and write the
 *      new MFN back. A fault here is -EFAULT, but the frames are the
 *      domain's already (its reservation is whole; the shutdown check
 *      finds every one), so nothing is lost.
 *
 * nr_exchanged counts the input extents of the chunks completed before a
 * failure (as Xen, a chunk whose write-back faulted is not counted); it
 * is written back on every return, and before a continuation, which is
 * taken between chunks when the preemption check says so.
 */
struct exchange {
    struct xen_memory_exchange x;
    struct domain *d;
    unsigned int in_chunk, out_chunk;    /* log2 of extents per chunk */
    uint64_t *frames;                    /* a chunk's frame numbers   */
    mfn_t scratch;                       /* ... the frames they are in */
    uint64_t scratch_pages;
};

/* Steal one input frame: false if it is not d's alone to give. */
static bool exchange_steal(const struct domain *d, uint64_t mfn)
{
    struct page_info *pg;

    if (!mfn_valid(_mfn(mfn)))
        return false;
    pg = mfn_to_page(_mfn(mfn));
    if (pg->owner != d->domain_id || pg->count != 1 ||
        !(pg->flags & PGF_allocated) || (pg->flags & PGF_xen_heap))
        return false;
    pg->flags &= (uint8_t)~PGF_allocated;    /* the reference is ours now */
    return true;
}

static void exchange_unsteal(uint64_t mfn, uint64_t n)
{
    for (uint64_t k = 0; k < n; k++)
        mfn_to_page(_mfn(mfn + k))->flags |= PGF_allocated;
}

/*
 * Steps 1 and 2 for chunk i: *stolen input extents taken into in[] and
 * *got output extents allocated into out[] before any failure.
 */
static int exchange_take(const struct exchange *e, uint64_t i, uint64_t *in,
                         uint64_t *out, uint64_t *stolen, uint64_t *got)
{
    const struct xen_memory_exchange *x = &e->x;
    uint64_t n_in = 1UL << e->in_chunk, n_out = 1UL << e->out_chunk;
    uint64_t in_pages = 1UL << x->in.extent_order;

    *got = 0;
    for (*stolen = 0; *stolen < n_in; (*stolen)++) {
        uint64_t *v = &in[*stolen], k;
        if (copy_from_guest(v, (uint64_t)x->in.extent_start.p +
                            ((i << e->in_chunk) + *stolen) * sizeof(xen_pfn_t),
                            sizeof(*v)))
            return -XEN_EFAULT;
        for (k = 0; k < in_pages && exchange_steal(e->d, *v + k); k++)
            ;
        if (k < in_pages) {
            exchange_unsteal(*v, k);
            return hc_fail(-XEN_EINVAL, "exchange: mfn %#lx is not d%u's to give",
                           *v + k, e->d->domain_id);
        }
    }
    for (*got = 0; *got < n_out; (*got)++) {
        mfn_t m = alloc_raw_extent(x->out.extent_order,
                                   x->out.mem_flags & XENMEMF_ADDRESS_BITS_MASK);
        if (!mfn_valid_val(m))
            return -XEN_ENOMEM;
        out[*got] = mfn_x(m);
    }
    return 0;
}

/* Steps 3 and 4 for chunk i; 0 or -XEN_EFAULT (nothing lost either way). */
static int exchange_commit(const struct exchange *e, uint64_t i,
                           const uint64_t *in, const uint64_t *out)
{
    const struct xen_memory_exchange *x = &e->x;
    uint64_t in_pages = 1UL << x->in.extent_order;
    uint64_t out_pages = 1UL << x->out.extent_order, gpfn, slot;
    int rc = 0;

    for (uint64_t j = 0; j < (1UL << e->in_chunk); j++)
        for (uint64_t k = 0; k < in_pages; k++)
            put_page(mfn_to_page(_mfn(in[j] + k)));   /* the stolen reference */
    for (uint64_t j = 0; j < (1UL << e->out_chunk); j++)
        assign_extent(e->d, _mfn(out[j]), x->out.extent_order);
    for (uint64_t j = 0; j < (1UL << e->out_chunk); j++) {
        slot = (uint64_t)x->out.extent_start.p +
               ((i << e->out_chunk) + j) * sizeof(xen_pfn_t);
        if (copy_from_guest(&gpfn, slot, sizeof(gpfn))) {
            rc = -XEN_EFAULT;
            continue;
        }
        for (uint64_t k = 0; k < out_pages; k++)
            arch_set_m2p(_mfn(out[j] + k), gpfn + k);
        if (copy_to_guest(slot, &out[j], sizeof(xen_pfn_t)))
            rc = -XEN_EFAULT;
    }
    return rc;
}

/* One chunk, whole or not at all (but for a write-back fault). */
static int exchange_chunk(const struct exchange *e, uint64_t i)
{
    uint64_t *in = e->frames, *out = e->frames + (1UL << e->in_chunk);
    uint64_t stolen, got;
    int rc = exchange_take(e, i, in, out, &stolen, &got);

    if (rc) {
        while (stolen-- > 0)
            exchange_unsteal(in[stolen], 1UL << e->x.in.extent_order);
        while (got-- > 0)
            free_extent(_mfn(out[got]), e->x.out.extent_order);
        return rc;
    }
    return exchange_commit(e, i, in, out);
}

/* May a list of n xen_pfn_t from element `first` be used (Xen's checks)? */
static bool exchange_list_ok(XEN_GUEST_HANDLE(xen_pfn_t) list, uint64_t first,
                             uint64_t n)
{
    return n < UINT64_MAX / sizeof(xen_pfn_t) &&
           guest_range_ok((uint64_t)list.p + first * sizeof(xen_pfn_t), 1);
}

/* Xen's argument checks, in Xen's order; 0 or the error to return. */
static long exchange_check(struct exchange *e)
{
    struct xen_memory_exchange *x = &e->x;
    long rc = 0;

    if (MAX(x->in.extent_order, x->out.extent_order) > memop_max_order(current->domain))
        return hc_fail(-XEN_EPERM, "exchange: order above %u",
                       memop_max_order(current->domain));
    if (x->nr_exchanged > x->in.nr_extents || x->in.domid != x->out.domid ||
        (UINT64_MAX >> x->in.extent_order) < x->in.nr_extents ||
        (UINT64_MAX >> x->out.extent_order) < x->out.nr_extents ||
        (x->in.nr_extents << x->in.extent_order) !=
        (x->out.nr_extents << x->out.extent_order))
        return hc_fail(-XEN_EINVAL, "exchange: extents do not match");
    e->in_chunk = x->out.extent_order > x->in.extent_order ?
                  x->out.extent_order - x->in.extent_order : 0;
    e->out_chunk = x->in.extent_order > x->out.extent_order ?
                   x->in.extent_order - x->out.extent_order : 0;
    if (x->nr_exchanged == x->in.nr_extents)
        return 0;
    if (!exchange_list_ok(x->in.extent_start, x->nr_exchanged,
                          x->in.nr_extents - x->nr_exchanged) ||
        !exchange_list_ok(x->out.extent_start,
                          (x->nr_exchanged >> e->in_chunk) << e->out_chunk,
                          x->out.nr_extents -
                          ((x->nr_exchanged >> e->in_chunk) << e->out_chunk)))
        return -XEN_EFAULT;
    if (x->nr_exchanged & ((1UL << e->in_chunk) - 1))
        return hc_fail(-XEN_EINVAL, "exchange: restart inside a chunk");
    e->d = domain_by_any_id(x->in.domid, &rc);
    return e->d ? 0 : rc;
}

/*
 * Where a chunk's frame numbers are kept between its steps: one side of
 * a chunk is a single extent, so 2^chunk order + 1 words, the inputs
 * first; never in the guest's memory, which could change under us. Small
 * chunks (up to 64 extents) use `small`, on the stack; larger ones, up to
 * 2 MiB at order 18, frames of the hypervisor's for the call's duration.
 */
#define EXCHANGE_SMALL_WORDS ((1UL << 6) + 1)

static bool exchange_scratch_get(struct exchange *e, unsigned int chunk_order,
                                 uint64_t *small)
{
    uint64_t bytes = ((1UL << chunk_order) + 1) * sizeof(uint64_t);

    e->scratch_pages = 0;
    e->frames = small;
    if (bytes <= EXCHANGE_SMALL_WORDS * sizeof(uint64_t))
        return true;
    e->scratch_pages = ROUNDUP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
    e->scratch = frame_alloc(e->scratch_pages, 1);
    e->frames = mfn_valid_val(e->scratch) ? mfn_to_virt(e->scratch) : NULL;
    return e->frames != NULL;
}

static void exchange_scratch_put(const struct exchange *e)
{
    if (e->scratch_pages) {
        /* Guests get frames as they are: the caller's list stays ours. */
        memset(e->frames, 0, e->scratch_pages << PAGE_SHIFT);
        page_free(&machine_frames, e->scratch, e->scratch_pages);
    }
}

static long exchange_report(uint64_t arg, const struct exchange *e, long rc)
{
    if (copy_to_guest(arg + __builtin_offsetof(struct xen_memory_exchange, nr_exchanged),
                      &e->x.nr_exchanged, sizeof(e->x.nr_exchanged)))
        return -XEN_EFAULT;
    return rc;
}

static long memory_exchange(uint64_t arg)
{
    struct exchange e = { .d = NULL };
    uint64_t small[EXCHANGE_SMALL_WORDS], first, i, end;
    unsigned int chunk_order;
    long rc;

    if (copy_from_guest(&e.x, arg, sizeof(e.x)))
        return -XEN_EFAULT;
    rc = exchange_check(&e);
    if (rc || e.x.nr_exchanged == e.x.in.nr_extents)
        return exchange_report(arg, &e, rc);
    first = e.x.nr_exchanged >> e.in_chunk;
    end = e.x.in.nr_extents >> e.in_chunk;
    chunk_order = MAX(e.x.in.extent_order, e.x.out.extent_order);
    if (!exchange_scratch_get(&e, chunk_order, small))
        return exchange_report(arg, &e, -XEN_ENOMEM);
    for (i = first; i < end; i++) {
        /* Between chunks, once a batch's worth of pages is done. */
        if (((i - first) << chunk_order) >= HYPERCALL_PREEMPT_BATCH &&
            hypercall_preempt_check(HYPERCALL_PREEMPT_BATCH)) {
            exchange_scratch_put(&e);
            e.x.nr_exchanged = i << e.in_chunk;
            if (exchange_report(arg, &e, 0))
                return -XEN_EFAULT;
            return hypercall_create_continuation(__HYPERVISOR_memory_op,
                                                 XENMEM_exchange, arg, 0, 0, 0);
        }
        rc = exchange_chunk(&e, i);
        if (rc)
            break;
    }
    exchange_scratch_put(&e);
    e.x.nr_exchanged = i << e.in_chunk;
    return exchange_report(arg, &e, rc);
}

static long reservation_query(unsigned int op, uint64_t arg)
{
    domid_t domid;
    struct domain *d;
    long rc = 0;

    if (copy_from_guest(&domid, arg, sizeof(domid)))
        return -XEN_EFAULT;
    d = domain_by_any_id(domid, &rc);
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
