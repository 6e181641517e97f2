/* SPDX-License-Identifier: MIT */
/*
 * memory_op_bad_args - invariant 4 (DESIGN.md 3) at memory_op's door: the
 * reservation is changed by exactly the extents done, whatever the
 * arguments.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU) and
 * where in do_memory_op() it comes from:
 *  - cmd 63 (none): -ENOSYS;
 *  - current_reservation with a NULL / unmapped argument: -EFAULT;
 *    for domain 5: -ESRCH;
 *  - decrease_reservation with an unmapped extent list: 0 extents done
 *    (guest_handle_subrange_okay() passes, the copy fails, nr_done 0);
 *  - decrease_reservation with extent_order 63, with nr_extents 2^60: 0
 *    (bad reservations are answered with the start extent, never an error);
 *  - decrease_reservation with a start extent (cmd >> 6) of 5 for 1
 *    extent: 5 (start_extent >= nr_extents: returned as it is);
 *  - decrease_reservation of a frame that is not ours (past RAM): 0;
 *  - increase_reservation into an extent list in the hypervisor's range: 0
 *    (guest_handle_subrange_okay() fails before anything is allocated).
 *    NOT tested: into an unmapped low-half list Xen 4.17 allocates the
 *    frame, cannot report it, and returns 0 - the frame is leaked into the
 *    domain (current_reservation +1) with no way to name it again;
 *  - memory_map, for dom0, with a good buffer and with an unmapped one:
 *    -ENOSYS (Xen keeps no e820 for a PV dom0: d->arch.nr_e820 == 0);
 *    with an unmapped argument: -EFAULT (read before that check).
 * And the reservation is unchanged (hostile_run() checks it too).
 */
#include "hostile.h"

#define MEMOP_EXTENT_SHIFT 6

const char *hostile_memory_op_bad_args(void)
{
    static struct hg_cases c;
    struct xen_memory_domain dom5 = { .domid = 5 };
    struct xen_memory_map map = { .nr_entries = 8 };
    long res0 = hg_current_reservation();
    long max_page = hg_memory_op(XENMEM_maximum_ram_page, NULL);
    static uint8_t e820[8 * 20];
    xen_pfn_t frame;

    ST_EXPECT(res0 > 0 && max_page > 0, "setup: reservation %ld max_page %ld", res0, max_page);
    hg_case(&c, "cmd 63", hg_memory_op(63, NULL), -XEN_ENOSYS);
    hg_case(&c, "current_reservation NULL", hg_memory_op(XENMEM_current_reservation, NULL),
            -XEN_EFAULT);
    hg_case(&c, "current_reservation unmapped",
            hg_memory_op(XENMEM_current_reservation, HG_BAD_PTR), -XEN_EFAULT);
    hg_case(&c, "current_reservation d5", hg_memory_op(XENMEM_current_reservation, &dom5),
            -XEN_ESRCH);

    hg_case(&c, "decrease, list unmapped",
            hg_reservation_op(XENMEM_decrease_reservation, HG_BAD_PTR, 1, 0), 0);
    frame = hg_virt_to_mfn(hg_page(0));
    hg_case(&c, "decrease, order 63",
            hg_reservation_op(XENMEM_decrease_reservation, &frame, 1, 63), 0);
    hg_case(&c, "decrease, nr 2^60",
            hg_reservation_op(XENMEM_decrease_reservation, &frame, 1UL << 60, 0), 0);
    hg_case(&c, "decrease, start extent 5 of 1",
            hg_reservation_op(XENMEM_decrease_reservation | (5 << MEMOP_EXTENT_SHIFT),
                           &frame, 1, 0), 5);
    frame = max_page;
    hg_case(&c, "decrease, frame past RAM",
            hg_reservation_op(XENMEM_decrease_reservation, &frame, 1, 0), 0);
    hg_case(&c, "increase, list in hypervisor range",
            hg_reservation_op(XENMEM_increase_reservation, HG_XEN_PTR, 1, 0), 0);
    hg_case(&c, "reservation unchanged", hg_current_reservation(), res0);

    set_xen_guest_handle(map.buffer, e820);
    hg_case(&c, "memory_map", hg_memory_op(XENMEM_memory_map, &map), -XEN_ENOSYS);
    map.nr_entries = 8;
    set_xen_guest_handle(map.buffer, HG_BAD_PTR);
    hg_case(&c, "memory_map unmapped buffer", hg_memory_op(XENMEM_memory_map, &map),
            -XEN_ENOSYS);
    hg_case(&c, "memory_map unmapped arg", hg_memory_op(XENMEM_memory_map, HG_BAD_PTR),
            -XEN_EFAULT);
    return hg_cases_verdict(&c);
}
