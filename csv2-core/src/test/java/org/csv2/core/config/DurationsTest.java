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
package org.csv2.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void shortFormsMeanTheirUnit() {
    qt().forAll(longs().between(0, 1_000_000), arbitrary().pick("ms", "s", "m", "h", "d"))
        .checkAssert(
            (n, unit) -> {
              ChronoUnit u =
                  switch (unit) {
                    case "ms" -> ChronoUnit.MILLIS;
                    case "s" -> ChronoUnit.SECONDS;
                    case "m" -> ChronoUnit.MINUTES;
                    case "h" -> ChronoUnit.HOURS;
                    default -> ChronoUnit.DAYS;
                  };
              assertThat(Durations.parse(n + unit)).isEqualTo(Duration.of(n, u));
              assertThat(Durations.parse(" " + n + " " + unit.toUpperCase(java.util.Locale.ROOT) + " "))
                  .isEqualTo(Duration.of(n, u));
            });
  }

  @Test
  void isoFormRoundTrips() {
    qt().forAll(longs().between(0, 10_000_000_000L))
        .checkAssert(ms -> assertThat(Durations.parse(Duration.ofMillis(ms).toString())).isEqualTo(Duration.ofMillis(ms)));
  }

  @Test
  void otherFormsAreRejectedWithTheAcceptedForms() {
    for (String bad : new String[] {"10", "10x", "-5s", "1h30m", "", "PT-1S", "P1Y", "99999999999999999999s"}) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> Durations.parse("10x")).hasMessageContaining(Durations.FORMS);
  }
}
