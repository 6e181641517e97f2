/* SPDX-License-Identifier: MIT */
/*
 * xlcfg_domain.c - from xl.cfg settings to a struct domain_config.
 * Owns:    the meaning of each key pvctl implements, their checks, the
 *          disk and vif spec parsers, the warning for every other key, and
 *          the readable dump `pvctl check` prints.
 * Touches: the settings of a struct xlcfg (marks them used), the C heap.
 *
 * Keys implemented (xl.cfg(5)): name, type, builder, memory, maxmem,
 * vcpus, maxvcpus, kernel, ramdisk, cmdline, extra, root, on_poweroff,
 * on_reboot, on_crash, disk, vif. Any other key is named in a warning
 * (xl ignores keys it does not know silently; pvctl never does).
 * Values are read as xl reads them: a number key takes a number or a
 * string holding one (strtol base 0), a string key takes a string or a
 * number's text, a list key takes a list of such atoms.
 */
#include "xlcfg.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* memory/maxmem ceiling: 16 TiB, far above any machine pvisor runs on and
 * well below the overflow of the KiB arithmetic the builder does. */
#define MAX_MEMORY_MB (16ull << 20)

struct ctx {
    struct xlcfg *cfg;
    const char *file;
    struct xlcfg_diags *d;
};

#define ERR_AT(c, v, ...) xlcfg_error((c)->d, (v)->file, (v)->line, (v)->col, __VA_ARGS__)

static struct xlcfg_setting *get(struct ctx *c, const char *key)
{
    struct xlcfg_setting *s = xlcfg_get(c->cfg, key);

    if (s)
        s->used = true;
    return s;
}

/* A single value (xl: "parameter `%s' is a list but should be a single value"). */
static const char *get_string(struct ctx *c, const char *key)
{
    struct xlcfg_setting *s = get(c, key);

    if (!s)
        return NULL;
    if (s->value->kind != XLCFG_STRING) {
        ERR_AT(c, s->value, "'%s' takes a single value, not a list", key);
        return NULL;
    }
    return s->value->str;
}

/* A number key: 1 found, 0 absent, -1 bad. */
static int get_long(struct ctx *c, const char *key, long long *out,
                    struct xlcfg_value **where)
{
    struct xlcfg_setting *s = get(c, key);
    char *end;

    if (!s)
        return 0;
    *where = s->value;
    if (s->value->kind != XLCFG_STRING) {
        ERR_AT(c, s->value, "'%s' takes a number, not a list", key);
        return -1;
    }
    errno = 0;
    *out = strtoll(s->value->str, &end, 0);
    if (end == s->value->str || *end != '\0') {
        ERR_AT(c, s->value, "'%s' = \"%s\": not a number", key, s->value->str);
        return -1;
    }
    if (errno == ERANGE) {
        ERR_AT(c, s->value, "'%s' = %s: out of range", key, s->value->str);
        return -1;
    }
    return 1;
}

/* A list key whose items are single values. */
static struct xlcfg_value *get_list(struct ctx *c, const char *key)
{
    struct xlcfg_setting *s = get(c, key);

    if (!s)
        return NULL;
    if (s->value->kind != XLCFG_LIST) {
        ERR_AT(c, s->value, "'%s' takes a list: %s = [ '...', ... ]", key, key);
        return NULL;
    }
    for (size_t i = 0; i < s->value->nitems; i++)
        if (s->value->items[i]->kind != XLCFG_STRING) {
            ERR_AT(c, s->value->items[i],
                   "'%s': item %zu is a list; items are strings", key, i + 1);
            return NULL;
        }
    return s->value;
}

/* ---- names ------------------------------------------------------------- */

/* xl looks a domain up by name or by number (find_domain: all digits is a
 * domid), and the name becomes a store path component under /vm and
 * /local/domain/N/name: so no empty, all-digit, '/', control or
 * non-ASCII names, and at most 64 bytes (the store's comfortable limit). */
const char *xlcfg_name_problem(const char *name)
{
    bool digits = true;
    size_t n = strlen(name);

    if (n == 0)
        return "is empty";
    if (n > 64)
        return "is longer than 64 characters";
    for (const char *p = name; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '/')
            return "contains '/'";
        if (ch < 0x21 || ch > 0x7e)
            return "contains a space, control or non-ASCII character";
        if (!isdigit(ch))
            digits = false;
    }
    if (digits)
        return "is all digits (it would read as a domain id)";
    if (strcmp(name, "Domain-0") == 0)
        return "is dom0's name";
    return NULL;
}

