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
package org.csv2.plugin.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.maps;
import static org.quicktheories.generators.SourceDSL.strings;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.csv2.model.VmState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CodecTest {
  @Test
  @DisplayName("every Instant survives the DECIMAL(30,9) seconds form exactly")
  void instantsRoundTrip() {
    qt().withExamples(2000)
        .forAll(longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()), integers().between(0, 999_999_999))
        .checkAssert((s, n) -> {
          Instant t = Instant.ofEpochSecond(s, n);
          assertThat(Codec.instant(Codec.seconds(t))).isEqualTo(t);
          assertThat(Codec.seconds(t).precision()).isLessThanOrEqualTo(30);
        });
    assertThat(Codec.seconds(Instant.parse("1969-12-31T23:59:59.5Z")).toPlainString()).isEqualTo("-0.500000000");
  }

  @Test
  @DisplayName("durations survive exactly")
  void durationsRoundTrip() {
    qt().withExamples(1000)
        .forAll(longs().between(-1L << 40, 1L << 40), integers().between(0, 999_999_999))
        .checkAssert((s, n) -> {
          Duration d = Duration.ofSeconds(s, n);
          assertThat(Codec.durationOrNull(Codec.durationOrNull(d))).isEqualTo(d);
        });
  }

  @Test
  @DisplayName("any string map survives the JSON form, lone surrogates and control characters included")
  void labelsRoundTrip() {
    qt().withExamples(1000)
        .forAll(maps().of(strings().allPossible().ofLengthBetween(0, 12), strings().allPossible().ofLengthBetween(0, 12)).ofSizeBetween(0, 5))
        .checkAssert(m -> assertThat(Codec.parse(Codec.labels(m))).isEqualTo(m));
  }

  @Test
  @DisplayName("transitions are written in state order and read back")
  void transitionsRoundTrip() {
    Map<VmState, Instant> t = new EnumMap<>(VmState.class);
    t.put(VmState.RUNNING, Instant.parse("2024-05-01T10:03:20.000000001Z"));
    t.put(VmState.REQUESTED, Instant.parse("2024-05-01T10:00:00Z"));
    String json = Codec.transitions(t);
    assertThat(json).isEqualTo("{\"REQUESTED\":\"2024-05-01T10:00:00Z\",\"RUNNING\":\"2024-05-01T10:03:20.000000001Z\"}");
    assertThat(Codec.transitions(json)).isEqualTo(t);
  }

  @Test
  @DisplayName("malformed JSON is refused, saying where and what was expected")
  void malformedJson() {
    assertThatThrownBy(() -> Codec.parse("{\"a\":1}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed JSON object at character").hasMessageContaining("expected '\"'");
    assertThatThrownBy(() -> Codec.parse("{\"a\":\"b\"} x")).isInstanceOf(IllegalArgumentException.class);
  }
}
