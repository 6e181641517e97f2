/* SPDX-License-Identifier: MIT */
/*
 * procfs.c - /proc: read-only files whose text is made when they are read.
 * Owns:    procfs's tree (a ramfs tree whose files have a gen function),
 *          the /proc/PID directories (made and removed to follow the
 *          process table), the numbers sysinfo() shares (procfs_meminfo).
 * Touches: proc_next() (the process table, read only), mm_nr_pfns(),
 *          mm_free_pfns(), ramfs_pages(), clock_ns(), wallclock(),
 *          sched_switches, uspace_copy_from() (cmdline), pv_ops.cpuid,
 *          the mount table (vfs_mount_at()).
 *
 * Files, in Linux's formats (what busybox free, uptime, ps and cat read):
 *   meminfo   MemTotal (every pfn of the domain), MemFree (the allocator's
 *             free pages), MemAvailable (= MemFree: nothing is reclaimable),
 *             Buffers 0, Cached and Shmem (ramfs file pages), no swap
 *   uptime    "UP IDLE" in seconds, from the pvclock (idle: 0, no accounting)
 *   version   "Linux version 6.1.0-pvkernel (pvkernel VERSION) ..."
 *   cpuinfo   one processor block: vendor, family/model/stepping, model name
 *             from CPUID (what the hypervisor shows), flags left out
 *   loadavg   "0.00 0.00 0.00 R/N LASTPID": no load accounting yet
 *   mounts    the mount table, one "SOURCE PATH TYPE OPTS 0 0" line each
 *   stat      cpu lines (zeros: no CPU time accounting), ctxt, btime,
 *             processes, procs_running (what top reads)
 *   self      a symlink to the calling process's PID
 *   PID/stat, PID/status, PID/cmdline for each process: group, session,
 *             sizes (every region is populated: rss = vsize); cmdline is
 *             argv read from the process's own stack, as Linux's;
 *             PID/exe, a symlink to the program; PID/maps, the regions
 *             (Linux's lines, names only for [heap] and [stack])
 * A file's text is at most a page, but for maps (up to 128 KiB, which
 * read_generated() in sys_fs.c makes room for).  Each read makes it
 * again, so reading in pieces can see two versions (Linux's seq_file
 * keeps the first).
 */
#include <kernel.h>
#include <mm.h>
#include <proc.h>
#include <time.h>
#include <uapi.h>
#include <vfs.h>
#include <asm/pvops.h>

#define PAGE_KIB 4

void procfs_meminfo(struct vfs_meminfo *m)
{
    m->total_kib = mm_nr_pfns() * PAGE_KIB;
    m->free_kib = mm_free_pfns() * PAGE_KIB;
    m->cached_kib = ramfs_pages() * PAGE_KIB;
}

static size_t gen_meminfo(const struct inode *ino, char *b, size_t n)
{
    struct vfs_meminfo m;

    (void)ino;
    procfs_meminfo(&m);
    return (size_t)snprintf(b, n,
        "%-16s%8lu kB\n%-16s%8lu kB\n%-16s%8lu kB\n%-16s%8lu kB\n%-16s%8lu kB\n"
        "%-16s%8lu kB\n%-16s%8lu kB\n%-16s%8lu kB\n",
        "MemTotal:", m.total_kib, "MemFree:", m.free_kib, "MemAvailable:", m.free_kib,
        "Buffers:", 0UL, "Cached:", m.cached_kib, "SwapTotal:", 0UL, "SwapFree:", 0UL,
        "Shmem:", m.cached_kib);
}

static size_t gen_uptime(const struct inode *ino, char *b, size_t n)
{
    uint64_t ns = clock_ns();

    (void)ino;
    return (size_t)snprintf(b, n, "%lu.%02lu 0.00\n", ns / 1000000000,
                            ns / 10000000 % 100);
}

static size_t gen_version(const struct inode *ino, char *b, size_t n)
{
    (void)ino;
    return (size_t)snprintf(b, n, "Linux version 6.1.0-pvkernel (pvkernel %s) #1 SMP\n",
                            PVKERNEL_VERSION);
}

static size_t gen_cpuinfo(const struct inode *ino, char *b, size_t n)
{
    struct cpuid_regs r;
    uint32_t vendor[4] = { 0 }, name[13] = { 0 };
    unsigned int fam, model, i;

    (void)ino;
    pv_ops.cpuid(0, 0, &r);
    vendor[0] = r.ebx; vendor[1] = r.edx; vendor[2] = r.ecx;
    pv_ops.cpuid(1, 0, &r);
    fam = (r.eax >> 8) & 0xf;
    model = (r.eax >> 4) & 0xf;
    if (fam == 0xf)
        fam += (r.eax >> 20) & 0xff;
    if (fam >= 6)
        model |= ((r.eax >> 16) & 0xf) << 4;
    pv_ops.cpuid(0x80000000, 0, &r);
    if (r.eax >= 0x80000004)
        for (i = 0; i < 3; i++) {
            pv_ops.cpuid(0x80000002 + i, 0, &r);
            name[4 * i] = r.eax; name[4 * i + 1] = r.ebx;
            name[4 * i + 2] = r.ecx; name[4 * i + 3] = r.edx;
        }
    pv_ops.cpuid(1, 0, &r);
    return (size_t)snprintf(b, n,
        "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
        "model name\t: %s\nstepping\t: %u\ncpu cores\t: 1\n\n",
        (char *)vendor, fam, model, (char *)name, r.eax & 0xf);
}

