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
package org.csv2.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.csv2.model.GroupName;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
  @Test
  void theQuickstartWorkloadIsDeterministicAndShapedAsDocumented() {
    List<WorkloadJob> jobs = Workloads.quickstart();
    assertThat(jobs).hasSize(400).isEqualTo(Workloads.quickstart());
    assertThat(jobs).isSortedAccordingTo(java.util.Comparator.comparing(WorkloadJob::submit));
    assertThat(jobs).allSatisfy(j -> {
      assertThat(j.submit()).isBetween(Duration.ZERO, Duration.ofHours(2));
      assertThat(j.runTime()).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(60));
      assertThat(j.request().ramMiB()).isEqualTo(2000L * j.request().cores());
    });
    Set<Integer> cores = jobs.stream().map(j -> j.request().cores()).collect(Collectors.toSet());
    assertThat(cores).containsExactlyInAnyOrder(1, 2, 4, 8);
    Set<GroupName> groups = jobs.stream().map(WorkloadJob::group).collect(Collectors.toSet());
    assertThat(groups).containsExactlyInAnyOrder(GroupName.of("atlas"), GroupName.of("belle2"));
    long single = jobs.stream().filter(j -> j.request().cores() == 1).count();
    assertThat(single).as("weights 8/4/2/1 make about 213 single-core jobs").isBetween(170L, 260L);
  }

  @Test
  void anotherSeedGivesAnotherWorkload() {
    var other = new SimulatedJobSourceConfig.Synthetic(400, 2L, null, null, null, null, null, null, null);
    assertThat(Workloads.synthetic(other)).isNotEqualTo(Workloads.quickstart());
  }

  @Test
  void syntheticValidation() {
    assertThatThrownBy(() -> new SimulatedJobSourceConfig.Synthetic(null, null, null, List.of(1, 2), List.of(1), null, null, null, null))
        .hasMessageContaining("weights");
    assertThatThrownBy(() -> new SimulatedJobSourceConfig.Synthetic(null, null, List.of("Bad Name"), null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTraceMapsToJobsWithGroupsTimeScaleAndOffset() {
    String lcg = TraceReplayTest.traces().resolve("LCG-2005-1.swf.gz").toString();
    var spec =
        new SimulatedJobSourceConfig.Trace(
            lcg, 100, null, List.of("atlas", "belle2"), 0.5, Duration.ofSeconds(10), null);
    List<WorkloadJob> jobs = Workloads.trace(spec);
    assertThat(jobs).hasSize(100);
    List<TraceJob> raw = TraceReplay.read(Path.of(lcg), 200);
    List<TraceJob> kept = raw.stream().filter(t -> t.submit().getSeconds() >= 10).limit(100).toList();
    for (int i = 0; i < 100; i++) {
      TraceJob t = kept.get(i);
      WorkloadJob j = jobs.get(i);
      assertThat(j.submit()).isEqualTo(Duration.ofMillis(Math.round((t.submit().toMillis() - 10_000) * 0.5)));
      assertThat(j.runTime()).isEqualTo(t.runTime());
      assertThat(j.request().cores()).isEqualTo(1);
      assertThat(j.request().ramMiB()).isEqualTo(2000);
      assertThat(j.owner()).isEqualTo("user" + t.userId());
      assertThat(j.group().value()).isEqualTo(t.userId() % 2 == 0 ? "atlas" : "belle2");
    }
  }

  @Test
  void traceValidation() {
    assertThatThrownBy(() -> new SimulatedJobSourceConfig.Trace("x.swf", null, "a", List.of("b"), null, null, null))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> new SimulatedJobSourceConfig.Trace("x.swf", null, null, null, 0.0, null, null))
        .hasMessageContaining("time-scale");
    assertThat(new SimulatedJobSourceConfig.Trace("x.swf", null, null, null, null, null, null).groups())
        .containsExactly("trace");
  }
}
