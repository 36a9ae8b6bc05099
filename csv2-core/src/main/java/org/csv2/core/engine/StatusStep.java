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
package org.csv2.core.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.api.ops.GroupStatus;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.CloudView;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Limits;
import org.csv2.model.Plan;
import org.csv2.model.Sample;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 8 of the cycle, <b>status</b>: writes, for each group held, the {@link GroupStatus} that
 * operators read through {@code Operations} (job counts, VMs by state, cores and RAM as quota /
 * control / used / foreign, slots per flavor, cloud reachability and latency, breaker, credential
 * days left, and each idle job shape's why-not note from the plan), from any process. Written
 * at most every {@link #INTERVAL} of engine time.
 *
 * <p>In: the configuration and its stored version, the {@link Observation}, the plan carried out,
 * the {@link ExecuteStep.Execution}, the groups held, the cycle's failures. Out: the snapshots, in
 * the store.
 */
final class StatusStep {
  private static final Logger log = LoggerFactory.getLogger(StatusStep.class);

  private final StateStore store;
  private final Map<CloudName, CloudGateway> gateways;
  private final JobSources jobSources;
  private final String owner;
  private boolean supported = true;
  private @Nullable Instant lastWrite;
  private Set<GroupName> lastGroups = Set.of();
  /** The jobs of the last pass over them, for which groups, and what it gave (read-only once built). */
  private @Nullable List<Job> passedJobs;
  private Set<GroupName> passedGroups = Set.of();
  private Map<GroupName, GroupJobs> passed = Map.of();
  /** The figures last written as samples, by series: written again only when one changed. */
  private Map<String, Sample> lastSamples = Map.of();
  /** What the series of the last samples were computed from ({@link #sampled}). */
  private List<Object> lastSampled = List.of();

  /**
   * The shortest time between two writes of the snapshots (the first cycle, and a cycle whose held
   * groups changed, always write): a snapshot walks every job, so a fast cycle does not pay it
   * every time.
   */
  static final java.time.Duration INTERVAL = java.time.Duration.ofSeconds(60);

  StatusStep(StateStore store, Map<CloudName, CloudGateway> gateways, JobSources jobSources, String owner) {
    this.store = store;
    this.jobSources = jobSources;
    this.gateways = gateways;
    this.owner = owner;
  }

  /** Per group: job counts and idle jobs, gathered in one pass over the jobs. */
  private static final class GroupJobs {
    final Map<@Nullable AliasName, int[]> counts = new LinkedHashMap<>();
    final Map<String, int[]> idleByShape = new TreeMap<>();
    final Map<String, @Nullable AliasName> aliasOfShape = new HashMap<>();
    final List<GroupStatus.JobRow> idle = new ArrayList<>();
  }

  /** Writes the held groups' snapshots; a failure is logged and reported, never fatal. */
  void write(
      Csv2Config cfg,
      long configVersion,
      Observation obs,
      Plan plan,
      ExecuteStep.Execution ex,
      Set<GroupName> groups,
      Instant now,
      List<String> failures) {
    if (!supported || groups.isEmpty()) {
      return;
    }
    if (lastWrite != null && now.isBefore(lastWrite.plus(INTERVAL)) && groups.equals(lastGroups)) {
      return;
    }
    lastWrite = now;
    lastGroups = Set.copyOf(groups);
    try {
      List<GroupStatus> snapshots = build(cfg, configVersion, obs, plan, ex.liveVms(), groups, now, failures);
      for (GroupStatus s : snapshots) {
        store.saveStatus(s);
      }
      List<Object> sampled = sampled(snapshots);
      if (sampled.equals(lastSampled)) {
        return; // no figure of the series changed (a latency alone is never written)
      }
      Map<String, Sample> figures = samples(snapshots);
      // a round trip differs at every call: it is written with the others, never alone
      if (!figures.keySet().equals(lastSamples.keySet())
          || figures.entrySet().stream().anyMatch(e -> !e.getValue().metric().equals("status.latency.ms") && lastSamples.get(e.getKey()).value() != e.getValue().value())) {
        store.commit(new StoreChanges(List.of(), List.of(), List.of(), List.of(), List.copyOf(figures.values()), List.of()));
        lastSamples = figures;
      }
      lastSampled = sampled; // only once written: a failed commit is tried again
    } catch (UnsupportedOperationException e) {
      supported = false;
      log.info("the state store keeps no operator records: no status snapshots are written");
    } catch (RuntimeException e) {
      failures.add("state store: status not written: " + e.getMessage());
      CycleLog.warnFailure(log, "state store: status not written", e);
    }
  }

  List<GroupStatus> build(
      Csv2Config cfg,
      long configVersion,
      Observation obs,
      Plan plan,
      List<Vm> live,
      Set<GroupName> groups,
      Instant now,
      List<String> failures) {
    List<Job> all = obs.jobs() == null ? null : obs.jobs().jobs();
    Map<GroupName, GroupJobs> jobs;
    if (all != null && passedJobs != null && groups.equals(passedGroups) && SameLists.equal(passedJobs, all)) {
      jobs = passed; // the same jobs as at the last write: counted, sorted into shapes and listed then
    } else {
      jobs = jobPass(all, groups);
      passedJobs = all;
      passedGroups = Set.copyOf(groups);
      passed = jobs;
    }
    List<Worker> workerList = obs.jobs() == null ? List.of() : obs.jobs().workers();
    VmAggregates agg = vmAggregates;
    if (!reuse || agg == null || agg.workers() != workerList || !agg.groups().equals(groups) || !SameLists.equal(agg.live(), live)) {
      agg = VmAggregates.of(live, workerList, groups);
      vmAggregates = agg; // read-only once built: the same VMs and workers give the same figures
    }
    List<GroupStatus> out = new ArrayList<>();
    for (Map.Entry<GroupName, GroupJobs> e : jobs.entrySet()) {
      GroupName g = e.getKey();
      GroupJobs gj = e.getValue();
      List<GroupStatus.JobCounts> counts = new ArrayList<>();
      counts.add(counts(null, gj.counts.get(null)));
      gj.counts.forEach((a, n) -> {
        if (a != null) {
          counts.add(counts(a, n));
        }
      });
      List<GroupStatus.ShapeNote> shapes = new ArrayList<>();
      String stopped = obs.bootsStopped().get(g);
      gj.idleByShape.forEach((shape, n) -> {
        String why = whyNot(plan, g, shape);
        if (stopped != null) { // the planner saw the group's clouds disabled; say why
          why = why.isEmpty() ? stopped : stopped + "; " + why;
        }
        shapes.add(new GroupStatus.ShapeNote(shape, gj.aliasOfShape.get(shape), n[0], why));
      });
      out.add(
          new GroupStatus(
              g, now, owner, configVersion, counts, clouds(cfg, obs, g, agg.byCloud().getOrDefault(g, Map.of()), agg.ours()),
              shapes, agg.figures().getOrDefault(g, List.of()), gj.idle, problems(failures, g), source(obs, g, now)));
    }
    return out;
  }

  /** One pass over the jobs: per held group, counts per alias, idle jobs per shape, the idle rows listed. */
  private static Map<GroupName, GroupJobs> jobPass(@Nullable List<Job> all, Set<GroupName> groups) {
    Map<GroupName, GroupJobs> jobs = new TreeMap<>();
    for (GroupName g : groups) {
      jobs.put(g, new GroupJobs());
    }
    if (all != null) {
      for (Job j : all) {
        GroupJobs gj = jobs.get(j.group());
        if (gj == null) {
          continue;
        }
        int k = j.state() == JobState.IDLE ? 0 : j.state() == JobState.RUNNING ? 1 : j.state() == JobState.HELD ? 2 : 3;
        gj.counts.computeIfAbsent(null, a -> new int[4])[k]++;
        if (j.targetAlias() != null) {
          gj.counts.computeIfAbsent(j.targetAlias(), a -> new int[4])[k]++;
        }
        if (k == 0) {
          String shape = shape(j);
          gj.idleByShape.computeIfAbsent(shape, s -> new int[1])[0]++;
          gj.aliasOfShape.putIfAbsent(shape, j.targetAlias());
          if (gj.idle.size() < GroupStatus.MAX_JOBS) {
            gj.idle.add(new GroupStatus.JobRow(j.id(), j.targetAlias(), j.state(), j.owner(), j.queuedSince(), shape));
          }
        }
      }
    }
    return jobs;
  }

  private List<GroupStatus.CloudFigures> clouds(
      Csv2Config cfg, Observation obs, GroupName g, Map<CloudName, CloudVms> byCloud, Map<CloudName, long[]> ours) {
    Map<CloudName, Allocation> allocations = new LinkedHashMap<>();
    for (Allocation a : cfg.allocations()) {
      if (a.group().equals(g)) {
        allocations.put(a.cloud(), a);
      }
    }
    Set<CloudName> clouds = new LinkedHashSet<>(allocations.keySet());
    clouds.addAll(byCloud.keySet());
    List<GroupStatus.CloudFigures> out = new ArrayList<>();
    for (CloudName c : clouds) {
      Allocation a = allocations.get(c);
      CloudView view = obs.views().get(c);
      CloudGateway gw = gateways.get(c);
      CloudVms its = byCloud.getOrDefault(c, CloudVms.NONE);
      Map<VmState, Integer> byState = its.byState();
      long cores = its.cores();
      long ram = its.ramMiB();
      long count = its.count();
      Limits max = view == null ? Limits.NONE : view.capacity().max();
      Limits used = view == null ? null : view.capacity().used();
      long[] mine = ours.getOrDefault(c, new long[3]);
      GroupStatus.Usage coreUsage =
          new GroupStatus.Usage(
              max.cores(), a == null || a.coresCtl() < 0 ? -1 : a.coresCtl(), cores,
              used == null ? -1 : Math.max(0, used.cores() - mine[0]));
      GroupStatus.Usage ramUsage =
          new GroupStatus.Usage(
              max.ramMiB(), a == null || a.ramCtlMiB() < 0 ? -1 : a.ramCtlMiB(), ram,
              used == null ? -1 : Math.max(0, used.ramMiB() - mine[1]));
      GroupStatus.Usage vmUsage =
          new GroupStatus.Usage(max.instances(), -1, count, used == null ? -1 : Math.max(0, used.instances() - mine[2]));
      List<GroupStatus.FlavorSlots> flavorSlots = its.slots();
      CircuitBreaker.View breaker = gw == null ? null : gw.breaker().view();
      boolean enabled = a != null && a.enabled() && view != null && view.cloud().enabled();
      String message = breaker == null ? "not configured" : breaker.reason();
      if (view != null && !view.cloud().enabled()) {
        message = message.isEmpty() ? "paused: no new boots" : "paused: no new boots; " + message;
      }
      out.add(
          new GroupStatus.CloudFigures(
              c, enabled, byState, coreUsage, ramUsage, flavorSlots, view != null && view.reachable(),
              gw == null ? null : gw.lastLatency(), breaker == null ? org.csv2.api.BreakerState.CLOSED : breaker.state(),
              gw == null ? null : gw.credentialDaysLeft(), message, vmUsage, largestFlavorsKept(c, g, view, a)));
    }
    return out;
  }

  /** Whether the counts of the live VMs and workers are kept for the same VMs and workers. */
  private boolean reuse = true;

  /**
   * Sets whether the counts of the live VMs and workers are kept while they stay the same.
   *
   * @param on false to count them at every write
   */
  void reuse(boolean on) {
    reuse = on;
  }

  /** What the live VMs and workers of the last build gave (read-only once built). */
  private @Nullable VmAggregates vmAggregates;

  /** One group's VMs on one cloud, counted. */
  private record CloudVms(Map<VmState, Integer> byState, long cores, long ramMiB, long count, List<GroupStatus.FlavorSlots> slots) {
    static final CloudVms NONE = new CloudVms(Map.of(), 0, 0, 0, List.of());
  }

  /**
   * Everything a status build reads from the live VMs and the workers: every live VM of this
   * engine per cloud (cores, RAM, count), and per held group its VMs counted per cloud (in the
   * order the VMs list the clouds) and its VMs' slot figures. Built again only when the VMs, the
   * worker list or the groups change (a cycle costs what changed).
   */
  private record VmAggregates(
      List<Vm> live, List<Worker> workers, Set<GroupName> groups, Map<CloudName, long[]> ours,
      Map<GroupName, Map<CloudName, CloudVms>> byCloud, Map<GroupName, List<GroupStatus.VmFigures>> figures) {
    static VmAggregates of(List<Vm> live, List<Worker> workerList, Set<GroupName> groups) {
      Map<VmId, Worker> workers = new HashMap<>();
      for (Worker w : workerList) {
        workers.putIfAbsent(w.vm(), w);
      }
      Map<CloudName, long[]> ours = new HashMap<>(); // cores, RAM, VMs of every live VM of this engine per cloud
      Map<GroupName, Map<CloudName, List<Vm>>> vmsOf = new HashMap<>();
      Map<GroupName, List<GroupStatus.VmFigures>> figures = new HashMap<>();
      for (Vm vm : live) {
        long[] u = ours.computeIfAbsent(vm.cloud(), c -> new long[3]);
        u[0] += vm.resources().cores();
        u[1] += vm.resources().ramMiB();
        u[2]++;
        if (groups.contains(vm.group())) {
          vmsOf.computeIfAbsent(vm.group(), g -> new LinkedHashMap<>()).computeIfAbsent(vm.cloud(), c -> new ArrayList<>()).add(vm);
          Worker w = workers.get(vm.id());
          if (w != null) {
            figures.computeIfAbsent(vm.group(), g -> new ArrayList<>())
                .add(new GroupStatus.VmFigures(vm.id(), w.used().cores(), Math.max(0, w.total().cores() - w.used().cores()), w.runningJobs()));
          }
        }
      }
      Map<GroupName, Map<CloudName, CloudVms>> byCloud = new HashMap<>();
      vmsOf.forEach((g, perCloud) -> {
        Map<CloudName, CloudVms> counted = new LinkedHashMap<>();
        perCloud.forEach((c, vms) -> {
          Map<VmState, Integer> byState = new EnumMap<>(VmState.class);
          long cores = 0;
          long ram = 0;
          Map<FlavorName, int[]> slots = new TreeMap<>();
          for (Vm vm : vms) {
            byState.merge(vm.state(), 1, Integer::sum);
            cores += vm.resources().cores();
            ram += vm.resources().ramMiB();
            Worker w = workers.get(vm.id());
            if (w != null) {
              int[] n = slots.computeIfAbsent(vm.flavor(), f -> new int[2]);
              n[0] += w.used().cores();
              n[1] += Math.max(0, w.total().cores() - w.used().cores());
            }
          }
          List<GroupStatus.FlavorSlots> flavorSlots = new ArrayList<>();
          slots.forEach((f, n) -> flavorSlots.add(new GroupStatus.FlavorSlots(f, n[0], n[1])));
          counted.put(c, new CloudVms(byState, cores, ram, vms.size(), List.copyOf(flavorSlots)));
        });
        byCloud.put(g, counted);
      });
      return new VmAggregates(live, workerList, Set.copyOf(groups), ours, byCloud, figures);
    }
  }

  /** {@link #largestFlavors} of a group and cloud, with the flavor list and allocation it was found for. */
  private final Map<List<Object>, Largest> largest = new HashMap<>();

  private record Largest(List<org.csv2.model.Flavor> flavors, @Nullable Allocation allocation, List<GroupStatus.FlavorSize> sizes) {}

  /** {@link #largestFlavors}, found again only when the cloud's flavor list or the allocation is another object. */
  private List<GroupStatus.FlavorSize> largestFlavorsKept(
      CloudName c, GroupName g, @Nullable CloudView view, @Nullable Allocation a) {
    if (view == null) {
      return List.of();
    }
    List<Object> key = List.of(c, g);
    Largest l = largest.get(key);
    if (l != null && l.flavors() == view.flavors() && l.allocation() == a) {
      return l.sizes();
    }
    List<GroupStatus.FlavorSize> sizes = List.copyOf(largestFlavors(view, a));
    if (largest.size() > 4096) {
      largest.clear();
    }
    largest.put(key, new Largest(view.flavors(), a, sizes));
    return sizes;
  }

  /**
   * The flavors a group may boot on a cloud (available, not excluded by its allocation), only the
   * largest: those no other one exceeds in both cores and RAM. Reservations check a VM size against
   * them (docs/reservations.md); a smaller flavor holds nothing they do not.
   */
  static List<GroupStatus.FlavorSize> largestFlavors(@Nullable CloudView view, @Nullable Allocation a) {
    if (view == null) {
      return List.of();
    }
    List<org.csv2.model.Flavor> bootable = view.flavors().stream()
        .filter(f -> f.available() && (a == null || !a.excludedFlavors().contains(f.name())))
        .toList();
    List<GroupStatus.FlavorSize> out = new ArrayList<>();
    for (org.csv2.model.Flavor f : bootable) {
      int fc = f.resources().cores();
      long fr = f.resources().ramMiB();
      boolean dominated = false;
      for (org.csv2.model.Flavor o : bootable) {
        int oc = o.resources().cores();
        long or = o.resources().ramMiB();
        if (oc >= fc && or >= fr && (oc > fc || or > fr)) {
          dominated = true;
          break;
        }
      }
      boolean same = out.stream().anyMatch(x -> x.cores() == fc && x.ramMiB() == fr);
      if (!dominated && !same) {
        out.add(new GroupStatus.FlavorSize(f.name(), fc, fr));
      }
    }
    return out;
  }

  /** The group's job source: its name, whether it was read, its credential's expiry. */
  private GroupStatus.@Nullable SourceFigures source(Observation obs, GroupName g, Instant now) {
    JobSources.Source s = jobSources.of(g);
    if (s == null) {
      return null;
    }
    Map.Entry<String, Instant> expiry = jobSources.credentialsExpireAt(g);
    Instant at = expiry == null ? null : expiry.getValue();
    return new GroupStatus.SourceFigures(
        s.name(), obs.jobsRead(g), at, at == null ? null : CredentialExpiry.daysLeft(at, now), obs.bootsStopped().containsKey(g));
  }

  /**
   * Every figure of the snapshots as a sample of a {@code status.*} series (docs/server.md): the
   * job table per group and alias, and the cloud table per group and cloud, so that each number of
   * the status page has its time series. Keyed by series (name and labels).
   */
  static Map<String, Sample> samples(List<GroupStatus> snapshots) {
    // in the order built (hashed: the keys share long prefixes, which a sorted map compares)
    Map<String, Sample> out = new java.util.LinkedHashMap<>();
    for (GroupStatus s : snapshots) {
      String g = s.group().value();
      for (GroupStatus.JobCounts j : s.jobs()) {
        Map<String, String> labels = j.alias() == null ? Map.of("group", g) : Map.of("group", g, "alias", j.alias().value());
        String series = key("", labels); // one series key per label set, not one per figure
        put(out, s.at(), "status.jobs.idle", labels, series, j.idle());
        put(out, s.at(), "status.jobs.running", labels, series, j.running());
        put(out, s.at(), "status.jobs.held", labels, series, j.held());
        put(out, s.at(), "status.jobs.other", labels, series, j.other());
      }
      for (GroupStatus.CloudFigures c : s.clouds()) {
        Map<String, String> labels = Map.of("group", g, "cloud", c.cloud().value());
        String series = key("", labels);
        int total = 0;
        for (VmState st : VmState.values()) {
          if (st != VmState.TERMINATED) {
            int n = c.vmsByState().getOrDefault(st, 0);
            total += n;
            String state = STATE_LABEL.get(st);
            Map<String, String> byState = Map.of("group", g, "cloud", c.cloud().value(), "state", state);
            // key("", byState): "state" sorts after the labels of the cloud's series
            put(out, s.at(), "status.vms", byState, series.substring(0, series.length() - 1) + ", state=" + state + "}", n);
          }
        }
        put(out, s.at(), "status.vms.total", labels, series, total);
        usage(out, s.at(), "status.cores", labels, series, c.cores());
        usage(out, s.at(), "status.ram.mib", labels, series, c.ramMiB());
        int busy = 0;
        int idle = 0;
        for (GroupStatus.FlavorSlots f : c.slots()) {
          busy += f.busy();
          idle += f.idle();
        }
        put(out, s.at(), "status.slots.busy", labels, series, busy);
        put(out, s.at(), "status.slots.idle", labels, series, idle);
        if (c.latency() != null) {
          put(out, s.at(), "status.latency.ms", labels, series, c.latency().toNanos() / 1e6);
        }
      }
    }
    return out;
  }

  /**
   * Everything {@link #samples} reads but the time and the latencies' values (whether a cloud has
   * a latency is kept: it adds a series): equal lists give samples of equal values, so a status
   * write whose figures did not change skips computing them (they were most of the step in a
   * cycle in which nothing changed).
   */
  static List<Object> sampled(List<GroupStatus> snapshots) {
    List<Object> out = new ArrayList<>();
    for (GroupStatus s : snapshots) {
      out.add(s.group());
      out.add(s.jobs());
      for (GroupStatus.CloudFigures c : s.clouds()) {
        out.add(c.cloud());
        out.add(c.vmsByState());
        out.add(c.cores());
        out.add(c.ramMiB());
        out.add(c.slots());
        out.add(c.latency() != null);
      }
    }
    return out;
  }

  private static void usage(
      Map<String, Sample> out, Instant at, String name, Map<String, String> labels, String series, GroupStatus.Usage u) {
    put(out, at, name + ".used", labels, series, u.used());
    if (u.quota() >= 0) {
      put(out, at, name + ".quota", labels, series, u.quota());
    }
    if (u.control() >= 0) {
      put(out, at, name + ".control", labels, series, u.control());
    }
    if (u.foreign() >= 0) {
      put(out, at, name + ".foreign", labels, series, u.foreign());
    }
  }

  /** Puts a sample under its series key: the name, then the labels' part {@code series} ({@link #key key("", labels)}). */
  private static void put(Map<String, Sample> out, Instant at, String name, Map<String, String> labels, String series, double value) {
    out.put(name + series, new Sample(at, name, labels, value));
  }

  /** The {@code state} label of each VM state, built once. */
  private static final Map<VmState, String> STATE_LABEL = new java.util.EnumMap<>(VmState.class);

  static {
    for (VmState st : VmState.values()) {
      STATE_LABEL.put(st, st.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * A series' key: its name and labels as {@code name + new TreeMap<>(labels)} prints them
   * ({@code status.vms{cloud=c, group=g}}), written without building the sorted map (this ran for
   * every figure of every status write and was most of the step's time).
   */
  static String key(String name, Map<String, String> labels) {
    String[] keys = labels.keySet().toArray(new String[0]);
    java.util.Arrays.sort(keys);
    StringBuilder b = new StringBuilder(name.length() + 16 * keys.length + 2).append(name).append('{');
    for (int i = 0; i < keys.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(keys[i]).append('=').append(labels.get(keys[i]));
    }
    return b.append('}').toString();
  }

  private static GroupStatus.JobCounts counts(@Nullable AliasName alias, int @Nullable [] n) {
    int[] c = n == null ? new int[4] : n;
    return new GroupStatus.JobCounts(alias, c[0], c[1], c[2], c[3]);
  }

  /** A job's shape as the planner's notes describe it ({@code 1-core}), with its alias. */
  static String shape(Job j) {
    int cores = Math.max(1, j.request().cores());
    String s = cores < CORE_SHAPES.length ? CORE_SHAPES[cores] : cores + "-core";
    return j.targetAlias() == null ? s : s + " for alias " + j.targetAlias();
  }

  /** "1-core" to "256-core", built once (a status write names the shape of every idle job). */
  private static final String[] CORE_SHAPES = new String[257];

  static {
    for (int i = 1; i < CORE_SHAPES.length; i++) {
      CORE_SHAPES[i] = i + "-core";
    }
  }

  /**
   * The plan's notes on a shape of a group (those naming its idle jobs, then the group's throttle
   * notes), or empty when VMs are coming for it.
   */
  static String whyNot(Plan plan, GroupName g, String shape) {
    String cores = shape.contains(" ") ? shape.substring(0, shape.indexOf(' ')) : shape;
    String jobsOf = " idle " + cores + " jobs of " + g;
    String ofGroup = " of " + g + " ";
    String forGroup = " for " + g + ":";
    List<String> out = new ArrayList<>();
    for (String n : plan.notes()) {
      if (n.contains(jobsOf) && !n.contains(" fit on VMs already")) {
        int at = n.indexOf(jobsOf) + jobsOf.length();
        out.add(n.substring(at).replaceFirst("^[: ]+", "").replaceFirst("^wait: ", ""));
      } else if ((n.contains(ofGroup) || n.contains(forGroup) || n.endsWith(" of " + g)) && n.contains("throttle")) {
        out.add(n);
      }
    }
    return String.join("; ", out);
  }

  private static List<String> problems(List<String> failures, GroupName g) {
    List<String> out = new ArrayList<>();
    String name = g.value();
    for (String f : failures) {
      if (f.contains(" " + name + " ") || f.contains(" " + name + ":") || f.startsWith(name + "--") || f.contains(" " + name + "--")
          || f.startsWith("job source") || f.startsWith("state store") || f.startsWith("planner")) {
        out.add(f.length() > 512 ? f.substring(0, 509) + "..." : f);
      }
    }
    return out;
  }
}
