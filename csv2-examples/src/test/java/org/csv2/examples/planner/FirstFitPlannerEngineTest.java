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
package org.csv2.examples.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.csv2.api.CycleReport;
import org.csv2.api.PluginException;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.model.Boot;
import org.csv2.model.GroupName;
import org.csv2.model.Plan;
import org.csv2.model.Resources;
import org.junit.jupiter.api.Test;

/** The engine finds the third-party planner by {@code engine.policy: first-fit} and runs its plans. */
class FirstFitPlannerEngineTest {
  private static final String YAML =
      """
      engine: { instance-id: ff1, policy: %s }
      groups:
        - name: atlas
          vm-defaults: { image: alma9 }
      clouds:
        - name: sim1
          driver: simulated
          config:
            boot-delay: { min: 60s, max: 60s }
            quota: { cores: 8, instances: 8 }
            flavors:
              - { name: c2, cores: 2, ram-mib: 4000 }
      allocations:
        - { group: atlas, cloud: sim1, priority: 0 }
      job-source:
        driver: simulated
      state-store:
        driver: memory
      """;

  @Test
  void theEngineRunsAThirdPartyPlannerNamedInTheConfiguration() {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 7);
    try (Scheduler engine =
        Csv2Scheduler.builder()
            .configYaml(YAML.formatted(FirstFitPlannerProvider.NAME))
            .clock(clock)
            .addCloudDriverProvider(world.cloudProvider())
            .addJobSourceProvider(world.jobSourceProvider())
            .build()) {
      for (int i = 0; i < 6; i++) {
        world.pool().submit(GroupName.of("atlas"), "alice", Resources.of(1, 1000), Duration.ofHours(1), 0);
      }
      Plan dryRun = engine.plan();
      assertThat(dryRun.boots()).as("the dry run of the first-fit policy").isNotEmpty();
      assertThat(dryRun.boots()).allMatch(b -> b.reason().startsWith("first-fit: "));
      assertThat(dryRun.boots().stream().mapToInt(Boot::count).sum())
          .as("one VM per idle job, within the quota of 8 cores (4 VMs of 2 cores)")
          .isEqualTo(4);
      CycleReport report = engine.runOnce();
      assertThat(report.failures()).isEmpty();
      clock.advance(Duration.ofSeconds(30));
      assertThat(engine.plan().boots()).as("the booted VMs cover the demand they can; the quota is full").isEmpty();
      assertThat(world.statistics().vmsBooted()).isEqualTo(4);
    }
  }

  @Test
  void anUnknownPolicyFailsTheBuildListingThePoliciesAvailable() {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 7);
    assertThatThrownBy(() -> Csv2Scheduler.builder()
            .configYaml(YAML.formatted("best-fit"))
            .clock(clock)
            .addCloudDriverProvider(world.cloudProvider())
            .addJobSourceProvider(world.jobSourceProvider())
            .build())
        .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.reason()).isEqualTo(PluginException.Reason.NOT_FOUND))
        .hasMessageContaining("no planner named 'best-fit'")
        .hasMessageContaining("csv2-classic, default, first-fit");
  }
}
