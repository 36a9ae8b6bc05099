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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.csv2.api.CycleReport;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Allocation;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An engine restarted over VMs that already run boots nothing more for the same demand: neither
 * on the same store (its records are read back) nor on a store that lost them (the instances are
 * adopted, and counted as capacity in the very cycle that adopts them).
 */
class RestartCapacityTest {
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final int JOBS = 6;

  private final VirtualClock clock = new VirtualClock();
  private final SimulatedWorld world = new SimulatedWorld(clock, 3);
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Csv2Scheduler> engines = new ArrayList<>();

  @AfterEach
  void shutdown() {
    engines.forEach(Csv2Scheduler::close);
    executor.shutdownNow();
  }

  @Test
  void aRestartOnTheSameStoreBootsNothingMore() {
    InMemoryStateStore store = new InMemoryStateStore(clock);
    int live = runUntilEveryJobRuns(build(store, 1));
    engines.get(0).crash();
    Csv2Scheduler b = build(store, 2);
    assertNoExtraBoot(b, live);
  }

  @Test
  void aRestartOnAStoreThatLostTheRecordsAdoptsAndBootsNothingMore() {
    int live = runUntilEveryJobRuns(build(new InMemoryStateStore(clock), 1));
    engines.get(0).crash();
    Csv2Scheduler b = build(new InMemoryStateStore(clock), 2);
    CycleReport first = b.runOnce();
    assertThat(first.plan().adoptions()).as("adopted on the first cycle").hasSize(live);
    assertThat(first.plan().boots()).as("boots in the cycle that adopts %d running instances", live).isEmpty();
    assertNoExtraBoot(b, live);
  }

  @Test
  void aRestartWhileVmsBootAdoptsThemAndBootsNothingMore() {
    // the engine dies in the cycle after its boots: the instances start, no job runs yet, and
    // the new engine's store has no record of them (a store restored from the night's backup)
    for (int k = 0; k < JOBS; k++) {
      world.pool().submit(ATLAS, "user", Resources.of(1, 1000, 5), Duration.ofHours(10), 0);
    }
    Csv2Scheduler a = build(new InMemoryStateStore(clock), 1);
    assertThat(a.runOnce().plan().boots()).isNotEmpty();
    a.crash();
    int live = liveInstances().size();
    assertThat(world.pool().jobs()).allMatch(j -> j.state() == JobState.IDLE);
    clock.advance(CYCLE);
    Csv2Scheduler b = build(new InMemoryStateStore(clock), 2);
    CycleReport first = b.runOnce();
    assertThat(first.plan().adoptions()).as("adopted on the first cycle").hasSize(live);
    assertThat(first.plan().boots()).as("boots in the cycle that adopts %d starting instances", live).isEmpty();
    assertNoExtraBoot(b, live);
  }

  /** Submits long jobs and runs the engine until every one runs; returns the live instances. */
  private int runUntilEveryJobRuns(Csv2Scheduler a) {
    for (int k = 0; k < JOBS; k++) {
      world.pool().submit(ATLAS, "user", Resources.of(1, 1000, 5), Duration.ofHours(10), 0);
    }
    for (int cycle = 0; cycle < 100; cycle++) {
      a.runOnce();
      clock.advance(CYCLE);
      if (world.pool().jobs().stream().allMatch(j -> j.state() == JobState.RUNNING)) {
        break;
      }
    }
    assertThat(world.pool().jobs()).as("every job runs").allMatch(j -> j.state() == JobState.RUNNING);
    int live = liveInstances().size();
    assertThat(live).isPositive();
    return live;
  }

  private void assertNoExtraBoot(Csv2Scheduler b, int live) {
    // the crashed engine's lease must expire first; then ten more cycles of the same demand
    for (int cycle = 0; cycle < (int) (TTL.dividedBy(CYCLE) * 2 + 10); cycle++) {
      CycleReport r = b.runOnce();
      assertThat(r.plan().boots()).as("boots at %s", clock.instant()).isEmpty();
      clock.advance(CYCLE);
    }
    assertThat(liveInstances()).as("live instances after the restart").hasSize(live);
  }

  private List<Instance> liveInstances() {
    List<Instance> out = new ArrayList<>();
    for (SimulatedCloud c : world.clouds()) {
      for (Instance i : c.instances()) {
        if (i.state() != InstanceState.TERMINATED) {
          out.add(i);
        }
      }
    }
    return out;
  }

  private Csv2Scheduler build(StateStore shared, long seed) {
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
    Csv2Scheduler s =
        (Csv2Scheduler)
            Csv2Scheduler.builder()
                .config(config())
                .clock(clock)
                .executor(executor)
                .random(new Random(seed))
                .addCloudDriverProvider(world.cloudProvider())
                .addJobSourceProvider(world.jobSourceProvider())
                .addStateStoreProvider(provider)
                .build();
    engines.add(s);
    return s;
  }

  private static Csv2Config config() {
    Map<String, Object> cfg = Map.of("quota", Map.of("cores", 32), "boot-delay", Map.of("min", "20s", "max", "40s"), "seed", 7);
    List<CloudConfig> clouds =
        List.of(new CloudConfig(new Cloud(CloudName.of("c1"), "simulated", true), new PluginSelection("simulated", cfg, "clouds[0].config")));
    EngineSettings d = EngineSettings.defaults("sim");
    EngineSettings settings =
        new EngineSettings("sim", "default", d.flavorPolicy(), d.timers(), d.throttles(), Duration.ofSeconds(20), 3, Duration.ofSeconds(60), TTL);
    return new Csv2Config(
        settings,
        List.of(new Group(ATLAS, Group.DEFAULT_JOB, new VmDefaults("centos7", null, null, null, null, null), List.of(), List.of(), 1.0, Map.of())),
        clouds,
        List.of(Allocation.of("atlas", "c1", 0)),
        List.of(),
        new PluginSelection("simulated", Map.of("register-delay", "20s"), "job-source.config"),
        new PluginSelection("shared-memory", Map.of(), "state-store.config"));
  }
}
