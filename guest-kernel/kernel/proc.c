/* SPDX-License-Identifier: MIT */
/*
 * proc.c - the process table: create, exit, wait4, kill, process groups;
 *          file descriptors.
 * Owns:    procs[] and their kernel stacks, pid numbers, zombies and their
 *          reaping, reparenting to init, the default actions of signals;
 *          each process's descriptor table.
 * Touches: uspace_* (mm.h) for the address space, the scheduler
 *          (kernel/sched.c) and wait queues (kernel/wait.c).
 *
 * A process ends (proc_exit()) by giving back its files and its address
 * space at once and staying a zombie with its wait status until its parent
 * reaps it with wait4(); its children go to init (pid 1), and a zombie
 * among them wakes init.  The parent is sent SIGCHLD (kernel/signal.c,
 * with si_code CLD_EXITED or CLD_KILLED) and is woken; if it ignores
 * SIGCHLD (SIG_IGN) or set SA_NOCLDWAIT, no zombie is left (Linux).  When init itself
 * ends, the boot thread takes over (proc_run_and_wait()) and ends the
 * others.
 *
 * Signals sent with kill() go through signal_send() (kernel/signal.c):
 * delivery, default actions and init's immunity live there.
 */
#include <kernel.h>
#include <pipe.h>
#include <proc.h>
#include <signal.h>
#include <socket.h>
#include <time.h>
#include <asm/page.h>
#include <asm/pvops.h>

/* The table: pointers, each process and its kernel stack on the heap
 * (proc.h says what they cost).  A process that frees itself (a child
 * auto-reaped at its own exit) still runs on its stack until it switches
 * away for good: its memory waits in `dead` until someone else frees or
 * makes a process. */
static struct process *procs[PROC_MAX];
static unsigned int slots_end;  /* every slot in use is below */
static struct process *dead;
static int next_pid = 1;

struct process *proc_slot(unsigned int i) { return i < PROC_MAX ? procs[i] : NULL; }
unsigned int proc_slots_end(void) { return slots_end; }

static void free_memory(struct process *p)
{
    mm_free_pfns_run(virt_to_pfn(p->kstack), KSTACK_SIZE / PAGE_SIZE);
    kfree(p);
}

static void free_dead(void)
{
    if (dead && dead != proc_current()) {
        free_memory(dead);
        dead = NULL;
    }
}

struct process *proc_find(int pid)
{
    unsigned int i;

    for (i = 0; i < slots_end; i++)
        if (procs[i] && procs[i]->pid == pid)
            return procs[i];
    return NULL;
}

struct process *proc_init(void)
{
    struct process *p = proc_find(1);

    return p && p->state != PROC_ZOMBIE ? p : NULL;
}

static int alloc_pid(void)
{
    for (;;) {
        int pid = next_pid;

        next_pid = next_pid >= 32767 ? 2 : next_pid + 1;   /* pid_max */
        if (!proc_find(pid))
            return pid;
    }
}

struct process *proc_alloc(struct process *parent, const char *comm, bool with_space)
{
    struct process *p;
    uint64_t stack_pfn;
    unsigned int i;

    free_dead();
    for (i = 0; i < PROC_MAX && procs[i]; i++)
        ;
    if (i == PROC_MAX)
        return NULL;
    p = kzalloc(sizeof(*p));
    if (!p)
        return NULL;
    stack_pfn = mm_alloc_pfns(KSTACK_SIZE / PAGE_SIZE);
    if (stack_pfn == INVALID_FRAME) {
        kfree(p);
        return NULL;
    }
    p->kstack = pfn_to_virt(stack_pfn);
    p->uregs = (struct trap_frame *)(p->kstack + KSTACK_SIZE) - 1;
    if (with_space && uspace_create(&p->us)) {
        free_memory(p);
        return NULL;
    }
    p->slot = i;
    p->files = p->fd_inline;
    p->cloexec = p->cloexec_inline;
    p->fd_cap = FD_INLINE;
    p->pid = alloc_pid();
    p->parent = parent;
    p->pgid = parent ? parent->pgid : p->pid;
    p->sid = parent ? parent->sid : p->pid;
    p->exit_signal = SIGCHLD;
    p->state = PROC_SLEEPING;   /* not runnable until its creator says */
    p->cwd = vfs_root();
    inode_get(p->cwd);
    p->umask = 022;
    snprintf(p->comm, sizeof(p->comm), "%s", comm);
    procs[i] = p;
    if (i >= slots_end)
        slots_end = i + 1;
    return p;
}

