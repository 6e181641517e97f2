/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_misc.c - the choice of hypercall (fz_gen_any), multicall,
 *                          and generators for every other hypercall.
 * Owns:    the weights of the hypercalls and what each sub-op may be
 *          given; what is left out, and why:
 *            iret (would jump), sched_op block/poll/shutdown/remote_shutdown/
 *            shutdown_code/watchdog/pin_override (stop or kill the guest,
 *            or change how it dies), vcpu_op down/send_nmi/register_vcpu_info
 *            on vCPU 0, physdev ops that program interrupt hardware,
 *            valid platform_op/sysctl/domctl/mca/kexec requests (they drive
 *            the host: only a wrong interface version or unreadable
 *            argument; sysctl's read-only commands excepted), hypfs
 *            writes, xenoprof.
 * Touches: through fz_post (fuzz.c): trap table, callbacks, segment bases,
 *          debug registers, TS, vCPU memory areas; at the end timers, event
 *          channels and the I/O bitmap (fz_restore_global).
 */
#define __XEN_TOOLS__       /* xen/sysctl.h is toolstack-only, as Xen's */
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/nmi.h>
#include <xen/physdev.h>
#include <xen/sysctl.h>
#include <xen/vcpu.h>
#include "fuzz.h"

/* A slot filled with random bytes: the default shape of any argument. */
static void *fz_rand_slot(size_t n)
{
    void *s = fz_slot();

    fz_fill(s, n);
    return s;
}

static void fz_gen_traps(struct fz_call *c)
{
    struct trap_info *t = fz_rand_slot(17 * sizeof(*t));
    unsigned int n = (unsigned int)fz_below(16);

    for (unsigned int i = 0; i < n; i++)
        if (!t[i].address)
            t[i].address = 1;
    t[n].address = 0;
    c->op = __HYPERVISOR_set_trap_table;
    c->arg[0] = fz_ptr(t);
    c->post |= FZ_POST_TRAPS;
}

static void fz_gen_callbacks(struct fz_call *c)
{
    struct callback_register *cb = fz_rand_slot(64);

    if (fz_chance(1, 3)) {
        c->op = __HYPERVISOR_set_callbacks;
        c->arg[0] = fz_rand();
        c->arg[1] = fz_rand();
        c->arg[2] = fz_rand();
    } else if (fz_chance(1, 3)) {
        c->op = __HYPERVISOR_nmi_op;
        c->arg[0] = fz_below(3);
        c->arg[1] = fz_ptr(cb);
    } else {
        c->op = __HYPERVISOR_callback_op;
        c->arg[0] = fz_below(3);
        cb->type = (uint16_t)fz_below(9);
        c->arg[1] = fz_ptr(cb);
    }
    c->post |= FZ_POST_CALLBACKS;
}

static void fz_gen_cpu_state(struct fz_call *c)
{
    switch (fz_below(5)) {
    case 0:                 /* a gs selector never names the LDT: a fault
                               on the LDT the fuzzer set is the guest's */
        c->op = __HYPERVISOR_set_segment_base;
        c->arg[0] = fz_below(5);
        c->arg[1] = fz_chance(1, 2) ? fz_rand() : fz_below(0x10000);
        if (c->arg[0] == SEGBASE_GS_USER_SEL)
            c->arg[1] &= ~4UL;
        c->post |= FZ_POST_SEGBASE;
        break;
    case 1:                 /* DR7 never enables a breakpoint (or GD) */
        c->op = __HYPERVISOR_set_debugreg;
        c->arg[0] = fz_below(9);
        c->arg[1] = fz_rand();
        if (c->arg[0] == 7 || c->arg[0] == 5)
            c->arg[1] &= ~0x20ffUL;
        c->post |= FZ_POST_DEBUGREG;
        break;
    case 2:
        c->op = __HYPERVISOR_get_debugreg;
        c->arg[0] = fz_chance(3, 4) ? fz_below(9) : fz_rand();
        break;
    case 3:
        c->op = __HYPERVISOR_fpu_taskswitch;
        c->arg[0] = fz_rand() & 3;
        c->post |= FZ_POST_FPU;
        break;
    default:                /* only traps from user mode use it: none */
        c->op = __HYPERVISOR_stack_switch;
        c->arg[0] = fz_rand() & 0xffff;
        c->arg[1] = fz_rand();
        break;
    }
}

static void fz_gen_sched(struct fz_call *c)
{
    static const uint64_t cmds[] = { SCHEDOP_yield, 8, 9, 10, 63, 1000 };

    c->op = fz_chance(1, 4) ? __HYPERVISOR_sched_op_compat : __HYPERVISOR_sched_op;
    c->arg[0] = FZ_PICK(cmds);
    c->arg[1] = fz_ptr(fz_rand_slot(64));
    if (fz_chance(1, 4)) {
        c->op = __HYPERVISOR_set_timer_op;     /* undone at the end */
        c->arg[0] = fz_rand();
    }
}

static void fz_gen_vcpu(struct fz_call *c)
{
    static const uint64_t cmds[] = {
        VCPUOP_initialise, VCPUOP_up, VCPUOP_is_up, VCPUOP_get_runstate_info,
        VCPUOP_register_runstate_memory_area, VCPUOP_set_periodic_timer,
        VCPUOP_stop_periodic_timer, VCPUOP_set_singleshot_timer,
        VCPUOP_stop_singleshot_timer, VCPUOP_get_physid,
        VCPUOP_register_vcpu_time_memory_area, 14, 15, 100,
    };
    uint64_t *s = fz_rand_slot(FZ_SLOT_SIZE);

    c->op = __HYPERVISOR_vcpu_op;
    c->arg[0] = FZ_PICK(cmds);
    c->arg[1] = fz_chance(7, 8) ? 0 : fz_rand() & 0xffffffffUL;
    if (c->arg[1] != 0 && (c->arg[0] == VCPUOP_initialise || c->arg[0] == VCPUOP_up))
        c->arg[0] = VCPUOP_is_up;  /* a second vCPU must not start on garbage */
    if (c->arg[0] == VCPUOP_register_runstate_memory_area ||
        c->arg[0] == VCPUOP_register_vcpu_time_memory_area) {
        /* The hypervisor writes there from now on: the arena or nothing. */
        s[0] = fz_optr(s + 64);
        c->post |= FZ_POST_VCPU_AREAS;
    }
    c->arg[2] = fz_optr(s);
}

/* The event channel ops that touch no hardware (never bind_pirq); frames
 * named are scratch or foreign. */
static void fz_fill_evtchn(uint32_t cmd, uint8_t *u)
{
    fz_fill(u, 24);
    if (cmd == EVTCHNOP_init_control || cmd == EVTCHNOP_expand_array)
        *(uint64_t *)u = fz_target_mfn();
    else if (fz_chance(3, 4))
        for (unsigned int i = 0; i < 6; i++)
            u[i * 4 + 1] = u[i * 4 + 2] = u[i * 4 + 3] = 0;   /* small values */
}

static void fz_gen_evtchn(struct fz_call *c)
{
    static const uint32_t cmds[] = {
        EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_close,
        EVTCHNOP_send, EVTCHNOP_status, EVTCHNOP_alloc_unbound, EVTCHNOP_bind_ipi,
        EVTCHNOP_bind_vcpu, EVTCHNOP_unmask, EVTCHNOP_reset, EVTCHNOP_init_control,
        EVTCHNOP_expand_array, EVTCHNOP_set_priority, 14, 15, 99,
    };
    uint8_t *s = fz_slot();
    uint32_t cmd = FZ_PICK(cmds);

    if (fz_chance(1, 4)) {            /* the compat form: cmd in the struct */
        *(uint32_t *)s = cmd;
        fz_fill_evtchn(cmd, s + 4);
        c->op = __HYPERVISOR_event_channel_op_compat;
        c->arg[0] = fz_ptr(s);
        return;
    }
    fz_fill_evtchn(cmd, s);
    c->op = __HYPERVISOR_event_channel_op;
    c->arg[0] = cmd;
    c->arg[1] = fz_ptr(s);
}

static void fz_fill_gnttab(unsigned int cmd, uint8_t *e, uint8_t *out)
{
    bool l4 = false;
    uint64_t n;

    fz_fill(e, 40);
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_unmap_and_replace:    /* a VA or a PTE address: both ours */
        ((uint64_t *)e)[0] = fz_chance(1, 2) ? fz_va() : fz_pte_maddr(&l4) & ~7UL;
        if (cmd == GNTTABOP_unmap_and_replace)
            ((uint64_t *)e)[1] = fz_va();
        if (l4)                         /* as a VA it is in L4 slot 0 */
            ((uint64_t *)e)[0] = fz_va();
        break;
    case GNTTABOP_setup_table:
    case GNTTABOP_get_status_frames:
        n = fz_chance(3, 4) ? fz_below(65) : fz_rand() & 0xffffffffUL;
        if (cmd == GNTTABOP_setup_table)
            ((struct gnttab_setup_table *)e)->nr_frames = (uint32_t)n;
        else
            ((struct gnttab_get_status_frames *)e)->nr_frames = (uint32_t)n;
        ((uint64_t *)e)[1] = n <= 64 ? fz_optr(out) : fz_bad_ptr();
        break;
    case GNTTABOP_transfer:
        ((struct gnttab_transfer *)e)->mfn = fz_foreign_mfn();
        break;
    case GNTTABOP_copy: {
        struct gnttab_copy *cp = (void *)e;
        cp->source.u.gmfn = fz_any_mfn();
        cp->dest.u.gmfn = fz_target_mfn();
        cp->source.domid = (domid_t)fz_domid();
        cp->dest.domid = (domid_t)fz_domid();
        cp->flags = (uint16_t)(fz_chance(3, 4) ? fz_below(4) : fz_rand());
        break;
    }
    case GNTTABOP_set_version:
        *(uint32_t *)e = (uint32_t)(fz_chance(3, 4) ? fz_below(4) : fz_rand());
        break;
    default:
        break;
    }
}

