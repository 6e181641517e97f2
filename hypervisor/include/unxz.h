/* SPDX-License-Identifier: MIT */
/*
 * unxz.h - .xz decompression (common/unxz.c): LZMA2 with an optional x86
 * BCJ filter, the kinds of stream Linux's xz_wrap.sh writes for x86
 * kernels.
 * Owns:    declarations only.
 * Touches: nothing.
 */
#ifndef PVISOR_UNXZ_H
#define PVISOR_UNXZ_H

#include "types.h"

/*
 * Decompress the .xz stream at in[0, in_len) into out[0, out_max).
 * Returns 0 with the decompressed size in *out_len and the stream's size
 * in *in_used (bytes after it, such as the size Linux appends, are not
 * read), or -1 with the reason in err (NUL-terminated when errlen > 0):
 * a bad header, index or footer, an unsupported filter or check, corrupt
 * or truncated data, a CRC that does not match, or more output than
 * out_max. Never reads or writes outside the two buffers. Not reentrant
 * (one static state: boot-time use on one CPU).
 */
int unxz(const void *in, size_t in_len, void *out, size_t out_max,
         size_t *out_len, size_t *in_used, char *err, size_t errlen);

#endif
