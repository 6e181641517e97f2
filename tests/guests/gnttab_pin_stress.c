/* SPDX-License-Identifier: MIT */
/*
 * gnttab_pin_stress - grant_table_op (20) sequences that stress the pin
 * bookkeeping of one ref (the hypervisor's per-ref active entry), on
 * grants to ourselves (dom0: d0): many mappings of one ref, read-only and
 * writable, host and device parts, mixed and unmapped in other orders
 * than they were made; one handle's parts unmapped one at a time;
 * unmap_and_replace; copies to and from a mapped ref; swap_grant_ref of a
 * mapped ref; two refs of one frame; the granter ending access while the
 * ref is mapped.
 * Rule: the entry is GTF_reading while any mapping (or copy) of the ref
 * is live and GTF_writing while a writable one is, both cleared when the
 * last such goes (never set again by an unmap: a granter that cleared them
 * keeps them clear); each mapping's references go with it. The test
 * checks the bits after each step; the boot test runs the hypervisor with
 * gnttab_audit, which recomputes every pin from the mappings after each
 * op, and the frame audit at shutdown checks the references.
 *
 * Each case's want is Xen 4.17.7's answer (dom0 in QEMU, run-xen.sh with
 * gnttab=max-ver:1 added), all equal on pvisor.
 * Undo: every mapping unmapped, the scratch PTEs put back, the entries
 * cleared.
 */
#include "hostile_gnttab.h"

#define REF     8u
#define REF2    9u                      /* a second ref of the same frame */
#define NR_DEV  40u                     /* device maps of each kind */
#define RW_BITS (GTF_permit_access | GTF_reading | GTF_writing)
#define RO_BITS (GTF_permit_access | GTF_reading)

static volatile struct grant_entry_v1 *table;
static uint64_t bus;                    /* the frame's bus address */

static long map(uint64_t va, uint32_t flags, grant_ref_t ref, grant_handle_t *handle)
{
    return hg_gnttab_map(0, ref, va, flags, handle, NULL);
}

static long replace(uint64_t va, uint64_t new_va, grant_handle_t handle)
{
    struct gnttab_unmap_and_replace op = {
        .host_addr = va, .new_addr = new_va, .handle = handle, .status = 0x7777,
    };
    long rc = hg_grant_table_op(GNTTABOP_unmap_and_replace, &op, 1);

    return rc ? rc : op.status;
}

/* 8 bytes from our frame `frame` to REF, or from REF to `frame`. */
static long copy(bool to_ref, unsigned long frame)
{
    struct gnttab_copy op = { .len = 8, .status = 0x7777 };
    struct gnttab_copy_ptr ref = { .u.ref = REF, .domid = 0 };
    struct gnttab_copy_ptr own = { .u.gmfn = frame, .domid = DOMID_SELF };
    long rc;

    op.source = to_ref ? own : ref;
    op.dest = to_ref ? ref : own;
    op.flags = to_ref ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
    rc = hg_grant_table_op(GNTTABOP_copy, &op, 1);
    return rc ? rc : op.status;
}

static long swap(grant_ref_t a, grant_ref_t b)
{
    struct gnttab_swap_grant_ref op = { .ref_a = a, .ref_b = b, .status = 0x7777 };
    long rc = hg_grant_table_op(GNTTABOP_swap_grant_ref, &op, 1);

    return rc ? rc : op.status;
}

/*
 * NR_DEV writable and NR_DEV read-only device maps of REF, interleaved;
 * unmapped writable ones first from the middle out, then the read-only
 * ones odd then even: the bits follow the last of each kind.
 */
static void device_cases(struct hg_cases *c)
{
    static grant_handle_t rw[NR_DEV], ro[NR_DEV];
    unsigned int bad = 0;

    for (unsigned int i = 0; i < NR_DEV; i++) {
        bad += map(0, GNTMAP_device_map | GNTMAP_readonly, REF, &ro[i]) != GNTST_okay;
        bad += map(0, GNTMAP_device_map, REF, &rw[i]) != GNTST_okay;
    }
    hg_case(c, "device maps rw and ro interleaved: failures", bad, 0);
    hg_case(c, "  entry reading|writing", table[REF].flags, RW_BITS);
    bad = 0;
    for (unsigned int i = 0; i < NR_DEV - 1; i++)
        bad += hg_gnttab_unmap(0, bus, rw[(NR_DEV / 2 + i) % NR_DEV]) != GNTST_okay;
    hg_case(c, "all writable but one unmapped: failures", bad, 0);
    hg_case(c, "  entry still writing", table[REF].flags, RW_BITS);
    hg_case(c, "  one unmapped twice", hg_gnttab_unmap(0, bus, rw[NR_DEV / 2]), GNTST_bad_handle);
    hg_case(c, "the last writable unmapped", hg_gnttab_unmap(0, bus, rw[NR_DEV / 2 - 1]), GNTST_okay);
    hg_case(c, "  entry reading only", table[REF].flags, RO_BITS);
    bad = 0;
    for (unsigned int i = 1; i < NR_DEV; i += 2)
        bad += hg_gnttab_unmap(0, bus, ro[i]) != GNTST_okay;
    for (unsigned int i = 2; i < NR_DEV; i += 2)
        bad += hg_gnttab_unmap(0, bus, ro[i]) != GNTST_okay;
    hg_case(c, "read-only odd then even unmapped: failures", bad, 0);
    hg_case(c, "  entry still reading", table[REF].flags, RO_BITS);
    hg_case(c, "the last read-only unmapped", hg_gnttab_unmap(0, bus, ro[0]), GNTST_okay);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
}

