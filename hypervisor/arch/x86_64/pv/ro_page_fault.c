/* SPDX-License-Identifier: MIT */
/*
 * pv/ro_page_fault.c - writable page tables: a guest kernel's direct
 * write to one of its own L1 entries, emulated as a validated update.
 * Owns:    the decoder of the few store instructions kernels use for
 *          page-table entries, and the decision to emulate or bounce.
 * Touches: the L1 entry (through mm_mod_l1_entry, the same validation
 *          as mmu_update), the faulting vCPU's registers.
 * Trusts:  nothing: instruction bytes are read with fixups; anything
 *          not understood is bounced to the guest as the #PF it was.
 * ABI:     active once the guest enables VMASST_TYPE_writable_pagetables
 *          (vm_assist); Xen's pv/ro-page-fault.c ptwr path does the same.
 *
 * The guest's L1 frames are mapped read-only (invariant 1), so a store to
 * one faults. If the faulting address maps a validated L1 table of the
 * guest and the instruction is an aligned 8-byte store we understand -
 * mov r64 (REX.W 89), mov imm32 (REX.W C7 /0), xchg (REX.W 87) or
 * [lock] cmpxchg (REX.W 0F B1) - the new entry is validated and written,
 * and the guest continues after the instruction.
 */
#define LOG_PREFIX "ptwr"
#include "domain.h"
#include "frame.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "page.h"
#include "processor.h"
#include "pv.h"

#define MAX_INSN_LEN 15
#define PREFIX_LOCK  0xf0
#define REX_W        0x8
#define REX_R        0x4
#define REX_LO       0x40
#define REX_HI       0x4f
#define MODRM_MOD(m) ((m) >> 6)
#define MODRM_REG(m) (((m) >> 3) & 7)
#define MODRM_RM(m)  ((m) & 7)
#define RM_SIB       4
#define RM_DISP32    5
#define PFEC_PRESENT 1

enum store_op { ST_MOV_REG, ST_MOV_IMM, ST_XCHG, ST_CMPXCHG };

struct store {
    enum store_op op;
    unsigned int reg;        /* ModRM.reg (+REX.R): the source register */
    uint64_t imm;
    unsigned int len;
};

/* Bytes of ModRM + SIB + displacement for a memory operand, 0 if none. */
static unsigned int modrm_len(const uint8_t *p, unsigned int avail)
{
    unsigned int mod = MODRM_MOD(p[0]), rm = MODRM_RM(p[0]), n = 1;

    if (mod == 3)
        return 0;                         /* a register, not memory */
    if (rm == RM_SIB) {
        if (avail < 2)
            return 0;
        if (mod == 0 && (p[1] & 7) == RM_DISP32)
            n += 4;
        n++;
    } else if (mod == 0 && rm == RM_DISP32) {
        n += 4;                           /* RIP-relative */
    }
    n += mod == 1 ? 1 : mod == 2 ? 4 : 0;
    return n <= avail ? n : 0;
}

static bool decode_store(const uint8_t *b, unsigned int avail, struct store *st)
{
    unsigned int i = 0, ml;
    uint8_t rex = 0;

    if (i < avail && b[i] == PREFIX_LOCK)
        i++;
    if (i < avail && b[i] >= REX_LO && b[i] <= REX_HI)
        rex = b[i++];
    if (!(rex & REX_W) || i + 2 > avail)
        return false;                     /* only 8-byte stores */
    if (b[i] == 0x89 || b[i] == 0x87 || b[i] == 0xc7) {
        st->op = b[i] == 0x89 ? ST_MOV_REG : b[i] == 0x87 ? ST_XCHG : ST_MOV_IMM;
        i++;
    } else if (b[i] == 0x0f && b[i + 1] == 0xb1) {
        st->op = ST_CMPXCHG;
        i += 2;
    } else {
        return false;
    }
    if (i >= avail || !(ml = modrm_len(&b[i], avail - i)))
        return false;
    st->reg = MODRM_REG(b[i]) | ((rex & REX_R) ? 8 : 0);
    if (st->op == ST_MOV_IMM) {
        int32_t imm;
        if (MODRM_REG(b[i]) != 0 || i + ml + 4 > avail)
            return false;
        memcpy(&imm, &b[i + ml], sizeof(imm));
        st->imm = (uint64_t)(int64_t)imm;
        ml += 4;
    }
    st->len = i + ml;
    return true;
}

