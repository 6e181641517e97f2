/* SPDX-License-Identifier: MIT */
/*
 * boot_ram_scrubbed - what the boot loader and firmware left in free RAM
 * (under QEMU, the multiboot information: the command lines and the
 * module list, in the frame after the hypervisor's image) must not reach
 * a domain. dom0 creates a domain, populates it with every frame the
 * allocator has, 512 at a time, and reads each through a foreign mapping
 * before the next batch; then destroys it. This is the first destruction
 * of the boot, so nothing freed since boot was scrubbed on the way: only
 * a scrub of free RAM at boot makes every frame read 0.
 * Rule: a frame a domain is given holds nothing: every byte is 0.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, -m 512, dom0_mem=256M;
 * its bootscrub on, the default): 63,084 frames populated, every one
 * reads 0. pvisor before setup.c's scrub_free_ram() (the hostile boot's
 * memory: 8,030 frames free): 47 not 0, the first the frame after the
 * hypervisor's image (the multiboot information).
 */
#include "hostile_domctl.h"

const char *hostile_boot_ram_scrubbed(void)
{
    static struct hg_cases c;
    struct xen_domctl_createdomain cfg;
    xen_pfn_t *list = hg_page(3);
    const unsigned long batch = PAGE_SIZE / sizeof(xen_pfn_t);
    long id, rc, total = 0, dirty = 0, got;

    hd_config(&cfg, 1);
    id = hd_create(0, &cfg);
    hg_case(&c, "createdomain", id > 0, 1);
    if (id <= 0)
        return hg_cases_verdict(&c);
    hg_case(&c, "max_mem: all of it", hd_max_mem((domid_t)id, ~0ULL >> 12), 0);
    do {
        struct xen_memory_reservation r = {
            .nr_extents = batch, .extent_order = 0, .domid = (domid_t)id,
        };

        for (unsigned long i = 0; i < batch; i++)
            list[i] = (xen_pfn_t)(total + i);       /* the PFNs, for the M2P */
        set_xen_guest_handle(r.extent_start, list);
        rc = hg_memory_op(XENMEM_populate_physmap, &r);
        got = rc > 0 ? rc : 0;
        if (got) {
            long held = hd_frames_holding((domid_t)id, list, (unsigned long)got, 0, 4);
            dirty += held < 0 ? got : held;
        }
        total += got;
    } while (rc == (long)batch);
    printk("hostile:   (%ld frames populated, %ld not 0)\n", total, dirty);
    hg_case(&c, "some frames populated", total > 1000, 1);
    hg_case(&c, "  frames not all 0", dirty, 0);
    hg_case(&c, "destroydomain", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id), 0);
    memset(list, 0, PAGE_SIZE);
    return hg_cases_verdict(&c);
}
