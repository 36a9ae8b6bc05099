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
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.csv2.api.BreakerState;
import org.csv2.api.ops.GroupStatus;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.VmState;
import org.junit.jupiter.api.Test;

/**
 * The status series' key written by hand reads exactly as the sorted map's text it replaced; the
 * figures a status write compares to skip its samples decide exactly when a sample's value changes.
 */
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

  private static GroupStatus status(Instant at, int idle, int running, int vms, long cores, int latencyMs) {
    return new GroupStatus(
        GroupName.of("atlas"), at, "e1", 1,
        List.of(new GroupStatus.JobCounts(null, idle, running, 0, 0)),
        List.of(new GroupStatus.CloudFigures(CloudName.of("c1"), true, Map.of(VmState.RUNNING, vms),
            new GroupStatus.Usage(100, -1, cores, 0), new GroupStatus.Usage(-1, -1, 16000, -1), List.of(), true,
            latencyMs < 0 ? null : Duration.ofMillis(latencyMs), BreakerState.CLOSED, 20, "")),
        List.of(), List.of(), List.of(), List.of());
  }

  /** The samples' values but the latencies', by series. */
  private static Map<String, Double> values(GroupStatus s) {
    Map<String, Double> out = new TreeMap<>();
    StatusStep.samples(List.of(s)).forEach((k, v) -> {
      if (!v.metric().equals("status.latency.ms")) {
        out.put(k, v.value());
      }
    });
    return out;
  }

  @Test
  void equalSampledFiguresIffEqualSampleValuesAndSeries() {
    qt().forAll(
            lists().of(integers().between(0, 2)).ofSize(5),
            lists().of(integers().between(0, 2)).ofSize(5))
        .checkAssert((a, b) -> {
          GroupStatus x = status(Instant.EPOCH, a.get(0), a.get(1), a.get(2), a.get(3), a.get(4) - 1);
          GroupStatus y = status(Instant.EPOCH.plusSeconds(60), b.get(0), b.get(1), b.get(2), b.get(3), b.get(4) * 7 - 1);
          boolean sameSampled = StatusStep.sampled(List.of(x)).equals(StatusStep.sampled(List.of(y)));
          boolean sameSamples =
              values(x).equals(values(y))
                  && StatusStep.samples(List.of(x)).keySet().equals(StatusStep.samples(List.of(y)).keySet());
          assertThat(sameSampled).isEqualTo(sameSamples);
        });
  }

  @Test
  void everySampleIsKeyedByItsNameAndLabelsAsKeyWritesThem() {
    GroupStatus s = new GroupStatus(
        GroupName.of("atlas"), Instant.EPOCH, "e1", 1,
        List.of(new GroupStatus.JobCounts(null, 3, 2, 0, 1), new GroupStatus.JobCounts(org.csv2.model.AliasName.of("prod"), 1, 1, 0, 0)),
        List.of(new GroupStatus.CloudFigures(CloudName.of("c1"), true, Map.of(VmState.RUNNING, 2, VmState.IDLE, 1),
            new GroupStatus.Usage(100, 40, 12, 3), new GroupStatus.Usage(-1, -1, 16000, -1),
            List.of(new GroupStatus.FlavorSlots(org.csv2.model.FlavorName.of("m8"), 3, 5)), true,
            Duration.ofMillis(12), BreakerState.CLOSED, 20, "")),
        List.of(), List.of(), List.of(), List.of());
    Map<String, org.csv2.model.Sample> samples = StatusStep.samples(List.of(s));
    assertThat(samples).hasSizeGreaterThan(20);
    samples.forEach((k, v) -> assertThat(k).isEqualTo(StatusStep.key(v.metric(), v.labels())));
    assertThat(samples).containsKey("status.vms{cloud=c1, group=atlas, state=idle}")
        .containsKey("status.jobs.idle{alias=prod, group=atlas}");
  }
}
