/* SPDX-License-Identifier: MIT */
/*
 * limitstest.c - /bin/limitstest: the process, descriptor and mapping
 *                limits dom0 needs for about 100 guests (a monitor process
 *                each, their store and console connections, their rings
 *                mapped); run as init by the boot test user-limitstest,
 *                and on the build machine's Linux (unit-limitstest-linux)
 *                as the oracle.
 * Owns:    the checks: RLIMIT_NOFILE, 150 children alive at once (and in
 *          /proc), reaped; 300 descriptors, poll and select on high ones,
 *          dup2/F_DUPFD near the limit, fork copying them, a lowered soft
 *          limit (EMFILE, poll's EINVAL); 300 mappings (/proc/self/maps
 *          lines), every other one unmapped, mprotect splitting one, fork
 *          copying them, exec from the process that has them; 100 pipes
 *          at once, what they cost empty, 200 KB wrapping one's ring; 150
 *          privcmd regions, then exec or exit (a dom0 only).  One line each:
 *            limitstest: ok NAME | limitstest: FAIL NAME (why)
 *            limitstest: N checks, M failed     (exit status M)
 *          and information lines "limitstest: RLIMIT_NOFILE CUR MAX" and
 *          "limitstest: 100 empty pipes cost N KiB".
 * Touches: the system calls, through musl.
 *
 * `limitstest exec-check` is the program exec'd by the mapping check: it
 * exits 42 at once.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_PROG "limitstest"
#include "check.h"

#define CHILDREN 150
#define FDS      300
#define MAPS     300
#define PIPES    100
#define DEV_MAPS 150

static int exit_status(pid_t pid)
{
    int st = 0;

    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static long pids_in_proc(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    long n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        n += e->d_name[0] >= '1' && e->d_name[0] <= '9';
    closedir(d);
    return n;
}

/* CHILDREN children alive at once: each says it runs on `ready` and
 * blocks reading `go` until the parent closes its end; then all reaped. */
static void check_children(void)
{
    int ready[2], go[2], i, made = 0, got = 0, reaped = 0, st;
    long before = pids_in_proc(), during;
    char c;

    if (pipe(ready) || pipe(go)) {
        check(0, "pipes for the children", "errno %ld%ld", errno, 0);
        return;
    }
    for (i = 0; i < CHILDREN; i++) {
        pid_t pid = fork();

        if (pid == 0) {
            close(go[1]);
            close(ready[0]);
            if (write(ready[1], "r", 1) != 1)
                _exit(1);
            _exit(read(go[0], &c, 1) == 0 ? 7 : 2);
        }
        if (pid < 0)
            break;
        made++;
    }
    close(ready[1]);
    close(go[0]);
    while (got < made && read(ready[0], &c, 1) == 1)
        got++;
    during = pids_in_proc();
    check(made == CHILDREN && got == CHILDREN, "150 children alive at once",
          "%ld forked, %ld running", made, got);
    check(during > CHILDREN, "/proc lists them", "%ld pids, %ld before", during, before);
    close(go[1]);                       /* they all read EOF and exit 7 */
    while (waitpid(-1, &st, 0) > 0)
        reaped += WIFEXITED(st) && WEXITSTATUS(st) == 7;
    close(ready[0]);
    check(reaped == made, "... and all of them reaped", "%ld of %ld", reaped, made);
}

/* FDS descriptors (dups of a pipe's read end); poll and select on the
 * highest; dup2 and F_DUPFD far up; fork copies the table. */
