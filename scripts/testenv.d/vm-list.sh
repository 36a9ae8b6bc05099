#!/bin/bash
# /opt/csv2/vm-list.sh: prints the names of the running "VMs" (vm-start.sh), one per line, sorted.
# A VM is running when its master pid (/var/lib/condor-vm/NAME/run/master.pid) is alive.
set -uo pipefail
for d in /var/lib/condor-vm/*/; do
  [ -d "$d" ] || continue
  pid=$(cat "$d/run/master.pid" 2>/dev/null) || continue
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && basename "$d"
done | sort
