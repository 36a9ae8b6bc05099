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
package org.csv2.core.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentStatus;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationState;
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
import org.csv2.spi.Booking;
import org.csv2.spi.OperatorWrite;
import org.csv2.spi.ReservationCapacity;
import org.csv2.spi.ReservationLedger;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} that keeps everything in memory, with the full semantics of the SPI:
 * versioned VM records, atomic all-or-nothing commits refused with {@code CONFLICT} on a stale
 * version, history, samples, accounting, the stored configuration, leases, and the operator
 * records (intents, audit log, status snapshots) and reservations (a booking checks and stores
 * under the store's one lock, the in-memory equivalent of the JDBC store's ledger row lock).
 *
 * <p>{@link #close()} releases nothing and keeps the data, so that an engine closed and built again
 * in the same JVM (a restart in a simulation) finds its records.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; every method holds one private lock, so each
 * commit is atomic with respect to every read.
 */
public final class InMemoryStateStore implements StateStore {
  private final Object lock = new Object();
  private final Clock clock;
  private final Map<VmId, Vm> vms = new TreeMap<>();
  /** {@link #vms()}'s answer until the next commit changes a record (engines read every cycle). */
  private @Nullable List<Vm> vmList;
  /**
   * The records in name order, as an array kept up to date in place by commits that only update
   * records (most commits): {@link #vms()} then copies an array instead of walking the tree.
   */
  private Vm @Nullable [] sorted;
  private final List<VmEvent> events = new ArrayList<>();
  private final Map<String, List<Sample>> samples = new HashMap<>();
  private final List<AccountingRecord> accounting = new ArrayList<>();
  private final Map<GroupName, Lease> leases = new LinkedHashMap<>();
  private final InMemoryUsers users = new InMemoryUsers();
  private final InMemoryImages imageRecords = new InMemoryImages();
  private @Nullable StoredConfig config;
  private final TreeMap<Long, Intent> intents = new TreeMap<>();
  private final List<AuditEntry> audit = new ArrayList<>();
  private final Map<GroupName, GroupStatus> statuses = new TreeMap<>();
  private final Map<String, org.csv2.model.VmUsage> usage = new TreeMap<>();
  private final Map<String, String> accountingSent = new TreeMap<>();
  private final Map<String, org.csv2.model.AccountingBatch> accountingBatches = new LinkedHashMap<>();
  private long nextIntentId = 1;
  private final TreeMap<Long, Reservation> reservations = new TreeMap<>();
  private long nextReservationId = 1;

  /**
   * Creates an empty store.
   *
   * @param clock the clock that stamps saved configurations
   */
  public InMemoryStateStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public List<Vm> vms() {
    synchronized (lock) {
      List<Vm> l = vmList;
      if (l == null) {
        if (sorted == null) {
          sorted = vms.values().toArray(new Vm[0]);
        }
        l = List.of(sorted);
        vmList = l;
      }
      return l;
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
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      return List.of();
    }
    synchronized (lock) {
      // Every write is checked against the records as they would be after the writes before it,
      // and only then applied, in place: all or nothing without copying the whole map.
      Map<VmId, Vm> written = new HashMap<>();
      Set<VmId> removed = new HashSet<>();
      List<Vm> stored = new ArrayList<>();
      for (Vm vm : changes.inserts()) {
        if (written.containsKey(vm.id()) || (!removed.contains(vm.id()) && vms.containsKey(vm.id()))) {
          throw conflict("insert of VM " + vm.id() + ": a VM of that name is already stored");
        }
        Vm saved = vm.withVersion(1);
        written.put(vm.id(), saved);
        stored.add(saved);
      }
      for (Vm vm : changes.updates()) {
        checkVersion("update", vm, pending(vm.id(), written, removed));
        Vm saved = vm.withVersion(vm.version() + 1);
        written.put(vm.id(), saved);
        stored.add(saved);
      }
      for (Vm vm : changes.deletes()) {
        checkVersion("delete", vm, pending(vm.id(), written, removed));
        written.remove(vm.id());
        removed.add(vm.id());
      }
      boolean sameNames = removed.isEmpty() && changes.inserts().isEmpty();
      for (VmId id : removed) {
        vms.remove(id);
      }
      vms.putAll(written);
      if (!written.isEmpty() || !removed.isEmpty()) {
        vmList = null;
        if (sameNames && sorted != null) {
          for (Vm vm : written.values()) {
            sorted[indexOf(sorted, vm.id())] = vm;
          }
        } else {
          sorted = null;
        }
      }
      events.addAll(changes.events());
      for (Sample s : changes.samples()) {
        samples.computeIfAbsent(s.metric(), k -> new ArrayList<>()).add(s);
      }
      accounting.addAll(changes.accounting());
      return List.copyOf(stored);
    }
  }

  @Override
  public List<VmEvent> history(VmId id) {
    synchronized (lock) {
      return events.stream()
          .filter(e -> e.vm().equals(id))
          .sorted(Comparator.comparing(VmEvent::at))
          .toList();
    }
  }

  @Override
  public List<VmEvent> events(Instant since, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
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
      return samples.getOrDefault(metric, List.of()).stream()
          .filter(s -> !s.at().isBefore(from) && s.at().isBefore(to))
          .sorted(Comparator.comparing(Sample::at))
          .toList();
    }
  }

  @Override
  public List<AccountingRecord> accounting(Instant from, Instant to) {
    synchronized (lock) {
      return accounting.stream()
          .filter(a -> !a.end().isBefore(from) && a.end().isBefore(to))
          .sorted(Comparator.comparing(AccountingRecord::end))
          .toList();
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
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(by, "by");
    synchronized (lock) {
      checkConfigVersion(expectedVersion, by);
      config = new StoredConfig(document, expectedVersion + 1, clock.instant(), by);
      return config;
    }
  }

  private void checkConfigVersion(long expectedVersion, String by) {
    long stored = config == null ? 0 : config.version();
    if (stored != expectedVersion) {
      throw conflict(
          "configuration saved by "
              + by
              + " expected version "
              + expectedVersion
              + " but version "
              + stored
              + " is stored: read it again and reapply the change");
    }
  }

  @Override
  public OperatorWrite.Result submit(OperatorWrite write) {
    Objects.requireNonNull(write, "write");
    synchronized (lock) {
      String document = write.document();
      if (document != null) {
        checkConfigVersion(write.expectedConfigVersion(), write.by());
      }
      StoredConfig saved = null;
      if (document != null) {
        saved = new StoredConfig(document, write.expectedConfigVersion() + 1, clock.instant(), write.by());
        config = saved;
      }
      List<Intent> storedIntents = new ArrayList<>();
      for (Intent i : write.intents()) {
        long id = nextIntentId++;
        Intent stored = i.stored(id, 1);
        intents.put(id, stored);
        storedIntents.add(stored);
      }
      List<AuditEntry> storedAudit = new ArrayList<>();
      for (AuditEntry a : write.audit()) {
        AuditEntry stored = new AuditEntry(audit.size() + 1L, a.at(), a.actor(), a.action(), a.target(), a.before(), a.after());
        audit.add(stored);
        storedAudit.add(stored);
      }
      return new OperatorWrite.Result(saved, storedIntents, storedAudit);
    }
  }

  // ---------------------------------------------------------------- reservations

  @Override
  public Booking book(Reservation request, List<ReservationCapacity> clouds) {
    Objects.requireNonNull(request, "request");
    if (request.id() != 0 || request.state() != ReservationState.REQUESTED) {
      throw new IllegalArgumentException("book: a new REQUESTED reservation, was " + request.describe());
    }
    // one lock over the check and the insert: the in-memory equivalent of the ledger row lock
    synchronized (lock) {
      List<String> refusals = new ArrayList<>();
      Reservation stored = null;
      for (ReservationCapacity c : clouds) {
        Reservation candidate = request.on(c.cloud());
        String why = ReservationLedger.conflict(c, reservations.values(), candidate);
        if (why == null) {
          stored = candidate.moved(ReservationState.CONFIRMED, "", request.created());
          break;
        }
        refusals.add(why);
      }
      String refusal = null;
      if (stored == null) {
        refusal = clouds.isEmpty() ? "no cloud to book on" : String.join("; ", refusals);
        stored = request.moved(ReservationState.REFUSED, refusal, request.created());
      }
      long id = nextReservationId++;
      stored = stored.stored(id, 1);
      reservations.put(id, stored);
      return new Booking(stored, refusal);
    }
  }

  @Override
  public Booking extendReservation(long id, long expectedVersion, Instant newEnd, ReservationCapacity capacity) {
    synchronized (lock) {
      Reservation current = checkReservation(id, expectedVersion);
      Reservation candidate = current.endingAt(newEnd);
      String why = ReservationLedger.conflict(capacity, reservations.values(), candidate);
      if (why != null) {
        return new Booking(current, why);
      }
      Reservation stored = candidate.stored(id, current.version() + 1);
      reservations.put(id, stored);
      return new Booking(stored, null);
    }
  }

  @Override
  public Optional<Reservation> reservation(long id) {
    synchronized (lock) {
      return Optional.ofNullable(reservations.get(id));
    }
  }

  @Override
  public List<Reservation> reservations(@Nullable GroupName group, Instant from, Instant to) {
    synchronized (lock) {
      return reservations.values().stream()
          .filter(r -> (group == null || group.equals(r.group())) && r.overlaps(from, to))
          .sorted(Comparator.comparing(Reservation::start).thenComparingLong(Reservation::id))
          .toList();
    }
  }

  @Override
  public Reservation updateReservation(Reservation reservation) {
    synchronized (lock) {
      Reservation current = checkReservation(reservation.id(), reservation.version());
      Reservation stored =
          new Reservation(current.id(), current.owner(), current.group(), current.cloud(), current.anyCloud(),
              current.flavor(), current.cores(), current.ramMiB(), current.count(), current.image(),
              current.userData(), current.sshKey(), current.start(), current.end(), reservation.state(),
              reservation.reason(), current.created(), reservation.stateSince(), reservation.warnedAt(),
              reservation.vms(), current.version() + 1);
      reservations.put(stored.id(), stored);
      return stored;
    }
  }

  private Reservation checkReservation(long id, long expectedVersion) {
    Reservation current = reservations.get(id);
    if (current == null || current.version() != expectedVersion) {
      throw conflict(
          "reservation " + id + " at version " + expectedVersion + ": "
              + (current == null ? "it is not stored" : "version " + current.version() + " is stored; read it again"));
    }
    return current;
  }

  @Override
  public Optional<Intent> intent(long id) {
    synchronized (lock) {
      return Optional.ofNullable(intents.get(id));
    }
  }

  @Override
  public List<Intent> pendingIntents(Collection<GroupName> groups) {
    Set<GroupName> wanted = Set.copyOf(groups);
    synchronized (lock) {
      return intents.values().stream()
          .filter(i -> i.status() == IntentStatus.PENDING && wanted.contains(i.group()))
          .toList();
    }
  }

  @Override
  public List<Intent> intents(@Nullable GroupName group, int limit) {
    synchronized (lock) {
      return intents.descendingMap().values().stream()
          .filter(i -> group == null || group.equals(i.group()))
          .limit(Math.max(0, limit))
          .toList();
    }
  }

  @Override
  public Intent completeIntent(long id, long expectedVersion, IntentStatus status, String message, Instant at) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
    if (status == IntentStatus.PENDING) {
      throw new IllegalArgumentException("intent " + id + ": completing it needs a final status, not PENDING");
    }
    synchronized (lock) {
      Intent current = intents.get(id);
      if (current == null) {
        throw conflict("intent " + id + " is not stored");
      }
      if (current.version() != expectedVersion) {
        throw conflict(
            "intent " + id + " completed at version " + expectedVersion + " but version " + current.version()
                + " is stored (" + current.status() + "): another engine finished it");
      }
      Intent done = current.complete(status, message, at).stored(id, current.version() + 1);
      intents.put(id, done);
      return done;
    }
  }

  @Override
  public List<AuditEntry> audit(Instant since, int limit) {
    Objects.requireNonNull(since, "since");
    synchronized (lock) {
      return audit.stream().filter(a -> !a.at().isBefore(since)).limit(Math.max(0, limit)).toList();
    }
  }

  @Override
  public void saveStatus(GroupStatus status) {
    Objects.requireNonNull(status, "status");
    synchronized (lock) {
      statuses.put(status.group(), status);
    }
  }

  @Override
  public List<GroupStatus> statuses() {
    synchronized (lock) {
      return List.copyOf(statuses.values());
    }
  }

  @Override
  public Optional<Lease> tryLease(GroupName group, String owner, Instant now, Duration ttl) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(now, "now");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease ttl must be positive, was " + ttl);
    }
    synchronized (lock) {
      Lease held = leases.get(group);
      if (held != null && !held.owner().equals(owner) && held.expires().isAfter(now)) {
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
      Lease held = leases.get(group);
      if (held != null && held.owner().equals(owner)) {
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
  public List<User> users() {
    return users.users();
  }

  @Override
  public Optional<User> user(String name) {
    return users.user(name);
  }

  @Override
  public User saveUser(User user, long expectedVersion) {
    return users.save(user, expectedVersion);
  }

  @Override
  public boolean deleteUser(String name) {
    return users.delete(name);
  }

  @Override
  public void saveToken(ApiToken token) {
    users.saveToken(token);
  }

  @Override
  public Optional<ApiToken> token(String id) {
    return users.token(id);
  }

  @Override
  public List<ApiToken> tokens(String user) {
    return users.tokens(user);
  }

  @Override
  public boolean deleteToken(String id) {
    return users.deleteToken(id);
  }

  @Override
  public org.csv2.api.ops.ImageTransfer saveTransfer(org.csv2.api.ops.ImageTransfer transfer) {
    return imageRecords.save(transfer);
  }

  @Override
  public Optional<org.csv2.api.ops.ImageTransfer> transfer(long id) {
    return imageRecords.get(id);
  }

  @Override
  public List<org.csv2.api.ops.ImageTransfer> transfers(boolean activeOnly, int limit) {
    return imageRecords.list(activeOnly, limit);
  }

  @Override
  public void saveKeyPair(org.csv2.api.ops.StoredKeyPair key) {
    imageRecords.saveKey(key);
  }

  @Override
  public List<org.csv2.api.ops.StoredKeyPair> keyPairs() {
    return imageRecords.keys();
  }

  @Override
  public boolean deleteKeyPair(String name) {
    return imageRecords.deleteKey(name);
  }

  @Override
  public void saveCloudImages(org.csv2.model.CloudName cloud, List<org.csv2.model.Image> images, java.time.Instant readAt) {
    imageRecords.saveCloud(cloud, images, readAt);
  }

  @Override
  public void saveCloudImage(org.csv2.api.ops.CloudImage image) {
    imageRecords.saveCloudImage(image);
  }

  @Override
  public boolean deleteCloudImage(org.csv2.model.CloudName cloud, String id) {
    return imageRecords.deleteCloudImage(cloud, id);
  }

  @Override
  public List<org.csv2.api.ops.CloudImage> cloudImages() {
    return imageRecords.cloudImages();
  }

  @Override
  public org.csv2.api.ops.ImageAction saveImageAction(org.csv2.api.ops.ImageAction action) {
    return imageRecords.saveAction(action);
  }

  @Override
  public List<org.csv2.api.ops.ImageAction> imageActions(boolean activeOnly, int limit) {
    return imageRecords.actions(activeOnly, limit);
  }

  /** Keeps the data: another handle or a restarted engine may still use it. */
  @Override
  public void close() {}

  /** Where a stored name is in the sorted array (it is there: the commit only updated records). */
  private static int indexOf(Vm[] sorted, VmId id) {
    int lo = 0;
    int hi = sorted.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = sorted[mid].id().compareTo(id);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    throw new IllegalStateException("VM " + id + " is stored but not in the sorted copy");
  }

  /** A record as the commit under way would leave it so far. */
  private @Nullable Vm pending(VmId id, Map<VmId, Vm> written, Set<VmId> removed) {
    Vm w = written.get(id);
    if (w != null) {
      return w;
    }
    return removed.contains(id) ? null : vms.get(id);
  }

  private static void checkVersion(String what, Vm vm, @Nullable Vm current) {
    if (current == null) {
      throw conflict(what + " of VM " + vm.id() + ": it is not stored (deleted by another writer?)");
    }
    if (current.version() != vm.version()) {
      throw conflict(
          what
              + " of VM "
              + vm.id()
              + " at version "
              + vm.version()
              + " but version "
              + current.version()
              + " is stored: another writer changed it; read it again");
    }
  }

  private static StateStoreException conflict(String message) {
    return new StateStoreException(StateStoreException.Reason.CONFLICT, message);
  }

  @Override
  public List<org.csv2.model.VmUsage> usage(Instant from, Instant to) {
    synchronized (lock) {
      return usage.values().stream()
          .filter(u -> u.start().isBefore(to) && (u.end() == null || !u.end().isBefore(from)))
          .sorted(java.util.Comparator.comparing(org.csv2.model.VmUsage::start).thenComparing(u -> u.vm().value()))
          .toList();
    }
  }

  @Override
  public void saveUsage(List<org.csv2.model.VmUsage> records) {
    synchronized (lock) {
      for (org.csv2.model.VmUsage u : records) {
        usage.put(u.uuid(), u);
      }
    }
  }

  @Override
  public Map<String, String> accountingSent() {
    synchronized (lock) {
      return Map.copyOf(accountingSent);
    }
  }

  @Override
  public List<org.csv2.model.AccountingBatch> accountingBatches() {
    synchronized (lock) {
      return List.copyOf(accountingBatches.values());
    }
  }

  @Override
  public void prepareAccountingBatch(org.csv2.model.AccountingBatch batch) {
    synchronized (lock) {
      if (accountingBatches.containsKey(batch.id())) {
        throw new StateStoreException(
            StateStoreException.Reason.CONFLICT, "accounting batch " + batch.id() + " is already prepared");
      }
      accountingBatches.put(batch.id(), batch);
    }
  }

  @Override
  public boolean recordAccountingBatch(String id) {
    synchronized (lock) {
      org.csv2.model.AccountingBatch b = accountingBatches.remove(id);
      if (b == null) {
        return false;
      }
      accountingSent.putAll(b.entries());
      return true;
    }
  }
}
