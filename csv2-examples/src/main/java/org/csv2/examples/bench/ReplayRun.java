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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.SchedulerListener;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.SimulationStatistics;
import org.csv2.core.sim.VirtualClock;
import org.csv2.model.Allocation;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * One policy's replay of a workload: the real engine ({@link Csv2Scheduler}) with a virtual clock,
 * the simulated clouds and job source of one {@link SimulatedWorld}, and the in-memory store, run
 * cycle after cycle until every job is done and every VM is gone.
 */
final class ReplayRun {
  /** The fraction of booted instances that fail (go to ERROR). */
  static final double BOOT_FAILURE_RATE = 0.01;

  /** The VM states plotted, in legend order. */
  static final List<VmState> PLOTTED_STATES =
      List.of(
          VmState.REQUESTED, VmState.BOOTING, VmState.UNREGISTERED, VmState.IDLE, VmState.RUNNING,
          VmState.RETIRING, VmState.TERMINATING, VmState.ERROR);

  /**
   * Time series sampled during a replay.
   *
   * @param hours sample times, hours from the start
   * @param idleJobs idle jobs
   * @param vmsByState VMs per state
   * @param coresByCloud cores held per cloud (instances in any state but gone)
   */
  record Series(
      List<Double> hours,
      List<Integer> idleJobs,
      Map<VmState, List<Integer>> vmsByState,
      Map<CloudName, List<Integer>> coresByCloud) {}

  /**
   * A replay's outcome.
   *
   * @param policy the policy
   * @param figures the figures of PERFORMANCE.md B2 and more
   * @param series the sampled series
   */
  record Result(String policy, Map<String, Object> figures, Series series) {}

  private ReplayRun() {}

  /**
   * Replays a workload with one policy and, optionally, another flavor policy.
   *
   * @param policy {@code default} or {@code csv2-classic}
   * @param flavorPolicy the flavor policy, or null for the policy's own
   * @param workload the jobs
   * @param clouds the clouds
   * @param seed the world's seed
   * @param sampleEvery sample the series every this many cycles
   * @param maxDuration stop after this much virtual time even if jobs remain
   * @return the outcome
   */
  static Result run(
      String policy,
      org.csv2.core.config.@Nullable FlavorPolicy flavorPolicy,
      ReplayWorkload workload,
      List<ReplayCatalog.CloudSpec> clouds,
      long seed,
      int sampleEvery,
      Duration maxDuration) {
    return run(policy, flavorPolicy, workload, clouds, seed, sampleEvery, maxDuration, null);
  }

