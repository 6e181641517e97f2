/* SPDX-License-Identifier: MIT */
/*
 * selftest/hypercall.c - hypercall entry paths: console_io, numbers nobody
 *                        implements, and the raw syscall instruction.
 * Owns:    the hypercall-path self-tests.
 * Touches: the hypercall page and the syscall instruction directly.
 */
#include <selftest.h>
#include <asm/page.h>
#include <pv/hypercall.h>

#define CONSOLEIO_UNDEFINED_FOR_TEST 0x7f
/* A slot of the hypercall page that no Xen 4.17 hypercall uses. */
#define HYPERCALL_UNUSED_SLOT        63
/* A number past the hypercall page, reachable only by a raw syscall. */
#define HYPERCALL_BEYOND_PAGE        200

/* Dom0's console; Xen's XSM refuses every console_io command of another
 * domain before looking at it (-EPERM; debug builds allow writes). */
const char *st_console_io(void)
{
    bool dom0 = arch_is_initial_domain();
    char buf[1];

    ST_EXPECT_RC(HYPERVISOR_console_io(CONSOLEIO_read, 0, buf), dom0 ? 0 : -XEN_EPERM);
    ST_EXPECT_RC(HYPERVISOR_console_io(CONSOLEIO_UNDEFINED_FOR_TEST, 0, buf),
                 dom0 ? -XEN_ENOSYS : -XEN_EPERM);
    return NULL;
}

/* Numbers that name no hypercall: -ENOSYS. pvisor logs the first use of
 * each (INFO), so the test says first that those lines are its doing. */
const char *st_hypercall_enosys(void)
{
    printk("hypercall_enosys: calling numbers %u and %u on purpose: no such "
           "hypercalls, -ENOSYS expected\n", HYPERCALL_UNUSED_SLOT,
           HYPERCALL_BEYOND_PAGE);
    ST_EXPECT_RC(hypercall5(HYPERCALL_UNUSED_SLOT, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    ST_EXPECT_RC(hypercall5_syscall(HYPERCALL_BEYOND_PAGE, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    return NULL;
}

const char *st_raw_syscall(void)
{
    long via_page = HYPERVISOR_xen_version(XENVER_version, NULL);

    ST_EXPECT_RC(hypercall5_syscall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0),
                 via_page);
    ST_EXPECT_RC(hypercall5_syscall(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0, 0, 0),
                 PAGE_SIZE);
    return NULL;
}
