/* SPDX-License-Identifier: MIT */
/*
 * vcpu_initialise_bad_ctx - VCPUOP_initialise (vcpu_op 0) on vCPUs that
 * have no context yet, with contexts wrong in one field each, then good
 * ones that must run.
 * Rule: a refused context leaves the vCPU as it was: no context (VCPUOP_up
 * -EINVAL), down (is_up 0), no reference kept on a frame it named (the
 * audit at shutdown); a good one is loaded once (-EEXIST after), and the
 * vCPU runs it after VCPUOP_up; an FXSAVE image the CPU would refuse
 * does not bring the hypervisor down.
 *
 * Booted with dom0_max_vcpus=4 (hostile_hv_args, tests/boot/meson.build):
 * vCPUs 1-3 start down with no context. A context once taken cannot be
 * taken back, so each one Xen accepts gets a vCPU of its own:
 *   vCPU 1: every bad context, then a good one: up, runs secondary_main()
 *           (reads MXCSR and FCW, sets its flag, blocks), down;
 *   vCPU 2: a good context whose FXSAVE image has MXCSR reserved bits;
 *   vCPU 3: a good context with a one-entry LDT.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU 7.2, TCG, one CPU,
 * dom0_max_vcpus=4); source arch/x86/domain.c arch_set_info_guest()
 * unless said:
 *  - vCPUs 1-3 at start: is_up 0, up -EINVAL (common/domain.c: up needs
 *    is_initialised);
 *  - non-canonical (0x0000800000000000) user_regs.rip, user_regs.rsp,
 *    kernel_sp, event/failsafe/syscall_callback_eip, fs_base,
 *    gs_base_kernel, gs_base_user, trap_ctxt[14].address, and
 *    trap_ctxt[255].address 0x7fff800000000000: -EINVAL, checked first;
 *  - ctrlreg[3] naming a data page mapped writable, a read-only page of
 *    0xff bytes (not a valid L4: reserved bits), one of our L3s, the M2P's
 *    first frame (XENMEM_machphys_mfn_list; owner DOMID_XEN), the frame
 *    L4 slot 256 names (no owner), a frame past RAM: -EINVAL
 *    (get_page_from_gfn(), get_page_type_preemptible()); ctrlreg[1] a
 *    data page mapped writable: -EINVAL; user mode (no VGCF_in_kernel)
 *    with ctrlreg[1] 0: -EINVAL;
 *  - gdt_ents 7169 (FIRST_RESERVED_GDT_ENTRY + 1), gdt_frames[0] a page
 *    mapped writable or past RAM: -EINVAL (pv/descriptor-tables.c
 *    pv_set_gdt());
 *  - ldt_ents 8193; ldt_base 8 bytes into a page (ldt_ents 0); ldt_base
 *    non-canonical (ldt_ents 1); ldt_base 0xffff830000000000, Xen's range
 *    (ldt_ents 0: __addr_ok() is checked whatever the count): -EINVAL;
 *  - after every refusal above: up -EINVAL, is_up 0;
 *  - context NULL, unmapped, in Xen's range: -EFAULT (default_
 *    initialise_vcpu() copies before it looks at anything), and vCPU 1
 *    still has none; vCPU 0: -EEXIST; vCPU 4 and 0xffffffff: -ENOENT;
 *  - the good context (kernel mode on our L4, FLAT_KERNEL_CS/SS, no GDT
 *    frames, no VGCF_online, no FXSAVE image): 0, is_up 0, again -EEXIST,
 *    up 0; it runs within a few yields with MXCSR 0x1f80 and FCW 0x037f
 *    (the FNINIT state); is_up 1; down 0 (it was blocked), is_up 0;
 *  - FXSAVE image with MXCSR 0xffff1f80 (bits 31:16 are reserved on every
 *    CPU) and VGCF_I387_VALID: 0, up 0, the vCPU runs, down 0. Xen keeps
 *    the image as given (vcpu_setup_fpu()); real hardware would #GP on
 *    FXRSTOR and Xen's fixup zeroes the whole image (i387.c
 *    fpu_fxrstor(): MXCSR 0, FCW 0), but QEMU's TCG does not check MXCSR
 *    in FXRSTOR, so on the rig the vCPU reads 0xffff1f80. The value is
 *    printed, not checked: pvisor clears the reserved bits (and DAZ) when
 *    it takes the context (context.c arch_vcpu_init_fpu()), so the vCPU
 *    reads 0x1f80 and its FXRSTOR cannot fault;
 *  - the good context with ldt_base a page of ours, ldt_ents 1: 0, is_up 0.
 * Not tested, on purpose: VGCF_online. Xen then clears the vCPU's down bit
 * without waking it: is_up 1 at once, VCPUOP_up 0, and the vCPU does not
 * run (4.17.7 on the rig); pvisor ignores the flag (is_up 0; runs after up).
 * Undo: vCPUs 1 and 2 down; the junk page writable and zeroed again.
 */
