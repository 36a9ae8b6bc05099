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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.core.config.Timers;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.OpportunisticPolicy;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.jspecify.annotations.Nullable;

/**
 * Which VMs go away this cycle, and why. A registered VM (one with a worker) is retired (drained
 * peacefully, then terminated); a VM without a worker is terminated. MANUAL VMs are never touched,
 * and no VM whose worker runs a job is ever terminated. Only VMs of the groups this engine holds
 * ({@link PlanningIndex#holds}) are acted on; the snapshot's other VMs only hold capacity. The
 * first rule that matches a VM wins:
 *
 * <ol>
 *   <li>TERMINATING, its instance still listed (not TERMINATED) by its reachable cloud longer than
 *       error-delay after the last delete request ({@link Vm#lastAttemptAt()}, or when it entered
 *       TERMINATING if that is later or no attempt is recorded): terminate again (the delete is
 *       sent again); not while its worker runs jobs;
 *   <li>ERROR for longer than error-delay (since it entered ERROR): terminate;
 *   <li>REQUESTED, BOOTING or UNREGISTERED for longer than come-alive since it was created:
 *       terminate;
 *   <li>IDLE and never ran a job, for longer than job-alive since it registered: retire;
 *   <li>IDLE after running jobs, for longer than its keep-alive since it was last busy: retire.
 *       The keep-alive is the VM's own (asked by its jobs at boot), else its allocation's or
 *       group's default, else the engine's, never below the floor. An IDLE VM onto which this
 *       cycle's idle jobs were packed is not idle (default policy);
 *   <li>RETIRING with no worker left, or a worker running no job: terminate;
 *   <li>RETIRING, still running jobs, and the last drain request older than retire-interval:
 *       retire again;
 *   <li>over its limits (the ledger's room is negative: a quota shrank or foreign usage grew):
 *       enough of the group's VMs on that cloud to get back within every limit, counting what is
 *       already going away;
 *   <li>(default policy) on an OPPORTUNISTIC allocation of a cloud where a PREFERRED group has
 *       idle jobs that no cloud has room for: enough of the opportunistic VMs to free what the
 *       preferred group can use there.
 * </ol>
 *
 * <p>What a cloud's administrators allow opportunistic groups ({@link OpportunisticPolicy}) adds
 * two rules, for VMs on OPPORTUNISTIC allocations: {@link #reclaimDeadlines} (before every other
 * rule: on a reclaim whose deadline is less than {@link #reclaimLead} away, every such VM is
 * terminated, <b>even one whose worker runs jobs</b>: the administrators' deadline wins) and {@link
 * #administrators} (after rule 8: a reclaim, or a group the administrators do not allow, sheds
 * all of them; a cap sheds until within it, across all opportunistic groups of the cloud).
 */
final class Retirements {
  /**
   * Cores a preferred group waits for on a cloud.
   *
   * @param cores how many
   * @param groups who waits
   */
  record Need(long cores, Set<GroupName> groups) {}

  private final PlanningIndex index;
  private final @Nullable Supply supply;
  private final boolean classic;
  private final Instant now;
  private final Timers timers;
  private final List<PlanAction> out = new ArrayList<>();
  private final Set<VmId> acted = new HashSet<>();
  /** Per (group, cloud): cores, RAM, instances of VMs already going away. */
  private final Map<GroupCloud, long[]> leaving = new HashMap<>();
  /** Opportunistic VMs terminated in this plan for preferred groups that wait (their room is free now). */
  private final List<Vm> freedForPreferred = new ArrayList<>();
  /** The earliest instant after {@link #now} at which a timer rule that did not fire may fire. */
  private Instant due = Instant.MAX;

  Retirements(PlanningIndex index, @Nullable Supply supply, boolean classic) {
    this.index = index;
    this.supply = supply;
    this.classic = classic;
    this.now = index.snapshot.now();
    this.timers = index.snapshot.settings().timers();
  }

  List<PlanAction> actions() {
    return out;
  }

  /**
   * The earliest instant at which a timer rule (error-delay, come-alive, retire-interval,
   * job-alive, keep-alive, a reclaim's lead, give-back-grace) that held no VM at this plan's time
   * may hold one, with the same inputs: until then, the same snapshot at a later time plans the
   * same (the engine reuses such a plan, docs/architecture.md section 4).
   *
   * @return the instant, or {@link Instant#MAX} when no timer is running
   */
  Instant due() {
    return due;
  }

  /** Notes that a rule comparing the age of {@code t} with {@code limit} may fire from t + limit on. */
  private void dueAt(Instant t, Duration limit) {
    Instant at = t.plus(limit);
    if (at.isBefore(due)) {
      due = at;
    }
  }

  /**
   * The opportunistic VMs this plan terminates for preferred groups that wait for their room
   * ({@link #preemptForPreferred}, and {@link #giveBack} with a zero grace): the planner books that
   * room for the waiting groups in the same plan.
   *
   * @return the VMs, in the order they were terminated
   */
  List<Vm> freedForPreferred() {
    return freedForPreferred;
  }

  /** Rules 1-7: the timers and the retire/terminate pipeline. */
  void timers() {
    GroupName lastGroup = null; // the VMs come by name, which starts with the group: one look-up a run
    boolean lastHeld = false;
    for (Vm vm : index.vms) {
      VmState state = vm.state();
      if (state == VmState.RUNNING || state == VmState.TERMINATED || state == VmState.MANUAL) {
        continue; // no timer applies (the switch below does nothing for them): most VMs, no look-up
      }
      if (vm.group() != lastGroup) {
        lastGroup = vm.group();
        lastHeld = index.holds(lastGroup);
      }
      if (!lastHeld || index.isManual(vm) || index.isAdoptee(vm)) {
        continue;
      }
      Worker w = state == VmState.TERMINATING || state == VmState.IDLE || state == VmState.RETIRING ? index.worker(vm.id()) : null;
      switch (state) {
        case TERMINATED -> {}
        case TERMINATING -> {
          leave(vm);
          terminateAgain(vm, w);
        }
        case ERROR -> {
          Instant entered = vm.enteredAt(VmState.ERROR).orElse(vm.stateSince());
          Duration in = since(entered);
          if (in.compareTo(timers.errorDelay()) > 0) {
            terminate(vm, "in ERROR for " + secs(in) + " > error-delay " + secs(timers.errorDelay()));
          } else {
            dueAt(entered, timers.errorDelay());
          }
        }
        case REQUESTED, BOOTING, UNREGISTERED -> {
          Duration age = since(vm.createdAt());
          if (age.compareTo(timers.comeAlive()) > 0) {
            terminate(
                vm,
                vm.state().name().toLowerCase(Locale.ROOT) + " " + secs(age)
                    + " after it was requested, never registered > come-alive " + secs(timers.comeAlive()));
          } else {
            dueAt(vm.createdAt(), timers.comeAlive());
          }
        }
        case IDLE -> idle(vm, w);
        case RETIRING -> {
          leave(vm);
          if (w == null || w.runningJobs() == 0) {
            terminate(vm, w == null ? "retiring and its worker is gone" : "retiring and its worker runs no job");
          } else {
            Instant last = vm.lastAttemptAt();
            Duration ago = last == null ? null : since(last);
            if (ago == null || ago.compareTo(timers.retireInterval()) >= 0) {
              retire(
                  vm,
                  "still draining " + w.runningJobs() + " jobs"
                      + (ago == null ? "" : ", last asked " + secs(ago) + " ago >= retire-interval " + secs(timers.retireInterval()))
                      + ": asking again");
            } else {
              dueAt(last, timers.retireInterval());
            }
          }
        }
        default -> {}
      }
    }
  }

