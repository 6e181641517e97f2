/* SPDX-License-Identifier: MIT */
/*
 * mmu_update_bad_args - invariants 2 and 3 (DESIGN.md 3) at mmu_update's
 * door: bad pointers, counts, commands, domains and frames.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU) and
 * where in do_mmu_update() it comes from:
 *  - req unmapped (low half): -EFAULT, *done 0 (__copy_from_guest fails,
 *    "out:" writes done);
 *  - req in the hypervisor's range: -EFAULT, *done untouched
 *    (guest_handle_okay() fails, returns at once);
 *  - count 0x7fffffff, one valid request at the end of a page before a
 *    hole: -EFAULT, *done 1. Xen does not refuse the count up front
 *    (guest_handle_okay() on x86_64 checks only where the list starts): it
 *    applies requests until one fails or, here, cannot be read;
 *  - ptr misaligned (ptr & 7 = 4, 5: no such command): -ENOSYS;
 *  - foreigndom 5 (no such domain): -ESRCH; pt-owner 5 in foreigndom's
 *    high half ((5 + 1) << 16): -ESRCH;
 *  - ptr in the first frame past RAM, in the hypervisor's L3 (L4 slot 256's
 *    frame): -EINVAL (get_page_from_gfn() finds no page of ours);
 *  - MMU_MACHPHYS_UPDATE of the hypervisor's L3: -EINVAL
 *    (get_page_from_mfn() with pg_owner us fails);
 *  - a 2 MiB superpage (PSE) into an empty slot of our kernel's L2, a
 *    1 GiB one into an empty slot of its L3: -EINVAL, slot still empty
 *    (mod_l2_entry()/mod_l3_entry(): PSE is in L2/L3_DISALLOW_MASK, "Bad
 *    L2 flags" - no superpages for PV);
 *  - ptr into an ordinary writable page of ours: 0, and the word is written
 *    (PGT_writable_page: "paging_write_guest_entry"; not an error on Xen).
 */
#include "hostile.h"

const char *hostile_mmu_update_bad_args(void)
{
    static struct hg_cases c;
    uint64_t *l4 = hg_mfn_to_virt(hg_read_cr3() >> PAGE_SHIFT);
    volatile uint64_t *plain = hg_page(1);
    unsigned long va = (unsigned long)hg_page(0), hv_mfn;
    uint64_t pte_ma = hg_pte_maddr(va), before = hg_read_pte(va);
    long max_page = hg_memory_op(XENMEM_maximum_ram_page, NULL);
    struct mmu_update req = { .ptr = pte_ma, .val = before }, *tail;
    unsigned int done, level;

    ST_EXPECT(l4 && pte_ma && max_page > 0, "setup: l4 %p pte_ma %#lx max_page %ld",
              l4, pte_ma, max_page);
    hv_mfn = hg_pte_mfn(l4[HG_L4_HV_FIRST]);

    done = 0xdead;
    hg_case(&c, "req unmapped", hg_mmu_update(HG_BAD_PTR, 1, &done, DOMID_SELF), -XEN_EFAULT);
    hg_case(&c, "req unmapped: done", done, 0);
    done = 0xdead;
    hg_case(&c, "req in hypervisor range", hg_mmu_update(HG_XEN_PTR, 1, &done, DOMID_SELF),
            -XEN_EFAULT);
    hg_case(&c, "req in hypervisor range: done", done, 0xdead);
    tail = hg_hole_open(sizeof(*tail));
    ST_EXPECT(tail, "setup: no hole");
    *tail = req;
    done = 0xdead;
    hg_case(&c, "count 0x7fffffff before a hole",
            hg_mmu_update(tail, 0x7fffffff, &done, DOMID_SELF), -XEN_EFAULT);
    hg_case(&c, "count 0x7fffffff before a hole: done", done, 1);
    ST_EXPECT_RC(hg_hole_close(), 0);

    req.ptr = pte_ma | 4;
    hg_case(&c, "ptr & 7 == 4", hg_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_ENOSYS);
    req.ptr = pte_ma | 5;
    hg_case(&c, "ptr & 7 == 5", hg_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_ENOSYS);

    req.ptr = pte_ma;
    hg_case(&c, "foreigndom 5", hg_mmu_update(&req, 1, NULL, 5), -XEN_ESRCH);
    hg_case(&c, "pt owner 5", hg_mmu_update(&req, 1, NULL, (5 + 1) << 16 | DOMID_SELF),
            -XEN_ESRCH);

    req.ptr = (uint64_t)max_page << PAGE_SHIFT;
    req.val = 0;
    hg_case(&c, "ptr past RAM", hg_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    req.ptr = hv_mfn << PAGE_SHIFT;
    hg_case(&c, "ptr in hypervisor L3", hg_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    req.ptr = (hv_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
    req.val = 0;
    hg_case(&c, "machphys of hypervisor L3", hg_mmu_update(&req, 1, NULL, DOMID_SELF),
            -XEN_EINVAL);

    for (level = 2; level <= 3; level++) {
        unsigned long table_mfn;
        uint64_t *e = hg_walk(va, level, &table_mfn);
        volatile uint64_t *table = (volatile uint64_t *)((unsigned long)e & PAGE_MASK);
        int slot;

        ST_EXPECT(e, "setup: no L%u entry for %#lx", level, va);
        for (slot = 511; slot >= 0 && table[slot]; slot--)
            ;
        ST_EXPECT(slot >= 0, "setup: no empty slot in our L%u", level);
        req.ptr = (table_mfn << PAGE_SHIFT) + slot * sizeof(uint64_t);
        req.val = ((hg_virt_to_mfn(hg_page(0)) & ~511UL) << PAGE_SHIFT) |
                  HG_PTE_FLAGS | _PAGE_PSE;
        hg_case(&c, level == 2 ? "PSE in an empty L2 slot" : "PSE in an empty L3 slot",
                hg_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_EINVAL);
        hg_case(&c, "slot still empty", table[slot], 0);
        if (table[slot]) {
            req.val = 0;
            hg_mmu_update(&req, 1, NULL, DOMID_SELF);
        }
    }

    plain[1] = 0;
    req.ptr = (hg_virt_to_mfn((const void *)plain) << PAGE_SHIFT) + 8;
    req.val = 0x1234;
    hg_case(&c, "ptr in a writable page", hg_mmu_update(&req, 1, NULL, DOMID_SELF), 0);
    hg_case(&c, "ptr in a writable page: word", plain[1], 0x1234);
    plain[1] = 0;

    hg_case(&c, "pte unchanged", hg_read_pte(va) == before, 1);
    return hg_cases_verdict(&c);
}
