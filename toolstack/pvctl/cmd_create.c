/* SPDX-License-Identifier: MIT */
/*
 * cmd_create.c - pvctl's subcommands that start, watch and end guests:
 * create, console, shutdown, reboot; and the end of a domain that destroy
 * shares.
 * Owns:    the order of `xl create`'s steps (guest-abi.md section 3): the
 *          config, the kernel, room in memory, the build (dom_build.c),
 *          the store entries and XS_INTRODUCE (dom_store.c), the console
 *          backend's `add`, unpause; then the per-domain monitor, a child
 *          process that applies on_poweroff/on_reboot/on_crash, as xl's;
 *          --timing's TSC stamps of those steps.
 * Touches: the hypervisor (hv.h), the store (xs.h), pvconsoled's socket
 *          (console_client.h), the kernel and ramdisk files.
 *
 * Failure at any step after the build tears down what was made (the store
 * entries, the console, the domain), so a failed create leaves nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/sched.h>
#include "console_client.h"
#include "dom_build.h"
#include "dom_store.h"
#include "pvctl.h"
#include "xlcfg.h"
#include "xs.h"

#define KIB_PER_MIB 1024ULL

/*
 * create --timing: the TSC at each step's end (bench/create.sh reads the
 * line). Off, a stamp is one test of a flag. Under QEMU's -icount shift=0
 * the deltas are instructions, elsewhere TSC ticks.
 */
enum { T_START, T_READ, T_BUILD, T_STORE, T_CONSOLE, T_UNPAUSE, T_N };
static bool timing;
static uint64_t stamp[T_N];

static void tsc_stamp(int at)
{
    uint32_t lo, hi;

    if (!timing)
        return;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    stamp[at] = (uint64_t)hi << 32 | lo;
}

/* The end of a domain, in xl destroy's order: the console backend stops
 * serving it, the store releases it and forgets its entries, the
 * hypervisor destroys it (restarting until every frame is back). Every
 * step is tried; the first failure of the domain itself is returned. */
int pvctl_teardown(struct hv *h, domid_t id)
{
    char cmd[32], reply[256];
    struct xs_handle *xs;
    int rc;

    snprintf(cmd, sizeof(cmd), "remove %u", id);
    pvcons_command(NULL, cmd, reply, sizeof(reply));     /* may not serve it */
    xs = xs_open(PVCTL_STORE_SOCKET);
    if (xs) {
        dom_store_remove(xs, id);
        xs_close(xs);
    }
    rc = hv_destroydomain(h, id);
    return rc == -ESRCH ? 0 : rc;
}

struct created {
    domid_t id;
    char uuid[37];
};

/* Build, register and start one domain from dc: 0 and *out, or -1 after
 * saying what failed (nothing is left behind). */
