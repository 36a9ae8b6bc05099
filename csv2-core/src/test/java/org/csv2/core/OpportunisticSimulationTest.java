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
package org.csv2.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.csv2.api.Scheduler;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmState;
import org.csv2.spi.OpportunisticMetadata;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The whole engine in virtual time on one simulated cloud shared by a preferred group (cms) and an
 * opportunistic one (lhcb), while the cloud's administrators change their metadata: a cap, a lower
 * cap, then a reclaim with a deadline (docs/opportunistic.md).
 */
class OpportunisticSimulationTest {
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final CloudName FARM = CloudName.of("farm");
  private static final GroupName CMS = GroupName.of("cms");
  private static final GroupName LHCB = GroupName.of("lhcb");
  private static final Resources JOB = Resources.of(8, 30000, 100);
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  private final VirtualClock clock = new VirtualClock();
  private final SimulatedWorld world = new SimulatedWorld(clock, 7);
  private final StateStore store = new InMemoryStateStore(clock);

  /** lhcb's VMs that hold capacity and are not leaving (not RETIRING, TERMINATING or TERMINATED). */
  private long lhcbCoresStaying() {
    return store.vms().stream()
        .filter(v -> v.group().equals(LHCB))
        .filter(v -> v.state().holdsCapacity() && v.state() != VmState.RETIRING && v.state() != VmState.TERMINATING)
        .mapToLong(v -> v.resources().cores())
        .sum();
  }

  private long lhcbInstancesLive(SimulatedCloud farm) {
    return farm.instances().stream()
        .filter(i -> i.state() != InstanceState.TERMINATED)
        .filter(i -> LHCB.value().equals(i.tags().get(org.csv2.spi.Csv2Tags.GROUP)))
        .count();
  }

  @Test
  void administratorsCapThenLowerThenReclaimAndThePreferredGroupGetsTheFarmBack() {
    try (Scheduler s = build()) {
      SimulatedCloud farm = world.cloud(FARM).orElseThrow();
      farm.setAdministratorMetadata(Map.of(OpportunisticMetadata.CORES, "96", OpportunisticMetadata.GROUPS, "lhcb"));
      for (int i = 0; i < 30; i++) {
        world.pool().submit(LHCB, "u", JOB, Duration.ofHours(6), 0);
      }
      // phase 1: the cap holds at every cycle
      long most = 0;
      for (int c = 0; c < 40; c++) {
        s.runOnce();
        most = Math.max(most, lhcbCoresStaying());
        assertThat(lhcbCoresStaying()).as("cycle %s", c).isLessThanOrEqualTo(96);
        clock.advance(CYCLE);
      }
      assertThat(most).as("lhcb fills what the administrators allow").isEqualTo(96);
      // the figures (samples) show what the administrators allow and what is held
      Instant from = Instant.EPOCH;
      assertThat(store.samples("opportunistic.allowed-cores", from, clock.instant()))
          .isNotEmpty().allSatisfy(x -> assertThat(x.value()).isEqualTo(96.0));
      List<org.csv2.model.Sample> held = store.samples("opportunistic.cores", from, clock.instant());
      assertThat(held.get(held.size() - 1).value()).isEqualTo(96.0);
      assertThat(held.get(held.size() - 1).labels()).containsEntry("cloud", "farm");

      // phase 2: a lower cap; the cycle after the change brings lhcb within it, peacefully
      farm.setAdministratorMetadata(Map.of(OpportunisticMetadata.CORES, "48", OpportunisticMetadata.GROUPS, "lhcb"));
      s.runOnce();
      assertThat(lhcbCoresStaying()).isLessThanOrEqualTo(48);
      long retiring = store.vms().stream().filter(v -> v.group().equals(LHCB) && v.state() == VmState.RETIRING).count();
      assertThat(retiring).as("drained, not killed: their jobs still run").isEqualTo(6);
      long bootedBefore = farm.counters().instancesBooted();
      for (int c = 0; c < 20; c++) {
        clock.advance(CYCLE);
        s.runOnce();
        assertThat(lhcbCoresStaying()).isLessThanOrEqualTo(48);
      }
      assertThat(farm.counters().instancesBooted()).as("no boot while over the lowered cap").isEqualTo(bootedBefore);

      // phase 3: reclaim by a deadline; the preferred group waits for the farm
      Instant deadline = clock.instant().plus(Duration.ofMinutes(10));
      farm.setAdministratorMetadata(Map.of(OpportunisticMetadata.RECLAIM, "true", OpportunisticMetadata.RECLAIM_DEADLINE, deadline.toString()));
      for (int i = 0; i < 12; i++) {
        world.pool().submit(CMS, "u", JOB, Duration.ofHours(1), 0);
      }
      Instant lastLhcb = null;
      Instant allCmsRunning = null;
      for (int c = 0; c < 120 && allCmsRunning == null; c++) {
        clock.advance(CYCLE);
        s.runOnce();
        if (lhcbInstancesLive(farm) > 0) {
          lastLhcb = clock.instant();
        }
        List<Job> cms = world.pool().jobs().stream().filter(j -> j.group().equals(CMS)).toList();
        if (cms.stream().allMatch(j -> j.state() == JobState.RUNNING)) {
          allCmsRunning = clock.instant();
        }
      }
      assertThat(lastLhcb).as("the last opportunistic VM is gone before the deadline").isBefore(deadline);
      assertThat(allCmsRunning).as("every preferred job runs").isNotNull();
      assertThat(store.vms().stream().filter(v -> v.group().equals(LHCB)).map(Vm::state).distinct())
          .containsOnly(VmState.TERMINATED);
    }
  }

