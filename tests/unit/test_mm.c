/* SPDX-License-Identifier: MIT */
/*
 * test_mm.c - unit tests for hypervisor/arch/x86_64/mm.c, the page-table
 * validator and its hypercalls, with the real common/frame.c,
 * common/page_alloc.c, arch/x86_64/m2p.c and mm_audit.c, over the
 * simulated machine of host_mm.c.
 * Owns:    the tests: every type transition of a page-table frame
 *          (none -> Lx on pin or first reference, Lx -> none on unpin or
 *          last reference, writable <-> Lx refused while in use), each
 *          rule of a valid entry, mmu_update batches, done counts and
 *          continuations, PRESERVE_AD, MACHPHYS, pin/unpin, NEW_BASEPTR and
 *          update_va_mapping. Every test ends with every count back where
 *          it started (host_assert_at_rest()), and checks the audit where
 *          trees are live.
 * Touches: nothing outside the simulated machine.
 *
 * The expected error codes are the ones mm.c returns, which mean to be
 * Xen 4.17's (tests/guests/ records what Xen was observed to return):
 * -XEN_EBUSY when an L1 entry's frame cannot be referenced (another
 * owner, or a writable map of a typed frame), -XEN_EPERM for device
 * memory a domain may not map, -XEN_EINVAL for bad flags, bad upper-level
 * entries and everything about the request itself. Where Xen 4.17 answers
 * differently the test says so in a comment.
 * d1 (unprivileged) drives most tests; its frames, by role, are below.
 */
#include <xen/xen.h>
#include "harness.h"
#include "host_mm.h"
#include "hypercall.h"
#include "m2p.h"
#include "mm.h"

enum {
    L4 = 16, L3 = 17, L2 = 18, L1 = 19,   /* the tree build_tree() makes */
    DATA = 20,                             /* 20..27: data pages          */
    SPARE = 28,                            /* 28..47: zeroed, unused      */
    D2 = HOST_D2_FIRST,                    /* a frame of d2               */
    DOM0 = HOST_DOM0_FIRST,                /* a frame of dom0             */
};

#define P    _PAGE_PRESENT
#define RW   _PAGE_RW
#define U    _PAGE_USER
#define A    _PAGE_ACCESSED
#define D    _PAGE_DIRTY
#define NX   (1UL << _PAGE_NX_BIT)

static struct domain *const d1 = &host_dom[1];

/* The machine address of entry idx of frame mfn: an mmu_update ptr. */
static uint64_t ma(uint64_t mfn, unsigned int idx)
{
    return (mfn << PAGE_SHIFT) + idx * sizeof(pte_t);
}

static pte_t entry(uint64_t mfn, unsigned int idx)
{
    return host_frame(mfn)[idx];
}

static const struct page_info *pg(uint64_t mfn)
{
    return &frame_table[mfn];
}

/* count, type_count and current type of a frame, in one assertion. */
#define expect_frame(m, want_type, want_count, want_tc) do { \
    const struct page_info *pg_ = pg(m); \
    ck_assert_msg(page_current_type(pg_) == (want_type) && \
                  pg_->count == (want_count) && \
                  pg_->type_count == (want_tc), \
                  "mfn %d: type %u count %u type_count %u, want %u %u %u", \
                  (int)(m), pg_->type, pg_->count, pg_->type_count, \
                  (unsigned int)(want_type), (unsigned int)(want_count), \
                  (unsigned int)(want_tc)); \
} while (0)

#define DONE_UNTOUCHED 0x5a5a

/*
 * A one-entry batch succeeded (done 1), failed on its entry (done 0) or
 * was refused before any entry (done not written, as in Xen).
 */
static void check_done(long rc, unsigned int done)
{
    if (rc == 0)
        ck_assert_uint_eq(done, 1);
    else
        ck_assert_msg(done == 0 || done == DONE_UNTOUCHED,
                      "rc %ld with done %u", rc, done);
}

/* One request through do_mmu_update, foreign domain fd. */
static long mmu_cmd(uint64_t ptr, uint64_t val, unsigned int fd)
{
    struct mmu_update req = { .ptr = ptr, .val = val };
    unsigned int done = DONE_UNTOUCHED;
    long rc = do_mmu_update((uint64_t)&req, 1, (uint64_t)&done, fd);

    check_done(rc, done);
    return rc;
}

static long mmu1(uint64_t ptr, uint64_t val)
{
    return mmu_cmd(ptr | MMU_NORMAL_PT_UPDATE, val, DOMID_SELF);
}

/* One op through do_mmuext_op. */
static long ext_fd(unsigned int cmd, uint64_t mfn, unsigned int fd)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };
    unsigned int done = DONE_UNTOUCHED;
    long rc = do_mmuext_op((uint64_t)&op, 1, (uint64_t)&done, fd);

    check_done(rc, done);
    return rc;
}

static long ext(unsigned int cmd, uint64_t mfn)
{
    return ext_fd(cmd, mfn, DOMID_SELF);
}

/*
 * d1's tree: L4[0] -> L3[0] -> L2[0] -> L1, which maps DATA+0..3
 * writable (va 0x0000-0x3fff), DATA+4 read-only (0x4000), the L1 itself
 * read-only (0x5000) and the L2 read-only (0x6000). Plain frame contents
 * only: nothing is validated until the guest asks.
 */
static void build_tree(void)
{
    host_frame(L4)[0] = host_pte(L3, P | RW);
    host_frame(L3)[0] = host_pte(L2, P | RW);
    host_frame(L2)[0] = host_pte(L1, P | RW);
    for (unsigned int i = 0; i < 4; i++)
        host_frame(L1)[i] = host_pte(DATA + i, P | RW);
    host_frame(L1)[4] = host_pte(DATA + 4, P);
    host_frame(L1)[5] = host_pte(L1, P);
    host_frame(L1)[6] = host_pte(L2, P);
}

static void setup(void)
{
    host_machine_reset();
    harness_log_reset();
}

/* What domain destruction does with a vCPU's cr3 (no hypercall drops it). */
static void drop_kernel_baseptr(struct vcpu *v)
{
    if (mfn_valid_val(v->guest_table))
        put_page_and_type(mfn_to_page(v->guest_table));
    v->guest_table = INVALID_MFN;
}

/* ---- none -> Lx -> none ------------------------------------------------ */

