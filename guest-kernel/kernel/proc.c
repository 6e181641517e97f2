/* SPDX-License-Identifier: MIT */
/*
 * proc.c - the process table: create, exit, wait4, kill, process groups;
 *          file descriptors.
 * Owns:    procs[] and their kernel stacks, pid numbers, zombies and their
 *          reaping, reparenting to init, the default actions of signals.
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
#include <asm/pvops.h>

static struct process procs[PROC_MAX];
static uint8_t kstacks[PROC_MAX][KSTACK_SIZE] __attribute__((aligned(16)));
static int next_pid = 1;

struct process *proc_slot(unsigned int i) { return &procs[i]; }

struct process *proc_find(int pid)
{
    unsigned int i;

    for (i = 0; i < PROC_MAX; i++)
        if (procs[i].state != PROC_UNUSED && procs[i].pid == pid)
            return &procs[i];
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
    struct process *p = NULL;
    unsigned int i;

    for (i = 0; i < PROC_MAX; i++) {
        if (procs[i].state == PROC_UNUSED) {
            p = &procs[i];
            break;
        }
    }
    if (!p)
        return NULL;
    memset(p, 0, sizeof(*p));
    p->kstack = kstacks[i];
    p->uregs = (struct trap_frame *)(p->kstack + KSTACK_SIZE) - 1;
    if (with_space && uspace_create(&p->us))
        return NULL;
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

int proc_fd_install(struct process *p, struct file *f)
{
    int fd;

    for (fd = 0; fd < PROC_MAX_FILES; fd++) {
        if (!p->files[fd]) {
            p->files[fd] = f;
            return fd;
        }
    }
    return -EMFILE;
}

struct file *proc_fd(struct process *p, int fd)
{
    return fd >= 0 && fd < PROC_MAX_FILES ? p->files[fd] : NULL;
}

/* Everything but the slot itself: files, the address space (unless it is
 * a vfork parent's, borrowed: then the parent gets it back). */
static void release(struct process *p)
{
    unsigned int fd;

    signal_exit(p);             /* its interval timer */
    for (fd = 0; fd < PROC_MAX_FILES; fd++) {
        file_put(p->files[fd]);
        p->files[fd] = NULL;
    }
    if (p->vfork_parent) {
        wait_wake_all(&p->vfork_parent->vfork_wait);
        p->vfork_parent = NULL;
        p->us = (struct user_space){ 0 };
    } else {
        vma_release_devices(p);
        uspace_destroy(&p->us);
    }
    p->nvmas = 0;
    inode_put(p->cwd);
    p->cwd = NULL;
}

void proc_free(struct process *p)
{
    release(p);
    p->state = PROC_UNUSED;
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
    for (i = 0; i < PROC_MAX; i++) {
        struct process *p = &procs[i];

        if (p->state == PROC_UNUSED || p == init)
            continue;
        if (p->state != PROC_ZOMBIE)
            printk("pvkernel: %s[%d] ended with init\n", p->comm, p->pid);
        proc_free(p);
    }
    status = init->wait_status;
    proc_free(init);
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
    for (i = 0; i < PROC_MAX; i++) {
        struct process *c = &procs[i];

        if (c->state == PROC_UNUSED || c->parent != p)
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

        for (i = 0; i < PROC_MAX; i++) {
            struct process *c = &procs[i];
            int cpid;

            if (!wait_match(me, c, pid))
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
    unsigned int i = prev ? (unsigned int)(prev - procs) + 1 : 0;

    for (; i < PROC_MAX; i++)
        if (procs[i].state != PROC_UNUSED)
            return &procs[i];
    return NULL;
}
