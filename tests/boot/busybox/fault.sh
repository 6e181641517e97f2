#!/bin/sh
# fault.sh - a segfaulting program is killed by SIGSEGV and the shell goes
# on (tests/boot: user-busybox-fault): 128 + 11.
/bin/fault null
echo "fault: status $?"
/bin/fault div0
echo "fault: status $?"
echo "fault: the shell survived"
