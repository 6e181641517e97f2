/* SPDX-License-Identifier: MIT */
/*
 * selftest/traps.c - exceptions bounced to the kernel, software interrupts,
 *                    lazy FPU, reloading the trap table.
 * Owns:    the trap self-tests.
 * Touches: trap_last (filled by traps.c); pv_ops.load_idt, fpu_set_ts.
 *
 * Each test runs one instruction that traps, with a fixup entry when the
 * trap is a fault (rip at the instruction), and checks the frame the kernel
 * received: vector, error code, rip, and cs with RPL 0 (guest-kernel mode).
 */
#include <selftest.h>
#include <asm/fixup.h>
#include <asm/page.h>
#include <asm/pvops.h>
#include <asm/traps.h>

/* Error code of a #GP raised by "int $vector" through a gate it may not use
 * (SDM vol. 3A 6.13): the vector as an IDT index, and the IDT bit. */
#define SOFTINT_GP_ERROR(vector) (((vector) << X86_XEC_INDEX_SHIFT) | X86_XEC_IDT)
/* QEMU's TCG (before its 2024 fix to do_interrupt64) reports the byte offset
 * of the 16-byte long-mode gate instead; Xen passes the CPU's value on,
 * pvisor gives the architectural one (tests/guests/swint_error_codes.c). */
#define QEMU_TCG_IDT_INDEX_SHIFT 4
#define SOFTINT_GP_ERROR_QEMU_TCG(vector) \
    (((vector) << QEMU_TCG_IDT_INDEX_SHIFT) | X86_XEC_IDT)

const char *st_page_fault(void)
{
    unsigned long before = trap_last.count, rip, val = 0;

    asm volatile("lea 1f(%%rip), %0\n"
                 "1: movq (%2), %1\n"
                 "2:\n" FIXUP_ENTRY(1b, 2b)
                 : "=&r"(rip), "+r"(val) : "r"(ST_UNMAPPED_VA) : "memory");
    /* A read of a not-present page; Xen reports kernel-mode faults with
     * the user bit clear although the kernel runs in ring 3. */
    ST_TRY(st_check_trap(before, X86_EXC_PF, 0, rip));
    ST_EXPECT(trap_last.cr2 == ST_UNMAPPED_VA, "cr2 %#lx, want %#lx",
              trap_last.cr2, ST_UNMAPPED_VA);
    return NULL;
}

/* A non-canonical address: bit 47 clear but bits 63..48 not all clear. */
#define NON_CANONICAL_VA 0x8000000000000000UL

const char *st_general_protection(void)
{
    unsigned long before = trap_last.count, rip, val = 0;

    asm volatile("lea 1f(%%rip), %0\n"
                 "1: hlt\n"
                 "2:\n" FIXUP_ENTRY(1b, 2b)
                 : "=&r"(rip) :: "memory");
    ST_TRY(st_check_trap(before, X86_EXC_GP, 0, rip));
    before = trap_last.count;
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: movq (%2), %1\n"
                 "2:\n" FIXUP_ENTRY(1b, 2b)
                 : "=&r"(rip), "+r"(val) : "r"(NON_CANONICAL_VA) : "memory");
    ST_TRY(st_check_trap(before, X86_EXC_GP, 0, rip));
    return NULL;
}

const char *st_invalid_opcode(void)
{
    unsigned long before = trap_last.count, rip;

    asm volatile("lea 1f(%%rip), %0\n"
                 "1: ud2\n"
                 "2:\n" FIXUP_ENTRY(1b, 2b)
                 : "=&r"(rip) :: "memory");
    return st_check_trap(before, X86_EXC_UD, 0, rip);
}

/* int3 is a trap: the frame's rip is the instruction after it. */
const char *st_breakpoint(void)
{
    unsigned long before = trap_last.count, next;

    asm volatile("lea 1f(%%rip), %0\n"
                 "int3\n"
                 "1:\n"
                 : "=&r"(next) :: "memory");
    return st_check_trap(before, X86_EXC_BP, 0, next);
}

const char *st_softint_dpl3(void)
{
    unsigned long before = trap_last.count, next;

    asm volatile("lea 1f(%%rip), %0\n"
                 "int %1\n"
                 "1:\n"
                 : "=&r"(next) : "i"(SOFTINT_VECTOR_USER) : "memory");
    return st_check_trap(before, SOFTINT_VECTOR_USER, 0, next);
}

