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
 *                            this program with -x, which exits at once
 *            user_pipe_pingpong  one byte to a child over a pipe and
 *                            one byte back over another: two writes, two
 *                            reads, two process switches (the child blocks
 *                            in read, as the parent does)
 *          (SAMPLES/10 samples of the fork ones, at least 10).
 *          /bin/bench SAMPLES NAME runs the one benchmark NAME: how
 *          `./pvisor bench` counts the same operations natively under
 *          valgrind (callgrind, toggled on the op_* functions below; see
 *          bench/README.md, "The native floor").
 * Touches: getpid, fork, execve, exit, wait4, pipe, read, write, close
 *          (the raw syscall instruction, not musl's wrappers).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

enum { SYS_read = 0, SYS_write = 1, SYS_close = 3, SYS_pipe = 22, SYS_getpid = 39,
       SYS_fork = 57, SYS_execve = 59, SYS_exit = 60, SYS_wait4 = 61 };

static const char *self = "/bin/bench";     /* what user_fork_exec_wait execs */

/* The operations, each one function (noinline): callgrind counts the
 * instructions inside them when the native floor is measured. */
static __attribute__((noinline)) void op_getpid(void)
{
    raw_getpid();
}

/* fork; the child exits (or execs this program with -x); wait4 for it. */
static __attribute__((noinline)) int op_fork_wait(int exec)
{
    char *const argv[] = { (char *)self, "-x", 0 };
    static char *const envp[] = { 0 };
    int status = 0;
    long pid = raw3(SYS_fork, 0, 0, 0);

    if (pid == 0) {
        if (exec)
            raw3(SYS_execve, (long)self, (long)argv, (long)envp);
        raw3(SYS_exit, 0, 0, 0);
    }
    return pid > 0 && raw3(SYS_wait4, pid, (long)&status, 0) == pid && status == 0 ? 0 : -1;
}

static __attribute__((noinline)) int op_pipe_round_trip(int wfd, int rfd)
{
    char c = 'p';

    if (raw3(SYS_write, wfd, (long)&c, 1) != 1)
        return -1;
    return raw3(SYS_read, rfd, (long)&c, 1) == 1 ? 0 : -1;
}

/* The child's half: one byte back for each one in; -1 at end of file. */
static __attribute__((noinline)) int op_pipe_echo(int rfd, int wfd)
{
    char c;

    if (raw3(SYS_read, rfd, (long)&c, 1) != 1)
        return -1;
    return raw3(SYS_write, wfd, (long)&c, 1) == 1 ? 0 : -1;
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

static void bench_getpid(int n)
{
    uint64_t t0;

    for (int i = -WARMUP; i < n; i++) {
        t0 = tsc();
        op_getpid();
        if (i >= 0)
            samples[i] = tsc() - t0;
    }
    report("user_getpid", n);
}

static void bench_rdtsc_pair(int n)
{
    uint64_t t0;

    for (int i = -WARMUP; i < n; i++) {
        t0 = tsc();
        if (i >= 0)
            samples[i] = tsc() - t0;
    }
    report("user_rdtsc_pair", n);
}

static void bench_fork(int n, int exec)
{
    const char *name = exec ? "user_fork_exec_wait" : "user_fork_wait";
    int m = n / 10 < 10 ? 10 : n / 10, bad = 0;
    uint64_t t0;

    for (int i = -5; i < m; i++) {
        t0 = tsc();
        bad |= op_fork_wait(exec);
        if (i >= 0)
            samples[i] = tsc() - t0;
    }
    if (bad)
        printf("bench: %s: a round trip failed\n", name);
    report(name, m);
}

/* A child echoes each byte back until the parent closes its end. */
static void bench_pipe(int n)
{
    int a[2], b[2], status = 0, bad = 0;
    uint64_t t0;
    long pid;

    if (raw3(SYS_pipe, (long)a, 0, 0) || raw3(SYS_pipe, (long)b, 0, 0)) {
        printf("bench: user_pipe_pingpong unavailable (rc -1)\n");
        return;
    }
    pid = raw3(SYS_fork, 0, 0, 0);
    if (pid == 0) {
        raw3(SYS_close, a[1], 0, 0);
        raw3(SYS_close, b[0], 0, 0);
        while (op_pipe_echo(a[0], b[1]) == 0)
            ;
        raw3(SYS_exit, 0, 0, 0);
    }
    raw3(SYS_close, a[0], 0, 0);
    raw3(SYS_close, b[1], 0, 0);
    for (int i = -WARMUP; i < n; i++) {
        t0 = tsc();
        bad |= op_pipe_round_trip(a[1], b[0]);
        if (i >= 0)
            samples[i] = tsc() - t0;
    }
    raw3(SYS_close, a[1], 0, 0);        /* the child reads end of file, exits */
    if (pid < 0 || raw3(SYS_wait4, pid, (long)&status, 0) != pid || status)
        bad = 1;
    raw3(SYS_close, b[0], 0, 0);
    if (bad)
        printf("bench: user_pipe_pingpong: a round trip failed\n");
    report("user_pipe_pingpong", n);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    const char *only = argc > 2 ? argv[2] : NULL;

    if (argc > 1 && argv[1][0] == '-' && argv[1][1] == 'x')
        return 0;                       /* the exec'd child of user_fork_exec_wait */
    if (argv[0] && strchr(argv[0], '/'))
        self = argv[0];                 /* natively: wherever the build put it */
    if (n < 1 || n > MAX_SAMPLES)
        n = 1000;
    if (!only || !strcmp(only, "user_getpid"))
        bench_getpid(n);
    if (!only || !strcmp(only, "user_rdtsc_pair"))
        bench_rdtsc_pair(n);
    if (!only || !strcmp(only, "user_fork_wait"))
        bench_fork(n, 0);
    if (!only || !strcmp(only, "user_fork_exec_wait"))
        bench_fork(n, 1);
    if (!only || !strcmp(only, "user_pipe_pingpong"))
        bench_pipe(n);
    printf("bench: done\n");
    return 0;
}