static void fz_gen_gnttab(struct fz_call *c)
{
    uint8_t *s = fz_slot(), *out = s + PAGE_SIZE;
    unsigned int cmd = (unsigned int)(fz_chance(15, 16) ? fz_below(13) : fz_below(64));
    unsigned int n = (unsigned int)fz_below(4);

    if (cmd == GNTTABOP_dump_table && fz_chance(3, 4))
        cmd = GNTTABOP_query_size;      /* dump prints the table: rarely */
    for (unsigned int i = 0; i < n; i++)
        fz_fill_gnttab(cmd, s + i * 40, out);
    c->op = __HYPERVISOR_grant_table_op;
    c->arg[0] = cmd;
    c->arg[1] = fz_ptr(s);
    c->arg[2] = n;
    if (c->arg[1] != (uint64_t)s && fz_chance(1, 2))
        c->arg[2] = fz_rand() & 0xffffffffUL;
}

static void fz_gen_physdev(struct fz_call *c)
{
    static const uint32_t cmds[] = {
        PHYSDEVOP_IRQ_UNMASK_NOTIFY, PHYSDEVOP_irq_status_query, PHYSDEVOP_set_iopl,
        PHYSDEVOP_set_iobitmap, PHYSDEVOP_apic_read, PHYSDEVOP_eoi,
        PHYSDEVOP_get_free_pirq, 40, 63, 200,
    };
    uint8_t *s = fz_rand_slot(64), *bitmap = s + PAGE_SIZE;
    uint32_t cmd = FZ_PICK(cmds);
    uint8_t *u = s;

    if (fz_chance(1, 4)) {
        c->op = __HYPERVISOR_physdev_op_compat;
        *(uint32_t *)s = cmd;
        u = s + 8;
        c->arg[0] = fz_ptr(s);
    } else {
        c->op = __HYPERVISOR_physdev_op;
        c->arg[0] = cmd;
        c->arg[1] = fz_ptr(s);
    }
    if (cmd == PHYSDEVOP_set_iobitmap)   /* read on guest I/O only: undone */
        *(uint64_t *)u = fz_ptr(bitmap);
    if (cmd == PHYSDEVOP_set_iopl)
        *(uint32_t *)u = (uint32_t)(fz_chance(3, 4) ? fz_below(4) : fz_rand());
}