START_TEST(pin_l4_validates_every_entry_and_unpin_devalidates)
{
    setup();
    build_tree();
    /* Hypervisor slots hold junk that would never validate: skipped. */
    for (unsigned int s = HV_FIRST_SLOT; s <= HV_LAST_SLOT; s++)
        host_frame(L4)[s] = host_pte(D2, P | RW) | (1UL << 52);

    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);

    expect_frame(L4, PGT_l4_page_table, 2, 1);          /* alloc + pin     */
    expect_frame(L3, PGT_l3_page_table, 2, 1);          /* + L4[0]         */
    expect_frame(L2, PGT_l2_page_table, 3, 1);          /* + L3[0], L1[6]  */
    expect_frame(L1, PGT_l1_page_table, 3, 1);          /* + L2[0], L1[5]  */
    for (unsigned int i = 0; i < 4; i++)
        expect_frame(DATA + i, PGT_writable_page, 2, 1);
    expect_frame(DATA + 4, PGT_none, 2, 0);             /* read-only map   */
    expect_frame(D2, PGT_none, 1, 0);
    ck_assert_uint_eq(pg(L4)->flags, PGF_allocated | PGF_validated | PGF_pinned);
    for (unsigned int m = L3; m <= L1; m++)
        ck_assert_uint_eq(pg(m)->flags, PGF_allocated | PGF_validated);

    /* Hypervisor slots come from idle_pg_table; guest entries gain USER. */
    for (unsigned int s = HV_FIRST_SLOT; s <= HV_LAST_SLOT; s++)
        ck_assert_uint_eq(entry(L4, s), host_idle_l4[s]);
    ck_assert_uint_eq(entry(L4, 0), host_pte(L3, P | RW | U));
    ck_assert_uint_eq(entry(L1, 0), host_pte(DATA, P | RW | U));
    ck_assert_uint_eq(entry(L1, 4), host_pte(DATA + 4, P | U));
    ck_assert_uint_eq(entry(L1, 7), 0);                 /* absent stays 0  */
    host_assert_audit_clean(d1);

    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(pin_each_level_takes_the_references_below_it)
{
    static const unsigned int cmd[] = {
        MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE,
    };
    static const unsigned int table[] = { L1, L2, L3 };

    setup();
    build_tree();
    for (unsigned int lvl = 1; lvl <= 3; lvl++) {
        ck_assert_int_eq(ext(cmd[lvl - 1], table[lvl - 1]), 0);
        /* Every table from the pinned one down is typed, once. */
        for (unsigned int below = 1; below <= lvl; below++)
            ck_assert_msg(pg(table[below - 1])->type ==
                          PGT_l1_page_table + below - 1 &&
                          pg(table[below - 1])->type_count == 1,
                          "pin L%u: L%u type %u type_count %u", lvl, below,
                          pg(table[below - 1])->type,
                          pg(table[below - 1])->type_count);
        expect_frame(L4, PGT_none, 1, 0);
        if (lvl < 3)                          /* the level above: untyped */
            ck_assert_uint_eq(pg(table[lvl])->type_count, 0);
        expect_frame(DATA, PGT_writable_page, 2, 1);
        host_assert_audit_clean(d1);
        ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, table[lvl - 1]), 0);
        host_assert_at_rest();
    }

    /* The dom0 builder's entry point pins the same way. */
    ck_assert_int_eq(mm_pin_table(d1, _mfn(L4), 4), 0);
    expect_frame(L4, PGT_l4_page_table, 2, 1);
    ck_assert(pg(L4)->flags & PGF_pinned);
    expect_frame(L1, PGT_l1_page_table, 3, 1);
    ck_assert_int_eq(mm_pin_table(d1, _mfn(L4), 4), -XEN_EINVAL); /* twice */
    expect_frame(L4, PGT_l4_page_table, 2, 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(last_reference_from_above_devalidates)
{
    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);

    /* A second L2 entry for the same L1: one more type reference. */
    ck_assert_int_eq(mmu1(ma(L2, 1), host_pte(L1, P | RW)), 0);
    expect_frame(L1, PGT_l1_page_table, 4, 2);
    ck_assert_int_eq(mmu1(ma(L2, 0), 0), 0);
    expect_frame(L1, PGT_l1_page_table, 3, 1);
    host_assert_audit_clean(d1);

    /* The last one: L1 -> none, its entries' references go with it. */
    ck_assert_int_eq(mmu1(ma(L2, 1), 0), 0);
    expect_frame(L1, PGT_none, 1, 0);
    ck_assert(!(pg(L1)->flags & PGF_validated));
    for (unsigned int i = 0; i < 4; i++)
        expect_frame(DATA + i, PGT_none, 1, 0);
    expect_frame(DATA + 4, PGT_none, 1, 0);
    expect_frame(L2, PGT_l2_page_table, 2, 1);          /* L1[6] is gone */

    /*
     * Now the old L1 may be mapped writable (none -> writable), after a
     * flush: it was unhooked without one, so a CPU may still reach it
     * through a cached L2 entry and would use what the guest writes.
     */
    ck_assert_int_eq(mmu1(ma(L2, 2), host_pte(SPARE, P | RW)), 0);
    ck_assert_uint_eq(host_ev.tlb_flushes, 0);
    ck_assert_int_eq(mmu1(ma(SPARE, 0), host_pte(L1, P | RW)), 0);
    ck_assert_uint_eq(host_ev.tlb_flushes, 1);
    expect_frame(L1, PGT_writable_page, 2, 1);
    /* ... and while it is, it cannot be a table again (writable -> L1). */
    host_snapshot();
    ck_assert_int_eq(mmu1(ma(L2, 0), host_pte(L1, P | RW)), -XEN_EINVAL);
    host_assert_unchanged();
    /*
     * Unmapped, it validates again and takes its entries' references;
     * first the TLB is flushed, as a stale writable entry may remain.
     */
    ck_assert_int_eq(mmu1(ma(SPARE, 0), 0), 0);
    ck_assert_uint_eq(host_ev.tlb_flushes, 1);
    ck_assert_int_eq(mmu1(ma(L2, 0), host_pte(L1, P | RW)), 0);
    ck_assert_uint_eq(host_ev.tlb_flushes, 2);
    expect_frame(L1, PGT_l1_page_table, 3, 1);
    expect_frame(DATA, PGT_writable_page, 2, 1);
    host_assert_audit_clean(d1);

    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(failed_validation_unwinds_every_reference)
{
    setup();
    /* Entries 0-9 are fine, entry 10 maps d2's frame. */
    for (unsigned int i = 0; i < 10; i++)
        host_frame(SPARE)[i] = host_pte(DATA + i % 4, (i & 1) ? P : P | RW);
    host_frame(SPARE)[10] = host_pte(D2, P);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, SPARE), -XEN_EBUSY);
    host_assert_at_rest();

    /* The same, three levels up: the L1 entry's error comes back up. */
    build_tree();
    host_frame(L1)[9] = host_pte(D2, P);
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), -XEN_EBUSY);
    host_assert_at_rest();
    /* A bad entry in the L3, after a good one: the good subtree unwinds. */
    host_frame(L1)[9] = 0;
    host_frame(L3)[5] = host_pte(L2, P | RW | _PAGE_PSE);
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), -XEN_EINVAL);
    host_assert_at_rest();
}
END_TEST

/* ---- writable <-> Lx --------------------------------------------------- */

START_TEST(frame_mapped_writable_cannot_become_a_table)
{
    static const unsigned int pins[] = {
        MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE,
        MMUEXT_PIN_L4_TABLE,
    };

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, L2), 0);
    expect_frame(DATA, PGT_writable_page, 2, 1);        /* L1[0] maps it RW */

    host_snapshot();
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_int_eq(ext(pins[i], DATA), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, DATA), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(L2, 1), host_pte(DATA, P | RW)), -XEN_EINVAL);
    host_assert_unchanged();
    ck_assert(!mfn_valid_val(host_vcpu[1].guest_table));

    /* Once the writable mapping is gone, the same frame pins as an L1. */
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L2), 0);
    host_assert_at_rest();
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, DATA), 0);
    expect_frame(DATA, PGT_l1_page_table, 2, 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DATA), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(table_cannot_be_mapped_writable)
{
    static const unsigned int tables[] = { L1, L2, L3, L4 };

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);

    host_snapshot();
    for (unsigned int i = 0; i < 4; i++) {
        /* Xen: get_page_from_l1e() "could_not_pin". */
        ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(tables[i], P | RW)),
                         -XEN_EBUSY);
        ck_assert_int_eq(mmu_cmd(ma(L1, 7) | MMU_PT_UPDATE_PRESERVE_AD,
                                 host_pte(tables[i], P | RW), DOMID_SELF),
                         -XEN_EBUSY);
    }
    /* The L1's read-only map of itself cannot be made writable either. */
    ck_assert_int_eq(mmu1(ma(L1, 5), host_pte(L1, P | RW)), -XEN_EBUSY);
    host_assert_unchanged();
    ck_assert_log_contains("writable map of a frame");

    /* Read-only is fine: a general reference, no type reference. */
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(L4, P)), 0);
    expect_frame(L4, PGT_l4_page_table, 3, 1);
    ck_assert_int_eq(mmu1(ma(L1, 7), 0), 0);
    expect_frame(L4, PGT_l4_page_table, 2, 1);

    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

/* ---- the rules of an entry -------------------------------------------- */

START_TEST(l4_hypervisor_slots_are_refused_and_kept)
{
    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);

    host_snapshot();
    for (unsigned int s = HV_FIRST_SLOT; s <= HV_LAST_SLOT; s++) {
        ck_assert_int_eq(mmu1(ma(L4, s), host_pte(SPARE, P | RW)), -XEN_EINVAL);
        ck_assert_int_eq(mmu1(ma(L4, s), 0), -XEN_EINVAL);
        ck_assert_int_eq(mmu_cmd(ma(L4, s) | MMU_PT_UPDATE_PRESERVE_AD,
                                 host_idle_l4[s], DOMID_SELF), -XEN_EINVAL);
    }
    host_assert_unchanged();                 /* SPARE untouched, slots = idle */
    ck_assert_log_contains("is the hypervisor's");

    /* The slots either side belong to the guest. */
    ck_assert_int_eq(mmu1(ma(L4, HV_FIRST_SLOT - 1), host_pte(SPARE, P | RW)), 0);
    ck_assert_int_eq(mmu1(ma(L4, HV_LAST_SLOT + 1), host_pte(SPARE, P | RW)), 0);
    expect_frame(SPARE, PGT_l3_page_table, 3, 2);
    host_assert_audit_clean(d1);
    ck_assert_int_eq(mmu1(ma(L4, HV_FIRST_SLOT - 1), 0), 0);
    ck_assert_int_eq(mmu1(ma(L4, HV_LAST_SLOT + 1), 0), 0);

    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(superpages_are_refused)
{
    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);

    host_snapshot();
    ck_assert_int_eq(mmu1(ma(L2, 1), host_pte(DATA + 5, P | RW | _PAGE_PSE)),
                     -XEN_EINVAL);                                   /* 2 MiB */
    ck_assert_int_eq(mmu1(ma(L3, 1), host_pte(DATA + 5, P | RW | _PAGE_PSE)),
                     -XEN_EINVAL);                                   /* 1 GiB */
    ck_assert_int_eq(mmu1(ma(L4, 1), host_pte(DATA + 5, P | RW | _PAGE_PSE)),
                     -XEN_EINVAL);
    host_assert_unchanged();
    ck_assert_log_contains("reserved flags or PSE");

    /* Without PSE the same zeroed frame is a fine (empty) L1. */
    ck_assert_int_eq(mmu1(ma(L2, 1), host_pte(DATA + 5, P | RW)), 0);
    expect_frame(DATA + 5, PGT_l1_page_table, 2, 1);
    ck_assert_int_eq(mmu1(ma(L2, 1), 0), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();

    /* On validation: a good entry, then a 2 MiB one; all unwound. */
    host_frame(SPARE)[0] = host_pte(SPARE + 1, P | RW);
    host_frame(SPARE)[7] = host_pte(DATA + 5, P | RW | _PAGE_PSE);
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, SPARE), -XEN_EINVAL);
    host_assert_at_rest();
}
END_TEST

