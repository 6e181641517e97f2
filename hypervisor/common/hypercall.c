/* SPDX-License-Identifier: MIT */
/*
 * hypercall.c - THE hypercall table, the dispatcher and its counters.
 * Owns:    which hypercalls exist (a row here, or -XEN_ENOSYS), the call
 *          and cycle counters per hypercall and per domain, the hypercall
 *          page contents, hc_fail() logging.
 * Touches: nothing else; handlers do the work.
 * Trusts:  nothing: nr is range-checked here; handlers check arguments.
 * ABI:     numbers from abi/xen/xen.h; docs/abi/hypercalls.md lists each
 *          row, and tests/unit/test_hypercall_doc.c checks the two agree.
 *
 * Every handler takes its Xen arguments (up to five integers or guest
 * addresses, passed in rdi, rsi, rdx, r10, r8) and returns long. Handlers
 * declare their natural types; calling them through the uniform
 * hypercall_fn_t is exact on the x86_64 System V ABI, where every such
 * argument travels in a 64-bit register.
 */
#define LOG_PREFIX "hypercall"
#include <stdarg.h>
#include <xen/xen.h>
#include "arch.h"
#include "console.h"
#include "hypercall.h"
#include "lib.h"
#include "log.h"
#include "tlbflush.h"

#define HC(fn) ((hypercall_fn_t)(void (*)(void))(fn))

/* Extern only for hypercall_dispatch_args() (hypercall.h): read it there. */
const struct hypercall hypercall_table[NR_HYPERCALLS] = {
    [__HYPERVISOR_set_trap_table]     = { "set_trap_table",     HC(do_set_trap_table) },
    [__HYPERVISOR_mmu_update]         = { "mmu_update",         HC(do_mmu_update) },
    [__HYPERVISOR_set_gdt]            = { "set_gdt",            HC(do_set_gdt) },
    [__HYPERVISOR_stack_switch]       = { "stack_switch",       HC(do_stack_switch) },
    [__HYPERVISOR_set_callbacks]      = { "set_callbacks",      HC(do_set_callbacks) },
    [__HYPERVISOR_fpu_taskswitch]     = { "fpu_taskswitch",     HC(do_fpu_taskswitch) },
    [__HYPERVISOR_set_debugreg]       = { "set_debugreg",       HC(do_set_debugreg) },
    [__HYPERVISOR_get_debugreg]       = { "get_debugreg",       HC(do_get_debugreg) },
    [__HYPERVISOR_update_descriptor]  = { "update_descriptor",  HC(do_update_descriptor) },
    [__HYPERVISOR_memory_op]          = { "memory_op",          HC(do_memory_op) },
    [__HYPERVISOR_set_timer_op]       = { "set_timer_op",       HC(do_set_timer_op) },
    [__HYPERVISOR_multicall]          = { "multicall",          HC(do_multicall) },
    [__HYPERVISOR_update_va_mapping]  = { "update_va_mapping",  HC(do_update_va_mapping) },
    [__HYPERVISOR_xen_version]        = { "xen_version",        HC(do_xen_version) },
    [__HYPERVISOR_console_io]         = { "console_io",         HC(do_console_io) },
    [__HYPERVISOR_vm_assist]          = { "vm_assist",          HC(do_vm_assist) },
    [__HYPERVISOR_update_va_mapping_otherdomain] =
        { "update_va_mapping_otherdomain", HC(do_update_va_mapping_otherdomain) },
    [__HYPERVISOR_iret]               = { "iret",               HC(do_iret) },
    [__HYPERVISOR_grant_table_op]     = { "grant_table_op",     HC(do_grant_table_op) },
    [__HYPERVISOR_vcpu_op]            = { "vcpu_op",            HC(do_vcpu_op) },
    [__HYPERVISOR_set_segment_base]   = { "set_segment_base",   HC(do_set_segment_base) },
    [__HYPERVISOR_mmuext_op]          = { "mmuext_op",          HC(do_mmuext_op) },
    [__HYPERVISOR_sched_op]           = { "sched_op",           HC(do_sched_op) },
    [__HYPERVISOR_event_channel_op]   = { "event_channel_op",   HC(do_event_channel_op) },
    [__HYPERVISOR_callback_op]        = { "callback_op",        HC(do_callback_op) },
    [__HYPERVISOR_physdev_op]         = { "physdev_op",         HC(do_physdev_op) },
    [__HYPERVISOR_sysctl]             = { "sysctl",             HC(do_sysctl) },
    [__HYPERVISOR_domctl]             = { "domctl",             HC(do_domctl) },
};

