/* SPDX-License-Identifier: MIT */
/*
 * gnttab_contains_pte - grant_table_op (20) map_grant_ref and
 * unmap_grant_ref with GNTMAP_contains_pte (host_addr is the machine
 * address of an L1 entry, as Linux's gntdev maps) and GNTMAP_device_map
 * (the frame held for a device, no PTE), on grants to ourselves.
 * Rule: the entry must be 8-byte aligned in a validated L1 table in use
 * of the caller's (not a data frame, not an upper-level table, not a
 * table that is no longer one, not a frame of someone else); it gets the
 * granted frame (read-only with GNTMAP_readonly) with the references and
 * GTF_reading/GTF_writing bits of a VA mapping; unmap by the same address
 * clears it if it still maps the frame as mapped. device_map holds the
 * frame's references itself; unmap with dev_bus_addr (checked against the
 * frame: GNTST_bad_dev_addr) lets them go; a mapping with both parts goes
 * one part at a time (XSA-224). Each bad op is a GNTST_* in its status and
 * changes nothing.
 *
 * Each case's want is Xen 4.17.7's answer (dom0 in QEMU, run-xen.sh with
 * gnttab=max-ver:1 added), all equal on pvisor. Worth knowing: every bad PTE
 * address is GNTST_general_error, as is unmap by the address of a PTE
 * that no longer maps the frame; a successful map of any kind returns the
 * frame's machine address in dev_bus_addr.
 * Undo: the scratch PTEs put back. Left behind on purpose, for the frame
 * audit and the release at the domain's end: a pinned L1 of our own
 * holding a writable and a read-only contains_pte mapping, and a writable
 * device mapping. Run by dom0 (hostile-gnttab_contains_pte) and by a boot
 * domU that then ends (domu-gnttab-contains-pte): our domain id is found
 * by mapping our own grant.
 */
#include "hostile_gnttab.h"
#include "mm.h"

#define REF    8u
#define REF_RO 9u
#define REF_VA 10u                      /* its handle is left behind */

static volatile struct grant_entry_v1 *table;
static domid_t self;
static uint64_t bus;                    /* the last map's dev_bus_addr */

static long map(uint64_t addr, uint32_t flags, grant_ref_t ref, grant_handle_t *handle)
{
    return hg_gnttab_map(self, ref, addr, flags, handle, &bus);
}

/* Our domain id: the one whose map of our own grant works. */
static bool find_self(uint64_t va, unsigned long frame)
{
    uint64_t pte = hg_read_pte(va);
    bool found = false;

    for (unsigned int id = 0; id < 64; id++) {
        grant_handle_t h;

        self = (domid_t)id;
        hg_grant(table, REF, self, frame, GTF_permit_access | GTF_readonly);
        if (map(va, GNTMAP_host_map | GNTMAP_readonly, REF, &h) == GNTST_okay) {
            found = hg_gnttab_unmap(va, 0, h) == GNTST_okay;
            break;
        }
    }
    table[REF].flags = 0;
    return hg_update_va_mapping(va, pte, UVMF_INVLPG) == 0 && found;
}

/* A fresh frame of ours, zeroed, mapped read-only and pinned as an L1 (no
 * VA reaches through it): its machine address, or 0. Never freed. */
static uint64_t new_l1(struct hg_cases *c, volatile uint64_t **l1)
{
    uint64_t pfn = mm_alloc_pfn();
    void *va;

    if (pfn == INVALID_FRAME)
        return 0;
    va = pfn_to_virt(pfn);
    memset(va, 0, PAGE_SIZE);
    *l1 = va;
    hg_case(c, "our spare frame read-only", hg_set_readonly(va), 0);
    hg_case(c, "  pinned as an L1", hg_mmuext1(MMUEXT_PIN_L1_TABLE, hg_virt_to_mfn(va)), 0);
    return (uint64_t)hg_virt_to_mfn(va) << PAGE_SHIFT;
}

