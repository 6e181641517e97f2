/* SPDX-License-Identifier: MIT */
/*
 * exec.c - exec: a static ELF64 from the VFS into a fresh address space,
 *          or a "#!" script's interpreter, and the initial user stack as
 *          Linux lays it out.
 * Owns:    the image layout of a new program (segments, brk, stack) and
 *          the stack's contents; the #! rules (Linux's binfmt_script: the
 *          interpreter and one optional argument from a line of at most
 *          256 bytes, 4 levels of interpreters); what /proc reads about
 *          the program (its path for exe, argv's bounds for cmdline).
 * Touches: vfs_lookup_at(), vfs_read() (the headers and segments, from the
 *          archive or from the pages of a file written at run time),
 *          vfs_path_of(), elf_parse(), uspace_* (mm.h), vma_add(),
 *          arch_proc_start(); pv_ops.clock_ns and pv_ops.cpuid for
 *          AT_RANDOM and AT_HWCAP.
 *
 * The new space is built completely before the old one is let go, so a
 * refused exec leaves the caller as it was (the execve() semantics).  A
 * vfork child's old space is its parent's: it is handed back, not freed.
 *
 * The initial stack, from USER_STACK_TOP down (Linux's create_elf_tables()):
 *   8 zero bytes, the file name (AT_EXECFN), the argv then envp strings,
 *   "x86_64" (AT_PLATFORM), 16 random bytes (AT_RANDOM), padding, then
 *   from sp up: argc, argv[0..argc-1], NULL, envp[..], NULL, auxv pairs
 *   ending with AT_NULL; sp 16-byte aligned.
 */
#include <kernel.h>
#include <elf.h>
#include <proc.h>
#include <asm/page.h>
#include <asm/pvops.h>

#define AT_PLATFORM 15
#define EXEC_MAX_ARGS 256       /* argv + envp pointers (a page of table) */
#define NAUXV 19
#define EXEC_HDR_LEN 2048     /* ELF and program headers, or a #! line */
#define EXEC_MAX_DEPTH 4      /* #! interpreters in a row (Linux's BINPRM_MAX_RECURSION) */

static unsigned int prot_of(unsigned int pf)
{
    return (pf & ELF_PF_R ? UPROT_READ : 0) | (pf & ELF_PF_W ? UPROT_WRITE : 0) |
           (pf & ELF_PF_X ? UPROT_EXEC : 0);
}

