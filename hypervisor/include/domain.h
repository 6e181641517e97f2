/* SPDX-License-Identifier: MIT */
/*
 * domain.h - creating, crashing, shutting down and finding domains
 * (common/domain.c).
 */
#ifndef PVISOR_DOMAIN_H
#define PVISOR_DOMAIN_H

#include "sched.h"

struct domain *domain_create(domid_t id, bool privileged);
struct domain *domain_by_id(domid_t id);
struct vcpu *vcpu_create(struct domain *d, unsigned int id);
/*
 * The guest broke the rules: log why with a register dump, mark the
 * domain crashed (SHUTDOWN_crash). The caller returns normally; the
 * vCPU is not resumed (exit_to_guest() checks).
 */
void domain_crash(struct domain *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* sched_op(SCHEDOP_shutdown) and domain_crash() end here. */
void domain_shutdown(struct domain *d, unsigned int reason);
bool vcpu_runnable(const struct vcpu *v);
uint64_t domain_relinquish_memory(struct domain *d);
const char *shutdown_reason_name(unsigned int reason);

#endif
