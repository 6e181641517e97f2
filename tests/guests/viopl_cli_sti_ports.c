/* SPDX-License-Identifier: MIT */
/*
 * viopl_cli_sti_ports - a PV kernel's cli, sti and port I/O against its
 * virtual IOPL (physdev_op PHYSDEVOP_set_iopl), and what dom0 reads from
 * and writes to the ports it may and may not use.
 * Rule: the real IOPL is 0, so each such instruction traps; the
 * hypervisor performs it if the kernel (ring 1 for this check) has
 * vIOPL >= 1, else bounces #GP(0). A performed cli/sti changes nothing
 * but rip. A port the hypervisor keeps reads all ones and drops writes.
 *
 * Run first thing, before anything set the vIOPL. Observed on Xen 4.17
 * (4.17.7 as dom0 in QEMU; arch/x86/pv/emul-priv-op.c, physdev.c):
 *  - dom0 starts with vIOPL 0: cli, sti, in, out, ins each raise #GP(0)
 *    (13000). (With no trap handler that #GP crashes dom0; checked by
 *    hand, not here.)
 *  - set_iopl: NULL, unmapped, Xen's range -EFAULT; 4, 0xffffffff,
 *    0x80000001 -EINVAL; after those the vIOPL is unchanged; a
 *    read-only argument 0 (nothing is written back).
 *  - vIOPL 0: every one #GP(0); 1, 2, 3: every one runs.
 *  - cli and sti do not touch vcpu_info.evtchn_upcall_mask: 0 stays 0
 *    after cli, 1 stays 1 after sti. The real rflags (pushf) keep IF set
 *    and IOPL 0.
 *  - refused (Xen's own): the PICs 0x20-0x21, 0xa0-0xa1, the PIT 0x40,
 *    0x41, the serial port 0x3f8-0x3ff: all ones at every width (al/ax
 *    keep rax's other bits, eax clears the upper half); writes run and
 *    are dropped; an access half refused (word at 0x3f7: the floppy's
 *    0x80, then 0xff) is taken byte by byte.
 *  - DMA page registers 0x81-0x83, 0x87: what was written, by byte and
 *    word, immediate and dx ports; fw_cfg: word 0 to 0x510, then rep insb
 *    of 4 from 0x511 gives "QEMU"; PCI: dword 0x80000000 to 0xcf8 reads
 *    back, dword 0xcfc is 0x12378086 (the i440FX), word 0xcfe 0x1237, and
 *    with 0 in 0xcf8 all ones; the same by outsl/insl.
 *  - CMOS: 0x70 reads back what was written (0x00 at first; 0x8a, with
 *    the NMI bit), 0x71 then gives register 0x0a (0x26), word 0x70 both.
 *  - ins/outs: rep with DF set fills downwards; count 0 does nothing; a
 *    refused port gives 0xffff per word, drops what outs sends and still
 *    counts rcx down; an unmapped or read-only buffer #PF (insb: error
 *    code 2, outsb: 0; cr2 the address; rcx, rdi/rsi unchanged); a
 *    buffer running into a hole faults at the hole, with one element
 *    done; a gs: override on outsb reads through the GS base; 1000
 *    elements in one rep insb all arrive.
 * pvisor differs on ports 0x42, 0x43 and 0x61 (Xen emulates a PIT for
 * dom0 there, pvisor refuses them) and 0x608-0x60b (Xen keeps its ACPI PM
 * timer): not tried here (docs/abi/hypercalls.md).
 */
#include "hostile_viopl.h"

#define E(x) (-XEN_##x)
#define DMA_PAGE_A   0x81      /* DMA page registers: plain read/write bytes */
#define DMA_PAGE_B   0x82
#define DMA_PAGE_C   0x87
#define FW_CFG_SEL   0x510
#define FW_CFG_DATA  0x511
#define PCI_ADDR     0xcf8
#define PCI_DATA     0xcfc
#define PCI_HOSTBRIDGE_ID 0x12378086u   /* 00:00.0 on QEMU's pc machine */
#define CMOS_IDX     0x70
#define CMOS_DAT     0x71
#define RTC_REG_A    0x0a
#define RTC_REG_A_QEMU 0x26

