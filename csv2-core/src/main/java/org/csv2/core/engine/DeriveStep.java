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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * Step 3 of the cycle, <b>derive</b>: sorts the stored VMs ({@link StoredVms}) and gives the held
 * groups' VMs their states from the observations with {@link StateDeriver}. Other groups' VMs are
 * not derived (another engine writes them); the planner gets them as stored, for the ledgers.
 *
 * <p>In: the configuration, the {@link Observation}, the groups held, the time. Out: {@link
 * Derived}.
 */
final class DeriveStep {
  /**
   * The output of the step.
   *
   * @param split the stored VMs, sorted
   * @param derivation the held groups' VMs with their derived states, events and accounting
   */
  record Derived(StoredVms split, StateDeriver.Derivation derivation) {}

  private final Set<CloudName> clouds;
  /** The last cycle's indexed observations, reused for what is unchanged. */
  private StateDeriver.@Nullable Observed lastObserved;

  /**
   * @param clouds the clouds this engine has a driver for (a VM on another is not this engine's)
   */
  DeriveStep(Set<CloudName> clouds) {
    this.clouds = clouds;
  }

  /**
   * Whether a cycle whose inputs are the last one's reuses its split and derivation (false: every
   * cycle sorts and derives again; the tests compare both).
   */
  private boolean reuse = true;

  /** The last split, its stored list (the very list) and groups. */
  private @Nullable StoredVms lastSplit;
  private @Nullable List<Vm> lastStored;
  private @Nullable Set<GroupName> lastGroups;
  private @Nullable Csv2Config lastCfg;

  /**
   * The last derivation, with its inputs and until when what it left unchanged stays so ({@link
   * StateDeriver#due}).
   */
  private @Nullable Last last;

  private record Last(
      List<Vm> held, StateDeriver.Observed observed, java.time.Duration cycle, StateDeriver.Derivation derivation, Instant due) {}

  /**
   * Sets whether unchanged inputs reuse the last split and derivation.
   *
   * @param on false to sort and derive every cycle
   */
  void reuse(boolean on) {
    this.reuse = on;
    if (!on) {
      lastSplit = null;
      last = null;
    }
  }

  private long reused;

  /** How many cycles reused the last derivation (for tests). */
  long reused() {
    return reused;
  }

  /** Sorts the stored VMs and derives the held ones. */
  Derived derive(Csv2Config cfg, Observation obs, Set<GroupName> groups, Instant now) {
    List<Vm> stored = obs.stored() == null ? List.of() : obs.stored();
    StoredVms split = lastSplit;
    if (split == null
        || stored != lastStored
        || cfg != lastCfg
        || !groups.equals(lastGroups)) {
      split = split(cfg, stored, groups);
      if (reuse) {
        // the same list object from the store: the same records (a store's lists are immutable)
        lastSplit = split;
        lastStored = stored;
        lastGroups = Set.copyOf(groups);
        lastCfg = cfg;
      }
    }
    return new Derived(split, derive(cfg, obs, split, now));
  }

  /**
   * {@link #isOurs} per name object: a record keeps its name object from cycle to cycle, so the
   * name is parsed once, not every cycle. Emptied when it holds many more names than the store.
   */
  private final Map<VmId, Boolean> oursByName = new java.util.IdentityHashMap<>();
  /** The instance id the cached answers are for. */
  private @Nullable String oursInstanceId;

  private boolean isOursCached(Csv2Config cfg, Vm vm) {
    Boolean ours = oursByName.get(vm.id());
    if (ours == null) {
      ours = isOurs(cfg, vm);
      oursByName.put(vm.id(), ours);
    }
    return ours;
  }

