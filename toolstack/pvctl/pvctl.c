/* SPDX-License-Identifier: MIT */
/*
 * pvctl.c - the dom0 toolstack command, in the spirit of xl(1).
 * Owns:    subcommand dispatch, usage text, exit statuses, `pvctl check`.
 * Touches: the config file named on the command line (read only),
 *          stdout/stderr; the hypervisor and the store through the
 *          subcommands' files (cmd_*.c).
 *
 * Exit status: 0 success, 1 the command failed (a config with errors),
 * 2 usage error or a subcommand that is not implemented yet.
 * The same source builds for dom0 (musl, static: /sbin/pvctl in the
 * initramfs) and for the host (build/toolstack/pvctl-host), so configs
 * can be checked before booting anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvctl.h"
#include "xlcfg.h"

struct subcommand {
    const char *name;
    const char *args;
    const char *help;
    int (*run)(int argc, char **argv);   /* NULL: not implemented yet */
};

static int cmd_check(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct subcommand subcommands[] = {
    { "create",   "CFG [-c] [KEY=VALUE ...]",
      "build and start a domain from an xl.cfg file (-c: attach its console)", cmd_create },
    { "check",    "CFG [KEY=VALUE ...]",
      "parse and validate an xl.cfg file, print the domain it describes", cmd_check },
    { "list",     "[-l]",         "list domains (-l: in detail)", cmd_list },
    { "destroy",  "DOMAIN",       "end a domain at once, returning its memory", cmd_destroy },
    { "shutdown", "[-w] DOMAIN",  "ask a domain to power off (-w: wait for it)", cmd_shutdown },
    { "reboot",   "DOMAIN",       "ask a domain to reboot", cmd_reboot },
    { "pause",    "DOMAIN",       "stop scheduling a domain's vCPUs", cmd_pause },
    { "unpause",  "DOMAIN",       "schedule a paused domain again", cmd_unpause },
    { "console",  "DOMAIN",       "attach to a domain's console (Ctrl-] detaches)", cmd_console },
    { "info",     "",             "the host: CPUs, memory, free memory", cmd_info },
    { "dmesg",    "[-c]",         "the hypervisor's log (-c: then clear it)", cmd_dmesg },
    { "stats",    "[DOMAIN]",     "hypercall counts and cost, per domain", cmd_stats },
    { "top",      "[-b] [-d S] [-n N]", "domains' CPU and memory use, refreshed", cmd_top },
    { "help",     "",             "this text", cmd_help },
};
#define NSUB (sizeof(subcommands) / sizeof(subcommands[0]))

static void usage(FILE *f)
{
    fprintf(f, "usage: pvctl SUBCOMMAND [ARGS]\n\nsubcommands:\n");
    for (size_t i = 0; i < NSUB; i++) {
        char left[48];
        snprintf(left, sizeof(left), "%s %s", subcommands[i].name,
                 subcommands[i].args);
        fprintf(f, "  %-34s %s%s\n", left, subcommands[i].help,
                subcommands[i].run ? "" : " [not yet]");
    }
    fprintf(f, "\nConfig files are xl.cfg(5); see docs/pvctl.md for the keys "
               "pvctl implements.\n");
}

static int cmd_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    usage(stdout);
    return 0;
}

unsigned pvctl_load_config(const char *file, char *const overrides[],
                           int noverrides, struct domain_config *dc,
                           unsigned *nwarnings)
{
    struct xlcfg_diags *d = calloc(1, sizeof(*d));
    unsigned errors;

    if (!d) {
        fprintf(stderr, "pvctl: out of memory\n");
        return 1;
    }
    errors = xlcfg_load(file, overrides, noverrides, dc, d);
    for (unsigned i = 0; i < d->count; i++)
        fprintf(stderr, "%s\n", d->diag[i].text);
    if (d->dropped)
        fprintf(stderr, "%s: %u more messages not shown\n", file, d->dropped);
    if (nwarnings)
        *nwarnings = d->nwarnings;
    if (errors)
        fprintf(stderr, "%s: %u error%s: nothing created\n", file, errors,
                errors == 1 ? "" : "s");
    free(d);
    return errors;
}

/* check CFG [KEY=VALUE ...]: what `xl create -n` (dry run) does, readably. */
static int cmd_check(int argc, char **argv)
{
    struct domain_config dc;
    unsigned nwarn = 0;

    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: pvctl check CFG [KEY=VALUE ...]\n");
        return 2;
    }
    if (pvctl_load_config(argv[1], argv + 2, argc - 2, &dc, &nwarn) != 0)
        return 1;
    domain_config_print(&dc, stdout);
    if (dc.kernel && access(dc.kernel, R_OK) != 0)
        fprintf(stderr, "%s: warning: kernel %s is not readable here "
                "(relative paths are taken from the current directory, "
                "as xl does)\n", argv[1], dc.kernel);
    if (dc.ramdisk && access(dc.ramdisk, R_OK) != 0)
        fprintf(stderr, "%s: warning: ramdisk %s is not readable here\n",
                argv[1], dc.ramdisk);
    printf("%s: OK (%u warning%s)\n", argv[1], nwarn, nwarn == 1 ? "" : "s");
    domain_config_free(&dc);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
        return cmd_help(argc - 1, argv + 1);
    for (size_t i = 0; i < NSUB; i++) {
        if (strcmp(argv[1], subcommands[i].name))
            continue;
        if (!subcommands[i].run) {
            fprintf(stderr, "pvctl: %s: not implemented yet\n", argv[1]);
            return 2;
        }
        return subcommands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "pvctl: unknown subcommand '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