static void all_instructions(struct hg_cases *c, const char *when, long want)
{
    uint8_t buf[4];
    struct vio_string s = { .rdi = (uint64_t)buf, .rcx = 1 };
    uint64_t a = 0;
    char l[96];

    snprintf(l, sizeof(l), "%s: cli", when);
    hg_case(c, l, VIO_TRY("cli"), want);
    snprintf(l, sizeof(l), "%s: sti", when);
    hg_case(c, l, VIO_TRY("sti"), want);
    snprintf(l, sizeof(l), "%s: inb $0x81", when);
    hg_case(c, l, VIO_IO("inb $0x81, %%al", 0, a), want);
    snprintf(l, sizeof(l), "%s: outb $0x81", when);
    hg_case(c, l, VIO_IO("outb %%al, $0x81", 0, a), want);
    snprintf(l, sizeof(l), "%s: inl (dx 0x81)", when);
    hg_case(c, l, vio_in(DMA_PAGE_A, 4, &a), want);
    snprintf(l, sizeof(l), "%s: outw (dx 0x81)", when);
    hg_case(c, l, vio_out(DMA_PAGE_A, 2, 0), want);
    snprintf(l, sizeof(l), "%s: insb", when);
    hg_case(c, l, vio_ins(DMA_PAGE_A, 1, &s), want);
    s.rsi = (uint64_t)buf;
    snprintf(l, sizeof(l), "%s: rep outsb", when);
    s.rep = true;
    hg_case(c, l, vio_outs(DMA_PAGE_A, 1, &s), want);
}

static void set_iopl_cases(struct hg_cases *c)
{
    struct physdev_set_iopl *ro = hg_page(4);

    hg_case(c, "set_iopl NULL", vio_physdev(PHYSDEVOP_set_iopl, NULL), E(EFAULT));
    hg_case(c, "set_iopl unmapped", vio_physdev(PHYSDEVOP_set_iopl, HG_BAD_PTR), E(EFAULT));
    hg_case(c, "set_iopl Xen's range", vio_physdev(PHYSDEVOP_set_iopl, HG_XEN_PTR), E(EFAULT));
    hg_case(c, "set_iopl 4", vio_set_iopl(4), E(EINVAL));
    hg_case(c, "set_iopl 0xffffffff", vio_set_iopl(0xffffffffu), E(EINVAL));
    hg_case(c, "set_iopl 0x80000001", vio_set_iopl(0x80000001u), E(EINVAL));
    hg_case(c, "  vIOPL still 0: cli", VIO_TRY("cli"), VIO_GP0);
    ro->iopl = 2;
    hg_case(c, "setup: argument read-only", hg_set_readonly(ro), 0);
    hg_case(c, "set_iopl 2, read-only argument", vio_physdev(PHYSDEVOP_set_iopl, ro), 0);
    hg_case(c, "setup: writable again", hg_set_writable(ro), 0);
    hg_case(c, "  vIOPL 2: cli", VIO_TRY("cli"), VIO_RAN);
}

static void mask_cases(struct hg_cases *c)
{
    volatile uint8_t *mask = vio_mask();
    unsigned long flags;
    long o;

    *mask = 0;
    o = VIO_TRY("cli");
    hg_case(c, "mask 0, cli", o, VIO_RAN);
    hg_case(c, "  mask after cli", *mask, 0);
    o = VIO_TRY("sti");
    hg_case(c, "mask 0, sti", o, VIO_RAN);
    hg_case(c, "  mask after sti", *mask, 0);
    *mask = 1;
    o = VIO_TRY("sti");
    hg_case(c, "mask 1, sti", o, VIO_RAN);
    hg_case(c, "  mask after sti", *mask, 1);
    o = VIO_TRY("cli");
    hg_case(c, "mask 1, cli", o, VIO_RAN);
    hg_case(c, "  mask after cli", *mask, 1);
    asm volatile("cli; pushf; pop %0" : "=r"(flags) :: "memory");
    hg_case(c, "real rflags after cli: IF and IOPL",
            flags & (VIO_RFLAGS_IF | VIO_RFLAGS_IOPL), VIO_RFLAGS_IF);
}

