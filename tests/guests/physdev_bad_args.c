/* SPDX-License-Identifier: MIT */
/*
 * physdev_bad_args - physdev_op (33): every sub-op pvisor implements,
 * with bad argument pointers and the values Xen refuses; unknown commands.
 * Rule: a sub-op copies its struct in first (-EFAULT), then checks it; a
 * pirq that is not bound is -EINVAL; nothing is written back on failure.
 *
 * dom0 has bound no physical IRQ. Observed on Xen 4.17 (4.17.7 as dom0
 * in QEMU; arch/x86/physdev.c do_physdev_op()):
 *  - commands 0-3, 11 (free_irq_vector), 18, 22, 32, 33, 34, 1000,
 *    0x80000000, 0xffffffff: -ENOSYS, whatever the argument;
 *  - IRQ_UNMASK_NOTIFY (4): 0, even with a NULL argument (not read);
 *  - NULL, unmapped, Xen's range: -EFAULT for irq_status_query, set_iopl,
 *    set_iobitmap, alloc_irq_vector, eoi, dbgp_op;
 *  - eoi of pirq 0, 9, 207, 208, 0xffffffff: -EINVAL (none is bound);
 *  - irq_status_query of irq 208 (one past dom0's 208 pirqs on the rig),
 *    0x80000000, 0xffffffff (negative as an int): -EINVAL, flags not
 *    written;
 *  - alloc_irq_vector: 0, vector = irq (5, 0xffffffff) written back; a
 *    read-only argument -EFAULT;
 *  - dbgp_op: 0 for op 1 and 9, bus 0 and 7 (Xen has no EHCI debug port
 *    here, so it answers before it looks at them).
 * Differences (docs/abi/hypercalls.md, physdev_op): for irq 0..207 Xen
 * answers irq_status_query 0 with XENIRQSTAT_needs_eoi, pvisor -EINVAL
 * (its domains have no pirqs); apic_read/apic_write, map/unmap_pirq,
 * the PCI and MSI sub-ops, setup_gsi, get_free_pirq, pirq_eoi_gmfn are
 * -ENOSYS on pvisor: not tried here.
 */
#include "hostile_viopl.h"

#define E(x) (-XEN_##x)

static void unknown_cases(struct hg_cases *c)
{
    static const uint32_t cmds[] = { 0, 1, 2, 3, PHYSDEVOP_free_irq_vector, 18, 22,
                                     32, 33, 34, 1000, 0x80000000u, 0xffffffffu };
    uint8_t buf[64] = { 0 };
    char l[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
        snprintf(l, sizeof(l), "cmd %#x", cmds[i]);
        hg_case(c, l, vio_physdev(cmds[i], buf), E(ENOSYS));
        snprintf(l, sizeof(l), "cmd %#x, NULL", cmds[i]);
        hg_case(c, l, vio_physdev(cmds[i], NULL), E(ENOSYS));
    }
    hg_case(c, "IRQ_UNMASK_NOTIFY, NULL", vio_physdev(PHYSDEVOP_IRQ_UNMASK_NOTIFY, NULL), 0);
    hg_case(c, "IRQ_UNMASK_NOTIFY, unmapped",
            vio_physdev(PHYSDEVOP_IRQ_UNMASK_NOTIFY, HG_BAD_PTR), 0);
}

static void pointer_cases(struct hg_cases *c)
{
    static const struct { const char *name; uint32_t cmd; } ops[] = {
        { "irq_status_query", PHYSDEVOP_irq_status_query },
        { "set_iopl", PHYSDEVOP_set_iopl },
        { "set_iobitmap", PHYSDEVOP_set_iobitmap },
        { "alloc_irq_vector", PHYSDEVOP_alloc_irq_vector },
        { "eoi", PHYSDEVOP_eoi },
        { "dbgp_op", PHYSDEVOP_dbgp_op },
    };
    char l[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
        snprintf(l, sizeof(l), "%s, NULL", ops[i].name);
        hg_case(c, l, vio_physdev(ops[i].cmd, NULL), E(EFAULT));
        snprintf(l, sizeof(l), "%s, unmapped", ops[i].name);
        hg_case(c, l, vio_physdev(ops[i].cmd, HG_BAD_PTR), E(EFAULT));
        snprintf(l, sizeof(l), "%s, Xen's range", ops[i].name);
        hg_case(c, l, vio_physdev(ops[i].cmd, HG_XEN_PTR), E(EFAULT));
    }
}

static void pirq_cases(struct hg_cases *c)
{
    static const uint32_t eoi_irqs[] = { 0, 9, 207, 208, 0xffffffffu };
    static const uint32_t bad_irqs[] = { 208, 0x80000000u, 0xffffffffu };
    char l[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(eoi_irqs); i++) {
        struct physdev_eoi eoi = { .irq = eoi_irqs[i] };

        snprintf(l, sizeof(l), "eoi %#x", eoi_irqs[i]);
        hg_case(c, l, vio_physdev(PHYSDEVOP_eoi, &eoi), E(EINVAL));
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_irqs); i++) {
        struct physdev_irq_status_query q = { .irq = bad_irqs[i], .flags = 0xabcd };
        long rc = vio_physdev(PHYSDEVOP_irq_status_query, &q);

        snprintf(l, sizeof(l), "irq_status_query %#x", bad_irqs[i]);
        hg_case(c, l, rc, E(EINVAL));
        hg_case(c, "  flags not written", q.flags, 0xabcd);
    }
}

static void vector_cases(struct hg_cases *c)
{
    static const uint32_t irqs[] = { 5, 0xffffffffu };
    struct physdev_irq *ro = hg_page(4);
    char l[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(irqs); i++) {
        struct physdev_irq op = { .irq = irqs[i], .vector = 0xabcd };
        long rc = vio_physdev(PHYSDEVOP_alloc_irq_vector, &op);

        snprintf(l, sizeof(l), "alloc_irq_vector %#x", irqs[i]);
        hg_case(c, l, rc, 0);
        hg_case(c, "  vector = irq", op.vector, irqs[i]);
    }
    *ro = (struct physdev_irq){ .irq = 5, .vector = 0xabcd };
    hg_case(c, "setup: read-only", hg_set_readonly(ro), 0);
    hg_case(c, "alloc_irq_vector, read-only", vio_physdev(PHYSDEVOP_alloc_irq_vector, ro),
            E(EFAULT));
    hg_case(c, "setup: writable again", hg_set_writable(ro), 0);
}

static void dbgp_cases(struct hg_cases *c)
{
    static const struct physdev_dbgp_op ops[] = {
        { .op = PHYSDEVOP_DBGP_RESET_PREPARE, .bus = PHYSDEVOP_DBGP_BUS_UNKNOWN },
        { .op = 9, .bus = PHYSDEVOP_DBGP_BUS_UNKNOWN },
        { .op = PHYSDEVOP_DBGP_RESET_DONE, .bus = 7 },
    };
    char l[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
        snprintf(l, sizeof(l), "dbgp_op op %u bus %u", ops[i].op, ops[i].bus);
        hg_case(c, l, vio_physdev(PHYSDEVOP_dbgp_op, &ops[i]), 0);
    }
}

const char *hostile_physdev_bad_args(void)
{
    struct hg_cases c = { 0 };

    unknown_cases(&c);
    pointer_cases(&c);
    pirq_cases(&c);
    vector_cases(&c);
    dbgp_cases(&c);
    return hg_cases_verdict(&c);
}