/* Addresses that name no L1 entry of ours: each refused, nothing changed. */
static void bad_address_cases(struct hg_cases *c, uint64_t l1, uint64_t table_ma)
{
    uint32_t f = GNTMAP_host_map | GNTMAP_contains_pte;
    unsigned long l2_mfn, l4_mfn = hg_read_cr3() >> PAGE_SHIFT;
    uint64_t data = (uint64_t)hg_virt_to_mfn(hg_page(6)) << PAGE_SHIFT;

    hg_walk((unsigned long)hg_page(3), 2, &l2_mfn);
    hg_case(c, "map at a misaligned PTE address", map(l1 + 8 * 3 + 4, f, REF, NULL),
            GNTST_general_error);
    hg_case(c, "map at a misaligned PTE address (+1)", map(l1 + 1, f, REF, NULL),
            GNTST_general_error);
    hg_case(c, "map in a data frame of ours", map(data + 8, f, REF, NULL), GNTST_general_error);
    hg_case(c, "  data frame untouched", ((volatile uint64_t *)hg_page(6))[1], 0);
    hg_case(c, "map in our L2", map(((uint64_t)l2_mfn << PAGE_SHIFT) + 8 * 300, f, REF, NULL),
            GNTST_general_error);
    hg_case(c, "map in our L4", map(((uint64_t)l4_mfn << PAGE_SHIFT) + 8 * 10, f, REF, NULL),
            GNTST_general_error);
    hg_case(c, "map in our grant table frame", map(table_ma + 8 * 100, f, REF, NULL),
            GNTST_general_error);
    hg_case(c, "map in a frame not ours (mfn 0)", map(8 * 5, f, REF, NULL),
            GNTST_general_error);
    hg_case(c, "map in a frame beyond RAM", map(0xfffff000UL << PAGE_SHIFT, f, REF, NULL),
            GNTST_general_error);
    hg_case(c, "map in a VA, not a machine address",
            map((uint64_t)hg_page(3), f, REF, NULL), GNTST_general_error);
    hg_case(c, "  entry untouched by the failures", table[REF].flags, GTF_permit_access);
}

/* An L1 of ours no longer in use (unpinned: its type gone) is no L1. */
static void stale_l1_case(struct hg_cases *c)
{
    volatile uint64_t *l1;
    uint64_t ma = new_l1(c, &l1);

    hg_case(c, "  unpinned again", hg_mmuext1(MMUEXT_UNPIN_TABLE, ma >> PAGE_SHIFT), 0);
    hg_case(c, "map in an L1 that was one", map(ma + 8, GNTMAP_host_map | GNTMAP_contains_pte,
                                                REF, NULL), GNTST_general_error);
    hg_case(c, "  its entry untouched", l1[1], 0);
}