/*
 * sysctl's commands that only read the host (physinfo, getdomaininfolist,
 * readconsole, our hypercall counters), valid version, random fields; the
 * lists they write go to the slot's second page, under 2 KiB.
 */
static void fz_gen_sysctl_read(struct fz_call *c)
{
    static const uint32_t cmds[] = { XEN_SYSCTL_readconsole, XEN_SYSCTL_physinfo,
                                     XEN_SYSCTL_getdomaininfolist,
                                     PVISOR_SYSCTL_hypercall_stats, 0, 9999 };
    struct xen_sysctl *op = fz_rand_slot(FZ_SLOT_SIZE);
    uint64_t buf = fz_optr((uint8_t *)op + PAGE_SIZE);

    op->cmd = FZ_PICK(cmds);
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    switch (op->cmd) {
    case XEN_SYSCTL_readconsole:
        op->u.readconsole.count = (uint32_t)fz_below(2048);
        set_xen_guest_handle(op->u.readconsole.buffer, (char *)buf);
        break;
    case XEN_SYSCTL_getdomaininfolist:
        op->u.getdomaininfolist.max_domains = (uint32_t)fz_below(
            2048 / sizeof(struct xen_domctl_getdomaininfo));
        set_xen_guest_handle(op->u.getdomaininfolist.buffer,
                             (xen_domctl_getdomaininfo_t *)buf);
        break;
    case PVISOR_SYSCTL_hypercall_stats:
        op->u.pvisor_hypercall_stats.nr_entries = (uint32_t)fz_below(
            2048 / sizeof(struct pvisor_sysctl_hypercall_stat));
        set_xen_guest_handle(op->u.pvisor_hypercall_stats.buffer,
                             (pvisor_sysctl_hypercall_stat_t *)buf);
        break;
    }
    c->op = __HYPERVISOR_sysctl;
    c->arg[0] = fz_chance(7, 8) ? (uint64_t)op : fz_bad_ptr();
}

