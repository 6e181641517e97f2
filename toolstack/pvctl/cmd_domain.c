/* SPDX-License-Identifier: MIT */
/*
 * cmd_domain.c - pvctl's subcommands that look at or act on domains that
 * exist: list, info, dmesg, stats, top, pause, unpause, destroy.
 * Owns:    their output formats (xl's where xl has the command) and how a
 *          domain is named on the command line (id, or its store name).
 * Touches: the hypervisor through hv.h (privcmd); the store (pvstored's
 *          socket) for names, read only, except destroy, which removes the
 *          domain's store entries as xl destroy does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/sched.h>
#include <xen/version.h>
#include "pvdev.h"
#include "pvctl.h"
#include "xs.h"

int pvctl_hv_open(struct hv *h)
{
    int rc = hv_open(h);

    if (rc == 0)
        return 0;
    fprintf(stderr, "pvctl: cannot open the privcmd device (/dev/pvisor/privcmd): %s\n"
            "pvctl: it runs in dom0, as root, on pvisor or Xen\n", strerror(-rc));
    return -1;
}

void pvctl_domain_name(struct xs_handle *xs, domid_t id, char *buf, size_t size)
{
    char path[64], *v = NULL;
    size_t len;

    buf[0] = '\0';
    if (xs) {
        snprintf(path, sizeof(path), "/local/domain/%u/name", id);
        if (xs_read(xs, 0, path, &v, &len) == 0)
            snprintf(buf, size, "%s", v);
        free(v);
    }
    if (!buf[0] && id == 0)
        snprintf(buf, size, "Domain-0");
}

/* Every domain, in id order, into *out (malloc'd): how many, or -errno. */
static int all_domains(struct hv *h, struct xen_domctl_getdomaininfo **out)
{
    enum { BATCH = 64 };
    struct xen_domctl_getdomaininfo *all = NULL, *grown;
    unsigned int n = 0;
    domid_t next = 0;

    for (;;) {
        int got;

        grown = realloc(all, (n + BATCH) * sizeof(*all));
        if (!grown) {
            free(all);
            return -ENOMEM;
        }
        all = grown;
        got = hv_getdomaininfolist(h, next, BATCH, all + n);
        if (got < 0) {
            free(all);
            return got;
        }
        n += (unsigned int)got;
        if (got < BATCH)
            break;
        next = (domid_t)(all[n - 1].domain + 1);
    }
    *out = all;
    return (int)n;
}

int pvctl_domain_by_name(struct hv *h, const char *name)
{
    struct xen_domctl_getdomaininfo *all;
    struct xs_handle *xs;
    char n[128];
    int count, found = -ENOENT;

    count = all_domains(h, &all);
    if (count < 0)
        return count;
    xs = xs_open(PVCTL_STORE_SOCKET);
    for (int i = 0; i < count && found < 0; i++) {
        pvctl_domain_name(xs, all[i].domain, n, sizeof(n));
        if (!strcmp(n, name))
            found = all[i].domain;
    }
    xs_close(xs);
    free(all);
    return found;
}

int pvctl_domain_arg(struct hv *h, const char *arg, domid_t *id)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    int found;

    if (*arg && !*end) {
        struct xen_domctl_getdomaininfo info;
        if (v >= DOMID_FIRST_RESERVED || hv_getdomaininfo(h, (domid_t)v, &info) < 0 ||
            info.domain != v) {
            fprintf(stderr, "pvctl: no domain %s (see pvctl list)\n", arg);
            return -1;
        }
        *id = (domid_t)v;
        return 0;
    }
    found = pvctl_domain_by_name(h, arg);
    if (found < 0 && found != -ENOENT) {
        fprintf(stderr, "pvctl: cannot list domains: %s\n", strerror(-found));
        return -1;
    }
    if (found < 0) {
        fprintf(stderr, "pvctl: no domain named '%s' (see pvctl list)\n", arg);
        return -1;
    }
    *id = (domid_t)found;
    return 0;
}

/* xl's six state letters: running, blocked, paused, shutdown, crashed,
 * dying. */
