/* SPDX-License-Identifier: MIT */
/*
 * linear_page_tables - invariants 1, 3 and 4 (DESIGN.md 3) with linear
 * (recursive) page tables, which Xen 4.17 allows by default (pv-linear-pt):
 * an L2, L3 or L4 entry that points at a table of its own level.
 *
 * Attack, case by case (label: what, Xen 4.17's answer):
 *   l4 self-map writable   a free guest slot s of the live L4 (cr3) set to
 *                          the L4 itself with _PAGE_RW: -EINVAL (-22)
 *   l4 self-map read-only  the same without _PAGE_RW: 0
 *   window: l1e            va's L1 entry read at its recursive address
 *                          (s, va >> 9) equals the one in the L1: yes (1)
 *   window: l4e 511        the L4's own slot 511 read at (s, s, s, s): 1
 *   window write faults    a write through the window: #PF (1)
 *   update_va_mapping ending at an L2 (window)
 *                          a window va whose walk reaches va's L2 as its
 *                          "L1": -EINVAL, the L2 entry unchanged
 *   l4 self-map removed    slot s cleared again: 0
 *   l4 -> l4 B rw / ro     slot s set to B, another pinned L4: with _PAGE_RW
 *                          -EINVAL (-22), read-only 0
 *   chain: B -> l4 (has)   B's slot s set to the live L4, which has a
 *                          linear entry: -EINVAL (XSA-240)
 *   unpin B while linear   0: the linear entry's type reference keeps B an
 *                          L4, so mapping it writable is -EBUSY (-16), and 0
 *                          once slot s is cleared
 *   pin l2 with self-map   a fresh L2 whose entry 0 maps itself read-only,
 *                          pinned (validation of a self-map): 0
 *   pin l2 with rw self    the same with _PAGE_RW: -EINVAL (-22)
 *   l3 A -> l3 B ro        entry 0 of pinned L3 A set to pinned L3 B, read-
 *                          only: 0 (A now has a linear entry, B a use)
 *   l3 A -> l3 B rw        the same in entry 1 with _PAGE_RW: -EINVAL
 *   chain: B (used) -> K   entry 0 of B (target of a linear entry) set to
 *                          the kernel's L3 (slot 511's): -EINVAL (XSA-240)
 *   chain: D -> A (has)    entry 0 of pinned L3 D set to A (which has a
 *                          linear entry): -EINVAL (XSA-240)
 *   A -> D second entry    entry 2 of A set to D: 0 (A may have several)
 *   B self-map while used  entry 5 of B set to B itself: 0 (a self-map is
 *                          not counted, so XSA-240's rule does not apply)
 *   release A's entries    A[0], A[2], B[5] cleared: 0 each
 *   D -> A after release   D[0] = A again: 0 (A has no linear entry left)
 *   B -> K after release   B[0] = kernel L3: 0 (B is no one's target left)
 *   undo                   every entry cleared, A B D unpinned and mapped
 *                          writable again: 0 each (no reference is left)
 * Observed on Xen 4.17 (4.17.7, dom0 in QEMU): every answer as listed.
 * Source: get_page_from_l{2,3,4}e() fall back to the
 * define_get_linear_pagetable() helpers when the entry's frame cannot be
 * typed one level down (-EINVAL): a writable entry is refused; a self-map
 * takes nothing; another table must be ours, validated as the same level,
 * and inc_linear_entries()/inc_linear_uses() enforce the one-level rule
 * (XSA-240) with a single signed count per page; put_pt_page() gives them
 * back when the entry goes.
 */
#include "hostile.h"

#define L4_SHIFT 39
#define WIN_MASK ((1UL << L4_SHIFT) - 1)

/* The canonical address with L4 index s and the low 39 bits low. */
static unsigned long win_addr(unsigned int s, unsigned long low)
{
    unsigned long va = ((unsigned long)s << L4_SHIFT) | (low & WIN_MASK);

    return s >= 256 ? va | 0xffff000000000000UL : va;
}

static long set_entry(unsigned long table_mfn, unsigned int idx, uint64_t val)
{
    struct mmu_update req = {
        .ptr = (table_mfn << PAGE_SHIFT) + idx * sizeof(uint64_t),
        .val = val,
    };

    return hg_mmu_update(&req, 1, NULL, DOMID_SELF);
}

/*
 * Does writing va's own value back to it fault? (the kernel's fixup
 * table). The same value, so that a hypervisor that emulated the write
 * (writable page tables) would change nothing.
 */
static int write_faults(volatile uint64_t *va)
{
    uint64_t v = *va;
    int faulted = 1;

    asm volatile("1: movq %2, %1\n"
                 "   movl $0, %0\n"
                 "2:\n" FIXUP_ENTRY(1b, 2b)
                 : "+r"(faulted), "=m"(*va) : "r"(v) : "memory");
    return faulted;
}

static unsigned int free_l4_slot(volatile uint64_t *l4)
{
    for (unsigned int s = HG_L4_HV_LAST + 1; s < 511; s++)
        if (!(l4[s] & _PAGE_PRESENT))
            return s;
    return 0;
}

