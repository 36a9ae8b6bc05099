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
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.csv2.api.CloudException;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationState;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.spi.ReservationCapacity;
import org.csv2.spi.ReservationLedger;
import org.csv2.spi.StateStore;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of bookings, extensions, cancellations, elastic demand and cloud faults,
 * interleaved with engine cycles in virtual time. After every cycle: no cloud holds more cores than
 * its quota, the capacity-holding reservations on a cloud never add up to more than its quota at
 * any instant, and every confirmed reservation whose start (or booking, if later) is a boot time
 * and two cycles past runs (RUNNING), unless its cloud had a fault since shortly before its boot.
 */
class ReservationPropertiesTest {
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final List<CloudName> CLOUDS = List.of(CloudName.of("c1"), CloudName.of("c2"));
  private static final int QUOTA = 16;
  private static final Duration CYCLE = Duration.ofSeconds(30);
  /** The simulated boot takes at most 90 s; the VM registers 10 s later; a cycle sees it. */
  private static final Duration BOOT_TIME = Duration.ofMinutes(3);
  private static final String YAML =
      """
      engine:
        instance-id: prop1
      timers:
        cycle: 30s
        keep-alive: 5m
      groups:
        - name: atlas
          vm-defaults: { image: alma9 }
      clouds:
        - name: c1
          driver: simulated
          config:
            quota: { cores: 16 }
            boot-delay: { min: 30s, max: 90s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 2000, disk-gib: 10 }
              - { name: m4, cores: 4, ram-mib: 8000, disk-gib: 40 }
        - name: c2
          driver: simulated
          config:
            quota: { cores: 16 }
            boot-delay: { min: 30s, max: 90s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 2000, disk-gib: 10 }
              - { name: m4, cores: 4, ram-mib: 8000, disk-gib: 40 }
      allocations:
        - { group: atlas, cloud: c1, priority: 0 }
        - { group: atlas, cloud: c2, priority: 1 }
      job-source:
        driver: simulated
        config: { register-delay: 10s }
      state-store:
        driver: shared-memory
      """;

  @Test
  void bookingsExtensionsCancellationsDemandAndFaultsKeepTheLedgerAndTheStarts() {
    qt().withExamples(6)
        .forAll(lists().of(integers().between(0, 19)).ofSizeBetween(30, 90), longs().between(1, 1_000_000))
        .checkAssert((steps, seed) -> new Run(seed).run(steps));
    assertThat(CHECKED.get()).as("reservation starts checked over all sequences (not vacuous)").isGreaterThan(3);
  }

  private static final java.util.concurrent.atomic.AtomicInteger CHECKED = new java.util.concurrent.atomic.AtomicInteger();

  /** One sequence. */
  private static final class Run {
    final Random rnd;
    final VirtualClock clock = new VirtualClock();
    final SimulatedWorld world;
    final StateStore store = new InMemoryStateStore(clock);
    final Operations ops = Csv2Operations.over(store, clock);
    final Map<CloudName, Instant> lastFault = new HashMap<>();
    final Set<Long> cancelled = new HashSet<>();
    final long seed;
    /** The reservations whose start the run checked (the property must not hold vacuously). */
    final Set<Long> checked = new HashSet<>();

    Run(long seed) {
      this.seed = seed;
      this.rnd = new Random(seed);
      this.world = new SimulatedWorld(clock, seed);
    }

    void run(List<Integer> steps) {
      try (Scheduler engine = OperatorIntentsTest.build(world, store, clock, YAML)) {
        for (int i = 0; i < 4; i++) {
          cycle(engine, i);
        }
        int n = 0;
        for (int step : steps) {
          n++;
          switch (step) {
            case 0, 1, 2, 3, 4, 5, 6, 7 -> {
              for (int i = 0; i < 4; i++) {
                cycle(engine, n);
              }
            }
            case 19 -> {
              for (int i = 0; i < 20; i++) {
                cycle(engine, n);
              }
            }
            case 8, 9, 10, 11 -> book();
            case 12 -> extend();
            case 13 -> cancel();
            case 14, 15, 16 -> {
              for (int i = 1 + rnd.nextInt(8); i > 0; i--) {
                world.pool().submit(ATLAS, "u1", Resources.of(1, 2000, 5), Duration.ofMinutes(20 + rnd.nextInt(150)), 0);
              }
            }
            case 17 -> {
              CloudName c = CLOUDS.get(rnd.nextInt(2));
              world.cloud(c).orElseThrow().failNext("boot", CloudException.Reason.CAPACITY_UNAVAILABLE);
              lastFault.put(c, clock.instant());
            }
            default -> {
              CloudName c = CLOUDS.get(rnd.nextInt(2));
              SimulatedCloud cloud = world.cloud(c).orElseThrow();
              List<Instance> up = cloud.instances().stream().filter(x -> x.state() == InstanceState.ACTIVE).toList();
              if (!up.isEmpty()) {
                cloud.driver("prop1").terminate(up.get(rnd.nextInt(up.size())).id());
                lastFault.put(c, clock.instant());
              }
            }
          }
        }
        // until every booking's start has been checked (at most four hours)
        Instant last = store.reservations(null, Instant.EPOCH, Instant.parse("3000-01-01T00:00:00Z")).stream()
            .map(Reservation::start).max(Instant::compareTo).orElse(clock.instant()).plus(BOOT_TIME).plus(CYCLE);
        for (int i = 0; i < 480 && clock.instant().isBefore(last); i++) {
          cycle(engine, steps.size() + 1);
        }
        CHECKED.addAndGet(checked.size());
      }
    }

