/* SPDX-License-Identifier: MIT */
/*
 * test_frame.c - unit tests for hypervisor/common/frame.c, the frame
 * table's reference and type-count rules, over a simulated frame table.
 * Owns:    the tests and the stand-in validator: arch_validate_page() of a
 *          level-N table takes a level-(N-1) type reference on the frame
 *          this test says it points at (child_of[]), as the real one does
 *          for each present entry, and can be told to fail; the stand-in
 *          arch_flush_tlbs(), which reports to the real flush clock
 *          (common/tlbflush.c, compiled in) as flushtlb.c does.
 * Every test ends by checking that counts are back where they started.
 * The flush-discipline tests (invariant 5, the rules at the head of
 * frame.c) count the flushes the frame table asks for.
 */
#include <xen/errno.h>
#include "arch.h"
#include "frame.h"
#include "harness.h"
#include "page_alloc.h"
#include "sched.h"
#include "tlbflush.h"

#define FRAMES 64
#define NONE   (~0UL)

extern struct page_allocator machine_frames;

static struct page_info table[FRAMES];
static uint64_t bitmap[(FRAMES + 63) / 64];
static struct domain d1, d2;
static uint64_t child_of[FRAMES];      /* what a table frame "points at"   */
static int validate_rc;                 /* next validation's result         */
static unsigned int validations, devalidations, flushes;

int arch_validate_page(struct page_info *pg, enum page_type t)
{
    uint64_t child = child_of[page_to_mfn(pg).m];
    int rc;

    validations++;
    if (validate_rc)
        return validate_rc;
    if (t == PGT_l1_page_table || t > PGT_l4_page_table || child == NONE)
        return 0;
    rc = get_page_and_type(&frame_table[child], &d1, (enum page_type)(t - 1));
    return rc;
}

void arch_devalidate_page(struct page_info *pg, enum page_type t)
{
    uint64_t child = child_of[page_to_mfn(pg).m];

    devalidations++;
    if (t != PGT_l1_page_table && t <= PGT_l4_page_table && child != NONE)
        put_page_and_type(&frame_table[child]);
}

/* Which frames put_page() asked to scrub, in order. */
static uint64_t scrubbed[FRAMES];
static unsigned int nr_scrubbed;

void arch_scrub_frame(mfn_t mfn)
{
    scrubbed[nr_scrubbed++ % FRAMES] = mfn.m;
}

/* put_page() forgets a freed frame's M2P entry; the last one is kept. */
static uint64_t m2p_cleared = ~0UL;

void arch_set_m2p(mfn_t mfn, uint64_t pfn)
{
    if (pfn == INVALID_M2P)
        m2p_cleared = mfn.m;
}

/* tlbflush.c's counter dump prints; nothing here reads it. */
void printk(const char *fmt, ...)
{
    (void)fmt;
}

struct domain *domain_by_id(domid_t id)
{
    return id == 1 ? &d1 : id == 2 ? &d2 : NULL;
}

/* domain.c: a zombie's last frame (no zombies here). */
void domain_frame_freed(struct domain *d)
{
    (void)d;
}

void arch_flush_tlbs(void)
{
    uint32_t t = tlbflush_begin();

    flushes++;
    tlbflush_end(t);
}

static void setup(void)
{
    memset(table, 0, sizeof(table));
    frame_table = table;
    max_page = FRAMES;
    page_alloc_init(&machine_frames, bitmap, FRAMES);   /* all in use */
    for (unsigned int m = 0; m < FRAMES; m++) {
        table[m].owner = DOMID_XEN;
        child_of[m] = NONE;
    }
    memset(&d1, 0, sizeof(d1));
    memset(&d2, 0, sizeof(d2));
    d1.domain_id = 1;
    d2.domain_id = 2;
    validate_rc = 0;
    arch_flush_tlbs();                  /* every earlier use covered */
    validations = devalidations = flushes = nr_scrubbed = 0;
    m2p_cleared = ~0UL;
    memset(&tlbflush_stats, 0, sizeof(tlbflush_stats));
    harness_log_reset();
    for (unsigned int m = 0; m < 16; m++)
        frame_assign(&table[m], &d1, false);
    for (unsigned int m = 16; m < 20; m++)
        frame_assign(&table[m], &d2, false);
}

/* Frames 0..15 belong to d1, 16..19 to d2, each holding only its
 * allocation reference and no type reference (.type may name the last
 * use: the flush filter compares it). */
