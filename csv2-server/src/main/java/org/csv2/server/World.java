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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.csv2.api.Scheduler;
import org.csv2.api.SchedulerStatus;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.Operations;
import org.csv2.core.Csv2Operations;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.Allocation;
import org.csv2.model.GroupName;
import org.csv2.model.Vm;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * The server's read side: what the store (and, in process, the engine) says, cut to what one
 * principal may see. A member sees only their groups, and only the clouds allocated to them.
 *
 * <p><b>Thread safety:</b> stateless apart from its collaborators, which are thread-safe.
 */
final class World {
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

  /** The configuration the server was given, if any. */
  @Nullable Csv2Config config() {
    return config;
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

  /** The actor of a signed-in user's operations: their name and role, recorded in the audit log. */
  static org.csv2.api.ops.Actor actor(org.csv2.model.User u) {
    return org.csv2.api.ops.Actor.of(u.name(), u.admin() ? "admin" : "member");
  }

  /**
   * The clouds a principal may see (REST and the clouds page): an admin sees every cloud whole; a
   * member sees the clouds allocated to their groups, with only those allocations, and of the cloud
   * only its name, driver and state (not its settings).
   */
  List<org.csv2.api.ops.CloudView> clouds(Principal p) {
    org.csv2.model.User u = p.require();
    List<org.csv2.api.ops.CloudView> out = new ArrayList<>();
    for (org.csv2.api.ops.CloudView c : operations.clouds(actor(u))) {
      if (u.admin()) {
        out.add(c);
        continue;
      }
      List<Allocation> mine = c.allocations().stream().filter(a -> p.canSee(a.group())).toList();
      if (!mine.isEmpty()) {
        org.csv2.api.ops.CloudSpec spec = new org.csv2.api.ops.CloudSpec(c.spec().name(), c.spec().driver(), c.spec().enabled(), Map.of());
        out.add(new org.csv2.api.ops.CloudView(spec, mine, List.of(), 0, c.version()));
      }
    }
    return out;
  }

  /** What may be done to one VM (REST and the VM page's bulk actions). */
  enum VmAction {
    RETIRE, KILL, FORCE_KILL, MANUAL_ON, MANUAL_OFF, SYSCTL
  }

  /**
   * Stores the intent of an action on a VM the principal may act on: NOT_FOUND (404) for a VM they
   * may not see, exactly as for one that does not exist.
   */
  org.csv2.api.ops.Intent act(Principal p, org.csv2.model.VmId id, VmAction action) {
    org.csv2.model.User u = p.require();
    Vm vm = vm(p, id).orElseThrow(() -> ApiException.notFound("VM"));
    p.requireGroup(vm.group());
    org.csv2.api.ops.Actor a = actor(u);
    return switch (action) {
      case RETIRE -> operations.retire(a, vm.id());
      case KILL -> operations.kill(a, vm.id(), false);
      case FORCE_KILL -> operations.kill(a, vm.id(), true);
      case MANUAL_ON -> operations.manual(a, vm.id(), true);
      case MANUAL_OFF -> operations.manual(a, vm.id(), false);
      case SYSCTL -> operations.sysctl(a, vm.id());
    };
  }

  /**
   * Answers shared by readers who see the same: many readers of one state share one computation.
   * An answer is served again only while nothing it was computed from can have changed: the engine
   * in this process has not started or finished a cycle since (its {@link #generation}), its clock
   * has not moved a second, and it is less than {@link #FRESH} old. So a view computed while the
   * engine cycled is never served after the cycle ended. A server attached to a store that engines
   * elsewhere write has no cycle to watch and shares answers for {@link #FRESH}. Bounded.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Cached> recent = new java.util.concurrent.ConcurrentHashMap<>();

  private static final long FRESH = 1_000_000_000L;
  private static final int MAX_CACHED = 1_000;

  /**
   * Counts the engine's cycle starts and ends (a cycle's VM changes come before its end), so that a
   * cached answer names the state it was computed from.
   */
  private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

  private final org.csv2.api.SchedulerListener cycles =
      new org.csv2.api.SchedulerListener() {
        @Override
        public void cycleCompleted(org.csv2.api.CycleReport report) {
          generation.incrementAndGet();
        }

        @Override
        public void vmChanged(org.csv2.model.VmEvent event) {
          generation.incrementAndGet();
        }
      };

  /** A shared answer: computed once (the first asker runs it, the others wait for it), with what it was computed from. */
  private record Cached(long at, long generation, Instant engineAt, java.util.concurrent.FutureTask<Object> value) {}

  /** Starts watching the engine in this process (if any) for the shared answers; {@link #close} stops. */
  void watch() {
    if (scheduler != null) {
      scheduler.addListener(cycles);
    }
  }

  void close() {
    if (scheduler != null) {
      scheduler.removeListener(cycles);
    }
  }

  /**
   * A value shared by those asking with the same key (see {@link #recent}); keys must name
   * everything it depends on. One computation per key at a time: readers who ask while it runs wait
   * for its answer instead of computing the same again (200 readers of a list that costs 100 ms
   * otherwise cost 20 s of CPU together). A computation that fails is not kept.
   */
  @SuppressWarnings("unchecked")
  <T> T recently(String key, java.util.function.Supplier<T> compute) {
    long now = System.nanoTime();
    long gen = generation.get();
    Instant engineNow = clock.instant();
    Cached c = recent.get(key);
    if (c != null && fresh(c, now, gen, engineNow)) {
      return (T) answer(key, c);
    }
    Cached mine = new Cached(now, gen, engineNow, new java.util.concurrent.FutureTask<>(compute::get));
    if (recent.size() >= MAX_CACHED) {
      recent.clear();
    }
    Cached other = c == null ? recent.putIfAbsent(key, mine) : recent.replace(key, c, mine) ? null : recent.get(key);
    if (other != null && other != mine && fresh(other, now, gen, engineNow)) {
      return (T) answer(key, other); // somebody else started it first: wait for theirs
    }
    if (other != null && other != mine) {
      recent.put(key, mine);
    }
    mine.value().run();
    return (T) answer(key, mine);
  }

  private static boolean fresh(Cached c, long now, long gen, Instant engineNow) {
    return c.generation() == gen && now - c.at() < FRESH && Duration.between(c.engineAt(), engineNow).abs().toMillis() < 1_000;
  }

  /** The answer of a shared computation, waiting for it; its failure is the caller's (and forgotten). */
  private Object answer(String key, Cached c) {
    try {
      return c.value().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a shared answer", e);
    } catch (java.util.concurrent.ExecutionException e) {
      recent.remove(key, c);
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The key of what a principal may see: their groups and whether they are an admin. */
  static String visibility(Principal p) {
    if (p.admin()) {
      return "admin";
    }
    org.csv2.model.User u = p.user();
    return u == null ? "anonymous" : "member:" + new TreeSet<>(u.groups());
  }

  /** The status page's figures for one principal (shared by those who see the same, see {@link #recently}). */
  Views.StatusView status(Principal p) {
    return recently("status|" + visibility(p), () -> computeStatus(p));
  }

  /**
   * The status tables from the snapshots the engines store per group every cycle ({@link
   * GroupStatus}): the job table per group and alias, the cloud table per group and cloud. A
   * configured group without a snapshot yet has a row of zeros.
   */
  private Views.StatusView computeStatus(Principal p) {
    Instant now = clock.instant();
    Map<GroupName, GroupStatus> snapshots = new TreeMap<>();
    try {
      for (GroupStatus gs : store.statuses()) {
        if (p.canSee(gs.group())) {
          snapshots.put(gs.group(), gs);
        }
      }
    } catch (UnsupportedOperationException e) {
      // a store without operator records: no snapshots
    }
    Set<GroupName> groups = new TreeSet<>(snapshots.keySet());
    if (config != null) {
      config.groups().stream().map(org.csv2.model.Group::name).filter(p::canSee).forEach(groups::add);
    }
    List<Views.JobRow> jobRows = new ArrayList<>();
    List<Views.CloudRow> cloudRows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Instant figuresAt = null;
    for (GroupName g : groups) {
      GroupStatus gs = snapshots.get(g);
      if (gs == null) {
        jobRows.add(new Views.JobRow(g.value(), null, 0, 0, 0, 0));
        continue;
      }
      figuresAt = figuresAt == null || gs.at().isAfter(figuresAt) ? gs.at() : figuresAt;
      boolean groupRow = false;
      for (GroupStatus.JobCounts j : gs.jobs()) {
        groupRow |= j.alias() == null;
        jobRows.add(new Views.JobRow(g.value(), j.alias() == null ? null : j.alias().value(), j.idle(), j.running(), j.held(), j.other()));
      }
      if (!groupRow) {
        jobRows.add(new Views.JobRow(g.value(), null, 0, 0, 0, 0));
      }
      for (GroupStatus.CloudFigures c : gs.clouds()) {
        cloudRows.add(Views.CloudRow.of(g, c));
      }
      gs.problems().forEach(x -> problems.add(g + ": " + x));
    }
    jobRows.sort(java.util.Comparator.comparing(Views.JobRow::group).thenComparing(j -> j.alias() == null ? "" : j.alias()));
    SchedulerStatus engine = scheduler == null ? null : scheduler.status();
    if (engine != null && p.admin()) {
      problems.addAll(0, engine.problems());
    }
    return new Views.StatusView(
        now,
        engine == null ? figuresAt : engine.lastCycleAt(),
        figuresAt,
        engine == null ? 0 : engine.cycles(),
        engine != null && engine.running(),
        jobRows,
        cloudRows,
        problems.stream().distinct().toList());
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
}