START_TEST(cache_and_large_page_bits_are_refused_high_bits_are_the_guests)
{
    static const unsigned int uppers[] = { L2, L3, L4 };
    static const uint64_t ln_bad[] = { _PAGE_PWT, _PAGE_PCD, _PAGE_GLOBAL };
    static const uint64_t cache[] = { _PAGE_PWT, _PAGE_PCD, _PAGE_PAT };

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);

    /* Bits 52-62 are the guest's (Xen's _PAGE_AVAIL_HIGH), at every level. */
    for (unsigned int b = 52; b <= 62; b++) {
        const pte_t hi = 1UL << b;

        ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(DATA + 5, P) | hi), 0);
        ck_assert_uint_eq(entry(L1, 7), host_pte(DATA + 5, P | U) | hi);
        for (unsigned int i = 0; i < 3; i++) {
            ck_assert_int_eq(mmu1(ma(uppers[i], 1),
                                  host_pte(SPARE + i, P | RW) | hi), 0);
            ck_assert_uint_eq(entry(uppers[i], 1),
                              host_pte(SPARE + i, P | RW | U) | hi);
        }
        expect_frame(DATA + 5, PGT_none, 2, 0);
        expect_frame(SPARE, PGT_l1_page_table, 2, 1);
        expect_frame(SPARE + 2, PGT_l3_page_table, 2, 1);
        for (unsigned int i = 0; i < 3; i++)
            ck_assert_int_eq(mmu1(ma(uppers[i], 1), 0), 0);
        ck_assert_int_eq(mmu1(ma(L1, 7), 0), 0);
    }
    expect_frame(SPARE, PGT_none, 1, 0);

    host_snapshot();
    for (unsigned int i = 0; i < 3; i++) {
        /* An unprivileged domain's L1 may not choose a cache type ... */
        ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(DATA + 5, P | cache[i])),
                         -XEN_EINVAL);
        /* ... and no upper level may have PWT, PCD or G. */
        for (unsigned int j = 0; j < 3; j++)
            ck_assert_int_eq(mmu1(ma(uppers[j], 1),
                                  host_pte(SPARE, P | RW | ln_bad[i])),
                             -XEN_EINVAL);
    }
    host_assert_unchanged();
    ck_assert_log_contains("reserved flags");

    /* NX, the low software bits and G in an L1 are the guest's to set. */
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(DATA + 5, P | RW | NX |
                                              _PAGE_AVAIL | _PAGE_GLOBAL)), 0);
    ck_assert_uint_eq(entry(L1, 7), host_pte(DATA + 5, P | RW | U | NX |
                                             _PAGE_AVAIL | _PAGE_GLOBAL));
    ck_assert_int_eq(mmu1(ma(L1, 7), 0), 0);
    ck_assert_int_eq(mmu1(ma(L2, 1), host_pte(SPARE, P | RW | NX | A | D)), 0);
    ck_assert_int_eq(mmu1(ma(L2, 1), 0), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();

    /* On validation too. */
    host_frame(SPARE)[3] = host_pte(DATA + 5, P | _PAGE_PCD);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, SPARE), -XEN_EINVAL);
    host_assert_at_rest();
    host_frame(SPARE + 1)[3] = host_pte(SPARE, P | RW | _PAGE_GLOBAL);
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, SPARE + 1), -XEN_EINVAL);
    host_assert_at_rest();
    host_frame(SPARE)[3] = host_pte(DATA + 5, P) | (1UL << 55);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, SPARE), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, SPARE), 0);
    host_assert_at_rest();

    /* A privileged domain may pick cache types in its L1s. */
    host_set_current(0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, DOM0), 0);
    ck_assert_int_eq(mmu1(ma(DOM0, 0), host_pte(DOM0 + 1, P | RW | _PAGE_PWT |
                                                _PAGE_PCD | _PAGE_PAT)), 0);
    ck_assert_int_eq(mmu1(ma(DOM0, 1), host_pte(DOM0 + 1, P | _PAGE_PAT)), 0);
    ck_assert_int_eq(mmu1(ma(DOM0, 0), 0), 0);
    ck_assert_int_eq(mmu1(ma(DOM0, 1), 0), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DOM0), 0);
    /* Above L1, not even it. */
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, DOM0), 0);
    ck_assert_int_eq(mmu1(ma(DOM0, 0), host_pte(DOM0 + 1, P | RW | _PAGE_PCD)),
                     -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(DOM0, 0), host_pte(DOM0 + 1, P | RW | _PAGE_PSE)),
                     -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DOM0), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(other_domains_frames_are_refused)
{
    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);

    host_snapshot();
    /* Xen: get_page_from_l1e() "could_not_pin", read-only or not. */
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(D2, P)), -XEN_EBUSY);
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(D2, P | RW)), -XEN_EBUSY);
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(DOM0, P)), -XEN_EBUSY);
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(HOST_M2P_MFN, P)), -XEN_EBUSY);
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(HOST_FREE_FIRST, P)), -XEN_EBUSY);
    /* Nor as a table of ours (Xen: get_page_from_l2e() and up, -EINVAL). */
    ck_assert_int_eq(mmu1(ma(L2, 1), host_pte(D2, P | RW)), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(L4, 1), host_pte(HOST_XEN_L3_MFN, P | RW)),
                     -XEN_EINVAL);
    /* Nor may we write a table that is not ours. */
    ck_assert_int_eq(mmu1(ma(D2, 0), host_pte(DATA, P)), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(HOST_XEN_L3_MFN, 0), 0), -XEN_EINVAL);
    /* Naming another domain takes privilege; naming ourselves is refused. */
    ck_assert_int_eq(mmu_cmd(ma(L1, 7), host_pte(D2, P), 2), -XEN_EPERM);
    ck_assert_int_eq(mmu_cmd(ma(L1, 7), host_pte(DATA + 5, P), 1), -XEN_ESRCH);
    ck_assert_int_eq(mmu_cmd(ma(L1, 7), host_pte(DATA + 5, P), 9), -XEN_ESRCH);
    ck_assert_int_eq(mmu_cmd(ma(L1, 7), host_pte(DATA + 5, P), 2u << 16),
                     -XEN_ESRCH);
    host_assert_unchanged();

    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();

    /* The privileged domain may map d2's frame when it names d2. */
    host_set_current(0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, DOM0), 0);
    ck_assert_int_eq(mmu1(ma(DOM0, 0), host_pte(D2, P | RW)), -XEN_EBUSY);
    ck_assert_int_eq(mmu_cmd(ma(DOM0, 0), host_pte(D2, P | RW), 2), 0);
    expect_frame(D2, PGT_writable_page, 2, 1);
    ck_assert_int_eq(mmu_cmd(ma(DOM0, 1), host_pte(D2, P), 2), 0);
    expect_frame(D2, PGT_writable_page, 3, 1);
    ck_assert_int_eq(mmu_cmd(ma(DOM0, 1), 0, 2), 0);
    /* Devalidating dom0's L1 gives d2's frame its references back. */
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DOM0), 0);
    host_assert_at_rest();
    /* Naming another domain is for L1 entries only (as Xen). */
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, DOM0 + 3), 0);
    host_snapshot();
    ck_assert_int_eq(mmu_cmd(ma(DOM0 + 3, 0), host_pte(DOM0 + 1, P | RW), 2),
                     -XEN_EINVAL);
    host_assert_unchanged();
    ck_assert_int_eq(mmu1(ma(DOM0 + 3, 0), host_pte(DOM0 + 1, P | RW)), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DOM0 + 3), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(frames_beyond_ram_are_device_memory)
{
    const uint64_t last = PTE_ADDR_MASK >> PAGE_SHIFT;
    const uint64_t mmio = HOST_MAX_PHYS_MFN - 1;
    struct mmu_update mp = { .ptr = ma(HOST_FRAMES, 0) | MMU_MACHPHYS_UPDATE,
                             .val = 5 };

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, L4), 0);

    host_snapshot();
    /* An unprivileged domain maps no device memory (Xen: no iomem_caps). */
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(HOST_FRAMES, P)), -XEN_EPERM);
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(mmio, P | RW)), -XEN_EPERM);
    /* As Xen 4.17: a frame field of all ones is its "INVALID_MFN?" case. */
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(last, P | RW)), -XEN_EINVAL);
    ck_assert_int_eq(do_update_va_mapping(0x7000, host_pte(HOST_FRAMES, P), 0),
                     -XEN_EPERM);
    /* No table lives outside RAM. */
    ck_assert_int_eq(mmu1(ma(L2, 1), host_pte(HOST_FRAMES, P | RW)), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(L4, 1), host_pte(last, P | RW)), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(HOST_FRAMES, 0), 0), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(last, 0), 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, HOST_FRAMES), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, ~0UL), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, HOST_FRAMES), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, HOST_FRAMES), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, HOST_FRAMES), -XEN_EINVAL);
    ck_assert_int_eq(do_mmu_update((uint64_t)&mp, 1, 0, DOMID_SELF), -XEN_EINVAL);
    ck_assert_log_contains("frame beyond RAM");
    host_assert_unchanged();
    ck_assert_uint_eq(host_vcpu[1].guest_table.m, L4);

    drop_kernel_baseptr(&host_vcpu[1]);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();

    /*
     * The privileged domain maps device memory the CPU can address,
     * forced uncached, with no reference anywhere (there is no page_info).
     */
    host_set_current(0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, DOM0), 0);
    host_snapshot();
    ck_assert_int_eq(mmu1(ma(DOM0, 0), host_pte(HOST_FRAMES, P | RW)), 0);
    ck_assert_uint_eq(entry(DOM0, 0), host_pte(HOST_FRAMES, P | RW | U |
                                               _PAGE_PWT | _PAGE_PCD));
    ck_assert_int_eq(mmu1(ma(DOM0, 1), host_pte(mmio, P)), 0);
    ck_assert_int_eq(mmu1(ma(DOM0, 2), host_pte(mmio + 1, P)), -XEN_EPERM);
    ck_assert_int_eq(mmu1(ma(DOM0, 2), host_pte(last, P)), -XEN_EINVAL);
    /* Never the local APIC's registers; the I/O APIC's only read-only. */
    ck_assert_int_eq(mmu1(ma(DOM0, 2), host_pte(HOST_APIC_MFN, P | RW)), -XEN_EPERM);
    ck_assert_int_eq(mmu1(ma(DOM0, 2), host_pte(HOST_APIC_MFN, P)), -XEN_EPERM);
    ck_assert_int_eq(mmu1(ma(DOM0, 2), host_pte(HOST_IOAPIC_MFN, P | RW)), 0);
    ck_assert_uint_eq(entry(DOM0, 2), host_pte(HOST_IOAPIC_MFN, P | U |
                                               _PAGE_PWT | _PAGE_PCD));
    ck_assert_int_eq(mmu1(ma(DOM0, 2), 0), 0);
    /* Not on behalf of an unprivileged domain it names. */
    ck_assert_int_eq(mmu_cmd(ma(DOM0, 2), host_pte(HOST_FRAMES, P), 2),
                     -XEN_EPERM);
    ck_assert_int_eq(mmu1(ma(DOM0, 0), 0), 0);
    ck_assert_int_eq(mmu1(ma(DOM0, 1), 0), 0);
    host_assert_unchanged();
    /* Devalidating a table that maps device memory drops nothing. */
    ck_assert_int_eq(mmu1(ma(DOM0, 1), host_pte(mmio, P | RW)), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DOM0), 0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, DOM0), 0);  /* revalidates */
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DOM0), 0);
    host_assert_at_rest();
}
END_TEST

