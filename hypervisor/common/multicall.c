/* SPDX-License-Identifier: MIT */
/*
 * multicall.c - the multicall hypercall (13): a batch of hypercalls.
 * Owns:    nothing; runs each entry through hypercall_dispatch(), so every
 *          entry is counted like a hypercall of its own.
 * Trusts:  nothing: each entry is copied in, its result copied out.
 * ABI:     struct multicall_entry {op, result, args[6]}; each entry's
 *          return value goes to its result field, and every entry runs
 *          whatever the others returned (Xen's semantics). The multicall
 *          itself returns 0, or -XEN_EFAULT if an entry could not be read
 *          or its result written (entries before it have run), or
 *          -XEN_EINVAL for a multicall inside a multicall. An iret entry
 *          ends the batch (it changes where the vCPU resumes).
 *          docs/abi/hypercalls.md row 13.
 */
#define LOG_PREFIX "multicall"
#include <xen/xen.h>
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"

long do_multicall(uint64_t call_list, unsigned int nr_calls)
{
    struct vcpu *v = current;
    struct multicall_entry mc;
    long rc = 0;

    if (v->in_multicall)
        return hc_fail(-XEN_EINVAL, "multicall inside a multicall");
    if (!guest_range_ok(call_list, (uint64_t)nr_calls * sizeof(mc)))
        return hc_fail(-XEN_EFAULT, "multicall: %u entries at %#lx", nr_calls, call_list);
    v->in_multicall = true;
    for (unsigned int i = 0; i < nr_calls && vcpu_runnable(v); i++) {
        uint64_t at = call_list + (uint64_t)i * sizeof(mc);
        if (copy_from_guest(&mc, at, sizeof(mc))) {
            rc = -XEN_EFAULT;
            break;
        }
        mc.result = (xen_ulong_t)hypercall_dispatch(v,
            mc.op < NR_HYPERCALLS ? (unsigned int)mc.op : NR_HYPERCALLS,
            (const uint64_t *)mc.args);
        if (copy_to_guest(at + __builtin_offsetof(struct multicall_entry, result),
                          &mc.result, sizeof(mc.result))) {
            rc = -XEN_EFAULT;
            break;
        }
        if (mc.op == __HYPERVISOR_iret)
            break;
    }
    v->in_multicall = false;
    return rc;
}
