/* SPDX-License-Identifier: MIT */
/*
 * grant_table.c - the grant_table_op hypercall (20), grant tables v1.
 * Owns:    each domain's table (struct grant_table in struct domain): the
 *          frames of shared entries, allocated here and owned by the
 *          domain as hypervisor memory (PGF_xen_heap), and the active
 *          entries of its refs (the pins); which sub-ops exist (a case
 *          here, or -XEN_ENOSYS).
 * Touches: the frame table through frame_alloc()/frame_assign() (the
 *          frames go back with the domain's others in
 *          domain_relinquish_memory(): they hold PGF_allocated; the
 *          active entries' frames are the hypervisor's, freed here), and
 *          the granted frames' counts; the mapper's PTEs only through
 *          arch_grant_*() (arch/x86_64/mm.c).
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
 * Grant mappings (map_grant_ref, unmap_grant_ref, unmap_and_replace;
 * GNTMAP_host_map at a guest VA or, with GNTMAP_contains_pte, at a PTE's
 * machine address in an L1 of the mapper's): a host mapping holds on the
 * granted frame exactly the references a PTE of it holds (one general, and
 * a writable type unless GNTMAP_readonly), taken here and, as on Xen,
 * owned by the PTE: unmap (or unmap_and_replace, the PTE taking new_addr's
 * entry with that entry's own references) drops them with the PTE; if the
 * guest overwrites the PTE itself, put_page_from_l1e() drops them and the
 * handle can no longer be unmapped (its PTE no longer matches) but costs
 * nothing; when the mapper dies its page tables drop them. So a granted
 * frame lives while mapped (its count stays above 0 when the granter gives
 * it back or dies), and the frame audit sees grant PTEs as the PTEs they
 * are. While a ref is mapped the
 * granter's entry carries GTF_reading (and GTF_writing while any mapping
 * is writable), set with a compare-and-swap of flags+domid (the granter
 * may be changing them) and cleared with an atomic AND.
 *
 * GNTMAP_device_map (PV without an IOMMU, as Xen: the frame held, its
 * address returned, nothing else) is a second part of a mapping with its
 * own set of those references, held by the handle itself: dropped when
 * unmap names the frame's dev_bus_addr or the mapper dies, and reported to
 * the frame audit by gnttab_audit_device_refs(). Each part goes on its
 * own unmap (XSA-224: never both sets for one part).
 *
 * Each ref has an active entry, as Xen's (struct gnttab_active: its pins
 * by kind, the mapper, the frame), so a map, unmap or copy touches one
 * entry, never the maptracks. The entries are a second record of what
 * the maptracks say and must never drift from it: every change to a
 * handle's parts changes its entry's pins in the same function
 * (gnttab_map_one(), gnttab_forget()), a copy pins for as long as it runs,
 * and gnttab_audit() recomputes them all from the maptracks (the frame
 * audit runs it; the option gnttab_audit after every op). A granter that
 * starts dying loses its entries (its grant frames are freed in the same
 * destruction, so its shared entries are not written again) and the
 * mappings of its refs become orphans: unmapped as before, pinning
 * nothing, so a domain id used again never meets a stale pin.
 *
 * Not here yet: transfer (-XEN_ENOSYS). Observed on Xen 4.17.7 with
 * tests/guests/gnttab_{map_unmap,contains_pte,unmap_replace,map_limits}.
 */
#define LOG_PREFIX "gnttab"
#include <xen/grant_table.h>
#include "arch.h"
#include "bug.h"
#include "domain.h"
#include "frame.h"
#include "grant_table.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "log.h"
#include "page.h"
#include "page_alloc.h"

/* cmd's low 12 bits are the sub-op; above, a continuation's state
 * (Xen's GNTTABOP_CONTINUATION_ARG_SHIFT), accepted only by cache_flush. */
#define GNTTAB_CMD_BITS   12
#define GNTTAB_CMD_MASK   ((1u << GNTTAB_CMD_BITS) - 1)
#define GNTTAB_PER_FRAME  (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GNTTAB_CAS_TRIES  5             /* Xen: then the guest is misbehaving */

_Static_assert(GNTTAB_PER_FRAME == GNTTAB_ENTRIES_PER_FRAME, "grant entries a frame");
_Static_assert(GNTTAB_ACTIVE_FRAMES * GNTTAB_ACTIVE_PER_FRAME >=
               GNTTAB_MAX_FRAMES * GNTTAB_PER_FRAME, "an active entry for every ref");

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
    d->grant_table.dying = false;
    memset(d->grant_table.active, 0, sizeof(d->grant_table.active));
    d->grant_table.version = 1;
    d->grant_table.max_frames = GNTTAB_MAX_FRAMES;
    d->grant_table.max_handles = GNTTAB_MAPTRACK_ENTRIES;
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
    else if (op.nr_frames > d->grant_table.max_frames)
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
        op.max_nr_frames = d->grant_table.max_frames;
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
 * continued batch). The frame must be a guest's: our own, or one of its
 * owner's that we map through a grant, host or device part (Xen's
 * grant_map_exists(); else -EINVAL). Xen scans the owner's active entries
 * 4096 at a time, continuing the hypercall between; our handles (512) are
 * scanned at once, with the same answer. x86 caches are coherent with DMA:
 * cleaning needs nothing; invalidating alone is -EOPNOTSUPP, as Xen's x86
 * invalidate_dcache_va_range().
 */