/* ---- actions ----------------------------------------------------------- */

static const char *const action_names[] = {
    [XLCFG_ACT_DESTROY] = "destroy", [XLCFG_ACT_RESTART] = "restart",
    [XLCFG_ACT_PRESERVE] = "preserve",
    [XLCFG_ACT_RENAME_RESTART] = "rename-restart",
    [XLCFG_ACT_COREDUMP_DESTROY] = "coredump-destroy",
    [XLCFG_ACT_COREDUMP_RESTART] = "coredump-restart",
    [XLCFG_ACT_SOFT_RESET] = "soft-reset",
};

const char *xlcfg_action_name(enum xlcfg_action a)
{
    return a < sizeof(action_names) / sizeof(action_names[0])
        ? action_names[a] : "?";
}

static void get_action(struct ctx *c, const char *key, enum xlcfg_action *a)
{
    const char *s = get_string(c, key);

    if (!s)
        return;
    for (unsigned i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
        if (strcmp(s, action_names[i]) == 0) {
            *a = (enum xlcfg_action)i;
            return;
        }
    ERR_AT(c, xlcfg_get(c->cfg, key)->value,
           "'%s' = \"%s\": not an action (destroy, restart, preserve, "
           "rename-restart, coredump-destroy, coredump-restart, soft-reset)",
           key, s);
}

/* ---- disks: xl-disk-configuration(5) ----------------------------------- */

static const char *const format_names[] = {
    [XLCFG_FMT_RAW] = "raw", [XLCFG_FMT_QCOW] = "qcow",
    [XLCFG_FMT_QCOW2] = "qcow2", [XLCFG_FMT_VHD] = "vhd",
    [XLCFG_FMT_QED] = "qed", [XLCFG_FMT_EMPTY] = "empty",
};
static const char *const backendtype_names[] = {
    [XLCFG_BT_DEFAULT] = "default", [XLCFG_BT_PHY] = "phy",
    [XLCFG_BT_QDISK] = "qdisk", [XLCFG_BT_TAP] = "tap",
    [XLCFG_BT_STANDALONE] = "standalone",
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *xlcfg_format_name(enum xlcfg_disk_format f)
{
    return f < NELEM(format_names) ? format_names[f] : "?";
}

const char *xlcfg_backendtype_name(enum xlcfg_backendtype b)
{
    return b < NELEM(backendtype_names) ? backendtype_names[b] : "?";
}

static int lookup(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

/* xvd[a-z]+ hd[a-z]+ sd[a-z]+ with an optional partition number, or
 * d<N>[p<M>] (xl-disk-configuration(5) "vdev"). */
static bool vdev_ok(const char *v)
{
    const char *p = v;

    if (strncmp(p, "xvd", 3) == 0)
        p += 3;
    else if (strncmp(p, "hd", 2) == 0 || strncmp(p, "sd", 2) == 0)
        p += 2;
    else if (*p == 'd') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
        if (*p == 'p') {
            p++;
            if (!isdigit((unsigned char)*p))
                return false;
            while (isdigit((unsigned char)*p))
                p++;
        }
        return *p == '\0';
    } else
        return false;
    if (!islower((unsigned char)*p))
        return false;
    while (islower((unsigned char)*p))
        p++;
    while (isdigit((unsigned char)*p))
        p++;
    return *p == '\0';
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* The deprecated "FORMAT:" / "phy:" / "tap:aio:" prefixes of a target. */
static const char *target_prefix(struct xlcfg_disk *disk, const char *t)
{
    static const struct { const char *pfx; int fmt, bt; } pfx[] = {
        { "phy:", XLCFG_FMT_RAW, XLCFG_BT_PHY },
        { "file:", XLCFG_FMT_RAW, XLCFG_BT_DEFAULT },
        { "tap:aio:", XLCFG_FMT_RAW, XLCFG_BT_TAP },
        { "tap2:aio:", XLCFG_FMT_RAW, XLCFG_BT_TAP },
        { "tap:qcow2:", XLCFG_FMT_QCOW2, XLCFG_BT_TAP },
        { "tap:qcow:", XLCFG_FMT_QCOW, XLCFG_BT_TAP },
        { "tap:vhd:", XLCFG_FMT_VHD, XLCFG_BT_TAP },
        { "aio:", XLCFG_FMT_RAW, XLCFG_BT_DEFAULT },
        { "raw:", XLCFG_FMT_RAW, XLCFG_BT_DEFAULT },
        { "qcow2:", XLCFG_FMT_QCOW2, XLCFG_BT_DEFAULT },
        { "qcow:", XLCFG_FMT_QCOW, XLCFG_BT_DEFAULT },
        { "vhd:", XLCFG_FMT_VHD, XLCFG_BT_DEFAULT },
    };
    for (size_t i = 0; i < NELEM(pfx); i++)
        if (strncmp(t, pfx[i].pfx, strlen(pfx[i].pfx)) == 0) {
            disk->format = (enum xlcfg_disk_format)pfx[i].fmt;
            if (pfx[i].bt != XLCFG_BT_DEFAULT)
                disk->backendtype = (enum xlcfg_backendtype)pfx[i].bt;
            return t + strlen(pfx[i].pfx);
        }
    return t;
}

static bool set_access(struct xlcfg_disk *disk, const char *a)
{
    if (!strcmp(a, "r") || !strcmp(a, "ro"))
        disk->readonly = true;
    else if (!strcmp(a, "w") || !strcmp(a, "rw") || !*a)
        disk->readonly = false;
    else
        return false;
    return true;
}

static bool set_vdev(struct xlcfg_disk *disk, char *v)
{
    size_t n = strlen(v);

    if (n > 6 && strcmp(v + n - 6, ":cdrom") == 0) {
        v[n - 6] = '\0';
        disk->cdrom = true;
    }
    if (!vdev_ok(v) || strlen(v) >= sizeof(disk->vdev))
        return false;
    strcpy(disk->vdev, v);
    return true;
}

bool xlcfg_parse_disk(const char *spec, struct xlcfg_disk *disk,
                      const char *file, int line, int col,
                      struct xlcfg_diags *d)
{
    char *buf = xlcfg_strdup(spec);
    char *p = buf;
    unsigned errors0 = d->nerrors;
    int slot = 0;                    /* 0 target 1 format 2 vdev 3 access */
    bool have_target = false, have_format = false, bad_vdev = false;
    char *target = NULL;

    memset(disk, 0, sizeof(*disk));
    disk->spec = xlcfg_strdup(spec);
    disk->discard = -1;
#define DERR(fmt, ...) xlcfg_error(d, file, line, col, "disk '%s': " fmt, \
                                   spec, ##__VA_ARGS__)
    while (p) {
        char *item, *comma, *eq;

        /* target= takes the rest of the spec, commas and all */
        if (strncmp(trim(p), "target=", 7) == 0) {
            item = trim(p);
            p = NULL;
        } else {
            comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            item = trim(p);
            p = comma ? comma + 1 : NULL;
        }
        eq = strchr(item, '=');
        if (eq) {
            char *k = item, *v = trim(eq + 1);
            int i;
            *eq = '\0';
            k = trim(k);
            if (!strcmp(k, "target")) {
                target = v, have_target = true;
            } else if (!strcmp(k, "format")) {
                if ((i = lookup(format_names, NELEM(format_names), v)) < 0)
                    DERR("unknown format '%s' (raw, qcow, qcow2, vhd, qed, empty)", v);
                else
                    disk->format = (enum xlcfg_disk_format)i, have_format = true;
            } else if (!strcmp(k, "vdev")) {
                if (!set_vdev(disk, v)) {
                    DERR("bad vdev '%s' (xvdX, hdX, sdX, dN[pM])", v);
                    bad_vdev = true;
                }
            } else if (!strcmp(k, "access")) {
                if (!set_access(disk, v))
                    DERR("bad access '%s' (ro, r, rw, w)", v);
            } else if (!strcmp(k, "devtype")) {
                if (!strcmp(v, "cdrom"))
                    disk->cdrom = true;
                else if (strcmp(v, "disk"))
                    DERR("bad devtype '%s' (disk, cdrom)", v);
            } else if (!strcmp(k, "backendtype")) {
                if ((i = lookup(backendtype_names, NELEM(backendtype_names), v)) <= 0)
                    DERR("bad backendtype '%s' (phy, qdisk, tap, standalone)", v);
                else
                    disk->backendtype = (enum xlcfg_backendtype)i;
            } else if (!strcmp(k, "backend")) {
                free(disk->backend);
                disk->backend = xlcfg_strdup(v);
            } else if (!strcmp(k, "script")) {
                free(disk->script);
                disk->script = xlcfg_strdup(v);
            } else {
                DERR("unknown parameter '%s'", k);
            }
            continue;
        }
        if (!strcmp(item, "cdrom")) {
            disk->cdrom = true;
        } else if (!strcmp(item, "discard")) {
            disk->discard = 1;
        } else if (!strcmp(item, "no-discard")) {
            disk->discard = 0;
        } else if (!strcmp(item, "direct-io-safe")) {
            disk->direct_io_safe = true;
        } else {
            /* positional: target, format, vdev, access; a second item that
             * is no format name is the legacy "target,vdev,access" */
            if (slot == 1 && *item && lookup(format_names, NELEM(format_names), item) < 0)
                slot = 2;
            switch (slot++) {
            case 0:
                if (*item)
                    target = item, have_target = true;
                break;
            case 1:
                if (*item) {
                    disk->format = (enum xlcfg_disk_format)
                        lookup(format_names, NELEM(format_names), item);
                    have_format = true;
                }
                break;
            case 2:
                if (*item && !set_vdev(disk, item)) {
                    DERR("bad vdev '%s' (xvdX, hdX, sdX, dN[pM])", item);
                    bad_vdev = true;
                }
                break;
            case 3:
                if (!set_access(disk, item))
                    DERR("bad access '%s' (ro, r, rw, w)", item);
                break;
            default:
                DERR("too many positional parameters at '%s'", item);
            }
        }
    }
    if (have_target) {
        enum xlcfg_disk_format f = disk->format;
        const char *t = target_prefix(disk, target);
        if (have_format)
            disk->format = f;        /* format= wins over a prefix */
        disk->target = xlcfg_strdup(t);
    }
    if (!disk->vdev[0] && !bad_vdev)
        DERR("no vdev (the guest's name for it, e.g. vdev=xvda)");
    if (!disk->target || !disk->target[0]) {
        if (disk->cdrom) {
            free(disk->target);
            disk->target = xlcfg_strdup("");
            disk->format = XLCFG_FMT_EMPTY;
        } else {
            DERR("no target (the file or device backing it)");
        }
    }
    if (disk->format == XLCFG_FMT_EMPTY && !disk->cdrom)
        DERR("format=empty is for a cdrom only");
    if (disk->cdrom && !disk->readonly && have_target && disk->target && disk->target[0])
        disk->readonly = true;       /* xl: a cdrom is read-only */
    free(buf);
#undef DERR
    return d->nerrors == errors0;
}

void xlcfg_disk_free(struct xlcfg_disk *disk)
{
    free(disk->spec);
    free(disk->target);
    free(disk->backend);
    free(disk->script);
    memset(disk, 0, sizeof(*disk));
}

/* ---- vifs: xl-network-configuration(5) -------------------------------- */

static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
            return false;
        mac[i] = (uint8_t)strtoul((char[3]){ s[0], s[1], 0 }, NULL, 16);
        s += 2;
        if (i < 5 && *s++ != ':')
            return false;
    }
    return *s == '\0';
}

static bool ipv4_ok(const char *s)
{
    for (int i = 0; i < 4; i++) {
        int n = 0, v = 0;
        while (isdigit((unsigned char)*s) && n < 3)
            v = v * 10 + (*s++ - '0'), n++;
        if (n == 0 || v > 255)
            return false;
        if (i < 3 && *s++ != '.')
            return false;
    }
    if (*s == '/') {
        char *end;
        long pl = strtol(s + 1, &end, 10);
        if (end == s + 1 || *end || pl < 0 || pl > 32)
            return false;
        return true;
    }
    return *s == '\0';
}

/* "ip=" is a space-separated list of IPv4 (with /N) or IPv6 addresses. */
static bool ips_ok(const char *s)
{
    char *buf = xlcfg_strdup(s), *save = buf, *t;
    bool ok = true, any = false;

    while ((t = strsep(&save, " ")) != NULL) {
        if (!*t)
            continue;
        any = true;
        if (strchr(t, ':')) {
            for (const char *q = t; *q; q++)
                if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '/')
                    ok = false;
        } else if (!ipv4_ok(t))
            ok = false;
    }
    free(buf);
    return ok && any;
}

