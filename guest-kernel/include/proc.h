/* SPDX-License-Identifier: MIT */
/*
 * proc.h - processes: what one is, creating, running, exiting, waiting,
 *          and exec.
 * Owns:    struct process, struct file, struct vma and their APIs.
 * Touches: nothing (declarations).  Implemented by
 *            kernel/proc.c           the process table, exit, wait4, kill,
 *                                    process groups
 *            kernel/fork.c           fork, vfork, clone
 *            kernel/sched.c          `current`, the scheduler, the idle loop
 *            kernel/exec.c           exec: ELF into a new address space,
 *                                    the initial stack (argv, envp, auxv)
 *            kernel/vma.c            the list of mapped regions of a process
 *            arch/x86_64/process.c   the arch half: first user frame, the
 *                                    switch (kernel stack, L4s, FS base)
 *
 * A process has its own address space (mm.h: struct user_space, an L4
 * pair), its own kernel stack (KSTACK_SIZE, entered by the hypervisor on
 * every trap, event or syscall from user mode: pv_ops.load_kernel_stack),
 * and the user registers saved at the top of that stack (uregs) while it
 * is in the kernel.  Switching between processes is switch_context() on
 * kernel stacks (schedule(), kernel/sched.c); the boot thread is the idle
 * thread while processes run.
 */
#ifndef PROC_H
#define PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <mm.h>
#include <signal.h>
#include <time.h>
#include <uapi.h>
#include <vfs.h>
#include <wait.h>
#include <asm/traps.h>

/*
 * The limits, and what they cost.  Nothing is reserved for a process that
 * does not exist or a table it does not use:
 *   PROC_MAX        processes alive at once (zombies included; Linux's
 *                   RLIMIT_NPROC here).  The table is PROC_MAX pointers
 *                   (2 KiB); a process costs its struct process (6.8
 *                   KiB: 2 pages on the heap) and its kernel stack
 *                   (KSTACK_SIZE: 4 contiguous pages), 24 KiB in all,
 *                   6 MiB with every slot used (64 static stacks and
 *                   slots took 1.6 MiB before, whether used or not).  Walks of the table stop
 *                   at the highest slot in use (proc_next()).
 *   PROC_MAX_FILES  descriptors per process: RLIMIT_NOFILE's soft and
 *                   hard limit (Linux's soft default, 1024; its hard one
 *                   is 4096).  The first FD_INLINE are in struct process;
 *                   more grow a table on the heap, 8 bytes and a bit a
 *                   descriptor (8.1 KiB, 3 pages, for 1024).
 *   PROC_MAX_VMAS   mapped regions per process (Linux's max_map_count is
 *                   65530): a sorted array on the heap, grown by doubling,
 *                   40 bytes a region (40 KiB, 11 pages, for 1024).
 */
#define PROC_MAX        256
#define PROC_MAX_FILES  1024
#define PROC_MAX_VMAS   1024
#define FD_INLINE       64          /* Linux's NR_OPEN_DEFAULT */
#define PROC_COMM_LEN   16          /* as Linux's TASK_COMM_LEN */
#define KSTACK_SIZE     (16 * 1024)

/* The user layout (Linux's x86_64 one, without randomization). */
#define USER_STACK_TOP    0x00007ffffffff000UL  /* TASK_SIZE */
#define USER_STACK_PAGES  64                    /* 256 KiB, mapped at exec */
#define USER_MMAP_BASE    0x00007ffff0000000UL  /* mmap grows down from here */
#define USER_MMAP_MIN     0x0000000010000000UL
#define USER_MIN_ADDR     0x10000UL             /* mmap_min_addr */
#define EXEC_ARG_MAX      (128 * 1024)          /* argv + envp strings */

struct kcontext { uint64_t rsp; };

/* A mapped region.  file: a device region (an mmap() of a device whose
 * driver has an mmap operation), holding a reference on the file, at page
 * offset pgoff of it: never copied by fork (Linux's VM_DONTCOPY), its
 * leaves marked UPTE_FOREIGN (mm.h). */
struct vma {
    uint64_t start, end;
    unsigned int prot;
    struct file *file;
    uint64_t pgoff;
};

enum file_kind { FILE_CONSOLE, FILE_INODE, FILE_PIPE, FILE_SOCKET };
struct file;
struct process;

