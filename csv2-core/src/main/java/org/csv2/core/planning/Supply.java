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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.model.Allocation;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.jspecify.annotations.Nullable;

/**
 * Supply already coming or already free: VMs REQUESTED, BOOTING or UNREGISTERED (their whole
 * flavor, or what their worker reports free if it already registered) and the free resources of
 * IDLE and RUNNING workers (draining workers give nothing). Idle jobs are packed onto it before
 * any new VM is planned: partitionable slots take several jobs while their free resources fit.
 *
 * <p>A job fits a supply VM when the VM is of its group, on a cloud its alias and explicit clouds
 * allow, booted for its alias (a VM advertises the alias it was booted for, and a job that names
 * an alias only matches such VMs; a job without alias matches any), with the job's image if it
 * names one, with a flavor its instance-type hint allows, and at a price within its maximum.
 * Within a group, registered workers are filled before starting VMs, older VMs before newer ones
 * (so a plan's own VMs, once applied, are filled last, as they were planned), then the VMs that
 * the fewest of the group's shapes could use (a job that may run anywhere takes the VM nobody else
 * wants, and leaves the VM with the image or flavor some other job needs), then VMs of
 * PREFERRED allocations before OPPORTUNISTIC ones, each by allocation priority (the order new VMs
 * are planned in), then the one with the least free room first (best fit), so big
 * free VMs stay free for big jobs. Shapes are packed in the group's shape order (job priority, then largest first).
 * MANUAL VMs are never supply.
 */
final class Supply {
  static final class Unit {
    final Vm vm;
    final boolean registered;
    /** The planned VM this unit stands for, or null for a VM of the snapshot. */
    final @Nullable PlannedVm plan;
    Resources free;
    int taken;
    /** How many of its group's shapes could use it (set by {@link #packAll}). */
    int wantedBy;
    /** Set while {@link #reorder} moves it. */
    boolean moved;
    /**
     * The order new VMs are planned in: PREFERRED allocations, then OPPORTUNISTIC, each by
     * priority; VMs without allocation last.
     */
    final long allocationRank;

    Unit(Vm vm, boolean registered, Resources free, @Nullable PlannedVm plan, @Nullable Allocation a) {
      this.vm = vm;
      this.registered = registered;
      this.free = free;
      this.plan = plan;
      long mode = a != null && a.mode() == org.csv2.model.AllocationMode.OPPORTUNISTIC ? 1L << 32 : 0;
      this.allocationRank = a == null ? Long.MAX_VALUE : mode + a.priority() - (long) Integer.MIN_VALUE;
    }
  }

  /** Per group, its units (in packing order once {@link #packAll} sorted them); built at the first packing. */
  private @Nullable Map<GroupName, List<Unit>> byGroup;
  private final PlanningIndex index;
  private final List<PlannedVm> planned;
  private final Set<VmId> used = new HashSet<>();
  private final Comparator<Unit> order;

  Supply(PlanningIndex index) {
    this(index, List.of());
  }

  /**
   * The supply after a plan's VMs were booted: the snapshot's, plus each planned VM as a
   * REQUESTED VM created now (what the next snapshot will show once the plan is applied).
   */
  Supply(PlanningIndex index, List<PlannedVm> planned) {
    this.order = Supply::compare;
    this.index = index;
    this.planned = planned;
  }

  private Map<GroupName, List<Unit>> units() {
    if (byGroup != null) {
      return byGroup;
    }
    Map<GroupName, List<Unit>> byGroup = new TreeMap<>();
    this.byGroup = byGroup;
    for (Source src : index.supplySources()) {
      byGroup
          .computeIfAbsent(src.vm().group(), k -> new ArrayList<>())
          .add(new Unit(src.vm(), src.registered(), src.free(), null, src.allocation()));
    }
    String self = index.snapshot.settings().instanceId();
    for (PlannedVm p : planned) {
      byGroup
          .computeIfAbsent(p.group, k -> new ArrayList<>())
          .add(
              new Unit(
                  p.asRequested(self, index.snapshot.now()), false, p.flavor.resources(), p,
                  index.allocation(p.group, p.candidate.cloud())));
    }
    return byGroup; // each group's units are sorted when its shapes are packed (packAll)
  }

