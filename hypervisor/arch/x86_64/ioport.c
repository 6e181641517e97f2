/* SPDX-License-Identifier: MIT */
/*
 * ioport.c - the I/O ports the hypervisor drives itself.
 * Owns:    the table of reserved ranges: each driver names the ports it
 *          owns (serial.c COM1, i8259.c the PICs, time.c the PIT and
 *          port 0x61), and the debug-exit port named by debug_exit=.
 * Touches: nothing; pv/io.c asks ioport_reserved() before it lets a guest
 *          reach a port.
 *
 * The same ports Xen 4.17 refuses its dom0 for the same reasons (its
 * console UART, the PICs, the PIT and port 0x61), so dom0 reads all ones
 * from them on both. Xen also hides the ACPI PM timer it found in the
 * FADT; pvisor neither reads ACPI nor uses that timer, so it stays dom0's.
 */
#define LOG_PREFIX "ioport"
#include "arch.h"
#include "bug.h"
#include "ioport.h"
#include "log.h"

#define IOPORT_RESERVED_MAX 8
#define DEBUG_EXIT_BYTES    4     /* arch_machine_stop() writes it with outl */

struct ioport_range {
    uint16_t first, last;
    const char *owner;
};

static struct ioport_range reserved[IOPORT_RESERVED_MAX];
static unsigned int nr_reserved;

void ioport_reserve(uint16_t first, uint16_t last, const char *owner)
{
    BUG_ON(nr_reserved == IOPORT_RESERVED_MAX || first > last,
           "cannot reserve ports %#x-%#x for %s", first, last, owner);
    reserved[nr_reserved++] = (struct ioport_range){ first, last, owner };
    log_debug("ports %#x-%#x kept for %s", first, last, owner);
}

static bool overlaps(unsigned int port, unsigned int bytes,
                     unsigned int first, unsigned int last)
{
    return port <= last && port + bytes > first;
}

bool ioport_reserved(unsigned int port, unsigned int bytes)
{
    if (port + bytes > IOPORT_COUNT)
        return true;
    if (opt_debug_exit &&
        overlaps(port, bytes, opt_debug_exit, opt_debug_exit + DEBUG_EXIT_BYTES - 1))
        return true;
    for (unsigned int i = 0; i < nr_reserved; i++)
        if (overlaps(port, bytes, reserved[i].first, reserved[i].last))
            return true;
    return false;
}
