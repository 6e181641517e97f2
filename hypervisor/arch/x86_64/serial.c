/* SPDX-License-Identifier: MIT */
/*
 * serial.c - the 16550 UART on COM1, the hypervisor's console device.
 * Owns:    I/O ports 0x3f8-0x3ff (reserved: no guest reaches them).
 *          Polled output; input is polled by console.c (no interrupt yet).
 * Touches: nothing else.
 */
#include "console.h"
#include "ioport.h"
#include "processor.h"

#define COM1_BASE   0x3f8
#define COM1_PORTS  8
#define UART_RBR    0   /* receive buffer (DLAB=0)          */
#define UART_THR    0   /* transmit holding (DLAB=0)        */
#define UART_DLL    0   /* divisor latch low (DLAB=1)       */
#define UART_IER    1   /* interrupt enable (DLAB=0)        */
#define UART_DLM    1   /* divisor latch high (DLAB=1)      */
#define UART_FCR    2   /* FIFO control                     */
#define UART_LCR    3   /* line control                     */
#define UART_MCR    4   /* modem control                    */
#define UART_LSR    5   /* line status                      */
#define LCR_DLAB    0x80
#define LCR_8N1     0x03
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS 0x03
#define LSR_DR      0x01   /* data ready                    */
#define LSR_THRE    0x20   /* transmit holding register empty */
#define BAUD_DIVISOR_115200 1
#define TX_SPIN_LIMIT 100000

void serial_init(void)
{
    outb(COM1_BASE + UART_IER, 0);
    outb(COM1_BASE + UART_LCR, LCR_DLAB);
    outb(COM1_BASE + UART_DLL, BAUD_DIVISOR_115200);
    outb(COM1_BASE + UART_DLM, 0);
    outb(COM1_BASE + UART_LCR, LCR_8N1);
    outb(COM1_BASE + UART_FCR, FCR_ENABLE_CLEAR);
    outb(COM1_BASE + UART_MCR, MCR_DTR_RTS);
    ioport_reserve(COM1_BASE, COM1_BASE + COM1_PORTS - 1, "the serial console");
}

void serial_putc(char c)
{
    /* Bounded wait: a missing UART must not hang the hypervisor. */
    for (unsigned int i = 0; i < TX_SPIN_LIMIT; i++) {
        if (inb(COM1_BASE + UART_LSR) & LSR_THRE)
            break;
        cpu_relax();
    }
    outb(COM1_BASE + UART_THR, (uint8_t)c);
}

bool serial_getc(char *c)
{
    if (!(inb(COM1_BASE + UART_LSR) & LSR_DR))
        return false;
    *c = (char)inb(COM1_BASE + UART_RBR);
    return true;
}
