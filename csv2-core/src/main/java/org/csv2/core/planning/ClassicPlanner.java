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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.csv2.core.config.Throttles;
import org.csv2.model.AliasName;
import org.csv2.model.Boot;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * The production cloudscheduler's rules ({@code csv2-classic}), reproduced as a policy so that the
 * project's planner can be compared with it on the same workload (CSV2-REFERENCE.md 2.2-2.5, 2.8).
 * Its rules, not its bugs: alias membership is exact and an undefined alias matches no cloud, as
 * in the default policy.
 *
 * <ul>
 *   <li>Idle jobs are grouped by shape; each shape's candidates are the <b>smallest fit per
 *       cloud</b> (cores, RAM, disk, swap ascending) in cloud priority order. A job's instance-type
 *       hint, else the default flavor, is taken without a fit check; the job's maximum price and
 *       keep-alive are ignored.
 *   <li>Groups are tried in name order starting at a rotating index, {@code (now / cycle) mod
 *       groups} (production: the loop counter; the planner is stateless, so the snapshot time
 *       stands in for it); a group's shapes (by job priority) rotate the same way.
 *   <li>For each candidate flavor: skip it when the ledger leaves no slot; when the (group, alias)
 *       has no <b>shortfall</b> (cores, disk and RAM requested by its idle and running jobs minus
 *       those of its starting, unregistered, idle and running VMs); when the group's idle VMs
 *       reach {@code max(idleVms, idleVmsFraction x running VMs)}; when the cloud already has
 *       {@code startingPerCloud} VMs starting. Otherwise boot {@code n = min(vmsPerBootCall,
 *       slots, shortfall slots)} where shortfall slots is the largest of the short cores, disk and
 *       RAM divided (rounding up) by the flavor's.
 *   <li>At most {@code bootsPerGroupPerCycle} boot calls per group per cycle (production: one).
 *   <li>Retirement (the same {@link Retirements} and {@link Adoptions} rules as the default
 *       policy, so only VMs of held groups are touched and a stuck delete is sent again):
 *       error-delay, come-alive, job-alive and keep-alive (allocation's or group's,
 *       else the engine's, floor applied; the VM's own keep-alive is ignored, as production ignores
 *       the job's), the retire/terminate pipeline, and the over-quota shrink that sheds VMs without
 *       a worker first, then those longest in their state. No opportunistic give-back.
 * </ul>
 *
 * <p>Use it with {@link Throttles#CLASSIC} and the default timers to get production's numbers.
 *
 * <p><b>Thread safety:</b> thread-safe; any thread may call {@link #plan(Snapshot)}. It keeps
 * only its last plan's index, to start the next from (no plan depends on it).
 */
public final class ClassicPlanner implements Planner {
  /**
   * The last plan's index, handed to the next plan, which brings it up to date from the
   * difference of the snapshots ({@link PlanningIndex#PlanningIndex(Snapshot, PlanningIndex)}, as
   * {@link DefaultPlanner} does): a plan takes it for itself, so two plans at once each build their
   * own. It changes no plan.
   */
  private final AtomicReference<@Nullable PlanningIndex> lastIndex = new AtomicReference<>();

  /** Creates the planner. */
  public ClassicPlanner() {}

  @Override
  public Plan plan(Snapshot snapshot) {
    Run run = new Run(snapshot, lastIndex.getAndSet(null));
    Plan plan = run.plan();
    lastIndex.set(run.index);
    return plan;
  }

  /** The index the next plan starts from (for tests). */
  @Nullable PlanningIndex lastIndex() {
    return lastIndex.get();
  }

  private record GroupAlias(GroupName group, @Nullable AliasName alias) {}

  private static final class Run {
    private final Snapshot snapshot;
    private final PlanningIndex index;
    private final Throttles throttles;
    private final CapacityLedger ledger;
    private final List<String> notes = new ArrayList<>();
    private final Map<GroupAlias, long[]> shortfall = new HashMap<>();
    private final Map<GroupName, Integer> idleVms = new HashMap<>();
    private final Map<GroupName, Integer> runningVms = new HashMap<>();
    private final Map<CloudName, Integer> starting = new HashMap<>();

    Run(Snapshot snapshot, @Nullable PlanningIndex last) {
      this.snapshot = snapshot;
      this.index = new PlanningIndex(snapshot, last);
      this.throttles = snapshot.settings().throttles();
      this.ledger = CapacityLedger.of(index);
    }

    Plan plan() {
      Map<GroupCloud, CapacityLedger.Room> excess = new TreeMap<>();
      for (Vm vm : index.vms) {
        if (vm.state().holdsCapacity() && index.holds(vm.group())) {
          GroupCloud gc = new GroupCloud(vm.group(), vm.cloud());
          CapacityLedger.Room ex = ledger.excess(gc.group(), gc.cloud());
          if (ex.cores() > 0 || ex.ramMiB() > 0 || ex.instances() > 0) excess.put(gc, ex);
        }
      }
      Map<GroupName, List<ShapeDemand>> shapes = Shapes.idle(index, notes);
      for (List<ShapeDemand> l : shapes.values()) {
        for (ShapeDemand d : l) {
          Candidates.compute(index, d, snapshot.settings().flavorPolicy(), true);
        }
      }
      countDemandAndSupply();
      List<Boot> boots = new ArrayList<>();
      List<GroupName> groups = new ArrayList<>(index.groups.keySet());
      long counter = snapshot.now().toEpochMilli() / Math.max(1, snapshot.settings().timers().cycle().toMillis());
      int n = groups.size();
      for (int i = 0; i < n; i++) {
        GroupName g = groups.get((int) Math.floorMod(counter + i, (long) n));
        List<ShapeDemand> l = shapes.getOrDefault(g, List.of());
        int calls = 0;
        for (int j = 0; j < l.size(); j++) {
          ShapeDemand d = l.get((int) Math.floorMod(counter + j, (long) l.size()));
          if (throttles.bootsPerGroupPerCycle() > 0 && calls >= throttles.bootsPerGroupPerCycle()) {
            notes.add(
                String.format(
                    "%s: at most %d boot calls per group per cycle; further shapes wait",
                    g, throttles.bootsPerGroupPerCycle()));
            break;
          }
          Boot b = tryShape(g, d);
          if (b != null) {
            boots.add(b);
            calls++;
          }
        }
      }
      Retirements r = new Retirements(index, null, true);
      r.reclaimDeadlines();
      r.timers();
      r.overLimits(excess);
      r.administrators(); // the cloud's administrators govern every policy
      Retirements.policyNotes(index, notes);
      List<PlanAction> actions = new ArrayList<>();
      Adoptions.plan(index, actions, notes);
      for (PlanAction a : r.actions()) if (a instanceof Terminate) actions.add(a);
      for (PlanAction a : r.actions()) if (a instanceof Retire) actions.add(a);
      actions.addAll(boots);
      return new Plan(snapshot.now(), actions, notes);
    }

    private void countDemandAndSupply() {
      // Jobs come in runs of one group and alias: the totals of the job before are reused without
      // a key or a look-up (this runs over every idle and running job every cycle).
      GroupName lastGroup = null;
      AliasName lastAlias = null;
      Group g = null;
      long[] totals = null;
      for (Job job : snapshot.jobs()) {
        if (job.state() != JobState.IDLE && job.state() != JobState.RUNNING) continue;
        if (totals == null || !job.group().equals(lastGroup) || !Objects.equals(job.targetAlias(), lastAlias)) {
          lastGroup = job.group();
          lastAlias = job.targetAlias();
          g = index.group(lastGroup);
          totals = g == null ? null : shortfall.computeIfAbsent(new GroupAlias(lastGroup, lastAlias), k -> new long[3]);
        }
        if (g == null || totals == null || !g.serves(job.owner())) continue;
        Resources r = JobShape.normalise(job.request(), g.jobDefaults());
        totals[0] += r.cores();
        totals[1] += r.diskGiB();
        totals[2] += r.ramMiB();
      }
      for (Vm vm : index.vms) {
        if (vm.state().isStarting()) starting.merge(vm.cloud(), 1, Integer::sum);
        if (index.isManual(vm)) continue;
        VmState st = vm.state();
        if (st.isStarting() || st == VmState.IDLE || st == VmState.RUNNING) {
          long[] s = shortfall.computeIfAbsent(new GroupAlias(vm.group(), vm.alias()), k -> new long[3]);
          s[0] -= vm.resources().cores();
          s[1] -= vm.resources().diskGiB();
          s[2] -= vm.resources().ramMiB();
        }
        if (st == VmState.IDLE) idleVms.merge(vm.group(), 1, Integer::sum);
        if (st == VmState.RUNNING) runningVms.merge(vm.group(), 1, Integer::sum);
      }
    }

    private @Nullable Boot tryShape(GroupName g, ShapeDemand d) {
      if (!d.hasCandidates()) {
        notes.add(String.format("%d idle %s jobs of %s: %s", d.remaining, d.shape.describe(), g, d.noCandidate));
        return null;
      }
      GroupAlias ga = new GroupAlias(g, d.shape.alias());
      for (Candidate c : d.preferred) {
        CloudName cloud = c.cloud();
        Resources f = c.flavor().resources();
        int slots = ledger.vmsThatFit(g, cloud, f);
        if (slots <= 0) continue;
        long[] s = shortfall.getOrDefault(ga, new long[3]);
        if (s[0] <= 0 && s[1] <= 0 && s[2] <= 0) {
          return null;
        }
        int idle = idleVms.getOrDefault(g, 0);
        int running = runningVms.getOrDefault(g, 0);
        int idleLimit = Math.max(throttles.idleVms(), (int) Math.floor(running * throttles.idleVmsFraction()));
        if (idle > 0 && idle >= idleLimit) {
          notes.add(String.format(Locale.ROOT, "no boots for %s: %d idle VMs >= max(%d, %.2f x %d running) (idle throttle)", g, idle, throttles.idleVms(), throttles.idleVmsFraction(), running));
          return null;
        }
        int st = starting.getOrDefault(cloud, 0);
        if (st >= throttles.startingPerCloud()) {
          notes.add(String.format("%s: %d VMs starting >= new-VMs throttle %d; %s waits", cloud, st, throttles.startingPerCloud(), g));
          continue;
        }
        long shortSlots = Math.max(ceil(s[0], f.cores()), Math.max(ceil(s[1], f.diskGiB()), ceil(s[2], f.ramMiB())));
        int n = (int) Math.min(Math.min(throttles.vmsPerBootCall(), slots), shortSlots);
        if (n <= 0) continue;
        for (int k = 0; k < n; k++) ledger.debit(g, cloud, f);
        starting.merge(cloud, n, Integer::sum);
        shortfall.put(ga, new long[] {s[0] - (long) n * f.cores(), s[1] - (long) n * f.diskGiB(), s[2] - (long) n * f.ramMiB()});
        int jobs = (int) Math.min(d.remaining, (long) n * c.jobsPerVm());
        d.remaining -= jobs;
        String reason =
            String.format(
                Locale.ROOT,
                "boot %d x %s on %s for %d idle %s jobs of %s%s (csv2-classic): %s is the first cloud by priority (%d) with a smallest-fit flavor and room; n = min(%d per call, %d slots, %d shortfall slots; short %d cores, %d GiB, %d MiB)",
                n, c.flavor().name(), cloud, jobs, d.shape.describe(), g,
                d.shape.alias() == null ? "" : " (alias " + d.shape.alias() + ")",
                cloud, c.allocation().priority(), throttles.vmsPerBootCall(), slots, shortSlots,
                Math.max(0, s[0]), Math.max(0, s[1]), Math.max(0, s[2]));
        return new Boot(
            g, cloud, c.flavor().name(), c.image(), d.shape.alias(), n, jobs, null,
            d.shape.userData(), 0, Objects.requireNonNull(reason));
      }
      return null;
    }

    private static long ceil(long amount, long unit) {
      if (amount <= 0 || unit <= 0) return 0;
      return (amount + unit - 1) / unit;
    }
  }
}
