/* SPDX-License-Identifier: MIT */
/*
 * dom0_mem.c - dom0_mem=: Xen 4.17's syntax, and dom0's size from it.
 * Owns:    parsing "[min:AMT,][max:AMT,][AMT]"; clamping dom0's size to
 *          what the machine has, and saying so when that is less than
 *          the command line asked for.
 * Touches: nothing; the caller (pv/domain_build.c) says what is free.
 * Trusts:  nothing in the string.
 *
 * As Xen's xen/arch/x86/dom0_build.c (parse_dom0_mem, dom0_compute_nr_pages):
 *  - AMT is SIZE, N% or SIZE+N% (N below 100: a percentage of the memory
 *    available to dom0), or one of these after '-': all available less it.
 *  - dom0's size is AMT (an AMT of 0, or none, means the default), raised
 *    to min:, lowered to max: (so min: above max: is ignored), lowered to
 *    what is available. max: is also the domain's max_pages, the ceiling
 *    of its balloon (UINT32_MAX without it).
 * SIZE is cmdline.c's, as Xen's: a bare number is KiB; B, K, M, G, T are
 * the units.
 * Where pvisor differs:
 *  - "Available" is the free memory less a reserve for the hypervisor and
 *    the boot domUs, and no more than the longest run of free frames
 *    (dom0's memory is one machine run). pvisor's default is its own
 *    (default_dom0_pages() in the builder).
 *  - Xen caps silently (observed: dom0_mem=1G on a 256 MiB machine boots
 *    dom0 with 248 MiB, nothing said); pvisor says so at WARN.
 */
#define LOG_PREFIX "dom0_mem"
#include "dom0_mem.h"
#include "cmdline.h"
#include "lib.h"
#include "log.h"

#define PERCENT 100
#define FRAMES_PER_MIB_SHIFT (20 - PAGE_SHIFT)

/* One AMT at s, up to the next ',' or the end; *end is left there. */
static int parse_amt(const char *s, const char **end, struct memsize *out)
{
    struct memsize sz = { .minus = *s == '-' };
    bool have_size = false, have_percent = false;

    if (sz.minus)
        s++;
    for (;;) {
        const char *after_number;
        bool overflow;
        uint64_t v;

        if (*s < '0' || *s > '9')
            return -1;
        /* N% is a bare number; a SIZE's bare number is KiB (cmdline.c). */
        v = simple_strtoull(s, &after_number, &overflow);
        if (*after_number == '%') {         /* N%: the last item */
            if (overflow || have_percent || v >= PERCENT)
                return -1;
            sz.percent = (unsigned int)v;
            have_percent = true;
            s = after_number + 1;
        } else if (cmdline_parse_size(s, &s, &v)) {
            return -1;
        } else {                            /* SIZE: the first item */
            if (have_size || have_percent)
                return -1;
            sz.bytes = v;
            have_size = true;
        }
        if (*s != '+')
            break;
        s++;
    }
    if (*s != '\0' && *s != ',')
        return -1;
    *out = sz;
    *end = s;
    return 0;
}

int dom0_mem_parse(const char *s, struct dom0_mem *m)
{
    struct dom0_mem new = *m;

    for (;;) {
        if (!strncmp(s, "min:", 4)) {
            if (parse_amt(s + 4, &s, &new.min))
                return -1;
            new.has_min = true;
        } else if (!strncmp(s, "max:", 4)) {
            if (parse_amt(s + 4, &s, &new.max))
                return -1;
            new.has_max = true;
        } else {
            if (parse_amt(s, &s, &new.amt))
                return -1;
            new.has_amt = true;
        }
        if (*s == '\0')
            break;
        s++;                                /* the ',' parse_amt stopped at */
    }
    *m = new;
    return 0;
}

/* An amount in frames, given `avail` frames available to dom0. */
static uint64_t memsize_frames(const struct memsize *sz, uint64_t avail)
{
    uint64_t n = (sz->bytes >> PAGE_SHIFT) + avail * sz->percent / PERCENT;

    if (!sz->minus)
        return n;
    return n < avail ? avail - n : 0;
}

static uint64_t mib(uint64_t frames)
{
    return frames >> FRAMES_PER_MIB_SHIFT;
}

/* dom0 gets `got` frames where it asked for `asked`: say why. */
static void report_cap(uint64_t asked, uint64_t got, uint64_t avail,
                       const struct dom0_mem_room *r, bool by_default)
{
    char why[160];

    if (got == r->longest && r->longest < avail)
        snprintf(why, sizeof(why), "dom0's memory is one run and the longest "
                 "run of free memory is %lu MiB", mib(r->longest));
    else if (r->kept_domus)
        snprintf(why, sizeof(why), "%lu MiB is available (%lu MiB free, less "
                 "%lu MiB kept for the hypervisor and %lu MiB for the boot "
                 "domUs)", mib(avail), mib(r->free), mib(r->kept_hv),
                 mib(r->kept_domus));
    else
        snprintf(why, sizeof(why), "%lu MiB is available (%lu MiB free, less "
                 "%lu MiB kept for the hypervisor)", mib(avail), mib(r->free),
                 mib(r->kept_hv));
    log_warn("%lu MiB %s, but %s; dom0 gets %lu MiB (%lu pages), capped as "
             "Xen caps it", mib(asked), by_default ? "by default" : "asked for",
             why, mib(got), got);
}

uint64_t dom0_mem_frames(const struct dom0_mem *m, const struct dom0_mem_room *r,
                         uint64_t *max_pages)
{
    uint64_t kept = r->kept_hv + r->kept_domus;
    uint64_t avail = r->free > kept ? r->free - kept : 0;
    uint64_t nr = m->has_amt ? memsize_frames(&m->amt, avail) : 0;
    uint64_t min = m->has_min ? memsize_frames(&m->min, avail) : 0;
    uint64_t max = m->has_max ? memsize_frames(&m->max, avail) : UINT64_MAX;
    bool by_default = nr == 0, raised;
    uint64_t asked;

    if (by_default && m->has_amt && m->amt.minus)
        log_warn("the amount after '-' is all of the %lu MiB available or "
                 "more; dom0 gets its default size", mib(avail));
    if (by_default)
        nr = r->dflt;
    raised = nr < min;
    nr = MIN(MAX(nr, min), max);
    asked = nr;
    nr = MIN(MIN(nr, avail), r->longest);
    if (nr < asked)
        report_cap(asked, nr, avail, r, by_default && !raised && asked == r->dflt);
    *max_pages = MIN(max, UINT32_MAX);
    return nr;
}
