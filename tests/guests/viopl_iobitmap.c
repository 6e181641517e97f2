/* SPDX-License-Identifier: MIT */
/*
 * viopl_iobitmap - PHYSDEVOP_set_iobitmap: with vIOPL 0, the I/O bitmap
 * a kernel registers lets its port I/O through (never its cli); bad
 * bitmaps and counts.
 * Rule: an access to [port, port + n) passes if port + n <= nr_ports and
 * every bit for it in the bitmap (TSS-style, 1 = refused) is clear; the
 * bitmap is read when used, and a byte of it that cannot be read refuses.
 * Only where the bitmap starts is checked when it is set.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU; arch/x86/physdev.c,
 * arch/x86/pv/emul-priv-op.c guest_io_okay()):
 *  - bits clear for 0x81, 0x82, nr_ports 0x100: inb 0x81, inw 0x81,
 *    inb 0x82 run; inb 0x80, inb 0x83 #GP(0); cli #GP(0) still;
 *  - nr_ports 0x82: inb 0x81 runs, inw 0x81 (reaches 0x82) #GP(0);
 *  - nr_ports 65536 0; 65537, 0xffffffff -EINVAL;
 *  - bitmap at 2^47, 0xffff800000000000, in Xen's range
 *    (0xffff830000000000), 0xffff87fffffff000, non-canonical
 *    0x8000000000000000: -EINVAL; at 0x7ffffffff000 or 0x7fffffffffff
 *    (its 8 KiB run past 2^47), 0xffff880000000000 (Xen's range ends
 *    there), unmapped, the last 16 bytes of a page: 0;
 *  - an unmapped bitmap refuses (#GP(0)); NULL argument -EFAULT;
 *    nr_ports 0 with a NULL bitmap turns it off: 0x81 #GP(0) again.
 */
#include "hostile_viopl.h"

#define E(x) (-XEN_##x)

static void set_bit_clear(uint8_t *bm, unsigned int port)
{
    bm[port / 8] &= (uint8_t)~(1u << (port % 8));
}

static void use_cases(struct hg_cases *c, uint8_t *bm)
{
    uint64_t a = 0;

    memset(bm, 0xff, PAGE_SIZE);
    set_bit_clear(bm, 0x81);
    set_bit_clear(bm, 0x82);
    hg_case(c, "bitmap 0x81, 0x82 of 0x100", vio_set_iobitmap(bm, 0x100), 0);
    hg_case(c, "  inb 0x81", vio_in(0x81, 1, &a), VIO_RAN);
    hg_case(c, "  inw 0x81", vio_in(0x81, 2, &a), VIO_RAN);
    hg_case(c, "  inb $0x82", VIO_IO("inb $0x82, %%al", 0, a), VIO_RAN);
    hg_case(c, "  inb 0x80", vio_in(0x80, 1, &a), VIO_GP0);
    hg_case(c, "  inb 0x83", vio_in(0x83, 1, &a), VIO_GP0);
    hg_case(c, "  inl 0x81", vio_in(0x81, 4, &a), VIO_GP0);
    hg_case(c, "  cli", VIO_TRY("cli"), VIO_GP0);
    hg_case(c, "  sti", VIO_TRY("sti"), VIO_GP0);
    hg_case(c, "bitmap of 0x82 ports", vio_set_iobitmap(bm, 0x82), 0);
    hg_case(c, "  inb 0x81", vio_in(0x81, 1, &a), VIO_RAN);
    hg_case(c, "  inw 0x81 (to 0x82)", vio_in(0x81, 2, &a), VIO_GP0);
    hg_case(c, "bitmap, unmapped", vio_set_iobitmap(HG_BAD_PTR, 0x100), 0);
    hg_case(c, "  inb 0x81", vio_in(0x81, 1, &a), VIO_GP0);
    hg_case(c, "bitmap off", vio_set_iobitmap(NULL, 0), 0);
    hg_case(c, "  inb 0x81", vio_in(0x81, 1, &a), VIO_GP0);
}

static void argument_cases(struct hg_cases *c, uint8_t *bm)
{
    static const struct { const char *what; uint64_t va; long want; } starts[] = {
        { "2^47",                  0x0000800000000000UL, E(EINVAL) },
        { "0xffff800000000000",    0xffff800000000000UL, E(EINVAL) },
        { "Xen's range",           0xffff830000000000UL, E(EINVAL) },
        { "0xffff87fffffff000",    0xffff87fffffff000UL, E(EINVAL) },
        { "non-canonical",         0x8000000000000000UL, E(EINVAL) },
        { "0x7ffffffff000",        0x00007ffffffff000UL, 0 },
        { "0x7fffffffffff",        0x00007fffffffffffUL, 0 },
        { "0xffff880000000000",    0xffff880000000000UL, 0 },
    };
    char l[64];

    hg_case(c, "nr_ports 65536", vio_set_iobitmap(bm, 65536), 0);
    hg_case(c, "nr_ports 65537", vio_set_iobitmap(bm, 65537), E(EINVAL));
    hg_case(c, "nr_ports 0xffffffff", vio_set_iobitmap(bm, 0xffffffffu), E(EINVAL));
    for (unsigned int i = 0; i < ARRAY_SIZE(starts); i++) {
        snprintf(l, sizeof(l), "bitmap at %s", starts[i].what);
        hg_case(c, l, vio_set_iobitmap((const void *)starts[i].va, 16), starts[i].want);
    }
    hg_case(c, "bitmap at a page's last 16 bytes",
            vio_set_iobitmap(bm + PAGE_SIZE - 16, 0x100), 0);
    hg_case(c, "NULL argument", vio_physdev(PHYSDEVOP_set_iobitmap, NULL), E(EFAULT));
    hg_case(c, "unmapped argument", vio_physdev(PHYSDEVOP_set_iobitmap, HG_BAD_PTR),
            E(EFAULT));
    hg_case(c, "bitmap off", vio_set_iobitmap(NULL, 0), 0);
}

const char *hostile_viopl_iobitmap(void)
{
    struct hg_cases c = { 0 };
    uint8_t *bm = hg_page(6);

    hg_case(&c, "vIOPL 0", vio_set_iopl(0), 0);
    use_cases(&c, bm);
    argument_cases(&c, bm);
    return hg_cases_verdict(&c);
}
