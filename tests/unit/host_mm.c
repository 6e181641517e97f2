/* SPDX-License-Identifier: MIT */
/*
 * host_mm.c - the simulated machine behind test_mm.c and
 * test_ro_page_fault.c (see host_mm.h for the frame map), the hooks
 * host_hooks.h redirects to, and stand-ins for what mm.c, m2p.c,
 * mm_audit.c and pv/ro_page_fault.c call in the rest of the hypervisor.
 * Owns:    the simulated RAM, frame table, domains, vCPUs and idle L4;
 *          raw_copy_from_guest(), raw_copy_to_guest(), raw_read_guest_u8()
 *          (entry.S in the hypervisor), raw_read_guest_2u64()
 *          (guest_access.h's inline asm; host_read_guest_2u64() and
 *          host_read_guest_u32() here),
 *          hypercall_create_continuation(), hc_fail_at() (hypercall.c),
 *          domain_by_id() and domain_next() (domain.c), pv_validate_desc_page()
 *          (pv/descriptor.c), pv_set_ldt() and pv_destroy_ldt() (pv/ldt.c), arch_max_phys_mfn(), arch_max_ram_page(),
 *          arch_set_m2p() and arch_memory_op() (arch/x86_64/memory.c),
 *          apic_mmio_mfn() (apic.c), gnttab_audit_device_refs() and
 *          gnttab_audit() (grant_table.c: no grant mappings here), idle_pg_table and map_pages_to_xen()
 *          (paging.c), printk() (console.c).
 * Touches: nothing of the code under test.
 *
 * Compiled as test code (libc, not the pv_ renames). The stand-ins keep
 * the contracts of the functions they replace (the header comments in
 * guest_access.h, hypercall.h, page_alloc.h) and nothing more.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xen/xen.h>
#include "host_mm.h"
#include "arch.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "log.h"
#include "m2p.h"
#include "mm.h"

static uint8_t host_ram[HOST_FRAMES * PAGE_SIZE] __attribute__((aligned(4096)));
static struct page_info host_frame_table[HOST_FRAMES];
static uint64_t host_bitmap[(HOST_FRAMES + 63) / 64];
static pte_t host_idle_table[L1_PAGETABLE_ENTRIES];

struct domain host_dom[3];
struct vcpu host_vcpu[3];
struct vcpu *host_current;
pte_t *idle_pg_table;
pte_t *const host_idle_l4 = host_idle_table;
struct host_events host_ev;
uint64_t host_fault_lo, host_fault_hi;
bool host_fault_writes_only;
int host_desc_rc;
uint64_t host_max_phys_mfn;

static const uint64_t dom_first[3] = { HOST_DOM0_FIRST, HOST_D1_FIRST, HOST_D2_FIRST };
static const uint64_t dom_end[3] = { HOST_D1_FIRST, HOST_D2_FIRST, HOST_DOM_END };

/* ---- host_hooks.h ---------------------------------------------------- */

void *host_maddr_to_virt(uint64_t ma)
{
    ck_assert_msg(ma < sizeof(host_ram),
                  "direct-map access to maddr %#lx, beyond the simulated RAM", ma);
    return host_ram + ma;
}

uint64_t host_virt_to_maddr(const void *va)
{
    const uint8_t *p = va;

    ck_assert_msg(p >= host_ram && p < host_ram + sizeof(host_ram),
                  "virt_to_maddr(%p): not in the simulated direct map", va);
    return (uint64_t)(p - host_ram);
}

void host_write_cr3(uint64_t cr3)
{
    host_ev.cr3_writes++;
    host_ev.last_cr3 = cr3;
}

void host_invlpg(uint64_t va)
{
    host_ev.invlpgs++;
    host_ev.last_invlpg = va;
}

void host_flush_tlb_local(void)
{
    host_ev.tlb_flushes++;
}

/* ---- entry.S: guest memory, with faults where the test says ---------- */

static bool faults(uint64_t a)
{
    return a >= host_fault_lo && a < host_fault_hi;
}

