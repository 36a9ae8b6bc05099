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
package org.csv2.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
  private final VirtualClock clock = new VirtualClock(Instant.parse("2025-01-01T00:00:00Z"));

  @Test
  void advancesOnlyWhenTold() {
    assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(clock.advance(Duration.ofSeconds(90))).isEqualTo(Instant.parse("2025-01-01T00:01:30Z"));
    assertThat(clock.millis()).isEqualTo(Instant.parse("2025-01-01T00:01:30Z").toEpochMilli());
    clock.set(Instant.parse("2025-01-02T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-02T00:00:00Z"));
  }

  @Test
  void neverGoesBackwards() {
    clock.advance(Duration.ofHours(1));
    assertThatThrownBy(() -> clock.set(Instant.parse("2025-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never goes backwards");
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T01:00:00Z"));
  }

  @Test
  void isUtcAndZonedViewsShareTheTime() {
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    var paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofMinutes(5));
    assertThat(paris.instant()).isEqualTo(clock.instant());
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
  }
}