static long load_segments(struct process *p, struct user_space *us,
                          const struct inode *ino, const struct elf_image *img,
                          uint64_t bias)
{
    unsigned int i;
    long rc;

    for (i = 0; i < img->nloads; i++) {
        const struct elf_load *l = &img->loads[i];
        uint64_t start = (l->vaddr + bias) & PAGE_MASK;
        uint64_t end = (l->vaddr + bias + l->memsz + PAGE_SIZE - 1) & PAGE_MASK;
        uint64_t done = 0;

        rc = uspace_map(us, start, (end - start) >> PAGE_SHIFT, prot_of(l->flags));
        if (!rc)
            rc = vma_add(p, start, end, prot_of(l->flags));
        if (rc)
            return rc;
        /* Through the kernel's direct map: the pages may be read-only to the user. */
        while (done < l->filesz) {
            uint64_t va = l->vaddr + bias + done;
            uint64_t chunk = MIN(l->filesz - done, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
            void *dst = uspace_ptr(us, va, false);

            if (!dst)
                return -EFAULT;
            /* vfs_read: the archive's bytes, or the pages of a file
             * written at run time. */
            if (vfs_read(ino, l->offset + done, dst, chunk) != chunk)
                return -EIO;
            done += chunk;
        }
    }
    return 0;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static long push_bytes(struct user_space *us, uint64_t *sp, const void *b, size_t n)
{
    *sp -= n;
    return uspace_copy_to(us, *sp, b, n);
}

/* The strings and the tables; *sp_out the new sp. */
static long build_stack(struct user_space *us, const char *path,
                        const char *const *argv, unsigned int argc,
                        const char *const *envp, unsigned int envc,
                        const struct elf_image *img, uint64_t bias, uint64_t *sp_out,
                        uint64_t *args_out)
{
    uint64_t sp = USER_STACK_TOP - 8, execfn, platform, random, seed = pv_ops.clock_ns() | 1;
    size_t nwords = 1 + argc + 1 + envc + 1 + 2 * NAUXV, k = 0;
    uint64_t *w = kzalloc(nwords * sizeof(uint64_t));
    uint64_t rnd[2];
    struct cpuid_regs cpu;
    unsigned int i;
    long rc = 0;

    if (!w)
        return -ENOMEM;
    rc = push_bytes(us, &sp, path, strlen(path) + 1);
    execfn = sp;
    w[k++] = argc;
    /* Strings top-down, last first, so argv[0] ends lowest (as Linux). */
    for (i = envc; i-- > 0 && !rc;) {
        rc = push_bytes(us, &sp, envp[i], strlen(envp[i]) + 1);
        w[1 + argc + 1 + i] = sp;
    }
    for (i = argc; i-- > 0 && !rc;) {
        rc = push_bytes(us, &sp, argv[i], strlen(argv[i]) + 1);
        w[1 + i] = sp;
    }
    *args_out = sp;                     /* argv[0]; they end where envp begins */
    if (!rc)
        rc = push_bytes(us, &sp, "x86_64", 7);
    platform = sp;
    /* AT_RANDOM: for musl's stack protector and pointer mangling; seeded
     * from the clock, not a cryptographic source (none yet). */
    rnd[0] = xorshift(&seed) ^ 0x9e3779b97f4a7c15UL;
    rnd[1] = xorshift(&seed);
    sp &= ~15UL;
    if (!rc)
        rc = push_bytes(us, &sp, rnd, sizeof(rnd));
    random = sp;
    k = 1 + argc + 1 + envc + 1;        /* the NULLs are already 0 */
    pv_ops.cpuid(1, 0, &cpu);
#define AUX(t, v) do { w[k++] = (t); w[k++] = (v); } while (0)
    AUX(AT_PHDR, img->phdr_vaddr + bias);
    AUX(AT_PHENT, img->phent);
    AUX(AT_PHNUM, img->phnum);
    AUX(AT_PAGESZ, PAGE_SIZE);
    AUX(AT_BASE, 0);                    /* no interpreter */
    AUX(AT_FLAGS, 0);
    AUX(AT_ENTRY, img->entry + bias);
    AUX(AT_UID, 0);
    AUX(AT_EUID, 0);
    AUX(AT_GID, 0);
    AUX(AT_EGID, 0);
    AUX(AT_HWCAP, cpu.edx);
    AUX(AT_CLKTCK, 100);
    AUX(AT_PLATFORM, platform);
    AUX(AT_SECURE, 0);
    AUX(AT_RANDOM, random);
    AUX(AT_EXECFN, execfn);
    AUX(AT_NULL, 0);
#undef AUX
    nwords = k;
    sp = (sp - nwords * sizeof(uint64_t)) & ~15UL;
    if (!rc)
        rc = uspace_copy_to(us, sp, w, nwords * sizeof(uint64_t));
    kfree(w);
    *sp_out = sp;
    return rc;
}

static unsigned int count_strings(const char *const *v, size_t *bytes)
{
    unsigned int n = 0;

    while (v && v[n]) {
        *bytes += strlen(v[n]) + 1;
        n++;
    }
    return n;
}

/* "#!INTERPRETER [ARG]" in the first EXEC_HDR_LEN bytes of a script
 * (Linux's binfmt_script): the interpreter path, then one optional argument
 * (what follows, blanks trimmed at both ends; not split further).  Cut in
 * place in hdr; 0, or -ENOEXEC when the line names no interpreter or does
 * not fit in Linux's 256-byte buffer. */
#define SCRIPT_LINE_MAX 256
static long parse_shebang(char *hdr, size_t n, char **interp, char **arg)
{
    char *c = hdr + 2, *end = hdr + MIN(n, (size_t)SCRIPT_LINE_MAX), *e;

    for (e = c; e < end && *e != '\n'; e++)
        ;
    if (e == end && n > SCRIPT_LINE_MAX)
        return -ENOEXEC;                /* the line is longer than Linux reads */
    *e = '\0';
    while (*c == ' ' || *c == '\t')
        c++;
    if (!*c)
        return -ENOEXEC;                /* "#!" alone: no interpreter */
    *interp = c;
    while (*c && *c != ' ' && *c != '\t')
        c++;
    *arg = NULL;
    if (*c) {
        *c++ = '\0';
        while (*c == ' ' || *c == '\t')
            c++;
        for (e = c + strlen(c); e > c && (e[-1] == ' ' || e[-1] == '\t'); e--)
            e[-1] = '\0';
        if (*c)
            *arg = c;
    }
    return 0;
}

static long exec_file(struct process *p, const char *path, const char *const *argv,
                      const char *const *envp, const char **why, unsigned int depth,
                      const char *name);

/* A script: run its interpreter with argv [interp, (arg), path, argv[1..]],
 * as Linux does (argv[0] of the script replaced by its path). */
static long exec_script(struct process *p, const char *path, char *hdr, size_t n,
                        const char *const *argv, const char *const *envp,
                        const char **why, unsigned int depth, const char *name)
{
    const char **v;
    char *interp, *arg;
    unsigned int argc = 0, i, k = 0;
    long rc;

    if (depth >= EXEC_MAX_DEPTH) {
        *why = "too many levels of #! interpreters";
        return -ELOOP;
    }
    if (parse_shebang(hdr, n, &interp, &arg)) {
        *why = "a #! line without an interpreter, or longer than 256 bytes";
        return -ENOEXEC;
    }
    while (argv && argv[argc])
        argc++;
    v = kzalloc((argc + 3) * sizeof(char *));
    if (!v) {
        *why = "out of memory";
        return -ENOMEM;
    }
    v[k++] = interp;
    if (arg)
        v[k++] = arg;
    v[k++] = path;
    for (i = 1; i < argc; i++)
        v[k++] = argv[i];
    v[k] = NULL;
    rc = exec_file(p, interp, v, envp, why, depth + 1, name);
    if (rc == -ENOENT)
        *why = "the #! interpreter does not exist";
    kfree(v);
    return rc;
}

long exec_image(struct process *p, const char *path, const char *const *argv,
                const char *const *envp, const char **why)
{
    return exec_file(p, path, argv, envp, why, 0, path);
}

/* name: the file exec'd first (the script, for an interpreter), which
 * names the process (comm), as Linux. */
static long exec_file(struct process *p, const char *path, const char *const *argv,
                      const char *const *envp, const char **why, unsigned int depth,
                      const char *name)
{
    struct user_space old = p->us, nus;
    struct vma *old_vmas;
    unsigned int old_nvmas, old_cap;
    struct elf_image img;
    struct inode *ino;
    uint64_t bias = 0, sp = 0, phoff, args = 0;
    size_t bytes = strlen(path) + 1, n;
    unsigned int argc = count_strings(argv, &bytes), envc = count_strings(envp, &bytes);
    const char *base;
    char *hdr;
    uint16_t phnum;
    int err = 0;
    long rc;

    *why = NULL;
    ino = vfs_lookup_at(p->cwd, path, true, &err);
    if (!ino) {
        *why = err == -ENOTDIR ? "a path component is not a directory" : "no such file";
        return err;
    }
    if (!S_ISREG(ino->mode)) {
        *why = "not a regular file";
        return -EACCES;
    }
    if (!(ino->mode & 0111)) {
        *why = "not executable (no x bit)";
        return -EACCES;
    }
    if (argc + envc > EXEC_MAX_ARGS || bytes > EXEC_ARG_MAX) {
        *why = "argument list too long";
        return -E2BIG;
    }
    /* The headers (or the #! line) from the first bytes of the file,
     * wherever its data lives (archive or pages). */
    hdr = kzalloc(EXEC_HDR_LEN + 1);
    if (!hdr) {
        *why = "out of memory";
        return -ENOMEM;
    }
    n = vfs_read(ino, 0, hdr, EXEC_HDR_LEN);
    if (n >= 2 && hdr[0] == '#' && hdr[1] == '!') {
        rc = exec_script(p, path, hdr, n, argv, envp, why, depth, name);
        kfree(hdr);
        return rc;
    }
    memcpy(&phoff, hdr + 32, sizeof(phoff));        /* e_phoff, e_phnum */
    memcpy(&phnum, hdr + 56, sizeof(phnum));
    if (n >= 64 && n < ino->size && phoff + (uint64_t)phnum * 56 > n) {
        kfree(hdr);
        *why = "program headers beyond the first 2 KiB";
        return -ENOEXEC;
    }
    rc = elf_parse((const uint8_t *)hdr, n < ino->size ? ino->size : n,
                   USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, &img, why);
    kfree(hdr);
    if (rc)
        return -ENOEXEC;
    if (img.type == ELF_ET_DYN)
        bias = ELF_PIE_BASE - img.lo;
    if (img.lo + bias < USER_MIN_ADDR) {
        *why = "a segment below mmap_min_addr";
        return -ENOEXEC;
    }

    rc = uspace_create(&nus);
    if (rc) {
        *why = "no memory for the page tables";
        return rc;
    }
    /* The old regions stay in their array until the point of no return;
     * the new image starts an array of its own. */
    old_vmas = p->vmas;
    old_nvmas = p->nvmas;
    old_cap = p->vma_cap;
    p->us = nus;
    p->vmas = NULL;
    p->nvmas = p->vma_cap = 0;
    rc = load_segments(p, &p->us, ino, &img, bias);
    if (!rc)
        rc = uspace_map(&p->us, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
                        USER_STACK_PAGES, UPROT_READ | UPROT_WRITE);
    if (!rc)
        rc = vma_add(p, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, USER_STACK_TOP,
                     UPROT_READ | UPROT_WRITE);
    if (!rc)
        rc = build_stack(&p->us, path, argv, argc, envp, envc, &img, bias, &sp, &args);
    if (rc) {
        *why = rc == -ENOMEM ? "out of memory loading the image" : "loading the image failed";
        uspace_destroy(&p->us);
        p->us = old;
        kfree(p->vmas);
        p->vmas = old_vmas;
        p->nvmas = old_nvmas;
        p->vma_cap = old_cap;
        return rc;
    }
    /* The point of no return: the old image goes (a vfork child's was
     * its parent's, which gets it back and wakes).  Its device regions
     * first, while its space is still the active one (a vfork child has
     * none: fork.c). */
    if (p == proc_current() && !p->vfork_parent)
        vma_release_devices_in(&old, old_vmas, &old_nvmas);
    kfree(old_vmas);
    if (p == proc_current())
        uspace_activate(&p->us);
    if (p->vfork_parent) {
        wait_wake_all(&p->vfork_parent->vfork_wait);
        p->vfork_parent = NULL;
    } else {
        uspace_destroy(&old);
    }
    /* Handled signals go back to their default action, as Linux. */
    for (unsigned int i = 0; i < NSIG; i++)
        if (p->sigactions[i].handler != 1)      /* SIG_IGN stays */
            p->sigactions[i] = (struct k_sigaction){ 0 };
    p->altstack.sp = p->altstack.size = 0, p->altstack.flags = 0;   /* as Linux */
    p->clear_child_tid = 0;
    if (vfs_path_of(ino, p->exe, sizeof(p->exe)) < 0)
        p->exe[0] = '\0';
    p->arg_start = args;
    p->arg_end = args;
    for (unsigned int i = 0; i < argc; i++)
        p->arg_end += strlen(argv[i]) + 1;
    p->brk_start = p->brk = img.hi + bias;
    arch_set_fs(p, 0);
    base = name;
    for (const char *c = name; *c; c++)
        if (*c == '/' && c[1])
            base = c + 1;
    snprintf(p->comm, sizeof(p->comm), "%s", base);
    arch_proc_start(p, img.entry + bias, sp);
    return 0;
}
