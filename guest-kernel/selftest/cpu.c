/* SPDX-License-Identifier: MIT */
/*
 * selftest/cpu.c - CPU-side hypercalls and emulated instructions: cpuid
 *                  Xen leaves, xen_version, FS/GS bases (MSRs and
 *                  set_segment_base), callback_op, stack_switch, set_gdt,
 *                  vm_assist.
 * Owns:    the CPU self-tests and their safe (fixup-protected) rdmsr,
 *          wrmsr and cpuid, so a missing emulation is a FAILED line, not
 *          a crashed kernel.
 * Touches: the hypercalls directly (pv/hypercall.h): they are what is tested.
 */
#include <selftest.h>
#include <asm/fixup.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/pvops.h>
#include <asm/traps.h>
#include <pv/hypercall.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/features.h>

/* XENVER_version returns major << 16 | minor. */
#define XEN_VERSION_MAJOR_SHIFT 16
/* Values Xen 4.17 does not define, to probe the "unknown" paths. */
#define XENVER_UNDEFINED_FOR_TEST       0xff
#define CALLBACKTYPE_UNDEFINED_FOR_TEST 0x7fff
#define VMASST_TYPE_UNDEFINED_FOR_TEST  31
#define VMASST_CMD_UNDEFINED_FOR_TEST   7
/* Bits 63..47 disagree: no segment base or entry point may be here. */
#define NON_CANONICAL_ADDR 0x8000000000000000UL
/* A canonical lower-half base, as a user thread's TLS would be. */
#define USER_HALF_BASE 0x00007fff12345000UL
/* A frame number no domain owns (far beyond any machine's memory). */
#define BOGUS_FRAME 0xfffffffffUL
/* One descriptor: the smallest GDT set_gdt accepts frames for. */
#define ONE_GDT_ENTRY 1

