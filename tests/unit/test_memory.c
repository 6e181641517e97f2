/* SPDX-License-Identifier: MIT */
/*
 * test_memory.c - unit tests for hypervisor/common/memory.c (memory_op),
 * XENMEM_exchange above all, over the simulated machine of host_mm.c:
 * d1 owns frames 16-47, frames 4-7 are free (the only memory an exchange
 * can take), the real frame table, allocator, flush clock and M2P.
 * Owns:    the tests.
 * Touches: nothing of the code under test.
 *
 * Each attack on exchange ends with the same check: d1's reservation is
 * whole (every frame it owns counted once, tot_pages equal to it), the
 * audit of the real mm_audit.c is clean, and every other frame is either
 * free or the hypervisor's: nothing was lost, nothing freed twice.
 */
#include <xen/memory.h>
#include "harness.h"
#include "host_mm.h"
#include "hypercall.h"
#include "arch.h"
#include "m2p.h"

#define D1_PAGES (HOST_D2_FIRST - HOST_D1_FIRST)

long do_memory_op(unsigned long cmd, uint64_t arg);

static xen_pfn_t in_list[8], out_list[8];

static struct xen_memory_exchange exch(uint64_t nr_in, unsigned int in_order,
                                       uint64_t nr_out, unsigned int out_order)
{
    struct xen_memory_exchange x = {
        .in = { .nr_extents = nr_in, .extent_order = in_order, .domid = DOMID_SELF },
        .out = { .nr_extents = nr_out, .extent_order = out_order, .domid = DOMID_SELF },
    };

    set_xen_guest_handle(x.in.extent_start, in_list);
    set_xen_guest_handle(x.out.extent_start, out_list);
    return x;
}

static long exchange(struct xen_memory_exchange *x)
{
    return do_memory_op(XENMEM_exchange, (uint64_t)x);
}

/* Frames of the machine by state: d1's, free, and nothing else moved. */
static void check_accounting(uint64_t want_d1)
{
    const struct domain *d1 = &host_dom[1];
    uint64_t owned = 0, free_frames = 0;

    for (uint64_t m = 0; m < HOST_FRAMES; m++) {
        const struct page_info *pg = &frame_table[m];
        if (pg->count && pg->owner == 1)
            owned++;
        if (page_is_free(&machine_frames, _mfn(m))) {
            ck_assert_msg(pg->count == 0, "free mfn %lu has count %u", m, pg->count);
            free_frames++;
        }
    }
    ck_assert_uint_eq(owned, want_d1);
    ck_assert_uint_eq(d1->tot_pages, want_d1);
    ck_assert_uint_eq(free_frames + owned,
                      (HOST_FREE_END - HOST_FREE_FIRST) + D1_PAGES);
    host_assert_audit_clean(d1);
}

START_TEST(exchange_one_frame)
{
    struct xen_memory_exchange x = exch(1, 0, 1, 0);

    host_machine_reset();
    in_list[0] = HOST_D1_FIRST + 3;
    out_list[0] = 0x1234;                    /* the gpfn the new frame takes */
    ck_assert_int_eq(exchange(&x), 0);
    ck_assert_uint_eq(x.nr_exchanged, 1);
    ck_assert_uint_eq(out_list[0], HOST_FREE_FIRST);
    ck_assert_uint_eq(m2p_get(_mfn(HOST_FREE_FIRST)), 0x1234);
    ck_assert_uint_eq(frame_table[HOST_FREE_FIRST].owner, 1);
    ck_assert(page_is_free(&machine_frames, _mfn(HOST_D1_FIRST + 3)));
    ck_assert_uint_eq(m2p_get(_mfn(HOST_D1_FIRST + 3)), INVALID_M2P);
    check_accounting(D1_PAGES);
}
END_TEST

/* Finding: a frame listed twice was freed twice (hypervisor BUG). */
START_TEST(exchange_duplicate_frames_refused)
{
    struct xen_memory_exchange x = exch(2, 0, 1, 1);

    host_machine_reset();
    in_list[0] = in_list[1] = HOST_D1_FIRST + 5;
    out_list[0] = 0x100;
    host_snapshot();
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    ck_assert_uint_eq(x.nr_exchanged, 0);
    host_assert_unchanged();
    host_assert_at_rest();
    /* Overlapping extents of order 1: the second takes a frame again. */
    x = exch(2, 1, 1, 2);
    in_list[0] = HOST_D1_FIRST + 8;
    in_list[1] = HOST_D1_FIRST + 9;
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    host_assert_unchanged();
    host_assert_at_rest();
}
END_TEST