#include "hostile_time.h"

#define E(x) (-XEN_##x)
#define NR_VCPUS 4                 /* dom0_max_vcpus=4 in tests/boot/meson.build */
#define SECONDARY_SIZE 8192        /* a secondary's state and stack, aligned */
#define NONCANONICAL 0x0000800000000000ul
#define RAM_END_MFN (1ul << 36)    /* 256 TiB: past QEMU's RAM */
#define MXCSR_RESERVED 0xffff0000u /* bits 31:16: reserved on every CPU */
#define FXSAVE_MXCSR 24            /* byte offset in the FXSAVE image */
#define FCW_DEFAULT 0x037f
#define MXCSR_DEFAULT 0x1f80
#define WAIT_NS (2000 * HG_MS)     /* for a secondary to run */

/*
 * One secondary vCPU: the fields it reports, then its stack up to the end
 * of the (aligned) block, so that its callbacks find the block from %rsp.
 */
struct secondary {
    uint32_t id;
    volatile uint32_t ran;         /* 1 once secondary_main() ran */
    volatile uint32_t mxcsr;       /* as stmxcsr read it there */
    volatile uint16_t fcw;         /* as fnstcw read it there */
    volatile uint16_t upcalls;     /* callbacks entered (none expected) */
    uint8_t stack[SECONDARY_SIZE - 16];
} __attribute__((aligned(SECONDARY_SIZE)));
_Static_assert(sizeof(struct secondary) == SECONDARY_SIZE, "secondary block");

static struct secondary secondaries[NR_VCPUS];
static struct vcpu_guest_context ctxt;     /* 5 KiB: not on the stack */

void secondary_entry(void);
void secondary_callback(void);
void secondary_main(struct secondary *s);
void secondary_idle(struct secondary *s);

/*
 * secondary_entry: the context's rip; %rdi = its struct secondary, %rsp =
 * the top of its stack (16-aligned, so the call leaves the ABI's 8 mod 16).
 * secondary_callback: event, failsafe and syscall callbacks: start over
 * on the stack's top, counted, and block again.
 */
asm(".pushsection .text\n"
    "secondary_entry:\n"
    "    call secondary_main\n"
    "    ud2\n"
    "secondary_callback:\n"
    "    mov %rsp, %rdi\n"
    "    and $-8192, %rdi\n"
    "    lea 8192(%rdi), %rsp\n"
    "    incw 14(%rdi)\n"
    "    call secondary_idle\n"
    "    ud2\n"
    ".popsection\n");
_Static_assert(SECONDARY_SIZE == 8192 && __builtin_offsetof(struct secondary, upcalls) == 14,
               "secondary_callback's constants");

/* Block for ever (until vCPU 0 takes us down): SCHEDOP_block unmasks
 * events, but no port is bound to this vCPU; a stray upcall comes back
 * here through secondary_callback. */
void secondary_idle(struct secondary *s)
{
    hg_vcpu_block_forever(s->id);
}

void secondary_main(struct secondary *s)
{
    uint32_t mxcsr;
    uint16_t fcw;

    HYPERVISOR_shared_info->vcpu_info[s->id].evtchn_upcall_mask = 1;
    asm volatile("stmxcsr %0; fnstcw %1" : "=m"(mxcsr), "=m"(fcw));
    s->mxcsr = mxcsr;
    s->fcw = fcw;
    __atomic_store_n(&s->ran, 1, __ATOMIC_SEQ_CST);
    secondary_idle(s);
}

/* A context that is right in every field: kernel mode on our own L4. */
static struct vcpu_guest_context *good_ctxt(unsigned int id)
{
    struct secondary *s = &secondaries[id];
    uint64_t top = (uint64_t)s + SECONDARY_SIZE;

    memset(s, 0, sizeof(*s));
    s->id = id;
    hg_vcpu_context(&ctxt, secondary_entry, top, (uint64_t)s, secondary_callback);
    return &ctxt;
}

