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

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.Snapshot;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scenario generators make what PERFORMANCE.md B1 says. */
class ScenariosTest {
  private static Path data = Path.of(".");
  private static Snapshot mixed;

  @BeforeAll
  static void build() {
    data = SharedData.locate();
    mixed = Scenarios.build(Scenarios.MIXED_20K, data, "default");
  }

  @Test
  void mixed20kHasTheSizesOfTheSpecification() {
    assertThat(mixed.jobs()).hasSize(20_000).allMatch(j -> j.state() == JobState.IDLE);
    assertThat(mixed.groups()).hasSize(5);
    assertThat(mixed.aliases()).hasSize(3);
    assertThat(mixed.clouds()).hasSize(10);
    assertThat(mixed.clouds().stream().mapToInt(c -> c.flavors().size()).sum()).isEqualTo(400);
    assertThat(mixed.clouds()).allMatch(c -> c.flavors().stream().allMatch(f -> f.pricePerHour() > 0));
    assertThat(mixed.vms()).hasSize(2_000);
    assertThat(mixed.now()).isEqualTo(Scenarios.NOW);
  }

  @Test
  void mixed20kJobsAreMostlyOneAndEightCoresWithHalfToFourGibPerCore() {
    Map<Integer, Long> byCores =
        mixed.jobs().stream().collect(Collectors.groupingBy(j -> j.request().cores(), Collectors.counting()));
    assertThat(byCores.keySet()).allMatch(c -> c >= 1 && c <= 16);
    assertThat(byCores.keySet()).hasSizeGreaterThan(10);
    long oneOrEight = byCores.getOrDefault(1, 0L) + byCores.getOrDefault(8, 0L);
    assertThat(oneOrEight).isGreaterThan(14_000);
    assertThat(byCores.get(1)).isGreaterThan(byCores.get(8));
    for (Job j : mixed.jobs()) {
      long perCore = j.request().ramMiB() / j.request().cores();
      assertThat(perCore).isBetween(512L, 4096L);
    }
    Set<Object> groups = mixed.jobs().stream().map(Job::group).collect(Collectors.toSet());
    assertThat(groups).hasSize(5);
    assertThat(mixed.jobs().stream().filter(j -> j.targetAlias() != null).map(Job::targetAlias).distinct()).hasSize(3);
  }

  @Test
  void existingVmsAreInEveryStateWithTheirInstancesAndWorkers() {
    assertThat(states(mixed)).isEqualTo(EnumSet.allOf(VmState.class));
    Map<String, Vm> byInstance =
        mixed.vms().stream().filter(v -> v.instanceId() != null)
            .collect(Collectors.toMap(v -> v.instanceId().value(), Function.identity()));
    long listed = mixed.clouds().stream().mapToLong(c -> c.instances().size()).sum();
    assertThat(listed).isGreaterThan(1_500);
    for (CloudView c : mixed.clouds()) {
      c.instances().stream()
          .filter(i -> byInstance.containsKey(i.id().value()))
          .forEach(i -> assertThat(byInstance.get(i.id().value()).cloud()).isEqualTo(c.cloud().name()));
    }
    assertThat(mixed.workers()).isNotEmpty()
        .allMatch(w -> mixed.vms().stream().anyMatch(v -> v.id().equals(w.vm())
            && (v.state() == VmState.IDLE || v.state() == VmState.RUNNING || v.state() == VmState.RETIRING)));
  }

  @Test
  void generatorsAreSeeded() {
    Snapshot again = Scenarios.build(Scenarios.MIXED_20K, data, "default");
    assertThat(again).isEqualTo(mixed);
  }

  @Test
  void htc100kIsTheLcgLogAsSingleCoreJobsOnAHundredClouds() {
    Snapshot htc = Scenarios.build(Scenarios.HTC_100K, data, "default");
    assertThat(htc.jobs()).hasSize(100_000).allMatch(j -> j.request().cores() == 1 && j.state() == JobState.IDLE);
    assertThat(htc.clouds()).hasSize(100).allMatch(c -> c.flavors().size() == 40);
    assertThat(htc.clouds().stream().map(c -> c.cloud().name()).distinct()).hasSize(100);
    assertThat(htc.vms()).hasSize(10_000);
    assertThat(states(htc)).isEqualTo(EnumSet.allOf(VmState.class));
    // the log's first job: number 1, user 1, group 1, submitted first so queued longest
    Job first = htc.jobs().get(0);
    assertThat(first.id().value()).isEqualTo("lcg.1");
    assertThat(first.owner()).isEqualTo("lcg-user1");
    assertThat(first.group().value()).isEqualTo("lcg-g1");
    assertThat(htc.jobs()).allMatch(j -> !j.queuedSince().isBefore(first.queuedSince()));
    assertThat(new HashSet<>(htc.jobs().stream().map(Job::owner).toList())).hasSizeGreaterThan(100);
  }

  @Test
  void sweepPointsAreNamedBySize() {
    Scenarios.Spec s = Scenarios.byName("sweep-j1000-c3-v100");
    assertThat(s).isEqualTo(Scenarios.sweep(1000, 3, 100));
    Snapshot snap = Scenarios.build(s, data, "default");
    assertThat(snap.jobs()).hasSize(1000);
    assertThat(snap.clouds()).hasSize(3);
    assertThat(snap.vms()).hasSize(100);
    assertThat(Scenarios.byName("mixed-20k")).isEqualTo(Scenarios.MIXED_20K);
    assertThatThrownBy(() -> Scenarios.byName("nope")).hasMessageContaining("mixed-20k");
  }

  @Test
  void cloudsCycleThroughTheRegionsWithDistinctNames() {
    var clouds = Scenarios.clouds(data, 200, 40, 42);
    assertThat(clouds).hasSize(200);
    assertThat(clouds.stream().map(Scenarios.CloudCatalog::name).distinct()).hasSize(200);
    assertThat(clouds).allMatch(c -> c.flavors().size() == 40);
  }

  @Test
  void classicSettingsCarryProductionThrottles() {
    assertThat(Scenarios.settings("csv2-classic").throttles())
        .isEqualTo(org.csv2.core.config.Throttles.CLASSIC);
    assertThat(Scenarios.settings("default").policy()).isEqualTo("default");
  }

  private static Set<VmState> states(Snapshot s) {
    return s.vms().stream().map(Vm::state).collect(Collectors.toCollection(() -> EnumSet.noneOf(VmState.class)));
  }
}
