/* SPDX-License-Identifier: MIT */
/*
 * asm/fixup.h - the exception fixup table.
 * Owns:    the format of section .ex_table: pairs {faulting rip, resume rip}.
 * Touches: nothing; traps.c searches the table when a fault has no other
 *          handler, and resumes at the paired address instead of dying.
 *
 * Use inside inline asm, right after the instruction that may fault:
 *     "1: movq (%1), %0\n2:\n" FIXUP_ENTRY(1b, 2b)
 */
#ifndef ASM_FIXUP_H
#define ASM_FIXUP_H

#define FIXUP_ENTRY(from, to)                      \
    ".pushsection .ex_table, \"a\"\n"              \
    ".balign 8\n"                                  \
    ".quad " #from ", " #to "\n"                   \
    ".popsection\n"

#ifndef __ASSEMBLER__
struct fixup_entry {
    unsigned long fault_rip;
    unsigned long resume_rip;
};

/* The resume address for a fault at rip, or 0 if there is none. */
unsigned long fixup_search(unsigned long rip);
#endif

#endif /* ASM_FIXUP_H */
