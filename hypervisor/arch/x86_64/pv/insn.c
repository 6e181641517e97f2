/* SPDX-License-Identifier: MIT */
/*
 * pv/insn.c - what every decoder of a guest instruction needs: its bytes,
 * read safely, and its registers, named as ModRM numbers them.
 * Owns:    nothing; used by emulate.c, ro_page_fault.c and traps.c.
 * Trusts:  nothing: every byte is range-checked and read with a fixup.
 */
#include "guest_access.h"
#include "pv.h"

unsigned int pv_fetch_insn(const struct cpu_user_regs *regs, uint8_t *buf,
                           unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        if (!guest_range_ok(regs->rip + i, 1) ||
            raw_read_guest_u8((const void *)(regs->rip + i), &buf[i]))
            break;
    return i;
}

uint64_t *pv_gpr(struct cpu_user_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };
    return map[n & 15];
}
