/* SPDX-License-Identifier: MIT */
/*
 * test_xlcfg.c - the xl.cfg parser (toolstack/lib/xlcfg*.c) on the host.
 * Owns:    the unit-xlcfg cases: every syntax element, every error with
 *          its exact FILE:LINE:COL message, overrides, warnings, the
 *          disk and vif specs, the semantic checks.
 * Touches: nothing but the library under test.
 *
 * What xl 4.17 does with each input is from its parser's grammar and
 * xl.cfg(5) (the oracle here is libxlu's documented behaviour, no VM):
 * where pvctl differs (a warning where xl is silent, an error where xl
 * would ignore a bad spec) the case says so.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_runner.h"
#include "xlcfg.h"

static struct xlcfg cfg;
static struct xlcfg_diags diags;
static struct domain_config dc;
static char joined[XLCFG_MAX_DIAGS * XLCFG_DIAG_LEN];

static void setup(void)
{
    xlcfg_init(&cfg);
    memset(&diags, 0, sizeof(diags));
    memset(&dc, 0, sizeof(dc));
}

static void teardown(void)
{
    xlcfg_free(&cfg);
    domain_config_free(&dc);
}

/* All messages, one per line. */
static const char *msgs(void)
{
    joined[0] = '\0';
    for (unsigned i = 0; i < diags.count; i++) {
        strcat(joined, diags.diag[i].text);
        strcat(joined, "\n");
    }
    return joined;
}

static unsigned parse(const char *text)
{
    return xlcfg_parse(&cfg, "t.cfg", text, strlen(text), &diags);
}

/* Parse TEXT then build the domain; the number of errors in all. */
static unsigned domain(const char *text)
{
    unsigned e = parse(text);

    if (e)
        return e;
    return xlcfg_domain(&cfg, "t.cfg", &dc, &diags);
}

static const char *str(const char *key)
{
    struct xlcfg_setting *s = xlcfg_get(&cfg, key);

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->value->kind, XLCFG_STRING);
    return s->value->str;
}

#define MINIMAL "name=\"g\"\nkernel=\"/k\"\n"

/* ---- syntax -------------------------------------------------------------- */

