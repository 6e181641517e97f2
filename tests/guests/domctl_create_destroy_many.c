/* SPDX-License-Identifier: MIT */
/*
 * domctl_create_destroy_many - 50 domains created, given a vCPU and 64
 * frames, and destroyed, one after the other; then 12 alive at once, each
 * with its frames, destroyed together.
 * Rule: every frame comes back each time (the free count is what it was);
 * ids are handed out upward and not reused at once; nothing of a
 * destroyed domain stays visible.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU; sched=credit pv=no-32
 * gnttab=max-ver:1): every step 0; the ids of the 50 go up by one each
 * time (the rover), though each was destroyed before the next was made;
 * the 12 live domains get the 12 next ids; the free frames, measured once
 * the last RCU grace period is over, are what they were before.
 */
#include "hostile_domctl.h"
#include "hostile_evtchn.h"
#include "hostile_time.h"

#define ROUNDS   50
#define LIVE     12
#define FRAMES   64

/* create + max_vcpus + max_mem + populate: the id, or -XEN_E*. */
static long make_domain(xen_pfn_t *list)
{
    struct xen_domctl_createdomain cfg;
    long id, rc;

    hd_config(&cfg, 1);
    id = hd_create(0, &cfg);
    if (id < 0)
        return id;
    if ((rc = hd_max_vcpus((domid_t)id, 1)) ||
        (rc = hd_max_mem((domid_t)id, FRAMES * 4)))
        return rc;
    rc = hd_populate((domid_t)id, list, FRAMES);
    return rc == FRAMES ? id : (rc < 0 ? rc : -1000);
}

const char *hostile_domctl_create_destroy_many(void)
{
    static struct hg_cases c;
    xen_pfn_t *list = hg_page(3);
    long before, after, prev = 0, id, rc = 0, ids[LIVE];
    unsigned int bad_ids = 0, n;

    before = hd_free_frames();
    printk("hostile:   (%ld frames free)\n", before);
    for (n = 0; n < ROUNDS && !rc; n++) {
        id = make_domain(list);
        if (id < 0) {
            rc = id;
            break;
        }
        bad_ids += prev && id != prev + 1;
        prev = id;
        rc = hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id);
    }
    hg_case(&c, "50 create, populate, destroy", rc, 0);
    hg_case(&c, "  rounds", n, ROUNDS);
    hg_case(&c, "  ids not one above the last", bad_ids, 0);

    for (n = 0, rc = 0; n < LIVE; n++) {
        ids[n] = make_domain(list);
        if (ids[n] < 0 && !rc)
            rc = ids[n];
    }
    hg_case(&c, "12 domains alive at once", rc, 0);
    hg_case(&c, "  the first of them: the next id", ids[0], prev + 1);
    for (n = 0, rc = 0; n < LIVE; n++)
        if (ids[n] > 0) {
            struct xen_domctl_getdomaininfo i;
            long r = hd_info((domid_t)ids[n], &i);
            if (!r && i.tot_pages != FRAMES)
                r = -2000;
            if (!r)
                r = hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)ids[n]);
            if (r && !rc)
                rc = r;
        }
    hg_case(&c, "  each had its frames and was destroyed", rc, 0);

    hg_spin_ns(50000000);                  /* Xen: the last RCU frees */
    after = hd_free_frames();
    hg_spin_ns(50000000);
    printk("hostile:   (%ld frames free at the end)\n", after);
    hg_case(&c, "free frames as before", after, before);
    memset(list, 0, PAGE_SIZE);
    return hg_cases_verdict(&c);
}
