/* SPDX-License-Identifier: MIT */
/*
 * console_io.c - the console_io hypercall (18).
 * Owns:    the guest side of the hypervisor console: CONSOLEIO_write
 *          prints guest text, CONSOLEIO_read takes serial input.
 * Touches: the console (console.c) only.
 * Trusts:  nothing: the buffer is copied in in chunks.
 * ABI:     abi/xen/xen.h CONSOLEIO_*; docs/abi/hypercalls.md row 18.
 *          As Xen's default policy: only the privileged domain may use
 *          it; others get -XEN_EPERM. read returns the byte count, and
 *          -XEN_E2BIG for a count that would not fit the return value.
 */
#define LOG_PREFIX "console"
#include <xen/xen.h>
#include "console.h"
#include "guest_access.h"
#include "hypercall.h"

static long console_write_from_guest(const struct domain *d, uint64_t buf,
                                     unsigned int count)
{
    char chunk[CONSOLE_WRITE_CHUNK];
    unsigned int chunks = 0;

    while (count) {
        unsigned int n = count < sizeof(chunk) ? count : sizeof(chunk);
        if (hypercall_preempt_check(chunks++))
            return hypercall_create_continuation(__HYPERVISOR_console_io,
                CONSOLEIO_write, count, buf, 0, 0);
        if (copy_from_guest(chunk, buf, n))
            return -XEN_EFAULT;
        (void)d;
        console_write(chunk, n);
        buf += n;
        count -= n;
    }
    return 0;
}

static long console_read_to_guest(uint64_t buf, unsigned int count)
{
    char chunk[CONSOLE_WRITE_CHUNK];
    long done = 0;

    if ((int)count < 0)
        return -XEN_E2BIG;
    while (done < count) {
        size_t want = MIN(sizeof(chunk), (size_t)(count - done));
        size_t n = console_read(chunk, want);
        if (n == 0)
            break;
        if (copy_to_guest(buf + (uint64_t)done, chunk, n))
            return -XEN_EFAULT;
        done += (long)n;
    }
    return done;
}

long do_console_io(unsigned int cmd, unsigned int count, uint64_t buffer)
{
    const struct domain *d = current->domain;

    if (!d->is_privileged)
        return hc_fail(-XEN_EPERM, "console_io from unprivileged d%u",
                       d->domain_id);
    switch (cmd) {
    case CONSOLEIO_write:
        return console_write_from_guest(d, buffer, count);
    case CONSOLEIO_read:
        return console_read_to_guest(buffer, count);
    default:
        return hc_fail(-XEN_ENOSYS, "console_io cmd %u", cmd);
    }
}
