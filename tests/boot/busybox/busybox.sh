#!/bin/sh
# busybox.sh - Debian's busybox-static on pvkernel, non-interactively: run
# as init (`init=/bin/sh -- /usr/share/tests/busybox.sh`, tests/boot:
# user-busybox) it checks the common applets and prints `bb: ok NAME` or
# `bb: FAIL NAME (what came)` per check, then `bb: N checks, M failed`, and
# exits with M.  The same script runs on Xen 4.17 (the same lines).
n=0 failed=0
check() {       # check NAME EXPECTED ACTUAL
    n=$((n + 1))
    if [ "$2" = "$3" ]; then
        echo "bb: ok $1"
    else
        failed=$((failed + 1))
        echo "bb: FAIL $1 (expected '$2', got '$3')"
    fi
}
check arithmetic 42 "$((6*7))"
check echo hello "$(echo hello)"
check 'ls /' yes "$(ls / | grep -qx etc && ls / | grep -qx proc && echo yes)"
check cat 'Welcome to pvkernel, dom0 of pvisor.' "$(cat /etc/motd)"
check 'pipeline of three' 3 "$(printf 'b\na\nc\n' | sort | wc -l)"
check 'sort' 'a b c' "$(printf 'b\na\nc\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check 'grep from a pipe' 'root:x:0:0:root:/root:/bin/sh' "$(cat /etc/passwd | grep root)"
check sed 'hello pvkernel' "$(echo hello world | sed 's/world/pvkernel/')"
check awk 6 "$(printf '1 2\n3 0\n' | awk '{ s += $1 + $2 } END { print s }')"
check 'head, tail' '2 3' "$(seq 1 5 | head -3 | tail -2 | tr '\n' ' ' | sed 's/ $//')"
mkdir -p /tmp/bb/sub
echo data > /tmp/bb/a
cp /tmp/bb/a /tmp/bb/b && mv /tmp/bb/b /tmp/bb/sub/c
check 'mkdir, cp, mv' data "$(cat /tmp/bb/sub/c)"
check find '/tmp/bb/sub/c' "$(find /tmp/bb -name c)"
check xargs 'x /tmp/bb/a' "$(echo /tmp/bb/a | xargs echo x)"
dd if=/dev/zero of=/tmp/bb/z bs=512 count=8 2>/dev/null
check dd 4096 "$(wc -c < /tmp/bb/z | tr -d ' ')"
rm -r /tmp/bb
check rm no "$(test -e /tmp/bb && echo yes || echo no)"
check 'ls -l names' 'root root' "$(ls -ld / | awk '{ print $3, $4 }')"
check id 'uid=0(root) gid=0(root)' "$(id)"
check 'ps shows itself' yes "$(ps | grep -qw ps && echo yes)"
check 'ps pid 1' yes "$(ps | awk '$1 == 1' | grep -q . && echo yes)"
check free yes "$(free | grep -q '^Mem:' && echo yes)"
check uptime yes "$(uptime | grep -q 'load average' && echo yes)"
check 'df /' yes "$(df / | awk 'NR == 2 && $2 > 0 && $6 == "/" { print "yes" }')"
check mount 'proc /proc proc' "$(mount | grep '^proc' | awk '{ print $1, $3, $5 }')"
check 'top -b -n1' yes "$(top -b -n1 | grep -q '^Mem:' && echo yes)"
check date yes "$(date +%Y | grep -qE '^20[0-9][0-9]$' && echo yes)"
check sleep 0 "$(sleep 0.1; echo $?)"
check env yes "$(env | grep -q '^PATH=' && echo yes)"
check 'test' yes "$([ -d /proc ] && [ -f /etc/passwd ] && echo yes)"
check 'exit status' 3 "$(sh -c 'exit 3'; echo $?)"
check 'false' 1 "$(false; echo $?)"
check 'command not found' 127 "$(nosuchcommand 2>/dev/null; echo $?)"
check 'kill: 128 + SIGTERM' 143 "$(sh -c 'kill $$'; echo $?)"
mkfifo /tmp/fifo
check 'mkfifo' p "$(ls -l /tmp/fifo | cut -c1)"
(echo through the fifo > /tmp/fifo) &
check 'a FIFO between two processes' 'through the fifo' "$(cat /tmp/fifo)"
rm /tmp/fifo
check 'wc from a pipe' 3 "$(printf '1\n2\n3\n' | wc -l)"
echo "bb: $n checks, $failed failed"
exit $failed
