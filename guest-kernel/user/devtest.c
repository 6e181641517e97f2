/* SPDX-License-Identifier: MIT */
/*
 * devtest.c - /bin/devtest: dom0's toolstack devices from a user program
 *             (guest-kernel/drivers/xen/: privcmd, evtchn, gntdev), through
 *             Linux's ioctls (abi/xen/sys/).  Run as init in dom0, with or
 *             without a boot domU d1 (tests/boot: user-devtest gives it
 *             one running `pingpong=0:1:serve`).
 * Owns:    nothing but its checks (check.h's lines).
 * Touches: the three devices, /proc-free accounting through sysinfo().
 *
 * Hypercall buffers are written by the program just before each call: a
 * page shared copy-on-write after a fork is read-only until then, and the
 * hypervisor would answer -EFAULT (as under Linux).  Lines marked "info:"
 * record what the hypervisor answered where Xen 4.17 and pvisor may differ
 * (docs/decisions.md).
 */
#define CHECK_PROG "devtest"
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/version.h>
#include <xen/sys/privcmd.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>
#include "check.h"

#define PG 4096UL
#define TEST_REF 200            /* a grant ref pvkernel itself never uses */
#define ERESTART_XEN 85         /* Xen's -ERESTART: call again */

static int pfd;                 /* /dev/pvisor/privcmd */

static long hcall(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
    privcmd_hypercall_t h = { op, { a0, a1, a2, 0, 0 } };
    long rc = ioctl(pfd, IOCTL_PRIVCMD_HYPERCALL, &h);

    return rc < 0 ? -errno : rc;
}

static long getdomaininfo(unsigned int dom, struct xen_domctl *d)
{
    memset(d, 0, sizeof(*d));
    d->cmd = XEN_DOMCTL_getdomaininfo;
    d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    d->domain = (domid_t)dom;
    return hcall(__HYPERVISOR_domctl, (uint64_t)d, 0, 0);
}

static long free_kib(void)
{
    struct sysinfo si;

    sysinfo(&si);
    return (long)(si.freeram * si.mem_unit / 1024);
}

