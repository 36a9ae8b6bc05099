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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.core.config.Throttles;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.Snapshot;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.Cloud;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Tags;
import org.jspecify.annotations.Nullable;

/**
 * The seeded planning scenarios of PERFORMANCE.md B1, built from the real catalogs and the LCG
 * trace:
 *
 * <ul>
 *   <li>{@code mixed-20k}: 20,000 idle jobs (cores 1-16, mostly 1 and 8; RAM 0.5-4 GiB per core in
 *       512 MiB steps; 5 groups; 3 aliases), 400 EC2 flavors over 10 clouds (regions) with their
 *       on-demand prices, 2,000 existing VMs in every state;
 *   <li>{@code htc-100k}: the first 100,000 jobs of the LCG grid log as idle single-core jobs
 *       (owner, group and queue order from the log; 2,000 MiB each, the grid's per-core standard,
 *       because the log records no memory), 100 clouds x 40 flavors, 10,000 VMs;
 *   <li>{@code sweep}: the mixed generator at other sizes.
 * </ul>
 *
 * <p>A cloud is an EC2 region of the 2017 catalog (cycled when more clouds than regions are asked
 * for); its flavors are a seeded choice among the types priced there.
 */
public final class Scenarios {
  /** The time every scenario is planned at. */
  public static final Instant NOW = Instant.parse("2026-01-05T12:00:00Z");

  /** This benchmark engine's csv2 instance id. */
  public static final String INSTANCE = "bench";

  /** The image every group boots. */
  public static final String IMAGE = "centos7";

  /** The groups of the mixed scenarios, with their fair-share weights. */
  static final String[] MIXED_GROUPS = {"atlas", "belle2", "cms", "dune", "lhcb"};

  private static final double[] MIXED_WEIGHTS = {3, 1, 2, 1, 1};

  /** The VM states and how often they occur among existing VMs (after one of each). */
  private static final VmState[] STATES = VmState.values();

  private static final double[] STATE_WEIGHTS = {
    // REQUESTED, BOOTING, UNREGISTERED, IDLE, RUNNING, RETIRING, TERMINATING, TERMINATED, ERROR, MANUAL
    4, 8, 6, 15, 42, 8, 5, 5, 4, 3
  };

  /** What kind of jobs a scenario has. */
  public enum Kind {
    /** Mixed multi-core jobs of five groups. */
    MIXED,
    /** Single-core grid jobs from the LCG log. */
    HTC
  }

  /**
   * A scenario's size.
   *
   * @param name its name
   * @param kind its jobs
   * @param jobs idle jobs
   * @param clouds clouds
   * @param flavorsPerCloud flavors per cloud
   * @param vms existing VMs
   * @param seed the random seed
   */
  public record Spec(String name, Kind kind, int jobs, int clouds, int flavorsPerCloud, int vms, long seed) {
    /** Validates. */
    public Spec {
      if (jobs < 0 || clouds < 1 || flavorsPerCloud < 1 || vms < 0) {
        throw new IllegalArgumentException("scenario " + name + ": bad size");
      }
    }
  }

  /** {@code mixed-20k}. */
  public static final Spec MIXED_20K = new Spec("mixed-20k", Kind.MIXED, 20_000, 10, 40, 2_000, 42);

  /** {@code htc-100k}. */
  public static final Spec HTC_100K = new Spec("htc-100k", Kind.HTC, 100_000, 100, 40, 10_000, 42);

  private Scenarios() {}

  /**
   * A sweep point: the mixed generator at the given size.
   *
   * @param jobs idle jobs
   * @param clouds clouds (40 flavors each)
   * @param vms existing VMs
   * @return the spec
   */
  public static Spec sweep(int jobs, int clouds, int vms) {
    return new Spec("sweep-j" + jobs + "-c" + clouds + "-v" + vms, Kind.MIXED, jobs, clouds, 40, vms, 42);
  }

