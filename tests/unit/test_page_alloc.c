/* SPDX-License-Identifier: MIT */
/*
 * test_page_alloc.c - unit tests for hypervisor/common/page_alloc.c.
 * Owns:    the tests: init, add and reserve (partial frames, overlaps,
 *          clamping), allocation until empty, contiguous allocation with
 *          alignment, the longest free run, free, double free and
 *          out-of-range free (BUG_ON).
 *          After every mutation nr_free is checked against a recount of
 *          the bitmap, and low_free (where first fit starts) against the
 *          bitmap: every frame below it must be allocated. A random run
 *          checks first fit against a model that scans from frame 0.
 */
#include "harness.h"
#include "page_alloc.h"

#define FRAMES 200                      /* not a multiple of 64 on purpose */
#define WORDS ((FRAMES + 63) / 64)
#define PA(mfn) ((uint64_t)(mfn) << PAGE_SHIFT)

static uint64_t bitmap[WORDS + 1];      /* one spare word: must stay put */
#define SENTINEL 0x5a5a5a5a5a5a5a5aULL
static struct page_allocator pa;

static uint64_t recount(void)
{
    uint64_t n = 0;

    for (uint64_t m = 0; m < pa.max_mfn; m++)
        n += page_is_free(&pa, _mfn(m));
    return n;
}

static void check_count(void)
{
    ck_assert_uint_eq(pa.nr_free, recount());
    ck_assert_msg(bitmap[WORDS] == SENTINEL, "wrote past the bitmap");
    for (uint64_t m = 0; m < pa.low_free && m < pa.max_mfn; m++)
        ck_assert_msg(!page_is_free(&pa, _mfn(m)),
                      "mfn %lu is free, below low_free %lu", m, pa.low_free);
}

static void setup_empty(void)
{
    memset(bitmap, 0xff, sizeof(bitmap));
    bitmap[WORDS] = SENTINEL;
    page_alloc_init(&pa, bitmap, FRAMES);
    harness_log_reset();
}

static void setup_all_free(void)
{
    setup_empty();
    page_alloc_add_range(&pa, 0, PA(FRAMES));
}

START_TEST(init_allocates_everything)
{
    setup_empty();
    ck_assert_uint_eq(pa.nr_free, 0);
    ck_assert_uint_eq(pa.max_mfn, FRAMES);
    for (uint64_t m = 0; m < FRAMES; m++)
        ck_assert(!page_is_free(&pa, _mfn(m)));
    ck_assert(mfn_eq(page_alloc_contig(&pa, 1, 1), INVALID_MFN));
    check_count();
}
END_TEST

START_TEST(add_range_whole_frames_only)
{
    setup_empty();
    /* [0x1800, 0x5000): frame 1 is partial, frames 2..4 are whole. */
    page_alloc_add_range(&pa, 0x1800, 0x5000);
    ck_assert(!page_is_free(&pa, _mfn(1)));
    ck_assert(page_is_free(&pa, _mfn(2)));
    ck_assert(page_is_free(&pa, _mfn(4)));
    ck_assert(!page_is_free(&pa, _mfn(5)));
    ck_assert_uint_eq(pa.nr_free, 3);
    /* A range within one frame frees nothing; an empty one neither. */
    page_alloc_add_range(&pa, 0x10100, 0x10f00);
    page_alloc_add_range(&pa, 0x20000, 0x20000);
    page_alloc_add_range(&pa, 0x30000, 0x20000);
    ck_assert_uint_eq(pa.nr_free, 3);
    check_count();
}
END_TEST

START_TEST(add_range_overlap_counts_once_and_clamps)
{
    setup_empty();
    page_alloc_add_range(&pa, PA(10), PA(20));
    page_alloc_add_range(&pa, PA(15), PA(30));
    ck_assert_uint_eq(pa.nr_free, 20);
    page_alloc_add_range(&pa, PA(190), PA(100000));  /* beyond max_mfn */
    ck_assert_uint_eq(pa.nr_free, 30);
    ck_assert(!page_is_free(&pa, _mfn(FRAMES)));
    page_alloc_add_range(&pa, UINT64_MAX - 10, UINT64_MAX);  /* no wrap */
    ck_assert_uint_eq(pa.nr_free, 30);
    check_count();
}
END_TEST

