#!/bin/sh
# poweroff.sh - `poweroff -f` calls reboot(2) itself (tests/boot:
# user-busybox-poweroff): the domain powers off with the shell still running.
echo "po: powering off"
poweroff -f
echo "po: still running after poweroff -f"