static void check_at_rest(void)
{
    for (unsigned int m = 0; m < 20; m++) {
        ck_assert_msg(table[m].count == 1, "mfn %u count %u", m, table[m].count);
        ck_assert_msg(table[m].type_count == 0, "mfn %u type_count %u", m,
                      table[m].type_count);
        ck_assert_msg(table[m].flags == PGF_allocated, "mfn %u flags %#x", m,
                      table[m].flags);
    }
}

START_TEST(assign_sets_owner_and_allocation_reference)
{
    setup();
    ck_assert_uint_eq(table[3].owner, 1);
    ck_assert_uint_eq(table[3].count, 1);
    ck_assert(table[3].flags & PGF_allocated);
    ck_assert_uint_eq(d1.tot_pages, 16);
    ck_assert_uint_eq(frame_count_owned(1), 16);
    ck_assert_uint_eq(frame_count_owned(2), 4);
    EXPECT_BUG(frame_assign(&table[3], &d2, false));
    check_at_rest();
}
END_TEST

START_TEST(get_page_only_for_the_owner)
{
    setup();
    ck_assert(get_page(&table[0], &d1));
    ck_assert_uint_eq(table[0].count, 2);
    ck_assert(!get_page(&table[16], &d1));        /* d2's frame   */
    ck_assert(!get_page(&table[30], &d1));        /* nobody's     */
    ck_assert_int_eq(get_page_and_type(&table[16], &d1, PGT_writable_page),
                     -XEN_EINVAL);
    ck_assert_uint_eq(table[16].count, 1);
    put_page(&table[0]);
    check_at_rest();
}
END_TEST

START_TEST(last_reference_frees_the_frame)
{
    setup();
    ck_assert(!page_is_free(&machine_frames, _mfn(5)));
    ck_assert(get_page(&table[5], &d1));
    put_page(&table[5]);
    ck_assert(!page_is_free(&machine_frames, _mfn(5)));
    ck_assert_uint_eq(m2p_cleared, ~0UL);         /* referenced: M2P kept */
    put_page(&table[5]);                           /* the allocation one */
    ck_assert(page_is_free(&machine_frames, _mfn(5)));
    ck_assert_uint_eq(m2p_cleared, 5);            /* freed: M2P cleared */
    ck_assert_uint_eq(table[5].owner, DOMID_XEN);
    ck_assert_uint_eq(d1.tot_pages, 15);          /* gone from d1 too */
    ck_assert(!get_page(&table[5], &d1));
    EXPECT_BUG(put_page(&table[5]));
}
END_TEST

/*
 * A frame a live guest gives back is its own business (as Xen); one a
 * dying domain leaves, or hypervisor memory it shared, is scrubbed before
 * the allocator can hand it to anyone else.
 */
START_TEST(scrub_what_a_dying_domain_or_the_hypervisor_frees)
{
    setup();
    put_page(&table[5]);                           /* live d1 balloons out */
    ck_assert_uint_eq(nr_scrubbed, 0);
    d2.state = DOMAIN_DYING;
    put_page(&table[17]);
    ck_assert_uint_eq(nr_scrubbed, 1);
    ck_assert_uint_eq(scrubbed[0], 17);
    frame_assign(&table[30], &d1, true);           /* shared_info-like */
    put_page(&table[30]);
    ck_assert_uint_eq(nr_scrubbed, 2);
    ck_assert_uint_eq(scrubbed[1], 30);
    ck_assert(page_is_free(&machine_frames, _mfn(17)));
    ck_assert(page_is_free(&machine_frames, _mfn(30)));
}
END_TEST

START_TEST(writable_frame_cannot_become_a_table)
{
    setup();
    ck_assert_int_eq(get_page_and_type(&table[1], &d1, PGT_writable_page), 0);
    ck_assert_int_eq(get_page_and_type(&table[1], &d1, PGT_writable_page), 0);
    ck_assert_int_eq(get_page_and_type(&table[1], &d1, PGT_l1_page_table),
                     -XEN_EINVAL);
    ck_assert_uint_eq(table[1].count, 3);          /* failed get undone */
    ck_assert_uint_eq(validations, 0);
    put_page_and_type(&table[1]);
    ck_assert_int_eq(get_page_and_type(&table[1], &d1, PGT_l1_page_table),
                     -XEN_EINVAL);
    put_page_and_type(&table[1]);
    ck_assert_int_eq(get_page_and_type(&table[1], &d1, PGT_l1_page_table), 0);
    ck_assert_uint_eq(validations, 1);
    ck_assert(table[1].flags & PGF_validated);
    put_page_and_type(&table[1]);
    check_at_rest();
}
END_TEST