/* Fork a child that runs fn; its wait status. */
static int in_child(void (*fn)(void *), void *arg)
{
    int st = -1;
    pid_t pid = fork();

    if (pid == 0) {
        fn(arg);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    return st;
}

static void touch(void *p)
{
    printf("devtest: child read %#x\n", *(volatile unsigned int *)p);
}

/* ---- privcmd ---- */

static void privcmd_calls(void)
{
    char extra[XEN_EXTRAVERSION_LEN];
    privcmd_hypercall_t h;
    domid_t dom;
    long v;
    int rfd;

    v = hcall(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
    printf("devtest: xen_version %ld.%ld\n", v >> 16, v & 0xffff);
    check(v == (4 << 16 | 17), "xen_version through IOCTL_PRIVCMD_HYPERCALL: 4.17",
          "%#lx %ld", v, 0);
    memset(extra, 0, sizeof(extra));
    v = hcall(__HYPERVISOR_xen_version, XENVER_extraversion, (uint64_t)extra, 0);
    printf("devtest: info: extraversion \"%s\"\n", extra);
    check(v == 0 && extra[0] == '.', "XENVER_extraversion into a user buffer", "%ld %ld",
          v, extra[0]);
    v = hcall(60, 0, 0, 0);
    check(v == -ENOSYS, "hypercall 60 (none): -1 ENOSYS", "%ld %ld", v, 0);
    v = hcall(128, 0, 0, 0);
    check(v == -EINVAL, "hypercall 128 (past the hypercall page): EINVAL", "%ld %ld", v, 0);
    v = hcall(__HYPERVISOR_xen_version, XENVER_extraversion, 0x1000, 0);
    check(v == -EFAULT, "a user pointer to nothing: EFAULT from the hypervisor", "%ld %ld", v, 0);
    v = hcall(__HYPERVISOR_xen_version, XENVER_extraversion, (uint64_t)privcmd_calls, 0);
    check(v == -EFAULT, "a read-only user page to write: EFAULT", "%ld %ld", v, 0);
    v = ioctl(pfd, IOCTL_PRIVCMD_HYPERCALL, (void *)8);
    check(v == -1 && errno == EFAULT, "a bad ioctl argument: EFAULT", "%ld %d", v, errno);
    v = ioctl(pfd, _IOC(_IOC_NONE, 'P', 0xff, 0), 0);
    check(v == -1 && errno == ENOTTY, "an unknown privcmd ioctl: ENOTTY", "%ld %d", v, errno);

    rfd = open("/dev/xen/privcmd", O_RDWR);
    check(rfd >= 0, "/dev/xen/privcmd opens too", "%d %d", rfd, errno);
    dom = 1;
    v = ioctl(rfd, IOCTL_PRIVCMD_RESTRICT, &dom);
    check(v == 0, "IOCTL_PRIVCMD_RESTRICT to d1", "%ld %d", v, errno);
    h = (privcmd_hypercall_t){ __HYPERVISOR_xen_version, { 0 } };
    v = ioctl(rfd, IOCTL_PRIVCMD_HYPERCALL, &h);
    check(v == -1 && errno == EPERM, "restricted: a raw hypercall is EPERM", "%ld %d", v, errno);
    dom = 2;
    v = ioctl(rfd, IOCTL_PRIVCMD_RESTRICT, &dom);
    check(v == -1 && errno == EINVAL, "restricted again to another domain: EINVAL", "%ld %d",
          v, errno);
    close(rfd);
}

/* Map n frames of dom at a new privcmd region; the region, or NULL. */
static void *map_foreign(int fd, domid_t dom, const xen_pfn_t *mfns, int *err, unsigned int n,
                         long *rc)
{
    void *va = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    privcmd_mmapbatch_v2_t m = { n, dom, (uint64_t)va, mfns, err };

    if (va == MAP_FAILED)
        return NULL;
    *rc = ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m);
    if (*rc < 0)
        *rc = -errno;
    return va;
}

/* Frame `frame` of domain dom (not ours) mapped twice with a bad frame
 * between, the refusals around a foreign region, and fork. */
static void foreign_checks(domid_t dom, xen_pfn_t frame, const char *what)
{
    xen_pfn_t mfns[3] = { frame, 0xfffffffffUL, frame };
    int err[3] = { 7, 7, 7 }, st;
    volatile uint8_t *va;
    long rc;

    va = map_foreign(pfd, dom, mfns, err, 3, &rc);
    printf("devtest: info: mmapbatch d%u {%s, 0xfffffffff, the same}: rc %ld, err %d %d %d\n",
           dom, what, rc, err[0], err[1], err[2]);
    check(va && rc == 0 && err[0] == 0 && err[1] < 0 && err[2] == 0,
          "MMAPBATCH_V2 of another domain's frame: per-page errors, 0 from the ioctl",
          "%ld %d", rc, err[1]);
    if (!va)
        return;
    check(!memcmp((void *)va, (void *)(va + 2 * PG), PG),
          "the frame read through the mapping (both pages alike)", "%d %d", va[1],
          va[2 * PG + 1]);
    err[0] = 7;
    rc = ioctl(pfd, IOCTL_PRIVCMD_MMAPBATCH_V2,
               &(privcmd_mmapbatch_v2_t){ 1, dom, (uint64_t)va, mfns, err });
    check(rc == -1 && errno == EINVAL, "MMAPBATCH_V2 over a mapped page: EINVAL", "%ld %d", rc,
          errno);
    rc = ioctl(pfd, IOCTL_PRIVCMD_MMAPBATCH_V2,
               &(privcmd_mmapbatch_v2_t){ 1, dom, (uint64_t)&st, mfns, err });
    check(rc == -1 && errno == EINVAL, "MMAPBATCH_V2 outside a privcmd region: EINVAL",
          "%ld %d", rc, errno);
    rc = mprotect((void *)va, PG, PROT_READ);
    check(rc == -1 && errno == EACCES, "mprotect of a privcmd region: EACCES", "%ld %d", rc,
          errno);
    st = in_child(touch, (void *)va);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
          "fork does not inherit the foreign mapping (the child faults)", "%#x %d", st, 0);
    check(munmap((void *)va, 3 * PG) == 0, "munmap of the foreign mapping", "%d %d", errno, 0);
}

/*
 * Where no d1 runs (Xen 4.17 as the oracle): a domain made for the test,
 * XEN_DOMCTL_createdomain at interface 0x15 (its struct spelled here: our
 * abi/xen/domctl.h has getdomaininfo only), max_mem, and two pages
 * populated; *frame the first page's MFN.  0, or -1 (pvisor refuses
 * createdomain until the toolstack's domctl lands).
 */
