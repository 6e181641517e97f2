/* SPDX-License-Identifier: MIT */
/*
 * pv/emulate.c - privileged instructions a PV guest kernel executes
 * anyway, and the forced-emulation prefix.
 * Owns:    the decoder for the few instructions emulated (a deliberately
 *          small one: anything it does not know is reflected to the
 *          guest as the fault it raised): legacy prefixes and REX, then
 *          the opcode.
 * Touches: the guest's FS/GS bases and virtual CR0.TS; reads guest code;
 *          hands cli/sti and port I/O to pv/io.c.
 * Trusts:  nothing: instruction bytes are read with fault fixups.
 *
 * From guest kernel and user mode, checked against the virtual IOPL and
 * I/O bitmap in pv/io.c: cli, sti, in, out, ins, outs (any prefixes).
 *
 * Emulated, from guest kernel mode only and with no legacy prefix (as Xen
 * does; user mode gets #GP):
 *   rdmsr/wrmsr  MSR_FS_BASE, MSR_GS_BASE, MSR_SHADOW_GS_BASE (read and
 *                write); MSR_EFER, MSR_IA32_TSC, MSR_IA32_PAT,
 *                MSR_IA32_MISC_ENABLE, MSR_IA32_PLATFORM_ID,
 *                MSR_IA32_UCODE_REV (read only). Others: #GP.
 *   mov from CR0, CR2, CR3, CR4; mov to CR0 (TS only), CR3 (a new
 *   kernel page table, as MMUEXT_NEW_BASEPTR), CR4 (DE only); clts.
 *   mov to/from DR0-DR7 (pv/debugreg.c: Xen's checks, #UD for DR4/5
 *   with CR4.DE and DR8-15).
 * Forced emulation (#UD): "ud2a; .ascii \"xen\"" then cpuid (0f a2).
 */
#define LOG_PREFIX "emul"
#include "debugreg.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "page.h"
#include "processor.h"
#include "pv.h"

#define MAX_INSN_LEN 15
#define PREFIX_REX_LO 0x40
#define PREFIX_REX_HI 0x4f
#define PREFIX_OPSIZE 0x66
#define PREFIX_ADSIZE 0x67
#define PREFIX_REPNE  0xf2
#define PREFIX_REP    0xf3
#define PREFIX_LOCK   0xf0
#define PREFIX_ES     0x26        /* es, cs, ss, ds: no effect in 64-bit */
#define PREFIX_CS     0x2e
#define PREFIX_SS     0x36
#define PREFIX_DS     0x3e
#define PREFIX_FS     0x64
#define PREFIX_GS     0x65
#define OPC_TWO_BYTE  0x0f
#define REX_R 0x4
#define REX_B 0x1
/*
 * CR4 as a PV guest sees it, as Xen's pv_fixup_guest_cr4(): the
 * hypervisor's own PAE, MCE, OSFXSR and OSXMMEXCPT, and of the bits a
 * guest controls only DE (debugreg.c). A write never faults: whatever
 * else it asks for is dropped (Xen also lets a guest set TSD, and
 * FSGSBASE and OSXSAVE where its policy shows them; pvisor's shows
 * neither, and TSD is not implemented: docs/abi/hypercalls.md).
 */
#define CR4_GUEST_VISIBLE (X86_CR4_PAE | X86_CR4_MCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)
#define EFER_GUEST_VIEW (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

static const uint8_t forced_prefix[] = { 0x0f, 0x0b, 'x', 'e', 'n' };

static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_FS_BASE:          *val = rdmsr(MSR_FS_BASE); return true;
    case MSR_GS_BASE:          *val = rdmsr(MSR_GS_BASE); return true;
    case MSR_SHADOW_GS_BASE:   *val = pv_read_gs_shadow(v); return true;
    case MSR_EFER:             *val = rdmsr(MSR_EFER) & EFER_GUEST_VIEW; return true;
    case MSR_IA32_TSC:         *val = rdtsc(); return true;
    case MSR_IA32_PAT:         *val = rdmsr(MSR_IA32_PAT); return true;
    case MSR_IA32_MISC_ENABLE:
    case MSR_IA32_PLATFORM_ID:
    case MSR_IA32_UCODE_REV:   *val = 0; return true;
    default:                   return pv_vmce_rdmsr(v, msr, val);
    }
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch (msr) {
    case MSR_FS_BASE:
        if (!is_canonical_address(val))
            return false;
        wrmsr(MSR_FS_BASE, val);
        v->pv.fs_base = val;
        return true;
    case MSR_GS_BASE:
        if (!is_canonical_address(val))
            return false;
        wrmsr(MSR_GS_BASE, val);
        v->pv.gs_base_kernel = val;
        return true;
    case MSR_SHADOW_GS_BASE:
        if (!is_canonical_address(val))
            return false;
        pv_write_gs_shadow(v, val);
        return true;
    default:
        return pv_vmce_wrmsr(v, msr, val);
    }
}

static bool read_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
    switch (cr) {
    case 0: *val = (read_cr0() & ~(uint64_t)X86_CR0_TS) | (v->pv.ctrlreg0 & X86_CR0_TS); return true;
    case 2: *val = v->vcpu_info->arch.cr2; return true;
    case 3: *val = mfn_x(v->kernel_mode ? v->guest_table : v->guest_table_user) << PAGE_SHIFT; return true;
    case 4: *val = (read_cr4() & CR4_GUEST_VISIBLE) | (v->pv.dbg.cr4_de ? X86_CR4_DE : 0); return true;
    default: return false;
    }
}