/* rate=N{B,b,KB,...}/s[@Nus|ms|s] (xl-network-configuration(5)). */
static bool rate_ok(const char *s)
{
    if (!isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s == 'K' || *s == 'M' || *s == 'G')
        s++;
    if (*s != 'B' && *s != 'b')
        return false;
    s++;
    if (strncmp(s, "/s", 2))
        return false;
    s += 2;
    if (!*s)
        return true;
    if (*s++ != '@' || !isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s))
        s++;
    return !strcmp(s, "s") || !strcmp(s, "ms") || !strcmp(s, "us");
}

bool xlcfg_parse_vif(const char *spec, struct xlcfg_vif *vif,
                     const char *file, int line, int col,
                     struct xlcfg_diags *d)
{
    char *buf = xlcfg_strdup(spec), *save = buf, *item;
    unsigned errors0 = d->nerrors;

    memset(vif, 0, sizeof(*vif));
    vif->spec = xlcfg_strdup(spec);
    vif->devid = -1;
#define VERR(fmt, ...) xlcfg_error(d, file, line, col, "vif '%s': " fmt, spec, ##__VA_ARGS__)
    while ((item = strsep(&save, ",")) != NULL) {
        char *eq, *k, *v, **slot = NULL;

        item = trim(item);
        if (!*item)
            continue;
        eq = strchr(item, '=');
        if (!eq) {
            VERR("'%s' is not KEY=VALUE", item);
            continue;
        }
        *eq = '\0';
        k = trim(item);
        v = trim(eq + 1);
        if (!strcmp(k, "mac")) {
            if (!parse_mac(v, vif->mac))
                VERR("bad mac '%s' (six hex pairs: 00:16:3e:01:02:03)", v);
            else if (vif->mac[0] & 1)
                VERR("mac '%s' is a multicast address", v);
            else
                vif->mac_set = true;
        } else if (!strcmp(k, "ip")) {
            if (!ips_ok(v))
                VERR("bad ip '%s' (space-separated addresses, a.b.c.d[/N])", v);
            slot = &vif->ip;
        } else if (!strcmp(k, "type")) {
            if (strcmp(v, "ioemu") && strcmp(v, "vif"))
                VERR("bad type '%s' (vif, ioemu)", v);
            slot = &vif->type;
        } else if (!strcmp(k, "rate")) {
            if (!rate_ok(v))
                VERR("bad rate '%s' (e.g. 10Mb/s, 1MB/s@20ms)", v);
            slot = &vif->rate;
        } else if (!strcmp(k, "mtu") || !strcmp(k, "devid")) {
            char *end;
            long n = strtol(v, &end, 0);
            bool mtu = k[0] == 'm';
            if (end == v || *end || n < 0 || (mtu && (n < 68 || n > 65535)) ||
                (!mtu && n > 65535))
                VERR("bad %s '%s'%s", k, v, mtu ? " (68 to 65535)" : "");
            else if (mtu)
                vif->mtu = (unsigned)n;
            else
                vif->devid = (int)n;
        } else if (!strcmp(k, "bridge")) {
            slot = &vif->bridge;
        } else if (!strcmp(k, "model")) {
            slot = &vif->model;
        } else if (!strcmp(k, "vifname")) {
            slot = &vif->vifname;
        } else if (!strcmp(k, "script")) {
            slot = &vif->script;
        } else if (!strcmp(k, "backend")) {
            slot = &vif->backend;
        } else if (!strcmp(k, "gatewaydev")) {
            slot = &vif->gatewaydev;
        } else {
            VERR("unknown parameter '%s'", k);
        }
        if (slot) {
            if (!*v)
                VERR("'%s=' needs a value", k);
            free(*slot);
            *slot = xlcfg_strdup(v);
        }
    }
#undef VERR
    free(buf);
    return d->nerrors == errors0;
}

