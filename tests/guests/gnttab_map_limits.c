/* SPDX-License-Identifier: MIT */
/*
 * gnttab_map_limits - grant_table_op (20) map_grant_ref's limits, on
 * grants to ourselves (dom0: d0): how many mappings of one ref of one
 * kind, and how many handles.
 * Rule: Xen counts a ref's mappings in four 8-bit pin counters (host
 * writable, host read-only, device writable, device read-only) and
 * refuses a map whose counter has its top bit set: the 129th mapping of a
 * kind is GNTST_general_error, another kind still maps; a copy pins as a
 * host mapping and is refused the same way. With no free handle a map is
 * GNTST_no_space (Xen 4.17 since "maptrack handle shortage is not IOMMU
 * related"; before, GNTST_no_device_space).
 *
 * Each case's want is Xen 4.17.7's answer (dom0 in QEMU, run-xen.sh with
 * gnttab=max-ver:1 gnttab_max_maptrack_frames=1 added: 256 handles, so the
 * handles run out; pvisor has 512), all equal on pvisor. How many handles
 * there were is printed, not checked.
 * Undo: every mapping unmapped, the scratch PTE put back; the spare L1 of
 * our own stays pinned (empty).
 */
#include "hostile_gnttab.h"
#include "mm.h"

#define REF        8u
#define REF_FIRST  13u                  /* the refs that use up the handles */
#define REF_COUNT  6u
#define MAX_MAPS   1024u

static volatile struct grant_entry_v1 *table;
static grant_handle_t handles[MAX_MAPS];

static long map(uint64_t addr, uint32_t flags, grant_ref_t ref, grant_handle_t *handle)
{
    return hg_gnttab_map(0, ref, addr, flags, handle, NULL);
}

/* Map with flags at addr(i) until a map fails: how many worked, *last the
 * failure's status. */
static unsigned int map_until(uint64_t (*addr)(unsigned int), uint32_t flags,
                              grant_ref_t (*ref)(unsigned int), long *last)
{
    unsigned int n;

    *last = GNTST_okay;
    for (n = 0; n < MAX_MAPS; n++) {
        *last = map(addr ? addr(n) : 0, flags, ref(n), &handles[n]);
        if (*last != GNTST_okay)
            break;
    }
    return n;
}

/* Unmap handles[0, n): how many unmaps failed. */
static unsigned int unmap_all(uint64_t (*addr)(unsigned int), uint64_t bus, unsigned int n)
{
    unsigned int bad = 0;

    for (unsigned int i = 0; i < n; i++)
        bad += hg_gnttab_unmap(addr ? addr(i) : 0, bus, handles[i]) != GNTST_okay;
    return bad;
}

static uint64_t l1_ma;
static uint64_t l1_entry(unsigned int i) { return l1_ma + 8 * (i % 512); }
static grant_ref_t one_ref(unsigned int i) { (void)i; return REF; }
static grant_ref_t many_refs(unsigned int i) { return REF_FIRST + i % REF_COUNT; }

static long copy_from_ref(void *dest)
{
    struct gnttab_copy op = {
        .source = { .u.ref = REF, .domid = 0 },
        .dest = { .u.gmfn = hg_virt_to_mfn(dest), .domid = DOMID_SELF },
        .len = 8, .flags = GNTCOPY_source_gref, .status = 0x7777,
    };
    long rc = hg_grant_table_op(GNTTABOP_copy, &op, 1);

    return rc ? rc : op.status;
}

static void pin_cases(struct hg_cases *c, unsigned long frame)
{
    uint64_t bus = (uint64_t)frame << PAGE_SHIFT, va = (uint64_t)hg_page(3);
    uint64_t pte = hg_read_pte(va);
    unsigned int n;
    grant_handle_t h;
    long last;

    hg_grant(table, REF, 0, frame, GTF_permit_access);
    n = map_until(NULL, GNTMAP_device_map | GNTMAP_readonly, one_ref, &last);
    hg_case(c, "device read-only maps of one ref", n, 128);
    hg_case(c, "  the next", last, GNTST_general_error);
    hg_case(c, "  a writable device map still", map(0, GNTMAP_device_map, REF, &h), GNTST_okay);
    hg_case(c, "  unmapped", hg_gnttab_unmap(0, bus, h), GNTST_okay);
    hg_case(c, "  a read-only host map still", map(va, GNTMAP_host_map | GNTMAP_readonly,
                                                   REF, &h), GNTST_okay);
    hg_case(c, "  unmapped", hg_gnttab_unmap(va, 0, h), GNTST_okay);
    hg_case(c, "  PTE back", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);
    hg_case(c, "  a copy from it", copy_from_ref(hg_page(6)), GNTST_okay);
    hg_case(c, "  unmapped, failures", unmap_all(NULL, bus, n), 0);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);

    n = map_until(l1_entry, GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_readonly,
                  one_ref, &last);
    hg_case(c, "host read-only maps of one ref (PTEs of our L1)", n, 128);
    hg_case(c, "  the next", last, GNTST_general_error);
    hg_case(c, "  a copy from it", copy_from_ref(hg_page(6)), GNTST_general_error);
    hg_case(c, "  unmapped, failures", unmap_all(l1_entry, 0, n), 0);
    hg_case(c, "  a copy from it now", copy_from_ref(hg_page(6)), GNTST_okay);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    table[REF].flags = 0;
}

static void handle_cases(struct hg_cases *c, unsigned long frame)
{
    uint64_t bus = (uint64_t)frame << PAGE_SHIFT;
    unsigned int n;
    long last;

    for (unsigned int i = 0; i < REF_COUNT; i++)
        hg_grant(table, REF_FIRST + i, 0, frame, GTF_permit_access | GTF_readonly);
    n = map_until(NULL, GNTMAP_device_map | GNTMAP_readonly, many_refs, &last);
    printk("hostile:   (%u handles)\n", n);
    hg_case(c, "maps until the handles run out: some", n > 100 && n < MAX_MAPS, 1);
    hg_case(c, "  the next", last, GNTST_no_space);
    hg_case(c, "  unmapped, failures", unmap_all(NULL, bus, n), 0);
    hg_case(c, "  a map again", map(0, GNTMAP_device_map | GNTMAP_readonly, REF_FIRST,
                                    &handles[0]), GNTST_okay);
    hg_case(c, "  unmapped", hg_gnttab_unmap(0, bus, handles[0]), GNTST_okay);
    for (unsigned int i = 0; i < REF_COUNT; i++)
        table[REF_FIRST + i].flags = 0;
}

const char *hostile_gnttab_map_limits(void)
{
    static struct hg_cases c;
    uint64_t pte_t1, pfn = mm_alloc_pfn();
    unsigned long frame = hg_virt_to_mfn(hg_page(4));
    void *l1;

    table = hg_gnttab_map_own(&c, &pte_t1);
    if (!table || pfn == INVALID_FRAME)
        return hg_cases_verdict(&c);
    l1 = pfn_to_virt(pfn);
    memset(l1, 0, PAGE_SIZE);
    hg_case(&c, "our spare frame read-only", hg_set_readonly(l1), 0);
    hg_case(&c, "  pinned as an L1", hg_mmuext1(MMUEXT_PIN_L1_TABLE, hg_virt_to_mfn(l1)), 0);
    l1_ma = (uint64_t)hg_virt_to_mfn(l1) << PAGE_SHIFT;
    pin_cases(&c, frame);
    handle_cases(&c, frame);
    hg_gnttab_unmap_own(&c, pte_t1);
    return hg_cases_verdict(&c);
}