/* A gate with DPL 0 may not be raised by "int": the kernel gets a #GP. */
const char *st_softint_dpl0(void)
{
    unsigned long before = trap_last.count, rip;

    asm volatile("lea 1f(%%rip), %0\n"
                 "1: int %1\n"
                 "2:\n" FIXUP_ENTRY(1b, 2b)
                 : "=&r"(rip) : "i"(SOFTINT_VECTOR_KERNEL) : "memory");
    if (trap_last.error_code == SOFTINT_GP_ERROR_QEMU_TCG(SOFTINT_VECTOR_KERNEL))
        return st_check_trap(before, X86_EXC_GP,
                             SOFTINT_GP_ERROR_QEMU_TCG(SOFTINT_VECTOR_KERNEL), rip);
    return st_check_trap(before, X86_EXC_GP, SOFTINT_GP_ERROR(SOFTINT_VECTOR_KERNEL), rip);
}

/* With TS set the first x87 instruction raises #NM; the handler clears TS
 * and the instruction runs again, this time to completion. */
const char *st_fpu_taskswitch(void)
{
    unsigned long before, rip, done = 0;

    ST_EXPECT_RC(pv_ops.fpu_set_ts(1), 0);
    before = trap_last.count;
    asm volatile("lea 1f(%%rip), %0\n"
                 "1: fninit\n"
                 "movq $1, %1\n"
                 : "=&r"(rip), "+r"(done) :: "memory");
    ST_TRY(st_check_trap(before, X86_EXC_NM, 0, rip));
    ST_EXPECT(done == 1, "did not resume after #NM");
    before = trap_last.count;
    asm volatile("fninit" ::: "memory");
    ST_EXPECT(trap_last.count == before, "#NM with TS clear");
    return NULL;
}

/* Clearing the virtual IDT and installing it again leaves traps working. */
const char *st_trap_table_reload(void)
{
    unsigned long before;

    ST_EXPECT_RC(pv_ops.load_idt(NULL, 0), 0);
    trap_init();                    /* panics on failure */
    before = trap_last.count;
    asm volatile("int3" ::: "memory");
    ST_EXPECT(trap_last.count == before + 1 && trap_last.vector == X86_EXC_BP,
              "int3 not delivered after reload");
    return NULL;
}

static void st_probe_ud2(void *arg)
{
    (void)arg;
    asm volatile("ud2");
}

static void st_probe_read_unmapped(void *arg)
{
    *(unsigned long *)arg = *(volatile unsigned long *)ST_UNMAPPED_VA;
}

/* An inner probe faults; the outer one must go on unharmed. */
static void st_probe_nested(void *arg)
{
    struct probe_fault inner;

    *(int *)arg = probe_call(st_probe_ud2, NULL, &inner) &&
                  inner.vector == X86_EXC_UD;
}

static void st_probe_nothing(void *arg)
{
    *(int *)arg = 42;
}

/* probe_call(): an exception abandons the probed function, the caller
 * learns which, and the callee-saved registers survive (the compiler
 * keeps locals in them across the call). */
const char *st_probe_call(void)
{
    struct probe_fault f;
    unsigned long sink = 0;
    int got = 0, i, sum = 0;

    for (i = 0; i < 3; i++) {
        ST_EXPECT(probe_call(st_probe_ud2, NULL, &f) == 1, "ud2 not caught");
        ST_EXPECT(f.vector == X86_EXC_UD, "%s, want #UD", trap_name(f.vector));
        sum += i;
    }
    ST_EXPECT(sum == 3, "locals lost across probes (%d)", sum);
    ST_EXPECT(probe_call(st_probe_read_unmapped, &sink, &f) == 1, "#PF not caught");
    ST_EXPECT(f.vector == X86_EXC_PF && f.cr2 == ST_UNMAPPED_VA && f.error_code == 0,
              "%s error %#lx cr2 %#lx", trap_name(f.vector), f.error_code, f.cr2);
    ST_EXPECT(probe_call(st_probe_nested, &got, NULL) == 0 && got == 1, "nested probe");
    ST_EXPECT(probe_call(st_probe_nothing, &got, NULL) == 0 && got == 42, "plain call");
    return NULL;
}