  /**
   * Replays a workload with one policy, booking reservations on the way through the engine's
   * reservation verbs (issue 15): their groups are added to the configuration, and their figures
   * ({@link ReplayReservations.Tracker#figures()}) to the outcome's.
   *
   * @param policy {@code default} or {@code csv2-classic}
   * @param flavorPolicy the flavor policy, or null for the policy's own
   * @param workload the jobs
   * @param clouds the clouds
   * @param seed the world's seed
   * @param sampleEvery sample the series every this many cycles
   * @param maxDuration stop after this much virtual time even if jobs remain
   * @param reservations the reservations to book, or null for none
   * @return the outcome
   */
  static Result run(
      String policy,
      org.csv2.core.config.@Nullable FlavorPolicy flavorPolicy,
      ReplayWorkload workload,
      List<ReplayCatalog.CloudSpec> clouds,
      long seed,
      int sampleEvery,
      Duration maxDuration,
      @Nullable ReplayReservations reservations) {
    double loadAtStart = PlanningRun.loadAverage();
    long wall0 = System.nanoTime();
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    VirtualClock clock = new VirtualClock();
    Instant start = clock.instant();
    SimulatedWorld world = new SimulatedWorld(clock, seed);
    List<CostLowerBound.Run> runs = new ArrayList<>(workload.jobs().size());
    long origin = start.toEpochMilli();
    world.pool().observeRuns(
        (request, from, to) -> runs.add(new CostLowerBound.Run(request, from.toEpochMilli() - origin, to.toEpochMilli() - origin)));
    world.pool().schedule(workload.jobs());
    EngineSettings settings = Scenarios.settings(policy);
    if (flavorPolicy != null) {
      settings = settings.withFlavorPolicy(flavorPolicy);
    }
    List<GroupName> groups = new ArrayList<>(workload.groups());
    if (reservations != null) {
      reservations.groups().stream().filter(g -> !groups.contains(g)).forEach(groups::add);
    }
    Csv2Config config = config(settings, groups, clouds);
    ReplayReservations.Tracker tracker = reservations == null ? null : new ReplayReservations.Tracker(reservations, start);

    Series series =
        new Series(new ArrayList<>(), new ArrayList<>(), new EnumMap<>(VmState.class), new LinkedHashMap<>());
    PLOTTED_STATES.forEach(s -> series.vmsByState().put(s, new ArrayList<>()));
    clouds.forEach(c -> series.coresByCloud().put(c.name(), new ArrayList<>()));

    Set<VmId> failed = new HashSet<>();
    Set<VmId> healed = new HashSet<>();
    SchedulerListener listener =
        new SchedulerListener() {
          @Override
          public void vmChanged(VmEvent e) {
            if (tracker != null) {
              tracker.vmChanged(e);
            }
            if (e.to() == VmState.ERROR) {
              failed.add(e.vm());
            } else if (e.from() == VmState.ERROR
                && (e.to() == VmState.TERMINATING || e.to() == VmState.TERMINATED)) {
              healed.add(e.vm());
            }
          }
        };

    long[] planNanos = new long[1 << 16];
    // each cycle's wall and CPU time (of the cycle thread, which other processes do not inflate),
    // and whether nothing changed before it: the world applied no event since the last cycle, and
    // the last cycle's plan had no action
    long[] cycleNanos = new long[1 << 16];
    long[] cycleCpuNanos = new long[1 << 16];
    java.util.BitSet quiet = new java.util.BitSet();
    long eventsAfterLast = -1;
    boolean lastActed = true;
    int cycles = 0;
    long skippedCycles = 0;
    boolean truncated = false;
    Duration cycle = settings.timers().cycle();
    Instant stopAt = start.plus(maxDuration);
    try (Scheduler engine = engine(config, clock, world)) {
      engine.addListener(listener);
      org.csv2.api.ops.Reservations verbs = tracker == null ? null : engine.operations().reservations();
      while (true) {
        if (tracker != null) {
          tracker.beforeCycle(clock.instant(), verbs);
        }
        boolean unchanged = !lastActed && world.eventsApplied() == eventsAfterLast;
        long u0 = threads.getCurrentThreadCpuTime();
        long c0 = System.nanoTime();
        CycleReport r = engine.runOnce();
        long c1 = System.nanoTime();
        long u1 = threads.getCurrentThreadCpuTime();
        if (tracker != null) {
          tracker.afterCycle(clock.instant(), verbs);
        }
        if (cycles == planNanos.length) {
          planNanos = java.util.Arrays.copyOf(planNanos, cycles * 2);
          cycleNanos = java.util.Arrays.copyOf(cycleNanos, cycles * 2);
          cycleCpuNanos = java.util.Arrays.copyOf(cycleCpuNanos, cycles * 2);
        }
        cycleNanos[cycles] = c1 - c0;
        cycleCpuNanos[cycles] = u1 - u0;
        if (unchanged) {
          quiet.set(cycles);
        }
        planNanos[cycles++] = r.planTime().toNanos();
        lastActed = !r.plan().actions().isEmpty();
        eventsAfterLast = world.eventsApplied();
        int live = 0;
        for (Map.Entry<VmState, Integer> e : r.vmsByState().entrySet()) {
          if (e.getKey() != VmState.TERMINATED) {
            live += e.getValue();
          }
        }
        if (cycles % sampleEvery == 1) {
          sample(series, world, clock, start, r);
        }
        if (cycles % 8640 == 0) {
          System.out.printf(
              java.util.Locale.ROOT, "   %s: day %d, %d idle jobs, %d VMs, %.0f s wall%n",
              policy, cycles / 8640, r.idleJobs(), live, (System.nanoTime() - wall0) / 1e9);
        }
        if (live == 0 && world.pool().finished() && (tracker == null || tracker.done())) {
          break;
        }
        if (!clock.instant().isBefore(stopAt)) {
          truncated = true;
          break;
        }
        long steps = world.cyclesToAdvance(cycle);
        if (tracker != null) {
          // the world alone says 1 when it has nothing left to happen: the reservations still may
          long until = tracker.maxSteps(clock.instant(), cycle);
          boolean nothingLeft = live == 0 && world.pool().finished() && world.nextEventAt().isEmpty();
          steps = nothingLeft && until != Long.MAX_VALUE ? until : Math.min(steps, until);
        }
        skippedCycles += steps - 1;
        clock.advance(cycle.multipliedBy(steps));
      }
    }
    double wallSeconds = (System.nanoTime() - wall0) / 1e9;
    // every plugin call ran on this thread: its CPU time is the replay's, without other processes'
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    SimulationStatistics st = world.statistics();
    double cheapest = ReplayCatalog.cheapestPerCore(clouds);
    // runs still going when a truncated replay stops are left out: the bound only gets lower
    CostLowerBound.Bounds lb = CostLowerBound.of(clouds).bounds(runs);
    double lowerBound = lb.shapeAndQuotaAware();

    Map<String, Object> f = new LinkedHashMap<>();
    f.put("policy", policy);
    f.put("flavorPolicy", settings.flavorPolicy().name());
    f.put("jobsSubmitted", st.jobsSubmitted());
    f.put("jobsStarted", st.jobsStarted());
    f.put("jobsCompleted", st.jobsCompleted());
    f.put("jobsLost", st.jobsLost());
    f.put("jobsIdleAtEnd", st.jobsIdle());
    f.put("waitP50s", st.waitP50().toMillis() / 1000.0);
    f.put("waitP95s", st.waitP95().toMillis() / 1000.0);
    f.put("waitP99s", st.waitP99().toMillis() / 1000.0);
    f.put("waitMeanS", st.waitMean().toMillis() / 1000.0);
    f.put("waitMaxS", st.waitMax().toMillis() / 1000.0);
    f.put("jobsNeverStarted", st.jobsSubmitted() - st.jobsStarted());
    f.put("coreHoursUsed", st.coreHoursUsed());
    f.put("coreHoursProvisioned", st.coreHoursProvisioned());
    f.put("provisionedPerUsed", st.provisionedPerUsed());
    f.put("cost", st.cost());
    f.put("cheapestPerCoreHour", cheapest);
    f.put("costLowerBound", lowerBound);
    f.put("costPerLowerBound", lowerBound > 0 ? st.cost() / lowerBound : Double.NaN);
    f.put("costLowerBoundShapeAware", lb.shapeAware());
    f.put("costLowerBoundCheapestCore", lb.cheapestCore());
    f.put("costPerCheapestCoreBound", lb.cheapestCore() > 0 ? st.cost() / lb.cheapestCore() : Double.NaN);
    f.put("lowerBoundPrograms", lb.programsSolved());
    f.put("lowerBoundInfeasibleHours", lb.infeasibleHours());
    f.put("vmsBooted", st.vmsBooted());
    f.put("peakVms", st.peakVms());
    f.put("bootFailuresInjected", st.bootFailuresInjected());
    f.put("bootFailuresSeen", failed.size());
    f.put("bootFailuresHealed", healed.size());
    f.put("cycles", cycles);
    f.put("idleCyclesSkipped", skippedCycles);
    f.put("virtualDays", Duration.between(start, clock.instant()).toSeconds() / 86400.0);
    long[] sorted = java.util.Arrays.copyOf(planNanos, cycles);
    java.util.Arrays.sort(sorted);
    f.put("planTimeP50ms", percentile(sorted, 50) / 1e6);
    f.put("planTimeP99ms", percentile(sorted, 99) / 1e6);
    f.put("planTimeMaxMs", cycles == 0 ? 0.0 : sorted[cycles - 1] / 1e6);
    long[][] split = splitCycles(cycleNanos, cycles, quiet);
    f.put("cyclesUnchanged", split[0].length);
    f.put("cycleUnchangedP50ms", percentile(split[0], 50) / 1e6);
    f.put("cycleChangedP50ms", percentile(split[1], 50) / 1e6);
    f.put("cycleUnchangedMeanMs", mean(split[0]) / 1e6);
    f.put("cycleChangedMeanMs", mean(split[1]) / 1e6);
    f.put("unchangedPerChangedCycle", mean(split[1]) > 0 ? mean(split[0]) / mean(split[1]) : Double.NaN);
    long[][] cpuSplit = splitCycles(cycleCpuNanos, cycles, quiet);
    f.put("cycleUnchangedCpuMeanMs", mean(cpuSplit[0]) / 1e6);
    f.put("cycleChangedCpuMeanMs", mean(cpuSplit[1]) / 1e6);
    f.put("cycleUnchangedCpuP50ms", percentile(cpuSplit[0], 50) / 1e6);
    f.put("cycleChangedCpuP50ms", percentile(cpuSplit[1], 50) / 1e6);
    f.put("unchangedPerChangedCycleCpu", mean(cpuSplit[1]) > 0 ? mean(cpuSplit[0]) / mean(cpuSplit[1]) : Double.NaN);
    f.put("wallSeconds", wallSeconds);
    f.put("wallMicrosPerCycle", cycles == 0 ? 0.0 : wallSeconds * 1e6 / cycles);
    f.put("cpuSeconds", cpuSeconds);
    // wall times on a shared machine are upper bounds: the load says by how much others took the cores
    f.put("loadAverageAtStart", loadAtStart);
    f.put("loadAverageAtEnd", PlanningRun.loadAverage());
    f.put("truncated", truncated);
    if (tracker != null) {
      f.putAll(tracker.figures());
    }
    return new Result(policy, f, series);
  }

