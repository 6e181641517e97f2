/* SPDX-License-Identifier: MIT */
/*
 * console_log.c - the hypervisor's log ring (Xen's "conring"): the last
 *          bytes printk wrote, for XEN_SYSCTL_readconsole (`pvctl dmesg`,
 *          `xl dmesg`).
 * Owns:    the ring, its producer and consumer counts, conring_size=.
 * Touches: the allocator (frame_alloc) once, when conring_size= asks for
 *          more than the boot ring; the guest's buffer in readconsole.
 * Trusts:  nothing in struct xen_sysctl_readconsole: index and count may
 *          be anything; the buffer is written through copy_to_guest.
 * ABI:     abi/xen/sysctl.h (struct xen_sysctl_readconsole);
 *          docs/abi/hypercalls.md row 35.XEN_SYSCTL_readconsole.
 *
 * As Xen's: two free-running 32-bit byte counts, prod (every byte ever
 * written) and cons (the oldest byte still kept, or cleared up to); the
 * ring holds [cons, prod), at most its size, older bytes overwritten.
 * readconsole copies from cons (or from index, for an incremental reader
 * whose index lies in (cons, prod]) up to count bytes in ring order,
 * writes back count = bytes copied and index = where it stopped, and with
 * clear moves cons to where it stopped. Everything printk and the log
 * functions write goes in, the "(dN)" lines of boot domains too; dom0's
 * own CONSOLEIO_write does not (Xen's default console_to_ring=0).
 *
 * The ring starts as CONRING_BOOT_SIZE bytes in the image, so it records
 * from the first line; conring_size= (Xen's option: a size, rounded up to
 * a power of two) moves it to frames of its own once the allocator exists.
 */
#define LOG_PREFIX "console"
#include <xen/sysctl.h>
#include "console.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "page.h"

#define CONRING_BOOT_SIZE (16 * 1024)            /* Xen's _CONRING_SIZE */
#define CONRING_MAX_SIZE  (64UL * 1024 * 1024)   /* conring_size= above: capped */

uint64_t opt_conring_size;

static char conring_boot[CONRING_BOOT_SIZE];
static char *conring = conring_boot;
static uint32_t conring_size = CONRING_BOOT_SIZE;   /* a power of two */
static uint32_t conring_prod, conring_cons;

#define CONRING_IDX(i) ((i) & (conring_size - 1))

void console_log_put(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        conring[CONRING_IDX(conring_prod++)] = s[i];
    if (conring_prod - conring_cons > conring_size)
        conring_cons = conring_prod - conring_size;
}

/* Round up to a power of two, at least the boot ring, at most the cap. */
static uint64_t conring_wanted(uint64_t bytes)
{
    uint64_t size = CONRING_BOOT_SIZE;

    while (size < bytes && size < CONRING_MAX_SIZE)
        size <<= 1;
    return size;
}

void console_log_init(void)
{
    uint64_t size = conring_wanted(opt_conring_size);
    uint32_t kept = conring_prod - conring_cons;
    mfn_t m;
    char *ring;

    if (size <= conring_size)
        return;
    m = frame_alloc(size >> PAGE_SHIFT, 1);
    if (!mfn_valid_val(m)) {
        log_warn("conring_size=%lu: no %lu KiB free; the ring stays %u KiB",
                 opt_conring_size, size >> 10, conring_size >> 10);
        return;
    }
    ring = mfn_to_virt(m);
    /* The kept bytes move to the same counts' places in the new ring. */
    for (uint32_t i = conring_cons; i != conring_prod; i++)
        ring[i & (size - 1)] = conring[CONRING_IDX(i)];
    conring = ring;
    conring_size = (uint32_t)size;
    log_info("console ring: %u KiB (%u bytes kept)", conring_size >> 10, kept);
}

/* Does an incremental reader's index lie in (cons, prod]? */
static bool conring_index_ok(uint32_t cons, uint32_t prod, uint32_t index)
{
    return index - cons - 1 < prod - cons;
}

long console_log_read(struct xen_sysctl_readconsole *op)
{
    uint32_t prod = conring_prod, from = conring_cons, done = 0;
    uint64_t buf = (uint64_t)op->buffer.p;

    if (op->incremental && conring_index_ok(from, prod, op->index))
        from = op->index;
    while (from != prod && done < op->count) {
        uint32_t idx = CONRING_IDX(from);
        uint32_t len = MIN(MIN(prod - from, conring_size - idx), op->count - done);

        if (copy_to_guest(buf + done, &conring[idx], len))
            return -XEN_EFAULT;
        done += len;
        from += len;
    }
    if (op->clear)
        conring_cons = prod - from > conring_size ? prod - conring_size : from;
    op->count = done;
    op->index = from;
    return 0;
}
