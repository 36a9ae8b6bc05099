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
package org.csv2.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csv2.api.CycleReport;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.model.Boot;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.junit.jupiter.api.Test;

/** A frontend embeds the engine, hands its jobs over in code and reads csv2's figures in its own registry. */
class FrontendServiceTest {
  private static final String YAML =
      """
      engine: { instance-id: fe1 }
      groups:
        - name: atlas
          vm-defaults: { image: alma9 }
      clouds:
        - name: sim1
          driver: simulated
          config:
            quota: { cores: 64, instances: 32 }
            flavors:
              - { name: c4, cores: 4, ram-mib: 8000 }
      allocations:
        - { group: atlas, cloud: sim1, priority: 0 }
      job-source:
        driver: frontend
      state-store:
        driver: memory
      """;

  private static List<Job> idleJobs(int n) {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(Job.builder(JobId.of("frontend#" + i + ".0"), GroupName.of("atlas"))
          .request(Resources.of(1, 1000)).state(JobState.IDLE).build());
    }
    return jobs;
  }

  @Test
  void jobsHandedOverInCodeBootVmsAndTheFiguresReachTheFrontendsRegistry() {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 11);
    FrontendMetrics metrics = new FrontendMetrics();
    try (FrontendService frontend = new FrontendService(YAML, clock, metrics, List.of(world.cloudProvider()))) {
      frontend.handOver(idleJobs(8), List.of());
      CycleReport first = frontend.cycle();
      assertThat(first.failures()).isEmpty();
      assertThat(first.idleJobs()).isEqualTo(8);
      assertThat(first.plan().boots()).as("VMs for the jobs the frontend handed over").isNotEmpty();
      int booted = first.plan().boots().stream().mapToInt(Boot::count).sum();
      assertThat(world.cloud(org.csv2.model.CloudName.of("sim1")).orElseThrow().instances()).hasSize(booted);

      Map<String, String> engine = Map.of("instance", "fe1");
      assertThat(metrics.gauge("csv2.jobs.idle", engine)).isEqualTo(8.0);
      assertThat(metrics.counter("csv2.actions", Map.of("instance", "fe1", "kind", "boot"))).isEqualTo(first.plan().boots().size());
      assertThat(metrics.gauge("frontend.jobs.handed-over", Map.of("plugin", "frontend", "element", "job-source")))
          .as("the job source's own figure, labelled by the engine")
          .isEqualTo(8.0);

      frontend.handOver(List.of(), List.of());
      clock.advance(Duration.ofMinutes(1));
      CycleReport second = frontend.cycle();
      assertThat(second.plan().boots()).as("no demand, no boots").isEmpty();
      assertThat(metrics.gauge("csv2.jobs.idle", engine)).isEqualTo(0.0);
      assertThat(metrics.counter("csv2.cycles", engine)).isEqualTo(2);
      assertThat(metrics.gauge("csv2.vms", Map.of("instance", "fe1", "state", "BOOTING")) + metrics.gauge("csv2.vms", Map.of("instance", "fe1", "state", "REQUESTED")))
          .as("the booted VMs, counted by state")
          .isEqualTo(booted);
    }
  }
}
