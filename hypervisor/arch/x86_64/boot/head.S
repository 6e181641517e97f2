/* SPDX-License-Identifier: MIT */
/*
 * head.S - from the boot loader to 64-bit C.
 * Owns:    the Multiboot1 and Multiboot2 headers, the 32-bit entry, the
 *          boot page tables, the switch to long mode, and the jump to the
 *          hypervisor's own virtual addresses.
 * Touches: CR0/CR3/CR4/EFER, the serial port (only to report a CPU
 *          without long mode).
 *
 * The image is linked at XEN_VIRT_START + physical address and loaded at
 * XEN_LOAD_PADDR. Until paging is on, code runs at physical addresses, so
 * every absolute reference is written PA(sym).
 *
 * Boot page tables (all 2 MiB pages, rebuilt properly by paging.c):
 *   L4[0]   -> boot_l3_low : identity map of 0-4 GiB (for the switch)
 *   L4[261] -> boot_l3_xen : XEN_VIRT_START -> physical 0-1 GiB
 *   L4[262] -> boot_l3_low : direct map of 0-4 GiB
 */
#include "layout.h"
#include "multiboot.h"
#include "x86.h"

#define PA(x) ((x) - XEN_VIRT_START)
#define BOOT_PDE (_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE)
#define BOOT_PTE (_PAGE_PRESENT | _PAGE_RW)
#define COM1 0x3f8
#define BOOT_STACK_SIZE 16384   /* until cpu0's stack block exists */

        .section .text.head, "ax", @progbits
        .code32

/* Multiboot1 (QEMU -kernel): a.out kludge, since QEMU loads no ELF64. */
        .balign 4
mb1_header:
        .long MULTIBOOT1_HEADER_MAGIC
        .long MB1_FLAGS
        .long -(MULTIBOOT1_HEADER_MAGIC + MB1_FLAGS)
        .long PA(mb1_header)            /* header_addr   */
        .long PA(__image_start)         /* load_addr     */
        .long PA(__load_end)            /* load_end_addr */
        .long PA(__bss_end)             /* bss_end_addr  */
        .long PA(start32)               /* entry_addr    */
        .set MB1_FLAGS, MULTIBOOT1_FLAG_PAGE_ALIGN | MULTIBOOT1_FLAG_MEMINFO | MULTIBOOT1_FLAG_AOUT_KLUDGE

/* Multiboot2 (GRUB): ELF64 loaded at its physical addresses. */
        .balign 8
mb2_header:
        .long MULTIBOOT2_HEADER_MAGIC
        .long MULTIBOOT2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MULTIBOOT2_HEADER_MAGIC + MULTIBOOT2_ARCH_I386 + (mb2_header_end - mb2_header))
        /* entry address tag (type 3) */
        .balign 8
        .word 3, 0
        .long 12
        .long PA(start32)
        /* end tag */
        .balign 8
        .word 0, 0
        .long 8
mb2_header_end:

/*
 * Entry: 32-bit protected mode, paging off, %eax = boot loader magic,
 * %ebx = physical address of the boot information.
 */
        .globl start32
start32:
        cli
        cld
        mov     %eax, %edi                  /* keep magic     */
        mov     %ebx, %esi                  /* keep info addr */
        lea     PA(boot_stack_top), %esp

        /* Long mode available? CPUID 0x80000001 EDX bit 29. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     no_long_mode
        mov     %edx, %ebp                  /* NX is bit 20 */

        /* Fill the four boot L2 tables: 2048 x 2 MiB = 0-4 GiB. */
        lea     PA(boot_l2), %ebx
        xor     %ecx, %ecx
1:      mov     %ecx, %eax
        shl     $21, %eax
        or      $BOOT_PDE, %eax
        mov     %eax, (%ebx, %ecx, 8)
        mov     %ecx, %eax
        shr     $11, %eax                   /* high dword: ecx >> 11 */
        mov     %eax, 4(%ebx, %ecx, 8)
        inc     %ecx
        cmp     $2048, %ecx
        jb      1b

        mov     $PA(boot_l4), %eax
        mov     %eax, %cr3
        mov     %cr4, %eax
        or      $X86_CR4_PAE, %eax
        mov     %eax, %cr4
        mov     $MSR_EFER, %ecx
        rdmsr
        or      $(EFER_LME | EFER_SCE), %eax
        bt      $20, %ebp
        jnc     2f
        or      $EFER_NXE, %eax
2:      wrmsr
        mov     $(X86_CR0_PG | X86_CR0_PE | X86_CR0_WP | X86_CR0_MP | X86_CR0_NE | X86_CR0_ET), %eax
        mov     %eax, %cr0
        lgdt    PA(boot_gdt_desc)
        ljmp    $0x08, $PA(start64_low)

no_long_mode:
        lea     PA(msg_no_lm), %esi
3:      lodsb
        test    %al, %al
        jz      4f
        mov     $COM1, %dx
        out     %al, %dx
        jmp     3b
4:      hlt
        jmp     4b

        .code64
start64_low:
        /* Still at physical addresses: jump up to our virtual ones. */
        movabs  $start64, %rax
        jmp     *%rax

        .text
start64:
        xor     %eax, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        movabs  $boot_stack_top, %rsp
        /* %edi = magic, %esi = info physical address: C arguments. */
        mov     %edi, %edi
        mov     %esi, %esi
        call    start_pvisor
5:      hlt
        jmp     5b

        .section .rodata
msg_no_lm:
        .asciz "pvisor: this CPU has no long mode (x86_64); halting\r\n"

        .data
        .balign 8
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff           /* 0x08: 64-bit code, DPL 0 */
        .quad 0x00cf92000000ffff           /* 0x10: data, DPL 0        */
boot_gdt_end:
boot_gdt_desc:
        .word boot_gdt_end - boot_gdt - 1
        .long PA(boot_gdt)

        .balign 4096
        .globl boot_l4
boot_l4:
        .quad PA(boot_l3_low) + BOOT_PTE
        .fill 260, 8, 0
        .quad PA(boot_l3_xen) + BOOT_PTE    /* slot 261 */
        .quad PA(boot_l3_low) + BOOT_PTE    /* slot 262 */
        .fill 249, 8, 0
boot_l3_low:
        .quad PA(boot_l2) + 0x0000 + BOOT_PTE
        .quad PA(boot_l2) + 0x1000 + BOOT_PTE
        .quad PA(boot_l2) + 0x2000 + BOOT_PTE
        .quad PA(boot_l2) + 0x3000 + BOOT_PTE
        .fill 508, 8, 0
boot_l3_xen:
        .fill 322, 8, 0
        .quad PA(boot_l2) + BOOT_PTE        /* XEN_VIRT_START: 1 GiB */
        .fill 189, 8, 0

        .bss
        .balign 4096
boot_l2:
        .fill 4 * 512, 8, 0
        .balign 16
        .fill BOOT_STACK_SIZE, 1, 0
        .globl boot_stack_top
boot_stack_top:
