/* SPDX-License-Identifier: MIT */
/*
 * proc.c - the process table: create, run, exit, wait, kill on a fault;
 *          file descriptors.
 * Owns:    procs[] and their kernel stacks, pid numbers, `current`, the
 *          boot thread's saved context while a process runs.
 * Touches: uspace_* (mm.h) for the address space, arch_switch_to() /
 *          arch_switch_back() (arch/x86_64/process.c) for the switches.
 *
 * No scheduler yet: the boot thread runs one process at a time with
 * proc_run_and_wait() and gets the CPU back when it exits.  The pieces a
 * scheduler needs are already per process: kernel stack, saved kernel
 * context, address space, FS base.  Not SMP-safe: `current` is global
 * until it moves into struct percpu.
 */
#include <kernel.h>
#include <proc.h>

static struct process procs[PROC_MAX];
static uint8_t kstacks[PROC_MAX][KSTACK_SIZE] __attribute__((aligned(16)));
static struct process *current;
static struct kcontext boot_thread;
static int next_pid = 1;

struct process *proc_current(void) { return current; }

struct process *proc_create(struct process *parent, const char *comm)
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
    if (uspace_create(&p->us))
        return NULL;
    p->pid = next_pid++;
    p->parent = parent;
    p->state = PROC_RUNNING;
    p->cwd = vfs_root();
    inode_get(p->cwd);
    p->umask = 022;
    snprintf(p->comm, sizeof(p->comm), "%s", comm);
    return p;
}

void file_put(struct file *f)
{
    if (f && --f->refs == 0) {
        if (f->kind == FILE_INODE)
            inode_put(f->ino);          /* an unlinked file goes with its last open */
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

/* Everything but the slot itself: files, the address space. */
static void release(struct process *p)
{
    unsigned int fd;

    for (fd = 0; fd < PROC_MAX_FILES; fd++) {
        file_put(p->files[fd]);
        p->files[fd] = NULL;
    }
    uspace_destroy(&p->us);
    p->nvmas = 0;
    inode_put(p->cwd);
    p->cwd = NULL;
}

void proc_free(struct process *p)
{
    release(p);
    p->state = PROC_UNUSED;
}

int proc_run_and_wait(struct process *p)
{
    int status;

    current = p;
    arch_switch_to(&boot_thread, p);
    /* Back here when p has exited: it left a zombie; reap it. */
    current = NULL;
    if (uspace_activate(NULL))
        panic("back to the kernel's own page tables failed");
    status = p->wait_status;
    proc_free(p);
    return status;
}

void proc_exit(int wait_status)
{
    struct process *p = current;

    p->wait_status = wait_status;
    p->state = PROC_ZOMBIE;
    arch_switch_back(p, &boot_thread);
}

static const char *const signal_names[] = {
    [SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGBUS] = "SIGBUS",
    [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV",
};

void proc_fault(int sig, const char *what, uint64_t ip, uint64_t sp,
                uint64_t addr, uint64_t error)
{
    struct process *p = current;

    /* Linux's show_signal_msg() / do_trap() lines. */
    if (sig == SIGSEGV && addr != ~0UL)
        printk("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx\n",
               p->comm, p->pid, addr, ip, sp, error);
    else
        printk("traps: %s[%d] %s ip:%lx sp:%lx error:%lx\n",
               p->comm, p->pid, what, ip, sp, error);
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
