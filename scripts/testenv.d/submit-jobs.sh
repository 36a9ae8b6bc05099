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

# /opt/csv2/submit-jobs.sh COUNT CPUS MEMORY_MB SECONDS [EXTRA_SUBMIT_LINES_FILE|-]
#
# Submits COUNT idle-until-matched jobs (`/bin/sleep SECONDS`, request_cpus CPUS, request_memory MEMORY_MB MiB,
# request_disk 10 MB, no file transfer) as ONE cluster and prints only the cluster id on stdout.
# Must run as the unprivileged user `tester` inside the chroot (root cannot submit: "Cannot allocate a cluster
# id"). From the host:
#   chroot --userspec=tester:tester $R env HOME=/home/tester USER=tester LOGNAME=tester /opt/csv2/submit-jobs.sh 4 2 256 5
# (that prefix is condor.submit.prefix in testenv.properties).
#
# EXTRA_SUBMIT_LINES_FILE: submit-description lines added before `queue`, e.g. `+ProjectTag = "ci"` or
# `requirements = ...`. A path inside the chroot readable by tester, or `-` to read the lines from stdin
# (handy from Java: no file to place in the chroot). Later lines win over the defaults above.
# The job's user log is /home/tester/jobs/<cluster>.log.
set -euo pipefail

usage() { echo "usage: $0 COUNT CPUS MEMORY_MB SECONDS [EXTRA_SUBMIT_LINES_FILE|-]" >&2; exit 2; }
[ $# -ge 4 ] && [ $# -le 5 ] || usage
COUNT=$1 CPUS=$2 MEM=$3 SECS=$4 EXTRA=${5:-}
for v in "$COUNT" "$CPUS" "$MEM" "$SECS"; do [[ $v =~ ^[0-9]+$ ]] || usage; done
[ "$(id -u)" -ne 0 ] || { echo "submit-jobs.sh: must not run as root (condor_submit refuses root); run it as tester" >&2; exit 1; }

HOME=${HOME:-/home/$(id -un)}
DIR=$HOME/jobs
mkdir -p "$DIR"
SUB=$(mktemp "$DIR/submit.XXXXXX")
trap 'rm -f "$SUB"' EXIT

{
  echo "universe = vanilla"
  echo "executable = /bin/sleep"
  echo "arguments = $SECS"
  echo "request_cpus = $CPUS"
  echo "request_memory = ${MEM}MB"
  echo "request_disk = 10MB"
  echo "should_transfer_files = NO"
  echo "log = $DIR/\$(ClusterId).log"
  echo "output = /dev/null"
  echo "error = /dev/null"
  if [ -n "$EXTRA" ]; then
    if [ "$EXTRA" = "-" ]; then cat; else cat -- "$EXTRA"; fi
    echo
  fi
  echo "queue $COUNT"
} >"$SUB"

cd "$DIR"
# -terse prints "FIRST_JOB - LAST_JOB", e.g. "12.0 - 12.3"
OUT=$(condor_submit -terse "$SUB") || { echo "submit-jobs.sh: condor_submit failed; submit file was:" >&2; cat "$SUB" >&2; exit 1; }
CLUSTER=${OUT%%.*}
[[ $CLUSTER =~ ^[0-9]+$ ]] || { echo "submit-jobs.sh: unexpected condor_submit output: $OUT" >&2; exit 1; }
echo "$CLUSTER"
