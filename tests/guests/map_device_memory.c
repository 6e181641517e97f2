/* SPDX-License-Identifier: MIT */
/*
 * map_device_memory - what dom0 may map that is not RAM it owns (issue 9,
 * item 7), each answer first observed on Xen 4.17.
 *
 * Attack: map, over a scratch page, writable: (a) the legacy VGA frame
 * (0xa0000), (b) the BIOS area (0xf0000), (c) a PTE whose frame field is
 * all ones (bits 51:12), (d) the same with only bit 51 set.
 * Expected (Xen 4.17.7, dom0 in QEMU, 512 MiB): see EXPECT_* below; each
 * mapping that succeeds is undone at once. The point is to answer as Xen
 * does: dom0 drives devices, so device frames are its to map; a frame
 * field beyond the machine's physical address width is refused.
 */
#include "hostile.h"

struct dev_case {
    const char *what;
    uint64_t mfn;
    long want;
};

/* Observed on Xen 4.17.7 (rc of update_va_mapping). */
#define EXPECT_VGA   0
#define EXPECT_BIOS  0
#define EXPECT_ONES  (-XEN_EINVAL)
#define EXPECT_BIT51 (-XEN_EPERM)

static const struct dev_case cases[] = {
    { "legacy VGA 0xa0000",          0xa0,                                EXPECT_VGA },
    { "BIOS area 0xf0000",           0xf0,                                EXPECT_BIOS },
    { "frame field all ones",        HG_ADDR_MASK >> PAGE_SHIFT,          EXPECT_ONES },
    { "frame field bit 51 only",     1UL << (51 - PAGE_SHIFT),            EXPECT_BIT51 },
};

const char *hostile_map_device_memory(void)
{
    unsigned long va = (unsigned long)hg_page(0);
    uint64_t before = hg_read_pte(va);

    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct dev_case *c = &cases[i];
        long rc = hg_update_va_mapping(va, (c->mfn << PAGE_SHIFT) | HG_PTE_FLAGS,
                                       UVMF_INVLPG);
        uint64_t after = hg_read_pte(va);

        if (after != before)
            hg_update_va_mapping(va, before, UVMF_INVLPG);
        printk("hostile: %s (mfn %#lx): rc %ld pte %#lx\n", c->what, c->mfn, rc, after);
        ST_EXPECT(rc == c->want, "%s: rc %ld, want %ld", c->what, rc, c->want);
        if (rc)
            ST_EXPECT(after == before, "%s refused, but pte %#lx became %#lx",
                      c->what, before, after);
    }
    return NULL;
}
