/* SPDX-License-Identifier: MIT */
/*
 * abi_table.c - the item list evaluated against one header tree in one view.
 * Owns:    the table named by ABI_TABLE (abi_ours_guest, abi_xen_xen, ...).
 * Touches: nothing. Built four times by tests/abi/meson.build: with -I abi
 *          (freestanding, -nostdinc, so nothing can come from /usr/include)
 *          or against the installed Xen headers; with or without __XEN__.
 */
#include <stddef.h>
#include <stdint.h>

#include "abi_headers.h"
#include "abi_item.h"

#ifndef ABI_TABLE
#error "define ABI_TABLE to the table's name"
#endif
#define ABI_STR_(x) #x
#define ABI_STR(x)  ABI_STR_(x)

/* 1 for a signed integer expression, 0 for anything else (unevaluated). */
#define ABI_SIGNED(x) _Generic((x),                                         \
    signed char: 1, short: 1, int: 1, long: 1, long long: 1,                \
    char: ((char)-1 < 0), default: 0)

#define ABI_FIELD(t, f) (((t *)0)->f)

#define CONST(n)     { "CONST " #n, (unsigned long long)(n), sizeof(n),     \
                       ABI_SIGNED(n), NULL },
#define EXPR(e)      { "EXPR " #e, (unsigned long long)(e), sizeof(e),      \
                       ABI_SIGNED(e), NULL },
#define STRING(n)    { "STRING " #n, 0, sizeof(n), 0, n },
#define SIZE(t)      { "SIZE " #t, sizeof(t), _Alignof(t),                  \
                       ABI_SIGNED(*(t *)0), NULL },
#define OFFSET(t, f) { "OFFSET " #t ", " #f, offsetof(t, f),                \
                       sizeof(ABI_FIELD(t, f)), ABI_SIGNED(ABI_FIELD(t, f)),\
                       NULL },
#define FLEX(t, f)   { "FLEX " #t ", " #f, offsetof(t, f), 0, 0, NULL },

static const struct abi_item items[] = {
#include "abi_items.def"
#include "abi_manual.def"
};

const struct abi_table ABI_TABLE = {
    ABI_STR(ABI_TABLE), items, sizeof(items) / sizeof(items[0])
};
