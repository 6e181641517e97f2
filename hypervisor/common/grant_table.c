/* SPDX-License-Identifier: MIT */
/*
 * grant_table.c - the grant_table_op hypercall (20), grant tables v1.
 * Owns:    each domain's table (struct grant_table in struct domain): the
 *          frames of shared entries, allocated here and owned by the
 *          domain as hypervisor memory (PGF_xen_heap); which sub-ops
 *          exist (a case here, or -XEN_ENOSYS).
 * Touches: the frame table through frame_alloc()/frame_assign() (the
 *          frames go back with the domain's others in
 *          domain_relinquish_memory(): they hold PGF_allocated).
 * Trusts:  nothing from the guest: do_grant_table_op() checks cmd and
 *          count, each sub-op copies its struct in (-XEN_EFAULT) and
 *          checks it; workers below trust their arguments.
 * ABI:     abi/xen/grant_table.h; docs/abi/hypercalls.md rows 20.*. Every
 *          answer is Xen 4.17's with gnttab=max-ver:1 (v2 refused),
 *          observed with tests/guests/gnttab_table_ops.
 *
 * Two kinds of failure, as Xen: a bad call (count, an unreadable struct, a
 * sub-op number, a list starting in the hypervisor's range) is the
 * hypercall's -XEN_E*; a bad op (its domain, its size, a list entry that
 * cannot be written) is a GNTST_* in the op's status, the hypercall 0.
 *
 * Not here yet: map_grant_ref, unmap_grant_ref, copy, transfer,
 * unmap_and_replace and swap_grant_ref answer -XEN_ENOSYS, so no frame is
 * ever grant-mapped and no entry's GTF_reading/GTF_writing is set by us.
 */
#define LOG_PREFIX "gnttab"
#include <xen/grant_table.h>
#include "domain.h"
#include "frame.h"
#include "grant_table.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "page.h"

/* cmd's low 12 bits are the sub-op; above, a continuation's state
 * (Xen's GNTTABOP_CONTINUATION_ARG_SHIFT), accepted only by cache_flush. */
#define GNTTAB_CMD_BITS   12
#define GNTTAB_CMD_MASK   ((1u << GNTTAB_CMD_BITS) - 1)

static bool gnttab_grow(struct domain *d, unsigned int nr)
{
    struct grant_table *gt = &d->grant_table;

    while (gt->nr_frames < nr) {
        mfn_t m = frame_alloc(1, 1);

        if (!mfn_valid_val(m))
            return false;
        frame_assign(mfn_to_page(m), d, true);
        memset(mfn_to_virt(m), 0, PAGE_SIZE);
        gt->frames[gt->nr_frames++] = m;
    }
    return true;
}

bool gnttab_init(struct domain *d)
{
    d->grant_table.nr_frames = 0;
    d->grant_table.version = 1;
    return gnttab_grow(d, 1);
}

/* Xen's rcu_lock_domain_by_any_id(): DOMID_SELF or a live id. */
static struct domain *gnttab_domain(domid_t id)
{
    return id == DOMID_SELF ? current->domain : domain_by_id(id);
}

/* Xen's XSM_TARGET default: a domain itself, or the privileged one. */
static bool gnttab_may_target(const struct domain *d)
{
    return d == current->domain || current->domain->is_privileged;
}