static size_t gen_loadavg(const struct inode *ino, char *b, size_t n)
{
    struct process *p = NULL;
    int count = 0, last = 0;

    (void)ino;
    while ((p = proc_next(p))) {
        count++;
        last = MAX(last, p->pid);
    }
    return (size_t)snprintf(b, n, "0.00 0.00 0.00 1/%d %d\n", count, last);
}

static size_t gen_mounts(const struct inode *ino, char *b, size_t n)
{
    const struct vfs_mount *m;
    size_t len = 0;
    unsigned int i;

    (void)ino;
    for (i = 0; (m = vfs_mount_at(i)) && len < n; i++)
        len += (size_t)snprintf(b + len, n - len, "%s %s %s %s 0 0\n",
                                m->source, m->path, m->type, m->opts);
    return MIN(len, n);
}

static size_t gen_self(const struct inode *ino, char *b, size_t n)
{
    struct process *p = proc_current();

    (void)ino;
    return p ? (size_t)snprintf(b, n, "%d", p->pid) : 0;
}

static struct process *proc_of(const struct inode *ino)
{
    struct process *p = NULL;

    while ((p = proc_next(p)))
        if (p->pid == ino->priv)
            return p;
    return NULL;
}

static char state_of(const struct process *p)
{
    return p->state == PROC_ZOMBIE ? 'Z' : p == proc_current() ? 'R' : 'S';
}

static uint64_t vsize_of(const struct process *p)
{
    uint64_t sz = 0;
    unsigned int i;

    for (i = 0; i < p->nvmas; i++)
        sz += p->vmas[i].end - p->vmas[i].start;
    return sz;
}

/* Linux's 52 fields; what is not kept here is 0.  The sizes: every
 * region is populated when mapped, so the resident set is the regions'
 * total (vsize; rss in pages); starttime in clock ticks (USER_HZ 100). */
static size_t gen_stat(const struct inode *ino, char *b, size_t n)
{
    struct process *p = proc_of(ino);
    uint64_t vsize;

    if (!p)
        return 0;
    vsize = p->state == PROC_ZOMBIE ? 0 : vsize_of(p);
    return (size_t)snprintf(b, n,
        "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 %lu %lu %lu "
        "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
        p->pid, p->comm, state_of(p), p->parent ? p->parent->pid : 0, p->pgid, p->sid,
        p->start_ns / 10000000, vsize, vsize / 4096, p->exit_signal);
}

static size_t gen_status(const struct inode *ino, char *b, size_t n)
{
    struct process *p = proc_of(ino);
    const char *st;
    uint64_t kib;

    if (!p)
        return 0;
    st = p->state == PROC_ZOMBIE ? "Z (zombie)" : p == proc_current() ? "R (running)"
                                                                      : "S (sleeping)";
    kib = p->state == PROC_ZOMBIE ? 0 : vsize_of(p) / 1024;
    return (size_t)snprintf(b, n,
        "Name:\t%s\nUmask:\t0%u%u%u\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
        "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmSize:\t%8lu kB\nVmRSS:\t%8lu kB\nThreads:\t1\n",
        p->comm, (p->umask >> 6) & 7, (p->umask >> 3) & 7, p->umask & 7, st, p->pid,
        p->pid, p->parent ? p->parent->pid : 0, kib, kib);
}

/* Linux's lines, "START-END PERMS OFFSET MAJ:MIN INODE " and, padded to
 * column 74, a name: [heap] for brk's region, [stack] for the stack.  The
 * program's segments carry no name and no inode (a region does not keep
 * the file it was loaded from); a device region is shared ('s'), at its
 * offset, no name.  The text may pass a page: the full length is
 * returned (read_generated() asks again with room). */
