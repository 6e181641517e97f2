#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""compress.py - compress a file for the decompressor unit tests.

Owns:    one output file per recipe: INPUT compressed by RECIPE, with
         Python's gzip/zlib/lzma modules (liblzma and zlib, independent of
         the decompressors under test), so no compressed blob is committed.
Touches: only OUTPUT.

    compress.py INPUT RECIPE OUTPUT [RECIPE OUTPUT ...]

(several recipes in one call: Python's start-up is most of the cost.)

Recipes that zlib or liblzma cannot be asked for directly (gzip header
fields, several xz blocks, a dictionary reset inside a block, block
headers with sizes) are assembled here from raw deflate/LZMA2 streams,
following RFC 1952 and "The .xz File Format" 1.0.4.
"""
import gzip
import lzma
import struct
import sys
import zlib

LZMA2 = {'id': lzma.FILTER_LZMA2, 'preset': 6}
X86 = {'id': lzma.FILTER_X86}


def deflate_raw(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return c.compress(data) + c.flush()


def gzip_member(data, body, flags=0, extra=b'', magic=b'\x1f\x8b'):
    """A gzip member around a raw deflate body, with optional fields."""
    head = magic + bytes([8, flags]) + struct.pack('<I', 0) + b'\x00\x03'
    if flags & 0x04:
        head += struct.pack('<H', len(extra)) + extra
    if flags & 0x08:
        head += b'vmlinux\x00'
    if flags & 0x10:
        head += b'a comment\x00'
    if flags & 0x02:
        head += struct.pack('<H', zlib.crc32(head) & 0xffff)
    return head + body + struct.pack('<II', zlib.crc32(data),
                                     len(data) & 0xffffffff)


def varint(n):
    out = b''
    while n >= 0x80:
        out += bytes([(n & 0x7f) | 0x80])
        n >>= 7
    return out + bytes([n])


def pad4(b):
    return b + b'\x00' * (-len(b) % 4)


def lzma2_raw(data):
    """Raw LZMA2 chunks ending with the end marker (control 0)."""
    return lzma.compress(data, format=lzma.FORMAT_RAW, filters=[LZMA2])


def xz_block(data, lzma2, sizes=False):
    """One block (header, LZMA2 data, padding, CRC32); its index record."""
    flags = 0x00
    fields = b''
    if sizes:
        flags |= 0xc0
        fields = varint(len(lzma2)) + varint(len(data))
    filt = varint(0x21) + varint(1) + bytes([22])     # LZMA2, 8 MiB dict
    body = bytes([flags]) + fields + filt
    size = (len(body) + 1 + 4 + 3) // 4 * 4
    header = bytes([size // 4 - 1]) + body
    header += b'\x00' * (size - 4 - len(header))
    header += struct.pack('<I', zlib.crc32(header))
    block = pad4(header + lzma2) + struct.pack('<I', zlib.crc32(data))
    unpadded = len(header) + len(lzma2) + 4
    return block, (unpadded, len(data))


def xz_stream(blocks):
    """Stream header (check CRC32), blocks, index, footer."""
    flags = b'\x00\x01'
    head = b'\xfd7zXZ\x00' + flags + struct.pack('<I', zlib.crc32(flags))
    index = b'\x00' + varint(len(blocks))
    for _, (unpadded, unc) in blocks:
        index += varint(unpadded) + varint(unc)
    index = pad4(index)
    index += struct.pack('<I', zlib.crc32(index))
    back = struct.pack('<I', len(index) // 4 - 1) + flags
    foot = struct.pack('<I', zlib.crc32(back)) + back + b'YZ'
    return head + b''.join(b for b, _ in blocks) + index + foot


def xz_dict_reset(data):
    """One block whose LZMA2 data restarts (dictionary reset) half way."""
    half = len(data) // 2
    lz = lzma2_raw(data[:half])[:-1] + lzma2_raw(data[half:])
    return xz_stream([xz_block(data, lz)])


def xz_blocks(data, n=3, sizes=False):
    step = max(1, -(-len(data) // n))
    parts = [data[i:i + step] for i in range(0, len(data), step)] or [b'']
    return xz_stream([xz_block(p, lzma2_raw(p), sizes) for p in parts])


def xz(data, check, filters=(LZMA2,)):
    return lzma.compress(data, format=lzma.FORMAT_XZ, check=check,
                         filters=list(filters))


RECIPES = {
    'gzip': lambda d: gzip.compress(d, 9),
    'gzip-stored': lambda d: gzip_member(d, deflate_raw(d, 0)),
    'gzip-fixed': lambda d: gzip_member(d, deflate_raw(d, 9, zlib.Z_FIXED)),
    'gzip-dynamic': lambda d: gzip_member(d, deflate_raw(d, 9)),
    'gzip-huffman-only': lambda d: gzip_member(
        d, deflate_raw(d, 9, zlib.Z_HUFFMAN_ONLY)),
    'gzip-fields': lambda d: gzip_member(d, deflate_raw(d), 0x1e,
                                         b'AP\x02\x00hi'),
    'gzip-old-magic': lambda d: gzip_member(d, deflate_raw(d),
                                            magic=b'\x1f\x9e'),
    'xz-crc32': lambda d: xz(d, lzma.CHECK_CRC32),
    'xz-crc64': lambda d: xz(d, lzma.CHECK_CRC64),
    'xz-none': lambda d: xz(d, lzma.CHECK_NONE),
    'xz-sha256': lambda d: xz(d, lzma.CHECK_SHA256),
    # What Linux's scripts/xz_wrap.sh writes for x86 kernels.
    'xz-x86': lambda d: xz(d, lzma.CHECK_CRC32, (X86, LZMA2)),
    'xz-x86-offset': lambda d: xz(d, lzma.CHECK_CRC64, (
        {'id': lzma.FILTER_X86, 'start_offset': 0x1000}, LZMA2)),
    'xz-lc0-lp4-pb0': lambda d: xz(d, lzma.CHECK_CRC32, (
        {'id': lzma.FILTER_LZMA2, 'lc': 0, 'lp': 4, 'pb': 0},)),
    'xz-blocks': xz_blocks,
    'xz-blocks-sizes': lambda d: xz_blocks(d, 2, True),
    'xz-dict-reset': xz_dict_reset,
}


def main():
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    for recipe, dst in zip(sys.argv[2::2], sys.argv[3::2]):
        with open(dst, 'wb') as f:
            f.write(RECIPES[recipe](data))


if __name__ == '__main__':
    main()