struct process *proc_create(struct process *parent, const char *comm)
{
    return proc_alloc(parent, comm, true);
}

void file_put(struct file *f)
{
    if (f && --f->refs == 0) {
        if (f->ops && f->ops->release)
            f->ops->release(f);
        if (f->kind == FILE_INODE)
            inode_put(f->ino);          /* an unlinked file goes with its last open */
        else if (f->kind == FILE_PIPE)
            pipe_release(f);
        else if (f->kind == FILE_SOCKET)
            unix_release(f);
        kfree(f);
    }
}

/* ---- descriptors ---- */

unsigned int proc_nofile(const struct process *p)
{
    uint64_t cur = p->rlimits_set ? p->rlimits[RLIMIT_NOFILE].cur : PROC_MAX_FILES;

    return cur < PROC_MAX_FILES ? (unsigned int)cur : PROC_MAX_FILES;
}

/* Room for descriptor fd: the table doubles (Linux's expand_files). */
static long fd_grow(struct process *p, unsigned int fd)
{
    unsigned int cap = p->fd_cap, words;
    struct file **files;
    uint64_t *cloexec;

    if (fd < cap)
        return 0;
    if (fd >= PROC_MAX_FILES)
        return -EMFILE;
    while (cap <= fd)
        cap *= 2;
    cap = MIN(cap, PROC_MAX_FILES);
    words = cap / 64;
    files = kzalloc(cap * sizeof(*files) + words * sizeof(*cloexec));
    if (!files)
        return -ENOMEM;
    cloexec = (uint64_t *)(files + cap);
    memcpy(files, p->files, p->fd_cap * sizeof(*files));
    memcpy(cloexec, p->cloexec, p->fd_cap / 64 * sizeof(*cloexec));
    if (p->files != p->fd_inline)
        kfree(p->files);
    p->files = files;
    p->cloexec = cloexec;
    p->fd_cap = cap;
    return 0;
}

bool proc_fd_cloexec(const struct process *p, int fd)
{
    return fd >= 0 && (unsigned int)fd < p->fd_cap && (p->cloexec[fd / 64] >> (fd % 64) & 1);
}

void proc_fd_set_cloexec(struct process *p, int fd, bool on)
{
    uint64_t bit;

    if (fd < 0 || (unsigned int)fd >= p->fd_cap)
        return;
    bit = 1UL << (fd % 64);
    if (on)
        p->cloexec[fd / 64] |= bit;
    else
        p->cloexec[fd / 64] &= ~bit;
}

int proc_fd_alloc(struct process *p, struct file *f, int min, bool cloexec)
{
    unsigned int fd, limit = proc_nofile(p);
    long rc;

    for (fd = (unsigned int)MAX(min, 0); fd < limit && fd < p->fd_cap; fd++)
        if (!p->files[fd])
            break;
    if (fd >= limit)
        return -EMFILE;
    rc = fd_grow(p, fd);
    if (rc)
        return (int)rc;
    p->files[fd] = f;
    proc_fd_set_cloexec(p, (int)fd, cloexec);
    return (int)fd;
}

int proc_fd_install(struct process *p, struct file *f)
{
    return proc_fd_alloc(p, f, 0, false);
}

long proc_fd_set(struct process *p, int fd, struct file *f, bool cloexec)
{
    long rc = fd_grow(p, (unsigned int)fd);
    struct file *old;

    if (rc)
        return rc;
    old = p->files[fd];
    p->files[fd] = f;
    proc_fd_set_cloexec(p, fd, cloexec);
    file_put(old);
    return 0;
}

struct file *proc_fd_take(struct process *p, int fd)
{
    struct file *f;