void xlcfg_vif_free(struct xlcfg_vif *vif)
{
    free(vif->spec);
    free(vif->bridge); free(vif->ip); free(vif->model); free(vif->type);
    free(vif->vifname); free(vif->script); free(vif->backend);
    free(vif->rate); free(vif->gatewaydev);
    memset(vif, 0, sizeof(*vif));
}

/* ---- the domain ---------------------------------------------------------- */

static const char *const implemented[] = {
    "name", "type", "builder", "memory", "maxmem", "vcpus", "maxvcpus",
    "kernel", "ramdisk", "cmdline", "extra", "root", "on_poweroff",
    "on_reboot", "on_crash", "disk", "vif",
};

static void check_type(struct ctx *c)
{
    const char *type = get_string(c, "type");
    const char *builder = get_string(c, "builder");
    struct xlcfg_setting *s;

    if (type) {
        s = xlcfg_get(c->cfg, "type");
        if (!strcmp(type, "hvm") || !strcmp(type, "pvh"))
            ERR_AT(c, s->value, "type = \"%s\": pvisor runs PV guests only "
                   "(no VT-x/SVM: use type = \"pv\")", type);
        else if (strcmp(type, "pv"))
            ERR_AT(c, s->value, "type = \"%s\": unknown type (xl knows pv, "
                   "pvh, hvm; pvisor runs pv)", type);
        return;                      /* xl: type wins over builder */
    }
    if (builder) {
        s = xlcfg_get(c->cfg, "builder");
        if (!strcmp(builder, "hvm"))
            ERR_AT(c, s->value, "builder = \"hvm\": pvisor runs PV guests "
                   "only (use type = \"pv\")");
        else if (strcmp(builder, "generic"))
            ERR_AT(c, s->value, "builder = \"%s\": unknown builder (generic "
                   "is PV)", builder);
    }
}

