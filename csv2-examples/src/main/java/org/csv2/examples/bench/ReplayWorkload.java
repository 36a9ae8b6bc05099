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
package org.csv2.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.csv2.core.sim.TraceJob;
import org.csv2.core.sim.TraceReplay;
import org.csv2.core.sim.WorkloadJob;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;

/**
 * A trace as the replay's workload: every job of the log (those the simulation's reader keeps)
 * arrives at its submit time and runs for its run time. A trace group with at least 1 % of the
 * jobs becomes the csv2 group {@code vo<id>}; the others share {@code vo-other}. Cores are the
 * job's processors; memory the trace's, else {@link ReplayCatalog#JOB_RAM_PER_CORE} per core.
 *
 * @param jobs the jobs, by submit time
 * @param groups the csv2 groups, sorted
 */
public record ReplayWorkload(List<WorkloadJob> jobs, List<GroupName> groups) {
  /** Copies. */
  public ReplayWorkload {
    jobs = List.copyOf(jobs);
    groups = List.copyOf(groups);
  }

  /**
   * Reads a trace.
   *
   * @param trace the SWF file
   * @param maxJobs the most jobs, 0 for all
   * @return the workload
   */
  public static ReplayWorkload read(Path trace, int maxJobs) {
    return of(TraceReplay.read(trace, maxJobs));
  }

  /**
   * Maps trace jobs.
   *
   * @param trace the jobs
   * @return the workload
   */
  public static ReplayWorkload of(List<TraceJob> trace) {
    Map<Integer, Integer> counts = new TreeMap<>();
    trace.forEach(t -> counts.merge(t.groupId(), 1, Integer::sum));
    Map<Integer, GroupName> groupOf = new HashMap<>();
    Map<String, GroupName> byName = new HashMap<>(); // one object per group, as a job source gives
    counts.forEach(
        (g, n) ->
            groupOf.put(
                g, byName.computeIfAbsent(g >= 0 && n * 100L >= trace.size() ? "vo" + g : "vo-other", GroupName::of)));
    Map<Resources, Resources> shapes = new HashMap<>();
    List<WorkloadJob> jobs = new ArrayList<>(trace.size());
    for (TraceJob t : trace) {
      Resources r =
          shapes.computeIfAbsent(
              Resources.of(t.processors(), t.memoryMiB(ReplayCatalog.JOB_RAM_PER_CORE)), k -> k);
      jobs.add(new WorkloadJob(t.submit(), groupOf.get(t.groupId()), "user" + t.userId(), r, t.runTime(), 0));
    }
    jobs.sort(java.util.Comparator.comparing(WorkloadJob::submit));
    return new ReplayWorkload(jobs, List.copyOf(new TreeSet<>(groupOf.values())));
  }

  /**
   * The core-hours the jobs need in all (run time x cores).
   *
   * @return the core-hours
   */
  public double coreHours() {
    return jobs.stream().mapToDouble(j -> j.request().cores() * j.runTime().toMillis() / 3.6e6).sum();
  }
}