  /**
   * A VM of the snapshot that is supply, with what it offers: the same for every supply of one
   * plan, so computed once ({@link PlanningIndex#supplySources()}).
   *
   * @param vm the VM
   * @param registered whether its worker registered (IDLE or RUNNING)
   * @param free what it offers
   * @param allocation its group's allocation on its cloud, or null
   */
  record Source(Vm vm, boolean registered, Resources free, @Nullable Allocation allocation) {}

  /** The snapshot's VMs that are supply (see the class comment), in the index's VM order. */
  static List<Source> sources(PlanningIndex index) {
    List<Source> out = new ArrayList<>();
    // VMs come by name, which starts with group and cloud: runs share their allocation
    GroupName lastGroup = null;
    org.csv2.model.CloudName lastCloud = null;
    Allocation lastAllocation = null;
    for (Vm vm : index.vms) {
      if (!vm.group().equals(lastGroup) || !vm.cloud().equals(lastCloud)) {
        lastGroup = vm.group();
        lastCloud = vm.cloud();
        lastAllocation = index.allocation(lastGroup, lastCloud);
      }
      Source src = source(index, vm, lastAllocation);
      if (src != null) {
        out.add(src);
      }
    }
    return out;
  }

  /**
   * What one VM offers as supply (see the class comment).
   *
   * @param index the snapshot's index (its workers and held groups)
   * @param vm the VM
   * @param allocation its group's allocation on its cloud, or null
   * @return its supply, or null when it offers none
   */
  static @Nullable Source source(PlanningIndex index, Vm vm, @Nullable Allocation allocation) {
    if (index.isManual(vm) || !index.holds(vm.group())) {
      return null;
    }
    Worker w = index.worker(vm.id());
    Resources free;
    boolean registered;
    if (vm.state().isStarting()) {
      free = w != null ? w.free() : vm.resources();
      registered = false;
    } else if (vm.state() == VmState.IDLE || vm.state() == VmState.RUNNING) {
      free = w != null ? w.free() : Resources.ZERO;
      registered = true;
    } else {
      return null;
    }
    return free.cores() > 0 ? new Source(vm, registered, free, allocation) : null;
  }

  /**
   * The packing order of the class comment, field by field: registered first, then oldest, then
   * wanted by the fewest shapes, then by allocation (mode, priority), then least free room, then
   * names (so that no two units compare equal). Written out rather than chained from key
   * extractors: it runs for every comparison of every re-sort while packing.
   */
  static int compare(Unit a, Unit b) {
    int c = Boolean.compare(!a.registered, !b.registered);
    if (c != 0) return c;
    c = a.vm.createdAt().compareTo(b.vm.createdAt());
    if (c != 0) return c;
    c = Integer.compare(a.wantedBy, b.wantedBy);
    if (c != 0) return c;
    c = Long.compare(a.allocationRank, b.allocationRank);
    if (c != 0) return c;
    c = Integer.compare(a.free.cores(), b.free.cores());
    if (c != 0) return c;
    c = Long.compare(a.free.ramMiB(), b.free.ramMiB());
    if (c != 0) return c;
    c = a.vm.cloud().compareTo(b.vm.cloud());
    if (c != 0) return c;
    c = a.vm.flavor().compareTo(b.vm.flavor());
    if (c != 0) return c;
    c = (a.vm.alias() == null ? "" : a.vm.alias().value()).compareTo(b.vm.alias() == null ? "" : b.vm.alias().value());
    if (c != 0) return c;
    c = a.vm.image().compareTo(b.vm.image());
    if (c != 0) return c;
    c = Double.compare(a.vm.pricePerHour(), b.vm.pricePerHour());
    return c != 0 ? c : a.vm.id().compareTo(b.vm.id());
  }

  /**
   * Packs as many remaining jobs of the shape as fit onto the supply of its group.
   *
   * @param d the shape; its {@code remaining} and {@code onSupply} are updated
   */
  void pack(ShapeDemand d) {
    if (d.remaining == 0) {
      return;
    }
    List<Unit> units = units().get(d.shape.group());
    if (units == null) {
      return;
    }
    Resources req = d.shape.request();
    List<Unit> changed = null;
    int first = 0;
    int last = 0;
    for (int i = 0, size = units.size(); i < size; i++) {
      if (d.remaining == 0) {
        break;
      }
      Unit u = units.get(i);
      Vm vm = u.vm;
      if (!req.fitsIn(u.free) || !d.fits(vm.cloud(), vm.flavor(), vm.pricePerHour(), vm.alias(), vm.image())) {
        continue;
      }
      int n = Math.min(d.remaining, u.free.howMany(req));
      u.free = u.free.minus(req.times(n));
      u.taken += n;
      if (u.plan != null) {
        u.plan.jobs.merge(d, n, Integer::sum);
      }
      d.remaining -= n;
      d.onSupply += n;
      used.add(vm.id());
      if (changed == null) {
        changed = new ArrayList<>();
        first = i;
      }
      changed.add(u);
      last = i;
    }
    if (changed != null) {
      reorder(units, changed, first, last);
    }
  }

