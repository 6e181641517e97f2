/* SPDX-License-Identifier: MIT */
/*
 * panic.c - the hypervisor's own fatal errors: panic() and BUG_ON.
 * Owns:    the panic path: message, registers, stack trace, machine stop.
 * Touches: the console and arch_machine_stop().
 *
 * Only the hypervisor's own bugs end here; a guest's mistake is an error
 * return or domain_crash() (CONVENTIONS.md sections 3 and 4).
 */
#include <stdarg.h>
#include "arch.h"
#include "bug.h"
#include "console.h"
#include "lib.h"
#include "panic.h"

static bool in_panic;

static void __attribute__((noreturn)) panic_tail(void)
{
    arch_show_hypervisor_state();
    printk("\n****************************************\n"
           "PANIC: the hypervisor stopped. Machine halted.\n"
           "****************************************\n");
    arch_machine_stop(EXIT_VALUE_PANIC, false);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    char buf[256];

    if (in_panic)
        arch_machine_stop(EXIT_VALUE_PANIC, false);
    in_panic = true;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("\nPANIC: %s\n", buf);
    panic_tail();
}

void bug_fail(const char *expr, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    char buf[256];

    if (in_panic)
        arch_machine_stop(EXIT_VALUE_PANIC, false);
    in_panic = true;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("\nPANIC: BUG at %s:%d: %s: %s\n", file, line, expr, buf);
    panic_tail();
}