/* rdmsr that reports a trap instead of dying: NULL or the reason. */
static const char *st_rdmsr(uint32_t msr, uint64_t *val)
{
    unsigned long before = trap_last.count;
    uint32_t lo = 0, hi = 0;

    asm volatile("1: rdmsr\n2:\n" FIXUP_ENTRY(1b, 2b)
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
    *val = ((uint64_t)hi << 32) | lo;
    ST_EXPECT(trap_last.count == before, "rdmsr %#x raised %s", msr,
              trap_name(trap_last.vector));
    return NULL;
}

static const char *st_wrmsr(uint32_t msr, uint64_t val)
{
    unsigned long before = trap_last.count;

    asm volatile("1: wrmsr\n2:\n" FIXUP_ENTRY(1b, 2b)
                 :: "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)) : "memory");
    ST_EXPECT(trap_last.count == before, "wrmsr %#x raised %s", msr,
              trap_name(trap_last.vector));
    return NULL;
}

static const char *st_cpuid(uint32_t leaf, struct cpuid_regs *r)
{
    unsigned long before = trap_last.count;

    *r = (struct cpuid_regs){ .eax = leaf };
    asm volatile("1: " XEN_CPUID "\n2:\n" FIXUP_ENTRY(1b, 2b)
                 : "+a"(r->eax), "+b"(r->ebx), "+c"(r->ecx), "+d"(r->edx)
                 :: "memory");
    ST_EXPECT(trap_last.count == before, "forced-emulation cpuid raised %s",
              trap_name(trap_last.vector));
    return NULL;
}

const char *st_cpuid_xen_leaves(void)
{
    struct cpuid_regs r;
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    ST_TRY(st_cpuid(XEN_CPUID_FIRST_LEAF, &r));
    ST_EXPECT(r.ebx == XEN_CPUID_SIGNATURE_EBX && r.ecx == XEN_CPUID_SIGNATURE_ECX &&
              r.edx == XEN_CPUID_SIGNATURE_EDX, "leaf %#x signature %.4s%.4s%.4s",
              XEN_CPUID_FIRST_LEAF, (char *)&r.ebx, (char *)&r.ecx, (char *)&r.edx);
    ST_EXPECT(r.eax >= XEN_CPUID_LEAF(2), "max leaf %#x < %#x", r.eax, XEN_CPUID_LEAF(2));
    ST_TRY(st_cpuid(XEN_CPUID_LEAF(1), &r));
    ST_EXPECT(r.eax == (uint32_t)ver, "leaf %#x eax %#x, xen_version %#lx",
              XEN_CPUID_LEAF(1), r.eax, ver);
    return NULL;
}

static const char *st_xen_features(void)
{
    struct xen_feature_info fi = { .submap_idx = 0 };
    bool dom0;

    ST_EXPECT_RC(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
    ST_EXPECT(!(fi.submap & (1U << XENFEAT_auto_translated_physmap)),
              "features %#x: a PV guest is not auto-translated", fi.submap);
    ST_EXPECT(fi.submap & (1U << XENFEAT_gnttab_map_avail_bits),
              "features %#x: no gnttab_map_avail_bits (Xen gives it to PV guests)", fi.submap);
    dom0 = fi.submap & (1U << XENFEAT_dom0);
    ST_EXPECT(dom0 == arch_is_initial_domain(), "features %#x: dom0 bit %d, SIF_INITDOMAIN %d",
              fi.submap, dom0, arch_is_initial_domain());
    fi.submap_idx = XENFEAT_NR_SUBMAPS;
    ST_EXPECT_RC(HYPERVISOR_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
    return NULL;
}

const char *st_xen_version(void)
{
    static xen_capabilities_info_t caps;
    xen_extraversion_t extra;
    struct xen_platform_parameters pp = { 0 };
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    ST_EXPECT(ver >> XEN_VERSION_MAJOR_SHIFT >= 3, "version %#lx", ver);
    ST_EXPECT_RC(HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
    ST_EXPECT(strnlen(extra, sizeof(extra)) < sizeof(extra), "extraversion unterminated");
    ST_EXPECT_RC(HYPERVISOR_xen_version(XENVER_capabilities, caps), 0);
    ST_EXPECT(strstr(caps, "xen-3.0-x86_64"), "capabilities \"%.64s\"", caps);
    ST_TRY(st_xen_features());
    ST_EXPECT_RC(HYPERVISOR_xen_version(XENVER_pagesize, NULL), PAGE_SIZE);
    ST_EXPECT_RC(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp), 0);
    ST_EXPECT(pp.virt_start == HYPERVISOR_VIRT_START, "virt_start %#lx, want %#lx",
              (unsigned long)pp.virt_start, (unsigned long)HYPERVISOR_VIRT_START);
    /*
     * Xen 4.17's do_xen_version() falls out of its switch to -ENOSYS for
     * an unknown command whatever XSM said: a domU gets -ENOSYS too.
     */
    ST_EXPECT_RC(HYPERVISOR_xen_version(XENVER_UNDEFINED_FOR_TEST, NULL), -XEN_ENOSYS);
    return NULL;
}

/* Values read back through %fs / %gs prove the base reached the CPU. */
static volatile unsigned long fs_probe = 0x1234abcdUL, gs_probe = 0x5678ef01UL;

static unsigned long read_fs0(void)
{
    unsigned long v;

    asm volatile("movq %%fs:0, %0" : "=r"(v) :: "memory");
    return v;
}

static unsigned long read_gs0(void)
{
    unsigned long v;

    asm volatile("movq %%gs:0, %0" : "=r"(v) :: "memory");
    return v;
}

static const char *st_msr_roundtrip(uint32_t msr, uint64_t val)
{
    uint64_t got;

    ST_TRY(st_wrmsr(msr, val));
    ST_TRY(st_rdmsr(msr, &got));
    ST_EXPECT(got == val, "msr %#x reads %#lx after writing %#lx", msr, got, val);
    return NULL;
}

/* FS and the user GS base back to 0; the kernel GS base back to what it
 * was (the vCPU's per-CPU area, asm/percpu.h). */
static void reset_segment_bases(unsigned long gs_kernel)
{
    pv_ops.set_segment_base(SEGBASE_KIND_FS, 0);
    pv_ops.set_segment_base(SEGBASE_KIND_GS_KERNEL, gs_kernel);
    pv_ops.set_segment_base(SEGBASE_KIND_GS_USER, 0);
}

static const char *msr_segment_bases(void)
{
    ST_TRY(st_msr_roundtrip(MSR_FS_BASE, (unsigned long)&fs_probe));
    ST_EXPECT(read_fs0() == fs_probe, "%%fs:0 reads %#lx", read_fs0());
    ST_TRY(st_msr_roundtrip(MSR_GS_BASE, (unsigned long)&gs_probe));
    ST_EXPECT(read_gs0() == gs_probe, "%%gs:0 reads %#lx", read_gs0());
    ST_TRY(st_msr_roundtrip(MSR_SHADOW_GS_BASE, USER_HALF_BASE));
    return NULL;
}

const char *st_msr_segment_bases(void)
{
    unsigned long gs_kernel = pv_ops.read_msr(MSR_GS_BASE);
    const char *why = msr_segment_bases();

    reset_segment_bases(gs_kernel);
    return why;
}

static const char *st_segbase_roundtrip(enum segment_base which, uint32_t msr,
                                        unsigned long base)
{
    uint64_t got;

    ST_EXPECT_RC(pv_ops.set_segment_base(which, base), 0);
    ST_TRY(st_rdmsr(msr, &got));
    ST_EXPECT(got == base, "msr %#x reads %#lx after set_segment_base(%d, %#lx)",
              msr, got, which, base);
    return NULL;
}

static const char *set_segment_base(void)
{
    ST_TRY(st_segbase_roundtrip(SEGBASE_KIND_FS, MSR_FS_BASE, (unsigned long)&gs_probe));
    ST_EXPECT(read_fs0() == gs_probe, "%%fs:0 reads %#lx", read_fs0());
    ST_TRY(st_segbase_roundtrip(SEGBASE_KIND_GS_KERNEL, MSR_GS_BASE,
                                (unsigned long)&fs_probe));
    ST_EXPECT(read_gs0() == fs_probe, "%%gs:0 reads %#lx", read_gs0());
    ST_TRY(st_segbase_roundtrip(SEGBASE_KIND_GS_USER, MSR_SHADOW_GS_BASE, USER_HALF_BASE));
    ST_EXPECT_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, NON_CANONICAL_ADDR), -XEN_EINVAL);
    ST_EXPECT_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, NON_CANONICAL_ADDR),
                 -XEN_EINVAL);
    ST_EXPECT_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, NON_CANONICAL_ADDR),
                 -XEN_EINVAL);
    return NULL;
}

