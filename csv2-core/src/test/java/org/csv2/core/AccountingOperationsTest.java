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
package org.csv2.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Accounting;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationState;
import org.csv2.api.ops.UsageReport;
import org.csv2.api.ops.UsageReport.Dimension;
import org.csv2.core.accounting.ApelExporter;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounting verbs of {@link Operations} end to end: a simulated world (two groups, two
 * clouds, a reservation, a month boundary) run by the engine in virtual time, then its usage read
 * through the running scheduler's operations and through a second process's operations over the
 * bare store, and its APEL records written and inspected.
 */
class AccountingOperationsTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final GroupName BELLE = GroupName.of("belle");
  static final CloudName C1 = CloudName.of("c1");
  static final Actor ADMIN = Actor.of("admin", "cli");
  static final Duration CYCLE = Duration.ofSeconds(30);
  static final String YAML =
      """
      engine:
        instance-id: acct1
      timers:
        cycle: 30s
        keep-alive: 10m
      groups:
        - name: atlas
          vm-defaults: { image: alma9 }
        - name: belle
          vm-defaults: { image: alma9 }
      clouds:
        - name: c1
          driver: simulated
          config:
            quota: { cores: 16 }
            boot-delay: { min: 60s, max: 90s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 2000, disk-gib: 10 }
              - { name: m4, cores: 4, ram-mib: 8000, disk-gib: 40 }
        - name: c2
          driver: simulated
          config:
            quota: { cores: 8 }
            boot-delay: { min: 60s, max: 90s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 2000, disk-gib: 10 }
      allocations:
        - { group: atlas, cloud: c1, priority: 0 }
        - { group: atlas, cloud: c2, priority: 1 }
        - { group: belle, cloud: c2, priority: 0 }
      job-source:
        driver: simulated
        config: { register-delay: 10s }
      state-store:
        driver: shared-memory
      accounting:
        site-name: CA-Test-Cloud
        outgoing: %s
        benchmarks:
          - { flavor: m4, type: HEPscore23, value: 11.5 }
        groups:
          - { group: atlas, fqan: /atlas/Role=production }
      """;

  @TempDir Path tmp;
  final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-30T21:00:00Z"));
  final SimulatedWorld world = new SimulatedWorld(clock, 5);
  final StateStore store = new InMemoryStateStore(clock);
  Scheduler engine;
  Reservation reservation;
  Instant began;

  @BeforeEach
  void runTheWorldAcrossAMonthBoundary() {
    engine = build(YAML.formatted(tmp.resolve("outgoing")));
    began = clock.instant();
    for (int i = 0; i < 12; i++) {
      world.pool().submit(ATLAS, "atlasprd", Resources.of(1, 2000, 5), Duration.ofHours(6), 0);
      world.pool().submit(BELLE, i % 2 == 0 ? "bellea" : "belleb", Resources.of(1, 2000, 5), Duration.ofHours(3), 0);
    }
    for (int i = 0; i < 4; i++) {
      cycle();
    }
    Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(30));
    reservation = engine.operations().reservations()
        .book(Actor.of("alice", "cli"), ReservationRequest.of(ATLAS, C1, 4, 8000, 1, start, start.plus(Duration.ofHours(1))));
    assertThat(reservation.state()).isEqualTo(ReservationState.CONFIRMED);
    while (clock.instant().isBefore(Instant.parse("2026-12-01T01:00:00Z"))) {
      cycle();
    }
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  void cycle() {
    engine.runOnce();
    clock.advance(CYCLE);
  }

  Scheduler build(String yaml) {
    StateStoreProvider shared = new StateStoreProvider() {
      @Override
      public String name() {
        return "shared-memory";
      }

      @Override
      public StateStore create(PluginConfig config, PluginContext context) {
        return store;
      }
    };
    return Csv2Scheduler.builder()
        .configYaml(yaml)
        .clock(clock)
        .executor(new CallingThreadExecutor())
        .random(new Random(3))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(shared)
        .build();
  }

  /** Core-hours of the stored usage records in the period, counted here from the records alone. */
  double coreHours(Instant from, Instant to, Set<VmId> only) {
    double sum = 0;
    for (VmUsage u : store.usage(from, to)) {
      if (only == null || only.contains(u.vm())) {
        sum += (u.wallSecondsAt(to) - u.wallSecondsAt(from)) * u.cores() / 3600.0;
      }
    }
    return sum;
  }

  static double total(UsageReport r) {
    return r.rows().stream().mapToDouble(UsageReport.Row::coreHours).sum();
  }

  @Test
  void reportsByEveryDimensionAddUpToTheUsageRecordsInBothProcesses() {
    Instant now = clock.instant();
    Accounting running = engine.operations().accounting();
    Accounting second = Csv2Operations.over(store, clock).accounting();
    double expected = coreHours(began, now, null);
    assertThat(expected).as("the world ran VMs").isGreaterThan(10);

    for (Dimension d : Dimension.values()) {
      UsageReport r = running.report(ADMIN, began, now, List.of(d), null);
      if (d != Dimension.USER) { // a VM of two users counts for each of them
        assertThat(total(r)).as("core-hours by %s", d).isCloseTo(expected, within(1e-6));
      }
      assertThat(second.report(ADMIN, began, now, List.of(d), null)).as("the same report in a second process").isEqualTo(r);
    }
    assertThat(running.report(ADMIN, began, now, List.of(Dimension.MONTH), null).rows())
        .extracting(row -> row.key().get(0)).containsExactly("2026-11", "2026-12");
    assertThat(running.report(ADMIN, began, now, List.of(Dimension.GROUP, Dimension.CLOUD), null).rows())
        .extracting(row -> String.join("/", row.key())).contains("atlas/c1", "belle/c2");

    // by reservation: the reservation's VMs in its row, the elastic ones in the blank row
    Reservation r = store.reservation(reservation.id()).orElseThrow();
    assertThat(r.vms()).as("the reservation booted its VM").isNotEmpty();
    UsageReport byReservation = running.report(ADMIN, began, now, List.of(Dimension.RESERVATION, Dimension.GROUP), null);
    UsageReport.Row reserved = byReservation.rows().stream()
        .filter(row -> row.key().get(0).equals(Long.toString(r.id()))).findFirst().orElseThrow();
    assertThat(reserved.key().get(1)).isEqualTo("atlas");
    assertThat(reserved.coreHours()).isCloseTo(coreHours(began, now, Set.copyOf(r.vms())), within(1e-6)).isPositive();
    assertThat(byReservation.rows()).anyMatch(row -> row.key().get(0).isEmpty());
    assertThat(byReservation.csv()).startsWith("reservation,group,vms,wall_hours,core_hours,cpu_hours,cost\r\n")
        .contains("\r\n" + r.id() + ",atlas,");

    UsageReport belle = second.report(ADMIN, began, now, List.of(Dimension.GROUP, Dimension.USER), BELLE);
    assertThat(belle.rows()).extracting(row -> row.key().get(0)).containsOnly("belle");
    assertThat(belle.rows()).extracting(row -> row.key().get(1)).isSubsetOf("bellea", "belleb", "");

    assertThatThrownBy(() -> running.report(ADMIN, now, began, List.of(Dimension.GROUP), null))
        .isInstanceOf(OperationException.class).hasMessageContaining("is empty");
    assertThatThrownBy(() -> running.report(ADMIN, began, now, List.of(Dimension.GROUP, Dimension.GROUP), null))
        .isInstanceOf(OperationException.class).hasMessageContaining("group is named twice");
    assertThatThrownBy(() -> running.report(ADMIN, began, now, List.of(), null))
        .isInstanceOf(OperationException.class).hasMessageContaining("at least one dimension");
    assertThatThrownBy(() -> Dimension.of("vo")).hasMessageContaining("use group, cloud, flavor, user, month or reservation");
  }

  @Test
  void anApelRunWritesWhatTheStatusSaidWasPendingOnceAndIsAudited() throws Exception {
    Accounting acct = Csv2Operations.over(store, clock).accounting();
    Accounting.ApelStatus before = acct.apel(ADMIN);
    assertThat(before.configured()).isTrue();
    assertThat(before.siteName()).isEqualTo("CA-Test-Cloud");
    assertThat(before.since()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(before.pendingRecords()).as("records to write").isPositive();
    assertThat(before.pendingSummaries()).as("summaries to write").isPositive();
    assertThat(before.sentRecords()).isZero();

    Accounting.ApelRun run = acct.exportApel(ADMIN, null);
    assertThat(run.records()).isEqualTo(before.pendingRecords());
    assertThat(run.summaries()).isEqualTo(before.pendingSummaries());
    assertThat(run.messages()).isEqualTo(run.files().size()).isPositive();
    Path outgoing = tmp.resolve("outgoing");
    for (String f : run.files()) {
      assertThat(f).matches("[0-9a-f]{8}/[0-9a-f]{14}");
      assertThat(Files.readString(outgoing.resolve(f))).startsWith("APEL-cloud-");
    }
    Accounting.ApelStatus after = acct.apel(ADMIN);
    assertThat(after.pendingRecords()).isZero();
    assertThat(after.pendingSummaries()).isZero();
    assertThat(after.sentRecords()).isEqualTo(run.records() + run.summaries());
    assertThat(after.queuedMessages()).isEqualTo(run.messages());
    assertThat(acct.exportApel(ADMIN, null).messages()).as("nothing changed, nothing sent again").isZero();
    assertThat(Csv2Operations.over(store, clock).audit(ADMIN, Instant.EPOCH, 100))
        .filteredOn(a -> a.action().equals("accounting apel")).hasSize(2)
        .first().satisfies(a -> assertThat(a.after()).startsWith(run.messages() + " message(s), " + run.records() + " record(s)"));

    // the running VMs grow: the next run writes them again; while another run holds the lock, none
    for (int i = 0; i < 10; i++) {
      cycle();
    }
    assertThat(acct.apel(ADMIN).pendingRecords()).as("running VMs reported again with grown figures").isPositive();
    try (FileChannel ch = FileChannel.open(outgoing.resolve(ApelExporter.LOCK), StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      assertThat(held.isValid()).isTrue();
      assertThatThrownBy(() -> acct.exportApel(ADMIN, null))
          .isInstanceOf(OperationException.class).hasMessageContaining("another APEL run");
    }
    assertThat(acct.exportApel(ADMIN, null).records()).isPositive();
    try (Stream<Path> files = Files.walk(outgoing)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> outgoing.relativize(p).toString())
          .filter(p -> !p.startsWith(".csv2")).collect(Collectors.toSet())).hasSize(acct.apel(ADMIN).queuedMessages());
    }
    assertThatThrownBy(() -> acct.exportApel(ADMIN, clock.instant().plusSeconds(60)))
        .isInstanceOf(OperationException.class).hasMessageContaining("is not before now");
  }

  @Test
  void withoutAccountingSettingsTheStatusSaysSoAndARunIsRefused() {
    StateStore bare = new InMemoryStateStore(clock);
    Accounting acct = Csv2Operations.over(bare, clock).accounting();
    assertThat(acct.apel(ADMIN).configured()).isFalse();
    assertThatThrownBy(() -> acct.exportApel(ADMIN, null))
        .isInstanceOf(OperationException.class).hasMessageContaining("accounting.site-name");
    assertThat(acct.report(ADMIN, began, clock.instant(), List.of(Dimension.GROUP), null).rows()).isEmpty();
  }
}
