/* SPDX-License-Identifier: MIT */
/*
 * test_hypercall_doc.c - docs/abi/hypercalls.md against the real
 * hypervisor/common/hypercall.c (CONVENTIONS.md sections 2 and 9).
 * Owns:    a stub for every do_*() handler hypercall.c references (each
 *          records its arguments, advances a fake TSC by its own amount and
 *          returns its own value), arch_cycles(), printk() into a buffer,
 *          console_loglvl; the parser of the two tables in the docs; the
 *          tests: the docs' rows against hypercall_implemented() and
 *          hypercall_name(), the handler and sub-op cells against the tree
 *          and abi/, dispatch to the right handler with the arguments
 *          unchanged, -XEN_ENOSYS for empty and out-of-range numbers, the
 *          per-hypercall and per-domain counters (the TLB flushes for
 *          frame reuse a handler caused too), the ENOSYS log (once per
 *          number and domain), the counter dump, hc_fail(), and the
 *          hypercall page against Xen 4.17's bytes.
 * Touches: docs/abi/hypercalls.md and the handler sources it names (read
 *          only). The path comes from HYPERCALLS_MD (tests/unit/meson.build).
 *
 * A new row in hypercall_table[] with a new handler fails to link here
 * until a stub is added below (one line in stubs[] and one function).
 */
#define __XEN_TOOLS__          /* xen/domctl.h is toolstack-only */
#include <xen/callback.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>
#include "harness.h"
#include "console.h"
#include "hypercall.h"
#include "tlbflush.h"

#ifndef HYPERCALLS_MD
#error "HYPERCALLS_MD (path of docs/abi/hypercalls.md) must be defined"
#endif
#define DOC_SUFFIX "docs/abi/hypercalls.md"
#define XEN_DEFINED_MAX 55         /* __HYPERVISOR_arch_7: last Xen number */
#define PAGE_BYTES 4096
#define STUB_BYTES 32

/* ---- what hypercall.c needs from the rest of the hypervisor ---------- */

int console_loglvl = LOG_INFO;
static uint64_t fake_tsc;
static char printk_buf[16384];
static size_t printk_len;

uint64_t arch_cycles(void)
{
    return fake_tsc;
}

void printk(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(printk_buf + printk_len, sizeof(printk_buf) - printk_len,
                  fmt, ap);
    va_end(ap);
    if (n > 0)
        printk_len = MIN(printk_len + (size_t)n, sizeof(printk_buf) - 1);
}

/* ---- the stubs ------------------------------------------------------- */

#define STUB_RC(nr)    (1000L + (long)(nr))   /* distinct per hypercall  */
#define STUB_TICKS(nr) (100u + 7u * (nr))     /* distinct per hypercall  */
#define ARG_NARROW(i)  (1u << (i))            /* argument i is 32-bit    */
#define ARG_DOMID(i)   (1u << (8 + (i)))      /* argument i is a domid_t */

struct stub_info {
    unsigned int nr;
    const char *fn;               /* as the docs' handler cell names it */
    unsigned int nargs;
    unsigned int narrow;          /* ARG_NARROW and ARG_DOMID bits      */
};

/*
 * One row per handler hypercall.h declares, whether or not the table uses
 * it yet: dispatch must reach the stub of exactly the numbers it lists.
 */

static const struct stub_info stubs[] = {
    { __HYPERVISOR_set_trap_table,    "do_set_trap_table",    1, 0 },
    { __HYPERVISOR_set_gdt,           "do_set_gdt",           2, ARG_NARROW(1) },
    { __HYPERVISOR_stack_switch,      "do_stack_switch",      2, 0 },
    { __HYPERVISOR_set_callbacks,     "do_set_callbacks",     3, 0 },
    { __HYPERVISOR_fpu_taskswitch,    "do_fpu_taskswitch",    1, ARG_NARROW(0) },
    { __HYPERVISOR_set_debugreg,      "do_set_debugreg",      2, ARG_NARROW(0) },
    { __HYPERVISOR_get_debugreg,      "do_get_debugreg",      1, ARG_NARROW(0) },
    { __HYPERVISOR_update_va_mapping, "do_update_va_mapping", 3, 0 },
    { __HYPERVISOR_xen_version,       "do_xen_version",       2, ARG_NARROW(0) },
    { __HYPERVISOR_console_io,        "do_console_io",        3,
      ARG_NARROW(0) | ARG_NARROW(1) },
    { __HYPERVISOR_vm_assist,         "do_vm_assist",         2,
      ARG_NARROW(0) | ARG_NARROW(1) },
    { __HYPERVISOR_iret,              "do_iret",              0, 0 },
    { __HYPERVISOR_set_segment_base,  "do_set_segment_base",  2, ARG_NARROW(0) },
    { __HYPERVISOR_mmuext_op,         "do_mmuext_op",         4,
      ARG_NARROW(1) | ARG_NARROW(3) },
    { __HYPERVISOR_sched_op,          "do_sched_op",          2, ARG_NARROW(0) },
    { __HYPERVISOR_callback_op,       "do_callback_op",       2, ARG_NARROW(0) },
    { __HYPERVISOR_mmu_update,        "do_mmu_update",        4,
      ARG_NARROW(1) | ARG_NARROW(3) },
    { __HYPERVISOR_update_va_mapping_otherdomain,
      "do_update_va_mapping_otherdomain", 4, ARG_DOMID(3) },
    { __HYPERVISOR_update_descriptor, "do_update_descriptor", 2, 0 },
    { __HYPERVISOR_memory_op,         "do_memory_op",         2, 0 },
    { __HYPERVISOR_multicall,         "do_multicall",         2, ARG_NARROW(1) },
    { __HYPERVISOR_event_channel_op,  "do_event_channel_op",  2, ARG_NARROW(0) },
    { __HYPERVISOR_set_timer_op,      "do_set_timer_op",      1, 0 },
    { __HYPERVISOR_vcpu_op,           "do_vcpu_op",           3,
      ARG_NARROW(0) | ARG_NARROW(1) },
    { __HYPERVISOR_sysctl,            "do_sysctl",            1, 0 },
    { __HYPERVISOR_domctl,            "do_domctl",            1, 0 },
    { __HYPERVISOR_physdev_op,        "do_physdev_op",        2, ARG_NARROW(0) },
    { __HYPERVISOR_grant_table_op,    "do_grant_table_op",    3,
      ARG_NARROW(0) | ARG_NARROW(2) },
};

static const struct stub_info *stub_for(unsigned int nr)
{
    for (size_t i = 0; i < ARRAY_SIZE(stubs); i++)
        if (stubs[i].nr == nr)
            return &stubs[i];
    return NULL;
}

/* What the last stub saw. */
static struct {
    unsigned int calls;
    unsigned int nr;
    uint64_t args[HYPERCALL_MAX_ARGS];
} hit;

static long stub_hit(unsigned int nr, uint64_t a0, uint64_t a1, uint64_t a2,
                     uint64_t a3, uint64_t a4)
{
    hit.calls++;
    hit.nr = nr;
    hit.args[0] = a0, hit.args[1] = a1, hit.args[2] = a2;
    hit.args[3] = a3, hit.args[4] = a4;
    fake_tsc += STUB_TICKS(nr);
    if (nr == __HYPERVISOR_mmu_update)
        for (int i = 0; i < 2; i++)   /* as if the frame table flushed twice */
            tlbflush_count_reuse();
    return STUB_RC(nr);
}

