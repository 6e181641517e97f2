/* SPDX-License-Identifier: MIT */
/*
 * init.c - the initramfs and the first user process (pid 1).
 * Owns:    the root filesystem's creation, init's argv and envp, the lines
 *            initramfs: N entries, M bytes
 *            init: running PATH
 *            init exited with status N | init killed by signal N (NAME)
 * Touches: arch_initrd(), cpio_unpack(), the Xen devices' registration
 *          (xendev.h), vfs_mount_defaults() (devfs on /dev, procfs on /proc), proc_create(), exec_image(),
 *          proc_run_and_wait().
 *
 * As Linux: init= names the program (default /sbin/init), the words after
 * "--" on the command line are its arguments, its environment is HOME=/
 * and TERM=linux, and fds 0, 1, 2 are the console.  Unlike Linux, init's
 * end does not panic: the kernel prints how it ended and shuts down, so a
 * test program can be init.
 */
#include <kernel.h>
#include <init.h>
#include <proc.h>
#include <vfs.h>
#include <xendev.h>

bool init_parse_word(const char *w, bool after_dashes, struct init_request *r)
{
    const char *v = after_dashes ? w : option_value(w, "init");

    if (!v)
        return false;
    if (!after_dashes) {                /* words[0]: the path */
        snprintf(r->words[0], sizeof(r->words[0]), "%s", v);
        r->path = r->words[0];
    } else if (r->argc < INIT_MAX_ARGS) {   /* more are dropped, as Linux's MAX_INIT_ARGS */
        snprintf(r->words[1 + r->argc], sizeof(r->words[0]), "%s", v);
        r->argv[1 + r->argc] = r->words[1 + r->argc];
        r->argc++;
    }
    return true;
}

int initramfs_load(void)
{
    const void *start;
    size_t len;
    struct inode *root;
    const char *why;
    long n;

    if (!arch_initrd(&start, &len))
        return 0;
    root = ramfs_new_root();
    if (!root)
        panic("initramfs: no memory for the root");
    vfs_set_root(root);
    n = cpio_unpack(start, len, root, &why);
    if (n < 0) {
        printk("initramfs: refused: %s\n", why);
        return -1;
    }
    printk("initramfs: %ld entries, %zu bytes\n", n, len);
    privcmd_register();                 /* dom0's toolstack devices (xendev.h) */
    evtchn_dev_register();
    gntdev_register();
    vfs_mount_defaults();               /* devfs on /dev, procfs on /proc */
    return 1;
}

static struct file *console_file(int flags)
{
    struct file *f = kzalloc(sizeof(*f));

    if (f)
        *f = (struct file){ .kind = FILE_CONSOLE, .refs = 1, .flags = flags };
    return f;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGILL:  return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGBUS:  return "SIGBUS";
    case SIGFPE:  return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    }
    return "?";
}

int init_run(struct init_request *r)
{
    static const char *const envp[] = { "HOME=/", "TERM=linux", NULL };
    const char *path = r->path ? r->path : "/sbin/init";
    struct process *p = proc_create(NULL, "init");
    const char *why;
    int fd, status;
    long rc;

    if (!p) {
        printk("init: no memory for a process\n");
        return -1;
    }
    for (fd = 0; fd < 3; fd++)
        proc_fd_install(p, console_file(fd ? O_WRONLY : O_RDONLY));
    r->argv[0] = path;
    r->argv[r->argc + 1] = NULL;
    rc = exec_image(p, path, r->argv, envp, &why);
    if (rc) {
        printk("init: cannot run %s: %s (%ld)\n", path, why, rc);
        proc_free(p);
        return -1;
    }
    printk("init: running %s (pid %d)\n", path, p->pid);
    status = proc_run_and_wait(p);
    if (status & 0x7f)
        printk("init killed by signal %d (%s)\n", status & 0x7f,
               signal_name(status & 0x7f));
    else
        printk("init exited with status %d\n", (status >> 8) & 0xff);
    return 0;
}
