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
package org.csv2.core.config;

/** How the planner orders the flavors that fit a job shape within one priority tier. */
public enum FlavorPolicy {
  /** Least cost per job placed; ties broken by least wasted resources (the default). */
  LEAST_COST_PER_JOB,
  /** The production system's rule: the smallest flavor that fits, by cores, RAM, disk, swap. */
  SMALLEST_FIT,
  /**
   * Least expected cost per job: the cost per job times {@code H(n) = 1 + 1/2 + ... + 1/n} for a
   * VM that takes n jobs of the shape. A VM is paid until its last job ends and the planner does
   * not know run times: with memoryless run times, the last of n jobs started together ends after
   * H(n) mean run times. One job per VM wins unless a bigger flavor is cheaper per job by more
   * than that factor (1.5 for two jobs, 2.08 for four, 2.72 for eight). When a cloud's instance
   * quota would hold the shape's jobs back while cores are left, VMs grow to flavors that take
   * more jobs at no higher price per core.
   */
  LEAST_EXPECTED_COST,
  /**
   * Packing that learns ({@code learned-run-times}): for a shape whose jobs' run times the engine
   * can estimate ({@code org.csv2.core.planning.RunTimes}: requested wall time, else the owner's
   * history), the cost per job times the expected longest of n of those run times over their mean
   * (instead of {@code LEAST_EXPECTED_COST}'s memoryless H(n)); and cores that running jobs are
   * expected to free within about a boot count as supply for idle jobs that fit them, for at most
   * a bounded wait. A shape with no estimate ranks as under {@code LEAST_COST_PER_JOB}, and with
   * no estimate at all the plan is exactly that policy's.
   */
  LEARNED_RUN_TIMES;

  /**
   * Whether the policy reads what the engine learns about run times (the engine then follows
   * running jobs; otherwise it does not spend the work).
   *
   * @return true for {@link #LEARNED_RUN_TIMES}
   */
  public boolean learnsRunTimes() {
    return this == LEARNED_RUN_TIMES;
  }
}
