/* SPDX-License-Identifier: MIT */
/*
 * gnttab_table_ops - grant_table_op (20): the sub-ops about the table
 * itself (setup_table, query_size, set_version, get_version,
 * get_status_frames, dump_table, cache_flush), with good and bad
 * arguments, on our own table.
 * Rule: a bad argument of the whole call (count, an unreadable struct, a
 * sub-op number) is the hypercall's -XEN_E*; a bad argument of one op
 * (its domain, its size, its output list) is a GNTST_* in its status, with
 * the hypercall returning 0. The table's frames are the hypervisor's,
 * shared writable with the domain and mappable by it.
 *
 * Each case's want is Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU
 * with gnttab=max-ver:1 on its command line: all 61 agree; the hostile
 * harness's run-xen.sh with that option added). Without the option (Xen's
 * default, max-ver 2) set_version 2 succeeds and the table is v2 after;
 * the comments at those cases say what Xen's default answers there:
 * pvisor is Xen with max-ver:1 (docs/decisions.md).
 * Highlights: count must be 1 for setup_table and query_size (-EINVAL);
 * an unknown domain is GNTST_bad_domain there but -ESRCH for get_version;
 * a frame list that cannot be written is GNTST_bad_virt_addr, one that
 * starts in the hypervisor's range -EFAULT; 65 frames is general_error
 * (max_grant_frames 64); dump_table is gone (-ENOSYS); cache_flush
 * cleans a frame of ours (0) and refuses unknown op bits (-EINVAL).
 * Undo: the table stays as grown (a table never shrinks, as on Xen); the
 * scratch page's mapping is put back.
 */
#include "hostile_gnttab.h"

#define E(x) (-XEN_##x)

static void size_cases(struct hg_cases *c)
{
    struct gnttab_query_size q;

    hg_case(c, "query_size SELF", hg_gnttab_query_size(DOMID_SELF, &q), GNTST_okay);
    hg_case(c, "  nr_frames at start", q.nr_frames, 1);
    hg_case(c, "  max_nr_frames (Xen's default max_grant_frames)", q.max_nr_frames, 64);
    hg_case(c, "query_size 0 (our id)", hg_gnttab_query_size(0, &q), GNTST_okay);
    hg_case(c, "query_size no such domain", hg_gnttab_query_size(HG_NO_DOMID, &q),
            GNTST_bad_domain);
    hg_case(c, "query_size DOMID_XEN", hg_gnttab_query_size(DOMID_XEN, &q),
            GNTST_bad_domain);
    q.dom = DOMID_SELF;
    hg_case(c, "query_size count 0", hg_grant_table_op(GNTTABOP_query_size, &q, 0), E(EINVAL));
    hg_case(c, "query_size count 2", hg_grant_table_op(GNTTABOP_query_size, &q, 2), E(EINVAL));
    hg_case(c, "query_size arg unmapped",
            hg_grant_table_op(GNTTABOP_query_size, HG_BAD_PTR, 1), E(EFAULT));
}

/* Map table frame mfn at scratch page 1's VA, write an entry, read it back. */
static void map_frame_case(struct hg_cases *c, unsigned long mfn)
{
    volatile struct grant_entry_v1 *e = hg_page(1);
    uint64_t old = hg_read_pte((unsigned long)e);
    long rc;

    rc = hg_update_va_mapping((unsigned long)e, (mfn << PAGE_SHIFT) | HG_PTE_FLAGS,
                              UVMF_INVLPG);
    hg_case(c, "map table frame 0 writable", rc, 0);
    if (rc)
        return;
    hg_case(c, "  entry 8 starts zero", e[8].flags | e[8].domid | e[8].frame, 0);
    e[8].frame = 0x1234;
    e[8].domid = 0;
    hg_case(c, "  entry 8 written", e[8].frame, 0x1234);
    e[8].frame = 0;
    hg_case(c, "scratch mapping back",
            hg_update_va_mapping((unsigned long)e, old, UVMF_INVLPG), 0);
}

