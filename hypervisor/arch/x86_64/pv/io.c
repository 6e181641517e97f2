/* SPDX-License-Identifier: MIT */
/*
 * pv/io.c - a PV vCPU's I/O privilege: its virtual IOPL and I/O bitmap,
 *           and the cli/sti and port I/O it executes under them.
 * Owns:    v->pv.iopl, v->pv.iobmp/iobmp_limit, d->pv (the domain's CMOS
 *          and PCI CONFIG_ADDRESS latches); which ports a domain reaches
 *          and what it reads from the others.
 * Touches: real I/O ports (never one ioport.c reserves), the RTC's index
 *          register (shared with time.c's boot-time reads) and the PCI
 *          CONFIG_ADDRESS register (the hypervisor uses neither after
 *          boot), guest memory (ins/outs, the I/O bitmap), the guest's
 *          registers, #PF injection (pv/traps.c).
 * Trusts:  nothing: ports, counts, addresses and the bitmap are the
 *          guest's; every guest access is range-checked and fault-safe.
 * ABI:     Xen 4.17's PV I/O model, observed with tests/guests/viopl_*
 *          (docs/abi/hypercalls.md, "Instructions emulated for PV guests").
 *
 * The real IOPL of a guest is always 0: cli, sti, in, out, ins and outs
 * raise #GP(0), and pv/emulate.c hands them here. The guest's virtual
 * IOPL (0 at start, dom0 included) decides, against the privilege level
 * Xen gives the guest: its kernel counts as ring 1 (ring 0 with
 * VMASST_TYPE_architectural_iopl), its user mode as ring 3. With
 * ring <= vIOPL:
 *   - cli and sti do nothing at all: Xen 4.17 leaves
 *     vcpu_info.evtchn_upcall_mask alone (the guest masks events by
 *     writing the mask, never through cli), and skips the instruction;
 *   - a port instruction is performed for the domain (below).
 * Otherwise a port instruction may still pass the I/O bitmap
 * (PHYSDEVOP_set_iobitmap: a guest address in the kernel's address space,
 * TSS-style, 1 = refused, for ports below nr_ports); cli and sti never
 * do. What passes neither gets #GP(0).
 *
 * What a permitted instruction does depends on the domain's ports: dom0
 * reaches every port the hypervisor does not keep (ioport.c); a domU
 * none. An access wholly within reachable ports that Xen does not
 * emulate goes to the hardware at its width. Otherwise it is taken in
 * pieces: an unreachable byte reads 0xff and drops writes, a reachable
 * one goes to the hardware, and two pairs are emulated as Xen emulates
 * them for dom0 (no lock: with one physical CPU nothing runs between
 * selecting a register and using it; SMP will need one):
 *   - CMOS: port 0x70 is a latch per domain that reads back as written;
 *     an access to 0x71 first selects latch & 0x7f in the RTC, so the
 *     NMI-disable bit never reaches the hardware;
 *   - PCI configuration mechanism 1: a dword at 0xcf8 is a latch per
 *     domain (bytes and words at 0xcf8-0xcfb are the real ports, as on
 *     Xen); an access within 0xcfc-0xcff loads the latch into the real
 *     CONFIG_ADDRESS first, or reads all ones and drops writes while the
 *     latch's enable bit is clear. Unlike Xen, every register of every
 *     device may be written (Xen's pci_cfg_ok() keeps some from dom0).
 *
 * ins/outs repeat with rep, step by DF, honour 0x66, 0x67 and an fs/gs
 * override (outs), and turn a guest memory fault into #PF (error code:
 * write for ins, user in user mode; cr2 the byte that failed) with the
 * registers at the failed element; at most IO_REPS_PER_TRAP elements per
 * trap, then the instruction is executed again, so pending events get in
 * between.
 */
#define LOG_PREFIX "io"
#include <xen/xen.h>
#include "arch.h"
#include "debugreg.h"
#include "domain.h"
#include "guest_access.h"
#include "ioport.h"
#include "processor.h"
#include "pv.h"

#define IO_REPS_PER_TRAP 512
#define PCI_CONF_ADDRESS 0xcf8    /* CONFIG_ADDRESS: a latch per domain */
#define PCI_CONF_DATA    0xcfc    /* CONFIG_DATA: 0xcfc-0xcff          */
#define PCI_CONF_WINDOW  4
#define PCI_CONF_ENABLE  0x80000000u
#define IOPL_MAX         3
#define OPC_CLI          0xfa
#define OPC_STI          0xfb
#define OPC_INS_BYTE     0x6c     /* 6c-6f: ins, ins, outs, outs   */
#define OPC_OUTS_DWORD   0x6f
#define OPC_IN_IMM_BYTE  0xe4     /* e4-e7: in/out with imm8 port  */
#define OPC_OUT_IMM      0xe7
#define OPC_IN_DX_BYTE   0xec     /* ec-ef: in/out with port in dx */
#define OPC_OUT_DX       0xef
#define OPC_WIDE         0x01     /* bit 0: word/dword, else byte  */
#define OPC_OUTPUT       0x02     /* bit 1: out/outs, else in/ins  */