/* Hypercalls that drive the host: only with a wrong interface version (the
 * second 32-bit word; top bit set, which no version has) or a pointer that
 * cannot be read; sysctl's read-only commands also valid. */
static void fz_gen_host_control(struct fz_call *c)
{
    static const unsigned long ops[] = { __HYPERVISOR_platform_op, __HYPERVISOR_sysctl,
                                         __HYPERVISOR_domctl, __HYPERVISOR_arch_0 };
    uint32_t *s = fz_rand_slot(FZ_SLOT_SIZE);

    if (fz_chance(1, 3)) {
        fz_gen_sysctl_read(c);
        return;
    }
    s[1] |= 0x80000000u;
    c->op = FZ_PICK(ops);
    c->arg[0] = fz_chance(3, 4) ? (uint64_t)s : fz_bad_ptr();
    if (fz_chance(1, 4)) {               /* kexec: status and range only */
        static const uint64_t kexec_cmds[] = { 3, 6 };
        c->op = __HYPERVISOR_kexec_op;
        c->arg[0] = FZ_PICK(kexec_cmds);
        c->arg[1] = fz_optr(s);
    }
}

/* What has nothing for a PV dom0 here (HVM, XSM, PMU, argo, tmem, hypfs
 * reads) and numbers past the table: random arguments, pointers only into
 * the arena or nowhere. */
static void fz_gen_other(struct fz_call *c)
{
    static const unsigned long ops[] = {
        __HYPERVISOR_xsm_op, __HYPERVISOR_hvm_op, __HYPERVISOR_tmem_op,
        __HYPERVISOR_argo_op, __HYPERVISOR_xenpmu_op, __HYPERVISOR_dm_op,
        __HYPERVISOR_hypfs_op, 11, 43, 44, 47, 56, 63, 64, 100, 1000,
    };
    uint8_t *s = fz_rand_slot(FZ_SLOT_SIZE);

    c->op = fz_chance(1, 16) ? fz_rand() : FZ_PICK(ops);
    c->arg[0] = fz_below(16);
    if (c->op == __HYPERVISOR_hypfs_op)
        c->arg[0] = fz_below(2);        /* get_version, read: never write */
    for (unsigned int i = 1; i < 5; i++)
        c->arg[i] = fz_chance(1, 2) ? fz_optr(s + i * 512) : fz_below(64);
}

static void fz_gen_info(struct fz_call *c)
{
    uint8_t *s = fz_rand_slot(64);

    if (fz_chance(1, 4)) {
        static const char text[] = "fuzz: console_io write\n";
        memcpy(s, text, sizeof(text));
        c->op = __HYPERVISOR_console_io;
        c->arg[0] = fz_below(3);
        c->arg[1] = fz_chance(7, 8) ? sizeof(text) - 1 : fz_below(sizeof(text));
        c->arg[2] = c->arg[0] == CONSOLEIO_write ? (uint64_t)s : fz_optr(s);
        if (fz_chance(1, 4)) {        /* nothing readable there, any count */
            c->arg[1] = fz_rand() & 0xffffffffUL;
            c->arg[2] = fz_bad_ptr();
        }
        return;
    }
    if (fz_chance(1, 5)) {
        c->op = __HYPERVISOR_vm_assist;
        c->arg[0] = fz_below(3);
        c->arg[1] = fz_chance(3, 4) ? fz_below(34) : fz_rand();
        if (c->arg[0] == VMASST_CMD_disable && (c->arg[1] == VMASST_TYPE_4gb_segments ||
            c->arg[1] == VMASST_TYPE_writable_pagetables ||
            c->arg[1] == VMASST_TYPE_pae_extended_cr3))
            c->arg[0] = VMASST_CMD_enable;  /* the kernel may rely on these */
        return;
    }
    c->op = __HYPERVISOR_xen_version;
    c->arg[0] = fz_chance(7, 8) ? fz_below(12) : fz_rand();
    *(uint32_t *)s = (uint32_t)fz_below(1024);   /* build_id: len */
    c->arg[1] = fz_optr(s);
}

