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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a scheduler for operators and status pages.
 *
 * @param instanceId this engine's csv2 instance id
 * @param running whether its cycle loop runs
 * @param cycles cycles completed
 * @param lastCycleAt when the last cycle started, or null before the first
 * @param idleJobs idle jobs at the last cycle
 * @param runningJobs running jobs at the last cycle
 * @param vmsByState the engine's VMs by state
 * @param clouds each cloud's status, circuit breakers included
 * @param problems current problems, for people (empty when healthy)
 */
public record SchedulerStatus(
    String instanceId,
    boolean running,
    long cycles,
    @Nullable Instant lastCycleAt,
    int idleJobs,
    int runningJobs,
    Map<VmState, Integer> vmsByState,
    List<CloudStatus> clouds,
    List<String> problems) {
  /** Validates and copies. */
  public SchedulerStatus {
    Objects.requireNonNull(instanceId, "instanceId");
    vmsByState = Map.copyOf(vmsByState);
    clouds = List.copyOf(clouds);
    problems = List.copyOf(problems);
  }
}