/* ---- the virtual IOPL --------------------------------------------------- */

static bool architectural_iopl(const struct domain *d)
{
    return d->vm_assist & (1UL << VMASST_TYPE_architectural_iopl);
}

/* The ring Xen checks a PV guest's I/O privilege against. */
static unsigned int guest_ring(const struct vcpu *v)
{
    if (!v->kernel_mode)
        return 3;
    return architectural_iopl(v->domain) ? 0 : 1;
}

bool pv_iopl_ok(const struct vcpu *v)
{
    return guest_ring(v) <= v->pv.iopl;
}

uint64_t pv_iopl_rflags(const struct vcpu *v)
{
    if (!architectural_iopl(v->domain))
        return 0;
    return (uint64_t)v->pv.iopl << X86_EFLAGS_IOPL_SHIFT;
}

void pv_iopl_from_iret(struct vcpu *v, uint64_t rflags)
{
    if (architectural_iopl(v->domain))
        v->pv.iopl = (uint8_t)((rflags & X86_EFLAGS_IOPL) >> X86_EFLAGS_IOPL_SHIFT);
}

void arch_vcpu_set_iopl(struct vcpu *v, unsigned int iopl)
{
    v->pv.iopl = (uint8_t)(iopl & IOPL_MAX);
}

void arch_vcpu_set_iobitmap(struct vcpu *v, uint64_t bitmap, unsigned int nr_ports)
{
    v->pv.iobmp = bitmap;
    v->pv.iobmp_limit = nr_ports;
}

/*
 * Does v's I/O bitmap let it use [port, port + bytes)? The two bitmap
 * bytes that cover the range are read from the kernel's address space
 * (switching to it from user mode); a byte that cannot be read refuses.
 */
static bool iobitmap_allows(struct vcpu *v, unsigned int port, unsigned int bytes)
{
    uint8_t b[2] = { 0xff, 0xff };
    bool user = !v->kernel_mode;
    unsigned int mask = ((1u << bytes) - 1) << (port & 7);

    if (port + bytes > v->pv.iobmp_limit)
        return false;
    if (user)
        pv_toggle_guest_mode(v);
    for (unsigned int i = 0; i < ARRAY_SIZE(b); i++) {
        uint64_t va = v->pv.iobmp + port / 8 + i;

        if (!guest_range_ok(va, 1) || raw_read_guest_u8((const void *)va, &b[i])) {
            b[i] = 0xff;
            break;
        }
    }
    if (user)
        pv_toggle_guest_mode(v);
    return !((b[0] | (unsigned int)b[1] << 8) & mask);
}

static bool guest_io_okay(struct vcpu *v, unsigned int port, unsigned int bytes)
{
    return pv_iopl_ok(v) || iobitmap_allows(v, port, bytes);
}

/* ---- what a port access does for a domain -------------------------------- */

static bool port_reachable(const struct domain *d, unsigned int port, unsigned int bytes)
{
    return d->is_privileged && !ioport_reserved(port, bytes);
}

static bool overlaps(unsigned int port, unsigned int bytes,
                     unsigned int first, unsigned int last)
{
    return port <= last && port + bytes > first;
}

/* The ports a reachable domain gets emulated rather than passed through. */
static bool is_cmos(unsigned int port, unsigned int bytes)
{
    return overlaps(port, bytes, CMOS_INDEX, CMOS_DATA);
}

static bool is_pci_address(unsigned int port, unsigned int bytes)
{
    return port == PCI_CONF_ADDRESS && bytes == 4;  /* other widths: real */
}

static bool is_pci_data(unsigned int port, unsigned int bytes)
{
    return overlaps(port, bytes, PCI_CONF_DATA, PCI_CONF_DATA + PCI_CONF_WINDOW - 1);
}

static bool emulated(unsigned int port, unsigned int bytes)
{
    return is_cmos(port, bytes) || is_pci_address(port, bytes) ||
           is_pci_data(port, bytes);
}

