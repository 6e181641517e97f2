/* SPDX-License-Identifier: MIT */
/*
 * setup.c - start_pvisor(): from head.S's jump to running dom0.
 * Owns:    the boot sequence, the hypervisor command-line options, the
 *          boot-time memory layout (allocator bitmap, frame table, M2P).
 * Touches: everything once, in order; nothing after dom0 starts.
 */
#define LOG_PREFIX "boot"
#include "arch.h"
#include "cmdline.h"
#include "debugreg.h"
#include "console.h"
#include "cpu.h"
#include "domain_build.h"
#include "sched_credit.h"
#include "entry.h"
#include "hypercall.h"
#include "apic.h"
#include "frame.h"
#include "grant_table.h"
#include "lib.h"
#include "log.h"
#include "m2p.h"
#include "mm.h"
#include "multiboot.h"
#include "page.h"
#include "page_alloc.h"
#include "panic.h"
#include "time.h"

#define LOW_MEMORY_END   0x100000ULL       /* BIOS area, never allocated */
#define BOOT_MAP_END     (4ULL << 30)      /* head.S maps 0-4 GiB         */

bool opt_noreboot;
uint64_t opt_debug_exit;
static struct dom0_mem opt_dom0_mem;
static uint64_t opt_dom0_max_vcpus = 1;
/* Boot domUs (Xen's dom0less boot in spirit): the last N modules. */
static uint64_t opt_domus;
#define DOMU_MEM_OVERHEAD (1ULL << 20)     /* shared_info, ports, per domU */
static uint64_t opt_domu_mem = DOMU_MEM_DEFAULT;
static uint64_t opt_domu_max_vcpus = 1;
static unsigned int opt_domu_weight[MAX_DOMAINS], opt_domu_cap[MAX_DOMAINS];

/*
 * "a,b,c": up to MAX_DOMAINS numbers of at most LIST_VALUE_MAX; a missing
 * one stays 0 (the default). out changes only if the whole list is good.
 */
#define LIST_VALUE_MAX 65535
static int parse_uint_list(const char *s, unsigned int *out)
{
    unsigned int vals[MAX_DOMAINS] = { 0 };

    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        unsigned long v = 0;

        if (*s < '0' || *s > '9')
            return -1;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (unsigned long)(*s++ - '0');
            if (v > LIST_VALUE_MAX)
                return -1;
        }
        vals[i] = (unsigned int)v;
        if (!*s) {
            memcpy(out, vals, sizeof(vals));
            return 0;
        }
        if (*s++ != ',')
            return -1;
    }
    return -1;
}

static int parse_domu_weight(const char *s)
{
    return parse_uint_list(s, opt_domu_weight);
}

static int parse_domu_cap(const char *s)
{
    return parse_uint_list(s, opt_domu_cap);
}

static int parse_loglvl(const char *s)
{
    int lvl = console_parse_loglvl(s);

    if (lvl < -1)
        return -1;
    console_loglvl = lvl;
    return 0;
}

static int parse_dom0_mem(const char *s)
{
    return dom0_mem_parse(s, &opt_dom0_mem);
}

static int ignore_option(const char *s)
{
    (void)s;
    return 0;
}

#define LIST_VALID "numbers 0-65535 for d1, d2, ... separated by commas, " \
                   "e.g. 256,512 (at most 16)"

/*
 * The hypervisor's options, each with a row in docs/command-line.md (the
 * test docs-command-line checks); each CUSTOM one says what it takes.
 */
