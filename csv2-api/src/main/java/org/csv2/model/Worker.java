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
package org.csv2.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the batch system reports about a machine that registered with it and claims to be a VM of
 * this csv2 instance.
 *
 * @param name the batch system's name of the machine (for HTCondor, the startd name)
 * @param vm the VM name it claims
 * @param group the group attribute it advertises
 * @param cloud the cloud attribute it advertises
 * @param instanceId the csv2 instance id it advertises
 * @param total what its slots have in all (a partitionable slot's total)
 * @param used what running jobs use of it
 * @param runningJobs how many jobs run on it
 * @param draining true when it was asked to retire and takes no new jobs
 * @param lastActivity the last time a job started or ended on it (its registration if none)
 * @param usage what each job running on it has used so far (owner and CPU), or null when the job
 *     source does not report usage (accounting then counts wall time x cores as CPU time)
 */
public record Worker(
    String name,
    VmId vm,
    GroupName group,
    CloudName cloud,
    String instanceId,
    Resources total,
    Resources used,
    int runningJobs,
    boolean draining,
    Instant lastActivity,
    @Nullable List<SlotUsage> usage) {
  /** Validates. */
  public Worker {
    Names.nonBlank(name, "worker name");
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(used, "used");
    Objects.requireNonNull(lastActivity, "lastActivity");
    if (runningJobs < 0) {
      throw new IllegalArgumentException("worker " + name + ": negative running jobs");
    }
    usage = usage == null ? null : List.copyOf(usage);
  }

  /**
   * A worker whose job source does not report usage.
   *
   * @param name the batch system's name of the machine
   * @param vm the VM name it claims
   * @param group the group attribute it advertises
   * @param cloud the cloud attribute it advertises
   * @param instanceId the csv2 instance id it advertises
   * @param total what its slots have in all
   * @param used what running jobs use of it
   * @param runningJobs how many jobs run on it
   * @param draining true when it takes no new jobs
   * @param lastActivity the last time a job started or ended on it
   */
  public Worker(
      String name,
      VmId vm,
      GroupName group,
      CloudName cloud,
      String instanceId,
      Resources total,
      Resources used,
      int runningJobs,
      boolean draining,
      Instant lastActivity) {
    this(name, vm, group, cloud, instanceId, total, used, runningJobs, draining, lastActivity, null);
  }

  /**
   * What is still free for new jobs: {@code total - used}, floored at zero; nothing when draining.
   *
   * @return the free resources
   */
  public Resources free() {
    return draining ? Resources.ZERO : total.minusOrZero(used);
  }
}