/* ---- batches ----------------------------------------------------------- */

START_TEST(batch_with_a_bad_entry_in_the_middle)
{
    struct mmu_update req[5];
    unsigned int done = 77;

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    for (unsigned int i = 0; i < 5; i++)
        req[i] = (struct mmu_update){ ma(L1, 10 + i), host_pte(DATA + 5, P) };
    req[2].val = host_pte(L1, P | RW);       /* a table, writable: refused */

    ck_assert_int_eq(do_mmu_update((uint64_t)req, 5, (uint64_t)&done, DOMID_SELF),
                     -XEN_EBUSY);
    ck_assert_uint_eq(done, 2);
    ck_assert_uint_eq(entry(L1, 10), host_pte(DATA + 5, P | U));
    ck_assert_uint_eq(entry(L1, 11), host_pte(DATA + 5, P | U));
    for (unsigned int i = 12; i < 15; i++)
        ck_assert_uint_eq(entry(L1, i), 0);
    expect_frame(DATA + 5, PGT_none, 3, 0);              /* exactly two maps */
    expect_frame(L1, PGT_l1_page_table, 3, 1);
    host_assert_audit_clean(d1);

    /* Without a done pointer: the same prefix, the same error. */
    ck_assert_int_eq(do_mmu_update((uint64_t)&req[1], 4, 0, DOMID_SELF),
                     -XEN_EBUSY);
    expect_frame(DATA + 5, PGT_none, 3, 0);              /* 11 rewritten   */

    for (unsigned int i = 0; i < 5; i++)
        req[i] = (struct mmu_update){ ma(L1, 10 + i), 0 };
    ck_assert_int_eq(do_mmu_update((uint64_t)req, 5, (uint64_t)&done, DOMID_SELF), 0);
    ck_assert_uint_eq(done, 5);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(long_batch_continues_with_the_done_count)
{
    enum { N = 600, SPAN = 400 };
    static struct mmu_update req[N];
    unsigned int done = 0;
    long rc;

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, L1), 0);
    for (unsigned int i = 0; i < N; i++)
        req[i] = (struct mmu_update){ ma(L1, 64 + i % SPAN),
                                      host_pte(DATA + 5 + i % 3, P) };

    rc = do_mmu_update((uint64_t)req, N, (uint64_t)&done, DOMID_SELF);
    ck_assert_int_eq(rc, __HYPERVISOR_mmu_update);
    ck_assert_uint_eq(host_ev.continuations, 1);
    ck_assert_uint_eq(host_ev.cont_nr, __HYPERVISOR_mmu_update);
    ck_assert_uint_eq(host_ev.cont_args[0], (uint64_t)&req[HYPERCALL_PREEMPT_BATCH]);
    ck_assert_uint_eq(host_ev.cont_args[1],
                      (N - HYPERCALL_PREEMPT_BATCH) | MMU_UPDATE_PREEMPTED);
    ck_assert_uint_eq(host_ev.cont_args[2], (uint64_t)&done);
    ck_assert_uint_eq(host_ev.cont_args[3], DOMID_SELF);
    ck_assert_uint_eq(done, HYPERCALL_PREEMPT_BATCH);
    ck_assert_uint_eq(entry(L1, 64 + (HYPERCALL_PREEMPT_BATCH - 1) % SPAN),
                      req[HYPERCALL_PREEMPT_BATCH - 1].val | U);
    ck_assert_uint_eq(entry(L1, 64 + HYPERCALL_PREEMPT_BATCH % SPAN),
                      req[HYPERCALL_PREEMPT_BATCH % SPAN].val | U);  /* not yet */
    host_assert_audit_clean(d1);

    /* The guest re-issues the call with the continuation's arguments. */
    rc = do_mmu_update(host_ev.cont_args[0], (unsigned int)host_ev.cont_args[1],
                       host_ev.cont_args[2], (unsigned int)host_ev.cont_args[3]);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(done, N);
    ck_assert_uint_eq(host_ev.continuations, 1);
    for (unsigned int i = N - SPAN; i < N; i++)
        ck_assert_uint_eq(entry(L1, 64 + i % SPAN), req[i].val | U);
    ck_assert_uint_eq(pg(DATA + 5)->count + pg(DATA + 6)->count +
                      pg(DATA + 7)->count, 3 + SPAN);
    host_assert_audit_clean(d1);

    for (unsigned int i = 0; i < SPAN; i++)
        req[i].val = 0;
    ck_assert_int_eq(do_mmu_update((uint64_t)req, SPAN, 0, DOMID_SELF), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L1), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(bad_arguments)
{
    struct mmu_update req = { ma(L1, 7), host_pte(DATA + 5, P) };
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = SPARE };
    unsigned int done = 0;

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, L1), 0);
    host_snapshot();

    /* Commands 4-7 in the low bits of ptr do not exist. */
    for (unsigned int cmd = 4; cmd < 8; cmd++)
        ck_assert_int_eq(mmu_cmd(ma(L1, 7) | cmd, host_pte(DATA + 5, P),
                                 DOMID_SELF), -XEN_ENOSYS);
    /* Requests or ops that fault, or cannot be guest memory. */
    host_fault_lo = (uint64_t)&req;
    host_fault_hi = host_fault_lo + sizeof(req);
    ck_assert_int_eq(do_mmu_update((uint64_t)&req, 1, (uint64_t)&done,
                                   DOMID_SELF), -XEN_EFAULT);
    ck_assert_uint_eq(done, 0);
    host_fault_lo = host_fault_hi = 0;
    ck_assert_int_eq(do_mmu_update(0x7ffffffff000UL, 0x10000, 0, DOMID_SELF),
                     -XEN_EFAULT);
    ck_assert_int_eq(do_mmu_update(HV_VIRT_START, 1, 0, DOMID_SELF), -XEN_EFAULT);
    ck_assert_int_eq(do_mmuext_op(HV_VIRT_START, 1, 0, DOMID_SELF), -XEN_EFAULT);
    ck_assert_int_eq(do_mmuext_op(0x7ffffffff000UL, 0x10000, 0, DOMID_SELF),
                     -XEN_EFAULT);
    /* mmuext_op: an unknown op, another domain. */
    op.cmd = 0x7f;
    ck_assert_int_eq(do_mmuext_op((uint64_t)&op, 1, 0, DOMID_SELF), -XEN_ENOSYS);
    op.cmd = MMUEXT_PIN_L1_TABLE;
    ck_assert_int_eq(do_mmuext_op((uint64_t)&op, 1, 0, 2), -XEN_EPERM);
    host_assert_unchanged();

    /*
     * An unwritable done count: the update is made and, as Xen 4.17
     * (which ignores a failed copy of done), the call returns 0.
     */
    host_fault_lo = (uint64_t)&done;
    host_fault_hi = host_fault_lo + sizeof(done);
    ck_assert_int_eq(do_mmu_update((uint64_t)&req, 1, (uint64_t)&done,
                                   DOMID_SELF), 0);
    host_fault_lo = host_fault_hi = 0;
    ck_assert_uint_eq(entry(L1, 7), host_pte(DATA + 5, P | U));
    ck_assert_int_eq(mmu1(ma(L1, 7), 0), 0);

    /* Not even the privileged domain (Xen 4.17 would pin d2's frame). */
    host_set_current(0);
    op.arg1.mfn = DOM0;
    ck_assert_int_eq(do_mmuext_op((uint64_t)&op, 1, 0, 2), -XEN_EINVAL);
    host_set_current(1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L1), 0);
    host_assert_at_rest();
}
END_TEST

/* ---- the update commands ------------------------------------------------ */