static long initialise(unsigned long id, void *arg)
{
    return hg_vcpu_op(VCPUOP_initialise, id, arg);
}

/*
 * Send ctxt (changed from a good one) to vCPU id: want the refusal, then
 * the vCPU still has no context (up -EINVAL) and is down (is_up 0). If it
 * was taken, up is not tried (the vCPU would run a bad context).
 */
static void refused(struct hg_cases *c, unsigned int id, const char *what, long want)
{
    char l[96];
    long rc = initialise(id, &ctxt);

    snprintf(l, sizeof(l), "vcpu %u: %s", id, what);
    hg_case(c, l, rc, want);
    if (rc == 0)
        return;
    snprintf(l, sizeof(l), "vcpu %u: %s: then up", id, what);
    hg_case(c, l, hg_vcpu_op(VCPUOP_up, id, NULL), E(EINVAL));
    snprintf(l, sizeof(l), "vcpu %u: %s: then is_up", id, what);
    hg_case(c, l, hg_vcpu_op(VCPUOP_is_up, id, NULL), 0);
}

static void address_cases(struct hg_cases *c)
{
    good_ctxt(1)->user_regs.rip = NONCANONICAL;
    refused(c, 1, "user_regs.rip non-canonical", E(EINVAL));
    good_ctxt(1)->user_regs.rsp = NONCANONICAL;
    refused(c, 1, "user_regs.rsp non-canonical", E(EINVAL));
    good_ctxt(1)->kernel_sp = NONCANONICAL;
    refused(c, 1, "kernel_sp non-canonical", E(EINVAL));
    good_ctxt(1)->event_callback_eip = NONCANONICAL;
    refused(c, 1, "event_callback_eip non-canonical", E(EINVAL));
    good_ctxt(1)->failsafe_callback_eip = NONCANONICAL;
    refused(c, 1, "failsafe_callback_eip non-canonical", E(EINVAL));
    good_ctxt(1)->syscall_callback_eip = NONCANONICAL;
    refused(c, 1, "syscall_callback_eip non-canonical", E(EINVAL));
    good_ctxt(1)->fs_base = NONCANONICAL;
    refused(c, 1, "fs_base non-canonical", E(EINVAL));
    good_ctxt(1)->gs_base_kernel = NONCANONICAL;
    refused(c, 1, "gs_base_kernel non-canonical", E(EINVAL));
    good_ctxt(1)->gs_base_user = NONCANONICAL;
    refused(c, 1, "gs_base_user non-canonical", E(EINVAL));
    good_ctxt(1)->trap_ctxt[14].address = NONCANONICAL;
    refused(c, 1, "trap_ctxt[14].address non-canonical", E(EINVAL));
    good_ctxt(1)->trap_ctxt[255].address = ~0ul << 47 & ~(1ul << 63);
    refused(c, 1, "trap_ctxt[255].address 0x7fff8000_00000000", E(EINVAL));
}

/* The frame at the start of the M2P (a frame of the hypervisor's), or 0. */
static unsigned long m2p_mfn(void)
{
    xen_pfn_t mfn = 0;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };

    set_xen_guest_handle(l.extent_start, &mfn);
    if (hg_memory_op(XENMEM_machphys_mfn_list, &l) || l.nr_extents != 1)
        return 0;
    return mfn;
}

