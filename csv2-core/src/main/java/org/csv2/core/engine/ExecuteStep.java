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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.random.RandomGenerator;
import org.csv2.api.CloudException;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.Adoptions;
import org.csv2.model.AccountingRecord;
import org.csv2.model.Adopt;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.StateStore;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.StoreChanges;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Step 5 of the cycle, <b>execute</b>: carries out the plan. Adoptions and retirements on the
 * cycle thread, then each cloud's terminations and boots as one task per cloud, all clouds at
 * once. A boot's VM records are committed as REQUESTED <em>before</em> the cloud is called, so
 * that a crash or a lost reply is healed by the next cycle (the instance is matched by name, or
 * the record ends TERMINATED). One failing action never stops the others.
 *
 * <p>In: the configuration, the {@link Observation}, the {@link DeriveStep.Derived} VMs, the plan,
 * the time. Out: an {@link Execution}, the cycle's working set of VM records and the writes that
 * {@link RecordStep} commits.
 */
final class ExecuteStep {
  private static final Logger log = LoggerFactory.getLogger(ExecuteStep.class);
  private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int SUFFIX_LENGTH = 10;

  /** A VM still not gone after this many terminate calls (and every multiple) is logged at WARN. */
  static final int TERMINATE_WARN_EVERY = 10;

  private final ExecutorService executor;
  private final RandomGenerator random;
  private final BootComposer composer;
  private final StateStore store;
  private final JobSources jobSources;
  private final Map<CloudName, CloudGateway> gateways;
  /** The SSH key a boot's VMs are given (a reservation's owner's), or null: ReservationStep's. */
  private java.util.function.Function<Boot, @Nullable String> sshKeys = b -> null;

  ExecuteStep(
      ExecutorService executor,
      RandomGenerator random,
      BootComposer composer,
      StateStore store,
      JobSources jobSources,
      Map<CloudName, CloudGateway> gateways) {
    this.executor = executor;
    this.random = random;
    this.composer = composer;
    this.store = store;
    this.jobSources = jobSources;
    this.gateways = gateways;
  }

  /**
   * Sets where boots find the SSH key their VMs get (the reservations' owners' keys).
   *
   * @param keys the key of a boot, or null
   */
  void sshKeys(java.util.function.Function<Boot, @Nullable String> keys) {
    this.sshKeys = keys;
  }

  /** Whether an execution that altered nothing leaves its working set to the next (false: built every cycle). */
  private boolean reuse = true;

  /**
   * The working set of the last execution, when it altered nothing, with the lists it was built
   * from: the next execution over the same records starts from it instead of building its own.
   */
  private @Nullable Kept kept;

  private record Kept(List<Vm> derived, List<Vm> otherGroups, Map<VmId, Vm> working) {}

  /**
   * Sets whether an unchanged working set is kept across cycles.
   *
   * @param on false to build it every cycle
   */
  void reuse(boolean on) {
    this.reuse = on;
    kept = null;
  }

  /** Carries out the plan. */
  Execution execute(
      Csv2Config cfg, Observation obs, DeriveStep.Derived derived, Plan plan, Instant now, List<String> failures) {
    Execution ex = new Execution(cfg, obs, derived.split(), derived.derivation(), now, failures);
    ex.run(plan);
    if (reuse && !ex.altered) {
      kept = new Kept(derived.derivation().vms(), derived.split().otherGroups(), ex.working);
    }
    return ex;
  }

  /**
   * One cycle's execution: the working set of VM records and every write to make.
   *
   * <p>Adoptions and retirements (record changes and job-source calls) run on the cycle thread.
   * Then the cloud actions are grouped by cloud and each cloud's sequence (its terminations, then
   * its boots, in plan order) runs as one task on the engine's executor, all clouds at once: one
   * call at a time per cloud, each with its deadline. Each task writes into its own {@link Scope};
   * the scopes are merged in configuration order when every task is done, so the outcome does not
   * depend on which cloud answered first. The job source is told to {@code forget} terminated VMs
   * after that, one call at a time, on the cycle thread.
   */
  final class Execution {
    private final Csv2Config cfg;
    private final Observation obs;
    private final StoredVms split;
    private final Instant now;
    private final List<String> failures;
    /**
     * The stored version of every record this cycle changed (by derivation or by an action), in
     * the order they changed: the commit compares these only, not every VM.
     */
    private final Map<VmId, Vm> stored = new LinkedHashMap<>();
    private final Map<VmId, Vm> working;
    /** Whether the working set was written since it was built (an action, TERMINATED records loaded, a deletion). */
    private boolean altered;
    private final Map<VmId, Vm> inserts = new LinkedHashMap<>();
    private final List<VmEvent> events = new ArrayList<>();
    private final List<VmEvent> pendingEvents = new ArrayList<>();
    private final List<org.csv2.model.AccountingRecord> accounting = new ArrayList<>();
    /** The job source's workers by VM, indexed at the first retirement of the cycle. */
    private @Nullable Map<VmId, Worker> workers;

