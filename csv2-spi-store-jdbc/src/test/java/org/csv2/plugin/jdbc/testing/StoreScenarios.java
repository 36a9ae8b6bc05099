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
package org.csv2.plugin.jdbc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.csv2.api.StateStoreException;
import org.csv2.model.AccountingRecord;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Lease;
import org.csv2.model.Sample;
import org.csv2.model.StoredConfig;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.csv2.testkit.MutableClock;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC store promises beyond the kit's contract, run on each database: leases between two
 * engines, a long seeded stateful test over every kind of data, exact round trips of awkward
 * values, large commits that are all or nothing, the configuration encrypted at rest, and secrets
 * kept out of messages.
 */
public abstract class StoreScenarios {
  private static final Instant T0 = RandomStoreData.T0;
  private static final String KEY = "correct horse battery staple 42";

  private final List<StateStore> stores = new ArrayList<>();
  private TestDatabase database;

  /**
   * A fresh, empty database.
   *
   * @return the database
   */
  protected abstract TestDatabase newDatabase();

  /**
   * How many seeds the long stateful test runs.
   *
   * @return the number of seeds
   */
  protected int statefulSeeds() {
    return 30;
  }

  @BeforeEach
  final void freshDatabase() {
    database = null;
    database = newDatabase();
  }

  @AfterEach
  final void dropDatabase() {
    try {
      stores.forEach(StateStore::close);
    } finally {
      stores.clear();
      if (database != null) {
        database.drop();
      }
    }
  }

  /** A handle on this test's database, closed after the test. */
  protected final StateStore open(String engine, Map<String, Object> more) {
    StateStore s = database.open(TestPluginContext.of(engine).withClock(MutableClock.at(T0)), more);
    stores.add(s);
    return s;
  }

  // ------------------------------------------------------------------ leases

