/* SPDX-License-Identifier: MIT */
/*
 * abi_compare.c - compare two ABI item tables, naming every difference.
 * Owns:    abi_compare().
 * Touches: nothing; pure function over its arguments (host code).
 */
#include <stdio.h>
#include <string.h>

#include "abi_item.h"

/* What the `size` slot means for an item of this kind. */
static const char *size_meaning(const char *name)
{
    if (strncmp(name, "SIZE ", 5) == 0)
        return "alignment";
    if (strncmp(name, "OFFSET ", 7) == 0)
        return "field size";
    if (strncmp(name, "STRING ", 7) == 0)
        return "length";
    return "type size";
}

static const char *value_meaning(const char *name)
{
    if (strncmp(name, "SIZE ", 5) == 0)
        return "size";
    if (strncmp(name, "OFFSET ", 7) == 0 || strncmp(name, "FLEX ", 5) == 0)
        return "offset";
    return "value";
}

/* Returns 1 and reports if a and b (same name) differ. */
static int compare_item(const struct abi_item *a, const struct abi_item *b,
                        abi_report_fn report, void *ctx)
{
    char line[512];
    int n = 0;

    line[0] = '\0';
    if (a->value != b->value)
        n += snprintf(line + n, sizeof(line) - n, " %s ours %#llx Xen %#llx;",
                      value_meaning(a->name), a->value, b->value);
    if (a->size != b->size && n < (int)sizeof(line))
        n += snprintf(line + n, sizeof(line) - n, " %s ours %llu Xen %llu;",
                      size_meaning(a->name), a->size, b->size);
    if (a->is_signed != b->is_signed && n < (int)sizeof(line))
        n += snprintf(line + n, sizeof(line) - n, " ours %s Xen %s;",
                      a->is_signed ? "signed" : "unsigned",
                      b->is_signed ? "signed" : "unsigned");
    if ((a->string == NULL) != (b->string == NULL) ||
        (a->string && strcmp(a->string, b->string) != 0)) {
        if (n < (int)sizeof(line))
            n += snprintf(line + n, sizeof(line) - n,
                          " text ours \"%s\" Xen \"%s\";",
                          a->string ? a->string : "(none)",
                          b->string ? b->string : "(none)");
    }
    if (n == 0)
        return 0;
    {
        char full[700];
        snprintf(full, sizeof(full), "%s:%s", a->name, line);
        report(ctx, full);
    }
    return 1;
}

size_t abi_compare(const struct abi_table *ours, const struct abi_table *xen,
                   abi_report_fn report, void *ctx)
{
    size_t bad = 0, i, n;
    char line[512];

    if (ours->count != xen->count) {
        snprintf(line, sizeof(line), "%s has %zu items, %s has %zu",
                 ours->label, ours->count, xen->label, xen->count);
        report(ctx, line);
        bad++;
    }
    n = ours->count < xen->count ? ours->count : xen->count;
    for (i = 0; i < n; i++) {
        const struct abi_item *a = &ours->items[i], *b = &xen->items[i];

        if (strcmp(a->name, b->name) != 0) {
            snprintf(line, sizeof(line), "item %zu out of step: %s vs %s",
                     i, a->name, b->name);
            report(ctx, line);
            bad++;
            continue;
        }
        bad += compare_item(a, b, report, ctx);
    }
    return bad;
}
