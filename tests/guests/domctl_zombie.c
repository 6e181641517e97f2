/* SPDX-License-Identifier: MIT */
/*
 * domctl_zombie - dom0 holds a foreign mapping of a frame of a domain it
 * then destroys: the domain must stay, dying, while the frame is mapped,
 * and go (with every frame back) once dom0 unmaps it.
 * Rule: a frame another domain holds outlives its owner's destruction;
 * the owner is a zombie meanwhile, then disappears; dom0 hears
 * VIRQ_DOM_EXC at the destruction and again when the domain goes.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU; sched=credit pv=no-32
 * gnttab=max-ver:1): destroydomain 0 with the frame mapped, VIRQ_DOM_EXC
 * pending; getdomaininfo of it 0: flags 0xffff0009 (dying, still paused
 * by the toolstack, no shutdown code), tot_pages 1 (the mapped frame);
 * destroydomain again 0; the mapped frame still reads what the domain
 * had in it; once unmapped (and an RCU grace period later) getdomaininfo
 * -ESRCH and VIRQ_DOM_EXC pending again; the free frames are what they
 * were.
 */
#include "hostile_domctl.h"
#include "hostile_evtchn.h"
#include "hostile_time.h"

#define E(x) (-XEN_##x)

const char *hostile_domctl_zombie(void)
{
    static struct hg_cases c;
    struct xen_domctl_createdomain cfg;
    struct xen_domctl_getdomaininfo i;
    xen_pfn_t *frames = hg_page(3);
    long exc, before, after, id;
    uint64_t *p;

    exc = hd_dom_exc_open();
    hg_case(&c, "setup: bind VIRQ_DOM_EXC", exc > 0, 1);
    before = hd_free_frames();
    hg_spin_ns(50000000);
    hd_dom_exc_seen((evtchn_port_t)exc);

    hd_config(&cfg, 1);
    id = hd_create(0, &cfg);
    hg_case(&c, "createdomain", id > 0, 1);
    if (id > 0) {
        domid_t d = (domid_t)id;
        hg_case(&c, "max_vcpus 1", hd_max_vcpus(d, 1), 0);
        hg_case(&c, "max_mem 16 KiB", hd_max_mem(d, 16), 0);
        hg_case(&c, "populate_physmap 4", hd_populate(d, frames, 4), 4);
        p = hd_map_foreign(4, d, frames[2]);
        hg_case(&c, "map its frame 2", p != NULL, 1);
        if (p)
            p[0] = 0x5a5a5a5a5a5a5a5aULL;
        hg_case(&c, "destroydomain with the frame mapped",
                hd_cmd(XEN_DOMCTL_destroydomain, d), 0);
        hg_case(&c, "  VIRQ_DOM_EXC", hd_dom_exc_seen((evtchn_port_t)exc), 1);
        hg_case(&c, "getdomaininfo of it", hd_info(d, &i), 0);
        hg_case(&c, "  flags: dying, paused", i.flags,
                XEN_DOMINF_dying | XEN_DOMINF_paused | HD_CODE_NONE);
        hg_case(&c, "  tot_pages: the mapped frame", (long)i.tot_pages, 1);
        hg_case(&c, "destroydomain again", hd_cmd(XEN_DOMCTL_destroydomain, d), 0);
        if (p) {
            hg_case(&c, "the frame still reads the same", p[0] == 0x5a5a5a5a5a5a5a5aULL, 1);
            hg_case(&c, "unmap it", hd_unmap_foreign(4), 0);
        }
        hg_spin_ns(50000000);
        hg_case(&c, "getdomaininfo: gone", hd_info(d, &i), E(ESRCH));
        hg_case(&c, "  VIRQ_DOM_EXC again", hd_dom_exc_seen((evtchn_port_t)exc), 1);
    }
    after = hd_free_frames();
    hg_spin_ns(50000000);
    printk("hostile:   (%ld frames free before, %ld after)\n", before, after);
    hg_case(&c, "free frames as before", after, before);
    hg_port_clear_pending((evtchn_port_t)exc);
    hg_case(&c, "close VIRQ_DOM_EXC", hg_evtchn_close((evtchn_port_t)exc), 0);
    memset(frames, 0, PAGE_SIZE);
    return hg_cases_verdict(&c);
}
