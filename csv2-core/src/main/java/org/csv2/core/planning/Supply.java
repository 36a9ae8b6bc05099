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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** How many of its group's shapes could use it (set when its group is first packed). */
    int wantedBy;
    /** Its kind as far as {@link ShapeDemand#fits} looks (see {@link Supply#fitKinds}). */
    int kind;
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

    /** A copy, to be packed, of a unit that is never packed (see {@link Supply#sourceSeeds}). */
    private Unit(Unit seed) {
      this.vm = seed.vm;
      this.registered = seed.registered;
      this.free = seed.free;
      this.plan = seed.plan;
      this.allocationRank = seed.allocationRank;
      this.wantedBy = seed.wantedBy;
      this.kind = seed.kind;
    }
  }

  /** Per group, its units in packing order, as its last packing left them. */
  private final Map<GroupName, List<Unit>> byGroup = new HashMap<>();
  /** Per group, the planned VMs its last packing included (absent: not packed yet). */
  private final Map<GroupName, List<PlannedVm>> packedWith = new HashMap<>();
  /**
   * Per group, its snapshot units as they are before any packing, in packing order; and per
   * planned VM its unit before any packing. Packing a group again starts from copies of them: what
   * they hold (the VM, what it offers, how many of the group's shapes could use it) does not change
   * within a plan.
   */
  private final Map<GroupName, List<Unit>> sourceSeeds = new HashMap<>();
  private final Map<PlannedVm, Unit> plannedSeeds = new IdentityHashMap<>();
  /** Per group, how many of its shapes could use a unit of a kind and free room. */
  private final Map<GroupName, Map<Kind, Integer>> wanted = new HashMap<>();
  /** The snapshot's supply by group, split on first use. */
  private @Nullable Map<GroupName, List<Source>> sourcesByGroup;
  /**
   * Per group, a number per kind of its VMs as far as {@link ShapeDemand#fits} looks (cloud,
   * flavor, price, alias, image): what a shape was found to accept on one VM holds for every VM of
   * its kind.
   */
  private final Map<GroupName, Map<FitKind, Integer>> fitKinds = new HashMap<>();
  /** Per shape, per kind of its group's VMs: 0 not asked yet, 1 fits, 2 does not. */
  private final Map<ShapeDemand, byte[]> fitMemo = new IdentityHashMap<>();
  private final PlanningIndex index;
  private final Set<VmId> used = new HashSet<>();

  /**
   * The supply of a snapshot, to be packed group by group: first without planned VMs ({@link
   * #packAll}), then, while a plan settles, with the group's planned VMs ({@link #packAgain}).
   *
   * @param index the snapshot's index
   */
  Supply(PlanningIndex index) {
    this.index = index;
  }

  /** The group's snapshot units before any packing, in packing order; built at its first packing. */
  private List<Unit> sourceSeeds(GroupName g, List<ShapeDemand> shapes) {
    List<Unit> seeds = sourceSeeds.get(g);
    if (seeds != null) {
      return seeds;
    }
    if (sourcesByGroup == null) {
      sourcesByGroup = new HashMap<>();
      for (Source src : index.supplySources()) {
        sourcesByGroup.computeIfAbsent(src.vm().group(), k -> new ArrayList<>()).add(src);
      }
    }
    seeds = new ArrayList<>();
    for (Source src : sourcesByGroup.getOrDefault(g, List.of())) {
      seeds.add(seed(new Unit(src.vm(), src.registered(), src.free(), null, src.allocation()), shapes));
    }
    seeds.sort(Supply::compare);
    sourceSeeds.put(g, seeds);
    return seeds;
  }

  /** Sets a new unit's kind and how many of its group's shapes could use it. */
  private Unit seed(Unit u, List<ShapeDemand> shapes) {
    Vm vm = u.vm;
    Map<FitKind, Integer> kinds = fitKinds.computeIfAbsent(vm.group(), k -> new HashMap<>());
    u.kind =
        kinds.computeIfAbsent(
            new FitKind(vm.cloud(), vm.flavor(), vm.pricePerHour(), vm.alias(), vm.image()), k -> kinds.size());
    // Units alike in everything the shapes look at are wanted by as many: count once per kind
    // (a plan's own VMs, thousands at 200 clouds, come in few kinds).
    u.wantedBy =
        wanted
            .computeIfAbsent(vm.group(), k -> new HashMap<>())
            .computeIfAbsent(
                new Kind(u.kind, u.free),
                k -> {
                  int n = 0;
                  for (ShapeDemand d : shapes) {
                    if (d.shape.request().fitsIn(u.free) && fits(memo(d, kinds.size()), d, u)) {
                      n++;
                    }
                  }
                  return n;
                });
    return u;
  }

  /** The shape's answers per kind of VM of its group ({@link #fitMemo}), room for {@code kinds}. */
  private byte[] memo(ShapeDemand d, int kinds) {
    byte[] memo = fitMemo.get(d);
    if (memo == null || memo.length < kinds) {
      memo = Arrays.copyOf(memo == null ? new byte[0] : memo, Math.max(kinds, memo == null ? 0 : 2 * memo.length));
      fitMemo.put(d, memo);
    }
    return memo;
  }

  /** Whether jobs of the shape may run on the unit's VM ({@link ShapeDemand#fits}), once per kind. */
  private static boolean fits(byte[] memo, ShapeDemand d, Unit u) {
    byte m = memo[u.kind];
    if (m == 0) {
      Vm vm = u.vm;
      m = d.fits(vm.cloud(), vm.flavor(), vm.pricePerHour(), vm.alias(), vm.image()) ? (byte) 1 : (byte) 2;
      memo[u.kind] = m;
    }
    return m == 1;
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
   * @param units the group's units, in packing order (kept so)
   * @param d the shape; its {@code remaining} and {@code onSupply} are updated
   */
  private void pack(List<Unit> units, ShapeDemand d) {
    if (d.remaining == 0 || units.isEmpty()) {
      return;
    }
    Resources req = d.shape.request();
    byte[] memo = memo(d, fitKinds.get(d.shape.group()).size());
    List<Unit> changed = null;
    int first = 0;
    int last = 0;
    for (int i = 0, size = units.size(); i < size; i++) {
      if (d.remaining == 0) {
        break;
      }
      Unit u = units.get(i);
      if (!req.fitsIn(u.free) || !fits(memo, d, u)) {
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
      used.add(u.vm.id());
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
   * @param shapes the group's shapes in planning order, each with its {@code remaining} jobs
   */
  void packAll(List<ShapeDemand> shapes) {
    if (!shapes.isEmpty()) {
      pack(shapes, List.of());
    }
  }

  /**
   * Packs a group's idle jobs again, from the start, onto its supply plus its planned VMs (as
   * REQUESTED VMs created now: what the next snapshot shows once the plan is applied), unless this
   * supply's last packing of the group was with the same planned VMs: packing is a function of the
   * group's units and shapes alone, so it would give the same again (settling packs only the
   * groups whose planned VMs changed).
   *
   * @param shapes the group's shapes in planning order; packing resets their {@code remaining} and
   *     {@code onSupply} and the planned VMs' {@code jobs}
   * @param planned the group's planned VMs, in the order they were planned
   * @return false when the group was last packed with the same planned VMs (nothing was done)
   */
  boolean packAgain(List<ShapeDemand> shapes, List<PlannedVm> planned) {
    if (shapes.isEmpty()) {
      return false;
    }
    List<PlannedVm> last = packedWith.get(shapes.get(0).shape.group());
    // PlannedVm keeps Object's equals: the same VMs in the same order
    if (last != null && last.equals(planned)) {
      return false;
    }
    for (PlannedVm v : planned) {
      v.jobs.clear();
    }
    for (ShapeDemand d : shapes) {
      d.remaining = d.count;
      d.onSupply = 0;
    }
    pack(shapes, planned);
    return true;
  }

  /** Packs a group's shapes from the start onto fresh copies of its units plus the planned VMs'. */
  private void pack(List<ShapeDemand> shapes, List<PlannedVm> planned) {
    GroupName g = shapes.get(0).shape.group();
    List<Unit> old = byGroup.get(g);
    if (old != null) {
      for (Unit u : old) {
        if (u.taken > 0) {
          used.remove(u.vm.id());
        }
      }
    }
    List<Unit> seeds = sourceSeeds(g, shapes);
    List<Unit> units = new ArrayList<>(seeds.size() + planned.size());
    for (Unit s : seeds) {
      units.add(new Unit(s));
    }
    if (!planned.isEmpty()) {
      String self = index.snapshot.settings().instanceId();
      for (PlannedVm p : planned) {
        Unit seed =
            plannedSeeds.computeIfAbsent(
                p,
                k ->
                    seed(
                        new Unit(
                            k.asRequested(self, index.snapshot.now()), false, k.flavor.resources(), k,
                            index.allocation(k.group, k.candidate.cloud())),
                        shapes));
        units.add(new Unit(seed));
      }
      units.sort(Supply::compare); // the snapshot's units are in order already: one merge
    }
    byGroup.put(g, units);
    packedWith.put(g, List.copyOf(planned));
    for (ShapeDemand d : shapes) {
      pack(units, d);
    }
  }

  /** What a shape looks at to tell whether its jobs may run on a unit ({@link ShapeDemand#fits}). */
  private record FitKind(
      org.csv2.model.CloudName cloud,
      org.csv2.model.FlavorName flavor,
      double price,
      org.csv2.model.@Nullable AliasName alias,
      String image) {}

  /** What decides how many of a group's shapes could use a unit: its kind and free room. */
  private record Kind(int fitKind, Resources free) {}

  /** Whether idle jobs were packed onto a VM this plan (so it must not be retired as idle). */
  boolean inUse(VmId vm) {
    return used.contains(vm);
  }
}