static bool gnttab_maps_frame(const struct domain *ld, domid_t rd, mfn_t mfn)
{
    for (unsigned int i = 0; i < GNTTAB_MAPTRACK_ENTRIES; i++) {
        const struct gnttab_map *m = &ld->grant_table.maptrack[i];

        if (m->flags && m->domid == rd && mfn_x(m->mfn) == mfn_x(mfn))
            return true;
    }
    return false;
}

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
    if (owner != current->domain &&
        !gnttab_maps_frame(current->domain, owner->domain_id, mfn))
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

static unsigned int gnttab_nr_entries(const struct domain *d)
{
    return d->grant_table.nr_frames * GNTTAB_PER_FRAME;
}

static struct grant_entry_v1 *gnttab_entry(const struct domain *d, grant_ref_t ref)
{
    return (struct grant_entry_v1 *)mfn_to_virt(d->grant_table.frames[ref / GNTTAB_PER_FRAME]) +
           ref % GNTTAB_PER_FRAME;
}

/*
 * rd's active entry for ref (below gnttab_nr_entries(rd), rd not dying).
 * A frame of them (GNTTAB_ACTIVE_PER_FRAME refs) is allocated at the first
 * pin of one of its refs, so a domain that never has its grants mapped or
 * copied costs no frame for them: gnttab_act_new() for a new pin (NULL:
 * out of memory), gnttab_act() for a ref that is pinned, gnttab_act_peek()
 * for one that may not be (an unpinned entry if its frame never was).
 */
static __attribute__((noinline)) struct gnttab_active *
gnttab_act_alloc(struct grant_table *gt, unsigned int i)
{
    mfn_t m = frame_alloc(1, 1);        /* the hypervisor's: count stays 0 */

    if (!mfn_valid_val(m))
        return NULL;
    gt->active[i] = mfn_to_virt(m);
    memset(gt->active[i], 0, PAGE_SIZE);
    return gt->active[i];
}

static struct gnttab_active *gnttab_act_new(struct domain *rd, grant_ref_t ref)
{
    struct gnttab_active *block = rd->grant_table.active[ref / GNTTAB_ACTIVE_PER_FRAME];

    if (__builtin_expect(!block, 0) &&
        !(block = gnttab_act_alloc(&rd->grant_table, ref / GNTTAB_ACTIVE_PER_FRAME)))
        return NULL;
    return &block[ref % GNTTAB_ACTIVE_PER_FRAME];
}

static struct gnttab_active *gnttab_act(const struct domain *rd, grant_ref_t ref)
{
    return &rd->grant_table.active[ref / GNTTAB_ACTIVE_PER_FRAME][ref % GNTTAB_ACTIVE_PER_FRAME];
}

static const struct gnttab_active *gnttab_act_peek(const struct domain *rd, grant_ref_t ref)
{
    static const struct gnttab_active unpinned;
    const struct gnttab_active *block = rd->grant_table.active[ref / GNTTAB_ACTIVE_PER_FRAME];

    return block ? &block[ref % GNTTAB_ACTIVE_PER_FRAME] : &unpinned;
}

static bool gnttab_pinned(const struct gnttab_active *a)
{
    return a->pins;
}

static bool gnttab_writers(const struct gnttab_active *a)
{
    return a->pin[GNTTAB_PIN_HOST_RW] | a->pin[GNTTAB_PIN_DEV_RW];
}

/* Would a map with these flags overflow one of Xen's pin counters? */
static bool gnttab_pin_full(const struct gnttab_active *a, uint32_t flags)
{
    unsigned int ro = !!(flags & GNTMAP_readonly);

    return ((flags & GNTMAP_host_map) && a->pin[GNTTAB_PIN_HOST_RW + ro] >= GNTTAB_PIN_MAX) ||
           ((flags & GNTMAP_device_map) && a->pin[GNTTAB_PIN_DEV_RW + ro] >= GNTTAB_PIN_MAX);
}

/* The parts in flags (GNTMAP_host_map and/or GNTMAP_device_map, each
 * writable or GNTMAP_readonly) pin the entry (delta 1) or unpin it (-1). */
static void gnttab_pin_add(struct gnttab_active *a, uint32_t flags, int delta)
{
    unsigned int ro = !!(flags & GNTMAP_readonly);

    if (flags & GNTMAP_host_map)
        a->pin[GNTTAB_PIN_HOST_RW + ro] = (uint8_t)(a->pin[GNTTAB_PIN_HOST_RW + ro] + delta);
    if (flags & GNTMAP_device_map)
        a->pin[GNTTAB_PIN_DEV_RW + ro] = (uint8_t)(a->pin[GNTTAB_PIN_DEV_RW + ro] + delta);
}

