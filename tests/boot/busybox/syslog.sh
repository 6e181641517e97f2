#!/bin/sh
# syslog.sh - busybox's syslogd and logger over an AF_UNIX datagram socket
# (/dev/log) on pvkernel: run as init (`init=/bin/sh --
# /usr/share/tests/syslog.sh`, tests/boot: user-busybox-syslog) it prints
# `sl: ok NAME` or `sl: FAIL NAME (what came)` per check, then `sl: N
# checks, M failed`, and exits with M.
n=0 failed=0
check() {       # check NAME EXPECTED ACTUAL
    n=$((n + 1))
    if [ "$2" = "$3" ]; then
        echo "sl: ok $1"
    else
        failed=$((failed + 1))
        echo "sl: FAIL $1 (expected '$2', got '$3')"
    fi
}
syslogd -n -O /tmp/messages &
pid=$!
i=0
while [ ! -S /dev/log ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check '/dev/log is a socket' s "$(ls -l /dev/log | cut -c1)"
logger -t sltest -p user.notice "hello from logger"
echo "piped line" | logger -t sltest
i=0
while ! grep -q 'piped line' /tmp/messages 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1; i=$((i + 1))
done
check 'logger reaches syslogd' yes "$(grep -q 'user.notice sltest: hello from logger' /tmp/messages && echo yes)"
check 'logger from a pipe' yes "$(grep -q 'sltest: piped line' /tmp/messages && echo yes)"
kill $pid
wait $pid 2>/dev/null
check 'syslogd ends on SIGTERM' yes "$(kill -0 $pid 2>/dev/null && echo no || echo yes)"
echo "sl: $n checks, $failed failed"
exit $failed
