/* SPDX-License-Identifier: MIT */
/*
 * test_xen_sys.c - abi-xen-sys: our abi/xen/sys/ headers (the privcmd,
 * evtchn and gntdev devices' ioctls) against Debian's <xen/sys/...h>:
 * every ioctl number, struct size and field offset of
 * xen_sys_items.def must be equal on both sides.  Prints each item with
 * the two values; exits 1 on any difference.
 */
#include <stdio.h>
#include <string.h>
#include "xen_sys_table.h"

int main(void)
{
    int n = 0, bad = 0;

    for (; xen_sys_ours[n].name; n++) {
        const struct xen_sys_item *o = &xen_sys_ours[n], *d = &xen_sys_debian[n];
        int same = d->name && !strcmp(o->name, d->name) && o->value == d->value;

        printf("%s %s: ours %#lx, Debian's %#lx\n", same ? "ok  " : "FAIL", o->name,
               o->value, d->name ? d->value : 0);
        bad += !same;
    }
    printf("abi-xen-sys: %d items, %d different\n", n, bad);
    return bad ? 1 : 0;
}
