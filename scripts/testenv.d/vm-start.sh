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

# /opt/csv2/vm-start.sh NAME CONFIG_FILE
#
# Starts a "VM": a second condor_master + condor_startd in this chroot that joins the test pool like a cloud
# worker would. Its state lives in /var/lib/condor-vm/NAME (log, spool, execute, run, lock); its daemons are
# named NAME@<host> (e.g. vm1@127-0-0-1.ci.local, slot1@vm1@127-0-0-1.ci.local). Prints the master's pid.
# Run as root inside the chroot:  chroot $R /opt/csv2/vm-start.sh vm1 /tmp/vm1.config
# Stop with vm-stop.sh NAME; list with vm-list.sh.
#
# CONFIG_FILE is the caller's HTCondor config for this VM: its "hardware" and attributes, e.g.
#     NUM_CPUS = 2
#     MEMORY = 1024
#     CloudVMName = "vm1"
#     STARTD_ATTRS = $(STARTD_ATTRS) CloudVMName
# It is copied (so the caller may delete it) to /etc/condor-vm/NAME/caller.config.
#
# How the configuration is layered, and why:
#   CONDOR_CONFIG = /etc/condor-vm/NAME/condor_config, which
#     1. includes the pool's /etc/condor/condor_config (which pulls in config.d/, i.e. the pool settings:
#        ROLE Personal, DAEMON_LIST with COLLECTOR/SCHEDD, security, intervals ...), then
#     2. sets LOCAL_CONFIG_FILE = /etc/condor-vm/NAME/local.config. HTCondor reads LOCAL_CONFIG_FILE LAST,
#        after config.d/ (pitfall 3 in TEST-ENVIRONMENT.md: overrides written right after the include are
#        undone by config.d/). local.config is:
#          a. DEFAULTS block: the VM settings (dirs, names, DAEMON_LIST = MASTER STARTD, USE_SHARED_PORT =
#             False, SEC_USE_FAMILY_SESSION = False) plus defaults NUM_CPUS = 1, MEMORY = 512. Written BEFORE the
#             caller's file so the caller can refer to them ($(LOCAL_DIR), $(STARTD_NAME)) and override the
#             defaults: the caller's NUM_CPUS, MEMORY, STARTD_ATTRS, START, MAXJOBRETIREMENTTIME ... win.
#          b. include : caller.config
#          c. FIXED block: the identity and plumbing settings again, AFTER the caller's file, so the caller
#             cannot change them. They must not be overridable because: the dirs and names keep two VMs (and
#             the pool) from sharing logs, spool, pid and lock files and from replacing each other's ads in
#             the collector; vm-stop.sh/vm-list.sh find a VM by NAME, its dir and NAME@host; DAEMON_LIST stops
#             a VM from starting a second collector/negotiator/schedd; USE_SHARED_PORT = False because the pool's
#             shared port already owns 9618 (pitfall 5); SEC_USE_FAMILY_SESSION = False because a second master
#             on the same host is otherwise rejected by the collector (pitfall 4). The block also empties
#             LOCAL_CONFIG_FILE and LOCAL_CONFIG_DIR: HTCondor follows those when a local file sets them (tested:
#             a caller file setting LOCAL_CONFIG_FILE = other.config got other.config read after everything,
#             and its DAEMON_LIST started a schedd). A caller file that sets any of these keys gets a warning
#             on stderr and the value is ignored; put everything in the one CONFIG_FILE.
#   `CONDOR_CONFIG=/etc/condor-vm/NAME/condor_config condor_config_val -config` shows the order.
set -euo pipefail

usage() { echo "usage: $0 NAME CONFIG_FILE" >&2; exit 2; }
[ $# -eq 2 ] || usage
NAME=$1 CALLER=$2
[[ $NAME =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || { echo "vm-start.sh: bad VM name '$NAME' (letters, digits, _ . -)" >&2; exit 2; }
[ -r "$CALLER" ] || { echo "vm-start.sh: config file not readable: $CALLER" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "vm-start.sh: must run as root in the chroot" >&2; exit 1; }

D=/var/lib/condor-vm/$NAME
C=/etc/condor-vm/$NAME
PIDFILE=$D/run/master.pid
if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "vm-start.sh: VM $NAME is already running (master pid $(cat "$PIDFILE"))" >&2; exit 1
fi

FIXED_KEYS="LOCAL_DIR LOG SPOOL EXECUTE RUN LOCK MASTER_NAME STARTD_NAME DAEMON_LIST USE_SHARED_PORT SEC_USE_FAMILY_SESSION LOCAL_CONFIG_FILE LOCAL_CONFIG_DIR"
for k in $FIXED_KEYS; do
  if grep -Eiq "^[[:space:]]*${k}[[:space:]]*[:=]" "$CALLER"; then
    echo "vm-start.sh: warning: $CALLER sets $k; ignored (the VM's own value is fixed)" >&2
  fi
done

rm -rf "$D"
mkdir -p "$C" "$D/log" "$D/spool" "$D/execute" "$D/run" "$D/lock"
chown -R condor:condor "$D"
cp -- "$CALLER" "$C/caller.config.tmp" && mv -f "$C/caller.config.tmp" "$C/caller.config"

fixed() {
  cat <<CFG
LOCAL_DIR = $D
LOG = \$(LOCAL_DIR)/log
SPOOL = \$(LOCAL_DIR)/spool
EXECUTE = \$(LOCAL_DIR)/execute
RUN = \$(LOCAL_DIR)/run
LOCK = \$(LOCAL_DIR)/lock
MASTER_NAME = $NAME
STARTD_NAME = $NAME
DAEMON_LIST = MASTER STARTD
USE_SHARED_PORT = False
SEC_USE_FAMILY_SESSION = False
CFG
}

cat >"$C/condor_config" <<CFG
# written by /opt/csv2/vm-start.sh for VM $NAME
include : /etc/condor/condor_config
LOCAL_CONFIG_FILE = $C/local.config
CFG
{
  echo "# written by /opt/csv2/vm-start.sh for VM $NAME; read last (LOCAL_CONFIG_FILE)"
  echo "# a. defaults and VM settings (the caller's file below may override the defaults)"
  fixed
  echo "NUM_CPUS = 1"
  echo "MEMORY = 512"
  echo "# b. the caller's file"
  echo "include : $C/caller.config"
  echo "# c. fixed: identity and plumbing, not overridable by the caller"
  fixed
  echo "# HTCondor follows a LOCAL_CONFIG_FILE/LOCAL_CONFIG_DIR set in a local file (chaining): allow none"
  echo "LOCAL_CONFIG_FILE ="
  echo "LOCAL_CONFIG_DIR ="
} >"$C/local.config"

export CONDOR_CONFIG=$C/condor_config
# a config the daemons cannot read would only show up in the (then empty) VM log: check it here
condor_config_val DAEMON_LIST >/dev/null || { echo "vm-start.sh: config of VM $NAME does not parse" >&2; exit 1; }
condor_master -pidfile "$PIDFILE" </dev/null >"$D/log/master.stdout" 2>&1
for _ in $(seq 1 50); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
[ -s "$PIDFILE" ] || { echo "vm-start.sh: master of VM $NAME wrote no pid file; see $D/log/MasterLog" >&2; exit 1; }
cat "$PIDFILE"