  @Test
  @DisplayName("two engines never hold a group's lease at once, and one takes over within two lease periods of the other stopping")
  void leasesAlternateSafely() {
    StateStore a = open("engine-a", Map.of());
    StateStore b = open("engine-b", Map.of());
    Duration ttl = Duration.ofSeconds(30);
    List<GroupName> groups = List.of(GroupName.of("atlas"), GroupName.of("belle-ii"), GroupName.of("dune"));
    for (long seed = 1; seed <= 8; seed++) {
      Random rnd = new Random(seed);
      Map<String, StateStore> engines = new TreeMap<>(Map.of("a-" + seed, a, "b-" + seed, b));
      Map<GroupName, Map<String, Instant>> held = new HashMap<>();
      Map<String, Instant> stoppedAt = new HashMap<>();
      Map<String, Instant> lastSuccess = new HashMap<>();
      Instant now = T0.plus(Duration.ofDays(seed));
      for (int step = 0; step < 150; step++) {
        now = now.plusSeconds(1 + rnd.nextInt(12)).plusNanos(rnd.nextInt(1000));
        String ctx = "seed " + seed + " step " + step + " at " + now + ": ";
        // one engine at a time may stop renewing for a while (as if crashed or partitioned)
        if (stoppedAt.isEmpty() && rnd.nextInt(25) == 0) {
          stoppedAt.put(new ArrayList<>(engines.keySet()).get(rnd.nextInt(2)), now);
        } else if (!stoppedAt.isEmpty() && rnd.nextInt(15) == 0) {
          stoppedAt.clear();
        }
        List<String> order = new ArrayList<>(engines.keySet());
        if (rnd.nextBoolean()) {
          java.util.Collections.reverse(order);
        }
        for (String engine : order) {
          if (stoppedAt.containsKey(engine)) {
            continue;
          }
          for (GroupName g : groups) {
            Instant at = now;
            Optional<Lease> got = engines.get(engine).tryLease(g, engine, at, ttl);
            Map<String, Instant> byOwner = held.computeIfAbsent(g, k -> new HashMap<>());
            for (Map.Entry<String, Instant> other : byOwner.entrySet()) {
              if (!other.getKey().equals(engine) && got.isPresent()) {
                assertThat(other.getValue())
                    .as("%s%s got %s while %s held it until %s", ctx, engine, g, other.getKey(), other.getValue())
                    .isBeforeOrEqualTo(now);
              }
            }
            if (got.isPresent()) {
              assertThat(got.get()).as(ctx + "lease").isEqualTo(new Lease(g, engine, now.plus(ttl)));
              byOwner.put(engine, got.get().expires());
              lastSuccess.put(engine + "/" + g, now);
            } else {
              boolean someoneElseHolds =
                  byOwner.entrySet().stream().anyMatch(e -> !e.getKey().equals(engine) && e.getValue().isAfter(at));
              assertThat(someoneElseHolds).as("%s%s refused %s although nobody else holds it", ctx, engine, g).isTrue();
              for (Map.Entry<String, Instant> stopped : stoppedAt.entrySet()) {
                Instant lastRenewal = lastSuccess.get(stopped.getKey() + "/" + g);
                if (lastRenewal != null && byOwner.getOrDefault(stopped.getKey(), Instant.MIN).isAfter(stopped.getValue().minus(ttl))) {
                  assertThat(Duration.between(lastRenewal, now))
                      .as("%s%s still refused %s %s after %s last renewed it", ctx, engine, g, Duration.between(lastRenewal, now), stopped.getKey())
                      .isLessThanOrEqualTo(ttl.multipliedBy(2));
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  @DisplayName("when the holder stops renewing, the other engine takes the lease over after it expires and within two lease periods")
  void takeoverAfterExpiry() {
    StateStore a = open("engine-a", Map.of());
    StateStore b = open("engine-b", Map.of());
    GroupName g = GroupName.of("atlas");
    Duration ttl = Duration.ofSeconds(60);
    Duration cycle = Duration.ofSeconds(20);
    Instant now = T0;
    for (int n = 0; n < 5; n++, now = now.plus(cycle)) {
      assertThat(a.tryLease(g, "engine-a", now, ttl)).as("A renews at %s", now).isPresent();
      assertThat(b.tryLease(g, "engine-b", now.plusSeconds(1), ttl)).as("B at %s", now.plusSeconds(1)).isEmpty();
    }
    Instant lastRenewal = now.minus(cycle);
    Instant takenOver = null;
    for (Instant t = now; t.isBefore(lastRenewal.plus(ttl.multipliedBy(3))); t = t.plus(cycle)) {
      Optional<Lease> got = b.tryLease(g, "engine-b", t, ttl);
      if (got.isPresent()) {
        takenOver = t;
        break;
      }
    }
    assertThat(takenOver).as("B took over").isNotNull();
    assertThat(takenOver).as("B took over only after A's lease expired").isAfterOrEqualTo(lastRenewal.plus(ttl));
    assertThat(Duration.between(lastRenewal, takenOver)).as("time to take over").isLessThanOrEqualTo(ttl.multipliedBy(2));
    assertThat(a.tryLease(g, "engine-a", takenOver.plusSeconds(1), ttl)).as("A coming back while B holds it").isEmpty();
    assertThat(a.leases()).containsExactly(new Lease(g, "engine-b", takenOver.plus(ttl)));
  }

  @Test
  @DisplayName("two engines racing for the same new lease: the primary key lets exactly one in")
  void raceForNewLeases() throws Exception {
    raceFor(false);
  }

  @Test
  @DisplayName("two engines racing for the same expired lease: the conditional update lets exactly one in")
  void raceForExpiredLeases() throws Exception {
    raceFor(true);
  }

  private void raceFor(boolean expired) throws Exception {
    StateStore a = open("engine-a", Map.of());
    StateStore b = open("engine-b", Map.of());
    Duration ttl = Duration.ofMinutes(1);
    List<GroupName> groups = new ArrayList<>();
    for (int n = 0; n < 60; n++) {
      groups.add(GroupName.of("race-" + n));
    }
    Instant now = T0.plusSeconds(3600);
    if (expired) {
      for (GroupName g : groups) {
        assertThat(a.tryLease(g, "engine-old", T0, ttl)).isPresent();
      }
    }
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<GroupName>> wonA = pool.submit(racer(a, "engine-a", groups, now, ttl, start));
      Future<List<GroupName>> wonB = pool.submit(racer(b, "engine-b", groups, now, ttl, start));
      List<GroupName> byA = wonA.get(120, TimeUnit.SECONDS);
      List<GroupName> byB = wonB.get(120, TimeUnit.SECONDS);
      List<GroupName> both = new ArrayList<>(byA);
      both.retainAll(byB);
      assertThat(both).as("groups both engines got").isEmpty();
      List<GroupName> all = new ArrayList<>(byA);
      all.addAll(byB);
      assertThat(all).as("every group got exactly one holder").containsExactlyInAnyOrderElementsOf(groups);
      List<Lease> expected = new ArrayList<>();
      byA.forEach(g -> expected.add(new Lease(g, "engine-a", now.plus(ttl))));
      byB.forEach(g -> expected.add(new Lease(g, "engine-b", now.plus(ttl))));
      assertThat(a.leases()).containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Callable<List<GroupName>> racer(
      StateStore store, String engine, List<GroupName> groups, Instant now, Duration ttl, CyclicBarrier start) {
    return () -> {
      List<GroupName> won = new ArrayList<>();
      for (GroupName g : groups) {
        start.await(60, TimeUnit.SECONDS); // both engines try each group at the same moment
        store.tryLease(g, engine, now, ttl).ifPresent(l -> won.add(g));
      }
      return won;
    };
  }

  // ------------------------------------------------------------------ values and commits

  @Test
  @DisplayName("awkward values read back exactly: nanoseconds, far dates, quotes, line breaks, emoji")
  void awkwardValuesRoundTrip() {
    StateStore store = open("engine-a", Map.of());
    Random rnd = new Random(99);
    List<Vm> vms = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      vms.add(RandomStoreData.vm(rnd, VmId.of("awkward-" + n)));
    }
    Vm far =
        RandomStoreData.vm(rnd, VmId.of("far"))
            .toBuilder()
            .registeredAt(Instant.parse("0001-01-01T00:00:00.000000001Z"))
            .lastBusyAt(Instant.parse("9999-12-31T23:59:59.999999999Z"))
            .lastAttemptAt(Instant.EPOCH.minusNanos(1))
            .keepAlive(Duration.ofNanos(1))
            .pricePerHour(Double.MIN_VALUE)
            .build();
    vms.add(far);
    List<VmEvent> events = new ArrayList<>();
    List<Sample> samples = new ArrayList<>();
    List<AccountingRecord> accounting = new ArrayList<>();
    for (Vm vm : vms) {
      events.add(RandomStoreData.event(rnd, vm));
      samples.add(RandomStoreData.sample(rnd));
      accounting.add(RandomStoreData.accounting(rnd, vm));
    }
    store.commit(new StoreChanges(vms, List.of(), List.of(), events, samples, accounting));
    for (Vm vm : vms) {
      assertThat(store.vm(vm.id())).as("VM %s", vm.id()).contains(vm.withVersion(1));
    }
    List<VmEvent> sortedEvents = new ArrayList<>(events);
    sortedEvents.sort(Comparator.comparing(VmEvent::at));
    assertThat(store.events(Instant.MIN, 1000)).as("events").containsExactlyElementsOf(sortedEvents);
    for (String metric : List.of("jobs.idle", "vms.running", "plan.ms")) {
      List<Sample> of = samples.stream().filter(s -> s.metric().equals(metric)).sorted(Comparator.comparing(Sample::at)).toList();
      assertThat(store.samples(metric, Instant.MIN, Instant.MAX)).as("samples of %s", metric).containsExactlyElementsOf(of);
    }
    assertThat(store.accounting(Instant.MIN, Instant.MAX)).as("accounting").containsExactlyInAnyOrderElementsOf(accounting);
  }

  @Test
  @DisplayName("vms() re-reads only changed rows, yet sees every change another store made: updates, deletes, inserts, an id created again")
  void vmsOfTwoStoresOnOneDatabaseAgree() {
    StateStore a = open("engine-a", Map.of());
    StateStore b = open("engine-b", Map.of());
    Random rnd = new Random(17);
    List<Vm> inserts = new ArrayList<>();
    for (int n = 0; n < 1200; n++) {
      inserts.add(RandomStoreData.vm(rnd, VmId.of(String.format("vv-%05d", n))));
    }
    List<Vm> stored = a.commit(new StoreChanges(inserts, List.of(), List.of(), List.of(), List.of(), List.of()));
    List<Vm> firstRead = b.vms();
    assertThat(firstRead).containsExactlyElementsOf(stored);

    // a changes 520 rows (two IN lists), deletes 50, adds 30 and creates one id again; b must see all of it
    Map<VmId, Vm> expected = new TreeMap<>();
    stored.forEach(v -> expected.put(v.id(), v));
    List<Vm> updates = new ArrayList<>();
    for (int n = 0; n < 520; n++) {
      updates.add(RandomStoreData.mutate(rnd, stored.get(n * 2)));
    }
    List<Vm> deletes = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      deletes.add(stored.get(1 + n * 2));
    }
    Vm again = stored.get(1199);
    deletes.add(again);
    List<Vm> added = new ArrayList<>();
    for (int n = 0; n < 30; n++) {
      added.add(RandomStoreData.vm(rnd, VmId.of(String.format("vv-new-%03d", n))));
    }
    a.commit(new StoreChanges(List.of(), updates, deletes, List.of(), List.of(), List.of()))
        .forEach(v -> expected.put(v.id(), v));
    deletes.forEach(v -> expected.remove(v.id()));
    Vm recreated = RandomStoreData.vm(rnd, again.id());
    while (recreated.createdAt().equals(again.createdAt())) {
      recreated = RandomStoreData.vm(rnd, again.id());
    }
    added.add(recreated);
    a.commit(new StoreChanges(added, List.of(), List.of(), List.of(), List.of(), List.of()))
        .forEach(v -> expected.put(v.id(), v));
    assertThat(expected.get(again.id()).version()).as("created again: version 1 as before").isEqualTo(again.version());

    List<Vm> secondRead = b.vms();
    assertThat(secondRead).containsExactlyElementsOf(expected.values());
    assertThat(a.vms()).containsExactlyElementsOf(expected.values());
    // the rows nobody changed are the ones b read before, not read again
    Map<VmId, Vm> before = new HashMap<>();
    firstRead.forEach(v -> before.put(v.id(), v));
    long reused = secondRead.stream().filter(v -> before.get(v.id()) == v).count();
    assertThat(reused).as("rows kept from the last read").isEqualTo(1200 - 520 - 51);

    // b writes, a re-reads what b wrote; nothing changed: the same answer again
    Vm mine = RandomStoreData.mutate(rnd, secondRead.get(3));
    Vm written = b.commit(new StoreChanges(List.of(), List.of(mine), List.of(), List.of(), List.of(), List.of())).get(0);
    expected.put(written.id(), written);
    assertThat(a.vms()).containsExactlyElementsOf(expected.values());
    assertThat(b.vms()).containsExactlyElementsOf(expected.values());
    assertThat(b.vms()).containsExactlyElementsOf(expected.values());

    // everything deleted by a: b sees an empty table
    List<Vm> all = a.vms();
    a.commit(new StoreChanges(List.of(), List.of(), all, List.of(), List.of(), List.of()));
    assertThat(b.vms()).isEmpty();
  }

  @Test
  @DisplayName("a commit of 3000 VMs is one transaction: a stale update at its end writes none of it")
  void largeCommitsAreAllOrNothing() {
    StateStore store = open("engine-a", Map.of());
    Random rnd = new Random(5);
    List<Vm> inserts = new ArrayList<>();
    for (int n = 0; n < 3000; n++) {
      inserts.add(RandomStoreData.vm(rnd, VmId.of(String.format("bulk-%05d", n))));
    }
    List<Vm> stored = store.commit(new StoreChanges(inserts, List.of(), List.of(), List.of(), List.of(), List.of()));
    assertThat(stored).hasSize(3000).allSatisfy(v -> assertThat(v.version()).isEqualTo(1));
    assertThat(store.vms()).containsExactlyElementsOf(stored);
    List<Vm> updates = new ArrayList<>();
    for (Vm vm : stored) {
      updates.add(vm.withState(VmState.TERMINATING, vm.stateSince().plusSeconds(5), "bulk retire"));
    }
    updates.set(2999, updates.get(2999).withVersion(7));
    List<VmEvent> events = updates.stream().map(v -> RandomStoreData.event(rnd, v)).toList();
    assertThatThrownBy(() -> store.commit(new StoreChanges(List.of(), updates, List.of(), events, List.of(), List.of())))
        .isInstanceOfSatisfying(StateStoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(StateStoreException.Reason.CONFLICT);
          assertThat(e.getMessage()).contains("bulk-02999");
        });
    assertThat(store.vms()).as("after the refused commit").containsExactlyElementsOf(stored);
    assertThat(store.events(Instant.MIN, 10)).as("events of the refused commit").isEmpty();
  }

  @Test
  @DisplayName("the csv2_apel_usage view gives one usage record per finished VM")
  void apelViewReadsAccounting() throws Exception {
    StateStore store = open("engine-a", Map.of());
    Instant start = Instant.parse("2024-05-01T10:00:00Z");
    AccountingRecord r =
        new AccountingRecord(VmId.of("atlas--arbutus--e1--a"), GroupName.of("atlas"), CloudName.of("arbutus"), FlavorName.of("c8-30gb"), 8, 30_720, start, start.plusSeconds(7200), 7200);
    store.commit(new StoreChanges(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(r)));
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT vm_uuid, vo_group, site_cloud, cloud_type, cpu_count, memory_mib, start_time, end_time,"
                    + " wall_duration, cpu_duration, status FROM csv2_apel_usage")) {
      assertThat(rs.next()).as("a usage row").isTrue();
      assertThat(rs.getString("vm_uuid")).isEqualTo("atlas--arbutus--e1--a");
      assertThat(rs.getString("vo_group")).isEqualTo("atlas");
      assertThat(rs.getString("site_cloud")).isEqualTo("arbutus");
      assertThat(rs.getString("cloud_type")).isEqualTo("c8-30gb");
      assertThat(rs.getInt("cpu_count")).isEqualTo(8);
      assertThat(rs.getLong("memory_mib")).isEqualTo(30_720);
      assertThat(rs.getLong("wall_duration")).isEqualTo(7200);
      assertThat(rs.getLong("cpu_duration")).isEqualTo(57_600);
      assertThat(rs.getString("status")).isEqualTo("completed");
      assertThat(rs.getString("start_time")).startsWith("2024-05-01").contains("10:00:00");
      assertThat(rs.getString("end_time")).startsWith("2024-05-01").contains("12:00:00");
      assertThat(rs.next()).as("one row only").isFalse();
    }
  }

  // ------------------------------------------------------------------ long stateful run

  @Test
  @DisplayName("seeded random commands over VMs, history, samples, accounting, configuration and leases match a model after every step")
  void longStatefulRun() {
    for (long seed = 1; seed <= statefulSeeds(); seed++) {
      StateStore first = open("engine-a", Map.of());
      StateStore second = open("engine-b", Map.of());
      new Model(first, second, seed).run(50);
      first.close();
      second.close();
      stores.clear();
      database.drop();
      database = newDatabase();
    }
  }

  /** The in-memory model of one seed. */
  private static final class Model {
    private final StateStore[] handles;
    private final long seed;
    private final Random rnd;
    private final Map<VmId, Vm> vms = new TreeMap<>();
    private final Map<VmId, List<VmEvent>> history = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final List<AccountingRecord> accounting = new ArrayList<>();
    private final Map<GroupName, Lease> leases = new TreeMap<>();
    private StoredConfig config;
    private Instant now = T0;
    private int ids;

    Model(StateStore first, StateStore second, long seed) {
      this.handles = new StateStore[] {first, second};
      this.seed = seed;
      this.rnd = new Random(seed);
    }

    void run(int steps) {
      for (int step = 1; step <= steps; step++) {
        StateStore store = handles[rnd.nextInt(2)];
        now = now.plusMillis(1 + rnd.nextInt(20_000));
        String command;
        try {
          command = step(store);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError("seed " + seed + ", step " + step + ": " + e.getMessage(), e);
        }
        check(handles[rnd.nextInt(2)], "seed " + seed + ", step " + step + " (" + command + "): ");
      }
    }

    private String step(StateStore store) {
      int dice = rnd.nextInt(100);
      if (dice < 35 || vms.isEmpty()) {
        return commit(store, false);
      } else if (dice < 45) {
        return commit(store, true);
      } else if (dice < 60) {
        return saveConfig(store);
      } else if (dice < 85) {
        return lease(store);
      } else {
        return release(store);
      }
    }

    private String commit(StoreChanges changes, StateStore store, boolean poisoned, String what) {
      if (poisoned) {
        assertThatThrownBy(() -> store.commit(changes))
            .as(what)
            .isInstanceOfSatisfying(StateStoreException.class, e -> assertThat(e.reason()).isEqualTo(StateStoreException.Reason.CONFLICT));
        return what;
      }
      List<Vm> expected = new ArrayList<>();
      changes.inserts().forEach(v -> expected.add(v.withVersion(1)));
      changes.updates().forEach(v -> expected.add(v.withVersion(v.version() + 1)));
      assertThat(store.commit(changes)).as(what).containsExactlyElementsOf(expected);
      expected.forEach(v -> vms.put(v.id(), v));
      changes.deletes().forEach(v -> vms.remove(v.id()));
      changes.events().forEach(e -> history.computeIfAbsent(e.vm(), k -> new ArrayList<>()).add(e));
      samples.addAll(changes.samples());
      accounting.addAll(changes.accounting());
      return what;
    }

    private String commit(StateStore store, boolean poisoned) {
      List<Vm> inserts = new ArrayList<>();
      for (int n = rnd.nextInt(4); n > 0; n--) {
        inserts.add(RandomStoreData.vm(rnd, VmId.of("m" + seed + "-" + ++ids)));
      }
      List<Vm> pool = new ArrayList<>(vms.values());
      java.util.Collections.shuffle(pool, rnd);
      List<Vm> updates = new ArrayList<>();
      List<Vm> deletes = new ArrayList<>();
      for (Vm vm : pool.subList(0, Math.min(pool.size(), rnd.nextInt(5)))) {
        if (rnd.nextInt(4) == 0) {
          deletes.add(vm);
        } else {
          updates.add(RandomStoreData.mutate(rnd, vm));
        }
      }
      if (poisoned) {
        if (!updates.isEmpty() && rnd.nextBoolean()) {
          Vm last = updates.remove(updates.size() - 1);
          updates.add(last.withVersion(last.version() + 1 + rnd.nextInt(2)));
        } else if (!vms.isEmpty() && rnd.nextBoolean()) {
          Vm victim = new ArrayList<>(vms.values()).get(rnd.nextInt(vms.size()));
          inserts.add(RandomStoreData.vm(rnd, victim.id()));
        } else {
          Vm victim = new ArrayList<>(vms.values()).get(rnd.nextInt(vms.size()));
          if (updates.stream().anyMatch(u -> u.id().equals(victim.id())) || deletes.stream().anyMatch(u -> u.id().equals(victim.id()))) {
            inserts.add(RandomStoreData.vm(rnd, victim.id()));
          } else {
            deletes.add(victim.withVersion(victim.version() + 3));
          }
        }
      }
      List<VmEvent> events = new ArrayList<>();
      inserts.forEach(v -> events.add(RandomStoreData.event(rnd, v)));
      updates.forEach(v -> events.add(RandomStoreData.event(rnd, v)));
      List<Sample> newSamples = new ArrayList<>();
      for (int n = rnd.nextInt(3); n > 0; n--) {
        newSamples.add(RandomStoreData.sample(rnd));
      }
      List<AccountingRecord> records = deletes.stream().map(v -> RandomStoreData.accounting(rnd, v)).toList();
      StoreChanges changes = new StoreChanges(inserts, updates, deletes, events, newSamples, records);
      String what =
          (poisoned ? "poisoned " : "")
              + "commit of "
              + inserts.size()
              + " inserts, "
              + updates.size()
              + " updates, "
              + deletes.size()
              + " deletes";
      return commit(changes, store, poisoned, what);
    }

    private String saveConfig(StateStore store) {
      long read = config == null ? 0 : config.version();
      boolean stale = read > 0 && rnd.nextInt(3) == 0;
      String doc = "scheduler:\n  cycle: " + rnd.nextInt(100) + "s\n# " + RandomStoreData.text(rnd) + "\n";
      if (stale) {
        long wrong = rnd.nextBoolean() ? read - 1 : read + 1;
        assertThatThrownBy(() -> store.saveConfig(doc, wrong, "stale"))
            .isInstanceOfSatisfying(StateStoreException.class, e -> assertThat(e.reason()).isEqualTo(StateStoreException.Reason.CONFLICT));
        return "stale config save at " + wrong;
      }
      StoredConfig saved = store.saveConfig(doc, read, "op-" + seed);
      assertThat(saved.version()).isEqualTo(read + 1);
      assertThat(saved.document()).isEqualTo(doc);
      config = saved;
      return "config save at " + read;
    }

    private String lease(StateStore store) {
      GroupName g = RandomStoreData.group(rnd);
      String owner = "engine-" + rnd.nextInt(3);
      Duration ttl = Duration.ofSeconds(5 + rnd.nextInt(60));
      Lease current = leases.get(g);
      boolean free = current == null || current.owner().equals(owner) || !current.expires().isAfter(now);
      Optional<Lease> got = store.tryLease(g, owner, now, ttl);
      if (free) {
        assertThat(got).as("lease %s for %s", g, owner).contains(new Lease(g, owner, now.plus(ttl)));
        leases.put(g, got.orElseThrow());
      } else {
        assertThat(got).as("lease %s for %s held by %s", g, owner, current).isEmpty();
      }
      return "lease " + g + " for " + owner;
    }

    private String release(StateStore store) {
      GroupName g = RandomStoreData.group(rnd);
      String owner = "engine-" + rnd.nextInt(3);
      store.releaseLease(g, owner);
      Lease current = leases.get(g);
      if (current != null && current.owner().equals(owner)) {
        leases.remove(g);
      }
      return "release " + g + " by " + owner;
    }

    private void check(StateStore store, String ctx) {
      assertThat(store.vms()).as(ctx + "vms()").containsExactlyElementsOf(vms.values());
      assertThat(store.leases()).as(ctx + "leases()").containsExactlyElementsOf(leases.values());
      assertThat(store.config()).as(ctx + "config()").isEqualTo(Optional.ofNullable(config));
      if (!history.isEmpty()) {
        VmId id = new ArrayList<>(history.keySet()).get(rnd.nextInt(history.size()));
        List<VmEvent> expected = new ArrayList<>(history.get(id));
        expected.sort(Comparator.comparing(VmEvent::at));
        assertThat(store.history(id)).as(ctx + "history of " + id).containsExactlyElementsOf(expected);
      }
      Instant from = T0.plusSeconds(rnd.nextInt(86_400 * 15));
      Instant to = from.plusSeconds(rnd.nextInt(86_400 * 15));
      for (String metric : List.of("jobs.idle", "vms.running", "plan.ms")) {
        List<Sample> expected =
            samples.stream()
                .filter(s -> s.metric().equals(metric) && !s.at().isBefore(from) && s.at().isBefore(to))
                .sorted(Comparator.comparing(Sample::at))
                .toList();
        assertThat(store.samples(metric, from, to)).as(ctx + "samples of " + metric).containsExactlyElementsOf(expected);
      }
      List<AccountingRecord> expectedRecords =
          accounting.stream().filter(a -> !a.end().isBefore(from) && a.end().isBefore(to)).toList();
      assertThat(store.accounting(from, to)).as(ctx + "accounting").containsExactlyInAnyOrderElementsOf(expectedRecords);
    }
  }

  // ------------------------------------------------------------------ configuration encryption

  @Test
  @DisplayName("with an encryption-key the configuration is stored encrypted (AES-GCM, fresh IV per write) and reads back")
  void configurationIsEncryptedAtRest() throws Exception {
    StateStore store = open("engine-a", Map.of("encryption-key", KEY));
    String doc = "clouds:\n  - name: arbutus\n    config: {password: marker-Plaintext-77}\n";
    StoredConfig v1 = store.saveConfig(doc, 0, "alice");
    StoredConfig v2 = store.saveConfig(doc, 1, "alice");
    assertThat(store.config()).contains(v2);
    assertThat(open("engine-b", Map.of("encryption-key", KEY)).config()).as("read by a second engine with the key").contains(v2);
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, format, document FROM csv2_config ORDER BY version")) {
      List<String> stored = new ArrayList<>();
      while (rs.next()) {
        assertThat(rs.getString("format")).isEqualTo("aes-256-gcm+pbkdf2-sha256");
        String d = rs.getString("document");
        assertThat(d).doesNotContain("marker").doesNotContain("arbutus");
        assertThat(Base64.getDecoder().decode(d)).hasSize(16 + 12 + doc.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
        stored.add(d);
      }
      assertThat(stored).hasSize(2);
      assertThat(stored.get(0)).as("same document, new IV").isNotEqualTo(stored.get(1));
    }
    assertThat(v1.version()).isEqualTo(1);
  }

  @Test
  @DisplayName("an encrypted configuration without the key, with a wrong key, altered or moved to another version is CORRUPT, and no message shows the key")
  void encryptedConfigurationNeedsTheRightKey() throws Exception {
    StateStore store = open("engine-a", Map.of("encryption-key", KEY));
    store.saveConfig("a: 1\n", 0, "alice");
    assertCorrupt(() -> open("engine-b", Map.of()).config(), "encryption-key");
    assertCorrupt(() -> open("engine-c", Map.of("encryption-key", "another key of some length")).config(), "encryption-key");
    try (Connection c = database.connect()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE csv2_config SET version = 2 WHERE version = 1");
      }
    }
    assertCorrupt(store::config, "version 2");
    try (Connection c = database.connect()) {
      String d;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT document FROM csv2_config")) {
        assertThat(rs.next()).isTrue();
        d = rs.getString(1);
      }
      byte[] bytes = Base64.getDecoder().decode(d);
      bytes[bytes.length - 1] ^= 1;
      try (PreparedStatement ps = c.prepareStatement("UPDATE csv2_config SET version = 1, document = ?")) {
        ps.setString(1, Base64.getEncoder().encodeToString(bytes));
        ps.executeUpdate();
      }
    }
    assertCorrupt(store::config, "version 1");
  }

  private static void assertCorrupt(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String mentions) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StateStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(StateStoreException.Reason.CORRUPT);
              assertThat(e.getMessage()).contains(mentions);
              assertThat(stackTrace(e)).doesNotContain(KEY);
            });
  }

  // ------------------------------------------------------------------ secrets

  @Test
  @DisplayName("a wrong password is UNAVAILABLE, and neither message nor causes show it")
  void wrongPasswordIsNotPrinted() {
    open("engine-a", Map.of()).close();
    String wrong = "Wrong-Pa55word-Zq8";
    TestDatabase d = database;
    TestDatabase withWrongPassword = new TestDatabase(d.name(), d.url(), d.user() == null ? "" : d.user(), wrong, () -> {});
    assertThatThrownBy(() -> withWrongPassword.open(TestPluginContext.of("engine-b"), Map.of("connect-timeout", "2s")))
        .isInstanceOfSatisfying(
            StateStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(StateStoreException.Reason.UNAVAILABLE);
              assertThat(e.getMessage()).contains("cannot connect");
              assertThat(stackTrace(e)).doesNotContain(wrong);
            });
  }

  private static String stackTrace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** Used by subclasses that need a VM quickly. */
  protected static Vm simpleVm(String id) {
    return Vm.builder(VmId.of(id), GroupName.of("atlas"), CloudName.of("arbutus"), FlavorName.of("m1.small"), T0).build();
  }

  /** Fails with a message; for subclasses. */
  protected static void failWith(String message) {
    fail(message);
  }
}