/* ---- multicall ---------------------------------------------------------------- */
#define FZ_MC_MAX 8

static struct fz_call fz_mc_calls[FZ_MC_MAX];
static struct multicall_entry *fz_mc_entries;
static unsigned int fz_mc_n;

void fz_gen_multicall(struct fz_call *c, unsigned int depth)
{
    struct multicall_entry *e = fz_slot();
    unsigned int n = 1 + (unsigned int)fz_below(FZ_MC_MAX);

    for (unsigned int i = 0; i < n; i++) {
        struct fz_call *sub = &fz_mc_calls[i];
        memset(sub, 0, sizeof(*sub));
        fz_gen_any(sub, depth + 1);
        e[i].op = sub->op;
        e[i].result = fz_rand();
        for (unsigned int a = 0; a < 6; a++)
            e[i].args[a] = sub->arg[a];
    }
    fz_mc_entries = e;
    fz_mc_n = n;
    c->op = __HYPERVISOR_multicall;
    c->arg[0] = fz_chance(15, 16) ? (uint64_t)e : fz_ptr(NULL);
    c->arg[1] = n;
    if (c->arg[0] != (uint64_t)e && fz_chance(1, 2))
        c->arg[1] = fz_rand() & 0xffffffffUL;
}

/* With fuzzlog: the entries of the multicall generated last. */
void fz_log_multicall(uint64_t i)
{
    for (unsigned int k = 0; k < fz_mc_n; k++)
        printk("fuzz: #%lu   entry %u: hc %lu (%#lx, %#lx, %#lx, %#lx, %#lx)\n", i, k,
               fz_mc_calls[k].op, fz_mc_calls[k].arg[0], fz_mc_calls[k].arg[1],
               fz_mc_calls[k].arg[2], fz_mc_calls[k].arg[3], fz_mc_calls[k].arg[4]);
}

/* After a multicall: count each entry and undo what it may have done, last
 * entry first (a pin then an unpin of one table undo to the start).  If
 * the list could not be read, no entry ran: undoing is harmless. */
void fz_post_multicall(long rc)
{
    for (unsigned int i = 0; i < fz_mc_n; i++)
        if (rc == 0)
            fz_count((long)fz_mc_entries[i].result);
    for (unsigned int i = fz_mc_n; i-- > 0;)
        fz_post(&fz_mc_calls[i], rc == 0 ? (long)fz_mc_entries[i].result : -1);
    fz_mc_n = 0;
}

/* ---- the choice ---------------------------------------------------------------- */
void fz_gen_any(struct fz_call *c, unsigned int depth)
{
    unsigned int r = (unsigned int)fz_below(100);

    if (r < 14)       fz_gen_mmu_update(c);
    else if (r < 27)  fz_gen_update_va_mapping(c, false);
    else if (r < 29)  fz_gen_update_va_mapping(c, true);
    else if (r < 43)  fz_gen_mmuext_op(c);
    else if (r < 55)  fz_gen_memory_op(c);
    else if (r < 63 && depth == 0) { fz_gen_multicall(c, depth); return; }
    else if (r < 63)  fz_gen_mmu_update(c);
    else if (r < 65)  fz_gen_update_descriptor(c);
    else if (r < 67)  fz_gen_set_gdt(c);
    else if (r < 69)  fz_gen_traps(c);
    else if (r < 72)  fz_gen_callbacks(c);
    else if (r < 76)  fz_gen_cpu_state(c);
    else if (r < 78)  fz_gen_sched(c);
    else if (r < 81)  fz_gen_vcpu(c);
    else if (r < 85)  fz_gen_evtchn(c);
    else if (r < 89)  fz_gen_gnttab(c);
    else if (r < 91)  fz_gen_physdev(c);
    else if (r < 93)  fz_gen_host_control(c);
    else if (r < 96)  fz_gen_other(c);
    else              fz_gen_info(c);
}
