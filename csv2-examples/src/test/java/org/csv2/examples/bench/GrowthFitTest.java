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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The growth-exponent fit on synthetic data. */
class GrowthFitTest {
  @Test
  void recoversTheExponentOfAnExactPowerLaw() {
    double[] x = {1_000, 4_000, 16_000, 64_000, 256_000, 1_000_000};
    for (double k : new double[] {0.5, 1.0, 1.3, 2.0}) {
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = 0.003 * Math.pow(x[i], k);
      }
      GrowthFit f = GrowthFit.of(x, y);
      assertThat(f.exponent()).isCloseTo(k, within(1e-9));
      assertThat(f.coefficient()).isCloseTo(0.003, within(1e-9));
      assertThat(f.r2()).isCloseTo(1.0, within(1e-9));
      assertThat(f.points()).isEqualTo(6);
    }
  }

  @Test
  void noisyLinearDataFitsNearOne() {
    double[] x = {100, 500, 2_000, 5_000, 20_000};
    double[] y = {1.1, 4.7, 21.0, 48.0, 205.0};
    GrowthFit f = GrowthFit.of(x, y);
    assertThat(f.exponent()).isBetween(0.95, 1.05);
    assertThat(f.r2()).isGreaterThan(0.99);
  }

  @Test
  void refusesWhatCannotBeFitted() {
    assertThatThrownBy(() -> GrowthFit.of(new double[] {1}, new double[] {1})).hasMessageContaining("two or more");
    assertThatThrownBy(() -> GrowthFit.of(new double[] {1, 0}, new double[] {1, 1})).hasMessageContaining("positive");
    assertThatThrownBy(() -> GrowthFit.of(new double[] {3, 3}, new double[] {1, 2})).hasMessageContaining("equal");
  }

  @Test
  void sweepExponentsUseThePointsOnEachAxis() {
    List<Map<String, Object>> points =
        List.of(
            point(1000, 10, 2000, 1.0),
            point(4000, 10, 2000, 4.0),
            point(20000, 1, 2000, 10.0),
            point(20000, 100, 2000, 100.0),
            point(20000, 10, 100, 30.0),
            point(20000, 10, 20000, 30.0));
    Map<String, Object> ex = PlanningRun.exponents(points);
    assertThat((double) ((Map<?, ?>) ex.get("jobs")).get("exponent")).isCloseTo(1.0, within(1e-9));
    assertThat((double) ((Map<?, ?>) ex.get("clouds")).get("exponent")).isCloseTo(0.5, within(1e-9));
    assertThat((double) ((Map<?, ?>) ex.get("vms")).get("exponent")).isCloseTo(0.0, within(1e-9));
  }

  private static Map<String, Object> point(int jobs, int clouds, int vms, double ms) {
    return Map.of("jobs", jobs, "clouds", clouds, "vms", vms, "medianMs", ms);
  }
}