  /**
   * Puts units whose free room changed back in packing order. The others are still in order, so
   * the changed ones are sorted alone and merged back, and only the stretch of the list between
   * the first and last place they can go is rewritten, found by binary search (a full re-sort per
   * packed shape was most of a plan at 200 clouds, where a group has thousands of VMs). The order
   * is total (it ends with the VM's id), so the result is the one a full sort gives.
   *
   * @param units the group's units, in order except for {@code changed}
   * @param changed the units whose room changed, in list order
   * @param first the index of the first of them
   * @param last the index of the last of them
   */
  static void reorder(List<Unit> units, List<Unit> changed, int first, int last) {
    if (changed.size() * 8 >= units.size()) {
      units.sort(Supply::compare);
      return;
    }
    for (Unit u : changed) {
      u.moved = true;
    }
    changed.sort(Supply::compare);
    // the stretch [from, to): before `first` and from `last + 1` on, the unmoved units are in
    // order; the moved ones land between the places of the smallest and the largest of them
    int from = insertionPoint(units, 0, first, changed.get(0));
    int to = Math.max(last + 1, insertionPoint(units, last + 1, units.size(), changed.get(changed.size() - 1)));
    Unit[] rest = new Unit[to - from - changed.size()];
    int r = 0;
    for (int i = from; i < to; i++) {
      Unit u = units.get(i);
      if (!u.moved) {
        rest[r++] = u;
      }
    }
    int next = 0; // rest[next..] is not yet copied back
    int k = from;
    for (Unit m : changed) {
      m.moved = false;
      int lo = next;
      int hi = r;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compare(rest[mid], m) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      while (next < lo) {
        units.set(k++, rest[next++]);
      }
      units.set(k++, m);
    }
    while (next < r) {
      units.set(k++, rest[next++]);
    }
  }

  /** The first index in {@code units[lo, hi)} (in order) whose unit comes after {@code u}. */
  private static int insertionPoint(List<Unit> units, int lo, int hi, Unit u) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(units.get(mid), u) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Packs the idle jobs of a group's shapes onto its supply, in the group's planning order
   * ({@link Shapes#PLANNING}): the order the batch system would serve them in, and among equal
   * priorities the most constrained first, so that a job with few options is not crowded out by
   * one that may run anywhere. New VMs are filled in the same order, so a plan, once applied, is
   * found again as supply.
   *
   * @param shapes the group's shapes in planning order
   */
  void packAll(List<ShapeDemand> shapes) {
    if (shapes.isEmpty()) {
      return;
    }
    List<Unit> units = units().get(shapes.get(0).shape.group());
    if (units == null) {
      return;
    }
    // Units alike in everything the shapes look at are wanted by as many: count once per kind
    // (a plan's own VMs, thousands at 200 clouds, come in few kinds).
    Map<Kind, Integer> wanted = new HashMap<>();
    for (Unit u : units) {
      Vm vm = u.vm;
      u.wantedBy =
          wanted.computeIfAbsent(
              new Kind(vm.cloud(), vm.flavor(), vm.pricePerHour(), vm.alias(), vm.image(), u.free),
              k -> {
                int n = 0;
                for (ShapeDemand d : shapes) {
                  if (d.shape.request().fitsIn(k.free()) && d.fits(k.cloud(), k.flavor(), k.price(), k.alias(), k.image())) {
                    n++;
                  }
                }
                return n;
              });
    }
    units.sort(order);
    for (ShapeDemand d : shapes) {
      pack(d);
    }
  }

  /** What a shape looks at to tell whether its jobs may run on a unit. */
  private record Kind(
      org.csv2.model.CloudName cloud,
      org.csv2.model.FlavorName flavor,
      double price,
      org.csv2.model.@Nullable AliasName alias,
      String image,
      Resources free) {}

  /** Whether idle jobs were packed onto a VM this plan (so it must not be retired as idle). */
  boolean inUse(VmId vm) {
    return used.contains(vm);
  }
}
