/* SPDX-License-Identifier: MIT */
/*
 * crc.c - CRC-32 and CRC-64 for the kernel-image decompressors (inflate.c
 *         checks gzip's CRC-32, unxz.c the xz format's CRC-32 and CRC-64).
 * Owns:    two lookup tables, filled on first use.
 * Touches: nothing else.
 * Trusts:  its callers' buffers.
 *
 * Byte-at-a-time tables: a bit-at-a-time CRC would cost eight steps per
 * byte, which over a 60 MiB kernel under an emulator is seconds. The
 * tables are filled at the first call rather than written out, so the
 * polynomial is the only constant to check. Boot-time only (one CPU): the
 * lazy fill needs no lock.
 */
#include "crc.h"

#define CRC32_POLY 0xEDB88320u                 /* reflected 0x04C11DB7 */
#define CRC64_POLY 0xC96C5795D7870F42ull       /* reflected ECMA-182   */

static uint32_t crc32_table[256];
static uint64_t crc64_table[256];

static void fill_tables(void)
{
    for (unsigned int i = 0; i < 256; i++) {
        uint32_t c32 = i;
        uint64_t c64 = i;

        for (unsigned int bit = 0; bit < 8; bit++) {
            c32 = (c32 >> 1) ^ ((c32 & 1) ? CRC32_POLY : 0);
            c64 = (c64 >> 1) ^ ((c64 & 1) ? CRC64_POLY : 0);
        }
        crc32_table[i] = c32;
        crc64_table[i] = c64;
    }
}

uint32_t crc32(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (crc32_table[1] == 0)
        fill_tables();
    crc = ~crc;
    while (len--)
        crc = crc32_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

uint64_t crc64(uint64_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (crc64_table[1] == 0)
        fill_tables();
    crc = ~crc;
    while (len--)
        crc = crc64_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
