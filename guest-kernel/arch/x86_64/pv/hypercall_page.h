/* SPDX-License-Identifier: MIT */
/*
 * pv/hypercall_page.h - geometry of the hypercall page (C and assembly).
 * Owns:    HYPERCALL_STUB_SIZE.
 * Touches: nothing.
 * ABI:     guest-abi.md 1.1: 128 stubs of 32 bytes, filled by the hypervisor.
 */
#ifndef PV_HYPERCALL_PAGE_H
#define PV_HYPERCALL_PAGE_H

#define HYPERCALL_STUB_SIZE 32

#endif /* PV_HYPERCALL_PAGE_H */
