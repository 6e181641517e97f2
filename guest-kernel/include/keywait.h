/* SPDX-License-Identifier: MIT */
/*
 * keywait.h - keywait=SECONDS: wait for console input and the debug key.
 * Owns:    the interface of kernel/keywait.c.
 * Touches: nothing (declarations).
 */
#ifndef KEYWAIT_H
#define KEYWAIT_H

/*
 * Bind VIRQ_CONSOLE and VIRQ_DEBUG on vCPU 0, then sleep until both a
 * VIRQ_DEBUG and at least one byte of console input have arrived, or
 * seconds have passed, printing each as it comes; unbind both and return
 * with events masked.  Called with events masked.  0 when it waited (done
 * or timed out), else the -XEN_E* of the bind, timer or sleep that failed.
 */
long keywait_run(unsigned long seconds);

#endif /* KEYWAIT_H */
