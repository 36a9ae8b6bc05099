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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.model.Allocation;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Resources;
import org.junit.jupiter.api.Test;

/** The lazy candidate list reads exactly as the fully sorted list, and builds only what is read. */
class LazyCandidatesTest {
  @Test
  void readsAsTheFullySortedListAndBuildsTiersOnlyWhenRead() {
    for (FlavorPolicy policy : FlavorPolicy.values()) {
      Random rng = new Random(7);
      Comparator<Candidate> order = Candidates.order(policy);
      Resources job = Resources.of(1 + rng.nextInt(4), 1000 + rng.nextInt(4000));
      List<Candidate> all = new ArrayList<>();
      List<LazyCandidates.Source> sources = new ArrayList<>();
      int[] built = new int[1];
      for (int c = 0; c < 12; c++) {
        Allocation a = Allocation.of("atlas", "cloud-" + c, c % 3);
        List<Candidate> here = new ArrayList<>();
        for (int f = 0; f < 15; f++) {
          int cores = 1 << rng.nextInt(5);
          Flavor fl =
              new Flavor(
                  FlavorName.of("f" + f), Resources.of(cores * 4, cores * 8000L), 0.01 * cores * (1 + rng.nextInt(5)), true, Map.of());
          if (job.fitsIn(fl.resources())) {
            here.add(Candidate.of(a, fl, "img", job, true));
          }
        }
        all.addAll(here);
        sources.add(new LazyCandidates.Source(a, here.size(), () -> {
          built[0]++;
          return here;
        }));
      }
      all.sort(order);
      LazyCandidates lazy = new LazyCandidates(order, sources);
      assertThat(lazy.size()).isEqualTo(all.size());
      assertThat(lazy.tiers()).isEqualTo(3);
      assertThat(built[0]).isZero();
      assertThat(lazy.get(0)).isEqualTo(all.get(0));
      assertThat(lazy.tiersBuilt()).as("reading the first candidate builds the first tier only").isEqualTo(1);
      assertThat(built[0]).isEqualTo(4);
      assertThat(new ArrayList<>(lazy)).as(policy.name()).isEqualTo(all);
      assertThat(lazy.tiersBuilt()).isEqualTo(3);
      // read in a random order: every index reads as the full sort's (tiers merged as far as read)
      LazyCandidates shuffled = new LazyCandidates(order, sources);
      List<Integer> indices = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) indices.add(i);
      java.util.Collections.shuffle(indices, rng);
      for (int i : indices) {
        assertThat(shuffled.get(i)).as("%s, index %d", policy, i).isEqualTo(all.get(i));
      }
      Allocation a5 = sources.get(5).allocation;
      assertThat(lazy.candidatesOn(a5)).isEqualTo(all.stream().filter(x -> x.allocation() == a5).toList());
    }
  }
}
