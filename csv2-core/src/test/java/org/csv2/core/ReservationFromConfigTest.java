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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationSearch;
import org.csv2.api.ops.ReservationState;
import org.csv2.api.ops.Reservations;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An engine built from a {@link Csv2Config} object stores no configuration document; its
 * operations, and operations over the same bare store given the configuration, still take
 * bookings, and the engine carries them out (RUNNING by the start, ENDED after the end).
 */
class ReservationFromConfigTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final CloudName C1 = CloudName.of("c1");
  static final Actor ALICE = Actor.of("alice", "test");
  static final Duration CYCLE = Duration.ofSeconds(30);

  final VirtualClock clock = new VirtualClock();
  final SimulatedWorld world = new SimulatedWorld(clock, 3);
  final StateStore store = new InMemoryStateStore(clock);
  final Csv2Config config =
      ConfigLoader.parse(
          ReservationLifecycleTest.YAML.replace("instance-id: resv1", "instance-id: fromcfg"),
          Map.<String, String>of()::get,
          "test");
  final Scheduler engine =
      Csv2Scheduler.builder()
          .config(config)
          .clock(clock)
          .executor(new CallingThreadExecutor())
          .random(new Random(5))
          .addCloudDriverProvider(world.cloudProvider())
          .addJobSourceProvider(world.jobSourceProvider())
          .addStateStoreProvider(new StateStoreProvider() {
            @Override
            public String name() {
              return "shared-memory";
            }

            @Override
            public StateStore create(PluginConfig c, PluginContext context) {
              return store;
            }
          })
          .build();

  @AfterEach
  void stop() {
    engine.close();
  }

  void cycles(int n) {
    for (int i = 0; i < n; i++) {
      engine.runOnce();
      clock.advance(CYCLE);
    }
  }

  Instant inMinutes(int minutes) {
    return clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(minutes));
  }

  /** Books through the given verbs and runs the engine past the window: RUNNING by its start, then ENDED. */
  void carriedOut(Reservations resv) {
    Instant start = inMinutes(40);
    Instant end = start.plus(Duration.ofMinutes(30));
    assertThat(resv.search(ALICE, new ReservationSearch(ATLAS, 4, 8000, 2, start, end)))
        .singleElement().satisfies(c -> {
          assertThat(c.cloud()).isEqualTo(C1);
          assertThat(c.fits()).isTrue();
          assertThat(c.capacity().cores()).isEqualTo(16);
        });
    Reservation r = resv.book(ALICE, ReservationRequest.of(ATLAS, null, 4, 8000, 2, start, end));
    assertThat(r.state()).isEqualTo(ReservationState.CONFIRMED);
    assertThat(r.cloud()).isEqualTo(C1);
    while (clock.instant().isBefore(start)) {
      cycles(1);
    }
    Reservation running = resv.get(ALICE, r.id());
    assertThat(running.state()).as("RUNNING by its start").isEqualTo(ReservationState.RUNNING);
    assertThat(running.vms()).hasSize(2);
    while (clock.instant().isBefore(end.plus(Duration.ofMinutes(5)))) {
      cycles(1);
    }
    Reservation ended = resv.get(ALICE, r.id());
    assertThat(ended.state()).isEqualTo(ReservationState.ENDED);
    assertThat(ended.vms().stream().map(id -> store.vm(id).orElseThrow().state())).containsOnly(VmState.TERMINATED);
  }

  @Test
  void theEnginesOwnOperationsTakeBookingsWithNoStoredConfiguration() {
    cycles(3);
    assertThat(store.config()).as("an engine built from a Csv2Config object saves no document").isEmpty();
    carriedOut(engine.operations().reservations());
    assertThat(engine.operations().groups(ALICE).value()).extracting(g -> g.name()).containsExactly(ATLAS);
  }

  @Test
  void operationsOverTheBareStoreTakeBookingsGivenTheConfiguration() {
    cycles(3);
    Reservations bare = Csv2Operations.over(store, clock).reservations();
    assertThatThrownBy(() -> bare.book(ALICE, ReservationRequest.of(ATLAS, null, 4, 8000, 2, inMinutes(40), inMinutes(70))))
        .isInstanceOf(OperationException.class)
        .hasMessageContaining("no configuration is stored");
    carriedOut(Csv2Operations.builder(store, clock).config(config).build().reservations());
  }
}
