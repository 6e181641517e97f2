/* SPDX-License-Identifier: MIT */
/*
 * keyhandler.h - the hypervisor's debug keys (common/keyhandler.c).
 * Owns:    handle_keypress(); the keys themselves are listed by 'h'.
 * Touches: nothing.
 */
#ifndef PVISOR_KEYHANDLER_H
#define PVISOR_KEYHANDLER_H

/* A key typed while the serial input is the hypervisor's (console.c). */
void handle_keypress(char key);

#endif