/* Xen's names for the numbers we do not implement, for the logs. */
static const char *const xen_names[NR_HYPERCALLS] = {
    [__HYPERVISOR_platform_op] = "platform_op",
    [__HYPERVISOR_arch_1] = "arch_1 (paging_domctl_cont)",
    [__HYPERVISOR_set_debugreg] = "set_debugreg",
    [__HYPERVISOR_get_debugreg] = "get_debugreg",
    [__HYPERVISOR_set_timer_op] = "set_timer_op",
    [__HYPERVISOR_event_channel_op_compat] = "event_channel_op_compat",
    [__HYPERVISOR_physdev_op_compat] = "physdev_op_compat",
    [__HYPERVISOR_grant_table_op] = "grant_table_op",
    [__HYPERVISOR_vcpu_op] = "vcpu_op",
    [__HYPERVISOR_nmi_op] = "nmi_op",
    [__HYPERVISOR_xenoprof_op] = "xenoprof_op",
    [__HYPERVISOR_event_channel_op] = "event_channel_op",
    [__HYPERVISOR_hvm_op] = "hvm_op",
    [__HYPERVISOR_kexec_op] = "kexec_op",
    [__HYPERVISOR_tmem_op] = "tmem_op",
    [__HYPERVISOR_argo_op] = "argo_op",
    [__HYPERVISOR_xenpmu_op] = "xenpmu_op",
    [__HYPERVISOR_dm_op] = "dm_op",
    [__HYPERVISOR_hypfs_op] = "hypfs_op",
    [__HYPERVISOR_arch_0] = "arch_0 (mca)",
    [__HYPERVISOR_sched_op_compat] = "sched_op_compat",
    [__HYPERVISOR_xsm_op] = "xsm_op",
};

const char *hypercall_name(unsigned int nr)
{
    if (nr >= NR_HYPERCALLS)
        return "(out of range)";
    if (hypercall_table[nr].name)
        return hypercall_table[nr].name;
    return xen_names[nr] ? xen_names[nr] : "(no such hypercall)";
}

bool hypercall_implemented(unsigned int nr)
{
    return nr < NR_HYPERCALLS && hypercall_table[nr].fn;
}

/*
 * -XEN_ENOSYS, said at INFO the first time d uses the number (or any
 * number of the out-of-range bucket, the first of which is named; numbers
 * above 2^32 - 1 arrive saturated: hypercall_nr()).
 */
static long hypercall_enosys(struct domain *d, unsigned int nr)
{
    if (d->hc_stats[nr < NR_HYPERCALLS ? nr : NR_HYPERCALLS].calls)
        return -XEN_ENOSYS;
    if (nr >= NR_HYPERCALLS)
        log_info("d%u: hypercall %u%s: out of range, no such hypercall: -ENOSYS",
                 d->domain_id, nr, nr == UINT32_MAX ? " or above" : "");
    else if (!xen_names[nr])
        log_info("d%u: hypercall %u: no such hypercall: -ENOSYS",
                 d->domain_id, nr);
    else
        log_info("d%u: hypercall %u (%s) not implemented: -ENOSYS",
                 d->domain_id, nr, hypercall_name(nr));
    return -XEN_ENOSYS;
}

/* hc_cycles= on the command line, 'c' at the debug keys (keyhandler.c). */
bool hypercall_sampling;

long hypercall_call_sampled(struct hypercall_stats *s, hypercall_fn_t fn,
                            uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                            uint64_t a4)
{
    uint64_t t0 = arch_cycles();
    long rc = fn(a0, a1, a2, a3, a4);

    s->cycles += arch_cycles() - t0;
    return rc;
}

long hypercall_call_sampled_entry(uint64_t a0, uint64_t a1, uint64_t a2,
                                  uint64_t a3, uint64_t a4, hypercall_fn_t fn)
{
    struct hypercall_stats *s = (struct hypercall_stats *)
        ((char *)tlbflush_reuse_counter - offsetof(struct hypercall_stats, reuse_flushes));

    return hypercall_call_sampled(s, fn, a0, a1, a2, a3, a4);
}

/* A number without a handler: -XEN_ENOSYS, counted in its own slot. */
long hypercall_dispatch_enosys(struct domain *d, unsigned int nr)
{
    unsigned int slot = nr < NR_HYPERCALLS ? nr : NR_HYPERCALLS;
    long rc = hypercall_enosys(d, nr);

    d->hc_stats[slot].calls++;
    return rc;
}