START_TEST(reserve_range_touching_frames)
{
    setup_all_free();
    ck_assert_uint_eq(pa.nr_free, FRAMES);
    /* [0x1fff, 0x3001) touches frames 1, 2, 3. */
    page_alloc_reserve_range(&pa, 0x1fff, 0x3001);
    ck_assert(page_is_free(&pa, _mfn(0)));
    ck_assert(!page_is_free(&pa, _mfn(1)));
    ck_assert(!page_is_free(&pa, _mfn(3)));
    ck_assert(page_is_free(&pa, _mfn(4)));
    ck_assert_uint_eq(pa.nr_free, FRAMES - 3);
    page_alloc_reserve_range(&pa, 0x2000, 0x2001);   /* again: no change */
    ck_assert_uint_eq(pa.nr_free, FRAMES - 3);
    page_alloc_reserve_range(&pa, PA(199), UINT64_MAX);  /* clamps, no wrap */
    ck_assert_uint_eq(pa.nr_free, FRAMES - 4);
    page_alloc_reserve_range(&pa, PA(50), PA(50));   /* empty */
    ck_assert_uint_eq(pa.nr_free, FRAMES - 4);
    check_count();
}
END_TEST

START_TEST(alloc_until_empty_then_invalid)
{
    bool seen[FRAMES] = { false };

    setup_all_free();
    page_alloc_reserve_range(&pa, PA(100), PA(110));
    for (unsigned int i = 0; i < FRAMES - 10; i++) {
        mfn_t m = page_alloc_contig(&pa, 1, 1);

        ck_assert(mfn_valid_val(m));
        ck_assert_uint_lt(mfn_x(m), FRAMES);
        ck_assert_msg(mfn_x(m) < 100 || mfn_x(m) >= 110, "reserved handed out");
        ck_assert_msg(!seen[mfn_x(m)], "mfn %lu twice", mfn_x(m));
        seen[mfn_x(m)] = true;
        ck_assert(!page_is_free(&pa, m));
    }
    ck_assert_uint_eq(pa.nr_free, 0);
    ck_assert(mfn_eq(page_alloc_contig(&pa, 1, 1), INVALID_MFN));
    check_count();
}
END_TEST

/* First fit: the lowest free frame goes first, a freed one comes back. */
START_TEST(alloc_takes_the_lowest_free_frame)
{
    setup_all_free();
    for (unsigned int i = 0; i < FRAMES; i++)
        ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 1, 1)), i);
    page_free(&pa, _mfn(10), 1);
    page_free(&pa, _mfn(3), 1);
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 1, 1)), 3);
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 1, 1)), 10);
    ck_assert(mfn_eq(page_alloc_contig(&pa, 1, 1), INVALID_MFN));
    check_count();
}
END_TEST

START_TEST(contig_alignment_and_first_fit)
{
    mfn_t m;

    setup_all_free();
    page_alloc_reserve_range(&pa, PA(1), PA(2));     /* frame 1 taken */
    m = page_alloc_contig(&pa, 4, 1);
    ck_assert_uint_eq(mfn_x(m), 2);                  /* 0 alone is too small */
    m = page_alloc_contig(&pa, 3, 16);
    ck_assert_uint_eq(mfn_x(m), 16);
    m = page_alloc_contig(&pa, 1, 1);
    ck_assert_uint_eq(mfn_x(m), 0);
    m = page_alloc_contig(&pa, 64, 64);
    ck_assert_uint_eq(mfn_x(m), 64);
    for (uint64_t i = 64; i < 128; i++)
        ck_assert(!page_is_free(&pa, _mfn(i)));
    ck_assert_uint_eq(pa.nr_free, FRAMES - 1 - 4 - 3 - 1 - 64);
    check_count();
}
END_TEST

START_TEST(contig_spanning_words_and_failures)
{
    setup_all_free();
    page_alloc_reserve_range(&pa, PA(60), PA(61));
    /* 100 frames from 61: crosses the 64 and 128 word boundaries. */
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 100, 1)), 61);
    ck_assert(mfn_eq(page_alloc_contig(&pa, 61, 1), INVALID_MFN));
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 60, 4)), 0);
    ck_assert(mfn_eq(page_alloc_contig(&pa, 40, 1), INVALID_MFN)); /* 39 left */
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 39, 1)), 161);
    ck_assert(mfn_eq(page_alloc_contig(&pa, 1, 1), INVALID_MFN));
    ck_assert_uint_eq(pa.nr_free, 0);
    check_count();
}
END_TEST

START_TEST(contig_degenerate_requests)
{
    setup_all_free();
    ck_assert(mfn_eq(page_alloc_contig(&pa, 0, 1), INVALID_MFN));
    ck_assert(mfn_eq(page_alloc_contig(&pa, FRAMES + 1, 1), INVALID_MFN));
    ck_assert(mfn_eq(page_alloc_contig(&pa, UINT64_MAX, 1), INVALID_MFN));
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 1, 1ULL << 63)), 0);
    /* Frame 0 is now gone: no other multiple of 256 or 2^63 below 200. */
    ck_assert(mfn_eq(page_alloc_contig(&pa, 1, 256), INVALID_MFN));
    ck_assert(mfn_eq(page_alloc_contig(&pa, 1, 1ULL << 63), INVALID_MFN));
    ck_assert_uint_eq(pa.nr_free, FRAMES - 1);
    check_count();
}
END_TEST

