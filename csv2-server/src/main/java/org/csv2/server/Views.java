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
import java.util.List;
import java.util.Map;
import org.csv2.model.ApiToken;
import org.csv2.model.GroupName;
import org.csv2.model.User;
import org.csv2.model.Vm;
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

  /** One row of the status page's job table. */
  record JobRow(String group, int idle, int running) {}

  /** One row of the status page's cloud table. */
  record CloudRow(
      String group,
      String cloud,
      Map<String, Integer> vms,
      int vmTotal,
      int coresUsed,
      long ramUsedMiB,
      @Nullable Integer coresQuota,
      @Nullable Long ramQuotaMiB,
      @Nullable Integer coresCtl,
      boolean enabled,
      String breaker) {}

  /** The status page's figures, as one user may see them. */
  record StatusView(
      Instant at,
      @Nullable Instant lastCycleAt,
      long cycles,
      boolean engineRunning,
      List<JobRow> jobs,
      List<CloudRow> clouds,
      List<String> problems) {}

  /** A time series for the plots. */
  record Series(String metric, Map<String, String> labels, List<Long> at, List<Double> value) {}
}
