#!/bin/sh
# exec.sh - exec's rules under busybox (tests/boot: user-busybox-exec):
# #! scripts, a file with neither ELF nor #! (ENOEXEC: the shell runs it
# itself), a truncated ELF, a missing interpreter, a program written at
# run time, a huge argv (E2BIG).  Prints `ex: ok NAME` / `ex: FAIL ...`.
n=0 failed=0
check() {
    n=$((n + 1))
    if [ "$2" = "$3" ]; then echo "ex: ok $1"; else
        failed=$((failed + 1)); echo "ex: FAIL $1 (expected '$2', got '$3')"; fi
}
printf '#!/bin/sh\necho "script $# $1"\n' > /tmp/s1 && chmod +x /tmp/s1
check '#! script' 'script 1 arg' "$(/tmp/s1 arg)"
printf '#!/bin/echo one-arg  \n' > /tmp/s2 && chmod +x /tmp/s2
check '#! with one argument' 'one-arg /tmp/s2 x y' "$(/tmp/s2 x y)"
printf '#! /bin/echo a b c\n' > /tmp/s3 && chmod +x /tmp/s3
check '#! argument not split' 'a b c /tmp/s3' "$(/tmp/s3)"
printf '#!/tmp/s1\n' > /tmp/s4 && chmod +x /tmp/s4
check '#! interpreter that is a script' 'script 1 /tmp/s4' "$(/tmp/s4)"
check 'no ELF, no #!: the shell runs it' 'not an ELF: run by the shell itself' "$(/bin/notelf)"
/bin/truncated 2>/dev/null; rc=$?
# The shell runs the bytes as a script: 127 (a garbage command) or 1 (a
# garbage redirection, '>' then '/...': which one depends on the ELF's
# entry address, so on usertest's code; busybox on Linux answers the same).
case $rc in 1) rc=127 ;; esac
check 'truncated ELF: ENOEXEC, the shell reads it' 127 "$rc"
/bin/nointerp 2>/dev/null; rc=$?
check 'missing #! interpreter' 127 "$rc"
cp /bin/fault /tmp/fault2
check 'a program written at run time' 3 "$(/tmp/fault2 none >/dev/null 2>&1; echo $?)"
check 'not executable' 126 "$(/etc/passwd 2>/dev/null; echo $?)"
big=$(head -c 200000 /dev/zero | tr '\0' x)
/bin/echo "$big" >/dev/null 2>&1; rc=$?
check 'huge argv: E2BIG' 126 "$rc"
echo "ex: $n checks, $failed failed"
exit $failed
