/* SPDX-License-Identifier: MIT */
/*
 * inflate.h - gzip (RFC 1952) and deflate (RFC 1951) decompression
 * (common/inflate.c), for compressed kernel images.
 * Owns:    declarations only.
 * Touches: nothing.
 */
#ifndef PVISOR_INFLATE_H
#define PVISOR_INFLATE_H

#include "types.h"

/*
 * Decompress the gzip member at in[0, in_len) into out[0, out_max).
 * Returns 0 with the decompressed size in *out_len, or -1 with the reason
 * in err (NUL-terminated when errlen > 0): a bad header, a corrupt or
 * truncated stream, a CRC-32 or size that does not match the data, or
 * more output than out_max (the caller's bound against a decompression
 * bomb). Bytes after the member are ignored. Never reads or writes outside
 * the two buffers, whatever the input. Not reentrant (one static state:
 * boot-time use on one CPU).
 */
int gunzip(const void *in, size_t in_len, void *out, size_t out_max,
           size_t *out_len, char *err, size_t errlen);

#endif
