#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkiso.sh - build the GRUB (BIOS) rescue ISO that boots pvisor by Multiboot2.
#
# Usage: mkiso.sh OUT.iso STAGING_DIR GRUB_PLATFORM_DIR grub.cfg HYPERVISOR DOM0
#
# Called by tools/iso/meson.build. Stages boot/grub/grub.cfg, boot/pvisor.elf
# and boot/pvkernel.elf under STAGING_DIR and runs grub-mkrescue on it, for
# i386-pc only (-d): no EFI image, so mtools is not needed. Only the GRUB
# modules that grub.cfg uses are installed (grub-mkrescue adds what they
# depend on), and no fonts, locales or themes: the ISO stays under 1 MB and
# builds in a fraction of a second. grub-mkrescue needs xorriso on PATH and a
# writable TMPDIR, nothing interactive. Its chatter is shown only on failure.
set -euo pipefail

if (($# != 6)); then
    echo "usage: $0 OUT.iso STAGING_DIR GRUB_PLATFORM_DIR grub.cfg HYPERVISOR DOM0" >&2
    exit 2
fi
out=$1 stage=$2 platform=$3 cfg=$4 hypervisor=$5 dom0=$6

# multiboot2/module2 and boot come from multiboot2 (and its dependencies);
# normal reads grub.cfg; serial and terminfo drive COM1.
modules="normal multiboot2 serial terminfo"

rm -rf "$stage"
mkdir -p "$stage/iso/boot/grub"
cp "$cfg" "$stage/iso/boot/grub/grub.cfg"
cp "$hypervisor" "$stage/iso/boot/pvisor.elf"
cp "$dom0" "$stage/iso/boot/pvkernel.elf"

rm -f "$out"
if ! grub-mkrescue -d "$platform" --compress=no \
        --fonts= --locales= --themes= \
        --install-modules="$modules" \
        -o "$out" "$stage/iso" >"$stage/grub-mkrescue.log" 2>&1 </dev/null; then
    cat "$stage/grub-mkrescue.log" >&2
    echo "mkiso.sh: grub-mkrescue failed (log above)" >&2
    rm -f "$out"
    exit 1
fi