/* Only a frame whose allocation reference is its only one can go. */
START_TEST(exchange_refuses_frames_in_use)
{
    struct xen_memory_exchange x = exch(1, 0, 1, 0);
    struct page_info *pg;

    host_machine_reset();
    pg = &frame_table[HOST_D1_FIRST + 2];
    ck_assert(get_page(pg, &host_dom[1]));            /* mapped somewhere */
    in_list[0] = HOST_D1_FIRST + 2;
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    put_page(pg);
    in_list[0] = HOST_D2_FIRST;                        /* d2's */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    in_list[0] = HOST_M2P_MFN;                         /* the hypervisor's */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    in_list[0] = HOST_FRAMES + 5;                      /* beyond RAM */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    host_assert_at_rest();
}
END_TEST

/*
 * Finding: the output list cannot be written (read-only or unmapped).
 * The chunk is exchanged all the same and the new frames are d1's
 * (Xen: -EFAULT, the chunk not counted in nr_exchanged); nothing leaks.
 */
START_TEST(exchange_output_unwritable_loses_nothing)
{
    struct xen_memory_exchange x = exch(1, 1, 2, 0);

    host_machine_reset();
    in_list[0] = HOST_D1_FIRST + 10;
    out_list[0] = 0x500;
    out_list[1] = 0x501;
    host_fault_lo = (uint64_t)out_list;              /* a read-only page */
    host_fault_hi = (uint64_t)(out_list + 8);
    host_fault_writes_only = true;
    ck_assert_int_eq(exchange(&x), -XEN_EFAULT);
    ck_assert_uint_eq(x.nr_exchanged, 0);
    ck_assert(page_is_free(&machine_frames, _mfn(HOST_D1_FIRST + 10)));
    ck_assert(page_is_free(&machine_frames, _mfn(HOST_D1_FIRST + 11)));
    ck_assert_uint_eq(frame_table[HOST_FREE_FIRST].owner, 1);
    ck_assert_uint_eq(frame_table[HOST_FREE_FIRST + 1].owner, 1);
    ck_assert_uint_eq(m2p_get(_mfn(HOST_FREE_FIRST)), 0x500);   /* as Xen */
    ck_assert_uint_eq(m2p_get(_mfn(HOST_FREE_FIRST + 1)), 0x501);
    ck_assert_uint_eq(out_list[0], 0x500);                      /* unwritten */
    check_accounting(D1_PAGES);
}
END_TEST

/* Out of memory in the middle: the chunk is undone, earlier ones stay. */
START_TEST(exchange_out_of_memory_undoes_the_chunk)
{
    struct xen_memory_exchange x = exch(6, 0, 6, 0);

    host_machine_reset();
    for (unsigned int i = 0; i < 6; i++) {
        in_list[i] = HOST_D1_FIRST + 20 + i;
        out_list[i] = 0x200 + i;
    }
    /* Four free frames do for six chunks: each frees its input first. */
    ck_assert_int_eq(exchange(&x), 0);
    ck_assert_uint_eq(x.nr_exchanged, 6);
    check_accounting(D1_PAGES);
    /* Order 2 with every free frame taken by order-2 alignment: ENOMEM. */
    x = exch(4, 0, 1, 2);
    for (unsigned int i = 0; i < 4; i++)
        in_list[i] = HOST_D1_FIRST + i;
    for (uint64_t m = HOST_FREE_FIRST; m < HOST_FREE_END; m++)
        if (page_is_free(&machine_frames, _mfn(m)))
            ck_assert(mfn_valid_val(frame_alloc(1, 1)));
    host_snapshot();
    ck_assert_int_eq(exchange(&x), -XEN_ENOMEM);
    ck_assert_uint_eq(x.nr_exchanged, 0);
    host_assert_unchanged();
}
END_TEST

/* Counts: Xen's order of checks, no overflow, no hang. */
START_TEST(exchange_counts_checked_without_overflow)
{
    struct xen_memory_exchange x;

    host_machine_reset();
    host_snapshot();
    x = exch(1, 10, 1, 10);
    ck_assert_int_eq(exchange(&x), -XEN_EPERM);          /* d1: order > 9 */
    x = exch(1UL << 63, 1, 0, 0);                          /* << overflows */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    x = exch(1UL << 62, 2, 1UL << 62, 2);                  /* so does this */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    x = exch(2, 0, 1, 0);                                  /* sizes differ */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    x = exch(1, 0, 1, 0);
    x.nr_exchanged = 2;                                    /* past the end */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    x = exch(1UL << 62, 0, 1UL << 62, 0);                  /* 2^65 bytes */
    ck_assert_int_eq(exchange(&x), -XEN_EFAULT);
    x = exch(4, 0, 1, 2);
    x.nr_exchanged = 1;                                    /* inside a chunk */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    x = exch(1, 0, 1, 0);
    x.in.domid = 1;
    x.out.domid = 2;                                       /* domids differ */
    ck_assert_int_eq(exchange(&x), -XEN_EINVAL);
    x = exch(1, 0, 1, 0);
    x.in.domid = x.out.domid = 2;                          /* not privileged */
    in_list[0] = HOST_D2_FIRST;
    ck_assert_int_eq(exchange(&x), -XEN_EPERM);
    x = exch(1, 0, 1, 0);
    x.nr_exchanged = 1;                                    /* all done */
    ck_assert_int_eq(exchange(&x), 0);
    host_set_current(0);                 /* dom0: orders up to 18, as Xen */
    x = exch(0, 18, 0, 18);
    ck_assert_int_eq(exchange(&x), 0);
    x = exch(0, 19, 0, 0);
    ck_assert_int_eq(exchange(&x), -XEN_EPERM);
    host_set_current(1);
    host_assert_unchanged();
    host_assert_at_rest();
}
END_TEST

