/* SPDX-License-Identifier: MIT */
/*
 * crc.h - the CRCs the compressed-kernel formats carry (common/crc.c).
 * Owns:    declarations only.
 * Touches: nothing.
 */
#ifndef PVISOR_CRC_H
#define PVISOR_CRC_H

#include "types.h"

/*
 * CRC-32 of ISO 3309 / ITU-T V.42 (gzip's, RFC 1952 section 8; the xz
 * format's CRC32): reflected polynomial 0xEDB88320, initial value and
 * final XOR all ones. crc32(crc32(0, a), b) is the CRC of a then b.
 */
uint32_t crc32(uint32_t crc, const void *buf, size_t len);

/*
 * CRC-64 of ECMA-182 as the xz format uses it: reflected polynomial
 * 0xC96C5795D7870F42, initial value and final XOR all ones; chained as
 * crc32().
 */
uint64_t crc64(uint64_t crc, const void *buf, size_t len);

#endif
