/* SPDX-License-Identifier: MIT */
/*
 * dom_store.c - a domain's store entries: written at create, removed at
 * destroy (see dom_store.h). The paths and permissions are libxl's
 * (/work/shared/reference/guest-abi.md section 3.2 lists them), so a
 * guest written for Xen finds what it looks for.
 * Owns:    nothing beyond the call.
 * Touches: the store through xs.h; /dev/urandom for UUIDs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>
#include "dom_store.h"
#include "xs.h"

/* Permissions as the store takes them: "n0" + "r5" = owned by dom0, d5
 * may read (libxl's roperm); "n5" = owned by d5 (rwperm: the owner may do
 * anything, dom0 is privileged). */
enum perm { PERM_RO, PERM_RW };

static int set_perms(struct xs_handle *xs, uint32_t tx, const char *path,
                     enum perm p, uint32_t domid)
{
    char buf[160];
    int n;

    if (p == PERM_RO)
        n = snprintf(buf, sizeof(buf), "%s%cn0%cr%u", path, 0, 0, domid);
    else
        n = snprintf(buf, sizeof(buf), "%s%cn%u", path, 0, domid);
    if (n < 0 || (size_t)n >= sizeof(buf))
        return ENAMETOOLONG;
    return xs_request(xs, XS_SET_PERMS, tx, buf, (size_t)n + 1, NULL, NULL);
}

struct entry {
    const char *rel;             /* under /local/domain/<id>; "" = itself */
    enum perm perm;
    int value;                   /* which value (VAL_*), or VAL_DIR */
};

enum { VAL_DIR, VAL_NAME, VAL_DOMID, VAL_VM, VAL_STATIC_MAX, VAL_TARGET,
       VAL_VIDEORAM, VAL_STORE_PORT, VAL_STORE_REF, VAL_CONS_PORT,
       VAL_CONS_REF, VAL_ZERO, VAL_ONE, VAL_CONS_LIMIT, VAL_CONS_TYPE,
       VAL_CONS_OUTPUT, VAL_EMPTY };

static const struct entry entries[] = {
    { "", PERM_RO, VAL_DIR },
    { "/vm", PERM_RO, VAL_VM },
    { "/name", PERM_RO, VAL_NAME },
    { "/domid", PERM_RO, VAL_DOMID },
    { "/cpu", PERM_RO, VAL_DIR },
    { "/memory", PERM_RO, VAL_DIR },
    { "/memory/static-max", PERM_RO, VAL_STATIC_MAX },
    { "/memory/target", PERM_RO, VAL_TARGET },
    { "/memory/videoram", PERM_RO, VAL_VIDEORAM },
    { "/device", PERM_RO, VAL_DIR },
    { "/device/suspend/event-channel", PERM_RW, VAL_EMPTY },
    { "/control", PERM_RO, VAL_DIR },
    { "/control/shutdown", PERM_RW, VAL_EMPTY },
    { "/control/feature-poweroff", PERM_RW, VAL_EMPTY },
    { "/control/feature-reboot", PERM_RW, VAL_EMPTY },
    { "/control/feature-suspend", PERM_RW, VAL_EMPTY },
    { "/control/sysrq", PERM_RW, VAL_EMPTY },
    { "/control/platform-feature-multiprocessor-suspend", PERM_RO, VAL_ONE },
    { "/control/platform-feature-xs_reset_watches", PERM_RO, VAL_ONE },
    { "/data", PERM_RW, VAL_DIR },
    { "/drivers", PERM_RW, VAL_DIR },
    { "/feature", PERM_RW, VAL_DIR },
    { "/attr", PERM_RW, VAL_DIR },
    { "/error", PERM_RW, VAL_DIR },
    { "/store/port", PERM_RO, VAL_STORE_PORT },
    { "/store/ring-ref", PERM_RO, VAL_STORE_REF },
    { "/console/backend-id", PERM_RO, VAL_ZERO },
    { "/console/limit", PERM_RO, VAL_CONS_LIMIT },
    { "/console/type", PERM_RO, VAL_CONS_TYPE },
    { "/console/output", PERM_RO, VAL_CONS_OUTPUT },
    { "/console/tty", PERM_RO, VAL_EMPTY },
    { "/console/port", PERM_RO, VAL_CONS_PORT },
    { "/console/ring-ref", PERM_RO, VAL_CONS_REF },
};

static void value_of(const struct dom_store_info *di, int which, char *out,
                     size_t n)
{
    switch (which) {
    case VAL_NAME: snprintf(out, n, "%s", di->name); break;
    case VAL_DOMID: snprintf(out, n, "%u", di->domid); break;
    case VAL_VM: snprintf(out, n, "/vm/%s", di->uuid); break;
    case VAL_STATIC_MAX: snprintf(out, n, "%llu", (unsigned long long)di->maxmem_kb); break;
    case VAL_TARGET: snprintf(out, n, "%llu", (unsigned long long)di->memory_kb); break;
    case VAL_VIDEORAM: snprintf(out, n, "-1"); break;
    case VAL_STORE_PORT: snprintf(out, n, "%u", di->store_port); break;
    case VAL_STORE_REF: snprintf(out, n, "%llu", (unsigned long long)di->store_mfn); break;
    case VAL_CONS_PORT: snprintf(out, n, "%u", di->console_port); break;
    case VAL_CONS_REF: snprintf(out, n, "%llu", (unsigned long long)di->console_mfn); break;
    case VAL_ZERO: snprintf(out, n, "0"); break;
    case VAL_ONE: snprintf(out, n, "1"); break;
    case VAL_CONS_LIMIT: snprintf(out, n, "1048576"); break;
    case VAL_CONS_TYPE: snprintf(out, n, "xenconsoled"); break;
    case VAL_CONS_OUTPUT: snprintf(out, n, "pty"); break;
    default: out[0] = '\0'; break;
    }
}

