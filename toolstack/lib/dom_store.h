/* SPDX-License-Identifier: MIT */
/*
 * dom_store.h - a domain's entries in the store, as `xl create` writes
 * them (libxl__domain_make, libxl__build_post, the console device), and
 * their removal when the domain goes.
 * Owns:    the list of paths, values and permissions for one domain.
 * Touches: the store, through xs.h (one transaction per call).
 */
#ifndef PVISOR_TOOLSTACK_DOM_STORE_H
#define PVISOR_TOOLSTACK_DOM_STORE_H

#include <stdint.h>

struct xs_handle;

struct dom_store_info {
    uint32_t domid;
    const char *name;
    char uuid[37];               /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
    uint64_t memory_kb, maxmem_kb;
    unsigned int vcpus, maxvcpus;
    uint64_t store_mfn, console_mfn;
    uint32_t store_port, console_port;
};

/*
 * Write /local/domain/<id>/..., /vm/<uuid>/... with xl's permissions
 * (dom0 owns what the guest may only read; the guest owns control/,
 * data/, device/, ...), then XS_INTRODUCE the domain (the store maps its
 * ring and fires @introduceDomain). 0, or an errno with a message in err.
 */
int dom_store_create(struct xs_handle *xs, const struct dom_store_info *di,
                     char *err, size_t errlen);
/* XS_RELEASE the domain (if introduced) and remove its entries; 0 or an
 * errno (best effort: every step is tried). */
int dom_store_remove(struct xs_handle *xs, uint32_t domid);
/* Write the name of a fresh random (version 4) UUID into out. */
void dom_store_new_uuid(char out[37]);

#endif
