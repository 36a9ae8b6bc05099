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
package org.csv2.examples.clouds;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.config.Throttles;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmState;
import org.csv2.plugin.openstack.OpenStackSampleServer;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.OpportunisticMetadata;

/**
 * B7 (issue 22): bursts and opportunistic capacity, measured. A program, not a test: it prints
 * figures (BENCHMARKS.md, B7). Run it from the repository root, niced, one at a time:
 *
 * <pre>
 *   mvn -o -q -pl csv2-examples -am test-compile dependency:build-classpath \
 *       -Dmdep.outputFile=/tmp/b7.cp -Dmdep.includeScope=test
 *   nice java -cp csv2-examples/target/test-classes:csv2-examples/target/classes:$(cat /tmp/b7.cp) \
 *       org.csv2.examples.clouds.BurstBenchmark [openstack|cycle|reclaim|wait|all]
 * </pre>
 *
 * <ul>
 *   <li>{@code openstack}: the engine with the openstack driver against {@link
 *       OpenStackSampleServer} with 100 ms and 200 ms per request: 2,500 idle one-core jobs to 2,500
 *       servers requested and ACTIVE (wall time; cycles back to back in virtual time).
 *   <li>{@code retire}: the same engine and server; {@code vms} servers booted (without latency),
 *       then 100 ms per request and the administrators reclaim with a deadline already past: time
 *       from that cycle to the last server deleted, with {@code boot-concurrency} 1 (one DELETE
 *       after the other, as before batched terminations), 8 and 32.
 *   <li>{@code cycle}: simulation, one cloud, 12,500 VMs of 8 cores running jobs (100,000 cores):
 *       a cycle's wall time (median, max of 10).
 *   <li>{@code reclaim}: simulation, 2,500 opportunistic VMs running jobs (half 5 min, half 3 h);
 *       the administrators reclaim with a 15 min deadline: time to the last opportunistic VM gone.
 *   <li>{@code wait}: simulation, a preferred group's jobs arriving for 3 h on a 800-core cloud,
 *       with and without an opportunistic group's backlog: the preferred jobs' wait p95.
 * </ul>
 */
public final class BurstBenchmark {
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  private BurstBenchmark() {}

  public static void main(String[] args) {
    String what = args.length == 0 ? "all" : args[0];
    try {
      if (what.equals("openstack") || what.equals("all")) {
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 2500;
        openstack(100, 10, 8); // warm-up: class loading and JIT, not a figure
        for (int ms : new int[] {100, 200}) {
          openstack(jobs, ms, 8);
        }
        openstack(jobs, 100, 32);
      }
      if (what.equals("retire") || what.equals("all")) {
        int vms = args.length > 1 && !what.equals("all") ? Integer.parseInt(args[1]) : 2500;
        retire(100, 100, 8); // warm-up
        for (int concurrency : new int[] {1, 8, 32}) {
          retire(vms, 100, concurrency);
        }
      }
      if (what.equals("cycle") || what.equals("all")) {
        cycle(args.length > 1 && !what.equals("all") ? Integer.parseInt(args[1]) : 12_500,
            args.length > 2 && !what.equals("all") ? args[2] : "memory");
      }
      if (what.equals("reclaim") || what.equals("all")) {
        reclaim(2_500);
      }
      if (what.equals("wait") || what.equals("all")) {
        Duration without = preferredWaitP95(false, null);
        for (Duration grace : new Duration[] {null, Duration.ZERO, Duration.ofMinutes(2)}) {
          Duration with = preferredWaitP95(true, grace);
          System.out.printf(Locale.ROOT,
              "B7 wait: preferred p95 %ds without, %ds with an opportunistic group, give-back-grace %s (%+.1f %%)%n",
              without.toSeconds(), with.toSeconds(), grace == null ? "none" : grace.toSeconds() + "s",
              100.0 * (with.toSeconds() - without.toSeconds()) / Math.max(1, without.toSeconds()));
        }
      }
    } finally {
      EXECUTOR.shutdownNow();
    }
  }

  // ---- openstack --------------------------------------------------------------------------------

