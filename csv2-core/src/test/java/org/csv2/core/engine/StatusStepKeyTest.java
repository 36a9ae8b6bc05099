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
package org.csv2.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The status series' key written by hand reads exactly as the sorted map's text it replaced. */
class StatusStepKeyTest {
  @Test
  void keyIsTheNameAndTheSortedLabelsAsATreeMapPrintsThem() {
    qt().forAll(
            strings().basicLatinAlphabet().ofLengthBetween(1, 12),
            lists().of(strings().basicLatinAlphabet().ofLengthBetween(0, 6)).ofSizeBetween(0, 8))
        .checkAssert((name, words) -> {
          Map<String, String> labels = new HashMap<>();
          for (int i = 0; i + 1 < words.size(); i += 2) {
            labels.put(words.get(i), words.get(i + 1));
          }
          assertThat(StatusStep.key(name, labels)).isEqualTo(name + new TreeMap<>(labels));
        });
  }

  @Test
  void keyOfTheLabelsTheStatusSeriesUse() {
    assertThat(StatusStep.key("status.vms", Map.of("group", "atlas", "cloud", "arbutus", "state", "idle")))
        .isEqualTo("status.vms{cloud=arbutus, group=atlas, state=idle}");
    assertThat(StatusStep.key("status.jobs.idle", Map.of())).isEqualTo("status.jobs.idle{}");
    assertThat(StatusStep.key("x", Map.of("b", "2", "a", "1"))).isEqualTo(List.of("x{a=1, b=2}").get(0));
  }
}
