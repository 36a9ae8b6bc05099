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
package org.csv2.examples.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.csv2.core.config.BoundPluginConfig;
import org.csv2.core.plugin.PluginCatalog;
import org.csv2.model.Lease;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.StateStore;
import org.csv2.testkit.TestEnvironment;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Chaos (issue 20, balanced leases): three engine processes ({@link ChaosChild}) share one store
 * (a fresh database on the MariaDB or PostgreSQL server of {@code scripts/testenv up}), one cloud
 * (moto, through the real {@code ec2} driver; this run's instances carry its own {@code
 * csv2-instance} tag, moto is not reset) and one job source (the file of {@link
 * JobFileSourceProvider}), in wall time with a cycle of {@code 2 s} and a lease period of {@code 6
 * s}. Jobs of {@value #GROUPS} groups arrive over the first part of the run (each asks for the
 * whole {@code t3.micro}, so one job is one VM, and none ever runs: the demand stays); every few
 * seconds the test kills one engine, drawn at random, with SIGKILL and starts a new one a moment
 * later. While it runs, a thread reads the store's leases every {@value #POLL_MILLIS} ms and
 * measures, per group, how long no live engine held it (a lease of a killed engine counts as no
 * lease). After the kills stop and the engines settle, it checks:
 *
 * <ul>
 *   <li><b>no orphan</b>: every instance of the run that moto has not terminated has the VM record
 *       of its {@code csv2-vm} name, with its instance id, not TERMINATED;
 *   <li><b>no duplicate boot</b>: no VM name on two instances, no instance id in two records, and
 *       per group no more instances (in any state) than jobs: boots never exceed the demand;
 *   <li><b>no group unplanned for more than two lease periods</b>: the longest time a group was held
 *       by no live engine, from the moment all groups were first held, is at most {@code 2 *
 *       lease-ttl};
 *   <li>the three live engines split the groups {@code floor(G/3)} or one more each, and the demand
 *       was met (as many live instances per group as jobs), so the run is not vacuous.
 * </ul>
 *
 * <p>{@code -Dcsv2.chaos.seconds} (default 75) is how long the kills go on, {@code -Dcsv2.chaos.seed}
 * the seed of the kill times, the victims and the jobs. The children's output is kept in {@code
 * target/chaos/run-<time>-<pid>/<database>/} when the test fails. Fails (never skips) when moto or
 * the database is not running.
 */