long hypercall_dispatch(struct vcpu *v, unsigned int nr,
                        const uint64_t a[HYPERCALL_MAX_ARGS])
{
    return hypercall_dispatch_args(v, nr, a[0], a[1], a[2], a[3], a[4]);
}

void hypercall_stats_dump(const struct domain *d)
{
    printk("hypercall counters for d%u (calls, TSC ticks in handler, "
           "TLB flushes for frame reuse%s):\n", d->domain_id,
           hypercall_sampling ? "" : "; ticks: cycle sampling is off, "
           "hc_cycles turns it on");
    printk("  TSC ticks: CPU cycles on hardware or KVM. Under QEMU TCG they "
           "follow the host clock (noisy); with -icount shift=0 one tick is "
           "one guest instruction.\n");
    for (unsigned int nr = 0; nr <= NR_HYPERCALLS; nr++) {
        const struct hypercall_stats *s = &d->hc_stats[nr];
        char number[8];

        if (!s->calls)
            continue;
        /* The last row counts every number >= NR_HYPERCALLS: ">=64". */
        snprintf(number, sizeof(number), nr < NR_HYPERCALLS ? "%u" : ">=%u", nr);
        printk(" %4s %-22s %10lu calls %14lu ticks %10lu avg %8lu flushes\n",
               number, hypercall_name(nr), s->calls, s->cycles,
               s->cycles / s->calls, s->reuse_flushes);
    }
    tlbflush_stats_dump();
}

long hypercall_create_continuation(unsigned int nr, uint64_t a0, uint64_t a1,
                                   uint64_t a2, uint64_t a3, uint64_t a4)
{
    const uint64_t args[HYPERCALL_MAX_ARGS] = { a0, a1, a2, a3, a4 };
    struct vcpu *v = current;

    if (v->in_multicall) {
        /* do_multicall() writes these into the entry and continues itself. */
        v->mc_preempted = true;
        memcpy(v->mc_args, args, sizeof(args));
        return nr;
    }
    arch_hypercall_continuation(v, nr, args);
    return nr;          /* rax: the number, for the re-executed syscall */
}

void hypercall_exit_multicall(struct vcpu *v)
{
    if (v->in_multicall)
        v->mc_exit = true;
}

long hc_fail_at(long rc, const char *file, int line, const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    if (console_loglvl < LOG_DEBUG)
        return rc;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_debug("%s:%d: rc %ld: %s", file, line, rc, buf);
    return rc;
}

/*
 * The hypercall page: 128 stubs of 32 bytes, int3 between them. Stub i is
 *   push %rcx; push %r11; mov $i, %eax; syscall; pop %r11; pop %rcx; ret
 * and the iret stub, which the guest jumps to (it does not return), is
 *   push %rcx; push %r11; push %rax; mov $23, %eax; syscall
 */
#define HYPERCALL_STUB_SIZE 32
#define OP_PUSH_RCX 0x51
#define OP_PUSH_RAX 0x50
#define OP_POP_RCX  0x59
#define OP_RET      0xc3
#define OP_MOV_EAX  0xb8
#define OP_INT3     0xcc
static const uint8_t op_push_r11[] = { 0x41, 0x53 };
static const uint8_t op_pop_r11[] = { 0x41, 0x5b };
static const uint8_t op_syscall[] = { 0x0f, 0x05 };

static uint8_t *emit(uint8_t *p, const uint8_t *bytes, size_t n)
{
    memcpy(p, bytes, n);
    return p + n;
}

static uint8_t *emit_mov_eax(uint8_t *p, uint32_t imm)
{
    *p++ = OP_MOV_EAX;
    memcpy(p, &imm, sizeof(imm));
    return p + sizeof(imm);
}

void hypercall_page_init(void *va)
{
    uint8_t *page = va;

    memset(page, OP_INT3, 4096);
    for (unsigned int i = 0; i < 4096 / HYPERCALL_STUB_SIZE; i++) {
        uint8_t *p = page + i * HYPERCALL_STUB_SIZE;
        *p++ = OP_PUSH_RCX;
        p = emit(p, op_push_r11, sizeof(op_push_r11));
        if (i == __HYPERVISOR_iret) {
            *p++ = OP_PUSH_RAX;
            p = emit_mov_eax(p, i);
            emit(p, op_syscall, sizeof(op_syscall));
            continue;
        }
        p = emit_mov_eax(p, i);
        p = emit(p, op_syscall, sizeof(op_syscall));
        p = emit(p, op_pop_r11, sizeof(op_pop_r11));
        *p++ = OP_POP_RCX;
        *p = OP_RET;
    }
}
