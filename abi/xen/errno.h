/* SPDX-License-Identifier: MIT */
/*
 * xen/errno.h - the error codes hypercalls return, negated (-XEN_EINVAL).
 *             Values are Linux's x86 errno numbers, frozen into the ABI.
 * Mirrors: Xen 4.17 public/errno.h.
 * Owns:    XEN_E*; PVISOR_XEN_ERRNO_LIST, the list as an X-macro.
 * Touches: nothing; constants only (usable from assembly).
 *
 * Xen declares these as an enum; here they are macros, so they work in
 * assembly and in #if, with the same names and values. As in Xen, an
 * includer may define XEN_ERRNO(name, value) first to receive the list
 * once (e.g. to build a name table); the header then undefines it.
 * XEN_EINTR and XEN_ERESTART exist in the hypervisor's view only: they
 * never reach a guest.
 */
#ifndef PVISOR_XEN_ERRNO_LIST

#ifdef __XEN__
#define PVISOR_XEN_ERRNO_XEN_ONLY_EINTR(X)    X(EINTR, 4)
#define PVISOR_XEN_ERRNO_XEN_ONLY_ERESTART(X) X(ERESTART, 85)
#else
#define PVISOR_XEN_ERRNO_XEN_ONLY_EINTR(X)
#define PVISOR_XEN_ERRNO_XEN_ONLY_ERESTART(X)
#endif

/* X(name without XEN_, value), in Xen's order. */
#define PVISOR_XEN_ERRNO_LIST(X)                                            \
    X(EPERM, 1)         /* operation not permitted */                       \
    X(ENOENT, 2)        /* no such entry */                                 \
    X(ESRCH, 3)         /* no such domain or process */                     \
    PVISOR_XEN_ERRNO_XEN_ONLY_EINTR(X) /* interrupted (internal) */         \
    X(EIO, 5)           /* I/O error */                                     \
    X(ENXIO, 6)         /* no such device or address */                     \
    X(E2BIG, 7)         /* argument list too long */                        \
    X(ENOEXEC, 8)       /* bad executable format */                         \
    X(EBADF, 9)         /* bad file number */                               \
    X(ECHILD, 10)       /* no child process */                              \
    X(EAGAIN, 11)       /* try again */                                     \
    X(EWOULDBLOCK, 11)  /* same as EAGAIN */                                \
    X(ENOMEM, 12)       /* out of memory */                                 \
    X(EACCES, 13)       /* permission denied */                             \
    X(EFAULT, 14)       /* bad guest address */                             \
    X(EBUSY, 16)        /* resource busy */                                 \
    X(EEXIST, 17)       /* already exists */                                \
    X(EXDEV, 18)        /* cross-domain link */                             \
    X(ENODEV, 19)       /* no such device */                                \
    X(ENOTDIR, 20)      /* not a directory */                               \
    X(EISDIR, 21)       /* is a directory */                                \
    X(EINVAL, 22)       /* invalid argument */                              \
    X(ENFILE, 23)       /* file table overflow */                           \
    X(EMFILE, 24)       /* too many open files */                           \
    X(ENOSPC, 28)       /* no space left */                                 \
    X(EROFS, 30)        /* read-only */                                     \
    X(EMLINK, 31)       /* too many links */                                \
    X(EDOM, 33)         /* argument out of domain */                        \
    X(ERANGE, 34)       /* result out of range */                           \
    X(EDEADLK, 35)      /* deadlock avoided */                              \
    X(EDEADLOCK, 35)    /* same as EDEADLK */                               \
    X(ENAMETOOLONG, 36) /* name too long */                                 \
    X(ENOLCK, 37)       /* no locks available */                            \
    X(ENOSYS, 38)       /* function not implemented */                      \
    X(ENOTEMPTY, 39)    /* directory not empty */                           \
    X(ENODATA, 61)      /* no data available */                             \
    X(ETIME, 62)        /* timer expired */                                 \
    X(EBADMSG, 74)      /* not a data message */                            \
    X(EOVERFLOW, 75)    /* value too large for its type */                  \
    X(EILSEQ, 84)       /* illegal byte sequence */                         \
    PVISOR_XEN_ERRNO_XEN_ONLY_ERESTART(X) /* continue later (internal) */   \
    X(ENOTSOCK, 88)     /* not a socket */                                  \
    X(EMSGSIZE, 90)     /* message too long */                              \
    X(EOPNOTSUPP, 95)   /* operation not supported */                       \
    X(EADDRINUSE, 98)   /* address in use */                                \
    X(EADDRNOTAVAIL, 99) /* address not available */                        \
    X(ENOBUFS, 105)     /* no buffer space */                               \
    X(EISCONN, 106)     /* already connected */                             \
    X(ENOTCONN, 107)    /* not connected */                                 \
    X(ETIMEDOUT, 110)   /* timed out */                                     \
    X(ECONNREFUSED, 111) /* connection refused */