/*
 * Host and device parts: a handle with both (writable), a read-only host
 * map; the both-handle's device part goes, then its host part; the bits
 * hold until the last part of each kind goes.
 */
static void part_cases(struct hg_cases *c, uint64_t va_a, uint64_t va_b,
                       uint64_t pte_a, uint64_t pte_b)
{
    grant_handle_t both, ro;

    hg_case(c, "map host+device rw", map(va_a, GNTMAP_host_map | GNTMAP_device_map, REF, &both),
            GNTST_okay);
    hg_case(c, "map host ro", map(va_b, GNTMAP_host_map | GNTMAP_readonly, REF, &ro), GNTST_okay);
    hg_case(c, "  entry reading|writing", table[REF].flags, RW_BITS);
    hg_case(c, "unmap the device part", hg_gnttab_unmap(0, bus, both), GNTST_okay);
    hg_case(c, "  entry still writing (the host part)", table[REF].flags, RW_BITS);
    hg_case(c, "unmap the device part again: nothing", hg_gnttab_unmap(0, bus, both), GNTST_okay);
    hg_case(c, "unmap the host part", hg_gnttab_unmap(va_a, 0, both), GNTST_okay);
    hg_case(c, "  entry reading only", table[REF].flags, RO_BITS);
    hg_case(c, "  handle gone", hg_gnttab_unmap(va_a, 0, both), GNTST_bad_handle);
    hg_case(c, "unmap host ro", hg_gnttab_unmap(va_b, 0, ro), GNTST_okay);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "scratch PTE A back", hg_update_va_mapping(va_a, pte_a, UVMF_INVLPG), 0);
    hg_case(c, "scratch PTE B back", hg_update_va_mapping(va_b, pte_b, UVMF_INVLPG), 0);
}

/* unmap_and_replace of the writable one of two mappings, then of the other. */
static void replace_cases(struct hg_cases *c, uint64_t va_a, uint64_t va_b, uint64_t va_new,
                          uint64_t pte_a, uint64_t pte_b, uint64_t pte_new)
{
    grant_handle_t rw, ro;

    hg_case(c, "map rw at A", map(va_a, GNTMAP_host_map, REF, &rw), GNTST_okay);
    hg_case(c, "map ro at B", map(va_b, GNTMAP_host_map | GNTMAP_readonly, REF, &ro), GNTST_okay);
    hg_case(c, "replace A's with the new VA's PTE", replace(va_a, va_new, rw), GNTST_okay);
    hg_case(c, "  A maps the new VA's frame", hg_read_pte(va_a), pte_new);
    hg_case(c, "  new VA empty", hg_read_pte(va_new), 0);
    hg_case(c, "  entry reading only", table[REF].flags, RO_BITS);
    hg_case(c, "new VA's PTE back", hg_update_va_mapping(va_new, pte_new, UVMF_INVLPG), 0);
    hg_case(c, "replace B's, new VA 0", replace(va_b, 0, ro), GNTST_okay);
    hg_case(c, "  B empty", hg_read_pte(va_b), 0);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "scratch PTE A back", hg_update_va_mapping(va_a, pte_a, UVMF_INVLPG), 0);
    hg_case(c, "scratch PTE B back", hg_update_va_mapping(va_b, pte_b, UVMF_INVLPG), 0);
}

/*
 * Copies and swaps beside mappings: a copy pins only while it runs (the
 * bits after it are the mappings'); a mapped ref cannot be swapped; a
 * second ref of the same frame has its own pins.
 */