/*
 * A device driver's operations on its open files (devfs.c gives a device
 * inode's open file its driver's).  A NULL member: read and write answer
 * -EINVAL, ioctl -ENOTTY, mmap -ENODEV, poll "ready" (sys_fs.c, sys_mm.c,
 * sys_poll.c).  Each gets the process in whose system call it runs; user
 * addresses are that process's.
 *   open     a new open file (f->priv is the driver's): 0 or -errno
 *   release  the last reference went (the descriptors and every region)
 *   read, write   bytes, or -errno (buf and len as the system call's)
 *   ioctl    the result, or -errno
 *   poll     POLLIN/POLLOUT/... now (poll.h)
 *   mmap     a device region [v->start, v->end) at v->pgoff was made
 *            (nothing mapped yet): map what it maps now, or refuse with
 *            -errno (the region goes again)
 *   unmap    [start, end) of region v is going; its space is the active
 *            one.  Its leaves are cleared after this by the kernel with
 *            mmu_update; a driver whose entries must go another way
 *            (grant mappings) clears them here.
 */
struct file_ops {
    long (*open)(struct file *f);
    void (*release)(struct file *f);
    long (*read)(struct process *p, struct file *f, uint64_t buf, uint64_t len);
    long (*write)(struct process *p, struct file *f, uint64_t buf, uint64_t len);
    long (*ioctl)(struct process *p, struct file *f, unsigned int cmd, uint64_t arg);
    unsigned int (*poll)(struct file *f);
    long (*mmap)(struct process *p, struct file *f, struct vma *v);
    void (*unmap)(struct file *f, const struct vma *v, uint64_t start, uint64_t end);
};

struct file {
    enum file_kind kind;
    unsigned int refs;
    int flags;                  /* O_* as opened */
    struct inode *ino;
    struct pipe *pipe;          /* FILE_PIPE: its pipe (pipe.c) */
    struct unix_sock *sock;     /* FILE_SOCKET: its socket (unix_socket.c) */
    uint64_t off;
    const struct file_ops *ops; /* a device with a driver (devfs.c), or NULL */
    void *priv;                 /* the driver's, per open file */
};

struct k_sigaction { uint64_t handler, flags, restorer, mask; };

enum proc_state {
    PROC_UNUSED,
    PROC_RUNNABLE,              /* running or ready to */
    PROC_SLEEPING,              /* on a wait queue (wait.h) */
    PROC_ZOMBIE,                /* exited, waiting for wait4() */
};

struct process {
    int pid;
    enum proc_state state;
    struct process *parent;     /* NULL: the kernel's boot thread */
    char comm[PROC_COMM_LEN];
    int wait_status;            /* as wait4() reports it */
    int pgid, sid;              /* process group, session (as Linux) */
    int exit_signal;            /* sent to the parent at exit: SIGCHLD or 0 */
    bool did_exec;              /* execve'd since fork (setpgid: -EACCES) */
    /* vfork: the parent whose address space this child borrows until it
     * execs or exits; the parent sleeps on its vfork_wait meanwhile. */
    struct process *vfork_parent;

    unsigned int slot;          /* its index in the process table */

    struct user_space us;
    struct vma *vmas;           /* nvmas used of vma_cap, sorted (vma.c);
                                   on the heap, NULL until the first */
    unsigned int nvmas, vma_cap;
    uint64_t brk_start, brk;
    uint64_t fs_base;           /* arch_prctl(ARCH_SET_FS): musl's TLS */
    uint64_t clear_child_tid;   /* set_tid_address() */
    uint64_t robust_list;       /* set_robust_list(): recorded (no futexes) */
    uint64_t arg_start, arg_end;    /* argv's strings on the user stack (exec):
                                       what /proc/PID/cmdline reads, as Linux */
    uint64_t start_ns;          /* clock_ns() when made (/proc/PID/stat) */
    char exe[128];              /* the program's absolute path (exec; an
                                   interpreter's for a script): /proc/PID/exe */
    /* getrlimit/setrlimit/prlimit64 (sys_proc.c): inherited; Linux's
     * defaults until the first change (rlimits_set). */
    bool rlimits_set;
    struct linux_rlimit rlimits[RLIM_NLIMITS];

    /* Descriptors (proc.c): fd_cap slots, fd_inline until a descriptor
     * at or past FD_INLINE is wanted, then a table on the heap; cloexec,
     * FD_CLOEXEC a bit per slot, lives with them. */
    struct file **files;
    uint64_t *cloexec;
    unsigned int fd_cap;
    struct file *fd_inline[FD_INLINE];
    uint64_t cloexec_inline[FD_INLINE / 64];
    struct inode *cwd;          /* a counted reference (inode_get/inode_put):
                                   a copy (fork) takes its own, release drops it */
    unsigned int umask;         /* umask(); 022 at boot (sys_fs.c) */

