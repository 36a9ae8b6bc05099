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
package org.csv2.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that decides when a fork's plan time has settled. */
class SettleTest {
  @Test
  void settledOnlyWhenTheLastThreeWindowMediansAreWithinFivePercent() {
    // the JIT still at work: falling from 153 to 45 ms
    assertThat(Settle.stable(List.of(153.0, 120.0, 90.0, 60.0, 47.0))).isFalse();
    assertThat(Settle.stable(List.of(153.0, 120.0, 47.0, 46.0, 45.0))).isTrue();
    // a collection in one window (59 vs 124 ms) keeps it unsettled
    assertThat(Settle.stable(List.of(59.0, 124.0, 60.0))).isFalse();
    assertThat(Settle.stable(List.of(45.0, 45.0))).as("fewer than three windows").isFalse();
    assertThat(Settle.stable(List.of(100.0, 104.9, 102.0))).isTrue();
    assertThat(Settle.stable(List.of(100.0, 105.1, 102.0))).isFalse();
  }

  @Test
  void medianOfOddAndEven() {
    assertThat(Settle.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Settle.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
  }
}
