#!/bin/bash
#
# Copyright The csv2 Authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     https://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
#

# /opt/csv2/vm-stop.sh NAME
#
# Stops the "VM" NAME started by vm-start.sh: `condor_off -master -name NAME@<host>` (a fast but orderly
# shutdown; running jobs are evicted back to idle), waits up to 15 s for the master to go, then kills the
# master and every process of that VM (found by its CONDOR_CONFIG) that is still alive, and removes the VM's
# dirs; its last logs are kept in /var/log/condor-vm/NAME (replaced when a VM of that name stops again).
# Exit 0 also when the VM was not running. Run as root in the chroot: chroot $R /opt/csv2/vm-stop.sh vm1
# (For a peaceful retire that lets running jobs finish, use condor_off -startd -peaceful -name NAME@<host> first.)
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 NAME" >&2; exit 2; }
NAME=$1
[[ $NAME =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || { echo "vm-stop.sh: bad VM name '$NAME'" >&2; exit 2; }
D=/var/lib/condor-vm/$NAME
C=/etc/condor-vm/$NAME
HOST=$(condor_config_val FULL_HOSTNAME 2>/dev/null || echo 127-0-0-1.ci.local)
PID=$(cat "$D/run/master.pid" 2>/dev/null || true)

alive() { [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; }

# every process of this VM: its daemons carry CONDOR_CONFIG=$C/condor_config in their environment
vm_pids() {
  local p
  for p in /proc/[0-9]*; do
    grep -qxzF "CONDOR_CONFIG=$C/condor_config" "$p/environ" 2>/dev/null && echo "${p#/proc/}"
  done
  return 0
}

if alive; then
  if ! timeout 10 condor_off -master -name "$NAME@$HOST" >/dev/null 2>&1; then
    # the master ad may not be in the collector yet (first ~5 s): address it directly
    ADDR=$(head -1 "$D/log/.master_address" 2>/dev/null || true)
    [ -n "$ADDR" ] && timeout 10 condor_off -master -addr "$ADDR" >/dev/null 2>&1 || kill -TERM "$PID" 2>/dev/null
  fi
  for _ in $(seq 1 60); do alive || break; sleep 0.25; done
fi
PIDS=$(vm_pids)
if [ -n "$PIDS" ]; then
  kill -TERM $PIDS 2>/dev/null
  for _ in $(seq 1 20); do [ -z "$(vm_pids)" ] && break; sleep 0.25; done
  PIDS=$(vm_pids); [ -n "$PIDS" ] && kill -KILL $PIDS 2>/dev/null
fi
if [ -d "$D/log" ]; then
  mkdir -p /var/log/condor-vm
  rm -rf "/var/log/condor-vm/$NAME"
  mv "$D/log" "/var/log/condor-vm/$NAME"
fi
rm -rf "$D" "$C"
exit 0
