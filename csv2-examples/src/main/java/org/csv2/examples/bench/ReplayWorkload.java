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
 * @param counts what the trace reader counted (records, skipped records by reason, notes)
 */
public record ReplayWorkload(List<WorkloadJob> jobs, List<GroupName> groups, TraceReplay.Counts counts) {
  /** Copies. */
  public ReplayWorkload {
    jobs = List.copyOf(jobs);
    groups = List.copyOf(groups);
  }

  /**
   * A workload not read from a file (every job accepted).
   *
   * @param jobs the jobs
   * @param groups the groups
   */
  public ReplayWorkload(List<WorkloadJob> jobs, List<GroupName> groups) {
    this(jobs, groups, new TraceReplay.Counts(jobs.size(), jobs.size(), 0, 0, 0, 0));
  }

  /**
   * The jobs no flavor of a catalog can hold, by reason, and the workload without them.
   *
   * @param runnable the workload of the jobs some flavor holds (same groups and counts)
   * @param neverRun reason to count, e.g. "256 cores: more than the largest flavor (128 cores)"
   */
  public record Split(ReplayWorkload runnable, Map<String, Long> neverRun) {
    /**
     * How many jobs can never run.
     *
     * @return the count
     */
    public long neverRunCount() {
      return neverRun.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Splits off the jobs that no flavor of any cloud can hold, saying why for each kind.
   *
   * @param clouds the catalog
   * @return the split
   */
  public Split splitRunnable(List<ReplayCatalog.CloudSpec> clouds) {
    // a flavor larger than its cloud's core quota can never be booted
    List<org.csv2.model.Flavor> bootable = new ArrayList<>();
    for (ReplayCatalog.CloudSpec c : clouds) {
      for (org.csv2.model.Flavor f : c.flavors()) {
        if (c.quotaCores() < 0 || f.resources().cores() <= c.quotaCores()) {
          bootable.add(f);
        }
      }
    }
    Map<String, Long> why = new TreeMap<>();
    List<WorkloadJob> ok = new ArrayList<>(jobs.size());
    Map<Resources, String> verdict = new HashMap<>();
    for (WorkloadJob j : jobs) {
      String reason = verdict.computeIfAbsent(j.request(), r -> neverRunReason(r, bootable));
      if (reason.isEmpty()) {
        ok.add(j);
      } else {
        why.merge(reason, 1L, Long::sum);
      }
    }
    return new Split(new ReplayWorkload(ok, groups, counts), why);
  }

  /**
   * Why no flavor can hold a job, or empty when one can: the one rule of the replay and the
   * quickstart.
   *
   * @param r the job's request
   * @param flavors the flavors that may be booted
   * @return "more cores than the largest flavor (128)", "more memory than ...", "no flavor holds
   *     both ..." or empty
   */
  public static String neverRunReason(Resources r, List<org.csv2.model.Flavor> flavors) {
    int maxCores = 0;
    long maxRam = 0;
    for (org.csv2.model.Flavor f : flavors) {
      if (r.fitsIn(f.resources())) {
        return "";
      }
      maxCores = Math.max(maxCores, f.resources().cores());
      maxRam = Math.max(maxRam, f.resources().ramMiB());
    }
    if (r.cores() > maxCores) {
      return "more cores than the largest flavor (" + maxCores + ")";
    }
    if (r.ramMiB() > maxRam) {
      return "more memory than the largest flavor (" + maxRam + " MiB)";
    }
    return "no flavor holds both its cores and its memory";
  }

  /**
   * Reads a trace.
   *
   * @param trace the SWF file
   * @param maxJobs the most jobs, 0 for all
   * @return the workload
   */
  public static ReplayWorkload read(Path trace, int maxJobs) {
    List<TraceJob> jobs = new ArrayList<>();
    try (TraceReplay r = TraceReplay.open(trace)) {
      while ((maxJobs <= 0 || jobs.size() < maxJobs) && r.hasNext()) {
        jobs.add(r.next());
      }
      ReplayWorkload w = of(jobs);
      return new ReplayWorkload(w.jobs(), w.groups(), r.counts());
    }
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
      jobs.add(
          new WorkloadJob(
              t.submit(), groupOf.get(t.groupId()), "user" + t.userId(), r, t.runTime(), 0, t.requestedWallTime()));
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
