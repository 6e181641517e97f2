/* SPDX-License-Identifier: MIT */
/*
 * spin.c - two benchmark roles: spin=MS, a CPU-bound vCPU that never
 *          yields, and yieldloop=N, the cost of giving the CPU away.
 * Owns:    spin_run(), yieldloop_run() and their output lines:
 *            spin: COUNT iterations in MS ms
 *            yieldloop: N yields, X tsc per yield
 * Touches: pv_ops.irq_disable, clock_ns, yield; rdtsc (asm/tsc.h).
 *
 * spin masks events and computes for MS milliseconds of system time
 * (the pvclock): each iteration runs SPIN_ROUNDS steps of xorshift64*
 * (shifts, xors, a 64-bit multiply; the result is kept, so the compiler
 * cannot drop it) and then reads the clock.  COUNT is the number of
 * iterations: how much CPU the vCPU got.  Two such domains on one CPU
 * show the scheduler's share; with events masked nothing but the
 * hypervisor's own preemption takes the CPU away.  yieldloop issues N
 * SCHEDOP_yield in a row and divides the TSC ticks by N: with nobody else
 * runnable, the cost of the hypercall and of the scheduler's decision;
 * with a second domain doing the same, a round of two yields and two
 * switches. So that the other domain's boot is not measured, the loop
 * starts at system time YIELD_START_NS (every domain is up by then),
 * yielding until it comes.
 */
#include <kernel.h>
#include <roles.h>
#include <time.h>
#include <asm/pvops.h>
#include <asm/tsc.h>

#define YIELD_START_NS (500 * NSEC_PER_MSEC)
#define SPIN_ROUNDS 64                      /* xorshift steps per iteration */
#define SPIN_SEED   0x9e3779b97f4a7c15ULL
#define SPIN_MUL    0x2545f4914f6cdd1dULL   /* xorshift64*'s multiplier */

static volatile uint64_t spin_sink;         /* keeps the work observable */

static uint64_t spin_step(uint64_t x)
{
    unsigned int i;

    for (i = 0; i < SPIN_ROUNDS; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x *= SPIN_MUL;
    }
    return x;
}

int spin_run(unsigned long ms)
{
    uint64_t x = SPIN_SEED, end, count = 0;

    pv_ops.irq_disable();
    end = clock_ns() + ms * NSEC_PER_MSEC;
    do {
        x = spin_step(x);
        count++;
    } while (clock_ns() < end);
    spin_sink = x;
    printk("spin: %lu iterations in %lu ms\n", count, ms);
    return 0;
}

/* One measured yield: a function of its own so that bench/breakdown.py
 * can stop on it (and not on the yields before the start). */
static long __attribute__((noinline)) yield_timed(void)
{
    return pv_ops.yield();
}

int yieldloop_run(unsigned long n)
{
    uint64_t t0, t1;
    unsigned long i;
    long rc;

    while (clock_ns() < YIELD_START_NS)
        pv_ops.yield();
    t0 = rdtsc_ordered();
    for (i = 0; i < n; i++) {
        rc = yield_timed();
        if (rc) {
            printk("yieldloop: yield %lu of %lu failed (%ld)\n", i + 1, n, rc);
            return 1;
        }
    }
    t1 = rdtsc_ordered();
    printk("yieldloop: %lu yields, %lu tsc per yield\n", n, (t1 - t0) / n);
    return 0;
}