  /** Rule 1: a delete the cloud did not carry out is sent again. */
  private void terminateAgain(Vm vm, @Nullable Worker w) {
    if (w != null && w.runningJobs() > 0) {
      return;
    }
    if (index.liveInstance(vm) == null) {
      return;
    }
    Instant last = vm.lastAttemptAt();
    boolean asked = last != null && !last.isBefore(vm.stateSince());
    Duration ago = since(asked ? last : vm.stateSince());
    if (ago.compareTo(timers.errorDelay()) <= 0) {
      dueAt(asked ? last : vm.stateSince(), timers.errorDelay());
      return;
    }
    if (!acted.add(vm.id())) {
      return;
    }
    out.add(
        new Terminate(
            vm.id(),
            "terminate " + vm.id() + " again: still present " + secs(ago)
                + (asked ? " after the delete" : " after it began terminating")
                + " > error-delay " + secs(timers.errorDelay())
                + " (attempt " + (vm.terminateAttempts() + 1) + ")"));
  }

  private void idle(Vm vm, @Nullable Worker w) {
    if (w != null && w.runningJobs() > 0) {
      return;
    }
    if (supply != null && supply.inUse(vm.id())) {
      return;
    }
    if (vm.lastBusyAt() == null) {
      Instant reg = vm.registeredAt() != null ? vm.registeredAt() : vm.stateSince();
      Duration d = since(reg);
      if (d.compareTo(timers.jobAlive()) > 0) {
        retireOrTerminate(vm, w, "registered " + secs(d) + " ago and never ran a job > job-alive " + secs(timers.jobAlive()));
      } else {
        dueAt(reg, timers.jobAlive());
      }
      return;
    }
    Duration idle = since(vm.lastBusyAt());
    Duration ka = index.keepAlive(vm, !classic);
    if (idle.compareTo(ka) > 0) {
      retireOrTerminate(vm, w, "idle " + secs(idle) + " > keep-alive " + secs(ka));
    } else {
      dueAt(vm.lastBusyAt(), ka);
    }
  }

  /**
   * Rule 8: groups over their limits on a cloud shed VMs until within them.
   *
   * @param excess how far each (group, cloud) was over its limits before this plan
   */
  void overLimits(Map<GroupCloud, CapacityLedger.Room> excess) {
    if (excess.isEmpty()) {
      return; // the usual cycle: the VMs are not grouped for nothing
    }
    Map<GroupCloud, List<Vm>> byGc = vmsByGroupCloud(null);
    for (Map.Entry<GroupCloud, CapacityLedger.Room> e : new TreeMap<>(excess).entrySet()) {
      GroupCloud gc = e.getKey();
      CloudView view = index.clouds.get(gc.cloud());
      if (view == null || !view.reachable()) {
        continue;
      }
      long[] gone = leaving.getOrDefault(gc, new long[3]);
      long needCores = e.getValue().cores() - gone[0];
      long needRam = e.getValue().ramMiB() - gone[1];
      long needInst = e.getValue().instances() - gone[2];
      if (needCores <= 0 && needRam <= 0 && needInst <= 0) {
        continue;
      }
      String why =
          gc.group() + " is over its limits on " + gc.cloud() + " by "
              + describe(e.getValue()) + " (quota, softmax or caps)";
      for (Vm vm : shedOrder(byGc.getOrDefault(gc, List.of()))) {
        if (needCores <= 0 && needRam <= 0 && needInst <= 0) {
          break;
        }
        if (shed(vm, why + (classic ? "; shedding the tail by time in state" : "; idle VMs first, then the newest"))) {
          needCores -= vm.resources().cores();
          needRam -= vm.resources().ramMiB();
          needInst -= 1;
        }
      }
    }
  }

