/* SPDX-License-Identifier: MIT */
/*
 * cpu.c - this CPU's GDT, TSS, IDT, syscall MSRs and control registers.
 * Owns:    cpu0's stack block, the hypervisor's two reserved GDT pages,
 *          the TSS, the IDT, the GDT area mapping (guest frames in pages
 *          0-13, ours in 14-15), the LDT area mapping and LDTR (what to
 *          map there is pv/ldt.c's).
 * Touches: MSR_STAR/LSTAR/CSTAR/SYSCALL_MASK/SHADOW_GS_BASE, CR0, CR4.
 *
 * Only the boot CPU exists yet; everything per-CPU is reached through
 * get_cpu_info() or indexed by processor id so SMP can follow.
 */
#define LOG_PREFIX "cpu"
#include "config.h"
#include "cpu.h"
#include "debugreg.h"
#include "lib.h"
#include "log.h"
#include "page.h"
#include "frame.h"
#include "page_alloc.h"
#include "panic.h"
#include "percpu.h"
#include "processor.h"

#define DESC_CODE64_DPL0 0x00af9b000000ffffULL  /* L, P, DPL0, exec/read, A */
#define DESC_DATA_DPL0   0x00cf93000000ffffULL  /* P, DPL0, read/write, A   */
#define DESC_CODE32_DPL3 0x00cffb000000ffffULL  /* D, P, DPL3, exec/read, A */
#define DESC_DATA_DPL3   0x00cff3000000ffffULL  /* P, DPL3, read/write, A   */
#define DESC_CODE64_DPL3 0x00affb000000ffffULL  /* L, P, DPL3, exec/read, A */
#define DESC_TSS_AVAIL   0x9                    /* 64-bit TSS, available    */
#define DESC_LDT         0x2                    /* LDT (system descriptor)  */
#define GATE_INTR        0xe                    /* 64-bit interrupt gate    */
#define GDT_PAGES        16
#define SYSCALL_MASK (X86_EFLAGS_TF | X86_EFLAGS_IF | X86_EFLAGS_DF | \
                      X86_EFLAGS_AC | X86_EFLAGS_NT | X86_EFLAGS_RF)

struct __attribute__((packed)) tss64 {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3;
    uint16_t iomap_base;
};

struct idt_gate {
    uint16_t offset0, selector;
    uint8_t ist, type_attr;
    uint16_t offset1;
    uint32_t offset2, rsvd;
};

struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};

