/* SPDX-License-Identifier: MIT */
/*
 * processor.h - inline wrappers for x86 instructions the hypervisor uses.
 * Owns:    nothing but the wrappers; constants are in x86.h.
 */
#ifndef PVISOR_PROCESSOR_H
#define PVISOR_PROCESSOR_H

#include "types.h"
#include "x86.h"

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    asm volatile("wrmsr" :: "c"(msr), "a"((uint32_t)val),
                 "d"((uint32_t)(val >> 32)) : "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                 : "a"(leaf), "c"(subleaf));
    return r;
}

#define DEFINE_CR(n) \
static inline uint64_t read_cr##n(void) \
{ uint64_t v; asm volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
static inline void write_cr##n(uint64_t v) \
{ asm volatile("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(uint64_t va)
{
    asm volatile("invlpg (%0)" :: "r"(va) : "memory");
}

static inline void flush_tlb_local(void)
{
    write_cr3(read_cr3());
}

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" :: "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    asm volatile("outl %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void wbinvd(void)
{
    asm volatile("wbinvd" ::: "memory");
}

static inline void clts(void) { asm volatile("clts"); }
static inline void stts(void) { write_cr0(read_cr0() | X86_CR0_TS); }
static inline void cpu_relax(void) { asm volatile("pause"); }
static inline void local_irq_disable(void) { asm volatile("cli" ::: "memory"); }
static inline void safe_halt(void) { asm volatile("sti; hlt; cli" ::: "memory"); }
static inline void halt(void) { asm volatile("hlt"); }

static inline uint64_t read_rsp(void)
{
    uint64_t sp;
    asm volatile("mov %%rsp, %0" : "=r"(sp));
    return sp;
}

/* Canonical: bits 63..47 all equal (48-bit virtual addresses). */
static inline bool is_canonical_address(uint64_t va)
{
    return ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;
}

#endif