/* The flush clock (common/tlbflush.c, compiled in) resets the frame table's
 * stamps when it wraps; there is no frame table here. */
void frame_tlbflush_stamps_reset(void)
{
}

long do_set_trap_table(uint64_t traps)
{ return stub_hit(__HYPERVISOR_set_trap_table, traps, 0, 0, 0, 0); }
long do_set_gdt(uint64_t frame_list, unsigned int entries)
{ return stub_hit(__HYPERVISOR_set_gdt, frame_list, entries, 0, 0, 0); }
long do_stack_switch(unsigned long ss, unsigned long esp)
{ return stub_hit(__HYPERVISOR_stack_switch, ss, esp, 0, 0, 0); }
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{ return stub_hit(__HYPERVISOR_set_callbacks, event, failsafe, syscall, 0, 0); }
long do_fpu_taskswitch(unsigned int set)
{ return stub_hit(__HYPERVISOR_fpu_taskswitch, set, 0, 0, 0, 0); }
/* int, as Xen's: the stub sees the low half, which it keeps unsigned. */
long do_set_debugreg(int reg, unsigned long value)
{ return stub_hit(__HYPERVISOR_set_debugreg, (uint32_t)reg, value, 0, 0, 0); }
long do_get_debugreg(int reg)
{ return stub_hit(__HYPERVISOR_get_debugreg, (uint32_t)reg, 0, 0, 0, 0); }
long do_update_va_mapping(uint64_t va, uint64_t val, unsigned long flags)
{ return stub_hit(__HYPERVISOR_update_va_mapping, va, val, flags, 0, 0); }
long do_xen_version(unsigned int cmd, uint64_t arg)
{ return stub_hit(__HYPERVISOR_xen_version, cmd, arg, 0, 0, 0); }
long do_event_channel_op(unsigned int cmd, uint64_t arg)
{ return stub_hit(__HYPERVISOR_event_channel_op, cmd, arg, 0, 0, 0); }
long do_set_timer_op(uint64_t timeout)
{ return stub_hit(__HYPERVISOR_set_timer_op, timeout, 0, 0, 0, 0); }
long do_vcpu_op(unsigned int cmd, unsigned int vcpuid, uint64_t arg)
{ return stub_hit(__HYPERVISOR_vcpu_op, cmd, vcpuid, arg, 0, 0); }
long do_console_io(unsigned int cmd, unsigned int count, uint64_t buffer)
{ return stub_hit(__HYPERVISOR_console_io, cmd, count, buffer, 0, 0); }
long do_vm_assist(unsigned int cmd, unsigned int type)
{ return stub_hit(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0); }
long do_iret(void)
{ return stub_hit(__HYPERVISOR_iret, 0, 0, 0, 0, 0); }
long do_set_segment_base(unsigned int which, unsigned long base)
{ return stub_hit(__HYPERVISOR_set_segment_base, which, base, 0, 0, 0); }
long do_mmuext_op(uint64_t ops, unsigned int count, uint64_t pdone,
                  unsigned int foreigndom)
{ return stub_hit(__HYPERVISOR_mmuext_op, ops, count, pdone, foreigndom, 0); }
long do_sched_op(unsigned int cmd, uint64_t arg)
{ return stub_hit(__HYPERVISOR_sched_op, cmd, arg, 0, 0, 0); }
long do_callback_op(unsigned int cmd, uint64_t arg)
{ return stub_hit(__HYPERVISOR_callback_op, cmd, arg, 0, 0, 0); }
long do_mmu_update(uint64_t ureqs, unsigned int count, uint64_t pdone,
                   unsigned int foreigndom)
{ return stub_hit(__HYPERVISOR_mmu_update, ureqs, count, pdone, foreigndom, 0); }
long do_update_va_mapping_otherdomain(uint64_t va, uint64_t val,
                                      unsigned long flags, domid_t domid)
{
    return stub_hit(__HYPERVISOR_update_va_mapping_otherdomain, va, val, flags,
                    domid, 0);
}
long do_update_descriptor(uint64_t maddr, uint64_t desc)
{ return stub_hit(__HYPERVISOR_update_descriptor, maddr, desc, 0, 0, 0); }
long do_memory_op(unsigned long cmd, uint64_t arg)
{ return stub_hit(__HYPERVISOR_memory_op, cmd, arg, 0, 0, 0); }
long do_multicall(uint64_t call_list, unsigned int nr_calls)
{ return stub_hit(__HYPERVISOR_multicall, call_list, nr_calls, 0, 0, 0); }
long do_sysctl(uint64_t arg)
{ return stub_hit(__HYPERVISOR_sysctl, arg, 0, 0, 0, 0); }
long do_domctl(uint64_t arg)
{ return stub_hit(__HYPERVISOR_domctl, arg, 0, 0, 0, 0); }
long do_physdev_op(unsigned int cmd, uint64_t arg)
{ return stub_hit(__HYPERVISOR_physdev_op, cmd, arg, 0, 0, 0); }
long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count)
{ return stub_hit(__HYPERVISOR_grant_table_op, cmd, uop, count, 0, 0); }

/* Continuations rewind the running vCPU: never reached by these tests. */
void arch_hypercall_continuation(struct vcpu *v, unsigned int nr,
                                 const uint64_t args[5])
{
    (void)v, (void)nr, (void)args;
    ck_abort_msg("arch_hypercall_continuation() called");
}

/* ---- the docs -------------------------------------------------------- */

#define CELLS 6
#define CELL_MAX 512
#define ROWS_MAX 256

struct row {
    int line;
    char cell[CELLS][CELL_MAX];
};

struct table {
    struct row rows[ROWS_MAX];
    unsigned int n;
};

static struct table hc_table, subop_table;

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
                     e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* Header ("| nr |", "| id |") and "|---|:--|" lines are not rows. */
static bool is_header(const struct row *r)
{
    bool dashes = true;

    if (!strcmp(r->cell[0], "nr") || !strcmp(r->cell[0], "id"))
        return true;
    for (int i = 0; i < CELLS; i++)
        dashes = dashes && r->cell[i][0] &&
                 strspn(r->cell[i], "-:") == strlen(r->cell[i]);
    return dashes;
}

/* Split "| a | b | ... |" into exactly CELLS cells; false otherwise. */
static bool split_row(char *line, struct row *r)
{
    char *p = trim(line), *bar;
    int n = 0;

    if (*p != '|' || p[strlen(p) - 1] != '|' || strlen(p) < 2)
        return false;
    p++;
    p[strlen(p) - 1] = '\0';
    for (;;) {
        bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        if (n == CELLS)
            return false;
        snprintf(r->cell[n++], CELL_MAX, "%s", trim(p));
        if (!bar)
            break;
        p = bar + 1;
    }
    return n == CELLS;
}

/*
 * Read the rows between "<!-- name:begin -->" and "<!-- name:end -->".
 * Every line there starting with '|' must be a header or a 6-cell row.
 */
