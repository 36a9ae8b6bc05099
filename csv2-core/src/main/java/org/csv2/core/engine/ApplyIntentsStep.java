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

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentKind;
import org.csv2.api.ops.IntentStatus;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3 of the cycle, <b>apply intents</b>: carries out the operators' stored intents on the
 * groups this engine holds (docs/operations.md), whichever process stored them.
 *
 * <ul>
 *   <li>{@code MANUAL_ON} / {@code MANUAL_OFF} (manctl / sysctl) set the VM record's manual flag at
 *       once, before derive, so that the planner and every retirement rule see it this cycle.
 *   <li>{@code RETIRE}, {@code KILL} and {@code RETAIN} become {@link Retire} and {@link Terminate}
 *       actions that {@link ExecuteStep} carries out with the plan (they replace any action the
 *       planner chose for those VMs). A KILL of a RUNNING VM drains it first (a retire; the
 *       retirement rules terminate it once its jobs end) unless forced; a forced KILL of a manual
 *       VM hands it back first.
 *   <li>VMs of this engine in a group or on a cloud the configuration no longer has are retired
 *       the same way (nothing is orphaned when a group or cloud is removed).
 * </ul>
 *
 * <p>Every intent ends DONE, FAILED or VANISHED with a message, by {@link #complete} after the
 * cycle's commit. One whose action was postponed (the job source or the cloud could not be reached)
 * stays PENDING and is tried again next cycle.
 *
 * <p>In: the configuration, the {@link Observation}, the groups held, the time. Out: {@link
 * Applied}.
 */
final class ApplyIntentsStep {
  private static final Logger log = LoggerFactory.getLogger(ApplyIntentsStep.class);

  /** Preference of the VMs RETAIN keeps: the busiest states first. */
  private static final List<VmState> KEEP_ORDER =
      List.of(VmState.RUNNING, VmState.IDLE, VmState.UNREGISTERED, VmState.BOOTING, VmState.REQUESTED, VmState.ERROR);

  /**
   * An intent turned into actions, completed after the cycle's commit.
   *
   * @param intent the intent
   * @param vms the VMs acted on
   * @param drainFirst a KILL that drains a RUNNING VM first
   * @param message what was done, for the DONE message
   */
  record Carried(Intent intent, List<VmId> vms, boolean drainFirst, String message) {}

  /**
   * The output of the step.
   *
   * @param observation the observation with the VM records the step changed (manual flags)
   * @param actions the operators' actions, to carry out with the plan
   * @param carried the intents behind them
   */
  record Applied(Observation observation, List<PlanAction> actions, List<Carried> carried) {
    /** Nothing to do. */
    static Applied none(Observation obs) {
      return new Applied(obs, List.of(), List.of());
    }

    /**
     * The plan with the operators' actions: they replace the planner's actions on the same VMs.
     *
     * @param plan the planner's plan
     * @return the plan to carry out
     */
    Plan merge(Plan plan) {
      if (actions.isEmpty()) {
        return plan;
      }
      Set<VmId> targeted = new HashSet<>();
      for (PlanAction a : actions) {
        targeted.add(target(a));
      }
      List<PlanAction> out = new ArrayList<>(actions);
      for (PlanAction a : plan.actions()) {
        VmId t = target(a);
        if (t == null || !targeted.contains(t)) {
          out.add(a);
        }
      }
      return new Plan(plan.at(), out, plan.notes());
    }
  }

  private final StateStore store;
  private final DeriveStep derive;
  /** False once the store said it keeps no operator records. */
  private boolean supported = true;

  ApplyIntentsStep(StateStore store, DeriveStep derive) {
    this.store = store;
    this.derive = derive;
  }

  /** Reads the pending intents of the held groups and turns them into record changes and actions. */
  Applied apply(Csv2Config cfg, Observation obs, Set<GroupName> groups, Instant now, List<String> failures) {
    List<Vm> stored = obs.stored();
    if (stored == null) {
      return Applied.none(obs);
    }
    List<Intent> pending = List.of();
    if (supported && !groups.isEmpty()) {
      try {
        pending = store.pendingIntents(groups);
      } catch (UnsupportedOperationException e) {
        supported = false;
        log.info("the state store keeps no operator records: no intents are read");
      } catch (RuntimeException e) {
        failures.add("state store: intents not read: " + e.getMessage() + " (read again next cycle)");
        CycleLog.warnFailure(log, "state store: intents not read", e);
      }
    }
    List<PlanAction> actions = new ArrayList<>();
    List<Carried> carried = new ArrayList<>();
    Set<VmId> acted = new HashSet<>();
    Map<VmId, Vm> byId = new LinkedHashMap<>();
    Map<VmId, Vm> changed = new LinkedHashMap<>();
    if (!pending.isEmpty()) {
      for (Vm vm : stored) {
        byId.put(vm.id(), vm);
      }
      for (Intent intent : pending) {
        try {
          applyOne(intent, byId, changed, groups, actions, carried, acted, now);
        } catch (RuntimeException e) {
          finish(intent, IntentStatus.FAILED, "not carried out: " + e.getMessage(), now);
          CycleLog.warnFailure(log, "intent " + intent.id() + " (" + intent.kind() + " " + intent.target() + ") failed", e);
        }
      }
    }
    retireRemoved(cfg, stored, groups, acted, actions);
    if (changed.isEmpty()) {
      return new Applied(obs, actions, carried);
    }
    Map<VmId, Vm> saved = writeManual(changed, failures);
    if (saved.isEmpty()) { // not written: those intents stay PENDING, their VMs untouched
      carried.removeIf(c -> c.vms().stream().anyMatch(changed::containsKey));
      actions.removeIf(a -> changed.containsKey(target(a)));
      return new Applied(obs, actions, carried);
    }
    List<Vm> next = new ArrayList<>(stored.size());
    for (Vm vm : stored) {
      next.add(saved.getOrDefault(vm.id(), vm));
    }
    return new Applied(obs.withStored(next), actions, carried);
  }

  private void applyOne(
      Intent intent,
      Map<VmId, Vm> byId,
      Map<VmId, Vm> changed,
      Set<GroupName> groups,
      List<PlanAction> actions,
      List<Carried> carried,
      Set<VmId> acted,
      Instant now) {
    String by = " by " + intent.actor() + " (intent " + intent.id() + ")";
    if (intent.kind() == IntentKind.RETAIN) {
      retain(intent, byId, actions, carried, acted, by, now);
      return;
    }
    VmId id = intent.vm();
    Vm vm = id == null ? null : byId.get(id);
    if (vm == null || vm.state() == VmState.TERMINATED) {
      finish(intent, IntentStatus.VANISHED, "VM " + intent.target() + " is gone" + (vm == null ? "" : " (TERMINATED)"), now);
      return;
    }
    if (!groups.contains(vm.group())) {
      return; // the VM's group is another engine's: its engine carries the intent out
    }
    if (acted.contains(vm.id())) {
      return; // an earlier intent acts on it this cycle; this one is looked at next cycle
    }
    boolean manual = vm.manual();
    switch (intent.kind()) {
      case MANUAL_ON -> {
        if (!manual) {
          changed.put(vm.id(), vm.toBuilder().manual(true).reason("manual control" + by).build());
          byId.put(vm.id(), changed.get(vm.id()));
        }
        carried.add(new Carried(intent, List.of(vm.id()), false, manual ? "already under manual control" : "under manual control"));
      }
      case MANUAL_OFF -> {
        if (manual) {
          changed.put(vm.id(), vm.toBuilder().manual(false).reason("handed back to the engine" + by).build());
          byId.put(vm.id(), changed.get(vm.id()));
        }
        carried.add(new Carried(intent, List.of(vm.id()), false, manual ? "handed back to the engine" : "was not under manual control"));
      }
      case RETIRE -> {
        if (manual) {
          finish(intent, IntentStatus.FAILED, "VM " + vm.id() + " is under manual control: hand it back with sysctl first", now);
        } else if (goingAway(vm)) {
          finish(intent, IntentStatus.DONE, "VM " + vm.id() + " was already " + vm.state(), now);
        } else {
          actions.add(new Retire(vm.id(), "operator retire" + by));
          acted.add(vm.id());
          carried.add(new Carried(intent, List.of(vm.id()), false, "drain asked; terminated once drained"));
        }
      }
      case KILL -> {
        boolean force = intent.force();
        if (manual && !force) {
          finish(intent, IntentStatus.FAILED, "VM " + vm.id() + " is under manual control: kill it with force, or sysctl first", now);
          return;
        }
        if (vm.state() == VmState.TERMINATING) {
          finish(intent, IntentStatus.DONE, "VM " + vm.id() + " was already TERMINATING", now);
          return;
        }
        if (manual) {
          changed.put(vm.id(), vm.toBuilder().manual(false).reason("handed back to be killed" + by).build());
          byId.put(vm.id(), changed.get(vm.id()));
        }
        boolean drain = !force && (vm.state() == VmState.RUNNING || vm.state() == VmState.RETIRING);
        if (drain && vm.state() == VmState.RETIRING) {
          finish(intent, IntentStatus.DONE, "VM " + vm.id() + " is RUNNING and already draining: terminated once drained", now);
          return;
        }
        actions.add(drain ? new Retire(vm.id(), "operator kill, drained first" + by) : new Terminate(vm.id(), "operator kill" + by));
        acted.add(vm.id());
        carried.add(
            new Carried(intent, List.of(vm.id()), drain, drain ? "RUNNING: drained first, terminated once its jobs end" : "terminate asked"));
      }
      case RETAIN -> throw new IllegalStateException("unreachable");
    }
  }

  private void retain(
      Intent intent, Map<VmId, Vm> byId, List<PlanAction> actions, List<Carried> carried, Set<VmId> acted, String by, Instant now) {
    int count = intent.count();
    CloudName cloud = intent.cloud();
    if (count < 0 || cloud == null) {
      finish(intent, IntentStatus.FAILED, "retain needs a cloud and a count >= 0", now);
      return;
    }
    List<Vm> kept = new ArrayList<>();
    for (Vm vm : byId.values()) {
      if (vm.group().equals(intent.group()) && vm.cloud().equals(cloud) && !vm.manual()
          && vm.state() != VmState.MANUAL && !goingAway(vm) && vm.state() != VmState.TERMINATED) {
        kept.add(vm);
      }
    }
    kept.sort(
        Comparator.comparingInt((Vm v) -> keepRank(v.state()))
            .thenComparing(Vm::createdAt)
            .thenComparing(Vm::id));
    List<VmId> retired = new ArrayList<>();
    for (Vm vm : kept.subList(Math.min(count, kept.size()), kept.size())) {
      if (acted.add(vm.id())) {
        actions.add(new Retire(vm.id(), "operator retain " + count + " on " + cloud + by));
        retired.add(vm.id());
      }
    }
    int left = Math.min(count, kept.size());
    String message = "kept " + left + " VM(s) of " + intent.group() + " on " + cloud + ", retired " + retired.size();
    if (retired.isEmpty()) {
      finish(intent, IntentStatus.DONE, message, now);
    } else {
      carried.add(new Carried(intent, retired, false, message));
    }
  }

  private static int keepRank(VmState s) {
    int i = KEEP_ORDER.indexOf(s);
    return i < 0 ? KEEP_ORDER.size() : i;
  }

  private static boolean goingAway(Vm vm) {
    return vm.state() == VmState.RETIRING || vm.state() == VmState.TERMINATING;
  }

  /**
   * Retires this engine's live VMs whose group or cloud the configuration no longer has, in the
   * groups held: removing a group or a cloud never orphans its VMs.
   */
  private void retireRemoved(Csv2Config cfg, List<Vm> stored, Set<GroupName> groups, Set<VmId> acted, List<PlanAction> actions) {
    boolean fresh = acted.isEmpty();
    if (fresh && stored == noneRemovedIn && cfg == noneRemovedCfg && groups.equals(noneRemovedGroups)) {
      return; // the same records, configuration and groups as a pass that found nothing to retire
    }
    int before = actions.size();
    retireRemovedPass(cfg, stored, groups, acted, actions);
    if (reuse && fresh && actions.size() == before) {
      noneRemovedIn = stored;
      noneRemovedCfg = cfg;
      noneRemovedGroups = Set.copyOf(groups);
    } else {
      noneRemovedIn = null;
    }
  }

  /** Whether {@link #retireRemoved} reuses a pass that found nothing (false: every cycle looks). */
  private boolean reuse = true;
  /** The stored list (the very object), configuration and groups of the last pass that found nothing to retire. */
  private @Nullable List<Vm> noneRemovedIn;
  private @Nullable Csv2Config noneRemovedCfg;
  private Set<GroupName> noneRemovedGroups = Set.of();

  /**
   * Sets whether a pass over unchanged records that found nothing is reused.
   *
   * @param on false to look every cycle
   */
  void reuse(boolean on) {
    reuse = on;
    noneRemovedIn = null;
  }

  private void retireRemovedPass(
      Csv2Config cfg, List<Vm> stored, Set<GroupName> groups, Set<VmId> acted, List<PlanAction> actions) {
    Set<GroupName> configured = null;
    Set<CloudName> clouds = null;
    for (Vm vm : stored) {
      if (vm.state() == VmState.TERMINATED || vm.manual() || goingAway(vm) || !groups.contains(vm.group())) {
        continue;
      }
      if (configured == null) {
        configured = new HashSet<>();
        for (var g : cfg.groups()) {
          configured.add(g.name());
        }
        clouds = new HashSet<>();
        for (var c : cfg.clouds()) {
          clouds.add(c.cloud().name());
        }
      }
      boolean groupGone = !configured.contains(vm.group());
      boolean cloudGone = !clouds.contains(vm.cloud());
      if ((groupGone || cloudGone) && derive.isOurs(cfg, vm) && acted.add(vm.id())) {
        String why = groupGone ? "group " + vm.group() + " was removed from the configuration" : "cloud " + vm.cloud() + " was removed from the configuration";
        actions.add(new Retire(vm.id(), why));
      }
    }
  }

  /** Writes the manual flags in one commit: the saved records, or none if the write failed. */
  private Map<VmId, Vm> writeManual(Map<VmId, Vm> changed, List<String> failures) {
    try {
      Map<VmId, Vm> saved = new HashMap<>();
      for (Vm vm : store.commit(new StoreChanges(List.of(), List.copyOf(changed.values()), List.of(), List.of(), List.of(), List.of()))) {
        saved.put(vm.id(), vm);
      }
      changed.values().forEach(vm -> log.info("VM {} on {}: {}", vm.id(), vm.cloud(), vm.reason()));
      return saved;
    } catch (RuntimeException e) {
      failures.add("state store: manual control changes not written: " + e.getMessage() + " (tried again next cycle)");
      CycleLog.warnFailure(log, "state store: manual control changes not written", e);
      return Map.of();
    }
  }

  /**
   * Completes the carried intents after the cycle's commit: DONE when the VMs reached the state
   * asked, FAILED when an action failed, PENDING (tried again) when it was postponed.
   *
   * @param applied the step's output
   * @param ex the execution
   * @param committed whether the cycle's changes were written
   */
  void complete(Applied applied, ExecuteStep.Execution ex, boolean committed, Instant now) {
    if (applied.carried().isEmpty() || !committed) {
      return;
    }
    for (Carried c : applied.carried()) {
      IntentKind kind = c.intent().kind();
      if (kind == IntentKind.MANUAL_ON || kind == IntentKind.MANUAL_OFF) {
        finish(c.intent(), IntentStatus.DONE, c.message(), now);
        continue;
      }
      String failed = null;
      boolean postponed = false;
      for (VmId id : c.vms()) {
        Vm vm = ex.current(id);
        if (vm == null) {
          continue;
        }
        boolean reached =
            c.drainFirst() || kind != IntentKind.KILL
                ? vm.state() == VmState.RETIRING || vm.state() == VmState.TERMINATING || vm.state() == VmState.TERMINATED
                : vm.state() == VmState.TERMINATING || vm.state() == VmState.TERMINATED;
        if (reached) {
          continue;
        }
        String f = ex.failure(id);
        if (f != null) {
          failed = failed == null ? f : failed + "; " + f;
        } else {
          postponed = true;
        }
      }
      if (failed != null) {
        finish(c.intent(), IntentStatus.FAILED, failed, now);
      } else if (!postponed) {
        finish(c.intent(), IntentStatus.DONE, c.message(), now);
      }
    }
  }

  private void finish(Intent intent, IntentStatus status, String message, Instant now) {
    try {
      store.completeIntent(intent.id(), intent.version(), status, message, now);
      log.info("intent {} ({} {} by {}): {}: {}", intent.id(), intent.kind(), intent.target(), intent.actor(), status, message);
    } catch (StateStoreException e) {
      if (e.reason() == StateStoreException.Reason.CONFLICT) {
        log.info("intent {} was finished elsewhere: {}", intent.id(), e.getMessage());
      } else {
        CycleLog.warnFailure(log, "intent " + intent.id() + " not marked " + status + " (tried again next cycle)", e);
      }
    } catch (RuntimeException e) {
      CycleLog.warnFailure(log, "intent " + intent.id() + " not marked " + status + " (tried again next cycle)", e);
    }
  }

  private static @Nullable VmId target(PlanAction a) {
    return a instanceof Retire r ? r.vm() : a instanceof Terminate t ? t.vm() : null;
  }
}
