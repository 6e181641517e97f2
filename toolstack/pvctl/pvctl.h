/* SPDX-License-Identifier: MIT */
/*
 * pvctl.h - what pvctl's subcommand files share: the hypervisor handle,
 * naming a domain on the command line, and the subcommands' entry points.
 * Owns:    nothing; declarations only.
 */
#ifndef PVISOR_PVCTL_H
#define PVISOR_PVCTL_H

#include <stdint.h>
#include <xen/xen.h>
#include "hv.h"

/* Exit statuses, as xl's: 0 done, 1 failed, 2 usage. */
#define PVCTL_OK    0
#define PVCTL_FAIL  1
#define PVCTL_USAGE 2

/* The store's socket in dom0 (pvstored -s). */
#define PVCTL_STORE_SOCKET "/run/pvstored/socket"

/* Open privcmd, or print why not (not dom0, not root) and return -1. */
int pvctl_hv_open(struct hv *h);
/* A domain named by id or by its store name: 0 and *id, or print why
 * not and return -1. */
int pvctl_domain_arg(struct hv *h, const char *arg, domid_t *id);
/* The name the store (xs, NULL if it is not running) gives domain id,
 * into buf: empty if none, "Domain-0" for d0 without one. */
struct xs_handle;
void pvctl_domain_name(struct xs_handle *xs, domid_t id, char *buf, size_t size);
/* The id of the domain the store names name, -ENOENT if none, or the
 * -errno of listing the domains. */
int pvctl_domain_by_name(struct hv *h, const char *name);

/* Load and check a config as `pvctl check` does, printing every
 * diagnostic: 0 and *dc (free with domain_config_free), or the number of
 * errors (nothing to free). *nwarnings (may be NULL): the warnings. */
struct domain_config;
unsigned pvctl_load_config(const char *file, char *const overrides[],
                           int noverrides, struct domain_config *dc,
                           unsigned *nwarnings);
/* End domain id as xl destroy does (console, store, hypervisor). */
int pvctl_teardown(struct hv *h, domid_t id);
/* Attach this terminal to id's console until it closes or Ctrl-]. */
int pvctl_console_attach(domid_t id);

int cmd_create(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_destroy(int argc, char **argv);

#endif
