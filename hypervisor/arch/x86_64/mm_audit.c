/* SPDX-License-Identifier: MIT */
/*
 * mm_audit.c - check a domain's frame accounting against its page tables.
 * Owns:    nothing; reads the frame table and the domain's validated
 *          tables, writes only a scratch buffer it allocates and frees.
 * Touches: the console (one summary line, and the first mismatches).
 */
#define LOG_PREFIX "mm"
#include "arch.h"
#include "console.h"
#include "frame.h"
#include "grant_table.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "page.h"
#include "page_alloc.h"

/*
 * The audit: recompute, from what actually holds them, the references
 * every frame of d should have, and compare with the frame table.
 * Holders: the allocation itself, a pin, a vCPU's cr3 (kernel and user),
 * a GDT frame in use, and each present entry of a validated table of any
 * domain (a dom0 foreign mapping or a grant mapping holds a frame of d; a
 * general reference; plus a type reference for an upper-level entry or a
 * writable L1 entry), and a grant mapping's device part (the references
 * of a PTE, held by no PTE). Linear page tables (mm.c, get_linear_pagetable()):
 * an upper-level entry pointing at another table of its own level holds
 * the same two references as a normal one, and is counted in the table's
 * linear_entries and the target's linear_uses, which the audit recomputes
 * too; a self-map holds nothing. Run when a domain is gone, by tests and
 * debugging.
 */
struct audit {
    uint32_t *count, *type_count, *linear_entries, *linear_uses;
};

static void audit_ref(struct audit *a, mfn_t m, bool typed)
{
    if (frame_is_io(m))
        return;                   /* device memory: no references */
    a->count[mfn_x(m)]++;
    if (typed)
        a->type_count[mfn_x(m)]++;
}

/* A grant mapping's device part (common/grant_table.c) holds, with no
 * PTE, what a PTE of the frame would. */
static void audit_grant_ref(void *arg, mfn_t m, bool typed)
{
    audit_ref(arg, m, typed);
}

static void audit_table(struct audit *a, const struct page_info *pg)
{
    const pte_t *t = mfn_to_virt(page_to_mfn(pg));
    unsigned int level = (unsigned int)(pg->type - PGT_l1_page_table + 1);
    mfn_t self = page_to_mfn(pg);

    for (unsigned int i = 0; i < L1_PAGETABLE_ENTRIES; i++) {
        mfn_t m = pte_mfn(t[i]);

        if ((level == 4 && !is_guest_l4_slot(i)) || !(t[i] & _PAGE_PRESENT))
            continue;
        if (level > 1 && mfn_x(m) == mfn_x(self))
            continue;                              /* self-map: no reference */
        audit_ref(a, m, level > 1 || (t[i] & _PAGE_RW));
        if (level > 1 && mfn_to_page(m)->type == pg->type) {
            a->linear_entries[mfn_x(self)]++;      /* a linear entry */
            a->linear_uses[mfn_x(m)]++;
        }
    }
}

static void audit_vcpu(struct audit *a, const struct vcpu *v)
{
    if (mfn_valid_val(v->guest_table))
        audit_ref(a, v->guest_table, true);
    if (mfn_valid_val(v->guest_table_user))
        audit_ref(a, v->guest_table_user, true);
    for (unsigned int i = 0; i < (v->pv.gdt_ents + 511) / 512; i++)
        audit_ref(a, _mfn(v->pv.gdt_frames[i]), true);
    for (unsigned int i = 0; i < LDT_AREA_PAGES; i++)     /* pv/ldt.c */
        if (v->pv.ldt_frames[i] != LDT_NO_FRAME)
            audit_ref(a, _mfn(v->pv.ldt_frames[i]), true);
    if (mfn_valid_val(v->vcpu_info_mfn))              /* register_vcpu_info */
        audit_ref(a, v->vcpu_info_mfn, true);
    if (mfn_valid_val(v->evtchn_fifo.control_mfn))    /* FIFO control block */
        audit_ref(a, v->evtchn_fifo.control_mfn, true);
}

static unsigned int audit_compare(const struct audit *a, const struct domain *d)
{
    unsigned int errors = 0;

    for (uint64_t m = 0; m < max_page; m++) {
        const struct page_info *pg = &frame_table[m];
        if (pg->owner != d->domain_id || !pg->count)
            continue;
        if (pg->count == a->count[m] && pg->type_count == a->type_count[m] &&
            pg->linear_entries == a->linear_entries[m] &&
            pg->linear_uses == a->linear_uses[m])
            continue;
        if (++errors <= 10)
            log_err("audit d%u: mfn %#lx type %u count %u (expected %u) "
                    "type_count %u (expected %u) linear entries %u (expected "
                    "%u) uses %u (expected %u)", d->domain_id, m, pg->type,
                    pg->count, a->count[m], pg->type_count, a->type_count[m],
                    pg->linear_entries, a->linear_entries[m],
                    pg->linear_uses, a->linear_uses[m]);
    }
    return errors;
}

unsigned int arch_audit_domain_memory(const struct domain *d)
{
    uint64_t bytes = max_page * sizeof(uint32_t) * 4;
    uint64_t pages = ROUNDUP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
    mfn_t buf = frame_alloc(pages, 1);
    struct audit a;
    uint64_t owned = 0, guest = 0;
    unsigned int errors;

    /* A domain dying with all free memory (a toolstack's probe) leaves
     * none for the audit: said, not counted as an error of the domain. */
    if (!mfn_valid_val(buf)) {
        log_warn("audit d%u: skipped, no memory for the audit", d->domain_id);
        return 0;
    }
    a.count = mfn_to_virt(buf);
    a.type_count = a.count + max_page;
    a.linear_entries = a.type_count + max_page;
    a.linear_uses = a.linear_entries + max_page;
    memset(a.count, 0, bytes);
    for (uint64_t m = 0; m < max_page; m++) {
        const struct page_info *pg = &frame_table[m];
        if (!pg->count)
            continue;
        /* Any domain's table may map d's frames (foreign or grant maps). */
        if ((pg->flags & PGF_validated) && page_is_pagetable(pg))
            audit_table(&a, pg);
        if (pg->owner != d->domain_id)
            continue;
        owned++;
        guest += !(pg->flags & PGF_xen_heap);
        a.count[m] += (pg->flags & PGF_allocated) ? 1 : 0;
        if (pg->flags & PGF_pinned)
            audit_ref(&a, _mfn(m), true);
    }
    gnttab_audit_device_refs(audit_grant_ref, &a);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        audit_vcpu(&a, d->vcpu[i]);
    for (unsigned int i = 0; i < d->evtchn.fifo_pages; i++)  /* FIFO array */
        audit_ref(&a, d->evtchn.fifo_array[i], true);
    if (mfn_valid_val(d->console_mfn))            /* boot domain's console ring */
        audit_ref(&a, d->console_mfn, true);
    errors = audit_compare(&a, d);
    errors += gnttab_audit();             /* the pins, for any domain's grants */
    if (guest != d->tot_pages) {
        log_err("audit d%u: owns %lu guest frames, tot_pages says %lu",
                d->domain_id, guest, d->tot_pages);
        errors++;
    }
    memset(a.count, 0, bytes);            /* guests get frames as they are */
    page_free(&machine_frames, buf, pages);
    printk("mm: audit d%u: %lu frames, %u errors\n", d->domain_id, owned, errors);
    return errors;
}
