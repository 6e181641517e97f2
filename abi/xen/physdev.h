/* SPDX-License-Identifier: MIT */
/*
 * xen/physdev.h - physdev_op(cmd, arg): what dom0 (or a driver domain)
 *             needs for real devices: physical IRQs as events, EOI, I/O
 *             privilege, MSI, PCI device registration.
 * Mirrors: Xen 4.17 public/physdev.h (x86 PV part).
 * Owns:    PHYSDEVOP_*, XENIRQSTAT_*, MAP_PIRQ_TYPE_*, XEN_PCI_* and the
 *          argument structs.
 * Touches: nothing; declarations only.
 */
#ifndef __XEN_PUBLIC_PHYSDEV_H__
#define __XEN_PUBLIC_PHYSDEV_H__

#include "xen.h"

/* Commands; the argument in brackets. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY   4  /* [NULL] obsolete */
#define PHYSDEVOP_irq_status_query    5  /* [physdev_irq_status_query] */
#define PHYSDEVOP_set_iopl            6  /* [physdev_set_iopl] */
#define PHYSDEVOP_set_iobitmap        7  /* [physdev_set_iobitmap] */
#define PHYSDEVOP_apic_read           8  /* [physdev_apic] */
#define PHYSDEVOP_apic_write          9  /* [physdev_apic] */
#define PHYSDEVOP_alloc_irq_vector   10  /* [physdev_irq] */
#define PHYSDEVOP_free_irq_vector    11  /* [physdev_irq] */
#define PHYSDEVOP_eoi                12  /* [physdev_eoi] */
#define PHYSDEVOP_map_pirq           13  /* [physdev_map_pirq] */
#define PHYSDEVOP_unmap_pirq         14  /* [physdev_unmap_pirq] */
#define PHYSDEVOP_manage_pci_add     15  /* [physdev_manage_pci] */
#define PHYSDEVOP_manage_pci_remove  16  /* [physdev_manage_pci] */
#define PHYSDEVOP_pirq_eoi_gmfn_v1   17  /* [physdev_pirq_eoi_gmfn] (+) */
#define PHYSDEVOP_restore_msi        19  /* [physdev_restore_msi] */
#define PHYSDEVOP_manage_pci_add_ext 20  /* [physdev_manage_pci_ext] */
#define PHYSDEVOP_setup_gsi          21  /* [physdev_setup_gsi] */
#define PHYSDEVOP_get_free_pirq      23  /* [physdev_get_free_pirq] */
#define PHYSDEVOP_pci_mmcfg_reserved 24  /* [physdev_pci_mmcfg_reserved] */
#define PHYSDEVOP_pci_device_add     25  /* [physdev_pci_device_add] */
#define PHYSDEVOP_pci_device_remove  26  /* [physdev_pci_device] */
#define PHYSDEVOP_restore_msi_ext    27  /* [physdev_pci_device] */
#define PHYSDEVOP_pirq_eoi_gmfn_v2   28  /* [physdev_pirq_eoi_gmfn] */
#define PHYSDEVOP_dbgp_op            29  /* [physdev_dbgp_op] */
#define PHYSDEVOP_prepare_msix       30  /* [physdev_pci_device] */
#define PHYSDEVOP_release_msix       31  /* [physdev_pci_device] */
/*
 * (+) Both register a page whose bit n says pirq n needs PHYSDEVOP_eoi;
 * after v1, PHYSDEVOP_eoi also unmasks the port, after v2 it does not.
 * The unversioned name means v2.
 */
#define PHYSDEVOP_pirq_eoi_gmfn      PHYSDEVOP_pirq_eoi_gmfn_v2

/* physdev_irq_status_query.flags */
#define _XENIRQSTAT_needs_eoi (0)
#define XENIRQSTAT_needs_eoi  (1U << _XENIRQSTAT_needs_eoi) /* EOI after use */
#define _XENIRQSTAT_shared    (1)
#define XENIRQSTAT_shared     (1U << _XENIRQSTAT_shared)    /* shared IRQ */

