/* SPDX-License-Identifier: MIT */
/*
 * gnttab_unmap_replace - grant_table_op (20) unmap_and_replace (7) and
 * swap_grant_ref (11), on grants to ourselves (dom0: d0).
 * Rule: unmap_and_replace {host_addr, new_addr, handle} takes the PTE of
 * new_addr (cleared) and puts it where the grant PTE at host_addr was, if
 * that still maps the handle's frame as mapped; the mapping then goes as
 * an unmap's would. new_addr 0 is a plain unmap; with a contains_pte
 * mapping any other new_addr is refused. As Xen, new_addr's PTE is taken
 * before host_addr is checked, so a failure there leaves new_addr empty
 * (its PTE dropped). swap_grant_ref trades two entries of our table whole,
 * unless one is mapped (GNTST_eagain).
 *
 * Each case's want is Xen 4.17.7's answer (dom0 in QEMU, run-xen.sh with
 * gnttab=max-ver:1 added), all equal on pvisor. Also XTF's XSA-234 steps:
 * a writable grant PTE moved by unmap_and_replace keeps its writable type
 * reference, so its frame cannot be pinned as a table.
 * Undo: the scratch PTEs put back; one handle left behind (its PTE taken
 * by a replace onto itself), for the shutdown audit.
 */
#include "hostile_gnttab.h"

#define REF    8u
#define REF_B  9u
#define REF_SELF 10u                    /* its handle is left behind */
#define REF_X1 11u                      /* XSA-234's, one handle left */
#define REF_X2 12u

static volatile struct grant_entry_v1 *table;

static long map(uint64_t addr, uint32_t flags, grant_ref_t ref, grant_handle_t *handle)
{
    return hg_gnttab_map(0, ref, addr, flags, handle, NULL);
}

static long unmap(uint64_t addr, grant_handle_t handle)
{
    return hg_gnttab_unmap(addr, 0, handle);
}

static long replace(uint64_t addr, uint64_t new_addr, grant_handle_t handle)
{
    struct gnttab_unmap_and_replace op = {
        .host_addr = addr, .new_addr = new_addr, .handle = handle, .status = 0x7777,
    };
    long rc = hg_grant_table_op(GNTTABOP_unmap_and_replace, &op, 1);

    return rc ? rc : op.status;
}

static long swap(grant_ref_t a, grant_ref_t b)
{
    struct gnttab_swap_grant_ref op = { .ref_a = a, .ref_b = b, .status = 0x7777 };
    long rc = hg_grant_table_op(GNTTABOP_swap_grant_ref, &op, 1);

    return rc ? rc : op.status;
}

