#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""corrupt_cpio.py - damaged initramfs archives for the bad-input boot tests.

Owns:    the damage cases below, each an archive that starts well (".",
         "bin", a small file "bin/hello") and then goes wrong.
Touches: nothing but its output file.

    corrupt_cpio.py CASE OUT

guest-kernel/kernel/cpio.c must refuse each with its reason (pvkernel
prints "initramfs: refused: REASON") and shut down in order, never read
past the archive: tests/boot/meson.build boots each on pvisor.
"""
import sys

MAGIC = b'070701'


def header(name, mode, size, namesize=None, magic=MAGIC, field=None):
    """A newc header: 13 fields of 8 hex digits after the magic."""
    name_b = name.encode() + b'\0'
    fields = [1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0,
              len(name_b) if namesize is None else namesize, 0]
    text = b''.join(b'%08x' % f for f in fields)
    if field is not None:               # a field spelled badly
        text = text[:8 * field] + b'0000000g' + text[8 * field + 8:]
    return magic + text, name_b


def pad4(b):
    return b + b'\0' * (-len(b) % 4)


def entry(name, mode, data=b'', **kw):
    hdr, name_b = header(name, mode, len(data), **kw)
    return pad4(pad4(hdr + name_b) + data)


def good_start():
    return (entry('.', 0o40755) + entry('bin', 0o40755) +
            entry('bin/hello', 0o100644, b'hello, world\n'))


def trailer():
    return entry('TRAILER!!!', 0)


def build(case):
    a = good_start()
    if case == 'bad-magic':             # an odc (070707) header midway
        hdr, name_b = header('bin/x', 0o100644, 0, magic=b'070707')
        return a + pad4(hdr + name_b) + trailer()
    if case == 'truncated-header':      # the archive ends inside a header
        return a + entry('bin/x', 0o100644, b'x')[:60]
    if case == 'name-past-end':         # namesize 256, 20 name bytes left
        hdr, _ = header('bin/x', 0o100644, 0, namesize=256)
        return a + hdr + b'bin/xxxxxxxxxxxxxxx\0'
    if case == 'huge-namesize':         # namesize 0xffffffff
        hdr, name_b = header('bin/x', 0o100644, 0, namesize=0xffffffff)
        return a + pad4(hdr + name_b) + trailer()
    if case == 'data-past-end':         # filesize 64 KiB, 16 bytes there
        hdr, name_b = header('bin/big', 0o100644, 0x10000)
        return a + pad4(hdr + name_b) + b'0123456789abcdef'
    if case == 'huge-filesize':         # filesize 0xffffffff
        hdr, name_b = header('bin/big', 0o100644, 0xffffffff)
        return a + pad4(hdr + name_b) + trailer()
    if case == 'no-trailer':            # good entries, then the end
        return a
    if case == 'not-hex':               # the file size field "0000000g"
        hdr, name_b = header('bin/x', 0o100644, 0, field=6)
        return a + pad4(hdr + name_b) + trailer()
    if case == 'name-without-nul':      # namesize counts no NUL
        hdr, _ = header('bin/x', 0o100644, 0, namesize=5)
        return a + pad4(hdr + b'bin/x') + trailer()
    if case == 'dotdot':                # a name climbing out of the root
        return a + entry('../etc/evil', 0o100644, b'x') + trailer()
    raise SystemExit('corrupt_cpio.py: unknown case ' + case)


def main():
    if len(sys.argv) != 3:
        raise SystemExit('usage: corrupt_cpio.py CASE OUT')
    with open(sys.argv[2], 'wb') as f:
        f.write(build(sys.argv[1]))


if __name__ == '__main__':
    main()
