/* SPDX-License-Identifier: MIT */
/*
 * bench.c - /bin/bench [SAMPLES]: the cost of a user system call on
 *           pvkernel, timed from user mode with rdtsc.
 * Owns:    the user-side benchmarks, printed in bench/'s line format
 *            bench: NAME median M min N n SAMPLES unit tsc
 *          (`./pvisor bench` runs it under -icount shift=0, where a TSC
 *          tick is one guest instruction, and renames the unit):
 *            user_getpid     one getpid round trip: user -> hypervisor ->
 *                            kernel -> hypervisor -> user (the PV64 double
 *                            bounce), with the rdtsc pair around it
 *            user_rdtsc_pair the rdtsc pair alone: subtract it
 * Touches: getpid (the raw syscall instruction, not musl's wrapper).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define WARMUP 50
#define MAX_SAMPLES 100000

static uint64_t samples[MAX_SAMPLES];

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return (uint64_t)hi << 32 | lo;
}

static inline long raw_getpid(void)
{
    long ret;

    __asm__ volatile("syscall" : "=a"(ret) : "a"(39L) : "rcx", "r11", "memory");
    return ret;
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static void report(const char *name, int n)
{
    qsort(samples, n, sizeof(samples[0]), cmp);
    printf("bench: %s median %llu min %llu n %d unit tsc\n", name,
           (unsigned long long)samples[n / 2], (unsigned long long)samples[0], n);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000, i;
    uint64_t t0;

    if (n < 1 || n > MAX_SAMPLES)
        n = 1000;
    for (i = -WARMUP; i < n; i++) {
        t0 = tsc();
        raw_getpid();
        if (i >= 0)
            samples[i] = tsc() - t0;
    }
    report("user_getpid", n);
    for (i = -WARMUP; i < n; i++) {
        t0 = tsc();
        if (i >= 0)
            samples[i] = tsc() - t0;
    }
    report("user_rdtsc_pair", n);
    printf("bench: done\n");
    return 0;
}