  /**
   * Rule 9: opportunistic VMs give capacity back to preferred groups that wait for it.
   *
   * @param needs per cloud, the cores preferred groups wait for there
   */
  void giveBack(Map<CloudName, Need> needs) {
    if (needs.isEmpty()) {
      return;
    }
    Map<GroupCloud, List<Vm>> byGc = vmsByGroupCloud(needs.keySet());
    for (Map.Entry<CloudName, Need> e : new TreeMap<>(needs).entrySet()) {
      CloudName c = e.getKey();
      List<Vm> opp = new ArrayList<>();
      long goingAway = 0;
      for (Map.Entry<GroupCloud, List<Vm>> g : byGc.entrySet()) {
        Allocation a = index.allocations.get(g.getKey());
        if (!g.getKey().cloud().equals(c) || a == null || a.mode() != AllocationMode.OPPORTUNISTIC) {
          continue;
        }
        goingAway += leaving.getOrDefault(g.getKey(), new long[3])[0];
        opp.addAll(g.getValue());
      }
      long need = e.getValue().cores() - goingAway;
      if (need <= 0 || opp.isEmpty()) {
        continue;
      }
      String why =
          "opportunistic on " + c + ", and preferred " + (e.getValue().groups().size() == 1 ? "group " : "groups ")
              + String.join(", ", e.getValue().groups().stream().map(GroupName::value).toList())
              + " need " + e.getValue().cores() + " cores there that no cloud has room for";
      boolean preempt = timers.giveBackGrace() != null && timers.giveBackGrace().isZero();
      for (Vm vm : shedOrder(opp)) {
        if (need <= 0) {
          break;
        }
        if (preempt ? preempt(vm, why + "; give-back-grace 0s: preempted") : shed(vm, why)) {
          if (preempt) {
            freedForPreferred.add(vm);
          }
          need -= vm.resources().cores();
        }
      }
    }
  }

  /**
   * How long before an administrators' reclaim deadline the VMs still there are terminated: two
   * cycles (the next cycle might come just after the deadline) plus a minute for the cloud to
   * delete them.
   *
   * @param timers the engine's timers
   * @return the lead time
   */
  static Duration reclaimLead(Timers timers) {
    return timers.cycle().multipliedBy(2).plusSeconds(60);
  }

  /** The governed policies of the reachable clouds, by cloud name. */
  private Map<CloudName, OpportunisticPolicy> governed() {
    Map<CloudName, OpportunisticPolicy> m = new TreeMap<>();
    for (CloudView v : index.clouds.values()) {
      if (v.reachable() && v.opportunistic().governed()) {
        m.put(v.cloud().name(), v.opportunistic());
      }
    }
    return m;
  }

  private boolean opportunistic(Vm vm) {
    Allocation a = index.allocations.get(new GroupCloud(vm.group(), vm.cloud()));
    return a != null && a.mode() == AllocationMode.OPPORTUNISTIC;
  }

  /**
   * A reclaim whose deadline is less than {@link #reclaimLead} away: every opportunistic VM of the
   * cloud still there is terminated now, running jobs or not, so that the capacity is back by the
   * deadline. Runs before the other rules.
   */
  void reclaimDeadlines() {
    Map<CloudName, OpportunisticPolicy> policies = governed();
    if (policies.isEmpty()) {
      return;
    }
    Duration lead = reclaimLead(timers);
    for (Vm vm : index.vms) {
      OpportunisticPolicy p = policies.get(vm.cloud());
      if (p == null || !p.reclaim() || p.deadline() == null) {
        continue;
      }
      if (now.plus(lead).isBefore(p.deadline())) {
        dueAt(p.deadline(), lead.negated());
        continue;
      }
      VmState s = vm.state();
      if (index.isManual(vm) || index.isAdoptee(vm) || !index.holds(vm.group()) || !opportunistic(vm)
          || !s.holdsCapacity() || s == VmState.TERMINATING || s == VmState.REQUESTED) {
        continue;
      }
      if (!acted.add(vm.id())) {
        continue;
      }
      Worker w = index.worker(vm.id());
      out.add(
          new Terminate(
              vm.id(),
              "terminate " + vm.id() + ": the administrators of " + vm.cloud() + " reclaim opportunistic capacity by "
                  + p.deadline() + " (" + p.source() + "), less than " + secs(lead) + " away"
                  + (w != null && w.runningJobs() > 0 ? "; its " + w.runningJobs() + " running jobs are cut short" : "")));
      if (s != VmState.RETIRING) {
        leave(vm);
      }
    }
  }

