/* SPDX-License-Identifier: MIT */
/*
 * abi_item.h - one checked fact about the ABI, and the tables of them.
 * Owns:    struct abi_item / abi_table; abi_compare().
 * Touches: nothing. abi_table.c builds one table per tree and view
 *          (freestanding for our headers); test_abi.c compares them.
 */
#ifndef PVISOR_TESTS_ABI_ITEM_H
#define PVISOR_TESTS_ABI_ITEM_H

#include <stddef.h>

/*
 * name is the item as written in abi_items.def, e.g. "CONST XEN_EINVAL",
 * "SIZE struct start_info", "OFFSET struct start_info, console.domU.mfn".
 *   CONST/EXPR: value = the constant, size = sizeof its type
 *   STRING:     string = the text, size = sizeof the literal
 *   SIZE:       value = sizeof, size = alignment
 *   OFFSET:     value = offsetof, size = sizeof the field
 *   FLEX:       value = offsetof (a flexible array has no size)
 * is_signed: 1 if the constant, type or field is a signed integer type.
 */
struct abi_item {
    const char *name;
    unsigned long long value;
    unsigned long long size;
    int is_signed;
    const char *string;
};

struct abi_table {
    const char *label;                  /* "abi_ours_guest" ... */
    const struct abi_item *items;
    size_t count;
};

/* Our headers and Xen's, each in the guest and the hypervisor view. */
extern const struct abi_table abi_ours_guest, abi_ours_xen;
extern const struct abi_table abi_xen_guest, abi_xen_xen;

/* Called once per mismatch with a line naming the item and both values. */
typedef void (*abi_report_fn)(void *ctx, const char *line);

/*
 * Compare two tables built from the same item list, item by item.
 * Returns the number of mismatching items (a count difference or an item
 * name out of step counts as one each); reports every one.
 */
size_t abi_compare(const struct abi_table *ours, const struct abi_table *xen,
                   abi_report_fn report, void *ctx);

#endif /* PVISOR_TESTS_ABI_ITEM_H */