/* Pinned for mapper ld and frame mfn (the same as the pins before, if
 * any: gnttab_get_frame() took it from them). */
static void gnttab_pin(struct gnttab_active *a, uint32_t flags, domid_t ld, mfn_t mfn)
{
    a->mapper = ld;
    a->mfn = mfn;
    gnttab_pin_add(a, flags, 1);
}

static void gnttab_unpin(struct gnttab_active *a, uint32_t flags)
{
    gnttab_pin_add(a, flags, -1);
}

/*
 * Mark e GTF_reading (and GTF_writing unless ro) for mapper ld, as Xen's
 * _set_status_v1(): an entry not mapped yet must permit access to ld; a
 * read-only one is never mapped writable. flags and domid are one 32-bit
 * word, swapped whole, so the granter cannot slip a change in between.
 */
static int16_t gnttab_mark_entry(struct grant_entry_v1 *e, domid_t ld,
                                 bool pinned, bool ro)
{
    uint32_t *word = (uint32_t *)e, old = __atomic_load_n(word, __ATOMIC_ACQUIRE);

    for (unsigned int tries = 0; tries < GNTTAB_CAS_TRIES; tries++) {
        uint16_t flags = (uint16_t)old;
        uint32_t new = old | GTF_reading;

        if (!pinned && ((flags & (GTF_type_mask | GTF_sub_page)) != GTF_permit_access ||
                        (domid_t)(old >> 16) != ld))
            return (int16_t)hc_fail(GNTST_general_error, "grant flags %#x for d%u, "
                                    "not d%u", flags, old >> 16, ld);
        if (!ro) {
            if (flags & GTF_readonly)
                return (int16_t)hc_fail(GNTST_general_error, "read-only grant "
                                        "mapped writable");
            new |= GTF_writing;
        }
        if (__atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return GNTST_okay;
    }
    return (int16_t)hc_fail(GNTST_general_error, "grant entry unstable");
}

/* Clear what rd's ref no longer needs, now that a pin (a writable one if
 * was_writer) went from its active entry a. */
static void gnttab_unmark_entry(const struct domain *rd, grant_ref_t ref,
                                const struct gnttab_active *a, bool was_writer)
{
    uint16_t clear = 0;

    if (was_writer && !gnttab_writers(a))
        clear |= GTF_writing;
    if (!gnttab_pinned(a))
        clear |= GTF_reading;
    if (clear)
        __atomic_fetch_and(&gnttab_entry(rd, ref)->flags, (uint16_t)~clear,
                           __ATOMIC_ACQ_REL);
}

static struct gnttab_map *gnttab_free_handle(struct domain *d)
{
    for (unsigned int i = 0; i < d->grant_table.max_handles; i++)
        if (!d->grant_table.maptrack[i].flags)
            return &d->grant_table.maptrack[i];
    return NULL;
}

/* One set of the references a part of a mapping holds on rd's frame mfn:
 * one general, and a writable type unless ro. */
static bool gnttab_ref_frame(struct domain *rd, mfn_t mfn, bool ro)
{
    struct page_info *pg;

    if (!mfn_valid(mfn) || !get_page(pg = mfn_to_page(mfn), rd))
        return false;
    if (!ro && get_page_type(pg, PGT_writable_page)) {
        put_page(pg);
        return false;
    }
    return true;
}

/*
 * The frame and its references for a new mapping of rd's ref: the
 * frame the entry names (it must be rd's: else GNTST_bad_page), or, if
 * the ref is mapped already, the frame those mappings have (Xen: still
 * rd's, else general_error).
 */
static int16_t gnttab_get_frame(struct domain *rd, grant_ref_t ref,
                                const struct gnttab_active *a, bool ro, mfn_t *mfn)
{
    *mfn = gnttab_pinned(a) ? a->mfn :
           _mfn(__atomic_load_n(&gnttab_entry(rd, ref)->frame, __ATOMIC_ACQUIRE));
    if (!mfn_valid(*mfn) || mfn_to_page(*mfn)->owner != rd->domain_id ||
        !mfn_to_page(*mfn)->count)
        return (int16_t)hc_fail(gnttab_pinned(a) ? GNTST_general_error : GNTST_bad_page,
                                "grant of frame %#lx, not d%u's", mfn_x(*mfn), rd->domain_id);
    if (!gnttab_ref_frame(rd, *mfn, ro))
        return (int16_t)hc_fail(GNTST_general_error, "frame %#lx cannot be "
                                "writable (type %u)", mfn_x(*mfn), mfn_to_page(*mfn)->type);
    return GNTST_okay;
}

static void gnttab_put_frame(mfn_t mfn, bool ro)
{
    if (!ro)
        put_page_type(mfn_to_page(mfn));
    put_page(mfn_to_page(mfn));
}

/* The grant PTE of a host mapping: at a VA, or (contains_pte) at a PTE's
 * machine address; 0, or -1 when there is no such L1 of ours. */
static int gnttab_map_pte(struct vcpu *v, uint64_t addr, mfn_t mfn, uint32_t flags)
{
    return flags & GNTMAP_contains_pte ? arch_grant_map_pte_at(v, addr, mfn, flags)
                                       : arch_grant_map_pte(v, addr, mfn, flags);
}

/*
 * One map_grant_ref op, in Xen 4.17's order of checks; op->status's value.
 * A mapping has up to two parts, each holding its own set of references
 * (gnttab_ref_frame()), as Xen's: the host part's are its PTE's; the
 * device part's (GNTMAP_device_map: the frame held for a device's DMA,
 * its bus address returned; PV without an IOMMU, so nothing else happens,
 * as on Xen) the maptrack entry's, until unmap names dev_bus_addr or the
 * mapper dies.
 */
static int16_t gnttab_map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
    struct domain *ld = v->domain, *rd;
    bool ro = op->flags & GNTMAP_readonly, marked = false;
    bool host = op->flags & GNTMAP_host_map, both = host && (op->flags & GNTMAP_device_map);
    unsigned int held = 0;
    struct gnttab_active *act;
    struct gnttab_map *m;
    bool pinned;
    int16_t rc;
    mfn_t mfn;

    if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map)))
        return (int16_t)hc_fail(GNTST_bad_gntref, "map flags %#x", op->flags);
    rd = domain_by_id(op->dom);         /* DOMID_SELF is no granter (Xen) */
    if (!rd)
        return GNTST_bad_domain;
    m = gnttab_free_handle(ld);
    if (!m)
        return (int16_t)hc_fail(GNTST_no_space, "d%u: no free handle", ld->domain_id);
    if (op->ref >= gnttab_nr_entries(rd))
        return (int16_t)hc_fail(GNTST_bad_gntref, "d%u ref %u", rd->domain_id, op->ref);
    /* A dying granter's table is going (Xen: its frame cannot be pinned). */
    if (rd->grant_table.dying)
        return (int16_t)hc_fail(GNTST_general_error, "d%u is dying", rd->domain_id);
    act = gnttab_act_new(rd, op->ref);
    if (!act)
        return (int16_t)hc_fail(GNTST_general_error, "no memory for d%u's active "
                                "entries", rd->domain_id);
    pinned = gnttab_pinned(act);
    if (pinned && act->mapper != ld->domain_id)
        return (int16_t)hc_fail(GNTST_general_error, "d%u ref %u mapped by d%u",
                                rd->domain_id, op->ref, act->mapper);
    if (gnttab_pin_full(act, op->flags))
        return (int16_t)hc_fail(GNTST_general_error, "d%u ref %u: %u mappings of "
                                "a kind", rd->domain_id, op->ref, GNTTAB_PIN_MAX);
    if (!pinned || (!ro && !gnttab_writers(act))) {
        rc = gnttab_mark_entry(gnttab_entry(rd, op->ref), ld->domain_id, pinned, ro);
        if (rc)
            return rc;
        marked = true;
    }
    rc = gnttab_get_frame(rd, op->ref, act, ro, &mfn);
    if (!rc) {
        held = 1;
        if (both && !gnttab_ref_frame(rd, mfn, ro))
            rc = (int16_t)hc_fail(GNTST_general_error, "frame %#lx: no second "
                                  "reference", mfn_x(mfn));
        else
            held += both;
    }
    if (!rc && host && gnttab_map_pte(v, op->host_addr, mfn, op->flags))
        rc = (int16_t)hc_fail(GNTST_general_error, "no L1 of d%u at %s %#lx",
                              ld->domain_id, op->flags & GNTMAP_contains_pte ?
                              "PTE address" : "va", op->host_addr);
    if (rc) {
        while (held--)
            gnttab_put_frame(mfn, ro);
        if (marked)
            gnttab_unmark_entry(rd, op->ref, act, !ro);
        return rc;
    }
    gnttab_pin(act, op->flags, ld->domain_id, mfn);
    *m = (struct gnttab_map){ .flags = op->flags, .domid = rd->domain_id,
                              .ref = op->ref, .mfn = mfn };
    op->handle = (grant_handle_t)(m - ld->grant_table.maptrack);
    op->dev_bus_addr = mfn_x(mfn) << PAGE_SHIFT;    /* as Xen, for any map */
    return GNTST_okay;
}