START_TEST(preserve_ad_keeps_the_old_accessed_and_dirty_bits)
{
    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    ck_assert_int_eq(mmu1(ma(L1, 0), host_pte(DATA, P | RW | A | D)), 0);
    ck_assert_uint_eq(entry(L1, 0), host_pte(DATA, P | RW | U | A | D));

    /* The new frame, the old A and D. */
    ck_assert_int_eq(mmu_cmd(ma(L1, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                             host_pte(DATA + 5, P | RW), DOMID_SELF), 0);
    ck_assert_uint_eq(entry(L1, 0), host_pte(DATA + 5, P | RW | U | A | D));
    expect_frame(DATA, PGT_none, 1, 0);
    expect_frame(DATA + 5, PGT_writable_page, 2, 1);
    /* A plain update replaces them. */
    ck_assert_int_eq(mmu1(ma(L1, 0), host_pte(DATA, P | RW)), 0);
    ck_assert_uint_eq(entry(L1, 0), host_pte(DATA, P | RW | U));
    /* Only A set before: only A after. */
    ck_assert_int_eq(mmu1(ma(L1, 0), host_pte(DATA, P | RW | A)), 0);
    ck_assert_int_eq(mmu_cmd(ma(L1, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                             host_pte(DATA, P | RW), DOMID_SELF), 0);
    ck_assert_uint_eq(entry(L1, 0), host_pte(DATA, P | RW | U | A));
    /* Preserving A/D does not skip validation. */
    host_snapshot();
    ck_assert_int_eq(mmu_cmd(ma(L1, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                             host_pte(L2, P | RW), DOMID_SELF), -XEN_EBUSY);
    host_assert_unchanged();
    /* Upper levels too. */
    ck_assert_int_eq(mmu1(ma(L2, 0), host_pte(L1, P | RW | A | D)), 0);
    ck_assert_int_eq(mmu_cmd(ma(L2, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                             host_pte(L1, P | RW), DOMID_SELF), 0);
    ck_assert_uint_eq(entry(L2, 0), host_pte(L1, P | RW | U | A | D));
    expect_frame(L1, PGT_l1_page_table, 3, 1);
    host_assert_audit_clean(d1);

    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(machphys_update_sets_the_m2p_of_our_frames_only)
{
    setup();
    ck_assert_int_eq(mmu_cmd(ma(DATA, 0) | MMU_MACHPHYS_UPDATE, 0x1234,
                             DOMID_SELF), 0);
    ck_assert_uint_eq(m2p_get(_mfn(DATA)), 0x1234);
    /* ptr's offset within the frame does not matter. */
    ck_assert_int_eq(mmu_cmd(ma(DATA + 1, 0x100) | MMU_MACHPHYS_UPDATE, 7,
                             DOMID_SELF), 0);
    ck_assert_uint_eq(m2p_get(_mfn(DATA + 1)), 7);

    ck_assert_int_eq(mmu_cmd(ma(D2, 0) | MMU_MACHPHYS_UPDATE, 1, DOMID_SELF),
                     -XEN_EINVAL);
    ck_assert_int_eq(mmu_cmd(ma(HOST_M2P_MFN, 0) | MMU_MACHPHYS_UPDATE, 1,
                             DOMID_SELF), -XEN_EINVAL);
    ck_assert_uint_eq(m2p_get(_mfn(D2)), INVALID_M2P_ENTRY);
    ck_assert_uint_eq(m2p_get(_mfn(HOST_M2P_MFN)), INVALID_M2P_ENTRY);

    /* Another domain's frame, by an unprivileged caller: -EPERM. */
    ck_assert_int_eq(mmu_cmd(ma(D2, 0) | MMU_MACHPHYS_UPDATE, 1, 2), -XEN_EPERM);
    ck_assert_uint_eq(m2p_get(_mfn(D2)), INVALID_M2P_ENTRY);
    /*
     * By the privileged domain, for the domain it names: done, as Xen 4.17
     * does (it refuses only a foreign pt_owner, foreigndom >> 16): that is
     * how a domain builder fills the M2P. Only that domain's frames.
     */
    host_set_current(0);
    ck_assert_int_eq(mmu_cmd(ma(D2, 0) | MMU_MACHPHYS_UPDATE, 1, 2), 0);
    ck_assert_uint_eq(m2p_get(_mfn(D2)), 1);
    ck_assert_int_eq(mmu_cmd(ma(DATA, 0) | MMU_MACHPHYS_UPDATE, 5, 2), -XEN_EINVAL);
    ck_assert_uint_eq(m2p_get(_mfn(DATA)), 0x1234);
    host_assert_at_rest();
}
END_TEST

/*
 * A domain builder's pins (Xen 4.17: mmuext_op with foreigndom): dom0 pins
 * and unpins d1's tables, validated as d1's; d1's tables that map a frame
 * of another domain do not validate; an unprivileged caller is -EPERM; the
 * ops about the caller's own vCPU are -EPERM for a foreign domain.
 */
START_TEST(foreign_pins_validate_as_the_owner)
{
    setup();
    build_tree();
    host_set_current(0);
    ck_assert_int_eq(ext_fd(MMUEXT_PIN_L4_TABLE, L4, 1), 0);
    expect_frame(L4, PGT_l4_page_table, 2, 1);
    expect_frame(L1, PGT_l1_page_table, 3, 1);
    ck_assert_uint_eq(pg(L4)->flags, PGF_allocated | PGF_validated | PGF_pinned);
    ck_assert_int_eq(ext_fd(MMUEXT_PIN_L4_TABLE, L4, 1), -XEN_EINVAL); /* twice */
    ck_assert_int_eq(ext_fd(MMUEXT_UNPIN_TABLE, L4, 2), -XEN_EINVAL);  /* not d2's */
    ck_assert_int_eq(ext_fd(MMUEXT_UNPIN_TABLE, L4, 1), 0);
    ck_assert_uint_eq(pg(L4)->type_count, 0);

    /* d1's L1 mapping a frame of d2 or of dom0: not a valid d1 table. */
    host_frame(SPARE)[0] = host_pte(D2, P);
    ck_assert_int_eq(ext_fd(MMUEXT_PIN_L1_TABLE, SPARE, 1), -XEN_EBUSY);
    host_frame(SPARE)[0] = host_pte(DOM0, P);
    ck_assert_int_eq(ext_fd(MMUEXT_PIN_L1_TABLE, SPARE, 1), -XEN_EBUSY);
    host_frame(SPARE)[0] = host_pte(DATA, P);
    ck_assert_int_eq(ext_fd(MMUEXT_PIN_L1_TABLE, SPARE, 1), 0);
    /* A frame of d1 named for d2: not d2's. */
    ck_assert_int_eq(ext_fd(MMUEXT_PIN_L1_TABLE, SPARE + 1, 2), -XEN_EINVAL);
    /* The caller's own vCPU and TLB are not the foreign domain's. */
    ck_assert_int_eq(ext_fd(MMUEXT_NEW_BASEPTR, L4, 1), -XEN_EPERM);
    ck_assert_int_eq(ext_fd(MMUEXT_TLB_FLUSH_LOCAL, 0, 1), -XEN_EPERM);
    ck_assert_int_eq(ext_fd(MMUEXT_FLUSH_CACHE, 0, 1), -XEN_EPERM);
    ck_assert_int_eq(ext_fd(MMUEXT_UNPIN_TABLE, SPARE, 1), 0);

    /* By d1, for d2: -EPERM; for itself by id: -ESRCH (Xen's get_pg_owner). */
    host_set_current(1);
    ck_assert_int_eq(ext_fd(MMUEXT_PIN_L1_TABLE, D2, 2), -XEN_EPERM);
    ck_assert_int_eq(ext_fd(MMUEXT_PIN_L1_TABLE, SPARE, 1), -XEN_ESRCH);
    host_assert_at_rest();
}
END_TEST

START_TEST(plain_and_descriptor_frames)
{
    setup();
    build_tree();
    /* A frame that is no table: the value is written as is, unchecked. */
    ck_assert_int_eq(mmu1(ma(DATA + 6, 3), 0xfff0000000000fffUL), 0);
    ck_assert_uint_eq(entry(DATA + 6, 3), 0xfff0000000000fffUL);
    host_assert_at_rest();

    /* A frame mapped writable: the same, its references unchanged. */
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, L1), 0);
    ck_assert_int_eq(mmu1(ma(DATA, 2), 0x77), 0);
    ck_assert_uint_eq(entry(DATA, 2), 0x77);
    expect_frame(DATA, PGT_writable_page, 2, 1);

    /* A GDT/LDT frame (typed as set_gdt would) cannot be written. */
    ck_assert_int_eq(get_page_and_type(mfn_to_page(_mfn(DATA + 6)), d1,
                                       PGT_seg_desc_page), 0);
    host_snapshot();
    ck_assert_int_eq(mmu1(ma(DATA + 6, 0), 0), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(DATA + 6, P | RW)), -XEN_EBUSY);
    host_assert_unchanged();
    ck_assert_int_eq(mmu1(ma(L1, 7), host_pte(DATA + 6, P)), 0); /* read-only */
    ck_assert_int_eq(mmu1(ma(L1, 7), 0), 0);
    put_page_and_type(mfn_to_page(_mfn(DATA + 6)));
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L1), 0);
    host_assert_at_rest();
}
END_TEST

/* ---- pin and unpin ------------------------------------------------------ */

START_TEST(pin_twice_is_refused)
{
    struct mmuext_op ops[2] = {
        { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = SPARE },
        { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = SPARE },
    };
    unsigned int done = 0;

    setup();
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, SPARE), 0);
    expect_frame(SPARE, PGT_l1_page_table, 2, 1);
    host_snapshot();
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, SPARE), -XEN_EINVAL);
    ck_assert_log_contains("already pinned");
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, SPARE), -XEN_EINVAL);
    host_assert_unchanged();                  /* no second pin reference */
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, SPARE), 0);
    host_assert_at_rest();
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, SPARE), -XEN_EINVAL);

    /* In one batch: the first applies, the second fails, done = 1. */
    ck_assert_int_eq(do_mmuext_op((uint64_t)ops, 2, (uint64_t)&done, DOMID_SELF),
                     -XEN_EINVAL);
    ck_assert_uint_eq(done, 1);
    expect_frame(SPARE, PGT_l1_page_table, 2, 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, SPARE), 0);
    host_assert_at_rest();
}
END_TEST

