/* SPDX-License-Identifier: MIT */
/*
 * pv_domain.h - the x86_64 PV part of struct domain (Xen: struct
 *               arch_domain's PV fields).
 * Owns:    the layout; pv/io.c fills and reads it (the port latches
 *          Xen keeps per domain).
 */
#ifndef PVISOR_PV_DOMAIN_H
#define PVISOR_PV_DOMAIN_H

#include "types.h"

struct pv_domain {
    /* The CMOS index the domain last wrote to port 0x70, as it reads it
     * back; its data accesses select index & 0x7f in the RTC first. */
    uint8_t cmos_index;
    /* The PCI CONFIG_ADDRESS the domain last wrote to port 0xcf8 (as a
     * dword), as it reads it back; its CONFIG_DATA accesses (0xcfc-0xcff)
     * load it into the real register first, and see all ones, touching
     * nothing, while its enable bit (31) is clear. */
    uint32_t pci_cf8;
};

#endif
