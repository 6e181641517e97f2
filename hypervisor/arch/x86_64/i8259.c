/* SPDX-License-Identifier: MIT */
/*
 * i8259.c - the legacy 8259A interrupt controllers.
 * Owns:    I/O ports 0x20-0x21 and 0xa0-0xa1 (reserved: no guest
 *          reaches them).
 * Touches: nothing else.
 *
 * The BIOS leaves the PICs delivering IRQ0-7 on vectors 8-15, where the
 * CPU's own exceptions live (the timer would arrive as a "#DF"). We move
 * them to vectors 0x20-0x2f and mask every line: the hypervisor takes no
 * device interrupts yet (the APIC timer comes with the scheduler).
 */
#include "cpu.h"
#include "ioport.h"
#include "processor.h"

#define PIC1_CMD   0x20
#define PIC1_DATA  0x21
#define PIC2_CMD   0xa0
#define PIC2_DATA  0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086      0x01
#define PIC1_VECTOR    0x20
#define PIC2_VECTOR    0x28
#define PIC_CASCADE_IRQ 2
#define MASK_ALL       0xff

void i8259_init_masked(void)
{
    outb(PIC1_DATA, MASK_ALL);
    outb(PIC2_DATA, MASK_ALL);
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, PIC1_VECTOR);
    outb(PIC2_DATA, PIC2_VECTOR);
    outb(PIC1_DATA, 1 << PIC_CASCADE_IRQ);
    outb(PIC2_DATA, PIC_CASCADE_IRQ);
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    outb(PIC1_DATA, MASK_ALL);
    outb(PIC2_DATA, MASK_ALL);
    ioport_reserve(PIC1_CMD, PIC1_DATA, "the master PIC");
    ioport_reserve(PIC2_CMD, PIC2_DATA, "the slave PIC");
}
