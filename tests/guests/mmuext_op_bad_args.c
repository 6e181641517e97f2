/* SPDX-License-Identifier: MIT */
/*
 * mmuext_op_bad_args - invariants 1-3 (DESIGN.md 3) at mmuext_op's door:
 * bad pointers, counts, commands, domains and frames.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU) and
 * where in do_mmuext_op() it comes from:
 *  - ops unmapped (low half): -EFAULT, *done 0; ops in the hypervisor's
 *    range: -EFAULT (guest_handle_okay());
 *  - count 0x7fffffff, one TLB_FLUSH_LOCAL at the end of a page before a
 *    hole: -EFAULT, *done 1 (the count is not refused up front: Xen runs
 *    ops until one fails or cannot be read);
 *  - cmd 0x7f: -ENOSYS ("default:");
 *  - a batch [TLB_FLUSH_LOCAL, cmd 0x7f, TLB_FLUSH_LOCAL]: -ENOSYS, *done 1;
 *  - foreigndom 5: -ESRCH (get_pg_owner());
 *  - PIN_L1_TABLE of the first frame past RAM, of the hypervisor's L3:
 *    -EINVAL (get_page_from_mfn() fails);
 *  - NEW_BASEPTR to a writable page of ours: -EINVAL (new_guest_cr3():
 *    the frame cannot take the L4 type);
 *  - UNPIN_TABLE of a frame never pinned: -EINVAL ("mfn not pinned");
 *  - SET_LDT at a misaligned address: -EINVAL;
 *  - INVLPG_LOCAL of a non-canonical address: 0 (silently ignored:
 *    "if ( __addr_ok(...) )").
 */
#include "hostile.h"

const char *hostile_mmuext_op_bad_args(void)
{
    static struct hg_cases c;
    uint64_t *l4 = hg_mfn_to_virt(hg_read_cr3() >> PAGE_SHIFT);
    void *plain = hg_page(0);
    unsigned long plain_mfn = hg_virt_to_mfn(plain), hv_mfn, cr3 = hg_read_cr3();
    long max_page = hg_memory_op(XENMEM_maximum_ram_page, NULL);
    struct mmuext_op ops[3] = {
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL }, { .cmd = 0x7f }, { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
    };
    struct mmuext_op op, *tail;
    unsigned int done;

    ST_EXPECT(l4 && max_page > 0, "setup: l4 %p max_page %ld", l4, max_page);
    hv_mfn = hg_pte_mfn(l4[HG_L4_HV_FIRST]);
    memset(plain, 0, PAGE_SIZE);

    done = 0xdead;
    hg_case(&c, "ops unmapped", hg_mmuext_op(HG_BAD_PTR, 1, &done, DOMID_SELF), -XEN_EFAULT);
    hg_case(&c, "ops unmapped: done", done, 0);
    hg_case(&c, "ops in hypervisor range", hg_mmuext_op(HG_XEN_PTR, 1, NULL, DOMID_SELF),
            -XEN_EFAULT);
    tail = hg_hole_open(sizeof(*tail));
    ST_EXPECT(tail, "setup: no hole");
    *tail = ops[0];
    done = 0xdead;
    hg_case(&c, "count 0x7fffffff before a hole",
            hg_mmuext_op(tail, 0x7fffffff, &done, DOMID_SELF), -XEN_EFAULT);
    hg_case(&c, "count 0x7fffffff before a hole: done", done, 1);
    ST_EXPECT_RC(hg_hole_close(), 0);
    hg_case(&c, "cmd 0x7f", hg_mmuext_op(&ops[1], 1, NULL, DOMID_SELF), -XEN_ENOSYS);
    done = 0xdead;
    hg_case(&c, "batch with cmd 0x7f in the middle", hg_mmuext_op(ops, 3, &done, DOMID_SELF),
            -XEN_ENOSYS);
    hg_case(&c, "batch with cmd 0x7f in the middle: done", done, 1);
    hg_case(&c, "foreigndom 5", hg_mmuext_op(ops, 1, NULL, 5), -XEN_ESRCH);

    hg_case(&c, "pin L1 past RAM", hg_mmuext1(MMUEXT_PIN_L1_TABLE, max_page), -XEN_EINVAL);
    hg_case(&c, "pin L1 hypervisor L3", hg_mmuext1(MMUEXT_PIN_L1_TABLE, hv_mfn), -XEN_EINVAL);
    hg_case(&c, "pin L3 hypervisor L3", hg_mmuext1(MMUEXT_PIN_L3_TABLE, hv_mfn), -XEN_EINVAL);
    hg_case(&c, "new baseptr writable page", hg_mmuext1(MMUEXT_NEW_BASEPTR, plain_mfn),
            -XEN_EINVAL);
    hg_case(&c, "cr3 unchanged", hg_read_cr3() == cr3, 1);
    hg_case(&c, "new baseptr past RAM", hg_mmuext1(MMUEXT_NEW_BASEPTR, max_page), -XEN_EINVAL);
    hg_case(&c, "unpin never pinned", hg_mmuext1(MMUEXT_UNPIN_TABLE, plain_mfn), -XEN_EINVAL);

    op = (struct mmuext_op){ .cmd = MMUEXT_SET_LDT, .arg1.linear_addr = (unsigned long)plain + 1,
                             .arg2.nr_ents = 1 };
    hg_case(&c, "set_ldt misaligned", hg_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    op = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = 0x0000800000000000UL };
    hg_case(&c, "invlpg non-canonical", hg_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);

    *(volatile uint64_t *)plain = 1;    /* still ours, still writable */
    *(volatile uint64_t *)plain = 0;
    return hg_cases_verdict(&c);
}
