/* SPDX-License-Identifier: MIT */
/*
 * pv_lib.h - declares the hypervisor's lib.c and vsnprintf.c functions
 * under their test names (pv_memcpy, pv_snprintf, ...).
 * Owns:    nothing but the declarations.
 *
 * On the host the hypervisor's memcpy, snprintf ... would clash with
 * libc's, so tests/unit/meson.build compiles every hypervisor source with
 * -Dmemcpy=pv_memcpy and the like (pv_lib_renames there; keep the two
 * lists equal: a missing name shows up as an undefined pv_* symbol). A
 * test includes this header to call our functions by their pv_ names,
 * while the test itself keeps using libc.
 */
#ifndef PVISOR_TEST_PV_LIB_H
#define PVISOR_TEST_PV_LIB_H

#define memcpy pv_memcpy
#define memmove pv_memmove
#define memset pv_memset
#define memcmp pv_memcmp
#define strlen pv_strlen
#define strnlen pv_strnlen
#define strcmp pv_strcmp
#define strncmp pv_strncmp
#define strchr pv_strchr
#define vsnprintf pv_vsnprintf
#define snprintf pv_snprintf
#include "lib.h"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef vsnprintf
#undef snprintf

#endif