    /**
     * Whether the TERMINATED records are in the working set: only in a cycle that names new VMs
     * or adopts instances (a new name must not be one of theirs; an adopted instance may revive
     * one), so that the other cycles never index them.
     */
    private boolean terminatedLoaded;

    Execution(
        Csv2Config cfg,
        Observation obs,
        StoredVms split,
        StateDeriver.Derivation d,
        Instant now,
        List<String> failures) {
      this.cfg = cfg;
      this.obs = obs;
      this.split = split;
      this.now = now;
      this.failures = failures;
      List<Vm> held = split.held();
      List<Vm> derived = d.vms();
      Kept k = kept;
      kept = null; // this execution may write it: kept again only if it does not
      if (k != null
          && SameLists.identical(derived, k.derived())
          && SameLists.identical(split.otherGroups(), k.otherGroups())
          && SameLists.identical(derived, held)) {
        // the records the last execution was built from, derived unchanged: its working set as it was
        working = k.working();
      } else {
        working = new LinkedHashMap<>();
        for (int i = 0; i < derived.size(); i++) {
          Vm vm = derived.get(i);
          working.put(vm.id(), vm);
          if (vm != held.get(i)) { // the deriver keeps the order and returns an unchanged record as is
            stored.put(vm.id(), held.get(i));
          }
        }
        for (Vm vm : split.otherGroups()) {
          working.put(vm.id(), vm);
        }
      }
      pendingEvents.addAll(d.events());
      events.addAll(d.events());
      accounting.addAll(d.accounting());
    }

    private synchronized @Nullable Worker worker(VmId vm) {
      if (workers == null) {
        workers = new HashMap<>();
        if (obs.jobs() != null) {
          for (Worker w : obs.jobs().workers()) {
            workers.putIfAbsent(w.vm(), w);
          }
        }
      }
      return workers.get(vm);
    }

    private void loadTerminated() {
      if (terminatedLoaded) {
        return;
      }
      terminatedLoaded = true;
      altered = true;
      for (Vm vm : split.terminated()) {
        working.putIfAbsent(vm.id(), vm);
      }
    }

    /** The live VM records after the execution (with other engines'), for figures. */
    List<Vm> liveVms() {
      List<Vm> out = new ArrayList<>(working.size() + split.foreign().size());
      for (Vm vm : working.values()) {
        if (vm.state() != VmState.TERMINATED) {
          out.add(vm);
        }
      }
      out.addAll(split.foreign());
      return out;
    }

    /** Every stored VM record after the execution, counted by state. */
    Map<VmState, Integer> countByState() {
      int[] n = new int[VmState.values().length];
      for (Vm vm : working.values()) {
        n[vm.state().ordinal()]++;
      }
      for (Vm vm : split.foreign()) {
        n[vm.state().ordinal()]++;
      }
      if (!terminatedLoaded) {
        n[VmState.TERMINATED.ordinal()] += split.terminated().size();
      }
      n[VmState.TERMINATED.ordinal()] -= deleted;
      Map<VmState, Integer> m = new EnumMap<>(VmState.class);
      for (VmState st : VmState.values()) {
        if (n[st.ordinal()] > 0) {
          m.put(st, n[st.ordinal()]);
        }
      }
      return m;
    }

    private int deleted;