/* The longest free run: what the largest page_alloc_contig() can take. */
START_TEST(largest_run)
{
    setup_empty();
    ck_assert_uint_eq(page_alloc_largest_run(&pa), 0);
    page_alloc_add_range(&pa, PA(3), PA(5));                /* 2 frames */
    ck_assert_uint_eq(page_alloc_largest_run(&pa), 2);
    page_alloc_add_range(&pa, PA(60), PA(130));             /* across words */
    page_alloc_add_range(&pa, PA(131), PA(FRAMES));         /* to the end */
    ck_assert_uint_eq(page_alloc_largest_run(&pa), 70);
    ck_assert(mfn_eq(page_alloc_contig(&pa, 71, 1), INVALID_MFN));
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 70, 1)), 60);
    ck_assert_uint_eq(page_alloc_largest_run(&pa), FRAMES - 131);
    page_alloc_add_range(&pa, PA(0), PA(FRAMES));
    ck_assert_uint_eq(page_alloc_largest_run(&pa), FRAMES);
    check_count();
}
END_TEST

static uint64_t lowest_free(void)
{
    uint64_t m = 0;

    while (m < FRAMES && !page_is_free(&pa, _mfn(m)))
        m++;
    return m;
}

/*
 * As at boot: RAM added, then the low frames taken back (the image, the
 * modules). After an allocation low_free is the lowest free frame, so
 * the next one does not walk the bitmap from frame 0 again (it did, and
 * a domain builder's 2,048 one-frame allocations each paid for every
 * frame in use).
 */
START_TEST(low_free_leaves_reserved_frames_behind)
{
    setup_all_free();
    page_alloc_reserve_range(&pa, 0, PA(130));
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 1, 1)), 130);
    ck_assert_uint_eq(pa.low_free, 131);
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 1, 1)), 131);
    ck_assert_uint_eq(pa.low_free, 132);
    page_free(&pa, _mfn(130), 1);
    ck_assert_uint_eq(pa.low_free, 130);
    check_count();
}
END_TEST

/* The model: first fit scanning from frame 0, on a byte per frame. */
static bool model_free[FRAMES];

static uint64_t model_alloc(uint64_t nr, uint64_t align)
{
    for (uint64_t m = 0; m + nr <= FRAMES; m += align) {
        uint64_t i = 0;

        while (i < nr && model_free[m + i])
            i++;
        if (i == nr) {
            memset(&model_free[m], 0, nr);
            return m;
        }
    }
    return ~0ULL;
}

START_TEST(contig_matches_first_fit_from_zero)
{
    static const uint64_t sizes[] = { 1, 1, 1, 2, 3, 8, 17, 64 };
    uint64_t seed = 12345, held[64][2], nheld = 0;

    setup_all_free();
    memset(model_free, 1, sizeof(model_free));
    for (int round = 0; round < 5000; round++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t r = seed >> 33;

        if (nheld > 0 && (r % 3 == 0 || nheld == 64)) {
            uint64_t k = (r >> 8) % nheld;

            page_free(&pa, _mfn(held[k][0]), held[k][1]);
            memset(&model_free[held[k][0]], 1, held[k][1]);
            held[k][0] = held[nheld - 1][0];
            held[k][1] = held[--nheld][1];
        } else {
            uint64_t nr = sizes[(r >> 4) % 8], align = 1ULL << ((r >> 12) % 4);
            mfn_t got = page_alloc_contig(&pa, nr, align);
            uint64_t want = model_alloc(nr, align);

            ck_assert_uint_eq(mfn_eq(got, INVALID_MFN) ? ~0ULL : mfn_x(got),
                              want);
            ck_assert_uint_eq(pa.low_free, lowest_free());
            if (want != ~0ULL) {
                held[nheld][0] = want;
                held[nheld++][1] = nr;
            }
        }
        check_count();
    }
}
END_TEST

START_TEST(contig_bad_alignment_is_a_bug)
{
    setup_all_free();
    EXPECT_BUG(page_alloc_contig(&pa, 1, 3));
    ck_assert(strstr(harness_bug_msg, "power of two"));
    EXPECT_BUG(page_alloc_contig(&pa, 1, 0));
}
END_TEST

