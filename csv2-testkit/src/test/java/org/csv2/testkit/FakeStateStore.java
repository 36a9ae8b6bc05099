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
package org.csv2.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.api.StateStoreException;
import org.csv2.model.AccountingRecord;
import org.csv2.model.GroupName;
import org.csv2.model.Lease;
import org.csv2.model.Sample;
import org.csv2.model.StoredConfig;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.jspecify.annotations.Nullable;

/** A minimal in-memory store that the kit's own tests run the contract against. */
class FakeStateStore implements StateStore {
  private final Object lock = new Object();
  private final Clock clock;
  private final Map<VmId, Vm> vms = new TreeMap<>();
  private final List<VmEvent> events = new ArrayList<>();
  private final List<Sample> samples = new ArrayList<>();
  private final List<AccountingRecord> accounting = new ArrayList<>();
  private final Map<GroupName, Lease> leases = new LinkedHashMap<>();
  private @Nullable StoredConfig config;

  FakeStateStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<Vm> vms() {
    synchronized (lock) {
      return List.copyOf(vms.values());
    }
  }

  @Override
  public Optional<Vm> vm(VmId id) {
    synchronized (lock) {
      return Optional.ofNullable(vms.get(id));
    }
  }

  @Override
  public List<Vm> commit(StoreChanges changes) {
    synchronized (lock) {
      check(changes);
      List<Vm> stored = new ArrayList<>();
      for (Vm vm : changes.inserts()) {
        stored.add(vm.withVersion(1));
      }
      for (Vm vm : changes.updates()) {
        stored.add(vm.withVersion(vm.version() + 1));
      }
      stored.forEach(vm -> vms.put(vm.id(), vm));
      changes.deletes().forEach(vm -> vms.remove(vm.id()));
      events.addAll(changes.events());
      samples.addAll(changes.samples());
      accounting.addAll(changes.accounting());
      return stored;
    }
  }

  /** Refuses the whole commit before anything is written. */
  void check(StoreChanges changes) {
    Set<VmId> inserted = new HashSet<>();
    for (Vm vm : changes.inserts()) {
      if (vms.containsKey(vm.id()) || !inserted.add(vm.id())) {
        throw new StateStoreException(StateStoreException.Reason.CONFLICT, "VM " + vm.id() + " is already stored");
      }
    }
    List<Vm> versioned = new ArrayList<>(changes.updates());
    versioned.addAll(changes.deletes());
    for (Vm vm : versioned) {
      Vm current = vms.get(vm.id());
      if (current == null || current.version() != vm.version()) {
        throw new StateStoreException(
            StateStoreException.Reason.CONFLICT,
            "VM " + vm.id() + " is at version " + (current == null ? "none" : current.version()) + ", not " + vm.version());
      }
    }
  }

  @Override
  public List<VmEvent> history(VmId id) {
    synchronized (lock) {
      return events.stream().filter(e -> e.vm().equals(id)).sorted(Comparator.comparing(VmEvent::at)).toList();
    }
  }

  @Override
  public List<VmEvent> events(Instant since, int limit) {
    synchronized (lock) {
      return events.stream()
          .filter(e -> !e.at().isBefore(since))
          .sorted(Comparator.comparing(VmEvent::at))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public List<Sample> samples(String metric, Instant from, Instant to) {
    synchronized (lock) {
      return samples.stream()
          .filter(s -> s.metric().equals(metric) && !s.at().isBefore(from) && s.at().isBefore(to))
          .sorted(Comparator.comparing(Sample::at))
          .toList();
    }
  }

  @Override
  public List<AccountingRecord> accounting(Instant from, Instant to) {
    synchronized (lock) {
      return accounting.stream().filter(a -> !a.end().isBefore(from) && a.end().isBefore(to)).toList();
    }
  }

  @Override
  public Optional<StoredConfig> config() {
    synchronized (lock) {
      return Optional.ofNullable(config);
    }
  }

  @Override
  public StoredConfig saveConfig(String document, long expectedVersion, String by) {
    synchronized (lock) {
      long current = config == null ? 0 : config.version();
      if (current != expectedVersion) {
        throw new StateStoreException(
            StateStoreException.Reason.CONFLICT, "configuration is at version " + current + ", not " + expectedVersion);
      }
      config = new StoredConfig(document, current + 1, clock.instant(), by);
      return config;
    }
  }

  @Override
  public Optional<Lease> tryLease(GroupName group, String owner, Instant now, Duration ttl) {
    synchronized (lock) {
      Lease existing = leases.get(group);
      if (existing != null && existing.expires().isAfter(now) && !existing.owner().equals(owner)) {
        return Optional.empty();
      }
      Lease lease = new Lease(group, owner, now.plus(ttl));
      leases.put(group, lease);
      return Optional.of(lease);
    }
  }

  @Override
  public void releaseLease(GroupName group, String owner) {
    synchronized (lock) {
      Lease existing = leases.get(group);
      if (existing != null && existing.owner().equals(owner)) {
        leases.remove(group);
      }
    }
  }

  @Override
  public List<Lease> leases() {
    synchronized (lock) {
      return List.copyOf(leases.values());
    }
  }

  @Override
  public void close() {}
}