/*
 * update_va_mapping of a va inside the self-map window whose walk ends at
 * an upper-level table: through L4[s] (the L4 itself) the walk meets
 * va's L3 where an L2 should be and va's L2 where an L1 should be, so
 * the "PTE" it would change is va's L2 entry. An L1-checked value there
 * (a data page, read-only) would make a page the guest can write an L1
 * table: any frame mapped. Xen 4.17.7: -EINVAL (the table is not of type
 * L1), the L2 entry unchanged.
 */
static void uvm_through_window(struct hg_cases *c, unsigned int s, unsigned long va)
{
    unsigned long l4i = (va >> 39) & 511, l3i = (va >> 30) & 511, l2i = (va >> 21) & 511;
    unsigned long w = win_addr(s, (l4i << 30) | (l3i << 21) | (l2i << 12));
    uint64_t data = hg_read_pte((unsigned long)hg_page(6)) & ~(uint64_t)_PAGE_RW;
    volatile uint64_t *w_l2e = (volatile uint64_t *)win_addr(s,
                    ((unsigned long)s << 30) | (l4i << 21) | (l3i << 12) | l2i * 8);
    uint64_t before = *w_l2e;

    hg_case(c, "update_va_mapping ending at an L2 (window)",
            hg_update_va_mapping(w, data, UVMF_INVLPG | UVMF_LOCAL), -XEN_EINVAL);
    hg_case(c, "the L2 entry unchanged", *w_l2e == before, 1);
}

static void l4_self_map(struct hg_cases *c)
{
    unsigned long l4_mfn = hg_read_cr3() >> PAGE_SHIFT;
    volatile uint64_t *l4 = hg_mfn_to_virt(l4_mfn);
    unsigned long va = (unsigned long)hg_page(5);
    unsigned int s = free_l4_slot(l4);
    uint64_t self = (l4_mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED;
    volatile uint64_t *w_l1e, *w_l4e;
    long rc;

    hg_case(c, "free guest L4 slot found", s != 0, 1);
    if (!s)
        return;
    hg_case(c, "l4 self-map writable", set_entry(l4_mfn, s, self | _PAGE_RW),
            -XEN_EINVAL);
    rc = set_entry(l4_mfn, s, self);
    hg_case(c, "l4 self-map read-only", rc, 0);
    if (!rc) {
        hg_mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0);
        w_l1e = (volatile uint64_t *)win_addr(s, (va >> 9) & ~7UL);
        w_l4e = (volatile uint64_t *)win_addr(s,
                    ((unsigned long)s << 30) | ((unsigned long)s << 21) |
                    ((unsigned long)s << 12) | 511 * 8);
        printk("hostile: slot %u: window l1e %#lx, l1e %#lx; l4e %#lx, %#lx\n",
               s, (unsigned long)*w_l1e, (unsigned long)hg_read_pte(va),
               (unsigned long)*w_l4e, (unsigned long)l4[511]);
        hg_case(c, "window: l1e", *w_l1e == hg_read_pte(va), 1);
        hg_case(c, "window: l4e 511", *w_l4e == l4[511], 1);
        hg_case(c, "window write faults", write_faults(w_l1e), 1);
        uvm_through_window(c, s, va);
    }
    hg_case(c, "l4 self-map removed", set_entry(l4_mfn, s, 0), 0);
    hg_mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

/*
 * Another L4 as the live one's linear entry: B, a fresh pinned L4, in a
 * free slot s of the live L4 (cr3). B then cannot take the live L4 as
 * its own linear entry (the live L4 has one: XSA-240's one level).
 */
static void l4_other(struct hg_cases *c)
{
    unsigned long l4_mfn = hg_read_cr3() >> PAGE_SHIFT;
    volatile uint64_t *l4 = hg_mfn_to_virt(l4_mfn);
    uint64_t *page = hg_page(4);
    unsigned long b = hg_virt_to_mfn(page);
    unsigned int s = free_l4_slot(l4);
    const uint64_t ro = _PAGE_PRESENT | _PAGE_ACCESSED;

    if (!s)
        return;
    memset(page, 0, PAGE_SIZE);
    hg_case(c, "l4 B read-only", hg_set_readonly(page), 0);
    hg_case(c, "pin l4 B", hg_mmuext1(MMUEXT_PIN_L4_TABLE, b), 0);
    hg_case(c, "l4 -> l4 B rw", set_entry(l4_mfn, s, (b << PAGE_SHIFT) | ro | _PAGE_RW),
            -XEN_EINVAL);
    hg_case(c, "l4 -> l4 B ro", set_entry(l4_mfn, s, (b << PAGE_SHIFT) | ro), 0);
    hg_case(c, "chain: B (used) -> l4 (has)",
            set_entry(b, s, (l4_mfn << PAGE_SHIFT) | ro), -XEN_EINVAL);
    hg_case(c, "unpin B while linear", hg_mmuext1(MMUEXT_UNPIN_TABLE, b), 0);
    hg_case(c, "B writable while linear", hg_set_writable(page), -XEN_EBUSY);
    hg_case(c, "l4 -> B removed", set_entry(l4_mfn, s, 0), 0);
    hg_mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0);
    hg_case(c, "B writable again", hg_set_writable(page), 0);
}

