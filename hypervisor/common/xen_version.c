/* SPDX-License-Identifier: MIT */
/*
 * xen_version.c - the xen_version hypercall (17).
 * Owns:    what the hypervisor says about itself: the Xen ABI version it
 *          speaks (4.17), its extra version, capabilities, features.
 * Trusts:  nothing from the guest; arguments are copied in and out.
 * ABI:     abi/xen/version.h, abi/xen/features.h; docs/abi/hypercalls.md
 *          row 17. XENVER_version(0) with any argument also serves as a
 *          no-op hypercall whose return path delivers pending events.
 *
 * Features advertised (submap 0), each one Xen 4.17 gives a PV guest:
 * XENFEAT_mmu_pt_update_preserve_ad (the mmu_update sub-op),
 * XENFEAT_highmem_assist (MMUEXT_CLEAR_PAGE and MMUEXT_COPY_PAGE),
 * XENFEAT_gnttab_map_avail_bits, XENFEAT_dom0 to the privileged domain,
 * XENFEAT_pae_pgdir_above_4gb when VMASST_TYPE_pae_extended_cr3 is on.
 * Nothing else, until it is implemented. gnttab_map_avail_bits promises
 * that a grant mapping keeps the PTE bits GNTMAP_guest_avail_mask names:
 * map_grant_ref puts them in PTE bits 9-11 (arch/x86_64/mm.c, grant_pte()),
 * and Linux 6.1 panics at its first hypercall without the feature
 * (docs/linux-dom0.md).
 */
#define LOG_PREFIX "version"
#include <xen/features.h>
#include <xen/version.h>
#include "entry.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"


/* Copy s into a fixed-size ABI string field, NUL-padded. */
static void strncpy_safe(char *dst, const char *s, size_t size)
{
    size_t n = strnlen(s, size - 1);

    memcpy(dst, s, n);
    memset(dst + n, 0, size - n);
}

static long copy_string_out(uint64_t arg, const char *s, size_t size)
{
    char buf[1024];

    if (size > sizeof(buf))
        size = sizeof(buf);
    memset(buf, 0, size);
    strncpy_safe(buf, s, size);
    return copy_to_guest(arg, buf, size) ? -XEN_EFAULT : 0;
}

static long get_features(const struct domain *d, uint64_t arg)
{
    struct xen_feature_info fi;

    if (copy_from_guest(&fi, arg, sizeof(fi)))
        return -XEN_EFAULT;
    if (fi.submap_idx != 0)
        return hc_fail(-XEN_EINVAL, "feature submap %u", fi.submap_idx);
    fi.submap = 0;
    fi.submap |= 1u << XENFEAT_mmu_pt_update_preserve_ad;
    fi.submap |= 1u << XENFEAT_highmem_assist;
    fi.submap |= 1u << XENFEAT_gnttab_map_avail_bits;
    if (d->is_privileged)
        fi.submap |= 1u << XENFEAT_dom0;
    if (d->vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3))
        fi.submap |= 1u << XENFEAT_pae_pgdir_above_4gb;
    return copy_to_guest(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
}

/* Every sub-op but XENVER_version, out of line: its buffers make a frame
 * the null hypercall need not build. */
static long __attribute__((noinline)) xen_version_query(unsigned int cmd,
                                                        uint64_t arg)
{
    const struct domain *d = current->domain;

    switch (cmd) {
    case XENVER_extraversion:
        return copy_string_out(arg, PVISOR_EXTRAVERSION, sizeof(xen_extraversion_t));
    case XENVER_compile_info: {
        struct xen_compile_info info;
        memset(&info, 0, sizeof(info));
        strncpy_safe(info.compiler, "gcc", sizeof(info.compiler));
        strncpy_safe(info.compile_by, "pvisor", sizeof(info.compile_by));
        strncpy_safe(info.compile_date, "unknown", sizeof(info.compile_date));
        return copy_to_guest(arg, &info, sizeof(info)) ? -XEN_EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_string_out(arg, "xen-3.0-x86_64", sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string_out(arg, "pvisor", sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters: {
        struct xen_platform_parameters p = { .virt_start = HYPERVISOR_VIRT_START };
        return copy_to_guest(arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
    }
    case XENVER_get_features:
        return get_features(d, arg);
    case XENVER_pagesize:
        return arg ? -XEN_EINVAL : (long)PAGE_SIZE;
    case XENVER_guest_handle: {
        xen_domain_handle_t h;
        memset(h, 0, sizeof(h));
        return copy_to_guest(arg, h, sizeof(h)) ? -XEN_EFAULT : 0;
    }
    case XENVER_commandline:
        return copy_string_out(arg, d->is_privileged ? saved_cmdline() : "<denied>",
                               sizeof(xen_commandline_t));
    case XENVER_build_id:           /* images are linked without a build id */
        return d->is_privileged ? -XEN_ENODATA : -XEN_EPERM;
    default:
        return hc_fail(-XEN_ENOSYS, "xen_version cmd %u", cmd);
    }
}

long do_xen_version(unsigned int cmd, uint64_t arg)
{
    if (cmd == XENVER_version)      /* the null hypercall: nothing to copy */
        return (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
    return xen_version_query(cmd, arg);
}