static struct tss64 cpu0_tss __attribute__((aligned(64)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint64_t reserved_gdt[2 * 512] __attribute__((aligned(PAGE_SIZE)));
static uint8_t null_gdt_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

extern char idt_stubs[], syscall_entry[], cstar_entry[];
/*
 * This CPU's stack block, mapped at its place in the stack area (layout.h
 * says why there and not in the direct map); returns the top, below
 * struct cpu_info.
 */
uint64_t cpu_alloc_stack(unsigned int cpu)
{
    uint64_t block = STACK_AREA_VIRT_START + cpu * STACK_AREA_PER_CPU;
    mfn_t m = frame_alloc(1UL << STACK_ORDER, 1UL << STACK_ORDER);

    if (!mfn_valid_val(m))
        panic("no memory for the CPU stack");
    map_pages_to_xen(block, m, 1UL << STACK_ORDER,
                     _PAGE_PRESENT | _PAGE_RW | 1UL << _PAGE_NX_BIT);
    memset((void *)block, 0, STACK_SIZE);
    return (block + STACK_SIZE - sizeof(struct cpu_info)) & ~0xfUL;
}

static uint64_t gdt_area(void)
{
    return GDT_AREA_VIRT_START + get_cpu_info()->processor_id * GDT_AREA_PER_CPU;
}

static void set_reserved(uint16_t sel, uint64_t desc)
{
    reserved_gdt[(sel >> 3) - FIRST_RESERVED_GDT_ENTRY] = desc;
}

/* A present 16-byte system descriptor (TSS, LDT) at selector sel. */
static void set_system_desc(uint16_t sel, unsigned int type, uint64_t base,
                            uint64_t limit)
{
    unsigned int i = (sel >> 3) - FIRST_RESERVED_GDT_ENTRY;

    reserved_gdt[i] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                      ((uint64_t)(type | 0x80) << 40) |
                      (((limit >> 16) & 0xf) << 48) |
                      (((base >> 24) & 0xff) << 56);
    reserved_gdt[i + 1] = base >> 32;
}

static void set_tss_desc(void)
{
    set_system_desc(TSS_SELECTOR, DESC_TSS_AVAIL, (uint64_t)&cpu0_tss,
                    sizeof(cpu0_tss) - 1);
}

/*
 * Map a vCPU's GDT frames at this CPU's GDT area, and the blank page over
 * every slot the previous vCPU used beyond them (the slots above both are
 * blank already). Called on set_gdt and on every switch to a vCPU.
 */
static unsigned int gdt_frames_mapped[NR_CPUS] = { FIRST_RESERVED_GDT_PAGE };

void cpu_gdt_map_guest_frames(const unsigned long *mfns, unsigned int nr)
{
    unsigned int *mapped = &gdt_frames_mapped[get_cpu_info()->processor_id];
    unsigned int upto = MAX(nr, *mapped);

    for (unsigned int i = 0; i < upto; i++) {
        mfn_t m = i < nr ? _mfn(mfns[i]) : virt_to_mfn(null_gdt_page);
        map_pages_to_xen(gdt_area() + i * PAGE_SIZE, m, 1,
                         _PAGE_PRESENT | _PAGE_RW);
    }
    *mapped = nr;
}

/*
 * The LDT area: 16 pages after this CPU's GDT, where pv/ldt.c maps the
 * running vCPU's LDT frames one page at a time, as the CPU first reads
 * them. Writable (the CPU sets a descriptor's accessed bit), never
 * user-accessible. An unmapped page is not present, so that the CPU's
 * first read of it faults into pv_ldt_page_fault().
 */
uint64_t cpu_ldt_area(void)
{
    return gdt_area() + LDT_AREA_OFFSET;
}

void cpu_ldt_map_page(unsigned int i, mfn_t mfn)
{
    map_pages_to_xen(cpu_ldt_area() + i * PAGE_SIZE, mfn, 1,
                     _PAGE_PRESENT | _PAGE_RW);
}

void cpu_ldt_unmap_page(unsigned int i)
{
    unmap_pages_from_xen(cpu_ldt_area() + i * PAGE_SIZE, 1);
}

/*
 * LDTR: the LDT area with ents descriptors, or no LDT at all (a null
 * LDTR: every selector with TI set is then #GP(selector) by the CPU).
 */
void cpu_load_ldt(unsigned int ents)
{
    if (!ents) {
        asm volatile("lldt %w0" :: "r"(0));
        return;
    }
    set_system_desc(LDT_SELECTOR, DESC_LDT, cpu_ldt_area(), ents * 8 - 1);
    asm volatile("lldt %w0" :: "r"(LDT_SELECTOR));
}

static void gdt_init(void)
{
    struct desc_ptr gdtr = { GDT_PAGES * PAGE_SIZE - 1, gdt_area() };

    set_reserved(__HYPERVISOR_CS, DESC_CODE64_DPL0);
    set_reserved(__HYPERVISOR_DS, DESC_DATA_DPL0);
    set_reserved(GUEST_CS32, DESC_CODE32_DPL3);
    set_reserved(GUEST_DS, DESC_DATA_DPL3);
    set_reserved(GUEST_CS64, DESC_CODE64_DPL3);
    set_tss_desc();
    cpu_gdt_map_guest_frames(NULL, 0);
    map_pages_to_xen(gdt_area() + FIRST_RESERVED_GDT_PAGE * PAGE_SIZE,
                     virt_to_mfn(reserved_gdt), 2, _PAGE_PRESENT | _PAGE_RW);
    asm volatile("lgdt %0\n\t"
                 "pushq %1\n\t"
                 "leaq 1f(%%rip), %%rax\n\t"
                 "pushq %%rax\n\t"
                 "lretq\n"
                 "1:\n\t"
                 "mov %2, %%ss\n\t"
                 "xor %%eax, %%eax\n\t"
                 "mov %%eax, %%ds\n\t"
                 "mov %%eax, %%es\n\t"
                 :: "m"(gdtr), "i"(__HYPERVISOR_CS), "r"(__HYPERVISOR_DS)
                 : "rax", "memory");
    asm volatile("ltr %w0" :: "r"(TSS_SELECTOR));
    /*
     * No LDT until a vCPU has one. Not left as the boot loader or reset
     * left it: a reset LDTR has base 0, and a guest could otherwise plant
     * descriptors for the CPU to read at linear address 0 of its own.
     */
    unmap_pages_from_xen(cpu_ldt_area(), LDT_AREA_PAGES);
    cpu_load_ldt(0);
}

static void set_gate(unsigned int vec, unsigned int dpl, unsigned int ist)
{
    uint64_t handler = (uint64_t)idt_stubs + vec * 16;
    struct idt_gate *g = &idt[vec];

    g->offset0 = handler & 0xffff;
    g->selector = __HYPERVISOR_CS;
    g->ist = (uint8_t)ist;
    g->type_attr = (uint8_t)(0x80 | (dpl << 5) | GATE_INTR);
    g->offset1 = (handler >> 16) & 0xffff;
    g->offset2 = (uint32_t)(handler >> 32);
    g->rsvd = 0;
}

static void idt_init(void)
{
    struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };

    for (unsigned int v = 0; v < 256; v++)
        set_gate(v, 0, 0);
    /* int3 and into are DPL-checked instructions a guest may execute. */
    set_gate(TRAP_int3, 3, 0);
    set_gate(TRAP_overflow, 3, 0);
    set_gate(TRAP_nmi, 0, IST_NMI);
    set_gate(TRAP_double_fault, 0, IST_DF);
    set_gate(TRAP_machine_check, 0, IST_MC);
    /* A #DB can hit the syscall entry with a guest rsp (pv/debugreg.c). */
    set_gate(TRAP_debug, 0, IST_DB);
    asm volatile("lidt %0" :: "m"(idtr));
}

static void tss_init(struct cpu_info *ci)
{
    uint64_t block = (uint64_t)ci & ~(STACK_SIZE - 1);

    ci->rsp0 = (uint64_t)&ci->guest_regs + UREGS_kernel_sizeof;
    cpu0_tss.rsp[0] = ci->rsp0;
    cpu0_tss.ist[IST_DF - 1] = block + (IST_DF_PAGE + 1) * PAGE_SIZE;
    cpu0_tss.ist[IST_NMI - 1] = block + (IST_NMI_PAGE + 1) * PAGE_SIZE;
    cpu0_tss.ist[IST_MC - 1] = block + (IST_MC_PAGE + 1) * PAGE_SIZE;
    cpu0_tss.ist[IST_DB - 1] = block + (IST_DB_PAGE + 1) * PAGE_SIZE;
    cpu0_tss.iomap_base = sizeof(cpu0_tss);   /* no I/O bitmap: no ports */
}

static void msr_init(struct cpu_info *ci)
{
    wrmsr(MSR_STAR, STAR_VALUE);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_CSTAR, (uint64_t)cstar_entry);
    wrmsr(MSR_SYSCALL_MASK, SYSCALL_MASK &
          ~(uint64_t)(opt_debug_syscall_tf ? X86_EFLAGS_TF : 0));
    wrmsr(MSR_IA32_SYSENTER_CS, 0);   /* sysenter from a guest: #GP */
    wrmsr(MSR_SHADOW_GS_BASE, (uint64_t)ci);
    wrmsr(MSR_GS_BASE, 0);
    wrmsr(MSR_FS_BASE, 0);
}