static void map_cases(struct hg_cases *c, volatile uint64_t *l1, uint64_t l1_ma,
                      unsigned long frame)
{
    uint32_t f = GNTMAP_host_map | GNTMAP_contains_pte;
    uint64_t va = (uint64_t)hg_page(3), pte = hg_read_pte(va), pte_ma = hg_pte_maddr(va);
    volatile uint64_t *p = (volatile uint64_t *)va, *target = hg_page(4);
    grant_handle_t h, h2;

    hg_case(c, "map rw at our L1's entry 7", map(l1_ma + 8 * 7, f, REF, &h), GNTST_okay);
    hg_case(c, "  dev_bus_addr the frame's", bus, (long)frame << PAGE_SHIFT);
    hg_case(c, "  entry reading|writing", table[REF].flags,
            GTF_permit_access | GTF_reading | GTF_writing);
    hg_case(c, "  the PTE's frame", hg_pte_mfn(l1[7]), (long)frame);
    hg_case(c, "  the PTE present|rw", l1[7] & (_PAGE_PRESENT | _PAGE_RW),
            _PAGE_PRESENT | _PAGE_RW);
    hg_case(c, "unmap by another entry's address", hg_gnttab_unmap(l1_ma + 8 * 8, 0, h),
            GNTST_general_error);
    hg_case(c, "unmap at a misaligned address", hg_gnttab_unmap(l1_ma + 8 * 7 + 2, 0, h),
            GNTST_general_error);
    hg_case(c, "unmap by the VA of our L1", hg_gnttab_unmap((uint64_t)l1 + 8 * 7, 0, h),
            GNTST_general_error);
    hg_case(c, "  PTE still there", hg_pte_mfn(l1[7]), (long)frame);
    hg_case(c, "unmap", hg_gnttab_unmap(l1_ma + 8 * 7, 0, h), GNTST_okay);
    hg_case(c, "  PTE cleared", l1[7], 0);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "unmap again", hg_gnttab_unmap(l1_ma + 8 * 7, 0, h), GNTST_bad_handle);

    /* In a live L1: the VA of that entry reaches the granted frame. */
    hg_grant(table, REF_VA, self, frame, GTF_permit_access);
    hg_case(c, "map rw at the PTE of a mapped VA", map(pte_ma, f, REF_VA, &h), GNTST_okay);
    hg_case(c, "  the VA's PTE is the grant's", hg_pte_mfn(hg_read_pte(va)), (long)frame);
    hg_case(c, "  invlpg", hg_mmuext1(MMUEXT_INVLPG_LOCAL, va), 0);
    *p = 0x6b6b;
    hg_case(c, "  a write through it lands in the frame", *target, 0x6b6b);
    /* The PTE no longer maps the frame as mapped: read-only now. */
    hg_case(c, "  PTE made read-only", hg_update_va_mapping(va, hg_read_pte(va) & ~(uint64_t)_PAGE_RW,
                                                            UVMF_INVLPG), 0);
    hg_case(c, "unmap a PTE now read-only", hg_gnttab_unmap(pte_ma, 0, h), GNTST_general_error);
    hg_case(c, "  entry still reading|writing", table[REF_VA].flags,
            GTF_permit_access | GTF_reading | GTF_writing);
    /* Put back over it: the handle stays, unmappable (its PTE is gone). */
    hg_case(c, "scratch PTE back over it", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);
    hg_case(c, "unmap a PTE mapping another frame", hg_gnttab_unmap(pte_ma, 0, h), GNTST_general_error);
    hg_case(c, "  entry still reading|writing", table[REF_VA].flags,
            GTF_permit_access | GTF_reading | GTF_writing);

    /* Read-only, and a read-only grant. */
    hg_grant(table, REF_RO, self, frame, GTF_permit_access | GTF_readonly);
    hg_case(c, "map a read-only grant writable", map(l1_ma + 8 * 9, f, REF_RO, NULL),
            GNTST_general_error);
    hg_case(c, "  PTE untouched", l1[9], 0);
    hg_case(c, "  entry untouched", table[REF_RO].flags, GTF_permit_access | GTF_readonly);
    hg_case(c, "map it read-only", map(l1_ma + 8 * 9, f | GNTMAP_readonly, REF_RO, &h2),
            GNTST_okay);
    hg_case(c, "  PTE present, read-only", l1[9] & (_PAGE_PRESENT | _PAGE_RW), _PAGE_PRESENT);
    hg_case(c, "  entry reading", table[REF_RO].flags,
            GTF_permit_access | GTF_readonly | GTF_reading);
    hg_case(c, "unmap it", hg_gnttab_unmap(l1_ma + 8 * 9, 0, h2), GNTST_okay);
    hg_case(c, "  PTE cleared", l1[9], 0);
    hg_case(c, "  entry back", table[REF_RO].flags, GTF_permit_access | GTF_readonly);
    table[REF_RO].flags = 0;
}

