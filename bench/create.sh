#!/bin/sh
# create.sh - the domain-creation benchmark, run in dom0 as init
# (`init=/bin/sh -- /usr/share/bench/create.sh [N [LEVELS]]`, packed by
# guest-kernel/user/meson.build; ./pvisor bench runs it, bench/README.md
# says what the figures count). Starts the daemons (/etc/init.d/rcS),
# then for each level R (default 1:10:100: domains running,
# dom0 included) starts idle guests (/etc/pvisor/guest.cfg, 12 MiB, a
# shell waiting on its console) until R run, and creates N (default 100)
# tiny guests one after another (pvkernel, no ramdisk, `noselftest
# boottsc`: it prints its boot stamps and powers off), each after the last
# one is gone. One line per create:
#   createbench: R I READ BUILD STORE CONSOLE UNPAUSE TOTAL ENTRY CONSOLE1
# (pvctl create --timing's deltas; entry and console: the guest's first
# instruction and first console write, from pvctl's start), then
# `createbench: done`.
N=${1:-100}
LEVELS=$(echo "${2:-1:10:100}" | tr ':,' '  ')    # colons: QEMU's -initrd splits at commas
sh /etc/init.d/rcS || { echo "createbench: cannot start the daemons"; exit 1; }
printf 'memory = 8\nkernel = "/boot/pvkernel.elf"\ncmdline = "noselftest boottsc"\n' > /tmp/tiny.cfg
gone() {        # gone NAME: wait (at most ~20 s) until NAME is no domain
    k=0
    while pvctl list | grep -q "^$1 " && [ $k -lt 200 ]; do usleep 100000; k=$((k + 1)); done
}
running=1
for R in $LEVELS; do
    while [ $running -lt $R ]; do
        pvctl create /etc/pvisor/guest.cfg "name='idle$running'" memory=12 >/dev/null ||
            { echo "createbench: cannot start idle guest $running"
              tail -3 /var/log/pvisor/pvstored.log /var/log/pvisor/pvconsoled.log; break 2; }
        running=$((running + 1))
    done
    sleep 3         # the idle guests reach their prompts
    echo "createbench: level $R: $(pvctl list | grep -vc '^Name') domains running"
    i=0
    while [ $i -lt $N ]; do
        name=t$i
        line=$(pvctl create /tmp/tiny.cfg --timing "name='$name'" | grep '^pvctl: timing')
        k=0
        while ! grep -q '^boottsc:' /var/log/pvisor/$name.log 2>/dev/null && [ $k -lt 200 ]; do
            usleep 50000; k=$((k + 1))
        done
        guest=$(grep '^boottsc:' /var/log/pvisor/$name.log 2>/dev/null | tail -1 | tr -d '\r')
        gone $name
        rm -f /var/log/pvisor/$name.log /var/log/pvisor/$name-monitor.log
        # "pvctl: timing dD start S read R build B store T console C unpause U total A"
        set -- $line
        if [ $# -eq 17 ] && [ -n "$guest" ]; then
            start=$5 t="$7 $9 ${11} ${13} ${15} ${17}"
            set -- $guest           # "boottsc: entry E console C"
            echo "createbench: $R $i $t $(($3 - start)) $(($5 - start))"
        else
            echo "createbench: $R $i failed (timing '$line', guest '$guest')"
        fi
        i=$((i + 1))
    done
done
echo "createbench: done"