static void replace_cases(struct hg_cases *c, unsigned long frame)
{
    uint64_t va = (uint64_t)hg_page(3), nva = (uint64_t)hg_page(5), ova = (uint64_t)hg_page(6);
    uint64_t pte = hg_read_pte(va), npte = hg_read_pte(nva), opte = hg_read_pte(ova);
    grant_handle_t h;

    hg_grant(table, REF, 0, frame, GTF_permit_access);
    hg_case(c, "map rw", map(va, GNTMAP_host_map, REF, &h), GNTST_okay);
    hg_case(c, "replace, bad handle", replace(va, nva, 0xffffu), GNTST_bad_handle);
    hg_case(c, "replace, new_addr unmapped", replace(va, (uint64_t)HG_BAD_PTR, h),
            GNTST_general_error);
    hg_case(c, "replace, new_addr the hypervisor's", replace(va, (uint64_t)HG_XEN_PTR, h),
            GNTST_general_error);
    hg_case(c, "  grant PTE still there", hg_pte_mfn(hg_read_pte(va)), (long)frame);
    hg_case(c, "  new_addr untouched", hg_read_pte(nva), (long)npte);
    hg_case(c, "replace at the wrong host_addr", replace(ova, nva, h), GNTST_general_error);
    hg_case(c, "  new_addr's PTE taken all the same", hg_read_pte(nva), 0);
    hg_case(c, "  host_addr's untouched", hg_read_pte(ova), (long)opte);
    hg_case(c, "  grant PTE still there", hg_pte_mfn(hg_read_pte(va)), (long)frame);
    hg_case(c, "new_addr's PTE back", hg_update_va_mapping(nva, npte, UVMF_INVLPG), 0);
    hg_case(c, "replace", replace(va, nva, h), GNTST_okay);
    hg_case(c, "  host_addr has new_addr's PTE", hg_read_pte(va), (long)npte);
    hg_case(c, "  new_addr empty", hg_read_pte(nva), 0);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "  handle gone", unmap(va, h), GNTST_bad_handle);
    hg_case(c, "PTEs back", hg_update_va_mapping(va, pte, UVMF_INVLPG) |
                            hg_update_va_mapping(nva, npte, UVMF_INVLPG), 0);

    hg_case(c, "map ro", map(va, GNTMAP_host_map | GNTMAP_readonly, REF, &h), GNTST_okay);
    hg_case(c, "replace with new_addr 0", replace(va, 0, h), GNTST_okay);
    hg_case(c, "  PTE cleared", hg_read_pte(va), 0);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "  handle gone", unmap(va, h), GNTST_bad_handle);
    hg_case(c, "PTE back", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);

    hg_case(c, "map rw at its PTE (contains_pte)",
            map(hg_pte_maddr(va), GNTMAP_host_map | GNTMAP_contains_pte, REF, &h), GNTST_okay);
    hg_case(c, "replace a contains_pte mapping", replace(hg_pte_maddr(va), nva, h),
            GNTST_general_error);
    hg_case(c, "  new_addr untouched", hg_read_pte(nva), (long)npte);
    hg_case(c, "  grant PTE still there", hg_pte_mfn(hg_read_pte(va)), (long)frame);
    hg_case(c, "replace it with new_addr 0", replace(hg_pte_maddr(va), 0, h), GNTST_okay);
    hg_case(c, "  PTE cleared", hg_read_pte(va), 0);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "PTE back", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);

    /* Onto itself: the PTE is taken, then no longer matches: dropped. */
    hg_grant(table, REF_SELF, 0, frame, GTF_permit_access);
    hg_case(c, "map ro, to be replaced onto itself",
            map(va, GNTMAP_host_map | GNTMAP_readonly, REF_SELF, &h), GNTST_okay);
    hg_case(c, "replace onto itself", replace(va, va, h), GNTST_general_error);
    hg_case(c, "  PTE gone", hg_read_pte(va), 0);
    hg_case(c, "  handle left, unmappable", unmap(va, h), GNTST_general_error);
    hg_case(c, "  entry still reading", table[REF_SELF].flags, GTF_permit_access | GTF_reading);
    hg_case(c, "PTE back", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);
    table[REF].flags = 0;
    hg_case(c, "replace count 0", hg_grant_table_op(GNTTABOP_unmap_and_replace, NULL, 0), 0);
    hg_case(c, "replace arg unmapped",
            hg_grant_table_op(GNTTABOP_unmap_and_replace, HG_BAD_PTR, 1), -XEN_EFAULT);
}

