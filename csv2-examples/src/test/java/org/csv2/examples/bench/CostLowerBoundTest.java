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
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Resources;
import org.junit.jupiter.api.Test;

/** The cost lower bounds against cases solved by hand (the arithmetic is in each comment). */
class CostLowerBoundTest {
  private static final long H = 3_600_000;

  private static Flavor flavor(String name, int cores, long ramMiB, double price) {
    return new Flavor(FlavorName.of(name), Resources.of(cores, ramMiB), price, true, Map.of());
  }

  private static CostLowerBound.Run run(int cores, long ram, long startMs, long endMs) {
    return new CostLowerBound.Run(Resources.of(cores, ram), startMs, endMs);
  }

  @Test
  void aSmallJobSharesTheCheapestFlavorByItsLargestShare() {
    // a: 2 cores 4000 MiB $0.10 -> a 1-core 1000 MiB job fills max(1/2, 1000/4000) = 0.5: $0.05/h
    // b: 1 core 2000 MiB $0.08 -> fills 1: $0.08/h
    CostLowerBound lb =
        new CostLowerBound(
            List.of(new CostLowerBound.Cloud(List.of(flavor("a", 2, 4000, 0.10), flavor("b", 1, 2000, 0.08)), -1, -1)));
    CostLowerBound.Bounds b = lb.bounds(List.of(run(1, 1000, 0, H)));
    assertThat(b.shapeAware()).isCloseTo(0.05, within(1e-9));
    assertThat(b.shapeAndQuotaAware()).isCloseTo(0.05, within(1e-9));
    assertThat(b.cheapestCore()).isCloseTo(0.05, within(1e-9));
    // memory-bound: 1 core and 3000 MiB fills max(1/2, 3000/4000) = 0.75 of a ($0.075) vs all of b ($0.08)
    assertThat(lb.rate(List.of(Resources.of(1, 3000)))).isCloseTo(0.075, within(1e-9));
  }

  @Test
  void aWideJobFitsOnlyTheLargeFlavors() {
    // small: 2 cores $0.08 ($0.04/core); large: 4 cores $0.20 ($0.05/core)
    // a 4-core job for 2 h: cheapest-core bound 4 x 0.04 x 2 = 0.32; only large holds it: 0.20 x 2 = 0.40
    CostLowerBound lb =
        new CostLowerBound(
            List.of(new CostLowerBound.Cloud(List.of(flavor("small", 2, 8000, 0.08), flavor("large", 4, 16000, 0.20)), -1, -1)));
    CostLowerBound.Bounds b = lb.bounds(List.of(run(4, 4000, 0, 2 * H)));
    assertThat(b.cheapestCore()).isCloseTo(0.32, within(1e-9));
    assertThat(b.shapeAware()).isCloseTo(0.40, within(1e-9));
    assertThat(b.shapeAndQuotaAware()).isCloseTo(0.40, within(1e-9));
    assertThat(lb.placeable(Resources.of(8, 1000))).isFalse();
    assertThat(lb.bounds(List.of(run(8, 1000, 0, H))).unplaceableRuns()).isEqualTo(1);
  }

  @Test
  void aBindingCoreQuotaSendsTheRestToTheDearerCloud() {
    // x: $0.04/core, 2 cores of quota; y: $0.06/core, no quota; 3 one-core jobs for 1 h:
    // 2 on x (0.08) + 1 on y (0.06) = 0.14; the cheapest-core bound says 3 x 0.04 = 0.12
    CostLowerBound lb =
        new CostLowerBound(
            List.of(
                new CostLowerBound.Cloud(List.of(flavor("x2", 2, 4000, 0.08)), 2, -1),
                new CostLowerBound.Cloud(List.of(flavor("y1", 1, 2000, 0.06)), -1, -1)));
    CostLowerBound.Bounds b =
        lb.bounds(List.of(run(1, 1000, 0, H), run(1, 1000, 0, H), run(1, 1000, 0, H)));
    assertThat(b.cheapestCore()).isCloseTo(0.12, within(1e-9));
    assertThat(b.shapeAware()).isCloseTo(0.12, within(1e-9));
    assertThat(b.shapeAndQuotaAware()).isCloseTo(0.14, within(1e-6));
    assertThat(b.programsSolved()).isEqualTo(1);
    assertThat(b.infeasibleHours()).isZero();
  }

  @Test
  void aBindingInstanceQuotaPrefersTheLargeFlavor() {
    // x: small 1 core $0.04, big 4 cores $0.20 ($0.05/core), 1 instance of quota; y: 1 core $0.07.
    // 4 one-core jobs: one small VM + 3 on y = 0.04 + 0.21 = 0.25; one big VM = 4 x 0.05 = 0.20
    // (per unit of instance quota the big VM saves 4 x 0.02 = 0.08, the small one 0.03): 0.20
    CostLowerBound lb =
        new CostLowerBound(
            List.of(
                new CostLowerBound.Cloud(List.of(flavor("small", 1, 1000, 0.04), flavor("big", 4, 4000, 0.20)), -1, 1),
                new CostLowerBound.Cloud(List.of(flavor("y1", 1, 1000, 0.07)), -1, -1)));
    List<Resources> four = List.of(Resources.of(1, 1000), Resources.of(1, 1000), Resources.of(1, 1000), Resources.of(1, 1000));
    assertThat(lb.rate(four)).isCloseTo(0.20, within(1e-6));
    // five jobs: the big VM takes 4 (0.20), the fifth goes to y (0.07): 0.27
    List<Resources> five = new java.util.ArrayList<>(four);
    five.add(Resources.of(1, 1000));
    assertThat(lb.rate(five)).isCloseTo(0.27, within(1e-6));
  }

  @Test
  void theBoundFollowsTheRunningSetOverTime() {
    // x: $0.04/core, quota 1 core; y: $0.06/core. Job 1 runs [0, 1 h), job 2 [0.5 h, 1.5 h):
    // [0, 0.5) 0.04 x 0.5 = 0.02; [0.5, 1) (0.04 + 0.06) x 0.5 = 0.05; [1, 1.5) 0.04 x 0.5 = 0.02: 0.09
    CostLowerBound lb =
        new CostLowerBound(
            List.of(
                new CostLowerBound.Cloud(List.of(flavor("x1", 1, 2000, 0.04)), 1, -1),
                new CostLowerBound.Cloud(List.of(flavor("y1", 1, 2000, 0.06)), -1, -1)));
    CostLowerBound.Bounds b = lb.bounds(List.of(run(1, 1000, 0, H), run(1, 1000, H / 2, 3 * H / 2)));
    assertThat(b.shapeAndQuotaAware()).isCloseTo(0.09, within(1e-6));
    assertThat(b.shapeAware()).isCloseTo(0.08, within(1e-9));
    assertThat(b.cheapestCore()).isCloseTo(0.08, within(1e-9));
  }

  @Test
  void aRunningSetNoQuotaCanHoldIsPricedWithoutQuotasAndCounted() {
    // one cloud, 1 core of quota, two 1-core jobs for 1 h: infeasible; priced 2 x 0.04 and counted
    CostLowerBound lb =
        new CostLowerBound(List.of(new CostLowerBound.Cloud(List.of(flavor("x1", 1, 2000, 0.04)), 1, -1)));
    CostLowerBound.Bounds b = lb.bounds(List.of(run(1, 1000, 0, H), run(1, 1000, 0, H)));
    assertThat(b.shapeAndQuotaAware()).isCloseTo(0.08, within(1e-9));
    assertThat(b.infeasibleHours()).isCloseTo(1.0, within(1e-9));
  }
}