const char *st_set_segment_base(void)
{
    unsigned long gs_kernel = pv_ops.read_msr(MSR_GS_BASE);
    const char *why = set_segment_base();

    reset_segment_bases(gs_kernel);
    return why;
}

const char *st_callback_op(void)
{
    struct callback_unregister unreg = { .type = CALLBACKTYPE_event };
    struct callback_register reg = {
        .type = CALLBACKTYPE_UNDEFINED_FOR_TEST,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)event_callback_entry,
    };

    ST_EXPECT_RC(HYPERVISOR_callback_op(CALLBACKOP_unregister, &unreg), -XEN_EINVAL);
    ST_EXPECT_RC(HYPERVISOR_callback_op(CALLBACKOP_register, &reg), -XEN_ENOSYS);
    reg.type = CALLBACKTYPE_event;
    reg.address = NON_CANONICAL_ADDR;
    ST_EXPECT_RC(HYPERVISOR_callback_op(CALLBACKOP_register, &reg), -XEN_EINVAL);
    reg.address = (unsigned long)event_callback_entry;
    ST_EXPECT_RC(HYPERVISOR_callback_op(CALLBACKOP_register, &reg), 0);
    return NULL;
}

extern char boot_stack_top[];

const char *st_stack_switch(void)
{
    ST_EXPECT_RC(pv_ops.load_kernel_stack((unsigned long)boot_stack_top), 0);
    return NULL;
}

const char *st_set_gdt_bad_frame(void)
{
    xen_pfn_t frames[1] = { BOGUS_FRAME };

    ST_EXPECT_RC(HYPERVISOR_set_gdt(frames, ONE_GDT_ENTRY), -XEN_EINVAL);
    return NULL;
}

const char *st_vm_assist(void)
{
    ST_EXPECT_RC(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    ST_EXPECT_RC(HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0);
    ST_EXPECT_RC(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_UNDEFINED_FOR_TEST),
                 -XEN_EINVAL);
    ST_EXPECT_RC(HYPERVISOR_vm_assist(VMASST_CMD_UNDEFINED_FOR_TEST,
                                      VMASST_TYPE_writable_pagetables), -XEN_ENOSYS);
    return NULL;
}
