/* SPDX-License-Identifier: MIT */
/*
 * vm_assist.c - the vm_assist hypercall (21).
 * Owns:    struct domain.vm_assist, the assists a guest turned on.
 * ABI:     vm_assist(cmd, type): VMASST_CMD_enable/disable; the types
 *          Xen accepts for a 64-bit PV guest are accepted, others are
 *          -XEN_EINVAL; an unknown cmd is -XEN_ENOSYS.
 *          docs/abi/hypercalls.md row 21.
 *
 * Recorded, with what each changes here today: pae_extended_cr3 changes
 * the advertised features; writable_pagetables is recorded (trap-and-
 * emulate of direct page-table writes comes with the memory issue); the
 * others change nothing for a 64-bit guest.
 */
#define LOG_PREFIX "vm_assist"
#include <xen/xen.h>
#include "hypercall.h"

#define VM_ASSIST_VALID ((1UL << VMASST_TYPE_4gb_segments) |          \
                         (1UL << VMASST_TYPE_4gb_segments_notify) |   \
                         (1UL << VMASST_TYPE_writable_pagetables) |   \
                         (1UL << VMASST_TYPE_pae_extended_cr3) |      \
                         (1UL << VMASST_TYPE_architectural_iopl) |    \
                         (1UL << VMASST_TYPE_runstate_update_flag) |  \
                         (1UL << VMASST_TYPE_m2p_strict))

long do_vm_assist(unsigned int cmd, unsigned int type)
{
    struct domain *d = current->domain;

    if (type >= 64 || !(VM_ASSIST_VALID & (1UL << type)))
        return hc_fail(-XEN_EINVAL, "vm_assist type %u", type);
    switch (cmd) {
    case VMASST_CMD_enable:
        d->vm_assist |= 1UL << type;
        return 0;
    case VMASST_CMD_disable:
        d->vm_assist &= ~(1UL << type);
        return 0;
    default:
        return hc_fail(-XEN_ENOSYS, "vm_assist cmd %u", cmd);
    }
}
