/* SPDX-License-Identifier: MIT */
/*
 * xen/io/xs_wire.h - the xenstore wire protocol: message header and types,
 *             error strings, and the shared ring page between a guest and
 *             the store (page at start_info.store_mfn).
 * Mirrors: Xen 4.17 public/io/xs_wire.h.
 * Owns:    enum xsd_sockmsg_type, struct xsd_sockmsg, xsd_errors,
 *          struct xenstore_domain_interface and the XENSTORE_* limits.
 * Touches: nothing; declarations only.
 *
 * A message is a header followed by `len` bytes of payload, usually
 * NUL-terminated strings. A reply echoes req_id and has the request's
 * type, or XS_ERROR with the errno *name* ("ENOENT") as payload.
 */
#ifndef _XS_WIRE_H
#define _XS_WIRE_H

/* Each ring of the page; indexes are masked with MASK_XENSTORE_IDX. */
#define XENSTORE_RING_SIZE 1024
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stddef.h>

enum xsd_sockmsg_type {
    XS_CONTROL,             /*  0: store-specific commands */
#define XS_DEBUG XS_CONTROL
    XS_DIRECTORY,           /*  1: list children */
    XS_READ,                /*  2 */
    XS_GET_PERMS,           /*  3 */
    XS_WATCH,               /*  4: path, token */
    XS_UNWATCH,             /*  5: path, token */
    XS_TRANSACTION_START,   /*  6: returns the tx id as a string */
    XS_TRANSACTION_END,     /*  7: "T" commit or "F" abort */
    XS_INTRODUCE,           /*  8: domid, mfn, port (dom0) */
    XS_RELEASE,             /*  9: domid (dom0) */
    XS_GET_DOMAIN_PATH,     /* 10: domid -> /local/domain/<domid> */
    XS_WRITE,               /* 11: path, then the value (no NUL) */
    XS_MKDIR,               /* 12 */
    XS_RM,                  /* 13 */
    XS_SET_PERMS,           /* 14 */
    XS_WATCH_EVENT,         /* 15: unsolicited: path, token */
    XS_ERROR,               /* 16: reply carrying an errno name */
    XS_IS_DOMAIN_INTRODUCED, /* 17 */
    XS_RESUME,              /* 18 */
    XS_SET_TARGET,          /* 19 */
    /* 20 was XS_RESTRICT, now gone */
    XS_RESET_WATCHES = XS_SET_TARGET + 2, /* 21 */
    XS_DIRECTORY_PART,      /* 22: list children from an offset */
    XS_TYPE_COUNT,          /* number of types */
    XS_INVALID = 0xffff     /* never a valid type */
};

/* Legacy XS_WRITE flag strings. */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/* Errors a reply may name, mapped to the local errno numbers. */
struct xsd_errors {
    int errnum;
    const char *errstring;
};
#ifdef EINVAL
#define XSD_ERROR(x) { x, #x }
/* The order is part of the protocol: only ever append. */
static const struct xsd_errors xsd_errors[]
#if defined(__GNUC__)
__attribute__((unused))
#endif
    = {
    XSD_ERROR(EINVAL),
    XSD_ERROR(EACCES),
    XSD_ERROR(EEXIST),
    XSD_ERROR(EISDIR),
    XSD_ERROR(ENOENT),
    XSD_ERROR(ENOMEM),
    XSD_ERROR(ENOSPC),
    XSD_ERROR(EIO),
    XSD_ERROR(ENOTEMPTY),
    XSD_ERROR(ENOSYS),
    XSD_ERROR(EROFS),
    XSD_ERROR(EBUSY),
    XSD_ERROR(EAGAIN),
    XSD_ERROR(EISCONN),
    XSD_ERROR(E2BIG),
    XSD_ERROR(EPERM),
};
#endif

/* The message header. */
struct xsd_sockmsg {
    uint32_t type;              /* enum xsd_sockmsg_type */
    uint32_t req_id;            /* echoed in the reply */
    uint32_t tx_id;             /* transaction, 0 = none */
    uint32_t len;               /* payload bytes that follow */
};

/* Fields of an XS_WATCH_EVENT payload. */
enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN
};

typedef uint32_t XENSTORE_RING_IDX;

/* The ring page. Indexes run freely; prod - cons is the fill. */
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];   /* guest -> store */
    char rsp[XENSTORE_RING_SIZE];   /* store -> guest: replies and events */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;       /* XENSTORE_SERVER_FEATURE_*, by store */
    uint32_t connection;            /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;                 /* XENSTORE_ERROR_*, by store */
};

_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg");
_Static_assert(sizeof(struct xenstore_domain_interface) == 2076, "xs ring");
_Static_assert(offsetof(struct xenstore_domain_interface, server_features)
               == 2064, "server_features");
#endif /* !__ASSEMBLY__ */

/* Limits. */
#define XENSTORE_PAYLOAD_MAX   4096   /* bytes after the header */
#define XENSTORE_ABS_PATH_MAX  3072   /* "/local/domain/..." */
#define XENSTORE_REL_PATH_MAX  2048   /* relative to the domain's home */

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1  /* connection field works */
#define XENSTORE_SERVER_FEATURE_ERROR        2  /* error field works */

/* connection values. */
#define XENSTORE_CONNECTED 0    /* steady state */
#define XENSTORE_RECONNECT 1    /* guest asks to reset the ring */

/* error values. */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1  /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2  /* bad ring index */
#define XENSTORE_ERROR_PROTO   3  /* protocol violation */

#endif /* _XS_WIRE_H */