/* One transaction: every entry, then /vm/<uuid>. EAGAIN: try again. */
static int write_entries(struct xs_handle *xs, const struct dom_store_info *di,
                         char *err, size_t errlen)
{
    char base[48], path[160], val[64];
    uint32_t tx;
    int rc;

    rc = xs_transaction_start(xs, &tx);
    if (rc) {
        snprintf(err, errlen, "store: cannot start a transaction: %s",
                 rc < 0 ? "connection lost" : strerror(rc));
        return rc < 0 ? EIO : rc;
    }
    snprintf(base, sizeof(base), "/local/domain/%u", di->domid);
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        const struct entry *e = &entries[i];

        snprintf(path, sizeof(path), "%s%s", base, e->rel);
        if (e->value == VAL_DIR) {
            rc = xs_mkdir(xs, tx, path);
        } else {
            value_of(di, e->value, val, sizeof(val));
            rc = xs_write(xs, tx, path, val, strlen(val));
        }
        if (!rc)
            rc = set_perms(xs, tx, path, e->perm, di->domid);
        if (rc) {
            snprintf(err, errlen, "store: writing %s: %s", path,
                     rc < 0 ? "connection lost" : strerror(rc));
            xs_transaction_end(xs, tx, 1);
            return rc < 0 ? EIO : rc;
        }
    }
    const char *vm[][2] = { { "uuid", di->uuid }, { "name", di->name } };
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "/vm/%s/%s", di->uuid, vm[i][0]);
        rc = xs_write(xs, tx, path, vm[i][1], strlen(vm[i][1]));
        if (!rc)
            rc = set_perms(xs, tx, path, PERM_RO, di->domid);
        if (rc) {
            snprintf(err, errlen, "store: writing %s: %s", path,
                     rc < 0 ? "connection lost" : strerror(rc));
            xs_transaction_end(xs, tx, 1);
            return rc < 0 ? EIO : rc;
        }
    }
    rc = xs_transaction_end(xs, tx, 0);
    if (rc && rc != EAGAIN)
        snprintf(err, errlen, "store: committing the entries: %s",
                 rc < 0 ? "connection lost" : strerror(rc));
    return rc < 0 ? EIO : rc;
}

int dom_store_create(struct xs_handle *xs, const struct dom_store_info *di,
                     char *err, size_t errlen)
{
    char buf[96];
    int rc, n;

    for (int tries = 0; (rc = write_entries(xs, di, err, errlen)) == EAGAIN &&
         tries < 8; tries++)
        ;
    if (rc == EAGAIN)
        snprintf(err, errlen, "store: the transaction kept conflicting");
    if (rc)
        return rc;
    n = snprintf(buf, sizeof(buf), "%u%c%llu%c%u", di->domid, 0,
                 (unsigned long long)di->store_mfn, 0, di->store_port);
    rc = xs_request(xs, XS_INTRODUCE, 0, buf, (size_t)n + 1, NULL, NULL);
    if (rc) {
        snprintf(err, errlen, "store: XS_INTRODUCE of d%u: %s (the store "
                 "daemon's log says why)", di->domid,
                 rc < 0 ? "connection lost" : strerror(rc));
        return rc < 0 ? EIO : rc;
    }
    return 0;
}

int dom_store_remove(struct xs_handle *xs, uint32_t domid)
{
    char buf[48], *vm = NULL;
    size_t len;
    int n, rc, first = 0;

    n = snprintf(buf, sizeof(buf), "%u", domid);
    rc = xs_request(xs, XS_RELEASE, 0, buf, (size_t)n + 1, NULL, NULL);
    if (rc && rc != ENOENT)
        first = rc < 0 ? EIO : rc;
    snprintf(buf, sizeof(buf), "/local/domain/%u/vm", domid);
    if (xs_read(xs, 0, buf, &vm, &len) == 0 && !strncmp(vm, "/vm/", 4) &&
        !strchr(vm + 4, '/') && vm[4]) {
        rc = xs_rm(xs, 0, vm);
        if (rc && rc != ENOENT && !first)
            first = rc < 0 ? EIO : rc;
    }
    free(vm);
    snprintf(buf, sizeof(buf), "/local/domain/%u", domid);
    rc = xs_rm(xs, 0, buf);
    if (rc && rc != ENOENT && !first)
        first = rc < 0 ? EIO : rc;
    return first;
}

void dom_store_new_uuid(char out[37])
{
    unsigned char b[16];
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t got = fd >= 0 ? read(fd, b, sizeof(b)) : -1;

    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof(b)) {      /* no RNG: unique enough here */
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        uint64_t x = (uint64_t)t.tv_nsec ^ ((uint64_t)t.tv_sec << 30) ^
                     ((uint64_t)getpid() << 48);
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            b[i] = (unsigned char)(x >> 56);
        }
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);   /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
             b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