static void cr3_cases(struct hg_cases *c)
{
    uint64_t *l4 = hg_mfn_to_virt(hg_read_cr3() >> PAGE_SHIFT);
    void *data = hg_page(0), *junk = hg_page(1);
    unsigned long l3_mfn = 0, m2p = m2p_mfn();

    hg_case(c, "setup: M2P frame found", m2p != 0, 1);
    hg_case(c, "setup: our L3 found", hg_walk((unsigned long)secondaries, 3, &l3_mfn) != NULL,
            1);
    hg_case(c, "setup: L4 slot 256 present", l4 && (l4[HG_L4_HV_FIRST] & _PAGE_PRESENT), 1);

    good_ctxt(1)->ctrlreg[3] = xen_pfn_to_cr3(hg_virt_to_mfn(data));
    refused(c, 1, "cr3 a data page mapped writable", E(EINVAL));
    memset(junk, 0xff, PAGE_SIZE);          /* present, every reserved bit */
    hg_case(c, "setup: junk page read-only", hg_set_readonly(junk), 0);
    good_ctxt(1)->ctrlreg[3] = xen_pfn_to_cr3(hg_virt_to_mfn(junk));
    refused(c, 1, "cr3 a read-only page of junk (not an L4)", E(EINVAL));
    hg_case(c, "setup: junk page writable again", hg_set_writable(junk), 0);
    memset(junk, 0, PAGE_SIZE);
    good_ctxt(1)->ctrlreg[3] = xen_pfn_to_cr3(l3_mfn);
    refused(c, 1, "cr3 one of our L3 tables", E(EINVAL));
    good_ctxt(1)->ctrlreg[3] = xen_pfn_to_cr3(m2p);
    refused(c, 1, "cr3 the hypervisor's M2P frame", E(EINVAL));
    good_ctxt(1)->ctrlreg[3] = xen_pfn_to_cr3(l4 ? hg_pte_mfn(l4[HG_L4_HV_FIRST]) : 0);
    refused(c, 1, "cr3 the hypervisor's L3 (L4 slot 256)", E(EINVAL));
    good_ctxt(1)->ctrlreg[3] = xen_pfn_to_cr3(RAM_END_MFN);
    refused(c, 1, "cr3 a frame past RAM", E(EINVAL));
    good_ctxt(1)->ctrlreg[1] = xen_pfn_to_cr3(hg_virt_to_mfn(data));
    refused(c, 1, "user cr3 (ctrlreg[1]) a data page mapped writable", E(EINVAL));
    good_ctxt(1)->flags = 0;
    refused(c, 1, "user mode (no VGCF_in_kernel), ctrlreg[1] 0", E(EINVAL));
}

static void table_cases(struct hg_cases *c)
{
    good_ctxt(1)->gdt_ents = FIRST_RESERVED_GDT_ENTRY + 1;
    refused(c, 1, "gdt_ents 7169", E(EINVAL));
    good_ctxt(1)->gdt_ents = 512;
    ctxt.gdt_frames[0] = hg_virt_to_mfn(hg_page(0));
    refused(c, 1, "gdt_frames[0] a page mapped writable", E(EINVAL));
    good_ctxt(1)->gdt_ents = 512;
    ctxt.gdt_frames[0] = RAM_END_MFN;
    refused(c, 1, "gdt_frames[0] past RAM", E(EINVAL));
    good_ctxt(1)->ldt_ents = 8193;
    refused(c, 1, "ldt_ents 8193", E(EINVAL));
    good_ctxt(1)->ldt_base = (uint64_t)hg_page(2) + 8;
    refused(c, 1, "ldt_base not page-aligned (ldt_ents 0)", E(EINVAL));
    good_ctxt(1)->ldt_base = NONCANONICAL;
    ctxt.ldt_ents = 1;
    refused(c, 1, "ldt_base non-canonical (ldt_ents 1)", E(EINVAL));
    good_ctxt(1)->ldt_base = (uint64_t)HG_XEN_PTR;
    refused(c, 1, "ldt_base in Xen's range (ldt_ents 0)", E(EINVAL));
}

