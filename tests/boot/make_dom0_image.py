#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make_dom0_image.py - write a small, deliberately malformed dom0 image.

Owns:    one ELF64 x86-64 file per call: a PT_NOTE with the Xen notes a
         PV kernel needs (GUEST_OS, LOADER, XEN_VERSION, VIRT_BASE,
         PADDR_OFFSET, ENTRY, optionally HYPERCALL_PAGE) and one PT_LOAD
         of one page of `ud2` whose paddr and memory size are given, so a
         boot test can hand the hypervisor a hostile layout and assert that
         it is refused with its reason (tests/boot/meson.build).
Touches: only the output file.
"""
import argparse
import struct

PT_LOAD, PT_NOTE = 1, 4
NOTE_OFF, LOAD_OFF, PAGE = 0x200, 0x1000, 0x1000
XEN_NOTES = {'ENTRY': 1, 'HYPERCALL_PAGE': 2, 'VIRT_BASE': 3,
             'PADDR_OFFSET': 4, 'XEN_VERSION': 5, 'GUEST_OS': 6,
             'LOADER': 8}


def note(kind, desc):
    name = b'Xen\0'
    pad = b'\0' * (-len(desc) % 4)
    return struct.pack('<III', len(name), len(desc), XEN_NOTES[kind]) + \
        name + desc + pad


def number(text):
    return int(text, 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--virt-base', type=number, required=True)
    ap.add_argument('--paddr', type=number, default=0)
    ap.add_argument('--memsz', type=number, default=PAGE)
    ap.add_argument('--entry', type=number, help='default: the first byte')
    ap.add_argument('--hypercall-page', type=number)
    ap.add_argument('output')
    a = ap.parse_args()
    entry = a.virt_base + a.paddr if a.entry is None else a.entry

    notes = note('GUEST_OS', b'hostile\0') + note('LOADER', b'generic\0') + \
        note('XEN_VERSION', b'xen-3.0\0') + \
        note('VIRT_BASE', struct.pack('<Q', a.virt_base)) + \
        note('PADDR_OFFSET', struct.pack('<Q', 0)) + \
        note('ENTRY', struct.pack('<Q', entry))
    if a.hypercall_page is not None:
        notes += note('HYPERCALL_PAGE', struct.pack('<Q', a.hypercall_page))
    assert NOTE_OFF + len(notes) <= LOAD_OFF

    ehdr = b'\x7fELF' + bytes([2, 1, 1]) + b'\0' * 9 + struct.pack(
        '<HHIQQQIHHHHHH', 2, 62, 1, entry, 64, 0, 0, 64, 56, 2, 64, 0, 0)
    load = struct.pack('<IIQQQQQQ', PT_LOAD, 7, LOAD_OFF, a.paddr, a.paddr,
                       PAGE, a.memsz, PAGE)
    pnote = struct.pack('<IIQQQQQQ', PT_NOTE, 4, NOTE_OFF, 0, 0, len(notes),
                        0, 4)
    image = bytearray(LOAD_OFF + PAGE)
    image[0:64 + 2 * 56] = ehdr + load + pnote
    image[NOTE_OFF:NOTE_OFF + len(notes)] = notes
    image[LOAD_OFF:] = b'\x0f\x0b' * (PAGE // 2)          # ud2
    with open(a.output, 'wb') as f:
        f.write(image)


if __name__ == '__main__':
    main()