class ChaosIT {
  private static final int ENGINES = 3;
  private static final int GROUPS = 7;
  private static final int JOBS = 21;
  private static final int POLL_MILLIS = 200;
  private static final Duration CHAOS = Duration.ofSeconds(Long.getLong("csv2.chaos.seconds", 75));
  private static final Duration SETTLE = ChaosChild.LEASE_TTL.multipliedBy(3);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Resources JOB = Resources.of(2, 512);
  private static final String IMAGE_NAME = "amzn2-ami-ecs-hvm-2.0.*-x86_64-ebs";
  private static final Path ROOT =
      Path.of("target", "chaos", "run-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid())
          .toAbsolutePath();
  private static volatile boolean failed;

  @AfterAll
  static void removeRunDirectory() {
    if (!failed) {
      deleteRecursively(ROOT);
    }
  }

  @Test
  void mariadb() {
    run("mariadb", Long.getLong("csv2.chaos.seed", 1L));
  }

  @Test
  void postgresql() {
    run("postgresql", Long.getLong("csv2.chaos.seed", 101L));
  }

  private void run(String kind, long seed) {
    TestEnvironment env = TestEnvironment.load();
    env.requireListening("moto", "moto.endpoint");
    Path dir = ROOT.resolve(kind);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String engineId = String.format(Locale.ROOT, "chaos%06x", new Random().nextInt(0x1000000));
    Random random = new Random(seed);
    List<ChildJvm> children = new ArrayList<>();
    try (Ec2Client ec2 = ec2(env);
        ServerDatabase db = ServerDatabase.create(kind);
        StateStore store = openStore(db, engineId)) {
      try {
        Path jobsFile = dir.resolve("jobs.txt");
        List<String> args = List.of(
            "engine-id=" + engineId, "groups=" + GROUPS, "jobs=" + jobsFile, "db-url=" + db.url(),
            "db-user=" + db.user(), "moto-endpoint=" + env.get("moto.endpoint"),
            "moto-region=" + env.get("moto.region"), "image=" + image(ec2));
        Map<String, String> childEnv = Map.of(
            CrashChild.PASSWORD_ENV, db.password(),
            ChaosChild.MOTO_KEYS_ENV, env.get("moto.access-key") + ":" + env.get("moto.secret-key"));
        Watch watch = new Watch(store);
        Map<ChildJvm, String> owners = new LinkedHashMap<>();
        int[] started = {0};
        java.util.function.Supplier<ChildJvm> start = () -> {
          Set<String> before = watch.presenceOwners();
          ChildJvm c = ChildJvm.start(ROOT, ChaosChild.class, args, childEnv, dir.resolve("stdout.log"),
              dir.resolve("stderr.log"), "=== engine " + started[0]++ + " ===");
          c.awaitLine(l -> l.startsWith("cycle 1 "), START_TIMEOUT);
          Set<String> now = watch.presenceOwners();
          now.removeAll(before);
          assertThat(now).as("the presence lease of the engine just started").hasSize(1);
          owners.put(c, now.iterator().next());
          return c;
        };
        for (int i = 0; i < ENGINES; i++) {
          children.add(start.get());
        }

        // jobs arrive over the first 60 % of the kills
        List<JobFileSourceProvider.Line> all = new ArrayList<>();
        long window = CHAOS.toMillis() * 6 / 10;
        List<Long> offsets = new ArrayList<>();
        for (int j = 0; j < JOBS; j++) {
          offsets.add((long) random.nextInt((int) window));
        }
        offsets.sort(null);
        Map<String, Integer> demand = new TreeMap<>();
        List<String> groups = ChaosChild.groups(GROUPS);
        for (int j = 0; j < JOBS; j++) {
          // every group gets at least one job, the rest at random
          String g = j < GROUPS ? groups.get(j) : groups.get(random.nextInt(GROUPS));
          demand.merge(g, 1, Integer::sum);
          all.add(new JobFileSourceProvider.Line("chaos#" + (j + 1), g, JOB, Instant.EPOCH));
        }
        java.util.Collections.shuffle(all, random);

        watch.start(groups);
        long t0 = System.nanoTime();
        int written = 0;
        int kills = 0;
        long nextKill = millisFrom(t0) + 4000 + random.nextInt(8000);
        while (millisFrom(t0) < CHAOS.toMillis()) {
          long now = millisFrom(t0);
          int due = (int) offsets.stream().filter(o -> o <= now).count();
          if (due > written) {
            written = due;
            Instant at = Instant.now();
            List<JobFileSourceProvider.Line> out = new ArrayList<>();
            for (JobFileSourceProvider.Line l : all.subList(0, written)) {
              out.add(l.queuedSince().equals(Instant.EPOCH)
                  ? new JobFileSourceProvider.Line(l.id(), l.group(), l.request(), at) : l);
            }
            all.subList(0, written).clear();
            all.addAll(0, out);
            JobFileSourceProvider.write(jobsFile, out);
          }
          if (now >= nextKill) {
            ChildJvm victim = children.remove(random.nextInt(children.size()));
            watch.dead(owners.get(victim));
            victim.kill();
            kills++;
            sleep(random.nextInt(4000));
            children.add(start.get());
            nextKill = millisFrom(t0) + 6000 + random.nextInt(9000);
          }
          sleep(100);
        }
        sleep(SETTLE.toMillis());
        Map<String, Long> byOwner = watch.heldByLiveOwner();
        watch.stop();
        for (ChildJvm c : children) {
          c.kill();
        }
        children.clear();

        verify(ec2, store, engineId, demand, byOwner, watch, kills, kind);
      } catch (AssertionError | RuntimeException e) {
        failed = true;
        throw new AssertionError("chaos failed on " + kind + " with seed " + seed + " (rerun with -Dit.test=ChaosIT#"
            + kind + " -Dcsv2.chaos.seed=" + seed + "; the engines' output is in " + dir + "): " + e.getMessage(), e);
      } finally {
        for (ChildJvm c : children) {
          c.kill();
        }
        terminate(ec2, engineId);
      }
    }
  }

  private static void verify(
      Ec2Client ec2, StateStore store, String engineId, Map<String, Integer> demand, Map<String, Long> byOwner,
      Watch watch, int kills, String kind) {
    List<Instance> instances = ours(ec2, engineId);
    Map<String, Vm> byName = new HashMap<>();
    Map<String, List<String>> recordsByInstance = new HashMap<>();
    for (Vm vm : store.vms()) {
      assertThat(byName.put(vm.id().value(), vm)).as("VM records named %s", vm.id()).isNull();
      if (vm.instanceId() != null) {
        recordsByInstance.computeIfAbsent(vm.instanceId().value(), k -> new ArrayList<>()).add(vm.id().value());
      }
    }
    Map<String, String> idByName = new HashMap<>();
    Map<String, Integer> bootsPerGroup = new TreeMap<>();
    Map<String, Integer> livePerGroup = new TreeMap<>();
    for (Instance i : instances) {
      Map<String, String> tags = i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> x));
      String name = tags.get(Csv2Tags.VM_NAME);
      String group = tags.get(Csv2Tags.GROUP);
      assertThat(name).as("csv2-vm tag of %s", i.instanceId()).isNotNull();
      assertThat(idByName.put(name, i.instanceId()))
          .as("another instance booted with the VM name %s (a duplicate boot): %s", name, i.instanceId())
          .isNull();
      bootsPerGroup.merge(group, 1, Integer::sum);
      assertThat(recordsByInstance.getOrDefault(i.instanceId(), List.of()))
          .as("VM records claiming instance %s", i.instanceId())
          .hasSizeLessThanOrEqualTo(1);
      if (i.state().name() == InstanceStateName.TERMINATED || i.state().name() == InstanceStateName.SHUTTING_DOWN) {
        continue;
      }
      livePerGroup.merge(group, 1, Integer::sum);
      Vm vm = byName.get(name);
      assertThat(vm).as("the VM record of instance %s (%s): an orphan", i.instanceId(), name).isNotNull();
      assertThat(vm.instanceId()).as("instance id recorded for VM %s", name).isNotNull();
      assertThat(vm.instanceId().value()).as("instance id recorded for VM %s", name).isEqualTo(i.instanceId());
      assertThat(vm.state()).as("state of the record of running instance %s (%s)", i.instanceId(), name)
          .isNotEqualTo(VmState.TERMINATED);
    }
    for (Map.Entry<String, Integer> d : demand.entrySet()) {
      assertThat(bootsPerGroup.getOrDefault(d.getKey(), 0))
          .as("instances booted for group %s (any state) against its %d jobs: a duplicate boot", d.getKey(), d.getValue())
          .isLessThanOrEqualTo(d.getValue());
      assertThat(livePerGroup.getOrDefault(d.getKey(), 0))
          .as("live instances of group %s: its demand (%d jobs) met", d.getKey(), d.getValue())
          .isEqualTo(d.getValue());
    }
    int share = GROUPS / ENGINES;
    assertThat(byOwner).as("groups held per live engine at the end").hasSize(ENGINES);
    assertThat(byOwner.values()).as("groups held per live engine at the end")
        .allSatisfy(n -> assertThat(n).isBetween((long) share, (long) share + 1));
    assertThat(kills).as("engines killed").isPositive();
    Duration limit = ChaosChild.LEASE_TTL.multipliedBy(2);
    double[] load = loadAverage();
    System.out.printf(Locale.ROOT,
        "chaos on %s: %d engines, %d groups, %d jobs, %d kills in %d s, %d instances booted (%d live), longest time a"
            + " group was held by no live engine %.1f s (limit %d s; every gap over 1 s: %s), %d polls; load average %.2f %.2f"
            + " %.2f%n",
        kind, ENGINES, GROUPS, JOBS, kills, CHAOS.toSeconds(), instances.size(),
        livePerGroup.values().stream().mapToInt(Integer::intValue).sum(), watch.longest() / 1000.0,
        limit.toSeconds(), watch.gaps(), watch.polls(), load[0], load[1], load[2]);
    assertThat(watch.longest())
        .as("longest time a group was held by no live engine (ms); gaps: %s", watch.gaps())
        .isLessThanOrEqualTo(limit.toMillis());
  }

  /**
   * Reads the store's leases every {@value #POLL_MILLIS} ms and measures the time each group is
   * held by no live engine (no lease, an expired one, or one of an engine the test killed).
   */
  private static final class Watch {
    private final StateStore store;
    private final Set<String> dead = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> unheldSince = new HashMap<>();
    private final List<String> gaps = new ArrayList<>();
    private List<String> groups = List.of();
    private volatile boolean running;
    private Thread thread;
    private long longest;
    private boolean measuring;
    private int polls;
    private int failures;

    Watch(StateStore store) {
      this.store = store;
    }

    /** The owners of the presence leases now in the store, expired or not. */
    Set<String> presenceOwners() {
      return store.leases().stream()
          .filter(l -> l.group().value().startsWith(org.csv2.core.config.ConfigLoader.RESERVED_GROUP_PREFIX))
          .map(Lease::owner)
          .collect(Collectors.toCollection(HashSet::new));
    }

    void dead(String owner) {
      dead.add(owner);
    }

    synchronized void start(List<String> groups) {
      this.groups = groups;
      running = true;
      thread = new Thread(() -> {
        while (running) {
          poll();
          try {
            Thread.sleep(POLL_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "chaos-lease-watch");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      running = false;
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        long now = System.currentTimeMillis();
        unheldSince.forEach((g, since) -> record(g, now - since, "still unheld at the end"));
      }
    }

    private void poll() {
      List<Lease> leases;
      try {
        leases = store.leases();
      } catch (RuntimeException e) {
        synchronized (this) {
          failures++;
        }
        return;
      }
      long nowMillis = System.currentTimeMillis();
      Instant now = Instant.ofEpochMilli(nowMillis);
      Set<String> held = new HashSet<>();
      for (Lease l : leases) {
        if (l.expires().isAfter(now) && !dead.contains(l.owner())) {
          held.add(l.group().value());
        }
      }
      synchronized (this) {
        polls++;
        if (!measuring) {
          // from the moment every group is held by a live engine
          measuring = held.containsAll(groups);
          return;
        }
        for (String g : groups) {
          if (held.contains(g)) {
            Long since = unheldSince.remove(g);
            if (since != null) {
              record(g, nowMillis - since, "");
            }
          } else {
            unheldSince.putIfAbsent(g, nowMillis);
          }
        }
      }
    }

    private void record(String group, long millis, String note) {
      longest = Math.max(longest, millis);
      if (millis >= 1000) {
        gaps.add(String.format(Locale.ROOT, "%s %.1fs%s", group, millis / 1000.0, note.isEmpty() ? "" : " " + note));
      }
    }

    /** Per live owner, how many groups its unexpired leases hold now. */
    Map<String, Long> heldByLiveOwner() {
      Instant now = Instant.now();
      Set<String> g = new HashSet<>(groups);
      return store.leases().stream()
          .filter(l -> l.expires().isAfter(now) && !dead.contains(l.owner()) && g.contains(l.group().value()))
          .collect(Collectors.groupingBy(Lease::owner, TreeMap::new, Collectors.counting()));
    }

    synchronized long longest() {
      if (!measuring) {
        throw new AssertionError("the groups were never all held by live engines (" + polls + " polls, " + failures
            + " failed reads)");
      }
      return longest;
    }

    synchronized String gaps() {
      return gaps.isEmpty() ? "none over 1 s" : String.join(", ", gaps);
    }

    synchronized int polls() {
      return polls;
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private static Ec2Client ec2(TestEnvironment env) {
    return Ec2Client.builder()
        .endpointOverride(URI.create(env.get("moto.endpoint")))
        .region(Region.of(env.get("moto.region")))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(env.get("moto.access-key"), env.get("moto.secret-key"))))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Every instance of the run in moto, in any state. */
  private static List<Instance> ours(Ec2Client ec2, String engineId) {
    List<Instance> out = new ArrayList<>();
    for (Reservation r : ec2.describeInstances(
            b -> b.filters(Filter.builder().name("tag:" + Csv2Tags.INSTANCE_ID).values(engineId).build()))
        .reservations()) {
      out.addAll(r.instances());
    }
    return out;
  }

  /** Terminates the run's instances, so that moto does not keep them for the next tests. */
  private static void terminate(Ec2Client ec2, String engineId) {
    try {
      List<String> ids = ours(ec2, engineId).stream()
          .filter(i -> i.state().name() != InstanceStateName.TERMINATED)
          .map(Instance::instanceId)
          .toList();
      if (!ids.isEmpty()) {
        ec2.terminateInstances(b -> b.instanceIds(ids));
      }
    } catch (RuntimeException e) {
      System.out.println("chaos: the run's instances in moto not terminated: " + e);
    }
  }

  /** The AMI the groups boot: the newest of moto's Amazon images matching {@link #IMAGE_NAME}. */
  private static String image(Ec2Client ec2) {
    return ec2.describeImages(b -> b.owners("amazon").filters(Filter.builder().name("name").values(IMAGE_NAME).build()))
        .images().stream()
        .max(Comparator.comparing(software.amazon.awssdk.services.ec2.model.Image::name))
        .orElseThrow(() -> new AssertionError("moto lists no Amazon image named " + IMAGE_NAME))
        .imageId();
  }

  private static StateStore openStore(ServerDatabase db, String engineId) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("url", db.url());
    raw.put("user", db.user());
    raw.put("password", db.password());
    raw.put("pool-size", 2);
    return PluginCatalog.builder()
        .build()
        .stateStore("jdbc")
        .create(
            BoundPluginConfig.of(raw, "state-store.config"),
            new TestPluginContext(Clock.systemUTC(), engineId, "state-store"));
  }

  private static double[] loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (IOException | RuntimeException e) {
      double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return new double[] {l, l, l};
    }
  }

  private static long millisFrom(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir, e);
    }
  }
}