struct devtest_createdomain {
    uint32_t ssidref;
    uint8_t handle[16];
    uint32_t flags, iommu_opts, max_vcpus, max_evtchn_port;
    int32_t max_grant_frames, max_maptrack_frames;
    uint32_t grant_opts, vmtrace_size, cpupool_id;
    uint32_t emulation_flags, misc_flags;   /* x86's arch config */
};
#define DEVTEST_DOMCTL_createdomain 1
#define DEVTEST_DOMCTL_max_mem      11

static int scratch_domain(domid_t *dom, xen_pfn_t *frame)
{
    struct xen_domctl d;
    struct devtest_createdomain *c = (void *)&d.u;
    struct xen_memory_reservation r;
    xen_pfn_t pfns[2] = { 0, 1 };
    long rc;

    memset(&d, 0, sizeof(d));
    d.cmd = DEVTEST_DOMCTL_createdomain;
    d.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    c->max_vcpus = 1;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = 1;
    c->max_maptrack_frames = 1;
    c->grant_opts = 1;                  /* XEN_DOMCTL_GRANT_version(1) */
    rc = hcall(__HYPERVISOR_domctl, (uint64_t)&d, 0, 0);
    printf("devtest: info: createdomain: %ld, d%u\n", rc, d.domain);
    if (rc)
        return -1;
    *dom = d.domain;
    memset(&d, 0, sizeof(d));
    d.cmd = DEVTEST_DOMCTL_max_mem;
    d.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    d.domain = *dom;
    *(uint64_t *)&d.u = 1024;           /* max_memkb */
    rc = hcall(__HYPERVISOR_domctl, (uint64_t)&d, 0, 0);
    memset(&r, 0, sizeof(r));
    set_xen_guest_handle(r.extent_start, pfns);
    r.nr_extents = 2;
    r.domid = *dom;
    rc = rc ? rc : hcall(__HYPERVISOR_memory_op, XENMEM_populate_physmap, (uint64_t)&r, 0);
    printf("devtest: info: max_mem + populate_physmap d%u: %ld, mfns %#lx %#lx\n", *dom, rc,
           (unsigned long)pfns[0], (unsigned long)pfns[1]);
    *frame = pfns[0];
    return rc == 2 ? 0 : -1;
}

static void privcmd_foreign(void)
{
    struct xen_domctl d;
    xen_pfn_t mfns[1], frame;
    int err[1] = { 7 };
    const char *what;
    volatile uint8_t *va;
    domid_t dom;
    bool scratch;
    long rc;

    rc = getdomaininfo(0, &d);
    check(rc == 0 && d.domain == 0 && d.u.getdomaininfo.tot_pages > 0,
          "domctl getdomaininfo(d0) through privcmd", "%ld %ld", rc, d.domain);
    mfns[0] = 0xfffffffffUL;            /* no such frame, ours or anyone's */
    va = map_foreign(pfd, DOMID_SELF, mfns, err, 1, &rc);
    printf("devtest: info: mmapbatch DOMID_SELF {0xfffffffff}: rc %ld, err %d\n", rc, err[0]);
    check(va && rc == 0 && err[0] < 0, "MMAPBATCH_V2 of a bad frame: its err[], 0 from the ioctl",
          "%ld %d", rc, err[0]);
    if (va) {
        rc = ioctl(pfd, IOCTL_PRIVCMD_MMAPBATCH_V2,
                   &(privcmd_mmapbatch_v2_t){ 0, DOMID_SELF, (uint64_t)va, mfns, err });
        check(rc == -1 && errno == EINVAL, "MMAPBATCH_V2 of 0 pages: EINVAL", "%ld %d", rc,
              errno);
        rc = ioctl(pfd, IOCTL_PRIVCMD_MMAPBATCH_V2,
                   &(privcmd_mmapbatch_v2_t){ 1, DOMID_SELF, (uint64_t)va, mfns, NULL });
        check(rc == -1 && errno == EFAULT, "MMAPBATCH_V2 with err[] unwritable: EFAULT",
              "%ld %d", rc, errno);
        munmap((void *)va, PG);
    }
    rc = getdomaininfo(1, &d);
    if (!rc && d.domain == 1) {
        scratch = false;
        dom = 1;
        frame = d.u.getdomaininfo.shared_info_frame;
        what = "d1's shared_info";
    } else if (scratch_domain(&dom, &frame) == 0) {
        scratch = true;
        what = "a page of a new domain";
    } else {
        printf("devtest: skipped: foreign mappings (no d1: getdomaininfo %ld, domain %d; "
               "no new domain)\n", rc, d.domain);
        return;
    }
    foreign_checks(dom, frame, what);
    if (scratch) {
        memset(&d, 0, sizeof(d));
        d.cmd = XEN_DOMCTL_destroydomain;
        d.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
        d.domain = dom;
        do
            rc = hcall(__HYPERVISOR_domctl, (uint64_t)&d, 0, 0);
        while (rc == -ERESTART_XEN);
        printf("devtest: info: destroydomain d%u: %ld\n", dom, rc);
    }
}

