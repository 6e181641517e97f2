/* SPDX-License-Identifier: MIT */
/*
 * bzimage.h - the kernel inside a boot module (common/bzimage.c): an ELF
 * as it is, or, as Xen 4.17 accepts them, a Linux bzImage or a bare
 * compressed image whose payload is a gzip- or xz-compressed ELF.
 * Owns:    declarations only.
 * Touches: nothing.
 */
#ifndef PVISOR_BZIMAGE_H
#define PVISOR_BZIMAGE_H

#include "types.h"

enum kernel_compression {
    KERNEL_UNCOMPRESSED,      /* an ELF, or something elf_parse() refuses */
    KERNEL_GZIP, KERNEL_XZ,   /* decompressed here                         */
    KERNEL_BZIP2, KERNEL_LZMA, KERNEL_LZO, KERNEL_LZ4, KERNEL_ZSTD,
                              /* Xen's others: refused, "unsupported"      */
};

struct kernel_payload {
    const uint8_t *data;      /* the ELF, or the compressed stream          */
    size_t len;
    enum kernel_compression compression;
    uint32_t stated_len;      /* compressed: the size its last 4 bytes say */
    uint16_t bzimage_version; /* boot protocol, 0x20f for 2.15; 0: none    */
};

/*
 * Finds the kernel in image[0, len) as Xen's bzimage_parse() does: a
 * bzImage (boot protocol "HdrS", version >= 2.08) gives its payload at
 * (setup_sects + 1) * 512 + payload_offset, payload_length bytes; any
 * other image is its own payload. A payload that starts with Xen's magic
 * of a compression is that compression; anything else is
 * KERNEL_UNCOMPRESSED, for elf_parse() to accept or refuse. Returns 0, or
 * -1 with the reason in err: a bzImage older than 2.08, a payload outside
 * the image, a compressed payload too short for its size word, a
 * compression other than gzip and xz.
 */
int kernel_payload_find(const void *image, size_t len,
                        struct kernel_payload *p, char *err, size_t errlen);

/*
 * Decompresses p (gzip or xz) into out[0, out_max), out_max being at most
 * what the caller allows (its bound against a decompression bomb). The
 * result must be exactly p->stated_len bytes. Returns 0 with the size in
 * *out_len, or -1 with the reason in err.
 */
int kernel_payload_decompress(const struct kernel_payload *p, void *out,
                              size_t out_max, size_t *out_len, char *err,
                              size_t errlen);

const char *kernel_compression_name(enum kernel_compression c);

#endif