START_TEST(table_cannot_become_writable)
{
    setup();
    ck_assert_int_eq(get_page_and_type(&table[2], &d1, PGT_l1_page_table), 0);
    ck_assert_int_eq(get_page_and_type(&table[2], &d1, PGT_writable_page),
                     -XEN_EINVAL);
    ck_assert_int_eq(get_page_and_type(&table[2], &d1, PGT_l2_page_table),
                     -XEN_EINVAL);
    ck_assert_int_eq(get_page_and_type(&table[2], &d1, PGT_seg_desc_page),
                     -XEN_EINVAL);
    /* Another reference of the same type does not validate again. */
    ck_assert_int_eq(get_page_and_type(&table[2], &d1, PGT_l1_page_table), 0);
    ck_assert_uint_eq(validations, 1);
    put_page_and_type(&table[2]);
    ck_assert_uint_eq(devalidations, 0);
    put_page_and_type(&table[2]);
    ck_assert_uint_eq(devalidations, 1);
    ck_assert(!(table[2].flags & PGF_validated));
    check_at_rest();
}
END_TEST

START_TEST(failed_validation_leaves_no_trace)
{
    setup();
    validate_rc = -XEN_EINVAL;
    ck_assert_int_eq(get_page_and_type(&table[4], &d1, PGT_l4_page_table),
                     -XEN_EINVAL);
    ck_assert_uint_eq(table[4].type, PGT_none);
    ck_assert(!(table[4].flags & PGF_validated));
    validate_rc = 0;
    ck_assert_int_eq(get_page_and_type(&table[4], &d1, PGT_writable_page), 0);
    put_page_and_type(&table[4]);
    check_at_rest();
}
END_TEST

START_TEST(tree_references_come_and_go_with_the_root)
{
    setup();
    child_of[8] = 9;                   /* L4 8 -> L3 9 -> L2 10 -> L1 11 */
    child_of[9] = 10;
    child_of[10] = 11;
    ck_assert_int_eq(get_page_and_type(&table[8], &d1, PGT_l4_page_table), 0);
    ck_assert_uint_eq(table[11].type, PGT_l1_page_table);
    ck_assert_uint_eq(table[11].type_count, 1);
    ck_assert_uint_eq(table[11].count, 2);
    ck_assert_uint_eq(validations, 4);
    /* A table in use cannot be mapped writable, at any depth. */
    ck_assert_int_eq(get_page_and_type(&table[10], &d1, PGT_writable_page),
                     -XEN_EINVAL);
    put_page_and_type(&table[8]);
    ck_assert_uint_eq(devalidations, 4);
    check_at_rest();
}
END_TEST

START_TEST(failure_deep_in_a_tree_unwinds)
{
    setup();
    child_of[8] = 9;
    child_of[9] = 16;                  /* an L2 that is d2's frame */
    ck_assert_int_eq(get_page_and_type(&table[8], &d1, PGT_l4_page_table),
                     -XEN_EINVAL);
    check_at_rest();
}
END_TEST

/* Finding: a writable use ended without a flush, then the frame is typed. */
START_TEST(stale_writable_tlb_flushed_before_typing)
{
    setup();
    ck_assert_int_eq(get_page_and_type(&table[6], &d1, PGT_l1_page_table), 0);
    put_page_and_type(&table[6]);
    ck_assert_uint_eq(flushes, 0);     /* never used before: nothing stale */
    ck_assert_int_eq(get_page_and_type(&table[6], &d1, PGT_writable_page), 0);
    ck_assert_uint_eq(flushes, 1);     /* the L1 use may be cached in a walk */
    put_page_and_type(&table[6]);
    ck_assert_int_eq(get_page_and_type(&table[6], &d1, PGT_l1_page_table), 0);
    ck_assert_uint_eq(flushes, 2);     /* the writable use may be in a TLB */
    ck_assert_uint_eq(tlbflush_stats.reuse_retype, 2);
    put_page_and_type(&table[6]);
    check_at_rest();
}
END_TEST

/*
 * Finding: an L1 unhooked without a flush may still be walked through a
 * paging-structure cache; before it is writable, that walk must be gone.
 * And a table frame becoming a descriptor frame is as dangerous.
 */