static void load_table(const char *name, struct table *t)
{
    char begin[64], end[64], line[2048];
    FILE *f = fopen(HYPERCALLS_MD, "r");
    bool inside = false, seen_begin = false, seen_end = false;
    int lineno = 0;

    ck_assert_msg(f, "cannot open %s", HYPERCALLS_MD);
    snprintf(begin, sizeof(begin), "<!-- %s:begin -->", name);
    snprintf(end, sizeof(end), "<!-- %s:end -->", name);
    t->n = 0;
    while (fgets(line, sizeof(line), f)) {
        struct row r = { .line = ++lineno };
        char *s = trim(line);

        if (!strcmp(s, begin)) {
            ck_assert_msg(!seen_begin, "%s:%d: second %s", HYPERCALLS_MD,
                          lineno, begin);
            inside = seen_begin = true;
            continue;
        }
        if (!strcmp(s, end)) {
            ck_assert_msg(inside, "%s:%d: %s before %s", HYPERCALLS_MD,
                          lineno, end, begin);
            inside = false;
            seen_end = true;
            continue;
        }
        if (!inside || *s != '|')
            continue;
        ck_assert_msg(split_row(s, &r), "%s:%d: not a row of %d cells",
                      HYPERCALLS_MD, lineno, CELLS);
        if (is_header(&r))
            continue;
        ck_assert_msg(t->n < ROWS_MAX, "too many rows in %s", name);
        t->rows[t->n++] = r;
    }
    fclose(f);
    ck_assert_msg(seen_begin && seen_end, "%s lacks %s ... %s",
                  HYPERCALLS_MD, begin, end);
}

static bool parse_uint(const char *s, unsigned int *out)
{
    char *end;
    unsigned long v;

    if (!*s || strspn(s, "0123456789") != strlen(s))
        return false;
    v = strtoul(s, &end, 10);
    if (v > UINT32_MAX)
        return false;
    *out = (unsigned int)v;
    return true;
}

static bool status_ok(const char *s)
{
    return !strcmp(s, "implemented") || !strcmp(s, "partial") ||
           !strcmp(s, "-XEN_ENOSYS");
}

static bool status_has_handler(const char *s)
{
    return !strcmp(s, "implemented") || !strcmp(s, "partial");
}

/* The hypercall row for nr (the table is checked to be in order). */
static const struct row *hc_row(unsigned int nr)
{
    ck_assert_uint_lt(nr, hc_table.n);
    return &hc_table.rows[nr];
}

static void load_docs(void)
{
    load_table("hypercall-table", &hc_table);
    load_table("subop-table", &subop_table);
}

