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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.Planner;
import org.csv2.core.planning.RunTimes;
import org.csv2.core.planning.Snapshot;
import org.csv2.model.Adopt;
import org.csv2.model.Boot;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.JobSnapshot;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4 of the cycle, <b>plan</b>: builds the immutable {@link Snapshot} (its groups are the
 * held ones) and asks the configured {@link Planner}; actions on other groups are then dropped (a
 * safety net: the planner acts only on {@link Snapshot#groups()}).
 *
 * <p>In: the configuration, the {@link Observation}, the {@link DeriveStep.Derived} VMs, the groups
 * held, the time. Out: {@link Planned}.
 */
final class PlanStep {
  private static final Logger log = LoggerFactory.getLogger(PlanStep.class);

  /**
   * The output of the step.
   *
   * @param snapshot what the planner saw
   * @param plan what it decided, without actions on groups not held
   * @param planNanos how long the planner took
   */
  record Planned(Snapshot snapshot, Plan plan, long planNanos) {}

  private final Function<String, Planner> planners;
  private final LongSupplier nanoTime;
  private final DeriveStep derive;
  /** What this engine learned about jobs' run times (used by the learned-run-times policy). */
  private final RunTimes runTimes = new RunTimes();
  /**
   * The last plan the planner made with no action, its snapshot and until when it holds (null:
   * none to reuse). Only the cycle thread plans; a dry run neither reads nor replaces it.
   */
  private @org.jspecify.annotations.Nullable Reusable last;
  private long reused;

  PlanStep(Function<String, Planner> planners, LongSupplier nanoTime, DeriveStep derive) {
    this.planners = planners;
    this.nanoTime = nanoTime;
    this.derive = derive;
  }

  /** Plans the cycle. */
  Planned plan(
      Csv2Config cfg,
      Observation obs,
      DeriveStep.Derived derived,
      Set<GroupName> groups,
      Instant now,
      List<String> failures) {
    return plan(cfg, obs, derived, groups, now, failures, false);
  }

  /**
   * Plans the cycle, or reuses the last plan: when the planner said until when its plan holds
   * ({@link Planner#planTimed}), that plan had no action, the time is before then, and the
   * snapshot is the last one but for its time (same configuration objects, groups, clouds as
   * observed, jobs, workers and VMs), the planner would decide the same, and is not asked. A
   * cycle in which nothing changed plans nothing.
   *
   * @param dryRun whether this is a dry run (which neither reuses nor keeps a plan)
   */
  Planned plan(
      Csv2Config cfg,
      Observation obs,
      DeriveStep.Derived derived,
      Set<GroupName> groups,
      Instant now,
      List<String> failures,
      boolean dryRun) {
    Snapshot snapshot = snapshot(cfg, obs, derived.derivation(), derived.split(), groups, now);
    long t0 = nanoTime.getAsLong();
    Reusable r = last;
    if (!dryRun && r != null && now.isBefore(r.until()) && sameBut(r.snapshot(), snapshot)) {
      reused++;
      Plan plan = new Plan(now, List.of(), r.plan().notes());
      return new Planned(snapshot, plan, nanoTime.getAsLong() - t0);
    }
    Planner.Timed timed = planOf(cfg, snapshot, failures);
    Plan plan = ownedOnly(timed.plan(), snapshot, groups);
    if (!dryRun) {
      Instant until = timed.until();
      last = until != null && plan.actions().isEmpty() && now.isBefore(until) ? new Reusable(snapshot, plan, until) : null;
    }
    return new Planned(snapshot, plan, nanoTime.getAsLong() - t0);
  }

  /**
   * How many cycles reused the last plan instead of planning (for tests and figures).
   *
   * @return the count since the engine started
   */
  long reused() {
    return reused;
  }

  /** Whether two snapshots differ in their time only (lists compared element by element, same objects first). */
  static boolean sameBut(Snapshot a, Snapshot b) {
    return a.settings() == b.settings()
        && SameLists.equal(a.groups(), b.groups())
        && SameLists.equal(a.allocations(), b.allocations())
        && SameLists.equal(a.aliases(), b.aliases())
        && SameLists.equal(a.clouds(), b.clouds())
        && SameLists.equal(a.jobs(), b.jobs())
        && SameLists.equal(a.workers(), b.workers())
        && sameButVersions(a.vms(), b.vms());
  }

  /**
   * Whether two VM lists hold the same records but for their store versions (a record the last
   * cycle changed comes back from the store with a new version; no plan reads it, {@link
   * Planner#planTimed}).
   */
  static boolean sameButVersions(List<Vm> a, List<Vm> b) {
    if (a == b) {
      return true;
    }
    int n = a.size();
    if (n != b.size()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      Vm x = a.get(i);
      Vm y = b.get(i);
      if (x != y && !x.equals(y) && !x.equals(y.withVersion(x.version()))) {
        return false;
      }
    }
    return true;
  }

  /** A plan with no action that holds until {@code until} for the same snapshot. */
  private record Reusable(Snapshot snapshot, Plan plan, Instant until) {}

  private Snapshot snapshot(
      Csv2Config cfg,
      Observation obs,
      StateDeriver.Derivation d,
      StoredVms split,
      Set<GroupName> groups,
      Instant now) {
    JobSnapshot jobs = obs.jobs();
    boolean withTerminated = !split.terminated().isEmpty() && d.unmatchedInstances();
    if (!withTerminated && d == vmsOf && split == vmsSplit && vmsKept != null) {
      // the very derivation and split of the last snapshot: its VM list (a pointer check in sameBut)
      return snapshot(cfg, obs, jobs, vmsKept, groups, now);
    }
    List<Vm> vms = new ArrayList<>(d.vms());
    vms.addAll(split.otherGroups()); // another engine's group: counted in the ledgers, never acted on
    // A TERMINATED record holds nothing; the planner sees one only when a cloud still lists an
    // instance of that name (it outlived its record and is adopted again). When every listed
    // instance stands for a live VM of a held group, there is none.
    if (!split.terminated().isEmpty() && d.unmatchedInstances()) {
      Set<VmId> listed = new HashSet<>();
      for (CloudView v : obs.views().values()) {
        if (v.reachable()) {
          for (Instance i : v.instances()) {
            listed.add(i.name());
          }
        }
      }
      for (Vm vm : split.terminated()) {
        if (listed.contains(vm.id()) && derive.isOurs(cfg, vm)) {
          vms.add(vm);
        }
      }
    }
    if (!withTerminated) {
      vms = List.copyOf(vms);
      vmsOf = d;
      vmsSplit = split;
      vmsKept = vms;
    }
    return snapshot(cfg, obs, jobs, vms, groups, now);
  }

  /** The last snapshot's VM list and the derivation and split it was made from. */
  private StateDeriver.@org.jspecify.annotations.Nullable Derivation vmsOf;
  private @org.jspecify.annotations.Nullable StoredVms vmsSplit;
  private @org.jspecify.annotations.Nullable List<Vm> vmsKept;

  private Snapshot snapshot(
      Csv2Config cfg, Observation obs, @org.jspecify.annotations.Nullable JobSnapshot jobs, List<Vm> vms, Set<GroupName> groups, Instant now) {
    List<Group> held = heldGroups(cfg, groups);
    boolean allConfigured = held.size() - removedCount(cfg, groups) == cfg.groups().size();
    boolean learn = jobs != null && cfg.engine().flavorPolicy().learnsRunTimes();
    if (learn) {
      runTimes.observe(now, jobs.jobs());
    }
    return new Snapshot(
        now,
        cfg.engine(),
        held,
        allocations(cfg, obs, groups),
        cfg.aliases().stream().filter(a -> groups.contains(a.group())).toList(),
        List.copyOf(obs.views().values()),
        jobs == null ? List.of() : allConfigured ? jobs.jobs() : heldJobs(jobs.jobs(), groups),
        jobs == null ? List.of() : jobs.workers(),
        vms,
        learn ? runTimes : RunTimes.none());
  }

  /**
   * The held groups' allocations; those of a group whose job source's credential expires within
   * {@code engine.credential-stop} are disabled, so the planner boots nothing for it (its VMs stay).
   */
  private static List<org.csv2.model.Allocation> allocations(Csv2Config cfg, Observation obs, Set<GroupName> groups) {
    List<org.csv2.model.Allocation> out = new ArrayList<>();
    for (org.csv2.model.Allocation a : cfg.allocations()) {
      if (!groups.contains(a.group())) {
        continue;
      }
      if (a.enabled() && obs.bootsStopped().containsKey(a.group())) {
        a = new org.csv2.model.Allocation(a.group(), a.cloud(), a.priority(), a.coresCtl(), a.coresSoftmax(), a.ramCtlMiB(),
            a.mode(), a.excludedFlavors(), a.overrides(), a.userData(), false);
      }
      out.add(a);
    }
    return out;
  }

  /**
   * The held groups' configurations; a removed group that still has VMs is planned as a group with
   * no allocation (nothing boots; its VMs are retired and terminated by the usual rules).
   */
  private static List<Group> heldGroups(Csv2Config cfg, Set<GroupName> groups) {
    List<Group> out = new ArrayList<>();
    for (Group g : cfg.groups()) {
      if (groups.contains(g.name())) {
        out.add(g);
      }
    }
    if (out.size() < groups.size()) {
      for (GroupName g : new java.util.TreeSet<>(groups)) {
        if (cfg.group(g).isEmpty()) {
          out.add(Group.of(g.value()));
        }
      }
    }
    return out;
  }

  private static int removedCount(Csv2Config cfg, Set<GroupName> groups) {
    int n = 0;
    for (GroupName g : groups) {
      if (cfg.group(g).isEmpty()) {
        n++;
      }
    }
    return n;
  }

  /**
   * The jobs of the held groups (the list itself when all are). Jobs of one group share a few
   * group objects, so the answer is kept per object: this runs over every job every cycle.
   */
  static List<org.csv2.model.Job> heldJobs(List<org.csv2.model.Job> jobs, Set<GroupName> groups) {
    Map<GroupName, Boolean> seen = new java.util.IdentityHashMap<>();
    List<org.csv2.model.Job> out = null;
    for (int i = 0; i < jobs.size(); i++) {
      org.csv2.model.Job j = jobs.get(i);
      GroupName g = j.group();
      Boolean held = seen.get(g);
      if (held == null) {
        held = groups.contains(g);
        if (seen.size() < 256) {
          seen.put(g, held);
        }
      }
      if (!held && out == null) {
        out = new ArrayList<>(jobs.subList(0, i));
      } else if (held && out != null) {
        out.add(j);
      }
    }
    return out == null ? jobs : out;
  }

  /**
   * The plan without actions on groups this engine holds no lease on (the planner acts only on
   * {@link Snapshot#groups()}; this keeps two engines from ever writing the same VM record even
   * if a policy does not). Dropped actions become notes.
   */
  private static Plan ownedOnly(Plan plan, Snapshot snapshot, Set<GroupName> groups) {
    if (plan.actions().isEmpty()) {
      return plan;
    }
    Map<VmId, GroupName> groupOf = new HashMap<>();
    for (Vm vm : snapshot.vms()) {
      groupOf.put(vm.id(), vm.group());
    }
    List<PlanAction> kept = new ArrayList<>();
    List<String> notes = new ArrayList<>(plan.notes());
    for (PlanAction a : plan.actions()) {
      GroupName g =
          a instanceof Boot b ? b.group()
              : a instanceof Adopt ad ? ad.group()
              : a instanceof Retire r ? groupOf.get(r.vm())
              : a instanceof Terminate t ? groupOf.get(t.vm())
              : null;
      if (g != null && !groups.contains(g)) {
        notes.add(CycleLog.describe(a) + " not carried out: group " + g + " is served by another engine");
        log.debug("{} dropped: group {} is not leased by this engine", CycleLog.describe(a), g);
      } else {
        kept.add(a);
      }
    }
    return kept.size() == plan.actions().size() ? plan : new Plan(plan.at(), kept, notes);
  }

  private Planner.Timed planOf(Csv2Config cfg, Snapshot snapshot, List<String> failures) {
    try {
      Planner.Timed t = planners.apply(cfg.engine().policy()).planTimed(snapshot);
      if (t == null || t.plan() == null) {
        throw new IllegalStateException("planner returned no plan");
      }
      return t;
    } catch (RuntimeException e) {
      failures.add("planner " + cfg.engine().policy() + " failed: " + e);
      log.error("planner {} failed: nothing is done this cycle", cfg.engine().policy(), e);
      return new Planner.Timed(Plan.empty(snapshot.now()), null);
    }
  }
}
