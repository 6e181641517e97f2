/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz.h - the hypercall fuzzer's internals, shared by its files.
 * Owns:    the PRNG, the sandbox (struct fz_env: scratch frames, window VAs,
 *          the argument arena), the argument classes (pointers, frames,
 *          PTEs) and struct fz_call, one generated hypercall.
 * Touches: nothing (declarations); fuzz.c implements the sandbox and the
 *          loop, fuzz_mm.c and fuzz_misc.c the per-hypercall generators.
 *
 * The rule every generator keeps: the fuzzer may break anything that is
 * its own (scratch frames, window VAs, an empty L4 slot, the arena) and
 * may aim at anything that is not the guest's (hypervisor frames, frames
 * beyond RAM, non-canonical or hypervisor VAs), but it never hands the
 * hypervisor an argument that would legitimately destroy the guest kernel
 * itself: no kernel page-table entry, no kernel frame as a write target,
 * no shutdown, no baseptr switch to a random L4.  State it does change
 * outside the sandbox (trap table, callbacks, segment bases, debug
 * registers, timers, ...) is put back right after the call (fz_post) or
 * at the end (fz_env_restore).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <testapi.h>
#include <xen/memory.h>

/* The entry point, fuzz_run(), is declared in testapi.h. */

/* ---- PRNG: xorshift64*, seeded through splitmix64 ---------------------- */
uint64_t fz_rand(void);
static inline uint64_t fz_below(uint64_t n) { return n ? fz_rand() % n : 0; }
/* True with probability num/den. */
static inline bool fz_chance(unsigned int num, unsigned int den)
{
    return fz_below(den) < num;
}
/* One of the n values in a[]. */
#define FZ_PICK(a) ((a)[fz_below(ARRAY_SIZE(a))])

/* ---- the sandbox ------------------------------------------------------- */
#define FZ_NR_SCRATCH   12      /* [0] is the read-only canary page     */
#define FZ_NR_WINDOW    8       /* [0] is the writer VA, never fuzzed   */
#define FZ_ARENA_SLOTS  12      /* argument buffers, one per call       */
#define FZ_SLOT_SIZE    (2 * PAGE_SIZE)
#define FZ_SLOT_ROOM    (PAGE_SIZE / 2)  /* max offset of a pointer in a slot */
#define FZ_CANARY       0x5afe5afe5afe5afeUL
/* The empty kernel L4 slots the fuzzer may fill (and empties right after):
 * nothing, not even another fuzzer argument, points into them. */
#define FZ_L4_SLOT_LOW  1
#define FZ_L4_SLOT_HIGH 272

struct fz_env {
    uint64_t nr_pfns, max_mfn, shared_info_mfn;
    uint64_t scratch_pfn[FZ_NR_SCRATCH], scratch_mfn[FZ_NR_SCRATCH];
    uint64_t window_pfn[FZ_NR_WINDOW], window_mfn[FZ_NR_WINDOW];
    uint64_t window_va[FZ_NR_WINDOW], window_pte_ma[FZ_NR_WINDOW];
    uint64_t l4_mfn;                  /* the kernel's, never replaced      */
    uint64_t user_l4_mfn;             /* the kernel's user L4, put back    */
    uint64_t kpt_mfn[PT_LEVELS + 1];  /* one kernel table per level 1..4   */
    uint64_t arena_mfn, scribble_mfn; /* kernel frames: a buffer, a target */
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    bool verbose;                 /* log this iteration's calls         */
    uint64_t log_from;            /* fuzzlog[=N]: from iteration N (1+) */
    bool check_every;             /* fuzzrsv: reservation after each one */
};
extern struct fz_env fz;

/* An argument buffer of FZ_SLOT_SIZE bytes, zeroed; a different one for
 * each call of a multicall (fz_arena_reset() starts over). */
void *fz_slot(void);
void fz_arena_reset(void);

/* ---- argument classes ---------------------------------------------------- */
/* A guest pointer the hypervisor may read or write through without harming
 * the kernel: exactly buf (when given; most often), the start of the
 * read-only canary page, unmapped, non-canonical, or NULL. fz_optr() may
 * also point into the hypervisor's range or at odd offsets: only for what
 * the hypervisor writes or reads as plain data, never for a list of
 * frames or commands (shifted, our own PTE values read as requests would
 * aim at kernel frames). Arrays behind either stay under 2 KiB. */
