/* SPDX-License-Identifier: MIT */
/*
 * xen/nmi.h - nmi_op(cmd, arg) and the NMI reason bits dom0 reads from
 *             arch_shared_info.nmi_reason.
 * Mirrors: Xen 4.17 public/nmi.h.
 * Owns:    XEN_NMIREASON_*, XENNMI_* and struct xennmi_callback.
 * Touches: nothing; declarations only.
 */
#ifndef __XEN_PUBLIC_NMI_H__
#define __XEN_PUBLIC_NMI_H__

#include "xen.h"

/* nmi_reason bits. */
#define _XEN_NMIREASON_io_error 0
#define XEN_NMIREASON_io_error  (1UL << _XEN_NMIREASON_io_error)   /* I/O check */
#define _XEN_NMIREASON_pci_serr 1
#define XEN_NMIREASON_pci_serr  (1UL << _XEN_NMIREASON_pci_serr)   /* PCI SERR */
#define _XEN_NMIREASON_unknown  2
#define XEN_NMIREASON_unknown   (1UL << _XEN_NMIREASON_unknown)    /* other */

#define XENNMI_register_callback   0  /* struct xennmi_callback */
#define XENNMI_unregister_callback 1  /* arg NULL */

#ifndef __ASSEMBLY__

struct xennmi_callback {
    uint64_t handler_address;   /* NMI entry point */
    uint64_t pad;
};
typedef struct xennmi_callback xennmi_callback_t;
DEFINE_XEN_GUEST_HANDLE(xennmi_callback_t);

_Static_assert(sizeof(struct xennmi_callback) == 16, "xennmi_callback");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_NMI_H__ */