    /* Signals (include/signal.h, kernel/signal.c). */
    struct k_sigaction sigactions[NSIG];
    uint64_t sigmask;           /* blocked */
    uint64_t sigpending;        /* sig_bit() of signals sent, not delivered */
    struct ksiginfo siginfo[NSIG];  /* what came with each pending one */
    uint64_t saved_sigmask;     /* rt_sigsuspend's caller's mask ... */
    bool restore_sigmask;       /* ... restored once its handler is set up */
    bool iret_full;             /* rt_sigreturn rewrote the frame */
    struct { uint64_t sp, size; uint32_t flags; } altstack;  /* size 0: none */
    struct timer itimer;        /* ITIMER_REAL: SIGALRM */
    uint64_t itimer_interval;   /* ns; 0: one shot */
    struct wait_queue sig_wait; /* pause, rt_sigsuspend, rt_sigtimedwait */
    uint64_t sigwait_set;       /* rt_sigtimedwait's set while it waits */
    int killed;                 /* a fatal signal: dies on its way out */

    /* Sleeping (wait.h). */
    struct wait_queue *wq;      /* the queue it sleeps on, NULL if none */
    struct process *wq_next;
    long wake_reason;           /* 0 woken, -EINTR, -ETIMEDOUT */
    bool sleep_nointr;          /* a kill does not wake it (vfork) */
    struct wait_queue child_wait;   /* its children changed state */
    struct wait_queue vfork_wait;   /* its vfork child let the space go */

    /* The user's x87/SSE registers while another process runs (fxsave
     * image; the kernel itself uses none: -mno-sse). */
    uint8_t fpu[512] __attribute__((aligned(16)));

    /* The kernel side. */
    uint8_t *kstack;            /* KSTACK_SIZE bytes */
    struct trap_frame *uregs;   /* top of kstack: the user registers */
    struct kcontext kctx;
};

/* kernel/proc.c */
/* A new process: a slot, a pid, a kernel stack and (with_space) an empty
 * address space; NULL when the table or memory is full. */
struct process *proc_alloc(struct process *parent, const char *comm, bool with_space);
struct process *proc_current(void);
/* The live processes (running or zombie) in table order: NULL starts,
 * NULL ends.  For /proc and sysinfo. */
struct process *proc_next(struct process *prev);
struct process *proc_create(struct process *parent, const char *comm);
void proc_free(struct process *p);
struct process *proc_find(int pid);     /* any state but unused; NULL */
/* Run p (init, ready to enter user mode) and every process it makes until
 * p ends; returns p's wait status.  Called from the boot thread, which is
 * the idle thread meanwhile; the processes left are ended. */
int proc_run_and_wait(struct process *p);
/* End the current process with a wait status (exit code << 8, or the
 * signal): files and address space go, children go to init, the parent
 * is sent SIGCHLD (signal.h) and is woken. */
void proc_exit(int wait_status) __attribute__((noreturn));
/* wait4(): 0 (WNOHANG, nothing yet), a pid, or -errno. */
long proc_wait(int pid, int *status, int options);
/* kill(): one process (si_code SI_USER, the sender current); 0 or -errno. */
long proc_kill(struct process *p, int sig);
/* Print "pvkernel: killed NAME[PID] with signal N (NAME)" and end the
 * current process with sig. */
void proc_die(int sig) __attribute__((noreturn));
/* The process `init` (pid 1) if it runs, else NULL. */
struct process *proc_init(void);
/* Slot i of the process table (NULL: unused), and where the walks of
 * it stop: every slot in use is below proc_slots_end(). */
struct process *proc_slot(unsigned int i);
unsigned int proc_slots_end(void);

/* kernel/fork.c: fork (flags SIGCHLD), vfork (CLONE_VM|CLONE_VFORK|SIGCHLD),
 * clone's CLONE_PARENT_SETTID/CHILD_SETTID/CHILD_CLEARTID (the tid words
 * at parent_tid, child_tid); the child's pid, or -errno. */
long proc_fork(unsigned long flags, uint64_t child_sp, uint64_t parent_tid,
               uint64_t child_tid);

/* kernel/wait.c: take a sleeping p off its queue with -EINTR (kill). */
void wait_interrupt(struct process *p);
/* Sleep that a kill does not end (the kill acts on the way out). */
void wait_sleep_nointr(struct wait_queue *wq);

/* kernel/sched.c */
struct process *proc_current(void);
void proc_set_current(struct process *p);
/* Give the CPU to the next runnable process (round robin), returning when
 * the current one is picked again; the current one sleeps if it is not
 * runnable.  Process context only. */
void schedule(void);
void sched_yield_now(void);             /* to the back of the round */
void proc_make_runnable(struct process *p);
/* The way back to user mode (syscall return, an upcall from user mode):
 * die of a fatal signal, give the CPU up if the slice is over (signals
 * are delivered after it: kernel/signal.c). */
void sched_user_return(void);
/* The boot thread as idle: run processes until done(arg) holds. */
void sched_idle_loop(bool (*done)(void *), void *arg);
/* The current process (a zombie: init) hands the CPU to the idle thread
 * for good. */
