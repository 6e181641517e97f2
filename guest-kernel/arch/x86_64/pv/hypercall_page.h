/* SPDX-License-Identifier: MIT */
/*
 * pv/hypercall_page.h - geometry of the hypercall page (C and assembly).
 * Owns:    HYPERCALL_STUB_SIZE.
 * Touches: nothing.
 * ABI:     128 stubs of 32 bytes, filled by the hypervisor (docs/abi/
 *          hypercalls.md, "Calling convention and the hypercall page").
 */
#ifndef PV_HYPERCALL_PAGE_H
#define PV_HYPERCALL_PAGE_H

#define HYPERCALL_STUB_SIZE 32

#endif /* PV_HYPERCALL_PAGE_H */
