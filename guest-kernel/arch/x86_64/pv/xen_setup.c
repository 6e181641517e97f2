/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_setup.c - the first C code: what the Xen domain builder handed
 *                  over, and the platform set-up before the kernel proper.
 * Owns:    xen_start_kernel() (called by head.S with %rsi = start_info),
 *          HYPERVISOR_shared_info and the page it is mapped at,
 *          the arch_* queries about the bootstrap region (mm_init()).
 * Touches: update_va_mapping (through pv_ops) to map shared_info;
 *          vcpu_info.evtchn_upcall_mask; evtchn_init(); percpu_init(0)
 *          (the boot vCPU's kernel GS base); xen_console_init(); the M2P
 *          (mfn_to_pfn) for the pfns of a domU's rings.
 * ABI:     abi/xen/xen.h: struct start_info, SIF_*; the start-of-day memory
 *          layout (docs/porting-guide.md; bootstrap region 1:1 from VIRT_BASE, >= 512 KiB padding
 *          after the last bootstrap element).
 */
#include <kernel.h>
#include <evtchn.h>
#include <mm.h>
#include <asm/pvops.h>
#include "xen.h"

/* SIF_PM_MASK is one byte of power-management options starting at bit 8. */
#define SIF_PM_SHIFT 8

/* shared_info is a hypervisor frame: we map it over this page of our BSS. */
static uint8_t shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
shared_info_t *HYPERVISOR_shared_info = (shared_info_t *)shared_info_page;

void __noreturn xen_start_kernel(start_info_t *si)
{
    xen_start_info = si;
    start_kernel((const char *)si->cmd_line);
}

static const struct { uint32_t bit; const char *name; } sif_names[] = {
    { SIF_PRIVILEGED,      "privileged" },
    { SIF_INITDOMAIN,      "initdomain" },
    { SIF_MULTIBOOT_MOD,   "multiboot_mod" },
    { SIF_MOD_START_PFN,   "mod_start_pfn" },
    { SIF_VIRT_P2M_4TOOLS, "virt_p2m_4tools" },
};

static void print_sif_flags(uint32_t flags)
{
    size_t i;

    printk("start_info: flags        %#x (", flags);
    for (i = 0; i < ARRAY_SIZE(sif_names); i++) {
        if (flags & sif_names[i].bit) {
            printk(" %s", sif_names[i].name);
            flags &= ~sif_names[i].bit;
        }
    }
    if (flags & SIF_PM_MASK) {      /* Xen's power-management options for dom0 */
        printk(" pm=%#x", (flags & SIF_PM_MASK) >> SIF_PM_SHIFT);
        flags &= ~SIF_PM_MASK;
    }
    if (flags)
        printk(" unknown %#x", flags);
    printk(" )\n");
}

static void print_start_info(const start_info_t *si)
{
    printk("start_info: magic        %.*s\n", (int)sizeof(si->magic), si->magic);
    printk("start_info: nr_pages     %lu\n", si->nr_pages);
    printk("start_info: shared_info  %#lx\n", si->shared_info);
    print_sif_flags(si->flags);
    printk("start_info: pt_base      %#lx\n", si->pt_base);
    printk("start_info: nr_pt_frames %lu\n", si->nr_pt_frames);
    printk("start_info: mfn_list     %#lx\n", si->mfn_list);
    printk("start_info: mod_start    %#lx\n", si->mod_start);
    printk("start_info: mod_len      %lu\n", si->mod_len);
    printk("start_info: cmd_line     \"%.*s\"\n", (int)sizeof(si->cmd_line), si->cmd_line);
}

static void map_shared_info(void)
{
    pte_t pte = xen_start_info->shared_info | _PAGE_PRESENT | _PAGE_RW |
                _PAGE_ACCESSED | _PAGE_DIRTY;
    long rc = pv_ops.set_pte_at((unsigned long)shared_info_page, pte, 1);

    if (rc)
        panic("mapping shared_info %#lx failed: %ld", xen_start_info->shared_info, rc);
}

void arch_setup(void)
{
    long rc = percpu_init(XEN_BOOT_VCPU);

    if (rc)
        panic("setting the per-CPU GS base failed: %ld", rc);
    map_shared_info();
    pv_ops.irq_disable();   /* the kernel runs with events masked */
    xen_console_init();     /* a domU's console ring: printk reaches it */
    print_start_info(xen_start_info);
    evtchn_init();          /* every port masked, no handlers */
}

/* First pfn after the elements of the bootstrap region (image, initrd,
 * p2m list, start_info, page tables, the builder's boot stack): the
 * padding starts there.  The order is the builder's; take the maximum
 * anyway, so that no element is missed whatever the order. */
unsigned long arch_bootstrap_end_pfn(void)
{
    const start_info_t *si = xen_start_info;
    unsigned long end = si->pt_base + (si->nr_pt_frames + 1) * PAGE_SIZE;

    end = MAX(end, (unsigned long)_end);
    end = MAX(end, si->mfn_list + si->nr_pages * sizeof(uint64_t));
    end = MAX(end, (unsigned long)si + PAGE_SIZE);
    if (si->mod_start && !(si->flags & SIF_MOD_START_PFN))
        end = MAX(end, si->mod_start + si->mod_len);
    return (end - KERNEL_VIRT_BASE + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* The bootstrap page tables: nr_pt_frames frames from pt_base's pfn. */
unsigned long arch_boot_pt_pfn(void)
{
    return (xen_start_info->pt_base - KERNEL_VIRT_BASE) >> PAGE_SHIFT;
}

unsigned long arch_boot_nr_pt_frames(void)
{
    return xen_start_info->nr_pt_frames;
}

/* The VA of the L4 the domain builder gave us. */
unsigned long arch_boot_pt_base(void)
{
    return xen_start_info->pt_base;
}

/* The initial ramdisk (the builder's module: dom0's second Multiboot
 * module): start_info.mod_start is its VA, or with SIF_MOD_START_PFN its
 * first pfn (then the direct map has it contiguous); mod_len its size.
 * false if there is none. */
bool arch_initrd(const void **start, size_t *len)
{
    const start_info_t *si = xen_start_info;

    if (!si->mod_start || !si->mod_len)
        return false;
    *start = (si->flags & SIF_MOD_START_PFN) ? pfn_to_virt(si->mod_start)
                                              : (const void *)si->mod_start;
    *len = si->mod_len;
    return *start != NULL;
}

bool arch_is_initial_domain(void)
{
    return xen_start_info->flags & SIF_INITDOMAIN;
}

/* A domU's console ring and xenstore ring are pages of its own memory,
 * named by machine frame: the M2P gives their pfns.  (Dom0's start_info
 * has neither: console.dom0 describes the VGA console instead.) */
unsigned int arch_reserved_pfns(uint64_t *pfns, unsigned int max)
{
    const start_info_t *si = xen_start_info;
    const uint64_t mfns[] = { si->console.domU.mfn, si->store_mfn };
    unsigned int i, n = 0;
    uint64_t pfn;

    if (si->flags & SIF_INITDOMAIN)
        return 0;
    for (i = 0; i < ARRAY_SIZE(mfns) && n < max; i++) {
        if (!mfns[i])
            continue;
        pfn = mfn_to_pfn(mfns[i]);
        if (pfn != INVALID_FRAME)
            pfns[n++] = pfn;
    }
    return n;
}
