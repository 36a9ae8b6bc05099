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

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.OpportunisticPolicy;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * What each group may still use on each cloud: the one place where quotas, caps and soft ceilings
 * are computed.
 *
 * <p>For a group {@code g} on a cloud {@code c}, with {@code a} its allocation there:
 *
 * <pre>
 *   used(g,c)     = cores/RAM/instances of g's VMs on c that hold capacity (every state but
 *                   TERMINATED, REQUESTED and MANUAL included)
 *   counted(c)    = the same over ALL this engine's VMs on c that the cloud already counts
 *                   (every state but TERMINATED and REQUESTED: a REQUESTED VM has no answer from
 *                   the cloud yet, so its usage report cannot include it)
 *   external(c)   = max(0, reported used(c) - counted(c))     usage by anybody else, per component
 *   foreign(g,c)  = external(c) + (all this engine's VMs on c holding capacity) - used(g,c)
 *                 = everything on c that is not g
 *   cores room    = min(a.coresCtl, a.coresSoftmax - foreign.cores, quota.cores - foreign.cores)
 *                   - used.cores
 *   RAM room      = min(a.ramCtl, quota.ram - foreign.ram) - used.ram
 *   instance room = quota.instances - foreign.instances - used.instances
 * </pre>
 *
 * Each term is dropped when its control is {@link Limits#UNLIMITED}; with no term left the room is
 * unlimited. On an OPPORTUNISTIC allocation of a cloud whose administrators govern opportunistic
 * use ({@link OpportunisticPolicy}), two more terms: {@code policy.cores - (opp(c).cores -
 * used.cores)} and the same for instances, where {@code opp(c)} is what all of this engine's
 * opportunistic groups hold on {@code c}; a group the policy does not allow, or a reclaim, makes
 * both terms 0. These terms limit boots only: {@link #excess} leaves them out, because shedding to
 * a shared cap is done once per cloud ({@link Retirements#administrators}), not once per group. A REQUESTED VM is therefore debited exactly once: through {@code used} (and through
 * {@code foreign} of the other groups), never through {@code external}.
 *
 * <p>{@link #debit} books a planned VM: it grows {@code used(g,c)} and with it {@code foreign} of
 * every other group on {@code c}, so one plan never books the same capacity twice, across groups
 * too. A booking on a cloud may also not push the cloud's total cores above the soft ceiling
 * ({@code coresSoftmax}) of any other group of this engine that holds VMs there: the engine never
 * puts one of its own groups over its softmax (which would make it shed VMs next cycle). This
 * rule depends only on the VMs, so planning again after a plan is applied finds the same room.
 *
 * <p>Not thread-safe; one ledger lives for one plan.
 */
final class CapacityLedger {
  /** The value of an unlimited room. */
  static final long UNLIMITED = Long.MAX_VALUE;

  /**
   * Room in the three limited dimensions; {@link #UNLIMITED} where nothing limits. Negative when
   * the group is already over a limit.
   *
   * @param cores cores
   * @param ramMiB memory in MiB
   * @param instances VMs
   */
  record Room(long cores, long ramMiB, long instances) {}

  private final Map<CloudName, Limits> quota = new HashMap<>();
  private final Map<CloudName, long[]> external = new HashMap<>();
  private final Map<CloudName, long[]> engine = new HashMap<>();
  private final Map<GroupCloud, long[]> used = new HashMap<>();
  private final Map<CloudName, java.util.List<Allocation>> softmaxes = new HashMap<>();
  private final Map<GroupCloud, Allocation> allocations;
  private final Map<CloudName, OpportunisticPolicy> policies = new HashMap<>();
  /** Per cloud and per (group, cloud): this engine's VMs there that are TERMINATING. */
  private final Map<CloudName, long[]> terminating = new HashMap<>();

  private final Map<GroupCloud, long[]> terminatingOf = new HashMap<>();

  /** Per cloud: what this engine's groups hold there on OPPORTUNISTIC allocations. */
  private final Map<CloudName, long[]> opportunistic = new HashMap<>();

  /**
   * Builds the ledger.
   *
   * @param capacities what each cloud reports (a cloud not listed has no quota)
   * @param allocations the allocations by (group, cloud)
   * @param vms this engine's VMs
   */
  CapacityLedger(
      Map<CloudName, CloudCapacity> capacities,
      Map<GroupCloud, Allocation> allocations,
      Collection<Vm> vms) {
    this(capacities, Map.of(), allocations, vms);
  }

  /**
   * Builds the ledger with what administrators allow opportunistic groups.
   *
   * @param capacities what each cloud reports (a cloud not listed has no quota)
   * @param policies the administrators' policy per cloud (a cloud not listed governs nothing)
   * @param allocations the allocations by (group, cloud)
   * @param vms this engine's VMs
   */
  CapacityLedger(
      Map<CloudName, CloudCapacity> capacities,
      Map<CloudName, OpportunisticPolicy> policies,
      Map<GroupCloud, Allocation> allocations,
      Collection<Vm> vms) {
    this(capacities, policies, allocations, VmSums.of(vms, allocations));
  }

  /**
   * Builds the ledger from the VMs' sums.
   *
   * @param capacities what each cloud reports (a cloud not listed has no quota)
   * @param policies the administrators' policy per cloud (a cloud not listed governs nothing)
   * @param allocations the allocations by (group, cloud), those the sums were made with
   * @param sums this engine's VMs summed ({@link VmSums}; copied, not changed)
   */
  CapacityLedger(
      Map<CloudName, CloudCapacity> capacities,
      Map<CloudName, OpportunisticPolicy> policies,
      Map<GroupCloud, Allocation> allocations,
      VmSums sums) {
    this.allocations = allocations;
    policies.forEach((c, p) -> {
      if (p.governed()) this.policies.put(c, p);
    });
    for (Allocation a : allocations.values()) {
      if (a.coresSoftmax() != Limits.UNLIMITED) {
        softmaxes.computeIfAbsent(a.cloud(), k -> new java.util.ArrayList<>()).add(a);
      }
    }
    VmSums.copy(sums.engine, engine);
    VmSums.copy(sums.used, used);
    VmSums.copy(sums.opportunistic, opportunistic);
    VmSums.copy(sums.terminating, terminating);
    VmSums.copy(sums.terminatingOf, terminatingOf);
    for (Map.Entry<CloudName, CloudCapacity> e : capacities.entrySet()) {
      quota.put(e.getKey(), e.getValue().max());
      Limits u = e.getValue().used();
      long[] c = sums.counted.getOrDefault(e.getKey(), new long[3]);
      external.put(
          e.getKey(),
          new long[] {
            Math.max(0, Math.max(0, u.cores()) - c[0]),
            Math.max(0, Math.max(0, u.ramMiB()) - c[1]),
            Math.max(0, Math.max(0, u.instances()) - c[2])
          });
    }
  }

  /**
   * What this engine's VMs that hold capacity add up to, per cloud and per (group, cloud): the
   * part of the ledger that depends on the VMs alone. Sums, so a plan's index keeps them and
   * brings them up to date from the VMs that changed ({@link #add} with -1 and +1) instead of
   * adding every VM again.
   *
   * <p><b>Thread safety:</b> not thread-safe; one plan's, then handed to the next.
   */
  static final class VmSums {
    private final Map<CloudName, long[]> engine = new HashMap<>();
    private final Map<GroupCloud, long[]> used = new HashMap<>();
    /** Per cloud: the VMs the cloud already counts (all but REQUESTED). */
    private final Map<CloudName, long[]> counted = new HashMap<>();
    private final Map<CloudName, long[]> opportunistic = new HashMap<>();
    private final Map<CloudName, long[]> terminating = new HashMap<>();
    private final Map<GroupCloud, long[]> terminatingOf = new HashMap<>();
    private final Map<GroupCloud, Allocation> allocations;

    private VmSums(Map<GroupCloud, Allocation> allocations) {
      this.allocations = allocations;
    }

    /**
     * Sums VMs.
     *
     * @param vms the VMs
     * @param allocations the allocations by (group, cloud) (which VMs are opportunistic)
     * @return the sums
     */
    static VmSums of(Collection<Vm> vms, Map<GroupCloud, Allocation> allocations) {
      VmSums s = new VmSums(allocations);
      // VMs come by name, which starts with group and cloud: a run of VMs shares its sums
      GroupName lastGroup = null;
      CloudName lastCloud = null;
      long[] engineSum = null;
      long[] usedSum = null;
      long[] countedSum = null;
      long[] oppSum = null;
      for (Vm vm : vms) {
        if (!vm.state().holdsCapacity()) {
          continue;
        }
        if (engineSum == null || !vm.cloud().equals(lastCloud) || !vm.group().equals(lastGroup)) {
          lastGroup = vm.group();
          lastCloud = vm.cloud();
          engineSum = s.engine.computeIfAbsent(lastCloud, k -> new long[3]);
          usedSum = s.used.computeIfAbsent(new GroupCloud(lastGroup, lastCloud), k -> new long[3]);
          countedSum = s.counted.computeIfAbsent(lastCloud, k -> new long[3]);
          oppSum = s.isOpportunistic(lastGroup, lastCloud)
              ? s.opportunistic.computeIfAbsent(lastCloud, k -> new long[3])
              : null;
        }
        CapacityLedger.add(engineSum, vm.resources(), 1);
        CapacityLedger.add(usedSum, vm.resources(), 1);
        if (oppSum != null) {
          CapacityLedger.add(oppSum, vm.resources(), 1);
        }
        if (vm.state() != VmState.REQUESTED) {
          CapacityLedger.add(countedSum, vm.resources(), 1);
        }
        if (vm.state() == VmState.TERMINATING) {
          CapacityLedger.add(s.terminating.computeIfAbsent(lastCloud, k -> new long[3]), vm.resources(), 1);
          CapacityLedger.add(s.terminatingOf.computeIfAbsent(new GroupCloud(lastGroup, lastCloud), k -> new long[3]), vm.resources(), 1);
        }
      }
      return s;
    }

    /** Whether the sums were made with these allocations (the same map). */
    boolean madeWith(Map<GroupCloud, Allocation> allocations) {
      return this.allocations == allocations;
    }

    /**
     * Adds a VM to the sums, or takes it away.
     *
     * @param vm the VM (nothing when it holds no capacity)
     * @param sign 1 to add, -1 to take away
     */
    void add(Vm vm, int sign) {
      if (!vm.state().holdsCapacity()) {
        return;
      }
      GroupCloud gc = new GroupCloud(vm.group(), vm.cloud());
      CloudName c = vm.cloud();
      Resources r = vm.resources();
      CapacityLedger.add(engine.computeIfAbsent(c, k -> new long[3]), r, sign);
      CapacityLedger.add(used.computeIfAbsent(gc, k -> new long[3]), r, sign);
      if (isOpportunistic(vm.group(), c)) {
        CapacityLedger.add(opportunistic.computeIfAbsent(c, k -> new long[3]), r, sign);
      }
      if (vm.state() != VmState.REQUESTED) {
        CapacityLedger.add(counted.computeIfAbsent(c, k -> new long[3]), r, sign);
      }
      if (vm.state() == VmState.TERMINATING) {
        CapacityLedger.add(terminating.computeIfAbsent(c, k -> new long[3]), r, sign);
        CapacityLedger.add(terminatingOf.computeIfAbsent(gc, k -> new long[3]), r, sign);
      }
    }

    /** A copy, to add more VMs to without changing these sums. */
    VmSums copy() {
      VmSums s = new VmSums(allocations);
      copy(engine, s.engine);
      copy(used, s.used);
      copy(counted, s.counted);
      copy(opportunistic, s.opportunistic);
      copy(terminating, s.terminating);
      copy(terminatingOf, s.terminatingOf);
      return s;
    }

    private static <K> void copy(Map<K, long[]> from, Map<K, long[]> to) {
      from.forEach((k, v) -> to.put(k, v.clone()));
    }

    private boolean isOpportunistic(GroupName g, CloudName c) {
      Allocation a = allocations.get(new GroupCloud(g, c));
      return a != null && a.mode() == AllocationMode.OPPORTUNISTIC;
    }
  }

  /** Builds the ledger of a snapshot. */
  static CapacityLedger of(PlanningIndex index) {
    Map<CloudName, CloudCapacity> caps = new HashMap<>();
    Map<CloudName, OpportunisticPolicy> policies = new HashMap<>();
    for (CloudView v : index.clouds.values()) {
      caps.put(v.cloud().name(), v.capacity());
      policies.put(v.cloud().name(), v.opportunistic());
    }
    return new CapacityLedger(caps, policies, index.allocations, index.vmSums());
  }

  private boolean isOpportunistic(GroupName g, CloudName c) {
    Allocation a = allocations.get(new GroupCloud(g, c));
    return a != null && a.mode() == AllocationMode.OPPORTUNISTIC;
  }

  private static void add(long[] acc, Resources r, int n) {
    acc[0] += (long) r.cores() * n;
    acc[1] += r.ramMiB() * n;
    acc[2] += n;
  }

  private static final long[] NONE = new long[3];

  private long[] usedOf(GroupCloud k) {
    return used.getOrDefault(k, NONE);
  }

  /**
   * What the group uses on the cloud (its VMs holding capacity, including those booked by this
   * plan).
   */
  Room used(GroupName g, CloudName c) {
    long[] u = usedOf(new GroupCloud(g, c));
    return new Room(u[0], u[1], u[2]);
  }

  /** Everything on the cloud that is not the group's. */
  Room foreign(GroupName g, CloudName c) {
    long[] f = foreignOf(new GroupCloud(g, c));
    return new Room(f[0], f[1], f[2]);
  }

  private long[] foreignOf(GroupCloud k) {
    long[] ext = external.getOrDefault(k.cloud(), NONE);
    long[] eng = engine.getOrDefault(k.cloud(), NONE);
    long[] u = usedOf(k);
    return new long[] {ext[0] + eng[0] - u[0], ext[1] + eng[1] - u[1], ext[2] + eng[2] - u[2]};
  }

  /**
   * The room left for a group on a cloud, per the formula of the class comment.
   *
   * @param g the group
   * @param c the cloud
   * @return the room; negative components when over a limit
   */
  Room room(GroupName g, CloudName c) {
    return room(g, c, true);
  }

  private Room room(GroupName g, CloudName c, boolean withPolicy) {
    return room(g, c, withPolicy, false);
  }

  /**
   * @param leaving whether to leave out TERMINATING VMs (the group's and others'): they still
   *     count against the quota when booking, but a group is not over its limits because of VMs on
   *     their way out (a preferred group booked into the room of opportunistic VMs terminated for
   *     it), and shedding more VMs would not bring them back sooner
   */
  private Room room(GroupName g, CloudName c, boolean withPolicy, boolean leaving) {
    GroupCloud k = new GroupCloud(g, c);
    @Nullable Allocation a = allocations.get(k);
    Limits q = quota.getOrDefault(c, Limits.NONE);
    long[] f = foreignOf(k);
    long[] u = usedOf(k);
    if (leaving) {
      long[] all = terminating.getOrDefault(c, NONE);
      long[] own = terminatingOf.getOrDefault(k, NONE);
      f = new long[] {f[0] - (all[0] - own[0]), f[1] - (all[1] - own[1]), f[2] - (all[2] - own[2])};
      u = new long[] {u[0] - own[0], u[1] - own[1], u[2] - own[2]};
    }
    long cores = UNLIMITED;
    if (a != null && a.coresCtl() != Limits.UNLIMITED) cores = Math.min(cores, a.coresCtl());
    if (a != null && a.coresSoftmax() != Limits.UNLIMITED) cores = Math.min(cores, a.coresSoftmax() - f[0]);
    if (q.cores() != Limits.UNLIMITED) cores = Math.min(cores, q.cores() - f[0]);
    long ram = UNLIMITED;
    if (a != null && a.ramCtlMiB() != Limits.UNLIMITED) ram = Math.min(ram, a.ramCtlMiB());
    if (q.ramMiB() != Limits.UNLIMITED) ram = Math.min(ram, q.ramMiB() - f[1]);
    long inst = UNLIMITED;
    if (q.instances() != Limits.UNLIMITED) inst = q.instances() - f[2];
    OpportunisticPolicy p = withPolicy ? policies.get(c) : null;
    if (p != null && a != null && a.mode() == AllocationMode.OPPORTUNISTIC) {
      if (!p.allows(g)) {
        cores = Math.min(cores, 0);
        inst = Math.min(inst, 0);
      } else {
        long[] o = opportunistic.getOrDefault(c, NONE);
        if (p.cores() != Limits.UNLIMITED) cores = Math.min(cores, p.cores() - (o[0] - u[0]));
        if (p.instances() != Limits.UNLIMITED) inst = Math.min(inst, p.instances() - (o[2] - u[2]));
      }
    }
    return new Room(
        cores == UNLIMITED ? UNLIMITED : cores - u[0],
        ram == UNLIMITED ? UNLIMITED : ram - u[1],
        inst == UNLIMITED ? UNLIMITED : inst - u[2]);
  }

  /**
   * How many more VMs of these resources the group may book on the cloud now.
   *
   * @param g the group
   * @param c the cloud
   * @param vm one VM's resources
   * @return a non-negative count, {@link Integer#MAX_VALUE} when nothing limits
   */
  int vmsThatFit(GroupName g, CloudName c, Resources vm) {
    Room r = room(g, c);
    long n = Integer.MAX_VALUE;
    n = Math.min(n, per(r.cores(), vm.cores()));
    n = Math.min(n, per(r.ramMiB(), vm.ramMiB()));
    n = Math.min(n, per(r.instances(), 1));
    long cap = othersSoftmax(g, c);
    if (cap != UNLIMITED) {
      long total = external.getOrDefault(c, NONE)[0] + engine.getOrDefault(c, NONE)[0];
      n = Math.min(n, per(cap - total, vm.cores()));
    }
    return (int) Math.max(0, n);
  }

  /** The lowest softmax of the other groups holding VMs on the cloud, or UNLIMITED. */
  private long othersSoftmax(GroupName g, CloudName c) {
    long cap = UNLIMITED;
    for (Allocation a : softmaxes.getOrDefault(c, java.util.List.of())) {
      if (!a.group().equals(g) && usedOf(new GroupCloud(a.group(), c))[2] > 0) {
        cap = Math.min(cap, a.coresSoftmax());
      }
    }
    return cap;
  }

  private static long per(long room, long unit) {
    if (room == UNLIMITED || unit <= 0) {
      return Integer.MAX_VALUE;
    }
    return room <= 0 ? 0 : room / unit;
  }

  /**
   * Books one planned VM.
   *
   * @param g its group
   * @param c its cloud
   * @param vm its resources
   */
  void debit(GroupName g, CloudName c, Resources vm) {
    add(engine.computeIfAbsent(c, k -> new long[3]), vm, 1);
    if (isOpportunistic(g, c)) add(opportunistic.computeIfAbsent(c, k -> new long[3]), vm, 1);
    GroupCloud k = new GroupCloud(g, c);
    add(used.computeIfAbsent(k, x -> new long[3]), vm, 1);
  }

  /**
   * Gives back a VM booked by {@link #debit} that the plan no longer boots.
   *
   * @param g its group
   * @param c its cloud
   * @param vm its resources
   */
  void credit(GroupName g, CloudName c, Resources vm) {
    add(engine.computeIfAbsent(c, k -> new long[3]), vm, -1);
    if (isOpportunistic(g, c)) add(opportunistic.computeIfAbsent(c, k -> new long[3]), vm, -1);
    add(used.computeIfAbsent(new GroupCloud(g, c), x -> new long[3]), vm, -1);
  }

  /**
   * How far a group is over its limits on a cloud: {@code max(0, -room)} per component, leaving
   * out TERMINATING VMs (on their way out, they put no group over its limits).
   *
   * @param g the group
   * @param c the cloud
   * @return the excess (all zero when within every limit)
   */
  Room excess(GroupName g, CloudName c) {
    Room r = room(g, c, false, true);
    return new Room(over(r.cores()), over(r.ramMiB()), over(r.instances()));
  }

  private static long over(long room) {
    return room == UNLIMITED || room >= 0 ? 0 : -room;
  }

  /**
   * The group's room under its own hard caps only (coresCtl, ramCtl), ignoring the quota and
   * others' usage: what it could gain if others gave capacity back.
   */
  Room capRoom(GroupName g, CloudName c) {
    GroupCloud k = new GroupCloud(g, c);
    Allocation a = allocations.get(k);
    long[] u = usedOf(k);
    long cores = a == null || a.coresCtl() == Limits.UNLIMITED ? UNLIMITED : a.coresCtl() - u[0];
    long ram = a == null || a.ramCtlMiB() == Limits.UNLIMITED ? UNLIMITED : a.ramCtlMiB() - u[1];
    return new Room(cores, ram, UNLIMITED);
  }
}
