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
 *            user_fork_wait  fork, the child's exit, the parent's wait4:
 *                            one round trip of a process (copy-on-write
 *                            copy of this small program, two switches)
 *            user_fork_exec_wait  the same with the child exec'ing
 *                            /bin/bench -x, which exits at once
 *          (SAMPLES/10 samples of the process ones, at least 10).
 * Touches: getpid, fork, execve, exit, wait4 (the raw syscall
 *          instruction, not musl's wrappers).
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

static inline long raw3(long nr, long a, long b, long c)
{
    long ret;

    __asm__ volatile("mov %5, %%r10; syscall" : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(0L) : "rcx", "r11", "r10", "memory");
    return ret;
}

/* fork; the child exits (or execs /bin/bench -x); wait4 for it. */
static int fork_round_trip(int exec)
{
    static char *const argv[] = { "bench", "-x", 0 };
    static char *const envp[] = { 0 };
    int status = 0;
    long pid = raw3(57, 0, 0, 0);

    if (pid == 0) {
        if (exec)
            raw3(59, (long)"/bin/bench", (long)argv, (long)envp);
        raw3(60, 0, 0, 0);
    }
    return pid > 0 && raw3(61, pid, (long)&status, 0) == pid && status == 0 ? 0 : -1;
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

    if (argc > 1 && argv[1][0] == '-' && argv[1][1] == 'x')
        return 0;                       /* the exec'd child of user_fork_exec_wait */
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
    for (int exec = 0; exec < 2; exec++) {
        int m = n / 10 < 10 ? 10 : n / 10, bad = 0;

        for (i = -5; i < m; i++) {
            t0 = tsc();
            bad |= fork_round_trip(exec);
            if (i >= 0)
                samples[i] = tsc() - t0;
        }
        if (bad)
            printf("bench: %s: a round trip failed\n", exec ? "user_fork_exec_wait" : "user_fork_wait");
        report(exec ? "user_fork_exec_wait" : "user_fork_wait", m);
    }
    printf("bench: done\n");
    return 0;
}
