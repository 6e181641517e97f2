/* SPDX-License-Identifier: MIT */
/*
 * xen/version.h - xen_version(cmd, arg): version, build facts, features.
 * Mirrors: Xen 4.17 public/version.h.
 * Owns:    XENVER_* and their result types.
 * Touches: nothing; declarations only.
 */
#ifndef __XEN_PUBLIC_VERSION_H__
#define __XEN_PUBLIC_VERSION_H__

#include "xen.h"

#define XENVER_version             0  /* arg NULL; returns major << 16 | minor */
#define XENVER_extraversion        1  /* xen_extraversion_t */
#define XENVER_compile_info        2  /* struct xen_compile_info */
#define XENVER_capabilities        3  /* xen_capabilities_info_t */
#define XENVER_changeset           4  /* xen_changeset_info_t */
#define XENVER_platform_parameters 5  /* struct xen_platform_parameters */
#define XENVER_get_features        6  /* struct xen_feature_info */
#define XENVER_pagesize            7  /* arg NULL; returns the page size */
#define XENVER_guest_handle        8  /* xen_domain_handle_t (the UUID) */
#define XENVER_commandline         9  /* xen_commandline_t (privileged) */
#define XENVER_build_id           10  /* struct xen_build_id */

#ifndef __ASSEMBLY__

typedef char xen_extraversion_t[16];      /* e.g. ".0-pvisor" */
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

typedef char xen_capabilities_info_t[1024]; /* e.g. "xen-3.0-x86_64" */
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

struct xen_platform_parameters {
    xen_ulong_t virt_start;     /* start of the hypervisor hole */
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

struct xen_feature_info {
    uint32_t submap_idx;        /* IN: which 32 XENFEAT_* bits */
    uint32_t submap;            /* OUT */
};
typedef struct xen_feature_info xen_feature_info_t;

typedef char xen_commandline_t[1024];

/* IN: len = size of buf; OUT: return value = bytes of build id written. */
struct xen_build_id {
    uint32_t len;
    unsigned char buf[XEN_FLEX_ARRAY_DIM];
};
typedef struct xen_build_id xen_build_id_t;

_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info");
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "platform_params");
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info");
_Static_assert(sizeof(struct xen_build_id) == 4, "xen_build_id");

#endif /* !__ASSEMBLY__ */

#include "features.h"

#endif /* __XEN_PUBLIC_VERSION_H__ */
