/* SPDX-License-Identifier: MIT */
/*
 * gnttab_map_unmap - grant_table_op (20) map_grant_ref and
 * unmap_grant_ref with GNTMAP_host_map, on grants to ourselves (a domain
 * may map its own grants, by its own id: DOMID_SELF is no granter).
 * Rule: a map takes the references a PTE of the frame takes (one, and a
 * writable type if not read-only), marks the entry GTF_reading (and
 * GTF_writing), and gives a handle; unmap checks the PTE at host_addr
 * still maps the frame as the handle did, clears it, drops the
 * references and clears the bits no mapping needs any more. Each bad op
 * is a GNTST_* in its status (the call returns 0) and changes nothing.
 *
 * Each case's want is Xen 4.17.7's answer (all 50 equal; dom0 in QEMU,
 * run-xen.sh with gnttab=max-ver:1 added; these do not depend on it). Worth
 * knowing: a bad VA, a bad flags word, a grant to another domain, a
 * writable map of a read-only grant or of a page-table frame are all
 * GNTST_general_error; unmap with the wrong host_addr too; unmap of an
 * unused handle GNTST_bad_handle; a frame the granter does not own
 * GNTST_bad_page. The granter overwriting its entry while mapped does not
 * stop the mapping (the hypervisor only reads the entry at map time).
 * Xen does not flush the TLB when it writes the grant PTE: the guest must
 * (invlpg) if the VA mapped something before.
 * Undo: scratch PTEs put back; two handles left behind on purpose (their
 * PTEs overwritten: overwritten_case()), for the shutdown audit.
 */
#include "hostile_gnttab.h"

#define REF    8u                       /* first non-reserved ref */
#define REF_RO 9u
#define PTE_FLAGS_CHECKED (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static volatile struct grant_entry_v1 *table;     /* our frame 0, at page 1 */

static long map(uint64_t va, uint32_t flags, grant_ref_t ref, domid_t dom,
                grant_handle_t *handle)
{
    return hg_gnttab_map(dom, ref, va, flags, handle, NULL);
}

static long unmap(uint64_t va, grant_handle_t handle)
{
    return hg_gnttab_unmap(va, 0, handle);
}

static void grant(grant_ref_t ref, domid_t dom, unsigned long frame, uint16_t flags)
{
    hg_grant(table, ref, dom, frame, flags);
}

static void bad_map_cases(struct hg_cases *c, uint64_t va)
{
    hg_case(c, "map flags 0", map(va, 0, REF, 0, NULL), GNTST_bad_gntref);
    hg_case(c, "map DOMID_SELF", map(va, GNTMAP_host_map, REF, DOMID_SELF, NULL),
            GNTST_bad_domain);
    hg_case(c, "map no such domain", map(va, GNTMAP_host_map, REF, HG_NO_DOMID, NULL),
            GNTST_bad_domain);
    hg_case(c, "map ref past the table", map(va, GNTMAP_host_map, 512, 0, NULL),
            GNTST_bad_gntref);
    hg_case(c, "map an invalid entry", map(va, GNTMAP_host_map, 10, 0, NULL),
            GNTST_general_error);
    hg_case(c, "map at an unmapped VA", map((uint64_t)HG_BAD_PTR, GNTMAP_host_map, REF, 0, NULL),
            GNTST_general_error);
    hg_case(c, "map at a hypervisor VA", map((uint64_t)HG_XEN_PTR, GNTMAP_host_map, REF, 0, NULL),
            GNTST_general_error);
    hg_case(c, "  entry untouched by the failures", table[REF].flags, GTF_permit_access);
    hg_case(c, "map count 0", hg_grant_table_op(GNTTABOP_map_grant_ref, NULL, 0), 0);
    hg_case(c, "map arg unmapped", hg_grant_table_op(GNTTABOP_map_grant_ref, HG_BAD_PTR, 1),
            -XEN_EFAULT);
}

static void map_cases(struct hg_cases *c, uint64_t va_rw, uint64_t va_ro,
                      volatile uint64_t *target)
{
    grant_handle_t h_rw, h_ro;
    volatile uint64_t *p = (volatile uint64_t *)va_rw;

    hg_case(c, "map rw", map(va_rw, GNTMAP_host_map, REF, 0, &h_rw), GNTST_okay);
    hg_case(c, "  entry reading|writing", table[REF].flags,
            GTF_permit_access | GTF_reading | GTF_writing);
    hg_case(c, "  PTE flags", hg_read_pte(va_rw) & PTE_FLAGS_CHECKED, PTE_FLAGS_CHECKED);
    hg_case(c, "  PTE frame", hg_pte_mfn(hg_read_pte(va_rw)), hg_virt_to_mfn((void *)target));
    /* Xen does not flush: the VA's old translation may still be cached. */
    hg_case(c, "  invlpg", hg_mmuext1(MMUEXT_INVLPG_LOCAL, va_rw), 0);
    *p = 0x5a5a;
    hg_case(c, "  write through it lands in the frame", *target, 0x5a5a);
    hg_case(c, "map ro", map(va_ro, GNTMAP_host_map | GNTMAP_readonly, REF, 0, &h_ro),
            GNTST_okay);
    hg_case(c, "  PTE read-only", hg_read_pte(va_ro) & _PAGE_RW, 0);
    hg_case(c, "  invlpg", hg_mmuext1(MMUEXT_INVLPG_LOCAL, va_ro), 0);
    hg_case(c, "  handles differ", h_ro != h_rw, 1);
    hg_case(c, "unmap rw at the ro VA", unmap(va_ro, h_rw), GNTST_general_error);
    hg_case(c, "unmap rw", unmap(va_rw, h_rw), GNTST_okay);
    hg_case(c, "  PTE cleared", hg_read_pte(va_rw), 0);
    hg_case(c, "  entry reading only", table[REF].flags, GTF_permit_access | GTF_reading);
    hg_case(c, "unmap rw again", unmap(va_rw, h_rw), GNTST_bad_handle);
    hg_case(c, "unmap handle 0xffffffff", unmap(va_rw, 0xffffffffu), GNTST_bad_handle);
    /* The granter takes the grant back while it is mapped. */
    table[REF].flags = 0;
    hg_case(c, "  mapping survives the granter's revoke", *(volatile uint64_t *)va_ro, 0x5a5a);
    hg_case(c, "unmap ro", unmap(va_ro, h_ro), GNTST_okay);
    hg_case(c, "  entry bits left as the granter wrote", table[REF].flags, 0);
    hg_case(c, "map the revoked grant", map(va_rw, GNTMAP_host_map, REF, 0, NULL),
            GNTST_general_error);
}

