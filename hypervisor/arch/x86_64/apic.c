/* SPDX-License-Identifier: MIT */
/*
 * apic.c - this CPU's local APIC, in xAPIC mode: the one interrupt the
 *          hypervisor takes, its timer (SDM 3A 11.5.4), in one-shot mode.
 * Owns:    the APIC's registers (mapped uncached at APIC_VIRT, a page of
 *          the hypervisor's slot 261 below its image), the timer's rate.
 * Touches: MSR_IA32_APIC_BASE; nothing of the guests. The interrupt
 *          controllers' frames are the hypervisor's, as on Xen (observed,
 *          tests/guests/map_interrupt_controller): no domain may map the
 *          local APIC's registers (apic_mmio_mfn()), and the I/O APIC's
 *          only read-only (apic_mmio_ro_mfn()): written, they would let a
 *          domain send interrupts to the hypervisor's vectors.
 *
 * Where the CPU has TSC-deadline mode (CPUID.1:ECX[24]), the timer fires
 * when the TSC reaches MSR_IA32_TSC_DEADLINE: a deadline in system time
 * converts exactly, with no rate to measure and no range limit. Otherwise
 * it counts down from TMICT at the bus clock divided by 16 and raises
 * APIC_TIMER_VECTOR at 0; its rate is measured at boot against the
 * (already calibrated) TSC, and a deadline beyond the 32-bit count is
 * approached in steps (the timer code re-arms on every interrupt).
 */
#define LOG_PREFIX "apic"
#include "apic.h"
#include "arch.h"
#include "layout.h"
#include "log.h"
#include "page.h"
#include "panic.h"
#include "processor.h"
#include "time.h"
#include "timer.h"
#include "x86.h"

#define APIC_BASE_ENABLE   (1UL << 11)          /* MSR_IA32_APIC_BASE      */
#define APIC_BASE_ADDR     0xfffff000UL
#define APIC_DEFAULT_BASE  0xfee00000UL
#define IOAPIC_DEFAULT_BASE 0xfec00000UL   /* where PC firmware puts it */
#define APIC_VIRT          (XEN_VIRT_START - PAGE_SIZE)

#define APIC_ID     0x020
#define APIC_EOI    0x0b0
#define APIC_SVR    0x0f0
#define APIC_LVTT   0x320
#define APIC_TMICT  0x380
#define APIC_TMCCT  0x390
#define APIC_TDCR   0x3e0

#define APIC_SVR_ENABLE    (1u << 8)
#define APIC_LVT_TSC_DEADLINE (2u << 17)        /* LVT timer mode 10b      */
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define MSR_IA32_TSC_DEADLINE 0x6e0
#define APIC_LVT_MASKED    (1u << 16)
#define APIC_TDCR_DIV_16   0x3
#define APIC_CALIBRATE_NS  MILLISECS(10)

static uint64_t apic_phys = APIC_DEFAULT_BASE;
static uint64_t apic_ticks_per_ms;
static bool tsc_deadline;

static uint32_t apic_read(uint32_t reg)
{
    return *(volatile uint32_t *)(APIC_VIRT + reg);
}

static void apic_write(uint32_t reg, uint32_t val)
{
    *(volatile uint32_t *)(APIC_VIRT + reg) = val;
}

bool apic_mmio_mfn(uint64_t mfn)
{
    return mfn == apic_phys >> PAGE_SHIFT;
}

bool apic_mmio_ro_mfn(uint64_t mfn)
{
    return mfn == IOAPIC_DEFAULT_BASE >> PAGE_SHIFT;
}

/* Timer ticks in APIC_CALIBRATE_NS of TSC time. */
static uint64_t apic_calibrate(void)
{
    uint64_t t0;
    uint32_t left;

    apic_write(APIC_LVTT, APIC_LVT_MASKED | APIC_TIMER_VECTOR);
    apic_write(APIC_TMICT, UINT32_MAX);
    t0 = NOW();
    while (NOW() - t0 < APIC_CALIBRATE_NS)
        cpu_relax();
    left = apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);
    return (UINT32_MAX - left) / (APIC_CALIBRATE_NS / MILLISECS(1));
}

void apic_init(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

    apic_phys = base & APIC_BASE_ADDR;
    wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);
    map_pages_to_xen(APIC_VIRT, _mfn(apic_phys >> PAGE_SHIFT), 1,
                     _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD | _PAGE_PWT);
    apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
    apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
    if (cpuid_count(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE) {
        tsc_deadline = true;
        apic_write(APIC_LVTT, APIC_LVT_TSC_DEADLINE | APIC_TIMER_VECTOR);
        log_info("local APIC %#lx id %u; timer in TSC-deadline mode",
                 apic_phys, apic_read(APIC_ID) >> 24);
        return;
    }
    apic_ticks_per_ms = apic_calibrate();
    if (!apic_ticks_per_ms)
        panic("apic: the local APIC timer does not count");
    apic_write(APIC_LVTT, APIC_TIMER_VECTOR);        /* one-shot, unmasked */
    log_info("local APIC %#lx id %u; timer one-shot, %lu ticks/ms (bus / 16)",
             apic_phys, apic_read(APIC_ID) >> 24, apic_ticks_per_ms);
}

void arch_timer_program(uint64_t deadline_ns)
{
    uint64_t now, ticks;

    if (tsc_deadline) {
        /* 0 disarms; a deadline already passed fires at once. */
        wrmsr(MSR_IA32_TSC_DEADLINE, deadline_ns ? stime_to_tsc(deadline_ns) : 0);
        return;
    }
    now = NOW();
    if (!deadline_ns) {
        apic_write(APIC_TMICT, 0);
        return;
    }
    ticks = deadline_ns > now ?
        (deadline_ns - now) / 1000 * apic_ticks_per_ms / 1000 + 1 : 1;
    apic_write(APIC_TMICT, (uint32_t)MIN(ticks, (uint64_t)UINT32_MAX));
}

uint64_t arch_vcpu_physid(const struct vcpu *v)
{
    (void)v;                      /* one CPU: every vCPU runs on it */
    return apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}
