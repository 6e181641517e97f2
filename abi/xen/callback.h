/* SPDX-License-Identifier: MIT */
/*
 * xen/callback.h - callback_op(cmd, arg): register the guest kernel's
 *             entry points (events, failsafe, syscall, NMI).
 * Mirrors: Xen 4.17 public/callback.h.
 * Owns:    CALLBACKTYPE_*, CALLBACKF_*, CALLBACKOP_* and their structs.
 * Touches: nothing; declarations only.
 */
#ifndef __XEN_PUBLIC_CALLBACK_H__
#define __XEN_PUBLIC_CALLBACK_H__

#include "xen.h"

#define CALLBACKTYPE_event               0  /* event-channel upcall */
#define CALLBACKTYPE_failsafe            1  /* return to bad segment state */
#define CALLBACKTYPE_syscall             2  /* 64-bit user-mode syscall */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi                 4  /* virtual NMI */
#define CALLBACKTYPE_sysenter            5  /* 32-bit user sysenter */
#define CALLBACKTYPE_syscall32           7  /* 32-bit user syscall */

/* callback_register.flags: enter with events masked. */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register   0  /* struct callback_register */
#define CALLBACKOP_unregister 1  /* struct callback_unregister */

#ifndef __ASSEMBLY__

struct callback_register {
    uint16_t type;              /* CALLBACKTYPE_* */
    uint16_t flags;             /* CALLBACKF_* */
    xen_callback_t address;
};
typedef struct callback_register callback_register_t;
DEFINE_XEN_GUEST_HANDLE(callback_register_t);

struct callback_unregister {
    uint16_t type;              /* CALLBACKTYPE_* */
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
DEFINE_XEN_GUEST_HANDLE(callback_unregister_t);

_Static_assert(sizeof(struct callback_register) == 16, "callback_register");
_Static_assert(offsetof(struct callback_register, address) == 8, "address");
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_CALLBACK_H__ */