static const struct cmdline_option hv_options[] = {
    { "loglvl",     CMDLINE_CUSTOM, (void *)parse_loglvl, 0,
      "none, error, warning, info, debug or all (also err, warn)" },
    { "noreboot",   CMDLINE_BOOL,   &opt_noreboot,        0, NULL },
    { "pv-linear-pt", CMDLINE_BOOL, &opt_pv_linear_pt,    0, NULL },
    { "debug_exit", CMDLINE_UINT,   &opt_debug_exit,      0, NULL },
    { "debug_syscall_tf", CMDLINE_BOOL, &opt_debug_syscall_tf, 0, NULL },
    { "hc_cycles",  CMDLINE_BOOL,   &hypercall_sampling,  0, NULL },
    { "gnttab_audit", CMDLINE_BOOL, &opt_gnttab_audit,    0, NULL },
    { "dom0_mem",   CMDLINE_CUSTOM, (void *)parse_dom0_mem, 0, DOM0_MEM_VALID },
    { "dom0_max_vcpus", CMDLINE_UINT, &opt_dom0_max_vcpus, 0, NULL },
    { "domus",      CMDLINE_UINT,   &opt_domus,           0, NULL },
    { "domu_mem",   CMDLINE_SIZE,   &opt_domu_mem,        0, NULL },
    { "domu_max_vcpus", CMDLINE_UINT, &opt_domu_max_vcpus, 0, NULL },
    { "domu_weight", CMDLINE_CUSTOM, (void *)parse_domu_weight, 0, LIST_VALID },
    { "domu_cap",   CMDLINE_CUSTOM, (void *)parse_domu_cap, 0, LIST_VALID },
    { "conring_size", CMDLINE_SIZE, &opt_conring_size,    0, NULL },
    /* Accepted for compatibility with Xen command lines; COM1 is fixed. */
    { "console",    CMDLINE_CUSTOM, (void *)ignore_option, 0, "anything" },
};

static struct boot_info boot_info;
static char hv_cmdline[BOOT_CMDLINE_MAX];
static char dom0_cmdline[BOOT_MODSTR_MAX];

const struct boot_info *boot_info_get(void)
{
    return &boot_info;
}

/* The hypervisor's command line, for XENVER_commandline. */
const char *saved_cmdline(void)
{
    return hv_cmdline;
}

/*
 * GRUB 2 ("GRUB 2.06...") passes command lines without the image's file
 * name; other loaders (QEMU's Multiboot1, GRUB legacy "GNU GRUB 0.97")
 * put it first. As Xen's cmdline_cook(), drop it only where it is.
 */
static bool loader_is_grub2(const char *loader)
{
    for (const char *p = loader; *p; p++)
        if (!strncmp(p, "GRUB ", 5))
            return p[5] != '0';
    return false;
}

static void boot_cook_cmdline(const char *in, char *out, size_t outlen)
{
    if (loader_is_grub2(boot_info.loader)) {
        while (*in == ' ')
            in++;
        snprintf(out, outlen, "%s", in);
    } else {
        cmdline_cook(in, out, outlen);
    }
}

static const void *boot_map(void *ctx, uint64_t paddr, size_t len)
{
    (void)ctx;
    if (paddr + len < paddr || paddr + len > BOOT_MAP_END)
        return NULL;
    return maddr_to_virt(paddr);
}

static const char *mem_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_RAM:      return "RAM";
    case BOOT_MEM_RESERVED: return "reserved";
    case BOOT_MEM_ACPI:     return "ACPI data";
    case BOOT_MEM_NVS:      return "ACPI NVS";
    case BOOT_MEM_BAD:      return "bad";
    default:                return "unknown";
    }
}

static void print_boot_info(const struct boot_info *bi)
{
    log_info("Multiboot%u from %s", bi->protocol,
             bi->loader[0] ? bi->loader : "(unnamed loader)");
    log_info("command line: %s", hv_cmdline);
    log_info("memory map:");
    for (unsigned int i = 0; i < bi->nr_mem; i++)
        log_info(" [%016lx-%016lx] %s", bi->mem[i].addr,
                 bi->mem[i].addr + bi->mem[i].len - 1,
                 mem_type_name(bi->mem[i].type));
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        log_info("module %u: [%#lx-%#lx) '%s'", i, bi->modules[i].start,
                 bi->modules[i].end, bi->modules[i].string);
}

/* Ranges nothing may be placed over at boot: image and modules. */
static bool overlaps_busy(uint64_t start, uint64_t end, uint64_t *next)
{
    uint64_t img_s = virt_to_maddr(__image_start), img_e = virt_to_maddr(__image_end);

    if (start < img_e && end > img_s) {
        *next = img_e;
        return true;
    }
    for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        if (start < m->end && end > m->start) {
            *next = m->end;
            return true;
        }
    }
    return false;
}

/* Find size bytes of RAM below BOOT_MAP_END touching nothing busy. */
static uint64_t boot_find_ram(uint64_t size)
{
    for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
        const struct boot_mem_region *r = &boot_info.mem[i];
        uint64_t s = ROUNDUP(MAX(r->addr, LOW_MEMORY_END), PAGE_SIZE);
        uint64_t end = MIN(r->addr + r->len, BOOT_MAP_END), next;

        if (r->type != BOOT_MEM_RAM)
            continue;
        while (s + size <= end) {
            if (!overlaps_busy(s, s + size, &next))
                return s;
            s = ROUNDUP(next, PAGE_SIZE);
        }
    }
    panic("no %lu bytes of free RAM below 4 GiB for the frame table", size);
}