static int create_domain(struct hv *h, const struct domain_config *dc,
                         const char *cfgfile, struct created *out)
{
    char err[DOM_ERR_MAX + 64], cmd[160], reply[256];
    struct dom_build_params bp = { 0 };
    struct dom_build_result res;
    struct dom_store_info si = { 0 };
    struct xen_sysctl_physinfo pi;
    struct dom_elf elf;
    struct xs_handle *xs = NULL;
    void *kernel = NULL, *ramdisk = NULL;
    size_t klen = 0, rlen = 0;
    uint64_t need;
    int rc, other;

    other = pvctl_domain_by_name(h, dc->name);
    if (other >= 0) {
        fprintf(stderr, "pvctl: %s: a domain named '%s' already exists (d%d): "
                "destroy it or set name= to another\n", cfgfile, dc->name, other);
        return -1;
    }
    if (dom_read_file(dc->kernel, &kernel, &klen, err, sizeof(err)) < 0 ||
        (dc->ramdisk && dom_read_file(dc->ramdisk, &ramdisk, &rlen, err, sizeof(err)) < 0)) {
        fprintf(stderr, "pvctl: %s: %s\n", cfgfile, err);
        goto fail_files;
    }
    if (dom_elf_parse(dc->kernel, kernel, klen, &elf, err, sizeof(err)) < 0) {
        fprintf(stderr, "pvctl: %s: %s\n", cfgfile, err);
        goto fail_files;
    }
    if (elf.warning[0])
        fprintf(stderr, "pvctl: %s: warning: %s\n", dc->kernel, elf.warning);

    /* Room: the guest's memory comes from the hypervisor's free pages. */
    need = dc->memory_mb << (20 - 12);
    rc = hv_physinfo(h, &pi);
    if (rc < 0) {
        fprintf(stderr, "pvctl: physinfo: %s\n", strerror(-rc));
        goto fail_elf;
    }
    if (pi.free_pages < need) {
        fprintf(stderr, "pvctl: %s: not enough free memory for '%s': it needs "
                "%llu MiB, the hypervisor has %llu MiB free (%llu MiB missing); "
                "lower memory= or end a domain (pvctl list, pvctl info)\n",
                cfgfile, dc->name, (unsigned long long)dc->memory_mb,
                (unsigned long long)(pi.free_pages >> 8),
                (unsigned long long)((need - pi.free_pages + 255) >> 8));
        goto fail_elf;
    }

    xs = xs_open(PVCTL_STORE_SOCKET);
    if (!xs) {
        fprintf(stderr, "pvctl: cannot reach the store at %s: %s (is pvstored "
                "running? /etc/init.d/rcS starts it)\n", PVCTL_STORE_SOCKET,
                strerror(errno));
        goto fail_elf;
    }

    tsc_stamp(T_READ);
    bp.elf = &elf;
    bp.ramdisk = ramdisk;
    bp.ramdisk_len = rlen;
    bp.mem_bytes = dc->memory_mb << 20;
    bp.maxmem_bytes = (dc->maxmem_mb > dc->memory_mb ? dc->maxmem_mb : dc->memory_mb) << 20;
    bp.vcpus = dc->vcpus;
    bp.cmdline = dc->cmdline;
    if (dom_build(h, &bp, &res, err, sizeof(err)) < 0) {
        fprintf(stderr, "pvctl: %s: building '%s' failed: %s\n", cfgfile,
                dc->name, err);
        goto fail_xs;
    }
    tsc_stamp(T_BUILD);

    si.domid = res.domid;
    si.name = dc->name;
    dom_store_new_uuid(si.uuid);
    si.memory_kb = dc->memory_mb * KIB_PER_MIB;
    si.maxmem_kb = (bp.maxmem_bytes >> 20) * KIB_PER_MIB;
    si.vcpus = dc->vcpus;
    si.maxvcpus = dc->maxvcpus ? dc->maxvcpus : dc->vcpus;
    si.store_mfn = res.store_mfn;
    si.store_port = res.store_port;
    si.console_mfn = res.console_mfn;
    si.console_port = res.console_port;
    rc = dom_store_create(xs, &si, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "pvctl: %s: d%u: %s\n", cfgfile, res.domid, err);
        goto fail_domain;
    }
    tsc_stamp(T_STORE);
    snprintf(cmd, sizeof(cmd), "add %u %u %#llx %s", res.domid, res.console_port,
             (unsigned long long)res.console_mfn, dc->name);
    rc = pvcons_command(NULL, cmd, reply, sizeof(reply));
    if (rc < 0) {
        fprintf(stderr, "pvctl: %s: d%u: the console backend %s: %s\n", cfgfile,
                res.domid, rc == -EIO ? "refused it" : "cannot be reached",
                rc == -EIO ? reply : strerror(-rc));
        fprintf(stderr, "pvctl: (is pvconsoled running? /etc/init.d/rcS starts it)\n");
        goto fail_domain;
    }
    tsc_stamp(T_CONSOLE);
    rc = hv_unpausedomain(h, res.domid);
    if (rc < 0) {
        fprintf(stderr, "pvctl: d%u: unpause: %s\n", res.domid, strerror(-rc));
        goto fail_domain;
    }
    tsc_stamp(T_UNPAUSE);
    xs_close(xs);
    dom_elf_free(&elf);
    free(kernel);
    free(ramdisk);
    out->id = res.domid;
    memcpy(out->uuid, si.uuid, sizeof(out->uuid));
    return 0;

fail_domain:
    xs_close(xs);
    xs = NULL;
    pvctl_teardown(h, res.domid);
fail_xs:
    if (xs)
        xs_close(xs);
fail_elf:
    dom_elf_free(&elf);
fail_files:
    free(kernel);
    free(ramdisk);
    fprintf(stderr, "pvctl: %s: nothing created\n", cfgfile);
    return -1;
}

/*
 * The domain's monitor (xl's per-domain daemon): waits on the store's
 * @releaseDomain, and when id has shut down applies the config's action.
 * Runs in a child of create, detached from the terminal; logs to stderr,
 * which is the monitor log.
 */