/* The frames go out as machine frame numbers: a PV guest's GMFN. */
static long gnttab_setup_table(uint64_t uop, unsigned int count)
{
    struct gnttab_setup_table op;
    struct domain *d;
    uint64_t list;

    if (count != 1)
        return hc_fail(-XEN_EINVAL, "setup_table count %u", count);
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    list = (uint64_t)op.frame_list.p;
    if (!guest_handle_start_ok(list))
        return hc_fail(-XEN_EFAULT, "setup_table list %#lx", list);
    d = gnttab_domain(op.dom);
    if (!d)
        op.status = GNTST_bad_domain;
    else if (!gnttab_may_target(d))
        op.status = GNTST_permission_denied;
    else if (op.nr_frames > GNTTAB_MAX_FRAMES)
        op.status = (int16_t)hc_fail(GNTST_general_error, "d%u: %u grant frames",
                                     d->domain_id, op.nr_frames);
    else if (!gnttab_grow(d, op.nr_frames))
        op.status = (int16_t)hc_fail(GNTST_general_error, "no memory to grow d%u's "
                                     "grant table", d->domain_id);
    else {
        op.status = GNTST_okay;
        for (unsigned int i = 0; i < op.nr_frames; i++) {
            xen_pfn_t f = mfn_x(d->grant_table.frames[i]);

            if (copy_to_guest(list + i * sizeof(f), &f, sizeof(f)))
                op.status = GNTST_bad_virt_addr;
        }
    }
    if (copy_to_guest(uop + offsetof(struct gnttab_setup_table, status),
                      &op.status, sizeof(op.status)))
        return -XEN_EFAULT;
    return 0;
}

/* As Xen, the whole struct goes back, the sizes untouched on a failure. */
static long gnttab_query_size(uint64_t uop, unsigned int count)
{
    struct gnttab_query_size op;
    struct domain *d;

    if (count != 1)
        return hc_fail(-XEN_EINVAL, "query_size count %u", count);
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    d = gnttab_domain(op.dom);
    if (!d)
        op.status = GNTST_bad_domain;
    else if (!gnttab_may_target(d))
        op.status = GNTST_permission_denied;
    else {
        op.nr_frames = d->grant_table.nr_frames;
        op.max_nr_frames = GNTTAB_MAX_FRAMES;
        op.status = GNTST_okay;
    }
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/*
 * v1 only: Xen with gnttab=max-ver:1 answers a request for v2 -ENOSYS
 * ("behave as before set_version was introduced") and anything but 1 or 2
 * -EINVAL, always writing back the version in force (count is ignored).
 */
static long gnttab_set_version(uint64_t uop)
{
    struct gnttab_set_version op;
    long rc = 0;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (op.version != 1 && op.version != 2)
        rc = hc_fail(-XEN_EINVAL, "set_version %u", op.version);
    else if (op.version == 2)
        rc = hc_fail(-XEN_ENOSYS, "set_version 2: grant tables v1 only");
    op.version = current->domain->grant_table.version;
    if (copy_to_guest(uop, &op, sizeof(op)))
        return -XEN_EFAULT;
    return rc;
}

/* Unlike the sub-ops above, an unknown domain is -ESRCH here (as Xen). */
static long gnttab_get_version(uint64_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    d = gnttab_domain(op.dom);
    if (!d)
        return hc_fail(-XEN_ESRCH, "get_version d%u", op.dom);
    if (!gnttab_may_target(d))
        return hc_fail(-XEN_EPERM, "get_version d%u", op.dom);
    op.version = d->grant_table.version;
    return copy_to_guest(uop + offsetof(struct gnttab_get_version, version),
                         &op.version, sizeof(op.version)) ? -XEN_EFAULT : 0;
}

/* A v1 table has no status frames: asking for any is general_error. */
static long gnttab_get_status_frames(uint64_t uop, unsigned int count)
{
    struct gnttab_get_status_frames op;
    struct domain *d;

    if (count != 1)
        return hc_fail(-XEN_EINVAL, "get_status_frames count %u", count);
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (!guest_handle_start_ok((uint64_t)op.frame_list.p))
        return -XEN_EFAULT;
    d = gnttab_domain(op.dom);
    if (!d)
        op.status = GNTST_bad_domain;
    else if (!gnttab_may_target(d))
        op.status = GNTST_permission_denied;
    else
        op.status = op.nr_frames ? GNTST_general_error : GNTST_okay;
    if (copy_to_guest(uop + offsetof(struct gnttab_get_status_frames, status),
                      &op.status, sizeof(op.status)))
        return -XEN_EFAULT;
    return 0;
}

/*
 * One cache_flush op, as Xen 4.17 on x86: the range must stay in its page
 * and op be CLEAN/INVAL bits; an empty op is 0 (-EILSEQ inside a
 * continued batch). The frame must be a guest's: our own, or one mapped
 * through a grant (there are none yet: -EINVAL, Xen's answer when no
 * mapping of it is found). x86 caches are coherent with DMA: cleaning
 * needs nothing; invalidating alone is -EOPNOTSUPP, as Xen's x86
 * invalidate_dcache_va_range().
 */
static long gnttab_cache_flush_one(const struct gnttab_cache_flush *op,
                                   unsigned int cur_ref)
{
    mfn_t mfn = _mfn(op->a.dev_bus_addr >> PAGE_SHIFT);
    struct page_info *pg;
    struct domain *owner;

    if (op->offset >= PAGE_SIZE || op->length > PAGE_SIZE ||
        op->offset + op->length > PAGE_SIZE ||
        (op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)))
        return hc_fail(-XEN_EINVAL, "cache_flush offset %u length %u op %#x",
                       op->offset, op->length, op->op);
    if (op->length == 0 || op->op == 0)
        return cur_ref ? -XEN_EILSEQ : 0;
    if (!mfn_valid(mfn))
        return hc_fail(-XEN_EINVAL, "cache_flush mfn %#lx", mfn_x(mfn));
    pg = mfn_to_page(mfn);
    owner = pg->count ? domain_by_id(pg->owner) : NULL;
    if (!owner)
        return hc_fail(-XEN_EPERM, "cache_flush mfn %#lx of nobody", mfn_x(mfn));
    if (owner != current->domain)
        return hc_fail(-XEN_EINVAL, "cache_flush mfn %#lx not mapped by grant",
                       mfn_x(mfn));
    if (op->op == GNTTAB_CACHE_INVAL)
        return -XEN_EOPNOTSUPP;
    return 0;
}

