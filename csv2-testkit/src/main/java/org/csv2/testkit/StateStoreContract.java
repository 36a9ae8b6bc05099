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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.csv2.api.BreakerState;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentKind;
import org.csv2.api.ops.IntentStatus;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationState;
import org.csv2.model.AccountingRecord;
import org.csv2.model.ApiToken;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Lease;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.Sample;
import org.csv2.model.StoredConfig;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.User;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.Booking;
import org.csv2.spi.OperatorWrite;
import org.csv2.spi.ReservationCapacity;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.csv2.spi.StoreChanges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateStore} passes. A store's test extends it in a few lines:
 *
 * <pre>{@code
 * class H2StateStoreContractTest extends StateStoreContract {
 *   private final String url = "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
 *   protected StateStore newStore(PluginContext context) {
 *     return new JdbcStateStoreProvider().create(TestConfigs.jdbc(url), context);
 *   }
 *   protected void reset() { TestDatabases.dropAll(url); }
 * }
 * }</pre>
 *
 * <p>It checks the round trip of every VM field, optimistic versions (a stale write is a {@code
 * CONFLICT} and writes nothing of its commit), history, time series, accounting, configuration,
 * leases, two handles on one store, eight concurrent writers, and a seeded stateful test: for each
 * of {@value #SEEDS} seeds, {@link #statefulSteps()} random commands run against the store and an
 * in-memory model, comparing {@link StateStore#vms()} to the model after every step. A failure
 * names the seed and the step; the sequence is deterministic, so re-running reproduces it.
 *
 * <p>The operator records ({@link StateStore#submit}, intents, audit log, status snapshots) are
 * checked too: one operator write is atomic with the configuration version check, intents get
 * increasing ids and versions, a stale completion conflicts, a second handle sees them, and
 * snapshots round-trip every field. A store that keeps no operator records overrides {@link
 * #keepsOperatorRecords()} to skip those tests.
 *
 * <p>Reservations are checked too: a booking round-trips every field, is refused (and stored
 * REFUSED) naming the conflict when the capacity over its window is taken, tries its clouds in
 * order, respects the group's own limit; extensions are checked and versioned; and 16 threads on
 * two handles racing for the last slot leave exactly one winner. {@link #keepsReservations()}
 * skips them.
 *
 * <p>Events, samples and accounting records may name VMs that are not (or no longer) stored: the
 * history outlives the VM rows, so a store must not tie them with foreign keys.
 *
 * <p>Every time the kit writes is a whole second and every price a multiple of 0.25, so a store
 * with second-precision timestamps and decimal columns passes.
 */
public abstract class StateStoreContract {
  static final int SEEDS = 6;

  private static final Instant T0 = RandomVms.T0;
  private static final GroupName GROUP = GroupName.of("contract");
  private static final CloudName CLOUD = CloudName.of("contract-cloud");
  private static final String ENGINE = "t0c0ffee0";
  private static final Actor ALICE = Actor.of("alice", "admin");
  private static final Actor BOB = Actor.of("bob", "cli");

  private final List<StateStore> stores = new ArrayList<>();
  private int suffixes;

  /**
   * Makes a handle on the store under test. The first call in a test gives a fresh, empty store;
   * later calls in the same test give further handles on the same store, as a second engine
   * sharing the database would have.
   *
   * @param context the engine services
   * @return the store handle
   */
  protected abstract StateStore newStore(PluginContext context);

  /**
   * Whether the store keeps the csv2 server's users and tokens (the optional {@code users()} family
   * of methods). A store that does not must throw {@link UnsupportedOperationException} from them,
   * which the contract then checks instead.
   *
   * @return true by default
   */
  protected boolean keepsUsers() {
    return true;
  }

  /**
   * Whether the store keeps image records (transfers and public keys, docs/images.md). A store
   * that does not must throw {@link UnsupportedOperationException} from them, which the contract
   * then checks instead.
   *
   * @return true by default
   */
  protected boolean keepsImageRecords() {
    return true;
  }

  /**
   * The provider's name, as listed by {@link StateStoreProvider#name()}.
   *
   * @return the name
   */
  protected abstract String providerName();

  /**
   * The class loader to look for the provider in, as the engine would.
   *
   * @return by default the test class's loader
   */
  protected ClassLoader pluginClassLoader() {
    return getClass().getClassLoader();
  }

  /** Called before each test, to empty the store. */
  protected void reset() {}

  /**
   * Whether the store implements the operator records of {@link StateStore} (intents, audit,
   * status snapshots); the tests of those are skipped when not.
   *
   * @return true by default
   */
  protected boolean keepsOperatorRecords() {
    return true;
  }

  /**
   * Whether the store keeps reservations ({@link StateStore#book} and the other reservation
   * methods); their tests are skipped when not.
   *
   * @return true by default
   */
  protected boolean keepsReservations() {
    return true;
  }

  /**
   * Whether the store implements the usage and accounting records of {@link StateStore} ({@code
   * usage}, {@code saveUsage}, the accounting batches); the tests of those are skipped when not.
   *
   * @return true by default
   */
  protected boolean keepsUsageRecords() {
    return true;
  }

  /**
   * How many random commands each seed of the stateful test runs.
   *
   * @return the number of steps; 150 by default
   */
  protected int statefulSteps() {
    return 150;
  }

  /**
   * The context handed to {@link #newStore(PluginContext)}.
   *
   * @return by default a {@link TestPluginContext} named {@code contract-store} with a {@link
   *     MutableClock} at 2024-05-01T10:00:00Z
   */
  protected PluginContext context() {
    return TestPluginContext.of("contract-store").withClock(MutableClock.at(T0));
  }

  @BeforeEach
  final void resetBeforeEach() {
    reset();
    suffixes = 0;
  }

  @AfterEach
  final void closeStores() {
    try {
      stores.forEach(StateStore::close);
    } finally {
      stores.clear();
    }
  }

  @Test
  @DisplayName("the test class name ends in ContractTest (or ContractIT when it needs a test server)")
  void testClassFollowsTheNamingConvention() {
    assertThat(getClass().getSimpleName()).matches(".+Contract(Test|IT)");
  }

  @Test
  @DisplayName("the provider is found by ServiceLoader under its name, from a services file in its own jar, and declares its csv2-api")
  void providerIsDiscoverableByName() {
    ProviderChecks.assertDiscoverable(StateStoreProvider.class, providerName(), pluginClassLoader());
  }

  @Test
  @DisplayName("a fresh store has no VMs, configuration, leases or history")
  void freshStoreIsEmpty() {
    StateStore store = open();
    assertThat(store.vms()).as("VMs").isEmpty();
    assertThat(store.vm(VmId.of("no-such-vm"))).as("an unknown VM").isEmpty();
    assertThat(store.config()).as("configuration").isEmpty();
    assertThat(store.leases()).as("leases").isEmpty();
    assertThat(store.events(Instant.EPOCH, 100)).as("events").isEmpty();
  }

  @Test
  @DisplayName("an inserted VM reads back equal, every field included, with version 1")
  void insertedVmReadsBack() {
    StateStore store = open();
    Vm vm = fullVm();
    List<Vm> stored = store.commit(inserts(vm));
    assertThat(stored).as("commit result").containsExactly(vm.withVersion(1));
    assertThat(store.vm(vm.id())).as("read by id").contains(vm.withVersion(1));
    assertThat(store.vms()).as("all VMs").containsExactly(vm.withVersion(1));
  }

  @Test
  @DisplayName("an inserted VM with every optional field empty reads back equal")
  void minimalVmReadsBack() {
    StateStore store = open();
    Vm vm = Vm.builder(newId(), GROUP, CLOUD, FlavorName.of("m1.small"), T0).build();
    store.commit(inserts(vm));
    assertThat(store.vm(vm.id())).contains(vm.withVersion(1));
  }

  @Test
  @DisplayName("an update writes the changes and bumps the version")
  void updateBumpsTheVersion() {
    StateStore store = open();
    Vm v1 = store.commit(inserts(basicVm())).get(0);
    Vm changed = v1.withState(VmState.BOOTING, T0.plusSeconds(10), "cloud says BUILD").withInstanceId(InstanceId.of("i-1"));
    List<Vm> stored = store.commit(updates(changed));
    assertThat(stored).as("commit result").containsExactly(changed.withVersion(2));
    assertThat(store.vm(v1.id())).as("read back").contains(changed.withVersion(2));
  }

  @Test
  @DisplayName("a stale update is a CONFLICT and changes nothing")
  void staleUpdateConflicts() {
    StateStore store = open();
    Vm v1 = store.commit(inserts(basicVm())).get(0);
    Vm v2 = store.commit(updates(v1.withState(VmState.BOOTING, T0.plusSeconds(5), "booting"))).get(0);
    Vm stale = v1.withState(VmState.ERROR, T0.plusSeconds(9), "stale writer");
    assertConflict(() -> store.commit(updates(stale)), "update of " + v1.id() + " at version 1");
    assertThat(store.vm(v1.id())).as("after the refused update").contains(v2);
  }

  @Test
  @DisplayName("a commit with a good insert and a stale update writes neither")
  void conflictingCommitWritesNothing() {
    StateStore store = open();
    Vm v1 = store.commit(inserts(basicVm())).get(0);
    store.commit(updates(v1.withState(VmState.BOOTING, T0.plusSeconds(5), "booting")));
    Vm fresh = basicVm();
    Vm stale = v1.withState(VmState.ERROR, T0.plusSeconds(9), "stale writer");
    VmEvent event = new VmEvent(fresh.id(), GROUP, CLOUD, null, VmState.REQUESTED, T0, "requested");
    Sample sample = new Sample(T0, "contract.idle-jobs", Map.of(), 3);
    StoreChanges changes =
        new StoreChanges(List.of(fresh), List.of(stale), List.of(), List.of(event), List.of(sample), List.of());
    assertConflict(() -> store.commit(changes), "commit with a stale update of " + v1.id());
    assertThat(store.vm(fresh.id())).as("the insert of the refused commit").isEmpty();
    assertThat(store.vm(v1.id()).map(Vm::version)).as("version after the refused commit").contains(2L);
    assertThat(store.history(fresh.id())).as("events of the refused commit").isEmpty();
    assertThat(store.samples("contract.idle-jobs", T0, T0.plusSeconds(1))).as("samples of the refused commit").isEmpty();
  }

  @Test
  @DisplayName("inserting an id that is already stored is a CONFLICT")
  void duplicateInsertConflicts() {
    StateStore store = open();
    Vm vm = basicVm();
    store.commit(inserts(vm));
    assertConflict(() -> store.commit(inserts(vm.withState(VmState.ERROR, T0, "again"))), "second insert of " + vm.id());
    assertThat(store.vm(vm.id())).contains(vm.withVersion(1));
  }

  @Test
  @DisplayName("a delete with the stored version removes the VM")
  void deleteWithTheRightVersionRemoves() {
    StateStore store = open();
    Vm keep = store.commit(inserts(basicVm())).get(0);
    Vm gone = store.commit(inserts(basicVm())).get(0);
    assertThat(store.commit(deletes(gone))).as("commit result of a delete").isEmpty();
    assertThat(store.vm(gone.id())).as("deleted VM").isEmpty();
    assertThat(store.vms()).as("all VMs").containsExactly(keep);
  }

  @Test
  @DisplayName("a delete with a wrong version is a CONFLICT and keeps the VM")
  void deleteWithAWrongVersionConflicts() {
    StateStore store = open();
    Vm v1 = store.commit(inserts(basicVm())).get(0);
    assertConflict(() -> store.commit(deletes(v1.withVersion(7))), "delete of " + v1.id() + " at version 7");
    assertThat(store.vm(v1.id())).contains(v1);
  }

  @Test
  @DisplayName("an empty commit returns nothing and changes nothing")
  void emptyCommitChangesNothing() {
    StateStore store = open();
    Vm v1 = store.commit(inserts(basicVm())).get(0);
    assertThat(store.commit(StoreChanges.NONE)).as("result of an empty commit").isEmpty();
    assertThat(store.vms()).containsExactly(v1);
  }

  @Test
  @DisplayName("a VM's history lists its transitions oldest first, with their reasons")
  void historyIsInOrder() {
    StateStore store = open();
    Vm vm = basicVm();
    Vm other = basicVm();
    VmEvent e1 = new VmEvent(vm.id(), GROUP, CLOUD, null, VmState.REQUESTED, T0, "requested for 3 jobs");
    VmEvent e2 = new VmEvent(vm.id(), GROUP, CLOUD, VmState.REQUESTED, VmState.BOOTING, T0.plusSeconds(2), "cloud says BUILD");
    VmEvent e3 = new VmEvent(vm.id(), GROUP, CLOUD, VmState.BOOTING, VmState.UNREGISTERED, T0.plusSeconds(60), "cloud says ACTIVE");
    VmEvent foreign = new VmEvent(other.id(), GROUP, CLOUD, null, VmState.REQUESTED, T0.plusSeconds(1), "requested");
    store.commit(changes(List.of(vm, other), List.of(), List.of(), List.of(e1, foreign, e2)));
    store.commit(changes(List.of(), List.of(), List.of(), List.of(e3)));
    assertThat(store.history(vm.id())).containsExactly(e1, e2, e3);
    assertThat(store.history(VmId.of("no-such-vm"))).isEmpty();
  }

  @Test
  @DisplayName("events(since, limit) returns transitions at or after since, oldest first, at most limit")
  void eventsSinceAreLimited() {
    StateStore store = open();
    List<VmEvent> all = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      all.add(new VmEvent(newId(), GROUP, CLOUD, null, VmState.REQUESTED, T0.plusSeconds(10L * n), "event " + n));
    }
    List<VmEvent> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(7));
    store.commit(changes(List.of(), List.of(), List.of(), shuffled));
    assertThat(store.events(T0.plusSeconds(20), 10)).as("events since +20s").containsExactly(all.get(2), all.get(3), all.get(4));
    assertThat(store.events(T0.plusSeconds(20), 2)).as("2 events since +20s").containsExactly(all.get(2), all.get(3));
    assertThat(store.events(T0.plusSeconds(41), 10)).as("events since +41s").isEmpty();
  }

  @Test
  @DisplayName("samples(metric, from, to) returns that metric's points in [from, to), oldest first")
  void samplesAreRanged() {
    StateStore store = open();
    Sample s0 = new Sample(T0, "idle-jobs", Map.of("group", "atlas"), 10);
    Sample s1 = new Sample(T0.plusSeconds(60), "idle-jobs", Map.of("group", "atlas"), 12.5);
    Sample s2 = new Sample(T0.plusSeconds(120), "idle-jobs", Map.of(), 0);
    Sample other = new Sample(T0.plusSeconds(60), "vms", Map.of("cloud", "arbutus", "state", "idle"), 4);
    store.commit(new StoreChanges(List.of(), List.of(), List.of(), List.of(), List.of(s2, other, s0, s1), List.of()));
    assertThat(store.samples("idle-jobs", T0, T0.plusSeconds(120))).containsExactly(s0, s1);
    assertThat(store.samples("idle-jobs", T0.plusSeconds(1), T0.plusSeconds(121))).containsExactly(s1, s2);
    assertThat(store.samples("vms", T0, T0.plusSeconds(600))).containsExactly(other);
    assertThat(store.samples("no-such-metric", T0, T0.plusSeconds(600))).isEmpty();
  }

  @Test
  @DisplayName("accounting(from, to) returns the records of VMs that ended in [from, to)")
  void accountingIsRanged() {
    StateStore store = open();
    AccountingRecord a = accounting(T0.plusSeconds(100));
    AccountingRecord b = accounting(T0.plusSeconds(200));
    AccountingRecord c = accounting(T0.plusSeconds(300));
    store.commit(new StoreChanges(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(c, a, b)));
    assertThat(store.accounting(T0.plusSeconds(100), T0.plusSeconds(300))).containsExactlyInAnyOrder(a, b);
    assertThat(store.accounting(T0, T0.plusSeconds(100))).isEmpty();
  }

  private static org.csv2.model.VmUsage usageRecord(String vm, Instant start, @Nullable Instant end) {
    return new org.csv2.model.VmUsage(
        VmId.of(vm),
        java.util.UUID.nameUUIDFromBytes(vm.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
        GroupName.of("atlas"),
        CloudName.of("arbutus"),
        FlavorName.of("c8-m32"),
        "alma9-worker",
        8,
        32_000,
        80,
        start,
        end,
        60,
        end == null ? start.plusSeconds(3000) : null,
        12_345.5,
        true,
        java.util.Set.of("atlasprd", "atlassgm"),
        end == null ? Map.of("slot1_1@" + vm + "#1700000000", 99.25) : Map.of(),
        0.25,
        start.plusSeconds(3600));
  }

  @Test
  @DisplayName("usage records round-trip every field, are replaced by uuid and ranged by when the VM ran")
  void usageRecordsRoundTripAndAreRanged() {
    Assumptions.assumeTrue(keepsUsageRecords(), "store keeps no usage records");
    StateStore store = open();
    org.csv2.model.VmUsage ended = usageRecord("vm-ended", T0, T0.plusSeconds(600));
    org.csv2.model.VmUsage running = usageRecord("vm-running", T0.plusSeconds(300), null);
    org.csv2.model.VmUsage later = usageRecord("vm-later", T0.plusSeconds(2000), null);
    store.saveUsage(List.of(running, ended, later));
    assertThat(store.usage(T0, T0.plusSeconds(10_000))).containsExactly(ended, running, later);
    assertThat(store.usage(T0.plusSeconds(601), T0.plusSeconds(2000))).as("ended before from, started at to").containsExactly(running);
    org.csv2.model.VmUsage grown =
        new org.csv2.model.VmUsage(running.vm(), running.uuid(), running.group(), running.cloud(), running.flavor(), running.image(),
            running.cores(), running.ramMiB(), running.diskGiB(), running.start(), T0.plusSeconds(5000), 75, null, 20_000, true,
            java.util.Set.of("atlasprd"), Map.of(), 0.25, T0.plusSeconds(5000));
    store.saveUsage(List.of(grown));
    assertThat(store.usage(T0.plusSeconds(4000), T0.plusSeconds(10_000))).containsExactly(grown, later);
  }

  @Test
  @DisplayName("an accounting batch is prepared, then recorded once: its fingerprints become the sent ones")
  void accountingBatchesArePreparedThenRecorded() {
    Assumptions.assumeTrue(keepsUsageRecords(), "store keeps no usage records");
    StateStore store = open();
    assertThat(store.accountingSent()).isEmpty();
    org.csv2.model.AccountingBatch b1 =
        new org.csv2.model.AccountingBatch("00000001-0000000100000a", T0, Map.of("vm/u1/2026-11", "f1", "vm/u2/2026-11", "f2"));
    store.prepareAccountingBatch(b1);
    assertThatThrownBy(() -> store.prepareAccountingBatch(b1))
        .isInstanceOf(StateStoreException.class)
        .extracting(e -> ((StateStoreException) e).reason())
        .isEqualTo(StateStoreException.Reason.CONFLICT);
    assertThat(store.accountingBatches()).containsExactly(b1);
    assertThat(store.accountingSent()).as("nothing sent before the batch is recorded").isEmpty();
    assertThat(store.recordAccountingBatch(b1.id())).isTrue();
    assertThat(store.recordAccountingBatch(b1.id())).as("recording twice changes nothing").isFalse();
    assertThat(store.accountingBatches()).isEmpty();
    assertThat(store.accountingSent()).isEqualTo(Map.of("vm/u1/2026-11", "f1", "vm/u2/2026-11", "f2"));
    org.csv2.model.AccountingBatch b2 =
        new org.csv2.model.AccountingBatch("00000002-0000000200000b", T0.plusSeconds(60), Map.of("vm/u2/2026-11", "f2b"));
    store.prepareAccountingBatch(b2);
    store.recordAccountingBatch(b2.id());
    assertThat(store.accountingSent()).isEqualTo(Map.of("vm/u1/2026-11", "f1", "vm/u2/2026-11", "f2b"));
  }

  @Test
  @DisplayName("the configuration is saved with versions and a stale save is a CONFLICT")
  void configurationIsVersioned() {
    StateStore store = open();
    assertThat(store.config()).as("configuration of a fresh store").isEmpty();
    StoredConfig first = store.saveConfig("clouds: []\n", 0, "alice");
    assertThat(first.version()).as("version of the first save").isEqualTo(1);
    assertThat(first.document()).isEqualTo("clouds: []\n");
    assertThat(first.updatedBy()).isEqualTo("alice");
    assertThat(store.config()).as("read back").contains(first);
    StoredConfig second = store.saveConfig("clouds: [a]\n", 1, "bob");
    assertThat(second.version()).as("version of the second save").isEqualTo(2);
    assertConflict(() -> store.saveConfig("clouds: [stale]\n", 1, "carol"), "configuration save at version 1");
    assertConflict(() -> store.saveConfig("clouds: [new]\n", 0, "dave"), "configuration save at version 0");
    assertThat(store.config().map(StoredConfig::document)).as("after the refused saves").contains("clouds: [a]\n");
  }

  @Test
  @DisplayName("an operator write stores intents (ids, version 1) and audit entries; they read back")
  void operatorWriteStoresIntentsAndAudit() {
    Assumptions.assumeTrue(keepsOperatorRecords(), "store keeps no operator records");
    StateStore store = open();
    Intent retire = Intent.forVm(IntentKind.RETIRE, GROUP, CLOUD, VmId.of("contract--c--e--1"), Map.of(), ALICE, T0);
    Intent kill =
        Intent.forVm(IntentKind.KILL, GROUP, CLOUD, VmId.of("contract--c--e--2"), Map.of("force", "true"), ALICE, T0.plusSeconds(1));
    Intent retain = Intent.retain(GroupName.of("other"), CLOUD, 3, BOB, T0.plusSeconds(2));
    AuditEntry audit = AuditEntry.of(T0, ALICE, "vm retire", "contract--c--e--1", "state=IDLE", "intent RETIRE");
    OperatorWrite.Result result = store.submit(new OperatorWrite(null, 0, "alice", List.of(retire, kill, retain), List.of(audit)));
    assertThat(result.config()).as("config without a document").isNull();
    assertThat(result.intents()).hasSize(3);
    assertThat(result.intents()).extracting(Intent::version).containsOnly(1L);
    assertThat(result.intents()).extracting(Intent::id).doesNotContain(0L).doesNotHaveDuplicates().isSorted();
    assertThat(result.intents().get(0)).isEqualTo(retire.stored(result.intents().get(0).id(), 1));
    assertThat(result.intents().get(1)).isEqualTo(kill.stored(result.intents().get(1).id(), 1));
    assertThat(result.intents().get(1).force()).as("force parameter").isTrue();
    assertThat(result.intents().get(2).count()).as("retain count").isEqualTo(3);
    assertThat(store.intent(result.intents().get(2).id())).contains(result.intents().get(2));
    assertThat(store.intent(9_999_999L)).isEmpty();
    assertThat(store.pendingIntents(List.of(GROUP))).as("pending of the group, oldest first").containsExactly(result.intents().get(0), result.intents().get(1));
    assertThat(store.pendingIntents(List.of())).isEmpty();
    assertThat(store.intents(null, 10)).as("all, newest first").containsExactly(result.intents().get(2), result.intents().get(1), result.intents().get(0));
    assertThat(store.intents(null, 1)).as("limited").containsExactly(result.intents().get(2));
    assertThat(store.intents(GroupName.of("other"), 10)).containsExactly(result.intents().get(2));
    assertThat(result.audit()).hasSize(1);
    assertThat(result.audit().get(0).id()).isPositive();
    assertThat(store.audit(T0, 10)).containsExactly(result.audit().get(0));
    assertThat(store.audit(T0.plusSeconds(1), 10)).as("audit since a later time").isEmpty();
  }

  @Test
  @DisplayName("an operator write with a stale configuration version writes nothing, neither config nor intents nor audit")
  void staleOperatorWriteWritesNothing() {
    Assumptions.assumeTrue(keepsOperatorRecords(), "store keeps no operator records");
    StateStore store = open();
    OperatorWrite.Result first =
        store.submit(new OperatorWrite("groups: []\n", 0, "alice", List.of(), List.of(AuditEntry.of(T0, ALICE, "group add", "g", "", "x"))));
    assertThat(first.config()).isNotNull();
    assertThat(first.config().version()).isEqualTo(1);
    assertThat(first.config().updatedBy()).isEqualTo("alice");
    assertThat(store.config().map(StoredConfig::document)).contains("groups: []\n");
    Intent retire = Intent.forVm(IntentKind.RETIRE, GROUP, CLOUD, VmId.of("contract--c--e--1"), Map.of(), BOB, T0);
    assertThatThrownBy(
            () -> store.submit(new OperatorWrite("groups: [stale]\n", 0, "bob", List.of(retire), List.of(AuditEntry.of(T0, BOB, "cloud delete", "c", "x", "")))))
        .as("stale operator write")
        .isInstanceOfSatisfying(
            StateStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(StateStoreException.Reason.CONFLICT);
              assertThat(e.getMessage()).as("message names both versions").contains("0").contains("1");
            });
    assertThat(store.config().map(StoredConfig::version)).contains(1L);
    assertThat(store.pendingIntents(List.of(GROUP))).as("intents after the refused write").isEmpty();
    assertThat(store.audit(T0, 10)).as("audit after the refused write").hasSize(1);
    OperatorWrite.Result second = store.submit(new OperatorWrite("groups: [b]\n", 1, "bob", List.of(retire), List.of()));
    assertThat(second.config().version()).isEqualTo(2);
    assertThat(second.intents()).hasSize(1);
  }

  @Test
  @DisplayName("completing an intent bumps its version; a stale or unknown completion is a CONFLICT; a second handle sees it")
  void intentCompletionIsVersioned() {
    Assumptions.assumeTrue(keepsOperatorRecords(), "store keeps no operator records");
    StateStore first = open();
    StateStore second = open();
    Intent stored =
        first.submit(new OperatorWrite(null, 0, "alice",
                List.of(Intent.forVm(IntentKind.MANUAL_ON, GROUP, CLOUD, VmId.of("contract--c--e--1"), Map.of(), ALICE, T0)), List.of()))
            .intents()
            .get(0);
    assertThat(second.pendingIntents(List.of(GROUP))).as("seen through a second handle").containsExactly(stored);
    Intent done = second.completeIntent(stored.id(), 1, IntentStatus.VANISHED, "VM gone", T0.plusSeconds(5));
    assertThat(done.status()).isEqualTo(IntentStatus.VANISHED);
    assertThat(done.version()).isEqualTo(2);
    assertThat(done.message()).isEqualTo("VM gone");
    assertThat(done.completedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(first.intent(stored.id())).contains(done);
    assertThat(first.pendingIntents(List.of(GROUP))).as("pending after completion").isEmpty();
    assertConflict(() -> first.completeIntent(stored.id(), 1, IntentStatus.DONE, "again", T0.plusSeconds(6)), "stale completion");
    assertConflict(() -> first.completeIntent(9_999_999L, 1, IntentStatus.DONE, "unknown", T0), "completion of an unknown intent");
    assertThat(first.intent(stored.id())).as("after the refused completion").contains(done);
  }

  @Test
  @DisplayName("a status snapshot round-trips every field and replaces the group's previous one")
  void statusSnapshotRoundTrips() {
    Assumptions.assumeTrue(keepsOperatorRecords(), "store keeps no operator records");
    StateStore store = open();
    assertThat(store.statuses()).as("snapshots of a fresh store").isEmpty();
    GroupStatus older = snapshot(GROUP, T0, "old");
    store.saveStatus(older);
    GroupStatus other = snapshot(GroupName.of("atlas"), T0.plusSeconds(1), "atlas");
    store.saveStatus(other);
    GroupStatus newer = snapshot(GROUP, T0.plusSeconds(60), "new");
    store.saveStatus(newer);
    assertThat(open().statuses()).as("read through a second handle, by group").containsExactly(other, newer);
  }

  private static GroupStatus snapshot(GroupName group, Instant at, String note) {
    GroupStatus.Usage cores = new GroupStatus.Usage(100, 40, 12, -1);
    GroupStatus.Usage ram = new GroupStatus.Usage(-1, -1, 24_000, 1_000);
    GroupStatus.CloudFigures cloud =
        new GroupStatus.CloudFigures(
            CLOUD, true, Map.of(VmState.RUNNING, 3, VmState.IDLE, 1), cores, ram,
            List.of(new GroupStatus.FlavorSlots(FlavorName.of("m1.large"), 5, 3)), true, Duration.ofMillis(250),
            BreakerState.CLOSED, 12, "");
    GroupStatus.CloudFigures down =
        new GroupStatus.CloudFigures(
            CloudName.of("down-cloud"), false, Map.of(), new GroupStatus.Usage(-1, -1, 0, -1), new GroupStatus.Usage(-1, -1, 0, -1),
            List.of(), false, null, BreakerState.OPEN, null, "connection refused: \"quoted\" \u00e9");
    return new GroupStatus(
        group, at, ENGINE, 7,
        List.of(new GroupStatus.JobCounts(null, 5, 3, 1, 0), new GroupStatus.JobCounts(AliasName.of("big"), 2, 0, 0, 1)),
        List.of(cloud, down),
        List.of(new GroupStatus.ShapeNote("cores=8 ram=16000 alias=big", AliasName.of("big"), 2, "no flavor fits: " + note)),
        List.of(new GroupStatus.VmFigures(VmId.of("contract--c--e--1"), 2, 0, 2)),
        List.of(new GroupStatus.JobRow(JobId.of("12.0"), AliasName.of("big"), JobState.IDLE, "alice", at.minusSeconds(30), "cores=8 ram=16000 alias=big"),
            new GroupStatus.JobRow(JobId.of("13.0"), null, JobState.IDLE, "bob", at.minusSeconds(20), "cores=1 ram=1000")),
        List.of("job source slow"));
  }

  @Test
  @DisplayName("a lease is held by one engine until it expires, renewed by its owner, then taken over")
  void leasesAreExclusiveUntilExpiry() {
    StateStore store = open();
    GroupName group = GroupName.of("atlas");
    Duration ttl = Duration.ofSeconds(30);
    Optional<Lease> a = store.tryLease(group, "engine-a", T0, ttl);
    assertThat(a).as("first lease").contains(new Lease(group, "engine-a", T0.plus(ttl)));
    assertThat(store.tryLease(group, "engine-b", T0.plusSeconds(10), ttl)).as("B while A holds it").isEmpty();
    assertThat(store.tryLease(group, "engine-a", T0.plusSeconds(20), ttl))
        .as("A renewing")
        .contains(new Lease(group, "engine-a", T0.plusSeconds(50)));
    assertThat(store.tryLease(group, "engine-b", T0.plusSeconds(40), ttl)).as("B before the renewed lease expires").isEmpty();
    assertThat(store.tryLease(group, "engine-b", T0.plusSeconds(51), ttl))
        .as("B after the lease expired")
        .contains(new Lease(group, "engine-b", T0.plusSeconds(81)));
    assertThat(store.leases()).as("leases").containsExactly(new Lease(group, "engine-b", T0.plusSeconds(81)));
  }

  @Test
  @DisplayName("a released lease can be taken at once; a release by a non-owner changes nothing")
  void releasedLeaseCanBeTaken() {
    StateStore store = open();
    GroupName atlas = GroupName.of("atlas");
    GroupName belle = GroupName.of("belle");
    Duration ttl = Duration.ofMinutes(5);
    assertThat(store.tryLease(atlas, "engine-a", T0, ttl)).isPresent();
    assertThat(store.tryLease(belle, "engine-a", T0, ttl)).isPresent();
    store.releaseLease(atlas, "engine-b");
    assertThat(store.tryLease(atlas, "engine-b", T0.plusSeconds(1), ttl)).as("B after B's release of A's lease").isEmpty();
    store.releaseLease(atlas, "engine-a");
    assertThat(store.tryLease(atlas, "engine-b", T0.plusSeconds(2), ttl)).as("B after A released").isPresent();
    assertThat(store.leases())
        .containsExactlyInAnyOrder(new Lease(atlas, "engine-b", T0.plusSeconds(2).plus(ttl)), new Lease(belle, "engine-a", T0.plus(ttl)));
  }

  // ---------------------------------------------------------------- reservations

  private static final CloudName CLOUD_B = CloudName.of("contract-cloud-b");

  private static Reservation requested(String owner, GroupName group, int cores, int count, Instant start, Instant end) {
    return new Reservation(0, owner, group, null, false, null, cores, 2048L * cores, count, null, null, null, start,
        end, ReservationState.REQUESTED, "", T0, T0, null, List.of(), 0);
  }

  private static ReservationCapacity cores(CloudName cloud, int total, int group) {
    return new ReservationCapacity(cloud, new Limits(total, Limits.UNLIMITED, Limits.UNLIMITED),
        new Limits(group, Limits.UNLIMITED, Limits.UNLIMITED));
  }

  @Test
  @DisplayName("a booking reads back equal, every field included, CONFIRMED with version 1")
  void bookingReadsBack() {
    Assumptions.assumeTrue(keepsReservations(), "store keeps no reservations");
    StateStore store = open();
    Reservation full = new Reservation(0, "alice", GROUP, CLOUD, true, FlavorName.of("m1.large"), 8, 16000, 3,
        "alma9", "#cloud-config\nruncmd: [\"echo 'hi'\"]\n", "ssh-ed25519 AAAAC3Nza alice@example.org",
        T0.plusSeconds(3600), T0.plusSeconds(7200), ReservationState.REQUESTED, "", T0, T0, null, List.of(), 0);
    Booking b = store.book(full, List.of(cores(CLOUD, 64, 64)));
    assertThat(b.done()).as("booked").isTrue();
    Reservation expected = full.moved(ReservationState.CONFIRMED, "", T0).stored(b.reservation().id(), 1);
    assertThat(b.reservation()).isEqualTo(expected);
    assertThat(b.reservation().id()).isPositive();
    assertThat(store.reservation(b.reservation().id())).contains(expected);
    assertThat(open().reservation(b.reservation().id())).as("through a second handle").contains(expected);
    assertThat(store.reservation(b.reservation().id() + 1000)).isEmpty();
  }

  @Test
  @DisplayName("a booking that does not fit beside others is stored REFUSED, naming the cloud, the instant and the holder")
  void overbookingIsRefusedNamingTheConflict() {
    Assumptions.assumeTrue(keepsReservations(), "store keeps no reservations");
    StateStore store = open();
    Instant s = T0.plusSeconds(3600);
    Reservation first = store.book(requested("alice", GROUP, 4, 6, s, s.plusSeconds(7200)), List.of(cores(CLOUD, 32, 32))).reservation();
    assertThat(first.state()).isEqualTo(ReservationState.CONFIRMED);
    // overlaps the second hour of the first: 24 + 16 > 32
    Booking second = store.book(requested("bob", GROUP, 4, 4, s.plusSeconds(3600), s.plusSeconds(10800)), List.of(cores(CLOUD, 32, 32)));
    assertThat(second.done()).isFalse();
    assertThat(second.reservation().state()).isEqualTo(ReservationState.REFUSED);
    assertThat(second.refusal()).contains(CLOUD.value()).contains(s.plusSeconds(3600).toString())
        .contains("reservation(s) " + first.id()).contains("24 of 32 cores").contains("16 more asked");
    assertThat(second.reservation().reason()).isEqualTo(second.refusal());
    assertThat(store.reservation(second.reservation().id()).map(Reservation::state)).contains(ReservationState.REFUSED);
    // after the first ends, the same request fits
    Booking later = store.book(requested("bob", GROUP, 4, 4, s.plusSeconds(7200), s.plusSeconds(10800)), List.of(cores(CLOUD, 32, 32)));
    assertThat(later.done()).as("adjacent windows [a, b) and [b, c) do not overlap").isTrue();
  }

  @Test
  @DisplayName("VMs count against an instance quota; a size no flavor holds is refused naming the cloud and the size, booking or extending")
  void instanceQuotaAndFlavorFit() {
    Assumptions.assumeTrue(keepsReservations(), "store keeps no reservations");
    StateStore store = open();
    CloudName vmsCloud = CloudName.of("contract-cloud-vms");
    Instant s = T0.plus(Duration.ofDays(30));
    Instant e = s.plusSeconds(3600);
    List<org.csv2.model.Flavor> flavors = List.of(org.csv2.model.Flavor.of("m4", org.csv2.model.Resources.of(4, 8192)));
    ReservationCapacity cap = new ReservationCapacity(vmsCloud, new Limits(Limits.UNLIMITED, Limits.UNLIMITED, 3), Limits.NONE, flavors);
    Reservation two = store.book(requested("alice", GROUP, 1, 2, s, e), List.of(cap)).reservation();
    assertThat(two.state()).isEqualTo(ReservationState.CONFIRMED);
    Booking more = store.book(requested("bob", GROUP, 1, 2, s, e), List.of(cap));
    assertThat(more.done()).isFalse();
    assertThat(more.refusal()).contains("reservation(s) " + two.id() + " hold 2 of 3 VMs").contains("2 more asked");
    Booking big = store.book(requested("bob", GROUP, 8, 1, e, e.plusSeconds(3600)), List.of(cap));
    assertThat(big.done()).isFalse();
    assertThat(big.refusal()).isEqualTo("no flavor of contract-cloud-vms holds one VM of 8 cores and 16384 MiB (its largest: m4 (4 cores, 8192 MiB))");
    assertThat(store.reservation(big.reservation().id()).map(Reservation::state)).contains(ReservationState.REFUSED);
    // an extension meets the same check (here: the flavors changed since the booking)
    ReservationCapacity smaller = new ReservationCapacity(vmsCloud, cap.total(), cap.group(),
        List.of(org.csv2.model.Flavor.of("s1", org.csv2.model.Resources.of(1, 1024))));
    Booking ext = store.extendReservation(two.id(), two.version(), e.plusSeconds(600), smaller);
    assertThat(ext.done()).isFalse();
    assertThat(ext.refusal()).startsWith("no flavor of contract-cloud-vms holds one VM of 1 cores and 2048 MiB");
    assertThat(store.reservation(two.id()).map(Reservation::end)).as("unchanged").contains(e);
  }

  @Test
  @DisplayName("any cloud: the first cloud in order with room is booked; the group's own limit counts only its reservations")
  void anyCloudTakesTheFirstWithRoom() {
    Assumptions.assumeTrue(keepsReservations(), "store keeps no reservations");
    StateStore store = open();
    Instant s = T0.plusSeconds(600 * 6);
    Instant e = s.plusSeconds(3600);
    GroupName other = GroupName.of("contract-other");
    assertThat(store.book(requested("carol", other, 8, 2, s, e), List.of(cores(CLOUD, 24, 16))).done()).isTrue();
    // group limit 8 on CLOUD for GROUP: 8 of GROUP's fit beside other's 16 (24 total)
    Booking a = store.book(requested("alice", GROUP, 8, 1, s, e), List.of(cores(CLOUD, 24, 8), cores(CLOUD_B, 100, 100)));
    assertThat(a.reservation().cloud()).isEqualTo(CLOUD);
    Booking b = store.book(requested("alice", GROUP, 8, 1, s, e), List.of(cores(CLOUD, 100, 8), cores(CLOUD_B, 100, 100)));
    assertThat(b.reservation().cloud()).as("the group's limit on the first cloud is used up").isEqualTo(CLOUD_B);
    Booking c = store.book(requested("alice", GROUP, 8, 1, s, e), List.of(cores(CLOUD, 24, 100), cores(CLOUD_B, 8, 100)));
    assertThat(c.done()).isFalse();
    assertThat(c.refusal()).contains(CLOUD.value()).contains(CLOUD_B.value());
    assertThat(store.book(requested("alice", GROUP, 8, 1, s, e), List.of()).reservation().state()).isEqualTo(ReservationState.REFUSED);
  }

  @Test
  @DisplayName("an extension checks the added time like a booking; a stale one is a CONFLICT")
  void extensionIsCheckedAndVersioned() {
    Assumptions.assumeTrue(keepsReservations(), "store keeps no reservations");
    StateStore store = open();
    Instant s = T0.plusSeconds(3600);
    ReservationCapacity cap = cores(CLOUD, 16, 16);
    Reservation a = store.book(requested("alice", GROUP, 8, 1, s, s.plusSeconds(3600)), List.of(cap)).reservation();
    Reservation b = store.book(requested("bob", GROUP, 8, 2, s.plusSeconds(7200), s.plusSeconds(10800)), List.of(cap)).reservation();
    Booking ok = store.extendReservation(a.id(), 1, s.plusSeconds(7200), cap);
    assertThat(ok.done()).isTrue();
    assertThat(ok.reservation().end()).isEqualTo(s.plusSeconds(7200));
    assertThat(ok.reservation().version()).isEqualTo(2);
    Booking refused = store.extendReservation(a.id(), 2, s.plusSeconds(9000), cap);
    assertThat(refused.done()).isFalse();
    assertThat(refused.refusal()).contains("reservation(s) " + b.id());
    assertThat(store.reservation(a.id())).contains(ok.reservation());
    assertConflict(() -> store.extendReservation(a.id(), 1, s.plusSeconds(7260), cap), "extension at version 1");
    assertConflict(() -> store.extendReservation(a.id() + 999, 1, s.plusSeconds(7260), cap), "extension of an unknown reservation");
  }

  @Test
  @DisplayName("lifecycle writes are versioned; a reservation that stops holding frees its capacity")
  void updatesAreVersioned() {
    Assumptions.assumeTrue(keepsReservations(), "store keeps no reservations");
    StateStore store = open();
    Instant s = T0.plusSeconds(3600);
    ReservationCapacity cap = cores(CLOUD, 8, 8);
    Reservation a = store.book(requested("alice", GROUP, 8, 1, s, s.plusSeconds(3600)), List.of(cap)).reservation();
    VmId vm = VmId.of(GROUP, CLOUD, ENGINE, "r0000001");
    Reservation starting = store.updateReservation(
        a.moved(ReservationState.STARTING, "booting 1 VM", s.minusSeconds(300)).withVms(List.of(vm)).warned(s));
    assertThat(starting.version()).isEqualTo(2);
    assertThat(starting.vms()).containsExactly(vm);
    assertThat(starting.warnedAt()).isEqualTo(s);
    assertThat(store.reservation(a.id())).contains(starting);
    assertConflict(() -> store.updateReservation(a.moved(ReservationState.FAILED, "stale", s)), "stale lifecycle write");
    assertThat(store.book(requested("bob", GROUP, 8, 1, s, s.plusSeconds(60)), List.of(cap)).done()).isFalse();
    store.updateReservation(starting.moved(ReservationState.ENDED, "cancelled", s));
    assertThat(store.book(requested("bob", GROUP, 8, 1, s, s.plusSeconds(60)), List.of(cap)).done())
        .as("an ENDED reservation holds nothing").isTrue();
  }

  @Test
  @DisplayName("reservations are listed by window overlap, group and start")
  void reservationsAreListedByWindow() {
    Assumptions.assumeTrue(keepsReservations(), "store keeps no reservations");
    StateStore store = open();
    ReservationCapacity cap = ReservationCapacity.unlimited(CLOUD);
    Instant s = T0.plusSeconds(3600);
    Reservation late = store.book(requested("a", GROUP, 1, 1, s.plusSeconds(7200), s.plusSeconds(9000)), List.of(cap)).reservation();
    Reservation early = store.book(requested("a", GROUP, 1, 1, s, s.plusSeconds(3600)), List.of(cap)).reservation();
    Reservation other = store.book(requested("a", GroupName.of("contract-other"), 1, 1, s, s.plusSeconds(3600)), List.of(cap)).reservation();
    assertThat(store.reservations(null, T0, s.plusSeconds(99999))).extracting(Reservation::id)
        .containsExactly(early.id(), other.id(), late.id());
    assertThat(store.reservations(GROUP, T0, s.plusSeconds(99999))).extracting(Reservation::id).containsExactly(early.id(), late.id());
    assertThat(store.reservations(GROUP, s.plusSeconds(3600), s.plusSeconds(7200))).as("touching ends do not overlap").isEmpty();
    assertThat(store.reservations(GROUP, s.plusSeconds(3599), s.plusSeconds(7201))).extracting(Reservation::id)
        .containsExactly(early.id(), late.id());
  }

  @Test
  @DisplayName("16 threads on two handles book the last slot at once: exactly one wins, the others are refused naming it")
  void racingBookingsHaveOneWinner() throws Exception {
    Assumptions.assumeTrue(keepsReservations(), "store keeps no reservations");
    StateStore first = open();
    StateStore second = open();
    Instant s = T0.plusSeconds(3600);
    ReservationCapacity cap = cores(CLOUD, 16, 16);
    Reservation taken = first.book(requested("setup", GROUP, 4, 2, s, s.plusSeconds(3600)), List.of(cap)).reservation();
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Booking>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        StateStore handle = t % 2 == 0 ? first : second;
        String owner = "racer" + t;
        futures.add(pool.submit(() -> {
          start.await();
          return handle.book(requested(owner, GROUP, 4, 2, s.plusSeconds(1800), s.plusSeconds(5400)), List.of(cap));
        }));
      }
      start.countDown();
      List<Booking> results = new ArrayList<>();
      for (Future<Booking> f : futures) {
        results.add(f.get(120, TimeUnit.SECONDS));
      }
      List<Booking> won = results.stream().filter(Booking::done).toList();
      assertThat(won).as("winners").hasSize(1);
      long winner = won.get(0).reservation().id();
      assertThat(results.stream().filter(b -> !b.done()))
          .as("losers")
          .hasSize(threads - 1)
          .allSatisfy(b -> assertThat(b.refusal()).contains("reservation(s) " + taken.id() + ", " + winner)
              .contains("16 of 16 cores"));
      List<Reservation> stored = first.reservations(GROUP, T0, s.plusSeconds(99999));
      assertThat(stored).as("every booking stored once, whole").hasSize(threads + 1)
          .allSatisfy(r -> assertThat(r.state()).isIn(ReservationState.CONFIRMED, ReservationState.REFUSED));
      assertThat(stored.stream().filter(r -> r.state() == ReservationState.CONFIRMED)).hasSize(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a second handle on the same store sees the first one's writes and conflicts with them")
  void twoHandlesShareOneStore() {
    StateStore first = open();
    StateStore second = open();
    Vm v1 = first.commit(inserts(basicVm())).get(0);
    assertThat(second.vm(v1.id())).as("read through the second handle").contains(v1);
    Vm v2 = second.commit(updates(v1.withState(VmState.BOOTING, T0.plusSeconds(3), "second engine"))).get(0);
    assertConflict(() -> first.commit(updates(v1.withState(VmState.ERROR, T0.plusSeconds(4), "first engine"))), "stale update through the first handle");
    assertThat(first.vm(v1.id())).as("read through the first handle").contains(v2);
    assertThat(first.tryLease(GROUP, "engine-a", T0, Duration.ofMinutes(1))).isPresent();
    assertThat(second.tryLease(GROUP, "engine-b", T0, Duration.ofMinutes(1))).as("lease held through the other handle").isEmpty();
  }

  @Test
  @DisplayName("8 threads updating one VM: exactly one wins per version and no update is lost")
  void concurrentWritersLoseNoUpdate() throws Exception {
    StateStore store = open();
    Vm vm = store.commit(inserts(basicVm())).get(0);
    int threads = 8;
    int attempts = 25;
    ConcurrentLinkedQueue<Long> won = new ConcurrentLinkedQueue<>();
    AtomicInteger conflicts = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int n = 0; n < attempts; n++) {
                    Vm current = store.vm(vm.id()).orElseThrow();
                    Vm next = current.toBuilder().retireAttempts(current.retireAttempts() + 1).build();
                    try {
                      won.add(store.commit(updates(next)).get(0).version());
                    } catch (StateStoreException e) {
                      if (e.reason() != StateStoreException.Reason.CONFLICT) {
                        throw e;
                      }
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int wins = won.size();
    List<Long> expected = new ArrayList<>();
    for (long v = 2; v <= wins + 1; v++) {
      expected.add(v);
    }
    assertThat(wins + conflicts.get()).as("attempts").isEqualTo(threads * attempts);
    assertThat(wins).as("successful updates").isPositive();
    assertThat(won).as("versions won (one winner per version)").containsExactlyInAnyOrderElementsOf(expected);
    Vm last = store.vm(vm.id()).orElseThrow();
    assertThat(last.version()).as("final version").isEqualTo(wins + 1L);
    assertThat(last.retireAttempts()).as("increments kept (no lost update)").isEqualTo(wins);
  }

  @RepeatedTest(value = SEEDS, name = "seed {currentRepetition}")
  @DisplayName("random commands leave the store equal to an in-memory model after every step")
  void randomCommandsMatchTheModel(RepetitionInfo repetition) {
    runStatefulSeed(repetition.getCurrentRepetition());
  }

  // ---------------------------------------------------------------- users and tokens (csv2-server)

  @Test
  @DisplayName("a saved user reads back equal with version 1, its groups included, and a stale save conflicts")
  void userRoundTripAndConflict() {
    StateStore store = open();
    if (!keepsUsers()) {
      assertThatThrownBy(store::users).isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    assertThat(store.users()).as("users of a fresh store").isEmpty();
    User alice = User.of("alice", "$2a$10$hash", false, Set.of(GROUP, GroupName.of("belle")))
        .withSettings(GroupName.of("belle"), 15);
    User v1 = store.saveUser(alice, 0);
    assertThat(v1).as("save result").isEqualTo(alice.withVersion(1));
    assertThat(store.user("alice")).as("read back").contains(v1);
    assertThat(store.user("nobody")).as("unknown user").isEmpty();
    assertConflict(() -> store.saveUser(alice, 0), "a second insert of the same name");
    User v2 = store.saveUser(v1.withRoles(true, Set.of()), 1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(store.user("alice")).as("groups replaced").contains(v2);
    assertConflict(() -> store.saveUser(v1, 1), "a stale update");
    assertThat(store.user("alice")).as("after the refused update").contains(v2);
    store.saveUser(User.of("bob", "", false, Set.of(GROUP)), 0);
    assertThat(store.users()).extracting(User::name).as("sorted by name").containsExactly("alice", "bob");
  }

  @Test
  @DisplayName("tokens belong to a user, read back, and go with a deleted user")
  void tokensFollowTheirUser() {
    StateStore store = open();
    if (!keepsUsers()) {
      assertThatThrownBy(() -> store.token("aaaaaaaaaaaaaaaa")).isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    store.saveUser(User.of("carol", "h", false, Set.of(GROUP)), 0);
    ApiToken t1 = new ApiToken("aaaaaaaaaaaaaaaa", "carol", "sha256:1", "laptop", T0, null);
    ApiToken t2 = new ApiToken("bbbbbbbbbbbbbbbb", "carol", "sha256:2", "ci", T0.plusSeconds(5), T0.plusSeconds(3600));
    store.saveToken(t1);
    store.saveToken(t2);
    assertConflict(() -> store.saveToken(t1), "a second token with the same id");
    assertConflict(
        () -> store.saveToken(new ApiToken("cccccccccccccccc", "nobody", "x", "", T0, null)),
        "a token of an unknown user");
    assertThat(store.token("aaaaaaaaaaaaaaaa")).contains(t1);
    assertThat(store.tokens("carol")).as("oldest first").containsExactly(t1, t2);
    assertThat(store.deleteToken("aaaaaaaaaaaaaaaa")).isTrue();
    assertThat(store.deleteToken("aaaaaaaaaaaaaaaa")).as("idempotent").isFalse();
    assertThat(store.deleteUser("carol")).isTrue();
    assertThat(store.deleteUser("carol")).as("idempotent").isFalse();
    assertThat(store.token("bbbbbbbbbbbbbbbb")).as("the user's tokens are gone").isEmpty();
    assertThat(store.user("carol")).isEmpty();
  }

  // ---------------------------------------------------------------- images (transfers, public keys)

  @Test
  @DisplayName("an image transfer gets an id and version 1, saves with its version, conflicts when stale, and lists newest first")
  void imageTransfersRoundTripWithOptimisticLocking() {
    StateStore store = open();
    if (!keepsImageRecords()) {
      assertThatThrownBy(() -> store.transfers(false, 10)).isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    assertThat(store.transfers(false, 10)).as("transfers of a fresh store").isEmpty();
    org.csv2.api.ops.ImageTransfer asked = org.csv2.api.ops.ImageTransfer.fromCloud(
        "worker-v7", GROUP, org.csv2.model.CloudName.of("east"), "img-1", org.csv2.model.CloudName.of("west"), "qcow2", "alice", T0);
    org.csv2.api.ops.ImageTransfer v1 = store.saveTransfer(asked);
    assertThat(v1.id()).as("id of the first transfer").isPositive();
    assertThat(v1).as("saved").isEqualTo(asked.stored(v1.id(), 1));
    assertThat(store.transfer(v1.id())).as("read back").contains(v1);
    org.csv2.api.ops.ImageTransfer running = v1.start("engine-a", T0.plusSeconds(1))
        .identified("a".repeat(64), 5_000_000_000L, "uploading", T0.plusSeconds(2))
        .progress(1_000_000_000L, "uploading to west", T0.plusSeconds(12));
    org.csv2.api.ops.ImageTransfer v2 = store.saveTransfer(running);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(store.transfer(v1.id())).as("progress read back").contains(v2);
    assertThat(v2.bytesPerSecond()).as("rate").isEqualTo(1e8);
    assertThat(v2.eta()).as("ETA").contains(java.time.Duration.ofSeconds(40));
    assertConflict(() -> store.saveTransfer(running), "a stale progress write");
    org.csv2.api.ops.ImageTransfer other = store.saveTransfer(org.csv2.api.ops.ImageTransfer.fromUrl(
        "cirros", java.net.URI.create("https://example.org/cirros.img"), null, org.csv2.model.CloudName.of("east"), "qcow2", "bob", T0));
    assertThat(store.transfers(false, 10)).as("newest first").containsExactly(other, v2);
    org.csv2.api.ops.ImageTransfer done = store.saveTransfer(v2.finish(org.csv2.api.ops.ImageTransfer.State.DONE, "arrived", "img-9", T0.plusSeconds(60)));
    assertThat(store.transfers(true, 10)).as("active only").containsExactly(other);
    assertThat(store.transfers(false, 1)).as("limit").hasSize(1);
    assertThat(store.transfer(done.id()).orElseThrow().targetImageId()).isEqualTo("img-9");
    assertThat(store.transfer(999_999)).as("unknown id").isEmpty();
    org.csv2.api.ops.ImageTransfer uploaded = store.saveTransfer(org.csv2.api.ops.ImageTransfer.fromUpload(
        "worker-up", "b".repeat(64), 123_456_789_012L, org.csv2.model.CloudName.of("west"), "raw", "alice", T0));
    assertThat(store.transfer(uploaded.id())).as("an upload's transfer read back, source, checksum and size kept").contains(uploaded);
    assertThat(uploaded.uploaded()).isTrue();
  }

  @Test
  @DisplayName("public keys are kept by name, replaced by a later save, and deleted idempotently")
  void publicKeysRoundTrip() {
    StateStore store = open();
    if (!keepsImageRecords()) {
      assertThatThrownBy(store::keyPairs).isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    org.csv2.api.ops.StoredKeyPair a = new org.csv2.api.ops.StoredKeyPair("ops", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 ops@site", "", T0);
    org.csv2.api.ops.StoredKeyPair b = new org.csv2.api.ops.StoredKeyPair("atlas", "ssh-rsa AAAAB3NzaC1yc2E atlas", "ab:cd", T0);
    store.saveKeyPair(a);
    store.saveKeyPair(b);
    assertThat(store.keyPairs()).as("sorted by name").containsExactly(b, a);
    org.csv2.api.ops.StoredKeyPair a2 = new org.csv2.api.ops.StoredKeyPair("ops", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5OTHER ops@site", "12:34", T0.plusSeconds(9));
    store.saveKeyPair(a2);
    assertThat(store.keyPairs()).as("replaced").containsExactly(b, a2);
    assertThat(store.deleteKeyPair("ops")).isTrue();
    assertThat(store.deleteKeyPair("ops")).as("idempotent").isFalse();
    assertThat(store.keyPairs()).containsExactly(b);
  }

  @Test
  @DisplayName("a cloud's image list replaces its rows, keeps what is known of the bytes of ids still listed, and leaves other clouds alone")
  void cloudImagesAreReplacedPerCloud() {
    StateStore store = open();
    if (!keepsImageRecords()) {
      assertThatThrownBy(store::cloudImages).isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    org.csv2.model.CloudName east = org.csv2.model.CloudName.of("east");
    org.csv2.model.CloudName west = org.csv2.model.CloudName.of("west");
    assertThat(store.cloudImages()).as("a fresh store").isEmpty();
    store.saveCloudImages(east, List.of(new org.csv2.model.Image("i-2", "worker"), new org.csv2.model.Image("i-1", "cirros")), T0);
    store.saveCloudImages(west, List.of(new org.csv2.model.Image("w-1", "worker")), T0);
    store.saveCloudImage(new org.csv2.api.ops.CloudImage(west, "w-1", "worker", "b".repeat(64), 12_345_678_901L, T0.plusSeconds(5)));
    assertThat(store.cloudImages()).as("by cloud, name, id").containsExactly(
        new org.csv2.api.ops.CloudImage(east, "i-1", "cirros", null, -1, T0),
        new org.csv2.api.ops.CloudImage(east, "i-2", "worker", null, -1, T0),
        new org.csv2.api.ops.CloudImage(west, "w-1", "worker", "b".repeat(64), 12_345_678_901L, T0.plusSeconds(5)));
    store.saveCloudImages(west, List.of(new org.csv2.model.Image("w-1", "worker"), new org.csv2.model.Image("w-2", "extra")), T0.plusSeconds(60));
    store.saveCloudImages(east, List.of(new org.csv2.model.Image("i-1", "cirros")), T0.plusSeconds(60));
    assertThat(store.cloudImages()).as("east's i-2 gone, west's w-1 keeps its bytes").containsExactly(
        new org.csv2.api.ops.CloudImage(east, "i-1", "cirros", null, -1, T0.plusSeconds(60)),
        new org.csv2.api.ops.CloudImage(west, "w-2", "extra", null, -1, T0.plusSeconds(60)),
        new org.csv2.api.ops.CloudImage(west, "w-1", "worker", "b".repeat(64), 12_345_678_901L, T0.plusSeconds(60)));
    assertThat(store.deleteCloudImage(west, "w-2")).isTrue();
    assertThat(store.deleteCloudImage(west, "w-2")).as("idempotent").isFalse();
    store.saveCloudImages(east, List.of(), T0.plusSeconds(90));
    assertThat(store.cloudImages()).as("an empty list empties the cloud").extracting(org.csv2.api.ops.CloudImage::id).containsExactly("w-1");
  }

  @Test
  @DisplayName("an image action gets an id and version 1, saves with its version, conflicts when stale, and lists newest first")
  void imageActionsRoundTripWithOptimisticLocking() {
    StateStore store = open();
    if (!keepsImageRecords()) {
      assertThatThrownBy(() -> store.imageActions(false, 10)).isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    org.csv2.api.ops.ImageAction del = org.csv2.api.ops.ImageAction.of(org.csv2.api.ops.ImageAction.Kind.DELETE_IMAGE,
        org.csv2.model.CloudName.of("east"), "worker-v6", "i-6", null, "alice", T0);
    org.csv2.api.ops.ImageAction v1 = store.saveImageAction(del);
    assertThat(v1).isEqualTo(del.stored(v1.id(), 1));
    org.csv2.api.ops.ImageAction key = store.saveImageAction(org.csv2.api.ops.ImageAction.of(
        org.csv2.api.ops.ImageAction.Kind.IMPORT_KEY_PAIR, org.csv2.model.CloudName.of("west"), "ops", null, GROUP, "bob", T0));
    assertThat(store.imageActions(false, 10)).as("newest first").containsExactly(key, v1);
    org.csv2.api.ops.ImageAction running = v1.to(org.csv2.api.ops.ImageAction.State.RUNNING, "deleting", "engine-a", T0.plusSeconds(1));
    org.csv2.api.ops.ImageAction v2 = store.saveImageAction(running);
    assertThat(v2.version()).isEqualTo(2);
    assertConflict(() -> store.saveImageAction(running), "a stale write");
    store.saveImageAction(v2.to(org.csv2.api.ops.ImageAction.State.DONE, "deleted", "engine-a", T0.plusSeconds(2)));
    assertThat(store.imageActions(true, 10)).as("active only").containsExactly(key);
    assertThat(store.imageActions(false, 1)).as("limit").containsExactly(key);
    assertThat(store.imageActions(false, 10).get(1).message()).isEqualTo("deleted");
  }

  /** Runs one seed of the stateful test on a fresh handle. */
  final void runStatefulSeed(long seed) {
    new StatefulRun(open(), seed, statefulSteps()).run();
  }

  /**
   * Opens a handle with {@link #context()} and closes it after the test.
   *
   * @return the handle
   */
  protected final StateStore open() {
    StateStore s = newStore(context());
    stores.add(s);
    return s;
  }

  private VmId newId() {
    return VmId.of(GROUP, CLOUD, ENGINE, String.format("c%05d", ++suffixes));
  }

  private Vm basicVm() {
    return Vm.builder(newId(), GROUP, CLOUD, FlavorName.of("m1.small"), T0)
        .resources(Resources.of(2, 4096, 20))
        .image("contract-image")
        .build();
  }

  private Vm fullVm() {
    Map<VmState, Instant> transitions = new EnumMap<>(VmState.class);
    transitions.put(VmState.REQUESTED, T0);
    transitions.put(VmState.BOOTING, T0.plusSeconds(3));
    transitions.put(VmState.UNREGISTERED, T0.plusSeconds(90));
    transitions.put(VmState.RUNNING, T0.plusSeconds(200));
    return Vm.builder(newId(), GROUP, CLOUD, FlavorName.of("c8-30gb"), T0)
        .resources(new Resources(8, 30_720, 160, 2048, 1))
        .image("CentOS 7 x86_64")
        .alias(AliasName.of("west"))
        .instanceId(InstanceId.of("6f1c9a4e-0000-4000-8000-00000000abcd"))
        .state(VmState.RUNNING)
        .reason("job started: 1 running")
        .stateSince(T0.plusSeconds(200))
        .transitions(transitions)
        .registeredAt(T0.plusSeconds(150))
        .lastBusyAt(T0.plusSeconds(200))
        .retireAttempts(1)
        .terminateAttempts(2)
        .lastAttemptAt(T0.plusSeconds(180))
        .manual(true)
        .keepAlive(Duration.ofMinutes(10))
        .pricePerHour(1.25)
        .build();
  }

  private AccountingRecord accounting(Instant end) {
    return new AccountingRecord(newId(), GROUP, CLOUD, FlavorName.of("m1.small"), 2, 4096, T0, end, end.getEpochSecond() - T0.getEpochSecond());
  }

  private static StoreChanges inserts(Vm... vms) {
    return changes(List.of(vms), List.of(), List.of(), List.of());
  }

  private static StoreChanges updates(Vm... vms) {
    return changes(List.of(), List.of(vms), List.of(), List.of());
  }

  private static StoreChanges deletes(Vm... vms) {
    return changes(List.of(), List.of(), List.of(vms), List.of());
  }

  private static StoreChanges changes(List<Vm> inserts, List<Vm> updates, List<Vm> deletes, List<VmEvent> events) {
    return new StoreChanges(inserts, updates, deletes, events, List.of(), List.of());
  }

  private static void assertConflict(ThrowingCallable call, String what) {
    assertThatThrownBy(call)
        .as(what)
        .isInstanceOfSatisfying(
            StateStoreException.class,
            e -> assertThat(e.reason()).as("reason of %s", e).isEqualTo(StateStoreException.Reason.CONFLICT));
  }

  /** One seed of the stateful test: random commands against the store and a map model. */
  private static final class StatefulRun {
    private final StateStore store;
    private final long seed;
    private final int steps;
    private final Random rnd;
    private final Map<VmId, Vm> model = new TreeMap<>();
    private int next;

    StatefulRun(StateStore store, long seed, int steps) {
      this.store = store;
      this.seed = seed;
      this.steps = steps;
      this.rnd = new Random(seed);
    }

    void run() {
      for (int step = 1; step <= steps; step++) {
        String context = "seed " + seed + ", step " + step + ": ";
        String command;
        try {
          command = step();
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(context + e.getMessage(), e);
        }
        Map<VmId, Vm> stored = new TreeMap<>();
        for (Vm vm : store.vms()) {
          if (stored.put(vm.id(), vm) != null) {
            fail("%s%s: vms() lists %s twice", context, command, vm.id());
          }
        }
        assertThat(stored).as("%s%s: vms() against the model", context, command).isEqualTo(model);
      }
    }

    private String step() {
      int dice = rnd.nextInt(100);
      if (model.isEmpty() || dice < 22) {
        return insert();
      } else if (dice < 27) {
        return duplicateInsert();
      } else if (dice < 50) {
        return update();
      } else if (dice < 58) {
        return staleUpdate();
      } else if (dice < 67) {
        return delete();
      } else if (dice < 72) {
        return wrongDelete();
      } else if (dice < 82) {
        return read();
      } else {
        return batch(rnd.nextInt(10) < 3);
      }
    }

    private String insert() {
      Vm vm = RandomVms.vm(rnd, newId());
      String command = "insert " + vm.id();
      assertThat(store.commit(changes(List.of(vm), List.of(), List.of(), List.of()))).as(command).containsExactly(vm.withVersion(1));
      model.put(vm.id(), vm.withVersion(1));
      return command;
    }

    private String duplicateInsert() {
      Vm existing = any();
      Vm again = RandomVms.vm(rnd, existing.id());
      String command = "insert of the stored id " + existing.id();
      assertConflict(() -> store.commit(changes(List.of(again), List.of(), List.of(), List.of())), command);
      return command;
    }

    private String update() {
      Vm current = any();
      Vm changed = RandomVms.mutate(rnd, current);
      String command = "update " + current.id() + " at version " + current.version();
      assertThat(store.commit(changes(List.of(), List.of(changed), List.of(), List.of())))
          .as(command)
          .containsExactly(changed.withVersion(current.version() + 1));
      model.put(current.id(), changed.withVersion(current.version() + 1));
      return command;
    }

    private String staleUpdate() {
      Vm current = any();
      long wrong = rnd.nextBoolean() ? current.version() - 1 : current.version() + 1 + rnd.nextInt(3);
      Vm stale = RandomVms.mutate(rnd, current).withVersion(wrong);
      String command = "stale update " + current.id() + " at version " + wrong + " (stored " + current.version() + ")";
      assertConflict(() -> store.commit(changes(List.of(), List.of(stale), List.of(), List.of())), command);
      return command;
    }

    private String delete() {
      Vm current = any();
      String command = "delete " + current.id() + " at version " + current.version();
      assertThat(store.commit(changes(List.of(), List.of(), List.of(current), List.of()))).as(command).isEmpty();
      model.remove(current.id());
      return command;
    }

    private String wrongDelete() {
      Vm current = any();
      long wrong = current.version() + 1 + rnd.nextInt(3);
      String command = "delete " + current.id() + " at wrong version " + wrong;
      assertConflict(() -> store.commit(changes(List.of(), List.of(), List.of(current.withVersion(wrong)), List.of())), command);
      return command;
    }

    private String read() {
      VmId id = rnd.nextInt(4) == 0 ? VmId.of("never-stored-" + rnd.nextInt(1000)) : any().id();
      String command = "read " + id;
      assertThat(store.vm(id)).as(command).isEqualTo(Optional.ofNullable(model.get(id)));
      return command;
    }

    private String batch(boolean poisoned) {
      List<Vm> inserts = new ArrayList<>();
      for (int n = rnd.nextInt(3); n > 0; n--) {
        inserts.add(RandomVms.vm(rnd, newId()));
      }
      List<Vm> pool = new ArrayList<>(model.values());
      Collections.shuffle(pool, rnd);
      Vm target = poisoned ? pool.remove(pool.size() - 1) : null;
      List<Vm> updates = new ArrayList<>();
      List<Vm> deletes = new ArrayList<>();
      int take = Math.min(pool.size(), rnd.nextInt(4));
      for (int n = 0; n < take; n++) {
        Vm vm = pool.get(n);
        if (rnd.nextInt(3) == 0) {
          deletes.add(vm);
        } else {
          updates.add(RandomVms.mutate(rnd, vm));
        }
      }
      String poison = "";
      if (target != null) {
        if (rnd.nextBoolean()) {
          updates.add(RandomVms.mutate(rnd, target).withVersion(target.version() + 1));
          poison = ", poisoned by a stale update of " + target.id();
        } else {
          inserts.add(RandomVms.vm(rnd, target.id()));
          poison = ", poisoned by an insert of the stored " + target.id();
        }
      }
      StoreChanges changes = changes(inserts, updates, deletes, List.of());
      String command =
          "commit of " + inserts.size() + " inserts, " + updates.size() + " updates, " + deletes.size() + " deletes" + poison;
      if (poisoned) {
        assertConflict(() -> store.commit(changes), command);
        return command;
      }
      Map<VmId, Vm> expected = new LinkedHashMap<>();
      for (Vm vm : inserts) {
        expected.put(vm.id(), vm.withVersion(1));
      }
      for (Vm vm : updates) {
        expected.put(vm.id(), vm.withVersion(vm.version() + 1));
      }
      assertThat(store.commit(changes)).as(command).containsExactlyElementsOf(expected.values());
      model.putAll(expected);
      deletes.forEach(vm -> model.remove(vm.id()));
      return command;
    }

    private Vm any() {
      List<Vm> values = new ArrayList<>(model.values());
      return values.get(rnd.nextInt(values.size()));
    }

    private VmId newId() {
      return VmId.of(GROUP, CLOUD, ENGINE, String.format("s%05d", ++next));
    }
  }
}