    if (fd < 0 || (unsigned int)fd >= p->fd_cap)
        return NULL;
    f = p->files[fd];
    p->files[fd] = NULL;
    proc_fd_set_cloexec(p, fd, false);
    return f;
}

struct file *proc_fd(struct process *p, int fd)
{
    return fd >= 0 && (unsigned int)fd < p->fd_cap ? p->files[fd] : NULL;
}

long proc_fds_copy(struct process *c, const struct process *parent)
{
    unsigned int fd, end = 0;
    long rc;

    for (fd = 0; fd < parent->fd_cap; fd++)
        if (parent->files[fd])
            end = fd + 1;
    rc = end ? fd_grow(c, end - 1) : 0;
    if (rc)
        return rc;
    for (fd = 0; fd < end; fd++) {
        c->files[fd] = parent->files[fd];
        if (c->files[fd])
            c->files[fd]->refs++;
    }
    memcpy(c->cloexec, parent->cloexec, (end + 63) / 64 * sizeof(*c->cloexec));
    return 0;
}

void proc_fds_release(struct process *p)
{
    unsigned int fd;

    for (fd = 0; fd < p->fd_cap; fd++) {
        struct file *f = p->files[fd];

        p->files[fd] = NULL;
        file_put(f);
    }
    if (p->files != p->fd_inline)
        kfree(p->files);
    p->files = p->fd_inline;
    p->cloexec = p->cloexec_inline;
    p->cloexec_inline[0] = 0;
    p->fd_cap = FD_INLINE;
}

/* Everything but the slot itself: files, the address space (unless it is
 * a vfork parent's, borrowed: then the parent gets it back). */
static void release(struct process *p)
{
    signal_exit(p);             /* its interval timer */
    proc_fds_release(p);
    if (p->vfork_parent) {
        wait_wake_all(&p->vfork_parent->vfork_wait);
        p->vfork_parent = NULL;
        p->us = (struct user_space){ 0 };
    } else {
        vma_release_devices(p);
        uspace_destroy(&p->us);
    }
    kfree(p->vmas);
    p->vmas = NULL;
    p->nvmas = p->vma_cap = 0;
    inode_put(p->cwd);
    p->cwd = NULL;
}

void proc_free(struct process *p)
{
    release(p);
    p->state = PROC_UNUSED;
    procs[p->slot] = NULL;
    while (slots_end && !procs[slots_end - 1])
        slots_end--;
    free_dead();
    if (p == proc_current())
        dead = p;               /* on its stack until it switches away */
    else
        free_memory(p);
}

static bool init_done(void *arg)
{
    return ((struct process *)arg)->state == PROC_ZOMBIE;
}

int proc_run_and_wait(struct process *init)
{
    unsigned int i;
    long rc = time_timers_start();      /* the slice and sleep timers */
    int status;

    if (rc)
        printk("sched: no timer interrupt (%ld): no preemption, no sleeping\n", rc);
    proc_make_runnable(init);
    sched_idle_loop(init_done, init);
    /* init has ended: so do the others (their address spaces and files). */
    for (i = 0; i < slots_end; i++) {
        struct process *p = procs[i];

        if (!p || p == init)
            continue;
        if (p->state != PROC_ZOMBIE)
            printk("pvkernel: %s[%d] ended with init\n", p->comm, p->pid);
        proc_free(p);
    }
    status = init->wait_status;
    proc_free(init);            /* and the last self-reaped one (dead) */
    if (!rc)
        time_timers_stop();
    return status;
}

