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
package org.csv2.spi;

import java.time.Instant;
import java.util.List;
import org.csv2.model.Alias;
import org.csv2.model.Allocation;
import org.csv2.model.Group;
import org.csv2.model.Job;
import org.csv2.model.Vm;
import org.csv2.model.Worker;

/**
 * The read-only view of one cycle that a {@link PlanningPolicy} plans from: the configuration that
 * applies, the clouds as observed, the job source's snapshot and the engine's VMs with their states
 * already derived from those observations. Every list is immutable; a view does not change.
 */
public interface PlanningView {
  /**
   * The engine clock's time of the cycle; a planner reads no other clock.
   *
   * @return the time
   */
  Instant now();

  /**
   * This engine's instance id.
   *
   * @return the id
   */
  String instanceId();

  /**
   * The groups to plan for (those this engine holds a lease on). A planner acts only on VMs,
   * instances and jobs of these groups.
   *
   * @return the groups
   */
  List<Group> groups();

  /**
   * The allocations of those groups: which clouds each may use, in which order, with which caps.
   *
   * @return the allocations
   */
  List<Allocation> allocations();

  /**
   * The aliases of those groups.
   *
   * @return the aliases
   */
  List<Alias> aliases();

  /**
   * Every configured cloud as observed this cycle.
   *
   * @return the clouds, in configuration order
   */
  List<CloudObservation> clouds();

  /**
   * The jobs of those groups (idle, running and others).
   *
   * @return the jobs
   */
  List<Job> jobs();

  /**
   * This engine's workers.
   *
   * @return the workers
   */
  List<Worker> workers();

  /**
   * This engine's VMs: those of the planned groups with derived states, and those of other groups
   * as stored (to count against capacity only). A VM under manual control ({@link Vm#manual()})
   * is never acted on; TERMINATED VMs hold nothing.
   *
   * @return the VMs
   */
  List<Vm> vms();
}