/*
 * Parts of a mapping go (done: GNTMAP_host_map and/or GNTMAP_device_map):
 * each part's references (put_refs: not for a host part whose PTE is
 * gone), their pins and the granter's bits they no longer need (not an
 * orphan's: its granter's entries are gone), the handle when no part is
 * left.
 */
static void gnttab_forget(struct gnttab_map *m, uint32_t done, bool put_refs)
{
    bool ro = m->flags & GNTMAP_readonly;

    if (!done)
        return;
    if ((done & GNTMAP_host_map) && put_refs)
        gnttab_put_frame(m->mfn, ro);
    if (done & GNTMAP_device_map)
        gnttab_put_frame(m->mfn, ro);
    if (!m->orphan) {
        const struct domain *rd = domain_by_id(m->domid);
        struct gnttab_active *act;

        /* Not an orphan: its granter has not started dying, so is here. */
        BUG_ON(!rd || rd->grant_table.dying, "d%u ref %u: granter gone", m->domid, m->ref);
        act = gnttab_act(rd, m->ref);

        gnttab_unpin(act, done | (m->flags & GNTMAP_readonly));
        gnttab_unmark_entry(rd, m->ref, act, !ro);
    }
    m->flags &= ~done;
    if (!(m->flags & (GNTMAP_host_map | GNTMAP_device_map)))
        m->flags = 0;
}

