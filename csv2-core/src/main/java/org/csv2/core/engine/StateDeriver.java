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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.csv2.core.planning.ListDelta;
import org.csv2.model.AccountingRecord;
import org.csv2.model.CloudName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.jspecify.annotations.Nullable;

/**
 * Derives every VM's state from the current observations: the stored records, the instances each
 * reachable cloud lists and the workers the job source reports. It is a pure function; it keeps
 * no counter that could drift (the production system's slot triggers did).
 *
 * <p>Rules, the first that applies wins:
 *
 * <ol>
 *   <li>TERMINATED records stay TERMINATED (a late instance is adopted again by the planner).
 *   <li>A VM an operator controls becomes MANUAL and is otherwise left alone.
 *   <li>A VM on a cloud that could not be read keeps its state: missing instances prove nothing.
 *   <li>No instance (matched by instance id, else by VM name): a REQUESTED VM younger than two
 *       cycles is left alone (its boot reply may be on its way), an older one becomes TERMINATED
 *       ("boot never answered"); any other VM becomes TERMINATED ("instance gone") with an
 *       accounting record.
 *   <li>Instance ERROR or STOPPED: ERROR, with the cloud's fault as reason.
 *   <li>TERMINATING stays TERMINATING until the instance is gone; RETIRING stays RETIRING.
 *   <li>Instance PENDING: BOOTING.
 *   <li>Instance ACTIVE: no worker, UNREGISTERED; a worker running jobs, RUNNING; an idle worker,
 *       IDLE. When the job source could not be read, worker-based states are kept as they were.
 * </ol>
 *
 * <p>{@link Vm#lastBusyAt()} is set when a VM enters RUNNING and again when it leaves it, so a
 * VM that keeps running is not rewritten every cycle; for an IDLE VM it is the last time it was
 * seen busy. {@link Vm#registeredAt()} is set the first time its worker is seen.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class StateDeriver {
  private StateDeriver() {}

  /**
   * Derives the states of this cycle.
   *
   * @param vms the stored VMs of this engine
   * @param instances the instances of every cloud read this cycle; a cloud absent from the map
   *     could not be read
   * @param workers the job source's workers, or null if it could not be read
   * @param now the cycle's time
   * @param cycle the cycle period (a REQUESTED VM gets two of them to show up)
   * @return the derived VMs, what changed and why
   */
  public static Derivation derive(
      List<Vm> vms,
      Map<CloudName, List<Instance>> instances,
      @Nullable List<Worker> workers,
      Instant now,
      Duration cycle) {
    return derive(vms, Observed.of(instances, workers, null), now, cycle);
  }

  /**
   * The observations indexed for derivation: each reachable cloud's live instances by id and by
   * name, and the workers' running jobs by VM. An index is reused for a cloud whose instance list
   * (or a worker list) is the very list indexed the cycle before, as a source that answers from a
   * cache gives it. The lists are immutable ({@code CloudView} and {@code JobSnapshot} copy what a
   * plugin returns unless it already is an immutable list), so the same list has the same content.
   */
  public static final class Observed {
    private final Map<CloudName, List<Instance>> lists;
    private final Map<CloudName, Map<InstanceId, Instance>> byId;
    private final Map<CloudName, Map<VmId, Instance>> byName;
    private final @Nullable List<Worker> workerList;
    private final @Nullable Map<VmId, WorkerSummary> workers;

    private Observed(
        Map<CloudName, List<Instance>> lists,
        Map<CloudName, Map<InstanceId, Instance>> byId,
        Map<CloudName, Map<VmId, Instance>> byName,
        @Nullable List<Worker> workerList,
        @Nullable Map<VmId, WorkerSummary> workers) {
      this.lists = lists;
      this.byId = byId;
      this.byName = byName;
      this.workerList = workerList;
      this.workers = workers;
    }

    /**
     * Whether this index was built from the very lists of another: the same clouds reachable, each
     * with the same instance list object, and the same worker list object (or both unread).
     *
     * @param o the other index
     * @return whether both stand for the same observations
     */
    boolean sameAs(Observed o) {
      if (o == this) {
        return true;
      }
      if (workerList != o.workerList || lists.size() != o.lists.size()) {
        return false;
      }
      for (Map.Entry<CloudName, List<Instance>> e : lists.entrySet()) {
        if (o.lists.get(e.getKey()) != e.getValue()) {
          return false;
        }
      }
      return true;
    }

    /**
     * What changed since another index, as far as a VM's derivation can tell: the ids and names of
     * the instances that came, went or changed (their record is another object), and the VMs
     * whose workers did; null when the reachable clouds differ, the workers were read in one and
     * not the other, or a list changed by more than a few elements ({@link ListDelta}).
     *
     * @param o the earlier index
     * @return what changed, or null
     */
    @Nullable Changes changesSince(Observed o) {
      if (lists.size() != o.lists.size() || (workerList == null) != (o.workerList == null)) {
        return null;
      }
      Set<InstanceId> ids = new HashSet<>();
      Set<VmId> names = new HashSet<>();
      Set<VmId> workerVms = new HashSet<>();
      for (Map.Entry<CloudName, List<Instance>> e : lists.entrySet()) {
        List<Instance> before = o.lists.get(e.getKey());
        if (before == null) {
          return null;
        }
        if (before == e.getValue()) {
          continue;
        }
        ListDelta<Instance> d = ListDelta.of(before, e.getValue(), Math.max(16, e.getValue().size() / 8));
        if (d == null) {
          return null;
        }
        for (List<Instance> l : List.of(d.removed(), d.added())) {
          for (Instance i : l) {
            ids.add(i.id());
            names.add(i.name());
          }
        }
      }
      if (workerList != null && workerList != o.workerList) {
        ListDelta<Worker> d = ListDelta.of(o.workerList, workerList, Math.max(16, workerList.size() / 8));
        if (d == null) {
          return null;
        }
        d.removed().forEach(w -> workerVms.add(w.vm()));
        d.added().forEach(w -> workerVms.add(w.vm()));
      }
      return new Changes(ids, names, workerVms);
    }

    /** The instances, not TERMINATED, that the reachable clouds list. */
    private int liveInstances() {
      int n = 0;
      for (Map<InstanceId, Instance> m : byId.values()) {
        n += m.size();
      }
      return n;
    }

    /**
     * Indexes observations.
     *
     * @param instances the instances of every cloud read this cycle; a cloud absent from the map
     *     could not be read
     * @param workers the job source's workers, or null if it could not be read
     * @param previous the index of the cycle before, or null; when the workers changed by a few
     *     records, its worker index is taken over and brought up to date, so that afterwards it may
     *     only be compared ({@link #sameAs}, {@link #changesSince}), not derived with
     * @return the index
     */
    public static Observed of(
        Map<CloudName, List<Instance>> instances, @Nullable List<Worker> workers, @Nullable Observed previous) {
      Map<CloudName, Map<InstanceId, Instance>> byId = new HashMap<>();
      Map<CloudName, Map<VmId, Instance>> byName = new HashMap<>();
      instances.forEach(
          (cloud, list) -> {
            if (previous != null && previous.lists.get(cloud) == list) {
              byId.put(cloud, previous.byId.get(cloud));
              byName.put(cloud, previous.byName.get(cloud));
              return;
            }
            Map<InstanceId, Instance> ids = new HashMap<>();
            Map<VmId, Instance> names = new HashMap<>();
            for (Instance i : list) {
              if (i.state() != InstanceState.TERMINATED) {
                ids.put(i.id(), i);
                names.putIfAbsent(i.name(), i);
              }
            }
            byId.put(cloud, ids);
            byName.put(cloud, names);
          });
      Map<VmId, WorkerSummary> workersByVm = null;
      if (workers != null && previous != null && previous.workerList == workers) {
        workersByVm = previous.workers;
      } else if (workers != null) {
        ListDelta<Worker> d =
            previous != null && previous.workers != null && previous.workerList != null
                ? ListDelta.of(previous.workerList, workers, Math.max(16, workers.size() / 8))
                : null;
        if (d != null) {
          // taken over and brought up to date: the previous index is only compared from now on
          workersByVm = previous.workers;
          d.removed().forEach(w -> count(previous.workers, w, -1));
          d.added().forEach(w -> count(previous.workers, w, 1));
        } else {
          workersByVm = new HashMap<>();
          for (Worker w : workers) {
            count(workersByVm, w, 1);
          }
        }
      }
      return new Observed(new HashMap<>(instances), byId, byName, workers, workersByVm);
    }

    /** Counts a worker into (or, with -1, out of) its VM's summary; a VM with no worker has none. */
    private static void count(Map<VmId, WorkerSummary> byVm, Worker w, int sign) {
      WorkerSummary s = byVm.get(w.vm());
      int workers = (s == null ? 0 : s.workers) + sign;
      if (workers <= 0) {
        byVm.remove(w.vm());
      } else {
        byVm.put(w.vm(), new WorkerSummary((s == null ? 0 : s.runningJobs) + sign * w.runningJobs(), workers));
      }
    }
  }

  /**
   * Derives the states of this cycle from indexed observations.
   *
   * @param vms the stored VMs of this engine
   * @param observed the cycle's observations, indexed
   * @param now the cycle's time
   * @param cycle the cycle period (a REQUESTED VM gets two of them to show up)
   * @return the derived VMs, what changed and why
   */
  public static Derivation derive(List<Vm> vms, Observed observed, Instant now, Duration cycle) {
    return derive(vms, observed, now, cycle, null, null);
  }

  /**
   * Derives the states of this cycle, reusing an earlier derivation's answer for every record it
   * left unchanged: a VM at index {@code i} that is the very record {@code lastIn.get(i)}, which
   * that derivation returned as is ({@code lastOut.get(i)}), is not derived again. The caller
   * vouches that the earlier derivation had the same observations and cycle period and that the
   * time is before its {@link #due} instant, so each such record would be returned as is again.
   *
   * @param vms the stored VMs of this engine
   * @param observed the cycle's observations, indexed
   * @param now the cycle's time
   * @param cycle the cycle period
   * @param lastIn the earlier derivation's input (same size as {@code vms}), or null
   * @param lastOut the earlier derivation's output, or null
   * @return the derived VMs, what changed and why
   */
  static Derivation derive(
      List<Vm> vms, Observed observed, Instant now, Duration cycle, @Nullable List<Vm> lastIn, @Nullable List<Vm> lastOut) {
    return derive(vms, observed, now, cycle, lastIn, lastOut, null);
  }

  /**
   * {@link #derive(List, Observed, Instant, Duration, List, List)} after observations that changed:
   * a record is reused as there when, besides, {@code changes} does not {@linkplain Changes#concern
   * concern} it (the caller vouches that they are the changes since the earlier derivation's
   * observations, and that the time is before its due instant).
   *
   * @param changes what changed since the earlier derivation's observations, or null when nothing did
   */
  static Derivation derive(
      List<Vm> vms,
      Observed observed,
      Instant now,
      Duration cycle,
      @Nullable List<Vm> lastIn,
      @Nullable List<Vm> lastOut,
      @Nullable Changes changes) {
    Objects.requireNonNull(now, "now");
    boolean partial = lastIn != null && lastOut != null && lastIn.size() == vms.size() && lastOut.size() == vms.size();
    Map<CloudName, Map<InstanceId, Instance>> byId = observed.byId;
    Map<CloudName, Map<VmId, Instance>> byName = observed.byName;
    @Nullable Map<VmId, WorkerSummary> workersByVm = observed.workers;
    int matched = 0;
    List<Vm> all = new ArrayList<>(vms.size());
    List<Vm> changed = new ArrayList<>();
    List<VmEvent> events = new ArrayList<>();
    List<AccountingRecord> accounting = new ArrayList<>();
    for (int k = 0; k < vms.size(); k++) {
      Vm vm = vms.get(k);
      Vm next =
          partial && lastIn.get(k) == vm && lastOut.get(k) == vm && (changes == null || !changes.concern(vm))
              ? vm // unchanged by a derivation with the same observations of it before its due instant
              : deriveOne(vm, byId, byName, workersByVm, now, cycle);
      if (next.state() != VmState.TERMINATED && next.instanceId() != null && byId.containsKey(next.cloud())) {
        matched++;
      }
      all.add(next);
      if (!next.equals(vm)) {
        changed.add(next);
      }
      if (next.state() != vm.state()) {
        events.add(
            new VmEvent(next.id(), next.group(), next.cloud(), vm.state(), next.state(), now, next.reason()));
        if (next.state() == VmState.TERMINATED && next.instanceId() != null) {
          accounting.add(accountingOf(next, now));
        }
      }
    }
    return new Derivation(all, changed, events, accounting, matched < observed.liveInstances());
  }

  /**
   * The first instant at which a derivation of these VMs with these observations could differ from
   * one made earlier: the only rule that reads the time without a change of input is "boot never
   * answered" (a REQUESTED VM with no instance id whose reachable cloud lists no instance of its
   * name is left alone until two cycles after its creation). A derivation that changed nothing
   * changes nothing again with the same inputs before this instant; the engine reuses it until then.
   *
   * @param vms the stored VMs of this engine
   * @param observed the cycle's observations, indexed
   * @param cycle the cycle period
   * @return the earliest such instant, or {@link Instant#MAX}
   */
  static Instant due(List<Vm> vms, Observed observed, Duration cycle) {
    Instant due = Instant.MAX;
    for (Vm vm : vms) {
      if (vm.state() != VmState.REQUESTED || vm.instanceId() != null || vm.manual()) {
        continue;
      }
      Map<VmId, Instance> names = observed.byName.get(vm.cloud());
      if (names != null && names.get(vm.id()) == null) {
        Instant at = answerDeadline(vm, cycle);
        if (at.isBefore(due)) {
          due = at;
        }
      }
    }
    return due;
  }

  /** When a REQUESTED VM whose cloud lists no instance of it is given up ("boot never answered"). */
  private static Instant answerDeadline(Vm vm, Duration cycle) {
    return vm.createdAt().plus(cycle.multipliedBy(2));
  }

  /**
   * The accounting record of a VM that ended now: from its first BOOTING (else its creation) to
   * now.
   *
   * @param vm the VM
   * @param end when it ended
   * @return the record
   */
  public static AccountingRecord accountingOf(Vm vm, Instant end) {
    Instant start = vm.enteredAt(VmState.BOOTING).orElse(vm.createdAt());
    if (start.isAfter(end)) {
      start = end;
    }
    return new AccountingRecord(
        vm.id(),
        vm.group(),
        vm.cloud(),
        vm.flavor(),
        vm.resources().cores(),
        vm.resources().ramMiB(),
        start,
        end,
        Duration.between(start, end).toSeconds());
  }

  private static Vm deriveOne(
      Vm vm,
      Map<CloudName, Map<InstanceId, Instance>> byId,
      Map<CloudName, Map<VmId, Instance>> byName,
      @Nullable Map<VmId, WorkerSummary> workers,
      Instant now,
      Duration cycle) {
    if (vm.state() == VmState.TERMINATED) {
      return vm;
    }
    if (vm.manual()) {
      // left alone, but an instance found by name is recorded (a boot reply lost before manctl)
      Map<VmId, Instance> names = byName.get(vm.cloud());
      Instance named = vm.instanceId() == null && names != null ? names.get(vm.id()) : null;
      Vm m = named == null ? vm : vm.withInstanceId(named.id());
      return m.withState(VmState.MANUAL, now, "under manual control");
    }
    Map<InstanceId, Instance> ids = byId.get(vm.cloud());
    if (ids == null) {
      return vm;
    }
    Instance instance =
        vm.instanceId() != null ? ids.get(vm.instanceId()) : byName.get(vm.cloud()).get(vm.id());
    if (instance == null) {
      return vanished(vm, now, cycle);
    }
    Vm v = vm.withInstanceId(instance.id());
    if (v.state() == VmState.MANUAL) {
      v = v.withState(VmState.BOOTING, now, "manual control ended");
    }
    switch (instance.state()) {
      case ERROR:
      case STOPPED:
        return v.withState(
            VmState.ERROR,
            now,
            instance.fault().isBlank()
                ? "cloud reports the instance " + instance.state()
                : instance.fault());
      case TERMINATING:
        return v.withState(VmState.TERMINATING, now, "cloud is deleting the instance");
      case TERMINATED:
        return vanished(v, now, cycle);
      case UNKNOWN:
        return v;
      case PENDING:
      case ACTIVE:
        break;
    }
    if (v.state() == VmState.TERMINATING || v.state() == VmState.RETIRING) {
      return registration(v, workers, now);
    }
    if (instance.state() == InstanceState.PENDING) {
      return v.withState(VmState.BOOTING, now, "cloud is building the instance");
    }
    if (workers == null) {
      return v.state() == VmState.REQUESTED || v.state() == VmState.BOOTING || v.state() == VmState.ERROR
          ? v.withState(VmState.UNREGISTERED, now, "instance is active")
          : v;
    }
    WorkerSummary worker = workers.get(v.id());
    if (worker == null) {
      return v.withState(VmState.UNREGISTERED, now, "instance is active, no worker registered");
    }
    v = registration(v, workers, now);
    if (worker.runningJobs > 0) {
      if (v.state() == VmState.RUNNING) {
        return v; // the reason below is built only for a change: this runs for every VM every cycle
      }
      v = v.toBuilder().lastBusyAt(now).build();
      return v.withState(VmState.RUNNING, now, "worker runs " + worker.runningJobs + " job(s)");
    }
    if (v.state() == VmState.RUNNING) {
      v = v.toBuilder().lastBusyAt(now).build();
    }
    return v.withState(VmState.IDLE, now, "worker registered and idle");
  }

  private static Vm registration(Vm vm, @Nullable Map<VmId, WorkerSummary> workers, Instant now) {
    if (vm.registeredAt() == null && workers != null && workers.containsKey(vm.id())) {
      return vm.toBuilder().registeredAt(now).build();
    }
    return vm;
  }

  private static Vm vanished(Vm vm, Instant now, Duration cycle) {
    if (vm.state() == VmState.REQUESTED && vm.instanceId() == null) {
      if (now.isBefore(answerDeadline(vm, cycle))) {
        return vm;
      }
      return vm.withState(VmState.TERMINATED, now, "boot never answered: no instance named " + vm.id());
    }
    return vm.withState(
        VmState.TERMINATED,
        now,
        vm.state() == VmState.TERMINATING ? "instance deleted" : "instance vanished from the cloud");
  }

  /**
   * The result of a derivation.
   *
   * @param vms every VM, derived (same order as the input)
   * @param changed the VMs whose record changed
   * @param events the transitions, with reasons
   * @param accounting accounting records of VMs whose instance is gone
   * @param unmatchedInstances whether a reachable cloud lists an instance (not TERMINATED) that none
   *     of the VMs stands for; false in the usual cycle, where every listed instance is a live VM's
   */
  public record Derivation(
      List<Vm> vms,
      List<Vm> changed,
      List<VmEvent> events,
      List<AccountingRecord> accounting,
      boolean unmatchedInstances) {
    /** Copies. */
    public Derivation {
      vms = List.copyOf(vms);
      changed = List.copyOf(changed);
      events = List.copyOf(events);
      accounting = List.copyOf(accounting);
    }
  }

  /** A VM's workers: the jobs they run, and how many they are. */
  private record WorkerSummary(int runningJobs, int workers) {}

  /**
   * The observations that changed between two indexes ({@link Observed#changesSince}): a VM none
   * of them concerns is observed as before.
   */
  record Changes(Set<InstanceId> instanceIds, Set<VmId> instanceNames, Set<VmId> workerVms) {
    /** Whether a VM's observations may differ: its instance (by id, else by name) or its workers. */
    boolean concern(Vm vm) {
      return (vm.instanceId() != null && instanceIds.contains(vm.instanceId()))
          || instanceNames.contains(vm.id())
          || workerVms.contains(vm.id());
    }
  }
}
