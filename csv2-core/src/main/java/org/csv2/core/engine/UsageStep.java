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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.core.accounting.ApelExporter;
import org.csv2.core.accounting.UsageTracker;
import org.csv2.core.config.AccountingSettings;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.CloudView;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;
import org.csv2.model.Worker;
import org.csv2.spi.StateStore;
import org.slf4j.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The usage step: brings the held groups' VM usage records up to date ({@link UsageTracker}) and
 * saves the changed ones. A store that keeps no usage records turns the step off; a failure is
 * reported in the cycle and never stops it.
 *
 * <p><b>Thread safety:</b> not thread-safe; the cycle thread owns it.
 */
final class UsageStep {
  private static final Logger log = LoggerFactory.getLogger(UsageStep.class);

  private final StateStore store;
  private final UsageTracker tracker = new UsageTracker();
  private boolean loaded;
  /** The groups of the last update: a group not among them has its stored records read. */
  private Set<GroupName> loadedFor = Set.of();
  private @Nullable Instant nextExport;
  private boolean unsupported;
  /** The inputs of the last update, to recognise a cycle that changed none of them. */
  private List<Vm> lastVms = List.of();
  private @Nullable List<Worker> lastWorkers;
  private List<List<Instance>> lastInstances = List.of();

  UsageStep(StateStore store) {
    this.store = store;
  }

  /**
   * Brings the held groups' usage records up to date and saves the changed ones.
   *
   * @param groups the groups the engine acts for this cycle: the stored records are read again
   *     when one is new since the last cycle
   */
  void track(
      Csv2Config cfg, Observation obs, DeriveStep.Derived derived, Set<GroupName> groups, Instant now, List<String> failures) {
    if (unsupported) {
      return;
    }
    List<Vm> vms = derived.derivation().vms();
    List<Worker> workers = obs.jobs() == null ? null : obs.jobs().workers();
    List<List<Instance>> instanceLists = new java.util.ArrayList<>(obs.views().size());
    for (CloudView view : obs.views().values()) {
      instanceLists.add(view.instances());
    }
    if (loaded && unchanged(vms, workers, instanceLists)) {
      // the same VM records, workers and instances as the last cycle: the tracker would save
      // nothing (a cycle costs what changed, docs/planner.md)
      export(cfg, now, failures);
      return;
    }
    try {
      if (!loaded || !loadedFor.containsAll(groups)) {
        // the running VMs' stored records: at start-up, or when the engine comes to hold a group
        // (another engine may have started its VMs); a VM this engine starts has none stored
        tracker.load(store.usage(now, Instant.MAX));
        loaded = true;
      }
      if (!loadedFor.equals(groups)) {
        loadedFor = Set.copyOf(groups);
      }
      // only a STOPPED instance changes a record (suspended time): the VMs of those alone are matched
      Map<VmId, InstanceState> instances = new HashMap<>();
      Map<String, VmId> byInstance = null;
      for (CloudView view : obs.views().values()) {
        for (Instance i : view.instances()) {
          if (i.state() != InstanceState.STOPPED) {
            continue;
          }
          if (byInstance == null) {
            byInstance = new HashMap<>();
            for (Vm vm : vms) {
              if (vm.instanceId() != null) {
                byInstance.put(vm.cloud().value() + "/" + vm.instanceId().value(), vm.id());
              }
            }
          }
          VmId id = byInstance.get(view.cloud().name().value() + "/" + i.id().value());
          if (id != null) {
            instances.put(id, i.state());
          }
        }
      }
      List<VmUsage> save = tracker.track(vms, workers, instances, now);
      if (!save.isEmpty()) {
        store.saveUsage(save);
      }
      lastVms = vms;
      lastWorkers = workers;
      lastInstances = instanceLists;
      export(cfg, now, failures);
    } catch (UnsupportedOperationException e) {
      unsupported = true;
      log.info("the state store keeps no usage records: usage accounting is off ({})", e.getMessage());
    } catch (RuntimeException e) {
      failures.add("usage accounting: " + e.getMessage());
      log.warn("usage accounting failed this cycle", e);
    }
  }

  /** Whether every input is the one of the last update (the same objects, or equal lists). */
  private boolean unchanged(List<Vm> vms, @Nullable List<Worker> workers, List<List<Instance>> instanceLists) {
    if (workers == null || lastWorkers == null || !SameLists.identical(workers, lastWorkers)) {
      return false;
    }
    if (instanceLists.size() != lastInstances.size()) {
      return false;
    }
    for (int i = 0; i < instanceLists.size(); i++) {
      if (!SameLists.identical(instanceLists.get(i), lastInstances.get(i))) {
        return false;
      }
    }
    return SameLists.identical(vms, lastVms);
  }

  /** Writes the APEL records when {@code accounting.interval} says it is time (docs/accounting.md). */
  private void export(Csv2Config cfg, Instant now, List<String> failures) {
    AccountingSettings a = cfg.accounting();
    if (a.interval() == null || a.outgoing() == null || a.siteName().isBlank()) {
      nextExport = null;
      return;
    }
    if (nextExport != null && now.isBefore(nextExport)) {
      return;
    }
    nextExport = now.plus(a.interval());
    try {
      ApelExporter.Result r =
          new ApelExporter(store, a, ApelExporter.cloudTypes(cfg), new java.util.Random())
              .export(ApelExporter.defaultSince(now), now);
      log.info("APEL export: {} message(s), {} record(s), {} summary(ies) to {}", r.messages(), r.records(), r.summaries(), a.outgoing());
    } catch (RuntimeException e) {
      failures.add("APEL export to " + a.outgoing() + ": " + e.getMessage());
      log.warn("APEL export failed; it is tried again in {}", a.interval(), e);
    }
  }
}