  static void openstack(int jobs, int latencyMs, int concurrency) {
    String engineId = "b7os" + latencyMs;
    try (OpenStackSampleServer os = new OpenStackSampleServer().start()) {
      os.limits(jobs * 2, 1_000_000_000, jobs * 2);
      os.buildListings(1);
      os.latency(Duration.ofMillis(latencyMs));
      VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
      InMemoryStateStore store = new InMemoryStateStore(clock);
      MachinePool pool = new MachinePool(clock, List::of);
      pool.submit(GroupName.of("atlas"), jobs, Resources.of(1, 400), 1000);
      String yaml = EngineRun.config(engineId, "300s", "cirros-0.3.2-x86_64-disk", "m1.tiny", "sample-os", "openstack",
          List.of(
              "auth-url: \"" + os.authUrl() + "\"",
              "region: RegionOne",
              "project: " + OpenStackSampleServer.PROJECT,
              "user: " + OpenStackSampleServer.USER,
              "password: \"" + OpenStackSampleServer.PASSWORD + "\"",
              "connect-timeout: 5s",
              "read-timeout: 30s",
              "boot-concurrency: " + concurrency))
          .replace("groups:\n", "throttles:\n  vms-per-boot-call: 250\n  starting-per-cloud: " + jobs
              + "\n  idle-vms: " + jobs + "\ngroups:\n");
      long t0 = System.nanoTime();
      double requestedAt = -1;
      double activeAt = -1;
      int requested = 0;
      List<String> cycles = new ArrayList<>();
      try (Scheduler engine = Csv2Scheduler.builder()
          .configYaml(yaml).clock(clock).addJobSourceProvider(pool).addStateStoreProvider(EngineRun.memoryStore(store)).build()) {
        for (int n = 1; n <= 200 && activeAt < 0; n++) {
          long c0 = System.nanoTime();
          CycleReport r = engine.runOnce();
          requested += r.plan().boots().stream().mapToInt(b -> b.count()).sum();
          double now = (System.nanoTime() - t0) / 1e9;
          if (requested >= jobs && requestedAt < 0) {
            requestedAt = now;
          }
          long active = os.servers().values().stream()
              .filter(s -> engineId.equals(s.path("metadata").path(Csv2Tags.INSTANCE_ID).asText()))
              .filter(s -> "ACTIVE".equals(s.path("status").asText()))
              .count();
          cycles.add(String.format(Locale.ROOT, "%.1fs/%d", (System.nanoTime() - c0) / 1e9, active));
          if (active >= jobs) {
            activeAt = now;
          }
          if (!r.failures().isEmpty()) {
            System.out.println("  failures: " + r.failures().subList(0, Math.min(3, r.failures().size())));
          }
          clock.advance(CYCLE);
        }
      }
      System.out.printf(Locale.ROOT,
          "B7 openstack: %d jobs, %d ms/request, boot-concurrency %d: all requested after %.1f s, all ACTIVE after %.1f s"
              + " (%d cycles: %s); most boots in flight %d%n",
          jobs, latencyMs, concurrency, requestedAt, activeAt, cycles.size(), cycles, os.mostBootsInFlight());
    }
  }