  /**
   * With a {@code give-back-grace}: an OPPORTUNISTIC VM draining (RETIRING) for at least the grace
   * on a cloud where preferred groups wait for room ({@code needs}) is terminated, running jobs or
   * not, oldest drain first, until what is terminated covers the need. Runs before the other rules.
   *
   * @param needs per cloud, the cores preferred groups wait for there
   */
  void preemptForPreferred(Map<CloudName, Need> needs) {
    Duration grace = timers.giveBackGrace();
    if (grace == null || needs.isEmpty()) {
      return;
    }
    for (Map.Entry<CloudName, Need> e : new TreeMap<>(needs).entrySet()) {
      CloudView view = index.clouds.get(e.getKey());
      if (view == null || !view.reachable()) {
        continue;
      }
      List<Vm> draining = new ArrayList<>();
      for (Vm vm : index.vms) {
        if (vm.cloud().equals(e.getKey()) && vm.state() == VmState.RETIRING && opportunistic(vm)
            && !index.isManual(vm) && !index.isAdoptee(vm) && index.holds(vm.group()) && !acted.contains(vm.id())) {
          draining.add(vm);
        }
      }
      draining.sort(Comparator.comparing(Vm::stateSince).thenComparing(Vm::id));
      long need = e.getValue().cores();
      for (Vm vm : draining) {
        if (need <= 0) {
          break;
        }
        Duration in = since(vm.stateSince());
        if (in.compareTo(grace) < 0) {
          dueAt(vm.stateSince(), grace);
          continue;
        }
        acted.add(vm.id());
        Worker w = index.worker(vm.id());
        out.add(
            new Terminate(
                vm.id(),
                "terminate " + vm.id() + ": opportunistic on " + e.getKey() + ", drained for " + secs(in)
                    + " >= give-back-grace " + secs(grace) + ", and preferred "
                    + String.join(", ", e.getValue().groups().stream().map(GroupName::value).toList())
                    + " wait for " + e.getValue().cores() + " cores there"
                    + (w != null && w.runningJobs() > 0 ? "; its " + w.runningJobs() + " running jobs are cut short" : "")));
        freedForPreferred.add(vm);
        need -= vm.resources().cores();
      }
    }
  }

  /**
   * The administrators' policy, peacefully (retire, or terminate a VM without worker): on a
   * reclaim, every opportunistic VM of the cloud; VMs of opportunistic groups the policy does not
   * allow; and, while all opportunistic groups together hold more than the policy's cores or VMs,
   * the VMs of the shed order (idle first, newest first) until within. What is already leaving
   * counts. Runs after rule 8.
   */
  void administrators() {
    Map<CloudName, OpportunisticPolicy> policies = governed();
    if (policies.isEmpty()) {
      return;
    }
    Map<CloudName, List<Vm>> mine = new TreeMap<>();
    Map<CloudName, long[]> held = new HashMap<>();
    for (Vm vm : index.vms) {
      if (!policies.containsKey(vm.cloud()) || !vm.state().holdsCapacity() || !opportunistic(vm)) {
        continue;
      }
      long[] h = held.computeIfAbsent(vm.cloud(), k -> new long[2]);
      h[0] += vm.resources().cores();
      h[1] += 1;
      if (!index.isManual(vm) && index.holds(vm.group())) {
        mine.computeIfAbsent(vm.cloud(), k -> new ArrayList<>()).add(vm);
      }
    }
    for (Map.Entry<CloudName, List<Vm>> e : mine.entrySet()) {
      CloudName c = e.getKey();
      OpportunisticPolicy p = policies.get(c);
      String by = "the administrators of " + c;
      List<Vm> rest = new ArrayList<>();
      for (Vm vm : shedOrder(e.getValue())) {
        if (p.reclaim()) {
          shed(vm, by + " reclaim opportunistic capacity"
              + (p.deadline() == null ? " (drain, no deadline)" : " by " + p.deadline()) + " (" + p.source() + ")");
        } else if (!p.allows(vm.group())) {
          shed(vm, by + " do not allow opportunistic group " + vm.group() + " (" + p.source() + ": " + p.describe() + ")");
        } else {
          rest.add(vm);
        }
      }
      long[] h = held.get(c);
      long cores = h[0];
      long vms = h[1];
      for (Map.Entry<GroupCloud, long[]> l : leaving.entrySet()) {
        if (l.getKey().cloud().equals(c) && opportunistic(l.getKey())) {
          cores -= l.getValue()[0];
          vms -= l.getValue()[2];
        }
      }
      long overCores = p.cores() == Limits.UNLIMITED ? 0 : cores - p.cores();
      long overVms = p.instances() == Limits.UNLIMITED ? 0 : vms - p.instances();
      if (overCores <= 0 && overVms <= 0) {
        continue;
      }
      String why =
          by + " allow opportunistic groups " + p.describe() + " (" + p.source() + "); they hold "
              + cores + " cores, " + vms + " VMs not yet leaving";
      for (Vm vm : rest) {
        if (overCores <= 0 && overVms <= 0) {
          break;
        }
        if (shed(vm, why)) {
          overCores -= vm.resources().cores();
          overVms -= 1;
        }
      }
    }
  }