static uint64_t max_ram_addr(void)
{
    uint64_t max = 0;

    for (unsigned int i = 0; i < boot_info.nr_mem; i++)
        if (boot_info.mem[i].type == BOOT_MEM_RAM)
            max = MAX(max, boot_info.mem[i].addr + boot_info.mem[i].len);
    return max;
}

/*
 * As Xen: the first MiB (the legacy ISA hole, the BIOS, the real-mode
 * data) and every frame the memory map does not call RAM are I/O memory
 * (owner DOMID_IO): never allocated, and mappable by the privileged
 * domain as device memory (mm.c), uncached.
 */
static bool frame_is_ram(uint64_t mfn)
{
    uint64_t pa = mfn << PAGE_SHIFT;

    if (pa < LOW_MEMORY_END)
        return false;
    for (unsigned int i = 0; i < boot_info.nr_mem; i++)
        if (boot_info.mem[i].type == BOOT_MEM_RAM && pa >= boot_info.mem[i].addr &&
            pa + PAGE_SIZE <= boot_info.mem[i].addr + boot_info.mem[i].len)
            return true;
    return false;
}

/*
 * The allocator's bitmap, the frame table and the M2P table sit in one
 * block of RAM found before any allocator exists.
 */
static void memory_init(void)
{
    uint64_t nr = max_ram_addr() >> PAGE_SHIFT;
    uint64_t bitmap_sz = ROUNDUP(ROUNDUP(nr, 64) / 8, PAGE_SIZE);
    uint64_t ft_sz = ROUNDUP(nr * sizeof(struct page_info), PAGE_SIZE);
    uint64_t m2p_sz = ROUNDUP(nr * sizeof(uint64_t), PAGE_SIZE);
    uint64_t block = boot_find_ram(bitmap_sz + ft_sz + m2p_sz);

    page_alloc_init(&machine_frames, maddr_to_virt(block), nr);
    for (unsigned int i = 0; i < boot_info.nr_mem; i++)
        if (boot_info.mem[i].type == BOOT_MEM_RAM)
            page_alloc_add_range(&machine_frames, boot_info.mem[i].addr,
                                 boot_info.mem[i].addr + boot_info.mem[i].len);
    page_alloc_reserve_range(&machine_frames, 0, LOW_MEMORY_END);
    page_alloc_reserve_range(&machine_frames, virt_to_maddr(__image_start),
                             virt_to_maddr(__image_end));
    for (unsigned int i = 0; i < boot_info.nr_modules; i++)
        page_alloc_reserve_range(&machine_frames, boot_info.modules[i].start,
                                 boot_info.modules[i].end);
    page_alloc_reserve_range(&machine_frames, block,
                             block + bitmap_sz + ft_sz + m2p_sz);

    max_page = nr;
    frame_table = maddr_to_virt(block + bitmap_sz);
    memset(frame_table, 0, ft_sz);
    for (uint64_t m = 0; m < nr; m++)
        frame_table[m].owner = frame_is_ram(m) ? DOMID_XEN : DOMID_IO;
    m2p_init(block + bitmap_sz + ft_sz, nr);

    log_info("RAM: %lu MiB in %lu frames, %lu free; frame table %lu KiB",
             (nr << PAGE_SHIFT) >> 20, nr, machine_frames.nr_free, ft_sz >> 10);
}

/*
 * Every free frame cleared once, before any domain exists (Xen's
 * bootscrub): the allocator hands frames out as they are, and free RAM
 * still holds what the boot loader and firmware left (under QEMU, the
 * multiboot information with every command line). From here on each
 * frame is cleared as it is freed (docs/decisions.md, "Memory").
 */
static void scrub_free_ram(void)
{
    uint64_t scrubbed = 0;

    for (uint64_t m = 0; m < max_page; m++)
        if (page_is_free(&machine_frames, _mfn(m))) {
            arch_scrub_frame(_mfn(m));
            scrubbed++;
        }
    log_info("RAM: %lu free frames scrubbed", scrubbed);
}

