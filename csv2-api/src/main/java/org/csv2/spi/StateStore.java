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
package org.csv2.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.csv2.model.AccountingRecord;
import org.csv2.model.GroupName;
import org.csv2.model.Lease;
import org.csv2.model.Sample;
import org.csv2.model.StoredConfig;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;

/**
 * The engine's memory of what it asked the clouds for: the single source of truth for VMs, plus
 * their history, time series, accounting, the running configuration and the leases that let
 * several engines share one store.
 *
 * <p>VM records are versioned: a stored VM has version 1 or more, and {@link #commit} refuses (with
 * {@link org.csv2.api.StateStoreException.Reason#CONFLICT}, writing nothing) an insert of an
 * existing id, or an update or delete whose version is not the stored one. Stores keep no logic
 * beyond that: no triggers, no derived counters.
 *
 * <p><b>Thread safety:</b> an instance must be safe for concurrent use by several threads, and
 * several instances (in several engines) may share one database.
 *
 * <p><b>Lifecycle:</b> created by {@link StateStoreProvider#create}, which may migrate the schema;
 * {@link #close()} once at shutdown, idempotent, releases connections.
 */
public interface StateStore extends AutoCloseable {
  /**
   * Every stored VM.
   *
   * @return the VMs, each with its stored version
   */
  List<Vm> vms();

  /**
   * One stored VM.
   *
   * @param id its name
   * @return the VM with its stored version, or empty
   */
  Optional<Vm> vm(VmId id);

  /**
   * Applies every change atomically: all or nothing.
   *
   * @param changes what to write; an empty change writes nothing and costs no round trip
   * @return the inserted and updated VMs as stored, with their new versions, inserts first
   * @throws org.csv2.api.StateStoreException with {@code CONFLICT} on a version mismatch, {@code
   *     UNAVAILABLE} if the store cannot be reached
   */
  List<Vm> commit(StoreChanges changes);

  /**
   * The history of one VM, oldest first.
   *
   * @param id the VM
   * @return its transitions
   */
  List<VmEvent> history(VmId id);

  /**
   * Transitions of all VMs at or after a time, oldest first.
   *
   * @param since the earliest time
   * @param limit the most to return
   * @return the transitions
   */
  List<VmEvent> events(Instant since, int limit);

  /**
   * Time-series points of one metric in {@code [from, to)}, oldest first.
   *
   * @param metric the metric name
   * @param from the start, inclusive
   * @param to the end, exclusive
   * @return the points
   */
  List<Sample> samples(String metric, Instant from, Instant to);

  /**
   * Accounting records of VMs that ended in {@code [from, to)}.
   *
   * @param from the start, inclusive
   * @param to the end, exclusive
   * @return the records
   */
  List<AccountingRecord> accounting(Instant from, Instant to);

  /**
   * The stored configuration, if any.
   *
   * @return the configuration
   */
  Optional<StoredConfig> config();

  /**
   * Saves a new configuration document.
   *
   * @param document the YAML text; secrets only as references
   * @param expectedVersion the version last read, 0 if none was stored
   * @param by who saves it
   * @return the stored configuration with its new version
   * @throws org.csv2.api.StateStoreException with {@code CONFLICT} if the stored version differs
   */
  StoredConfig saveConfig(String document, long expectedVersion, String by);

  /**
   * Takes or renews the lease on a group for an engine. Succeeds when no lease exists, when the
   * existing one has expired, or when {@code owner} already holds it. Atomic across engines.
   *
   * @param group the group
   * @param owner the engine's id
   * @param now the engine's current time
   * @param ttl how long the lease holds
   * @return the lease now held, or empty if another engine holds it
   */
  Optional<Lease> tryLease(GroupName group, String owner, Instant now, Duration ttl);

  /**
   * Gives a lease up, if {@code owner} holds it.
   *
   * @param group the group
   * @param owner the engine's id
   */
  void releaseLease(GroupName group, String owner);

  /**
   * Every lease, expired or not.
   *
   * @return the leases
   */
  List<Lease> leases();

  /** Releases connections. Idempotent. */
  @Override
  void close();
}
