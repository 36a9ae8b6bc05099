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
package org.csv2.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csv2.model.Plan;
import org.csv2.model.VmState;

/**
 * What one cycle saw and did.
 *
 * @param cycle the cycle's number, from 1
 * @param at when it started (engine clock)
 * @param plan the plan it made and carried out
 * @param planTime how long planning took (wall time, not engine time)
 * @param idleJobs idle jobs seen
 * @param runningJobs running jobs seen
 * @param vmsByState the engine's VMs by state after the cycle
 * @param failures what failed during the cycle (cloud calls, job source), for people
 * @param rejected the records from outside left out during the cycle (malformed job and worker
 *     ads, cloud replies, stored rows), each naming the plugin, the record and why, at most {@link
 *     #MAX_REJECTED_LISTED}
 * @param rejectedCount how many records were left out, all of them counted (at least {@code
 *     rejected.size()})
 */
public record CycleReport(
    long cycle,
    Instant at,
    Plan plan,
    Duration planTime,
    int idleJobs,
    int runningJobs,
    Map<VmState, Integer> vmsByState,
    List<String> failures,
    List<String> rejected,
    int rejectedCount) {
  /** How many rejected records a report lists by name; the rest are only counted. */
  public static final int MAX_REJECTED_LISTED = 50;

  /** Validates and copies. */
  public CycleReport {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(planTime, "planTime");
    vmsByState = Map.copyOf(vmsByState);
    failures = List.copyOf(failures);
    rejected = List.copyOf(rejected.size() > MAX_REJECTED_LISTED ? rejected.subList(0, MAX_REJECTED_LISTED) : rejected);
    if (rejectedCount < rejected.size()) {
      throw new IllegalArgumentException("rejectedCount " + rejectedCount + " is less than the records listed");
    }
  }

  /**
   * A report of a cycle that rejected no record.
   *
   * @param cycle the cycle's number, from 1
   * @param at when it started (engine clock)
   * @param plan the plan it made and carried out
   * @param planTime how long planning took
   * @param idleJobs idle jobs seen
   * @param runningJobs running jobs seen
   * @param vmsByState the engine's VMs by state after the cycle
   * @param failures what failed during the cycle
   */
  public CycleReport(
      long cycle,
      Instant at,
      Plan plan,
      Duration planTime,
      int idleJobs,
      int runningJobs,
      Map<VmState, Integer> vmsByState,
      List<String> failures) {
    this(cycle, at, plan, planTime, idleJobs, runningJobs, vmsByState, failures, List.of(), 0);
  }
}
