/* SPDX-License-Identifier: MIT */
/*
 * multicall.c - the multicall hypercall (13): a batch of hypercalls.
 * Owns:    nothing; runs each entry through the dispatcher
 *          (hypercall_dispatch_args()), so every entry is counted like a
 *          hypercall of its own.
 * Trusts:  nothing: each entry is read once, its result written once.
 * ABI:     struct multicall_entry {op, result, args[6]}; each entry's
 *          return value goes to its result field, and every entry runs
 *          whatever the others returned (Xen's semantics). The multicall
 *          itself returns 0, or -XEN_EFAULT if an entry could not be read
 *          or its result written (entries before it have run), or
 *          -XEN_EINVAL for a multicall inside a multicall.
 *          An entry that moves the vCPU (iret: hypercall_exit_multicall())
 *          ends the batch, as in Xen since XSA-213: its result is written
 *          back if it can be (the vCPU has already left), the multicall
 *          returns that result, so the guest resumes with the iret's rax,
 *          and the entries after it are neither run nor written.
 *          docs/abi/hypercalls.md row 13.
 *
 * Preemption, as Xen's: every HYPERCALL_PREEMPT_BATCH entries, and when
 * an entry itself asks to continue (a long batch inside an entry), the
 * multicall continues from the entry it is at; a preempted entry gets its
 * new arguments written back instead of a result, and runs on from there
 * when the multicall resumes. A guest sees only the final results.
 */
#define LOG_PREFIX "multicall"
#include <xen/xen.h>
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"

/* Entry `at` asked to continue: give it its new arguments, then resume there. */
static long multicall_preempted(struct vcpu *v, uint64_t at, unsigned int left)
{
    v->mc_preempted = false;
    if (copy_to_guest(at + __builtin_offsetof(struct multicall_entry, args),
                      v->mc_args, sizeof(v->mc_args)))
        return -XEN_EFAULT;
    return hypercall_create_continuation(__HYPERVISOR_multicall, at, left, 0, 0, 0);
}

/*
 * The list's whole range is checked once, at the top: of each entry only
 * the words a handler takes (op and five arguments) are then read, and
 * its result written, by single loads and a store the exception table
 * covers (a fault still gives -XEN_EFAULT); the arguments go to the
 * dispatcher from registers, so that an entry costs less than the same
 * call made directly (docs/performance.md).
 */

long do_multicall(uint64_t call_list, unsigned int nr_calls)
{
    struct vcpu *v = current;
    struct multicall_entry *e;
    uint64_t op, a0, a1, a2, a3, a4;
    long rc = 0, result;

    if (v->in_multicall)
        return hc_fail(-XEN_EINVAL, "multicall inside a multicall");
    if (!guest_range_ok(call_list, (uint64_t)nr_calls * sizeof(*e)))
        return hc_fail(-XEN_EFAULT, "multicall: %u entries at %#lx", nr_calls, call_list);
    v->in_multicall = true;
    for (unsigned int i = 0; i < nr_calls && vcpu_may_run(v); i++) {
        uint64_t at = call_list + (uint64_t)i * sizeof(*e);

        e = (struct multicall_entry *)at;
        if (hypercall_preempt_check(i)) {
            v->in_multicall = false;
            return hypercall_create_continuation(__HYPERVISOR_multicall, at,
                                                 nr_calls - i, 0, 0, 0);
        }
        if (!raw_read_guest_u64(&e->op, &op) ||
            !raw_read_guest_u64(&e->args[0], &a0) ||
            !raw_read_guest_u64(&e->args[1], &a1) ||
            !raw_read_guest_u64(&e->args[2], &a2) ||
            !raw_read_guest_u64(&e->args[3], &a3) ||
            !raw_read_guest_u64(&e->args[4], &a4)) {
            rc = -XEN_EFAULT;
            break;
        }
        result = hypercall_dispatch_args(v, op, a0, a1, a2, a3, a4);
        if (v->mc_preempted) {
            v->in_multicall = false;
            return multicall_preempted(v, at, nr_calls - i);
        }
        if (v->mc_exit) {
            v->mc_exit = false;
            (void)raw_write_guest_u64(&e->result, (uint64_t)result);
            rc = result;
            break;
        }
        if (!raw_write_guest_u64(&e->result, (uint64_t)result)) {
            rc = -XEN_EFAULT;
            break;
        }
    }
    v->in_multicall = false;
    return rc;
}