/* ---- evtchn ---- */

/* The ports read without waiting (O_NONBLOCK), printed; how many. */
static int drain(int fd, uint32_t *ports, int max)
{
    int n = (int)read(fd, ports, (size_t)max * sizeof(uint32_t));

    if (n < 0)
        return errno == EAGAIN ? 0 : -errno;
    return n / (int)sizeof(uint32_t);
}

static int evtchn_bind(int fd, unsigned long cmd, unsigned int a, unsigned int b)
{
    unsigned int arg[2] = { a, b };
    int rc = ioctl(fd, cmd, arg);

    return rc < 0 ? -errno : rc;
}

static void evtchn_dev(void)
{
    int fd = open("/dev/pvisor/evtchn", O_RDWR | O_NONBLOCK), a, b, n, rc;
    struct pollfd pf;
    uint32_t ports[8], w;
    struct evtchn_status es;

    check(fd >= 0, "/dev/pvisor/evtchn opens", "%d %d", fd, errno);
    a = evtchn_bind(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0, 0);
    b = evtchn_bind(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, 0, (unsigned int)a);
    check(a > 0 && b > 0 && a != b, "BIND_UNBOUND_PORT(d0), then BIND_INTERDOMAIN(d0, it)",
          "%d %d", a, b);
    n = drain(fd, ports, 8);
    printf("devtest: info: fired at bind: %d port(s)%s%d\n", n, n > 0 ? ", first " : "",
           n > 0 ? (int)ports[0] : 0);
    for (int i = 0; i < n; i++) {
        w = ports[i];
        write(fd, &w, sizeof(w));
    }
    rc = ioctl(fd, IOCTL_EVTCHN_NOTIFY, &(unsigned int){ (unsigned int)a });
    pf = (struct pollfd){ fd, POLLIN, 0 };
    n = poll(&pf, 1, 1000);
    check(rc == 0 && n == 1 && (pf.revents & POLLIN), "NOTIFY one end: poll says POLLIN",
          "%d %d", rc, pf.revents);
    n = drain(fd, ports, 8);
    check(n == 1 && (int)ports[0] == b, "read() gives the other end's port", "%d %d", n,
          n > 0 ? (int)ports[0] : -1);
    ioctl(fd, IOCTL_EVTCHN_NOTIFY, &(unsigned int){ (unsigned int)a });
    n = poll(&pf, 1, 100);
    check(n == 0, "the port stays masked until written back: nothing more", "%d %d", n,
          pf.revents);
    w = (uint32_t)b;
    rc = (int)write(fd, &w, sizeof(w));
    n = poll(&pf, 1, 1000);
    check(rc == 4 && n == 1 && drain(fd, ports, 8) == 1 && (int)ports[0] == b,
          "write() of the port unmasks it: the pending event arrives", "%d %d", rc, n);
    write(fd, &w, sizeof(w));
    ioctl(fd, IOCTL_EVTCHN_NOTIFY, &(unsigned int){ (unsigned int)b });
    poll(&pf, 1, 1000);
    n = drain(fd, ports, 8);
    check(n == 1 && (int)ports[0] == a, "NOTIFY the other end: its peer fires", "%d %d", n,
          n > 0 ? (int)ports[0] : -1);
    w = (uint32_t)a;
    write(fd, &w, sizeof(w));
    n = (int)read(fd, ports, sizeof(ports));
    check(n == -1 && errno == EAGAIN, "read() with nothing fired, O_NONBLOCK: EAGAIN", "%d %d",
          n, errno);
    n = (int)read(fd, ports, 3);
    check(n == 0, "read() of 3 bytes: 0", "%d %d", n, errno);
    /* Blocking: a child notifies 50 ms later through the same file. */
    fcntl(fd, F_SETFL, 0);
    if (fork() == 0) {
        sleep_ms(50);
        ioctl(fd, IOCTL_EVTCHN_NOTIFY, &(unsigned int){ (unsigned int)a });
        _exit(0);
    }
    n = (int)read(fd, ports, sizeof(ports));
    wait(NULL);
    check(n == 4 && (int)ports[0] == b, "a blocking read() waits for the event", "%d %d", n,
          (int)ports[0]);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    w = (uint32_t)b;
    write(fd, &w, sizeof(w));
    rc = evtchn_bind(fd, IOCTL_EVTCHN_BIND_VIRQ, 0, 0);      /* VIRQ_TIMER */
    check(rc == -EEXIST, "BIND_VIRQ(VIRQ_TIMER), the kernel's own: EEXIST", "%d %d", rc, 0);
    rc = ioctl(fd, IOCTL_EVTCHN_UNBIND, &(unsigned int){ 4095 });
    check(rc == -1 && errno == ENOTCONN, "UNBIND of a port not this file's: ENOTCONN", "%d %d",
          rc, errno);
    rc = ioctl(fd, IOCTL_EVTCHN_NOTIFY, &(unsigned int){ 5000 });
    check(rc == -1 && errno == EINVAL, "NOTIFY of port 5000: EINVAL", "%d %d", rc, errno);
    rc = ioctl(fd, IOCTL_EVTCHN_UNBIND, &(unsigned int){ (unsigned int)a });
    check(rc == 0, "UNBIND", "%d %d", rc, errno);
    rc = ioctl(fd, IOCTL_EVTCHN_NOTIFY, &(unsigned int){ (unsigned int)a });
    check(rc == -1 && errno == ENOTCONN, "NOTIFY after UNBIND: ENOTCONN", "%d %d", rc, errno);
    rc = ioctl(fd, IOCTL_EVTCHN_RESET, 0);
    check(rc == 0, "IOCTL_EVTCHN_RESET", "%d %d", rc, errno);
    close(fd);
    memset(&es, 0, sizeof(es));
    es.dom = DOMID_SELF;
    es.port = (evtchn_port_t)b;
    rc = (int)hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_status, (uint64_t)&es, 0);
    check(rc == 0 && es.status == EVTCHNSTAT_closed, "close() closed the file's ports",
          "%d %d", rc, (int)es.status);

}