/* The file the docs point to, relative to the source root. */
static char *read_source(const char *rel)
{
    char path[1024];
    size_t root = strlen(HYPERCALLS_MD) - strlen(DOC_SUFFIX);
    FILE *f;
    char *buf;
    long len;

    ck_assert(strlen(HYPERCALLS_MD) > strlen(DOC_SUFFIX));
    ck_assert_str_eq(HYPERCALLS_MD + root, DOC_SUFFIX);
    snprintf(path, sizeof(path), "%.*shypervisor/%s", (int)root,
             HYPERCALLS_MD, rel);
    f = fopen(path, "r");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    buf = calloc(1, (size_t)len + 1);
    ck_assert(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return buf;
}

/* ---- the docs' tables against the code ------------------------------- */

START_TEST(doc_table_has_every_number_in_order)
{
    load_docs();
    ck_assert_msg(hc_table.n == XEN_DEFINED_MAX + 1,
                  "%u hypercall rows, want one per number 0..%d",
                  hc_table.n, XEN_DEFINED_MAX);
    for (unsigned int i = 0; i < hc_table.n; i++) {
        const struct row *r = &hc_table.rows[i];
        unsigned int nr;

        ck_assert_msg(parse_uint(r->cell[0], &nr) && nr == i,
                      "%s:%d: row %u has number \"%s\", want %u",
                      HYPERCALLS_MD, r->line, i, r->cell[0], i);
        ck_assert_msg(status_ok(r->cell[2]), "%s:%d: status \"%s\"",
                      HYPERCALLS_MD, r->line, r->cell[2]);
        for (int c = 1; c < CELLS; c++)
            ck_assert_msg(r->cell[c][0], "%s:%d: empty cell %d (use -)",
                          HYPERCALLS_MD, r->line, c);
    }
}
END_TEST

/* Every disagreement is listed, not just the first. */
START_TEST(doc_status_and_name_match_table)
{
    static char why[8192];
    size_t len = 0;

    load_docs();
    ck_assert_uint_eq(hc_table.n, XEN_DEFINED_MAX + 1);
    for (unsigned int nr = 0; nr <= XEN_DEFINED_MAX; nr++) {
        const struct row *r = hc_row(nr);

        if (hypercall_implemented(nr) != status_has_handler(r->cell[2]))
            len += (size_t)snprintf(why + len, sizeof(why) - len,
                "\n  line %d: hypercall %u is \"%s\" in the docs but %s "
                "hypercall_table[]", r->line, nr, r->cell[2],
                hypercall_implemented(nr) ? "has a row in" : "is empty in");
        if (strcmp(r->cell[1], hypercall_name(nr)) && len < sizeof(why))
            len += (size_t)snprintf(why + len, sizeof(why) - len,
                "\n  line %d: hypercall %u is \"%s\" in the docs, "
                "hypercall_name() says \"%s\"", r->line, nr, r->cell[1],
                hypercall_name(nr));
        len = MIN(len, sizeof(why) - 1);
    }
    ck_assert_msg(len == 0, "%s disagrees with hypercall.c:%s", HYPERCALLS_MD,
                  why);
    /* Past what the docs list: nothing, up to and beyond the table's end. */
    for (unsigned int nr = XEN_DEFINED_MAX + 1; nr < NR_HYPERCALLS + 2; nr++)
        ck_assert_msg(!hypercall_implemented(nr),
                      "hypercall %u is implemented but not documented", nr);
    ck_assert(!hypercall_implemented(UINT32_MAX));
    ck_assert_str_eq(hypercall_name(NR_HYPERCALLS), "(out of range)");
    ck_assert_str_eq(hypercall_name(UINT32_MAX), "(out of range)");
}
END_TEST

/* The handler cell: "do_x (path)" naming the function dispatch reaches,
 * defined in that file; "-" for numbers without a handler. */
START_TEST(doc_handler_cells_name_the_handler)
{
    load_docs();
    for (unsigned int nr = 0; nr < hc_table.n; nr++) {
        const struct row *r = hc_row(nr);
        const struct stub_info *s = stub_for(nr);
        char fn[CELL_MAX], file[CELL_MAX], def[CELL_MAX + 8], *src;

        if (!hypercall_implemented(nr)) {
            ck_assert_msg(!strcmp(r->cell[3], "-"), "%s:%d: handler \"%s\" "
                          "for an unimplemented hypercall", HYPERCALLS_MD,
                          r->line, r->cell[3]);
            continue;
        }
        ck_assert_msg(s, "hypercall %u: no stub in this test", nr);
        ck_assert_msg(sscanf(r->cell[3], "%511s (%511[^)])", fn, file) == 2,
                      "%s:%d: handler \"%s\" is not \"do_x (file)\"",
                      HYPERCALLS_MD, r->line, r->cell[3]);
        ck_assert_msg(!strcmp(fn, s->fn), "%s:%d: handler %s, but hypercall "
                      "%u dispatches to %s", HYPERCALLS_MD, r->line, fn, nr,
                      s->fn);
        src = read_source(file);
        ck_assert_msg(src, "%s:%d: no file hypervisor/%s", HYPERCALLS_MD,
                      r->line, file);
        snprintf(def, sizeof(def), "\nlong %s(", fn);
        ck_assert_msg(strstr(src, def), "%s:%d: hypervisor/%s does not "
                      "define %s()", HYPERCALLS_MD, r->line, file, fn);
        free(src);
    }
}
END_TEST

/*
 * Every sub-op abi/ defines for the hypercalls that have sub-op rows. A
 * sub-op row must be one of these, with this value; each of these must
 * have a row.
 */
#define SUBOP(nr, name) { nr, #name, name }
static const struct subop {
    unsigned int nr;
    const char *name;
    unsigned int value;
} abi_subops[] = {
    SUBOP(1, MMU_NORMAL_PT_UPDATE), SUBOP(1, MMU_MACHPHYS_UPDATE),
    SUBOP(1, MMU_PT_UPDATE_PRESERVE_AD), SUBOP(1, MMU_PT_UPDATE_NO_TRANSLATE),
    SUBOP(12, XENMEM_increase_reservation), SUBOP(12, XENMEM_decrease_reservation),
    SUBOP(12, XENMEM_maximum_ram_page), SUBOP(12, XENMEM_current_reservation),
    SUBOP(12, XENMEM_maximum_reservation), SUBOP(12, XENMEM_machphys_mfn_list),
    SUBOP(12, XENMEM_populate_physmap), SUBOP(12, XENMEM_add_to_physmap),
    SUBOP(12, XENMEM_memory_map), SUBOP(12, XENMEM_machine_memory_map),
    SUBOP(12, XENMEM_exchange), SUBOP(12, XENMEM_machphys_mapping),
    SUBOP(12, XENMEM_set_memory_map), SUBOP(12, XENMEM_maximum_gpfn),
    SUBOP(12, XENMEM_remove_from_physmap), SUBOP(12, XENMEM_set_pod_target),
    SUBOP(12, XENMEM_get_pod_target), SUBOP(12, XENMEM_add_to_physmap_batch),
    SUBOP(12, XENMEM_machphys_compat_mfn_list), SUBOP(12, XENMEM_get_vnumainfo),
    SUBOP(12, XENMEM_acquire_resource),
    SUBOP(17, XENVER_version), SUBOP(17, XENVER_extraversion),
    SUBOP(17, XENVER_compile_info), SUBOP(17, XENVER_capabilities),
    SUBOP(17, XENVER_changeset), SUBOP(17, XENVER_platform_parameters),
    SUBOP(17, XENVER_get_features), SUBOP(17, XENVER_pagesize),
    SUBOP(17, XENVER_guest_handle), SUBOP(17, XENVER_commandline),
    SUBOP(17, XENVER_build_id),
    SUBOP(18, CONSOLEIO_write), SUBOP(18, CONSOLEIO_read),
    SUBOP(20, GNTTABOP_map_grant_ref), SUBOP(20, GNTTABOP_unmap_grant_ref),
    SUBOP(20, GNTTABOP_setup_table), SUBOP(20, GNTTABOP_dump_table),
    SUBOP(20, GNTTABOP_transfer), SUBOP(20, GNTTABOP_copy),
    SUBOP(20, GNTTABOP_query_size), SUBOP(20, GNTTABOP_unmap_and_replace),
    SUBOP(20, GNTTABOP_set_version), SUBOP(20, GNTTABOP_get_status_frames),
    SUBOP(20, GNTTABOP_get_version), SUBOP(20, GNTTABOP_swap_grant_ref),
    SUBOP(20, GNTTABOP_cache_flush),
    SUBOP(21, VMASST_CMD_enable), SUBOP(21, VMASST_CMD_disable),
    SUBOP(25, SEGBASE_FS), SUBOP(25, SEGBASE_GS_USER),
    SUBOP(25, SEGBASE_GS_KERNEL), SUBOP(25, SEGBASE_GS_USER_SEL),
    SUBOP(26, MMUEXT_PIN_L1_TABLE), SUBOP(26, MMUEXT_PIN_L2_TABLE),
    SUBOP(26, MMUEXT_PIN_L3_TABLE), SUBOP(26, MMUEXT_PIN_L4_TABLE),
    SUBOP(26, MMUEXT_UNPIN_TABLE), SUBOP(26, MMUEXT_NEW_BASEPTR),
    SUBOP(26, MMUEXT_TLB_FLUSH_LOCAL), SUBOP(26, MMUEXT_INVLPG_LOCAL),
    SUBOP(26, MMUEXT_TLB_FLUSH_MULTI), SUBOP(26, MMUEXT_INVLPG_MULTI),
    SUBOP(26, MMUEXT_TLB_FLUSH_ALL), SUBOP(26, MMUEXT_INVLPG_ALL),
    SUBOP(26, MMUEXT_FLUSH_CACHE), SUBOP(26, MMUEXT_SET_LDT),
    SUBOP(26, MMUEXT_NEW_USER_BASEPTR), SUBOP(26, MMUEXT_CLEAR_PAGE),
    SUBOP(26, MMUEXT_COPY_PAGE), SUBOP(26, MMUEXT_FLUSH_CACHE_GLOBAL),
    SUBOP(26, MMUEXT_MARK_SUPER), SUBOP(26, MMUEXT_UNMARK_SUPER),
    SUBOP(24, VCPUOP_initialise),
    SUBOP(24, VCPUOP_up),
    SUBOP(24, VCPUOP_down),
    SUBOP(24, VCPUOP_is_up),
    SUBOP(24, VCPUOP_get_runstate_info),
    SUBOP(24, VCPUOP_register_runstate_memory_area),
    SUBOP(24, VCPUOP_set_periodic_timer),
    SUBOP(24, VCPUOP_stop_periodic_timer),
    SUBOP(24, VCPUOP_set_singleshot_timer),
    SUBOP(24, VCPUOP_stop_singleshot_timer),
    SUBOP(24, VCPUOP_register_vcpu_info),
    SUBOP(24, VCPUOP_send_nmi),
    SUBOP(24, VCPUOP_get_physid),
    SUBOP(24, VCPUOP_register_vcpu_time_memory_area),
    SUBOP(29, SCHEDOP_yield), SUBOP(29, SCHEDOP_block),
    SUBOP(29, SCHEDOP_shutdown), SUBOP(29, SCHEDOP_poll),
    SUBOP(29, SCHEDOP_remote_shutdown), SUBOP(29, SCHEDOP_shutdown_code),
    SUBOP(29, SCHEDOP_watchdog), SUBOP(29, SCHEDOP_pin_override),
    SUBOP(30, CALLBACKOP_register), SUBOP(30, CALLBACKOP_unregister),
    SUBOP(32, EVTCHNOP_bind_interdomain), SUBOP(32, EVTCHNOP_bind_virq),
    SUBOP(32, EVTCHNOP_bind_pirq), SUBOP(32, EVTCHNOP_close),
    SUBOP(32, EVTCHNOP_send), SUBOP(32, EVTCHNOP_status),
    SUBOP(32, EVTCHNOP_alloc_unbound), SUBOP(32, EVTCHNOP_bind_ipi),
    SUBOP(32, EVTCHNOP_bind_vcpu), SUBOP(32, EVTCHNOP_unmask),
    SUBOP(32, EVTCHNOP_reset), SUBOP(32, EVTCHNOP_init_control),
    SUBOP(32, EVTCHNOP_expand_array), SUBOP(32, EVTCHNOP_set_priority),
    SUBOP(32, EVTCHNOP_reset_cont),
    SUBOP(33, PHYSDEVOP_IRQ_UNMASK_NOTIFY), SUBOP(33, PHYSDEVOP_irq_status_query),
    SUBOP(33, PHYSDEVOP_set_iopl), SUBOP(33, PHYSDEVOP_set_iobitmap),
    SUBOP(33, PHYSDEVOP_apic_read), SUBOP(33, PHYSDEVOP_apic_write),
    SUBOP(33, PHYSDEVOP_alloc_irq_vector), SUBOP(33, PHYSDEVOP_free_irq_vector),
    SUBOP(33, PHYSDEVOP_eoi), SUBOP(33, PHYSDEVOP_map_pirq),
    SUBOP(33, PHYSDEVOP_unmap_pirq), SUBOP(33, PHYSDEVOP_manage_pci_add),
    SUBOP(33, PHYSDEVOP_manage_pci_remove), SUBOP(33, PHYSDEVOP_pirq_eoi_gmfn_v1),
    SUBOP(33, PHYSDEVOP_restore_msi), SUBOP(33, PHYSDEVOP_manage_pci_add_ext),
    SUBOP(33, PHYSDEVOP_setup_gsi), SUBOP(33, PHYSDEVOP_get_free_pirq),
    SUBOP(33, PHYSDEVOP_pci_mmcfg_reserved), SUBOP(33, PHYSDEVOP_pci_device_add),
    SUBOP(33, PHYSDEVOP_pci_device_remove), SUBOP(33, PHYSDEVOP_restore_msi_ext),
    SUBOP(33, PHYSDEVOP_pirq_eoi_gmfn_v2), SUBOP(33, PHYSDEVOP_dbgp_op),
    SUBOP(33, PHYSDEVOP_prepare_msix), SUBOP(33, PHYSDEVOP_release_msix),
    SUBOP(35, XEN_SYSCTL_readconsole), SUBOP(35, XEN_SYSCTL_tbuf_op),
    SUBOP(35, XEN_SYSCTL_physinfo), SUBOP(35, XEN_SYSCTL_sched_id),
    SUBOP(35, XEN_SYSCTL_perfc_op), SUBOP(35, XEN_SYSCTL_getdomaininfolist),
    SUBOP(35, XEN_SYSCTL_debug_keys), SUBOP(35, XEN_SYSCTL_getcpuinfo),
    SUBOP(35, XEN_SYSCTL_availheap), SUBOP(35, XEN_SYSCTL_get_pmstat),
    SUBOP(35, XEN_SYSCTL_cpu_hotplug), SUBOP(35, XEN_SYSCTL_pm_op),
    SUBOP(35, XEN_SYSCTL_page_offline_op), SUBOP(35, XEN_SYSCTL_lockprof_op),
    SUBOP(35, XEN_SYSCTL_cputopoinfo), SUBOP(35, XEN_SYSCTL_numainfo),
    SUBOP(35, XEN_SYSCTL_cpupool_op), SUBOP(35, XEN_SYSCTL_scheduler_op),
    SUBOP(35, XEN_SYSCTL_coverage_op), SUBOP(35, XEN_SYSCTL_psr_cmt_op),
    SUBOP(35, XEN_SYSCTL_pcitopoinfo), SUBOP(35, XEN_SYSCTL_psr_alloc),
    SUBOP(35, XEN_SYSCTL_get_cpu_levelling_caps),
    SUBOP(35, XEN_SYSCTL_get_cpu_featureset),
    SUBOP(35, XEN_SYSCTL_livepatch_op), SUBOP(35, XEN_SYSCTL_get_cpu_policy),
    SUBOP(35, PVISOR_SYSCTL_hypercall_stats),
    SUBOP(36, XEN_DOMCTL_createdomain), SUBOP(36, XEN_DOMCTL_destroydomain),
    SUBOP(36, XEN_DOMCTL_pausedomain), SUBOP(36, XEN_DOMCTL_unpausedomain),
    SUBOP(36, XEN_DOMCTL_getdomaininfo), SUBOP(36, XEN_DOMCTL_setvcpuaffinity),
    SUBOP(36, XEN_DOMCTL_shadow_op), SUBOP(36, XEN_DOMCTL_max_mem),
    SUBOP(36, XEN_DOMCTL_setvcpucontext), SUBOP(36, XEN_DOMCTL_getvcpucontext),
    SUBOP(36, XEN_DOMCTL_getvcpuinfo), SUBOP(36, XEN_DOMCTL_max_vcpus),
    SUBOP(36, XEN_DOMCTL_scheduler_op), SUBOP(36, XEN_DOMCTL_setdomainhandle),
    SUBOP(36, XEN_DOMCTL_setdebugging), SUBOP(36, XEN_DOMCTL_irq_permission),
    SUBOP(36, XEN_DOMCTL_iomem_permission),
    SUBOP(36, XEN_DOMCTL_ioport_permission),
    SUBOP(36, XEN_DOMCTL_hypercall_init), SUBOP(36, XEN_DOMCTL_settimeoffset),
    SUBOP(36, XEN_DOMCTL_getvcpuaffinity), SUBOP(36, XEN_DOMCTL_resumedomain),
    SUBOP(36, XEN_DOMCTL_subscribe), SUBOP(36, XEN_DOMCTL_set_address_size),
    SUBOP(36, XEN_DOMCTL_get_address_size),
    SUBOP(36, XEN_DOMCTL_set_ext_vcpucontext),
    SUBOP(36, XEN_DOMCTL_get_ext_vcpucontext), SUBOP(36, XEN_DOMCTL_set_target),
    SUBOP(36, XEN_DOMCTL_gettscinfo), SUBOP(36, XEN_DOMCTL_settscinfo),
    SUBOP(36, XEN_DOMCTL_getpageframeinfo3),
    SUBOP(36, XEN_DOMCTL_setvcpuextstate),
    SUBOP(36, XEN_DOMCTL_getvcpuextstate),
    SUBOP(36, XEN_DOMCTL_set_virq_handler),
    SUBOP(36, XEN_DOMCTL_setnodeaffinity),
    SUBOP(36, XEN_DOMCTL_getnodeaffinity), SUBOP(36, XEN_DOMCTL_soft_reset),
    SUBOP(36, XEN_DOMCTL_get_cpu_policy), SUBOP(36, XEN_DOMCTL_set_cpu_policy),
};

static const struct subop *abi_subop(unsigned int nr, const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(abi_subops); i++)
        if (abi_subops[i].nr == nr && !strcmp(abi_subops[i].name, name))
            return &abi_subops[i];
    return NULL;
}

