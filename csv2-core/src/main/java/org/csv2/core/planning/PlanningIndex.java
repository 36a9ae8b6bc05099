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
package org.csv2.core.planning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.VmDefaults;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.jspecify.annotations.Nullable;

/**
 * The snapshot's lists turned into maps once per plan, so that no rule scans a whole list per job
 * or per VM. Iteration orders are sorted (by name), never hash orders.
 *
 * <p><b>Built from the last plan's index</b> ({@link #PlanningIndex(Snapshot, PlanningIndex)}):
 * the engine plans a snapshot that differs from the last one by a few records, so the maps of the
 * last index are taken over and brought up to date from the difference of the lists ({@link
 * ListDelta}, by identity): the groups, allocations and aliases when they are the same records;
 * the workers by VM; the VMs in name order with the names of the live and of the TERMINATED ones;
 * the capacity ledger's sums over the VMs ({@link #vmSums}); the supply of the VMs whose record and
 * worker did not change ({@link #supplySources}); per cloud the instances that may be orphans; and
 * the idle jobs counted by shape ({@link #idleTally}). Whatever cannot be brought up to date exactly
 * (two workers of one VM, a VM name given twice, a long difference, an adoption) is built from
 * scratch: the index, and so the plan, is the same either way (a property test compares them).
 *
 * <p><b>Thread safety:</b> not thread-safe; one plan's. An index handed to the next one is not
 * used again.
 */
final class PlanningIndex {
  /** The longest difference (elements removed plus added), as a share of a list, worth a delta. */
  private static final int DELTA_SHARE = 8;

  final Snapshot snapshot;
  final Map<GroupName, Group> groups;
  final Map<GroupCloud, Allocation> allocations;
  /** Per group, its allocations by priority then cloud name. */
  final Map<GroupName, List<Allocation>> allocationsByGroup;
  final Map<GroupName, Map<AliasName, Alias>> aliases;
  final Map<CloudName, CloudView> clouds = new TreeMap<>();
  final Map<VmId, Worker> workers;
  /** Whether a VM has several workers ({@link #merge}): the map is then rebuilt, not updated. */
  private final boolean mergedWorkers;
  /**
   * The names of the VMs that are not TERMINATED: an instance named after one of them is that VM,
   * not an orphan to adopt. A TERMINATED record holds nothing, so an instance that outlived it (a
   * boot reply that came late) is adopted again.
   */
  final Set<VmId> knownVms;
  /** The names of the TERMINATED VM records. */
  final Set<VmId> terminatedVms;
  /** The snapshot's VMs by name, each name once (the first in name order when given twice). */
  private final List<Vm> byName;
  /** Whether the snapshot gives a VM name twice: {@link #byName} is then rebuilt, not updated. */
  private final boolean duplicateVms;
  /**
   * Every VM of the snapshot by name, for stable iteration: those of groups this engine does not
   * hold too, since they hold capacity (see {@link #holds}); and the records that this plan's
   * adoptions will write ({@link #isAdoptee}), so that an adopted VM is capacity in the cycle
   * that adopts it.
   */
  final List<Vm> vms;
  /** The names of the instances this plan adopts (their records are in {@link #vms}). */
  private final Set<VmId> adoptees = new HashSet<>();
  /**
   * Per reachable cloud, its live instances that carry this engine's id and whose name is no
   * known VM ({@link Adoptions#candidates}), with the instance list they were found in.
   */
  private final Map<CloudName, Unknown> unknown = new HashMap<>();
  /** The instances to adopt ({@link Adoptions#find}), and why others are not. */
  final List<Adoptions.Orphan> orphans;
  final List<String> orphanNotes = new ArrayList<>();
  /**
   * How many flavors of each allocation of a group (in {@link #allocationsOf} order; -1 when not
   * counted yet) qualify for shapes alike in what flavors are checked against ({@link
   * Candidates#compute}): counted once per plan, not once per shape.
   */
  final Map<Candidates.CountKey, int[]> candidateCounts = new HashMap<>();
  /** What this index took over from the last one (for tests): the VMs, the workers. */
  final boolean vmsFromLast;
  final boolean workersFromLast;