static char *opt_string(struct ctx *c, const char *key)
{
    const char *s = get_string(c, key);

    return s ? xlcfg_strdup(s) : NULL;
}

unsigned xlcfg_domain(struct xlcfg *cfg, const char *file,
                      struct domain_config *dc, struct xlcfg_diags *d)
{
    struct ctx c = { cfg, file, d };
    unsigned errors0 = d->nerrors;
    struct xlcfg_value *where = NULL, *memwhere = NULL, *vcpuwhere = NULL;
    struct xlcfg_value *list;
    long long v;
    int r;

    memset(dc, 0, sizeof(*dc));
    dc->on_poweroff = XLCFG_ACT_DESTROY;
    dc->on_reboot = XLCFG_ACT_RESTART;
    dc->on_crash = XLCFG_ACT_DESTROY;

    check_type(&c);

    dc->name = opt_string(&c, "name");
    if (!xlcfg_get(cfg, "name"))
        xlcfg_error(d, file, 0, 0, "no 'name': a domain needs a name "
                    "(name = \"guest\")");
    else if (dc->name) {
        const char *why = xlcfg_name_problem(dc->name);
        if (why)
            ERR_AT(&c, xlcfg_get(cfg, "name")->value,
                   "name \"%s\" %s", dc->name, why);
    }