  static void retire(int vms, int latencyMs, int concurrency) {
    String engineId = "b7rt" + concurrency;
    try (OpenStackSampleServer os = new OpenStackSampleServer().start()) {
      os.limits(vms * 2, 1_000_000_000, vms * 2);
      os.buildListings(1);
      VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
      InMemoryStateStore store = new InMemoryStateStore(clock);
      MachinePool pool = new MachinePool(clock, List::of);
      pool.submit(GroupName.of("atlas"), vms, Resources.of(1, 400), 100_000);
      String yaml = EngineRun.config(engineId, "300s", "cirros-0.3.2-x86_64-disk", "m1.tiny", "sample-os", "openstack",
          List.of(
              "auth-url: \"" + os.authUrl() + "\"",
              "region: RegionOne",
              "project: " + OpenStackSampleServer.PROJECT,
              "user: " + OpenStackSampleServer.USER,
              "password: \"" + OpenStackSampleServer.PASSWORD + "\"",
              "connect-timeout: 5s",
              "read-timeout: 30s",
              "boot-concurrency: " + concurrency))
          .replace("groups:\n", "throttles:\n  vms-per-boot-call: 250\n  starting-per-cloud: " + vms
              + "\n  idle-vms: " + vms + "\ngroups:\n")
          .replace("{ group: atlas, cloud: sample-os }", "{ group: atlas, cloud: sample-os, mode: opportunistic }");
      java.util.function.LongSupplier ours = () -> os.servers().values().stream()
          .filter(s -> engineId.equals(s.path("metadata").path(Csv2Tags.INSTANCE_ID).asText()))
          .count();
      try (Scheduler engine = Csv2Scheduler.builder()
          .configYaml(yaml).clock(clock).addJobSourceProvider(pool).addStateStoreProvider(EngineRun.memoryStore(store)).build()) {
        for (int n = 0; n < 100 && ours.getAsLong() < vms; n++) {
          engine.runOnce();
          clock.advance(CYCLE);
        }
        engine.runOnce();
        clock.advance(CYCLE);
        long booted = ours.getAsLong();
        os.projectProperties(Map.of(
            OpportunisticMetadata.RECLAIM, "true",
            OpportunisticMetadata.RECLAIM_DEADLINE, clock.instant().minusSeconds(60).toString()));
        os.latency(Duration.ofMillis(latencyMs));
        long t0 = System.nanoTime();
        List<String> cycles = new ArrayList<>();
        int terminations = 0;
        for (int n = 0; n < 100 && ours.getAsLong() > 0; n++) {
          long c0 = System.nanoTime();
          CycleReport r = engine.runOnce();
          terminations += r.plan().terminations().size();
          cycles.add(String.format(Locale.ROOT, "%.1fs/%d", (System.nanoTime() - c0) / 1e9, ours.getAsLong()));
          if (!r.failures().isEmpty()) {
            System.out.println("  failures: " + r.failures().subList(0, Math.min(3, r.failures().size())));
          }
          clock.advance(CYCLE);
        }
        double gone = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT,
            "B7 retire: %d servers, %d ms/request, boot-concurrency %d: %d terminations planned, all deleted after %.1f s"
                + " (%d cycles: %s); most deletes in flight %d%n",
            booted, latencyMs, concurrency, terminations, gone, cycles.size(), cycles, os.mostDeletesInFlight());
      }
    }
  }

  // ---- simulation -------------------------------------------------------------------------------

  private static Csv2Config config(
      int quotaCores, int quotaInstances, Throttles throttles, boolean opportunistic, List<GroupName> groups) {
    return config(quotaCores, quotaInstances, throttles, opportunistic, groups, null);
  }

  private static Csv2Config config(
      int quotaCores, int quotaInstances, Throttles throttles, boolean opportunistic, List<GroupName> groups,
      Duration giveBackGrace) {
    Map<String, Object> cfg = Map.of(
        "quota", Map.of("cores", quotaCores, "instances", quotaInstances),
        "boot-delay", Map.of("min", "20s", "max", "60s"),
        "seed", 11);
    List<CloudConfig> clouds =
        List.of(new CloudConfig(new Cloud(CloudName.of("farm"), "simulated", true), new PluginSelection("simulated", cfg, "clouds[0].config")));
    List<Allocation> allocations = new ArrayList<>();
    for (GroupName g : groups) {
      boolean opp = opportunistic && g.value().equals("lhcb");
      allocations.add(new Allocation(g, CloudName.of("farm"), 0, Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED,
          opp ? AllocationMode.OPPORTUNISTIC : AllocationMode.PREFERRED, Set.of(), VmDefaults.NONE, List.of(), true));
    }
    EngineSettings d = EngineSettings.defaults("b7");
    EngineSettings settings = new EngineSettings("b7", "default", d.flavorPolicy(), d.timers().withGiveBackGrace(giveBackGrace), throttles,
        Duration.ofSeconds(60), 3, Duration.ofSeconds(60), Duration.ofSeconds(60));
    return new Csv2Config(
        settings,
        groups.stream().map(g -> new Group(g, Group.DEFAULT_JOB, new VmDefaults("centos7", org.csv2.model.FlavorName.of("c8-32gb"), null, null, null, null),
            List.of(), List.of(), 1.0, Map.of())).toList(),
        clouds, allocations, List.of(),
        new PluginSelection("simulated", Map.of("register-delay", "20s"), "job-source.config"),
        new PluginSelection("memory", Map.of(), "state-store.config"));
  }

  private static Scheduler engine(Csv2Config cfg, VirtualClock clock, SimulatedWorld world, InMemoryStateStore store) {
    return Csv2Scheduler.builder()
        .config(cfg).clock(clock).executor(EXECUTOR).random(new Random(3))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(EngineRun.memoryStore(store))
        .build();
  }

  private static long count(org.csv2.spi.StateStore store, VmState state) {
    return store.vms().stream().filter(v -> v.state() == state).count();
  }

  /**
   * A cycle at {@code vms} live VMs, on the in-memory store or the JDBC store ({@code h2}: a file
   * under target/, {@code mariadb}, {@code postgresql}: a fresh database on the test server).
   */
  static void cycle(int vms, String storeKind) {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 5);
    org.csv2.spi.StateStore store;
    AutoCloseable database = null;
    if (storeKind.equals("memory")) {
      store = new InMemoryStateStore(clock);
    } else {
      String url;
      String user = null;
      String password = null;
      if (storeKind.equals("h2")) {
        java.nio.file.Path dir = java.nio.file.Path.of("target", "b7-h2-" + System.nanoTime()).toAbsolutePath();
        url = "jdbc:h2:file:" + dir.resolve("csv2");
      } else {
        org.csv2.examples.crash.ServerDatabase db = org.csv2.examples.crash.ServerDatabase.create(storeKind);
        database = db;
        url = db.url();
        user = db.user();
        password = db.password();
      }
      Map<String, Object> raw = new java.util.HashMap<>();
      raw.put("url", url);
      if (user != null) {
        raw.put("user", user);
        raw.put("password", password);
      }
      store = new org.csv2.plugin.jdbc.JdbcStateStoreProvider()
          .create(org.csv2.testkit.TestPluginConfig.of(raw, "state-store.config"),
              org.csv2.testkit.TestPluginContext.of("b7").withClock(clock));
    }
    org.csv2.spi.StateStore theStore = store;
    GroupName g = GroupName.of("atlas");
    Csv2Config cfg = config(vms * 8 + 8, vms + 1, new Throttles(500, vms, vms, 0.1, 0), false, List.of(g));
    for (int i = 0; i < vms; i++) {
      world.pool().submit(g, "u", Resources.of(8, 30000, 100), Duration.ofDays(2), 0);
    }
    try (Scheduler s = Csv2Scheduler.builder()
        .config(cfg).clock(clock).executor(EXECUTOR).random(new Random(3))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(new org.csv2.spi.StateStoreProvider() {
          @Override
          public String name() {
            return "memory";
          }

          @Override
          public org.csv2.spi.StateStore create(org.csv2.spi.PluginConfig config, org.csv2.spi.PluginContext context) {
            return theStore;
          }
        })
        .build()) {
      long t0 = System.nanoTime();
      int n = 0;
      while (count(store, VmState.RUNNING) < vms && n++ < 300) {
        s.runOnce();
        clock.advance(CYCLE);
      }
      double ramp = (System.nanoTime() - t0) / 1e9;
      List<Double> walls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long c0 = System.nanoTime();
        s.runOnce();
        walls.add((System.nanoTime() - c0) / 1e6);
        clock.advance(CYCLE);
      }
      Collections.sort(walls);
      System.out.printf(Locale.ROOT,
          "B7 cycle (%s store): %d VMs RUNNING (%d cores) after %d cycles (%.1f s wall to get there); a cycle at that size: median %.0f ms, max %.0f ms; load average %s%n",
          storeKind, count(store, VmState.RUNNING), count(store, VmState.RUNNING) * 8, n, ramp, walls.get(5), walls.get(9),
          loadAverage());
    } finally {
      if (!storeKind.equals("memory")) {
        store.close();
      }
      if (database != null) {
        try {
          database.close();
        } catch (Exception e) {
          System.err.println("cannot drop the benchmark database: " + e);
        }
      }
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  static void reclaim(int vms) {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 9);
    InMemoryStateStore store = new InMemoryStateStore(clock);
    GroupName lhcb = GroupName.of("lhcb");
    Csv2Config cfg = config(vms * 8 * 2, vms * 2, new Throttles(500, vms, vms, 0.1, 0), true, List.of(GroupName.of("cms"), lhcb));
    for (int i = 0; i < vms; i++) {
      world.pool().submit(lhcb, "u", Resources.of(8, 30000, 100), i % 2 == 0 ? Duration.ofMinutes(5) : Duration.ofHours(3), 0);
    }
    try (Scheduler s = engine(cfg, clock, world, store)) {
      SimulatedCloud farm = world.cloud(CloudName.of("farm")).orElseThrow();
      int n = 0;
      while (count(store, VmState.RUNNING) < vms && n++ < 300) {
        s.runOnce();
        clock.advance(CYCLE);
      }
      long running = count(store, VmState.RUNNING);
      Instant flag = clock.instant();
      Instant deadline = flag.plus(Duration.ofMinutes(15));
      farm.setAdministratorMetadata(Map.of(OpportunisticMetadata.RECLAIM, "true", OpportunisticMetadata.RECLAIM_DEADLINE, deadline.toString()));
      long completedBefore = world.statistics().jobsCompleted();
      long lostBefore = world.statistics().jobsLost();
      Instant lastSeen = flag;
      for (int c = 0; c < 200; c++) {
        s.runOnce();
        long live = farm.instances().stream().filter(i -> i.state() != InstanceState.TERMINATED).count();
        if (live == 0) {
          break;
        }
        lastSeen = clock.instant();
        clock.advance(CYCLE);
      }
      System.out.printf(Locale.ROOT,
          "B7 reclaim: %d opportunistic VMs running; reclaim with a %d min deadline: last VM gone %d s after the flag"
              + " (%d s before the deadline); jobs finished in the grace %d, cut short at the deadline %d%n",
          running, 15, Duration.between(flag, lastSeen).toSeconds() + CYCLE.toSeconds(),
          Duration.between(lastSeen.plus(CYCLE), deadline).toSeconds(),
          world.statistics().jobsCompleted() - completedBefore, world.statistics().jobsLost() - lostBefore);
    }
  }

  /** cms (preferred) jobs arriving for 3 h on 800 cores; lhcb (opportunistic) with a backlog, or absent. */
  static Duration preferredWaitP95(boolean withOpportunistic, Duration giveBackGrace) {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 13);
    InMemoryStateStore store = new InMemoryStateStore(clock);
    GroupName cms = GroupName.of("cms");
    GroupName lhcb = GroupName.of("lhcb");
    Csv2Config cfg = config(800, 100, Throttles.DEFAULTS, true, List.of(cms, lhcb), giveBackGrace);
    Random r = new Random(17);
    if (withOpportunistic) {
      for (int i = 0; i < 2000; i++) {
        world.pool().submit(lhcb, "u", Resources.of(8, 30000, 100), Duration.ofMinutes(5 + r.nextInt(30)), 0);
      }
    }
    Map<JobId, Instant> submitted = new HashMap<>();
    Map<JobId, Instant> started = new HashMap<>();
    Random arrivals = new Random(23);
    try (Scheduler s = engine(cfg, clock, world, store)) {
      for (int c = 0; c < 6 * 60 * 5; c++) {
        if (c < 6 * 60 * 3 && arrivals.nextInt(10) < 3) {
          JobId id = world.pool().submit(cms, "u", Resources.of(8, 30000, 100), Duration.ofMinutes(10 + arrivals.nextInt(40)), 0);
          submitted.put(id, clock.instant());
        }
        s.runOnce();
        Set<JobId> present = new java.util.HashSet<>();
        for (Job j : world.pool().jobs()) {
          present.add(j.id());
          if (j.group().equals(cms) && j.state() == JobState.RUNNING) {
            started.putIfAbsent(j.id(), clock.instant());
          }
        }
        for (JobId id : submitted.keySet()) {
          if (!present.contains(id)) {
            started.putIfAbsent(id, clock.instant());
          }
        }
        clock.advance(CYCLE);
      }
    }
    List<Long> waits = new ArrayList<>();
    submitted.forEach((id, at) -> waits.add(Duration.between(at, started.getOrDefault(id, clock.instant())).toSeconds()));
    Collections.sort(waits);
    long p95 = waits.get((int) Math.ceil(0.95 * waits.size()) - 1);
    System.out.printf(Locale.ROOT, "B7 wait (%s, give-back-grace %s): %d preferred jobs, wait p50 %d s, p95 %d s, max %d s%n",
        withOpportunistic ? "with opportunistic backlog" : "preferred alone",
        giveBackGrace == null ? "none" : giveBackGrace.toSeconds() + "s", waits.size(),
        waits.get(waits.size() / 2), p95, waits.get(waits.size() - 1));
    return Duration.ofSeconds(p95);
  }
}