/* A read of port at width bytes, rax starting as VIO_FILL. */
static void read_case(struct hg_cases *c, uint16_t port, unsigned int bytes, uint64_t want)
{
    uint64_t a = VIO_FILL;
    char l[64];
    long o = vio_in(port, bytes, &a);

    snprintf(l, sizeof(l), "in%c %#x: ran", "?bw?l"[bytes], port);
    hg_case(c, l, o, VIO_RAN);
    snprintf(l, sizeof(l), "in%c %#x: rax", "?bw?l"[bytes], port);
    hg_case(c, l, (long)a, (long)want);
}

static void refused_cases(struct hg_cases *c)
{
    static const uint16_t refused[] = { 0x20, 0x21, 0xa0, 0xa1, 0x3f8, 0x3fc };
    char l[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(refused); i++) {
        read_case(c, refused[i], 1, 0x11111111111111ffUL);
        read_case(c, refused[i], 2, 0x111111111111ffffUL);
        read_case(c, refused[i], 4, 0xffffffffUL);
    }
    for (uint16_t p = 0x3f9; p <= 0x3ff; p++)
        read_case(c, p, 1, 0x11111111111111ffUL);
    read_case(c, 0x40, 1, 0x11111111111111ffUL);
    read_case(c, 0x40, 2, 0x111111111111ffffUL);
    read_case(c, 0x1e, 4, 0xffffffffUL);
    read_case(c, 0x3f7, 2, 0x111111111111ff80UL);
    /* Values that would do no harm were they to arrive: read the ISR,
     * mask every line, a newline, DTR|RTS as the UART has them. */
    static const struct { uint16_t port; uint8_t val; } writes[] = {
        { 0x20, 0x0b }, { 0x21, 0xff }, { 0xa0, 0x0b }, { 0xa1, 0xff },
        { 0x3f8, '\n' }, { 0x3fc, 0x03 },
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(writes); i++) {
        snprintf(l, sizeof(l), "outb %#x (dropped)", writes[i].port);
        hg_case(c, l, vio_out(writes[i].port, 1, writes[i].val), VIO_RAN);
    }
}

static void reachable_cases(struct hg_cases *c)
{
    uint64_t a;
    uint8_t sig[4] = { 0 };
    uint32_t v = 0x80000000u, w = 0;
    struct vio_string s = { .rdi = (uint64_t)sig, .rcx = 4, .rep = true };

    a = 0x5a;
    hg_case(c, "outb $0x81, 0x5a", VIO_IO("outb %%al, $0x81", 0, a), VIO_RAN);
    a = VIO_FILL;
    hg_case(c, "inb $0x81", VIO_IO("inb $0x81, %%al", 0, a), VIO_RAN);
    hg_case(c, "  al", (long)a, 0x111111111111115aL);
    a = 0x1234;
    hg_case(c, "outw $0x82, 0x1234", VIO_IO("outw %%ax, $0x82", 0, a), VIO_RAN);
    a = VIO_FILL;
    hg_case(c, "inw $0x82", VIO_IO("inw $0x82, %%ax", 0, a), VIO_RAN);
    hg_case(c, "  ax", (long)a, 0x1111111111111234L);
    hg_case(c, "outb (dx 0x87), 0xa5", vio_out(DMA_PAGE_C, 1, 0xa5), VIO_RAN);
    read_case(c, DMA_PAGE_C, 1, 0x11111111111111a5UL);

    hg_case(c, "fw_cfg: select the signature", vio_out(FW_CFG_SEL, 2, 0), VIO_RAN);
    hg_case(c, "fw_cfg: rep insb 4", vio_ins(FW_CFG_DATA, 1, &s), VIO_RAN);
    hg_case(c, "  \"QEMU\"", !memcmp(sig, "QEMU", 4), 1);
    hg_case(c, "  rcx", (long)s.rcx, 0);
    hg_case(c, "  rdi advanced", (long)(s.rdi - (uint64_t)sig), 4);

    hg_case(c, "outl 0xcf8, 00:00.0", vio_out(PCI_ADDR, 4, 0x80000000u), VIO_RAN);
    read_case(c, PCI_ADDR, 4, 0x80000000UL);
    read_case(c, PCI_DATA, 4, PCI_HOSTBRIDGE_ID);
    read_case(c, PCI_DATA + 2, 2, 0x1111111111111237UL);
    hg_case(c, "outl 0xcf8, 0", vio_out(PCI_ADDR, 4, 0), VIO_RAN);
    read_case(c, PCI_DATA, 4, 0xffffffffUL);
    s = (struct vio_string){ .rsi = (uint64_t)&v, .rcx = 1, .rep = true };
    hg_case(c, "rep outsl 0xcf8", vio_outs(PCI_ADDR, 4, &s), VIO_RAN);
    s = (struct vio_string){ .rdi = (uint64_t)&w, .rcx = 1, .rep = true };
    hg_case(c, "rep insl 0xcfc", vio_ins(PCI_DATA, 4, &s), VIO_RAN);
    hg_case(c, "  id", w, PCI_HOSTBRIDGE_ID);
    hg_case(c, "outl 0xcf8, 0 again", vio_out(PCI_ADDR, 4, 0), VIO_RAN);
}