    dc->memory_mb = XLCFG_DEFAULT_MEMORY_MB;
    if ((r = get_long(&c, "memory", &v, &memwhere)) > 0) {
        if (v <= 0 || (unsigned long long)v > MAX_MEMORY_MB)
            ERR_AT(&c, memwhere, "memory = %lld: must be 1 to %llu MiB", v,
                   MAX_MEMORY_MB);
        else
            dc->memory_mb = (uint64_t)v;
    }
    dc->maxmem_mb = dc->memory_mb;
    if ((r = get_long(&c, "maxmem", &v, &where)) > 0) {
        if (v <= 0 || (unsigned long long)v > MAX_MEMORY_MB)
            ERR_AT(&c, where, "maxmem = %lld: must be 1 to %llu MiB", v,
                   MAX_MEMORY_MB);
        else if ((uint64_t)v < dc->memory_mb)
            ERR_AT(&c, memwhere ? memwhere : where,
                   "memory (%llu MiB) is more than maxmem (%lld MiB)",
                   (unsigned long long)dc->memory_mb, v);
        else
            dc->maxmem_mb = (uint64_t)v;
    }

    dc->vcpus = 1;
    if ((r = get_long(&c, "vcpus", &v, &vcpuwhere)) > 0) {
        if (v < 1 || v > XLCFG_MAX_VCPUS)
            ERR_AT(&c, vcpuwhere, "vcpus = %lld: must be 1 to %d", v,
                   XLCFG_MAX_VCPUS);
        else
            dc->vcpus = (unsigned)v;
    }
    dc->maxvcpus = dc->vcpus;
    if ((r = get_long(&c, "maxvcpus", &v, &where)) > 0) {
        if (v < 1 || v > XLCFG_MAX_VCPUS)
            ERR_AT(&c, where, "maxvcpus = %lld: must be 1 to %d", v,
                   XLCFG_MAX_VCPUS);
        else if ((unsigned)v < dc->vcpus)
            ERR_AT(&c, vcpuwhere ? vcpuwhere : where,
                   "vcpus (%u) is more than maxvcpus (%lld)", dc->vcpus, v);
        else
            dc->maxvcpus = (unsigned)v;
    }