static void state_letters(const struct xen_domctl_getdomaininfo *d, char s[7])
{
    unsigned int why = (d->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    bool shut = d->flags & XEN_DOMINF_shutdown;

    s[0] = d->flags & XEN_DOMINF_running ? 'r' : '-';
    s[1] = d->flags & XEN_DOMINF_blocked ? 'b' : '-';
    s[2] = d->flags & XEN_DOMINF_paused ? 'p' : '-';
    s[3] = shut && why != SHUTDOWN_crash ? 's' : '-';
    s[4] = shut && why == SHUTDOWN_crash ? 'c' : '-';
    s[5] = d->flags & XEN_DOMINF_dying ? 'd' : '-';
    s[6] = '\0';
}

static const char *shutdown_name(unsigned int why)
{
    static const char *const names[] = {
        [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
        [SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
        [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
    };
    return why < sizeof(names) / sizeof(names[0]) && names[why] ? names[why] : "unknown";
}

#define PAGES_TO_MIB(p) ((unsigned long long)(p) >> (20 - 12))

/* list [-l]: xl list's columns; -l adds what getdomaininfo tells. */
int cmd_list(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *all;
    struct xs_handle *xs;
    struct hv h;
    bool detail = argc > 1 && !strcmp(argv[1], "-l");
    int n;

    if (argc > 2 || (argc == 2 && !detail)) {
        fprintf(stderr, "usage: pvctl list [-l]\n");
        return PVCTL_USAGE;
    }
    if (pvctl_hv_open(&h) < 0)
        return PVCTL_FAIL;
    n = all_domains(&h, &all);
    hv_close(&h);
    if (n < 0) {
        fprintf(stderr, "pvctl: cannot list domains: %s\n", strerror(-n));
        return PVCTL_FAIL;
    }
    xs = xs_open(PVCTL_STORE_SOCKET);      /* for the names; NULL: none */
    printf("%-32s %5s %6s %5s %6s %9s\n", "Name", "ID", "Mem", "VCPUs", "State", "Time(s)");
    for (int i = 0; i < n; i++) {
        const struct xen_domctl_getdomaininfo *d = &all[i];
        char name[128], st[7];

        pvctl_domain_name(xs, d->domain, name, sizeof(name));
        state_letters(d, st);
        printf("%-32s %5u %6llu %5u %6s %9.1f\n", name[0] ? name : "-", d->domain,
               PAGES_TO_MIB(d->tot_pages), d->nr_online_vcpus, st,
               (double)d->cpu_time / 1e9);
        if (detail) {
            char max[48];

            if (d->max_pages >= UINT32_MAX)     /* dom0 without dom0_mem=max: */
                snprintf(max, sizeof(max), "unlimited");
            else
                snprintf(max, sizeof(max), "%llu MiB (%llu pages)",
                         PAGES_TO_MIB(d->max_pages), (unsigned long long)d->max_pages);
            printf("    max memory %s, %llu pages now, shared_info frame %#llx, "
                   "vCPU ids up to %u\n", max, (unsigned long long)d->tot_pages,
                   (unsigned long long)d->shared_info_frame, d->max_vcpu_id);
            if (d->flags & XEN_DOMINF_shutdown)
                printf("    shut down: %s\n", shutdown_name(
                       (d->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask));
        }
    }
    xs_close(xs);
    free(all);
    return PVCTL_OK;
}

/* info: the host, as xl info's first lines. */
int cmd_info(int argc, char **argv)
{
    struct xen_sysctl_physinfo pi;
    struct hv h;
    char extra[XEN_EXTRAVERSION_LEN] = "";
    long ver;
    int rc;

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: pvctl info\n");
        return PVCTL_USAGE;
    }
    if (pvctl_hv_open(&h) < 0)
        return PVCTL_FAIL;
    rc = hv_physinfo(&h, &pi);
    ver = pv_hypercall(h.fd, __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
    pv_hypercall(h.fd, __HYPERVISOR_xen_version, XENVER_extraversion,
                 (uintptr_t)extra, 0, 0, 0);
    hv_close(&h);
    if (rc < 0) {
        fprintf(stderr, "pvctl: physinfo: %s\n", strerror(-rc));
        return PVCTL_FAIL;
    }
    extra[sizeof(extra) - 1] = '\0';
    printf("nr_cpus                : %u\n", pi.nr_cpus);
    printf("threads_per_core       : %u\n", pi.threads_per_core);
    printf("cores_per_socket       : %u\n", pi.cores_per_socket);
    printf("cpu_mhz                : %u.%03u\n", pi.cpu_khz / 1000, pi.cpu_khz % 1000);
    printf("total_memory           : %llu\n", PAGES_TO_MIB(pi.total_pages));
    printf("free_memory            : %llu\n", PAGES_TO_MIB(pi.free_pages));
    printf("free_pages             : %llu\n", (unsigned long long)pi.free_pages);
    if (ver >= 0)
        printf("xen_version            : %ld.%ld%s\n", ver >> 16, ver & 0xffff, extra);
    return PVCTL_OK;
}

/* dmesg [-c]: the hypervisor's log ring (-c: then clear it). */
int cmd_dmesg(int argc, char **argv)
{
    enum { CHUNK = 4096 };
    bool clear = argc == 2 && !strcmp(argv[1], "-c");
    char *buf;
    uint32_t index = 0;
    struct hv h;
    int n;

    if (argc > 2 || (argc == 2 && !clear)) {
        fprintf(stderr, "usage: pvctl dmesg [-c]\n");
        return PVCTL_USAGE;
    }
    if (pvctl_hv_open(&h) < 0)
        return PVCTL_FAIL;
    buf = malloc(CHUNK);
    if (!buf) {
        hv_close(&h);
        return PVCTL_FAIL;
    }
    /* Incremental reads from index 0 until a read brings nothing new. */
    while ((n = hv_readconsole(&h, buf, CHUNK, &index, 1, 0)) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    if (n == 0 && clear)
        n = hv_readconsole(&h, buf, 1, &index, 0, 1) < 0 ? -1 : 0;
    free(buf);
    hv_close(&h);
    if (n < 0) {
        fprintf(stderr, "pvctl: readconsole: %s\n", strerror(-n));
        return PVCTL_FAIL;
    }
    return PVCTL_OK;
}

static const char *const hypercall_names[PVISOR_NR_HYPERCALLS] = {
    [__HYPERVISOR_set_trap_table] = "set_trap_table",
    [__HYPERVISOR_mmu_update] = "mmu_update",
    [__HYPERVISOR_set_gdt] = "set_gdt",
    [__HYPERVISOR_stack_switch] = "stack_switch",
    [__HYPERVISOR_set_callbacks] = "set_callbacks",
    [__HYPERVISOR_fpu_taskswitch] = "fpu_taskswitch",
    [__HYPERVISOR_sched_op_compat] = "sched_op_compat",
    [__HYPERVISOR_platform_op] = "platform_op",
    [__HYPERVISOR_set_debugreg] = "set_debugreg",
    [__HYPERVISOR_get_debugreg] = "get_debugreg",
    [__HYPERVISOR_update_descriptor] = "update_descriptor",
    [__HYPERVISOR_memory_op] = "memory_op",
    [__HYPERVISOR_multicall] = "multicall",
    [__HYPERVISOR_update_va_mapping] = "update_va_mapping",
    [__HYPERVISOR_set_timer_op] = "set_timer_op",
    [__HYPERVISOR_event_channel_op_compat] = "event_channel_op_compat",
    [__HYPERVISOR_xen_version] = "xen_version",
    [__HYPERVISOR_console_io] = "console_io",
    [__HYPERVISOR_physdev_op_compat] = "physdev_op_compat",
    [__HYPERVISOR_grant_table_op] = "grant_table_op",
    [__HYPERVISOR_vm_assist] = "vm_assist",
    [__HYPERVISOR_update_va_mapping_otherdomain] = "update_va_mapping_otherdomain",
    [__HYPERVISOR_iret] = "iret",
    [__HYPERVISOR_vcpu_op] = "vcpu_op",
    [__HYPERVISOR_set_segment_base] = "set_segment_base",
    [__HYPERVISOR_mmuext_op] = "mmuext_op",
    [__HYPERVISOR_xsm_op] = "xsm_op",
    [__HYPERVISOR_nmi_op] = "nmi_op",
    [__HYPERVISOR_sched_op] = "sched_op",
    [__HYPERVISOR_callback_op] = "callback_op",
    [__HYPERVISOR_xenoprof_op] = "xenoprof_op",
    [__HYPERVISOR_event_channel_op] = "event_channel_op",
    [__HYPERVISOR_physdev_op] = "physdev_op",
    [__HYPERVISOR_hvm_op] = "hvm_op",
    [__HYPERVISOR_sysctl] = "sysctl",
    [__HYPERVISOR_domctl] = "domctl",
    [__HYPERVISOR_kexec_op] = "kexec_op",
    [__HYPERVISOR_tmem_op] = "tmem_op",
    [__HYPERVISOR_argo_op] = "argo_op",
    [__HYPERVISOR_xenpmu_op] = "xenpmu_op",
    [__HYPERVISOR_dm_op] = "dm_op",
    [__HYPERVISOR_hypfs_op] = "hypfs_op",
};

static int stats_one(struct hv *h, struct xs_handle *xs, domid_t id)
{
    pvisor_sysctl_hypercall_stat_t st[PVISOR_NR_HYPERCALLS + 1];
    char name[128];
    int n = hv_hypercall_stats(h, id, st, PVISOR_NR_HYPERCALLS + 1);

    if (n < 0) {
        fprintf(stderr, "pvctl: hypercall counters of d%u: %s\n", id, strerror(-n));
        return -1;
    }
    pvctl_domain_name(xs, id, name, sizeof(name));
    printf("d%u %s\n", id, name);
    printf("  %-30s %12s %16s %12s\n", "hypercall", "calls", "TSC ticks", "ticks/call");
    for (int i = 0; i < n; i++) {
        char unnamed[24];
        const char *hc = i < PVISOR_NR_HYPERCALLS ? hypercall_names[i] : "(out of range)";

        if (!st[i].calls)
            continue;
        if (!hc) {
            snprintf(unnamed, sizeof(unnamed), "#%d", i);
            hc = unnamed;
        }
        printf("  %-30s %12llu %16llu %12llu\n", hc, (unsigned long long)st[i].calls,
               (unsigned long long)st[i].tsc_ticks,
               (unsigned long long)(st[i].tsc_ticks / st[i].calls));
    }
    return 0;
}

/* stats [DOMAIN]: per-hypercall calls and handler time, every domain or one. */
int cmd_stats(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *all = NULL;
    struct xs_handle *xs;
    struct hv h;
    int rc = PVCTL_OK, n;
    domid_t id;

    if (argc > 2) {
        fprintf(stderr, "usage: pvctl stats [DOMAIN]\n");
        return PVCTL_USAGE;
    }
    if (pvctl_hv_open(&h) < 0)
        return PVCTL_FAIL;
    xs = xs_open(PVCTL_STORE_SOCKET);      /* for the names; NULL: none */
    if (argc == 2) {
        rc = pvctl_domain_arg(&h, argv[1], &id) < 0 || stats_one(&h, xs, id) < 0 ?
             PVCTL_FAIL : PVCTL_OK;
    } else if ((n = all_domains(&h, &all)) < 0) {
        fprintf(stderr, "pvctl: cannot list domains: %s\n", strerror(-n));
        rc = PVCTL_FAIL;
    } else {
        for (int i = 0; i < n; i++)
            if (stats_one(&h, xs, all[i].domain) < 0)
                rc = PVCTL_FAIL;
    }
    free(all);
    xs_close(xs);
    hv_close(&h);
    return rc;
}

/* top [-b] [-d SECONDS] [-n ITERATIONS]: CPU share and memory per domain,
 * from the change in cpu_time between two samples. -b: no screen
 * clearing (for logs and tests). */
int cmd_top(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *prev = NULL, *cur;
    struct timespec t0, t1;
    bool batch = false;
    long delay = 1, iterations = -1;
    int np = 0, opt;
    struct xs_handle *xs;
    struct hv h;

    optind = 1;
    while ((opt = getopt(argc, argv, "bd:n:")) != -1) {
        if (opt == 'b')
            batch = true;
        else if (opt == 'd' && (delay = strtol(optarg, NULL, 10)) > 0)
            continue;
        else if (opt == 'n' && (iterations = strtol(optarg, NULL, 10)) > 0)
            continue;
        else {
            fprintf(stderr, "usage: pvctl top [-b] [-d SECONDS] [-n ITERATIONS]\n");
            return PVCTL_USAGE;
        }
    }
    if (pvctl_hv_open(&h) < 0)
        return PVCTL_FAIL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    np = all_domains(&h, &prev);        /* the first sample: CPU% is a rate */
    if (np < 0) {
        fprintf(stderr, "pvctl: cannot list domains: %s\n", strerror(-np));
        hv_close(&h);
        return PVCTL_FAIL;
    }
    xs = xs_open(PVCTL_STORE_SOCKET);      /* for the names; NULL: none */
    for (long it = 0; iterations < 0 || it < iterations; it++) {
        int n;
        double wall;

        sleep((unsigned int)delay);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        wall = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
        t0 = t1;
        n = all_domains(&h, &cur);
        if (n < 0) {
            fprintf(stderr, "pvctl: cannot list domains: %s\n", strerror(-n));
            free(prev);
            xs_close(xs);
            hv_close(&h);
            return PVCTL_FAIL;
        }
        if (!batch)
            printf("\033[H\033[J");
        printf("%-24s %5s %6s %7s %8s %5s\n", "NAME", "ID", "STATE", "CPU(%)", "MEM(MiB)", "VCPUS");
        for (int i = 0; i < n; i++) {
            uint64_t before = 0;
            char name[128], st[7];

            for (int j = 0; j < np; j++)
                if (prev[j].domain == cur[i].domain)
                    before = prev[j].cpu_time;
            pvctl_domain_name(xs, cur[i].domain, name, sizeof(name));
            state_letters(&cur[i], st);
            printf("%-24s %5u %6s %7.1f %8llu %5u\n", name[0] ? name : "-",
                   cur[i].domain, st,
                   wall > 0 ? 100.0 * (double)(cur[i].cpu_time - before) / wall : 0.0,
                   PAGES_TO_MIB(cur[i].tot_pages), cur[i].nr_online_vcpus);
        }
        fflush(stdout);
        free(prev);
        prev = cur;
        np = n;
    }
    free(prev);
    xs_close(xs);
    hv_close(&h);
    return PVCTL_OK;
}

/* pause/unpause/destroy DOMAIN: one domctl each (destroy also clears the
 * domain's store entries, as xl does). */
static int one_domain_op(int argc, char **argv,
                         int (*op)(struct hv *, domid_t), const char *what)
{
    struct hv h;
    domid_t id;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: pvctl %s DOMAIN\n", argv[0]);
        return PVCTL_USAGE;
    }
    if (pvctl_hv_open(&h) < 0)
        return PVCTL_FAIL;
    if (pvctl_domain_arg(&h, argv[1], &id) < 0) {
        hv_close(&h);
        return PVCTL_FAIL;
    }
    if (id == 0) {
        fprintf(stderr, "pvctl: %s: domain 0 is this one: refused\n", argv[0]);
        hv_close(&h);
        return PVCTL_FAIL;
    }
    rc = op(&h, id);
    hv_close(&h);
    if (rc < 0) {
        fprintf(stderr, "pvctl: %s d%u: %s\n", what, id, strerror(-rc));
        return PVCTL_FAIL;
    }
    return PVCTL_OK;
}

int cmd_pause(int argc, char **argv)
{
    return one_domain_op(argc, argv, hv_pausedomain, "pause");
}

int cmd_unpause(int argc, char **argv)
{
    return one_domain_op(argc, argv, hv_unpausedomain, "unpause");
}

int cmd_destroy(int argc, char **argv)
{
    return one_domain_op(argc, argv, pvctl_teardown, "destroy");
}
