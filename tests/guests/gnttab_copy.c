/* SPDX-License-Identifier: MIT */
/*
 * gnttab_copy - grant_table_op (20) GNTTABOP_copy: bytes between frames
 * named by a grant (GNTCOPY_*_gref: ours, granted to ourselves) or by
 * frame number (only DOMID_SELF may name a frame).
 * Rule: each op's status says what went wrong, the call returns 0; the
 * source is read, the destination must be writable; no op crosses its
 * page (GNTST_bad_copy_arg, checked after both frames are found); the
 * granter's entry bits are back as they were after the copy.
 *
 * Each case's want is Xen 4.17.7's answer (all 28 equal; dom0 in QEMU,
 * run-xen.sh with gnttab=max-ver:1 added). Worth knowing: a frame named
 * by our own id rather than DOMID_SELF is GNTST_permission_denied, but an
 * unknown id is GNTST_bad_domain (looked up first); a bad ref wins over
 * a crossing length; a page table may be the source, never the
 * destination (GNTST_general_error); a batch goes on past a failed op.
 * Undo: the table's mapping and our entries back as they were.
 */
#include "hostile_gnttab.h"

#define REF    8u
#define REF_RO 9u

static volatile struct grant_entry_v1 *table;

struct side {
    uint32_t ref_or_frame;
    domid_t domid;
    uint16_t offset;
    bool gref;
};

static long copy1(struct side s, struct side d, uint16_t len)
{
    struct gnttab_copy op = {
        .source = { .domid = s.domid, .offset = s.offset },
        .dest = { .domid = d.domid, .offset = d.offset },
        .len = len, .status = 0x7777,
        .flags = (uint16_t)((s.gref ? GNTCOPY_source_gref : 0) | (d.gref ? GNTCOPY_dest_gref : 0)),
    };
    long rc;

    if (s.gref)
        op.source.u.ref = s.ref_or_frame;
    else
        op.source.u.gmfn = s.ref_or_frame;
    if (d.gref)
        op.dest.u.ref = d.ref_or_frame;
    else
        op.dest.u.gmfn = d.ref_or_frame;
    rc = hg_grant_table_op(GNTTABOP_copy, &op, 1);
    return rc ? rc : op.status;
}

static void grant(grant_ref_t ref, unsigned long frame, uint16_t flags)
{
    hg_grant(table, ref, 0, frame, flags);
}

static void cases(struct hg_cases *c, unsigned long f4, unsigned long f5,
                  volatile uint8_t *p4, volatile uint8_t *p5)
{
    struct side s4 = { f4, DOMID_SELF, 0, false }, s5 = { f5, DOMID_SELF, 0, false };
    struct side g8 = { REF, 0, 0, true }, g9 = { REF_RO, 0, 0, true };
    struct side t;
    struct gnttab_copy *two = hg_page(6);

    p4[100] = 0xab;
    s4.offset = 100;
    s5.offset = 200;
    hg_case(c, "frame to frame", copy1(s4, s5, 1), GNTST_okay);
    hg_case(c, "  copied", p5[200], 0xab);
    t = s4;
    t.domid = 0;
    hg_case(c, "frame of d0 named by id, not DOMID_SELF", copy1(t, s5, 1),
            GNTST_permission_denied);
    t.domid = HG_NO_DOMID;
    /* The domain is looked up first: not permission_denied. */
    hg_case(c, "frame of no such domain", copy1(t, s5, 1), GNTST_bad_domain);
    grant(REF, f4, GTF_permit_access);
    g8.offset = 100;
    s5.offset = 300;
    hg_case(c, "grant to frame", copy1(g8, s5, 1), GNTST_okay);
    hg_case(c, "  copied", p5[300], 0xab);
    hg_case(c, "  entry bits back", table[REF].flags, GTF_permit_access);
    grant(REF_RO, f5, GTF_permit_access | GTF_readonly);
    g9.offset = 0;
    hg_case(c, "frame to a read-only grant", copy1(s4, g9, 1), GNTST_general_error);
    hg_case(c, "  entry bits back", table[REF_RO].flags, GTF_permit_access | GTF_readonly);
    g9.offset = 300;
    s4.offset = 0;
    hg_case(c, "read-only grant to frame", copy1(g9, s4, 1), GNTST_okay);
    hg_case(c, "  copied", p4[0], 0xab);
    t = g8;
    t.ref_or_frame = 512;
    hg_case(c, "bad source ref", copy1(t, s5, 1), GNTST_bad_gntref);
    t = g8;
    t.domid = HG_NO_DOMID;
    hg_case(c, "source grant of no such domain", copy1(t, s5, 1), GNTST_bad_domain);
    t = g8;
    t.ref_or_frame = 10;
    hg_case(c, "source grant invalid entry", copy1(t, s5, 1), GNTST_general_error);
    s4.offset = 4090;
    hg_case(c, "source crossing its page", copy1(s4, s5, 16), GNTST_bad_copy_arg);
    s4.offset = 0;
    s5.offset = 4095;
    hg_case(c, "dest crossing its page", copy1(s4, s5, 2), GNTST_bad_copy_arg);
    t = g8;
    t.ref_or_frame = 512;
    hg_case(c, "bad ref and crossing", copy1(t, s5, 2), GNTST_bad_gntref);
    s5.offset = 0;
    t = s5;
    t.ref_or_frame = 0xfffff000u;
    hg_case(c, "dest frame beyond RAM", copy1(s4, t, 1), GNTST_bad_page);
    t.ref_or_frame = (uint32_t)(hg_read_cr3() >> PAGE_SHIFT);
    hg_case(c, "dest our L4", copy1(s4, t, 1), GNTST_general_error);
    hg_case(c, "source our L4", copy1(t, s5, 8), GNTST_okay);
    hg_case(c, "count 0", hg_grant_table_op(GNTTABOP_copy, NULL, 0), 0);
    hg_case(c, "arg unmapped", hg_grant_table_op(GNTTABOP_copy, HG_BAD_PTR, 1), -XEN_EFAULT);
    memset(two, 0, 2 * sizeof(*two));
    two[0].source.u.gmfn = two[1].source.u.gmfn = f4;
    two[0].dest.u.gmfn = two[1].dest.u.gmfn = f5;
    two[0].source.domid = two[1].source.domid = DOMID_SELF;
    two[0].dest.domid = two[1].dest.domid = DOMID_SELF;
    two[0].len = 8;
    two[1].len = 8;
    two[1].dest.offset = 4092;
    hg_case(c, "batch of 2", hg_grant_table_op(GNTTABOP_copy, two, 2), 0);
    hg_case(c, "  first okay", two[0].status, GNTST_okay);
    hg_case(c, "  second crossing", two[1].status, GNTST_bad_copy_arg);
    table[REF].flags = 0;
    table[REF_RO].flags = 0;
}

const char *hostile_gnttab_copy(void)
{
    static struct hg_cases c;
    uint64_t pte_t1;

    table = hg_gnttab_map_own(&c, &pte_t1);
    if (!table)
        return hg_cases_verdict(&c);
    cases(&c, hg_virt_to_mfn(hg_page(4)), hg_virt_to_mfn(hg_page(5)), hg_page(4), hg_page(5));
    hg_gnttab_unmap_own(&c, pte_t1);
    return hg_cases_verdict(&c);
}
