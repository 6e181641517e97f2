/* SPDX-License-Identifier: MIT */
/*
 * init.c - /sbin/init of the initramfs (musl, static).
 * Owns:    the first user program's behaviour: today a greeting and exit 0
 *          (no fork/exec yet: a shell comes with them, issue 10's next steps).
 * Touches: the console (stdout), uname().
 */
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct utsname u;

    uname(&u);
    printf("init: pid %d, %s %s on %s: hello from user mode\n",
           (int)getpid(), u.sysname, u.release, u.machine);
    (void)argc; (void)argv;
    return 0;
}