START_TEST(doc_subop_rows_match_abi_and_parents)
{
    bool documented[ARRAY_SIZE(abi_subops)] = { false };

    load_docs();
    ck_assert_uint_eq(hc_table.n, XEN_DEFINED_MAX + 1);
    ck_assert_msg(subop_table.n > 0, "no sub-op rows");
    for (unsigned int i = 0; i < subop_table.n; i++) {
        const struct row *r = &subop_table.rows[i];
        char name[CELL_MAX];
        unsigned int nr, value;
        const struct subop *s;
        int used = 0;

        ck_assert_msg(sscanf(r->cell[0], "%u.%511[A-Za-z0-9_]%n", &nr, name,
                             &used) == 2 && r->cell[0][used] == '\0',
                      "%s:%d: sub-op id \"%s\" is not NR.NAME", HYPERCALLS_MD,
                      r->line, r->cell[0]);
        ck_assert_msg(nr <= XEN_DEFINED_MAX && hypercall_implemented(nr),
                      "%s:%d: sub-op of hypercall %u, which has no handler",
                      HYPERCALLS_MD, r->line, nr);
        s = abi_subop(nr, name);
        ck_assert_msg(s, "%s:%d: %s is not a sub-op of hypercall %u in abi/ "
                      "(or this test's list lacks it)", HYPERCALLS_MD,
                      r->line, name, nr);
        ck_assert_msg(!documented[s - abi_subops], "%s:%d: %u.%s listed twice",
                      HYPERCALLS_MD, r->line, nr, name);
        documented[s - abi_subops] = true;
        ck_assert_msg(parse_uint(r->cell[1], &value) && value == s->value,
                      "%s:%d: %s is \"%s\" in the docs, %u in abi/",
                      HYPERCALLS_MD, r->line, name, r->cell[1], s->value);
        ck_assert_msg(status_ok(r->cell[2]), "%s:%d: status \"%s\"",
                      HYPERCALLS_MD, r->line, r->cell[2]);
        ck_assert_msg(status_has_handler(r->cell[2]) ==
                      (strcmp(r->cell[3], "-") != 0),
                      "%s:%d: handler \"%s\" does not fit status %s",
                      HYPERCALLS_MD, r->line, r->cell[3], r->cell[2]);
        if (strcmp(r->cell[2], "implemented"))
            ck_assert_msg(!strcmp(hc_row(nr)->cell[2], "partial"),
                          "%s:%d: %s is %s, so hypercall %u must be partial, "
                          "not %s", HYPERCALLS_MD, r->line, name, r->cell[2],
                          nr, hc_row(nr)->cell[2]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(abi_subops); i++)
        ck_assert_msg(documented[i], "%s: no row %u.%s", HYPERCALLS_MD,
                      abi_subops[i].nr, abi_subops[i].name);
}
END_TEST

/* ---- the dispatcher -------------------------------------------------- */

/*
 * Two numbers Xen defines but pvisor has no reason to implement (tmem was
 * removed from Xen 4.13; kexec is for the machine's owner), for the
 * -XEN_ENOSYS paths.
 */
#define NOSYS_A __HYPERVISOR_tmem_op
#define NOSYS_B __HYPERVISOR_kexec_op

static struct domain dom_a, dom_b;
static struct vcpu vcpu_a, vcpu_b;

static void setup_domains(void)
{
    memset(&dom_a, 0, sizeof(dom_a));
    memset(&dom_b, 0, sizeof(dom_b));
    memset(&vcpu_a, 0, sizeof(vcpu_a));
    memset(&vcpu_b, 0, sizeof(vcpu_b));
    dom_a.domain_id = 0;
    dom_b.domain_id = 7;
    vcpu_a.domain = &dom_a;
    vcpu_b.domain = &dom_b;
    hypercall_sampling = true;          /* the tests that count ticks */
    memset(&hit, 0, sizeof(hit));
    fake_tsc = 1000000;
    printk_len = 0;
    printk_buf[0] = '\0';
    console_loglvl = LOG_INFO;
    harness_log_reset();
}

/* Arguments that differ in every byte, and in both halves of each. */
static void make_args(unsigned int nr, uint64_t a[HYPERCALL_MAX_ARGS])
{
    for (unsigned int i = 0; i < HYPERCALL_MAX_ARGS; i++)
        a[i] = 0x8070605040302010ULL + ((uint64_t)(i + 1) << 56) +
               ((uint64_t)nr << 8) + i + 1;
}

static void check_nosys_numbers(void)
{
    ck_assert_msg(!hypercall_implemented(NOSYS_A) && !hypercall_implemented(NOSYS_B),
                  "NOSYS_A/NOSYS_B are implemented now: pick other numbers");
}

static long call(struct vcpu *v, unsigned int nr)
{
    uint64_t a[HYPERCALL_MAX_ARGS];

    make_args(nr, a);
    return hypercall_dispatch(v, nr, a);
}

static unsigned int implemented_count(void)
{
    unsigned int n = 0;

    for (unsigned int nr = 0; nr < NR_HYPERCALLS; nr++)
        n += hypercall_implemented(nr);
    return n;
}

START_TEST(dispatch_reaches_each_handler)
{
    setup_domains();
    for (unsigned int nr = 0; nr < NR_HYPERCALLS; nr++) {
        const struct stub_info *s = stub_for(nr);
        uint64_t a[HYPERCALL_MAX_ARGS];
        unsigned int before = hit.calls;
        long rc;

        make_args(nr, a);
        rc = hypercall_dispatch(&vcpu_a, nr, a);
        if (!hypercall_implemented(nr)) {
            ck_assert_msg(rc == -XEN_ENOSYS, "hypercall %u: rc %ld", nr, rc);
            ck_assert_msg(hit.calls == before, "hypercall %u reached a stub",
                          nr);
            continue;
        }
        ck_assert_msg(s, "hypercall %u (%s) has a handler but no stub here",
                      nr, hypercall_name(nr));
        ck_assert_msg(rc == STUB_RC(nr) && hit.calls == before + 1 &&
                      hit.nr == nr, "hypercall %u: rc %ld, reached the stub "
                      "of %u; want %s", nr, rc, hit.nr, s->fn);
        for (unsigned int i = 0; i < s->nargs; i++) {
            uint64_t want = (s->narrow & ARG_NARROW(i)) ? (uint32_t)a[i] :
                            (s->narrow & ARG_DOMID(i)) ? (domid_t)a[i] : a[i];
            ck_assert_msg(hit.args[i] == want, "%s argument %u: %#lx, want "
                          "%#lx", s->fn, i, hit.args[i], want);
        }
    }
    ck_assert_uint_eq(hit.calls, implemented_count());
}
END_TEST

START_TEST(dispatch_enosys_for_empty_and_out_of_range)
{
    static const unsigned int numbers[] = {
        NOSYS_A, NOSYS_B, 11, XEN_DEFINED_MAX, NR_HYPERCALLS - 1,
        NR_HYPERCALLS, NR_HYPERCALLS + 1, 1000, UINT32_MAX,
    };

    setup_domains();
    check_nosys_numbers();
    for (size_t i = 0; i < ARRAY_SIZE(numbers); i++)
        ck_assert_msg(call(&vcpu_a, numbers[i]) == -XEN_ENOSYS,
                      "hypercall %u is not -XEN_ENOSYS", numbers[i]);
    ck_assert_uint_eq(hit.calls, 0);
}
END_TEST

START_TEST(dispatch_counts_per_hypercall_and_domain)
{
    const unsigned int xv = __HYPERVISOR_xen_version, ci = __HYPERVISOR_console_io;

    setup_domains();
    check_nosys_numbers();
    for (int i = 0; i < 3; i++)
        call(&vcpu_a, xv);
    call(&vcpu_a, ci);
    call(&vcpu_b, xv);
    call(&vcpu_a, NOSYS_A);
    call(&vcpu_a, NOSYS_A);
    call(&vcpu_a, NR_HYPERCALLS);
    call(&vcpu_a, 4242);
    call(&vcpu_b, UINT32_MAX);

    ck_assert_uint_eq(dom_a.hc_stats[xv].calls, 3);
    ck_assert_uint_eq(dom_a.hc_stats[xv].cycles, 3 * STUB_TICKS(xv));
    ck_assert_uint_eq(dom_a.hc_stats[ci].calls, 1);
    ck_assert_uint_eq(dom_a.hc_stats[ci].cycles, STUB_TICKS(ci));
    ck_assert_uint_eq(dom_b.hc_stats[xv].calls, 1);
    ck_assert_uint_eq(dom_b.hc_stats[xv].cycles, STUB_TICKS(xv));
    /* Unimplemented numbers are counted too (no ticks on the fake TSC). */
    ck_assert_uint_eq(dom_a.hc_stats[NOSYS_A].calls, 2);
    ck_assert_uint_eq(dom_a.hc_stats[NOSYS_A].cycles, 0);
    /* Every number >= NR_HYPERCALLS lands in the extra bucket. */
    ck_assert_uint_eq(dom_a.hc_stats[NR_HYPERCALLS].calls, 2);
    ck_assert_uint_eq(dom_b.hc_stats[NR_HYPERCALLS].calls, 1);
    /* Nothing else moved. */
    for (unsigned int nr = 0; nr <= NR_HYPERCALLS; nr++) {
        if (nr != xv && nr != ci && nr != NOSYS_A &&
            nr != NR_HYPERCALLS)
            ck_assert_msg(dom_a.hc_stats[nr].calls == 0, "d0 bucket %u: %lu",
                          nr, dom_a.hc_stats[nr].calls);
        if (nr != xv && nr != NR_HYPERCALLS)
            ck_assert_msg(dom_b.hc_stats[nr].calls == 0, "d7 bucket %u: %lu",
                          nr, dom_b.hc_stats[nr].calls);
    }
}
END_TEST

/* Sampling off (the default): calls and flushes counted, no ticks. */
START_TEST(dispatch_counts_without_sampling)
{
    const unsigned int xv = __HYPERVISOR_xen_version, mu = __HYPERVISOR_mmu_update;

    setup_domains();
    hypercall_sampling = false;
    call(&vcpu_a, xv);
    call(&vcpu_a, xv);
    call(&vcpu_a, mu);
    ck_assert_uint_eq(dom_a.hc_stats[xv].calls, 2);
    ck_assert_uint_eq(dom_a.hc_stats[xv].cycles, 0);
    ck_assert_uint_eq(dom_a.hc_stats[mu].calls, 1);
    ck_assert_uint_eq(dom_a.hc_stats[mu].cycles, 0);
    ck_assert_uint_eq(dom_a.hc_stats[mu].reuse_flushes, 2);
    /* Outside a hypercall a flush is counted in no row. */
    ck_assert_ptr_null(tlbflush_reuse_counter);
}
END_TEST

static unsigned int log_count(const char *needle)
{
    unsigned int n = 0;

    for (const char *p = harness_log; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

START_TEST(enosys_logged_once_per_number_and_domain)
{
    setup_domains();
    check_nosys_numbers();
    for (int i = 0; i < 3; i++) {
        call(&vcpu_a, NOSYS_A);
        call(&vcpu_a, NOSYS_B);
        call(&vcpu_b, NOSYS_A);
        call(&vcpu_a, 5000);
    }
    ck_assert_uint_eq(log_count("d0: hypercall 38 (tmem_op) not implemented"), 1);
    ck_assert_uint_eq(log_count("d0: hypercall 37 (kexec_op) not implemented"), 1);
    ck_assert_uint_eq(log_count("d7: hypercall 38 (tmem_op) not implemented"), 1);
    ck_assert_uint_eq(log_count("d0: hypercall 5000: out of range, no such "
                                "hypercall: -ENOSYS"), 1);
    ck_assert_uint_eq(log_count("not implemented"), 3);
    ck_assert_uint_eq(log_count("no such hypercall"), 1);
    /* Implemented hypercalls are not logged. */
    call(&vcpu_a, __HYPERVISOR_xen_version);
    ck_assert_uint_eq(log_count("not implemented"), 3);
    ck_assert_uint_eq(log_count("no such hypercall"), 1);
}
END_TEST

/*
 * The last slot of the table and the out-of-range numbers are different
 * numbers: each is logged the first time a domain uses it.
 */
START_TEST(enosys_log_keeps_last_slot_and_out_of_range_apart)
{
    setup_domains();
    call(&vcpu_a, NR_HYPERCALLS - 1);
    call(&vcpu_a, NR_HYPERCALLS + 100);
    call(&vcpu_b, NR_HYPERCALLS + 100);
    call(&vcpu_b, NR_HYPERCALLS - 1);
    call(&vcpu_a, NR_HYPERCALLS);        /* the same bucket: said once */
    ck_assert_uint_eq(log_count("d0: hypercall 63: no such hypercall: -ENOSYS"), 1);
    ck_assert_uint_eq(log_count("d0: hypercall 164: out of range, no such "
                                "hypercall: -ENOSYS"), 1);
    ck_assert_uint_eq(log_count("d7: hypercall 164: out of range"), 1);
    ck_assert_uint_eq(log_count("d7: hypercall 63: no such hypercall"), 1);
    ck_assert_uint_eq(log_count("hypercall 64 or above"), 0);  /* same bucket */
}
END_TEST

/*
 * The syscall entry and multicall saturate a 64-bit number above 2^32 - 1
 * (hypercall_nr()): the log names the number, or says "or above".
 */
START_TEST(enosys_log_of_the_syscall_bucket)
{
    setup_domains();
    ck_assert_uint_eq(hypercall_nr(200), 200);
    ck_assert_uint_eq(hypercall_nr((1ULL << 32) + 1), UINT32_MAX);
    call(&vcpu_a, hypercall_nr(1ULL << 40));
    ck_assert_uint_eq(log_count("d0: hypercall 4294967295 or above: out of "
                                "range, no such hypercall: -ENOSYS"), 1);
}
END_TEST

START_TEST(stats_dump_prints_used_numbers)
{
    setup_domains();
    check_nosys_numbers();
    call(&vcpu_a, __HYPERVISOR_xen_version);
    call(&vcpu_a, __HYPERVISOR_xen_version);
    call(&vcpu_a, NOSYS_A);
    call(&vcpu_a, 99);
    call(&vcpu_b, __HYPERVISOR_console_io);
    hypercall_stats_dump(&dom_a);
    ck_assert_msg(strstr(printk_buf, "hypercall counters for d0"), "%s", printk_buf);
    ck_assert_msg(strstr(printk_buf, "\n  TSC ticks: CPU cycles on hardware or KVM. "
                         "Under QEMU TCG they follow the host clock (noisy); with "
                         "-icount shift=0 one tick is one guest instruction.\n"),
                  "%s", printk_buf);
    ck_assert_msg(strstr(printk_buf, "17 xen_version"), "%s", printk_buf);
    ck_assert_msg(strstr(printk_buf, "2 calls"), "%s", printk_buf);
    ck_assert_msg(strstr(printk_buf, "38 tmem_op"), "%s", printk_buf);
    ck_assert_msg(strstr(printk_buf, "\n >=64 (out of range) "), "%s", printk_buf);
    ck_assert_msg(!strstr(printk_buf, "unassigned"), "%s", printk_buf);
    ck_assert_msg(!strstr(printk_buf, "console_io"), "d7's call in d0's "
                  "dump:\n%s", printk_buf);
}
END_TEST

/* The TLB flushes a handler causes for frame reuse land in its own row. */
START_TEST(reuse_flushes_counted_per_hypercall)
{
    setup_domains();
    call(&vcpu_a, __HYPERVISOR_mmu_update);
    call(&vcpu_a, __HYPERVISOR_mmu_update);
    call(&vcpu_a, __HYPERVISOR_xen_version);
    ck_assert_uint_eq(dom_a.hc_stats[__HYPERVISOR_mmu_update].reuse_flushes, 4);
    ck_assert_uint_eq(dom_a.hc_stats[__HYPERVISOR_xen_version].reuse_flushes, 0);
    hypercall_stats_dump(&dom_a);
    ck_assert_msg(strstr(printk_buf, "4 flushes"), "%s", printk_buf);
    ck_assert_msg(strstr(printk_buf, "tlb flushes:"), "%s", printk_buf);
}
END_TEST

START_TEST(hc_fail_logs_only_at_debug)
{
    setup_domains();
    ck_assert_int_eq(hc_fail(-XEN_EINVAL, "reason %d", 42), -XEN_EINVAL);
    ck_assert_uint_eq(harness_log_len, 0);
    console_loglvl = LOG_DEBUG;
    ck_assert_int_eq(hc_fail(-XEN_EFAULT, "reason %d", 43), -XEN_EFAULT);
    ck_assert_log_contains("test_hypercall_doc.c:");
    ck_assert_log_contains("rc -14: reason 43");
}
END_TEST

/* ---- the hypercall page ---------------------------------------------- */

/* Xen 4.17 (xen/arch/x86/pv/hypercall.c, pv_ring3_init_hypercall_page,
 * after init_hypercall_page filled the page with int3). */
static const uint8_t xen_stub_head[] = { 0x51, 0x41, 0x53, 0xb8 };
static const uint8_t xen_stub_tail[] = { 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
static const uint8_t xen_iret_stub[] = {
    0x51, 0x41, 0x53, 0x50, 0xb8, 0x17, 0x00, 0x00, 0x00, 0x0f, 0x05,
};

static void expected_stub(unsigned int i, uint8_t out[STUB_BYTES])
{
    uint8_t *p = out;

    memset(out, 0xcc, STUB_BYTES);
    if (i == __HYPERVISOR_iret) {
        memcpy(p, xen_iret_stub, sizeof(xen_iret_stub));
        return;
    }
    memcpy(p, xen_stub_head, sizeof(xen_stub_head));
    p += sizeof(xen_stub_head);
    *p++ = (uint8_t)i, *p++ = 0, *p++ = 0, *p++ = 0;   /* imm32, LE */
    memcpy(p, xen_stub_tail, sizeof(xen_stub_tail));
}

START_TEST(hypercall_page_is_xens)
{
    static uint8_t page[PAGE_BYTES];
    uint8_t want[STUB_BYTES];
    static const uint8_t stub0[STUB_BYTES] = {
        0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3,
        0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
        0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
    };

    memset(page, 0x5a, sizeof(page));          /* everything must be written */
    hypercall_page_init(page);
    ck_assert_msg(!memcmp(page, stub0, STUB_BYTES), "stub 0 differs");
    for (unsigned int i = 0; i < PAGE_BYTES / STUB_BYTES; i++) {
        expected_stub(i, want);
        for (unsigned int b = 0; b < STUB_BYTES; b++)
            ck_assert_msg(page[i * STUB_BYTES + b] == want[b],
                          "stub %u byte %u: %#x, want %#x", i, b,
                          page[i * STUB_BYTES + b], want[b]);
    }
    /* The iret stub in full, and the byte after it: padding. */
    ck_assert(!memcmp(page + 23 * STUB_BYTES, xen_iret_stub,
                      sizeof(xen_iret_stub)));
    ck_assert_uint_eq(page[23 * STUB_BYTES + sizeof(xen_iret_stub)], 0xcc);
    ck_assert_uint_eq(page[127 * STUB_BYTES + 4], 127);
}
END_TEST

static Suite *hypercall_doc_suite(void)
{
    Suite *s = suite_create("hypercall_doc");
    TCase *doc = tcase_create("docs");
    TCase *dispatch = tcase_create("dispatch");
    TCase *page = tcase_create("page");

    tcase_add_test(doc, doc_table_has_every_number_in_order);
    tcase_add_test(doc, doc_status_and_name_match_table);
    tcase_add_test(doc, doc_handler_cells_name_the_handler);
    tcase_add_test(doc, doc_subop_rows_match_abi_and_parents);
    tcase_add_test(dispatch, dispatch_reaches_each_handler);
    tcase_add_test(dispatch, dispatch_enosys_for_empty_and_out_of_range);
    tcase_add_test(dispatch, dispatch_counts_per_hypercall_and_domain);
    tcase_add_test(dispatch, enosys_logged_once_per_number_and_domain);
    tcase_add_test(dispatch, enosys_log_keeps_last_slot_and_out_of_range_apart);
    tcase_add_test(dispatch, enosys_log_of_the_syscall_bucket);
    tcase_add_test(dispatch, stats_dump_prints_used_numbers);
    tcase_add_test(dispatch, reuse_flushes_counted_per_hypercall);
    tcase_add_test(dispatch, dispatch_counts_without_sampling);
    tcase_add_test(dispatch, hc_fail_logs_only_at_debug);
    tcase_add_test(page, hypercall_page_is_xens);
    suite_add_tcase(s, doc);
    suite_add_tcase(s, dispatch);
    suite_add_tcase(s, page);
    return s;
}

int main(void)
{
    return harness_main(hypercall_doc_suite());
}
