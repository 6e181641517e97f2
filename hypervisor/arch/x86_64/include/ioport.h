/* SPDX-License-Identifier: MIT */
/*
 * ioport.h - the x86 I/O ports the hypervisor keeps for itself, and the
 *            legacy PC ports more than one file names.
 * Owns:    the declarations of arch/x86_64/ioport.c; the CMOS/RTC ports.
 * Touches: nothing.
 */
#ifndef PVISOR_IOPORT_H
#define PVISOR_IOPORT_H

#include "types.h"

#define IOPORT_COUNT 0x10000u     /* ports 0..0xffff                     */

/* The CMOS RTC: time.c reads the clock at boot; dom0 uses it after. */
#define CMOS_INDEX   0x70         /* bit 7 set: NMIs disabled            */
#define CMOS_DATA    0x71
#define CMOS_NMI_OFF 0x80

/*
 * Keep ports first..last (inclusive) for the hypervisor: no guest reads or
 * writes them (pv/io.c). Called by each driver at its initialisation,
 * with its name for the log; at most IOPORT_RESERVED_MAX ranges.
 */
void ioport_reserve(uint16_t first, uint16_t last, const char *owner);
/* Does [port, port + bytes) touch a reserved port (or pass 0xffff)? */
bool ioport_reserved(unsigned int port, unsigned int bytes);

#endif