/* A real peer: d1 (pingpong=0:1:serve) offered us a port among 1..64, and
 * so did its builder (the console's): the one that answers. */
static void evtchn_peer(void)
{
    int fd2 = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK), a, b, n, rc;
    struct pollfd pf;
    uint32_t ports[8];

    pf = (struct pollfd){ fd2, POLLIN, 0 };
    for (a = 1, rc = -1; a <= 64 && rc; a++) {
        b = evtchn_bind(fd2, IOCTL_EVTCHN_BIND_INTERDOMAIN, 1, (unsigned int)a);
        if (b < 0)
            continue;
        n = drain(fd2, ports, 8);
        for (int i = 0; i < n; i++)
            write(fd2, &ports[i], sizeof(ports[i]));
        ioctl(fd2, IOCTL_EVTCHN_NOTIFY, &(unsigned int){ (unsigned int)b });
        poll(&pf, 1, 1000);
        n = drain(fd2, ports, 8);
        if (n == 1 && (int)ports[0] == b) {
            rc = 0;
            printf("devtest: d1's port %d answered on our port %d\n", a, b);
        } else {
            ioctl(fd2, IOCTL_EVTCHN_UNBIND, &(unsigned int){ (unsigned int)b });
        }
    }
    if (rc)
        printf("devtest: skipped: an event channel with d1 (no answer)\n");
    else
        check(1, "an event to d1 and its answer", "%d %d", 0, 0);
    close(fd2);
}

/* ---- gntdev ---- */

/*
 * A frame of dom0's that the kernel does not know (increase_reservation
 * through privcmd) is granted by this process to d0 itself, in dom0's own
 * grant table (mapped through privcmd), and mapped through gntdev.
 */
struct grant_setup {
    xen_pfn_t table, frame;     /* MFNs */
    volatile grant_entry_v1_t *gt;
    volatile uint8_t *page;     /* the frame, through privcmd */
    void *region;
};

