/* SPDX-License-Identifier: MIT */
/*
 * compiler.h - included first into every hypervisor C file (meson adds
 * -include). The image is compiled -fpie so code runs at its high link
 * address with RIP-relative references; declaring every symbol hidden
 * keeps the compiler from going through a GOT, which a static image has
 * no use for.
 */
#pragma GCC visibility push(hidden)
