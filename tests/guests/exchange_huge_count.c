/* SPDX-License-Identifier: MIT */
/*
 * exchange_huge_count - invariant 4 (DESIGN.md 3) at XENMEM_exchange's
 * door: whatever the counts, the hypercall answers (no hang, no overflow)
 * and exactly the extents reported were exchanged.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU;
 * rc, then nr_exchanged as written back) and where in common/memory.c
 * memory_exchange() it comes from:
 *  - in/out nr 2^62, orders 0/0: -EFAULT, 0 (guest_handle_subrange_okay():
 *    2^62 entries of 8 bytes do not fit in an address space);
 *  - in/out nr 2^60, orders 0/0, the first input frame past RAM: -EINVAL, 0
 *    (the range check looks only at where the list starts; the first
 *    chunk's mfn_valid() fails);
 *  - in/out nr 2^60, orders 0/0, input list unmapped: -EFAULT, 0 (the
 *    first chunk's copy fails);
 *  - in order 1 nr 2^63, out order 0 nr 0 (nr << order overflows): -EINVAL,
 *    0 ("sizes of input and output lists do not overflow a long");
 *  - in order 0 nr 2^63, out order 1 nr 2^62 (sizes match, no overflow):
 *    -EFAULT, 0 (subrange_okay(), as for 2^62);
 *  - extent_order 19, 20 and 63 (nr 0): -EPERM, 0 (max_order(): dom0 is
 *    the control domain, CONFIG_PAGEALLOC_MAX_ORDER = 18 on x86, checked
 *    before anything else); orders 10 and 18 with nr 0: 0, 0 (allowed, and
 *    nr_exchanged == nr_extents returns 0 at once);
 *  - nr_exchanged 2 > in.nr_extents 1: -EINVAL, and nr_exchanged is
 *    written back unchanged (2);
 *  - nr_exchanged == in.nr_extents (1 of 1): 0, 1, nothing done;
 *  - in.domid != out.domid: -EINVAL, 0;
 *  - sizes that do not match (in 2 x order 0, out 1 x order 0): -EINVAL, 0;
 *  - a long legitimate exchange: 1024 of our pages (unmapped first, as
 *    steal_page() wants only the allocation reference), orders 0/0, lists
 *    of 8 KiB: 0, 1024, every output entry a new frame of ours whose M2P
 *    entry is the pfn the list named. Long enough to be preempted (Xen
 *    checks hypercall_preempt_check() between chunks and continues with
 *    nr_exchanged as the restart point); the answer must not show it.
 * And the reservation is unchanged (hostile_run() checks it too).
 * Undo: the long exchange's pages are mapped at their new frames, the p2m
 * updated, and given back to the kernel's allocator.
 */
#include "hostile.h"

#define LONG_PAGES 1024                 /* chunks of the long exchange */
#define BATCH      256                  /* mmu_update entries per call */

