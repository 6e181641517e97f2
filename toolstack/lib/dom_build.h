/* SPDX-License-Identifier: MIT */
/*
 * dom_build.h - the toolstack's PV domain builder, in three layers that
 * test apart: the kernel image (dom_elf.c: ELF64, Xen notes, bzImage),
 * the start-of-day layout (dom_layout.c: pure arithmetic), and building
 * a domain from both through the hypercall wrappers (dom_build.c, over
 * hv.h).
 * Owns:    struct dom_elf, struct dom_layout, struct dom_build_params.
 * Touches: nothing; declarations only.
 *
 * It shares no code with the hypervisor's own builder of boot domains
 * (hypervisor/arch/x86_64/pv/domain_build.c) but abi/ and the generic
 * decompressors (docs/decisions.md, "The toolstack's domain builder").
 * Every function that can refuse writes why into err (NUL-terminated,
 * naming the file where there is one) and returns -1.
 */
#ifndef PVISOR_TOOLSTACK_DOM_BUILD_H
#define PVISOR_TOOLSTACK_DOM_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#define DOM_PAGE_SHIFT 12
#define DOM_PAGE_SIZE  (1UL << DOM_PAGE_SHIFT)
#define DOM_ERR_MAX    256              /* room a caller gives err       */
#define DOM_UNSET      (~0ULL)          /* a note that was not present   */
#define DOM_NOTE_STR_MAX 64

/* ---- the kernel image (dom_elf.c) ------------------------------------ */

/* What the image says about itself, after libelf's rules. */
struct dom_elf {
    const char *name;            /* the file, for messages (not owned)   */
    const uint8_t *data;         /* the ELF: the caller's, or `owned`    */
    size_t size;
    void *owned;                 /* the decompressed ELF, freed by _free */
    const char *wrapper;         /* "ELF", "bzImage+gzip", "xz", ...     */
    char guest_os[DOM_NOTE_STR_MAX], guest_ver[DOM_NOTE_STR_MAX];
    char xen_ver[DOM_NOTE_STR_MAX], loader[DOM_NOTE_STR_MAX];
    uint64_t virt_base;          /* VIRT_BASE, 0 when absent             */
    uint64_t paddr_offset;       /* PADDR_OFFSET, 0 when absent          */
    uint64_t entry;              /* ENTRY, else e_entry                  */
    uint64_t hypercall_page;     /* HYPERCALL_PAGE VA, or DOM_UNSET      */
    uint64_t p2m_base;           /* INIT_P2M VA, or DOM_UNSET            */
    bool mod_start_pfn;          /* MOD_START_PFN != 0                   */
    bool suspend_cancel;         /* SUSPEND_CANCEL != 0                  */
    uint32_t feat_required;      /* FEATURES "!name" (XENFEAT_* bits)    */
    uint32_t feat_supported;     /* FEATURES names | SUPPORTED_FEATURES  */
    uint64_t kstart, kend;       /* [kstart, kend): where PT_LOADs go    */
    unsigned int nr_notes;       /* Xen notes seen                       */
    char warning[128];           /* empty, or a note libelf would skip   */
};

/*
 * Parse a kernel file held in memory (name for messages): an ELF64
 * x86-64 executable with Xen notes, a Linux bzImage whose payload is a
 * gzip or xz ELF, or such a compressed ELF alone. file must outlive out
 * when it is a plain ELF. Refuses with the file's name and the reason.
 */
int dom_elf_parse(const char *name, const void *file, size_t size,
                  struct dom_elf *out, char *err, size_t errlen);
void dom_elf_free(struct dom_elf *elf);
/*
 * Copy the PT_LOAD segments into dst, which holds the virtual range
 * [dst_va, dst_va + dst_len), zeroing each segment's tail past its file
 * size. -1 if a segment falls outside dst (a layout bug).
 */
int dom_elf_load(const struct dom_elf *elf, void *dst, uint64_t dst_va,
                 size_t dst_len, char *err, size_t errlen);
/* Read a whole file into malloc'ed memory (for kernel and ramdisk). */
int dom_read_file(const char *path, void **data, size_t *size, char *err,
                  size_t errlen);