/* A list that faults part way: the chunks before it stay exchanged. */
START_TEST(exchange_input_fault_keeps_earlier_chunks)
{
    struct xen_memory_exchange x = exch(3, 0, 3, 0);

    host_machine_reset();
    for (unsigned int i = 0; i < 3; i++) {
        in_list[i] = HOST_D1_FIRST + i;
        out_list[i] = 0x300 + i;
    }
    host_fault_lo = (uint64_t)&in_list[2];
    host_fault_hi = (uint64_t)&in_list[3];
    ck_assert_int_eq(exchange(&x), -XEN_EFAULT);
    ck_assert_uint_eq(x.nr_exchanged, 2);
    check_accounting(D1_PAGES);
}
END_TEST

/* Finding: freed frames come back first-fit; a stale TLB entry must not. */
START_TEST(exchange_flushes_before_reusing_a_mapped_frame)
{
    struct xen_memory_exchange x = exch(1, 0, 1, 0);
    struct page_info *pg;

    host_machine_reset();
    pg = &frame_table[HOST_D1_FIRST + 1];
    ck_assert_int_eq(get_page_and_type(pg, &host_dom[1], PGT_writable_page), 0);
    put_page_and_type(pg);                 /* a writable mapping, no flush */
    in_list[0] = HOST_D1_FIRST + 1;
    out_list[0] = 7;
    ck_assert_int_eq(exchange(&x), 0);     /* frees it; takes frame 4 */
    ck_assert_uint_eq(host_ev.tlb_flushes, 0);
    for (uint64_t m = HOST_FREE_FIRST + 1; m < HOST_FREE_END; m++)
        ck_assert(mfn_valid_val(frame_alloc(1, 1)));
    ck_assert_uint_eq(host_ev.tlb_flushes, 0);
    ck_assert_uint_eq(mfn_x(frame_alloc(1, 1)), HOST_D1_FIRST + 1);
    ck_assert_uint_eq(host_ev.tlb_flushes, 1);
}
END_TEST

/*
 * populate_physmap whose list cannot be written back: the frame goes back
 * to the allocator (pvisor does not leak it into the domain, as Xen does),
 * and its M2P entry with it.
 */
START_TEST(populate_unwritable_list_returns_the_frame)
{
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    host_machine_reset();
    host_dom[1].max_pages = UINT32_MAX;
    in_list[0] = 0x4321;
    set_xen_guest_handle(r.extent_start, in_list);
    host_fault_lo = (uint64_t)in_list;               /* readable, not writable */
    host_fault_hi = (uint64_t)(in_list + 1);
    host_fault_writes_only = true;
    ck_assert_int_eq(do_memory_op(XENMEM_populate_physmap, (uint64_t)&r), 0);
    ck_assert(page_is_free(&machine_frames, _mfn(HOST_FREE_FIRST)));
    ck_assert_uint_eq(m2p_get(_mfn(HOST_FREE_FIRST)), INVALID_M2P);
    check_accounting(D1_PAGES);
}
END_TEST

static Suite *memory_suite(void)
{
    Suite *s = suite_create("memory");
    TCase *tc = tcase_create("exchange");

    tcase_add_test(tc, exchange_one_frame);
    tcase_add_test(tc, exchange_duplicate_frames_refused);
    tcase_add_test(tc, exchange_refuses_frames_in_use);
    tcase_add_test(tc, exchange_output_unwritable_loses_nothing);
    tcase_add_test(tc, exchange_out_of_memory_undoes_the_chunk);
    tcase_add_test(tc, exchange_counts_checked_without_overflow);
    tcase_add_test(tc, exchange_input_fault_keeps_earlier_chunks);
    tcase_add_test(tc, exchange_flushes_before_reusing_a_mapped_frame);
    tcase_add_test(tc, populate_unwritable_list_returns_the_frame);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(memory_suite());
}