    void book() {
      Instant now = clock.instant();
      Instant start = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2 + rnd.nextInt(90)));
      Instant end = start.plus(Duration.ofMinutes(10 + rnd.nextInt(120)));
      CloudName cloud = rnd.nextBoolean() ? null : CLOUDS.get(rnd.nextInt(2));
      int cores = rnd.nextBoolean() ? 1 : 4;
      ops.reservations().book(Actor.of("u" + rnd.nextInt(3), "cli"),
          ReservationRequest.of(ATLAS, cloud, cores, cores * 2000L, rnd.nextInt(4), start, end));
    }

    List<Reservation> open() {
      return store.reservations(null, Instant.EPOCH, Instant.parse("3000-01-01T00:00:00Z")).stream()
          .filter(r -> r.state().holdsCapacity()).toList();
    }

    void extend() {
      List<Reservation> open = open();
      if (open.isEmpty()) {
        return;
      }
      Reservation r = open.get(rnd.nextInt(open.size()));
      try {
        ops.reservations().extend(Actor.of(r.owner(), "cli"), r.id(), r.end().plus(Duration.ofMinutes(10 + rnd.nextInt(60))));
      } catch (OperationException e) {
        assertThat(e.getMessage()).as("seed %d: an extension refused names why", seed).containsAnyOf("no room", "cannot be extended", "not after");
      }
    }

    void cancel() {
      List<Reservation> open = open();
      if (!open.isEmpty()) {
        Reservation r = open.get(rnd.nextInt(open.size()));
        ops.reservations().cancel(Actor.of(r.owner(), "cli"), r.id());
        cancelled.add(r.id());
      }
    }

    void cycle(Scheduler engine, int step) {
      engine.runOnce();
      Instant now = clock.instant();
      List<Reservation> all = store.reservations(null, Instant.EPOCH, Instant.parse("3000-01-01T00:00:00Z"));
      for (CloudName c : CLOUDS) {
        assertThat(world.cloud(c).orElseThrow().capacity().used().cores())
            .as("seed %d step %d: cores on %s at %s", seed, step, c, now).isLessThanOrEqualTo(QUOTA);
        ReservationCapacity cap = ReservationCapacity.unlimited(c);
        for (Reservation r : all) {
          if (c.equals(r.cloud()) && r.state().holdsCapacity()) {
            Limits held = ReservationLedger.heldAt(cap, all, r.start());
            assertThat(held.cores()).as("seed %d: reservations on %s at %s", seed, c, r.start()).isLessThanOrEqualTo(QUOTA);
          }
        }
      }
      for (Reservation r : all) {
        Instant due = (r.created().isAfter(r.start()) ? r.created() : r.start()).plus(BOOT_TIME);
        Instant faultSince = r.start().minus(Duration.ofMinutes(45));
        Instant fault = r.cloud() == null ? null : lastFault.get(r.cloud());
        boolean faulted = fault != null && fault.isAfter(faultSince);
        if (r.cloud() != null && !faulted && !cancelled.contains(r.id()) && !now.isBefore(due)
            && now.isBefore(r.end()) && r.state() != ReservationState.REFUSED) {
          assertThat(r.state()).as("seed %d step %d: %s at %s (reason %s)", seed, step, r.describe(), now, r.reason())
              .isEqualTo(ReservationState.RUNNING);
          checked.add(r.id());
        }
      }
      clock.advance(CYCLE);
    }
  }
}
