/* SPDX-License-Identifier: MIT */
/*
 * time.c - the TSC as the clock: calibrated at boot against the PIT,
 *          scaled to system time (ns since boot, NOW()); the wallclock
 *          from the CMOS RTC; what a guest reads of both (pvclock).
 * Owns:    the TSC's rate and scale, the boot TSC, the wallclock at
 *          system time 0.
 * Touches: PIT channel 2 and port 0x61 (once, at boot; the PIT's ports
 *          0x40-0x43 and 0x61 stay reserved, as Xen keeps them from
 *          dom0), the CMOS RTC (ports 0x70/0x71, once; dom0 uses them
 *          after, through pv/io.c), vcpu_time_info in each vCPU's
 *          vcpu_info and the wc_* fields of shared_info.
 * ABI:     abi/xen/xen.h struct vcpu_time_info: a guest computes
 *            now = system_time + ((tsc - tsc_timestamp) << tsc_shift)
 *                                * tsc_to_system_mul >> 32
 *          (a negative shift shifts right), retrying while version is odd
 *          or changed; the wallclock is wc_sec/wc_nsec (+ wc_sec_hi) at
 *          system time 0, under wc_version the same way.
 *
 * The TSC is taken as constant-rate (XEN_PVCLOCK_TSC_STABLE_BIT), as
 * under QEMU and on every CPU with an invariant TSC. NOW() uses exactly
 * the scale the guests get, so the hypervisor's timers and the guests'
 * clocks agree to the nanosecond.
 */
#define LOG_PREFIX "time"
#include <xen/xen.h>
#include "domain.h"
#include "guest_access.h"
#include "ioport.h"
#include "log.h"
#include "panic.h"
#include "processor.h"
#include "time.h"

#define PIT_HZ          1193182ULL
#define PIT_CH0         0x40
#define PIT_CH2         0x42
#define PIT_MODE        0x43
#define PIT_CH2_ONESHOT 0xb0     /* channel 2, lo/hi byte, mode 0, binary */
#define PORT_B          0x61     /* bit 0: channel 2 gate, bit 5: its output */
#define PORT_B_GATE     0x01
#define PORT_B_SPEAKER  0x02
#define PORT_B_OUT2     0x20
#define CALIBRATE_MS    25

#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_DAY 0x07
#define RTC_MON 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32
#define RTC_UIP    0x80          /* status A: update in progress */
#define RTC_BINARY 0x04          /* status B: values are binary, not BCD */
#define RTC_24H    0x02          /* status B: 24-hour clock */
#define RTC_PM     0x80          /* hour register, 12-hour mode */

static uint64_t tsc_hz, boot_tsc;
static uint32_t tsc_mul;         /* 32.32 fixed point ns per shifted tick */
static int8_t tsc_shift;
static uint64_t wc_boot_sec;     /* wallclock at system time 0 */
static uint32_t wc_boot_nsec;

uint32_t time_cpu_khz(void)
{
    return (uint32_t)(tsc_hz / 1000);
}

/* TSC ticks in CALIBRATE_MS, counted while PIT channel 2 counts down. */
static uint64_t calibrate_tsc(void)
{
    uint64_t latch = PIT_HZ * CALIBRATE_MS / 1000, t0, t1;

    outb(PORT_B, (uint8_t)((inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE));
    outb(PIT_MODE, PIT_CH2_ONESHOT);
    outb(PIT_CH2, (uint8_t)latch);
    outb(PIT_CH2, (uint8_t)(latch >> 8));
    t0 = rdtsc();
    while (!(inb(PORT_B) & PORT_B_OUT2))
        cpu_relax();
    t1 = rdtsc();
    outb(PORT_B, (uint8_t)(inb(PORT_B) & ~PORT_B_GATE));
    return (t1 - t0) * 1000 / CALIBRATE_MS;
}

/*
 * The shift and 32.32 multiplier that turn ticks at hz into ns: the
 * shifted rate lies in (1e9, 2e9], so mul = 1e9 * 2^32 / rate < 2^32.
 */
static void set_time_scale(uint64_t hz)
{
    int shift = 0;

    while (hz > 2 * SECONDS(1)) {
        hz >>= 1;
        shift--;
    }
    while (hz <= SECONDS(1)) {
        hz <<= 1;
        shift++;
    }
    tsc_mul = (uint32_t)((SECONDS(1) << 32) / hz);
    tsc_shift = (int8_t)shift;
}

static uint64_t scale_delta(uint64_t delta)
{
    delta = tsc_shift >= 0 ? delta << tsc_shift : delta >> -tsc_shift;
    return (uint64_t)(((unsigned __int128)delta * tsc_mul) >> 32);
}

uint64_t NOW(void)
{
    return scale_delta(rdtsc() - boot_tsc);
}

uint64_t stime_to_tsc(uint64_t ns)
{
    /* Split at whole seconds: tsc_hz < 2^33, so no product overflows. */
    return boot_tsc + ns / SECONDS(1) * tsc_hz +
           ns % SECONDS(1) * tsc_hz / SECONDS(1);
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, (uint8_t)(CMOS_NMI_OFF | reg));
    return inb(CMOS_DATA);
}

