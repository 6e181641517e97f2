/* SPDX-License-Identifier: MIT */
/*
 * pv.h - the PV guest machinery under arch/x86_64/pv/.
 */
#ifndef PVISOR_PV_H
#define PVISOR_PV_H

#include "sched.h"

#define X86_EVENT_NO_EC (~0U)    /* inject without an error code        */

/* pv/traps.c */
void pv_handle_guest_trap(struct vcpu *v, struct cpu_user_regs *regs);
/* Bounce vector to the guest's trap-table handler (or crash it). */
void pv_inject_hw_exception(struct vcpu *v, struct cpu_user_regs *regs,
                            unsigned int vector, uint32_t error_code);
void pv_inject_sw_interrupt(struct vcpu *v, struct cpu_user_regs *regs,
                            unsigned int vector);
void pv_bounce_syscall(struct vcpu *v, struct cpu_user_regs *regs, bool compat);
void pv_deliver_events(struct vcpu *v, struct cpu_user_regs *regs);
void pv_toggle_guest_mode(struct vcpu *v);
const char *trap_name(unsigned int vec);

/* pv/insn.c: up to n bytes of code at rip (returns how many were
 * readable), and the register numbered like ModRM (0 = rax ... 15). */
unsigned int pv_fetch_insn(const struct cpu_user_regs *regs, uint8_t *buf,
                           unsigned int n);
uint64_t *pv_gpr(struct cpu_user_regs *regs, unsigned int n);

/* pv/vmce.c: the machine-check MSRs (false: not one, or #GP). */
bool pv_vmce_rdmsr(const struct vcpu *v, uint32_t msr, uint64_t *val);
bool pv_vmce_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);

/* pv/emulate.c: true when handled (rip advanced), false to bounce. */
bool pv_emulate_privileged_op(struct vcpu *v, struct cpu_user_regs *regs);

/* The legacy prefixes and REX in front of an opcode (pv/emulate.c). */
enum pv_segment { PV_SEG_FLAT, PV_SEG_FS, PV_SEG_GS };  /* 64-bit mode */
struct pv_prefixes {
    unsigned int len;             /* bytes of prefixes: the opcode's index */
    bool legacy;                  /* any legacy prefix at all        */
    bool opsize;                  /* 0x66: 16-bit operand            */
    bool addrsize;                /* 0x67: 32-bit addresses          */
    bool rep;                     /* 0xf3 or 0xf2                    */
    enum pv_segment seg;          /* an fs or gs override            */
    uint8_t rex;                  /* 0x40-0x4f, or 0                 */
};

/*
 * pv/io.c: cli, sti and port I/O (in, out, ins, outs) against the vCPU's
 * virtual IOPL and I/O bitmap; insn holds len bytes at rip, the opcode at
 * insn[p->len]. True when handled (rip advanced, or left on a rep that
 * is not finished, or a #PF injected), false to bounce the #GP(0).
 */
bool pv_emulate_io(struct vcpu *v, struct cpu_user_regs *regs,
                   const uint8_t *insn, unsigned int len,
                   const struct pv_prefixes *p);
/* Is v's ring (kernel 1, or 0 with architectural_iopl; user 3) <= vIOPL? */
bool pv_iopl_ok(const struct vcpu *v);
/* The IOPL bits a bounce frame's rflags carry: the vIOPL with
 * VMASST_TYPE_architectural_iopl, else 0. */
uint64_t pv_iopl_rflags(const struct vcpu *v);
/* iret: with architectural_iopl, the vIOPL becomes rflags.IOPL. */
void pv_iopl_from_iret(struct vcpu *v, uint64_t rflags);
bool pv_emulate_forced_invalid_op(struct vcpu *v, struct cpu_user_regs *regs);
/* The guest's view of a CPUID leaf (pv/cpuid.c). */
void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf,
              uint32_t res[4]);
/* pv/ro_page_fault.c: true when a write to an L1 table was emulated. */
bool pv_ro_page_fault(struct vcpu *v, struct cpu_user_regs *regs, uint64_t cr2);
/* pv/descriptor.c: v's GDT frames (set_gdt, VCPUOP_initialise). */
long pv_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int entries);
/*
 * pv/ldt.c: a vCPU's LDT. pv_set_ldt() is MMUEXT_SET_LDT's worker,
 * pv_ldt_check() its argument checks (VCPUOP_initialise's too);
 * pv_destroy_ldt() drops the frames mapped so far (the LDT stays);
 * pv_ldt_switch_to() maps v's frames in this CPU's LDT area and loads
 * LDTR; pv_ldt_page_fault() maps a page on the CPU's first read of it.
 */
void pv_ldt_init(struct vcpu *v);
int pv_ldt_check(uint64_t base, unsigned int ents);
int pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents);
void pv_destroy_ldt(struct vcpu *v);
void pv_ldt_release(struct vcpu *v);
void pv_ldt_switch_to(struct vcpu *v);
bool pv_ldt_page_fault(struct cpu_user_regs *regs, uint64_t cr2);
/* pv/segment.c */
uint64_t pv_read_gs_shadow(const struct vcpu *v);
void pv_write_gs_shadow(struct vcpu *v, uint64_t base);

#endif
