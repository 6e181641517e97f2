#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""unterminate_features.py - copy a PV kernel with its FEATURES note's NUL gone.

Owns:    one output file: the input ELF with its Xen FEATURES note
         (XEN_ELFNOTE_FEATURES, 10) rewritten in place so that the string
         is not NUL-terminated inside its descsz, the NUL only in the
         note's padding, as in Linux's own kernels (descsz 41 for
         "!writable_page_tables|pae_pgdir_above_4gb"). Our kernel's
         "dom0\\0" (descsz 5) becomes "!dom0" (descsz 5, padding 3 NULs):
         dom0 is then also a required feature, which pvisor and Xen have.
Touches: only the output file.
"""
import struct
import sys

PT_NOTE, XEN_ELFNOTE_FEATURES = 4, 10


def notes(image):
    """(offset of desc, descsz, type, name) for every PT_NOTE note."""
    phoff, = struct.unpack_from('<Q', image, 32)
    phentsize, phnum = struct.unpack_from('<HH', image, 54)
    for i in range(phnum):
        ptype, _, off, _, _, filesz = struct.unpack_from(
            '<IIQQQQ', image, phoff + i * phentsize)
        if ptype != PT_NOTE:
            continue
        pos, end = off, off + filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from('<III', image, pos)
            name = image[pos + 12:pos + 12 + namesz]
            desc = pos + 12 + (namesz + 3) // 4 * 4
            yield desc, descsz, ntype, name
            pos = desc + (descsz + 3) // 4 * 4


def main():
    src, dst = sys.argv[1:3]
    image = bytearray(open(src, 'rb').read())
    for desc, descsz, ntype, name in notes(image):
        if name == b'Xen\0' and ntype == XEN_ELFNOTE_FEATURES:
            assert image[desc:desc + descsz] == b'dom0\0', 'not our kernel'
            image[desc:desc + descsz] = b'!dom0'
            assert image[desc + descsz] == 0, 'no NUL in the padding'
            break
    else:
        sys.exit('%s: no Xen FEATURES note' % src)
    open(dst, 'wb').write(image)


if __name__ == '__main__':
    main()