/* A batch, continued every HYPERCALL_PREEMPT_BATCH ops (Xen: on demand). */
static long gnttab_cache_flush(unsigned int cmd, uint64_t uop, unsigned int count)
{
    struct gnttab_cache_flush op;
    unsigned int cur_ref = cmd >> GNTTAB_CMD_BITS;
    long rc;

    if (!guest_handle_start_ok(uop))
        return -XEN_EFAULT;
    for (unsigned int i = 0; i < count; i++) {
        if (hypercall_preempt_check(i))
            return hypercall_create_continuation(__HYPERVISOR_grant_table_op,
                       GNTTABOP_cache_flush, uop + i * sizeof(op), count - i, 0, 0);
        if (copy_from_guest(&op, uop + i * sizeof(op), sizeof(op)))
            return -XEN_EFAULT;
        rc = gnttab_cache_flush_one(&op, cur_ref);
        if (rc)
            return rc;
        cur_ref = 0;
    }
    return 0;
}

long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count)
{
    unsigned int op = cmd & GNTTAB_CMD_MASK;

    if ((int)count < 0)
        return hc_fail(-XEN_EINVAL, "grant_table_op count %#x", count);
    if (op != GNTTABOP_cache_flush && (cmd & ~GNTTAB_CMD_MASK))
        return hc_fail(-XEN_EINVAL, "grant_table_op cmd %#x", cmd);
    switch (op) {
    case GNTTABOP_setup_table:
        return gnttab_setup_table(uop, count);
    case GNTTABOP_query_size:
        return gnttab_query_size(uop, count);
    case GNTTABOP_set_version:
        return gnttab_set_version(uop);
    case GNTTABOP_get_version:
        return gnttab_get_version(uop);
    case GNTTABOP_get_status_frames:
        return gnttab_get_status_frames(uop, count);
    case GNTTABOP_cache_flush:
        return gnttab_cache_flush(cmd, uop, count);
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_transfer:
    case GNTTABOP_copy:
    case GNTTABOP_unmap_and_replace:
    case GNTTABOP_swap_grant_ref:
        return hc_fail(-XEN_ENOSYS, "grant_table_op %u not implemented yet", op);
    default:                    /* dump_table (gone in Xen 4.17) included */
        return -XEN_ENOSYS;
    }
}