/* ---- the start-of-day layout (dom_layout.c) --------------------------- */

/* A run of pages of the domain: pseudo-physical frames and their VA. */
struct dom_seg {
    uint64_t pfn;                /* first pseudo-physical frame          */
    uint64_t pages;
    uint64_t va;                 /* where the initial tables map it      */
};

/* One range the initial page tables map: [va, va + pages * 4K) -> pfn.. */
struct dom_map {
    uint64_t va, pfn, pages;
};

/*
 * Where everything goes, in libxenguest's order: kernel, ramdisk, p2m
 * (unless INIT_P2M), start_info, xenstore, console, page tables, boot
 * stack, padding to a 4 MiB boundary (at least 512 KiB); with INIT_P2M
 * the p2m and its own page tables follow, mapped at the note's VA.
 */
struct dom_layout {
    uint64_t nr_pages;           /* the domain's memory                  */
    uint64_t virt_base;
    struct dom_seg kernel, ramdisk, p2m, start_info, xenstore, console;
    struct dom_seg pgtables, stack;
    uint64_t virt_end;           /* end of the bootstrap mapping         */
    uint64_t bootstrap_pages;    /* (virt_end - virt_base) / 4K          */
    bool p2m_separate;           /* INIT_P2M honoured                    */
    struct dom_seg p2m_pt;       /* INIT_P2M: the p2m mapping's tables   */
    uint64_t nr_pt_frames;       /* start_info.nr_pt_frames              */
    uint64_t pfn_end;            /* first pfn the layout does not use    */
    struct dom_map maps[2];      /* bootstrap, then the p2m if separate  */
    unsigned int nr_maps;
    uint64_t entry, stack_top;   /* rip, rsp                             */
    uint64_t hypercall_pfn;      /* DOM_UNSET if no HYPERCALL_PAGE       */
    uint64_t mod_start;          /* start_info.mod_start (VA or PFN)     */
    uint64_t ramdisk_len;
    unsigned int vcpus;
};

struct dom_layout_params {
    const struct dom_elf *elf;
    uint64_t mem_bytes;          /* memory = (MiB << 20)                 */
    uint64_t ramdisk_len;        /* 0: none                              */
    unsigned int vcpus;
};

#define DOM_MIN_MEM_MB   4       /* below this nothing of use boots      */
#define DOM_MAX_VCPUS    8       /* the hypervisor's MAX_VCPUS_PER_DOM   */

int dom_layout_compute(const struct dom_layout_params *p, struct dom_layout *l,
                       char *err, size_t errlen);
/* Page tables needed to map the ranges maps[0..n) (one L4 included). */
uint64_t dom_count_pgtables(const struct dom_map *maps, unsigned int n);
/* Is pfn one of the layout's page-table frames (mapped read-only)? */
bool dom_layout_is_pgtable(const struct dom_layout *l, uint64_t pfn);
/* Print the layout, one line per segment, each line starting with pfx. */
void dom_layout_print(const struct dom_layout *l, void (*out)(void *ctx,
                      const char *line), void *ctx);

/* ---- building a domain (dom_build.c) ----------------------------------- */

struct hv;

struct dom_build_params {
    const struct dom_elf *elf;
    const void *ramdisk;         /* NULL: none                           */
    size_t ramdisk_len;
    uint64_t mem_bytes;
    uint64_t maxmem_bytes;       /* >= mem_bytes; 0: = mem_bytes         */
    unsigned int vcpus;
    const char *cmdline;         /* may be NULL                          */
    domid_t console_domid;       /* the console backend (0)              */
    domid_t store_domid;         /* the store (0)                        */
};

/* What the built domain was given, for the store entries that follow. */
struct dom_build_result {
    domid_t domid;
    xen_pfn_t store_mfn, console_mfn;
    uint32_t store_port, console_port;
    struct dom_layout layout;
};

/*
 * Create a domain and build it from p, leaving it paused: vCPU 0 starts
 * at the kernel's entry once the caller unpauses it. On any failure the
 * half-built domain is destroyed and err says which step failed and why.
 */
int dom_build(struct hv *hv, const struct dom_build_params *p,
              struct dom_build_result *res, char *err, size_t errlen);

#endif
