/* SPDX-License-Identifier: MIT */
/*
 * domctl_from_domu - an unprivileged domain (a boot domU, `domus=1`)
 * calling domctl: every command, on itself, on dom0 or on nothing, with
 * a good and a bad interface version.
 * Rule: domctl is the toolstack's; a domU gets -EPERM for every command
 * on a domain that exists, but the checks that come before the privilege
 * (the version, the domain's existence, getdomaininfo's reserved ids)
 * answer first, as in Xen's do_domctl(); nothing is written back.
 *
 * Not observable on the oracle: Xen 4.17 on x86 starts no domU without a
 * toolstack. Xen's answers are those of its source with the default XSM
 * policy (xsm/dummy.h: xsm_domctl() XSM_OTHER, getdomaininfo XSM_XS_PRIV,
 * both -EPERM for a domain neither control nor xenstore domain, itself
 * included), checked in the order the dom0 tests observed
 * (domctl_bad_args): version 0 -EACCES; cmd 9999 on d100 (no such
 * domain) -ESRCH; getdomaininfo from d100 -ESRCH, from DOMID_SELF
 * -EINVAL; getdomaininfo of d0 and of itself, createdomain,
 * pausedomain/unpausedomain/destroydomain/max_mem/setvcpucontext of d0
 * and of itself, cmd 9999 on d0: -EPERM. dom0 stays running throughout.
 */
#include "hostile_domctl.h"

#define E(x) (-XEN_##x)

static long call(uint32_t cmd, domid_t dom, uint32_t version)
{
    static struct xen_domctl op;
    long rc;

    hd_init(&op, cmd, dom);
    op.interface_version = version;
    rc = hd_call(&op);
    if (op.domain != dom || op.cmd != cmd)
        return -1000;                       /* written back: never Xen's */
    return rc;
}

const char *hostile_domctl_from_domu(void)
{
    static const uint32_t privileged[] = {
        XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_createdomain, XEN_DOMCTL_pausedomain,
        XEN_DOMCTL_unpausedomain, XEN_DOMCTL_destroydomain, XEN_DOMCTL_max_mem,
        XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpuinfo, XEN_DOMCTL_scheduler_op,
        XEN_DOMCTL_hypercall_init, 9999,
    };
    static struct hg_cases c;
    domid_t self = 0;
    struct xen_domctl_getdomaininfo i;
    char l[96];

    /* Our own id: the domU is d1 (the first boot domU) under domus=1. */
    self = 1;
    hg_case(&c, "version 0", call(XEN_DOMCTL_getdomaininfo, 0, 0), E(EACCES));
    hg_case(&c, "cmd 9999 on d100 (none)", call(9999, 100, XEN_DOMCTL_INTERFACE_VERSION),
            E(ESRCH));
    hg_case(&c, "getdomaininfo from d100", call(XEN_DOMCTL_getdomaininfo, 100,
            XEN_DOMCTL_INTERFACE_VERSION), E(ESRCH));
    hg_case(&c, "getdomaininfo from DOMID_SELF", call(XEN_DOMCTL_getdomaininfo, DOMID_SELF,
            XEN_DOMCTL_INTERFACE_VERSION), E(EINVAL));
    for (unsigned int k = 0; k < ARRAY_SIZE(privileged); k++) {
        snprintf(l, sizeof(l), "cmd %u on d0", privileged[k]);
        hg_case(&c, l, call(privileged[k], 0, XEN_DOMCTL_INTERFACE_VERSION), E(EPERM));
        snprintf(l, sizeof(l), "cmd %u on itself", privileged[k]);
        hg_case(&c, l, call(privileged[k], self, XEN_DOMCTL_INTERFACE_VERSION), E(EPERM));
    }
    hg_case(&c, "hd_info of d0", hd_info(0, &i), E(EPERM));
    return hg_cases_verdict(&c);
}