/* physdev_map_pirq.type */
#define MAP_PIRQ_TYPE_MSI       0x0
#define MAP_PIRQ_TYPE_GSI       0x1
#define MAP_PIRQ_TYPE_UNKNOWN   0x2
#define MAP_PIRQ_TYPE_MSI_SEG   0x3  /* bus has the segment in [31:16] */
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4  /* entry_nr vectors */

/* physdev_pci_mmcfg_reserved.flags */
#define XEN_PCI_MMCFG_RESERVED 0x1

/* physdev_pci_device_add.flags */
#define XEN_PCI_DEV_EXTFN  0x1   /* ARI extended function */
#define XEN_PCI_DEV_VIRTFN 0x2   /* SR-IOV VF (physfn set) */
#define XEN_PCI_DEV_PXM    0x4   /* optarr[0] is the proximity domain */

/* physdev_dbgp_op.op and .bus */
#define PHYSDEVOP_DBGP_RESET_PREPARE 1
#define PHYSDEVOP_DBGP_RESET_DONE    2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN   0
#define PHYSDEVOP_DBGP_BUS_PCI       1

#ifndef __ASSEMBLY__

struct physdev_eoi {
    uint32_t irq;               /* IN: pirq */
};
typedef struct physdev_eoi physdev_eoi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_eoi_t);

/* A guest frame holding a bitmap of pirqs that need an EOI. */
struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;             /* IN */
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pirq_eoi_gmfn_t);

struct physdev_irq_status_query {
    uint32_t irq;               /* IN */
    uint32_t flags;             /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_status_query_t);

struct physdev_set_iopl {
    uint32_t iopl;              /* IN: 0-3 */
};
typedef struct physdev_set_iopl physdev_set_iopl_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iopl_t);

struct physdev_set_iobitmap {
    XEN_GUEST_HANDLE(uint8) bitmap; /* IN: TSS-style, 1 = denied */
    uint32_t nr_ports;          /* IN */
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iobitmap_t);

struct physdev_apic {
    uint64_t apic_physbase;     /* IN: IOAPIC base address */
    uint32_t reg;               /* IN */
    uint32_t value;             /* IN (write) or OUT (read) */
};
typedef struct physdev_apic physdev_apic_t;
DEFINE_XEN_GUEST_HANDLE(physdev_apic_t);

struct physdev_irq {
    uint32_t irq;               /* IN */
    uint32_t vector;            /* OUT (alloc) or IN (free) */
};
typedef struct physdev_irq physdev_irq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_t);

/* map_pirq: give domid a pirq for a GSI or an MSI(-X) vector. */
struct physdev_map_pirq {
    domid_t domid;              /* IN */
    int32_t type;               /* IN: MAP_PIRQ_TYPE_* */
    int32_t index;              /* IN: GSI, or MSI-X entry */
    int32_t pirq;               /* IN or OUT (-1: choose) */
    int32_t bus;                /* IN: MSI: bus (and segment) */
    int32_t devfn;              /* IN: MSI */
    int32_t entry_nr;           /* IN: MSI: vectors */
    uint64_t table_base;        /* IN: MSI-X table address */
};
typedef struct physdev_map_pirq physdev_map_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_map_pirq_t);

struct physdev_unmap_pirq {
    domid_t domid;              /* IN */
    int32_t pirq;               /* IN */
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_unmap_pirq_t);

struct physdev_manage_pci {
    uint8_t bus;                /* IN */
    uint8_t devfn;              /* IN */
};
typedef struct physdev_manage_pci physdev_manage_pci_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_t);

struct physdev_restore_msi {
    uint8_t bus;                /* IN */
    uint8_t devfn;              /* IN */
};
typedef struct physdev_restore_msi physdev_restore_msi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_restore_msi_t);