START_TEST(table_use_flushed_before_any_other_type)
{
    setup();
    child_of[9] = 10;                  /* L2 at 9 points at L1 at 10 */
    ck_assert_int_eq(get_page_and_type(&table[9], &d1, PGT_l2_page_table), 0);
    put_page_and_type(&table[9]);      /* unhooked: both devalidate */
    ck_assert_uint_eq(flushes, 0);
    ck_assert_int_eq(get_page_and_type(&table[9], &d1, PGT_seg_desc_page), 0);
    ck_assert_uint_eq(flushes, 1);
    put_page_and_type(&table[9]);
    ck_assert_int_eq(get_page_and_type(&table[10], &d1, PGT_writable_page), 0);
    ck_assert_uint_eq(flushes, 1);     /* the L1 use ended before flush 1 */
    ck_assert_uint_eq(tlbflush_stats.covered, 1);
    put_page_and_type(&table[10]);
    child_of[9] = NONE;
    check_at_rest();
}
END_TEST

/* The last use's type again: no flush (the common path stays cheap). */
START_TEST(same_type_again_needs_no_flush)
{
    setup();
    for (unsigned int i = 0; i < 3; i++) {
        ck_assert_int_eq(get_page_and_type(&table[5], &d1, PGT_writable_page), 0);
        put_page_and_type(&table[5]);
        ck_assert_int_eq(get_page_and_type(&table[7], &d1, PGT_l1_page_table), 0);
        put_page_and_type(&table[7]);
    }
    ck_assert_uint_eq(flushes, 0);
    check_at_rest();
}
END_TEST

/* A full flush after the use ended (any CR3 load) covers it. */
START_TEST(flush_after_the_use_covers_it)
{
    setup();
    ck_assert_int_eq(get_page_and_type(&table[5], &d1, PGT_writable_page), 0);
    put_page_and_type(&table[5]);
    arch_flush_tlbs();                 /* e.g. a guest's own TLB flush */
    ck_assert_int_eq(get_page_and_type(&table[5], &d1, PGT_l1_page_table), 0);
    ck_assert_uint_eq(flushes, 1);     /* only the guest's */
    ck_assert_uint_eq(tlbflush_stats.reuse, 0);
    ck_assert_uint_eq(tlbflush_stats.covered, 1);
    put_page_and_type(&table[5]);
    check_at_rest();
}
END_TEST

/*
 * Finding: a frame freed while a TLB may still map it, then handed out
 * again. frame_alloc() must flush before returning it, once; a frame
 * freed and reallocated with no use in between costs nothing.
 */
START_TEST(freed_frame_flushed_before_reallocation)
{
    mfn_t m;

    setup();
    ck_assert_int_eq(get_page_and_type(&table[3], &d1, PGT_writable_page), 0);
    put_page_and_type(&table[3]);      /* mapping dropped, no flush */
    put_page(&table[3]);               /* the allocation reference: freed */
    ck_assert(page_is_free(&machine_frames, _mfn(3)));
    m = frame_alloc(1, 1);
    ck_assert_uint_eq(mfn_x(m), 3);
    ck_assert_uint_eq(flushes, 1);
    ck_assert_uint_eq(tlbflush_stats.reuse_alloc, 1);
    page_free(&machine_frames, m, 1);  /* never given to anyone */
    ck_assert_uint_eq(mfn_x(frame_alloc(1, 1)), 3);
    ck_assert_uint_eq(flushes, 1);     /* no use since the flush */
    frame_assign(&table[3], &d1, false);
    d1.tot_pages--;                    /* frame_assign counted it again */
    check_at_rest();
}
END_TEST

/* A read-only mapping's end is stamped too: at the free. */
START_TEST(read_only_use_stamped_at_free)
{
    setup();
    ck_assert(get_page(&table[2], &d1));   /* a read-only mapping */
    put_page(&table[2]);
    put_page(&table[2]);                   /* freed with no type ever */
    ck_assert_uint_eq(mfn_x(frame_alloc(1, 1)), 2);
    ck_assert_uint_eq(flushes, 1);
}
END_TEST