    dc->kernel = opt_string(&c, "kernel");
    if (!xlcfg_get(cfg, "kernel"))
        xlcfg_error(d, file, 0, 0, "no 'kernel': a PV guest needs one "
                    "(kernel = \"/path/to/vmlinuz\")");
    else if (dc->kernel && !dc->kernel[0])
        ERR_AT(&c, xlcfg_get(cfg, "kernel")->value, "kernel is empty");
    dc->ramdisk = opt_string(&c, "ramdisk");
    if (dc->ramdisk && !dc->ramdisk[0])
        ERR_AT(&c, xlcfg_get(cfg, "ramdisk")->value, "ramdisk is empty");

    /* xl: cmdline wins; else "root=ROOT EXTRA" */
    {
        const char *cmdline = get_string(&c, "cmdline");
        const char *root = get_string(&c, "root");
        const char *extra = get_string(&c, "extra");
        if (cmdline) {
            if (root || extra) {
                struct xlcfg_setting *s = xlcfg_get(cfg, root ? "root" : "extra");
                xlcfg_warn(d, s->file, s->line, s->col, "'cmdline' is set: "
                           "'root' and 'extra' are ignored (as xl does)");
            }
            dc->cmdline = xlcfg_strdup(cmdline);
        } else {
            size_t n = (root ? strlen(root) + 6 : 0) + (extra ? strlen(extra) + 1 : 0) + 1;
            dc->cmdline = calloc(1, n);
            if (!dc->cmdline)
                exit(1);
            if (root)
                snprintf(dc->cmdline, n, "root=%s", root);
            if (extra)
                snprintf(dc->cmdline + strlen(dc->cmdline),
                         n - strlen(dc->cmdline), "%s%s", root ? " " : "", extra);
        }
    }

    get_action(&c, "on_poweroff", &dc->on_poweroff);
    get_action(&c, "on_reboot", &dc->on_reboot);
    get_action(&c, "on_crash", &dc->on_crash);

    if ((list = get_list(&c, "disk")) != NULL && list->nitems) {
        dc->disks = calloc(list->nitems, sizeof(*dc->disks));
        if (!dc->disks)
            exit(1);
        for (size_t i = 0; i < list->nitems; i++) {
            struct xlcfg_value *it = list->items[i];
            xlcfg_parse_disk(it->str, &dc->disks[dc->ndisks++], it->file,
                             it->line, it->col, d);
            for (size_t j = 0; j < i; j++)
                if (dc->disks[i].vdev[0] &&
                    !strcmp(dc->disks[i].vdev, dc->disks[j].vdev))
                    xlcfg_error(d, it->file, it->line, it->col,
                                "disk '%s': vdev %s is already disk %zu's",
                                it->str, dc->disks[i].vdev, j + 1);
        }
    }
    if ((list = get_list(&c, "vif")) != NULL && list->nitems) {
        dc->vifs = calloc(list->nitems, sizeof(*dc->vifs));
        if (!dc->vifs)
            exit(1);
        for (size_t i = 0; i < list->nitems; i++) {
            struct xlcfg_value *it = list->items[i];
            xlcfg_parse_vif(it->str, &dc->vifs[dc->nvifs++], it->file,
                            it->line, it->col, d);
            for (size_t j = 0; j < i; j++)
                if (dc->vifs[i].mac_set && dc->vifs[j].mac_set &&
                    !memcmp(dc->vifs[i].mac, dc->vifs[j].mac, 6))
                    xlcfg_error(d, it->file, it->line, it->col,
                                "vif '%s': mac is already vif %zu's",
                                it->str, j + 1);
        }
    }