static void device_cases(struct hg_cases *c, volatile uint64_t *l1, uint64_t l1_ma,
                         unsigned long frame)
{
    uint64_t ma = (uint64_t)frame << PAGE_SHIFT;
    uint64_t va = (uint64_t)hg_page(3), pte = hg_read_pte(va);
    grant_handle_t h;

    hg_case(c, "map device_map alone", map(0, GNTMAP_device_map, REF, &h), GNTST_okay);
    hg_case(c, "  dev_bus_addr the frame's", bus, (long)ma);
    hg_case(c, "  entry reading|writing", table[REF].flags,
            GTF_permit_access | GTF_reading | GTF_writing);
    hg_case(c, "unmap the wrong bus address", hg_gnttab_unmap(0, ma + PAGE_SIZE, h), GNTST_bad_dev_addr);
    hg_case(c, "unmap the host part it has not", hg_gnttab_unmap(va, 0, h), GNTST_okay);
    hg_case(c, "  entry still reading|writing", table[REF].flags,
            GTF_permit_access | GTF_reading | GTF_writing);
    hg_case(c, "unmap the device part", hg_gnttab_unmap(0, ma, h), GNTST_okay);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "unmap again", hg_gnttab_unmap(0, ma, h), GNTST_bad_handle);

    /* Both parts (XSA-224): each unmap lets one part go. */
    hg_case(c, "map host (VA) and device", map(va, GNTMAP_host_map | GNTMAP_device_map, REF, &h),
            GNTST_okay);
    hg_case(c, "unmap the host part", hg_gnttab_unmap(va, 0, h), GNTST_okay);
    hg_case(c, "  PTE cleared", hg_read_pte(va), 0);
    hg_case(c, "  entry still reading|writing", table[REF].flags,
            GTF_permit_access | GTF_reading | GTF_writing);
    hg_case(c, "unmap the host part again", hg_gnttab_unmap(va, 0, h), GNTST_okay);
    hg_case(c, "unmap the device part", hg_gnttab_unmap(0, ma, h), GNTST_okay);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "  handle gone", hg_gnttab_unmap(0, ma, h), GNTST_bad_handle);
    hg_case(c, "scratch PTE back", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);
    hg_case(c, "map host (PTE) and device, read-only",
            map(l1_ma + 8 * 11, GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_device_map |
                GNTMAP_readonly, REF, &h), GNTST_okay);
    hg_case(c, "  entry reading", table[REF].flags, GTF_permit_access | GTF_reading);
    hg_case(c, "unmap both at once", hg_gnttab_unmap(l1_ma + 8 * 11, ma, h), GNTST_okay);
    hg_case(c, "  PTE cleared", l1[11], 0);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "  handle gone", hg_gnttab_unmap(0, ma, h), GNTST_bad_handle);
}

/* Left for the domain's end: the audit must see them, its end free them. */
static void left_behind(struct hg_cases *c, uint64_t l1_ma)
{
    hg_case(c, "left: rw PTE in our pinned L1",
            map(l1_ma + 8 * 20, GNTMAP_host_map | GNTMAP_contains_pte, REF, NULL), GNTST_okay);
    hg_case(c, "left: ro PTE in it",
            map(l1_ma + 8 * 21, GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_readonly, REF,
                NULL), GNTST_okay);
    hg_case(c, "left: rw device mapping", map(0, GNTMAP_device_map, REF, NULL), GNTST_okay);
}

const char *hostile_gnttab_contains_pte(void)
{
    static struct hg_cases c;
    volatile uint64_t *l1;
    uint64_t pte_t1, l1_ma;
    unsigned long frame = hg_virt_to_mfn(hg_page(4));
    xen_pfn_t *list = hg_page(0);

    table = hg_gnttab_map_own(&c, &pte_t1);
    if (!table)
        return hg_cases_verdict(&c);
    hg_case(&c, "our domain id found", find_self((uint64_t)hg_page(5), frame), 1);
    printk("hostile:   (we are d%u)\n", self);
    l1_ma = new_l1(&c, &l1);
    hg_case(&c, "  a spare frame", l1_ma != 0, 1);
    if (!l1_ma)
        return hg_cases_verdict(&c);
    hg_grant(table, REF, self, frame, GTF_permit_access);
    bad_address_cases(&c, l1_ma, (uint64_t)list[0] << PAGE_SHIFT);
    stale_l1_case(&c);
    map_cases(&c, l1, l1_ma, frame);
    hg_grant(table, REF, self, frame, GTF_permit_access);
    device_cases(&c, l1, l1_ma, frame);
    left_behind(&c, l1_ma);
    hg_gnttab_unmap_own(&c, pte_t1);
    return hg_cases_verdict(&c);
}