  /**
   * The real engine on a simulated world, as a replay runs it: the world's providers registered in
   * code and, since the simulated plugins answer from memory, every plugin call on the cycle thread.
   *
   * @param config the configuration
   * @param clock the world's clock
   * @param world the world
   * @return the engine
   */
  static Scheduler engine(Csv2Config config, VirtualClock clock, SimulatedWorld world) {
    return Csv2Scheduler.builder()
        .config(config)
        .clock(clock)
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .executor(new CallingThreadExecutor())
        .build();
  }

  /** The cycle times split into those in which nothing changed and the others, each sorted. */
  static long[][] splitCycles(long[] nanos, int cycles, java.util.BitSet unchanged) {
    long[] same = new long[unchanged.cardinality()];
    long[] other = new long[cycles - same.length];
    int a = 0;
    int b = 0;
    for (int i = 0; i < cycles; i++) {
      if (unchanged.get(i)) {
        same[a++] = nanos[i];
      } else {
        other[b++] = nanos[i];
      }
    }
    java.util.Arrays.sort(same);
    java.util.Arrays.sort(other);
    return new long[][] {same, other};
  }

  private static double mean(long[] values) {
    double s = 0;
    for (long v : values) {
      s += v;
    }
    return values.length == 0 ? 0 : s / values.length;
  }

