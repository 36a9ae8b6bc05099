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
package org.csv2.core.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.junit.jupiter.api.Test;

/** The supply's packing order kept by moving only the units a packing changed. */
class SupplyTest {
  /**
   * After some units' free room shrinks, {@link Supply#reorder} gives the order a full sort
   * gives: whether few or many units changed, anywhere in the list, and also when some grow
   * (which packing never does, but the stretch it rewrites must not assume it).
   */
  @Test
  void reorderingTheChangedUnitsGivesTheFullSortsOrder() {
    qt().withExamples(500)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              int n = 1 + r.nextInt(r.nextBoolean() ? 20 : 300);
              List<Supply.Unit> units = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                units.add(unit(r, i));
              }
              units.sort(Supply::compare);
              List<Supply.Unit> changed = new ArrayList<>();
              int first = -1;
              int last = -1;
              double p = r.nextBoolean() ? 0.02 : 0.3;
              boolean grow = r.nextInt(5) == 0;
              for (int i = 0; i < n; i++) {
                if (r.nextDouble() >= p) continue;
                Supply.Unit u = units.get(i);
                int cores = grow && r.nextBoolean() ? u.free.cores() + 1 + r.nextInt(4) : r.nextInt(u.free.cores() + 1);
                u.free = new Resources(cores, r.nextInt(4) * 1024L, 0, 0, 0);
                changed.add(u);
                if (first < 0) first = i;
                last = i;
              }
              if (changed.isEmpty()) return;
              List<Supply.Unit> expected = new ArrayList<>(units);
              expected.sort(Supply::compare);
              Supply.reorder(units, changed, first, last);
              assertThat(units).as("seed %d, %d units, %d changed", seed, n, changed.size()).containsExactlyElementsOf(expected);
              assertThat(units).allMatch(u -> !u.moved);
            });
  }

  private static Supply.Unit unit(Random r, int i) {
    GroupName g = GroupName.of("g");
    CloudName c = CloudName.of("c" + r.nextInt(3));
    Vm vm =
        Vm.builder(VmId.of(g, c, "e", String.format("v%04d", i)), g, c, FlavorName.of("f" + r.nextInt(3)),
                Instant.EPOCH.plusSeconds(r.nextInt(3)))
            .image("img")
            .alias(r.nextInt(4) == 0 ? AliasName.of("a") : null)
            .pricePerHour(r.nextInt(3) * 0.1)
            .build();
    Supply.Unit u =
        new Supply.Unit(vm, r.nextBoolean(), new Resources(r.nextInt(9), r.nextInt(4) * 1024L, 0, 0, 0), null, null);
    u.wantedBy = r.nextInt(3);
    return u;
  }
}
