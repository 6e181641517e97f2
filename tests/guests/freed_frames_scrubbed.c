/* SPDX-License-Identifier: MIT */
/*
 * freed_frames_scrubbed - what the hypervisor kept in frames of its own
 * (each vCPU's state, the frame audit's counts, an exchange's list; a
 * granter's active entries: domus-gnttab-pte-keeper) must not reach the
 * next domain handed those frames. dom0 clears free memory of what boot
 * left there (a probe domain takes it all and dies), creates a domain
 * with 8 vCPUs and destroys it, creates the next domain, makes an
 * exchange big enough for the hypervisor to keep its list in frames (it
 * fails: its inputs are no frames), then populates the next domain with
 * the 256 frames the allocator gives now and reads each through a
 * foreign mapping.
 * Rule: a frame a domain is given holds nothing of another domain's or
 * of the hypervisor's: every byte of a populated frame is 0.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU; sched=credit pv=no-32
 * gnttab=max-ver:1): every step 0 or as below; the exchange -EINVAL with
 * 0 exchanged; the 256 frames all read 0. pvisor before the fixes: 59 of
 * the 256 not 0 (the first holding a hypervisor address, a struct vcpu's
 * frames; most of them the frame audit's counts), and 1 more with the
 * exchange (its list, dom0's numbers). Without the probe, one more: the
 * multiboot information boot left in RAM, the command lines and module
 * list (Xen scrubs free RAM at boot; pvisor does not yet).
 */
#include "hostile_domctl.h"

#define VCPUS   8
#define FRAMES  256
#define EXCHANGE_IN        128
#define EXCHANGE_BOGUS_MFN 0x7e5700000UL    /* far beyond any RAM here */

const char *hostile_freed_frames_scrubbed(void)
{
    static struct hg_cases c;
    struct xen_domctl_createdomain cfg;
    xen_pfn_t *list = hg_page(3);
    long id, id2, rc;

    /* A probe domain takes every free frame and dies, its frames scrubbed
     * as a dying domain's: what boot left in free RAM is gone, and what
     * follows sees only the frames the next destruction frees. */
    printk("hostile:   (%ld frames free)\n", hd_free_frames());
    hd_config(&cfg, VCPUS);
    id = hd_create(0, &cfg);
    hg_case(&c, "createdomain, 8 vCPUs", id > 0, 1);
    if (id <= 0)
        return hg_cases_verdict(&c);
    hg_case(&c, "max_vcpus 8", hd_max_vcpus((domid_t)id, VCPUS), 0);
    hg_case(&c, "destroydomain", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id), 0);

    hd_config(&cfg, 1);
    id2 = hd_create(0, &cfg);
    hg_case(&c, "createdomain, the next", id2 > 0, 1);
    if (id2 <= 0)
        return hg_cases_verdict(&c);
    hg_case(&c, "max_mem 1 MiB", hd_max_mem((domid_t)id2, FRAMES * 4), 0);
    /* After the next domain is made (its own frames are not read): an
     * exchange of 128 frames for an order-7 extent keeps its list in
     * frames of the hypervisor's for the call; its inputs, not frames of
     * anyone's, make it fail at once. */
    {
        static xen_pfn_t in[EXCHANGE_IN], out[1];
        struct xen_memory_exchange x = {
            .in  = { .nr_extents = EXCHANGE_IN, .extent_order = 0, .domid = DOMID_SELF },
            .out = { .nr_extents = 1, .extent_order = 7, .domid = DOMID_SELF },
        };

        for (unsigned int j = 0; j < EXCHANGE_IN; j++)
            in[j] = EXCHANGE_BOGUS_MFN + j;
        set_xen_guest_handle(x.in.extent_start, in);
        set_xen_guest_handle(x.out.extent_start, out);
        rc = hg_memory_op(XENMEM_exchange, &x);
        printk("hostile:   (exchange of frames beyond RAM: %ld, %lu exchanged)\n",
               rc, (unsigned long)x.nr_exchanged);
        hg_case(&c, "exchange of frames beyond RAM fails", rc < 0 && !x.nr_exchanged, 1);
    }

    rc = hd_populate((domid_t)id2, list, FRAMES);
    hg_case(&c, "populate_physmap 256", rc, FRAMES);
    hg_case(&c, "  frames not all 0",
            hd_frames_holding((domid_t)id2, list, rc > 0 ? (unsigned long)rc : 0, 0, 4), 0);
    hg_case(&c, "destroydomain the next", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id2), 0);
    memset(list, 0, PAGE_SIZE);
    return hg_cases_verdict(&c);
}