static void start_pvisor_on_cpu_stack(void) __attribute__((noreturn));

void start_pvisor(uint32_t magic, uint64_t info_pa)
{
    char err[128] = "";

    console_init();
    printk("\n pvisor %u.%u%s - x86_64 paravirtualizing hypervisor "
           "(Xen %u.%u PV ABI)\n\n", PVISOR_VERSION_MAJOR,
           PVISOR_VERSION_MINOR, PVISOR_EXTRAVERSION, XEN_ABI_MAJOR,
           XEN_ABI_MINOR);
    if (multiboot_parse(magic, info_pa, boot_map, NULL, &boot_info, err,
                        sizeof(err)))
        panic("cannot read the boot information: %s", err);
    boot_cook_cmdline(boot_info.cmdline, hv_cmdline, sizeof(hv_cmdline));
    cmdline_parse(hv_cmdline, hv_options, ARRAY_SIZE(hv_options));
    print_boot_info(&boot_info);
    if (err[0])
        log_warn("%s", err);

    memory_init();
    console_log_init();
    paging_init(&boot_info);
    m2p_map_for_guests();
    scrub_free_ram();
    /* Continue on cpu0's stack block, where get_cpu_info() works. */
    reset_stack_and_call(cpu_alloc_stack(0), start_pvisor_on_cpu_stack);
}

/*
 * The boot domUs: the last domus= modules, ids 1, 2, ... in module order,
 * each with domu_mem= of memory, domu_max_vcpus= vCPUs, and its entry of
 * domu_weight= and domu_cap=. One that cannot be built is reported and
 * skipped; the others and dom0 still run.
 */
static void build_boot_domus(unsigned int first_module)
{
    for (unsigned int i = 0; first_module + i < boot_info.nr_modules; i++) {
        static char cmdline[BOOT_MODSTR_MAX];
        char err[192];
        struct domain_build_params bp = {
            .id = (domid_t)(i + 1),
            .kernel = &boot_info.modules[first_module + i],
            .mem = opt_domu_mem,
            .cmdline = cmdline,
            .max_vcpus = (unsigned int)MIN(opt_domu_max_vcpus, 255),
            .weight = opt_domu_weight[i],
            .cap = opt_domu_cap[i],
        };

        boot_cook_cmdline(boot_info.modules[first_module + i].string, cmdline,
                          sizeof(cmdline));
        if (!domain_build(&bp, err, sizeof(err)))
            printk("pvisor: boot domain d%u (module %u) not started: %s\n",
                   bp.id, first_module + i, err);
    }
}

static void start_pvisor_on_cpu_stack(void)
{
    unsigned int nr_dom0_modules;
    struct domain_build_params dom0 = {
        .id = 0, .privileged = true, .dom0_mem = &opt_dom0_mem,
        .cmdline = dom0_cmdline,
        .max_vcpus = (unsigned int)MIN(opt_dom0_max_vcpus, 255),
    };
    char err[192];

    cpu_init_boot();
    arch_context_init();
    time_init();
    apic_init();
    sched_init();
    console_start_polling();
    if (opt_domus >= boot_info.nr_modules)
        panic("no dom0 kernel: pass it as the first module "
              "(QEMU: -initrd 'kernel args'; GRUB: module2), before the "
              "%lu boot domain module(s) domus= names", opt_domus);
    nr_dom0_modules = boot_info.nr_modules - (unsigned int)opt_domus;
    if (nr_dom0_modules > 2)
        log_warn("%u modules before the boot domains: dom0 takes the first "
                 "two (kernel, initrd); the others are ignored", nr_dom0_modules);
    boot_cook_cmdline(boot_info.modules[0].string, dom0_cmdline,
                      sizeof(dom0_cmdline));
    /* dom0's default size leaves room for the boot domUs (and their tables). */
    dom0.keep_free = opt_domus * (opt_domu_mem + DOMU_MEM_OVERHEAD);
    dom0.kernel = &boot_info.modules[0];
    dom0.initrd = nr_dom0_modules > 1 ? &boot_info.modules[1] : NULL;
    if (!domain_build(&dom0, err, sizeof(err)))
        panic("dom0: %s", err);
    build_boot_domus(nr_dom0_modules);
    reset_stack_and_call((uint64_t)get_cpu_info() & ~0xfUL, idle_loop);
}