START_TEST(unpin_of_an_unpinned_frame_is_refused)
{
    setup();
    build_tree();
    host_snapshot();
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DATA), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, D2), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, HOST_M2P_MFN), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, HOST_FREE_FIRST), -XEN_EINVAL);
    host_assert_unchanged();
    ck_assert_log_contains("not pinned by d1");

    /* Typed through the tree, but not pinned itself. */
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    host_snapshot();
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L3), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L1), -XEN_EINVAL);
    host_assert_unchanged();
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);

    /* d2's pinned table is not ours to unpin. */
    host_set_current(2);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, D2), 0);
    host_set_current(1);
    host_snapshot();
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, D2), -XEN_EINVAL);
    host_assert_unchanged();
    host_set_current(2);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, D2), 0);
    host_assert_at_rest();
}
END_TEST

/* ---- NEW_BASEPTR and update_va_mapping --------------------------------- */

START_TEST(new_baseptr_takes_only_a_valid_l4)
{
    struct vcpu *v = &host_vcpu[1];
    const uint64_t L4B = SPARE + 2;

    setup();
    build_tree();
    /* Not pinned: cr3's own reference validates the whole tree. */
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, L4), 0);
    ck_assert_uint_eq(v->guest_table.m, L4);
    ck_assert_uint_eq(host_ev.cr3_writes, 1);
    ck_assert_uint_eq(host_ev.last_cr3, (uint64_t)L4 << PAGE_SHIFT);
    expect_frame(L4, PGT_l4_page_table, 2, 1);
    expect_frame(L1, PGT_l1_page_table, 3, 1);
    host_assert_audit_clean(d1);

    /* Anything but a frame that validates as our L4 is refused. */
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, SPARE), 0);
    /* An L4 whose L3 is a writable page (USER already set: validation
     * adds it, even when it then fails, and the snapshot is exact). */
    host_frame(SPARE + 1)[0] = host_pte(DATA, P | RW | U);
    host_snapshot();
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, SPARE), -XEN_EINVAL);     /* L1 */
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, L3), -XEN_EINVAL);        /* L3 */
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, DATA), -XEN_EINVAL); /* writable */
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, D2), -XEN_EINVAL);   /* d2's    */
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, SPARE + 1), -XEN_EINVAL); /* bad */
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, SPARE), -XEN_EINVAL);
    host_assert_unchanged();
    ck_assert_uint_eq(v->guest_table.m, L4);
    ck_assert_uint_eq(host_ev.cr3_writes, 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, SPARE), 0);
    host_frame(SPARE + 1)[0] = 0;

    /* The user table: no cr3 write in kernel mode; 0 clears it. */
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, L4B), 0);
    ck_assert_uint_eq(v->guest_table_user.m, L4B);
    expect_frame(L4B, PGT_l4_page_table, 2, 1);
    ck_assert_uint_eq(host_ev.cr3_writes, 1);
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, 0), 0);
    ck_assert(!mfn_valid_val(v->guest_table_user));
    expect_frame(L4B, PGT_none, 1, 0);

    /* Pinned and cr3: unpin succeeds, cr3 keeps it a valid L4. */
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    expect_frame(L4, PGT_l4_page_table, 3, 2);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    expect_frame(L4, PGT_l4_page_table, 2, 1);
    expect_frame(L1, PGT_l1_page_table, 3, 1);

    /* Switching away drops the last reference: the tree devalidates. */
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, L4B), 0);
    ck_assert_uint_eq(host_ev.cr3_writes, 2);
    ck_assert_uint_eq(host_ev.last_cr3, L4B << PAGE_SHIFT);
    expect_frame(L4, PGT_none, 1, 0);
    expect_frame(L1, PGT_none, 1, 0);
    expect_frame(DATA, PGT_none, 1, 0);
    for (unsigned int s = HV_FIRST_SLOT; s <= HV_LAST_SLOT; s++)
        ck_assert_uint_eq(entry(L4B, s), host_idle_l4[s]);
    host_assert_audit_clean(d1);

    drop_kernel_baseptr(v);
    host_assert_at_rest();
}
END_TEST

START_TEST(update_va_mapping_validates_and_flushes)
{
    unsigned long mask = 0;

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, L4), 0);

    ck_assert_int_eq(do_update_va_mapping(0x1234, host_pte(DATA + 5, P | RW),
                                          UVMF_INVLPG), 0);
    ck_assert_uint_eq(entry(L1, 1), host_pte(DATA + 5, P | RW | U));
    expect_frame(DATA + 1, PGT_none, 1, 0);
    expect_frame(DATA + 5, PGT_writable_page, 2, 1);
    ck_assert_uint_eq(host_ev.invlpgs, 1);
    ck_assert_uint_eq(host_ev.last_invlpg, 0x1000);
    ck_assert_uint_eq(host_ev.tlb_flushes, 0);

    ck_assert_int_eq(do_update_va_mapping(0x1000, host_pte(DATA + 1, P | RW),
                                          UVMF_TLB_FLUSH | UVMF_ALL), 0);
    ck_assert_uint_eq(host_ev.tlb_flushes, 1);
    ck_assert_int_eq(do_update_va_mapping(0x7000, host_pte(DATA + 6, P),
                                          UVMF_NONE), 0);
    ck_assert_uint_eq(entry(L1, 7), host_pte(DATA + 6, P | U));
    /* UVMF_MULTI: flush only if the vCPU mask names vCPU 0. */
    ck_assert_int_eq(do_update_va_mapping(0x7000, 0,
                                          UVMF_INVLPG | (uint64_t)&mask), 0);
    ck_assert_uint_eq(host_ev.invlpgs, 1);
    mask = 1;
    ck_assert_int_eq(do_update_va_mapping(0x7000, host_pte(DATA + 6, P),
                                          UVMF_INVLPG | (uint64_t)&mask), 0);
    ck_assert_uint_eq(host_ev.invlpgs, 2);
    ck_assert_uint_eq(host_ev.last_invlpg, 0x7000);
    ck_assert_uint_eq(host_ev.tlb_flushes, 1);
    ck_assert_uint_eq(host_ev.cr3_writes, 1);            /* NEW_BASEPTR's  */
    ck_assert_int_eq(do_update_va_mapping(0x7000, 0, UVMF_NONE), 0);
    host_assert_audit_clean(d1);

    host_snapshot();
    /* Validated exactly as mmu_update. */
    ck_assert_int_eq(do_update_va_mapping(0x7000, host_pte(L2, P | RW), 0),
                     -XEN_EBUSY);
    ck_assert_int_eq(do_update_va_mapping(0x7000, host_pte(D2, P), 0),
                     -XEN_EBUSY);
    ck_assert_int_eq(do_update_va_mapping(0x7000, host_pte(DATA, P | _PAGE_PCD), 0),
                     -XEN_EINVAL);
    /* No L1 maps it, or it is not the guest's address space. */
    ck_assert_int_eq(do_update_va_mapping(1UL << 39, host_pte(DATA, P), 0),
                     -XEN_EINVAL);
    ck_assert_int_eq(do_update_va_mapping(1UL << 21, host_pte(DATA, P), 0),
                     -XEN_EINVAL);
    ck_assert_int_eq(do_update_va_mapping(HV_VIRT_START, host_pte(DATA, P), 0),
                     -XEN_EINVAL);
    ck_assert_int_eq(do_update_va_mapping(0x0000800000000000UL,
                                          host_pte(DATA, P), 0), -XEN_EINVAL);
    host_assert_unchanged();
    /* In user mode the user table (none here) is the one used. */
    host_vcpu[1].kernel_mode = false;
    ck_assert_int_eq(do_update_va_mapping(0x7000, host_pte(DATA + 6, P), 0),
                     -XEN_EINVAL);
    host_vcpu[1].kernel_mode = true;
    host_assert_unchanged();
    ck_assert_uint_eq(host_ev.invlpgs, 2);

    drop_kernel_baseptr(&host_vcpu[1]);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

/* ---- the fast path (mm.c: l1_hold(), l1e_update_fast()) ----------------- */

/*
 * A second L1, L1B, hooked at L2[1] (va 0x200000): only the L2's
 * reference holds its type, so unhooking it devalidates it.
 */
enum { L1B = SPARE };

static void build_tree_two_l1s(void)
{
    build_tree();
    host_frame(L2)[1] = host_pte(L1B, P | RW);
}

/*
 * A batch alternating between two L1s, with an M2P update between: each
 * switch of L1 drops the one held and takes the other, and at the end
 * both L1s' counts are what their uses imply.
 */