/* A fresh L2 whose entry 0 maps itself (flags extra), pinned and unpinned. */
static void l2_pin_self_map(struct hg_cases *c, const char *label,
                            uint64_t extra, long want)
{
    uint64_t *page = hg_page(3);
    unsigned long mfn = hg_virt_to_mfn(page);
    long rc;

    memset(page, 0, PAGE_SIZE);
    page[0] = (mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED | extra;
    hg_case(c, "l2 page read-only", hg_set_readonly(page), 0);
    rc = hg_mmuext1(MMUEXT_PIN_L2_TABLE, mfn);
    hg_case(c, label, rc, want);
    if (!rc)
        hg_case(c, "unpin l2", hg_mmuext1(MMUEXT_UNPIN_TABLE, mfn), 0);
    hg_case(c, "l2 page writable again", hg_set_writable(page), 0);
}

struct l3s { unsigned long a, b, d, k; };

static void l3_linear(struct hg_cases *c, const struct l3s *t)
{
    const uint64_t ro = _PAGE_PRESENT | _PAGE_ACCESSED;

    hg_case(c, "l3 A -> l3 B ro", set_entry(t->a, 0, (t->b << PAGE_SHIFT) | ro), 0);
    hg_case(c, "l3 A -> l3 B rw",
            set_entry(t->a, 1, (t->b << PAGE_SHIFT) | ro | _PAGE_RW), -XEN_EINVAL);
    hg_case(c, "chain: B (used) -> K",
            set_entry(t->b, 0, (t->k << PAGE_SHIFT) | ro), -XEN_EINVAL);
    hg_case(c, "chain: D -> A (has)",
            set_entry(t->d, 0, (t->a << PAGE_SHIFT) | ro), -XEN_EINVAL);
    hg_case(c, "A -> D second entry", set_entry(t->a, 2, (t->d << PAGE_SHIFT) | ro), 0);
    hg_case(c, "B self-map while used", set_entry(t->b, 5, (t->b << PAGE_SHIFT) | ro), 0);
    hg_case(c, "release A[0]", set_entry(t->a, 0, 0), 0);
    hg_case(c, "release A[2]", set_entry(t->a, 2, 0), 0);
    hg_case(c, "release B[5]", set_entry(t->b, 5, 0), 0);
    hg_case(c, "D -> A after release", set_entry(t->d, 0, (t->a << PAGE_SHIFT) | ro), 0);
    hg_case(c, "B -> K after release", set_entry(t->b, 0, (t->k << PAGE_SHIFT) | ro), 0);
}

/* Clear whatever l3_linear() left, unpin A B D, make them writable. */
static void l3_undo(struct hg_cases *c, const struct l3s *t)
{
    const unsigned long tabs[3] = { t->a, t->b, t->d };

    for (unsigned int i = 0; i < 3; i++)
        for (unsigned int e = 0; e < 6; e++)
            hg_case(c, "undo: clear entry", set_entry(tabs[i], e, 0), 0);
    for (unsigned int i = 0; i < 3; i++) {
        hg_case(c, "undo: unpin", hg_mmuext1(MMUEXT_UNPIN_TABLE, tabs[i]), 0);
        hg_case(c, "undo: writable", hg_set_writable(hg_page(i)), 0);
    }
}

const char *hostile_linear_page_tables(void)
{
    static struct hg_cases c;
    unsigned long l4_mfn = hg_read_cr3() >> PAGE_SHIFT;
    volatile uint64_t *l4 = hg_mfn_to_virt(l4_mfn);
    struct l3s t;

    ST_EXPECT(l4 && (l4[511] & _PAGE_PRESENT), "setup: no kernel L3 at slot 511");
    l4_self_map(&c);
    l4_other(&c);
    l2_pin_self_map(&c, "pin l2 with self-map", 0, 0);
    l2_pin_self_map(&c, "pin l2 with rw self", _PAGE_RW, -XEN_EINVAL);
    for (unsigned int i = 0; i < 3; i++) {
        memset(hg_page(i), 0, PAGE_SIZE);
        ST_EXPECT_RC(hg_set_readonly(hg_page(i)), 0);
        ST_EXPECT_RC(hg_mmuext1(MMUEXT_PIN_L3_TABLE, hg_virt_to_mfn(hg_page(i))), 0);
    }
    t.a = hg_virt_to_mfn(hg_page(0));
    t.b = hg_virt_to_mfn(hg_page(1));
    t.d = hg_virt_to_mfn(hg_page(2));
    t.k = hg_pte_mfn(l4[511]);
    l3_linear(&c, &t);
    l3_undo(&c, &t);
    return hg_cases_verdict(&c);
}
