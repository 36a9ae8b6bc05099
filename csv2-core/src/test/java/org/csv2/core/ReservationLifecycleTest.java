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

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.CloudAvailability;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationSearch;
import org.csv2.api.ops.ReservationState;
import org.csv2.api.ops.ReservationUsage;
import org.csv2.api.ops.Reservations;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmState;
import org.csv2.spi.NotificationSink;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reservation end to end, in virtual time, on a simulated cloud full of elastic VMs: booked
 * through {@link Reservations}, the elastic VMs in its way drained in time, the cluster booted
 * early and RUNNING at its start, kept while idle, a failed VM replaced, the owner warned, the
 * reservation extended, then terminated and ENDED; the cloud's quota never exceeded on the way.
 */
class ReservationLifecycleTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final CloudName C1 = CloudName.of("c1");
  static final Actor ALICE = Actor.of("alice", "cli");
  static final Duration CYCLE = Duration.ofSeconds(30);
  static final String YAML =
      """
      engine:
        instance-id: resv1
      timers:
        cycle: 30s
        keep-alive: 10m
        reservation-warning: 30m
      groups:
        - name: atlas
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
      allocations:
        - { group: atlas, cloud: c1, priority: 0 }
      job-source:
        driver: simulated
        config: { register-delay: 10s }
      state-store:
        driver: shared-memory
      """;

  final VirtualClock clock = new VirtualClock();
  final SimulatedWorld world = new SimulatedWorld(clock, 7);
  final StateStore store = new InMemoryStateStore(clock);
  final Operations ops = Csv2Operations.over(store, clock);
  final List<NotificationSink.Notification> told = new CopyOnWriteArrayList<>();
  final Scheduler engine = build();

  Scheduler build() {
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
        .configYaml(YAML)
        .clock(clock)
        .executor(new CallingThreadExecutor())
        .random(new Random(11))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(shared)
        .modules(new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), NotificationSink.class).setBinding().toInstance(told::add);
          }
        })
        .build();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  CycleReport cycle() {
    CycleReport r = engine.runOnce();
    assertThat(liveCores()).as("cores held on c1 at %s (quota 16)", clock.instant()).isLessThanOrEqualTo(16);
    clock.advance(CYCLE);
    return r;
  }

  long liveCores() {
    return world.cloud(C1).orElseThrow().capacity().used().cores();
  }

  List<Vm> live() {
    return store.vms().stream().filter(v -> v.state() != VmState.TERMINATED).toList();
  }

  Reservation reservation(long id) {
    return store.reservation(id).orElseThrow();
  }

  @Test
  void aReservationBootsInTimeOnAFullCloudRunsIsWarnedExtendedAndEnds() {
    for (int i = 0; i < 40; i++) {
      world.pool().submit(ATLAS, "u1", Resources.of(1, 2000, 5), Duration.ofHours(10), 0);
    }
    for (int i = 0; i < 12; i++) {
      cycle();
    }
    assertThat(liveCores()).as("the elastic VMs fill the quota").isEqualTo(16);
    Reservations resv = ops.reservations();
    Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(2));
    Instant end = start.plus(Duration.ofHours(2));

    List<CloudAvailability> found = resv.search(ALICE, new ReservationSearch(ATLAS, 4, 8000, 2, start, end));
    assertThat(found).singleElement().satisfies(c -> {
      assertThat(c.cloud()).isEqualTo(C1);
      assertThat(c.fits()).isTrue();
      assertThat(c.capacity().cores()).isEqualTo(16);
      assertThat(c.free()).isNotEmpty();
      assertThat(c.note()).contains("elastic VMs hold 16 cores");
    });
    assertThatThrownBy(() -> resv.book(ALICE, ReservationRequest.of(ATLAS, C1, 4, 8000, 2, start.minus(Duration.ofDays(1)), start)))
        .isInstanceOf(OperationException.class).hasMessageContaining("starts in the past");
    assertThatThrownBy(() -> resv.book(ALICE, ReservationRequest.of(ATLAS, C1, 4, 8000, 2, start, start)))
        .isInstanceOf(OperationException.class).hasMessageContaining("is not after the start");

    Reservation r = resv.book(ALICE, ReservationRequest.of(ATLAS, null, 4, 8000, 2, start, end));
    assertThat(r.state()).isEqualTo(ReservationState.CONFIRMED);
    assertThat(r.cloud()).isEqualTo(C1);
    Reservation big = resv.book(Actor.of("bob", "cli"), ReservationRequest.of(ATLAS, C1, 4, 8000, 3, start.plusSeconds(3600), end));
    assertThat(big.state()).as("8 + 12 > 16 cores").isEqualTo(ReservationState.REFUSED);
    assertThat(big.reason()).contains("reservation(s) " + r.id()).contains("8 of 16 cores");

    Instant firstRunning = null;
    while (clock.instant().isBefore(start.plus(Duration.ofMinutes(30)))) {
      cycle();
      if (firstRunning == null && reservation(r.id()).state() == ReservationState.RUNNING) {
        firstRunning = clock.instant();
      }
    }
    assertThat(firstRunning).as("RUNNING by its start").isNotNull().isBeforeOrEqualTo(start);
    assertThat(store.events(Instant.EPOCH, 100_000)).as("elastic VMs drained for it, with the reason")
        .anyMatch(e -> e.reason().contains("making room on c1 for reservation(s)"));
    Reservation running = reservation(r.id());
    assertThat(running.vms()).hasSize(2);
    assertThat(told).extracting(NotificationSink.Notification::kind).containsExactly(NotificationSink.Kind.STARTED);

    // the cluster runs no job, yet it is kept; a VM that fails is replaced
    Vm victim = store.vm(running.vms().get(0)).orElseThrow();
    assertThat(victim.state()).isIn(VmState.UNREGISTERED, VmState.IDLE, VmState.RUNNING);
    world.cloud(C1).orElseThrow().driver("resv1").terminate(victim.instanceId());
    for (int i = 0; i < 10; i++) {
      cycle();
    }
    Reservation replaced = reservation(r.id());
    assertThat(replaced.vms()).as("a replacement was booted").hasSize(3);
    assertThat(replaced.vms().stream().map(id -> store.vm(id).orElseThrow()).filter(v -> v.state() != VmState.TERMINATED))
        .hasSize(2);

    // warned 30 minutes before the end; extended by 30 minutes
    while (clock.instant().isBefore(end.minus(Duration.ofMinutes(29)))) {
      cycle();
    }
    assertThat(told).extracting(NotificationSink.Notification::kind)
        .containsExactly(NotificationSink.Kind.STARTED, NotificationSink.Kind.ENDING);
    assertThat(told.get(1).user()).isEqualTo("alice");
    Reservation extended = resv.extend(ALICE, r.id(), end.plus(Duration.ofMinutes(30)));
    assertThat(extended.end()).isEqualTo(end.plus(Duration.ofMinutes(30)));
    while (clock.instant().isBefore(end.plus(Duration.ofMinutes(40)))) {
      cycle();
    }
    Reservation ended = reservation(r.id());
    assertThat(ended.state()).isEqualTo(ReservationState.ENDED);
    assertThat(ended.vms().stream().map(id -> store.vm(id).orElseThrow().state())).containsOnly(VmState.TERMINATED);
    assertThat(told).extracting(NotificationSink.Notification::kind).last().isEqualTo(NotificationSink.Kind.ENDED);

    ReservationUsage usage = resv.usage(ALICE, null, start.minus(Duration.ofDays(1)), end.plus(Duration.ofDays(1)));
    ReservationUsage.Row alice = usage.rows().stream()
        .filter(x -> x.by() == ReservationUsage.By.USER && x.name().equals("alice")).findFirst().orElseThrow();
    assertThat(alice.coreHoursReserved()).isEqualTo(8 * 2.5);
    assertThat(alice.coreHoursUsed()).isBetween(8 * 2.5 * 0.9, 8 * 2.5 * 1.2);
    assertThat(alice.made()).isEqualTo(1);
    assertThat(usage.rows()).anyMatch(x -> x.by() == ReservationUsage.By.USER && x.name().equals("bob") && x.refused() == 1);
    assertThat(usage.csv()).startsWith("by,name,core_hours_reserved").contains("user,alice,20.00,");
    assertThat(ops.audit(ALICE, Instant.EPOCH, 100)).extracting(a -> a.action())
        .contains("reservation create", "reservation refused", "reservation extend");
  }

  @Test
  void aCancelledReservationEndsAndFreesItsCapacity() {
    for (int i = 0; i < 3; i++) {
      cycle();
    }
    Reservations resv = ops.reservations();
    Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(20));
    Reservation a = resv.book(ALICE, ReservationRequest.of(ATLAS, C1, 4, 8000, 4, start, start.plusSeconds(3600)));
    assertThat(a.state()).isEqualTo(ReservationState.CONFIRMED);
    assertThat(resv.book(ALICE, ReservationRequest.of(ATLAS, C1, 1, 2000, 1, start, start.plusSeconds(60))).state())
        .isEqualTo(ReservationState.REFUSED);
    for (int i = 0; i < 30; i++) {
      cycle();
    }
    assertThat(reservation(a.id()).state()).isEqualTo(ReservationState.RUNNING);
    Reservation cancelled = resv.cancel(ALICE, a.id());
    assertThat(cancelled.state()).isEqualTo(ReservationState.STOPPING);
    for (int i = 0; i < 10; i++) {
      cycle();
    }
    assertThat(reservation(a.id()).state()).isEqualTo(ReservationState.ENDED);
    assertThat(reservation(a.id()).reason()).startsWith("cancelled by alice");
    assertThat(live()).isEmpty();
    assertThatThrownBy(() -> resv.cancel(ALICE, a.id())).isInstanceOf(OperationException.class).hasMessageContaining("is over");
    Instant later = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(5));
    assertThat(resv.book(ALICE, ReservationRequest.of(ATLAS, C1, 4, 8000, 4, later, later.plusSeconds(600))).state())
        .isEqualTo(ReservationState.CONFIRMED);
  }
}