/* The host part's PTE cleared, or replaced by new_addr's entry
 * (unmap_and_replace: never with contains_pte, as Xen); 0 or -1. */
static int gnttab_unmap_pte(struct vcpu *v, const struct gnttab_map *m,
                            uint64_t addr, uint64_t new_addr)
{
    bool rw = !(m->flags & GNTMAP_readonly);

    if (m->flags & GNTMAP_contains_pte)
        return new_addr ? -1 : arch_grant_unmap_pte_at(v, addr, m->mfn, rw);
    return new_addr ? arch_grant_replace_pte(v, addr, new_addr, m->mfn, rw)
                    : arch_grant_unmap_pte(v, addr, m->mfn, rw);
}

/*
 * One unmap_grant_ref or unmap_and_replace op (Xen's unmap_common()): a
 * dev_bus_addr that is not the device part's frame is GNTST_bad_dev_addr
 * and changes nothing; host_addr (a VA, or a PTE's machine address with
 * contains_pte) takes the host part away if its PTE still maps the
 * handle's frame, writable as mapped (else general_error, nothing
 * changes); dev_bus_addr the device part. A part not named stays: as Xen,
 * host_addr and dev_bus_addr 0 unmap nothing and answer GNTST_okay.
 */
static int16_t gnttab_unmap_one(struct vcpu *v, uint64_t host_addr, uint64_t new_addr,
                                uint64_t dev_bus_addr, grant_handle_t handle)
{
    struct gnttab_map *m;
    uint32_t done = 0;

    if (handle >= GNTTAB_MAPTRACK_ENTRIES || !v->domain->grant_table.maptrack[handle].flags)
        return (int16_t)hc_fail(GNTST_bad_handle, "handle %#x", handle);
    m = &v->domain->grant_table.maptrack[handle];
    if (dev_bus_addr && (m->flags & GNTMAP_device_map) &&
        dev_bus_addr != mfn_x(m->mfn) << PAGE_SHIFT)
        return (int16_t)hc_fail(GNTST_bad_dev_addr, "handle %#x: bus address %#lx, "
                                "not %#lx", handle, dev_bus_addr, mfn_x(m->mfn) << PAGE_SHIFT);
    if (host_addr && (m->flags & GNTMAP_host_map)) {
        if (gnttab_unmap_pte(v, m, host_addr, new_addr))
            return (int16_t)hc_fail(GNTST_general_error, "%#lx does not map "
                                    "handle %#x's frame", host_addr, handle);
        done |= GNTMAP_host_map;
    }
    if (dev_bus_addr && (m->flags & GNTMAP_device_map))
        done |= GNTMAP_device_map;
    gnttab_forget(m, done, true);
    return GNTST_okay;
}

/*
 * As a mapper: the references d's page tables do not hold (device parts)
 * go now, the host parts' with those tables; the pins go now. As a
 * granter: its table takes no new pins, and since its frames (the grant
 * frames with the others) are about to go back, nobody writes its entries
 * again; the mappings of its refs become orphans (unmapped as before,
 * their references dropped, nothing pinned), so its active entries go
 * now, and a domain id used again later never meets a stale pin.
 */
void gnttab_release_mappings(struct domain *d)
{
    struct grant_table *gt = &d->grant_table;
    struct domain *ld;

    for (unsigned int i = 0; i < GNTTAB_MAPTRACK_ENTRIES; i++) {
        struct gnttab_map *m = &gt->maptrack[i];

        if (m->flags)
            gnttab_forget(m, m->flags & (GNTMAP_host_map | GNTMAP_device_map), false);
    }
    gt->dying = true;
    for_each_domain(ld) {
        for (unsigned int i = 0; i < GNTTAB_MAPTRACK_ENTRIES; i++) {
            struct gnttab_map *m = &ld->grant_table.maptrack[i];

            if (m->flags && m->domid == d->domain_id)
                m->orphan = true;
        }
    }
    for (unsigned int i = 0; i < GNTTAB_ACTIVE_FRAMES; i++) {
        if (gt->active[i]) {
            /* Scrubbed: the allocator hands frames to guests as they are,
             * and these name granted frames and their mappers. */
            memset(gt->active[i], 0, PAGE_SIZE);
            page_free(&machine_frames, virt_to_mfn(gt->active[i]), 1);
        }
        gt->active[i] = NULL;
    }
}