  /**
   * Notes on what each cloud's administrators allow and what opportunistic groups hold there, plus
   * the problems found in their metadata (of every cloud, governed or not).
   *
   * @param index the snapshot's index
   * @param notes where the notes go
   */
  static void policyNotes(PlanningIndex index, List<String> notes) {
    for (CloudView v : index.clouds.values()) {
      OpportunisticPolicy p = v.opportunistic();
      notes.addAll(p.notes());
      if (!p.governed()) {
        continue;
      }
      long cores = 0;
      long vms = 0;
      for (Vm vm : index.vms) {
        Allocation a = index.allocations.get(new GroupCloud(vm.group(), vm.cloud()));
        if (vm.cloud().equals(v.cloud().name()) && vm.state().holdsCapacity()
            && a != null && a.mode() == AllocationMode.OPPORTUNISTIC) {
          cores += vm.resources().cores();
          vms++;
        }
      }
      notes.add(
          v.cloud().name() + ": administrators allow opportunistic use " + p.describe() + " (" + p.source()
              + "); opportunistic groups hold " + cores + " cores, " + vms + " VMs");
    }
  }

  private boolean opportunistic(GroupCloud gc) {
    Allocation a = index.allocations.get(gc);
    return a != null && a.mode() == AllocationMode.OPPORTUNISTIC;
  }

  /** Terminates a VM even if its worker runs jobs (they are cut short); false if already acted on. */
  private boolean preempt(Vm vm, String why) {
    if (!acted.add(vm.id())) {
      return false;
    }
    Worker w = index.worker(vm.id());
    out.add(new Terminate(vm.id(), "terminate " + vm.id() + ": " + why
        + (w != null && w.runningJobs() > 0 ? "; its " + w.runningJobs() + " running jobs are cut short" : "")));
    if (vm.state() != VmState.RETIRING && vm.state() != VmState.TERMINATING) {
      leave(vm);
    }
    return true;
  }

  /**
   * The VMs that may be shed, by group and cloud.
   *
   * @param clouds only those on these clouds, of groups whose allocation there is OPPORTUNISTIC
   *     (what {@link #giveBack} sheds); null for all
   */
  private Map<GroupCloud, List<Vm>> vmsByGroupCloud(@Nullable Set<CloudName> clouds) {
    Map<GroupCloud, List<Vm>> m = new TreeMap<>();
    // VMs come by name, which starts with group and cloud: a run of VMs shares its list
    GroupName lastGroup = null;
    CloudName lastCloud = null;
    boolean wanted = false;
    List<Vm> list = null;
    for (Vm vm : index.vms) {
      if (!vm.group().equals(lastGroup) || !vm.cloud().equals(lastCloud)) {
        lastGroup = vm.group();
        lastCloud = vm.cloud();
        list = null;
        wanted = clouds == null || (clouds.contains(lastCloud) && isOpportunistic(lastGroup, lastCloud));
      }
      if (wanted
          && !index.isManual(vm)
          && !index.isAdoptee(vm)
          && index.holds(vm.group())
          && vm.state().holdsCapacity()
          && !acted.contains(vm.id())) {
        if (list == null) {
          list = m.computeIfAbsent(new GroupCloud(lastGroup, lastCloud), k -> new ArrayList<>());
        }
        list.add(vm);
      }
    }
    return m;
  }

