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
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.SimulationStatistics;
import org.csv2.core.sim.VirtualClock;
import org.csv2.model.Flavor;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;

/**
 * An analysis of one policy's replay: where the provisioned core-hours and the cost go. Every cycle
 * it looks at every instance that is billed (from the boot call to the terminate call) and puts
 * its cores for that cycle in one bucket: starting (booted, no worker yet), busy (running jobs),
 * idle on a worker that runs nothing (split by whether it ever ran a job), free on a worker that
 * runs jobs (split by draining or not, by whether idle jobs of its group were waiting, and by VM size), failed
 * (ERROR), drained (worker gone, instance not yet deleted). Prints the buckets as core-hours and as
 * a share of the used core-hours, the cost by cloud and by flavor size, and the booted VMs by
 * flavor size.
 *
 * <p>Run: {@code java -cp csv2-examples/target/benchmarks.jar org.csv2.examples.bench.ReplayBreakdown
 * [jobs] [policy]}. An analysis tool, not a benchmark: it costs a pass over every instance ever
 * booted each cycle.
 */
public final class ReplayBreakdown {
  private ReplayBreakdown() {}

  /**
   * Runs the analysis.
   *
   * @param args jobs (default 20000) and policy (default {@code default})
   */
  public static void main(String[] args) {
    int maxJobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    String policy = args.length > 1 ? args[1] : "default";
    Path data = SharedData.locate();
    ReplayWorkload workload = ReplayWorkload.read(data.resolve(SwfJobs.LCG), maxJobs);
    List<ReplayCatalog.CloudSpec> clouds = ReplayCatalog.clouds(data);
    Map<String, Flavor> flavors = new HashMap<>();
    for (ReplayCatalog.CloudSpec c : clouds) {
      for (Flavor f : c.flavors()) {
        flavors.put(c.name().value() + "/" + f.name().value(), f);
      }
    }

    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 42);
    world.pool().schedule(workload.jobs());
    EngineSettings settings = Scenarios.settings(policy);
    Csv2Config config = ReplayRun.config(settings, workload.groups(), clouds);
    Duration cycle = settings.timers().cycle();
    double h = cycle.toMillis() / 3.6e6;

    Map<String, double[]> buckets = new TreeMap<>(); // name -> {core-hours, cost}
    Map<String, double[]> byCloud = new TreeMap<>();
    Map<Integer, int[]> bootedBySize = new TreeMap<>();
    Set<VmId> seen = new HashSet<>();
    Set<VmId> everBusy = new HashSet<>();
    Set<VmId> everRegistered = new HashSet<>();
    int cycles = 0;
    try (Scheduler engine = ReplayRun.engine(config, clock, world)) {
      while (true) {
        CycleReport r = engine.runOnce();
        cycles++;
        Map<VmId, Worker> workers = new HashMap<>();
        for (Worker w : world.pool().workers()) {
          workers.put(w.vm(), w);
        }
        Set<String> groupsWaiting = new HashSet<>();
        for (Job j : world.pool().jobs()) {
          if (j.state() == JobState.IDLE) {
            groupsWaiting.add(j.group().value());
          }
        }
        for (SimulatedCloud c : world.clouds()) {
          for (Instance i : c.instances()) {
            InstanceState s = i.state();
            if (s == InstanceState.TERMINATED || s == InstanceState.TERMINATING) {
              continue;
            }
            Flavor f = flavors.get(c.name().value() + "/" + i.flavor().value());
            int cores = f.resources().cores();
            double pricePerCore = f.pricePerHour() / cores;
            if (seen.add(i.name())) {
              bootedBySize.computeIfAbsent(cores, k -> new int[1])[0]++;
            }
            add(byCloud, c.name().value(), cores * h, f.pricePerHour() * h);
            Worker w = workers.get(i.name());
            if (s == InstanceState.ERROR) {
              add(buckets, "failed (ERROR)", cores * h, f.pricePerHour() * h);
              continue;
            }
            if (w == null) {
              String b = everRegistered.contains(i.name()) ? "drained, not yet deleted" : "starting (boot + register)";
              add(buckets, b, cores * h, f.pricePerHour() * h);
              continue;
            }
            everRegistered.add(i.name());
            int busy = w.used().cores();
            if (busy > 0) {
              everBusy.add(i.name());
            }
            int free = cores - busy;
            add(buckets, "busy", busy * h, busy * pricePerCore * h);
            if (free == 0) {
              continue;
            }
            String b;
            if (busy == 0) {
              b = w.draining() ? "idle, draining" : everBusy.contains(i.name()) ? "idle after jobs (keep-alive)" : "idle, never ran a job";
            } else {
              b = (w.draining() ? "partly idle, draining" : "partly idle")
                  + (groupsWaiting.contains(w.group().value()) ? " (group has idle jobs)" : "");
            }
            add(buckets, b, free * h, free * pricePerCore * h);
            if (busy > 0) {
              add(buckets, "  partly idle by VM size " + String.format(Locale.ROOT, "%2d", cores), free * h, free * pricePerCore * h);
            }
          }
        }
        int live = 0;
        for (Map.Entry<VmState, Integer> e : r.vmsByState().entrySet()) {
          if (e.getKey() != VmState.TERMINATED) {
            live += e.getValue();
          }
        }
        if (live == 0 && world.pool().finished()) {
          break;
        }
        clock.advance(cycle);
      }
    }
    SimulationStatistics st = world.statistics();
    double cheapest = ReplayCatalog.cheapestPerCore(clouds);
    double used = st.coreHoursUsed();
    System.out.printf(Locale.ROOT, "%s, %d jobs, %d cycles: used %.0f core-h, provisioned %.0f (%.3f), cost %.0f / LB %.0f (%.3f), wait p95 %.0f s, VMs %d%n",
        policy, maxJobs, cycles, used, st.coreHoursProvisioned(), st.provisionedPerUsed(), st.cost(), used * cheapest,
        st.cost() / (used * cheapest), st.waitP95().toMillis() / 1000.0, st.vmsBooted());
    System.out.println("bucket: core-hours (share of used), cost, cost share of LB");
    double sum = 0;
    for (Map.Entry<String, double[]> e : buckets.entrySet()) {
      if (!e.getKey().startsWith(" ")) {
        sum += e.getValue()[0]; // the indented ones split a bucket
      }
      System.out.printf(Locale.ROOT, "  %-45s %9.0f (%.3f)  $%8.0f (%.3f)%n", e.getKey(), e.getValue()[0], e.getValue()[0] / used,
          e.getValue()[1], e.getValue()[1] / (used * cheapest));
    }
    System.out.printf(Locale.ROOT, "  sampled total %.0f core-h (%.3f)%n", sum, sum / used);
    System.out.println("by cloud: core-hours, cost");
    byCloud.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-20s %9.0f  $%8.0f%n", k, v[0], v[1]));
    System.out.println("VMs booted by cores:");
    bootedBySize.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %3d cores: %d%n", k, v[0]));
    System.out.printf(Locale.ROOT, "VMs that registered but never ran a job: %d of %d%n",
        everRegistered.size() - everBusy.size(), seen.size());
  }

  private static void add(Map<String, double[]> m, String k, double coreHours, double cost) {
    double[] v = m.computeIfAbsent(k, x -> new double[2]);
    v[0] += coreHours;
    v[1] += cost;
  }
}
