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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.csv2.api.CloudException;
import org.csv2.api.JobSourceException;
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
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole engine (scheduler, reconciler, default planner, in-memory store) against a seeded
 * simulated world with injected faults, in virtual time. Invariants are objects checked after every
 * cycle; a failure names the seed and the cycle, and the run is deterministic per seed.
 */
@Tag("simulation")
class EngineSimulationTest {
  private static final int SEEDS = 20;
  private static final int DEMAND_CYCLES = 60;
  private static final int MAX_CYCLES = 1500;
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final List<GroupName> GROUPS = List.of(GroupName.of("atlas"), GroupName.of("belle"));
  private static final Map<CloudName, Integer> QUOTA_CORES = Map.of(CloudName.of("c1"), 24, CloudName.of("c2"), 16);
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  @Test
  void theEngineKeepsItsInvariantsUnderFaults() {
    long lostReplies = 0;
    long bootFaults = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Run run = new Run(seed);
      try {
        run.run();
      } catch (AssertionError e) {
        throw new AssertionError("simulation seed " + seed + " failed: " + e.getMessage(), e);
      }
      for (SimulatedCloud c : run.world.clouds()) {
        SimulatedCloud.Counters n = c.counters();
        assertThat(n.instancesTerminated()).as("seed %s: %s terminated what it booted", seed, c.name()).isEqualTo(n.instancesBooted());
        lostReplies += n.lostReplies() + n.timeouts();
        bootFaults += n.bootErrors() + n.capacityErrors() + n.errorsAfterBoot();
      }
      assertThat(run.world.clouds().stream().mapToLong(c -> c.counters().instancesBooted()).sum())
          .as("seed %s booted VMs", seed)
          .isPositive();
    }
    assertThat(lostReplies).as("lost replies and timeouts injected over all seeds").isPositive();
    assertThat(bootFaults).as("boot faults injected over all seeds").isPositive();
  }

  /** One invariant, checked after every cycle. */
  interface Invariant {
    void check(Run run);
  }

  /** The cores csv2's instances use on a cloud never exceed its quota. */
  static final class QuotaNeverExceeded implements Invariant {
    @Override
    public void check(Run run) {
      for (SimulatedCloud c : run.world.clouds()) {
        int used = c.capacity().used().cores();
        assertThat(used).as("%s: cores used on %s (quota %s)", run.at(), c.name(), QUOTA_CORES.get(c.name()))
            .isLessThanOrEqualTo(QUOTA_CORES.get(c.name()));
      }
    }
  }

  /** No two live records name the same instance. */
  static final class NoDuplicateVmRecords implements Invariant {
    @Override
    public void check(Run run) {
      Set<InstanceId> seen = new HashSet<>();
      for (Vm vm : run.store.vms()) {
        if (vm.state() != VmState.TERMINATED && vm.instanceId() != null) {
          assertThat(seen.add(vm.instanceId())).as("%s: instance %s recorded twice", run.at(), vm.instanceId()).isTrue();
        }
      }
    }
  }

  /** Every live instance is recorded by a live VM record within two cycles of appearing. */
  static final class EveryInstanceIsRecorded implements Invariant {
    private final Map<InstanceId, Integer> firstSeen = new HashMap<>();

    @Override
    public void check(Run run) {
      Set<InstanceId> recorded = new HashSet<>();
      for (Vm vm : run.store.vms()) {
        if (vm.state() != VmState.TERMINATED && vm.instanceId() != null) {
          recorded.add(vm.instanceId());
        }
      }
      for (Instance i : run.liveInstances()) {
        int first = firstSeen.computeIfAbsent(i.id(), k -> run.cycle);
        if (run.cycle - first >= 2) {
          assertThat(recorded).as("%s: instance %s (%s) appeared at cycle %s", run.at(), i.id(), i.name(), first).contains(i.id());
        }
      }
    }
  }

  /** One seeded run. */
  static final class Run {
    final long seed;
    final Random random;
    final VirtualClock clock = new VirtualClock();
    final SimulatedWorld world;
    final StateStore store;
    final List<Invariant> invariants =
        List.of(new QuotaNeverExceeded(), new NoDuplicateVmRecords(), new EveryInstanceIsRecorded());
    final int restartAt;
    int cycle;
    int submitted;
    Scheduler scheduler;

    Run(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      this.world = new SimulatedWorld(clock, seed);
      this.store = new InMemoryStateStore(clock);
      this.restartAt = 20 + random.nextInt(100);
    }

    String at() {
      return "seed " + seed + " cycle " + cycle;
    }

    void run() {
      scheduler = build();
      try {
        for (cycle = 1; cycle <= MAX_CYCLES; cycle++) {
          if (cycle <= DEMAND_CYCLES) {
            submitSome();
          }
          injectFaults();
          if (cycle == restartAt) {
            scheduler.close();
            scheduler = build();
          }
          scheduler.runOnce();
          for (Invariant i : invariants) {
            i.check(this);
          }
          if (cycle > DEMAND_CYCLES && converged()) {
            break;
          }
          clock.advance(CYCLE);
        }
        // EveryJobRunsWhenCapacityExists
        assertThat(world.pool().jobs())
            .as("%s: jobs still waiting or running at the end (%s submitted)", at(), submitted)
            .noneMatch(j -> j.state() == JobState.IDLE || j.state() == JobState.RUNNING);
        // NoOrphanAfterConvergence
        assertThat(liveInstances()).as("%s: instances left after convergence", at()).isEmpty();
        assertThat(store.vms())
            .as("%s: VM records not TERMINATED after convergence", at())
            .allMatch(v -> v.state() == VmState.TERMINATED);
      } finally {
        scheduler.close();
      }
    }

    boolean converged() {
      return world.pool().jobs().isEmpty()
          && liveInstances().isEmpty()
          && store.vms().stream().allMatch(v -> v.state() == VmState.TERMINATED);
    }

    List<Instance> liveInstances() {
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

    private void submitSome() {
      int n = random.nextInt(4);
      for (int k = 0; k < n; k++) {
        GroupName g = GROUPS.get(random.nextInt(GROUPS.size()));
        int cores = 1 + random.nextInt(2);
        world.pool().submit(g, "user" + random.nextInt(3), Resources.of(cores, 1000L * cores, 5), Duration.ofMinutes(2 + random.nextInt(15)), 0);
        submitted++;
      }
    }

    private void injectFaults() {
      if (random.nextInt(40) == 0) {
        CloudName c = random.nextBoolean() ? CloudName.of("c1") : CloudName.of("c2");
        world.cloud(c).ifPresent(sc -> sc.failNext("instances", CloudException.Reason.UNAVAILABLE));
      }
      if (random.nextInt(50) == 0) {
        world.pool().failNext("snapshot", JobSourceException.Reason.UNAVAILABLE);
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
          .random(new Random(seed * 31 + cycle))
          .addCloudDriverProvider(world.cloudProvider())
          .addJobSourceProvider(world.jobSourceProvider())
          .addStateStoreProvider(provider)
          .build();
    }

    private Csv2Config config() {
      List<CloudConfig> clouds = new ArrayList<>();
      List<Allocation> allocations = new ArrayList<>();
      int p = 0;
      for (String name : List.of("c1", "c2")) {
        Map<String, Object> cfg =
            Map.of(
                "quota", Map.of("cores", QUOTA_CORES.get(CloudName.of(name))),
                "boot-delay", Map.of("min", "20s", "max", "60s"),
                "seed", seed * 7 + p,
                "failures",
                    Map.of(
                        "boot-error-rate", 0.05,
                        "lost-reply-rate", 0.05,
                        "timeout-rate", 0.03,
                        "error-rate-after-boot", 0.02,
                        "capacity-error-rate", 0.05));
        clouds.add(new CloudConfig(new Cloud(CloudName.of(name), "simulated", true), new PluginSelection("simulated", cfg, "clouds[" + p + "].config")));
        for (GroupName g : GROUPS) {
          allocations.add(Allocation.of(g.value(), name, p));
        }
        p++;
      }
      EngineSettings d = EngineSettings.defaults("sim");
      EngineSettings settings =
          new EngineSettings("sim", "default", d.flavorPolicy(), d.timers(), d.throttles(), Duration.ofSeconds(20), 3, Duration.ofSeconds(60), Duration.ofSeconds(60));
      return new Csv2Config(
          settings,
          GROUPS.stream()
              .map(g -> new Group(g, Group.DEFAULT_JOB, new VmDefaults("centos7", null, null, null, null, null), List.of(), List.of(), 1.0, Map.of()))
              .toList(),
          clouds,
          allocations,
          List.of(),
          new PluginSelection("simulated", Map.of("register-delay", "20s"), "job-source.config"),
          new PluginSelection("shared-memory", Map.of(), "state-store.config"));
    }
  }
}