START_TEST(fast_batch_alternating_two_l1s)
{
    struct mmu_update req[9];
    unsigned int done = 0;

    setup();
    build_tree_two_l1s();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    expect_frame(DATA, PGT_writable_page, 2, 1);
    expect_frame(L1, PGT_l1_page_table, 3, 1);      /* owner, L2, self-map */
    expect_frame(L1B, PGT_l1_page_table, 2, 1);
    for (unsigned int i = 0; i < 8; i++)
        req[i] = (struct mmu_update){ ma(i & 1 ? L1B : L1, 20 + i / 2),
                                      host_pte(DATA, P | RW) };
    req[8] = req[7];
    req[4] = (struct mmu_update){ (DATA << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0x55 };
    ck_assert_int_eq(do_mmu_update((uint64_t)req, 9, (uint64_t)&done, DOMID_SELF), 0);
    ck_assert_uint_eq(done, 9);
    for (unsigned int i = 0; i < 8; i++)
        if (i != 4)
            ck_assert_uint_eq(entry(i & 1 ? L1B : L1, 20 + i / 2),
                              host_pte(DATA, P | RW | U));
    ck_assert_uint_eq(entry(L1, 22), 0);
    ck_assert_uint_eq(m2p_get(_mfn(DATA)), 0x55);
    expect_frame(DATA, PGT_writable_page, 2 + 7, 1 + 7);
    expect_frame(L1, PGT_l1_page_table, 3, 1);       /* nothing still held */
    expect_frame(L1B, PGT_l1_page_table, 2, 1);
    host_assert_audit_clean(d1);

    for (unsigned int i = 0; i < 9; i++)
        req[i].val = 0;
    req[4] = (struct mmu_update){ ma(L1, 22), 0 };
    ck_assert_int_eq(do_mmu_update((uint64_t)req, 9, (uint64_t)&done, DOMID_SELF), 0);
    expect_frame(DATA, PGT_writable_page, 2, 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

/*
 * A bad request in the middle of fast ones: the earlier ones are done,
 * the count says how many (as Xen), the bad one and the later ones change
 * nothing, and the held L1's references are gone. Each kind of bad
 * request: a table mapped writable (here the held L1 itself), another
 * domain's frame, a ptr in a frame that is not ours.
 */
START_TEST(fast_batch_with_a_bad_request_in_the_middle)
{
    static const struct { uint64_t ptr_mfn, val; long rc; } bad[] = {
        { L1, 0, -XEN_EBUSY },             /* val: the L1 itself, writable */
        { L1, 1, -XEN_EBUSY },             /* val: d2's frame, writable    */
        { D2, 2, -XEN_EINVAL },            /* ptr: d2's frame              */
    };
    struct mmu_update req[5];

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    for (unsigned int k = 0; k < ARRAY_SIZE(bad); k++) {
        unsigned int done = 77;

        host_snapshot();
        for (unsigned int i = 0; i < 5; i++)
            req[i] = (struct mmu_update){ ma(L1, 10 + i), host_pte(DATA, P | RW) };
        req[2].ptr = ma(bad[k].ptr_mfn, 12);
        req[2].val = bad[k].val == 0 ? host_pte(L1, P | RW) :
                     bad[k].val == 1 ? host_pte(D2, P | RW) : host_pte(DATA, P | RW);
        ck_assert_int_eq(do_mmu_update((uint64_t)req, 5, (uint64_t)&done,
                                       DOMID_SELF), bad[k].rc);
        ck_assert_uint_eq(done, 2);
        ck_assert_uint_eq(entry(L1, 10), host_pte(DATA, P | RW | U));
        ck_assert_uint_eq(entry(L1, 11), host_pte(DATA, P | RW | U));
        for (unsigned int i = 12; i < 15; i++)
            ck_assert_uint_eq(entry(L1, i), 0);
        expect_frame(DATA, PGT_writable_page, 4, 3);
        expect_frame(L1, PGT_l1_page_table, 3, 1);
        host_assert_audit_clean(d1);
        ck_assert_int_eq(mmu1(ma(L1, 10), 0), 0);
        ck_assert_int_eq(mmu1(ma(L1, 11), 0), 0);
        host_assert_unchanged();
    }
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

/*
 * A request that changes the L1 the batch runs in: the L2 entry to L1B
 * goes, which drops L1B's last type reference (and the references of its
 * entries, the one just written included), so the next request on L1B is
 * an ordinary write to a frame that is no longer a table. Had the fast
 * path kept its type reference across that request, L1B would still be
 * an L1 with a mapping counted nowhere else.
 */
START_TEST(fast_batch_request_unhooks_its_l1)
{
    /* The unhooking request as each command that can write an L2 entry. */
    static const unsigned int cmd[] = { MMU_NORMAL_PT_UPDATE,
                                        MMU_PT_UPDATE_PRESERVE_AD,
                                        MMU_PT_UPDATE_NO_TRANSLATE };
    struct mmu_update req[4];
    unsigned int done = 0;

    for (unsigned int k = 0; k < ARRAY_SIZE(cmd); k++) {
        setup();
        build_tree_two_l1s();
        ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
        req[0] = (struct mmu_update){ ma(L1B, 20), host_pte(DATA, P | RW) };
        req[1] = (struct mmu_update){ ma(L1B, 21), host_pte(DATA, P | RW) };
        req[2] = (struct mmu_update){ ma(L2, 1) | cmd[k], 0 };
        req[3] = (struct mmu_update){ ma(L1B, 22), host_pte(DATA, P | RW) };
        ck_assert_int_eq(do_mmu_update((uint64_t)req, 4, (uint64_t)&done,
                                       DOMID_SELF), 0);
        ck_assert_uint_eq(done, 4);
        expect_frame(L1B, PGT_none, 1, 0);
        ck_assert_uint_eq(pg(L1B)->type, PGT_writable_page);  /* last use */
        ck_assert_uint_eq(entry(L1B, 22), host_pte(DATA, P | RW)); /* as is */
        expect_frame(DATA, PGT_writable_page, 2, 1);  /* L1B's maps dropped */
        host_assert_audit_clean(d1);
        ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
        memset(host_frame(L1B), 0, PAGE_SIZE);
        host_assert_at_rest();
    }
}
END_TEST

/*
 * What the fast path leaves to the general one, within one batch: a
 * frame's first writable mapping and its last (the type taken and
 * dropped, the flush clock stamped), read-only entries, cache attributes
 * and a foreigndom. Every count ends as the entries say.
 */
START_TEST(fast_path_leaves_first_and_last_references_to_the_general_path)
{
    struct mmu_update req[6];
    unsigned int done = 0;

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    expect_frame(DATA + 5, PGT_none, 1, 0);
    req[0] = (struct mmu_update){ ma(L1, 30), host_pte(DATA + 5, P | RW) }; /* first */
    req[1] = (struct mmu_update){ ma(L1, 31), host_pte(DATA + 5, P | RW) }; /* fast  */
    req[2] = (struct mmu_update){ ma(L1, 32), host_pte(DATA + 5, P) };      /* r/o   */
    req[3] = (struct mmu_update){ ma(L1, 30), 0 };                          /* fast  */
    req[4] = (struct mmu_update){ ma(L1, 31), host_pte(DATA + 6, P) };      /* last  */
    req[5] = (struct mmu_update){ ma(L1, 33), host_pte(DATA + 6, P | RW) }; /* first */
    ck_assert_int_eq(do_mmu_update((uint64_t)req, 6, (uint64_t)&done, DOMID_SELF), 0);
    ck_assert_uint_eq(done, 6);
    expect_frame(DATA + 5, PGT_none, 2, 0);             /* the r/o map    */
    ck_assert_uint_eq(pg(DATA + 5)->type, PGT_writable_page);
    expect_frame(DATA + 6, PGT_writable_page, 3, 1);
    expect_frame(L1, PGT_l1_page_table, 3, 1);
    host_assert_audit_clean(d1);
    /* A writable frame of ours, with cache attributes: refused (d1). */
    ck_assert_int_eq(mmu1(ma(L1, 34), host_pte(DATA + 6, P | RW | _PAGE_PCD)),
                     -XEN_EINVAL);
    for (unsigned int i = 30; i < 34; i++)
        ck_assert_int_eq(mmu1(ma(L1, i), 0), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

/*
 * update_va_mapping's fast path: an ordinary remap of a writable frame,
 * the old one keeping another mapping, with UVMF_INVLPG, UVMF_NONE and a
 * full flush; and what it must refuse, with nothing changed.
 */
START_TEST(fast_update_va_mapping)
{
    uint64_t flushes;

    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, L4), 0);
    ck_assert_int_eq(mmu1(ma(L1, 40), host_pte(DATA + 1, P | RW)), 0);
    ck_assert_int_eq(mmu1(ma(L1, 41), host_pte(DATA + 1, P | RW)), 0);
    expect_frame(DATA, PGT_writable_page, 2, 1);
    expect_frame(DATA + 1, PGT_writable_page, 4, 3);

    /* va 0x28000 is L1[40]: DATA + 1 -> DATA, both keep a mapping. */
    ck_assert_int_eq(do_update_va_mapping(0x28000, host_pte(DATA, P | RW),
                                          UVMF_INVLPG), 0);
    ck_assert_uint_eq(entry(L1, 40), host_pte(DATA, P | RW | U));
    expect_frame(DATA, PGT_writable_page, 3, 2);
    expect_frame(DATA + 1, PGT_writable_page, 3, 2);
    ck_assert_uint_eq(host_ev.invlpgs, 1);
    ck_assert_uint_eq(host_ev.last_invlpg, 0x28000);
    ck_assert_int_eq(do_update_va_mapping(0x29abc, host_pte(DATA, P | RW),
                                          UVMF_NONE), 0);
    ck_assert_uint_eq(host_ev.invlpgs, 1);
    flushes = host_ev.tlb_flushes;
    ck_assert_int_eq(do_update_va_mapping(0x29abc, host_pte(DATA + 1, P | RW),
                                          UVMF_TLB_FLUSH), 0);
    ck_assert_uint_eq(host_ev.tlb_flushes, flushes + 1);
    ck_assert_int_eq(do_update_va_mapping(0x28000, 0, UVMF_INVLPG), 0);
    expect_frame(DATA, PGT_writable_page, 2, 1);
    expect_frame(DATA + 1, PGT_writable_page, 3, 2);
    host_assert_audit_clean(d1);

    host_snapshot();
    ck_assert_int_eq(do_update_va_mapping(0x29000, host_pte(L1, P | RW),
                                          UVMF_INVLPG), -XEN_EBUSY);
    ck_assert_int_eq(do_update_va_mapping(0x29000, host_pte(D2, P | RW),
                                          UVMF_INVLPG), -XEN_EBUSY);
    ck_assert_int_eq(do_update_va_mapping(0x29000, host_pte(HOST_FRAMES, P | RW),
                                          UVMF_INVLPG), -XEN_EPERM);
    host_assert_unchanged();
    ck_assert_uint_eq(host_ev.invlpgs, 2);

    ck_assert_int_eq(mmu1(ma(L1, 41), 0), 0);
    drop_kernel_baseptr(&host_vcpu[1]);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}
END_TEST

/* ---- linear (recursive) page tables ---------------------------------- */

#define expect_linear(m, entries, uses) do { \
    ck_assert_msg(pg(m)->linear_entries == (entries) && \
                  pg(m)->linear_uses == (uses), \
                  "mfn %d: linear entries %u uses %u, want %u %u", (int)(m), \
                  pg(m)->linear_entries, pg(m)->linear_uses, \
                  (unsigned int)(entries), (unsigned int)(uses)); \
} while (0)

/*
 * A read-only self-map is accepted, by mmu_update and at validation, and
 * takes no reference; a writable one is -XEN_EINVAL (Xen 4.17, observed
 * by tests/guests/linear_page_tables.c).
 */
START_TEST(linear_self_map_takes_no_reference)
{
    setup();
    build_tree();
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    expect_frame(L4, PGT_l4_page_table, 2, 1);
    ck_assert_int_eq(mmu1(ma(L4, 5), host_pte(L4, P | RW)), -XEN_EINVAL);
    ck_assert_uint_eq(entry(L4, 5), 0);
    opt_pv_linear_pt = false;                     /* no-pv-linear-pt */
    ck_assert_int_eq(mmu1(ma(L4, 5), host_pte(L4, P)), -XEN_EINVAL);
    ck_assert_uint_eq(entry(L4, 5), 0);
    opt_pv_linear_pt = true;
    ck_assert_int_eq(mmu1(ma(L4, 5), host_pte(L4, P)), 0);
    ck_assert_uint_eq(entry(L4, 5), host_pte(L4, P | U));
    expect_frame(L4, PGT_l4_page_table, 2, 1);
    expect_linear(L4, 0, 0);
    host_assert_audit_clean(d1);
    ck_assert_int_eq(mmu1(ma(L3, 7), host_pte(L3, P)), 0);   /* an L3's */
    expect_frame(L3, PGT_l3_page_table, 2, 1);
    host_assert_audit_clean(d1);
    ck_assert_int_eq(mmu1(ma(L3, 7), 0), 0);
    ck_assert_int_eq(mmu1(ma(L4, 5), 0), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();

    /* At validation: a fresh L2 mapping itself, pinned. */
    host_frame(SPARE)[0] = host_pte(SPARE, P);
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, SPARE), 0);
    expect_frame(SPARE, PGT_l2_page_table, 2, 1);
    host_assert_audit_clean(d1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, SPARE), 0);
    host_assert_at_rest();
    host_frame(SPARE)[0] = host_pte(SPARE, P | RW);
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, SPARE), -XEN_EINVAL);
    host_frame(SPARE)[0] = 0;
    host_assert_at_rest();
}
END_TEST