static void copy_swap_cases(struct hg_cases *c, uint64_t va_a, uint64_t pte_a,
                            unsigned long frame, unsigned long other)
{
    grant_handle_t ro, h2;

    hg_case(c, "copy to the unmapped ref", copy(true, other), GNTST_okay);
    hg_case(c, "  entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "map ro at A", map(va_a, GNTMAP_host_map | GNTMAP_readonly, REF, &ro), GNTST_okay);
    hg_case(c, "copy to the ref mapped read-only", copy(true, other), GNTST_okay);
    hg_case(c, "  entry reading only", table[REF].flags, RO_BITS);
    hg_case(c, "copy from it", copy(false, other), GNTST_okay);
    hg_case(c, "  entry reading only", table[REF].flags, RO_BITS);
    hg_case(c, "swap the mapped ref", swap(REF, REF2), GNTST_eagain);
    hg_case(c, "swap with the mapped ref", swap(REF2, REF), GNTST_eagain);
    hg_grant(table, REF2, 0, frame, GTF_permit_access);
    hg_case(c, "map the frame's second ref, device rw", map(0, GNTMAP_device_map, REF2, &h2),
            GNTST_okay);
    hg_case(c, "  second entry reading|writing", table[REF2].flags, RW_BITS);
    hg_case(c, "  first entry reading only", table[REF].flags, RO_BITS);
    hg_case(c, "unmap ro at A", hg_gnttab_unmap(va_a, 0, ro), GNTST_okay);
    hg_case(c, "  first entry bits cleared", table[REF].flags, GTF_permit_access);
    hg_case(c, "  second entry reading|writing", table[REF2].flags, RW_BITS);
    hg_case(c, "swap the first with the mapped second", swap(REF, REF2), GNTST_eagain);
    hg_case(c, "unmap the second", hg_gnttab_unmap(0, bus, h2), GNTST_okay);
    hg_case(c, "  second entry bits cleared", table[REF2].flags, GTF_permit_access);
    hg_case(c, "swap them now", swap(REF, REF2), GNTST_okay);
    hg_case(c, "swap them back", swap(REF, REF2), GNTST_okay);
    table[REF2].flags = 0;
    hg_case(c, "scratch PTE A back", hg_update_va_mapping(va_a, pte_a, UVMF_INVLPG), 0);
}

/*
 * The granter ends access (clears its flags) while the ref is mapped
 * twice: the unmaps leave the bits clear, and the ended grant maps no
 * more once the last mapping has gone.
 */
static void revoke_cases(struct hg_cases *c, uint64_t va_a, uint64_t pte_a)
{
    grant_handle_t rw, dev;

    hg_case(c, "map rw at A", map(va_a, GNTMAP_host_map, REF, &rw), GNTST_okay);
    hg_case(c, "map device ro", map(0, GNTMAP_device_map | GNTMAP_readonly, REF, &dev),
            GNTST_okay);
    table[REF].flags = 0;
    hg_case(c, "unmap rw after the granter ended access", hg_gnttab_unmap(va_a, 0, rw), GNTST_okay);
    hg_case(c, "  entry bits stay clear", table[REF].flags, 0);
    hg_case(c, "unmap device ro", hg_gnttab_unmap(0, bus, dev), GNTST_okay);
    hg_case(c, "  entry bits stay clear", table[REF].flags, 0);
    hg_case(c, "map the ended grant", map(va_a, GNTMAP_host_map, REF, NULL), GNTST_general_error);
    hg_case(c, "scratch PTE A back", hg_update_va_mapping(va_a, pte_a, UVMF_INVLPG), 0);
}

const char *hostile_gnttab_pin_stress(void)
{
    static struct hg_cases c;
    uint64_t va_a = (uint64_t)hg_page(2), va_b = (uint64_t)hg_page(3);
    uint64_t va_new = (uint64_t)hg_page(5);
    uint64_t pte_a = hg_read_pte(va_a), pte_b = hg_read_pte(va_b), pte_new = hg_read_pte(va_new);
    unsigned long frame = hg_virt_to_mfn(hg_page(4)), other = hg_virt_to_mfn(hg_page(6));
    uint64_t pte_t1;

    table = hg_gnttab_map_own(&c, &pte_t1);
    if (!table)
        return hg_cases_verdict(&c);
    bus = (uint64_t)frame << PAGE_SHIFT;
    hg_grant(table, REF, 0, frame, GTF_permit_access);
    device_cases(&c);
    part_cases(&c, va_a, va_b, pte_a, pte_b);
    replace_cases(&c, va_a, va_b, va_new, pte_a, pte_b, pte_new);
    copy_swap_cases(&c, va_a, pte_a, frame, other);
    revoke_cases(&c, va_a, pte_a);
    hg_gnttab_unmap_own(&c, pte_t1);
    return hg_cases_verdict(&c);
}
