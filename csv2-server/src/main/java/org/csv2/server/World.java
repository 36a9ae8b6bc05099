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
package org.csv2.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.csv2.api.CloudStatus;
import org.csv2.api.Scheduler;
import org.csv2.api.SchedulerStatus;
import org.csv2.api.ops.Operations;
import org.csv2.core.Csv2Operations;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Sample;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * The server's read side: what the store (and, in process, the engine) says, cut to what one
 * principal may see. A member sees only their groups, and only the clouds allocated to them.
 *
 * <p><b>Thread safety:</b> stateless apart from its collaborators, which are thread-safe.
 */
final class World {
  private static final Duration JOB_LOOKBACK = Duration.ofHours(6);

  private final StateStore store;
  private final @Nullable Scheduler scheduler;
  private final @Nullable Csv2Config config;
  private final Clock clock;
  private final Operations operations;

  World(StateStore store, @Nullable Scheduler scheduler, @Nullable Csv2Config config, Clock clock) {
    this.store = store;
    this.scheduler = scheduler;
    this.config = config;
    this.clock = clock;
    this.operations = Csv2Operations.over(store, clock);
  }

  /** The operator verbs over the server's store (intents reach whichever engine holds the group). */
  Operations operations() {
    return operations;
  }

  StateStore store() {
    return store;
  }

  Optional<Scheduler> scheduler() {
    return Optional.ofNullable(scheduler);
  }

  Clock clock() {
    return clock;
  }

  /** Why the server cannot serve yet (the store unreachable, the engine not cycled), or null. */
  @Nullable String notReady() {
    try {
      store.leases();
    } catch (RuntimeException e) {
      return "the state store cannot be read";
    }
    if (scheduler != null) {
      SchedulerStatus s = scheduler.status();
      if (!s.running() && s.cycles() == 0) {
        return "the engine has not run a cycle yet";
      }
    }
    return null;
  }

  /** Every group the configuration or the stored VMs name, sorted. */
  Set<GroupName> groups() {
    Set<GroupName> out = new TreeSet<>();
    if (config != null) {
      config.groups().forEach(g -> out.add(g.name()));
    }
    for (Vm vm : store.vms()) {
      out.add(vm.group());
    }
    return out;
  }

  Set<GroupName> visibleGroups(Principal p) {
    Set<GroupName> out = new TreeSet<>();
    for (GroupName g : groups()) {
      if (p.canSee(g)) {
        out.add(g);
      }
    }
    return out;
  }

  List<Allocation> allocations() {
    return config == null ? List.of() : config.allocations();
  }

  /** The VMs a principal may see that pass a filter, sorted by id. */
  List<Vm> vms(Principal p, Predicate<Vm> filter) {
    List<Vm> out = new ArrayList<>();
    for (Vm vm : store.vms()) {
      if (p.canSee(vm.group()) && filter.test(vm)) {
        out.add(vm);
      }
    }
    return out;
  }

  Optional<Vm> vm(Principal p, org.csv2.model.VmId id) {
    return store.vm(id).filter(vm -> p.canSee(vm.group()));
  }

  /**
   * Answers computed less than {@link #FRESH} ago, by what decides them (the groups one may see,
   * the admin flag, the query): many readers of one state share one computation. Bounded.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Cached> recent = new java.util.concurrent.ConcurrentHashMap<>();

  private static final long FRESH = 1_000_000_000L;
  private static final int MAX_CACHED = 1_000;

  private record Cached(long at, Object value) {}

  /** A value computed at most once per {@link #FRESH} per key; keys must name everything it depends on. */
  @SuppressWarnings("unchecked")
  <T> T recently(String key, java.util.function.Supplier<T> compute) {
    long now = System.nanoTime();
    Cached c = recent.get(key);
    if (c != null && now - c.at() < FRESH) {
      return (T) c.value();
    }
    T value = compute.get();
    if (recent.size() >= MAX_CACHED) {
      recent.clear();
    }
    recent.put(key, new Cached(now, value));
    return value;
  }

  /** The key of what a principal may see: their groups and whether they are an admin. */
  static String visibility(Principal p) {
    if (p.admin()) {
      return "admin";
    }
    org.csv2.model.User u = p.user();
    return u == null ? "anonymous" : "member:" + new TreeSet<>(u.groups());
  }

  /** The status page's figures for one principal (shared for a second by those who see the same). */
  Views.StatusView status(Principal p) {
    return recently("status|" + visibility(p), () -> computeStatus(p));
  }