void sched_exit_to_idle(void) __attribute__((noreturn));
#define SCHED_SLICE_NS (10 * 1000 * 1000UL)  /* 10 ms */
extern unsigned long sched_switches;
extern bool need_resched;               /* the slice is over: switch on the way out */
/* A fault in user mode: print what Linux prints, end the process with sig. */
void proc_fault(int sig, const char *what, uint64_t ip, uint64_t sp,
                uint64_t addr, uint64_t error) __attribute__((noreturn));
/* Descriptors (kernel/proc.c).  The limit is RLIMIT_NOFILE's soft one
 * (proc_nofile(), at most PROC_MAX_FILES); the table grows on demand.
 *   proc_fd_install    the lowest free descriptor: fd or -EMFILE
 *   proc_fd_alloc      the lowest free one >= min, with FD_CLOEXEC or
 *                      not: fd, -EMFILE (none below the limit) or -ENOMEM
 *   proc_fd_set        f at fd (< the limit: the caller checked), the
 *                      file there before put: 0 or -ENOMEM
 *   proc_fd_take       the file at fd, taken out of the table (NULL: none)
 *   proc_fds_copy      every descriptor of parent into c (fork): 0, -ENOMEM
 *   proc_fds_release   every descriptor closed, the table freed */
unsigned int proc_nofile(const struct process *p);
int proc_fd_install(struct process *p, struct file *f);
int proc_fd_alloc(struct process *p, struct file *f, int min, bool cloexec);
long proc_fd_set(struct process *p, int fd, struct file *f, bool cloexec);
struct file *proc_fd_take(struct process *p, int fd);
struct file *proc_fd(struct process *p, int fd);          /* NULL if none */
bool proc_fd_cloexec(const struct process *p, int fd);
void proc_fd_set_cloexec(struct process *p, int fd, bool on);
long proc_fds_copy(struct process *c, const struct process *parent);
void proc_fds_release(struct process *p);
void file_put(struct file *f);
/* kernel/sys_fs.c: close the descriptors marked FD_CLOEXEC (for execve). */
void fd_close_on_exec(struct process *p);

/* kernel/exec.c: replace p's image with the static ELF at path.  0, or
 * -errno with *why set (the reason printed by the caller). */
long exec_image(struct process *p, const char *path, const char *const *argv,
                const char *const *envp, const char **why);

/* kernel/vma.c */
bool vma_free_range(const struct process *p, uint64_t start, uint64_t end);
bool vma_covered(const struct process *p, uint64_t start, uint64_t end);
long vma_add(struct process *p, uint64_t start, uint64_t end, unsigned int prot);
long vma_remove(struct process *p, uint64_t start, uint64_t end);
long vma_set_prot(struct process *p, uint64_t start, uint64_t end, unsigned int prot);
uint64_t vma_find_gap(const struct process *p, uint64_t len);  /* 0: none */
/* Device regions.  vma_add_device(): a region of file f at page offset
 * pgoff (a new reference on f), then f's mmap operation; 0 or -errno
 * (nothing left behind).  vma_unmap(): whatever is mapped in [start,
 * end) goes, device regions through their driver's unmap first (the
 * space of p must be the active one).  vma_release_devices(): every
 * device region of p goes (exit, exec), p's space made active for it. */
long vma_add_device(struct process *p, uint64_t start, uint64_t end, unsigned int prot,
                    struct file *f, uint64_t pgoff);
long vma_unmap(struct process *p, uint64_t start, uint64_t end);
void vma_release_devices(struct process *p);
/* Room for n regions in p's array (0 or -ENOMEM; n <= PROC_MAX_VMAS). */
long vma_reserve(struct process *p, unsigned int n);
/* The same on a space and region list of its own (exec's old image; its
 * space must be the active one). */
void vma_release_devices_in(struct user_space *us, struct vma *vmas, unsigned int *nvmas);
bool vma_has_device(const struct process *p, uint64_t start, uint64_t end);
/* The region holding [start, end) whole, or NULL. */
struct vma *vma_holding(struct process *p, uint64_t start, uint64_t end);

/* arch/x86_64/process.c */
void arch_proc_start(struct process *p, uint64_t entry, uint64_t sp);
void arch_switch_to(struct kcontext *save, struct process *next);
void arch_fpu_save(struct process *p);  /* the live user FPU state -> p */
void arch_fpu_load(struct process *p);  /* p -> the live user FPU state */
void arch_fpu_reset(struct process *p); /* both to a new program's state */
void arch_proc_fork(struct process *child, const struct trap_frame *parent_regs,
                    uint64_t child_sp);
long arch_set_fs(struct process *p, uint64_t base);
void switch_context(struct kcontext *save, const struct kcontext *load);

#endif /* PROC_H */
