/* SPDX-License-Identifier: MIT */
/*
 * xlcfg.h - the xl.cfg(5) parser: what `pvctl check` and `pvctl create`
 * read a domain's configuration with.
 * Owns:    the syntax tree of a config file (struct xlcfg), the domain
 *          description built from it (struct domain_config, what the
 *          domain builder consumes), the diagnostics (struct xlcfg_diags).
 * Touches: nothing outside the caller's buffers and the C heap (the
 *          library is plain C99 + stdio so that the musl build for dom0
 *          and the host build for the unit tests are the same code).
 *
 * Two steps, as xl's libxlu and xl itself split them:
 *   1. xlcfg_parse() reads text into settings (KEY = VALUE, KEY += VALUE);
 *      syntax errors are collected, not fatal, up to XLCFG_MAX_ERRORS.
 *      xlcfg_parse_override() parses one `key=value` from the command
 *      line as one more line of the config (xl create's extra_config).
 *   2. xlcfg_domain() turns the settings into a struct domain_config,
 *      validating every value and warning about every key pvctl does not
 *      implement.
 * Every message is "FILE:LINE:COL: problem" (warnings: "FILE:LINE:COL:
 * warning: ..."); a problem with no place (a missing key) is "FILE: ...".
 */
#ifndef PVISOR_TOOLSTACK_XLCFG_H
#define PVISOR_TOOLSTACK_XLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- diagnostics ------------------------------------------------------ */

#define XLCFG_MAX_ERRORS  20     /* then "too many errors" and stop */
#define XLCFG_MAX_DIAGS   64     /* errors + warnings kept */
#define XLCFG_DIAG_LEN    240

struct xlcfg_diag {
    bool warning;
    char text[XLCFG_DIAG_LEN];   /* "FILE:LINE:COL: ..." */
};

struct xlcfg_diags {
    unsigned nerrors, nwarnings;
    unsigned count;              /* entries in diag[] */
    unsigned dropped;            /* warnings past XLCFG_MAX_DIAGS */
    bool stopped;                /* XLCFG_MAX_ERRORS reached */
    struct xlcfg_diag diag[XLCFG_MAX_DIAGS];
};

/* ---- step 1: the syntax ------------------------------------------------ */

enum xlcfg_kind { XLCFG_STRING, XLCFG_LIST };

/* A value as libxlu keeps it: an atom (quoted string or number, both kept
 * as text: `memory = "512"` and `memory = 512` mean the same) or a list. */
struct xlcfg_value {
    enum xlcfg_kind kind;
    bool number;                 /* atom written as a NUMBER token */
    char *str;                   /* XLCFG_STRING: dequoted text */
    struct xlcfg_value **items;  /* XLCFG_LIST */
    size_t nitems;
    const char *file;
    int line, col;
};

struct xlcfg_setting {
    char *key;
    struct xlcfg_value *value;
    const char *file;            /* where it was (last) set */
    int line, col;
    bool used;                   /* consumed by xlcfg_domain() */
};

struct xlcfg {
    struct xlcfg_setting *settings;
    size_t nsettings, cap;
    char **files;                /* file names the values point at */
    size_t nfiles;
};

void xlcfg_init(struct xlcfg *cfg);
void xlcfg_free(struct xlcfg *cfg);
/* Parse LEN bytes of TEXT (no NUL needed) named FILE into CFG; a later
 * setting of a key replaces an earlier one. Returns the number of errors
 * this call added to D. */
unsigned xlcfg_parse(struct xlcfg *cfg, const char *file, const char *text,
                     size_t len, struct xlcfg_diags *d);
/* One command-line override, `key=value` as xl takes it (number INDEX,
 * from 1, names it in messages: "<command line 2>:1:7: ..."). */
unsigned xlcfg_parse_override(struct xlcfg *cfg, int index, const char *arg,
                              struct xlcfg_diags *d);
/* The setting KEY, or NULL. */
struct xlcfg_setting *xlcfg_get(const struct xlcfg *cfg, const char *key);

/* ---- step 2: the domain ------------------------------------------------ */

/* on_poweroff / on_reboot / on_crash (xl.cfg(5) "Event Actions"). */
enum xlcfg_action {
    XLCFG_ACT_DESTROY, XLCFG_ACT_RESTART, XLCFG_ACT_PRESERVE,
    XLCFG_ACT_RENAME_RESTART, XLCFG_ACT_COREDUMP_DESTROY,
    XLCFG_ACT_COREDUMP_RESTART, XLCFG_ACT_SOFT_RESET,
};
const char *xlcfg_action_name(enum xlcfg_action a);