void gnttab_audit_device_refs(void (*ref)(void *arg, mfn_t mfn, bool typed), void *arg)
{
    const struct domain *d;

    for_each_domain(d) {
        for (unsigned int i = 0; i < GNTTAB_MAPTRACK_ENTRIES; i++) {
            const struct gnttab_map *m = &d->grant_table.maptrack[i];

            if (m->flags & GNTMAP_device_map)
                ref(arg, m->mfn, !(m->flags & GNTMAP_readonly));
        }
    }
}

/*
 * The pins recomputed from the maptracks, against the active entries:
 * every mapping not an orphan names a pinned entry of a live granter, for
 * its mapper and frame; every pinned entry counts exactly the parts of
 * those naming it (a copy pins only while its hypercall runs, so none
 * here). The second scan goes over the maptracks once per pinned entry:
 * a debugging aid (slow with many mappings), not a path of any guest's.
 * The GTF_* bits are not compared: the granter may write them at will.
 */
bool opt_gnttab_audit;
static unsigned int gnttab_audit_errors;   /* found after batches */

static unsigned int gnttab_audit_entry(const struct domain *rd, grant_ref_t ref,
                                       const struct gnttab_active *a)
{
    unsigned int pin[4] = { 0 };
    const struct domain *ld;

    for_each_domain(ld) {
        for (unsigned int i = 0; i < GNTTAB_MAPTRACK_ENTRIES; i++) {
            const struct gnttab_map *m = &ld->grant_table.maptrack[i];
            unsigned int ro = !!(m->flags & GNTMAP_readonly);

            if (!m->flags || m->orphan || m->domid != rd->domain_id || m->ref != ref)
                continue;
            pin[GNTTAB_PIN_HOST_RW + ro] += !!(m->flags & GNTMAP_host_map);
            pin[GNTTAB_PIN_DEV_RW + ro] += !!(m->flags & GNTMAP_device_map);
        }
    }
    for (unsigned int k = 0; k < 4; k++) {
        if (pin[k] != a->pin[k]) {
            log_err("audit: d%u ref %u: pins %u %u %u %u, the mappings say "
                    "%u %u %u %u", rd->domain_id, ref, a->pin[0], a->pin[1],
                    a->pin[2], a->pin[3], pin[0], pin[1], pin[2], pin[3]);
            return 1;
        }
    }
    return 0;
}

static unsigned int gnttab_audit_pins(void)
{
    unsigned int errors = 0;
    const struct domain *ld, *rd;

    for_each_domain(ld) {
        for (unsigned int i = 0; i < GNTTAB_MAPTRACK_ENTRIES; i++) {
            const struct gnttab_map *m = &ld->grant_table.maptrack[i];
            const struct gnttab_active *a;

            if (!m->flags || m->orphan)
                continue;
            rd = domain_by_id(m->domid);
            if (!rd || rd->grant_table.dying || m->ref >= gnttab_nr_entries(rd)) {
                log_err("audit: d%u handle %u: d%u ref %u, no such entry",
                        ld->domain_id, i, m->domid, m->ref);
                errors++;
                continue;
            }
            a = gnttab_act_peek(rd, m->ref);
            if (!gnttab_pinned(a) || a->mapper != ld->domain_id ||
                mfn_x(a->mfn) != mfn_x(m->mfn)) {
                log_err("audit: d%u handle %u: d%u ref %u pinned %d by d%u, "
                        "frame %#lx (the handle's %#lx)", ld->domain_id, i,
                        m->domid, m->ref, gnttab_pinned(a), a->mapper,
                        mfn_x(a->mfn), mfn_x(m->mfn));
                errors++;
            }
        }
    }
    for_each_domain(rd) {
        if (rd->grant_table.dying)
            continue;
        for (grant_ref_t ref = 0; ref < gnttab_nr_entries(rd); ref++) {
            const struct gnttab_active *a = gnttab_act_peek(rd, ref);

            if (gnttab_pinned(a))
                errors += gnttab_audit_entry(rd, ref, a);
        }
    }
    return errors;
}

unsigned int gnttab_audit(void)
{
    return gnttab_audit_pins() + gnttab_audit_errors;
}

/*
 * swap_grant_ref (Xen 4.17, v1): two of the caller's own entries trade
 * places, whole (flags, domid, frame), unless either is mapped
 * (GNTST_eagain: the mapping would follow the wrong ref). Refs past the
 * table GNTST_bad_gntref, a first, then b; a ref with itself: nothing.
 * The granter owns its entries: a concurrent write of its own can be
 * lost, as on Xen.
 */
