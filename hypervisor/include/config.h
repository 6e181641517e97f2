/* SPDX-License-Identifier: MIT */
/*
 * config.h - limits of the hypervisor, in one place.
 * Owns:    compile-time limits; nothing else.
 */
#ifndef PVISOR_CONFIG_H
#define PVISOR_CONFIG_H

#define PVISOR_VERSION_MAJOR 0
#define PVISOR_VERSION_MINOR 1
#define PVISOR_EXTRAVERSION  ".0-pvisor"

/* The Xen release whose ABI we speak (XENVER_version). */
#define XEN_ABI_MAJOR 4
#define XEN_ABI_MINOR 17

#define NR_HYPERCALLS       64     /* table size, as Xen's             */
#define MAX_DOMAINS         128    /* dom0 + 127: 16 KiB each, static */
#define NR_CPUS             1      /* SMP comes with the scheduler     */
#define MAX_VCPUS_PER_DOM   8      /* dom0_max_vcpus=, domu_max_vcpus= */
#define DOM0_MEM_DEFAULT_MAX (512ULL << 20)  /* when dom0_mem= is absent */
#define DOMU_MEM_DEFAULT    (32ULL << 20)    /* each boot domU (domu_mem=)  */
#define HV_RESERVE_MIN      (16ULL << 20)    /* kept back from dom0      */
#define CONSOLE_IN_RING     1024   /* bytes of serial input kept       */
#define CONSOLE_WRITE_CHUNK 128    /* CONSOLEIO_write copy-in unit     */
#define TRAP_TABLE_SIZE     256
#define GNTTAB_MAX_FRAMES   64     /* Xen 4.17's max_grant_frames default */
#define GNTTAB_MAPTRACK_ENTRIES 512 /* grant mappings a domain may hold */

#endif