  /**
   * A scenario by name: {@code mixed-20k}, {@code htc-100k} or {@code sweep-j<jobs>-c<clouds>-v<vms>}.
   *
   * @param name the name
   * @return the spec
   */
  public static Spec byName(String name) {
    if (name.equals(MIXED_20K.name())) {
      return MIXED_20K;
    }
    if (name.equals(HTC_100K.name())) {
      return HTC_100K;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("sweep-j(\\d+)-c(\\d+)-v(\\d+)").matcher(name);
    if (m.matches()) {
      return sweep(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }
    throw new IllegalArgumentException(
        "unknown scenario '" + name + "': use mixed-20k, htc-100k or sweep-j<jobs>-c<clouds>-v<vms>");
  }

  /**
   * The engine settings for a policy: {@code csv2-classic} gets production's throttles and the
   * smallest-fit flavor rule, anything else the defaults.
   *
   * @param policy the policy name
   * @return the settings
   */
  public static EngineSettings settings(String policy) {
    EngineSettings d = EngineSettings.defaults(INSTANCE).withPolicy(policy);
    if (policy.equals("csv2-classic")) {
      d = d.withThrottles(Throttles.CLASSIC).withFlavorPolicy(FlavorPolicy.SMALLEST_FIT);
    }
    return d;
  }

  /**
   * Builds a scenario's snapshot.
   *
   * @param spec the scenario
   * @param data the shared data folder
   * @param policy the policy whose settings the snapshot carries
   * @return the snapshot
   */
  public static Snapshot build(Spec spec, Path data, String policy) {
    SplittableRandom rng = new SplittableRandom(spec.seed());
    List<CloudCatalog> catalog = clouds(data, spec.clouds(), spec.flavorsPerCloud(), spec.seed());

    List<Group> groups = new ArrayList<>();
    double[] weights;
    List<Job> jobs;
    List<Alias> aliases = new ArrayList<>();
    if (spec.kind() == Kind.MIXED) {
      for (int g = 0; g < MIXED_GROUPS.length; g++) {
        groups.add(group(MIXED_GROUPS[g], MIXED_WEIGHTS[g]));
      }
      weights = MIXED_WEIGHTS;
      for (int a = 0; a < 3; a++) {
        Set<CloudName> members = new java.util.TreeSet<>();
        for (int c = a % catalog.size(); c < catalog.size(); c += 3) {
          members.add(catalog.get(c).name());
        }
        aliases.add(new Alias(groups.get(a).name(), AliasName.of("site-" + (char) ('a' + a)), members));
      }
      jobs = mixedJobs(spec.jobs(), groups, aliases, rng);
    } else {
      List<SwfJobs.Job> trace = SwfJobs.read(data.resolve(SwfJobs.LCG), spec.jobs());
      if (trace.size() < spec.jobs()) {
        throw new IllegalStateException(
            "the LCG log has " + trace.size() + " jobs, scenario " + spec.name() + " needs " + spec.jobs());
      }
      Map<Integer, String> groupOf = lcgGroups(trace);
      new java.util.TreeSet<>(groupOf.values()).forEach(n -> groups.add(group(n, 1)));
      weights = new double[groups.size()];
      java.util.Arrays.fill(weights, 1);
      jobs = htcJobs(trace, groupOf);
    }

    List<Allocation> allocations = new ArrayList<>();
    for (Group g : groups) {
      for (int c = 0; c < catalog.size(); c++) {
        AllocationMode mode = rng.nextInt(10) == 0 ? AllocationMode.OPPORTUNISTIC : AllocationMode.PREFERRED;
        allocations.add(
            new Allocation(
                g.name(), catalog.get(c).name(), c % 4, Limits.UNLIMITED, Limits.UNLIMITED,
                Limits.UNLIMITED, mode, Set.of(), VmDefaults.NONE, List.of(), true));
      }
    }

    List<Vm> vms = new ArrayList<>(spec.vms());
    List<Worker> workers = new ArrayList<>();
    Map<CloudName, List<Instance>> instances = new HashMap<>();
    Map<CloudName, long[]> usage = new HashMap<>();
    for (int i = 0; i < spec.vms(); i++) {
      VmState state = i < STATES.length ? STATES[i] : STATES[pick(rng, STATE_WEIGHTS)];
      CloudCatalog cloud = catalog.get(rng.nextInt(catalog.size()));
      Group group = groups.get(pick(rng, weights));
      Flavor flavor = cloud.flavors().get(rng.nextInt(cloud.flavors().size()));
      Vm vm = vm(i, state, group, cloud.name(), flavor, rng);
      vms.add(vm);
      if (state.holdsCapacity()) {
        long[] u = usage.computeIfAbsent(cloud.name(), k -> new long[3]);
        u[0] += flavor.resources().cores();
        u[1] += flavor.resources().ramMiB();
        u[2]++;
      }
      Instance instance = instance(vm);
      if (instance != null) {
        instances.computeIfAbsent(cloud.name(), k -> new ArrayList<>()).add(instance);
      }
      Worker worker = worker(vm, rng);
      if (worker != null) {
        workers.add(worker);
      }
    }
    // A few tagged instances the store does not know (a crash between boot call and reply).
    for (int i = 0; i < spec.vms() / 100; i++) {
      CloudCatalog cloud = catalog.get(rng.nextInt(catalog.size()));
      Group group = groups.get(pick(rng, weights));
      Flavor flavor = cloud.flavors().get(rng.nextInt(cloud.flavors().size()));
      VmId id = VmId.of(group.name(), cloud.name(), INSTANCE, "orphan" + i);
      instances
          .computeIfAbsent(cloud.name(), k -> new ArrayList<>())
          .add(
              new Instance(
                  InstanceId.of("i-orphan" + Integer.toHexString(i)), id, flavor.name(), InstanceState.ACTIVE,
                  "", tags(id, group.name(), cloud.name()), NOW.minusSeconds(600)));
    }

    List<CloudView> views = new ArrayList<>();
    for (CloudCatalog c : catalog) {
      int maxCores = 4_000 + rng.nextInt(12_000);
      int maxInstances = 1_000 + rng.nextInt(3_000);
      Limits max = new Limits(maxCores, maxCores * 4096L, maxInstances);
      long[] own = usage.getOrDefault(c.name(), new long[3]);
      int foreignCores = rng.nextInt(maxCores / 10);
      Limits used =
          new Limits(
              (int) own[0] + foreignCores, own[1] + foreignCores * 2048L, (int) own[2] + foreignCores / 8);
      views.add(
          new CloudView(
              new Cloud(c.name(), "ec2", true),
              true,
              c.flavors(),
              List.of(new Image("ami-" + Integer.toHexString(c.name().hashCode()), IMAGE)),
              new CloudCapacity(max, used),
              instances.getOrDefault(c.name(), List.of())));
    }
    return new Snapshot(NOW, settings(policy), groups, allocations, aliases, views, jobs, workers, vms);
  }

  /**
   * A cloud of the catalog.
   *
   * @param name its name
   * @param region the EC2 region it is
   * @param flavors its flavors
   */
  public record CloudCatalog(CloudName name, String region, List<Flavor> flavors) {}

  /**
   * The clouds of a scenario: EC2 regions with at least {@code flavorsPerCloud} priced types, most
   * types first, cycled; each cloud a seeded choice of that many of its region's types.
   *
   * @param data the data folder
   * @param count clouds
   * @param flavorsPerCloud flavors per cloud
   * @param seed the seed
   * @return the clouds
   */
  public static List<CloudCatalog> clouds(Path data, int count, int flavorsPerCloud, long seed) {
    Map<String, List<Flavor>> byRegion = Catalogs.ec2ByRegion(data);
    List<String> regions =
        byRegion.keySet().stream()
            .filter(r -> byRegion.get(r).size() >= flavorsPerCloud)
            .sorted(Comparator.comparing((String r) -> -byRegion.get(r).size()).thenComparing(r -> r))
            .toList();
    if (regions.isEmpty()) {
      throw new IllegalStateException("no EC2 region offers " + flavorsPerCloud + " priced types");
    }
    List<CloudCatalog> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String region = regions.get(i % regions.size());
      int round = i / regions.size();
      String name = "ec2-" + region + (round == 0 ? "" : "-" + (round + 1));
      List<Flavor> pool = new ArrayList<>(byRegion.get(region));
      SplittableRandom r = new SplittableRandom(seed * 31 + i);
      for (int k = pool.size() - 1; k > 0; k--) {
        java.util.Collections.swap(pool, k, r.nextInt(k + 1));
      }
      List<Flavor> chosen = new ArrayList<>(pool.subList(0, flavorsPerCloud));
      chosen.sort(Comparator.comparing(f -> f.name().value()));
      out.add(new CloudCatalog(CloudName.of(name), region, List.copyOf(chosen)));
    }
    return out;
  }

  private static Group group(String name, double weight) {
    return new Group(
        GroupName.of(name),
        Group.DEFAULT_JOB,
        new VmDefaults(IMAGE, null, null, null, null, null),
        List.of(),
        List.of(),
        weight,
        Map.of());
  }

  private static List<Job> mixedJobs(int count, List<Group> groups, List<Alias> aliases, SplittableRandom rng) {
    List<Job> out = new ArrayList<>(count);
    Map<GroupName, AliasName> aliasOf = new HashMap<>();
    aliases.forEach(a -> aliasOf.put(a.group(), a.name()));
    for (int i = 0; i < count; i++) {
      Group g = groups.get(pick(rng, MIXED_WEIGHTS));
      double r = rng.nextDouble();
      int cores = r < 0.45 ? 1 : r < 0.80 ? 8 : 1 + rng.nextInt(16);
      long ramPerCore = 512L * (1 + rng.nextInt(8));
      AliasName alias = aliasOf.get(g.name());
      if (alias != null && rng.nextInt(4) != 0) {
        alias = null;
      }
      out.add(
          new Job(
              JobId.of((1000 + i / 100) + "." + (i % 100)),
              g.name(),
              g.name().value() + "-user" + rng.nextInt(20),
              Resources.of(cores, cores * ramPerCore),
              alias,
              Set.of(),
              null,
              null,
              null,
              0,
              0,
              NOW.minusSeconds(rng.nextInt(7200)),
              JobState.IDLE,
              List.of()));
    }
    return out;
  }

  /** LCG groups with at least 1 % of the jobs keep their own csv2 group; the rest share one. */
  static Map<Integer, String> lcgGroups(List<SwfJobs.Job> trace) {
    Map<Integer, Integer> counts = new TreeMap<>();
    trace.forEach(j -> counts.merge(j.group(), 1, Integer::sum));
    Map<Integer, String> out = new LinkedHashMap<>();
    counts.forEach(
        (g, n) -> out.put(g, n * 100L >= trace.size() ? "lcg-g" + Math.max(0, g) : "lcg-other"));
    return out;
  }

  private static List<Job> htcJobs(List<SwfJobs.Job> trace, Map<Integer, String> groupOf) {
    long last = trace.get(trace.size() - 1).submit();
    List<Job> out = new ArrayList<>(trace.size());
    Map<String, GroupName> names = new HashMap<>();
    for (SwfJobs.Job t : trace) {
      GroupName g = names.computeIfAbsent(groupOf.get(t.group()), GroupName::of);
      out.add(
          new Job(
              JobId.of("lcg." + t.number()),
              g,
              "lcg-user" + t.user(),
              Resources.of(1, 2000),
              null,
              Set.of(),
              null,
              null,
              null,
              0,
              0,
              NOW.minusSeconds(last - t.submit()),
              JobState.IDLE,
              List.of()));
    }
    return out;
  }

  private static Vm vm(int i, VmState state, Group group, CloudName cloud, Flavor flavor, SplittableRandom rng) {
    Instant created = NOW.minusSeconds(60 + rng.nextInt(86_400));
    Instant since = state == VmState.REQUESTED ? created : created.plusSeconds(rng.nextLong(Duration.between(created, NOW).getSeconds() + 1));
    Map<VmState, Instant> transitions = new EnumMap<>(VmState.class);
    transitions.put(VmState.REQUESTED, created);
    transitions.put(state, since);
    boolean registered =
        state == VmState.IDLE || state == VmState.RUNNING || state == VmState.RETIRING || state == VmState.MANUAL;
    Vm.Builder b =
        Vm.builder(VmId.of(group.name(), cloud, INSTANCE, Integer.toString(i, 36)), group.name(), cloud, flavor.name(), created)
            .resources(flavor.resources())
            .image(IMAGE)
            .state(state)
            .reason("bench scenario")
            .stateSince(since)
            .transitions(transitions)
            .pricePerHour(flavor.pricePerHour())
            .manual(state == VmState.MANUAL)
            .version(1 + rng.nextInt(5));
    if (state != VmState.REQUESTED) {
      b.instanceId(InstanceId.of("i-" + Long.toHexString(0x10000000L + i)));
    }
    if (registered) {
      b.registeredAt(since);
      if (state == VmState.RUNNING) {
        b.lastBusyAt(NOW);
      } else if (rng.nextBoolean()) {
        b.lastBusyAt(NOW.minusSeconds(rng.nextInt(1200)));
      }
    }
    if (state == VmState.RETIRING) {
      b.retireAttempts(1).lastAttemptAt(since);
    }
    if (state == VmState.TERMINATING) {
      b.terminateAttempts(1).lastAttemptAt(since);
    }
    return b.build();
  }

  private static @Nullable Instance instance(Vm vm) {
    InstanceState s =
        switch (vm.state()) {
          case REQUESTED, TERMINATED -> null;
          case BOOTING -> InstanceState.PENDING;
          case UNREGISTERED, IDLE, RUNNING, RETIRING, MANUAL -> InstanceState.ACTIVE;
          case TERMINATING -> InstanceState.TERMINATING;
          case ERROR -> InstanceState.ERROR;
        };
    if (s == null || vm.instanceId() == null) {
      return null;
    }
    return new Instance(
        vm.instanceId(),
        vm.id(),
        vm.flavor(),
        s,
        s == InstanceState.ERROR ? "No valid host was found" : "",
        tags(vm.id(), vm.group(), vm.cloud()),
        vm.createdAt());
  }

  private static Map<String, String> tags(VmId id, GroupName group, CloudName cloud) {
    return Map.of(
        Csv2Tags.INSTANCE_ID, INSTANCE, Csv2Tags.GROUP, group.value(), Csv2Tags.CLOUD, cloud.value(),
        Csv2Tags.VM_NAME, id.value());
  }

  private static @Nullable Worker worker(Vm vm, SplittableRandom rng) {
    if (vm.state() != VmState.IDLE && vm.state() != VmState.RUNNING && vm.state() != VmState.RETIRING) {
      return null;
    }
    Resources total = vm.resources();
    int busy = vm.state() == VmState.IDLE ? 0 : 1 + rng.nextInt(total.cores());
    Resources used =
        busy == 0 ? Resources.ZERO : Resources.of(busy, total.ramMiB() * busy / total.cores());
    Instant last = vm.lastBusyAt() != null ? vm.lastBusyAt() : vm.stateSince();
    return new Worker(
        "slot1@" + vm.id().value(), vm.id(), vm.group(), vm.cloud(), INSTANCE, total, used, busy,
        vm.state() == VmState.RETIRING, last);
  }

  private static int pick(SplittableRandom rng, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = rng.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