static void cmos_cases(struct hg_cases *c)
{
    read_case(c, CMOS_IDX, 1, 0x1111111111111100UL);   /* nothing written yet */
    hg_case(c, "outb 0x70, 0x8a", vio_out(CMOS_IDX, 1, 0x80 | RTC_REG_A), VIO_RAN);
    read_case(c, CMOS_IDX, 1, 0x111111111111118aUL);
    read_case(c, CMOS_DAT, 1, 0x1111111111111100UL | RTC_REG_A_QEMU);
    read_case(c, CMOS_IDX, 2, 0x111111111111008aUL | RTC_REG_A_QEMU << 8);
    hg_case(c, "outb 0x70, 0", vio_out(CMOS_IDX, 1, 0), VIO_RAN);
    read_case(c, CMOS_IDX, 1, 0x1111111111111100UL);
}

static void string_cases(struct hg_cases *c)
{
    uint8_t bb[4] = { 0 }, *ro = hg_page(5), *many = hg_page(6), *tail;
    uint16_t ww[2] = { 0 };
    uint8_t src[3] = { 1, 2, 3 }, g0;
    struct vio_string s;
    unsigned int bad = 0;
    uint64_t a;

    vio_out(DMA_PAGE_A, 1, 0x5a);
    s = (struct vio_string){ .rdi = (uint64_t)&bb[3], .rcx = 2, .rep = true, .std = true };
    hg_case(c, "std; rep insb 2", vio_ins(DMA_PAGE_A, 1, &s), VIO_RAN);
    hg_case(c, "  bytes 3, 2 filled, 1, 0 not",
            bb[0] == 0 && bb[1] == 0 && bb[2] == 0x5a && bb[3] == 0x5a, 1);
    hg_case(c, "  rdi", (long)(s.rdi - (uint64_t)bb), 1);
    s = (struct vio_string){ .rdi = (uint64_t)bb, .rcx = 0, .rep = true };
    hg_case(c, "rep insb 0 (0x20)", vio_ins(0x20, 1, &s), VIO_RAN);
    hg_case(c, "  rdi", (long)(s.rdi - (uint64_t)bb), 0);
    s = (struct vio_string){ .rdi = (uint64_t)ww, .rcx = 2, .rep = true };
    hg_case(c, "rep insw 2 (0x20)", vio_ins(0x20, 2, &s), VIO_RAN);
    hg_case(c, "  words", ww[0] == 0xffff && ww[1] == 0xffff, 1);
    s = (struct vio_string){ .rsi = (uint64_t)src, .rcx = 3, .rep = true };
    hg_case(c, "rep outsb 3 (0x21)", vio_outs(0x21, 1, &s), VIO_RAN);
    hg_case(c, "  rcx", (long)s.rcx, 0);
    hg_case(c, "  rsi", (long)(s.rsi - (uint64_t)src), 3);

    s = (struct vio_string){ .rdi = ST_UNMAPPED_VA, .rcx = 2, .rep = true };
    hg_case(c, "rep insb 2, unmapped", vio_ins(DMA_PAGE_A, 1, &s), VIO_PF(2));
    hg_case(c, "  cr2", trap_last.cr2 == ST_UNMAPPED_VA, 1);
    hg_case(c, "  rcx, rdi unchanged", s.rcx == 2 && s.rdi == ST_UNMAPPED_VA, 1);
    s = (struct vio_string){ .rsi = ST_UNMAPPED_VA, .rcx = 2, .rep = true };
    hg_case(c, "rep outsb 2, unmapped", vio_outs(DMA_PAGE_A, 1, &s), VIO_PF(0));
    hg_case(c, "  cr2", trap_last.cr2 == ST_UNMAPPED_VA, 1);
    hg_case(c, "  rcx, rsi unchanged", s.rcx == 2 && s.rsi == ST_UNMAPPED_VA, 1);
    hg_case(c, "setup: read-only page", hg_set_readonly(ro), 0);
    s = (struct vio_string){ .rdi = (uint64_t)ro, .rcx = 1, .rep = true };
    hg_case(c, "rep insb 1, read-only", vio_ins(DMA_PAGE_A, 1, &s), VIO_PF(2));
    hg_case(c, "  cr2", trap_last.cr2 == (uint64_t)ro, 1);
    hg_case(c, "setup: writable again", hg_set_writable(ro), 0);

    tail = hg_hole_open(1);
    hg_case(c, "setup: a hole", tail != NULL, 1);
    if (tail) {
        s = (struct vio_string){ .rdi = (uint64_t)tail, .rcx = 3, .rep = true };
        hg_case(c, "rep insb 3 into a hole", vio_ins(DMA_PAGE_A, 1, &s), VIO_PF(2));
        hg_case(c, "  cr2 the hole", trap_last.cr2 == (uint64_t)tail + 1, 1);
        hg_case(c, "  one done: rcx 2, rdi at the hole",
                s.rcx == 2 && s.rdi == (uint64_t)tail + 1 && *tail == 0x5a, 1);
        hg_case(c, "hole closed", hg_hole_close(), 0);
    }

    asm volatile("movb %%gs:0, %0" : "=q"(g0));
    s = (struct vio_string){ .rsi = 0, .rcx = 1 };
    {
        unsigned long b = trap_last.count;
        asm volatile("1: outsb %%gs:(%%rsi), %%dx\n2:\n" FIXUP_ENTRY(1b, 2b)
                     : "+S"(s.rsi) : "d"((uint16_t)DMA_PAGE_A) : "memory");
        hg_case(c, "outsb %gs:(0)", vio_outcome(b), VIO_RAN);
    }
    a = VIO_FILL;
    vio_in(DMA_PAGE_A, 1, &a);
    hg_case(c, "  the port has gs:0", (long)(a & 0xff), g0);
    hg_case(c, "  rsi", (long)s.rsi, 1);

    vio_out(DMA_PAGE_A, 1, 0x3c);
    memset(many, 0, PAGE_SIZE);
    s = (struct vio_string){ .rdi = (uint64_t)many, .rcx = 1000, .rep = true };
    hg_case(c, "rep insb 1000", vio_ins(DMA_PAGE_A, 1, &s), VIO_RAN);
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        bad += many[i] != (i < 1000 ? 0x3c : 0);
    hg_case(c, "  1000 bytes, no more", bad, 0);
    hg_case(c, "  rcx, rdi", s.rcx == 0 && s.rdi == (uint64_t)many + 1000, 1);
}

const char *hostile_viopl_cli_sti_ports(void)
{
    struct hg_cases c = { 0 };

    all_instructions(&c, "at start", VIO_GP0);
    set_iopl_cases(&c);
    for (unsigned int iopl = 0; iopl <= 3; iopl++) {
        char when[32];

        snprintf(when, sizeof(when), "vIOPL %u", iopl);
        hg_case(&c, when, vio_set_iopl(iopl), 0);
        all_instructions(&c, when, iopl ? VIO_RAN : VIO_GP0);
    }
    hg_case(&c, "set_iopl 1", vio_set_iopl(1), 0);
    mask_cases(&c);
    refused_cases(&c);
    reachable_cases(&c);
    cmos_cases(&c);
    string_cases(&c);
    vio_out(DMA_PAGE_A, 1, 0);
    vio_out(DMA_PAGE_B, 2, 0);
    vio_out(DMA_PAGE_C, 1, 0);
    hg_case(&c, "set_iopl 0 (as at start)", vio_set_iopl(0), 0);
    *vio_mask() = 1;
    return hg_cases_verdict(&c);
}