/* Select the domain's CMOS index (NMIs left enabled) / config address. */
static void cmos_select(const struct domain *d)
{
    outb(CMOS_INDEX, (uint8_t)(d->pv.cmos_index & ~CMOS_NMI_OFF));
}

static bool pci_select(const struct domain *d)
{
    if (!(d->pv.pci_cf8 & PCI_CONF_ENABLE))
        return false;
    outl(PCI_CONF_ADDRESS, d->pv.pci_cf8);
    return true;
}

static uint32_t hw_in(unsigned int port, unsigned int bytes)
{
    switch (bytes) {
    case 1: return inb((uint16_t)port);
    case 2: return inw((uint16_t)port);
    default: return inl((uint16_t)port);
    }
}

static void hw_out(unsigned int port, unsigned int bytes, uint32_t val)
{
    switch (bytes) {
    case 1: outb((uint16_t)port, (uint8_t)val); break;
    case 2: outw((uint16_t)port, (uint16_t)val); break;
    default: outl((uint16_t)port, val); break;
    }
}

/*
 * One emulated or byte-wise piece of an access: 4 bytes of CONFIG_ADDRESS,
 * up to the end of the config data window, or one byte. Returns its size.
 */
static unsigned int piece_read(struct domain *d, unsigned int port,
                               unsigned int bytes, uint32_t *val)
{
    unsigned int n = 1;

    *val = 0xffffffff;
    if (!port_reachable(d, port, 1))
        return n;
    if (is_pci_address(port, bytes)) {
        *val = d->pv.pci_cf8;
        n = 4;
    } else if (is_pci_data(port, 1)) {
        n = MIN(bytes, PCI_CONF_DATA + PCI_CONF_WINDOW - port);
        if (pci_select(d))
            *val = hw_in(port, n == 3 ? 1 : n);
        if (n == 3)
            n = 1;
    } else if (port == CMOS_INDEX) {
        *val = d->pv.cmos_index;
    } else if (port == CMOS_DATA) {
        cmos_select(d);
        *val = inb(CMOS_DATA);
    } else {
        *val = inb((uint16_t)port);
    }
    return n;
}

static unsigned int piece_write(struct domain *d, unsigned int port,
                                unsigned int bytes, uint32_t val)
{
    unsigned int n = 1;

    if (!port_reachable(d, port, 1))
        return n;
    if (is_pci_address(port, bytes)) {
        d->pv.pci_cf8 = val;
        n = 4;
    } else if (is_pci_data(port, 1)) {
        n = MIN(bytes, PCI_CONF_DATA + PCI_CONF_WINDOW - port);
        if (n == 3)
            n = 1;
        if (pci_select(d))
            hw_out(port, n, val);
    } else if (port == CMOS_INDEX) {
        d->pv.cmos_index = (uint8_t)val;
    } else if (port == CMOS_DATA) {
        cmos_select(d);
        outb(CMOS_DATA, (uint8_t)val);
    } else {
        outb((uint16_t)port, (uint8_t)val);
    }
    return n;
}

static uint32_t port_read(struct domain *d, unsigned int port, unsigned int bytes)
{
    uint32_t val = 0, piece;
    unsigned int done = 0, n;

    if (port_reachable(d, port, bytes) && !emulated(port, bytes))
        return hw_in(port, bytes);
    while (done < bytes) {
        n = piece_read(d, port + done, bytes - done, &piece);
        if (n == 4)
            return piece;
        val |= (piece & ((1u << (8 * n)) - 1)) << (8 * done);
        done += n;
    }
    return val;
}

static void port_write(struct domain *d, unsigned int port, unsigned int bytes,
                       uint32_t val)
{
    unsigned int done = 0;

    if (port_reachable(d, port, bytes) && !emulated(port, bytes)) {
        hw_out(port, bytes, val);
        return;
    }
    while (done < bytes)
        done += piece_write(d, port + done, bytes - done, val >> (8 * done));
}

/* ---- the instructions ------------------------------------------------------ */

/* in: al, ax or eax (which clears rax's upper half) gets the value. */
static void set_in_result(struct cpu_user_regs *regs, unsigned int bytes, uint32_t val)
{
    switch (bytes) {
    case 1: regs->rax = (regs->rax & ~0xffUL) | val; break;
    case 2: regs->rax = (regs->rax & ~0xffffUL) | val; break;
    default: regs->rax = val; break;
    }
}

enum string_fault { STRING_OK, STRING_GP, STRING_PF };

/*
 * One element of ins (write) or outs (read) at va, through the guest's
 * page tables of its current mode. A non-canonical va is #GP (the
 * caller's); any other failure injects #PF as Xen's emulator reports it.
 */