uint64_t fz_ptr(void *buf);
uint64_t fz_optr(void *buf);
/* Only pointers no copy can succeed through (for hypercalls whose valid
 * arguments could do real damage: sysctl, platform_op, kexec ...). */
uint64_t fz_bad_ptr(void);
/* A VA the fuzzer may remap: a window VA most of the time, else a bad one. */
uint64_t fz_va(void);
/* Frames: scratch (never the canary when writable), any of ours, not ours,
 * beyond RAM, or one of the kernel's page tables (read-only uses only). */
uint64_t fz_scratch_mfn(void);              /* scratch[1..]              */
uint64_t fz_foreign_mfn(void);              /* not the guest's, or no RAM */
uint64_t fz_target_mfn(void);               /* scratch or foreign        */
uint64_t fz_any_mfn(void);                  /* also kernel frames, tables */
/* A page-table entry: one of the frames above with random flags. */
uint64_t fz_pte(void);
/* A machine address of an entry the fuzzer may rewrite (| 0, the cmd). */
uint64_t fz_pte_maddr(bool *is_l4_slot);
static inline bool fz_is_scratch(uint64_t mfn)
{
    for (unsigned int i = 0; i < FZ_NR_SCRATCH; i++)
        if (fz.scratch_mfn[i] == mfn)
            return true;
    return false;
}
static inline uint64_t fz_domid(void)
{
    static const uint64_t ids[] = { DOMID_SELF, DOMID_SELF, DOMID_SELF, 0, 1,
                                    DOMID_IO, DOMID_XEN, DOMID_INVALID };
    return fz_chance(1, 8) ? fz_rand() & 0xffff : FZ_PICK(ids);
}
/* Fill n bytes with random data. */
void fz_fill(void *buf, size_t n);

/* ---- one generated call --------------------------------------------------- */
/* What must be undone after the call (fz_post), as flags. */
enum {
    FZ_POST_TRAPS      = 1 << 0,   /* trap table: reinstall the kernel's  */
    FZ_POST_CALLBACKS  = 1 << 1,   /* event/failsafe/syscall/nmi entries  */
    FZ_POST_SEGBASE    = 1 << 2,   /* fs/gs bases and gs selector         */
    FZ_POST_DEBUGREG   = 1 << 3,
    FZ_POST_FPU        = 1 << 4,
    FZ_POST_L4_SLOTS   = 1 << 5,   /* empty FZ_L4_SLOT_* again            */
    FZ_POST_MACHPHYS   = 1 << 6,   /* M2P of scratch frames               */
    FZ_POST_USER_BASE  = 1 << 7,   /* NEW_USER_BASEPTR to the kernel's    */
    FZ_POST_LDT        = 1 << 8,
    FZ_POST_GDT        = 1 << 9,
    FZ_POST_RESERVE    = 1 << 10,  /* give back frames the call got       */
    FZ_POST_PINS       = 1 << 11,  /* kernel tables: pin state as before  */
    FZ_POST_VCPU_AREAS = 1 << 12,  /* runstate / time areas unregistered  */
};

struct fz_call {
    unsigned long op, arg[6];
    unsigned int post;
    /* FZ_POST_RESERVE: where the frames the hypervisor handed out are. */
    void *reserve;                 /* struct xen_memory_reservation, or a
                                      xen_memory_exchange for exchange  */
    unsigned int reserve_cmd;
    /* FZ_POST_PINS: a lone pin (or unpin) of kernel table kt_mfn. */
    uint64_t kt_mfn;
    unsigned int kt_level;
    bool kt_unpin;
};

/* Generators: fill c for the hypercall it is named after. */
void fz_gen_mmu_update(struct fz_call *c);
void fz_gen_update_va_mapping(struct fz_call *c, bool otherdomain);
void fz_gen_mmuext_op(struct fz_call *c);
void fz_gen_memory_op(struct fz_call *c);
void fz_gen_update_descriptor(struct fz_call *c);
void fz_gen_set_gdt(struct fz_call *c);
/* Everything else; false if nr is not one fuzz_misc.c generates. */
bool fz_gen_misc(struct fz_call *c, unsigned int nr);
/* A random hypercall of any kind (multicall entries use it, depth 1). */
void fz_gen_any(struct fz_call *c, unsigned int depth);
void fz_gen_multicall(struct fz_call *c, unsigned int depth);
/* Print (fuzzlog) the entries of the multicall generated last. */
void fz_log_multicall(uint64_t i);
/* Count and undo the entries of the multicall generated last. */
void fz_post_multicall(long rc);

