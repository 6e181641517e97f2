/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile.c - hostile_run(): pick the attack named on the
 *                          command line (attack=NAME), run it, print the
 *                          verdict; and the hg_* helpers of hostile.h.
 * Owns:    the attack table, the scratch page pool.
 * Touches: the live page tables (read only, through the bootstrap mapping),
 *          the p2m list (read only), mov %cr3 (emulated by the hypervisor).
 */
#include "hostile.h"
#include <asm/fixup.h>

struct hostile_attack {
    const char *name;
    const char *(*run)(void);
};

#define HOSTILE_ROW(n) { #n, hostile_##n },
static const struct hostile_attack attacks[] = { HOSTILE_ATTACKS(HOSTILE_ROW) };
#undef HOSTILE_ROW

static uint64_t pool[HG_POOL_PAGES];    /* pfns from mm_alloc_pfn() */

int hostile_run(const char *name)
{
    const struct hostile_attack *a = NULL;
    const char *why;
    long before, after;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(attacks); i++)
        if (!strcmp(attacks[i].name, name))
            a = &attacks[i];
    if (!a) {
        printk("hostile: %s: FAIL (no such attack)\n", name);
        return -1;
    }
    printk("hostile: %s: running\n", name);
    for (i = 0; i < HG_POOL_PAGES; i++) {
        pool[i] = mm_alloc_pfn();
        if (pool[i] == INVALID_FRAME) {
            printk("hostile: %s: FAIL (setup: no free page)\n", name);
            return -1;
        }
    }
    before = hg_current_reservation();
    why = a->run();
    after = hg_current_reservation();
    if (!why && after != before)
        why = st_fail("current_reservation %ld before, %ld after", before, after);
    if (why) {
        printk("hostile: %s: FAIL (%s)\n", name, why);
        return -1;
    }
    printk("hostile: %s: PASS\n", name);
    for (i = 0; i < HG_POOL_PAGES; i++)
        mm_free_pfn(pool[i]);
    return 0;
}

long hg_mmuext1(unsigned int cmd, unsigned long mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    return hg_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

unsigned long hg_read_cr3(void)
{
    unsigned long cr3 = 0;

    asm volatile("1: mov %%cr3, %0\n2:\n" FIXUP_ENTRY(1b, 2b) : "+r"(cr3) :: "memory");
    return cr3;
}

unsigned long hg_mfn_to_pfn(unsigned long mfn)
{
    return mfn_to_pfn(mfn);
}

unsigned long hg_virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

void *hg_mfn_to_virt(unsigned long mfn)
{
    uint64_t pfn = mfn_to_pfn(mfn);

    return pfn == INVALID_FRAME ? NULL : pfn_to_virt(pfn);
}

uint64_t *hg_walk(unsigned long va, int level, unsigned long *table_mfn)
{
    unsigned long mfn = hg_read_cr3() >> PAGE_SHIFT;
    int lvl;

    for (lvl = 4; ; lvl--) {
        uint64_t *table = hg_mfn_to_virt(mfn);
        unsigned int idx = (va >> (PAGE_SHIFT + 9 * (lvl - 1))) & 511;

        if (!table)
            return NULL;
        if (lvl == level) {
            if (table_mfn)
                *table_mfn = mfn;
            return &table[idx];
        }
        if (!(table[idx] & _PAGE_PRESENT))
            return NULL;
        mfn = hg_pte_mfn(table[idx]);
    }
}

uint64_t hg_pte_maddr(unsigned long va)
{
    unsigned long l1_mfn;
    uint64_t *e = hg_walk(va, 1, &l1_mfn);

    if (!e)
        return 0;
    return (l1_mfn << PAGE_SHIFT) | ((unsigned long)e & (PAGE_SIZE - 1));
}

uint64_t hg_read_pte(unsigned long va)
{
    uint64_t *e = hg_walk(va, 1, NULL);

    return e ? *(volatile uint64_t *)e : 0;
}

void *hg_page(unsigned int i)
{
    return pfn_to_virt(pool[i % HG_POOL_PAGES]);
}

long hg_set_readonly(void *va)
{
    uint64_t pte = hg_read_pte((unsigned long)va);

    return hg_update_va_mapping((unsigned long)va, pte & ~(uint64_t)_PAGE_RW, UVMF_INVLPG);
}

long hg_set_writable(void *va)
{
    uint64_t pte = hg_read_pte((unsigned long)va);

    return hg_update_va_mapping((unsigned long)va, pte | _PAGE_RW, UVMF_INVLPG);
}

long hg_current_reservation(void)
{
    struct xen_memory_domain dom = { .domid = DOMID_SELF };

    return hg_memory_op(XENMEM_current_reservation, &dom);
}

void hg_case(struct hg_cases *c, const char *label, long got, long want)
{
    c->run++;
    printk("hostile:   %s: %ld (want %ld)%s\n", label, got, want,
           got == want ? "" : " MISMATCH");
    if (got != want && !c->failed++)
        snprintf(c->first, sizeof(c->first), "%s: %ld, want %ld", label, got, want);
}

const char *hg_cases_verdict(struct hg_cases *c)
{
    if (!c->failed)
        return NULL;
    return st_fail("%u of %u cases wrong; first: %s", c->failed, c->run, c->first);
}

static uint64_t hole_pte;
static unsigned long hole_va;

void *hg_hole_open(size_t bytes)
{
    unsigned int i, j;

    /* Two scratch pages whose VAs are adjacent: the second is the hole. */
    for (i = 0; i < HG_POOL_PAGES; i++)
        for (j = 0; j < HG_POOL_PAGES; j++)
            if (i >= 1 && j >= 1 && (unsigned long)hg_page(i) + PAGE_SIZE ==
                                    (unsigned long)hg_page(j))
                goto found;
    printk("hostile: no two scratch pages are adjacent\n");
    return NULL;
found:
    hole_va = (unsigned long)hg_page(j);
    hole_pte = hg_read_pte(hole_va);
    if (hg_update_va_mapping(hole_va, 0, UVMF_INVLPG))
        return NULL;
    return (uint8_t *)hole_va - bytes;      /* the end of scratch page i */
}

long hg_hole_close(void)
{
    return hg_update_va_mapping(hole_va, hole_pte, UVMF_INVLPG);
}

void hg_vcpu_block_forever(unsigned int id)
{
    struct vcpu_info *vi = &HYPERVISOR_shared_info->vcpu_info[id];

    for (;;) {
        vi->evtchn_upcall_mask = 1;
        vi->evtchn_upcall_pending = 0;
        hg_sched_op(SCHEDOP_block, NULL);
    }
}

void hg_vcpu_context(struct vcpu_guest_context *c, void (*entry)(void),
                     uint64_t stack_top, uint64_t arg, void (*callback)(void))
{
    memset(c, 0, sizeof(*c));
    c->flags = VGCF_in_kernel;
    c->user_regs.rip = (uint64_t)entry;
    c->user_regs.rsp = stack_top;
    c->user_regs.rdi = arg;
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = stack_top;
    c->ctrlreg[3] = hg_read_cr3();
    c->event_callback_eip = (uint64_t)callback;
    c->failsafe_callback_eip = (uint64_t)callback;
    c->syscall_callback_eip = (uint64_t)callback;
}
