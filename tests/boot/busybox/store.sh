#!/bin/sh
# store.sh - the store daemon in dom0: /sbin/pvstored serving its unix
# socket (/run/pvstored/socket) on pvkernel, driven by /bin/pvstore-client
# as tests/unit/store_daemon.py drives it on the host.  Run as init
# (`init=/bin/sh -- /usr/share/tests/store.sh`, tests/boot:
# user-store-daemon); prints `st: ok NAME` or `st: FAIL NAME (what came)`
# per check, then `st: N checks, M failed`, and exits with M.
n=0 failed=0
check() {       # check NAME EXPECTED ACTUAL
    n=$((n + 1))
    if [ "$2" = "$3" ]; then
        echo "st: ok $1"
    else
        failed=$((failed + 1))
        echo "st: FAIL $1 (expected '$2', got '$3')"
    fi
}
sock=/run/pvstored/socket
pvstored > /tmp/pvstored.out &
pid=$!
i=0
while [ ! -S $sock ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
# In dom0 the devices open too: "... and guests' rings".
check 'the daemon serves its socket' "pvstored: serving $sock" "$(head -1 /tmp/pvstored.out | cut -c1-38)"
check 'the socket in /run/pvstored' s "$(ls -l $sock | cut -c1)"
check write '' "$(pvstore-client write /vm/1/name guest 2>&1)"
check read guest "$(pvstore-client read /vm/1/name 2>&1)"
check ls 1 "$(pvstore-client ls /vm 2>&1)"
out=$(pvstore-client read /nope 2>&1)
rc=$?
check 'read a missing path: ENOENT, status 1' 'ENOENT 1' "$(echo "$out" | grep -o ENOENT) $rc"
pvstore-client watch /vm 2 > /tmp/watch.out &
w=$!
i=0
while [ ! -s /tmp/watch.out ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pvstore-client write /vm/1/state running
wait $w
check 'watch: the initial event and a change' '/vm pvstore-client|/vm/1/state pvstore-client' \
    "$(tr '\n' '|' < /tmp/watch.out | sed 's/|$//')"
check rm '' "$(pvstore-client rm /vm 2>&1)"
check 'after rm: ENOENT' yes "$(pvstore-client read /vm/1/name 2>&1 | grep -q ENOENT && echo yes)"
check 'the daemon still runs' yes "$(kill -0 $pid && echo yes)"
kill $pid
wait $pid
check 'SIGTERM: exit status 0' 0 "$?"
check 'the socket removed at exit' no "$(test -e $sock && echo yes || echo no)"
echo "st: $n checks, $failed failed"
exit $failed
