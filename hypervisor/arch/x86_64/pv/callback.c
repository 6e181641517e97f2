/* SPDX-License-Identifier: MIT */
/*
 * pv/callback.c - set_callbacks (4) and callback_op (30).
 * Owns:    the vCPU's event, failsafe, syscall, syscall32, sysenter and
 *          NMI entry points and their "mask events on entry" flags.
 * Trusts:  nothing; addresses must be canonical.
 * ABI:     abi/xen/callback.h; docs/abi/hypercalls.md rows 4 and 30.
 *          As in Xen, only the NMI callback can be unregistered: the
 *          others answer -XEN_EINVAL, and unknown types -XEN_ENOSYS.
 */
#define LOG_PREFIX "callback"
#include <xen/callback.h>
#include "guest_access.h"
#include "hypercall.h"
#include "processor.h"

static long register_callback(struct vcpu *v, const struct callback_register *reg)
{
    bool mask = reg->flags & CALLBACKF_mask_events;

    if (!is_canonical_address(reg->address))
        return hc_fail(-XEN_EINVAL, "callback %u at non-canonical %#lx",
                       reg->type, reg->address);
    switch (reg->type) {
    case CALLBACKTYPE_event:
        v->pv.event_callback_eip = reg->address;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->pv.failsafe_callback_eip = reg->address;
        v->pv.failsafe_disables_events = mask;
        return 0;
    case CALLBACKTYPE_syscall:
        v->pv.syscall_callback_eip = reg->address;
        v->pv.syscall_disables_events = mask;
        return 0;
    case CALLBACKTYPE_syscall32:
        v->pv.syscall32_callback_eip = reg->address;
        v->pv.syscall32_disables_events = mask;
        return 0;
    case CALLBACKTYPE_sysenter:
        v->pv.sysenter_callback_eip = reg->address;
        v->pv.sysenter_disables_events = mask;
        return 0;
    case CALLBACKTYPE_nmi: {
        struct trap_info *t = &v->pv.trap_ctxt[TRAP_nmi];
        t->vector = TRAP_nmi;
        t->flags = 4;                  /* TI_SET_IF: events masked */
        t->cs = FLAT_KERNEL_CS;
        t->address = reg->address;
        return 0;
    }
    default:
        return hc_fail(-XEN_ENOSYS, "unknown callback type %u", reg->type);
    }
}

static long unregister_callback(struct vcpu *v, const struct callback_unregister *u)
{
    switch (u->type) {
    case CALLBACKTYPE_event:
    case CALLBACKTYPE_failsafe:
    case CALLBACKTYPE_syscall:
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
        return hc_fail(-XEN_EINVAL, "callback %u cannot be unregistered", u->type);
    case CALLBACKTYPE_nmi:
        v->pv.trap_ctxt[TRAP_nmi].address = 0;
        return 0;
    default:
        return hc_fail(-XEN_ENOSYS, "unknown callback type %u", u->type);
    }
}

long do_callback_op(unsigned int cmd, uint64_t arg)
{
    switch (cmd) {
    case CALLBACKOP_register: {
        struct callback_register reg;
        if (copy_from_guest(&reg, arg, sizeof(reg)))
            return -XEN_EFAULT;
        return register_callback(current, &reg);
    }
    case CALLBACKOP_unregister: {
        struct callback_unregister u;
        if (copy_from_guest(&u, arg, sizeof(u)))
            return -XEN_EFAULT;
        return unregister_callback(current, &u);
    }
    default:
        return hc_fail(-XEN_ENOSYS, "callback_op cmd %u", cmd);
    }
}

/* The older 3-address form; x86_64 passes event, failsafe, syscall. */
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
    struct callback_register ev = { .type = CALLBACKTYPE_event, .address = event };
    struct callback_register fs = { .type = CALLBACKTYPE_failsafe, .address = failsafe };
    struct callback_register sc = { .type = CALLBACKTYPE_syscall, .address = syscall };

    register_callback(current, &ev);
    register_callback(current, &fs);
    register_callback(current, &sc);
    return 0;
}