static void check_fds(void)
{
    struct rlimit rl, low;
    int p[2], fds[FDS], n = 0, hi = -1, big = -1, i, r;
    struct pollfd pf;
    fd_set rs;
    struct timeval tv = { 0, 0 };
    pid_t pid;

    r = getrlimit(RLIMIT_NOFILE, &rl);
    printf("limitstest: RLIMIT_NOFILE %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
    check(r == 0 && rl.rlim_cur >= 1024 && rl.rlim_cur <= rl.rlim_max,
          "getrlimit(RLIMIT_NOFILE): at least 1024", "%ld %ld", (long)rl.rlim_cur,
          (long)rl.rlim_max);
    if (pipe(p)) {
        check(0, "a pipe", "errno %ld%ld", errno, 0);
        return;
    }
    while (n < FDS && (fds[n] = dup(p[0])) >= 0)
        hi = fds[n++];
    check(n == FDS && hi >= FDS, "300 descriptors", "%ld opened, highest %ld", n, hi);
    if (write(p[1], "x", 1) != 1)
        check(0, "a byte in the pipe", "errno %ld%ld", errno, 0);
    pf = (struct pollfd){ .fd = hi, .events = POLLIN };
    check(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "poll on the highest: POLLIN",
          "revents %#lx fd %ld", pf.revents, hi);
    FD_ZERO(&rs);
    FD_SET(hi, &rs);
    check(select(hi + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(hi, &rs),
          "select on the highest: readable", "errno %ld fd %ld", errno, hi);
    if (rl.rlim_cur >= 1024) {
        big = dup2(p[0], 1000);
        FD_ZERO(&rs);
        FD_SET(1000, &rs);
        tv = (struct timeval){ 0, 0 };
        check(big == 1000 && select(1001, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(1000, &rs),
              "dup2 to 1000, select on it (FD_SETSIZE 1024)", "%ld errno %ld", big, errno);
        r = fcntl(p[0], F_DUPFD, 900);
        check(r >= 900 && r < 1000, "F_DUPFD 900", "%ld errno %ld", r, errno);
        if (r >= 0)
            close(r);
    }
    if (rl.rlim_cur == 1024) {
        check(dup2(p[0], 1024) == -1 && errno == EBADF && fcntl(p[0], F_DUPFD, 1024) == -1 &&
              errno == EINVAL, "dup2 to 1024: EBADF, F_DUPFD 1024: EINVAL", "errno %ld%ld",
              errno, 0);
    }
    pid = fork();
    if (pid == 0) {
        struct pollfd c = { .fd = big >= 0 ? big : hi, .events = POLLIN };

        _exit(poll(&c, 1, 0) == 1 && c.revents == POLLIN && fcntl(hi, F_GETFD) == 0 ? 9 : 1);
    }
    check(exit_status(pid) == 9, "fork copies them: the child polls the highest", "%ld%ld", 0, 0);
    for (i = 0; i < n; i++)
        close(fds[i]);
    if (big >= 0)
        close(big);

    /* A lowered soft limit: the lowest free descriptor past it is EMFILE,
     * poll's nfds past it EINVAL; raised again, all is back. */
    low = (struct rlimit){ 40, rl.rlim_max };
    r = setrlimit(RLIMIT_NOFILE, &low);
    for (n = 0; n < FDS && (fds[n] = dup(p[0])) >= 0; n++)
        ;
    check(r == 0 && n > 0 && n < 40 && errno == EMFILE && fds[n - 1] == 39,
          "soft limit 40: EMFILE at 40", "%ld dups, errno %ld", n, errno);
    {
        static struct pollfd many[41];

        for (i = 0; i < 41; i++)
            many[i] = (struct pollfd){ .fd = -1 };
        check(poll(many, 41, 0) == -1 && errno == EINVAL && poll(many, 40, 0) == 0,
              "poll nfds past the soft limit: EINVAL", "errno %ld%ld", errno, 0);
    }
    while (n > 0)
        close(fds[--n]);
    r = setrlimit(RLIMIT_NOFILE, &rl) == 0 ? dup2(p[0], 200) : -1;
    check(r == 200, "the limit raised again: dup2 to 200", "%ld errno %ld", r, errno);
    close(200);
    close(p[0]);
    close(p[1]);
}

/* dom0's pattern: a device mapping per guest (pvstored's store rings,
 * pvconsoled's console rings).  DEV_MAPS privcmd regions (reserved,
 * nothing in them: MMAPBATCH fills them), the descriptor closed (the
 * regions keep the file), every other one unmapped, then exec (child A)
 * or exit (child B) with the rest: each goes through the driver.  Where
 * there is no privcmd (a Linux that is not a Xen dom0) this is skipped. */
static int device_child(const char *self, int exec)
{
    static void *d[DEV_MAPS];
    long page = sysconf(_SC_PAGESIZE);
    int fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC), i, made = 0;

    if (fd < 0)
        return 1;
    for (i = 0; i < DEV_MAPS; i++) {
        d[i] = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (d[i] == MAP_FAILED)
            break;
        made++;
    }
    close(fd);
    if (made < DEV_MAPS)
        return 2;
    for (i = 1; i < made; i += 2)
        if (munmap(d[i], page))
            return 3;
    if (exec)
        execl(self, self, "exec-check", (char *)NULL);
    return exec ? 4 : 5;
}

static void check_device_maps(const char *self)
{
    pid_t pid;
    int st;

    if (access("/dev/xen/privcmd", F_OK)) {
        printf("limitstest: no /dev/xen/privcmd: device mappings skipped\n");
        return;
    }
    pid = fork();
    if (pid == 0)
        _exit(device_child(self, 1));
    st = exit_status(pid);
    check(st == 42, "150 privcmd mappings, half unmapped, then exec", "status %ld%ld", st, 0);
    pid = fork();
    if (pid == 0)
        _exit(device_child(self, 0));
    st = exit_status(pid);
    check(st == 5, "150 privcmd mappings, half unmapped, then exit", "status %ld%ld", st, 0);
}

static long mem_free_kib(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128];
    long kib = -1;

    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "MemFree: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

/* PIPES pipes at once; empty, they hold no buffer pages (the information
 * line says what they cost: on pvkernel the boot test wants less than a
 * page each); 200000 bytes through one, wrapping its ring many times,
 * arrive in order. */
static void check_pipes(void)
{
    static int p[PIPES][2];
    static unsigned char buf[4096];
    long before = mem_free_kib(), after, got = 0, bad = 0;
    int i, made = 0;
    pid_t pid;

    for (i = 0; i < PIPES && pipe(p[i]) == 0; i++)
        made++;
    after = mem_free_kib();
    printf("limitstest: %d empty pipes cost %ld KiB\n", PIPES, before - after);
    check(made == PIPES, "100 pipes at once", "%ld made, errno %ld", made, errno);
    for (i = 1; i < made; i++) {
        close(p[i][0]);
        close(p[i][1]);
    }
    pid = fork();
    if (pid == 0) {
        long sent = 0;

        close(p[0][0]);
        while (sent < 200000) {
            for (i = 0; i < (int)sizeof(buf); i++)
                buf[i] = (unsigned char)((sent + i) % 251);
            if (write(p[0][1], buf, sizeof(buf)) != (long)sizeof(buf))
                _exit(1);
            sent += sizeof(buf);
        }
        _exit(0);
    }
    close(p[0][1]);
    for (;;) {
        long n = read(p[0][0], buf, 1000);

        if (n <= 0)
            break;
        for (i = 0; i < n; i++)
            bad += buf[i] != (unsigned char)((got + i) % 251);
        got += n;
    }
    close(p[0][0]);
    check(exit_status(pid) == 0 && got >= 200000 && !bad,
          "200 KB through a pipe's ring, in order", "%ld bytes, %ld wrong", got, bad);
}

/* The lines of /proc/self/maps, and whether one names the stack. */
static long maps_lines(int *stack)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[256];
    long n = 0;

    *stack = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        n += strchr(line, '\n') != NULL;
        *stack |= strlen(line) > 73 && !strcmp(line + 73, "[stack]\n");
    }
    fclose(f);
    return n;
}