  /** The nearest-rank percentile of sorted values (0 when empty). */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static Csv2Config config(EngineSettings settings, List<GroupName> groups, List<ReplayCatalog.CloudSpec> clouds) {
    List<Group> gs = new ArrayList<>();
    for (GroupName g : groups) {
      gs.add(
          new Group(
              g, Group.DEFAULT_JOB, new VmDefaults(Scenarios.IMAGE, null, null, null, null, null),
              List.of(), List.of(), 1.0, Map.of()));
    }
    List<CloudConfig> cs = new ArrayList<>();
    List<Allocation> allocations = new ArrayList<>();
    for (int i = 0; i < clouds.size(); i++) {
      ReplayCatalog.CloudSpec c = clouds.get(i);
      cs.add(
          new CloudConfig(
              new Cloud(c.name(), "simulated", true),
              new PluginSelection("simulated", c.simulatedConfig(BOOT_FAILURE_RATE), "clouds[" + i + "].config")));
      for (GroupName g : groups) {
        allocations.add(Allocation.of(g.value(), c.name().value(), c.priority()));
      }
    }
    return new Csv2Config(
        settings, gs, cs, allocations, List.of(),
        new PluginSelection("simulated", Map.of("register-delay", "30s"), "job-source.config"),
        new PluginSelection("memory", Map.of(), "state-store.config"));
  }

  private static void sample(Series s, SimulatedWorld world, VirtualClock clock, Instant start, CycleReport r) {
    s.hours().add(Duration.between(start, clock.instant()).toSeconds() / 3600.0);
    s.idleJobs().add(r.idleJobs());
    for (VmState st : PLOTTED_STATES) {
      s.vmsByState().get(st).add(r.vmsByState().getOrDefault(st, 0));
    }
    for (Map.Entry<CloudName, List<Integer>> e : s.coresByCloud().entrySet()) {
      SimulatedCloud c = world.cloud(e.getKey()).orElse(null);
      e.getValue().add(c == null ? 0 : Math.max(0, c.capacity().used().cores()));
    }
  }
}