    /* Every other key is named: pvctl never drops a setting silently. */
    for (size_t i = 0; i < cfg->nsettings; i++) {
        struct xlcfg_setting *s = &cfg->settings[i];
        bool known = false;
        for (size_t k = 0; k < NELEM(implemented); k++)
            if (!strcmp(s->key, implemented[k]))
                known = true;
        if (!known)
            xlcfg_warn(d, s->file, s->line, s->col,
                       "'%s' is not implemented by pvctl: ignored", s->key);
    }
    return d->nerrors - errors0;
}

void domain_config_free(struct domain_config *dc)
{
    free(dc->name);
    free(dc->kernel);
    free(dc->ramdisk);
    free(dc->cmdline);
    for (size_t i = 0; i < dc->ndisks; i++)
        xlcfg_disk_free(&dc->disks[i]);
    free(dc->disks);
    for (size_t i = 0; i < dc->nvifs; i++)
        xlcfg_vif_free(&dc->vifs[i]);
    free(dc->vifs);
    memset(dc, 0, sizeof(*dc));
}

/* ---- the dump ------------------------------------------------------------ */

static void opt(FILE *f, const char *label, const char *v)
{
    if (v)
        fprintf(f, " %s=%s", label, v);
}

void domain_config_print(const struct domain_config *dc, void *stdio_file)
{
    FILE *f = stdio_file;

    fprintf(f, "name:        %s\n", dc->name);
    fprintf(f, "type:        pv\n");
    fprintf(f, "memory:      %llu MiB (maxmem %llu MiB)\n",
            (unsigned long long)dc->memory_mb, (unsigned long long)dc->maxmem_mb);
    fprintf(f, "vcpus:       %u (maxvcpus %u)\n", dc->vcpus, dc->maxvcpus);
    fprintf(f, "kernel:      %s\n", dc->kernel);
    fprintf(f, "ramdisk:     %s\n", dc->ramdisk ? dc->ramdisk : "(none)");
    fprintf(f, "cmdline:     \"%s\"\n", dc->cmdline ? dc->cmdline : "");
    fprintf(f, "on_poweroff: %s\n", xlcfg_action_name(dc->on_poweroff));
    fprintf(f, "on_reboot:   %s\n", xlcfg_action_name(dc->on_reboot));
    fprintf(f, "on_crash:    %s\n", xlcfg_action_name(dc->on_crash));
    for (size_t i = 0; i < dc->ndisks; i++) {
        const struct xlcfg_disk *k = &dc->disks[i];
        fprintf(f, "disk %zu:      vdev=%s target=%s format=%s access=%s "
                "devtype=%s backendtype=%s", i, k->vdev,
                k->target && k->target[0] ? k->target : "(empty)",
                xlcfg_format_name(k->format), k->readonly ? "ro" : "rw",
                k->cdrom ? "cdrom" : "disk",
                xlcfg_backendtype_name(k->backendtype));
        opt(f, "backend", k->backend);
        opt(f, "script", k->script);
        if (k->discard >= 0)
            fprintf(f, " %s", k->discard ? "discard" : "no-discard");
        if (k->direct_io_safe)
            fprintf(f, " direct-io-safe");
        fprintf(f, "  (not attached yet)\n");
    }
    for (size_t i = 0; i < dc->nvifs; i++) {
        const struct xlcfg_vif *w = &dc->vifs[i];
        fprintf(f, "vif %zu:       ", i);
        if (w->mac_set)
            fprintf(f, "mac=%02x:%02x:%02x:%02x:%02x:%02x", w->mac[0],
                    w->mac[1], w->mac[2], w->mac[3], w->mac[4], w->mac[5]);
        else
            fprintf(f, "mac=(generated)");
        opt(f, "bridge", w->bridge);
        opt(f, "ip", w->ip);
        opt(f, "model", w->model);
        opt(f, "type", w->type);
        opt(f, "vifname", w->vifname);
        opt(f, "script", w->script);
        opt(f, "backend", w->backend);
        opt(f, "rate", w->rate);
        opt(f, "gatewaydev", w->gatewaydev);
        if (w->mtu)
            fprintf(f, " mtu=%u", w->mtu);
        if (w->devid >= 0)
            fprintf(f, " devid=%d", w->devid);
        fprintf(f, "  (not attached yet)\n");
    }
}