/*
 * SMEP where the CPU has it: every guest mapping is a user mapping, and
 * the hypervisor never runs guest code, so a jump into guest memory from
 * ring 0 (a bug an attacker would love) faults instead of executing.
 */
static uint64_t smep_bit(void)
{
    if (cpuid_count(0, 0).eax < 7)
        return 0;
    return (cpuid_count(7, 0).ebx & CPUID7_EBX_SMEP) ? X86_CR4_SMEP : 0;
}

/*
 * CR4.MCE where the CPU has machine checks: a #MC then reaches the
 * handler (traps.c stops the machine with the vector named) instead of
 * shutting the CPU down silently, and guests see MCE in CR4, as on Xen.
 */
static uint64_t mce_bit(void)
{
    return (cpuid_count(1, 0).edx & CPUID1_EDX_MCE) ? X86_CR4_MCE : 0;
}

void cpu_init_boot(void)
{
    struct cpu_info *ci = get_cpu_info();

    memset(ci, 0, sizeof(*ci));
    ci->processor_id = 0;
    i8259_init_masked();
    gdt_init();
    tss_init(ci);
    idt_init();
    msr_init(ci);
    /*
     * PGE and PCIDE clear, whatever the boot loader left: then every CR3
     * load is a full flush, which the TLB-flush clock counts on
     * (flushtlb.c). DE clear: no guest I/O breakpoint is real
     * (pv/debugreg.c).
     */
    write_cr4((read_cr4() & ~(uint64_t)(X86_CR4_PGE | X86_CR4_PCIDE | X86_CR4_DE)) |
              X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | smep_bit() | mce_bit());
    write_cr0((read_cr0() & ~X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE | X86_CR0_WP);
    clts();
    asm volatile("fninit");       /* a guest starts with a reset FPU */
    log_info("CPU0: GDT at %#lx, TSS rsp0 %#lx, syscall entry %p%s",
             gdt_area(), ci->rsp0, (void *)syscall_entry,
             (read_cr4() & X86_CR4_SMEP) ? ", SMEP on" : "");
}