START_TEST(strings_and_numbers)
{
    ck_assert_uint_eq(parse("a = \"dq\"\nb = 'sq'\nc = 42\nd = 0x1f\n"
                            "e = \"\"\n"), 0);
    ck_assert_str_eq(str("a"), "dq");
    ck_assert_str_eq(str("b"), "sq");
    ck_assert_str_eq(str("c"), "42");
    ck_assert(xlcfg_get(&cfg, "c")->value->number);
    ck_assert_str_eq(str("d"), "0x1f");
    ck_assert_str_eq(str("e"), "");
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(escapes)
{
    /* libxlu's dequote: \n \r \t, \xHH, \OOO, \<punct> is itself */
    ck_assert_uint_eq(parse("a = \"x\\ny\\tz\\r\"\nb = '\\x41\\102\\'\\\"\\\\'\n"), 0);
    ck_assert_str_eq(str("a"), "x\ny\tz\r");
    ck_assert_str_eq(str("b"), "AB'\"\\");
}
END_TEST

START_TEST(separators_comments_blanks)
{
    ck_assert_uint_eq(parse("# head\n\n  a=1 ; b = 2;c=3 # tail\n\t\n;;\n"
                            "d = '#not a comment'\r\ne=5"), 0);
    ck_assert_str_eq(str("a"), "1");
    ck_assert_str_eq(str("b"), "2");
    ck_assert_str_eq(str("c"), "3");
    ck_assert_str_eq(str("d"), "#not a comment");
    ck_assert_str_eq(str("e"), "5");     /* no final newline: accepted */
}
END_TEST

START_TEST(lists)
{
    struct xlcfg_value *v;

    ck_assert_uint_eq(parse("l = [ 'a', \"b\", 3, ]\ne = []\n"
                            "m = [\n  'x',   # one\n\n  'y'\n]\n"
                            "n = [ [ 'p' ], 'q' ]\n"), 0);
    v = xlcfg_get(&cfg, "l")->value;
    ck_assert_int_eq(v->kind, XLCFG_LIST);
    ck_assert_uint_eq(v->nitems, 3);
    ck_assert_str_eq(v->items[2]->str, "3");
    ck_assert_uint_eq(xlcfg_get(&cfg, "e")->value->nitems, 0);
    v = xlcfg_get(&cfg, "m")->value;
    ck_assert_uint_eq(v->nitems, 2);
    ck_assert_int_eq(v->items[1]->line, 6);
    ck_assert_int_eq(v->items[1]->col, 3);
    /* nested lists parse (libxlu takes them); no key accepts one */
    v = xlcfg_get(&cfg, "n")->value;
    ck_assert_int_eq(v->items[0]->kind, XLCFG_LIST);
}
END_TEST

START_TEST(later_overrides_and_append)
{
    struct xlcfg_value *v;

    ck_assert_uint_eq(parse("a = 1\na = 2\nl = ['x']\nl += ['y', 'z']\n"
                            "s = 'ab'\ns += \"cd\"\nn += 'new'\n"), 0);
    ck_assert_str_eq(str("a"), "2");
    ck_assert_int_eq(xlcfg_get(&cfg, "a")->line, 2);
    v = xlcfg_get(&cfg, "l")->value;
    ck_assert_uint_eq(v->nitems, 3);
    ck_assert_str_eq(v->items[2]->str, "z");
    ck_assert_str_eq(str("s"), "abcd");
    ck_assert_str_eq(str("n"), "new");   /* += on an unset key is = */
}
END_TEST

/* ---- syntax errors: exact messages -------------------------------------- */

struct err_case { const char *text, *msg; };
static const struct err_case syntax_errors[] = {
    { "name = \n", "t.cfg:1:8: expected a value after '=', found the end of the line\n" },
    { "name =", "t.cfg:1:7: expected a value after '=', found the end of the file\n" },
    { "a += ;\n", "t.cfg:1:6: expected a value after '+=', found ';'\n" },
    { "memory = 12 13\n", "t.cfg:1:13: expected the end of the line or ';' after "
      "the value of 'memory', found the number 13\n" },
    { "a 1\n", "t.cfg:1:3: expected '=' or '+=' after 'a', found the number 1\n" },
    { "= 1\n", "t.cfg:1:1: expected a setting (KEY = VALUE), found '='\n" },
    { "Name = 'x'\n", "t.cfg:1:1: unexpected character 'N' (names and hex digits are lower case)\n" },
    { "a = foo\n", "t.cfg:1:5: expected a value after '=', found the name 'foo'\n" },
    { "a = \"open\n", "t.cfg:1:5: unterminated string: no closing \" on this line\n" },
    { "a = 'q\\q'\n", "t.cfg:1:7: unknown escape \\q\n" },
    { "a = '\\x4'\n", "t.cfg:1:6: \\x needs two hex digits\n" },
    { "a = '\\777'\n", "t.cfg:1:6: octal escape \\777 is out of range\n" },
    { "a = '\\0'\n", "t.cfg:1:6: escape makes a NUL character, which a string cannot hold\n" },
    { "a = @\n", "t.cfg:1:5: unexpected character '@'\n" },
    { "a = [ 'x' 'y' ]\n", "t.cfg:1:11: expected ',' or ']' in the list, found a string\n" },
    { "a = [ , ]\n", "t.cfg:1:7: expected a value after '[', found ','\n" },
    { "a = [ 'x',\nb = 1\n", "t.cfg:2:1: expected a value after ',', found the name 'b'\n"
      "t.cfg:1:5: this list has no closing ']'\n" },
    { "a = [ 'x'\n", "t.cfg:1:5: this list has no closing ']'\n" },
    { "a = [[[[[[[[[ ]]]]]]]]]\n", "t.cfg:1:13: lists nested more than 8 deep\n" },
    { "l = ['x']\nl += 's'\n", "t.cfg:2:6: 'l += ...': cannot add a single value to a list\n" },
    /* hex digits are lower case in libxlu's NUMBER token too */
    { "a = 0x1F\n", "t.cfg:1:8: unexpected character 'F' (names and hex digits are lower case)\n" },
    { "a = \x01\n", "t.cfg:1:5: unexpected character 0x01\n" },
};

START_TEST(syntax_error)
{
    const struct err_case *c = &syntax_errors[_i];

    ck_assert_uint_ge(parse(c->text), 1);
    ck_assert_str_eq(msgs(), c->msg);
}
END_TEST

START_TEST(all_errors_in_one_pass)
{
    /* a bad statement is skipped, the next ones are still read */
    ck_assert_uint_eq(parse("a = \nb = 2\nc 3\nd = [ 'x' 'y' ]\ne = 5\n"), 3);
    ck_assert_str_eq(msgs(),
        "t.cfg:1:5: expected a value after '=', found the end of the line\n"
        "t.cfg:3:3: expected '=' or '+=' after 'c', found the number 3\n"
        "t.cfg:4:11: expected ',' or ']' in the list, found a string\n");
    ck_assert_str_eq(str("b"), "2");
    ck_assert_str_eq(str("e"), "5");
    ck_assert_ptr_null(xlcfg_get(&cfg, "a"));
}
END_TEST

START_TEST(error_limit)
{
    char text[2000] = "";

    for (int i = 0; i < 40; i++)
        strcat(text, "a = \n");
    ck_assert_uint_eq(parse(text), XLCFG_MAX_ERRORS);
    ck_assert(diags.stopped);
    ck_assert_str_eq(diags.diag[XLCFG_MAX_ERRORS].text,
                     "t.cfg: too many errors (20), stopping");
}
END_TEST

/* ---- overrides ------------------------------------------------------------ */

START_TEST(overrides)
{
    ck_assert_uint_eq(parse(MINIMAL "memory = 256\n"), 0);
    ck_assert_uint_eq(xlcfg_parse_override(&cfg, 1, "memory=512", &diags), 0);
    ck_assert_uint_eq(xlcfg_parse_override(&cfg, 2, "vcpus=2; maxvcpus = 4", &diags), 0);
    ck_assert_uint_eq(xlcfg_parse_override(&cfg, 3, "disk=['vdev=xvda,target=/x']", &diags), 0);
    ck_assert_uint_eq(xlcfg_domain(&cfg, "t.cfg", &dc, &diags), 0);
    ck_assert_uint_eq(dc.memory_mb, 512);
    ck_assert_uint_eq(dc.vcpus, 2);
    ck_assert_uint_eq(dc.maxvcpus, 4);
    ck_assert_uint_eq(dc.ndisks, 1);
    /* an override's mistake is named by its position on the command line */
    ck_assert_uint_eq(xlcfg_parse_override(&cfg, 4, "memory=", &diags), 1);
    ck_assert_str_eq(msgs(), "<command line 4>:1:8: expected a value after '=', "
                     "found the end of the file\n");
}
END_TEST

/* ---- the domain ----------------------------------------------------------- */

START_TEST(full_domain)
{
    ck_assert_uint_eq(domain("name = 'web1'\ntype = 'pv'\nmemory = 0x100\n"
        "maxmem = 1024\nvcpus = '2'\nmaxvcpus = 4\nkernel = '/boot/vmlinuz'\n"
        "ramdisk = '/boot/initrd'\nroot = '/dev/xvda1 ro'\nextra = 'quiet'\n"
        "on_poweroff = 'preserve'\non_reboot = 'rename-restart'\n"
        "on_crash = 'coredump-restart'\n"), 0);
    ck_assert_str_eq(dc.name, "web1");
    ck_assert_uint_eq(dc.memory_mb, 256);
    ck_assert_uint_eq(dc.maxmem_mb, 1024);
    ck_assert_uint_eq(dc.vcpus, 2);     /* a string holding a number */
    ck_assert_uint_eq(dc.maxvcpus, 4);
    ck_assert_str_eq(dc.kernel, "/boot/vmlinuz");
    ck_assert_str_eq(dc.ramdisk, "/boot/initrd");
    ck_assert_str_eq(dc.cmdline, "root=/dev/xvda1 ro quiet");
    ck_assert_int_eq(dc.on_poweroff, XLCFG_ACT_PRESERVE);
    ck_assert_int_eq(dc.on_reboot, XLCFG_ACT_RENAME_RESTART);
    ck_assert_int_eq(dc.on_crash, XLCFG_ACT_COREDUMP_RESTART);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(defaults)
{
    ck_assert_uint_eq(domain(MINIMAL), 0);
    ck_assert_uint_eq(dc.memory_mb, XLCFG_DEFAULT_MEMORY_MB);
    ck_assert_uint_eq(dc.maxmem_mb, XLCFG_DEFAULT_MEMORY_MB);
    ck_assert_uint_eq(dc.vcpus, 1);
    ck_assert_uint_eq(dc.maxvcpus, 1);
    ck_assert_ptr_null(dc.ramdisk);
    ck_assert_str_eq(dc.cmdline, "");
    ck_assert_int_eq(dc.on_poweroff, XLCFG_ACT_DESTROY);
    ck_assert_int_eq(dc.on_reboot, XLCFG_ACT_RESTART);
    ck_assert_int_eq(dc.on_crash, XLCFG_ACT_DESTROY);
    ck_assert_uint_eq(dc.ndisks + dc.nvifs, 0);
}
END_TEST

START_TEST(octal_like_xl)
{
    /* xl reads numbers with strtol base 0: a leading 0 is octal */
    ck_assert_uint_eq(domain(MINIMAL "memory = 010\n"), 0);
    ck_assert_uint_eq(dc.memory_mb, 8);
}
END_TEST

START_TEST(cmdline_wins)
{
    ck_assert_uint_eq(domain(MINIMAL "extra='e'\ncmdline='c'\n"), 0);
    ck_assert_str_eq(dc.cmdline, "c");
    ck_assert_str_eq(msgs(), "t.cfg:3:1: warning: 'cmdline' is set: 'root' and "
                     "'extra' are ignored (as xl does)\n");
    ck_assert_uint_eq(diags.nwarnings, 1);
}
END_TEST

START_TEST(unknown_keys_warn)
{
    ck_assert_uint_eq(domain(MINIMAL "loader = 'generic'\nhap=1\nviridian=['base']\n"), 0);
    ck_assert_str_eq(msgs(),
        "t.cfg:3:1: warning: 'loader' is not implemented by pvctl: ignored\n"
        "t.cfg:4:1: warning: 'hap' is not implemented by pvctl: ignored\n"
        "t.cfg:5:1: warning: 'viridian' is not implemented by pvctl: ignored\n");
}
END_TEST

static const struct err_case semantic_errors[] = {
    { "kernel='/k'\n", "t.cfg: no 'name': a domain needs a name (name = \"guest\")\n" },
    { "name='g'\n", "t.cfg: no 'kernel': a PV guest needs one (kernel = \"/path/to/vmlinuz\")\n" },
    { MINIMAL "type='hvm'\n", "t.cfg:3:6: type = \"hvm\": pvisor runs PV guests only "
      "(no VT-x/SVM: use type = \"pv\")\n" },
    { MINIMAL "type='pvh'\n", "t.cfg:3:6: type = \"pvh\": pvisor runs PV guests only "
      "(no VT-x/SVM: use type = \"pv\")\n" },
    { MINIMAL "type='xen'\n", "t.cfg:3:6: type = \"xen\": unknown type (xl knows pv, "
      "pvh, hvm; pvisor runs pv)\n" },
    { MINIMAL "builder='hvm'\n", "t.cfg:3:9: builder = \"hvm\": pvisor runs PV guests "
      "only (use type = \"pv\")\n" },
    { MINIMAL "memory=0\n", "t.cfg:3:8: memory = 0: must be 1 to 16777216 MiB\n" },
    { MINIMAL "memory='-5'\n", "t.cfg:3:8: memory = -5: must be 1 to 16777216 MiB\n" },
    { MINIMAL "memory='lots'\n", "t.cfg:3:8: 'memory' = \"lots\": not a number\n" },
    { MINIMAL "memory=0x\n", "t.cfg:3:8: 'memory' = \"0x\": not a number\n" },
    { MINIMAL "memory=09\n", "t.cfg:3:8: 'memory' = \"09\": not a number\n" },
    { MINIMAL "memory=[1]\n", "t.cfg:3:8: 'memory' takes a number, not a list\n" },
    { MINIMAL "memory=99999999999999999999\n", "t.cfg:3:8: 'memory' = "
      "99999999999999999999: out of range\n" },
    { MINIMAL "memory=512\nmaxmem=256\n", "t.cfg:3:8: memory (512 MiB) is more "
      "than maxmem (256 MiB)\n" },
    { MINIMAL "vcpus=0\n", "t.cfg:3:7: vcpus = 0: must be 1 to 128\n" },
    { MINIMAL "vcpus=4\nmaxvcpus=2\n", "t.cfg:3:7: vcpus (4) is more than maxvcpus (2)\n" },
    { MINIMAL "maxvcpus=129\n", "t.cfg:3:10: maxvcpus = 129: must be 1 to 128\n" },
    { "name=''\nkernel='/k'\n", "t.cfg:1:6: name \"\" is empty\n" },
    { "name='123'\nkernel='/k'\n", "t.cfg:1:6: name \"123\" is all digits (it would "
      "read as a domain id)\n" },
    { "name='a/b'\nkernel='/k'\n", "t.cfg:1:6: name \"a/b\" contains '/'\n" },
    { "name='a b'\nkernel='/k'\n", "t.cfg:1:6: name \"a b\" contains a space, control "
      "or non-ASCII character\n" },
    { "name='Domain-0'\nkernel='/k'\n", "t.cfg:1:6: name \"Domain-0\" is dom0's name\n" },
    { "name=['g']\nkernel='/k'\n", "t.cfg:1:6: 'name' takes a single value, not a list\n" },
    { "name='g'\nkernel=''\n", "t.cfg:2:8: kernel is empty\n" },
    { MINIMAL "ramdisk=''\n", "t.cfg:3:9: ramdisk is empty\n" },
    { MINIMAL "on_crash='reboot'\n", "t.cfg:3:10: 'on_crash' = \"reboot\": not an "
      "action (destroy, restart, preserve, rename-restart, coredump-destroy, "
      "coredump-restart, soft-reset)\n" },
    { MINIMAL "disk='xvda'\n", "t.cfg:3:6: 'disk' takes a list: disk = [ '...', ... ]\n" },
    { MINIMAL "vif=[['x']]\n", "t.cfg:3:6: 'vif': item 1 is a list; items are strings\n" },
    { MINIMAL "disk=['/a,xvda','/b,xvda']\n", "t.cfg:3:17: disk '/b,xvda': vdev xvda "
      "is already disk 1's\n" },
    { MINIMAL "vif=['mac=00:16:3e:00:00:01','mac=00:16:3e:00:00:01']\n",
      "t.cfg:3:30: vif 'mac=00:16:3e:00:00:01': mac is already vif 1's\n" },
};

START_TEST(semantic_error)
{
    const struct err_case *c = &semantic_errors[_i];

    ck_assert_uint_ge(domain(c->text), 1);
    ck_assert_str_eq(msgs(), c->msg);
}
END_TEST

/* ---- disk and vif specs --------------------------------------------------- */

static struct xlcfg_disk disk;
static struct xlcfg_vif vif;

static bool pdisk(const char *spec)
{
    xlcfg_disk_free(&disk);
    return xlcfg_parse_disk(spec, &disk, "t.cfg", 1, 1, &diags);
}

static bool pvif(const char *spec)
{
    xlcfg_vif_free(&vif);
    return xlcfg_parse_vif(spec, &vif, "t.cfg", 1, 1, &diags);
}

START_TEST(disk_forms)
{
    ck_assert(pdisk("format=raw, vdev=xvda, access=rw, target=/dev/vg/a,b"));
    ck_assert_str_eq(disk.target, "/dev/vg/a,b");   /* target= eats the rest */
    ck_assert_str_eq(disk.vdev, "xvda");
    ck_assert(!disk.readonly);
    ck_assert(pdisk("phy:/dev/vg/guest,xvdb,r"));     /* legacy positional */
    ck_assert_str_eq(disk.target, "/dev/vg/guest");
    ck_assert_int_eq(disk.backendtype, XLCFG_BT_PHY);
    ck_assert(disk.readonly);
    ck_assert(pdisk("/img,qcow2,xvdc,w"));            /* target,format,vdev,access */
    ck_assert_int_eq(disk.format, XLCFG_FMT_QCOW2);
    ck_assert_str_eq(disk.vdev, "xvdc");
    ck_assert(pdisk("/img,,hda"));                    /* empty format slot */
    ck_assert_str_eq(disk.vdev, "hda");
    ck_assert(pdisk(",,hdc:cdrom,r"));                /* empty cdrom */
    ck_assert(disk.cdrom);
    ck_assert_int_eq(disk.format, XLCFG_FMT_EMPTY);
    ck_assert(pdisk("vdev=xvdd, devtype=cdrom, target=/iso"));
    ck_assert(disk.cdrom && disk.readonly);
    ck_assert(pdisk("tap:qcow2:/q.img,xvde,w"));
    ck_assert_int_eq(disk.format, XLCFG_FMT_QCOW2);
    ck_assert_int_eq(disk.backendtype, XLCFG_BT_TAP);
    ck_assert(pdisk("vdev=xvdf, backendtype=qdisk, discard, direct-io-safe, "
                    "backend=dd, script=block-x, target=/f"));
    ck_assert_int_eq(disk.discard, 1);
    ck_assert(disk.direct_io_safe);
    ck_assert_str_eq(disk.backend, "dd");
    ck_assert(pdisk("/a,xvda1"));
    ck_assert(pdisk("/a,d0p1"));
    ck_assert(pdisk("/a,sdb"));
    ck_assert_uint_eq(diags.count, 0);
    xlcfg_disk_free(&disk);
}
END_TEST

static const struct err_case disk_errors[] = {
    { "/a", "t.cfg:1:1: disk '/a': no vdev (the guest's name for it, e.g. vdev=xvda)\n" },
    { "vdev=xvda", "t.cfg:1:1: disk 'vdev=xvda': no target (the file or device backing it)\n" },
    { "/a,xvda,rx", "t.cfg:1:1: disk '/a,xvda,rx': bad access 'rx' (ro, r, rw, w)\n" },
    { "/a,raw,eth0", "t.cfg:1:1: disk '/a,raw,eth0': bad vdev 'eth0' (xvdX, hdX, sdX, dN[pM])\n" },
    { "/a,raw,xvda,rw,extra", "t.cfg:1:1: disk '/a,raw,xvda,rw,extra': too many "
      "positional parameters at 'extra'\n" },
    { "format=vmdk,vdev=xvda,target=/a", "t.cfg:1:1: disk 'format=vmdk,vdev=xvda,"
      "target=/a': unknown format 'vmdk' (raw, qcow, qcow2, vhd, qed, empty)\n" },
    { "vdev=xvda,colour=red,target=/a", "t.cfg:1:1: disk 'vdev=xvda,colour=red,"
      "target=/a': unknown parameter 'colour'\n" },
    { "vdev=xvda,devtype=tape,target=/a", "t.cfg:1:1: disk 'vdev=xvda,devtype=tape,"
      "target=/a': bad devtype 'tape' (disk, cdrom)\n" },
    { "vdev=xvda,backendtype=nbd,target=/a", "t.cfg:1:1: disk 'vdev=xvda,"
      "backendtype=nbd,target=/a': bad backendtype 'nbd' (phy, qdisk, tap, standalone)\n" },
    { "vdev=xvda,format=empty,target=/a", "t.cfg:1:1: disk 'vdev=xvda,format=empty,"
      "target=/a': format=empty is for a cdrom only\n" },
};

START_TEST(disk_error)
{
    const struct err_case *c = &disk_errors[_i];

    ck_assert(!pdisk(c->text));
    ck_assert_str_eq(msgs(), c->msg);
    xlcfg_disk_free(&disk);
}
END_TEST

START_TEST(vif_forms)
{
    ck_assert(pvif("mac=00:16:3E:aa:bb:cc, bridge=xenbr0, ip=10.0.0.2/24 10.0.0.3, "
                   "model=e1000, type=vif, vifname=v1, script=vif-bridge, "
                   "backend=netdom, rate=10Mb/s@20ms, mtu=9000, devid=3, "
                   "gatewaydev=eth0"));
    ck_assert(vif.mac_set);
    ck_assert_uint_eq(vif.mac[3], 0xaa);
    ck_assert_str_eq(vif.bridge, "xenbr0");
    ck_assert_uint_eq(vif.mtu, 9000);
    ck_assert_int_eq(vif.devid, 3);
    ck_assert(pvif(""));                 /* all defaults, as xl takes '' */
    ck_assert(!vif.mac_set);
    ck_assert(pvif("ip=fe80::1"));
    ck_assert_uint_eq(diags.count, 0);
    xlcfg_vif_free(&vif);
}
END_TEST

static const struct err_case vif_errors[] = {
    { "mac=00:16:3e:00:00", "t.cfg:1:1: vif 'mac=00:16:3e:00:00': bad mac "
      "'00:16:3e:00:00' (six hex pairs: 00:16:3e:01:02:03)\n" },
    { "mac=01:16:3e:00:00:01", "t.cfg:1:1: vif 'mac=01:16:3e:00:00:01': mac "
      "'01:16:3e:00:00:01' is a multicast address\n" },
    { "ip=10.0.0.256", "t.cfg:1:1: vif 'ip=10.0.0.256': bad ip '10.0.0.256' "
      "(space-separated addresses, a.b.c.d[/N])\n" },
    { "ip=10.0.0.1/33", "t.cfg:1:1: vif 'ip=10.0.0.1/33': bad ip '10.0.0.1/33' "
      "(space-separated addresses, a.b.c.d[/N])\n" },
    { "bridge", "t.cfg:1:1: vif 'bridge': 'bridge' is not KEY=VALUE\n" },
    { "bridge=", "t.cfg:1:1: vif 'bridge=': 'bridge=' needs a value\n" },
    { "type=tap", "t.cfg:1:1: vif 'type=tap': bad type 'tap' (vif, ioemu)\n" },
    { "mtu=20", "t.cfg:1:1: vif 'mtu=20': bad mtu '20' (68 to 65535)\n" },
    { "devid=x", "t.cfg:1:1: vif 'devid=x': bad devid 'x'\n" },
    { "rate=fast", "t.cfg:1:1: vif 'rate=fast': bad rate 'fast' (e.g. 10Mb/s, 1MB/s@20ms)\n" },
    { "speed=1", "t.cfg:1:1: vif 'speed=1': unknown parameter 'speed'\n" },
};

START_TEST(vif_error)
{
    const struct err_case *c = &vif_errors[_i];

    ck_assert(!pvif(c->text));
    ck_assert_str_eq(msgs(), c->msg);
    xlcfg_vif_free(&vif);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("xlcfg");
    TCase *t = tcase_create("xlcfg");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, strings_and_numbers);
    tcase_add_test(t, escapes);
    tcase_add_test(t, separators_comments_blanks);
    tcase_add_test(t, lists);
    tcase_add_test(t, later_overrides_and_append);
    tcase_add_loop_test(t, syntax_error, 0, N(syntax_errors));
    tcase_add_test(t, all_errors_in_one_pass);
    tcase_add_test(t, error_limit);
    tcase_add_test(t, overrides);
    tcase_add_test(t, full_domain);
    tcase_add_test(t, defaults);
    tcase_add_test(t, octal_like_xl);
    tcase_add_test(t, cmdline_wins);
    tcase_add_test(t, unknown_keys_warn);
    tcase_add_loop_test(t, semantic_error, 0, N(semantic_errors));
    tcase_add_test(t, disk_forms);
    tcase_add_loop_test(t, disk_error, 0, N(disk_errors));
    tcase_add_test(t, vif_forms);
    tcase_add_loop_test(t, vif_error, 0, N(vif_errors));
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