static enum string_fault string_access(struct vcpu *v, struct cpu_user_regs *regs,
                                       uint64_t va, uint32_t *val,
                                       unsigned int bytes, bool write)
{
    size_t left = bytes;

    if (!is_canonical_address(va) || !is_canonical_address(va + bytes - 1))
        return STRING_GP;
    if (guest_range_ok(va, bytes))
        left = write ? raw_copy_to_guest((void *)va, val, bytes)
                     : raw_copy_from_guest(val, (const void *)va, bytes);
    if (!left)
        return STRING_OK;
    v->vcpu_info->arch.cr2 = va + bytes - left;
    pv_inject_hw_exception(v, regs, TRAP_page_fault,
                           (write ? PFEC_write : 0) | (v->kernel_mode ? 0 : PFEC_user));
    return STRING_PF;
}

/* The guest's live bases: the MSRs hold them while it is trapped. */
static uint64_t segment_base(enum pv_segment seg)
{
    switch (seg) {
    case PV_SEG_FS: return rdmsr(MSR_FS_BASE);
    case PV_SEG_GS: return rdmsr(MSR_GS_BASE);
    default:        return 0;     /* es, cs, ss, ds: flat in 64-bit mode */
    }
}

/*
 * ins/outs, with or without rep. Returns false for #GP(0) (the caller
 * bounces it); true when done, partly done (rip stays on the
 * instruction) or when a #PF was injected.
 */
static bool emulate_string(struct vcpu *v, struct cpu_user_regs *regs,
                           const struct pv_prefixes *p, uint8_t op,
                           unsigned int bytes, unsigned int ilen)
{
    bool out = op & OPC_OUTPUT;
    uint64_t amask = p->addrsize ? 0xffffffffUL : ~0UL;
    uint64_t *ptr = out ? &regs->rsi : &regs->rdi;
    uint64_t base = out ? segment_base(p->seg) : 0;
    uint64_t count = p->rep ? (regs->rcx & amask) : 1;
    uint64_t step = (regs->rflags & X86_EFLAGS_DF) ? -(uint64_t)bytes : bytes;
    unsigned int port = (uint16_t)regs->rdx;

    if (!count) {
        regs->rip += ilen;
        return true;
    }
    if (!guest_io_okay(v, port, bytes))
        return false;
    debugreg_io_access(v, port, bytes);
    for (unsigned int n = 0; n < IO_REPS_PER_TRAP && count; n++) {
        uint64_t va = base + (*ptr & amask);
        uint32_t val = 0;
        enum string_fault f;

        if (out) {
            f = string_access(v, regs, va, &val, bytes, false);
            if (f == STRING_OK)
                port_write(v->domain, port, bytes, val);
        } else {
            val = port_read(v->domain, port, bytes);
            f = string_access(v, regs, va, &val, bytes, true);
        }
        if (f != STRING_OK)
            return f == STRING_PF;
        /* With 0x67 these are 32-bit registers: the upper half clears. */
        *ptr = (*ptr + step) & amask;
        count--;
        if (p->rep)
            regs->rcx = count;
    }
    if (!count)
        regs->rip += ilen;
    return true;
}

bool pv_emulate_io(struct vcpu *v, struct cpu_user_regs *regs,
                   const uint8_t *insn, unsigned int len,
                   const struct pv_prefixes *p)
{
    uint8_t op = insn[p->len];
    unsigned int ilen = p->len + 1;
    unsigned int bytes = (op & OPC_WIDE) ? (p->opsize ? 2 : 4) : 1;
    unsigned int port;

    if (op == OPC_CLI || op == OPC_STI) {
        if (!pv_iopl_ok(v))
            return false;
        regs->rip += ilen;        /* and nothing else: the mask stays */
        return true;
    }
    if (op >= OPC_INS_BYTE && op <= OPC_OUTS_DWORD)
        return emulate_string(v, regs, p, op, bytes, ilen);
    if (op >= OPC_IN_IMM_BYTE && op <= OPC_OUT_IMM) {
        if (ilen >= len)
            return false;
        port = insn[ilen++];
    } else if (op >= OPC_IN_DX_BYTE && op <= OPC_OUT_DX) {
        port = (uint16_t)regs->rdx;
    } else {
        return false;
    }
    if (!guest_io_okay(v, port, bytes))
        return false;
    debugreg_io_access(v, port, bytes);
    if (op & OPC_OUTPUT)
        port_write(v->domain, port, bytes, (uint32_t)regs->rax);
    else
        set_in_result(regs, bytes, port_read(v->domain, port, bytes));
    regs->rip += ilen;
    return true;
}
