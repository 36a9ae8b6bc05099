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

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.csv2.core.config.EngineSettings;
import org.csv2.model.Alias;
import org.csv2.model.Allocation;
import org.csv2.model.Group;
import org.csv2.model.Job;
import org.csv2.model.Vm;
import org.csv2.model.Worker;

/**
 * Everything the planner may look at, immutable: the configuration that applies this cycle, the
 * clouds as observed, the job source's snapshot and the engine's VMs with their states already
 * derived from those observations.
 *
 * @param now the engine clock's time of the cycle
 * @param settings engine-wide settings (instance id, policy, timers, throttles)
 * @param groups the groups this engine plans for (those it holds a lease on)
 * @param allocations their allocations
 * @param aliases their aliases
 * @param clouds every configured cloud as observed
 * @param jobs the jobs of those groups (idle, running and others)
 * @param workers this engine's workers
 * @param vms this engine's VMs (TERMINATED ones may be included and hold nothing)
 * @param runTimes what the engine learned about jobs' run times ({@link RunTimes#none()} when it
 *     learns nothing); read by the {@code learned-run-times} flavor policy only
 */
public record Snapshot(
    Instant now,
    EngineSettings settings,
    List<Group> groups,
    List<Allocation> allocations,
    List<Alias> aliases,
    List<CloudView> clouds,
    List<Job> jobs,
    List<Worker> workers,
    List<Vm> vms,
    RunTimes runTimes) {
  /**
   * A snapshot without run-time knowledge.
   *
   * @param now the engine clock's time of the cycle
   * @param settings engine-wide settings
   * @param groups the groups this engine plans for
   * @param allocations their allocations
   * @param aliases their aliases
   * @param clouds every configured cloud as observed
   * @param jobs the jobs of those groups
   * @param workers this engine's workers
   * @param vms this engine's VMs
   */
  public Snapshot(
      Instant now,
      EngineSettings settings,
      List<Group> groups,
      List<Allocation> allocations,
      List<Alias> aliases,
      List<CloudView> clouds,
      List<Job> jobs,
      List<Worker> workers,
      List<Vm> vms) {
    this(now, settings, groups, allocations, aliases, clouds, jobs, workers, vms, RunTimes.none());
  }

  /** Validates and copies. */
  public Snapshot {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(settings, "settings");
    groups = List.copyOf(groups);
    allocations = List.copyOf(allocations);
    aliases = List.copyOf(aliases);
    clouds = List.copyOf(clouds);
    jobs = List.copyOf(jobs);
    workers = List.copyOf(workers);
    vms = List.copyOf(vms);
    Objects.requireNonNull(runTimes, "runTimes");
  }

  /**
   * The same snapshot with other run-time knowledge.
   *
   * @param r the estimator
   * @return the copy
   */
  public Snapshot withRunTimes(RunTimes r) {
    return new Snapshot(now, settings, groups, allocations, aliases, clouds, jobs, workers, vms, r);
  }
}