static xen_pfn_t long_in[LONG_PAGES] __attribute__((aligned(PAGE_SIZE)));
static xen_pfn_t long_out[LONG_PAGES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t long_pfn[LONG_PAGES];

/* One exchange; its rc and written-back nr_exchanged. */
static long exchange(xen_pfn_t *in, unsigned long in_nr, unsigned int in_order,
                     xen_pfn_t *out, unsigned long out_nr, unsigned int out_order,
                     unsigned long nr_exchanged, domid_t out_domid, unsigned long *done)
{
    struct xen_memory_exchange x = {
        .in  = { .nr_extents = in_nr, .extent_order = in_order, .domid = DOMID_SELF },
        .out = { .nr_extents = out_nr, .extent_order = out_order, .domid = out_domid },
        .nr_exchanged = nr_exchanged,
    };
    long rc;

    set_xen_guest_handle(x.in.extent_start, in);
    set_xen_guest_handle(x.out.extent_start, out);
    rc = hg_memory_op(XENMEM_exchange, &x);
    *done = x.nr_exchanged;
    return rc;
}

static void exchange_case(struct hg_cases *c, const char *label, long want_rc,
                          unsigned long want_done, xen_pfn_t *in, unsigned long in_nr,
                          unsigned int in_order, xen_pfn_t *out, unsigned long out_nr,
                          unsigned int out_order, unsigned long nr_exchanged,
                          domid_t out_domid)
{
    char what[96];
    unsigned long done;
    long rc = exchange(in, in_nr, in_order, out, out_nr, out_order, nr_exchanged,
                       out_domid, &done);

    hg_case(c, label, rc, want_rc);
    snprintf(what, sizeof(what), "%s: nr_exchanged", label);
    hg_case(c, what, done, want_done);
}

/* Point the direct-map PTEs of long_pfn[] at frames[] (0: unmap), BATCH
 * entries per mmu_update, then flush our TLB. 0 or the first error. */
static long remap_all(const xen_pfn_t *frames)
{
    static struct mmu_update req[BATCH];
    unsigned int i, n = 0;
    long rc;

    for (i = 0; i < LONG_PAGES; i++) {
        req[n].ptr = mm_pte_maddr((uint64_t)pfn_to_virt(long_pfn[i])) | MMU_NORMAL_PT_UPDATE;
        req[n].val = frames ? (frames[i] << PAGE_SHIFT) | HG_PTE_FLAGS : 0;
        if (++n == BATCH || i == LONG_PAGES - 1) {
            rc = hg_mmu_update(req, n, NULL, DOMID_SELF);
            if (rc)
                return rc;
            n = 0;
        }
    }
    return hg_mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

/* The long exchange: LONG_PAGES pages of ours for new frames. */
static const char *long_exchange(struct hg_cases *c)
{
    unsigned long done, i, bad_m2p = 0, bad_frame = 0;
    long rc;

    for (i = 0; i < LONG_PAGES; i++) {
        long_pfn[i] = mm_alloc_pfn();
        if (long_pfn[i] == INVALID_FRAME)
            return st_fail("setup: page %lu of %u not allocated", i, LONG_PAGES);
        long_in[i] = pfn_to_mfn(long_pfn[i]);
        long_out[i] = long_pfn[i];
    }
    ST_EXPECT_RC(remap_all(NULL), 0);
    rc = exchange(long_in, LONG_PAGES, 0, long_out, LONG_PAGES, 0, 0, DOMID_SELF, &done);
    hg_case(c, "1024 pages, orders 0/0", rc, 0);
    hg_case(c, "1024 pages, orders 0/0: nr_exchanged", done, LONG_PAGES);
    /* Undo: map every pfn at what it holds now (the new frame if the
     * exchange went through, the old one where it did not). */
    for (i = 0; i < LONG_PAGES; i++) {
        if (i >= done)
            long_out[i] = long_in[i];
        else if (long_out[i] == long_in[i] || mm_m2p_entry(long_out[i]) != long_pfn[i])
            bad_m2p++;
    }
    ST_EXPECT_RC(remap_all(long_out), 0);
    for (i = 0; i < LONG_PAGES; i++) {
        volatile uint64_t *p = pfn_to_virt(long_pfn[i]);

        xen_p2m_set(long_pfn[i], long_out[i]);
        p[0] = i;
        if (p[0] != i)
            bad_frame++;
        p[0] = 0;
        mm_free_pfn(long_pfn[i]);
    }
    hg_case(c, "1024 pages: new frames not ours or M2P not set", bad_m2p, 0);
    hg_case(c, "1024 pages: new frames not usable", bad_frame, 0);
    return NULL;
}

const char *hostile_exchange_huge_count(void)
{
    static struct hg_cases c;
    long max_page = hg_memory_op(XENMEM_maximum_ram_page, NULL);
    long res0 = hg_current_reservation();
    xen_pfn_t *in = hg_page(0), *out = hg_page(1);

    ST_EXPECT(max_page > 0, "setup: maximum_ram_page %ld", max_page);
    in[0] = max_page;               /* past RAM: never a frame of ours */
    exchange_case(&c, "nr 2^62, orders 0/0", -XEN_EFAULT, 0,
                  in, 1UL << 62, 0, out, 1UL << 62, 0, 0, DOMID_SELF);
    exchange_case(&c, "nr 2^60, orders 0/0, frame past RAM", -XEN_EINVAL, 0,
                  in, 1UL << 60, 0, out, 1UL << 60, 0, 0, DOMID_SELF);
    exchange_case(&c, "nr 2^60, orders 0/0, list unmapped", -XEN_EFAULT, 0,
                  HG_BAD_PTR, 1UL << 60, 0, out, 1UL << 60, 0, 0, DOMID_SELF);
    exchange_case(&c, "in 2^63 x order 1, out 0 x order 0", -XEN_EINVAL, 0,
                  in, 1UL << 63, 1, out, 0, 0, 0, DOMID_SELF);
    exchange_case(&c, "in 2^63 x order 0, out 2^62 x order 1", -XEN_EFAULT, 0,
                  in, 1UL << 63, 0, out, 1UL << 62, 1, 0, DOMID_SELF);
    exchange_case(&c, "order 19, nr 0", -XEN_EPERM, 0,
                  in, 0, 19, out, 0, 19, 0, DOMID_SELF);
    exchange_case(&c, "order 20, nr 0", -XEN_EPERM, 0,
                  in, 0, 20, out, 0, 20, 0, DOMID_SELF);
    exchange_case(&c, "in order 63, nr 1", -XEN_EPERM, 0,
                  in, 1, 63, out, 1, 0, 0, DOMID_SELF);
    exchange_case(&c, "order 10, nr 0", 0, 0, in, 0, 10, out, 0, 10, 0, DOMID_SELF);
    exchange_case(&c, "order 18, nr 0", 0, 0, in, 0, 18, out, 0, 18, 0, DOMID_SELF);
    exchange_case(&c, "nr_exchanged 2 of 1", -XEN_EINVAL, 2,
                  in, 1, 0, out, 1, 0, 2, DOMID_SELF);
    exchange_case(&c, "nr_exchanged 1 of 1", 0, 1, in, 1, 0, out, 1, 0, 1, DOMID_SELF);
    exchange_case(&c, "out domid 5", -XEN_EINVAL, 0, in, 1, 0, out, 1, 0, 0, 5);
    exchange_case(&c, "in 2 x order 0, out 1 x order 0", -XEN_EINVAL, 0,
                  in, 2, 0, out, 1, 0, 0, DOMID_SELF);
    hg_case(&c, "reservation unchanged", hg_current_reservation(), res0);
    ST_TRY(long_exchange(&c));
    hg_case(&c, "reservation unchanged after 1024", hg_current_reservation(), res0);
    return hg_cases_verdict(&c);
}