/*
 * An entry pointing at another validated table of its level takes a
 * general and a type reference on it and counts one linear entry and one
 * use; XSA-240: a target may not gain linear entries, a table with linear
 * entries may not be a target (-XEN_EINVAL, as Xen 4.17). Unpinning and
 * devalidation give every reference and count back.
 */
START_TEST(linear_entries_count_and_keep_one_level)
{
    const unsigned int a = SPARE, b = SPARE + 1, c = SPARE + 2, e = SPARE + 3;

    setup();
    for (unsigned int m = a; m <= c; m++)
        ck_assert_int_eq(ext(MMUEXT_PIN_L3_TABLE, m), 0);
    ck_assert_int_eq(mmu1(ma(a, 0), host_pte(b, P)), 0);
    expect_frame(b, PGT_l3_page_table, 3, 2);
    expect_linear(a, 1, 0);
    expect_linear(b, 0, 1);
    host_assert_audit_clean(d1);
    ck_assert_int_eq(mmu1(ma(a, 1), host_pte(b, P | RW)), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(b, 0), host_pte(c, P)), -XEN_EINVAL);
    ck_assert_int_eq(mmu1(ma(c, 0), host_pte(a, P)), -XEN_EINVAL);
    expect_frame(b, PGT_l3_page_table, 3, 2);
    expect_frame(a, PGT_l3_page_table, 2, 1);
    expect_frame(c, PGT_l3_page_table, 2, 1);
    ck_assert_int_eq(mmu1(ma(b, 5), host_pte(b, P)), 0);  /* self: no count */
    expect_linear(b, 0, 1);
    ck_assert_int_eq(mmu1(ma(a, 2), host_pte(c, P)), 0);
    expect_linear(a, 2, 0);
    expect_linear(c, 0, 1);
    host_assert_audit_clean(d1);

    /* Validating a table with a linear entry: the same rules. */
    host_frame(e)[0] = host_pte(c, P);
    ck_assert_int_eq(ext(MMUEXT_PIN_L3_TABLE, e), 0);
    expect_linear(e, 1, 0);
    expect_linear(c, 0, 2);
    expect_frame(c, PGT_l3_page_table, 4, 3);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, e), 0);
    expect_linear(c, 0, 1);
    host_frame(e)[0] = host_pte(a, P);               /* a has entries */
    ck_assert_int_eq(ext(MMUEXT_PIN_L3_TABLE, e), -XEN_EINVAL);
    expect_frame(e, PGT_none, 1, 0);
    host_frame(e)[0] = 0;

    /* A target outlives its pin while the entry holds it. */
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, b), 0);
    expect_frame(b, PGT_l3_page_table, 2, 1);
    ck_assert(pg(b)->flags & PGF_validated);
    ck_assert_int_eq(mmu1(ma(a, 0), 0), 0);          /* b devalidated */
    expect_frame(b, PGT_none, 1, 0);
    expect_linear(b, 0, 0);
    expect_linear(a, 1, 0);
    host_frame(b)[5] = 0;

    /* Devalidating a gives back its entry on c. */
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, a), 0);
    expect_frame(a, PGT_none, 1, 0);
    expect_linear(a, 0, 0);
    expect_linear(c, 0, 0);
    expect_frame(c, PGT_l3_page_table, 2, 1);
    host_frame(a)[2] = 0;
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, c), 0);
    host_assert_at_rest();
}
END_TEST

/* An untyped zero frame is taken as a table one level down, never linear. */
START_TEST(linear_entry_needs_a_validated_target)
{
    const unsigned int a = SPARE, t = SPARE + 1;

    setup();
    ck_assert_int_eq(ext(MMUEXT_PIN_L3_TABLE, a), 0);
    ck_assert_int_eq(mmu1(ma(a, 0), host_pte(t, P)), 0);
    expect_frame(t, PGT_l2_page_table, 2, 1);
    expect_linear(a, 0, 0);
    ck_assert_int_eq(mmu1(ma(a, 0), 0), 0);
    /* Another domain's L3 is refused. */
    ck_assert_int_eq(mmu1(ma(a, 0), host_pte(D2, P)), -XEN_EINVAL);
    expect_linear(a, 0, 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, a), 0);
    host_assert_at_rest();
}
END_TEST

static Suite *mm_suite(void)
{
    Suite *s = suite_create("mm");
    TCase *types = tcase_create("type transitions");
    TCase *rules = tcase_create("entry rules");
    TCase *calls = tcase_create("hypercalls");

    tcase_add_test(types, pin_l4_validates_every_entry_and_unpin_devalidates);
    tcase_add_test(types, pin_each_level_takes_the_references_below_it);
    tcase_add_test(types, last_reference_from_above_devalidates);
    tcase_add_test(types, failed_validation_unwinds_every_reference);
    tcase_add_test(types, frame_mapped_writable_cannot_become_a_table);
    tcase_add_test(types, table_cannot_be_mapped_writable);
    tcase_add_test(rules, l4_hypervisor_slots_are_refused_and_kept);
    tcase_add_test(rules, linear_self_map_takes_no_reference);
    tcase_add_test(rules, linear_entries_count_and_keep_one_level);
    tcase_add_test(rules, linear_entry_needs_a_validated_target);
    tcase_add_test(rules, superpages_are_refused);
    tcase_add_test(rules, cache_and_large_page_bits_are_refused_high_bits_are_the_guests);
    tcase_add_test(rules, other_domains_frames_are_refused);
    tcase_add_test(rules, frames_beyond_ram_are_device_memory);
    tcase_add_test(calls, batch_with_a_bad_entry_in_the_middle);
    tcase_add_test(calls, long_batch_continues_with_the_done_count);
    tcase_add_test(calls, bad_arguments);
    tcase_add_test(calls, preserve_ad_keeps_the_old_accessed_and_dirty_bits);
    tcase_add_test(calls, machphys_update_sets_the_m2p_of_our_frames_only);
    tcase_add_test(calls, foreign_pins_validate_as_the_owner);
    tcase_add_test(calls, plain_and_descriptor_frames);
    tcase_add_test(calls, pin_twice_is_refused);
    tcase_add_test(calls, unpin_of_an_unpinned_frame_is_refused);
    tcase_add_test(calls, new_baseptr_takes_only_a_valid_l4);
    tcase_add_test(calls, update_va_mapping_validates_and_flushes);
    tcase_add_test(calls, fast_batch_alternating_two_l1s);
    tcase_add_test(calls, fast_batch_with_a_bad_request_in_the_middle);
    tcase_add_test(calls, fast_batch_request_unhooks_its_l1);
    tcase_add_test(calls, fast_path_leaves_first_and_last_references_to_the_general_path);
    tcase_add_test(calls, fast_update_va_mapping);
    suite_add_tcase(s, types);
    suite_add_tcase(s, rules);
    suite_add_tcase(s, calls);
    return s;
}

int main(void)
{
    return harness_main(mm_suite());
}