#endif /* PVISOR_XEN_ERRNO_LIST */

#ifdef XEN_ERRNO
/* The includer asked for the list (Xen's protocol). */
PVISOR_XEN_ERRNO_LIST(XEN_ERRNO)
#undef XEN_ERRNO
#elif !defined(__XEN_PUBLIC_ERRNO_H__)
#define __XEN_PUBLIC_ERRNO_H__

#define XEN_EPERM          1
#define XEN_ENOENT         2
#define XEN_ESRCH          3
#ifdef __XEN__
#define XEN_EINTR          4
#endif
#define XEN_EIO            5
#define XEN_ENXIO          6
#define XEN_E2BIG          7
#define XEN_ENOEXEC        8
#define XEN_EBADF          9
#define XEN_ECHILD        10
#define XEN_EAGAIN        11
#define XEN_EWOULDBLOCK   11
#define XEN_ENOMEM        12
#define XEN_EACCES        13
#define XEN_EFAULT        14
#define XEN_EBUSY         16
#define XEN_EEXIST        17
#define XEN_EXDEV         18
#define XEN_ENODEV        19
#define XEN_ENOTDIR       20
#define XEN_EISDIR        21
#define XEN_EINVAL        22
#define XEN_ENFILE        23
#define XEN_EMFILE        24
#define XEN_ENOSPC        28
#define XEN_EROFS         30
#define XEN_EMLINK        31
#define XEN_EDOM          33
#define XEN_ERANGE        34
#define XEN_EDEADLK       35
#define XEN_EDEADLOCK     35
#define XEN_ENAMETOOLONG  36
#define XEN_ENOLCK        37
#define XEN_ENOSYS        38
#define XEN_ENOTEMPTY     39
#define XEN_ENODATA       61
#define XEN_ETIME         62
#define XEN_EBADMSG       74
#define XEN_EOVERFLOW     75
#define XEN_EILSEQ        84
#ifdef __XEN__
#define XEN_ERESTART      85
#endif
#define XEN_ENOTSOCK      88
#define XEN_EMSGSIZE      90
#define XEN_EOPNOTSUPP    95
#define XEN_EADDRINUSE    98
#define XEN_EADDRNOTAVAIL 99
#define XEN_ENOBUFS      105
#define XEN_EISCONN      106
#define XEN_ENOTCONN     107
#define XEN_ETIMEDOUT    110
#define XEN_ECONNREFUSED 111

#ifndef __ASSEMBLY__
/* The macros above and the list say the same thing. */
#define PVISOR_XEN_ERRNO_CHECK(name, value) \
    _Static_assert(XEN_ ## name == (value), "XEN_" #name);
PVISOR_XEN_ERRNO_LIST(PVISOR_XEN_ERRNO_CHECK)
#undef PVISOR_XEN_ERRNO_CHECK
#endif

#endif