static void refusal_cases(struct hg_cases *c, uint64_t va, unsigned long frame)
{
    grant_handle_t h;

    grant(REF_RO, 0, frame, GTF_permit_access | GTF_readonly);
    hg_case(c, "map a read-only grant writable", map(va, GNTMAP_host_map, REF_RO, 0, NULL),
            GNTST_general_error);
    hg_case(c, "map it read-only, application_map",
            map(va, GNTMAP_host_map | GNTMAP_readonly | GNTMAP_application_map, REF_RO, 0, &h),
            GNTST_okay);
    hg_case(c, "unmap it", unmap(va, h), GNTST_okay);
    hg_case(c, "  entry back to permit_access|readonly", table[REF_RO].flags,
            GTF_permit_access | GTF_readonly);
    grant(REF, 5, frame, GTF_permit_access);
    hg_case(c, "map a grant to d5", map(va, GNTMAP_host_map, REF, 0, NULL), GNTST_general_error);
    grant(REF, 0, hg_read_cr3() >> PAGE_SHIFT, GTF_permit_access);
    hg_case(c, "map our L4 writable", map(va, GNTMAP_host_map, REF, 0, NULL), GNTST_general_error);
    hg_case(c, "  entry bits undone", table[REF].flags, GTF_permit_access);
    grant(REF, 0, 0xfffff000UL, GTF_permit_access);
    hg_case(c, "map a frame beyond RAM", map(va, GNTMAP_host_map, REF, 0, NULL), GNTST_bad_page);
    hg_case(c, "  entry bits undone", table[REF].flags, GTF_permit_access);
    table[REF].flags = 0;
    table[REF_RO].flags = 0;
}

/*
 * A grant PTE overwritten by the guest itself (update_va_mapping puts the
 * scratch PTE back over it): allowed (Xen's release builds), the PTE's
 * references go with it, and the handle cannot be unmapped any more (its
 * PTE is gone) but stays, the entry still GTF_reading, until the domain
 * dies: the frame audit at shutdown must find the counts right.
 */
static void overwritten_case(struct hg_cases *c, uint64_t va, uint64_t pte, unsigned long frame)
{
    grant_handle_t h;

    grant(REF, 0, frame, GTF_permit_access);
    hg_case(c, "map ro, to be overwritten",
            map(va, GNTMAP_host_map | GNTMAP_readonly, REF, 0, &h), GNTST_okay);
    hg_case(c, "scratch PTE back over it", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);
    hg_case(c, "unmap it", unmap(va, h), GNTST_general_error);
    hg_case(c, "  entry still reading", table[REF].flags, GTF_permit_access | GTF_reading);
    hg_case(c, "map it again rw", map(va, GNTMAP_host_map, REF, 0, NULL), GNTST_okay);
    hg_case(c, "  entry reading|writing", table[REF].flags,
            GTF_permit_access | GTF_reading | GTF_writing);
    hg_case(c, "scratch PTE back over that too", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);
}

const char *hostile_gnttab_map_unmap(void)
{
    static struct hg_cases c;
    void *va_rw = hg_page(3), *va_ro = hg_page(5);
    volatile uint64_t *target = hg_page(4);
    uint64_t pte_t1;
    uint64_t pte_rw = hg_read_pte((unsigned long)va_rw), pte_ro = hg_read_pte((unsigned long)va_ro);
    unsigned long frame = hg_virt_to_mfn((void *)target);

    table = hg_gnttab_map_own(&c, &pte_t1);
    if (!table)
        return hg_cases_verdict(&c);
    grant(REF, 0, frame, GTF_permit_access);
    bad_map_cases(&c, (uint64_t)va_rw);
    map_cases(&c, (uint64_t)va_rw, (uint64_t)va_ro, target);
    grant(REF, 0, frame, GTF_permit_access);
    refusal_cases(&c, (uint64_t)va_rw, frame);
    hg_case(&c, "scratch PTE back (rw)", hg_update_va_mapping((unsigned long)va_rw, pte_rw, UVMF_INVLPG), 0);
    overwritten_case(&c, (uint64_t)va_ro, pte_ro, frame);
    hg_gnttab_unmap_own(&c, pte_t1);
    return hg_cases_verdict(&c);
}