START_TEST(free_returns_frames)
{
    mfn_t m;

    setup_all_free();
    m = page_alloc_contig(&pa, 10, 1);
    ck_assert_uint_eq(pa.nr_free, FRAMES - 10);
    page_free(&pa, m, 10);
    ck_assert_uint_eq(pa.nr_free, FRAMES);
    ck_assert(page_is_free(&pa, _mfn(9)));
    page_free(&pa, _mfn(5), 0);                      /* nothing: no bug */
    check_count();
}
END_TEST

START_TEST(double_free_is_a_bug)
{
    mfn_t m;

    setup_all_free();
    m = page_alloc_contig(&pa, 1, 1);
    page_free(&pa, m, 1);
    EXPECT_BUG(page_free(&pa, m, 1));
    ck_assert(strstr(harness_bug_msg, "double free"));
    ck_assert_uint_eq(pa.nr_free, FRAMES);
    check_count();
}
END_TEST

/* A free of several frames with one already free changes nothing. */
START_TEST(partial_double_free_is_a_bug_and_atomic)
{
    setup_all_free();
    ck_assert_uint_eq(mfn_x(page_alloc_contig(&pa, 8, 1)), 0);
    page_free(&pa, _mfn(5), 1);
    EXPECT_BUG(page_free(&pa, _mfn(0), 8));
    ck_assert(strstr(harness_bug_msg, "mfn 0x5"));
    ck_assert(!page_is_free(&pa, _mfn(0)));
    ck_assert_uint_eq(pa.nr_free, FRAMES - 7);
    check_count();
}
END_TEST

START_TEST(out_of_range_free_is_a_bug)
{
    setup_empty();
    EXPECT_BUG(page_free(&pa, _mfn(FRAMES), 1));
    EXPECT_BUG(page_free(&pa, _mfn(FRAMES - 1), 2));
    EXPECT_BUG(page_free(&pa, _mfn(5), UINT64_MAX));      /* would wrap */
    EXPECT_BUG(page_free(&pa, INVALID_MFN, 1));
    ck_assert(strstr(harness_bug_msg, "beyond max_mfn"));
    ck_assert_uint_eq(pa.nr_free, 0);
    check_count();
}
END_TEST

START_TEST(is_free_out_of_range)
{
    setup_all_free();
    ck_assert(page_is_free(&pa, _mfn(FRAMES - 1)));
    ck_assert(!page_is_free(&pa, _mfn(FRAMES)));
    ck_assert(!page_is_free(&pa, INVALID_MFN));
}
END_TEST

START_TEST(zero_frames)
{
    page_alloc_init(&pa, bitmap, 0);
    page_alloc_add_range(&pa, 0, PA(10));
    ck_assert_uint_eq(pa.nr_free, 0);
    ck_assert(mfn_eq(page_alloc_contig(&pa, 1, 1), INVALID_MFN));
}
END_TEST

static Suite *page_alloc_suite(void)
{
    Suite *s = suite_create("page_alloc");
    TCase *ranges = tcase_create("ranges"), *alloc = tcase_create("alloc");
    TCase *free_tc = tcase_create("free");

    tcase_add_test(ranges, init_allocates_everything);
    tcase_add_test(ranges, add_range_whole_frames_only);
    tcase_add_test(ranges, add_range_overlap_counts_once_and_clamps);
    tcase_add_test(ranges, reserve_range_touching_frames);
    tcase_add_test(ranges, zero_frames);
    tcase_add_test(alloc, alloc_until_empty_then_invalid);
    tcase_add_test(alloc, alloc_takes_the_lowest_free_frame);
    tcase_add_test(alloc, contig_alignment_and_first_fit);
    tcase_add_test(alloc, contig_spanning_words_and_failures);
    tcase_add_test(alloc, contig_degenerate_requests);
    tcase_add_test(alloc, contig_matches_first_fit_from_zero);
    tcase_add_test(alloc, low_free_leaves_reserved_frames_behind);
    tcase_add_test(alloc, contig_bad_alignment_is_a_bug);
    tcase_add_test(alloc, largest_run);
    tcase_add_test(free_tc, free_returns_frames);
    tcase_add_test(free_tc, double_free_is_a_bug);
    tcase_add_test(free_tc, partial_double_free_is_a_bug_and_atomic);
    tcase_add_test(free_tc, out_of_range_free_is_a_bug);
    tcase_add_test(free_tc, is_free_out_of_range);
    suite_add_tcase(s, ranges);
    suite_add_tcase(s, alloc);
    suite_add_tcase(s, free_tc);
    return s;
}

int main(void)
{
    return harness_main(page_alloc_suite());
}