/* An extent: one flush for all its frames, if any needs it. */
START_TEST(extent_flushed_once)
{
    setup();
    for (unsigned int m = 12; m < 16; m++) {
        ck_assert_int_eq(get_page_and_type(&table[m], &d1, PGT_writable_page), 0);
        put_page_and_type(&table[m]);
        put_page(&table[m]);
    }
    ck_assert_uint_eq(mfn_x(frame_alloc(4, 4)), 12);
    ck_assert_uint_eq(flushes, 1);
}
END_TEST

/* A stamp taken while a flush is under way counts as after it. */
START_TEST(stamp_during_a_flush_is_after_it)
{
    uint32_t t, stamp;

    setup();
    t = tlbflush_begin();
    stamp = tlbflush_stamp();
    tlbflush_end(t);
    ck_assert(tlbflush_needed(stamp));
    arch_flush_tlbs();
    ck_assert(!tlbflush_needed(stamp));
}
END_TEST

/*
 * The clock wraps after 2^32 stamped flushes: every stamp goes back to 0
 * inside the wrapping flush, so nothing before it needs a flush and
 * everything after it still does.
 */
START_TEST(clock_wrap_resets_every_stamp)
{
    setup();
    tlbflush_clock = UINT32_MAX - 1;
    ck_assert_int_eq(get_page_and_type(&table[4], &d1, PGT_writable_page), 0);
    put_page_and_type(&table[4]);          /* stamped UINT32_MAX - 1 */
    arch_flush_tlbs();                     /* clock UINT32_MAX */
    ck_assert_uint_eq(tlbflush_clock, UINT32_MAX);
    ck_assert_int_eq(get_page_and_type(&table[8], &d1, PGT_writable_page), 0);
    put_page_and_type(&table[8]);          /* stamped UINT32_MAX */
    ck_assert(tlbflush_needed(table[8].tlbflush_timestamp));
    arch_flush_tlbs();                     /* the wrap */
    ck_assert_uint_lt(tlbflush_clock, 4);
    ck_assert_uint_eq(table[4].tlbflush_timestamp, 0);
    ck_assert_uint_eq(table[8].tlbflush_timestamp, 0);
    ck_assert_int_eq(get_page_and_type(&table[8], &d1, PGT_l1_page_table), 0);
    put_page_and_type(&table[8]);          /* stamped after the wrap */
    ck_assert_uint_eq(flushes, 2);         /* the two above, no retype flush */
    ck_assert_int_eq(get_page_and_type(&table[8], &d1, PGT_writable_page), 0);
    ck_assert_uint_eq(flushes, 3);         /* the L1 use is after the wrap */
    put_page_and_type(&table[8]);
    check_at_rest();
}
END_TEST

START_TEST(count_misuse_is_a_bug)
{
    setup();
    EXPECT_BUG(put_page_type(&table[7]));
    ck_assert_int_eq(get_page_and_type(&table[7], &d1, PGT_writable_page), 0);
    put_page(&table[7]);               /* the allocation reference     */
    EXPECT_BUG(put_page(&table[7]));   /* freed while still typed      */
}
END_TEST

static Suite *frame_suite(void)
{
    Suite *s = suite_create("frame");
    TCase *tc = tcase_create("rules");

    tcase_add_test(tc, assign_sets_owner_and_allocation_reference);
    tcase_add_test(tc, get_page_only_for_the_owner);
    tcase_add_test(tc, last_reference_frees_the_frame);
    tcase_add_test(tc, scrub_what_a_dying_domain_or_the_hypervisor_frees);
    tcase_add_test(tc, writable_frame_cannot_become_a_table);
    tcase_add_test(tc, table_cannot_become_writable);
    tcase_add_test(tc, failed_validation_leaves_no_trace);
    tcase_add_test(tc, tree_references_come_and_go_with_the_root);
    tcase_add_test(tc, failure_deep_in_a_tree_unwinds);
    tcase_add_test(tc, stale_writable_tlb_flushed_before_typing);
    tcase_add_test(tc, table_use_flushed_before_any_other_type);
    tcase_add_test(tc, same_type_again_needs_no_flush);
    tcase_add_test(tc, flush_after_the_use_covers_it);
    tcase_add_test(tc, freed_frame_flushed_before_reallocation);
    tcase_add_test(tc, read_only_use_stamped_at_free);
    tcase_add_test(tc, extent_flushed_once);
    tcase_add_test(tc, stamp_during_a_flush_is_after_it);
    tcase_add_test(tc, clock_wrap_resets_every_stamp);
    tcase_add_test(tc, count_misuse_is_a_bug);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(frame_suite());
}