static bool write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
    uint64_t cur;

    switch (cr) {
    case 0:
        read_cr(v, 0, &cur);
        if ((cur ^ val) & ~(uint64_t)X86_CR0_TS)
            return false;           /* only TS may change */
        do_fpu_taskswitch(!!(val & X86_CR0_TS));
        return true;
    case 3: {
        struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
        op.arg1.mfn = val >> PAGE_SHIFT;
        return mm_mmuext_one(v, &op) == 0;
    }
    case 4:                     /* DE is the guest's (debugreg.c) */
        v->pv.dbg.cr4_de = val & X86_CR4_DE;
        return true;
    default:
        return false;
    }
}

/* mov to/from CRn: 0f 20/22 with ModRM mod=11, reg = CR, rm = GPR. */
static bool emulate_mov_cr(struct vcpu *v, struct cpu_user_regs *regs,
                           uint8_t op, uint8_t modrm, uint8_t rex)
{
    unsigned int cr = ((modrm >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
    uint64_t *r = pv_gpr(regs, (modrm & 7) | ((rex & REX_B) ? 8 : 0));

    /* mov to/from CR always takes a register: the CPU ignores mod. */
    return op == 0x20 ? read_cr(v, cr, r) : write_cr(v, cr, *r);
}

/* Legacy prefixes in any order, then at most one REX, as the CPU reads them. */
static void decode_prefixes(const uint8_t *insn, unsigned int len, struct pv_prefixes *p)
{
    unsigned int i;

    memset(p, 0, sizeof(*p));
    for (i = 0; i < len; i++) {
        switch (insn[i]) {
        case PREFIX_OPSIZE: p->opsize = true; break;
        case PREFIX_ADSIZE: p->addrsize = true; break;
        case PREFIX_REPNE:
        case PREFIX_REP:    p->rep = true; break;
        case PREFIX_LOCK:   break;
        case PREFIX_ES: case PREFIX_CS: case PREFIX_SS: case PREFIX_DS:
                            p->seg = PV_SEG_FLAT; break;
        case PREFIX_FS:     p->seg = PV_SEG_FS; break;
        case PREFIX_GS:     p->seg = PV_SEG_GS; break;
        default:            goto legacy_done;
        }
        p->legacy = true;
    }
legacy_done:
    if (i < len && insn[i] >= PREFIX_REX_LO && insn[i] <= PREFIX_REX_HI)
        p->rex = insn[i++];
    p->len = i;
}

/* The two-byte opcodes (0f xx) at insn[i]: rdmsr, wrmsr, clts, mov cr. */
static bool emulate_two_byte(struct vcpu *v, struct cpu_user_regs *regs,
                             const uint8_t *insn, unsigned int len,
                             unsigned int i, uint8_t rex)
{
    uint64_t val;
    bool ok;

    if (i + 2 > len)
        return false;
    switch (insn[i + 1]) {
    case 0x32:                                           /* rdmsr */
        ok = read_msr(v, (uint32_t)regs->rcx, &val);
        if (ok) {
            regs->rax = (uint32_t)val;
            regs->rdx = val >> 32;
        }
        i += 2;
        break;
    case 0x30:                                           /* wrmsr */
        ok = write_msr(v, (uint32_t)regs->rcx,
                       ((regs->rdx & 0xffffffff) << 32) | (uint32_t)regs->rax);
        i += 2;
        break;
    case 0x06:                                           /* clts  */
        do_fpu_taskswitch(0);
        ok = true;
        i += 2;
        break;
    case 0x20:
    case 0x22:                                           /* mov cr */
        if (i + 3 > len)
            return false;
        ok = emulate_mov_cr(v, regs, insn[i + 1], insn[i + 2], rex);
        i += 3;
        break;
    case 0x21:
    case 0x23:                                           /* mov dr */
        if (i + 3 > len)
            return false;
        return debugreg_emulate_mov(v, regs, insn[i + 1], insn[i + 2], rex, i + 3);
    default:
        return false;
    }
    if (!ok)
        return false;
    regs->rip += i;
    return true;
}

bool pv_emulate_privileged_op(struct vcpu *v, struct cpu_user_regs *regs)
{
    uint8_t insn[MAX_INSN_LEN];
    unsigned int len = pv_fetch_insn(regs, insn, sizeof(insn));
    struct pv_prefixes p;

    decode_prefixes(insn, len, &p);
    if (p.len >= len)
        return false;
    if (insn[p.len] != OPC_TWO_BYTE)
        return pv_emulate_io(v, regs, insn, len, &p);
    if (!v->kernel_mode || p.legacy)
        return false;
    return emulate_two_byte(v, regs, insn, len, p.len, p.rex);
}

bool pv_emulate_forced_invalid_op(struct vcpu *v, struct cpu_user_regs *regs)
{
    uint8_t insn[sizeof(forced_prefix) + 2];
    uint32_t res[4];

    if (pv_fetch_insn(regs, insn, sizeof(insn)) != sizeof(insn) ||
        memcmp(insn, forced_prefix, sizeof(forced_prefix)) ||
        insn[sizeof(forced_prefix)] != 0x0f ||
        insn[sizeof(forced_prefix) + 1] != 0xa2)
        return false;
    pv_cpuid(v, (uint32_t)regs->rax, (uint32_t)regs->rcx, res);
    regs->rax = res[0];
    regs->rbx = res[1];
    regs->rcx = res[2];
    regs->rdx = res[3];
    regs->rip += sizeof(insn);
    return true;
}