static void setup_cases(struct hg_cases *c)
{
    xen_pfn_t *list = hg_page(0);
    struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = 1 };
    struct gnttab_query_size q;
    unsigned long first;

    list[0] = 0;
    hg_case(c, "setup_table 1 frame", hg_gnttab_setup_table(DOMID_SELF, 1, list), GNTST_okay);
    first = list[0];
    hg_case(c, "  a frame given", first != 0, 1);
    map_frame_case(c, first);
    hg_case(c, "setup_table 0 frames", hg_gnttab_setup_table(DOMID_SELF, 0, list), GNTST_okay);
    hg_case(c, "setup_table 65 frames (max 64)",
            hg_gnttab_setup_table(DOMID_SELF, 65, list), GNTST_general_error);
    hg_case(c, "setup_table no such domain",
            hg_gnttab_setup_table(HG_NO_DOMID, 1, list), GNTST_bad_domain);
    hg_case(c, "setup_table list unmapped",
            hg_gnttab_setup_table(DOMID_SELF, 1, HG_BAD_PTR), GNTST_bad_virt_addr);
    hg_case(c, "setup_table list in hypervisor range",
            hg_gnttab_setup_table(DOMID_SELF, 1, HG_XEN_PTR), E(EFAULT));
    set_xen_guest_handle(op.frame_list, list);
    hg_case(c, "setup_table count 0", hg_grant_table_op(GNTTABOP_setup_table, &op, 0), E(EINVAL));
    hg_case(c, "setup_table count 2", hg_grant_table_op(GNTTABOP_setup_table, &op, 2), E(EINVAL));
    hg_case(c, "setup_table arg unmapped",
            hg_grant_table_op(GNTTABOP_setup_table, HG_BAD_PTR, 1), E(EFAULT));
    hg_case(c, "query_size after failures", hg_gnttab_query_size(DOMID_SELF, &q), GNTST_okay);
    hg_case(c, "  still 1 frame", q.nr_frames, 1);
    hg_case(c, "setup_table 4 frames", hg_gnttab_setup_table(DOMID_SELF, 4, list), GNTST_okay);
    hg_case(c, "  frame 0 unchanged", list[0] == first, 1);
    hg_case(c, "  frames distinct", list[1] != list[0] && list[2] != list[1] &&
            list[3] != list[2] && list[3] != list[0], 1);
    hg_gnttab_query_size(DOMID_SELF, &q);
    hg_case(c, "  query_size: 4 frames", q.nr_frames, 4);
    hg_case(c, "setup_table 64 frames (the max)",
            hg_gnttab_setup_table(DOMID_SELF, 64, list), GNTST_okay);
    hg_gnttab_query_size(DOMID_SELF, &q);
    hg_case(c, "  query_size: 64 frames", q.nr_frames, 64);
}

static long set_version(uint32_t v, uint32_t *out)
{
    struct gnttab_set_version op = { .version = v };
    long rc = hg_grant_table_op(GNTTABOP_set_version, &op, 1);

    *out = op.version;
    return rc;
}

static long get_version(domid_t dom, uint32_t *out)
{
    struct gnttab_get_version op = { .dom = dom, .version = 0xdead };
    long rc = hg_grant_table_op(GNTTABOP_get_version, &op, 1);

    *out = op.version;
    return rc;
}

static void version_cases(struct hg_cases *c)
{
    uint32_t v;

    hg_case(c, "get_version SELF", get_version(DOMID_SELF, &v), 0);
    hg_case(c, "  version", v, 1);
    hg_case(c, "get_version no such domain", get_version(HG_NO_DOMID, &v), E(ESRCH));
    hg_case(c, "get_version arg unmapped",
            hg_grant_table_op(GNTTABOP_get_version, HG_BAD_PTR, 1), E(EFAULT));
    hg_case(c, "set_version 1", set_version(1, &v), 0);
    hg_case(c, "  version out", v, 1);
    /* Xen's default (max-ver 2): 0 here, and the table is v2 after. */
    hg_case(c, "set_version 2 (max-ver:1)", set_version(2, &v), E(ENOSYS));
    /* Xen's default: version out 2 here and in the cases below. */
    hg_case(c, "  version out", v, 1);
    hg_case(c, "set_version 0", set_version(0, &v), E(EINVAL));
    hg_case(c, "  version out", v, 1);
    hg_case(c, "set_version 3", set_version(3, &v), E(EINVAL));
    hg_case(c, "set_version arg unmapped",
            hg_grant_table_op(GNTTABOP_set_version, HG_BAD_PTR, 1), E(EFAULT));
    hg_case(c, "get_version after", get_version(DOMID_SELF, &v), 0);
    hg_case(c, "  version", v, 1);
}

