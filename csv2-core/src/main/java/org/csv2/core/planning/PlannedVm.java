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
package org.csv2.core.planning;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.model.AliasName;
import org.csv2.model.Flavor;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.jspecify.annotations.Nullable;

/** A VM this plan boots, and the idle jobs (by shape) it is planned to take. */
final class PlannedVm {
  final int seq;
  final GroupName group;
  final ShapeDemand head;
  /** The candidate the VM was planned on (before any downsizing). */
  final Candidate chosen;
  Candidate candidate;
  Flavor flavor;
  Resources free;
  final Map<ShapeDemand, Integer> jobs = new LinkedHashMap<>();
  final @Nullable AliasName alias;
  final @Nullable Duration keepAlive;
  final List<String> userData;
  final double maxPrice;
  @Nullable Flavor downsizedFrom;

  PlannedVm(int seq, ShapeDemand head, Candidate candidate) {
    this.seq = seq;
    this.group = head.shape.group();
    this.head = head;
    this.chosen = candidate;
    this.candidate = candidate;
    this.flavor = candidate.flavor();
    this.free = flavor.resources();
    this.alias = head.shape.alias();
    this.keepAlive = head.shape.keepAlive();
    this.userData = head.shape.userData();
    this.maxPrice = head.shape.maxPrice();
  }

  private @Nullable Vm requested;

  /**
   * This VM as the next snapshot will show it once the plan is applied: REQUESTED, created now.
   * Built once; a planned VM's flavor is final once it is planned (downsizing happens before).
   *
   * @param engineInstanceId this engine's csv2 instance id
   * @param now the plan's time
   * @return the VM record
   */
  Vm asRequested(String engineInstanceId, Instant now) {
    if (requested == null) {
      requested =
          Vm.builder(
                  VmId.of(group, candidate.cloud(), engineInstanceId, "planned" + seq),
                  group, candidate.cloud(), flavor.name(), now)
              .resources(flavor.resources())
              .image(candidate.image())
              .alias(alias)
              .pricePerHour(flavor.pricePerHour())
              .build();
    }
    return requested;
  }

  /** Places {@code n} jobs of a shape on this VM. */
  void add(ShapeDemand d, int n) {
    free = free.minus(d.shape.request().times(n));
    d.remaining -= n;
    jobs.merge(d, n, Integer::sum);
  }

  int jobCount() {
    int n = 0;
    for (int v : jobs.values()) n += v;
    return n;
  }

  /** The resources its planned jobs take. */
  Resources content() {
    Resources r = Resources.ZERO;
    for (Map.Entry<ShapeDemand, Integer> e : jobs.entrySet()) {
      r = r.plus(e.getKey().shape.request().times(e.getValue()));
    }
    return r;
  }

  /**
   * Whether jobs of a shape may run on this VM: the same rule as for supply ({@link
   * ShapeDemand#fits}). The VM's keep-alive and extra user-data documents are those of the shape
   * it was planned for; jobs that share it do not change them.
   */
  boolean accepts(ShapeDemand o) {
    return o.fits(candidate.cloud(), flavor.name(), flavor.pricePerHour(), alias, candidate.image());
  }
}
