/* SPDX-License-Identifier: MIT */
/*
 * memory.c - the x86 sub-ops of memory_op (Xen's arch_memory_op): the
 * domain's pseudo-physical memory map, the machine's map (privileged),
 * where the read-only M2P sits.
 * Owns:    nothing; reads the boot memory map and the domain's size.
 * Trusts:  nothing: every guest buffer goes through guest_access.
 * ABI:     abi/xen/memory.h, struct pvisor_e820_entry (Xen's e820 entry);
 *          docs/abi/hypercalls.md row 12.
 */
#define LOG_PREFIX "memory"
#include <xen/memory.h>
#include "arch.h"
#include "entry.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "layout.h"
#include "m2p.h"
#include "multiboot.h"
#include "processor.h"

uint64_t arch_max_ram_page(void)
{
    return max_page;
}

#define CPUID_ADDR_SIZES 0x80000008
#define DEFAULT_PADDR_BITS 36

uint64_t arch_max_phys_mfn(void)
{
    unsigned int bits = DEFAULT_PADDR_BITS;

    if (cpuid_count(0x80000000, 0).eax >= CPUID_ADDR_SIZES)
        bits = cpuid_count(CPUID_ADDR_SIZES, 0).eax & 0xff;
    return 1ULL << (bits - PAGE_SHIFT);
}

#define PADDR_BITS_MAX 52               /* the page-table format's limit */

/*
 * CPUID 0x80000008's guest-physical width (EAX[23:16]), or the physical
 * one (EAX[7:0]) when the CPU leaves it 0, at most 52: Xen's
 * hap_paddr_bits, which Xen 4.17 reports for PV domains too.
 */
unsigned int arch_guest_paddr_bits(void)
{
    unsigned int bits = DEFAULT_PADDR_BITS;

    if (cpuid_count(0x80000000, 0).eax >= CPUID_ADDR_SIZES) {
        uint32_t eax = cpuid_count(CPUID_ADDR_SIZES, 0).eax;

        bits = (eax >> 16) & 0xff ? (eax >> 16) & 0xff : eax & 0xff;
    }
    return bits < PADDR_BITS_MAX ? bits : PADDR_BITS_MAX;
}

void arch_set_m2p(mfn_t mfn, uint64_t pfn)
{
    m2p_set(mfn, pfn);
}

/* Write up to map.nr_entries entries from e[0..n) and report the count. */
static long put_memory_map(uint64_t arg, const struct pvisor_e820_entry *e,
                           unsigned int n)
{
    struct xen_memory_map map;

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    if (map.nr_entries < n)
        n = map.nr_entries;
    if (copy_to_guest((uint64_t)map.buffer.p, e, n * sizeof(*e)))
        return -XEN_EFAULT;
    map.nr_entries = n;
    return copy_to_guest(arg, &map.nr_entries, sizeof(map.nr_entries)) ? -XEN_EFAULT : 0;
}

/*
 * A domain's own map is the one its builder set with XENMEM_set_memory_map
 * (toolstack, not yet); like Xen, without one the answer is -XEN_ENOSYS and
 * a PV kernel assumes one RAM range over its pages.
 */
static long domain_memory_map(const struct domain *d, uint64_t arg)
{
    struct xen_memory_map map;

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    return hc_fail(-XEN_ENOSYS, "d%u has no memory map set", d->domain_id);
}

static long machine_memory_map(const struct domain *d, uint64_t arg)
{
    const struct boot_info *bi = boot_info_get();
    struct pvisor_e820_entry e[BOOT_MAX_MEM_REGIONS];

    if (!d->is_privileged)
        return hc_fail(-XEN_EPERM, "machine_memory_map from d%u", d->domain_id);
    for (unsigned int i = 0; i < bi->nr_mem; i++) {
        e[i].addr = bi->mem[i].addr;
        e[i].size = bi->mem[i].len;
        e[i].type = bi->mem[i].type;
    }
    return put_memory_map(arg, e, bi->nr_mem);
}

long arch_memory_op(unsigned int op, uint64_t arg)
{
    const struct domain *d = current->domain;

    switch (op) {
    case XENMEM_memory_map:
        return domain_memory_map(d, arg);
    case XENMEM_machine_memory_map:
        return machine_memory_map(d, arg);
    case XENMEM_machphys_mfn_list:
        return m2p_mfn_list(arg);
    case XENMEM_machphys_mapping: {
        struct xen_machphys_mapping m = {
            .v_start = RO_MPT_VIRT_START, .v_end = RO_MPT_VIRT_END,
            .max_mfn = max_page - 1,
        };
        return copy_to_guest(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
    }
    default:
        return hc_fail(-XEN_ENOSYS, "memory_op %u not implemented", op);
    }
}