static int grant_setup(struct grant_setup *g)
{
    struct gnttab_setup_table st;
    struct xen_memory_reservation r;
    xen_pfn_t mfns[2];
    int err[2] = { 7, 7 };
    long rc;

    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.nr_frames = 1;
    set_xen_guest_handle(st.frame_list, &g->table);
    g->table = 0;
    rc = hcall(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (uint64_t)&st, 1);
    if (rc || st.status) {
        printf("devtest: setup_table: %ld, status %d\n", rc, st.status);
        return -1;
    }
    memset(&r, 0, sizeof(r));
    set_xen_guest_handle(r.extent_start, &g->frame);
    r.nr_extents = 1;
    r.domid = DOMID_SELF;
    g->frame = 0;
    rc = hcall(__HYPERVISOR_memory_op, XENMEM_increase_reservation, (uint64_t)&r, 0);
    if (rc != 1) {
        printf("devtest: increase_reservation: %ld\n", rc);
        return -1;
    }
    mfns[0] = g->table;
    mfns[1] = g->frame;
    g->region = map_foreign(pfd, DOMID_SELF, mfns, err, 2, &rc);
    if (!g->region || rc || err[0] || err[1]) {
        printf("devtest: mapping the table and the frame: %ld, %d %d\n", rc, err[0], err[1]);
        return -1;
    }
    g->gt = g->region;
    g->page = (volatile uint8_t *)g->region + PG;
    memset((void *)g->page, 0x5a, PG);
    g->gt[TEST_REF].domid = 0;
    g->gt[TEST_REF].frame = (uint32_t)g->frame;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    g->gt[TEST_REF].flags = GTF_permit_access;
    return 0;
}

static void grant_teardown(struct grant_setup *g)
{
    struct xen_memory_reservation r;
    long rc;

    g->gt[TEST_REF].flags = 0;
    munmap(g->region, 2 * PG);
    memset(&r, 0, sizeof(r));
    set_xen_guest_handle(r.extent_start, &g->frame);
    r.nr_extents = 1;
    r.domid = DOMID_SELF;
    rc = hcall(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, (uint64_t)&r, 0);
    check(rc == 1, "the frame given back (decrease_reservation)", "%ld %ld", rc, 0);
}

/* MAP_GRANT_REF of (d0, ref): the offset, or -errno. */
static long grant_ref(int fd, uint32_t ref, uint32_t count)
{
    struct ioctl_gntdev_map_grant_ref m = { .count = count, .refs = { { 0, ref } } };

    return ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m) ? -errno : (long)m.index;
}