  private boolean isOpportunistic(GroupName g, CloudName c) {
    Allocation a = index.allocation(g, c);
    return a != null && a.mode() == AllocationMode.OPPORTUNISTIC;
  }

  /**
   * The order in which VMs are shed. Default: IDLE VMs nobody's jobs were packed onto, then other
   * IDLE ones, then BOOTING/UNREGISTERED, then RUNNING, each newest first. Classic (production's
   * running sum over time in the current state, tail retired): VMs without a worker first, then
   * the longest in their state.
   */
  private List<Vm> shedOrder(List<Vm> vms) {
    List<Vm> l = new ArrayList<>();
    for (Vm vm : vms) {
      VmState s = vm.state();
      if (!acted.contains(vm.id())
          && (s == VmState.IDLE || s == VmState.RUNNING || s == VmState.BOOTING || s == VmState.UNREGISTERED)) {
        l.add(vm);
      }
    }
    Comparator<Vm> newest = Comparator.comparing(Vm::createdAt).reversed().thenComparing(Vm::id);
    if (classic) {
      l.sort(
          Comparator.comparing((Vm v) -> index.worker(v.id()) != null)
              .thenComparing(Vm::stateSince)
              .thenComparing(Vm::id));
    } else {
      l.sort(Comparator.comparingInt(this::shedRank).thenComparing(newest));
    }
    return l;
  }

  private int shedRank(Vm vm) {
    return switch (vm.state()) {
      case IDLE -> supply != null && supply.inUse(vm.id()) ? 1 : 0;
      case BOOTING, UNREGISTERED -> 2;
      default -> 3;
    };
  }

  private boolean shed(Vm vm, String why) {
    return retireOrTerminate(vm, index.worker(vm.id()), why);
  }

  private boolean retireOrTerminate(Vm vm, @Nullable Worker w, String why) {
    if (w != null) {
      return retire(vm, why);
    }
    return terminate(vm, why);
  }

  private boolean retire(Vm vm, String why) {
    if (!acted.add(vm.id())) {
      return false;
    }
    out.add(new Retire(vm.id(), "retire " + vm.id() + ": " + why));
    if (vm.state() != VmState.RETIRING) {
      leave(vm);
    }
    return true;
  }

  private boolean terminate(Vm vm, String why) {
    Worker w = index.worker(vm.id());
    if (w != null && w.runningJobs() > 0) {
      // Never terminate a VM that runs jobs: drain it instead.
      return retire(vm, why + " (drain first: its worker runs " + w.runningJobs() + " jobs)");
    }
    if (!acted.add(vm.id())) {
      return false;
    }
    out.add(new Terminate(vm.id(), "terminate " + vm.id() + ": " + why));
    if (vm.state() != VmState.RETIRING && vm.state() != VmState.TERMINATING) {
      leave(vm);
    }
    return true;
  }

  private void leave(Vm vm) {
    long[] a = leaving.computeIfAbsent(new GroupCloud(vm.group(), vm.cloud()), k -> new long[3]);
    a[0] += vm.resources().cores();
    a[1] += vm.resources().ramMiB();
    a[2] += 1;
  }

  private Duration since(Instant t) {
    Duration d = Duration.between(t, now);
    return d.isNegative() ? Duration.ZERO : d;
  }

  static String secs(Duration d) {
    return d.getSeconds() + "s";
  }

  static String describe(CapacityLedger.Room r) {
    List<String> parts = new ArrayList<>();
    if (r.cores() > 0) parts.add(r.cores() + " cores");
    if (r.ramMiB() > 0) parts.add(r.ramMiB() + " MiB");
    if (r.instances() > 0) parts.add(r.instances() + " VMs");
    return String.join(", ", parts);
  }
}