  /** The sums of {@link #byName} for the capacity ledger, made on first use ({@link #vmSums}). */
  private CapacityLedger.@Nullable VmSums byNameSums;

  /** The last plan's tally of idle jobs and the jobs it counted, until {@link #idleTally} takes it. */
  private Shapes.@Nullable Tally lastTally;
  private @Nullable List<org.csv2.model.Job> lastJobs;
  private Shapes.@Nullable Tally tally;
  /** Whether the idle jobs were counted from the last plan's tally (for tests). */
  boolean jobsFromLast;

  /** A cloud's instances that may be orphans, and the list they were picked from. */
  record Unknown(List<Instance> instances, List<Instance> candidates) {}

  /**
   * The index of a snapshot, built from scratch.
   *
   * @param s the snapshot
   */
  PlanningIndex(Snapshot s) {
    this(s, null);
  }

  /**
   * The index of a snapshot, brought up to date from the last plan's index where the difference
   * is known exactly (see the class comment), else built from scratch.
   *
   * @param s the snapshot
   * @param last the last plan's index, handed over (its maps are taken over and changed: it must
   *     not be used again); null to build from scratch
   */
  PlanningIndex(Snapshot s, @Nullable PlanningIndex last) {
    this.snapshot = s;
    Snapshot before = last == null ? null : last.snapshot;
    if (last != null && ListDelta.identical(before.groups(), s.groups())) {
      groups = last.groups;
      held = last.held;
    } else {
      groups = new TreeMap<>();
      held = new HashMap<>();
      for (Group g : s.groups()) {
        groups.putIfAbsent(g.name(), g);
        held.putIfAbsent(g.name(), g);
      }
    }
    if (last != null && ListDelta.identical(before.allocations(), s.allocations())) {
      allocations = last.allocations;
      allocationsByGroup = last.allocationsByGroup;
    } else {
      allocations = new HashMap<>();
      allocationsByGroup = new TreeMap<>();
      for (Allocation a : s.allocations()) {
        if (allocations.putIfAbsent(new GroupCloud(a.group(), a.cloud()), a) == null) {
          allocationsByGroup.computeIfAbsent(a.group(), k -> new ArrayList<>()).add(a);
        }
      }
      for (List<Allocation> l : allocationsByGroup.values()) {
        l.sort(Comparator.comparingInt(Allocation::priority).thenComparing(Allocation::cloud));
      }
    }
    if (last != null && ListDelta.identical(before.aliases(), s.aliases())) {
      aliases = last.aliases;
    } else {
      aliases = new HashMap<>();
      for (Alias a : s.aliases()) {
        aliases.computeIfAbsent(a.group(), k -> new HashMap<>()).putIfAbsent(a.name(), a);
      }
    }
    for (CloudView v : s.clouds()) {
      clouds.putIfAbsent(v.cloud().name(), v);
    }
    if (last != null && last.tally != null && held == last.held) {
      lastTally = last.tally; // counted over the same groups
      lastJobs = before.jobs();
    }

    Set<VmId> changed = new HashSet<>();
    Map<VmId, Worker> ws = last == null || last.mergedWorkers ? null : updatedWorkers(last.workers, before.workers(), s.workers(), changed);
    this.workersFromLast = ws != null;
    boolean merged = false;
    if (ws == null) {
      ws = new HashMap<>(capacity(s.workers().size()));
      for (Worker w : s.workers()) {
        merged |= ws.merge(w.vm(), w, PlanningIndex::merge) != w;
      }
    }
    this.workers = ws;
    this.mergedWorkers = merged;

    // the VMs by name; the names of the live and of the TERMINATED ones, and whether any of the
    // live ones is gone (an instance named after it may be an orphan now)
    boolean fromLast = false;
    boolean knownLost = true;
    if (last != null && !last.duplicateVms) {
      ListDelta<Vm> d = ListDelta.of(before.vms(), s.vms(), Math.max(16, s.vms().size() / DELTA_SHARE));
      if (d != null) {
        Boolean lost = update(last.byName, last.knownVms, last.terminatedVms, d);
        if (lost != null) {
          fromLast = true;
          knownLost = lost;
          for (Vm v : d.removed()) {
            changed.add(v.id());
          }
          for (Vm v : d.added()) {
            changed.add(v.id());
          }
          if (last.byNameSums != null && last.byNameSums.madeWith(allocations)) {
            byNameSums = last.byNameSums;
            for (Vm v : d.removed()) {
              byNameSums.add(v, -1);
            }
            for (Vm v : d.added()) {
              byNameSums.add(v, 1);
            }
          }
        }
      }
    }
    boolean dup = false;
    if (fromLast) {
      byName = last.byName;
      knownVms = last.knownVms;
      terminatedVms = last.terminatedVms;
    } else {
      List<Vm> vs = s.vms();
      if (!sortedById(vs)) {
        vs = new ArrayList<>(vs);
        vs.sort(Comparator.comparing(Vm::id));
      }
      byName = new ArrayList<>(vs.size());
      knownVms = new HashSet<>(capacity(vs.size()));
      terminatedVms = new HashSet<>();
      VmId previous = null;
      for (Vm v : vs) {
        if (!v.id().equals(previous)) { // sorted: a name given twice comes twice in a row
          previous = v.id();
          byName.add(v);
          (v.state() == VmState.TERMINATED ? terminatedVms : knownVms).add(v.id());
        } else {
          dup = true;
        }
      }
    }
    this.vmsFromLast = fromLast;
    this.duplicateVms = dup;

    String self = s.settings().instanceId();
    boolean sameSelf = last != null && self.equals(before.settings().instanceId());
    for (CloudView view : clouds.values()) {
      if (!view.reachable()) {
        continue;
      }
      Unknown u = sameSelf && fromLast && !knownLost ? last.unknown.get(view.cloud().name()) : null;
      if (u != null && ListDelta.identical(u.instances(), view.instances())) {
        // the same instances, and no known VM is gone: the candidates are the last ones still unknown
        List<Instance> still = new ArrayList<>(u.candidates().size());
        for (Instance i : u.candidates()) {
          if (!knownVms.contains(i.name())) {
            still.add(i);
          }
        }
        u = new Unknown(view.instances(), still);
      } else {
        u = new Unknown(view.instances(), Adoptions.candidates(view, knownVms, self));
      }
      unknown.put(view.cloud().name(), u);
    }
    this.orphans = Adoptions.find(this, orphanNotes);

    List<Vm> all = byName;
    if (!orphans.isEmpty()) {
      // a TERMINATED record of the same name is replaced by the adopted one
      Map<VmId, Vm> withAdopted = new TreeMap<>();
      for (Vm v : byName) {
        withAdopted.put(v.id(), v);
      }
      for (Adoptions.Orphan o : orphans) {
        if (adoptees.add(o.instance().name())) {
          Flavor flavor = null;
          for (Flavor f : o.view().flavors()) {
            if (f.name().equals(o.instance().flavor())) {
              flavor = f;
              break;
            }
          }
          withAdopted.put(o.instance().name(), Adoptions.asVm(o.instance(), o.group(), o.view().cloud().name(), flavor, s.now(), "to adopt"));
        }
      }
      all = new ArrayList<>(withAdopted.values());
    }
    this.vms = Collections.unmodifiableList(all);
    if (fromLast && workersFromLast && last.supplySources != null && last.adoptees.isEmpty() && adoptees.isEmpty()
        && held == last.held && allocations == last.allocations) {
      lastSources = last.supplySources;
      changedVms = changed;
    }
  }

