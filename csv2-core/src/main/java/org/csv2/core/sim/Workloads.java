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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds workloads: the synthetic generator and the mapping of SWF traces to jobs.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class Workloads {
  private static final Logger log = LoggerFactory.getLogger(Workloads.class);

  private Workloads() {}

  /**
   * The quickstart workload: 400 jobs over 2 simulated hours, 1/2/4/8-core jobs, 5 to 60 minutes
   * each, groups {@code atlas} and {@code belle2}, seed 1.
   *
   * @return the jobs, by submit time
   */
  public static List<WorkloadJob> quickstart() {
    return synthetic(SimulatedJobSourceConfig.Synthetic.QUICKSTART);
  }

  /**
   * Generates a synthetic workload. The same configuration always gives the same jobs.
   *
   * @param spec the workload's description
   * @return the jobs, by submit time
   */
  public static List<WorkloadJob> synthetic(SimulatedJobSourceConfig.Synthetic spec) {
    SplittableRandom rng = new SplittableRandom(Objects.requireNonNull(spec.seed()));
    List<GroupName> groups = Objects.requireNonNull(spec.groups()).stream().map(GroupName::of).toList();
    List<Integer> cores = Objects.requireNonNull(spec.cores());
    List<Integer> weights = Objects.requireNonNull(spec.weights());
    int totalWeight = weights.stream().mapToInt(Integer::intValue).sum();
    SimulatedJobSourceConfig.Range duration = Objects.requireNonNull(spec.duration());
    long minMs = duration.min().toMillis();
    long maxMs = Objects.requireNonNull(duration.max()).toMillis();
    long windowMs = Objects.requireNonNull(spec.arrivalWindow()).toMillis();
    long ramPerCore = Objects.requireNonNull(spec.ramMibPerCore());
    int owners = Objects.requireNonNull(spec.owners());
    int n = Objects.requireNonNull(spec.jobs());
    List<WorkloadJob> jobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long submit = windowMs == 0 ? 0 : rng.nextLong(windowMs + 1);
      int pick = rng.nextInt(totalWeight);
      int c = cores.get(0);
      for (int k = 0; k < cores.size(); k++) {
        pick -= weights.get(k);
        if (pick < 0) {
          c = cores.get(k);
          break;
        }
      }
      long run = maxMs == minMs ? minMs : minMs + rng.nextLong(maxMs - minMs + 1);
      GroupName g = groups.get(rng.nextInt(groups.size()));
      String owner = "user" + (1 + rng.nextInt(owners));
      jobs.add(
          new WorkloadJob(
              Duration.ofMillis(submit), g, owner, Resources.of(c, c * ramPerCore), Duration.ofMillis(run), 0));
    }
    jobs.sort(Comparator.comparing(WorkloadJob::submit));
    return List.copyOf(jobs);
  }

  /**
   * Reads a trace as a workload, as the {@code trace:} configuration describes: cores are the
   * job's processors, memory its requested memory per processor times its processors (or {@code
   * ram-mib-per-core} per core when the trace has none), owner {@code user<id>}, group {@code
   * groups[userId mod size]}, submit time {@code (submit - start-offset) * time-scale}.
   *
   * @param spec the trace's description
   * @return the jobs, by submit time
   * @throws org.csv2.api.ConfigurationException if the trace cannot be read
   */
  public static List<WorkloadJob> trace(SimulatedJobSourceConfig.Trace spec) {
    Path path = Path.of(spec.path());
    List<GroupName> groups = Objects.requireNonNull(spec.groups()).stream().map(GroupName::of).toList();
    int max = Objects.requireNonNull(spec.maxJobs());
    double scale = Objects.requireNonNull(spec.timeScale());
    long offsetMs = Objects.requireNonNull(spec.startOffset()).toMillis();
    long ramPerCore = Objects.requireNonNull(spec.ramMibPerCore());
    Map<Resources, Resources> shapes = new HashMap<>();
    List<WorkloadJob> jobs = new ArrayList<>();
    try (TraceReplay replay = TraceReplay.open(path)) {
      while ((max < 0 || jobs.size() < max) && replay.hasNext()) {
        TraceJob t = replay.next();
        long submitMs = t.submit().toMillis() - offsetMs;
        if (submitMs < 0) {
          continue;
        }
        long ram = t.memoryMiB(ramPerCore);
        int procs = t.processors();
        Resources request = shapes.computeIfAbsent(Resources.of(procs, ram), k -> k);
        GroupName g = groups.get(Math.floorMod(t.userId(), groups.size()));
        jobs.add(
            new WorkloadJob(
                Duration.ofMillis(Math.round(submitMs * scale)),
                g,
                "user" + t.userId(),
                request,
                t.runTime(),
                0));
      }
      TraceReplay.Counts c = replay.counts();
      log.info(
          "trace {}: {} jobs loaded ({} records, {} skipped, {} malformed lines)",
          path,
          jobs.size(),
          c.records(),
          c.skipped(),
          c.malformed());
    }
    jobs.sort(Comparator.comparing(WorkloadJob::submit));
    return List.copyOf(jobs);
  }

  /**
   * The jobs a workload configuration describes.
   *
   * @param workload the configuration
   * @return the jobs, by submit time; empty for no workload
   */
  public static List<WorkloadJob> of(SimulatedJobSourceConfig.Workload workload) {
    if (workload.synthetic() != null) {
      return synthetic(workload.synthetic());
    }
    if (workload.trace() != null) {
      return trace(workload.trace());
    }
    return List.of();
  }
}