  @Test
  void withoutMetadataTheConfigurationAloneApplies() {
    try (Scheduler s = build()) {
      for (int i = 0; i < 20; i++) {
        world.pool().submit(LHCB, "u", JOB, Duration.ofHours(6), 0);
      }
      for (int c = 0; c < 30; c++) {
        s.runOnce();
        clock.advance(CYCLE);
      }
      assertThat(lhcbCoresStaying()).as("the quota (160 cores) is the only limit").isEqualTo(160);
    }
  }

  private Scheduler build() {
    StateStore shared = store;
    StateStoreProvider provider =
        new StateStoreProvider() {
          @Override
          public String name() {
            return "shared-memory";
          }

          @Override
          public StateStore create(PluginConfig config, PluginContext context) {
            return shared;
          }
        };
    return Csv2Scheduler.builder()
        .config(config())
        .clock(clock)
        .executor(EXECUTOR)
        .random(new Random(7))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(provider)
        .build();
  }

  private Csv2Config config() {
    Map<String, Object> cfg =
        Map.of("quota", Map.of("cores", 160), "boot-delay", Map.of("min", "20s", "max", "40s"), "seed", 3);
    List<CloudConfig> clouds =
        List.of(new CloudConfig(new Cloud(FARM, "simulated", true), new PluginSelection("simulated", cfg, "clouds[0].config")));
    List<Allocation> allocations = new ArrayList<>();
    allocations.add(Allocation.of("cms", "farm", 0));
    allocations.add(
        new Allocation(LHCB, FARM, 0, Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED, AllocationMode.OPPORTUNISTIC,
            Set.of(), VmDefaults.NONE, List.of(), true));
    EngineSettings d = EngineSettings.defaults("sim");
    EngineSettings settings =
        new EngineSettings("sim", "default", d.flavorPolicy(), d.timers(), d.throttles(), Duration.ofSeconds(20), 3,
            Duration.ofSeconds(60), Duration.ofSeconds(60));
    return new Csv2Config(
        settings,
        List.of(CMS, LHCB).stream()
            .map(g -> new Group(g, Group.DEFAULT_JOB, new VmDefaults("centos7", null, null, null, null, null), List.of(), List.of(), 1.0, Map.of()))
            .toList(),
        clouds,
        allocations,
        List.of(),
        new PluginSelection("simulated", Map.of("register-delay", "20s"), "job-source.config"),
        new PluginSelection("shared-memory", Map.of(), "state-store.config"));
  }
}