/* Copy byte by byte up to the first faulting one; return the rest. */
static size_t copy_until_fault(void *dst, const void *src, size_t n,
                               uint64_t guest_base, bool write)
{
    for (size_t i = 0; i < n; i++) {
        if (faults(guest_base + i) && (write || !host_fault_writes_only))
            return n - i;
        ((uint8_t *)dst)[i] = ((const uint8_t *)src)[i];
    }
    return 0;
}

size_t raw_copy_from_guest(void *dst, const void *src, size_t n)
{
    return copy_until_fault(dst, src, n, (uint64_t)src, false);
}

size_t raw_copy_to_guest(void *dst, const void *src, size_t n)
{
    return copy_until_fault(dst, src, n, (uint64_t)dst, true);
}

bool host_read_guest_u32(const uint32_t *src, uint32_t *out)
{
    return !copy_until_fault(out, src, sizeof(*out), (uint64_t)src, false);
}

bool host_read_guest_2u64(const uint64_t *src, uint64_t *a, uint64_t *b)
{
    uint64_t w[2];

    if (copy_until_fault(w, src, sizeof(w), (uint64_t)src, false))
        return false;
    *a = w[0];
    *b = w[1];
    return true;
}

int raw_read_guest_u8(const void *src, uint8_t *out)
{
    if (faults((uint64_t)src))
        return -1;
    *out = *(const uint8_t *)src;
    return 0;
}

/* ---- hypercall.c ----------------------------------------------------- */

/* Records the continuation; returns nr, as hypercall.c does (rax). */
long hypercall_create_continuation(unsigned int nr, uint64_t a0, uint64_t a1,
                                   uint64_t a2, uint64_t a3, uint64_t a4)
{
    host_ev.continuations++;
    host_ev.cont_nr = nr;
    host_ev.cont_args[0] = a0;
    host_ev.cont_args[1] = a1;
    host_ev.cont_args[2] = a2;
    host_ev.cont_args[3] = a3;
    host_ev.cont_args[4] = a4;
    return nr;
}

/* Every failure reason goes to the harness log, so tests can name it. */
long hc_fail_at(long rc, const char *file, int line, const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_printf(LOG_DEBUG, "hc", "%s:%d: rc %ld: %s", file, line, rc, buf);
    return rc;
}

/* ---- the rest of the hypervisor ------------------------------------- */

/* By id, as domain.c: a test may renumber the three domains. */
struct domain *domain_by_id(domid_t id)
{
    for (unsigned int i = 0; i < 3; i++)
        if (host_dom[i].domain_id == id)
            return &host_dom[i];
    return NULL;
}

/* domain.c: the struct vcpus here are static, no frames. */
uint64_t domain_vcpu_frames(const struct domain *d)
{
    (void)d;
    return 0;
}

/* domain.c: a zombie's last frame (no zombies here). */
void domain_frame_freed(struct domain *d)
{
    (void)d;
}

/* domain.c's walk: table order, which need not be id order. */
struct domain *domain_next(const struct domain *prev)
{
    unsigned int i = prev ? (unsigned int)(prev - host_dom) + 1 : 0;

    return i < 3 ? &host_dom[i] : NULL;
}

/* memory.c reads CPUID; the simulated CPU has host_max_phys_mfn. */
uint64_t arch_max_phys_mfn(void)
{
    return host_max_phys_mfn;
}

/* arch/x86_64/memory.c's parts of memory_op (for common/memory.c). */
uint64_t arch_max_ram_page(void)
{
    return max_page;
}

void arch_set_m2p(mfn_t mfn, uint64_t pfn)
{
    m2p_set(mfn, pfn);
}

long arch_memory_op(unsigned int op, uint64_t arg)
{
    (void)op;
    (void)arg;
    return -XEN_ENOSYS;
}

/* grant_table.c: no grant mappings in the simulation. */
void gnttab_audit_device_refs(void (*ref)(void *arg, mfn_t mfn, bool typed), void *arg)
{
    (void)ref;
    (void)arg;
}

unsigned int gnttab_audit(void)
{
    return 0;
}

/* apic.c: the local and I/O APICs' frames, at their default addresses. */
bool apic_mmio_mfn(uint64_t mfn)
{
    return mfn == HOST_APIC_MFN;
}

bool apic_mmio_ro_mfn(uint64_t mfn)
{
    return mfn == HOST_IOAPIC_MFN;
}