static void gntdev_dev(struct grant_setup *g)
{
    int fd = open("/dev/pvisor/gntdev", O_RDWR), st;
    struct ioctl_gntdev_unmap_grant_ref u;
    volatile uint8_t *va;
    long idx, idx2, rc;

    check(fd >= 0, "/dev/pvisor/gntdev opens", "%d %d", fd, errno);
    idx = grant_ref(fd, TEST_REF, 1);
    idx2 = grant_ref(fd, TEST_REF, 1);
    check(idx == 0 && idx2 == (long)PG, "MAP_GRANT_REF twice: offsets 0 and 4096", "%ld %ld",
          idx, idx2);
    rc = grant_ref(fd, TEST_REF, 0);
    check(rc == -EINVAL, "MAP_GRANT_REF of 0 grants: EINVAL", "%ld %ld", rc, 0);
    rc = grant_ref(fd, TEST_REF + 1, 1);        /* a ref nobody granted */
    va = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, rc);
    check(rc == 2 * (long)PG && va == MAP_FAILED && errno == EINVAL,
          "mmap of a ref not granted: EINVAL", "%ld %d", rc, errno);
    u = (struct ioctl_gntdev_unmap_grant_ref){ .index = (uint64_t)rc, .count = 1 };
    ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
    va = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, idx);
    check(va == MAP_FAILED && errno == EINVAL, "mmap of 2 pages at a 1-page offset: EINVAL",
          "%ld %d", (long)va, errno);
    va = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, idx);
    printf("devtest: info: grant flags while mapped: %#x\n", g->gt[TEST_REF].flags);
    check(va != MAP_FAILED && va[0] == 0x5a && va[PG - 1] == 0x5a,
          "mmap at the offset maps the grant: the frame's bytes", "%ld %d", (long)va,
          va != MAP_FAILED ? va[0] : -1);
    if (va == MAP_FAILED)
        goto out;
    va[7] = 0xa5;
    check(g->page[7] == 0xa5 && (g->gt[TEST_REF].flags & (GTF_reading | GTF_writing)) ==
          (GTF_reading | GTF_writing),
          "a write through it shows in the frame; the entry says reading|writing", "%d %#x",
          g->page[7], g->gt[TEST_REF].flags);
    rc = (long)mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, idx);
    check(rc == -1 && errno == EINVAL, "a second mmap of the same offset: EINVAL", "%ld %d",
          rc, errno);
    st = in_child(touch, (void *)va);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
          "fork does not inherit the grant mapping (the child faults)", "%#x %d", st, 0);
    u = (struct ioctl_gntdev_unmap_grant_ref){ .index = (uint64_t)idx, .count = 1 };
    rc = ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
    check(rc == 0 && va[7] == 0xa5, "UNMAP_GRANT_REF while mapped: 0, the mapping stays",
          "%ld %d", rc, va[7]);
    check(munmap((void *)va, PG) == 0 && !(g->gt[TEST_REF].flags & (GTF_reading | GTF_writing)),
          "munmap unmaps the grant: reading|writing cleared", "%d %#x", errno,
          g->gt[TEST_REF].flags);
    rc = ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
    check(rc == -1 && errno == ENOENT, "UNMAP_GRANT_REF of a freed offset: ENOENT", "%ld %d",
          rc, errno);
    idx = grant_ref(fd, TEST_REF, 1);
    check(idx == 0, "the freed offset is given again", "%ld %ld", idx, 0);
    va = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, idx);
    check(va != MAP_FAILED && va[7] == 0xa5 &&
          (g->gt[TEST_REF].flags & (GTF_reading | GTF_writing)) == GTF_reading,
          "a read-only mapping: the entry says reading only", "%ld %#x", (long)va,
          g->gt[TEST_REF].flags);
    /* close() with the mapping alive: the region keeps the file. */
    close(fd);
    fd = -1;
    check(va[7] == 0xa5, "the mapping outlives close()", "%d %d", va[7], 0);
    munmap((void *)va, PG);
    check(!(g->gt[TEST_REF].flags & (GTF_reading | GTF_writing)),
          "... and goes with munmap", "%#x %d", g->gt[TEST_REF].flags, 0);
out:
    if (fd >= 0)
        close(fd);
}

/* A child maps a grant and the table through privcmd and exits without
 * unmapping anything: exit must undo it all. */
static void mapper(void *arg)
{
    struct grant_setup *g = arg;
    int fd = open("/dev/xen/gntdev", O_RDWR), err = 7;
    long idx = grant_ref(fd, TEST_REF, 1), rc;
    volatile uint8_t *va = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, idx);
    xen_pfn_t mfn = g->table;

    map_foreign(pfd, DOMID_SELF, &mfn, &err, 1, &rc);
    printf("devtest: child mapped the grant (%#x) and the table (%d), exits\n",
           va != MAP_FAILED ? va[7] : 0, err);
}

static void exit_cleanup(struct grant_setup *g)
{
    struct xen_domctl d;
    long before = free_kib(), pages, st;

    getdomaininfo(0, &d);
    pages = (long)d.u.getdomaininfo.tot_pages;
    st = in_child(mapper, g);
    check(WIFEXITED(st) && !(g->gt[TEST_REF].flags & (GTF_reading | GTF_writing)),
          "exit unmapped the child's grant", "%#lx %#x", st, g->gt[TEST_REF].flags);
    getdomaininfo(0, &d);
    printf("devtest: free KiB before the child %ld, after %ld; d0 pages %ld, %ld\n", before,
           free_kib(), pages, (long)d.u.getdomaininfo.tot_pages);
    check(free_kib() == before && (long)d.u.getdomaininfo.tot_pages == pages,
          "exit left the kernel's free frames and d0's pages as they were", "%ld %ld",
          free_kib(), before);
}

int main(void)
{
    struct grant_setup g;

    pfd = open("/dev/pvisor/privcmd", O_RDWR);
    check(pfd >= 0, "/dev/pvisor/privcmd opens (dom0, root)", "%d %d", pfd, errno);
    if (pfd < 0)
        return check_report();
    privcmd_calls();
    privcmd_foreign();
    evtchn_dev();
    evtchn_peer();
    if (grant_setup(&g) == 0) {
        gntdev_dev(&g);
        exit_cleanup(&g);
        grant_teardown(&g);
    } else {
        check(0, "a frame granted to ourselves", "%d %d", 0, 0);
    }
    close(pfd);
    return check_report();
}
