/* SPDX-License-Identifier: MIT */
/*
 * test_gk_page_alloc.c - pvkernel's page allocator (guest-kernel/kernel/
 *                        page_alloc.c) and heap (kmalloc.c) on the host:
 *                        runs of contiguous pages and the heap's blocks
 *                        larger than a page (kernel stacks, descriptor
 *                        tables, region arrays).
 * Owns:    a pool of host pages standing for the domain's RAM (pfn N is
 *          pool page N, so "contiguous in pfn_to_virt()" holds), and a
 *          model of first fit that mm_alloc_pfns() is checked against.
 * Touches: page_alloc.c and kmalloc.c compiled as they are; printk,
 *          panic, pfn_to_virt and virt_to_pfn defined here.
 */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel.h>
#include <mm.h>
#include <vfs.h>

#include "check_runner.h"

#define POOL 1000               /* not a multiple of 64: a partial last word */
#define PG   4096UL

static uint8_t (*pool)[PG];

void printk(const char *fmt, ...)
{
    va_list ap;

    if (!getenv("PVISOR_TEST_VERBOSE"))
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    (void)fmt;
    abort();
}

void *pfn_to_virt(uint64_t pfn) { return pfn < POOL ? pool[pfn] : NULL; }

uint64_t virt_to_pfn(const void *va)
{
    uintptr_t off = (uintptr_t)va - (uintptr_t)pool;

    return off < POOL * PG ? off / PG : INVALID_FRAME;
}

/* The model: which pfns are taken, as the test took and gave them. */
static uint8_t taken[POOL];

static void reset(uint64_t first_free)
{
    if (!pool)
        pool = aligned_alloc(PG, POOL * PG);
    /* A fresh allocator: every pfn in use until released. */
    for (uint64_t i = 0; i < POOL; i++)
        if (page_alloc_is_free(i))
            page_alloc_claim(i);
    page_alloc_init(POOL);
    page_alloc_release(first_free, POOL);
    memset(taken, 0, sizeof(taken));
    memset(taken, 1, first_free);
    memset(pool, 0xa5, POOL * PG);      /* dirty: handed out zeroed */
}

static uint64_t model_first_fit(unsigned int n)
{
    for (uint64_t p = 0; p + n <= POOL; p++) {
        unsigned int k;

        for (k = 0; k < n && !taken[p + k]; k++)
            ;
        if (k == n)
            return p;
    }
    return INVALID_FRAME;
}

static bool zeroed(uint64_t pfn, unsigned int n)
{
    for (uint64_t i = 0; i < n * PG; i++)
        if (pool[pfn][i])
            return false;
    return true;
}

START_TEST(runs_first_fit)
{
    uint64_t pfn;

    reset(0);
    ck_assert_uint_eq(mm_alloc_pfns(4), 0);
    ck_assert_uint_eq(mm_alloc_pfns(4), 4);
    ck_assert(zeroed(0, 8));
    ck_assert_uint_eq(mm_free_pfns(), POOL - 8);
    /* A hole of 3 does not hold 4; one of 4 does, first. */
    mm_free_pfns_run(1, 3);
    ck_assert_uint_eq(mm_alloc_pfns(4), 8);
    mm_free_pfns_run(4, 4);
    ck_assert_uint_eq(mm_alloc_pfns(4), 1);     /* 1..4 */
    /* Whole words in use are skipped; a run may cross a word's end. */
    reset(130);
    ck_assert_uint_eq(mm_alloc_pfns(64), 130);
    pfn = mm_alloc_pfns(5);
    ck_assert_uint_eq(pfn, 194);
    /* A full word between two free pieces breaks a run: 62, 63 and
     * 128.. are free, 64..127 not. */
    reset(0);
    for (uint64_t i = 0; i < POOL; i++)
        if (i != 62 && i != 63 && (i < 128 || i > 131))
            ck_assert(page_alloc_claim(i));
    ck_assert_uint_eq(mm_alloc_pfns(4), 128);
    ck_assert_uint_eq(mm_alloc_pfns(2), 62);
    /* The end of RAM (a partial word): a run fits up to the last pfn. */
    reset(POOL - 7);
    ck_assert_uint_eq(mm_alloc_pfns(7), POOL - 7);
    ck_assert_uint_eq(mm_alloc_pfns(1), INVALID_FRAME);
}
END_TEST

