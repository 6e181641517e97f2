/* SPDX-License-Identifier: MIT */
/*
 * init.c - /sbin/init of dom0's initramfs (musl, static): pid 1.
 * Owns:    what the system does from boot to power-off in user mode: the
 *          environment, the greeting, the console shell, orphans, and the
 *          shutdown requests.
 * Touches: the console (fds 0-2 from the kernel), /etc/issue, /etc/motd, /bin/sh
 *          (busybox ash), reboot(2).
 *
 * What it does, in order (busybox's own init does the same with an
 * inittab; this one is fixed, so it needs none):
 *   1. The environment: HOME=/root, PATH, TERM=linux, SHELL, USER,
 *      LOGNAME (the kernel gives pid 1 only HOME=/ and TERM=linux), and
 *      the host name from /etc/hostname (dom0's "pvisor", a guest's
 *      "guest").
 *      Nothing to mount: the kernel mounts devfs on /dev and procfs on
 *      /proc itself, and /etc/mtab is a link to /proc/mounts.
 *   2. /etc/init.d/rcS, if it is there and executable, run to its end
 *      (as busybox's init runs its sysinit line): dom0's starts the
 *      store and console daemons. Not with a command (below).
 *      Then /etc/issue (how to leave) and /etc/motd to the console.
 *   3. A login shell, `-sh` (busybox ash reads /etc/profile: PS1, PATH),
 *      in a session of its own with the console as its controlling
 *      terminal (setsid, TIOCSCTTY; a kernel without the tty ioctls
 *      refuses TIOCSCTTY, which is tolerated: the shell then has no job
 *      control).
 *   4. Waits: reaps every child, orphans included (they are given to pid
 *      1).  When the shell ends, the system powers off: no respawn, so
 *      `exit` (or ^D) at the prompt leaves the machine as `poweroff` does.
 *   5. Shutdown requests, as busybox's init takes them: SIGUSR2 powers
 *      off (busybox `poweroff`), SIGUSR1 halts (`halt`), SIGTERM reboots
 *      (`reboot`).  Then every other process gets SIGTERM, 1 s later
 *      SIGKILL, the files are synced and reboot(2) ends the machine.
 *      (`poweroff -f` calls reboot(2) itself, without init.)
 * With arguments (`init=/sbin/init -- CMD ARGS`) it runs CMD instead of
 * the login shell, the same way (tests).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned int request;   /* the RB_* command asked for, or 0 */

static void on_signal(int sig)
{
    request = sig == SIGUSR2 ? RB_POWER_OFF : sig == SIGUSR1 ? RB_HALT_SYSTEM : RB_AUTOBOOT;
}

static void say(const char *s)
{
    (void)!write(2, s, strlen(s));
}

static void show(const char *path)
{
    char buf[1024];
    ssize_t n;
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        (void)!write(1, buf, (size_t)n);
    close(fd);
}

static pid_t start(char **argv)
{
    pid_t pid = fork();

    if (pid < 0) {
        say("init: fork failed\n");
        return -1;
    }
    if (pid == 0) {
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGUSR1, SIG_DFL);
        signal(SIGUSR2, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);        /* ignored here: the shell would keep ^C ignored */
        signal(SIGHUP, SIG_DFL);
        setsid();
        (void)ioctl(0, TIOCSCTTY, 0);   /* tolerated: the shell then has no job control */
        execv(argv[0], argv);
        dprintf(2, "init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

/* sethostname from /etc/hostname's first line, if there is one. */
static void set_hostname(void)
{
    char name[65];
    ssize_t n;
    int fd = open("/etc/hostname", O_RDONLY);

    if (fd < 0)
        return;
    n = read(fd, name, sizeof(name) - 1);
    close(fd);
    if (n <= 0)
        return;
    name[n] = '\0';
    name[strcspn(name, "\n")] = '\0';
    if (name[0] && sethostname(name, strlen(name)) != 0)
        dprintf(2, "init: sethostname %s: %s\n", name, strerror(errno));
}

/* /etc/init.d/rcS to its end; what it starts in the background stays. */
static void run_rcs(void)
{
    static char *rcs[] = { "/bin/sh", "/etc/init.d/rcS", NULL };
    pid_t pid, got;
    int status;

    if (access(rcs[1], X_OK) != 0)
        return;
    /* Not start(): the console must not become the controlling terminal
     * of a session the daemons outlive, or the shell could not take it. */
    pid = fork();
    if (pid < 0)
        return;
    if (pid == 0) {
        execv(rcs[0], rcs);
        _exit(127);
    }
    while ((got = waitpid(-1, &status, 0)) != pid)
        if (got < 0 && errno != EINTR)
            return;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        dprintf(2, "init: %s failed (%s %d)\n", rcs[1],
                WIFSIGNALED(status) ? "signal" : "status",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* Every process but us: SIGTERM, a second to go, then SIGKILL; reaped. */
static void end_everything(void)
{
    struct timespec tick = { 0, 50 * 1000 * 1000 };
    int i;

    kill(-1, SIGTERM);
    for (i = 0; i < 20; i++) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
            return;
        nanosleep(&tick, NULL);
    }
    kill(-1, SIGKILL);
    while (waitpid(-1, NULL, 0) > 0)
        ;
}

static void shutdown_now(unsigned int cmd)
{
    say(cmd == RB_AUTOBOOT ? "init: the system is going down for a reboot\n"
        : cmd == RB_HALT_SYSTEM ? "init: the system is halting\n"
        : "init: the system is powering off\n");
    end_everything();
    sync();
    reboot((int)cmd);
    say("init: reboot(2) failed\n");
    exit(1);
}

int main(int argc, char **argv)
{
    static char *login[] = { "/bin/sh", NULL, NULL };
    struct sigaction sa;
    pid_t shell;

    if (getpid() != 1) {
        say("init: must run as process 1\n");
        return 1;
    }
    setenv("HOME", "/root", 1);
    setenv("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", 1);
    setenv("TERM", "linux", 1);
    setenv("SHELL", "/bin/sh", 1);
    setenv("USER", "root", 1);
    setenv("LOGNAME", "root", 1);
    (void)!chdir("/root");
    set_hostname();
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGINT, SIG_IGN);            /* Ctrl-Alt-Del: nothing */
    signal(SIGHUP, SIG_IGN);

    if (argc <= 1)
        run_rcs();
    show("/etc/issue");
    show("/etc/motd");
    if (argc > 1) {
        shell = start(argv + 1);
    } else {
        login[0] = "/bin/sh";
        login[1] = "-l";
        shell = start(login);
    }
    for (;;) {
        int status;
        pid_t pid;

        if (request)
            shutdown_now(request);
        pid = waitpid(-1, &status, 0);
        if (pid == shell && shell > 0) {
            char line[160];

            snprintf(line, sizeof(line), "init: %s ended (%s %d): powering off\n",
                     argc > 1 ? argv[1] : "the shell",
                     WIFSIGNALED(status) ? "signal" : "status",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            say(line);
            shutdown_now(RB_POWER_OFF);
        }
        if (pid < 0 && errno == ECHILD) {
            say("init: no processes left: powering off\n");
            shutdown_now(RB_POWER_OFF);
        }
    }
}
