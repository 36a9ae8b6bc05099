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
package org.csv2.core.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.core.planning.CloudView;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.JobSnapshot;
import org.csv2.model.Vm;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ObserveStep} read: the output of the cycle's first step.
 *
 * @param views every configured cloud's view (unreachable ones flagged), in configuration order
 * @param jobs the job sources' snapshot (each source's jobs and workers of its own groups), or null
 *     if no source could be read (no boots or retirements)
 * @param stored every stored VM record, or null if the store could not be read (nothing is done)
 * @param unread the groups whose job source could not be read while others were: nothing of them
 *     is derived, planned, retired or forgotten this cycle
 * @param bootsStopped the groups that boot nothing this cycle because the credential of their job
 *     source expires within {@code engine.credential-stop}, each with the reason; their VMs stay
 */
record Observation(
    Map<CloudName, CloudView> views,
    @Nullable JobSnapshot jobs,
    @Nullable List<Vm> stored,
    Set<GroupName> unread,
    Map<GroupName, String> bootsStopped) {
  Observation {
    unread = Set.copyOf(unread);
    bootsStopped = Map.copyOf(bootsStopped);
  }

  /** This observation with other cloud views, everything else kept. */
  Observation withViews(Map<CloudName, CloudView> next) {
    return new Observation(next, jobs, stored, unread, bootsStopped);
  }

  /** This observation with other stored VMs, everything else kept. */
  Observation withStored(@Nullable List<Vm> next) {
    return new Observation(views, jobs, next, unread, bootsStopped);
  }

  /** Whether the group's jobs and workers were read this cycle. */
  boolean jobsRead(GroupName group) {
    return jobs != null && !unread.contains(group);
  }
}