static void pointer_and_id_cases(struct hg_cases *c)
{
    char l[64];

    good_ctxt(1);
    hg_case(c, "vcpu 1: context NULL", initialise(1, NULL), E(EFAULT));
    hg_case(c, "vcpu 1: context unmapped", initialise(1, HG_BAD_PTR), E(EFAULT));
    hg_case(c, "vcpu 1: context in Xen's range", initialise(1, HG_XEN_PTR), E(EFAULT));
    hg_case(c, "vcpu 1: after bad pointers: up", hg_vcpu_op(VCPUOP_up, 1, NULL), E(EINVAL));
    hg_case(c, "vcpu 1: after bad pointers: is_up", hg_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    hg_case(c, "vcpu 0: good context", initialise(0, good_ctxt(0)), E(EEXIST));
    snprintf(l, sizeof(l), "vcpu %u: good context", NR_VCPUS);
    hg_case(c, l, initialise(NR_VCPUS, good_ctxt(1)), E(ENOENT));
    hg_case(c, "vcpu 0xffffffff: good context", initialise(0xffffffffu, good_ctxt(1)),
            E(ENOENT));
}

/* Wait (yielding) until secondary id says it ran: 1, or 0 after WAIT_NS. */
static int wait_ran(unsigned int id)
{
    uint64_t end = hg_now() + WAIT_NS;

    while (!__atomic_load_n(&secondaries[id].ran, __ATOMIC_SEQ_CST) && hg_now() < end)
        hg_sched_op(SCHEDOP_yield, NULL);
    return __atomic_load_n(&secondaries[id].ran, __ATOMIC_SEQ_CST);
}

static void good_cases(struct hg_cases *c)
{
    struct secondary *s = &secondaries[1];

    hg_case(c, "vcpu 1: good context", initialise(1, good_ctxt(1)), 0);
    hg_case(c, "vcpu 1: loaded: is_up", hg_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    hg_case(c, "vcpu 1: good context again", initialise(1, good_ctxt(1)), E(EEXIST));
    hg_case(c, "vcpu 1: up", hg_vcpu_op(VCPUOP_up, 1, NULL), 0);
    hg_case(c, "vcpu 1: ran", wait_ran(1), 1);
    hg_case(c, "vcpu 1: is_up", hg_vcpu_op(VCPUOP_is_up, 1, NULL), 1);
    printk("hostile:   (vcpu 1: mxcsr %#x fcw %#x, %u callbacks)\n", s->mxcsr, s->fcw,
           s->upcalls);
    hg_case(c, "vcpu 1: mxcsr as after reset", s->mxcsr, MXCSR_DEFAULT);
    hg_case(c, "vcpu 1: fcw as after fninit", s->fcw, FCW_DEFAULT);
    hg_case(c, "vcpu 1: down", hg_vcpu_op(VCPUOP_down, 1, NULL), 0);
    hg_case(c, "vcpu 1: down: is_up", hg_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
}

static void mxcsr_cases(struct hg_cases *c)
{
    struct secondary *s = &secondaries[2];
    uint32_t mxcsr = MXCSR_DEFAULT | MXCSR_RESERVED;
    uint16_t fcw = FCW_DEFAULT;
    long rc;

    good_ctxt(2)->flags |= VGCF_I387_VALID;
    memcpy(&ctxt.fpu_ctxt.x[0], &fcw, sizeof(fcw));
    memcpy(&ctxt.fpu_ctxt.x[FXSAVE_MXCSR], &mxcsr, sizeof(mxcsr));
    rc = initialise(2, &ctxt);
    hg_case(c, "vcpu 2: MXCSR 0xffff1f80 (VGCF_I387_VALID)", rc, 0);
    if (rc)
        return;
    hg_case(c, "vcpu 2: up", hg_vcpu_op(VCPUOP_up, 2, NULL), 0);
    hg_case(c, "vcpu 2: ran", wait_ran(2), 1);
    printk("hostile:   (vcpu 2: mxcsr %#x fcw %#x, %u callbacks)\n", s->mxcsr, s->fcw,
           s->upcalls);
    hg_case(c, "vcpu 2: down", hg_vcpu_op(VCPUOP_down, 2, NULL), 0);
    hg_case(c, "vcpu 2: down: is_up", hg_vcpu_op(VCPUOP_is_up, 2, NULL), 0);
}

/* The LDT is taken as SET_LDT takes it: its page is not looked at yet. */
static void ldt_cases(struct hg_cases *c)
{
    good_ctxt(3)->ldt_base = (uint64_t)hg_page(2);
    ctxt.ldt_ents = 1;
    hg_case(c, "vcpu 3: good context with a 1-entry LDT", initialise(3, &ctxt), 0);
    hg_case(c, "vcpu 3: then is_up", hg_vcpu_op(VCPUOP_is_up, 3, NULL), 0);
}

const char *hostile_vcpu_initialise_bad_ctx(void)
{
    static struct hg_cases c;
    unsigned int id;

    for (id = 1; id < NR_VCPUS; id++) {
        char l[48];

        snprintf(l, sizeof(l), "start: vcpu %u is_up", id);
        hg_case(&c, l, hg_vcpu_op(VCPUOP_is_up, id, NULL), 0);
        snprintf(l, sizeof(l), "start: vcpu %u up (no context)", id);
        hg_case(&c, l, hg_vcpu_op(VCPUOP_up, id, NULL), E(EINVAL));
    }
    address_cases(&c);
    cr3_cases(&c);
    table_cases(&c);
    pointer_and_id_cases(&c);
    good_cases(&c);
    mxcsr_cases(&c);
    ldt_cases(&c);
    return hg_cases_verdict(&c);
}
