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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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

/** Wraps a store and counts its writes. */
public final class CountingStore implements StateStore {
  final StateStore delegate;
  final AtomicInteger commits = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();
  /** Runs when closed. */
  public volatile Runnable onClose = () -> {};

  /**
   * Wraps a store.
   *
   * @param delegate the store
   */
  public CountingStore(StateStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<Vm> vms() {
    return delegate.vms();
  }

  @Override
  public Optional<Vm> vm(VmId id) {
    return delegate.vm(id);
  }

  @Override
  public List<Vm> commit(StoreChanges changes) {
    commits.incrementAndGet();
    writes.incrementAndGet();
    return delegate.commit(changes);
  }

  @Override
  public List<VmEvent> history(VmId id) {
    return delegate.history(id);
  }

  @Override
  public List<VmEvent> events(Instant since, int limit) {
    return delegate.events(since, limit);
  }

  @Override
  public List<Sample> samples(String metric, Instant from, Instant to) {
    return delegate.samples(metric, from, to);
  }

  @Override
  public List<AccountingRecord> accounting(Instant from, Instant to) {
    return delegate.accounting(from, to);
  }

  @Override
  public Optional<StoredConfig> config() {
    return delegate.config();
  }

  @Override
  public StoredConfig saveConfig(String document, long expectedVersion, String by) {
    writes.incrementAndGet();
    return delegate.saveConfig(document, expectedVersion, by);
  }

  @Override
  public Optional<Lease> tryLease(GroupName group, String owner, Instant now, Duration ttl) {
    writes.incrementAndGet();
    return delegate.tryLease(group, owner, now, ttl);
  }

  @Override
  public void releaseLease(GroupName group, String owner) {
    writes.incrementAndGet();
    delegate.releaseLease(group, owner);
  }

  @Override
  public List<Lease> leases() {
    return delegate.leases();
  }

  @Override
  public org.csv2.spi.OperatorWrite.Result submit(org.csv2.spi.OperatorWrite write) {
    return delegate.submit(write);
  }

  @Override
  public Optional<org.csv2.api.ops.Intent> intent(long id) {
    return delegate.intent(id);
  }

  @Override
  public List<org.csv2.api.ops.Intent> pendingIntents(java.util.Collection<GroupName> groups) {
    return delegate.pendingIntents(groups);
  }

  @Override
  public List<org.csv2.api.ops.Intent> intents(@org.jspecify.annotations.Nullable GroupName group, int limit) {
    return delegate.intents(group, limit);
  }

  @Override
  public org.csv2.api.ops.Intent completeIntent(
      long id, long expectedVersion, org.csv2.api.ops.IntentStatus status, String message, Instant at) {
    return delegate.completeIntent(id, expectedVersion, status, message, at);
  }

  @Override
  public List<org.csv2.api.ops.AuditEntry> audit(Instant since, int limit) {
    return delegate.audit(since, limit);
  }

  @Override
  public void saveStatus(org.csv2.api.ops.GroupStatus status) {
    delegate.saveStatus(status);
  }

  @Override
  public List<org.csv2.api.ops.GroupStatus> statuses() {
    return delegate.statuses();
  }

  @Override
  public void close() {
    onClose.run();
    delegate.close();
  }
}
