/* SPDX-License-Identifier: MIT */
/*
 * pv/set_trap_table.c - the set_trap_table hypercall (0).
 * Owns:    the vCPU's virtual IDT (struct pv_vcpu.trap_ctxt).
 * Trusts:  nothing: every entry is copied in and checked.
 * ABI:     struct trap_info (abi/xen/arch-x86/xen.h); the list ends at an
 *          entry whose address is 0; a NULL list clears the table. A long
 *          list continues through a continuation, as in Xen.
 *          docs/abi/hypercalls.md row 0.
 */
#define LOG_PREFIX "traps"
#include <xen/xen.h>
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "processor.h"

long do_set_trap_table(uint64_t traps)
{
    struct trap_info *dst = current->pv.trap_ctxt, cur;

    if (!traps) {
        memset(dst, 0, sizeof(current->pv.trap_ctxt));
        return 0;
    }
    for (uint64_t p = traps, n = 0;; p += sizeof(cur), n++) {
        if (hypercall_preempt_check((unsigned int)n))
            return hypercall_create_continuation(__HYPERVISOR_set_trap_table,
                                                 p, 0, 0, 0, 0);
        if (copy_from_guest(&cur, p, sizeof(cur)))
            return -XEN_EFAULT;
        if (cur.address == 0)
            return 0;
        if (!is_canonical_address(cur.address))
            return hc_fail(-XEN_EINVAL, "trap %u: non-canonical handler %#lx",
                           cur.vector, cur.address);
        cur.cs = FLAT_KERNEL_CS;     /* one kernel code selector in PV64 */
        dst[cur.vector] = cur;
    }
}