/* Run c (not a multicall) and return what the hypervisor returned. */
long fz_issue(const struct fz_call *c);
/* Undo what c may have changed; rc is its result. */
void fz_post(struct fz_call *c, long rc);
/* fuzz_mm.c: give back what an increase/populate/exchange handed out. */
void fz_post_reserve(struct fz_call *c, long rc);
/* fuzz_mm.c: undo a lone pin or unpin of a kernel table that succeeded. */
void fz_post_pins(struct fz_call *c, long rc);

/* Counters, printed at the end. */
extern uint64_t fz_calls, fz_errors;
static inline void fz_count(long rc)
{
    fz_calls++;
    if (rc < 0)
        fz_errors++;
}

/* ---- failures -------------------------------------------------------------- */
/* Print "fuzz: FAIL <why>" (the first few) and make the run fail. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern unsigned int fz_failures;

/* ---- the reservation ---------------------------------------------------------- */
/* Tags: the gpfns the fuzzer writes into out lists (exchange) and gpfn
 * lists (populate_physmap), so that a frame the hypervisor assigned but
 * could not report is found again in the read-only M2P. Far above any
 * real gpfn; FZ_TAG_STRIDE apart so that an extent of order <= 9 keeps
 * each of its frames inside its own tag. The canary's value, read as a
 * list of gpfns (the canary page as an out list), is a tag too. */
#define FZ_TAG_BASE     0x7a9e000000UL
#define FZ_TAG_STRIDE   512UL
#define FZ_TAG_SPAN     (4096UL * FZ_TAG_STRIDE)
static inline uint64_t fz_tag(uint64_t i)
{
    return FZ_TAG_BASE + (i % 4096) * FZ_TAG_STRIDE;
}
/* What the generators note about the current iteration (fz_rsv_flags). */
enum {
    FZ_RSV_TOUCHED    = 1 << 0,   /* a call may have changed the reservation */
    FZ_RSV_UNREPORTED = 1 << 1,   /* an increase with an unwritable list:
                                     Xen keeps such frames, unreported      */
};
extern unsigned int fz_rsv_flags;
/* A frame the fuzzer may give back blindly: below the end of RAM, not in
 * the kernel's p2m, not scratch, window or shared_info (so never one the
 * kernel uses; decreasing a frame that is not ours merely fails). */
bool fz_may_give_back(uint64_t mfn);
/* decrease_reservation of one frame; true if it went back. */
bool fz_give_back1(uint64_t mfn);
/* Give back each distinct candidate of list[0..n) that fz_may_give_back()
 * allows, one decrease each; how many went back. */
unsigned int fz_give_back_list(const xen_pfn_t *list, unsigned int n);
/* The same for a list of distinct frames all known to be ours: one
 * decrease for all (one more after each frame that would not go). */
unsigned int fz_give_back_all(const xen_pfn_t *list, unsigned int n);
/* The reservation must be what it was before iteration i (after undoing):
 * if it grew, look for tagged frames in the M2P and give them back; what
 * remains is a FAIL (or, after FZ_RSV_UNREPORTED, frames Xen keeps). */
void fz_rsv_check(uint64_t i, const char *what);

/* ---- sequences (fuzz_seq.c) ----------------------------------------------------- */
/* Multi-step scenarios instead of one random call, for iteration i:
 * frame reuse behind a stale TLB entry, and exchange with hostile lists. */
void fz_seq_reuse(uint64_t i);
void fz_seq_exchange(uint64_t i);
void fz_seq_report(void);
/* Hold all free memory but a small pool for the run, and give it back. */
void fz_ballast_take(void);
void fz_ballast_return(void);
/* mfn is held in the ballast: never a "foreign" frame, never given back. */
bool fz_in_ballast(uint64_t mfn);

#endif /* FUZZ_H */