/* The validated L1 table of v's domain that va maps, or NULL. */
static struct page_info *l1_table_at(struct vcpu *v, uint64_t va)
{
    pte_t e = mm_guest_pte(v, va);
    struct page_info *pg;

    if (!(e & _PAGE_PRESENT) || !mfn_valid(pte_mfn(e)))
        return NULL;
    pg = mfn_to_page(pte_mfn(e));
    if (pg->owner != v->domain->domain_id ||
        page_current_type(pg) != PGT_l1_page_table || !(pg->flags & PGF_validated))
        return NULL;
    return pg;
}

#define ARITH_FLAGS (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
                     X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/* The flags "cmp a, b" (a - b, 64-bit) leaves, as cmpxchg sets them. */
static uint64_t cmp_flags(uint64_t a, uint64_t b)
{
    uint64_t r = a - b, f = 0;

    f |= a < b ? X86_EFLAGS_CF : 0;
    f |= r == 0 ? X86_EFLAGS_ZF : 0;
    f |= (r >> 63) ? X86_EFLAGS_SF : 0;
    f |= (((a ^ b) & (a ^ r)) >> 63) ? X86_EFLAGS_OF : 0;
    f |= ((a ^ b ^ r) & 0x10) ? X86_EFLAGS_AF : 0;
    f |= (__builtin_popcount((unsigned int)(r & 0xff)) & 1) ? 0 : X86_EFLAGS_PF;
    return f;
}

static bool emulate_store(struct vcpu *v, struct cpu_user_regs *regs,
                          struct page_info *l1pg, unsigned int idx,
                          const struct store *st)
{
    pte_t old = ((pte_t *)mfn_to_virt(page_to_mfn(l1pg)))[idx];
    uint64_t *reg = pv_gpr(regs, st->reg);
    uint64_t val = st->op == ST_MOV_IMM ? st->imm : *reg;

    if (st->op == ST_CMPXCHG) {
        uint64_t flags = cmp_flags(regs->rax, old);
        if (regs->rax != old) {
            regs->rax = old;                  /* compare failed: no store */
            regs->rflags = (regs->rflags & ~(uint64_t)ARITH_FLAGS) | flags;
            return true;
        }
        if (mm_mod_l1_entry(l1pg, idx, val, v->domain, v->domain, false))
            return false;
        regs->rflags = (regs->rflags & ~(uint64_t)ARITH_FLAGS) | flags;
        return true;
    }
    if (mm_mod_l1_entry(l1pg, idx, val, v->domain, v->domain, false))
        return false;
    if (st->op == ST_XCHG)
        *reg = old;
    return true;
}

bool pv_ro_page_fault(struct vcpu *v, struct cpu_user_regs *regs, uint64_t cr2)
{
    uint8_t insn[MAX_INSN_LEN];
    struct page_info *l1pg;
    struct store st = { .imm = 0 };
    unsigned int n;

    if (!(v->domain->vm_assist & (1UL << VMASST_TYPE_writable_pagetables)) ||
        !v->kernel_mode || (regs->error_code & (PFEC_PRESENT | PFEC_write)) !=
                           (PFEC_PRESENT | PFEC_write) ||
        (cr2 & (sizeof(pte_t) - 1)) || !(l1pg = l1_table_at(v, cr2)))
        return false;
    n = pv_fetch_insn(regs, insn, sizeof(insn));
    if (!decode_store(insn, n, &st) ||
        !emulate_store(v, regs, l1pg, (unsigned int)((cr2 & ~PAGE_MASK) / sizeof(pte_t)), &st))
        return false;
    regs->rip += st.len;
    return true;
}