/* pv/ldt.c: these tests set no LDT; a vCPU's mapped LDT frames stay none. */
int pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents)
{
    (void)v;
    (void)base;
    return ents ? -XEN_ENOSYS : 0;
}

void pv_destroy_ldt(struct vcpu *v)
{
    (void)v;
}

int pv_validate_desc_page(struct page_info *pg)
{
    (void)pg;
    return host_desc_rc;
}

void map_pages_to_xen(uint64_t va, mfn_t mfn, uint64_t nr, uint64_t flags)
{
    ck_abort_msg("map_pages_to_xen(%#lx, %#lx, %lu, %#lx): not in these tests",
                 va, mfn_x(mfn), nr, flags);
}

void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_printf(LOG_INFO, "printk", "%s", buf);
}

/* ---- the machine ------------------------------------------------------ */

pte_t *host_frame(uint64_t mfn)
{
    ck_assert_uint_lt(mfn, HOST_FRAMES);
    return (pte_t *)(host_ram + mfn * PAGE_SIZE);
}

void host_set_current(unsigned int i)
{
    host_current = &host_vcpu[i];
}

void host_machine_reset(void)
{
    memset(host_ram, 0, sizeof(host_ram));
    memset(host_frame_table, 0, sizeof(host_frame_table));
    memset(host_dom, 0, sizeof(host_dom));
    memset(host_vcpu, 0, sizeof(host_vcpu));
    memset(&host_ev, 0, sizeof(host_ev));
    host_fault_lo = host_fault_hi = 0;
    host_fault_writes_only = false;
    host_desc_rc = 0;
    host_max_phys_mfn = HOST_MAX_PHYS_MFN;

    frame_table = host_frame_table;
    max_page = HOST_FRAMES;
    page_alloc_init(&machine_frames, host_bitmap, HOST_FRAMES);
    page_alloc_add_range(&machine_frames, HOST_FREE_FIRST * PAGE_SIZE,
                         HOST_FREE_END * PAGE_SIZE);
    for (uint64_t m = 0; m < HOST_FRAMES; m++)
        host_frame_table[m].owner = DOMID_XEN;
    for (uint64_t m = HOST_M2P_MFN; m <= HOST_XEN_L1_MFN; m++) {
        host_frame_table[m].count = 1;
        host_frame_table[m].flags = PGF_allocated | PGF_xen_heap;
    }

    for (unsigned int i = 0; i < 3; i++) {
        struct domain *d = &host_dom[i];
        struct vcpu *v = &host_vcpu[i];

        d->domain_id = (domid_t)i;
        d->is_privileged = i == 0;
        d->max_vcpus = 1;
        d->config_max_vcpus = 1;
        d->max_evtchn_port = UINT32_MAX;   /* as domain_create() */
        d->vcpu[0] = v;
        v->domain = d;
        v->kernel_mode = true;
        v->initialised = true;          /* as its builder leaves vCPU 0 */
        v->guest_table = INVALID_MFN;
        v->guest_table_user = INVALID_MFN;
        v->vcpu_info_mfn = INVALID_MFN;
        v->evtchn_fifo.control_mfn = INVALID_MFN;
        for (unsigned int f = 0; f < LDT_AREA_PAGES; f++)
            v->pv.ldt_frames[f] = LDT_NO_FRAME;   /* no LDT page mapped */
        for (uint64_t m = dom_first[i]; m < dom_end[i]; m++)
            frame_assign(&host_frame_table[m], d, false);
    }

    m2p_init(HOST_M2P_MFN << PAGE_SHIFT, HOST_FRAMES);
    host_frame(HOST_XEN_L3_MFN)[0] = host_pte(HOST_XEN_L2_MFN, _PAGE_PRESENT |
                                              _PAGE_RW | _PAGE_USER);
    host_frame(HOST_XEN_L2_MFN)[0] = host_pte(HOST_XEN_L1_MFN, _PAGE_PRESENT |
                                              _PAGE_RW | _PAGE_USER);
    host_frame(HOST_XEN_L2_MFN)[1] = host_pte(HOST_XEN_L1_MFN, _PAGE_PRESENT |
                                              _PAGE_RW | _PAGE_PSE);
    host_frame(HOST_XEN_L1_MFN)[0] = host_pte(HOST_M2P_MFN, _PAGE_PRESENT |
                                              _PAGE_USER);
    memset(host_idle_table, 0, sizeof(host_idle_table));
    for (unsigned int s = HV_FIRST_SLOT; s <= HV_LAST_SLOT; s++)
        host_idle_table[s] = host_pte(HOST_XEN_L3_MFN, _PAGE_PRESENT |
                                      _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY);
    idle_pg_table = host_idle_table;
    host_set_current(1);
}

