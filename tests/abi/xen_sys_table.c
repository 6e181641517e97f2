/* SPDX-License-Identifier: MIT */
/*
 * xen_sys_table.c - the items of xen_sys_items.def as one side sees them:
 * built twice by meson, against our abi/xen/sys/ headers (XEN_SYS_OURS,
 * freestanding) and against Debian's <xen/sys/...h> (libxen-dev, with
 * <linux/ioctl.h> and <linux/types.h> from linux-libc-dev), as the table
 * named XEN_SYS_TABLE.  test_xen_sys.c compares the two.
 */
#include <stddef.h>
#include "xen_sys_table.h"

#ifdef XEN_SYS_OURS
#include <xen/sys/privcmd.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>
#else
#include <stdint.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#include <xen/xen.h>
#include <xen/sys/privcmd.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>
#endif

#define IOCTL(n)        { "ioctl " #n, (unsigned long)(n) },
#define SIZE(t)         { "sizeof(" #t ")", sizeof(t) },
#define OFFSET(t, f)    { "offsetof(" #t ", " #f ")", offsetof(t, f) },
#define VALUE(n, e)     { #n, (unsigned long)(e) },
const struct xen_sys_item XEN_SYS_TABLE[] = {
#include "xen_sys_items.def"
    { NULL, 0 }
};