void proc_exit(int wait_status)
{
    struct process *p = proc_current(), *init = proc_init();
    unsigned int i;

    if (p == init)
        init = NULL;
    /* Off the space before it goes (a vfork child's stays the parent's). */
    if (!p->vfork_parent && uspace_activate(NULL))
        panic("back to the kernel's own page tables failed");
    release(p);
    for (i = 0; i < slots_end; i++) {
        struct process *c = procs[i];

        if (!c || c->parent != p)
            continue;
        c->parent = init;       /* NULL once init is gone: the kernel's */
        if (c->state == PROC_ZOMBIE && init)
            wait_wake_all(&init->child_wait);
    }
    p->wait_status = wait_status;
    p->state = PROC_ZOMBIE;
    if (p->parent) {
        const struct k_sigaction *ka = &p->parent->sigactions[SIGCHLD - 1];
        /* Linux: a parent that ignores SIGCHLD (SIG_IGN) or asked for
         * SA_NOCLDWAIT leaves no zombie; its wait4 finds -ECHILD once
         * the last child is gone. */
        bool autoreap = p->exit_signal == SIGCHLD &&
                        (ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT));

        if (p->exit_signal) {
            struct ksiginfo ki = {
                .signo = p->exit_signal, .pid = p->pid,
                .code = (wait_status & 0x7f) ? CLD_KILLED : CLD_EXITED,
                .status = (wait_status & 0x7f) ? (wait_status & 0x7f)
                                               : (wait_status >> 8) & 0xff,
            };

            signal_send(p->parent, &ki);
        }
        wait_wake_all(&p->parent->child_wait);
        if (autoreap)
            proc_free(p);       /* still on its stack: nothing runs until the switch */
    }
    if (!p->parent)
        sched_exit_to_idle();   /* init: the boot thread ends the rest */
    schedule();
    panic("%s[%d]: a zombie ran again", p->comm, p->pid);
}

/* Does child c answer wait4's pid? */
static bool wait_match(const struct process *me, const struct process *c, int pid)
{
    if (c->state == PROC_UNUSED || c->parent != me)
        return false;
    if (pid > 0)
        return c->pid == pid;
    if (pid == 0)
        return c->pgid == me->pgid;
    if (pid < -1)
        return c->pgid == -pid;
    return true;                /* -1: any child */
}

long proc_wait(int pid, int *status, int options)
{
    struct process *me = proc_current();

    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
        return -EINVAL;
    for (;;) {
        bool any = false;
        unsigned int i;

        for (i = 0; i < slots_end; i++) {
            struct process *c = procs[i];
            int cpid;

            if (!c || !wait_match(me, c, pid))
                continue;
            any = true;
            if (c->state != PROC_ZOMBIE)
                continue;
            cpid = c->pid;
            *status = c->wait_status;
            proc_free(c);
            return cpid;
        }
        if (!any)
            return -ECHILD;
        if (options & WNOHANG)
            return 0;
        /* As Linux's do_wait: the children are looked at before the
         * signal, so a child's exit that also raised a signal is reaped
         * (or answers -ECHILD) rather than interrupted. */
        if (signal_pending(me))
            return -ERESTARTSYS;
        wait_sleep(&me->child_wait);
    }
}

long proc_kill(struct process *p, int sig)
{
    struct process *me = proc_current();
    struct ksiginfo ki = { .signo = sig, .code = SI_USER, .pid = me ? me->pid : 0 };

    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (sig && p->state != PROC_ZOMBIE)
        signal_send(p, &ki);
    return 0;
}

static const char *const signal_names[] = {
    [SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGBUS] = "SIGBUS",
    [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV",
};

void proc_fault(int sig, const char *what, uint64_t ip, uint64_t sp,
                uint64_t addr, uint64_t error)
{
    struct process *p = proc_current();

    /* Linux's show_signal_msg() / do_trap() lines. */
    if (sig == SIGSEGV && addr != ~0UL)
        printk("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx\n",
               p->comm, p->pid, addr, ip, sp, error);
    else
        printk("traps: %s[%d] %s ip:%lx sp:%lx error:%lx\n",
               p->comm, p->pid, what, ip, sp, error);
    proc_die(sig);
}

void proc_die(int sig)
{
    struct process *p = proc_current();

    printk("pvkernel: killed %s[%d] with signal %d (%s)\n", p->comm, p->pid, sig,
           sig < (int)ARRAY_SIZE(signal_names) && signal_names[sig] ? signal_names[sig] : "?");
    proc_exit(sig & 0x7f);      /* wait status: terminated by sig */
}

struct process *proc_next(struct process *prev)
{
    unsigned int i = prev ? prev->slot + 1 : 0;

    for (; i < slots_end; i++)
        if (procs[i])
            return procs[i];
    return NULL;
}
