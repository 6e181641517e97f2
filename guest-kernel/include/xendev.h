/* SPDX-License-Identifier: MIT */
/*
 * xendev.h - the devices through which dom0's userland is the toolstack:
 *            /dev/pvisor/privcmd, /dev/pvisor/evtchn, /dev/pvisor/gntdev
 *            (each also under /dev/xen/, where Linux has them).
 * Owns:    their registration with devfs and their device numbers.
 * Touches: nothing (declarations).  Implemented by
 *            drivers/xen/privcmd.c   hypercalls, foreign mappings
 *            drivers/xen/evtchn.c    event channels for user programs
 *            drivers/xen/gntdev.c    grant mappings for user programs
 *
 * Their ioctls are Linux's (abi/xen/sys/{privcmd,evtchn,gntdev}.h, checked
 * against Debian's by tests/abi/test_xen_sys.c), so a toolstack written
 * for Linux's devices runs on these.  The numbers are misc devices'
 * (major 10) with minors of our choosing: Linux gives these dynamic ones.
 */
#ifndef XENDEV_H
#define XENDEV_H

#define XENDEV_MAJOR          10
#define XENDEV_PRIVCMD_MINOR  240
#define XENDEV_EVTCHN_MINOR   241
#define XENDEV_GNTDEV_MINOR   242

/* Register both names of each device with devfs (before devfs_new()). */
void privcmd_register(void);
void evtchn_dev_register(void);
void gntdev_register(void);

#endif /* XENDEV_H */
