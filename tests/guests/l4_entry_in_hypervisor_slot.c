/* SPDX-License-Identifier: MIT */
/*
 * l4_entry_in_hypervisor_slot - invariant 3 (DESIGN.md 3): no guest mapping
 * reaches the hypervisor's virtual range (L4 slots 256-271).
 *
 * Attack: for each slot 256..271 of the live L4 (cr3), one
 * MMU_NORMAL_PT_UPDATE writing our own kernel L3 (a valid L3 of ours: the
 * value of slot 511) into it.
 * Expected: -XEN_EINVAL for every slot, the slot unchanged. Observed on Xen
 * 4.17 (4.17.7, dom0 in QEMU): rc -22 for all 16. Source: mod_l4_entry():
 * !is_guest_l4_slot() -> "Illegal L4 update attempt in Xen-private area",
 * -EINVAL, before the new entry is looked at.
 */
#include "hostile.h"

const char *hostile_l4_entry_in_hypervisor_slot(void)
{
    unsigned long l4_mfn = hg_read_cr3() >> PAGE_SHIFT;
    volatile uint64_t *l4 = hg_mfn_to_virt(l4_mfn);
    unsigned int slot, done;
    uint64_t before;
    long rc;

    ST_EXPECT(l4, "setup: cr3 frame is not ours");
    ST_EXPECT(l4[511] & _PAGE_PRESENT, "setup: L4 slot 511 empty");
    for (slot = HG_L4_HV_FIRST; slot <= HG_L4_HV_LAST; slot++) {
        struct mmu_update req = {
            .ptr = (l4_mfn << PAGE_SHIFT) + slot * sizeof(uint64_t),
            .val = l4[511],
        };

        before = l4[slot];
        done = 0xdead;
        rc = hg_mmu_update(&req, 1, &done, DOMID_SELF);
        ST_EXPECT(rc == -XEN_EINVAL, "slot %u: rc %ld, want %d", slot, rc, -XEN_EINVAL);
        ST_EXPECT(done == 0, "slot %u: done %u, want 0", slot, done);
        ST_EXPECT(l4[slot] == before, "slot %u: %#lx changed to %#lx", slot,
                  (unsigned long)before, (unsigned long)l4[slot]);
    }
    return NULL;
}
