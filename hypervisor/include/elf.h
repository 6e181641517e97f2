/* SPDX-License-Identifier: MIT */
/*
 * elf.h - ELF64 image parser and Xen ELF-note reader (common/elf.c).
 * Owns:    parsing a guest kernel image held in memory: headers, PT_LOAD
 *          segments, the "Xen" notes, and the address layout Xen's libelf
 *          derives from them (virt_base, paddr offset, kernel start/end,
 *          entry). Every read is bounds-checked against the image size.
 * Touches: nothing; copying segments out is the caller's, through
 *          elf_load_segments()' callback.
 * Trusts:  nothing in the image.
 * ABI:     abi/xen/elfnote.h (XEN_ELFNOTE_*).
 */
#ifndef PVISOR_ELF_H
#define PVISOR_ELF_H

#include "types.h"

/* The ELF64 on-disk structures we read (System V gABI). */
typedef struct {
    uint8_t  e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
} Elf64_Phdr;

typedef struct {
    uint32_t n_namesz;
    uint32_t n_descsz;
    uint32_t n_type;
} Elf64_Nhdr;

#define ELF_PT_LOAD  1
#define ELF_PT_NOTE  4
#define ELF_ET_EXEC  2
#define ELF_EM_X86_64 62

/* Xen's UNSET_ADDR: a note that was not present. */
#define ELF_UNSET_ADDR (~0ULL)

/* The longest string note we keep (GUEST_OS, XEN_VERSION, LOADER, ...). */
#define ELF_NOTE_STR_MAX 64

/* Bit numbers as in abi/xen/features.h (XENFEAT_*), at most 32 used. */
struct xen_elf_features {
    uint32_t required;     /* FEATURES note, names without or with '!'  */
    uint32_t supported;    /* FEATURES note (names) | SUPPORTED_FEATURES */
};

/*
 * What the image says about itself, after Xen's libelf rules
 * (elf_xen_parse, elf_xen_note_check, elf_xen_addr_calc_check).
 */
struct xen_elf_params {
    char guest_os[ELF_NOTE_STR_MAX];     /* XEN_ELFNOTE_GUEST_OS      */
    char guest_ver[ELF_NOTE_STR_MAX];    /* XEN_ELFNOTE_GUEST_VERSION */
    char xen_ver[ELF_NOTE_STR_MAX];      /* XEN_ELFNOTE_XEN_VERSION   */
    char loader[ELF_NOTE_STR_MAX];       /* XEN_ELFNOTE_LOADER        */
    char pae_mode[ELF_NOTE_STR_MAX];     /* XEN_ELFNOTE_PAE_MODE      */
    uint64_t virt_base;       /* VIRT_BASE, 0 when absent              */
    uint64_t elf_paddr_offset;/* PADDR_OFFSET, = virt_base when absent */
    uint64_t virt_entry;      /* ENTRY, e_entry when absent            */
    uint64_t virt_hypercall;  /* HYPERCALL_PAGE, ELF_UNSET_ADDR if none */
    uint64_t hv_start_low;    /* HV_START_LOW, ELF_UNSET_ADDR if none   */
    uint64_t p2m_base;        /* INIT_P2M, ELF_UNSET_ADDR if none       */
    uint64_t l1_mfn_valid_mask, l1_mfn_valid_val; /* L1_MFN_VALID, 0 if none */
    bool     mod_start_pfn;   /* MOD_START_PFN != 0                     */
    bool     suspend_cancel;  /* SUSPEND_CANCEL != 0                    */
    struct xen_elf_features features;
    /* Derived layout: [virt_kstart, virt_kend) is where PT_LOADs go. */
    uint64_t virt_kstart, virt_kend;
    uint64_t pstart, pend;    /* min/max p_paddr over PT_LOAD           */
    unsigned int nr_notes;    /* Xen notes seen                         */
};

/* An image after elf_parse(); points into the caller's buffer. */
struct elf_image {
    const uint8_t *data;
    size_t size;
    const Elf64_Ehdr *ehdr;
    struct xen_elf_params xen;
    /*
     * Empty, or why libelf would call the image "broken" though it loads
     * (a string note skipped): Xen prints it as a warning.
     */
    char broken[96];
};

/*
 * Parse and check an ELF64 x86-64 executable carrying Xen notes.
 * Returns 0 (with img->broken set if a string note was skipped, as
 * libelf's warning), or -1 with a human-readable reason in err (always
 * NUL-terminated when errlen > 0). Rejects: truncated or non-ELF64 files,
 * wrong machine/type, program headers or notes outside the file,
 * overlapping/overflowing segments, no Xen notes, a loader other than
 * "generic" with a guest OS other than "linux", XEN_VERSION other than
 * "xen-3.0*", PADDR_OFFSET without VIRT_BASE, an entry outside the kernel,
 * an INIT_P2M base inside the kernel, a VIRT_BASE not page aligned, a
 * HYPERCALL_PAGE not page aligned or not inside the kernel, and a
 * required feature (FEATURES
 * name without '!' handling as Xen: "!name" = required) that is not in
 * supported_by_hv.
 */
int elf_parse(const void *image, size_t size, uint32_t supported_by_hv,
              struct elf_image *out, char *err, size_t errlen);

/*
 * Copy every PT_LOAD segment: calls copy(ctx, va, src, filesz) and then
 * zero(ctx, va + filesz, memsz - filesz) for each, with va = p_paddr +
 * (virt_base - elf_paddr_offset). Stops at and returns the first non-zero
 * callback result.
 */
typedef int (*elf_copy_fn)(void *ctx, uint64_t va, const void *src, size_t len);
typedef int (*elf_zero_fn)(void *ctx, uint64_t va, size_t len);
int elf_load_segments(const struct elf_image *img, elf_copy_fn copy,
                      elf_zero_fn zero, void *ctx);

#endif
