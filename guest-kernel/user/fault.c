/* SPDX-License-Identifier: MIT */
/*
 * fault.c - /bin/fault MODE: a program that faults on purpose, to check
 *           that the kernel kills it with the right signal and survives.
 * Owns:    the modes: null (read address 0: SIGSEGV), ud2 (SIGILL),
 *          div0 (integer divide by zero: SIGFPE), kernel (write to a
 *          kernel address: SIGSEGV, the user L4 maps nothing there),
 *          cli (a privileged instruction: #GP, SIGSEGV), int80 (the
 *          32-bit system-call gate: none, SIGSEGV).
 * Touches: nothing but its own faults.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "null";
    volatile int zero = 0;

    printf("fault: %s\n", mode);
    fflush(stdout);
    if (!strcmp(mode, "null"))
        return *(volatile int *)0;
    if (!strcmp(mode, "ud2"))
        __asm__ volatile("ud2");
    if (!strcmp(mode, "div0"))     /* in asm: gcc turns 1 / x into compares */
        __asm__ volatile("mov $1, %%eax; cltd; idivl %0" :: "r"(zero) : "eax", "edx");
    if (!strcmp(mode, "kernel"))
        *(volatile long *)0xffffffff80000000UL = 1;
    if (!strcmp(mode, "cli"))
        __asm__ volatile("cli");
    if (!strcmp(mode, "int80"))
        __asm__ volatile("int $0x80" ::: "memory");
    printf("fault: still alive after %s\n", mode);
    return 3;
}