/* XTF's XSA-234 PoC, on two scratch pages. */
static void xsa234_case(struct hg_cases *c)
{
    void *f1 = hg_page(2), *f2 = hg_page(7);
    uint64_t a = (uint64_t)hg_page(3), b = (uint64_t)hg_page(5);
    uint64_t pa = hg_read_pte(a), pb = hg_read_pte(b), pf1 = hg_read_pte((uint64_t)f1);
    unsigned long m1 = hg_virt_to_mfn(f1);
    grant_handle_t h1, h2;

    hg_case(c, "XSA-234: frame 1 read-only", hg_set_readonly(f1), 0);
    hg_grant(table, REF_X1, 0, m1, GTF_permit_access);
    hg_grant(table, REF_X2, 0, hg_virt_to_mfn(f2), GTF_permit_access);
    hg_case(c, "  map frame 1 rw at a", map(a, GNTMAP_host_map, REF_X1, &h1), GNTST_okay);
    hg_case(c, "  map frame 2 ro at b", map(b, GNTMAP_host_map | GNTMAP_readonly, REF_X2, &h2),
            GNTST_okay);
    hg_case(c, "  replace b's with a's", replace(b, a, h2), GNTST_okay);
    hg_case(c, "  frame 1 ro at a", hg_update_va_mapping(a, (pf1 & ~(uint64_t)_PAGE_RW),
                                                         UVMF_INVLPG), 0);
    hg_case(c, "  unmap frame 1 at a", unmap(a, h1), GNTST_general_error);
    hg_case(c, "  pin frame 1 as an L1", hg_mmuext1(MMUEXT_PIN_L1_TABLE, m1), -XEN_EINVAL);
    hg_case(c, "  b maps frame 1 rw", hg_pte_mfn(hg_read_pte(b)) == m1 &&
                                      (hg_read_pte(b) & _PAGE_RW), 1);
    hg_case(c, "  PTEs back", hg_update_va_mapping(a, pa, UVMF_INVLPG) |
                              hg_update_va_mapping(b, pb, UVMF_INVLPG) |
                              hg_update_va_mapping((uint64_t)f1, pf1, UVMF_INVLPG), 0);
        table[REF_X2].flags = 0;
}

static void swap_cases(struct hg_cases *c, unsigned long frame)
{
    uint64_t va = (uint64_t)hg_page(3), pte = hg_read_pte(va);
    grant_handle_t h;

    hg_grant(table, REF, 0, frame, GTF_permit_access);
    hg_grant(table, REF_B, 0x7, 0x1234, GTF_permit_access | GTF_readonly);
    hg_case(c, "swap", swap(REF, REF_B), GNTST_okay);
    hg_case(c, "  a has b's", table[REF].frame == 0x1234 && table[REF].domid == 0x7 &&
                              table[REF].flags == (GTF_permit_access | GTF_readonly), 1);
    hg_case(c, "  b has a's", table[REF_B].frame == frame && table[REF_B].domid == 0 &&
                              table[REF_B].flags == GTF_permit_access, 1);
    hg_case(c, "swap with itself", swap(REF, REF), GNTST_okay);
    hg_case(c, "swap a past the table", swap(512, REF), GNTST_bad_gntref);
    hg_case(c, "swap b past the table", swap(REF, 512), GNTST_bad_gntref);
    hg_case(c, "swap itself past the table", swap(600, 600), GNTST_bad_gntref);
    hg_case(c, "map b", map(va, GNTMAP_host_map | GNTMAP_readonly, REF_B, &h), GNTST_okay);
    hg_case(c, "swap a mapped ref (b)", swap(REF, REF_B), GNTST_eagain);
    hg_case(c, "swap a mapped ref (a)", swap(REF_B, REF), GNTST_eagain);
    hg_case(c, "  entries stay", table[REF].frame == 0x1234 && table[REF_B].frame == frame, 1);
    hg_case(c, "unmap b", unmap(va, h), GNTST_okay);
    hg_case(c, "PTE back", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);
    hg_case(c, "swap count 0", hg_grant_table_op(GNTTABOP_swap_grant_ref, NULL, 0), 0);
    hg_case(c, "swap arg unmapped", hg_grant_table_op(GNTTABOP_swap_grant_ref, HG_BAD_PTR, 1),
            -XEN_EFAULT);
    table[REF].flags = 0;
    table[REF_B].flags = 0;
}

const char *hostile_gnttab_unmap_replace(void)
{
    static struct hg_cases c;
    uint64_t pte_t1;
    unsigned long frame = hg_virt_to_mfn(hg_page(4));

    table = hg_gnttab_map_own(&c, &pte_t1);
    if (!table)
        return hg_cases_verdict(&c);
    replace_cases(&c, frame);
    xsa234_case(&c);
    swap_cases(&c, frame);
    hg_gnttab_unmap_own(&c, pte_t1);
    return hg_cases_verdict(&c);
}
