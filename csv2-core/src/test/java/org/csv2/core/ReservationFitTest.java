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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.CloudAvailability;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationSearch;
import org.csv2.api.ops.ReservationState;
import org.csv2.api.ops.Reservations;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reservation never exceeds a quota or what a flavor holds (issue 15): a cloud whose largest
 * flavor is smaller than one VM asked is never offered and refuses the booking naming the cloud
 * and the size (a replay once CONFIRMED such a booking, which then FAILED); a cloud's instance
 * quota is counted against reservations like its core quota, and elastic VMs that would leave no
 * instance for a reservation are drained in time.
 */
class ReservationFitTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final CloudName SMALL = CloudName.of("small");
  static final CloudName BIG = CloudName.of("big");
  static final Actor ALICE = Actor.of("alice", "cli");
  static final Duration CYCLE = Duration.ofSeconds(30);
  static final String YAML =
      """
      engine:
        instance-id: fit1
      timers:
        cycle: 30s
        keep-alive: 10m
      groups:
        - name: atlas
          vm-defaults: { image: alma9 }
      clouds:
        - name: small
          driver: simulated
          config:
            quota: { cores: 64, instances: 3 }
            boot-delay: { min: 60s, max: 90s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 2000, disk-gib: 10 }
              - { name: m4, cores: 4, ram-mib: 8000, disk-gib: 40 }
              - { name: x32, cores: 32, ram-mib: 64000, disk-gib: 40 }
        - name: big
          driver: simulated
          config:
            quota: { cores: 64 }
            boot-delay: { min: 60s, max: 90s }
            flavors:
              - { name: l16, cores: 16, ram-mib: 32000, disk-gib: 40 }
      allocations:
        - { group: atlas, cloud: small, priority: 0, exclude-flavors: [x32] }
        - { group: atlas, cloud: big, priority: 1 }
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
        .build();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  void cycle() {
    engine.runOnce();
    assertThat(world.cloud(SMALL).orElseThrow().capacity().used().instances())
        .as("VMs on small at %s (instance quota 3)", clock.instant()).isLessThanOrEqualTo(3);
    clock.advance(CYCLE);
  }

  Reservation reservation(long id) {
    return store.reservation(id).orElseThrow();
  }

  @Test
  void aCloudWhoseFlavorsCannotHoldOneVmIsNeverOfferedNorBooked() {
    cycle(); // the status snapshots: quotas and flavors
    Reservations resv = ops.reservations();
    Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(1));
    Instant end = start.plus(Duration.ofHours(2));

    List<CloudAvailability> found = resv.search(ALICE, new ReservationSearch(ATLAS, 16, 32000, 1, start, end));
    assertThat(found).extracting(CloudAvailability::cloud).containsExactly(SMALL, BIG);
    CloudAvailability small = found.get(0);
    assertThat(small.fits()).isFalse();
    assertThat(small.free()).as("no window on a cloud where no flavor fits").isEmpty();
    // x32 would hold it, but atlas's allocation excludes it: m4 is atlas's largest there
    assertThat(small.note()).contains("no flavor of small holds one VM of 16 cores and 32000 MiB").contains("m4");
    assertThat(found.get(1).fits()).isTrue();

    Reservation onSmall = resv.book(ALICE, ReservationRequest.of(ATLAS, SMALL, 16, 32000, 1, start, end));
    assertThat(onSmall.state()).isEqualTo(ReservationState.REFUSED);
    assertThat(onSmall.reason()).contains("no flavor of small holds one VM of 16 cores and 32000 MiB");

    Reservation any = resv.book(ALICE, ReservationRequest.of(ATLAS, null, 16, 32000, 1, start, end));
    assertThat(any.state()).isEqualTo(ReservationState.CONFIRMED);
    assertThat(any.cloud()).as("the preferred cloud cannot hold it; the next can").isEqualTo(BIG);

    Reservation fits = resv.book(ALICE, ReservationRequest.of(ATLAS, SMALL, 4, 8000, 1, start, end));
    assertThat(fits.state()).isEqualTo(ReservationState.CONFIRMED);

    while (clock.instant().isBefore(start.plus(Duration.ofMinutes(5)))) {
      cycle();
    }
    assertThat(reservation(any.id()).state()).isEqualTo(ReservationState.RUNNING);
    assertThat(reservation(fits.id()).state()).isEqualTo(ReservationState.RUNNING);
    assertThat(store.vm(reservation(fits.id()).vms().get(0)).orElseThrow().flavor().value())
        .as("booted on the flavor the check allowed").isEqualTo("m4");
  }

  @Test
  void theInstanceQuotaHoldsReservationsAndElasticVmsAreDrainedForThem() {
    for (int i = 0; i < 40; i++) {
      world.pool().submit(ATLAS, "u1", Resources.of(1, 2000, 5), Duration.ofHours(10), 0);
    }
    for (int i = 0; i < 12; i++) {
      cycle();
    }
    assertThat(world.cloud(SMALL).orElseThrow().capacity().used().instances())
        .as("elastic VMs take every instance of small").isEqualTo(3);
    assertThat(world.cloud(SMALL).orElseThrow().capacity().used().cores()).as("far from the core quota").isLessThan(64);

    Reservations resv = ops.reservations();
    Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(1));
    Instant end = start.plus(Duration.ofHours(1));
    List<CloudAvailability> found = resv.search(ALICE, new ReservationSearch(ATLAS, 1, 2000, 2, start, end));
    assertThat(found.get(0).capacity().instances()).as("small's instance quota").isEqualTo(3);

    Reservation two = resv.book(ALICE, ReservationRequest.of(ATLAS, SMALL, 1, 2000, 2, start, end));
    assertThat(two.state()).isEqualTo(ReservationState.CONFIRMED);
    Reservation more = resv.book(ALICE, ReservationRequest.of(ATLAS, SMALL, 1, 2000, 2, start, end));
    assertThat(more.state()).as("2 + 2 VMs > 3, though 4 cores fit in 64").isEqualTo(ReservationState.REFUSED);
    assertThat(more.reason()).contains("reservation(s) " + two.id() + " hold 2 of 3 VMs for reservations on small");
    assertThat(resv.extend(ALICE, two.id(), end.plus(Duration.ofHours(1))).end())
        .as("nothing else holds the hour after: the extension is allowed").isEqualTo(end.plus(Duration.ofHours(1)));
    Reservation late = resv.book(ALICE, ReservationRequest.of(ATLAS, SMALL, 1, 2000, 2, end, end.plus(Duration.ofHours(1))));
    assertThat(late.state()).as("the extended reservation holds the hour after").isEqualTo(ReservationState.REFUSED);

    Instant firstRunning = null;
    while (clock.instant().isBefore(start.plus(Duration.ofMinutes(10)))) {
      cycle();
      if (firstRunning == null && reservation(two.id()).state() == ReservationState.RUNNING) {
        firstRunning = clock.instant();
      }
    }
    assertThat(firstRunning).as("RUNNING by its start though elastic VMs held every instance").isNotNull()
        .isBeforeOrEqualTo(start);
    assertThat(store.events(Instant.EPOCH, 100_000)).as("elastic VMs drained for the instances it needs: %s",
            store.events(Instant.EPOCH, 100_000).stream().filter(e -> e.to() == VmState.RETIRING || e.to() == VmState.TERMINATING)
                .map(e -> e.at() + " " + e.reason()).toList())
        .anyMatch(e -> e.reason().contains("making room on small for reservation(s)"));
    assertThat(reservation(two.id()).vms().stream().map(id -> store.vm(id).orElseThrow().state()))
        .doesNotContain(VmState.TERMINATED);
  }
}