static void monitor(struct hv *h, const struct domain_config *dc,
                    const char *cfgfile, domid_t id)
{
    struct xs_handle *xs = xs_open(PVCTL_STORE_SOCKET);

    if (!xs || xs_watch(xs, "@releaseDomain", "pvctl-monitor")) {
        fprintf(stderr, "pvctl monitor: d%u: cannot watch the store: the "
                "domain's on_* actions will not run\n", id);
        _exit(1);
    }
    for (;;) {
        struct xen_domctl_getdomaininfo info;
        char *path = NULL, *token = NULL;
        enum xlcfg_action act;
        unsigned int why;
        struct created again;

        if (hv_getdomaininfo(h, id, &info) < 0 || info.domain != id ||
            (info.flags & XEN_DOMINF_dying)) {
            dom_store_remove(xs, id);       /* destroyed by someone else */
            _exit(0);
        }
        if (info.flags & XEN_DOMINF_shutdown) {
            why = (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
            act = why == SHUTDOWN_reboot ? dc->on_reboot :
                  why == SHUTDOWN_crash ? dc->on_crash : dc->on_poweroff;
            fprintf(stderr, "pvctl monitor: d%u '%s' shut down (%s): %s\n", id,
                    dc->name, why == SHUTDOWN_reboot ? "reboot" :
                    why == SHUTDOWN_crash ? "crash" : "poweroff",
                    xlcfg_action_name(act));
            if (act == XLCFG_ACT_PRESERVE)
                _exit(0);
            xs_close(xs);
            pvctl_teardown(h, id);
            if (act != XLCFG_ACT_RESTART && act != XLCFG_ACT_RENAME_RESTART &&
                act != XLCFG_ACT_COREDUMP_RESTART)
                _exit(0);
            if (create_domain(h, dc, cfgfile, &again) < 0)
                _exit(1);
            id = again.id;
            xs = xs_open(PVCTL_STORE_SOCKET);
            if (!xs || xs_watch(xs, "@releaseDomain", "pvctl-monitor"))
                _exit(1);
            continue;
        }
        if (xs_read_watch(xs, &path, &token)) {
            fprintf(stderr, "pvctl monitor: d%u: lost the store\n", id);
            _exit(1);
        }
        free(path);
        free(token);
    }
}

/* Start the monitor in a child detached from the terminal. */
static void start_monitor(struct hv *h, const struct domain_config *dc,
                          const char *cfgfile, domid_t id)
{
    char logname[160];
    pid_t pid = fork();

    if (pid < 0) {
        fprintf(stderr, "pvctl: d%u: no monitor (fork: %s): on_poweroff, "
                "on_reboot and on_crash will not run\n", id, strerror(errno));
        return;
    }
    if (pid > 0)
        return;
    setsid();
    signal(SIGHUP, SIG_IGN);
    snprintf(logname, sizeof(logname), "/var/log/pvisor/%s-monitor.log", dc->name);
    int fd = open(logname, O_WRONLY | O_CREAT | O_APPEND, 0644);
    int nul = open("/dev/null", O_RDWR);
    if (nul >= 0) {
        dup2(nul, 0);
        dup2(nul, 1);
    }
    dup2(fd >= 0 ? fd : nul, 2);
    monitor(h, dc, cfgfile, id);
}

/* create --timing: one line, every figure a TSC delta from start. */
static void print_timing(domid_t id)
{
    printf("pvctl: timing d%u start %llu read %llu build %llu store %llu "
           "console %llu unpause %llu total %llu\n", id,
           (unsigned long long)stamp[T_START],
           (unsigned long long)(stamp[T_READ] - stamp[T_START]),
           (unsigned long long)(stamp[T_BUILD] - stamp[T_READ]),
           (unsigned long long)(stamp[T_STORE] - stamp[T_BUILD]),
           (unsigned long long)(stamp[T_CONSOLE] - stamp[T_STORE]),
           (unsigned long long)(stamp[T_UNPAUSE] - stamp[T_CONSOLE]),
           (unsigned long long)(stamp[T_UNPAUSE] - stamp[T_START]));
}

/* create CFG [-c] [--timing] [KEY=VALUE ...] */
int cmd_create(int argc, char **argv)
{
    struct domain_config dc;
    struct created made;
    const char *cfgfile = NULL;
    char *over[64];
    int nover = 0, rc;
    bool attach = false;
    struct hv h;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-c"))
            attach = true;
        else if (!strcmp(argv[i], "--timing"))
            timing = true;
        else if (argv[i][0] == '-' || (!cfgfile && strchr(argv[i], '=')) ||
                 nover == (int)(sizeof(over) / sizeof(over[0])))
            goto usage;
        else if (!cfgfile)
            cfgfile = argv[i];
        else
            over[nover++] = argv[i];
    }
    if (!cfgfile)
        goto usage;
    tsc_stamp(T_START);
    printf("Parsing config from %s\n", cfgfile);
    fflush(stdout);
    if (pvctl_load_config(cfgfile, over, nover, &dc, NULL) != 0)
        return PVCTL_FAIL;
    if (pvctl_hv_open(&h) < 0) {
        domain_config_free(&dc);
        return PVCTL_FAIL;
    }
    if (create_domain(&h, &dc, cfgfile, &made) < 0) {
        hv_close(&h);
        domain_config_free(&dc);
        return PVCTL_FAIL;
    }
    printf("Domain '%s' started: id %u\n", dc.name, made.id);
    if (timing)
        print_timing(made.id);
    fflush(stdout);
    start_monitor(&h, &dc, cfgfile, made.id);
    rc = PVCTL_OK;
    if (attach)
        rc = pvctl_console_attach(made.id);
    hv_close(&h);
    domain_config_free(&dc);
    return rc;

usage:
    fprintf(stderr, "usage: pvctl create CFG [-c] [--timing] [KEY=VALUE ...]\n");
    return PVCTL_USAGE;
}