  /**
   * The last index's workers by VM, brought up to date (changed in place), or null when the
   * difference is long or gives a VM two workers (they are then merged by a full build).
   */
  private static @Nullable Map<VmId, Worker> updatedWorkers(
      Map<VmId, Worker> byVm, List<Worker> before, List<Worker> after, Set<VmId> changed) {
    ListDelta<Worker> d = ListDelta.of(before, after, Math.max(16, after.size() / DELTA_SHARE));
    if (d == null) {
      return null;
    }
    for (Worker w : d.removed()) {
      if (!byVm.remove(w.vm(), w)) {
        return null;
      }
      changed.add(w.vm());
    }
    for (Worker w : d.added()) {
      if (byVm.putIfAbsent(w.vm(), w) != null) {
        return null;
      }
      changed.add(w.vm());
    }
    return byVm;
  }

  /**
   * Brings the VMs by name and the names of the live and TERMINATED ones up to date (in place).
   *
   * @return whether a name left the live ones; null when the difference cannot be applied (a
   *     name given twice): the caller then builds from scratch
   */
  private static @Nullable Boolean update(List<Vm> byName, Set<VmId> known, Set<VmId> terminated, ListDelta<Vm> d) {
    List<VmId> leftKnown = new ArrayList<>();
    for (Vm v : d.removed()) {
      int at = Collections.binarySearch(byName, v, BY_ID);
      if (at < 0 || byName.get(at) != v) {
        return null;
      }
      byName.remove(at);
      if (v.state() == VmState.TERMINATED) {
        terminated.remove(v.id());
      } else {
        known.remove(v.id());
        leftKnown.add(v.id());
      }
    }
    for (Vm v : d.added()) {
      int at = Collections.binarySearch(byName, v, BY_ID);
      if (at >= 0) {
        return null;
      }
      byName.add(-at - 1, v);
      (v.state() == VmState.TERMINATED ? terminated : known).add(v.id());
    }
    for (VmId id : leftKnown) {
      if (!known.contains(id)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The snapshot's idle jobs counted by shape: the last plan's count brought up to date from the
   * difference of the job lists when it can be ({@link Shapes.Tally#update}), else counted anew.
   *
   * @return the tally
   */
  Shapes.Tally idleTally() {
    if (tally == null) {
      Shapes.Tally t = null;
      if (lastTally != null) {
        List<org.csv2.model.Job> jobs = snapshot.jobs();
        ListDelta<org.csv2.model.Job> d = ListDelta.of(lastJobs, jobs, Math.max(16, jobs.size() / DELTA_SHARE));
        t = d == null ? null : Shapes.Tally.update(lastTally, this, d);
        lastTally = null;
        lastJobs = null;
      }
      jobsFromLast = t != null;
      tally = t != null ? t : Shapes.Tally.of(this);
    }
    return tally;
  }

  /**
   * What the VMs of {@link #vms} that hold capacity add up to, for the capacity ledger: the last
   * plan's sums brought up to date from the VMs that changed, else summed anew.
   *
   * @return the sums (the ledger copies them)
   */
  CapacityLedger.VmSums vmSums() {
    if (byNameSums == null) {
      byNameSums = CapacityLedger.VmSums.of(byName, allocations);
    }
    if (adoptees.isEmpty()) {
      return byNameSums;
    }
    // the records adoptions will write hold capacity too (a TERMINATED record they replace holds none)
    CapacityLedger.VmSums withAdopted = byNameSums.copy();
    for (Vm v : vms) {
      if (isAdoptee(v)) {
        withAdopted.add(v, 1);
      }
    }
    return withAdopted;
  }

  private static final Comparator<Vm> BY_ID = Comparator.comparing(Vm::id);

  /**
   * A reachable cloud's live instances that carry this engine's id and whose name is no known VM.
   *
   * @param cloud the cloud
   * @return them, in the cloud's order; empty for an unreachable cloud
   */
  List<Instance> unknownInstances(CloudName cloud) {
    Unknown u = unknown.get(cloud);
    return u == null ? List.of() : u.candidates();
  }

  /** A hash map's initial capacity for n entries without a resize. */
  private static int capacity(int n) {
    return Math.max(16, (int) (n / 0.75f) + 1);
  }

  private static boolean sortedById(List<Vm> vms) {
    for (int i = 1; i < vms.size(); i++) {
      if (vms.get(i - 1).id().compareTo(vms.get(i).id()) > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Two workers claiming one VM (several partitionable slots): their sum, named after the first
   * name in order, so that the result does not depend on the order the job source listed them in.
   */
  private static Worker merge(Worker x, Worker y) {
    Worker a = x.name().compareTo(y.name()) <= 0 ? x : y;
    Worker b = a == x ? y : x;
    return new Worker(
        a.name(),
        a.vm(),
        a.group(),
        a.cloud(),
        a.instanceId(),
        a.total().plus(b.total()),
        a.used().plus(b.used()),
        a.runningJobs() + b.runningJobs(),
        a.draining() && b.draining(),
        a.lastActivity().isAfter(b.lastActivity()) ? a.lastActivity() : b.lastActivity());
  }

  /**
   * Whether this engine holds the group (its lease; the snapshot's groups). The snapshot's VMs
   * include those of other groups, which hold capacity (the ledger, the starting throttle) but
   * are never retired, terminated or adopted by this engine.
   *
   * @param g the group
   * @return true when the planner may act on the group's VMs
   */
  boolean holds(GroupName g) {
    return held.containsKey(g);
  }

  /**
   * A held group by name: {@link #groups} hashed, for look-ups per job or per VM.
   *
   * @param g the name
   * @return the group, or null when this engine does not plan for it
   */
  @Nullable Group group(GroupName g) {
    return held.get(g);
  }

  private final Map<GroupName, Group> held;

  @Nullable Allocation allocation(GroupName g, CloudName c) {
    return allocations.get(new GroupCloud(g, c));
  }

  List<Allocation> allocationsOf(GroupName g) {
    return allocationsByGroup.getOrDefault(g, List.of());
  }

  /**
   * The clouds an alias names, or null when the group defines no such alias.
   *
   * @param g the group
   * @param alias the alias
   * @return its clouds, or null
   */
  @Nullable Set<CloudName> aliasClouds(GroupName g, AliasName alias) {
    Map<AliasName, Alias> m = aliases.get(g);
    Alias a = m == null ? null : m.get(alias);
    return a == null ? null : a.clouds();
  }

  /** The VM defaults that apply to a group on a cloud: the allocation's overrides, then the group's. */
  VmDefaults defaults(GroupName g, CloudName c) {
    Group group = held.get(g);
    VmDefaults base = group == null ? VmDefaults.NONE : group.vmDefaults();
    Allocation a = allocation(g, c);
    return a == null ? base : a.overrides().orElse(base);
  }

  private final Map<CloudName, Set<String>> imageRefs = new HashMap<>();

  /** Whether a cloud offers an image, by name or id. */
  boolean hasImage(CloudName c, String image) {
    Set<String> refs =
        imageRefs.computeIfAbsent(
            c,
            k -> {
              Set<String> r = new HashSet<>();
              CloudView v = clouds.get(k);
              if (v != null) {
                for (org.csv2.model.Image i : v.images()) {
                  r.add(i.id());
                  r.add(i.name());
                }
              }
              return r;
            });
    return refs.contains(image);
  }

  private final Map<CloudName, Map<InstanceId, Instance>> liveById = new HashMap<>();
  private final Map<CloudName, Map<VmId, Instance>> liveByName = new HashMap<>();

  /**
   * The instance a VM stands for, matched as the reconciler matches them (by instance id when the
   * VM has one, else by its name), unless the cloud reports it TERMINATED.
   *
   * @param vm the VM
   * @return the instance, or null when its cloud could not be read this cycle or lists none
   */
  @Nullable Instance liveInstance(Vm vm) {
    CloudView view = clouds.get(vm.cloud());
    if (view == null || !view.reachable()) {
      return null;
    }
    if (!liveById.containsKey(vm.cloud())) {
      Map<InstanceId, Instance> ids = new HashMap<>();
      Map<VmId, Instance> names = new HashMap<>();
      for (Instance i : view.instances()) {
        if (i.state() != InstanceState.TERMINATED) {
          ids.putIfAbsent(i.id(), i);
          names.putIfAbsent(i.name(), i);
        }
      }
      liveById.put(vm.cloud(), ids);
      liveByName.put(vm.cloud(), names);
    }
    InstanceId id = vm.instanceId();
    return id != null ? liveById.get(vm.cloud()).get(id) : liveByName.get(vm.cloud()).get(vm.id());
  }

  private @Nullable List<Supply.Source> supplySources;
  /**
   * The last plan's supply and the names of the VMs whose record or worker changed since, until
   * {@link #supplySources} takes them; null when the supply is computed anew.
   */
  private @Nullable List<Supply.Source> lastSources;
  private @Nullable Set<VmId> changedVms;
  /** Whether the supply was the last plan's brought up to date (for tests). */
  boolean sourcesFromLast;

  /**
   * The snapshot's VMs that are supply ({@link Supply#sources}), computed on first use: the last
   * plan's, with the VMs whose record or worker changed computed again, when the groups and
   * allocations are the same and neither plan adopts anything; else computed anew.
   */
  List<Supply.Source> supplySources() {
    if (supplySources == null) {
      if (lastSources != null && changedVms != null) {
        List<Supply.Source> changed = new ArrayList<>();
        for (VmId id : changedVms) {
          Vm vm = vmNamed(id);
          Supply.Source src = vm == null ? null : Supply.source(this, vm, allocation(vm.group(), vm.cloud()));
          if (src != null) {
            changed.add(src);
          }
        }
        changed.sort(Comparator.comparing((Supply.Source x) -> x.vm().id()));
        // merge the kept sources and the changed ones, both in name order (the order of vms)
        List<Supply.Source> out = new ArrayList<>(lastSources.size() + changed.size());
        int j = 0;
        for (Supply.Source src : lastSources) {
          if (changedVms.contains(src.vm().id())) {
            continue;
          }
          while (j < changed.size() && changed.get(j).vm().id().compareTo(src.vm().id()) < 0) {
            out.add(changed.get(j++));
          }
          out.add(src);
        }
        while (j < changed.size()) {
          out.add(changed.get(j++));
        }
        supplySources = out;
        sourcesFromLast = true;
      } else {
        supplySources = Supply.sources(this);
      }
      lastSources = null;
      changedVms = null;
    }
    return supplySources;
  }

  /** The VM of {@link #byName} of that name, or null. */
  private @Nullable Vm vmNamed(VmId id) {
    int lo = 0;
    int hi = byName.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = byName.get(mid).id().compareTo(id);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return byName.get(mid);
      }
    }
    return null;
  }

  @Nullable Worker worker(VmId vm) {
    return workers.get(vm);
  }

  /**
   * The keep-alive of a VM: its own (asked by its jobs or group at boot) if {@code useVmKeepAlive},
   * else the allocation's or group's default, else the engine's; never below the floor.
   */
  Duration keepAlive(Vm vm, boolean useVmKeepAlive) {
    Duration d = useVmKeepAlive ? vm.keepAlive() : null;
    if (d == null) {
      d = defaults(vm.group(), vm.cloud()).keepAlive();
    }
    if (d == null) {
      d = snapshot.settings().timers().keepAlive();
    }
    Duration floor = snapshot.settings().timers().keepAliveFloor();
    return d.compareTo(floor) < 0 ? floor : d;
  }

  /**
   * Whether a VM of {@link #vms} is an instance this plan adopts: capacity, but not acted on
   * before its record is written.
   *
   * @param vm the VM
   * @return true for an adoptee
   */
  boolean isAdoptee(Vm vm) {
    return !adoptees.isEmpty() && adoptees.contains(vm.id());
  }

  boolean isManual(Vm vm) {
    return vm.manual() || vm.state() == org.csv2.model.VmState.MANUAL;
  }
}
