/* SPDX-License-Identifier: MIT */
/*
 * pvbuild.c - a debugging front end to the toolstack's domain builder:
 *             build one domain from a kernel file and print its layout,
 *             without the store or a console (pvctl create does those).
 * Owns:    its command line; nothing else.
 * Touches: the hypervisor through hv.h (privcmd), unless -n.
 *
 *   pvbuild [-n] [-p] [-w SECONDS] [-r RAMDISK] [-c CMDLINE] [-v VCPUS]
 *           KERNEL MEMORY_MIB
 *
 *   -n  only parse the kernel and print the layout (no hypervisor needed:
 *       runs on the build machine, tests/toolstack's toolstack-pvbuild)
 *   -p  leave the built domain paused (default: unpause it)
 *   -w  wait up to SECONDS for the domain to shut down, say how it did,
 *       and destroy it (exit status 1 if it did not)
 *
 * Exit status: 0 built (or laid out), 1 refused or failed, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dom_build.h"
#include "hv.h"

static void print_line(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line);
}

static int usage(void)
{
    fprintf(stderr, "usage: pvbuild [-n] [-p] [-w SECONDS] [-r RAMDISK] "
            "[-c CMDLINE] [-v VCPUS] KERNEL MEMORY_MIB\n");
    return 2;
}

struct opts {
    bool dry, paused;
    const char *ramdisk, *cmdline, *kernel;
    unsigned int vcpus, wait_s;
    uint64_t mem_mib;
};

static int parse_args(int argc, char **argv, struct opts *o)
{
    int c;
    char *end;

    o->vcpus = 1;
    while ((c = getopt(argc, argv, "npw:r:c:v:")) != -1) {
        switch (c) {
        case 'n': o->dry = true; break;
        case 'p': o->paused = true; break;
        case 'r': o->ramdisk = optarg; break;
        case 'c': o->cmdline = optarg; break;
        case 'v': o->vcpus = (unsigned int)strtoul(optarg, NULL, 0); break;
        case 'w': o->wait_s = (unsigned int)strtoul(optarg, NULL, 0); break;
        default:  return -1;
        }
    }
    if (argc - optind != 2)
        return -1;
    o->kernel = argv[optind];
    o->mem_mib = strtoull(argv[optind + 1], &end, 0);
    return *end || !o->mem_mib ? -1 : 0;
}

/* -w: poll the domain's state every 100 ms until it shuts down. */
static int wait_shutdown(struct hv *hv, domid_t dom, unsigned int seconds,
                         char *err)
{
    struct xen_domctl_getdomaininfo info;

    for (unsigned int i = 0; i < seconds * 10; i++) {
        int rc = hv_getdomaininfo(hv, dom, &info);
        if (rc || info.domain != dom) {
            snprintf(err, DOM_ERR_MAX, "d%u is gone (%s)", dom,
                     rc ? strerror(-rc) : "no such domain");
            return -1;
        }
        if (info.flags & XEN_DOMINF_shutdown) {
            printf("d%u shut down, code %u, %lu pages; destroying it\n", dom,
                   (info.flags >> XEN_DOMINF_shutdownshift) &
                   XEN_DOMINF_shutdownmask, (unsigned long)info.tot_pages);
            rc = hv_destroydomain(hv, dom);
            if (rc)
                snprintf(err, DOM_ERR_MAX, "destroying d%u: %s", dom,
                         strerror(-rc));
            return rc ? -1 : 0;
        }
        usleep(100000);
    }
    snprintf(err, DOM_ERR_MAX, "d%u still running after %u s", dom, seconds);
    return -1;
}

static int build(const struct opts *o, const struct dom_elf *elf,
                 const void *rd, size_t rd_len, char *err)
{
    struct dom_build_params p = {
        .elf = elf, .ramdisk = rd, .ramdisk_len = rd_len,
        .mem_bytes = o->mem_mib << 20, .vcpus = o->vcpus, .cmdline = o->cmdline,
    };
    struct dom_build_result res;
    struct hv hv;
    int rc = hv_open(&hv);

    if (rc) {
        snprintf(err, DOM_ERR_MAX, "privcmd: %s (not in dom0?)", strerror(-rc));
        return -1;
    }
    if (dom_build(&hv, &p, &res, err, DOM_ERR_MAX)) {
        hv_close(&hv);
        return -1;
    }
    printf("d%u built: store mfn %#lx port %u, console mfn %#lx port %u\n",
           res.domid, (unsigned long)res.store_mfn, res.store_port,
           (unsigned long)res.console_mfn, res.console_port);
    dom_layout_print(&res.layout, print_line, NULL);
    if (!o->paused && (rc = hv_unpausedomain(&hv, res.domid))) {
        snprintf(err, DOM_ERR_MAX, "unpausing d%u: %s", res.domid, strerror(-rc));
        hv_close(&hv);
        return -1;
    }
    printf("d%u %s\n", res.domid, o->paused ? "paused" : "running");
    fflush(stdout);
    rc = o->wait_s && !o->paused ? wait_shutdown(&hv, res.domid, o->wait_s, err) : 0;
    hv_close(&hv);
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o = { 0 };
    char err[DOM_ERR_MAX];
    void *kdata = NULL, *rd = NULL;
    size_t klen, rd_len = 0;
    struct dom_elf elf;
    int rc = 1;

    if (parse_args(argc, argv, &o))
        return usage();
    if (dom_read_file(o.kernel, &kdata, &klen, err, sizeof(err)) ||
        (o.ramdisk && dom_read_file(o.ramdisk, &rd, &rd_len, err, sizeof(err))))
        goto out;
    if (dom_elf_parse(o.kernel, kdata, klen, &elf, err, sizeof(err)))
        goto out;
    printf("%s: %s, %s %s, entry %#lx%s\n", o.kernel, elf.wrapper,
           elf.guest_os, elf.guest_ver, (unsigned long)elf.entry,
           elf.hypercall_page != DOM_UNSET ? ", hypercall page" : "");
    if (elf.warning[0])
        printf("%s: warning: %s\n", o.kernel, elf.warning);
    if (o.dry) {
        struct dom_layout_params lp = { .elf = &elf, .mem_bytes = o.mem_mib << 20,
                                        .ramdisk_len = rd_len, .vcpus = o.vcpus };
        struct dom_layout l;
        if (dom_layout_compute(&lp, &l, err, sizeof(err)) == 0) {
            dom_layout_print(&l, print_line, NULL);
            rc = 0;
        }
    } else {
        rc = build(&o, &elf, rd, rd_len, err) ? 1 : 0;
    }
    dom_elf_free(&elf);
out:
    if (rc)
        fprintf(stderr, "pvbuild: %s\n", err);
    free(kdata);
    free(rd);
    return rc;
}
