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
 */
final class PlanningIndex {
  final Snapshot snapshot;
  final Map<GroupName, Group> groups = new TreeMap<>();
  final Map<GroupCloud, Allocation> allocations = new HashMap<>();
  /** Per group, its allocations by priority then cloud name. */
  final Map<GroupName, List<Allocation>> allocationsByGroup = new TreeMap<>();
  final Map<GroupName, Map<AliasName, Alias>> aliases = new HashMap<>();
  final Map<CloudName, CloudView> clouds = new TreeMap<>();
  final Map<VmId, Worker> workers;
  /**
   * The names of the VMs that are not TERMINATED: an instance named after one of them is that VM,
   * not an orphan to adopt. A TERMINATED record holds nothing, so an instance that outlived it (a
   * boot reply that came late) is adopted again.
   */
  final Set<VmId> knownVms;
  /** The names of the TERMINATED VM records. */
  final Set<VmId> terminatedVms = new HashSet<>();
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
   * How many flavors of each allocation of a group (in {@link #allocationsOf} order; -1 when not
   * counted yet) qualify for shapes alike in what flavors are checked against ({@link
   * Candidates#compute}): counted once per plan, not once per shape.
   */
  final Map<Candidates.CountKey, int[]> candidateCounts = new HashMap<>();

  PlanningIndex(Snapshot s) {
    this.snapshot = s;
    for (Group g : s.groups()) {
      groups.putIfAbsent(g.name(), g);
      held.putIfAbsent(g.name(), g);
    }
    for (Allocation a : s.allocations()) {
      if (allocations.putIfAbsent(new GroupCloud(a.group(), a.cloud()), a) == null) {
        allocationsByGroup.computeIfAbsent(a.group(), k -> new ArrayList<>()).add(a);
      }
    }
    for (List<Allocation> l : allocationsByGroup.values()) {
      l.sort(Comparator.comparingInt(Allocation::priority).thenComparing(Allocation::cloud));
    }
    for (Alias a : s.aliases()) {
      aliases.computeIfAbsent(a.group(), k -> new HashMap<>()).putIfAbsent(a.name(), a);
    }
    for (CloudView v : s.clouds()) {
      clouds.putIfAbsent(v.cloud().name(), v);
    }
    this.workers = new HashMap<>(capacity(s.workers().size()));
    for (Worker w : s.workers()) {
      workers.merge(w.vm(), w, PlanningIndex::merge);
    }
    List<Vm> vs = s.vms();
    if (!sortedById(vs)) {
      vs = new ArrayList<>(vs);
      vs.sort(Comparator.comparing(Vm::id));
    }
    List<Vm> unique = new ArrayList<>(vs.size());
    this.knownVms = new HashSet<>(capacity(vs.size()));
    VmId previous = null;
    for (Vm v : vs) {
      if (!v.id().equals(previous)) { // sorted: a name given twice comes twice in a row
        previous = v.id();
        unique.add(v);
        (v.state() == VmState.TERMINATED ? terminatedVms : knownVms).add(v.id());
      }
    }
    List<Adoptions.Orphan> orphans = Adoptions.find(this, null);
    if (!orphans.isEmpty()) {
      // a TERMINATED record of the same name is replaced by the adopted one
      Map<VmId, Vm> byName = new TreeMap<>();
      for (Vm v : unique) {
        byName.put(v.id(), v);
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
          byName.put(o.instance().name(), Adoptions.asVm(o.instance(), o.group(), o.view().cloud().name(), flavor, s.now(), "to adopt"));
        }
      }
      unique = new ArrayList<>(byName.values());
    }
    this.vms = Collections.unmodifiableList(unique);
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

  private final Map<GroupName, Group> held = new HashMap<>();

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

  /** The snapshot's VMs that are supply, computed on first use ({@link Supply#sources}). */
  List<Supply.Source> supplySources() {
    if (supplySources == null) {
      supplySources = Supply.sources(this);
    }
    return supplySources;
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