static unsigned int bcd(uint8_t v, bool binary)
{
    return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
    unsigned int era, yoe, doy, doe;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (uint64_t)era * 146097 + doe - 719468;
}

/* The RTC's time in seconds since the epoch (UTC, as QEMU keeps it). */
static uint64_t rtc_read_epoch(void)
{
    uint8_t b, hour;
    unsigned int year, cent;
    bool bin;

    while (cmos_read(RTC_STATUS_A) & RTC_UIP)
        cpu_relax();
    b = cmos_read(RTC_STATUS_B);
    bin = b & RTC_BINARY;
    hour = cmos_read(RTC_HOUR);
    year = bcd(cmos_read(RTC_YEAR), bin);
    cent = bcd(cmos_read(RTC_CENTURY), bin);
    year += (cent >= 19 && cent <= 21) ? cent * 100 : 2000;
    unsigned int h = bcd(hour & (uint8_t)~RTC_PM, bin);
    if (!(b & RTC_24H))
        h = (h % 12) + ((hour & RTC_PM) ? 12 : 0);
    return days_from_civil(year, bcd(cmos_read(RTC_MON), bin),
                           bcd(cmos_read(RTC_DAY), bin)) * 86400 +
           h * 3600 + bcd(cmos_read(RTC_MIN), bin) * 60 + bcd(cmos_read(RTC_SEC), bin);
}

void time_init(void)
{
    uint64_t since_boot, epoch;

    ioport_reserve(PIT_CH0, PIT_MODE, "the PIT");
    ioport_reserve(PORT_B, PORT_B, "the PIT (channel 2 gate)");
    tsc_hz = calibrate_tsc();
    if (tsc_hz < 1000000)
        panic("time: the TSC runs at %lu Hz: not a usable clock", tsc_hz);
    boot_tsc = rdtsc();
    set_time_scale(tsc_hz);
    epoch = rtc_read_epoch();
    since_boot = NOW();
    wc_boot_sec = epoch - since_boot / SECONDS(1);
    wc_boot_nsec = 0;
    log_info("TSC %lu.%03lu MHz (PIT, %u ms), scale %u >> %d; wallclock %lu",
             tsc_hz / 1000000, tsc_hz / 1000 % 1000, CALIBRATE_MS, tsc_mul,
             tsc_shift, epoch);
}

/* Odd while writing, even when done: the guests' retry protocol. */
static void version_begin(uint32_t *version)
{
    __atomic_store_n(version, *version + 1, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void version_end(uint32_t *version)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_store_n(version, *version + 1, __ATOMIC_RELEASE);
}

void update_vcpu_system_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    uint64_t tsc = rdtsc();

    version_begin(&t->version);
    t->tsc_timestamp = tsc;
    t->system_time = scale_delta(tsc - boot_tsc);
    t->tsc_to_system_mul = tsc_mul;
    t->tsc_shift = tsc_shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    version_end(&t->version);
    /* VCPUOP_register_vcpu_time_memory_area: a copy, faults ignored (Xen). */
    if (v->time_guest && v->kernel_mode)
        (void)copy_to_guest(v->time_guest, t, sizeof(*t));
}

void update_domain_wallclock_time(struct domain *d)
{
    struct shared_info *s = d->shared_info;

    version_begin(&s->wc_version);
    s->wc_sec = (uint32_t)wc_boot_sec;
    s->wc_sec_hi = (uint32_t)(wc_boot_sec >> 32);
    s->wc_nsec = wc_boot_nsec;
    version_end(&s->wc_version);
}