  private Views.StatusView computeStatus(Principal p) {
    Set<GroupName> groups = visibleGroups(p);
    Instant now = clock.instant();
    Map<String, double[]> jobs = latestJobs(now);
    List<Views.JobRow> jobRows = new ArrayList<>();
    for (GroupName g : groups) {
      double[] n = jobs.getOrDefault(g.value(), new double[2]);
      jobRows.add(new Views.JobRow(g.value(), (int) n[0], (int) n[1]));
    }
    SchedulerStatus engine = scheduler == null ? null : scheduler.status();
    Map<CloudName, CloudStatus> cloudStatus = new LinkedHashMap<>();
    if (engine != null) {
      engine.clouds().forEach(c -> cloudStatus.put(c.cloud(), c));
    }
    Map<String, Map<String, Tally>> tallies = new TreeMap<>();
    for (Allocation a : allocations()) {
      if (groups.contains(a.group())) {
        tallies.computeIfAbsent(a.group().value(), k -> new TreeMap<>()).computeIfAbsent(a.cloud().value(), k -> new Tally(a));
      }
    }
    for (Vm vm : store.vms()) {
      if (!groups.contains(vm.group()) || vm.state() == VmState.TERMINATED) {
        continue;
      }
      Tally t = tallies.computeIfAbsent(vm.group().value(), k -> new TreeMap<>()).computeIfAbsent(vm.cloud().value(), k -> new Tally(null));
      t.vms.merge(vm.state(), 1, Integer::sum);
      t.cores += vm.resources().cores();
      t.ram += vm.resources().ramMiB();
    }
    List<Views.CloudRow> cloudRows = new ArrayList<>();
    tallies.forEach((g, byCloud) -> byCloud.forEach((c, t) -> {
      CloudStatus cs = cloudStatus.get(CloudName.of(c));
      Map<String, Integer> vms = new LinkedHashMap<>();
      int total = 0;
      for (VmState s : VmState.values()) {
        if (s != VmState.TERMINATED) {
          int n = t.vms.getOrDefault(s, 0);
          vms.put(s.name(), n);
          total += n;
        }
      }
      Integer coresQuota = null;
      Long ramQuota = null;
      if (cs != null && cs.capacity().max().cores() >= 0 && cs.capacity().max() != org.csv2.model.Limits.NONE) {
        coresQuota = cs.capacity().max().cores();
        ramQuota = cs.capacity().max().ramMiB();
      }
      cloudRows.add(
          new Views.CloudRow(
              g,
              c,
              vms,
              total,
              t.cores,
              t.ram,
              coresQuota,
              ramQuota,
              t.allocation == null ? null : t.allocation.coresCtl(),
              (cs == null || cs.enabled()) && (t.allocation == null || t.allocation.enabled()),
              cs == null ? "UNKNOWN" : cs.breaker().name()));
    }));
    List<String> problems = engine == null || !p.admin() ? List.of() : engine.problems();
    return new Views.StatusView(
        now,
        engine == null ? lastCycleAt(now) : engine.lastCycleAt(),
        engine == null ? 0 : engine.cycles(),
        engine != null && engine.running(),
        jobRows,
        cloudRows,
        problems);
  }

  /** Idle and running jobs per group from the engine's last written sample set. */
  private Map<String, double[]> latestJobs(Instant now) {
    Instant from = now.minus(JOB_LOOKBACK);
    List<Sample> plan = store.samples("plan.time.ms", from, now.plusSeconds(1));
    Map<String, double[]> out = new TreeMap<>();
    if (plan.isEmpty()) {
      return out;
    }
    Instant last = plan.get(plan.size() - 1).at();
    for (Sample s : store.samples("jobs.idle", last, last.plusNanos(1))) {
      out.computeIfAbsent(s.labels().getOrDefault("group", ""), k -> new double[2])[0] = s.value();
    }
    for (Sample s : store.samples("jobs.running", last, last.plusNanos(1))) {
      out.computeIfAbsent(s.labels().getOrDefault("group", ""), k -> new double[2])[1] = s.value();
    }
    return out;
  }

  private @Nullable Instant lastCycleAt(Instant now) {
    List<Sample> plan = store.samples("plan.time.ms", now.minus(JOB_LOOKBACK), now.plusSeconds(1));
    return plan.isEmpty() ? null : plan.get(plan.size() - 1).at();
  }

  /** Whether a principal may read a time series with these labels. */
  boolean canRead(Principal p, String metric, Map<String, String> labels) {
    if (p.admin()) {
      return true;
    }
    String group = labels.get("group");
    if (group != null) {
      return groupVisible(p, group);
    }
    String cloud = labels.get("cloud");
    if (cloud != null) {
      return allocations().stream().anyMatch(a -> a.cloud().value().equals(cloud) && p.canSee(a.group()));
    }
    return false;
  }

  private static boolean groupVisible(Principal p, String group) {
    try {
      return p.canSee(GroupName.of(group));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static final class Tally {
    final @Nullable Allocation allocation;
    final Map<VmState, Integer> vms = new EnumMap<>(VmState.class);
    int cores;
    long ram;

    Tally(@Nullable Allocation allocation) {
      this.allocation = allocation;
    }
  }
}
