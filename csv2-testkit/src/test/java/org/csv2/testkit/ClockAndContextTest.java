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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link MutableClock} and {@link TestPluginContext}. */
class ClockAndContextTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @Test
  @DisplayName("a mutable clock stands still until advanced or set")
  void clockMovesOnlyWhenTold() {
    MutableClock clock = MutableClock.at(T0);
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.advance(Duration.ofMinutes(2))).isEqualTo(T0.plusSeconds(120));
    assertThat(clock.millis()).isEqualTo(T0.plusSeconds(120).toEpochMilli());
    clock.set(T0.minusSeconds(1));
    assertThat(clock.instant()).isEqualTo(T0.minusSeconds(1));
  }

  @Test
  @DisplayName("a zoned view of a mutable clock shares its time")
  void zonedViewSharesTheTime() {
    MutableClock clock = MutableClock.at(T0);
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofHours(1));
    assertThat(paris.instant()).isEqualTo(T0.plusSeconds(3600));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  @DisplayName("concurrent advances are all kept")
  void concurrentAdvancesAreAtomic() throws Exception {
    MutableClock clock = MutableClock.at(T0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          for (int n = 0; n < 1000; n++) {
            clock.advance(Duration.ofMillis(1));
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(8000));
  }

  @Test
  @DisplayName("TestPluginContext.of makes a random instance id t + 8 hex digits")
  void contextHasARandomInstanceId() {
    TestPluginContext a = TestPluginContext.of("arbutus");
    TestPluginContext b = TestPluginContext.of("arbutus");
    assertThat(a.instanceId()).matches("t[0-9a-f]{8}");
    assertThat(a.instanceId()).isNotEqualTo(b.instanceId());
    assertThat(a.name()).isEqualTo("arbutus");
    assertThat(a.withInstanceId("t00000001").instanceId()).isEqualTo("t00000001");
  }

  @Test
  @DisplayName("an instance id with upper case or spaces is rejected")
  void invalidInstanceIdIsRejected() {
    assertThatThrownBy(() -> new TestPluginContext(Clock.systemUTC(), "Bad Id", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad Id");
  }
}