/* Two cache_flush ops in scratch page 2: *good, then one with bad op bits. */
static struct gnttab_cache_flush *multi_flush(const struct gnttab_cache_flush *good)
{
    struct gnttab_cache_flush *two = hg_page(2);

    two[0] = *good;
    two[1] = *good;
    two[1].op = 8;
    return two;
}

static void other_cases(struct hg_cases *c)
{
    struct gnttab_get_status_frames sf = { .nr_frames = 1, .dom = DOMID_SELF, .status = 0x7777 };
    struct gnttab_dump_table dt = { .dom = DOMID_SELF, .status = 0x7777 };
    struct gnttab_cache_flush cf = { 0 };
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    uint64_t frames[1];
    long rc;

    set_xen_guest_handle(sf.frame_list, frames);
    sf.nr_frames = 0;
    rc = hg_grant_table_op(GNTTABOP_get_status_frames, &sf, 1);
    hg_case(c, "get_status_frames 0 on v1", rc ? rc : sf.status, GNTST_okay);
    sf.nr_frames = 1;
    sf.status = 0x7777;
    rc = hg_grant_table_op(GNTTABOP_get_status_frames, &sf, 1);
    /* Xen's default (max-ver 2, the table now v2): GNTST_okay. */
    hg_case(c, "get_status_frames on v1", rc ? rc : sf.status, GNTST_general_error);
    /* Xen 4.17 has no dump_table case: the default's -ENOSYS. */
    hg_case(c, "dump_table SELF", hg_grant_table_op(GNTTABOP_dump_table, &dt, 1), E(ENOSYS));
    hg_case(c, "cache_flush count 0", hg_grant_table_op(GNTTABOP_cache_flush, &cf, 0), 0);
    hg_case(c, "cache_flush op 0", hg_grant_table_op(GNTTABOP_cache_flush, &cf, 1), 0);
    cf.op = 4;
    cf.length = 8;
    hg_case(c, "cache_flush bad op bits", hg_grant_table_op(GNTTABOP_cache_flush, &cf, 1),
            E(EINVAL));
    cf.op = GNTTAB_CACHE_CLEAN;
    cf.a.dev_bus_addr = (uint64_t)hg_virt_to_mfn(hg_page(0)) << PAGE_SHIFT;
    hg_case(c, "cache_flush clean own frame", hg_grant_table_op(GNTTABOP_cache_flush, &cf, 1),
            0);
    cf.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL;
    hg_case(c, "cache_flush clean+inval own frame",
            hg_grant_table_op(GNTTABOP_cache_flush, &cf, 1), 0);
    cf.op = GNTTAB_CACHE_INVAL;
    hg_case(c, "cache_flush inval own frame",
            hg_grant_table_op(GNTTABOP_cache_flush, &cf, 1), E(EOPNOTSUPP));
    cf.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_SOURCE_GREF;
    hg_case(c, "cache_flush SOURCE_GREF",
            hg_grant_table_op(GNTTABOP_cache_flush, &cf, 1), E(EINVAL));
    cf.op = GNTTAB_CACHE_CLEAN;
    cf.a.dev_bus_addr = 0xfffff000000UL;
    hg_case(c, "cache_flush frame beyond RAM",
            hg_grant_table_op(GNTTABOP_cache_flush, &cf, 1), E(EINVAL));
    cf.a.dev_bus_addr = (uint64_t)hg_virt_to_mfn(hg_page(0)) << PAGE_SHIFT;
    hg_case(c, "cache_flush batch of 2, second bad",
            hg_grant_table_op(GNTTABOP_cache_flush, multi_flush(&cf), 2), E(EINVAL));
    cf.offset = 4092;
    hg_case(c, "cache_flush crossing the page",
            hg_grant_table_op(GNTTABOP_cache_flush, &cf, 1), E(EINVAL));
    hg_case(c, "sub-op 13", hg_grant_table_op(13, &q, 1), E(ENOSYS));
    hg_case(c, "query_size with continuation bits",
            hg_grant_table_op(GNTTABOP_query_size | (1u << 12), &q, 1), E(EINVAL));
    hg_case(c, "query_size count 2^31",
            hg_grant_table_op(GNTTABOP_query_size, &q, 0x80000000UL), E(EINVAL));
}

const char *hostile_gnttab_table_ops(void)
{
    static struct hg_cases c;

    size_cases(&c);
    version_cases(&c);
    setup_cases(&c);
    other_cases(&c);
    return hg_cases_verdict(&c);
}