    void run(Plan plan) {
      if (!plan.adoptions().isEmpty() || !plan.boots().isEmpty()) {
        loadTerminated();
      }
      Scope main = new Scope();
      for (Adopt a : plan.adoptions()) {
        guarded(main, a, a.cloud(), a.instance().name(), () -> adopt(main, a));
      }
      for (Retire r : plan.retirements()) {
        guarded(main, r, cloudOf(r.vm()), r.vm(), () -> retire(main, r));
      }
      merge(main);
      Map<CloudName, List<Item>> lanes = new LinkedHashMap<>();
      for (CloudName c : gateways.keySet()) {
        lanes.put(c, new ArrayList<>());
      }
      Scope unknown = new Scope();
      for (Terminate t : plan.terminations()) {
        CloudName c = cloudOf(t.vm());
        if (c == null || !lanes.containsKey(c)) {
          guarded(unknown, t, c, t.vm(), () -> terminate(unknown, t));
        } else {
          lanes.get(c).add(new Item(t, List.of()));
        }
      }
      merge(unknown);
      for (Boot b : plan.boots()) {
        List<VmId> names = new ArrayList<>();
        for (int i = 0; i < b.count(); i++) {
          names.add(newName(b.group(), b.cloud(), names));
        }
        lanes.computeIfAbsent(b.cloud(), k -> new ArrayList<>()).add(new Item(b, names));
      }
      lanes.values().removeIf(List::isEmpty);
      Map<CloudName, Lane> started = new LinkedHashMap<>();
      lanes.forEach((c, items) -> started.put(c, start(c, items)));
      // every task is done (or abandoned) before the working set is written again
      List<Scope> done = new ArrayList<>();
      started.forEach((c, lane) -> done.add(lane.await()));
      done.forEach(this::merge);
      for (Vm gone : forgetting) {
        VmId id = gone.id();
        try {
          jobSources.forget(gone.group(), id);
        } catch (RuntimeException e) {
          failures.add("job source: forget " + id + " failed: " + e.getMessage());
          CycleLog.warnFailure(log, "job source could not forget " + id, e);
        }
      }
    }

    private final List<Vm> forgetting = new ArrayList<>();
    private final Map<VmId, String> failedVms = new HashMap<>();

    private Lane start(CloudName cloud, List<Item> items) {
      Scope scope = new Scope();
      int calls = items.stream().mapToInt(i -> i.action instanceof Boot b ? b.count() : 1).sum();
      Lane lane = new Lane(cloud, scope, calls);
      CloudGateway gw = gateways.get(cloud);
      boolean batches = gw != null && overrides(gw.driver(), "terminateEach");
      Runnable body =
          () -> {
            List<Terminate> batch = new ArrayList<>();
            for (Item item : items) {
              if (lane.abandoned) {
                return;
              }
              if (item.action instanceof Terminate t && batches) {
                batch.add(t);
                if (batch.size() == CloudDriver.TERMINATE_BATCH) {
                  terminateBatch(scope, cloud, batch);
                  batch = new ArrayList<>();
                }
                continue;
              }
              if (!batch.isEmpty()) {
                terminateBatch(scope, cloud, batch);
                batch = new ArrayList<>();
              }
              if (item.action instanceof Terminate t) {
                guarded(scope, t, cloud, t.vm(), () -> terminate(scope, t));
              } else if (item.action instanceof Boot b) {
                guarded(scope, b, cloud, null, () -> boot(scope, b, item.names));
              }
            }
            if (!batch.isEmpty() && !lane.abandoned) {
              terminateBatch(scope, cloud, batch);
            }
          };
      try {
        lane.future = executor.submit(body);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        body.run();
      }
      return lane;
    }

    /** One cloud's actions, under way on the executor. */
    private final class Lane {
      private final CloudName cloud;
      private final Scope scope;
      private final Duration limit;
      private volatile boolean abandoned;
      private java.util.concurrent.@Nullable Future<?> future;

      Lane(CloudName cloud, Scope scope, int calls) {
        this.cloud = cloud;
        this.scope = scope;
        // every cloud call is bounded by the call timeout; the margin covers the store's commits
        this.limit = cfg.engine().callTimeout().multipliedBy(2L * calls + 1);
      }

