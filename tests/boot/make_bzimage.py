#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make_bzimage.py - wrap an ELF kernel as a Linux bzImage, good or bad.

Owns:    one output file per call: a bzImage-shaped file whose setup
         header has the fields a loader reads (setup_sects, "HdrS", the
         boot protocol version, payload_offset, payload_length; the rest
         zero) around the ELF compressed as Linux's build compresses it
         (gzip -9; or xz with the x86 BCJ filter and CRC32, as
         scripts/xz_wrap.sh, then the decompressed size appended LE32), or
         a deliberately broken variant for the refusal tests
         (tests/boot/meson.build).
Touches: only the output file.
"""
import argparse
import bz2
import gzip
import lzma
import struct

SETUP_SECTS = 4                   # setup code: 5 sectors of 512 bytes
PAYLOAD_GAP = 0x2cc               # payload_offset, as Debian's kernel has
BOMB_SIZE = 64 << 20              # zeros: more than a 32 MiB domU


def compress(kind, data):
    """The payload as Linux builds it for this compression."""
    if kind == 'gzip':
        return gzip.compress(data, 9, mtime=0)  # its trailer ends in ISIZE
    if kind == 'xz':
        z = lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32,
                          filters=[{'id': lzma.FILTER_X86},
                                   {'id': lzma.FILTER_LZMA2, 'preset': 6}])
        return z + struct.pack('<I', len(data))
    if kind == 'bzip2':
        return bz2.compress(data) + struct.pack('<I', len(data))
    return data


def damage(payload, how):
    """One defect; the size word stays the last 4 bytes where it matters."""
    if how == 'truncated-stream':     # half the stream, then its size word
        return payload[:len(payload) // 2] + payload[-4:]
    if how == 'corrupt-crc':          # gzip: a bit of the trailer's CRC-32
        p = bytearray(payload)
        p[-8] ^= 0x01
        return bytes(p)
    if how == 'lying-size':           # claims 4 KiB, inflates to far more
        return payload[:-4] + struct.pack('<I', 4096)
    if how == 'huge-claim':           # claims 1 GiB (a gzip ISIZE, too)
        return payload[:-4] + struct.pack('<I', 1 << 30)
    return payload


def bzimage(payload, version):
    setup = bytearray((SETUP_SECTS + 1) * 512 + PAYLOAD_GAP)
    setup[0x1f1] = SETUP_SECTS
    setup[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', setup, 0x206, version)
    struct.pack_into('<II', setup, 0x248, PAYLOAD_GAP, len(payload))
    return bytes(setup) + payload


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('elf', help='the kernel to wrap')
    ap.add_argument('output')
    ap.add_argument('--compress', choices=['gzip', 'xz', 'bzip2', 'none'],
                    default='gzip')
    ap.add_argument('--version', type=lambda s: int(s, 0), default=0x20f,
                    help='boot protocol version (0x20f: 2.15)')
    ap.add_argument('--damage', choices=['truncated-stream', 'corrupt-crc',
                                         'lying-size', 'huge-claim'])
    ap.add_argument('--bomb', action='store_true',
                    help='compress %d MiB of zeros, not the ELF' %
                    (BOMB_SIZE >> 20))
    ap.add_argument('--cut', type=int, default=0,
                    help='drop this many bytes off the end of the file')
    a = ap.parse_args()

    with open(a.elf, 'rb') as f:
        data = f.read()
    if a.bomb:
        data = bytes(BOMB_SIZE)
    image = bzimage(damage(compress(a.compress, data), a.damage), a.version)
    if a.cut:
        image = image[:-a.cut]
    with open(a.output, 'wb') as f:
        f.write(image)


if __name__ == '__main__':
    main()