static size_t gen_maps(const struct inode *ino, char *b, size_t n)
{
    struct process *p = proc_of(ino);
    size_t len = 0;
    unsigned int i;

    if (!p || p->state == PROC_ZOMBIE)
        return 0;
    for (i = 0; i < p->nvmas; i++) {
        const struct vma *v = &p->vmas[i];
        const char *name = v->end == USER_STACK_TOP ? "[stack]"
                         : !v->file && p->brk_start && v->start >= p->brk_start &&
                           v->start < p->brk ? "[heap]" : NULL;
        size_t at = MIN(len, n);
        int w = snprintf(b + at, n - at, "%08lx-%08lx %c%c%c%c %08lx 00:00 0 ",
                         v->start, v->end, v->prot & UPROT_READ ? 'r' : '-',
                         v->prot & UPROT_WRITE ? 'w' : '-', v->prot & UPROT_EXEC ? 'x' : '-',
                         v->file ? 's' : 'p', v->file ? v->pgoff << 12 : 0UL);

        len += (size_t)w;
        if (name) {
            at = MIN(len, n);
            len += (size_t)snprintf(b + at, n - at, "%*s%s", w < 73 ? 73 - w : 0, "", name);
        }
        at = MIN(len, n);
        len += (size_t)snprintf(b + at, n - at, "\n");
    }
    return len;
}

/* argv as the process has it now: its strings read from its own stack
 * (arg_start..arg_end, recorded at exec), as Linux reads them; a zombie's
 * is empty (Linux: the same, its memory is gone). */
static size_t gen_cmdline(const struct inode *ino, char *b, size_t n)
{
    struct process *p = proc_of(ino);
    size_t len;

    if (!p || n == 0 || p->state == PROC_ZOMBIE || p->arg_end <= p->arg_start)
        return 0;
    len = MIN((size_t)(p->arg_end - p->arg_start), n);
    if (uspace_copy_from(&p->us, b, p->arg_start, len))
        return 0;
    return len;
}

/* exe: a symlink to the program (busybox's ash re-runs itself through
 * /proc/self/exe to read a script the kernel refused with ENOEXEC). */
static size_t gen_exe(const struct inode *ino, char *b, size_t n)
{
    struct process *p = proc_of(ino);

    if (!p || p->state == PROC_ZOMBIE || !p->exe[0])
        return 0;
    return (size_t)snprintf(b, n, "%s", p->exe);
}

/* /proc/stat: no CPU time is accounted yet, so the cpu lines are zeros
 * (top shows 0% everywhere); ctxt is the scheduler's switches, btime the
 * date at boot, processes the pids given out. */
static size_t gen_procstat(const struct inode *ino, char *b, size_t n)
{
    struct process *p = NULL;
    struct wall_time wt;
    int running = 0, last = 0;

    (void)ino;
    while ((p = proc_next(p))) {
        running += p->state == PROC_RUNNABLE;
        last = MAX(last, p->pid);
    }
    wallclock(&wt);
    return (size_t)snprintf(b, n,
        "cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\nintr 0\nctxt %lu\n"
        "btime %lu\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n",
        sched_switches, wt.sec - clock_ns() / 1000000000, last, running);
}

static struct inode *add(struct inode *dir, const char *name, uint32_t mode,
                         vfs_gen_fn *gen, long priv)
{
    int err;
    struct inode *i = ramfs_create(dir, name, strlen(name), mode, &err);

    if (i) {
        i->gen = gen;
        i->priv = priv;
        i->dev = dir->dev;
    }
    return i;
}

/* The PID directories follow the process table. */
static void refresh(struct inode *root)
{
    struct inode *c, *next;
    struct process *p = NULL;
    char name[16];

    for (c = root->children; c; c = next) {
        next = c->next;
        if (c->priv) {
            struct process *q = proc_of(c);

            if (!q || q->state == PROC_UNUSED)
                ramfs_remove_tree(c);
        }
    }
    while ((p = proc_next(p))) {
        struct inode *d;

        snprintf(name, sizeof(name), "%d", p->pid);
        if (ramfs_lookup_child(root, name, strlen(name)))
            continue;
        d = add(root, name, S_IFDIR | 0555, NULL, p->pid);
        if (!d)
            return;
        add(d, "stat", S_IFREG | 0444, gen_stat, p->pid);
        add(d, "status", S_IFREG | 0444, gen_status, p->pid);
        add(d, "cmdline", S_IFREG | 0444, gen_cmdline, p->pid);
        add(d, "exe", S_IFLNK | 0777, gen_exe, p->pid);
        add(d, "maps", S_IFREG | 0444, gen_maps, p->pid);
    }
}

struct inode *procfs_new(void)
{
    struct inode *root = ramfs_new_root();

    if (!root)
        return NULL;
    root->mode = S_IFDIR | 0555;
    root->refresh = refresh;
    if (!add(root, "meminfo", S_IFREG | 0444, gen_meminfo, 0) ||
        !add(root, "uptime", S_IFREG | 0444, gen_uptime, 0) ||
        !add(root, "version", S_IFREG | 0444, gen_version, 0) ||
        !add(root, "cpuinfo", S_IFREG | 0444, gen_cpuinfo, 0) ||
        !add(root, "loadavg", S_IFREG | 0444, gen_loadavg, 0) ||
        !add(root, "mounts", S_IFREG | 0444, gen_mounts, 0) ||
        !add(root, "stat", S_IFREG | 0444, gen_procstat, 0) ||
        !add(root, "self", S_IFLNK | 0777, gen_self, 0))
        return NULL;
    return root;
}
