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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.core.config.Throttles;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.Boot;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * The project's planning policy ({@code default}). One call is a pure function of the snapshot:
 * no clock, no I/O, no randomness, every iteration in a sorted order.
 *
 * <ol>
 *   <li><b>Shapes.</b> Idle jobs are grouped by shape ({@link JobShape}): cost grows with shapes,
 *       not jobs. Jobs whose owner the group does not serve are ignored, with a note.
 *   <li><b>Supply first.</b> Idle jobs are packed onto VMs already starting and onto the free
 *       room of idle and running workers ({@link Supply}); only the rest needs new VMs.
 *   <li><b>Candidates.</b> For each shape, the (allocation, flavor) pairs it may boot, by
 *       allocation priority (a tier is filled on every cloud before the next), then by the
 *       flavor policy ({@link Candidates}).
 *   <li><b>Packing.</b> Each new VM is planned for the next shape of its group and then filled,
 *       in the group's planning order ({@link Shapes#PLANNING}), with the remaining jobs of every
 *       shape of the group that may run there; a VM left partly empty is downsized to the
 *       cheapest allowed flavor that still holds its jobs. The plan is then settled: packed
 *       again the way the next cycle will see it, empty planned VMs dropped and leftover jobs
 *       given more VMs, so that an applied plan plans no further boots for the same jobs.
 *   <li><b>Limits.</b> Every VM is booked in the {@link CapacityLedger}; the starting throttle
 *       ({@code startingPerCloud}) counts starting VMs per cloud, existing and planned; a group
 *       with too many idle VMs boots nothing; boots are split into calls of at most {@code
 *       vmsPerBootCall}; at most {@code bootsPerGroupPerCycle} calls per group (0: no limit).
 *   <li><b>Fair share.</b> VMs are planned one at a time for the group with the fewest cores per
 *       unit of weight (cores of its VMs that serve or will serve jobs, i.e. REQUESTED, BOOTING,
 *       UNREGISTERED, IDLE or RUNNING, plus cores planned this cycle, divided by {@link
 *       Group#weight()}; ties by group name), so contended capacity is split by weight.
 *       PREFERRED allocations are filled first; OPPORTUNISTIC ones after, and never on a cloud
 *       where a preferred group still waits for room.
 *   <li><b>Retirements</b> ({@link Retirements}) and <b>adoptions</b> ({@link Adoptions}).
 * </ol>
 *
 * <p>Every action has a reason; every throttle that held something back and every shape that
 * could not be placed has a note. docs/planner.md explains the rules in full.
 *
 * <p><b>Reuse across plans.</b> A plan's {@link PlanningIndex} is handed to the next plan, which
 * brings it up to date from the difference between the two snapshots instead of indexing every
 * VM, worker and instance again; what cannot be brought up to date exactly is built from scratch,
 * so the plan is the one a new planner makes (docs/planner.md, "What the planner reuses").
 *
 * <p><b>Thread safety:</b> any thread may call {@link #plan(Snapshot)}; a plan takes the last
 * index for itself (another plan running at the same time builds its own), so the result is a
 * function of the snapshot alone.
 */
public final class DefaultPlanner implements Planner {
  /** Creates the planner. */
  public DefaultPlanner() {
    this(true);
  }

  /**
   * Whether the plan takes its shortcuts: a priority tier that no cloud can take is skipped whole,
   * and settling packs again only the groups whose planned VMs changed (false: the reference walk
   * and full packing every round, for tests: the plans must be equal).
   */
  private final boolean skipBlockedTiers;

  /**
   * A planner that may walk every candidate of a blocked tier instead of skipping it, and pack
   * every group again in every settling round: the reference the shortcuts are tested against
   * (the plans must be equal).
   *
   * @param skipBlockedTiers false for the reference
   */
  DefaultPlanner(boolean skipBlockedTiers) {
    this.skipBlockedTiers = skipBlockedTiers;
  }

  /** The last plan's index, for the next plan to take (null while a plan holds it). */
  private final AtomicReference<@Nullable PlanningIndex> lastIndex = new AtomicReference<>();

  @Override
  public Plan plan(Snapshot snapshot) {
    return planTimed(snapshot).plan();
  }

  /**
   * The index the last plan left (for tests).
   *
   * @return it, or null
   */
  @Nullable PlanningIndex lastIndex() {
    return lastIndex.get();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The time enters this planner only through the retirement timers ({@link Retirements#due()})
   * and, under {@code learned-run-times}, the times at which running jobs' expected ends enter or
   * leave the horizon and idle jobs' patience runs out ({@link SoonFree#due()}): otherwise boots,
   * packing and fair share depend on the snapshot's jobs, VMs and clouds alone.
   */
  @Override
  public Timed planTimed(Snapshot snapshot) {
    Run run = new Run(snapshot, skipBlockedTiers, lastIndex.getAndSet(null));
    Plan plan = run.plan();
    lastIndex.set(run.index);
    return new Timed(plan, run.due);
  }

  /** The state of one plan. */
  private static final class Run {
    private final Snapshot snapshot;
    private final PlanningIndex index;
    private final Throttles throttles;
    private final FlavorPolicy policy;
    private final CapacityLedger ledger;
    private final List<String> notes = new ArrayList<>();
    private final Map<CloudName, Integer> starting = new HashMap<>();
    private final Map<GroupName, List<ShapeDemand>> shapes;
    /** Cores running jobs are expected to free soon (learned-run-times only; else empty). */
    private final SoonFree soonFree;
    private final Map<GroupName, Long> heldCores = new HashMap<>();
    private final Map<GroupName, Long> plannedCores = new HashMap<>();
    private final Map<GroupName, Integer> plannedVms = new HashMap<>();
    private final Map<GroupName, Integer> vmCap = new HashMap<>();
    private final Set<GroupName> throttled = new TreeSet<>();
    private final Set<GroupName> capped = new TreeSet<>();
    private final Set<CloudName> heldForPreferred = new TreeSet<>();
    private final List<PlannedVm> planned = new ArrayList<>();
    private final Map<CloudName, Retirements.Need> needs = new TreeMap<>();
    /** Boot calls per group in this plan (boots-per-group-per-cycle). */
    private final Map<GroupName, Integer> calls = new HashMap<>();
    /** Until when the plan holds with the same inputs ({@link Retirements#due()}). */
    private java.time.Instant due = java.time.Instant.MAX;

    private final boolean skipBlockedTiers;

    Run(Snapshot snapshot, boolean skipBlockedTiers, @Nullable PlanningIndex last) {
      this.skipBlockedTiers = skipBlockedTiers;
      this.snapshot = snapshot;
      this.index = new PlanningIndex(snapshot, last);
      this.throttles = snapshot.settings().throttles();
      this.policy = snapshot.settings().flavorPolicy();
      this.ledger = CapacityLedger.of(index);
      this.shapes = Shapes.idle(index, notes);
      this.soonFree = new SoonFree(index);
    }

    Plan plan() {
      Map<GroupCloud, CapacityLedger.Room> excess = excessBeforePlan();
      for (List<ShapeDemand> l : shapes.values()) {
        for (ShapeDemand d : l) {
          Candidates.compute(index, d, policy, false);
        }
        l.sort(Shapes.PLANNING);
      }
      Supply first = new Supply(index);
      shapes.forEach(
          (g, l) -> {
            int idle = 0;
            int on = 0;
            int soon = 0;
            first.packAll(l);
            if (!soonFree.isEmpty()) {
              soonFree.packAll(g, l);
            }
            for (ShapeDemand d : l) {
              idle += d.count;
              on += d.onSupply - d.onSoonFree;
              soon += d.onSoonFree;
            }
            if (on > 0) {
              notes.add(String.format("%d of %d idle jobs of %s fit on VMs already running or starting", on, idle, g));
            }
            if (soon > 0) {
              notes.add(
                  String.format(
                      "%d idle jobs of %s wait for cores that running jobs are expected to free within %ds (at most %ds after queueing)",
                      soon, g, RunTimes.HORIZON.toSeconds(), RunTimes.PATIENCE.toSeconds()));
            }
          });
      countExisting(first);
      place();
      Supply supply = settle(first);
      List<Boot> boots = boots();
      explainUnplaced();

      Retirements r = new Retirements(index, supply, false);
      r.reclaimDeadlines();
      r.preemptForPreferred(needs);
      r.timers();
      r.overLimits(excess);
      r.administrators();
      r.giveBack(needs);
      boots.addAll(bookFreed(r.freedForPreferred()));
      Retirements.policyNotes(index, notes);
      due = r.due();
      if (soonFree.due().isBefore(due)) {
        due = soonFree.due(); // learned-run-times: cores soon free and patience are timed too
      }

      List<PlanAction> adopt = new ArrayList<>();
      Adoptions.plan(index, adopt, notes);
      List<PlanAction> actions = new ArrayList<>(adopt);
      for (PlanAction a : r.actions()) if (a instanceof Terminate) actions.add(a);
      for (PlanAction a : r.actions()) if (a instanceof Retire) actions.add(a);
      actions.addAll(boots);
      return new Plan(snapshot.now(), actions, notes);
    }

    /**
     * Checks the plan the way the next cycle will see it: packs every idle job again onto the
     * supply plus the planned VMs (as REQUESTED VMs), in the same order supply packing uses. Jobs
     * that do not fit that way (the batch system, and the next plan, may put a job on a VM planned
     * for another shape) get more VMs, until packing finds room for every job that can be placed.
     * So a plan, once applied, plans no further boots for the same jobs.
     *
     * @return the supply of the final check (for the retirement rules)
     */
    private static final int SETTLE_ROUNDS = 64;

    private Supply settle(Supply first) {
      Supply last = first;
      boolean changed = !planned.isEmpty();
      for (int round = 0; changed; round++) {
        // Only the groups whose planned VMs changed since their last packing are packed again
        // (the first packing counts, without planned VMs): a group's packing depends on its own
        // supply, planned VMs and shapes alone. The reference packs every group on a new supply.
        Supply sim = skipBlockedTiers ? first : new Supply(index);
        Map<GroupName, List<PlannedVm>> byGroup = new HashMap<>();
        for (PlannedVm v : planned) {
          byGroup.computeIfAbsent(v.group, k -> new ArrayList<>()).add(v);
        }
        shapes.forEach(
            (g, l) -> {
              if (sim.packAgain(l, byGroup.getOrDefault(g, List.of())) && !soonFree.isEmpty()) {
                soonFree.packAll(g, l);
              }
            });
        last = sim;
        // A planned VM the packing left empty is not needed (its jobs found room on VMs planned
        // later for others): give its capacity back. Dropping it changes no packing decision.
        boolean dropped = false;
        for (PlannedVm v : List.copyOf(planned)) {
          if (v.jobs.isEmpty()) {
            planned.remove(v);
            ledger.credit(v.group, v.candidate.cloud(), v.flavor.resources());
            starting.merge(v.candidate.cloud(), -1, Integer::sum);
            plannedVms.merge(v.group, -1, Integer::sum);
            plannedCores.merge(v.group, (long) -v.flavor.resources().cores(), Long::sum);
            dropped = true;
          }
        }
        // Usually one or two rounds; when jobs of a higher priority take the room of VMs planned
        // for others, each round may add one VM, so up to SETTLE_ROUNDS (an unsettled plan boots
        // the rest next cycle: it is not idempotent).
        if (round == SETTLE_ROUNDS) {
          break;
        }
        if (dropped) {
          // room came back: candidates refused for lack of room may be tried again
          for (List<ShapeDemand> l : shapes.values()) {
            for (ShapeDemand d : l) {
              d.cursorPreferred = 0;
              d.cursorOpportunistic = 0;
              d.capacityBlocked.clear();
              d.startingBlocked.clear();
            }
          }
        }
        int before = planned.size();
        place();
        changed = dropped || planned.size() != before;
      }
      return last;
    }

    private Map<GroupCloud, CapacityLedger.Room> excessBeforePlan() {
      Map<GroupCloud, CapacityLedger.Room> m = new TreeMap<>();
      Set<GroupCloud> seen = new TreeSet<>();
      GroupName lastGroup = null; // VMs come by name, which starts with group and cloud
      CloudName lastCloud = null;
      for (Vm vm : index.vms) {
        if (vm.state().holdsCapacity()
            && (!vm.group().equals(lastGroup) || !vm.cloud().equals(lastCloud))
            && index.holds(vm.group())) {
          lastGroup = vm.group();
          lastCloud = vm.cloud();
          seen.add(new GroupCloud(lastGroup, lastCloud));
        }
      }
      for (GroupCloud gc : seen) {
        CapacityLedger.Room ex = ledger.excess(gc.group(), gc.cloud());
        if (ex.cores() > 0 || ex.ramMiB() > 0 || ex.instances() > 0) {
          m.put(gc, ex);
        }
      }
      return m;
    }

    /** Starting VMs per cloud, cores held per group, the idle throttle and the boot cap. */
    private void countExisting(Supply supply) {
      Map<GroupName, Integer> idle = new HashMap<>();
      Map<GroupName, Integer> running = new HashMap<>();
      // per group: held cores, idle VMs, running VMs; VMs come by name, so groups come in runs
      Map<GroupName, long[]> perGroup = new HashMap<>();
      GroupName lastGroup = null;
      long[] sums = null;
      for (Vm vm : index.vms) {
        if (vm.state().isStarting()) {
          starting.merge(vm.cloud(), 1, Integer::sum);
        }
        if (sums == null || !vm.group().equals(lastGroup)) {
          lastGroup = vm.group();
          sums = perGroup.computeIfAbsent(lastGroup, k -> new long[3]);
        }
        if (servesJobs(vm.state())) {
          sums[0] += vm.resources().cores();
        }
        if (index.isManual(vm)) {
          continue;
        }
        if (vm.state() == VmState.IDLE && !supply.inUse(vm.id())) {
          sums[1]++;
        } else if (vm.state() == VmState.RUNNING) {
          sums[2]++;
        }
      }
      perGroup.forEach((g, n) -> {
        if (n[0] > 0) heldCores.merge(g, n[0], Long::sum);
        if (n[1] > 0) idle.put(g, (int) n[1]);
        if (n[2] > 0) running.put(g, (int) n[2]);
      });
      for (GroupName g : shapes.keySet()) {
        int i = idle.getOrDefault(g, 0);
        int r = running.getOrDefault(g, 0);
        int limit = Math.max(throttles.idleVms(), (int) Math.floor(throttles.idleVmsFraction() * r));
        if (i > 0 && i >= limit && remaining(g) > 0) {
          throttled.add(g);
          notes.add(
              String.format(
                  Locale.ROOT,
                  "no boots for %s: %d idle VMs >= max(idle-vms %d, %.2f x %d running) (idle throttle); %d idle jobs wait",
                  g, i, throttles.idleVms(), throttles.idleVmsFraction(), r, remaining(g)));
        }
        if (throttles.bootsPerGroupPerCycle() > 0) {
          vmCap.put(g, throttles.bootsPerGroupPerCycle() * throttles.vmsPerBootCall());
        }
      }
    }

    /**
     * Whether a VM in this state serves or will serve the group's jobs, and so counts in its fair
     * share: a group is not held back for VMs that are broken (ERROR) or going away (RETIRING,
     * TERMINATING), nor for MANUAL ones.
     */
    private static boolean servesJobs(VmState s) {
      return switch (s) {
        case REQUESTED, BOOTING, UNREGISTERED, IDLE, RUNNING -> true;
        default -> false;
      };
    }

    private int remaining(GroupName g) {
      int n = 0;
      for (ShapeDemand d : shapes.getOrDefault(g, List.of())) n += d.remaining;
      return n;
    }

    /**
     * PREFERRED allocations first; then the groups that still wait use their OPPORTUNISTIC
     * allocations; a cloud where a preferred group still waits after that (it has no other place)
     * is held for it; then every group uses its opportunistic allocations elsewhere.
     */
    private void place() {
      heldForPreferred.clear();
      needs.clear();
      fill(false, null);
      Set<GroupName> waiting = new TreeSet<>();
      for (GroupName g : shapes.keySet()) {
        if (remaining(g) > 0) waiting.add(g);
      }
      fill(true, waiting);
      markHeldForPreferred();
      fill(true, null);
    }

    /** Progressive filling: one VM at a time for the group furthest below its weighted share. */
    private void fill(boolean opportunistic, @Nullable Set<GroupName> only) {
      List<GroupName> active = new ArrayList<>();
      for (GroupName g : shapes.keySet()) {
        if (!throttled.contains(g) && remaining(g) > 0 && (only == null || only.contains(g))) {
          active.add(g);
        }
      }
      while (!active.isEmpty()) {
        GroupName best = null;
        double bestKey = Double.MAX_VALUE;
        for (GroupName g : active) {
          double key =
              (heldCores.getOrDefault(g, 0L) + plannedCores.getOrDefault(g, 0L)) / index.groups.get(g).weight();
          if (best == null || key < bestKey) {
            best = g;
            bestKey = key;
          }
        }
        PlannedVm vm = placeOne(best, opportunistic);
        if (vm == null) {
          active.remove(best);
        } else {
          plannedCores.merge(best, (long) vm.flavor.resources().cores(), Long::sum);
        }
      }
    }

    private @Nullable PlannedVm placeOne(GroupName g, boolean opportunistic) {
      Integer cap = vmCap.get(g);
      if (cap != null && plannedVms.getOrDefault(g, 0) >= cap) {
        if (remaining(g) > 0) capped.add(g);
        return null;
      }
      for (ShapeDemand d : shapes.get(g)) {
        if (d.remaining == 0) {
          continue;
        }
        List<Candidate> list = opportunistic ? d.opportunistic : d.preferred;
        int cursor = opportunistic ? d.cursorOpportunistic : d.cursorPreferred;
        LazyCandidates lazy = skipBlockedTiers && list instanceof LazyCandidates l ? l : null;
        for (int i = cursor; i < list.size(); i++) {
          int tier = lazy == null ? -1 : lazy.tierStartingAt(i);
          if (tier >= 0 && tierBlocked(lazy.tierClouds(tier), opportunistic)) {
            // every candidate of the tier would be refused below, one by one: skip the tier
            // without building it, with the same notes and cursor
            for (CloudName cloud : lazy.tierClouds(tier)) {
              if (!(opportunistic && heldForPreferred.contains(cloud))) d.startingBlocked.add(cloud);
            }
            int end = lazy.tierEnd(tier);
            if (i == cursor) {
              cursor = end;
              if (opportunistic) d.cursorOpportunistic = cursor;
              else d.cursorPreferred = cursor;
            }
            i = end - 1;
            continue;
          }
          Candidate c = list.get(i);
          CloudName cloud = c.cloud();
          boolean ok = true;
          if (opportunistic && heldForPreferred.contains(cloud)) {
            ok = false;
          } else if (starting.getOrDefault(cloud, 0) >= throttles.startingPerCloud()) {
            d.startingBlocked.add(cloud);
            ok = false;
          } else if (ledger.vmsThatFit(g, cloud, c.flavor().resources()) < 1) {
            d.capacityBlocked.add(cloud);
            ok = false;
          }
          if (!ok) {
            // blocked for the rest of this plan: the next search starts after it
            if (i == cursor) {
              cursor++;
              if (opportunistic) d.cursorOpportunistic = cursor;
              else d.cursorPreferred = cursor;
            }
            continue;
          }
          if (tooSmall(g, d, c)) {
            continue; // a candidate of the same allocation that takes more jobs comes later
          }
          return create(d, c);
        }
      }
      return null;
    }

    /**
     * Whether no cloud of a priority tier can take a VM whatever its flavor: each is held for
     * preferred groups (opportunistic filling) or at the starting throttle. The starting count and
     * the held clouds are the same for every shape, so a tier is passed in O(clouds) instead of
     * building and walking its candidates (with many clouds, the throttle blocks whole tiers).
     */
    private boolean tierBlocked(List<CloudName> clouds, boolean opportunistic) {
      for (CloudName cloud : clouds) {
        if (!(opportunistic && heldForPreferred.contains(cloud))
            && starting.getOrDefault(cloud, 0) < throttles.startingPerCloud()) {
          return false;
        }
      }
      return true;
    }

    /**
     * Whether, under {@link FlavorPolicy#LEAST_EXPECTED_COST} (or {@link
     * FlavorPolicy#LEARNED_RUN_TIMES} for a shape whose run times are known), a candidate takes too few jobs per
     * VM for the shape's remaining jobs to fit in the VMs its cloud's instance quota still allows:
     * VMs then grow to the fewest jobs per VM that fits them, but only to flavors of the same
     * allocation that cost no more per core. Small VMs are preferred otherwise (see {@link
     * Candidate#expectedCostPerJob()}); the starting throttle, which passes in minutes, never makes
     * VMs grow.
     */
    private boolean tooSmall(GroupName g, ShapeDemand d, Candidate c) {
      if (policy != FlavorPolicy.LEAST_EXPECTED_COST
          && !(policy == FlavorPolicy.LEARNED_RUN_TIMES && d.knowsRunTimes())) {
        return false;
      }
      long vms = ledger.room(g, c.cloud()).instances();
      if (vms == CapacityLedger.UNLIMITED || vms <= 0) {
        return false;
      }
      long perVm = (d.remaining + vms - 1) / vms;
      return c.jobsPerVm() < perVm && c.jobsPerVm() < d.mostJobsPerVmAtNoDearerCore(c);
    }

    /**
     * Plans a VM on the head shape's candidate and fills it in the group's planning order ({@link
     * Shapes#PLANNING}) with every shape that may run there: as the batch system would, a job
     * that ranks before the head shape and fits takes the room first. Supply packing uses the same
     * order, so the applied plan is found again as supply next cycle.
     */
    private PlannedVm create(ShapeDemand d, Candidate c) {
      PlannedVm v = new PlannedVm(planned.size(), d, c);
      for (ShapeDemand o : shapes.get(v.group)) {
        if (v.free.cores() <= 0) {
          break;
        }
        if (o.remaining == 0 || !o.shape.request().fitsIn(v.free) || !v.accepts(o)) {
          continue;
        }
        v.add(o, Math.min(o.remaining, v.free.howMany(o.shape.request())));
      }
      // Its jobs are final now: downsize before booking, so the ledger books what is booted.
      downsize(v);
      ledger.debit(v.group, c.cloud(), v.flavor.resources());
      starting.merge(c.cloud(), 1, Integer::sum);
      plannedVms.merge(v.group, 1, Integer::sum);
      planned.add(v);
      return v;
    }

    /** Preferred groups that still wait for room on a cloud keep opportunistic groups off it. */
    private void markHeldForPreferred() {
      shapes.forEach(
          (g, l) -> {
            if (throttled.contains(g) || capped.contains(g)) {
              return;
            }
            for (ShapeDemand d : l) {
              if (d.remaining == 0) continue;
              for (CloudName c : d.capacityBlocked) {
                Allocation a = index.allocation(g, c);
                if (a == null || a.mode() != AllocationMode.PREFERRED || !othersBlock(g, d, c, a)) continue;
                heldForPreferred.add(c);
                long want = (long) d.remaining * d.shape.request().cores();
                long capRoom = ledger.capRoom(g, c).cores();
                long cores = Math.min(want, capRoom);
                if (cores <= 0) continue;
                Retirements.Need old = needs.get(c);
                Set<GroupName> who = new TreeSet<>();
                who.add(g);
                if (old != null) who.addAll(old.groups());
                needs.put(c, new Retirements.Need((old == null ? 0 : old.cores()) + cores, who));
              }
            }
          });
    }

    /**
     * Whether others' usage, not the group's own caps (cores-ctl, ram-ctl), keeps a shape off a
     * cloud: some candidate flavor of the shape there would still fit under the group's caps.
     */
    private boolean othersBlock(GroupName g, ShapeDemand d, CloudName c, Allocation a) {
      CapacityLedger.Room caps = ledger.capRoom(g, c);
      // the shape's preferred candidates on c are those of the group's (PREFERRED) allocation
      // there: ask for them alone rather than building every tier of the list
      for (Candidate x : d.candidatesOn(a)) {
        if (x.cloud().equals(c)
            && x.flavor().resources().cores() <= caps.cores()
            && x.flavor().resources().ramMiB() <= caps.ramMiB()) {
          return true;
        }
      }
      return false;
    }

    /** A VM left partly empty is booted with the cheapest allowed flavor that still holds its jobs. */
    private void downsize(PlannedVm v) {
      if (v.free.isZero()) {
        return;
      }
      var content = v.content();
      Candidate best = null;
      for (Candidate c : v.head.candidatesOn(v.candidate.allocation())) {
        if (c.flavor().equals(v.flavor)
            || !c.flavor().resources().fitsIn(v.flavor.resources())
            || !content.fitsIn(c.flavor().resources())) {
          continue;
        }
        boolean allowed = true;
        for (ShapeDemand o : v.jobs.keySet()) {
          if (!o.fits(c.cloud(), c.flavor().name(), c.flavor().pricePerHour(), v.alias, v.candidate.image())) {
            allowed = false;
            break;
          }
        }
        if (!allowed || !cheaper(c, best == null ? v.candidate : best)) {
          continue;
        }
        best = c;
      }
      if (best != null) {
        v.downsizedFrom = v.flavor;
        v.candidate = best;
        v.flavor = best.flavor();
        v.free = best.flavor().resources().minus(content);
      }
    }

    private boolean cheaper(Candidate a, Candidate b) {
      if (policy == FlavorPolicy.SMALLEST_FIT) {
        return Candidates.smallestFirst().compare(a, b) < 0;
      }
      int c = Double.compare(a.vmCost(), b.vmCost());
      if (c != 0) return c < 0;
      return Candidates.smallestFirst().compare(a, b) < 0;
    }

    private record BootKey(
        GroupName group,
        CloudName cloud,
        FlavorName flavor,
        String image,
        @Nullable AliasName alias,
        @Nullable Duration keepAlive,
        List<String> userData,
        double maxPrice) {}

    /**
     * Books for the preferred groups that wait the room of opportunistic VMs this plan terminates
     * for them, in the same plan: without it they would boot a cycle later, when the next snapshot
     * shows the room (issue 22's bar on the preferred group's wait). Only the waiting groups'
     * PREFERRED allocations are filled, so the room does not go back to an opportunistic group.
     * The next cycle sees the terminated VMs as TERMINATING: they still count against the quota
     * for booking, but not as others' usage that would put the waiting group over its limits
     * ({@link CapacityLedger#excess}).
     *
     * @param freed the VMs terminated for preferred groups
     * @return the boots of the VMs booked into that room
     */
    private List<Boot> bookFreed(List<Vm> freed) {
      if (freed.isEmpty()) {
        return List.of();
      }
      Set<GroupName> waiting = new TreeSet<>();
      for (Retirements.Need n : needs.values()) {
        waiting.addAll(n.groups());
      }
      for (Vm vm : freed) {
        ledger.credit(vm.group(), vm.cloud(), vm.resources());
      }
      for (GroupName g : waiting) {
        for (ShapeDemand d : shapes.getOrDefault(g, List.of())) {
          d.cursorPreferred = 0;
          d.capacityBlocked.clear();
          d.startingBlocked.clear();
        }
      }
      int before = planned.size();
      fill(false, waiting);
      List<PlannedVm> added = List.copyOf(planned.subList(before, planned.size()));
      if (!added.isEmpty()) {
        notes.add(String.format(
            "%d VMs of %s booked into the room of %d opportunistic VMs terminated for them",
            added.size(), String.join(", ", waiting.stream().map(GroupName::value).toList()), freed.size()));
      }
      return boots(added);
    }

    private List<Boot> boots() {
      return boots(planned);
    }

    private List<Boot> boots(List<PlannedVm> vmsToBoot) {
      Map<BootKey, List<PlannedVm>> byKey = new LinkedHashMap<>();
      for (PlannedVm v : vmsToBoot) {
        BootKey k =
            new BootKey(
                v.group, v.candidate.cloud(), v.flavor.name(), v.candidate.image(), v.alias,
                v.keepAlive, v.userData, v.maxPrice);
        byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      }
      List<Boot> out = new ArrayList<>();
      Map<GroupName, Integer> heldBack = new TreeMap<>();
      for (Map.Entry<BootKey, List<PlannedVm>> e : byKey.entrySet()) {
        BootKey k = e.getKey();
        List<PlannedVm> vms = e.getValue();
        for (int from = 0; from < vms.size(); from += throttles.vmsPerBootCall()) {
          List<PlannedVm> chunk = vms.subList(from, Math.min(vms.size(), from + throttles.vmsPerBootCall()));
          int cap = throttles.bootsPerGroupPerCycle();
          if (cap > 0 && calls.getOrDefault(k.group(), 0) >= cap) {
            heldBack.merge(k.group(), chunk.size(), Integer::sum);
            for (PlannedVm v : chunk) {
              v.jobs.forEach((d, n) -> d.remaining += n);
            }
            continue;
          }
          calls.merge(k.group(), 1, Integer::sum);
          int jobs = 0;
          for (PlannedVm v : chunk) jobs += v.jobCount();
          out.add(
              new Boot(
                  k.group(), k.cloud(), k.flavor(), k.image(), k.alias(), chunk.size(), jobs,
                  k.keepAlive(), k.userData(), k.maxPrice(), reason(k, chunk, jobs)));
        }
      }
      heldBack.forEach(
          (g, n) -> {
            capped.add(g);
            notes.add(
                String.format(
                    "boots-per-group-per-cycle %d held back %d VMs of %s until the next cycle",
                    throttles.bootsPerGroupPerCycle(), n, g));
          });
      for (GroupName g : capped) {
        if (!heldBack.containsKey(g)) {
          notes.add(
              String.format(
                  "boots-per-group-per-cycle %d (x %d VMs per call) held back further VMs of %s until the next cycle",
                  throttles.bootsPerGroupPerCycle(), throttles.vmsPerBootCall(), g));
        }
      }
      return out;
    }

    private String reason(BootKey k, List<PlannedVm> chunk, int jobs) {
      Map<String, Integer> byShape = new LinkedHashMap<>();
      Flavor downsizedFrom = null;
      for (PlannedVm v : chunk) {
        v.jobs.forEach((d, n) -> byShape.merge(d.shape.describe(), n, Integer::sum));
        if (v.downsizedFrom != null) downsizedFrom = v.downsizedFrom;
      }
      StringBuilder b = new StringBuilder();
      b.append("boot ").append(chunk.size()).append(" x ").append(k.flavor()).append(" on ").append(k.cloud());
      b.append(" for ").append(jobs).append(" idle ");
      if (byShape.size() == 1) {
        b.append(byShape.keySet().iterator().next()).append(" jobs");
      } else {
        List<String> parts = new ArrayList<>();
        byShape.forEach((s, n) -> parts.add(n + " x " + s));
        b.append("jobs (").append(String.join(", ", parts)).append(')');
      }
      b.append(" of ").append(k.group());
      if (k.alias() != null) b.append(" (alias ").append(k.alias()).append(')');
      PlannedVm first = chunk.get(0);
      Candidate c = first.candidate;
      Allocation a = c.allocation();
      b.append(": ").append(k.cloud()).append(" is priority ").append(a.priority());
      if (a.mode() == AllocationMode.OPPORTUNISTIC) b.append(" (opportunistic)");
      if (policy == FlavorPolicy.SMALLEST_FIT) {
        b.append(" and ").append(k.flavor()).append(" is the smallest flavor that fits");
      } else {
        Candidate shown = first.chosen;
        boolean expected =
            policy == FlavorPolicy.LEAST_EXPECTED_COST
                || (policy == FlavorPolicy.LEARNED_RUN_TIMES && shown.expectedCostPerJob() != shown.costPerJob());
        b.append(expected ? " and least expected cost per job with room left (" : " and cheapest per job with room left (");
        if (shown.priceKnown()) {
          b.append(String.format(Locale.ROOT, "$%.4f/job-hour", shown.costPerJob()));
          if (expected) {
            b.append(String.format(Locale.ROOT, ", expected $%.4f with %d jobs per VM", shown.expectedCostPerJob(), shown.jobsPerVm()));
          }
        } else {
          b.append(String.format(Locale.ROOT, "price unknown, ranked at %.2f core-hours/job-hour", expected ? shown.expectedCostPerJob() : shown.costPerJob()));
        }
        b.append(')');
      }
      if (downsizedFrom != null) {
        b.append("; downsized from ").append(downsizedFrom.name()).append(" to fit the last jobs");
      }
      return b.toString();
    }

    private void explainUnplaced() {
      Set<CloudName> startingFull = new TreeSet<>();
      shapes.forEach(
          (g, l) -> {
            for (ShapeDemand d : l) {
              if (d.remaining == 0) continue;
              String what = String.format("%d idle %s jobs of %s", d.remaining, d.shape.describe(), g);
              if (!d.hasCandidates()) {
                notes.add(
                    d.noCandidate.startsWith("fit no flavor")
                        ? what + " " + d.noCandidate
                        : what + " can run nowhere: " + d.noCandidate);
                continue;
              }
              if (throttled.contains(g) || capped.contains(g)) continue;
              List<String> why = new ArrayList<>();
              if (!d.capacityBlocked.isEmpty()) why.add("no room left on " + d.capacityBlocked + " (quota, caps or softmax)");
              if (!d.startingBlocked.isEmpty()) {
                why.add("starting throttle on " + d.startingBlocked);
                startingFull.addAll(d.startingBlocked);
              }
              Set<CloudName> held = new TreeSet<>();
              for (Candidate c : d.opportunistic) if (heldForPreferred.contains(c.cloud())) held.add(c.cloud());
              if (!held.isEmpty()) why.add("opportunistic clouds " + held + " are held for preferred groups");
              if (why.isEmpty()) why.add("no candidate had room");
              notes.add(what + " wait: " + String.join("; ", why));
            }
          });
      for (CloudName c : startingFull) {
        notes.add(
            String.format(
                "%s: %d VMs starting, the limit of starting-per-cloud (%d); further boots there wait",
                c, starting.getOrDefault(c, 0), throttles.startingPerCloud()));
      }
    }
  }
}