      Scope await() {
        java.util.concurrent.Future<?> f = future;
        if (f == null) {
          return scope;
        }
        try {
          f.get(limit.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
          return scope;
        } catch (java.util.concurrent.TimeoutException e) {
          return abandon("did not finish within " + limit);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return abandon("was interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
          return abandon("failed: " + e.getCause());
        }
      }

      private Scope abandon(String what) {
        abandoned = true;
        if (future != null) {
          future.cancel(true);
        }
        Scope s = new Scope();
        s.failures.add(
            "cloud " + cloud + ": the plan's actions " + what + "; what they did is derived again next cycle");
        log.warn("cloud {}: the plan's actions {}; what they did is derived again next cycle", cloud, what);
        return s;
      }
    }

    private @Nullable CloudName cloudOf(VmId id) {
      Vm vm = working.get(id);
      return vm == null ? null : vm.cloud();
    }

    /** Applies a scope's effects to the execution. */
    private void merge(Scope s) {
      if (!s.saved.isEmpty() || !s.inserts.isEmpty() || !s.changed.isEmpty()) {
        altered = true;
        kept = null;
      }
      s.saved.forEach((id, vm) -> {
        stored.put(id, vm);
        working.put(id, vm);
      });
      s.inserts.forEach((id, vm) -> {
        inserts.put(id, vm);
        working.put(id, vm);
      });
      s.changed.forEach((id, vm) -> {
        Vm before = working.get(id);
        if (before != null && !inserts.containsKey(id)) {
          stored.putIfAbsent(id, before); // unchanged until now: the working record is the stored one
        }
        working.put(id, vm);
        if (inserts.containsKey(id)) {
          inserts.put(id, vm);
        }
      });
      events.addAll(s.intentEvents);
      events.addAll(s.events);
      pendingEvents.addAll(s.events);
      accounting.addAll(s.accounting);
      failures.addAll(s.failures);
      forgetting.addAll(s.forget);
      failedVms.putAll(s.failedVms);
    }

    @SuppressWarnings("try") // the MDC entries are the resources' whole point
    private void guarded(Scope scope, PlanAction action, @Nullable CloudName cloud, @Nullable VmId vm, Runnable body) {
      try (MDC.MDCCloseable c = MDC.putCloseable("cloud", cloud == null ? "" : cloud.value());
          MDC.MDCCloseable v = MDC.putCloseable("vm", vm == null ? "" : vm.value())) {
        body.run();
      } catch (RuntimeException e) {
        failed(scope, action, vm, e);
      }
    }

    private void failed(Scope scope, PlanAction action, @Nullable VmId vm, RuntimeException e) {
      if (vm != null) {
        scope.failedVms.put(vm, CycleLog.describe(action) + " failed: " + e.getMessage());
      }
      scope.failures.add(CycleLog.describe(action) + " failed: " + e.getMessage());
      CycleLog.warnFailure(log, CycleLog.describe(action) + " failed; the other actions go on", e);
    }

    // ---- adopt

    private void adopt(Scope scope, Adopt a) {
      Instance inst = a.instance();
      Vm existing = scope.get(inst.name());
      if (existing != null && existing.state() != VmState.TERMINATED) {
        if (existing.instanceId() == null) {
          scope.changed.put(existing.id(), existing.withInstanceId(inst.id()));
        }
        log.debug("instance {} on {} is already recorded as {}", inst.id(), a.cloud(), existing.id());
        return;
      }
      VmState state = Adoptions.adoptedState(inst.state());
      String why = "adopted: " + a.reason();
      if (existing != null) {
        change(scope, existing.withInstanceId(inst.id()), state, why);
        log.info("VM {} on {} adopted again (instance {})", existing.id(), a.cloud(), inst.id());
        return;
      }
      Vm vm = Adoptions.asVm(inst, a.group(), a.cloud(), flavor(a.cloud(), inst.flavor().value()), now, why);
      scope.inserts.put(vm.id(), vm);
      event(scope, null, vm);
      log.info("VM {} on {} adopted (instance {}): {}", vm.id(), a.cloud(), inst.id(), a.reason());
    }

    // ---- terminate

    private void terminate(Scope scope, Terminate t) {
      Vm vm = toTerminate(scope, t);
      if (vm == null) {
        return;
      }
      CloudGateway g = gateway(scope, vm.cloud(), "terminate " + vm.id());
      if (g == null) {
        return;
      }
      Vm attempted = attempted(vm);
      try {
        g.guard().call("terminate(" + vm.instanceId() + ")", () -> {
          g.driver().terminate(vm.instanceId());
          return Boolean.TRUE;
        });
      } catch (RuntimeException e) {
        g.recordFailure(CycleLog.asCloudFailure(e, vm.cloud(), "terminate"), now);
        scope.changed.put(vm.id(), attempted);
        throw e;
      }
      terminationAsked(scope, vm, attempted, t.reason());
    }

    /**
     * Several terminations on one cloud in one {@link CloudDriver#terminateEach} call (issue 22:
     * giving back thousands of VMs at once). Each VM's outcome is its own: one the cloud refused
     * keeps its record (its attempt counted) and is reported, the others go TERMINATING.
     */
    @SuppressWarnings("try") // the MDC entry is the resource's whole point
    private void terminateBatch(Scope scope, CloudName cloud, List<Terminate> batch) {
      List<Terminate> asked = new ArrayList<>();
      List<Vm> vms = new ArrayList<>();
      for (Terminate t : batch) {
        guarded(scope, t, cloud, t.vm(), () -> {
          Vm vm = toTerminate(scope, t);
          if (vm != null) {
            asked.add(t);
            vms.add(vm);
          }
        });
      }
      if (vms.isEmpty()) {
        return;
      }
      CloudGateway g = gateway(scope, cloud, "terminate of " + vms.size() + " VMs");
      if (g == null) {
        return;
      }
      List<Vm> attempts = new ArrayList<>(vms.size());
      java.util.Set<InstanceId> ids = new java.util.LinkedHashSet<>();
      for (Vm vm : vms) {
        attempts.add(attempted(vm));
        ids.add(vm.instanceId());
      }
      Map<InstanceId, CloudException> refused;
      try (MDC.MDCCloseable c = MDC.putCloseable("cloud", cloud.value())) {
        Map<InstanceId, CloudException> answer =
            g.guard().call("terminateEach(" + ids.size() + " instances)", () -> g.driver().terminateEach(List.copyOf(ids)));
        if (answer == null) {
          throw new CloudException(CloudException.Reason.UNAVAILABLE, "cloud " + cloud + ": terminateEach returned no answer");
        }
        refused = answer;
      } catch (RuntimeException e) {
        g.recordFailure(CycleLog.asCloudFailure(e, cloud, "terminate"), now);
        for (int i = 0; i < vms.size(); i++) {
          scope.changed.put(vms.get(i).id(), attempts.get(i));
          failed(scope, asked.get(i), vms.get(i).id(), e);
        }
        return;
      }
      boolean recorded = false;
      for (int i = 0; i < vms.size(); i++) {
        Vm vm = vms.get(i);
        CloudException why = refused.get(vm.instanceId());
        if (why == null) {
          terminationAsked(scope, vm, attempts.get(i), asked.get(i).reason());
          continue;
        }
        if (!recorded) {
          recorded = true;
          g.recordFailure(why, now);
        }
        scope.changed.put(vm.id(), attempts.get(i));
        failed(scope, asked.get(i), vm.id(), why);
      }
    }

    /** The VM to terminate with a cloud call, or null when there is none to make (noted). */
    private @Nullable Vm toTerminate(Scope scope, Terminate t) {
      Vm vm = live(scope, t.vm(), "terminate");
      if (vm == null) {
        return null;
      }
      if (!obs.jobsRead(vm.group())
          && (vm.state() == VmState.UNREGISTERED || vm.state() == VmState.IDLE || vm.state() == VmState.RUNNING)) {
        scope.failures.add("terminate " + vm.id() + " postponed: the job source was not read, its state is stale");
        return null;
      }
      if (vm.instanceId() == null) {
        change(scope, vm, VmState.TERMINATED, t.reason() + " (no instance was ever reported)");
        return null;
      }
      return vm;
    }

    /** The record with one more terminate call counted. */
    private Vm attempted(Vm vm) {
      Vm attempted = vm.toBuilder().terminateAttempts(vm.terminateAttempts() + 1).lastAttemptAt(now).build();
      if (attempted.terminateAttempts() % TERMINATE_WARN_EVERY == 0) {
        log.warn(
            "VM {} on {}: terminate call number {}; its instance {} has outlived every earlier one",
            vm.id(),
            vm.cloud(),
            attempted.terminateAttempts(),
            vm.instanceId());
      }
      return attempted;
    }

    private void terminationAsked(Scope scope, Vm vm, Vm attempted, String reason) {
      boolean again = vm.state() == VmState.TERMINATING;
      change(scope, attempted, VmState.TERMINATING, reason);
      log.info("VM {} on {}: termination asked{}: {}", vm.id(), vm.cloud(), again ? " again" : "", reason);
      if (!again) {
        scope.forget.add(vm);
      }
    }

    // ---- retire

    private void retire(Scope scope, Retire r) {
      Vm vm = live(scope, r.vm(), "retire");
      if (vm == null) {
        return;
      }
      if (!obs.jobsRead(vm.group())) {
        scope.failures.add("retire " + r.vm() + " postponed: the job source was not read");
        return;
      }
      Worker w = worker(vm.id());
      if (w != null) {
        jobSources.retire(w);
      }
      Vm attempted = vm.toBuilder().retireAttempts(vm.retireAttempts() + 1).lastAttemptAt(now).build();
      change(scope, attempted, VmState.RETIRING, r.reason());
      log.info("VM {} on {}: drain asked: {}", vm.id(), vm.cloud(), r.reason());
    }

    // ---- boot

    private void boot(Scope scope, Boot b, List<VmId> names) {
      if (!obs.jobsRead(b.group())) {
        scope.failures.add(CycleLog.describe(b) + " skipped: the job source was not read");
        return;
      }
      if (obs.bootsStopped().containsKey(b.group())) { // its job source's credential about to expire
        scope.failures.add(CycleLog.describe(b) + " skipped: group " + b.group() + " takes no new boots this cycle");
        return;
      }
      org.csv2.core.planning.CloudView view = obs.views().get(b.cloud());
      if (view != null && !view.cloud().enabled()) { // paused, removed, or its credentials about to expire
        scope.failures.add(CycleLog.describe(b) + " skipped: cloud " + b.cloud() + " takes no new boots this cycle");
        return;
      }
      CloudGateway g = gateway(scope, b.cloud(), CycleLog.describe(b));
      if (g == null) {
        return;
      }
      String held = g.bootBackoff().heldBecause(now);
      if (held != null) {
        // the planner sees the cloud disabled for boots; a planner plugin may not
        scope.failures.add(CycleLog.describe(b) + " skipped: cloud " + b.cloud() + ": " + held);
        return;
      }
      Group group = cfg.group(b.group()).orElse(null);
      Allocation allocation =
          cfg.allocations().stream()
              .filter(a -> a.group().equals(b.group()) && a.cloud().equals(b.cloud()))
              .findFirst()
              .orElse(null);
      if (group == null || allocation == null) {
        scope.failures.add(CycleLog.describe(b) + " skipped: group " + b.group() + " has no allocation on " + b.cloud());
        return;
      }
      Flavor flavor = flavor(b.cloud(), b.flavor().value());
      if (flavor == null) {
        scope.failures.add(CycleLog.describe(b) + " skipped: cloud " + b.cloud() + " does not list flavor " + b.flavor());
        return;
      }
      String sshKey = sshKeys.apply(b);
      if (sshKey != null) {
        // a reservation's cluster: its owner's key joins the group's documents (issue 15)
        group = org.csv2.core.userdata.SshKeyDocument.withKey(group, sshKey);
      }
      VmDefaults defaults = allocation.overrides().orElse(group.vmDefaults());
      Duration keepAlive = b.keepAlive() != null ? b.keepAlive() : defaults.keepAlive();
      List<Vm> intents = new ArrayList<>();
      for (VmId name : names) {
        intents.add(
            Vm.builder(name, b.group(), b.cloud(), flavor.name(), now)
                .resources(flavor.resources())
                .image(b.image())
                .alias(b.alias())
                .keepAlive(keepAlive)
                .pricePerHour(flavor.pricePerHour())
                .reason("requested: " + b.reason())
                .build());
      }
      List<VmEvent> intentEvents =
          intents.stream()
              .map(v -> new VmEvent(v.id(), v.group(), v.cloud(), null, VmState.REQUESTED, now, v.reason()))
              .toList();
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put(Csv2Tags.INSTANCE_ID, cfg.engine().instanceId());
      tags.put(Csv2Tags.GROUP, b.group().value());
      tags.put(Csv2Tags.CLOUD, b.cloud().value());
      List<BootRequest> requests = composer.requests(group, allocation, b, flavor, names, defaults, tags);
      List<Vm> saved =
          store.commit(new StoreChanges(intents, List.of(), List.of(), intentEvents, List.of(), List.of()));
      scope.intentEvents.addAll(intentEvents);
      for (Vm v : saved) {
        scope.saved.put(v.id(), v);
      }
      if (requests.size() > 1 && overrides(g.driver(), "bootEach")) {
        sendBoot(scope, g, b, requests);
      } else {
        for (BootRequest request : requests) {
          sendBoot(scope, g, b, List.of(request));
        }
      }
    }

    /**
     * Whether the driver overrides a batch verb ({@link CloudDriver#bootEach}, {@link
     * CloudDriver#terminateEach}): only then are several requests sent in one call, which it
     * overlaps or batches; to others the engine keeps one call per request, each with its own
     * deadline, so that a failure or a slow cloud still leaves the others' calls to be made.
     */
    private boolean overrides(CloudDriver driver, String verb) {
      try {
        return driver.getClass().getMethod(verb, List.class).getDeclaringClass() != CloudDriver.class;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }

    /**
     * One guarded call for all the requests of a boot: {@code boot} for one, {@code bootEach} for
     * several (each VM its own user data), which a driver may overlap (issue 22: bursts).
     */
    private void sendBoot(Scope scope, CloudGateway g, Boot b, List<BootRequest> requests) {
      BootRequest request = requests.get(0);
      List<VmId> names = new ArrayList<>();
      for (BootRequest r : requests) {
        names.addAll(r.names());
      }
      List<Instance> created;
      try {
        created = g.guard().call(
            "boot(" + names.size() + " x " + request.flavor() + ")",
            () -> requests.size() == 1 ? g.driver().boot(request) : g.driver().bootEach(requests));
      } catch (CloudException e) {
        g.recordFailure(e, now);
        g.bootBackoff().failed(now, e.reason() + ": " + e.getMessage());
        for (BootRequest r : requests) {
          bootFailed(scope, b, r, e.reason(), e);
        }
        return;
      } catch (RuntimeException e) {
        g.recordFailure(CycleLog.asCloudFailure(e, b.cloud(), "boot"), now);
        g.bootBackoff().failed(now, String.valueOf(e.getMessage()));
        for (BootRequest r : requests) {
          bootFailed(scope, b, r, CloudException.Reason.UNAVAILABLE, e);
        }
        return;
      }
      g.breaker().succeeded();
      Map<VmId, Instance> byName = new HashMap<>();
      for (Instance inst : created == null ? List.<Instance>of() : created) {
        byName.put(inst.name(), inst);
      }
      int answered = (int) names.stream().filter(byName::containsKey).count();
      long errors = byName.values().stream().filter(i -> i.state() == org.csv2.model.InstanceState.ERROR).count();
      if (answered > errors) {
        g.bootBackoff().succeeded();
      } else {
        g.bootBackoff().failed(now, answered == 0 ? "boot returned no instance" : "every instance booted in ERROR");
      }
      String partial = "boot returned " + answered + " of " + names.size() + " instances";
      if (answered < names.size()) {
        scope.failures.add(
            "cloud " + b.cloud() + ": " + partial + " (" + CycleLog.describe(b) + "); the missing VMs end TERMINATED");
        log.warn("cloud {}: {} for {}; the missing VMs end TERMINATED", b.cloud(), partial, b.group());
      }
      for (VmId id : names) {
        Instance inst = byName.get(id);
        Vm vm = scope.get(id);
        if (vm == null) {
          continue;
        }
        if (inst == null) {
          change(scope, vm, VmState.TERMINATED, partial);
          continue;
        }
        VmState state = inst.state() == org.csv2.model.InstanceState.ERROR ? VmState.ERROR : VmState.BOOTING;
        change(scope, vm.withInstanceId(inst.id()), state, state == VmState.ERROR ? inst.fault() : "cloud accepted the boot");
      }
      log.info("booted {} x {} on {} for {}: {}", answered, request.flavor(), b.cloud(), b.group(), b.reason());
    }

    private void bootFailed(Scope scope, Boot b, BootRequest request, CloudException.Reason reason, RuntimeException e) {
      String what = "boot of " + request.count() + " x " + request.flavor() + " on " + b.cloud();
      if (reason == CloudException.Reason.UNAVAILABLE) {
        scope.failures.add(what + ": no reply (" + e.getMessage() + "); the VMs stay REQUESTED until the cloud shows them");
        CycleLog.warnFailure(log, what + ": no reply; the VMs stay REQUESTED and are matched or ended next cycles", e);
        return;
      }
      scope.failures.add(what + " failed: " + reason + ": " + e.getMessage());
      CycleLog.warnFailure(log, what + " failed: " + reason, e);
      for (VmId id : request.names()) {
        Vm vm = scope.get(id);
        if (vm != null) {
          change(scope, vm, VmState.TERMINATED, "boot failed: " + reason + ": " + e.getMessage());
        }
      }
    }

    private VmId newName(GroupName group, CloudName cloud, List<VmId> taken) {
      while (true) {
        StringBuilder s = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
          s.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
        }
        VmId id = VmId.of(group, cloud, cfg.engine().instanceId(), s.toString());
        if (!working.containsKey(id) && !taken.contains(id) && reserved.add(id)) {
          return id;
        }
      }
    }

    private final Set<VmId> reserved = new HashSet<>();

    // ---- helpers

    private @Nullable Vm live(Scope scope, VmId id, String verb) {
      Vm vm = scope.get(id);
      if (vm == null || vm.state() == VmState.TERMINATED) {
        scope.failures.add(verb + " " + id + " skipped: no such live VM");
        return null;
      }
      if (vm.manual() || vm.state() == VmState.MANUAL) {
        scope.failures.add(verb + " " + id + " skipped: under manual control");
        return null;
      }
      return vm;
    }

    private @Nullable CloudGateway gateway(Scope scope, CloudName cloud, String what) {
      CloudGateway g = gateways.get(cloud);
      CloudView view = obs.views().get(cloud);
      if (g == null || view == null) {
        scope.failures.add(what + " skipped: cloud " + cloud + " is not configured");
        return null;
      }
      if (!view.reachable() || !g.breaker().allows(now)) {
        scope.failures.add(what + " skipped: cloud " + cloud + " is unreachable");
        return null;
      }
      return g;
    }

    private @Nullable Flavor flavor(CloudName cloud, String name) {
      CloudView view = obs.views().get(cloud);
      if (view == null) {
        return null;
      }
      return view.flavors().stream().filter(f -> f.name().value().equals(name)).findFirst().orElse(null);
    }

    private void change(Scope scope, Vm vm, VmState state, String why) {
      Vm before = scope.get(vm.id());
      Vm next = vm.withState(state, now, why);
      scope.changed.put(next.id(), next);
      if (before == null || before.state() != next.state()) {
        event(scope, before == null ? null : before.state(), next);
        if (next.state() == VmState.TERMINATED && next.instanceId() != null) {
          scope.accounting.add(StateDeriver.accountingOf(next, now));
        }
      }
      if (scope.inserts.containsKey(next.id())) {
        scope.inserts.put(next.id(), next);
      }
    }

    private void event(Scope scope, @Nullable VmState from, Vm vm) {
      VmEvent e = new VmEvent(vm.id(), vm.group(), vm.cloud(), from, vm.state(), now, vm.reason());
      scope.events.add(e);
      log.info("VM {} on {}: {} -> {}: {}", vm.id(), vm.cloud(), from, vm.state(), vm.reason());
    }

    /**
     * The records this cycle changed (by derivation or by an action) that differ from their
     * stored version, by name.
     */
    List<Vm> updates() {
      List<Vm> updates = new ArrayList<>();
      stored.forEach((id, before) -> {
        Vm vm = working.get(id);
        if (vm != null && !before.equals(vm)) {
          updates.add(vm);
        }
      });
      updates.sort(Comparator.comparing(Vm::id));
      return updates;
    }

    /** The new records (adopted instances). */
    List<Vm> inserts() {
      return List.copyOf(inserts.values());
    }

    /** The events not yet written (those of boot requests were, with their records). */
    List<VmEvent> pendingEvents() {
      return pendingEvents;
    }

    /** Every event of the cycle, for listeners. */
    List<VmEvent> events() {
      return events;
    }

    /** The accounting records of VMs that ended. */
    List<AccountingRecord> accounting() {
      return accounting;
    }

    /** Why an action on a VM failed this cycle (the cloud or job source refused), or null. */
    @Nullable String failure(VmId id) {
      return failedVms.get(id);
    }

    /** The working record of a VM, or null. */
    @Nullable Vm current(VmId id) {
      return working.get(id);
    }

    /** Takes note of TERMINATED records deleted by the commit. */
    void deleted(List<Vm> deletes) {
      if (!deletes.isEmpty()) {
        altered = true;
        kept = null; // the next execution must not start from records deleted here
      }
      deletes.forEach(vm -> working.remove(vm.id()));
      deleted += terminatedLoaded ? 0 : deletes.size();
    }

    /** One action of a cloud's sequence, with the VM names chosen for a boot. */
    private record Item(PlanAction action, List<VmId> names) {}

    /**
     * Where actions put their effects: the cycle thread's scope, or one cloud task's, merged when
     * the task is done. Reads fall through to the execution's working set, which no one writes while
     * cloud tasks run.
     */
    private final class Scope {
      private final Map<VmId, Vm> saved = new LinkedHashMap<>();
      private final Map<VmId, Vm> inserts = new LinkedHashMap<>();
      private final Map<VmId, Vm> changed = new LinkedHashMap<>();
      private final List<VmEvent> intentEvents = new ArrayList<>();
      private final List<VmEvent> events = new ArrayList<>();
      private final List<org.csv2.model.AccountingRecord> accounting = new ArrayList<>();
      private final List<String> failures = new ArrayList<>();
      private final List<Vm> forget = new ArrayList<>();
      private final Map<VmId, String> failedVms = new LinkedHashMap<>();

      private @Nullable Vm get(VmId id) {
        Vm v = changed.get(id);
        if (v != null) {
          return v;
        }
        v = inserts.get(id);
        if (v != null) {
          return v;
        }
        v = saved.get(id);
        if (v != null) {
          return v;
        }
        return working.get(id);
      }
    }
  }
}
