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
package org.csv2.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.csv2.model.Alias;
import org.csv2.model.Allocation;
import org.csv2.model.Group;
import org.csv2.model.Job;
import org.csv2.model.Vm;
import org.csv2.model.Worker;
import org.csv2.spi.CloudObservation;
import org.csv2.spi.PlanningView;

/**
 * A {@link PlanningView} built from values, for a planner's own tests (the engine builds its views
 * from what it observed).
 *
 * @param now the cycle's time
 * @param instanceId the engine's instance id
 * @param groups the planned groups
 * @param allocations their allocations
 * @param aliases their aliases
 * @param clouds the clouds as observed
 * @param jobs the jobs
 * @param workers the workers
 * @param vms the VMs
 */
public record TestPlanningView(
    Instant now,
    String instanceId,
    List<Group> groups,
    List<Allocation> allocations,
    List<Alias> aliases,
    List<CloudObservation> clouds,
    List<Job> jobs,
    List<Worker> workers,
    List<Vm> vms)
    implements PlanningView {
  /** Validates and copies. */
  public TestPlanningView {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(instanceId, "instanceId");
    groups = List.copyOf(groups);
    allocations = List.copyOf(allocations);
    aliases = List.copyOf(aliases);
    clouds = List.copyOf(clouds);
    jobs = List.copyOf(jobs);
    workers = List.copyOf(workers);
    vms = List.copyOf(vms);
  }

  /**
   * A copy of any view.
   *
   * @param view the view
   * @return the same values as a record
   */
  public static TestPlanningView copyOf(PlanningView view) {
    return new TestPlanningView(
        view.now(), view.instanceId(), view.groups(), view.allocations(), view.aliases(), view.clouds(),
        view.jobs(), view.workers(), view.vms());
  }
}