  private StoredVms split(Csv2Config cfg, List<Vm> stored, Set<GroupName> groups) {
    if (oursByName.size() > 2 * stored.size() + 1024 || !cfg.engine().instanceId().equals(oursInstanceId)) {
      oursByName.clear();
      oursInstanceId = cfg.engine().instanceId();
    }
    List<Vm> held = new ArrayList<>();
    List<Vm> otherGroups = new ArrayList<>();
    List<Vm> foreign = new ArrayList<>();
    List<Vm> terminated = new ArrayList<>();
    GroupName lastGroup = null; // the store lists VMs by name, which starts with the group
    boolean lastHeld = false;
    for (Vm vm : stored) {
      if (vm.state() == VmState.TERMINATED) {
        terminated.add(vm);
      } else if (!isOursCached(cfg, vm)) {
        foreign.add(vm);
      } else {
        if (!vm.group().equals(lastGroup)) {
          lastGroup = vm.group();
          lastHeld = groups.contains(lastGroup);
        }
        (lastHeld ? held : otherGroups).add(vm);
      }
    }
    return new StoredVms(held, otherGroups, foreign, terminated);
  }

  private StateDeriver.Derivation derive(Csv2Config cfg, Observation obs, StoredVms split, Instant now) {
    Map<CloudName, List<Instance>> reachable = new HashMap<>();
    obs.views().forEach((n, v) -> {
      if (v.reachable()) {
        reachable.put(n, v.instances());
      }
    });
    StateDeriver.Observed observed =
        StateDeriver.Observed.of(reachable, obs.jobs() == null ? null : obs.jobs().workers(), lastObserved);
    lastObserved = observed;
    java.time.Duration cycle = cfg.engine().timers().cycle();
    List<Vm> held = split.held();
    Last l = last;
    boolean comparable = l != null && now.isBefore(l.due()) && cycle.equals(l.cycle());
    boolean same = comparable && observed.sameAs(l.observed());
    if (same && l.derivation().changed().isEmpty() && SameLists.identical(held, l.held())) {
      // the same records and observations as a derivation that changed nothing, before any of
      // its time-driven rules may fire: it would change nothing again
      reused++;
      return l.derivation();
    }
    // the observations that changed since that derivation: the records they do not concern are
    // observed as then (null: the same observations, or too many changes to tell)
    StateDeriver.Changes changes = comparable && !same ? observed.changesSince(l.observed()) : null;
    StateDeriver.Derivation d =
        (same || changes != null) && held.size() == l.held().size()
            // the records that derivation left as they were are not derived again (the others are:
            // changed since, or changed by it and committed with a new version, or observed anew)
            ? StateDeriver.derive(held, observed, now, cycle, l.held(), l.derivation().vms(), changes)
            : StateDeriver.derive(held, observed, now, cycle);
    last = reuse ? new Last(held, observed, cycle, d, StateDeriver.due(held, observed, cycle)) : null;
    return d;
  }

  /** Whether a VM is this engine's: on a cloud it drives, with no instance part or its own. */
  boolean isOurs(Csv2Config cfg, Vm vm) {
    if (!clouds.contains(vm.cloud())) {
      return false;
    }
    return instancePartIsOrAbsent(vm.id().value(), cfg.engine().instanceId());
  }

  /**
   * Whether a VM name has no instance part or has this one: {@link #instancePart} without the
   * substring (it runs for every live VM every cycle).
   */
  static boolean instancePartIsOrAbsent(String name, String instanceId) {
    int first = name.indexOf("--");
    int second = first < 0 ? -1 : name.indexOf("--", first + 2);
    int third = second < 0 ? -1 : name.indexOf("--", second + 2);
    if (third < 0 || name.indexOf("--", third + 2) >= 0) {
      return true;
    }
    int from = second + 2;
    return third - from == instanceId.length() && name.regionMatches(from, instanceId, 0, instanceId.length());
  }

  /**
   * {@link VmId#instancePart()} without its regular expression: the third of exactly four
   * {@code --}-separated parts, or null. It runs for every stored VM every cycle.
   */
  static @Nullable String instancePart(String name) {
    int[] at = new int[3];
    int found = 0;
    for (int i = name.indexOf("--"); i >= 0; i = name.indexOf("--", i + 2)) {
      if (found == 3) {
        return null;
      }
      at[found++] = i;
    }
    return found == 3 ? name.substring(at[1] + 2, at[2]) : null;
  }
}
