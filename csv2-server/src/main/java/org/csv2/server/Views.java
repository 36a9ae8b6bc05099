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
package org.csv2.server;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.api.ops.GroupStatus;
import org.csv2.model.ApiToken;
import org.csv2.model.GroupName;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/** What the API and the pages show: flat records of strings and numbers, safe to serialise. */
final class Views {
  private Views() {}

  record VmView(
      String id,
      String group,
      String cloud,
      String flavor,
      @Nullable String alias,
      @Nullable String instanceId,
      String state,
      String reason,
      Instant createdAt,
      Instant stateSince,
      int cores,
      long ramMiB,
      boolean manual,
      int retireAttempts,
      int terminateAttempts,
      long version) {
    static VmView of(Vm vm) {
      return new VmView(
          vm.id().value(),
          vm.group().value(),
          vm.cloud().value(),
          vm.flavor().value(),
          vm.alias() == null ? null : vm.alias().toString(),
          vm.instanceId() == null ? null : vm.instanceId().toString(),
          vm.state().name(),
          vm.reason(),
          vm.createdAt(),
          vm.stateSince(),
          vm.resources().cores(),
          vm.resources().ramMiB(),
          vm.manual(),
          vm.retireAttempts(),
          vm.terminateAttempts(),
          vm.version());
    }
  }

  record UserView(
      String name, boolean admin, List<String> groups, @Nullable String defaultGroup, int refreshSeconds, long version) {
    static UserView of(User u) {
      return new UserView(
          u.name(),
          u.admin(),
          u.groups().stream().map(GroupName::value).sorted().toList(),
          u.defaultGroup() == null ? null : u.defaultGroup().value(),
          u.refreshSeconds(),
          u.version());
    }
  }

  record TokenView(String id, String label, Instant created, @Nullable Instant expires) {
    static TokenView of(ApiToken t) {
      return new TokenView(t.id(), t.label(), t.created(), t.expires());
    }
  }

  /**
   * One row of the status page's job table: a group ({@code alias} null) or one of its aliases,
   * as production's job table shows them.
   */
  record JobRow(String group, @Nullable String alias, int idle, int running, int held, int other) {}

  /** Condor slots of one flavor on one cloud. */
  record Slots(String flavor, int busy, int idle) {}

  /**
   * One row of the status page's cloud table, from the group's snapshot: VMs by state, cores and
   * RAM (used, quota, control, foreign; quota and foreign null where unknown, control -1 for none),
   * slots per flavor, and how the cloud answers.
   */
  record CloudRow(
      String group,
      String cloud,
      boolean enabled,
      String breaker,
      boolean reachable,
      @Nullable Long latencyMs,
      @Nullable Integer credentialDaysLeft,
      String message,
      Map<String, Integer> vms,
      int vmTotal,
      int coresUsed,
      @Nullable Integer coresQuota,
      int coresCtl,
      @Nullable Long coresForeign,
      long ramUsedMiB,
      @Nullable Long ramQuotaMiB,
      long ramCtlMiB,
      @Nullable Long ramForeignMiB,
      int slotsBusy,
      int slotsIdle,
      List<Slots> slots) {
    static CloudRow of(GroupName group, GroupStatus.CloudFigures c) {
      Map<String, Integer> vms = new LinkedHashMap<>();
      int total = 0;
      for (VmState s : VmState.values()) {
        if (s != VmState.TERMINATED) {
          int n = c.vmsByState().getOrDefault(s, 0);
          vms.put(s.name(), n);
          total += n;
        }
      }
      int busy = 0;
      int idle = 0;
      List<Slots> slots = new java.util.ArrayList<>();
      for (GroupStatus.FlavorSlots f : c.slots()) {
        busy += f.busy();
        idle += f.idle();
        slots.add(new Slots(f.flavor().value(), f.busy(), f.idle()));
      }
      GroupStatus.Usage cores = c.cores();
      GroupStatus.Usage ram = c.ramMiB();
      return new CloudRow(
          group.value(),
          c.cloud().value(),
          c.enabled(),
          c.breaker().name(),
          c.reachable(),
          c.latency() == null ? null : c.latency().toMillis(),
          c.credentialDaysLeft(),
          c.message(),
          vms,
          total,
          (int) cores.used(),
          cores.quota() < 0 ? null : (int) cores.quota(),
          (int) Math.max(-1, cores.control()),
          cores.foreign() < 0 ? null : cores.foreign(),
          ram.used(),
          ram.quota() < 0 ? null : ram.quota(),
          Math.max(-1, ram.control()),
          ram.foreign() < 0 ? null : ram.foreign(),
          busy,
          idle,
          slots);
    }
  }

  /**
   * The status page's figures, as one user may see them.
   *
   * @param at when this view was made (the engine's clock)
   * @param lastCycleAt when the engine in this process last cycled (else the newest snapshot)
   * @param figuresAt when the newest snapshot shown was taken, null if none
   */
  record StatusView(
      Instant at,
      @Nullable Instant lastCycleAt,
      @Nullable Instant figuresAt,
      long cycles,
      boolean engineRunning,
      List<JobRow> jobs,
      List<CloudRow> clouds,
      List<String> problems) {}

  /** A time series for the plots. */
  record Series(String metric, Map<String, String> labels, List<Long> at, List<Double> value) {}
}