/* xl-disk-configuration(5). */
enum xlcfg_disk_format {
    XLCFG_FMT_RAW, XLCFG_FMT_QCOW, XLCFG_FMT_QCOW2, XLCFG_FMT_VHD,
    XLCFG_FMT_QED, XLCFG_FMT_EMPTY,
};
enum xlcfg_backendtype {
    XLCFG_BT_DEFAULT, XLCFG_BT_PHY, XLCFG_BT_QDISK, XLCFG_BT_TAP,
    XLCFG_BT_STANDALONE,
};
struct xlcfg_disk {
    char *spec;                  /* as written */
    char *target;                /* "" for an empty cdrom */
    enum xlcfg_disk_format format;
    char vdev[32];
    bool readonly;
    bool cdrom;                  /* devtype=cdrom or vdev suffix :cdrom */
    enum xlcfg_backendtype backendtype;
    char *backend;               /* backend domain name, or NULL (dom0) */
    char *script;
    int discard;                 /* -1 default, 0 no-discard, 1 discard */
    bool direct_io_safe;
};
const char *xlcfg_format_name(enum xlcfg_disk_format f);
const char *xlcfg_backendtype_name(enum xlcfg_backendtype b);

/* xl-network-configuration(5). */
struct xlcfg_vif {
    char *spec;
    bool mac_set;                /* else the builder picks 00:16:3e:xx:xx:xx */
    uint8_t mac[6];
    char *bridge, *ip, *model, *type, *vifname, *script, *backend,
         *rate, *gatewaydev;
    unsigned mtu;                /* 0: default */
    int devid;                   /* -1: by position */
};

/* What the builder consumes. Memory in MiB as xl.cfg writes it. */
struct domain_config {
    char *name;
    uint64_t memory_mb, maxmem_mb;
    unsigned vcpus, maxvcpus;
    char *kernel, *ramdisk;      /* paths as written (relative: to the cwd) */
    char *cmdline;               /* cmdline, or "root=ROOT EXTRA"; "" if none */
    enum xlcfg_action on_poweroff, on_reboot, on_crash;
    struct xlcfg_disk *disks;
    size_t ndisks;
    struct xlcfg_vif *vifs;
    size_t nvifs;
};

#define XLCFG_DEFAULT_MEMORY_MB 128
#define XLCFG_MAX_VCPUS         128  /* HVM_MAX_VCPUS, xl's own ceiling */

/* Build DC from CFG (DC is zeroed first and owns copies). Returns the
 * number of errors added to D; DC is valid only when that is 0. */
unsigned xlcfg_domain(struct xlcfg *cfg, const char *file,
                      struct domain_config *dc, struct xlcfg_diags *d);
void domain_config_free(struct domain_config *dc);

/* Parse one disk / vif spec (exported for the tests). Errors are reported
 * against FILE:LINE:COL. */
bool xlcfg_parse_disk(const char *spec, struct xlcfg_disk *disk,
                      const char *file, int line, int col,
                      struct xlcfg_diags *d);
bool xlcfg_parse_vif(const char *spec, struct xlcfg_vif *vif,
                     const char *file, int line, int col,
                     struct xlcfg_diags *d);
void xlcfg_disk_free(struct xlcfg_disk *disk);
void xlcfg_vif_free(struct xlcfg_vif *vif);

/* The whole `pvctl check` front end: read FILE (via stdio), apply the
 * overrides, build DC. Returns the number of errors (an unreadable file
 * is one). */
unsigned xlcfg_load(const char *file, char *const overrides[], int noverrides,
                    struct domain_config *dc, struct xlcfg_diags *d);
/* Print DC readably (what `pvctl check` prints), to a FILE *. */
void domain_config_print(const struct domain_config *dc, void *stdio_file);
/* Domain names as xl takes them (see xlcfg.c); NULL if OK, else why not. */
const char *xlcfg_name_problem(const char *name);


/* For the library's own files (xlcfg.c, xlcfg_domain.c). */
void xlcfg_error(struct xlcfg_diags *d, const char *file, int line, int col,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void xlcfg_warn(struct xlcfg_diags *d, const char *file, int line, int col,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
char *xlcfg_strdup(const char *s);

#endif
