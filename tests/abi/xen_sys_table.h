/* SPDX-License-Identifier: MIT */
/*
 * xen_sys_table.h - one row of the xen/sys/ comparison (xen_sys_table.c):
 * an item of xen_sys_items.def and its value on one side.
 */
#ifndef XEN_SYS_TABLE_H
#define XEN_SYS_TABLE_H

struct xen_sys_item {
    const char *name;
    unsigned long value;
};

extern const struct xen_sys_item xen_sys_ours[], xen_sys_debian[];

#endif