/* MAPS single pages, protections alternating so that no two merge (Linux
 * merges neighbours that are alike); every other one unmapped; one left
 * split by mprotect; fork and exec from this process. */
static void check_maps(const char *self)
{
    static char *m[MAPS];
    long page = sysconf(_SC_PAGESIZE);
    int i, made = 0, bad = 0, stack, stack2;
    long lines, fewer;
    char *three;
    pid_t pid;

    for (i = 0; i < MAPS; i++) {
        m[i] = mmap(NULL, page, (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m[i] == MAP_FAILED)
            break;
        made++;
        if (!(i & 1))
            m[i][0] = (char)i;
    }
    check(made == MAPS, "300 mappings", "%ld made, errno %ld", made, errno);
    lines = maps_lines(&stack);
    for (i = 1; i < made; i += 2)
        bad += munmap(m[i], page) != 0;
    check(!bad, "every other one unmapped", "%ld failed%ld", bad, 0);
    /* Linux may merge the first or last with a neighbour: 150 +- 2. */
    fewer = lines - maps_lines(&stack2);
    check(lines > MAPS && stack && stack2 && fewer >= MAPS / 2 - 2 && fewer <= MAPS / 2 + 2,
          "/proc/self/maps: a line each, [stack] named", "%ld lines, %ld fewer", lines, fewer);
    for (i = 0; i < made; i += 2)
        bad += m[i][0] != (char)i;
    check(!bad, "the others keep their contents", "%ld wrong%ld", bad, 0);
    three = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(three != MAP_FAILED && mprotect(three + page, page, PROT_READ) == 0 &&
          (three[0] = 'a', three[2 * page] = 'c', three[page] == 0),
          "mprotect splits a region among many", "errno %ld%ld", errno, 0);
    pid = fork();
    if (pid == 0) {
        int wrong = 0;

        for (i = 0; i < made; i += 2)
            wrong += m[i][0] != (char)i;
        _exit(wrong || three[2 * page] != 'c' ? 1 : 8);
    }
    check(exit_status(pid) == 8, "fork copies them all", "%ld%ld", 0, 0);
    pid = fork();
    if (pid == 0) {
        execl(self, self, "exec-check", (char *)NULL);
        _exit(3);
    }
    check(exit_status(pid) == 42, "exec from a process with about 150 regions",
          "%ld%ld", 0, 0);
    for (i = 0; i < made; i += 2)
        munmap(m[i], page);
    munmap(three, 3 * page);
}

int main(int argc, char **argv)
{
    const char *self = argc > 0 && strchr(argv[0], '/') ? argv[0] : "/bin/limitstest";

    if (argc > 1 && !strcmp(argv[1], "exec-check"))
        return 42;
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGCHLD, SIG_DFL);
    check_children();
    check_fds();
    check_maps(self);
    check_pipes();
    check_device_maps(self);
    return check_report();
}
