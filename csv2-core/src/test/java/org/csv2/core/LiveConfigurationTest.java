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
import java.util.List;
import java.util.Map;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.CloudSpec;
import org.csv2.api.ops.Controls;
import org.csv2.api.ops.Operations;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceState;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.csv2.spi.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Configuration changed through {@link Operations} while the engine runs, applied at its next
 * cycle without a restart: a cloud added and removed, a group's core and RAM controls.
 */
class LiveConfigurationTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final CloudName C1 = CloudName.of("c1");
  static final CloudName C2 = CloudName.of("c2");
  static final Actor ALICE = Actor.of("alice", "admin");
  static final Duration CYCLE = Duration.ofSeconds(30);
  static final String YAML =
      """
      engine:
        instance-id: live1
      timers:
        cycle: 30s
        keep-alive: 10m
      groups:
        - name: atlas
          vm-defaults: { image: centos7 }
      clouds:
        - name: c1
          driver: simulated
          config:
            quota: { cores: 2 }
            boot-delay: { min: 10s, max: 10s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 4000, disk-gib: 10 }
      allocations:
        - { group: atlas, cloud: c1, priority: 0 }
      job-source:
        driver: simulated
        config: { register-delay: 10s }
      state-store:
        driver: shared-memory
      """;

  final VirtualClock clock = new VirtualClock();
  final SimulatedWorld world = new SimulatedWorld(clock, 13);
  final StateStore store = new InMemoryStateStore(clock);
  Scheduler engine;
  Operations ops;

  @BeforeEach
  void start() {
    engine = OperatorIntentsTest.build(world, store, clock, YAML);
    ops = engine.operations();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  CycleReport cycle() {
    CycleReport r = engine.runOnce();
    clock.advance(CYCLE);
    return r;
  }

  void submit(int jobs) {
    for (int i = 0; i < jobs; i++) {
      world.pool().submit(ATLAS, "u1", Resources.of(1, 2000, 5), Duration.ofMinutes(30), 0);
    }
  }

  List<Vm> live(CloudName cloud) {
    return store.vms().stream().filter(v -> v.cloud().equals(cloud) && v.state() != VmState.TERMINATED).toList();
  }

  long liveInstances(CloudName cloud) {
    return world.cloud(cloud).map(c -> c.instances().stream().filter(i -> i.state() != InstanceState.TERMINATED).count()).orElse(0L);
  }

  @Test
  void aCloudAddedThroughOperationsGetsVmsAtTheNextCycleAndARemovedOneIsEmptied() {
    submit(5);
    for (int i = 0; i < 6; i++) {
      cycle();
    }
    assertThat(live(C1)).as("c1's quota of 2 cores is full").hasSize(2);
    assertThat(world.cloud(C2)).isEmpty();

    long v = ops.configuration(ALICE).version();
    ops.addCloud(
        ALICE,
        new CloudSpec(
            C2,
            "simulated",
            true,
            Map.of(
                "quota", Map.of("cores", 16),
                "boot-delay", Map.of("min", "10s", "max", "10s"),
                "flavors", List.of(Map.of("name", "s1", "cores", 1, "ram-mib", 4000, "disk-gib", 10)))),
        v);
    ops.putAllocation(ALICE, Allocation.of("atlas", "c2", 1), Operations.ANY_VERSION);
    CycleReport applied = cycle();
    assertThat(applied.failures()).as("applied without a restart").noneMatch(f -> f.contains("restart") || f.contains("rejected"));
    for (int i = 0; i < 4; i++) {
      assertThat(cycle().failures()).noneMatch(f -> f.contains("rejected"));
    }
    assertThat(world.cloud(C2)).as("the engine started c2's driver").isPresent();
    assertThat(live(C2)).as("the three jobs c1 had no room for got VMs on c2").hasSize(3);
    assertThat(engine.status().clouds()).extracting(s -> s.cloud()).contains(C2);

    ops.deleteCloud(ALICE, C2, true, Operations.ANY_VERSION);
    for (int i = 0; i < 200 && !live(C2).isEmpty(); i++) {
      cycle();
    }
    assertThat(live(C2)).as("c2's VMs retired and tracked until gone").isEmpty();
    assertThat(liveInstances(C2)).as("no instance left behind on the removed cloud").isZero();
    assertThat(live(C1)).as("c1's VMs untouched").hasSize(2);
  }

  @Test
  void aCloudWhoseDriverCannotStartIsRefusedAndTheRunningConfigurationStays() {
    cycle();
    ops.addCloud(ALICE, new CloudSpec(C2, "simulated", true, Map.of("no-such-setting", 1)), Operations.ANY_VERSION);
    CycleReport r = cycle();
    assertThat(r.failures()).anyMatch(f -> f.contains("rejected: cloud c2 (driver simulated) could not be started"));
    assertThat(engine.status().clouds()).extracting(s -> s.cloud()).containsExactly(C1);
  }

  @Test
  void coreAndRamControlsSetThroughOperationsBindAtTheNextCycle() {
    cycle();
    long v = ops.configuration(ALICE).version();
    // c1 gets room for 20 cores, but the group's core control allows 1
    String bigger = ops.configuration(ALICE).value().replace("cores: 2", "cores: 20");
    store.saveConfig(bigger, v, "test");
    ops.setControls(ALICE, ATLAS, C1, new Controls(1, null, null), Operations.ANY_VERSION);
    submit(6);
    for (int i = 0; i < 8; i++) {
      cycle();
      assertThat(live(C1).stream().mapToInt(vm -> vm.resources().cores()).sum()).as("cores under cores-ctl 1").isLessThanOrEqualTo(1);
    }
    assertThat(live(C1)).hasSize(1);

    ops.setControls(ALICE, ATLAS, C1, new Controls(10, null, 12_000L), Operations.ANY_VERSION);
    for (int i = 0; i < 8; i++) {
      cycle();
      assertThat(live(C1).stream().mapToLong(vm -> vm.resources().ramMiB()).sum()).as("RAM under ram-ctl 12000 MiB").isLessThanOrEqualTo(12_000);
    }
    assertThat(live(C1)).as("three 4000-MiB VMs fit the RAM control").hasSize(3);

    ops.setControls(ALICE, ATLAS, C1, new Controls(4, null, -1L), Operations.ANY_VERSION);
    for (int i = 0; i < 8; i++) {
      cycle();
    }
    assertThat(live(C1)).as("the core control of 4 binds once the RAM control is lifted").hasSize(4);
  }
}
