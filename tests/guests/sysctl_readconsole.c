/* SPDX-License-Identifier: MIT */
/*
 * sysctl_readconsole - XEN_SYSCTL_readconsole, the hypervisor's log ring:
 * a whole read, the same read in small pieces (incremental, from the index
 * each piece returns), an index older than the ring or past its end,
 * a zero-sized buffer, bad buffers, and clear.
 * Rule (Xen's read_console_ring()): the ring holds [cons, prod) of two
 * running byte counts; a read copies from cons (or from index, if
 * incremental and index is in (cons, prod]) up to count bytes, and writes
 * back count = bytes copied and index = where it stopped; clear moves cons
 * there. dom0's own console_io writes are not in it (console_to_ring off).
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, loglvl=all): see the
 * printed figures; every case below answered as written. The boot log
 * more than fills the ring on Xen (16 KiB); on pvisor it may not, so the
 * test takes the ring's size from what a whole read returns.
 */
#define __XEN_TOOLS__
#include "hostile.h"
#include <xen/sysctl.h>

#define E(x) (-XEN_##x)

static long hg_sysctl(void *op)
{
    return hypercall5(__HYPERVISOR_sysctl, (unsigned long)op, 0, 0, 0, 0);
}

/* One readconsole; the answer in *count and *index. */
static long readcon(struct xen_sysctl *op, void *buf, uint32_t count, bool incremental,
                    uint32_t index, bool clear)
{
    memset(op, 0, sizeof(*op));
    op->cmd = XEN_SYSCTL_readconsole;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    op->u.readconsole.clear = clear;
    op->u.readconsole.incremental = incremental;
    op->u.readconsole.index = index;
    op->u.readconsole.count = count;
    set_xen_guest_handle(op->u.readconsole.buffer, buf);
    return hg_sysctl(op);
}

static bool contains(const char *buf, size_t n, const char *s)
{
    size_t l = strlen(s);

    for (size_t i = 0; i + l <= n; i++)
        if (!memcmp(buf + i, s, l))
            return true;
    return false;
}

const char *hostile_sysctl_readconsole(void)
{
    static struct hg_cases c;
    static char whole[PAGE_SIZE], piece[PAGE_SIZE];
    static const char marker[] = "sysctl_readconsole marker: dom0 console_io\n";
    struct xen_sysctl *op = hg_page(2);
    uint32_t start, end, n, idx, got;
    long rc;

    /* The first page of the ring from its oldest byte. */
    hg_case(&c, "read 4096 from the start",
            readcon(op, whole, sizeof(whole), false, 0, false), 0);
    n = op->u.readconsole.count;
    end = op->u.readconsole.index;
    start = end - n;
    printk("hostile:   (first read: %u bytes, index %u)\n", n, end);
    hg_case(&c, "  some bytes", n > 0, 1);
    hg_case(&c, "  clear, incremental, pads kept",
            op->u.readconsole.clear | op->u.readconsole.incremental |
            op->u.readconsole.pad0 | op->u.readconsole.pad1, 0);

    /* The same bytes in pieces of 100, each from the last index. */
    idx = start;
    got = 0;
    while (got < n) {
        uint32_t want = n - got < 100 ? n - got : 100;

        rc = readcon(op, piece + got, want, true, idx, false);
        if (rc || op->u.readconsole.count != want || op->u.readconsole.index != idx + want) {
            hg_case(&c, "incremental piece", rc ? rc : (long)op->u.readconsole.count, want);
            break;
        }
        idx += want;
        got += want;
    }
    hg_case(&c, "pieces of 100 from each index == the whole read",
            got == n && !memcmp(piece, whole, n), 1);

    /* Index out of (cons, prod]: from the oldest byte, as no index. */
    hg_case(&c, "incremental from index cons - 1", readcon(op, piece, 64, true, start - 1, false), 0);
    hg_case(&c, "  from the start", op->u.readconsole.index == start + 64 &&
            !memcmp(piece, whole, 64), 1);
    hg_case(&c, "incremental from index start", readcon(op, piece, 64, true, start, false), 0);
    hg_case(&c, "  from the start", op->u.readconsole.index, start + 64);
    hg_case(&c, "incremental from index start + 5", readcon(op, piece, 64, true, start + 5, false), 0);
    hg_case(&c, "  from start + 5", op->u.readconsole.index == start + 69 &&
            !memcmp(piece, whole + 5, 64), 1);

    /* Everything to the end: pages until a short one. */
    idx = start;
    do {
        rc = readcon(op, piece, sizeof(piece), true, idx, false);
        idx = op->u.readconsole.index;
    } while (!rc && op->u.readconsole.count == sizeof(piece));
    hg_case(&c, "read to the end", rc, 0);
    end = idx;
    printk("hostile:   (ring: index %u to %u, %u bytes)\n", start, end, end - start);
    hg_case(&c, "incremental from the end", readcon(op, piece, 64, true, end, false), 0);
    hg_case(&c, "  0 bytes", op->u.readconsole.count, 0);
    hg_case(&c, "  index stays", op->u.readconsole.index, end);
    hg_case(&c, "incremental from end + 1 (past prod)", readcon(op, piece, 64, true, end + 1, false), 0);
    hg_case(&c, "  from the start", op->u.readconsole.index, start + 64);

    /* Zero-sized and bad buffers. */
    hg_case(&c, "count 0", readcon(op, piece, 0, false, 0, false), 0);
    hg_case(&c, "  0 bytes, index at the start", op->u.readconsole.count == 0 &&
            op->u.readconsole.index == start, 1);
    hg_case(&c, "count 0, buffer NULL", readcon(op, NULL, 0, false, 0, false), 0);
    hg_case(&c, "count 64, buffer NULL", readcon(op, NULL, 64, false, 0, false), E(EFAULT));
    hg_case(&c, "  count not written", op->u.readconsole.count, 64);
    hg_case(&c, "count 64, buffer in Xen's range",
            readcon(op, HG_XEN_PTR, 64, false, 0, false), E(EFAULT));
    hg_case(&c, "count 64, buffer unmapped",
            readcon(op, HG_BAD_PTR, 64, false, 0, false), E(EFAULT));

    /* dom0's own console output does not go into the ring. */
    HYPERVISOR_console_io(CONSOLEIO_write, sizeof(marker) - 1, (char *)marker);
    idx = end;
    rc = readcon(op, piece, sizeof(piece), true, idx, false);
    hg_case(&c, "read after dom0's console_io write", rc, 0);
    hg_case(&c, "  dom0's line not in the ring",
            contains(piece, op->u.readconsole.count, "sysctl_readconsole marker"), 0);

    /* clear: the next read from the start finds only what came since. */
    do {
        rc = readcon(op, piece, sizeof(piece), false, 0, true);
    } while (!rc && op->u.readconsole.count == sizeof(piece));
    hg_case(&c, "read and clear, to the end", rc, 0);
    end = op->u.readconsole.index;
    hg_case(&c, "read from the start after clear", readcon(op, piece, sizeof(piece), false, 0, false), 0);
    printk("hostile:   (after clear: %u bytes, index %u; cleared at %u)\n",
           op->u.readconsole.count, op->u.readconsole.index, end);
    hg_case(&c, "  nothing older than the clear", op->u.readconsole.index - op->u.readconsole.count >= end, 1);
    hg_case(&c, "incremental from the old start after clear",
            readcon(op, piece, 64, true, start + 5, false), 0);
    hg_case(&c, "  from the clear point, not start + 5",
            op->u.readconsole.index - op->u.readconsole.count, end);
    return hg_cases_verdict(&c);
}
