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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
import org.csv2.model.Adopt;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.JobState;
import org.csv2.model.Lease;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines with the same configuration (same instance id) on one store and one simulated
 * world, in virtual time: they never plan the same group in the same cycle period, never write
 * each other's VM records, and when one dies the other takes its groups over within two lease
 * periods and finishes the work with no orphan instance.
 */
class SharedStoreEnginesTest {
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final GroupName BELLE = GroupName.of("belle");
  private static final Map<CloudName, Integer> QUOTA = Map.of(CloudName.of("c1"), 24, CloudName.of("c2"), 16);
  private static final int CRASH_AT = 40;
  private static final int MAX_CYCLES = 1000;

  private final VirtualClock clock = new VirtualClock();
  private final SimulatedWorld world = new SimulatedWorld(clock, 11);
  private final InMemoryStateStore store = new InMemoryStateStore(clock);
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Csv2Scheduler> engines = new ArrayList<>();

  @AfterEach
  void shutdown() {
    engines.forEach(Csv2Scheduler::close);
    executor.shutdownNow();
  }

  @Test
  void twoEnginesShareTheGroupsAndTheSurvivorTakesOverAndConverges() {
    // A third process holds belle for 30 s: the first engine to run gets atlas only, and the
    // second one gets belle once that lease expires.
    assertThat(store.tryLease(BELLE, "sim@ghost", clock.instant(), Duration.ofSeconds(30))).isPresent();
    Csv2Scheduler a = build(1);
    Csv2Scheduler b = build(2);
    assertThat(a.leaseOwner()).startsWith("sim@").isNotEqualTo(b.leaseOwner());
    Random random = new Random(5);
    int submitted = 0;
    Integer takenOverAt = null;
    boolean splitSeen = false;
    boolean aHadLiveVmsAtCrash = false;
    int cycle;
    for (cycle = 1; cycle <= MAX_CYCLES; cycle++) {
      if (cycle <= 30) {
        for (GroupName g : List.of(ATLAS, BELLE)) {
          int n = random.nextInt(3);
          for (int k = 0; k < n; k++) {
            world.pool().submit(g, "user", Resources.of(1, 1000, 5), Duration.ofMinutes(10 + random.nextInt(20)), 0);
            submitted++;
          }
        }
      }
      if (cycle == CRASH_AT) {
        aHadLiveVmsAtCrash = store.vms().stream().anyMatch(v -> v.group().equals(ATLAS) && v.state() != VmState.TERMINATED);
        a.crash();
      }
      boolean aAlive = cycle < CRASH_AT;
      CycleReport ra = null;
      CycleReport rb;
      if (cycle == 1) {
        ra = a.runOnce();
        rb = b.runOnce();
      } else {
        rb = b.runOnce();
        if (aAlive) {
          ra = a.runOnce();
        }
      }
      String at = "cycle " + cycle + " at " + clock.instant();
      assertNoLostCommit(ra, at);
      assertNoLostCommit(rb, at);
      if (ra != null) {
        Set<GroupName> both = groupsActedOn(ra);
        both.retainAll(groupsActedOn(rb));
        assertThat(both).as("%s: both engines acted on these groups", at).isEmpty();
      }
      for (SimulatedCloud c : world.clouds()) {
        assertThat(c.capacity().used().cores()).as("%s: cores on %s", at, c.name()).isLessThanOrEqualTo(QUOTA.get(c.name()));
      }
      Map<GroupName, String> owners = liveOwners();
      if (aAlive && a.leaseOwner().equals(owners.get(ATLAS)) && b.leaseOwner().equals(owners.get(BELLE))) {
        splitSeen = true;
      }
      if (!aAlive && takenOverAt == null && b.leaseOwner().equals(owners.get(ATLAS))) {
        takenOverAt = cycle;
      }
      if (!aAlive && converged()) {
        break;
      }
      clock.advance(CYCLE);
    }
    assertThat(splitSeen).as("each engine served one group while both ran").isTrue();
    assertThat(aHadLiveVmsAtCrash).as("the crashed engine left VMs behind").isTrue();
    assertThat(takenOverAt).as("the survivor took atlas over").isNotNull();
    assertThat(CYCLE.multipliedBy(takenOverAt - CRASH_AT)).as("take-over delay").isLessThanOrEqualTo(TTL.multipliedBy(2));
    assertThat(submitted).isPositive();
    assertThat(world.pool().jobs()).as("every job ran").noneMatch(j -> j.state() == JobState.IDLE || j.state() == JobState.RUNNING);
    assertThat(liveInstances()).as("no orphan instance after cycle %s", cycle).isEmpty();
    assertThat(store.vms()).allMatch(v -> v.state() == VmState.TERMINATED);
  }

  private static void assertNoLostCommit(CycleReport r, String at) {
    if (r != null) {
      assertThat(r.failures()).as("%s: failures", at).noneMatch(m -> m.contains("state store"));
    }
  }

  private Set<GroupName> groupsActedOn(CycleReport r) {
    Set<GroupName> out = new HashSet<>();
    for (PlanAction action : r.plan().actions()) {
      if (action instanceof Boot boot) {
        out.add(boot.group());
      } else if (action instanceof Adopt adopt) {
        out.add(adopt.group());
      } else if (action instanceof Retire retire) {
        store.vm(retire.vm()).map(Vm::group).ifPresent(out::add);
      } else if (action instanceof Terminate terminate) {
        store.vm(terminate.vm()).map(Vm::group).ifPresent(out::add);
      }
    }
    return out;
  }

  private Map<GroupName, String> liveOwners() {
    Instant now = clock.instant();
    Map<GroupName, String> out = new java.util.HashMap<>();
    for (Lease l : store.leases()) {
      if (l.expires().isAfter(now)) {
        out.put(l.group(), l.owner());
      }
    }
    return out;
  }

  private boolean converged() {
    return world.pool().jobs().isEmpty()
        && liveInstances().isEmpty()
        && store.vms().stream().allMatch(v -> v.state() == VmState.TERMINATED);
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

  private Csv2Scheduler build(long seed) {
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
    List<CloudConfig> clouds = new ArrayList<>();
    List<Allocation> allocations = new ArrayList<>();
    int p = 0;
    for (String name : List.of("c1", "c2")) {
      Map<String, Object> cfg =
          Map.of(
              "quota", Map.of("cores", QUOTA.get(CloudName.of(name))),
              "boot-delay", Map.of("min", "20s", "max", "40s"),
              "seed", 100 + p);
      clouds.add(
          new CloudConfig(
              new Cloud(CloudName.of(name), "simulated", true),
              new PluginSelection("simulated", cfg, "clouds[" + p + "].config")));
      for (GroupName g : List.of(ATLAS, BELLE)) {
        allocations.add(Allocation.of(g.value(), name, p));
      }
      p++;
    }
    EngineSettings d = EngineSettings.defaults("sim");
    EngineSettings settings =
        new EngineSettings(
            "sim", "default", d.flavorPolicy(), d.timers(), d.throttles(), Duration.ofSeconds(20), 3, Duration.ofSeconds(60), TTL);
    return new Csv2Config(
        settings,
        List.of(ATLAS, BELLE).stream()
            .map(g -> new Group(g, Group.DEFAULT_JOB, new VmDefaults("centos7", null, null, null, null, null), List.of(), List.of(), 1.0, Map.of()))
            .toList(),
        clouds,
        allocations,
        List.of(),
        new PluginSelection("simulated", Map.of("register-delay", "20s"), "job-source.config"),
        new PluginSelection("shared-memory", Map.of(), "state-store.config"));
  }
}
