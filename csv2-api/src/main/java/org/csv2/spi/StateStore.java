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
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentStatus;
import org.csv2.model.AccountingRecord;
import org.csv2.model.ApiToken;
import org.csv2.model.GroupName;
import org.csv2.model.Lease;
import org.csv2.model.Sample;
import org.csv2.model.StoredConfig;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.jspecify.annotations.Nullable;

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
 * <p><b>Operator records</b> (intents, audit log, status snapshots; see {@link
 * org.csv2.api.ops.Operations}) are optional: their methods are {@code default} methods that throw
 * {@link UnsupportedOperationException}, so a store written before them keeps compiling and
 * working for an engine without operators. csv2's own stores implement them all, and the testkit's
 * {@code StateStoreContract} covers them.
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

  // ---------------------------------------------------------------- operator records

  /**
   * Writes one operator action atomically: the configuration document (if any, with the same
   * version check as {@link #saveConfig}), the intents (each given an id and version 1) and the
   * audit entries (each given an id). All or nothing.
   *
   * @param write what to write
   * @return what was stored
   * @throws org.csv2.api.StateStoreException {@code CONFLICT} naming both versions if the stored
   *     configuration version is not {@code expectedConfigVersion}, writing nothing
   * @throws UnsupportedOperationException if the store keeps no operator records (the default)
   */
  default OperatorWrite.Result submit(OperatorWrite write) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator records");
  }

  /**
   * One intent.
   *
   * @param id its id
   * @return the intent, or empty
   * @throws UnsupportedOperationException if the store keeps no operator records (the default)
   */
  default Optional<Intent> intent(long id) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator records");
  }

  /**
   * The PENDING intents of some groups, oldest first (by id): what an engine carries out for the
   * groups it holds.
   *
   * @param groups the groups
   * @return their pending intents
   * @throws UnsupportedOperationException if the store keeps no operator records (the default)
   */
  default List<Intent> pendingIntents(Collection<GroupName> groups) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator records");
  }

  /**
   * Intents of any status, newest first (by id).
   *
   * @param group only this group's, or null for every group
   * @param limit the most to return
   * @return the intents
   * @throws UnsupportedOperationException if the store keeps no operator records (the default)
   */
  default List<Intent> intents(@Nullable GroupName group, int limit) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator records");
  }

  /**
   * Finishes an intent: sets its final status, message and completion time, and increments its
   * version.
   *
   * @param id the intent
   * @param expectedVersion the version last read
   * @param status the final status, not PENDING
   * @param message what happened (cut to {@link Intent#MAX_TEXT} characters)
   * @param at when
   * @return the stored intent
   * @throws org.csv2.api.StateStoreException {@code CONFLICT} if the intent is unknown or its
   *     version is not {@code expectedVersion} (another engine finished it)
   * @throws UnsupportedOperationException if the store keeps no operator records (the default)
   */
  default Intent completeIntent(long id, long expectedVersion, IntentStatus status, String message, Instant at) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator records");
  }

  /**
   * Audit entries at or after a time, oldest first (by id).
   *
   * @param since the earliest time
   * @param limit the most to return
   * @return the entries
   * @throws UnsupportedOperationException if the store keeps no operator records (the default)
   */
  default List<AuditEntry> audit(Instant since, int limit) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator records");
  }

  /**
   * Replaces a group's status snapshot (written by the engine holding the group's lease, every
   * cycle).
   *
   * @param status the snapshot
   * @throws UnsupportedOperationException if the store keeps no operator records (the default)
   */
  default void saveStatus(GroupStatus status) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator records");
  }

  /**
   * Every group's last status snapshot, by group name.
   *
   * @return the snapshots
   * @throws UnsupportedOperationException if the store keeps no operator records (the default)
   */
  default List<GroupStatus> statuses() {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator records");
  }

  // Reservations (optional: docs/reservations.md)

  /**
   * Books a reservation in one transaction that holds the database's own lock on each candidate
   * cloud's capacity ledger while it checks the capacity over the whole window ({@link
   * ReservationLedger#conflict}) and stores the reservation: the clouds are tried in the order
   * given, and the reservation is stored CONFIRMED on the first that has room, else REFUSED with
   * the conflicts named. Of two bookings racing for the last capacity, in any processes on one
   * database, exactly one is confirmed. Nothing half-written remains after a failure.
   *
   * @param request the reservation asked for, REQUESTED, id and version 0 (its cloud is ignored:
   *     {@code clouds} decide)
   * @param clouds the clouds to try, in order, with what reservations may hold on each; empty:
   *     refused
   * @return the stored reservation (id, version 1), CONFIRMED or REFUSED, and the refusal
   * @throws UnsupportedOperationException if the store keeps no reservations (the default)
   */
  default Booking book(org.csv2.api.ops.Reservation request, List<ReservationCapacity> clouds) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no reservations");
  }

  /**
   * Moves a reservation's end, in one transaction holding its cloud's ledger lock like {@link
   * #book}: the new window is checked against the other reservations on the cloud.
   *
   * @param id the reservation
   * @param expectedVersion the version read
   * @param newEnd the new end, after the start, on a whole minute
   * @param capacity what reservations may hold on the reservation's cloud
   * @return the stored reservation with its new end and version, or unchanged with the refusal
   * @throws org.csv2.api.StateStoreException {@code CONFLICT} if the reservation is unknown or its
   *     version is not {@code expectedVersion}
   * @throws UnsupportedOperationException if the store keeps no reservations (the default)
   */
  default Booking extendReservation(long id, long expectedVersion, Instant newEnd, ReservationCapacity capacity) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no reservations");
  }

  /**
   * One reservation.
   *
   * @param id its id
   * @return the reservation, or empty
   * @throws UnsupportedOperationException if the store keeps no reservations (the default)
   */
  default Optional<org.csv2.api.ops.Reservation> reservation(long id) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no reservations");
  }

  /**
   * The reservations whose window overlaps {@code [from, to)}, of any state, by start then id.
   *
   * @param group only this group's, or null for every group
   * @param from the start, inclusive
   * @param to the end, exclusive
   * @return the reservations
   * @throws UnsupportedOperationException if the store keeps no reservations (the default)
   */
  default List<org.csv2.api.ops.Reservation> reservations(@Nullable GroupName group, Instant from, Instant to) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no reservations");
  }

  /**
   * Writes a reservation's state, reason, state time, warning time and VMs (the engine's
   * lifecycle, a cancellation) if it is still at the version read; its window and shape never
   * change here.
   *
   * @param reservation the reservation with the version read
   * @return the stored reservation, version incremented
   * @throws org.csv2.api.StateStoreException {@code CONFLICT} if it is unknown or its version is
   *     not the one read
   * @throws UnsupportedOperationException if the store keeps no reservations (the default)
   */
  default org.csv2.api.ops.Reservation updateReservation(org.csv2.api.ops.Reservation reservation) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no reservations");
  }

  // Users and API tokens of the csv2 server (optional: a store without them cannot back a server)

  /**
   * Every user of the csv2 server, sorted by name.
   *
   * @return the users
   * @throws UnsupportedOperationException if this store keeps no users
   */
  default List<User> users() {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no users");
  }

  /**
   * One user.
   *
   * @param name the user's name
   * @return the user, or empty if unknown
   * @throws UnsupportedOperationException if this store keeps no users
   */
  default Optional<User> user(String name) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no users");
  }

  /**
   * Inserts a user ({@code expectedVersion} 0) or replaces the stored one whose version is {@code
   * expectedVersion}; the group memberships are replaced with the user's.
   *
   * @param user the user (its own version is ignored)
   * @param expectedVersion the version read, 0 for a new user
   * @return the user as stored, with version {@code expectedVersion + 1}
   * @throws org.csv2.api.StateStoreException with reason CONFLICT if the stored version differs
   *     (a new user whose name exists, or a stale update), writing nothing
   * @throws UnsupportedOperationException if this store keeps no users
   */
  default User saveUser(User user, long expectedVersion) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no users");
  }

  /**
   * Deletes a user with its memberships and tokens. Idempotent.
   *
   * @param name the user's name
   * @return whether a user was deleted
   * @throws UnsupportedOperationException if this store keeps no users
   */
  default boolean deleteUser(String name) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no users");
  }

  /**
   * Stores a new API token.
   *
   * @param token the token (its owner must exist)
   * @throws org.csv2.api.StateStoreException with reason CONFLICT if the id exists or the owner
   *     does not
   * @throws UnsupportedOperationException if this store keeps no users
   */
  default void saveToken(ApiToken token) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no users");
  }

  /**
   * One API token by its id.
   *
   * @param id the token's public id
   * @return the token, or empty if unknown
   * @throws UnsupportedOperationException if this store keeps no users
   */
  default Optional<ApiToken> token(String id) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no users");
  }

  /**
   * The API tokens of a user, oldest first.
   *
   * @param user the owner's name
   * @return the tokens
   * @throws UnsupportedOperationException if this store keeps no users
   */
  default List<ApiToken> tokens(String user) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no users");
  }

  /**
   * Deletes an API token. Idempotent.
   *
   * @param id the token's public id
   * @return whether a token was deleted
   * @throws UnsupportedOperationException if this store keeps no users
   */
  default boolean deleteToken(String id) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no users");
  }

  // ---- usage tracking and accounting records (docs/accounting.md) ----

  /**
   * The usage records of VMs that ran at some time in {@code [from, to)}: started before {@code to}
   * and still running or ended at or after {@code from}; ordered by start, then VM.
   *
   * @param from the start, inclusive
   * @param to the end, exclusive
   * @return the records
   */
  default List<org.csv2.model.VmUsage> usage(Instant from, Instant to) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no usage records");
  }

  /**
   * Inserts or replaces usage records (by VM), in one transaction.
   *
   * @param records the records
   */
  default void saveUsage(List<org.csv2.model.VmUsage> records) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no usage records");
  }

  /**
   * What was sent of each accounting record: the fingerprint of its last sent figures, by the
   * record's key.
   *
   * @return the fingerprints by key
   */
  default Map<String, String> accountingSent() {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no usage records");
  }

  /**
   * The accounting batches prepared and not yet recorded as sent, oldest first.
   *
   * @return the batches
   */
  default List<org.csv2.model.AccountingBatch> accountingBatches() {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no usage records");
  }

  /**
   * Records a batch as prepared, before its file is made visible to the sender.
   *
   * @param batch the batch
   * @throws org.csv2.api.StateStoreException with {@code CONFLICT} if a batch of that id exists
   */
  default void prepareAccountingBatch(org.csv2.model.AccountingBatch batch) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no usage records");
  }

  /**
   * Records a prepared batch as sent, in one transaction: its entries' fingerprints become the sent
   * ones and the batch is forgotten. Idempotent: an unknown id changes nothing.
   *
   * @param id the batch's id
   * @return true when the batch was prepared and is now recorded
   */
  default boolean recordAccountingBatch(String id) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no usage records");
  }

  /**
   * Stores an image transfer (docs/images.md): a new one (id 0) gets an id and version 1; a
   * stored one is written if its version is still the stored one, and gets the next version.
   *
   * @param transfer the transfer
   * @return the stored transfer
   * @throws org.csv2.api.StateStoreException {@code CONFLICT} if another writer changed it first
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default org.csv2.api.ops.ImageTransfer saveTransfer(org.csv2.api.ops.ImageTransfer transfer) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * One image transfer.
   *
   * @param id its id
   * @return the transfer, or empty
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default Optional<org.csv2.api.ops.ImageTransfer> transfer(long id) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * Image transfers, newest first (by id).
   *
   * @param activeOnly only PENDING and RUNNING ones
   * @param limit the most to return
   * @return the transfers
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default List<org.csv2.api.ops.ImageTransfer> transfers(boolean activeOnly, int limit) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * Stores a public key under its name, replacing one of the same name.
   *
   * @param key the key
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default void saveKeyPair(org.csv2.api.ops.StoredKeyPair key) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * The public keys kept, by name.
   *
   * @return the keys
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default List<org.csv2.api.ops.StoredKeyPair> keyPairs() {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * Forgets a public key.
   *
   * @param name its name
   * @return whether it was kept
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default boolean deleteKeyPair(String name) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * Records what a cloud lists, as an engine just read it (the image x cloud matrix,
   * docs/images.md): the cloud's rows become these images; an image still listed under the same
   * id keeps the SHA-256 and size recorded for it.
   *
   * @param cloud the cloud
   * @param images what it lists
   * @param readAt when it was read
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default void saveCloudImages(org.csv2.model.CloudName cloud, List<org.csv2.model.Image> images, java.time.Instant readAt) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * Records one image of a cloud with what csv2 knows of its bytes (after a transfer put it there),
   * replacing the row of that cloud and id.
   *
   * @param image the image
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default void saveCloudImage(org.csv2.api.ops.CloudImage image) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * Forgets one image of a cloud (it was deleted there).
   *
   * @param cloud the cloud
   * @param id the image's id there
   * @return whether it was recorded
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default boolean deleteCloudImage(org.csv2.model.CloudName cloud, String id) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * The images every cloud was last seen listing, by cloud, then name, then id.
   *
   * @return the images
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default List<org.csv2.api.ops.CloudImage> cloudImages() {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * Stores an image action (docs/images.md) as {@link #saveTransfer} stores a transfer: a new one
   * (id 0) gets an id and version 1; a stored one is written if its version is still the stored one.
   *
   * @param action the action
   * @return the stored action
   * @throws org.csv2.api.StateStoreException {@code CONFLICT} if another writer changed it first
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default org.csv2.api.ops.ImageAction saveImageAction(org.csv2.api.ops.ImageAction action) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /**
   * Image actions, newest first (by id).
   *
   * @param activeOnly only PENDING and RUNNING ones
   * @param limit the most to return
   * @return the actions
   * @throws UnsupportedOperationException if the store keeps no image records (the default)
   */
  default List<org.csv2.api.ops.ImageAction> imageActions(boolean activeOnly, int limit) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no image records");
  }

  /** Releases connections. Idempotent. */
  @Override
  void close();
}