static int16_t gnttab_swap_one(grant_ref_t a, grant_ref_t b)
{
    struct domain *d = current->domain;
    uint64_t *ea, *eb, t;

    if (a >= gnttab_nr_entries(d) || b >= gnttab_nr_entries(d))
        return (int16_t)hc_fail(GNTST_bad_gntref, "swap refs %#x %#x", a, b);
    if (a == b)
        return GNTST_okay;
    if (gnttab_pinned(gnttab_act_peek(d, a)))
        return (int16_t)hc_fail(GNTST_eagain, "swap: ref %#x mapped", a);
    if (gnttab_pinned(gnttab_act_peek(d, b)))
        return (int16_t)hc_fail(GNTST_eagain, "swap: ref %#x mapped", b);
    ea = (uint64_t *)gnttab_entry(d, a);
    eb = (uint64_t *)gnttab_entry(d, b);
    t = __atomic_load_n(ea, __ATOMIC_ACQUIRE);
    __atomic_store_n(ea, __atomic_load_n(eb, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
    __atomic_store_n(eb, t, __ATOMIC_RELEASE);
    return GNTST_okay;
}

/*
 * One side of a copy, as Xen's gnttab_copy_claim_buf(): a grant of
 * domid's to us (the source read-only, the destination writable: the
 * entry is marked for the copy and unmarked after), or, only with
 * DOMID_SELF, a frame of ours. The frame is held (and typed writable for
 * the destination) until gnttab_copy_put().
 */
struct gnttab_copy_side {
    struct domain *rd;          /* the granter, when is_gref */
    struct gnttab_active *act;  /* its active entry, pinned for the copy */
    grant_ref_t ref;
    bool is_gref, ro;
    mfn_t mfn;
};

/* The domain first (Xen 4.17.7: bad_domain before permission_denied). */
static int16_t gnttab_copy_domain(const struct gnttab_copy_ptr *p, bool is_gref,
                                  struct domain **d)
{
    *d = gnttab_domain(p->domid);
    if (!*d)
        return GNTST_bad_domain;
    if (p->domid != DOMID_SELF && !is_gref)
        return (int16_t)hc_fail(GNTST_permission_denied, "copy of a frame of d%u",
                                p->domid);
    return GNTST_okay;
}

static int16_t gnttab_copy_get(struct gnttab_copy_side *c, const struct gnttab_copy_ptr *p)
{
    uint32_t flags = GNTMAP_host_map | (c->ro ? GNTMAP_readonly : 0);
    struct domain *ld = current->domain;
    struct page_info *pg;
    bool pinned;
    int16_t rc;

    if (!c->is_gref) {
        c->mfn = _mfn(p->u.gmfn);
        if (!mfn_valid(c->mfn) || !get_page(pg = mfn_to_page(c->mfn), c->rd))
            return (int16_t)hc_fail(GNTST_bad_page, "copy frame %#lx", p->u.gmfn);
        if (!c->ro && get_page_type(pg, PGT_writable_page)) {
            put_page(pg);
            return (int16_t)hc_fail(GNTST_general_error, "copy to frame %#lx "
                                    "(type %u)", p->u.gmfn, pg->type);
        }
        return GNTST_okay;
    }
    c->ref = p->u.ref;
    if (c->ref >= gnttab_nr_entries(c->rd))
        return (int16_t)hc_fail(GNTST_bad_gntref, "copy d%u ref %u", c->rd->domain_id, c->ref);
    if (c->rd->grant_table.dying)       /* as a map */
        return (int16_t)hc_fail(GNTST_general_error, "d%u is dying", c->rd->domain_id);
    c->act = gnttab_act_new(c->rd, c->ref);
    if (!c->act)
        return (int16_t)hc_fail(GNTST_general_error, "no memory for d%u's active "
                                "entries", c->rd->domain_id);
    pinned = gnttab_pinned(c->act);
    if (pinned && c->act->mapper != ld->domain_id)
        return (int16_t)hc_fail(GNTST_general_error, "d%u ref %u mapped by d%u",
                                c->rd->domain_id, c->ref, c->act->mapper);
    /* A copy pins as a host mapping would (Xen: the same overflow rule),
     * for as long as it runs. */
    if (gnttab_pin_full(c->act, flags))
        return (int16_t)hc_fail(GNTST_general_error, "copy d%u ref %u: pin full",
                                c->rd->domain_id, c->ref);
    if (!pinned || (!c->ro && !gnttab_writers(c->act))) {
        rc = gnttab_mark_entry(gnttab_entry(c->rd, c->ref), ld->domain_id, pinned, c->ro);
        if (rc)
            return rc;
    }
    rc = gnttab_get_frame(c->rd, c->ref, c->act, c->ro, &c->mfn);
    if (rc) {
        gnttab_unmark_entry(c->rd, c->ref, c->act, !c->ro);
        return rc;
    }
    gnttab_pin(c->act, flags, ld->domain_id, c->mfn);
    return GNTST_okay;
}

static void gnttab_copy_put(const struct gnttab_copy_side *c)
{
    gnttab_put_frame(c->mfn, c->ro);
    if (c->is_gref) {
        gnttab_unpin(c->act, GNTMAP_host_map | (c->ro ? GNTMAP_readonly : 0));
        gnttab_unmark_entry(c->rd, c->ref, c->act, !c->ro);
    }
}

/*
 * The bytes of a copy, between two frames of the direct map (the
 * hypervisor's own mappings: no fault, no guest translation): rep movsq
 * for the words, rep movsb for the rest, one instruction each where
 * memcpy()'s word loop takes about five per word. Unaligned ends cost
 * the CPU a little, never correctness. DF is clear in the hypervisor
 * (entry.S and MSR_SYSCALL_MASK clear a guest's).
 */
static void gnttab_copy_bytes(void *dst, const void *src, size_t len)
{
    size_t words = len / 8, rest = len % 8;

    __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(rest) : : "memory");
}

/* One GNTTABOP_copy op, in Xen 4.17's order of checks: its status. */
static int16_t gnttab_copy_one(const struct gnttab_copy *op)
{
    struct gnttab_copy_side src = { .is_gref = op->flags & GNTCOPY_source_gref, .ro = true };
    struct gnttab_copy_side dst = { .is_gref = op->flags & GNTCOPY_dest_gref };
    int16_t rc;

    if ((rc = gnttab_copy_domain(&op->source, src.is_gref, &src.rd)) ||
        (rc = gnttab_copy_domain(&op->dest, dst.is_gref, &dst.rd)))
        return rc;
    if ((rc = gnttab_copy_get(&src, &op->source)))
        return rc;
    if ((rc = gnttab_copy_get(&dst, &op->dest))) {
        gnttab_copy_put(&src);
        return rc;
    }
    if (op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE)
        rc = (int16_t)hc_fail(GNTST_bad_copy_arg, "copy %u bytes from +%u to +%u",
                              op->len, op->source.offset, op->dest.offset);
    else
        gnttab_copy_bytes((uint8_t *)mfn_to_virt(dst.mfn) + op->dest.offset,
                          (const uint8_t *)mfn_to_virt(src.mfn) + op->source.offset,
                          op->len);
    gnttab_copy_put(&dst);
    gnttab_copy_put(&src);
    return rc;
}

/*
 * The batches of map_grant_ref, unmap_grant_ref, unmap_and_replace, copy
 * and swap_grant_ref: each op copied in, done and copied back (a copy
 * failing is -EFAULT, the ops before it done, as Xen); continued every
 * HYPERCALL_PREEMPT_BATCH ops.
 */
static size_t gnttab_op_size(unsigned int cmd)
{
    switch (cmd) {
    case GNTTABOP_map_grant_ref:     return sizeof(struct gnttab_map_grant_ref);
    case GNTTABOP_unmap_grant_ref:   return sizeof(struct gnttab_unmap_grant_ref);
    case GNTTABOP_unmap_and_replace: return sizeof(struct gnttab_unmap_and_replace);
    case GNTTABOP_copy:              return sizeof(struct gnttab_copy);
    default:                         return sizeof(struct gnttab_swap_grant_ref);
    }
}

static long gnttab_map_batch(unsigned int cmd, uint64_t uop, unsigned int count)
{
    size_t size = gnttab_op_size(cmd);

    if (!guest_handle_start_ok(uop))
        return -XEN_EFAULT;
    for (unsigned int i = 0; i < count; i++) {
        union {
            struct gnttab_map_grant_ref map;
            struct gnttab_unmap_grant_ref unmap;
            struct gnttab_unmap_and_replace replace;
            struct gnttab_copy copy;
            struct gnttab_swap_grant_ref swap;
        } op;
        uint64_t at = uop + i * size;

        if (hypercall_preempt_check(i))
            return hypercall_create_continuation(__HYPERVISOR_grant_table_op,
                                                 cmd, at, count - i, 0, 0);
        if (copy_from_guest(&op, at, size))
            return -XEN_EFAULT;
        switch (cmd) {
        case GNTTABOP_map_grant_ref:
            op.map.status = gnttab_map_one(current, &op.map);
            break;
        case GNTTABOP_unmap_grant_ref:
            op.unmap.status = gnttab_unmap_one(current, op.unmap.host_addr, 0,
                                               op.unmap.dev_bus_addr, op.unmap.handle);
            break;
        case GNTTABOP_unmap_and_replace:
            op.replace.status = gnttab_unmap_one(current, op.replace.host_addr,
                                                 op.replace.new_addr, 0, op.replace.handle);
            break;
        case GNTTABOP_copy:
            op.copy.status = gnttab_copy_one(&op.copy);
            break;
        default:
            op.swap.status = gnttab_swap_one(op.swap.ref_a, op.swap.ref_b);
            break;
        }
        if (opt_gnttab_audit)
            gnttab_audit_errors += gnttab_audit_pins();
        if (copy_to_guest(at, &op, size))
            return -XEN_EFAULT;
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
    case GNTTABOP_unmap_and_replace:
    case GNTTABOP_copy:
    case GNTTABOP_swap_grant_ref:
        return gnttab_map_batch(op, uop, count);
    case GNTTABOP_transfer:
        return hc_fail(-XEN_ENOSYS, "grant_table_op %u not implemented yet", op);
    default:                    /* dump_table (gone in Xen 4.17) included */
        return -XEN_ENOSYS;
    }
}