START_TEST(runs_refused)
{
    uint64_t free0;

    reset(0);
    ck_assert_uint_eq(mm_alloc_pfns(0), INVALID_FRAME);
    ck_assert_uint_eq(mm_alloc_pfns(POOL + 1), INVALID_FRAME);
    /* Every other pfn taken: plenty free, no run of 2. */
    for (uint64_t i = 0; i < POOL; i += 2)
        ck_assert(page_alloc_claim(i));
    free0 = mm_free_pfns();
    ck_assert_uint_eq(free0, POOL / 2);
    ck_assert_uint_eq(mm_alloc_pfns(2), INVALID_FRAME);
    ck_assert_uint_eq(mm_free_pfns(), free0);   /* nothing taken on the way */
    ck_assert_uint_eq(mm_alloc_pfns(1), 1);
}
END_TEST

/* Random runs taken and given back, each answer the model's first fit. */
START_TEST(runs_against_model)
{
    uint64_t held[200][2];
    unsigned int nheld = 0, i;

    reset(37);
    srand(11);
    for (i = 0; i < 5000; i++) {
        if (nheld && (rand() % 3 == 0 || nheld == 200)) {
            unsigned int k = (unsigned int)rand() % nheld;

            mm_free_pfns_run(held[k][0], (unsigned int)held[k][1]);
            memset(taken + held[k][0], 0, held[k][1]);
            held[k][0] = held[--nheld][0];
            held[k][1] = held[nheld][1];
        } else {
            unsigned int n = 1 + (unsigned int)rand() % 70;
            uint64_t want = model_first_fit(n), got = mm_alloc_pfns(n);

            ck_assert_uint_eq(got, want);
            if (got == INVALID_FRAME)
                continue;
            ck_assert(zeroed(got, n));
            memset(pool[got], 0x5a, n * PG);
            memset(taken + got, 1, n);
            held[nheld][0] = got;
            held[nheld++][1] = n;
        }
        {
            uint64_t nfree = 0;

            for (unsigned int p = 0; p < POOL; p++)
                nfree += !taken[p];
            ck_assert_uint_eq(mm_free_pfns(), nfree);
        }
    }
}
END_TEST

/* kzalloc past a page: a run of its own, zeroed, given back whole. */
START_TEST(heap_large_blocks)
{
    uint64_t free0;
    uint8_t *a, *b;

    reset(0);
    free0 = mm_free_pfns();
    a = kzalloc(5000);                  /* 5000 + the header: 2 pages */
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq((uintptr_t)a % 16, 0);
    ck_assert_uint_eq(mm_free_pfns(), free0 - 2);
    for (unsigned int i = 0; i < 5000; i++)
        ck_assert_uint_eq(a[i], 0);
    memset(a, 1, 5000);
    b = kzalloc(64 * PG - 16);          /* the largest: 64 pages */
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(mm_free_pfns(), free0 - 66);
    ck_assert_ptr_null(kzalloc(64 * PG - 15));
    ck_assert_ptr_null(kzalloc(SIZE_MAX));
    ck_assert_ptr_null(kzalloc(SIZE_MAX - 8));
    kfree(a);
    kfree(b);
    ck_assert_uint_eq(mm_free_pfns(), free0);
    /* A page-class block and small ones still work beside them. */
    a = kzalloc(4000);
    b = kzalloc(40);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    kfree(a);
    kfree(b);
    /* No run left: NULL, nothing lost. */
    for (uint64_t i = 0; i < POOL; i += 2)
        page_alloc_claim(i);
    free0 = mm_free_pfns();
    ck_assert_ptr_null(kzalloc(2 * PG));
    ck_assert_uint_eq(mm_free_pfns(), free0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gk_page_alloc");
    TCase *t = tcase_create("all");

    tcase_add_test(t, runs_first_fit);
    tcase_add_test(t, runs_refused);
    tcase_add_test(t, runs_against_model);
    tcase_add_test(t, heap_large_blocks);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
