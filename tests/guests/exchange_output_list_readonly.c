/* SPDX-License-Identifier: MIT */
/*
 * exchange_output_list_readonly - invariant 4 (DESIGN.md 3): every frame
 * stays accounted for, even when the hypervisor cannot tell the guest
 * which frames it now holds.
 *
 * Attack: XENMEM_exchange of one order-1 extent (two frames taken with
 * increase_reservation, mapped nowhere) for two order-0 extents, with the
 * output list in a page we mapped read-only. The list names two gpfns (the
 * pfns of scratch pages 2 and 3) but cannot receive the new MFNs.
 * Expected: Observed on Xen 4.17 (4.17.7, dom0 in QEMU): rc -EFAULT (-14),
 * nr_exchanged 0, the output list unchanged; yet the exchange happened: the
 * two input frames are gone (decrease_reservation of either: 0 extents)
 * and two new frames are ours, each with its M2P entry set to the gpfn the
 * list named (found and given back: 1 extent each); current_reservation
 * 65536 -> 65538 after the order-1 increase, unmoved by the exchange, and
 * 65536 again after the undo.
 * Source: common/memory.c memory_exchange(): the chunk is past "cannot
 * fail" when the output list is written (input pages freed, output pages
 * assign_page()d and guest_physmap_add_page()d, which for PV sets the
 * M2P); __copy_mfn_to_guest_offset() failing only sets rc = -EFAULT, then
 * "goto fail" reports nr_exchanged = i << in_chunk_order = 0.
 * Undo (and the accounting check): find the new frames by scanning the
 * read-only M2P (up to XENMEM_maximum_ram_page) for the two gpfns named,
 * skipping the frames our p2m has for them, and give them back with
 * decrease_reservation: current_reservation must be back where it started
 * and nothing leaked (pvisor's audit at shutdown checks the rest).
 */
#include "hostile.h"

/* The frames whose M2P entry is gpfn, other than `skip`: up to max found. */
static unsigned int m2p_find(unsigned long gpfn, unsigned long skip, unsigned long max_page,
                             xen_pfn_t *found, unsigned int max)
{
    unsigned long mfn;
    unsigned int n = 0;

    for (mfn = 0; mfn < max_page && n < max; mfn++)
        if (mm_m2p_entry(mfn) == gpfn && mfn != skip)
            found[n++] = mfn;
    return n;
}

const char *hostile_exchange_output_list_readonly(void)
{
    xen_pfn_t *out_list = hg_page(4);
    unsigned long g[2] = { virt_to_pfn(hg_page(2)), virt_to_pfn(hg_page(3)) };
    long max_page = hg_memory_op(XENMEM_maximum_ram_page, NULL);
    long res0 = hg_current_reservation(), rc, res1, res2;
    xen_pfn_t in_frame = 0, found[2][4], stale[2];
    struct xen_memory_exchange x = {
        .in  = { .nr_extents = 1, .extent_order = 1, .domid = DOMID_SELF },
        .out = { .nr_extents = 2, .extent_order = 0, .domid = DOMID_SELF },
    };
    unsigned int n[2], i, given = 0;
    bool list_unchanged;

    ST_EXPECT(max_page > 0, "setup: maximum_ram_page %ld", max_page);
    ST_EXPECT_RC(hg_reservation_op(XENMEM_increase_reservation, &in_frame, 1, 1), 1);
    out_list[0] = g[0];
    out_list[1] = g[1];
    ST_EXPECT_RC(hg_set_readonly(out_list), 0);
    set_xen_guest_handle(x.in.extent_start, &in_frame);
    set_xen_guest_handle(x.out.extent_start, out_list);
    res1 = hg_current_reservation();

    rc = hg_memory_op(XENMEM_exchange, &x);

    ST_EXPECT_RC(hg_set_writable(out_list), 0);
    list_unchanged = out_list[0] == g[0] && out_list[1] == g[1];
    printk("hostile: exchange rc %ld, nr_exchanged %lu, list %#lx %#lx (gpfns %#lx %#lx), "
           "in %#lx, reservation %ld -> %ld\n", rc, (unsigned long)x.nr_exchanged,
           (unsigned long)out_list[0], (unsigned long)out_list[1], g[0], g[1],
           (unsigned long)in_frame, res0, res1);

    /* Undo: the frames the M2P says now back our two gpfns, not our p2m's. */
    for (i = 0; i < 2; i++) {
        unsigned int j;

        n[i] = m2p_find(g[i], pfn_to_mfn(g[i]), max_page, found[i], 4);
        for (j = 0; j < n[i]; j++) {
            long d = hg_reservation_op(XENMEM_decrease_reservation, &found[i][j], 1, 0);

            printk("hostile: m2p names gpfn %#lx at mfn %#lx: given back %ld\n",
                   g[i], (unsigned long)found[i][j], d);
            given += d == 1;
        }
    }
    /* The input frames: gone if the exchange happened; else give them back. */
    stale[0] = in_frame;
    stale[1] = in_frame + 1;
    for (i = 0; i < 2; i++) {
        long d = hg_reservation_op(XENMEM_decrease_reservation, &stale[i], 1, 0);

        printk("hostile: input frame %#lx: decrease %ld\n", (unsigned long)stale[i], d);
        if (d == 1)
            stale[i] = ~0UL;        /* it was still ours (now given back) */
    }
    res2 = hg_current_reservation();
    printk("hostile: reservation %ld before, %ld after the undo\n", res0, res2);

    ST_EXPECT(rc == -XEN_EFAULT, "exchange: rc %ld, want %d", rc, -XEN_EFAULT);
    ST_EXPECT(x.nr_exchanged == 0, "nr_exchanged %lu, want 0",
              (unsigned long)x.nr_exchanged);
    ST_EXPECT(list_unchanged, "the read-only output list was written");
    ST_EXPECT(res1 == res0 + 2, "increase of order 1: reservation %ld -> %ld", res0, res1);
    ST_EXPECT(n[0] == 1 && n[1] == 1, "m2p: %u frames for gpfn %#lx, %u for %#lx; want 1 each",
              n[0], g[0], n[1], g[1]);
    ST_EXPECT(given == 2, "%u of the 2 new frames could be given back", given);
    ST_EXPECT(stale[0] != ~0UL && stale[1] != ~0UL,
              "an input frame was still ours after the exchange");
    ST_EXPECT(res2 == res0, "reservation %ld before, %ld after the undo", res0, res2);
    return NULL;
}
