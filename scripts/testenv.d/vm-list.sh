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

# /opt/csv2/vm-list.sh: prints the names of the running "VMs" (vm-start.sh), one per line, sorted.
# A VM is running when its master pid (/var/lib/condor-vm/NAME/run/master.pid) is alive.
set -uo pipefail
for d in /var/lib/condor-vm/*/; do
  [ -d "$d" ] || continue
  pid=$(cat "$d/run/master.pid" 2>/dev/null) || continue
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && basename "$d"
done | sort
