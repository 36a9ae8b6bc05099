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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.ListDelta;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.Snapshot;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.JobState;
import org.csv2.model.Sample;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 6 of the cycle, <b>record</b>: every other write of the cycle in one commit, samples
 * included when a figure changed, plugin figures, and the deletion of records TERMINATED for longer
 * than {@link Reconciler#TERMINATED_RETENTION}; a cycle that changed nothing writes nothing.
 *
 * <p>In: the configuration, the {@link Observation}, the {@link DeriveStep.Derived} VMs, the {@link
 * PlanStep.Planned} plan, the {@link ExecuteStep.Execution}, the groups held, the time. Out: {@link
 * Recorded}.
 */
final class RecordStep {
  private static final Logger log = LoggerFactory.getLogger(RecordStep.class);

  /**
   * The output of the step, for the cycle's report.
   *
   * @param idleJobs idle jobs of configured groups
   * @param runningJobs running jobs of configured groups
   * @param vmsByState every stored VM record after the cycle, counted by state
   * @param committed whether the cycle's changes were written (or there were none)
   */
  record Recorded(int idleJobs, int runningJobs, Map<VmState, Integer> vmsByState, boolean committed) {}

  private final StateStore store;
  private final PluginMetrics metrics;
  private final DeriveStep derive;
  private Map<String, Double> lastFigures = Map.of();
  /** Whether the job counts are kept from cycle to cycle (false: counted again every cycle). */
  private boolean reuse = true;
  /** The job list {@link #jobsByGroup} counts, or null. */
  private @Nullable List<org.csv2.model.Job> countedJobs;
  /** The idle (0) and running (1) jobs of {@link #countedJobs} per group object (none at zero). */
  private final Map<GroupName, int[]> jobsByGroup = new java.util.IdentityHashMap<>();
  /** What the last figures were counted from, and the figures: a cycle that changed none of it counts nothing. */
  private @Nullable Counted counted;
  /**
   * When the TERMINATED records must next be looked at for deletion: the earliest end of retention
   * among those seen at the last look (a record that ends later ends its retention later still),
   * or null to look in the next cycle.
   */
  private @Nullable Instant nextRetentionScan;
  /** The groups held at the last look at the TERMINATED records. */
  private Set<GroupName> retentionGroups = Set.of();

  RecordStep(StateStore store, PluginMetrics metrics, DeriveStep derive) {
    this.store = store;
    this.metrics = metrics;
    this.derive = derive;
  }

  /**
   * Sets whether the job counts are kept from cycle to cycle and brought up to date from the
   * difference of the job lists.
   *
   * @param on false to count every job every cycle
   */
  void reuse(boolean on) {
    reuse = on;
    countedJobs = null;
  }

  /** Records the cycle. */
  Recorded record(
      Csv2Config cfg,
      Observation obs,
      DeriveStep.Derived derived,
      PlanStep.Planned planned,
      ExecuteStep.Execution ex,
      Set<GroupName> groups,
      Instant now,
      List<String> failures) {
    List<Vm> live = ex.liveVms();
    Snapshot s = planned.snapshot();
    Counted c = counted;
    int[] jobCounts;
    Map<String, Double> figures;
    if (c != null && c.cfg() == cfg && c.unread().equals(obs.unread()) && SameLists.equal(c.jobs(), s.jobs())
        && SameLists.equal(c.clouds(), s.clouds()) && SameLists.equal(c.live(), live)) {
      jobCounts = c.jobCounts();
      figures = c.figures();
    } else {
      jobCounts = new int[2];
      figures = figures(cfg, s, live, jobCounts);
      for (GroupName g : obs.unread()) { // not read this cycle: no figure rather than a false zero
        figures.remove("jobs.idle|group=" + g);
        figures.remove("jobs.running|group=" + g);
      }
      figures = java.util.Collections.unmodifiableMap(figures);
      counted = new Counted(cfg, Set.copyOf(obs.unread()), s.jobs(), s.clouds(), live, jobCounts, figures);
    }
    List<Sample> samples = new ArrayList<>();
    if (obs.jobs() != null && figures != lastFigures && !figures.equals(lastFigures)) {
      samples.addAll(samples(figures, planned.planNanos(), now));
    }
    boolean figuresWritten = !samples.isEmpty();
    samples.addAll(metrics.drain(now));
    boolean committed = commit(cfg, derived.split(), ex, samples, groups, now, failures);
    if (committed && figuresWritten) {
      lastFigures = figures;
    }
    return new Recorded(jobCounts[0], jobCounts[1], ex.countByState(), committed);
  }

  /**
   * Writes the cycle's changes in one commit, with the deletion of the leased groups' records
   * TERMINATED for longer than {@link Reconciler#TERMINATED_RETENTION}.
   *
   * @return true if written (or nothing to write)
   */
  private boolean commit(
      Csv2Config cfg,
      StoredVms split,
      ExecuteStep.Execution ex,
      List<Sample> samples,
      Set<GroupName> groups,
      Instant now,
      List<String> failures) {
    List<Vm> updates = ex.updates();
    List<Vm> deletes = new ArrayList<>();
    boolean scan = retentionScanDue(now, groups);
    Instant earliest = null;
    if (scan) {
      for (Vm vm : split.terminated()) {
        if (vm.state() != VmState.TERMINATED || !groups.contains(vm.group())) {
          continue;
        }
        Instant ended = vm.enteredAt(VmState.TERMINATED).orElse(vm.stateSince());
        if (earliest != null && now.isBefore(ended.plus(Reconciler.TERMINATED_RETENTION))
            && !ended.plus(Reconciler.TERMINATED_RETENTION).isBefore(earliest)) {
          continue; // neither due nor the earliest: the look-ups below could change nothing
        }
        if (ex.current(vm.id()) != null && ex.current(vm.id()) != vm) {
          continue; // revived this cycle
        }
        Instant expiry = expiry(cfg, vm, groups);
        if (expiry == null) {
          continue;
        }
        if (!now.isBefore(expiry)) {
          deletes.add(vm);
        } else if (earliest == null || expiry.isBefore(earliest)) {
          earliest = expiry;
        }
      }
    }
    StoreChanges changes =
        new StoreChanges(ex.inserts(), updates, deletes, ex.pendingEvents(), samples, ex.accounting());
    if (changes.isEmpty()) {
      return true;
    }
    try {
      store.commit(changes);
      if (!deletes.isEmpty()) {
        log.debug("{} VM record(s) TERMINATED for over {} deleted", deletes.size(), Reconciler.TERMINATED_RETENTION);
        ex.deleted(deletes);
      }
      if (scan) {
        retentionScanned(now, groups, earliest);
      }
      return true;
    } catch (RuntimeException e) {
      failures.add("state store: the cycle's changes were not written: " + e.getMessage() + " (re-derived next cycle)");
      log.warn("state store: the cycle's changes were not written; the next cycle derives them again", e);
      return false;
    }
  }

  /** When a TERMINATED record of a held group of this engine may be deleted, else null. */
  private @Nullable Instant expiry(Csv2Config cfg, Vm vm, Set<GroupName> groups) {
    if (vm.state() != VmState.TERMINATED || !groups.contains(vm.group()) || !derive.isOurs(cfg, vm)) {
      return null;
    }
    Instant ended = vm.enteredAt(VmState.TERMINATED).orElse(vm.stateSince());
    return ended.plus(Reconciler.TERMINATED_RETENTION);
  }

  /** The most a TERMINATED record outlives its retention: the retention looks are at least this far apart. */
  static final java.time.Duration RETENTION_BATCH = java.time.Duration.ofMinutes(5);

  private boolean retentionScanDue(Instant now, Set<GroupName> groups) {
    return nextRetentionScan == null || !now.isBefore(nextRetentionScan) || !groups.equals(retentionGroups);
  }

  private void retentionScanned(Instant now, Set<GroupName> groups, @Nullable Instant earliest) {
    retentionGroups = Set.copyOf(groups);
    // batched: records whose retention ends within RETENTION_BATCH of each other are deleted in one
    // look over the TERMINATED records, not one look per record (in a busy pool one ends every cycle)
    Instant batched = now.plus(RETENTION_BATCH);
    nextRetentionScan = earliest == null ? now.plus(Reconciler.TERMINATED_RETENTION) : earliest.isBefore(batched) ? batched : earliest;
  }

  /** The figure key of each VM state, built once (the figures run over every VM every cycle). */
  private static final Map<VmState, String> VMS_BY_STATE_KEY = new EnumMap<>(VmState.class);

  static {
    for (VmState st : VmState.values()) {
      VMS_BY_STATE_KEY.put(st, "vms|state=" + st.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * The figure names of a configuration, built once per configuration rather than every cycle:
   * each group's idle and running figures at zero (sorted), their names, each cloud's cores name.
   */
  private record Keys(Csv2Config cfg, TreeMap<String, Double> zeros, Map<GroupName, String[]> jobs, Map<CloudName, String> cores) {}

  private @Nullable Keys keys;

  private Keys keys(Csv2Config cfg) {
    Keys k = keys;
    if (k != null && k.cfg() == cfg) {
      return k;
    }
    TreeMap<String, Double> zeros = new TreeMap<>();
    Map<GroupName, String[]> jobs = new HashMap<>();
    for (Group g : cfg.groups()) {
      String[] names = {"jobs.idle|group=" + g.name(), "jobs.running|group=" + g.name()};
      jobs.put(g.name(), names);
      zeros.put(names[0], 0.0);
      zeros.put(names[1], 0.0);
    }
    Map<CloudName, String> cores = new HashMap<>();
    for (CloudConfig c : cfg.clouds()) {
      cores.put(c.cloud().name(), "cores|cloud=" + c.cloud().name());
    }
    k = new Keys(cfg, zeros, jobs, cores);
    keys = k;
    return k;
  }

  /** The inputs of the last figures counted, and what they gave. */
  private record Counted(
      Csv2Config cfg, Set<GroupName> unread, List<org.csv2.model.Job> jobs, List<org.csv2.core.planning.CloudView> clouds,
      List<Vm> live, int[] jobCounts, Map<String, Double> figures) {}

  /**
   * The cycle's figures; also counts the snapshot's idle and running jobs into {@code jobCounts}
   * (index 0 and 1), in the same pass over the jobs.
   */
  /**
   * The idle and running jobs per group object (a job source shares one object per group: no
   * hashing of names), kept up to date from the difference of the job lists ({@link ListDelta}:
   * a pointer comparison per job, where counting again reads every job, every cycle). Read-only
   * for the caller.
   */
  private Map<GroupName, int[]> jobsByGroupObject(List<org.csv2.model.Job> jobs) {
    ListDelta<org.csv2.model.Job> d =
        reuse && countedJobs != null ? ListDelta.of(countedJobs, jobs, Math.max(64, jobs.size() / 4)) : null;
    if (d == null) {
      jobsByGroup.clear();
      d = new ListDelta<>(List.of(), jobs);
    }
    for (org.csv2.model.Job j : d.removed()) {
      countJob(j, -1);
    }
    for (org.csv2.model.Job j : d.added()) {
      countJob(j, 1);
    }
    countedJobs = jobs;
    return jobsByGroup;
  }

  private void countJob(org.csv2.model.Job j, int sign) {
    int k = j.state() == JobState.IDLE ? 0 : j.state() == JobState.RUNNING ? 1 : -1;
    if (k < 0) {
      return;
    }
    int[] n = jobsByGroup.computeIfAbsent(j.group(), g -> new int[2]);
    n[k] += sign;
    if (n[0] == 0 && n[1] == 0) {
      jobsByGroup.remove(j.group()); // a source that makes a group object per job leaves none behind
    }
  }

  private Map<String, Double> figures(Csv2Config cfg, Snapshot s, Iterable<Vm> vms, int[] jobCounts) {
    Keys keys = keys(cfg);
    TreeMap<String, Double> f = new TreeMap<>(keys.zeros()); // a sorted copy: no key compared
    Map<GroupName, int[]> byObject = jobsByGroupObject(s.jobs());
    Map<GroupName, int[]> byGroup = new HashMap<>();
    byObject.forEach((g, n) -> {
      if (cfg.group(g).isEmpty()) {
        return; // jobs of a group not configured here (the planner notes them)
      }
      jobCounts[0] += n[0];
      jobCounts[1] += n[1];
      int[] sum = byGroup.computeIfAbsent(g, x -> new int[2]);
      sum[0] += n[0];
      sum[1] += n[1];
    });
    byGroup.forEach((g, n) -> {
      String[] k = keys.jobs().get(g);
      if (n[0] > 0) {
        f.merge(k == null ? "jobs.idle|group=" + g : k[0], (double) n[0], Double::sum);
      }
      if (n[1] > 0) {
        f.merge(k == null ? "jobs.running|group=" + g : k[1], (double) n[1], Double::sum);
      }
    });
    int[] byState = new int[VmState.values().length];
    Map<CloudName, long[]> cores = new HashMap<>();
    for (CloudConfig c : cfg.clouds()) {
      cores.put(c.cloud().name(), new long[1]);
    }
    for (Vm vm : vms) {
      if (vm.state() != VmState.TERMINATED) {
        byState[vm.state().ordinal()]++;
        cores.computeIfAbsent(vm.cloud(), c -> new long[1])[0] += vm.resources().cores();
      }
    }
    for (VmState st : VmState.values()) {
      if (st != VmState.TERMINATED) {
        f.put(VMS_BY_STATE_KEY.get(st), (double) byState[st.ordinal()]);
      }
    }
    cores.forEach((c, n) -> {
      String k = keys.cores().get(c);
      f.put(k == null ? "cores|cloud=" + c : k, (double) n[0]);
    });
    opportunisticFigures(cfg, s, vms, f);
    return f;
  }

  /**
   * Per cloud whose administrators govern opportunistic use: what they allow ({@code -1}: no cap;
   * 0 during a reclaim), whether they reclaim, and the cores opportunistic groups hold there.
   */
  private static void opportunisticFigures(Csv2Config cfg, Snapshot s, Iterable<Vm> vms, Map<String, Double> f) {
    Set<List<Object>> opportunistic = new HashSet<>();
    for (Allocation a : cfg.allocations()) {
      if (a.mode() == org.csv2.model.AllocationMode.OPPORTUNISTIC) {
        opportunistic.add(List.of(a.group(), a.cloud()));
      }
    }
    for (CloudView v : s.clouds()) {
      org.csv2.model.OpportunisticPolicy p = v.opportunistic();
      if (!p.governed()) {
        continue;
      }
      CloudName c = v.cloud().name();
      String k = "|cloud=" + c;
      f.put("opportunistic.allowed-cores" + k, p.reclaim() ? 0.0 : p.cores());
      f.put("opportunistic.allowed-vms" + k, p.reclaim() ? 0.0 : p.instances());
      f.put("opportunistic.reclaim" + k, p.reclaim() ? 1.0 : 0.0);
      double held = 0;
      for (Vm vm : vms) {
        if (vm.cloud().equals(c) && vm.state() != VmState.TERMINATED && opportunistic.contains(List.of(vm.group(), c))) {
          held += vm.resources().cores();
        }
      }
      f.put("opportunistic.cores" + k, held);
    }
  }

  private static List<Sample> samples(Map<String, Double> figures, long planNanos, Instant now) {
    List<Sample> out = new ArrayList<>();
    figures.forEach((key, value) -> {
      int bar = key.indexOf('|');
      String[] label = key.substring(bar + 1).split("=", 2);
      out.add(new Sample(now, key.substring(0, bar), Map.of(label[0], label[1]), value));
    });
    out.add(new Sample(now, "plan.time.ms", Map.of(), planNanos / 1_000_000.0));
    return out;
  }
}
