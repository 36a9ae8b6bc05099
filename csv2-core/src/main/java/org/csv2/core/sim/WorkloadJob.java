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
package org.csv2.core.sim;

import java.time.Duration;
import java.util.Objects;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.jspecify.annotations.Nullable;

/**
 * One job of a workload, before it is submitted to a {@link SimulatedPool}.
 *
 * @param submit when it arrives, from the workload's start
 * @param group its group
 * @param owner its owner
 * @param request what it requests; at least one core
 * @param runTime how long it runs once started; positive
 * @param priority its priority (higher first)
 * @param requestedWallTime the wall time it requests (its run-time limit), or null when unknown;
 *     the simulated job source reports it on the job
 */
public record WorkloadJob(
        Duration submit,
    GroupName group,
    String owner,
    Resources request,
    Duration runTime,
    int priority,
    @Nullable Duration requestedWallTime) {
  /**
   * A workload job whose requested wall time is unknown.
   *
   * @param submit when it arrives
   * @param group its group
   * @param owner its owner
   * @param request what it requests
   * @param runTime how long it runs
   * @param priority its priority
   */
  public WorkloadJob(Duration submit, GroupName group, String owner, Resources request, Duration runTime, int priority) {
    this(submit, group, owner, request, runTime, priority, null);
  }

  /** Validates. */
  public WorkloadJob {
    Objects.requireNonNull(submit, "submit");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(runTime, "runTime");
    if (submit.isNegative()) {
      throw new IllegalArgumentException("workload job: negative submit time " + submit);
    }
    if (request.cores() < 1) {
      throw new IllegalArgumentException("workload job: must request at least one core");
    }
    if (runTime.isZero() || runTime.isNegative()) {
      throw new IllegalArgumentException("workload job: run time must be positive, was " + runTime);
    }
    if (requestedWallTime != null && requestedWallTime.isNegative()) {
      throw new IllegalArgumentException("workload job: negative requested wall time " + requestedWallTime);
    }
  }
}
