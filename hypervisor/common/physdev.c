/* SPDX-License-Identifier: MIT */
/*
 * physdev.c - the physdev_op hypercall (33): what a domain that drives
 *             real devices asks of the hypervisor: its I/O privilege
 *             and, in Xen, physical IRQs, MSI and PCI devices.
 * Owns:    which sub-ops exist (a case here, or -XEN_ENOSYS) and their
 *          checks.
 * Touches: the calling vCPU's virtual IOPL and I/O bitmap, through
 *          arch_vcpu_set_iopl() and arch_vcpu_set_iobitmap()
 *          (arch/x86_64/pv/io.c, which applies them to cli/sti and port
 *          I/O).
 * Trusts:  nothing from the guest: each case copies its struct in
 *          (-XEN_EFAULT) and checks it before it acts.
 * ABI:     abi/xen/physdev.h; docs/abi/hypercalls.md rows 33.*. Results
 *          and errors are Xen 4.17's for a PV dom0, observed with
 *          tests/guests/physdev_bad_args and viopl_*.
 *
 * pvisor binds no physical IRQ to any domain yet: a domain has no pirqs.
 * So the pirq sub-ops that only look a pirq up answer as Xen does for one
 * that does not exist (eoi, irq_status_query: -XEN_EINVAL), and those
 * that would create pirqs, program interrupt hardware or register PCI
 * devices are -XEN_ENOSYS (each listed in the docs with Xen's answer).
 */
#define LOG_PREFIX "physdev"
#include <xen/physdev.h>
#include "arch.h"
#include "guest_access.h"
#include "hypercall.h"

#define IOPL_MAX        3
#define IOBITMAP_PORTS  65536      /* nr_ports may cover every port */

static long physdev_set_iopl(struct vcpu *v, const struct physdev_set_iopl *op)
{
    if (op->iopl > IOPL_MAX)
        return hc_fail(-XEN_EINVAL, "set_iopl %u", op->iopl);
    arch_vcpu_set_iopl(v, op->iopl);
    return 0;
}

/*
 * As Xen, only where the bitmap starts is checked (guest_handle_okay() on
 * x86_64): a bitmap that cannot be read refuses ports when it is used.
 */
static long physdev_set_iobitmap(struct vcpu *v, const struct physdev_set_iobitmap *op)
{
    uint64_t bitmap = (uint64_t)op->bitmap.p;

    if (!guest_handle_start_ok(bitmap) || op->nr_ports > IOBITMAP_PORTS)
        return hc_fail(-XEN_EINVAL, "set_iobitmap %#lx, %u ports", bitmap,
                       op->nr_ports);
    arch_vcpu_set_iobitmap(v, bitmap, op->nr_ports);
    return 0;
}

/* Xen: "vector == IRQ"; the answer is the irq, written back. */
static long physdev_alloc_irq_vector(uint64_t arg, struct physdev_irq *op)
{
    op->vector = op->irq;
    return copy_to_guest(arg, op, sizeof(*op));
}

/* Copy the sub-op's struct in, or return -XEN_EFAULT from the caller. */
#define COPY_IN(op) do {                                            \
        if (copy_from_guest(&(op), arg, sizeof(op)))                \
            return hc_fail(-XEN_EFAULT, "cmd %u: bad argument %#lx", \
                           cmd, arg);                               \
    } while (0)

long do_physdev_op(unsigned int cmd, uint64_t arg)
{
    struct vcpu *v = current;
    union {
        struct physdev_set_iopl set_iopl;
        struct physdev_set_iobitmap set_iobitmap;
        struct physdev_irq irq;
        struct physdev_eoi eoi;
        struct physdev_irq_status_query status;
        struct physdev_dbgp_op dbgp;
    } op;

    switch (cmd) {
    case PHYSDEVOP_IRQ_UNMASK_NOTIFY:    /* no pirq to unmask; arg unused */
        return 0;
    case PHYSDEVOP_set_iopl:
        COPY_IN(op.set_iopl);
        return physdev_set_iopl(v, &op.set_iopl);
    case PHYSDEVOP_set_iobitmap:
        COPY_IN(op.set_iobitmap);
        return physdev_set_iobitmap(v, &op.set_iobitmap);
    case PHYSDEVOP_alloc_irq_vector:
        COPY_IN(op.irq);
        return physdev_alloc_irq_vector(arg, &op.irq);
    case PHYSDEVOP_eoi:                  /* no such pirq */
        COPY_IN(op.eoi);
        return hc_fail(-XEN_EINVAL, "eoi: no pirq %u", op.eoi.irq);
    case PHYSDEVOP_irq_status_query:     /* no such pirq: nothing written */
        COPY_IN(op.status);
        return hc_fail(-XEN_EINVAL, "irq_status_query: no pirq %u",
                       op.status.irq);
    case PHYSDEVOP_dbgp_op:              /* no EHCI debug port: done */
        COPY_IN(op.dbgp);
        return 0;
    default:
        return hc_fail(-XEN_ENOSYS, "physdev_op %u", cmd);
    }
}