struct physdev_manage_pci_ext {
    uint8_t bus;                /* IN */
    uint8_t devfn;              /* IN */
    uint32_t is_extfn;          /* IN */
    uint32_t is_virtfn;         /* IN */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;                   /* IN: the PF when is_virtfn */
};
typedef struct physdev_manage_pci_ext physdev_manage_pci_ext_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_ext_t);

/* The argument of the old physdev_op_compat (hypercall 19). */
struct physdev_op {
    uint32_t cmd;
    union {
        physdev_irq_status_query_t irq_status_query;
        physdev_set_iopl_t         set_iopl;
        physdev_set_iobitmap_t     set_iobitmap;
        physdev_apic_t             apic_op;
        physdev_irq_t              irq_op;
    } u;
};
typedef struct physdev_op physdev_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_op_t);

struct physdev_setup_gsi {
    int32_t gsi;                /* IN */
    uint8_t triggering;         /* IN: 0 edge, 1 level */
    uint8_t polarity;           /* IN: 0 high, 1 low */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_setup_gsi_t);

struct physdev_get_free_pirq {
    int32_t type;               /* IN: MAP_PIRQ_TYPE_* */
    uint32_t pirq;              /* OUT */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_get_free_pirq_t);

struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
    uint32_t flags;             /* XEN_PCI_MMCFG_* */
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_mmcfg_reserved_t);

struct physdev_pci_device_add {
    uint16_t seg;               /* IN */
    uint8_t bus;                /* IN */
    uint8_t devfn;              /* IN */
    uint32_t flags;             /* IN: XEN_PCI_DEV_* */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;                   /* IN: with XEN_PCI_DEV_VIRTFN */
    uint32_t optarr[XEN_FLEX_ARRAY_DIM]; /* IN: optional data, by flags */
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_add_t);

struct physdev_pci_device {
    uint16_t seg;               /* IN */
    uint8_t bus;                /* IN */
    uint8_t devfn;              /* IN */
};
typedef struct physdev_pci_device physdev_pci_device_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_t);

struct physdev_dbgp_op {
    uint8_t op;                 /* IN: PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus;                /* IN: PHYSDEVOP_DBGP_BUS_* */
    union {
        physdev_pci_device_t pci;
    } u;
};
typedef struct physdev_dbgp_op physdev_dbgp_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_dbgp_op_t);

_Static_assert(sizeof(struct physdev_eoi) == 4, "eoi");
_Static_assert(sizeof(struct physdev_pirq_eoi_gmfn) == 8, "pirq_eoi_gmfn");
_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "status_query");
_Static_assert(sizeof(struct physdev_set_iopl) == 4, "set_iopl");
_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "set_iobitmap");
_Static_assert(sizeof(struct physdev_apic) == 16, "apic");
_Static_assert(sizeof(struct physdev_irq) == 8, "irq");
_Static_assert(sizeof(struct physdev_map_pirq) == 40, "map_pirq");
_Static_assert(offsetof(struct physdev_map_pirq, table_base) == 32, "table");
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "unmap_pirq");
_Static_assert(sizeof(struct physdev_manage_pci) == 2, "manage_pci");
_Static_assert(sizeof(struct physdev_restore_msi) == 2, "restore_msi");
_Static_assert(sizeof(struct physdev_manage_pci_ext) == 16, "manage_pci_ext");
_Static_assert(sizeof(struct physdev_op) == 24, "physdev_op");
_Static_assert(sizeof(struct physdev_setup_gsi) == 8, "setup_gsi");
_Static_assert(sizeof(struct physdev_get_free_pirq) == 8, "get_free_pirq");
_Static_assert(sizeof(struct physdev_pci_mmcfg_reserved) == 16, "mmcfg");
_Static_assert(sizeof(struct physdev_pci_device_add) == 12, "pci_device_add");
_Static_assert(sizeof(struct physdev_pci_device) == 4, "pci_device");
_Static_assert(sizeof(struct physdev_dbgp_op) == 6, "dbgp_op");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_PHYSDEV_H__ */
