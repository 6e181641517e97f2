/* SPDX-License-Identifier: MIT */
/*
 * types.h - basic types of the hypervisor.
 * Owns:    fixed-width integer types, bool, mfn_t/pfn_t wrapper types.
 * Touches: nothing.
 * Builds freestanding (hypervisor) and hosted (unit tests): includes only
 * compiler-provided headers.
 */
#ifndef PVISOR_TYPES_H
#define PVISOR_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint16_t domid_t;

/*
 * Machine frame numbers (mfn_t) and pseudo-physical frame numbers (pfn_t)
 * are distinct struct types: mixing them up is the classic PV bug, and a
 * struct makes the compiler refuse the mix. Unwrap with mfn_x()/pfn_x().
 */
typedef struct { uint64_t m; } mfn_t;
typedef struct { uint64_t p; } pfn_t;

static inline mfn_t _mfn(uint64_t m) { return (mfn_t){ m }; }
static inline pfn_t _pfn(uint64_t p) { return (pfn_t){ p }; }
static inline uint64_t mfn_x(mfn_t m) { return m.m; }
static inline uint64_t pfn_x(pfn_t p) { return p.p; }
static inline bool mfn_eq(mfn_t a, mfn_t b) { return a.m == b.m; }

#define INVALID_MFN _mfn(~0ULL)
#define INVALID_PFN _pfn(~0ULL)
static inline bool mfn_valid_val(mfn_t m) { return m.m != ~0ULL; }

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a) (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ROUNDDOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* A helper of a hot path that must not cost a call (docs/performance.md). */
#ifndef always_inline
#define always_inline inline __attribute__((always_inline))
#endif

#endif
