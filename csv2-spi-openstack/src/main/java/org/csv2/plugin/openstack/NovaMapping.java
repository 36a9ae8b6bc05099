/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.csv2.plugin.openstack;

import java.util.Locale;
import java.util.Map;
import org.csv2.model.InstanceState;
import org.jspecify.annotations.Nullable;
import org.openstack4j.model.compute.Server;

/**
 * Pure translations of Nova's words into csv2's: server states and GPUs from flavor extra specs.
 *
 * <p>Thread safety: stateless.
 */
final class NovaMapping {
  private NovaMapping() {}

  /**
   * Maps a server's status (and task and VM state, which tell deleting and soft-deleted servers
   * apart) to an instance state.
   *
   * @param status Nova's status
   * @param taskState Nova's task state, or null
   * @param vmState Nova's VM state, or null
   * @return the state
   */
  static InstanceState state(Server.@Nullable Status status, @Nullable String taskState, @Nullable String vmState) {
    String vm = vmState == null ? "" : vmState.toLowerCase(Locale.ROOT);
    if (status == Server.Status.DELETED || vm.equals("deleted") || vm.equals("soft-delete") || vm.equals("soft_deleted")) {
      return InstanceState.TERMINATED;
    }
    if (taskState != null && taskState.toLowerCase(Locale.ROOT).startsWith("deleting")) {
      return InstanceState.TERMINATING;
    }
    if (status == null) {
      return InstanceState.UNKNOWN;
    }
    return switch (status) {
      case BUILD -> InstanceState.PENDING;
      case ACTIVE -> InstanceState.ACTIVE;
      case ERROR -> InstanceState.ERROR;
      case SHUTOFF, STOPPED, PAUSED, SUSPENDED, SHELVED, SHELVED_OFFLOADED -> InstanceState.STOPPED;
      case DELETED -> InstanceState.TERMINATED;
      case REBUILD, RESIZE, VERIFY_RESIZE, REVERT_RESIZE, PASSWORD, REBOOT, HARD_REBOOT, MIGRATING,
          RESCUE, UNKNOWN, UNRECOGNIZED -> InstanceState.UNKNOWN;
    };
  }

  /**
   * The GPUs a flavor gives, from its extra specs: the counts of {@code pci_passthrough:alias}
   * ({@code "alias:count[,alias:count...]"}) plus {@code resources:VGPU} and {@code
   * resources:PGPU}. Malformed values count as zero.
   *
   * @param extraSpecs the flavor's extra specs
   * @return the number of GPUs
   */
  static int gpus(Map<String, String> extraSpecs) {
    long total = 0;
    String alias = extraSpecs.get("pci_passthrough:alias");
    if (alias != null) {
      for (String part : alias.split(",")) {
        String p = part.strip();
        if (p.isEmpty()) {
          continue;
        }
        int colon = p.lastIndexOf(':');
        total += colon < 0 ? 1 : count(p.substring(colon + 1));
      }
    }
    total += count(extraSpecs.get("resources:VGPU"));
    total += count(extraSpecs.get("resources:PGPU"));
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  private static long count(@Nullable String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