void host_assert_at_rest(void)
{
    for (unsigned int i = 0; i < 3; i++) {
        const struct domain *d = &host_dom[i];

        ck_assert_msg(d->tot_pages == dom_end[i] - dom_first[i],
                      "d%u tot_pages %lu", i, d->tot_pages);
        ck_assert_msg(!mfn_valid_val(host_vcpu[i].guest_table) &&
                      !mfn_valid_val(host_vcpu[i].guest_table_user),
                      "d%u's vCPU still holds a page table", i);
        for (uint64_t m = dom_first[i]; m < dom_end[i]; m++) {
            const struct page_info *pg = &host_frame_table[m];

            ck_assert_msg(pg->owner == i, "mfn %lu owner %u", m, pg->owner);
            ck_assert_msg(pg->count == 1, "mfn %lu (d%u) count %u, want 1",
                          m, i, pg->count);
            ck_assert_msg(pg->type_count == 0, "mfn %lu (d%u) type_count %u "
                          "(type %u), want 0", m, i, pg->type_count, pg->type);
            ck_assert_msg(pg->flags == PGF_allocated,
                          "mfn %lu flags %#x", m, pg->flags);
        }
    }
    for (uint64_t m = HOST_M2P_MFN; m <= HOST_XEN_L1_MFN; m++)
        ck_assert_msg(host_frame_table[m].count == 1 &&
                      host_frame_table[m].type_count == 0 &&
                      host_frame_table[m].owner == DOMID_XEN,
                      "Xen frame %lu: count %u type_count %u owner %u", m,
                      host_frame_table[m].count, host_frame_table[m].type_count,
                      host_frame_table[m].owner);
    for (uint64_t m = HOST_FREE_FIRST; m < HOST_FREE_END; m++)
        ck_assert_msg(page_is_free(&machine_frames, _mfn(m)) &&
                      host_frame_table[m].count == 0,
                      "free frame %lu in use", m);
}

static struct page_info snap_frames[HOST_FRAMES];
static uint8_t snap_ram[HOST_FRAMES * PAGE_SIZE];

void host_snapshot(void)
{
    memcpy(snap_frames, host_frame_table, sizeof(snap_frames));
    memcpy(snap_ram, host_ram, sizeof(snap_ram));
}

void host_assert_unchanged(void)
{
    for (uint64_t m = 0; m < HOST_FRAMES; m++) {
        const struct page_info *a = &snap_frames[m], *b = &host_frame_table[m];

        ck_assert_msg(a->count == b->count && a->type_count == b->type_count &&
                      a->type == b->type && a->flags == b->flags &&
                      a->owner == b->owner,
                      "mfn %lu changed: count %u->%u type_count %u->%u "
                      "type %u->%u flags %#x->%#x", m, a->count, b->count,
                      a->type_count, b->type_count, a->type, b->type,
                      a->flags, b->flags);
        if (m >= HOST_FREE_FIRST && m < HOST_FREE_END)
            continue;                     /* the audit's scratch frames */
        for (unsigned int i = 0; i < L1_PAGETABLE_ENTRIES; i++) {
            pte_t was = ((const pte_t *)(snap_ram + m * PAGE_SIZE))[i];
            pte_t is = ((const pte_t *)(host_ram + m * PAGE_SIZE))[i];
            ck_assert_msg(was == is, "mfn %lu entry %u changed: %#lx -> %#lx",
                          m, i, was, is);
        }
    }
}

void host_assert_audit_clean(const struct domain *d)
{
    unsigned int errors = arch_audit_domain_memory(d);

    ck_assert_msg(errors == 0, "audit of d%u: %u errors", d->domain_id, errors);
}