int pvctl_console_attach(domid_t id)
{
    char err[256];
    int rc = pvcons_attach(NULL, id, 0, 1, err, sizeof(err));

    if (rc < 0) {
        fprintf(stderr, "pvctl: console of d%u: %s\n", id, err);
        return PVCTL_FAIL;
    }
    if (rc == PVCONS_DETACHED)
        fprintf(stderr, "\r\npvctl: detached from d%u's console (pvctl console %u "
                "attaches again)\r\n", id, id);
    return PVCTL_OK;
}

/* console DOMAIN */
int cmd_console(int argc, char **argv)
{
    struct hv h;
    domid_t id;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: pvctl console DOMAIN\n");
        return PVCTL_USAGE;
    }
    if (pvctl_hv_open(&h) < 0)
        return PVCTL_FAIL;
    rc = pvctl_domain_arg(&h, argv[1], &id);
    hv_close(&h);
    if (rc < 0)
        return PVCTL_FAIL;
    if (id == 0) {
        fprintf(stderr, "pvctl: console: d0's console is this one\n");
        return PVCTL_FAIL;
    }
    return pvctl_console_attach(id);
}

/*
 * shutdown [-w] DOMAIN / reboot DOMAIN: xl's way, through the PV control
 * interface: write control/shutdown; a guest that never said it listens
 * (control/feature-poweroff or -reboot) cannot be asked, and xl says so.
 */
static int ask_guest(int argc, char **argv, const char *what)
{
    struct hv h;
    struct xs_handle *xs;
    char path[80], *v = NULL;
    size_t len;
    bool wait = false;
    const char *dom = NULL;
    domid_t id;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-w") && !strcmp(what, "poweroff"))
            wait = true;
        else if (!dom && argv[i][0] != '-')
            dom = argv[i];
        else
            dom = NULL, i = argc;
    }
    if (!dom) {
        fprintf(stderr, "usage: pvctl %s\n", !strcmp(what, "poweroff") ?
                "shutdown [-w] DOMAIN" : "reboot DOMAIN");
        return PVCTL_USAGE;
    }
    if (pvctl_hv_open(&h) < 0)
        return PVCTL_FAIL;
    if (pvctl_domain_arg(&h, dom, &id) < 0) {
        hv_close(&h);
        return PVCTL_FAIL;
    }
    xs = xs_open(PVCTL_STORE_SOCKET);
    if (!xs) {
        fprintf(stderr, "pvctl: cannot reach the store at %s: %s\n",
                PVCTL_STORE_SOCKET, strerror(errno));
        hv_close(&h);
        return PVCTL_FAIL;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/control/feature-%s", id, what);
    if (xs_read(xs, 0, path, &v, &len) != 0 || strcmp(v, "1")) {
        fprintf(stderr, "pvctl: d%u does not listen on the PV control interface "
                "(%s is not 1): it cannot be asked to %s; `pvctl destroy %u` "
                "ends it at once\n", id, path, what, id);
        free(v);
        xs_close(xs);
        hv_close(&h);
        return PVCTL_FAIL;
    }
    free(v);
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", id);
    rc = xs_write(xs, 0, path, what, strlen(what));
    if (rc) {
        fprintf(stderr, "pvctl: writing %s: %s\n", path,
                rc < 0 ? "lost the store" : strerror(rc));
        xs_close(xs);
        hv_close(&h);
        return PVCTL_FAIL;
    }
    if (wait && xs_watch(xs, "@releaseDomain", "pvctl-wait") == 0) {
        struct xen_domctl_getdomaininfo info;
        char *p, *t;

        /* Until it has shut down (or is gone), as xl shutdown -w. */
        while (hv_getdomaininfo(&h, id, &info) == 0 && info.domain == id &&
               !(info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying))) {
            if (xs_read_watch(xs, &p, &t))
                break;
            free(p);
            free(t);
        }
    }
    xs_close(xs);
    hv_close(&h);
    return PVCTL_OK;
}

int cmd_shutdown(int argc, char **argv)
{
    return ask_guest(argc, argv, "poweroff");
}

int cmd_reboot(int argc, char **argv)
{
    return ask_guest(argc, argv, "reboot");
}
