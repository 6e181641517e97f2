/* SPDX-License-Identifier: MIT */
/*
 * xen/sys/ioc.h - Linux's ioctl number encoding (asm-generic/ioctl.h),
 * which the device headers beside this one use: dir:2 | size:14 | type:8 |
 * nr:8, from the top bit down. Defined here so that pvkernel (which has no
 * Linux headers) and musl programs build the same numbers; a program that
 * already has <sys/ioctl.h>'s definitions keeps them (they are equal).
 */
#ifndef PVISOR_XEN_SYS_IOC_H
#define PVISOR_XEN_SYS_IOC_H

#ifndef _IOC
#define _IOC_NONE  0U
#define _IOC_WRITE 1U
#define _IOC_READ  2U
#define _IOC(dir, type, nr, size) \
    (((unsigned int)(dir) << 30) | ((unsigned int)(size) << 16) | \
     ((unsigned int)(type) << 8) | (unsigned int)(nr))
#endif

#endif
