/* SPDX-License-Identifier: MIT */
/*
 * m2p.c - the machine-to-phys table.
 * Owns:    the table's frames (hypervisor memory) and its read-only,
 *          user-visible mapping in L4 slot 256 of every address space.
 * Touches: idle_pg_table below slot 256 (through map_pages_to_xen).
 */
#define LOG_PREFIX "m2p"
#include <xen/memory.h>
#include "bug.h"
#include "guest_access.h"
#include "lib.h"
#include "log.h"
#include "m2p.h"
#include "page.h"

static uint64_t *m2p;          /* writable view, in the direct map */
static uint64_t m2p_maddr, m2p_frames;

void m2p_init(uint64_t maddr, uint64_t nr_frames)
{
    m2p = maddr_to_virt(maddr);
    m2p_maddr = maddr;
    m2p_frames = nr_frames;
    memset(m2p, 0xff, nr_frames * sizeof(*m2p));
}

void m2p_map_for_guests(void)
{
    uint64_t pages = ROUNDUP(m2p_frames * sizeof(*m2p), PAGE_SIZE) >> PAGE_SHIFT;

    BUG_ON(RO_MPT_VIRT_START + pages * PAGE_SIZE > RO_MPT_VIRT_END,
           "M2P for %lu frames does not fit its slot", m2p_frames);
    map_pages_to_xen(RO_MPT_VIRT_START, _mfn(m2p_maddr >> PAGE_SHIFT), pages,
                     _PAGE_PRESENT | _PAGE_USER);
    log_info("read-only M2P at %#lx, %lu pages", RO_MPT_VIRT_START, pages);
}

void m2p_set(mfn_t mfn, uint64_t pfn)
{
    BUG_ON(mfn_x(mfn) >= m2p_frames, "m2p_set: mfn %#lx", mfn_x(mfn));
    m2p[mfn_x(mfn)] = pfn;
}

uint64_t m2p_get(mfn_t mfn)
{
    return mfn_x(mfn) < m2p_frames ? m2p[mfn_x(mfn)] : INVALID_M2P_ENTRY;
}

/*
 * XENMEM_machphys_mfn_list: the machine frame at the start of each 2 MiB
 * of the table, as many as fit in max_extents.
 */
long m2p_mfn_list(uint64_t arg)
{
    struct xen_machphys_mfn_list l;
    uint64_t bytes = m2p_frames * sizeof(*m2p), i;
    const uint64_t per_extent = 1UL << (L2_PAGETABLE_SHIFT - PAGE_SHIFT);

    if (copy_from_guest(&l, arg, sizeof(l)))
        return -XEN_EFAULT;
    for (i = 0; i < l.max_extents && (i << L2_PAGETABLE_SHIFT) < bytes; i++) {
        uint64_t mfn = (m2p_maddr >> PAGE_SHIFT) + i * per_extent;
        if (copy_to_guest((uint64_t)l.extent_start.p + i * sizeof(mfn), &mfn, sizeof(mfn)))
            return -XEN_EFAULT;
    }
    l.nr_extents = (uint32_t)i;
    return copy_to_guest(arg, &l, sizeof(l)) ? -XEN_EFAULT : 0;
}

