/* SPDX-License-Identifier: MIT */
/*
 * multicall_bad_args - the multicall list is guest memory like any other:
 * invariant 3 (DESIGN.md 3) says the hypervisor's range is never a guest
 * buffer, and each entry's result is reported as Xen reports it.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU) and
 * where in do_multicall() it comes from:
 *  - list unmapped (low half): -EFAULT (__copy_from_guest fails);
 *  - list in the hypervisor's range: -EFAULT (guest_handle_okay());
 *  - nr_calls 0x7fffffff, one xen_version entry at the end of a page
 *    before a hole: -EFAULT, and that entry ran (its result is the
 *    version): the count is not refused up front (guest_handle_okay() on
 *    x86_64 checks only where the list starts);
 *  - nr_calls 0: 0;
 *  - an entry with op 1000: the multicall returns 0, the entry's result is
 *    -ENOSYS, the next entry still runs;
 *  - an entry that is itself a multicall: result -EINVAL ("Multicall
 *    reentry is disallowed").
 */
#include "hostile.h"

const char *hostile_multicall_bad_args(void)
{
    static struct hg_cases c;
    static struct multicall_entry mc[3];
    static struct multicall_entry inner;
    struct multicall_entry *tail;
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);

    hg_case(&c, "list unmapped", hg_multicall(HG_BAD_PTR, 1), -XEN_EFAULT);
    hg_case(&c, "list in hypervisor range", hg_multicall(HG_XEN_PTR, 1), -XEN_EFAULT);
    tail = hg_hole_open(sizeof(*tail));
    ST_EXPECT(tail, "setup: no hole");
    *tail = (struct multicall_entry){ .op = __HYPERVISOR_xen_version, .args = { XENVER_version } };
    hg_case(&c, "nr 0x7fffffff before a hole", hg_multicall(tail, 0x7fffffff), -XEN_EFAULT);
    hg_case(&c, "nr 0x7fffffff before a hole: result", (long)tail->result, version);
    ST_EXPECT_RC(hg_hole_close(), 0);
    memset(mc, 0, sizeof(mc));
    hg_case(&c, "nr 0", hg_multicall(mc, 0), 0);

    memset(mc, 0, sizeof(mc));
    mc[0].op = 1000;
    mc[1] = (struct multicall_entry){ .op = __HYPERVISOR_xen_version, .args = { XENVER_version } };
    hg_case(&c, "op 1000: multicall", hg_multicall(mc, 2), 0);
    hg_case(&c, "op 1000: result", (long)mc[0].result, -XEN_ENOSYS);
    hg_case(&c, "op 1000: next entry", (long)mc[1].result, version);

    memset(mc, 0, sizeof(mc));
    inner = (struct multicall_entry){ .op = __HYPERVISOR_xen_version, .args = { XENVER_version } };
    mc[0] = (struct multicall_entry){ .op = __HYPERVISOR_multicall,
                                      .args = { (unsigned long)&inner, 1 } };
    mc[1] = (struct multicall_entry){ .op = __HYPERVISOR_xen_version, .args = { XENVER_version } };
    hg_case(&c, "nested: multicall", hg_multicall(mc, 2), 0);
    hg_case(&c, "nested: result", (long)mc[0].result, -XEN_EINVAL);
    hg_case(&c, "nested: next entry", (long)mc[1].result, version);
    return hg_cases_verdict(&c);
}
