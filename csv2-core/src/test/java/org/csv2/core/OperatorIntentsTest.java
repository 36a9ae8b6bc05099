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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.csv2.api.CloudException;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentStatus;
import org.csv2.api.ops.Operations;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each operator verb end to end: stored through {@link Operations} on the store, carried out by the
 * engine (scheduler, reconciler, default planner) against the simulated clouds and pool, in virtual
 * time.
 */
class OperatorIntentsTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final CloudName C1 = CloudName.of("c1");
  static final CloudName C2 = CloudName.of("c2");
  static final Actor ALICE = Actor.of("alice", "admin");
  static final Duration CYCLE = Duration.ofSeconds(30);
  static final String YAML =
      """
      engine:
        instance-id: ops1
      timers:
        cycle: 30s
        keep-alive: 10m
      groups:
        - name: atlas
          vm-defaults: { image: centos7 }
        - name: belle
          vm-defaults: { image: centos7 }
      clouds:
        - name: c1
          driver: simulated
          config:
            quota: { cores: 16 }
            boot-delay: { min: 10s, max: 10s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 4000, disk-gib: 10 }
        - name: c2
          driver: simulated
          config:
            quota: { cores: 16 }
            boot-delay: { min: 10s, max: 10s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 4000, disk-gib: 10 }
      allocations:
        - { group: atlas, cloud: c1, priority: 0 }
        - { group: atlas, cloud: c2, priority: 1 }
        - { group: belle, cloud: c2, priority: 0 }
      job-source:
        driver: simulated
        config: { register-delay: 10s }
      state-store:
        driver: shared-memory
      """;

  final VirtualClock clock = new VirtualClock();
  final SimulatedWorld world = new SimulatedWorld(clock, 7);
  final StateStore store = new InMemoryStateStore(clock);
  final Operations ops = Csv2Operations.over(store, clock);
  final List<CycleReport> reports = new ArrayList<>();
  Scheduler engine;

  @BeforeEach
  void start() {
    engine = build(world, store, clock, YAML);
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  static Scheduler build(SimulatedWorld world, StateStore store, VirtualClock clock, String yaml) {
    StateStoreProvider shared =
        new StateStoreProvider() {
          @Override
          public String name() {
            return "shared-memory";
          }

          @Override
          public StateStore create(PluginConfig config, PluginContext context) {
            return store;
          }
        };
    return Csv2Scheduler.builder()
        .configYaml(yaml)
        .clock(clock)
        .executor(new CallingThreadExecutor())
        .random(new Random(11))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(shared)
        .build();
  }

  CycleReport cycle() {
    CycleReport r = engine.runOnce();
    reports.add(r);
    clock.advance(CYCLE);
    return r;
  }

  void submit(GroupName group, int jobs, Duration runTime) {
    for (int i = 0; i < jobs; i++) {
      world.pool().submit(group, "u1", Resources.of(1, 2000, 5), runTime, 0);
    }
  }

  List<Vm> live(GroupName group, CloudName cloud) {
    return store.vms().stream()
        .filter(v -> v.group().equals(group) && v.cloud().equals(cloud) && v.state() != VmState.TERMINATED)
        .toList();
  }

  Vm vm(VmId id) {
    return store.vm(id).orElseThrow();
  }

  /** Runs cycles until n VMs of atlas on c1 run a job. */
  List<Vm> runningOnC1(int n) {
    submit(ATLAS, n, Duration.ofHours(2));
    for (int i = 0; i < 20; i++) {
      cycle();
      List<Vm> running = live(ATLAS, C1).stream().filter(v -> v.state() == VmState.RUNNING).toList();
      if (running.size() >= n) {
        return running;
      }
    }
    throw new AssertionError("no " + n + " RUNNING VMs on c1: " + store.vms());
  }

  boolean instanceLive(SimulatedCloud cloud, Vm vm) {
    return cloud.instances().stream()
        .filter(i -> i.name().equals(vm.id()))
        .anyMatch(i -> i.state() != InstanceState.TERMINATED && i.state() != InstanceState.TERMINATING);
  }

  Intent intent(long id) {
    return store.intent(id).orElseThrow();
  }

  @Test
  void aKilledRunningVmIsDrainedFirstAndAForcedKillTerminatesAtOnce() {
    List<Vm> running = runningOnC1(2);
    SimulatedCloud c1 = world.cloud(C1).orElseThrow();
    Intent drain = ops.kill(ALICE, running.get(0).id(), false);
    Intent force = ops.kill(ALICE, running.get(1).id(), true);
    cycle();
    assertThat(intent(drain.id()).status()).isEqualTo(IntentStatus.DONE);
    assertThat(intent(drain.id()).message()).contains("drained first");
    assertThat(vm(running.get(0).id()).state()).isEqualTo(VmState.RETIRING);
    assertThat(instanceLive(c1, running.get(0))).as("drained, not terminated, while its job runs").isTrue();
    assertThat(intent(force.id()).status()).isEqualTo(IntentStatus.DONE);
    assertThat(vm(running.get(1).id()).state()).isEqualTo(VmState.TERMINATING);
    assertThat(instanceLive(c1, running.get(1))).isFalse();
  }

  @Test
  void aRetiredVmDrainsAndAnIntentOnAGoneVmIsReportedVanished() {
    List<Vm> running = runningOnC1(1);
    Intent retire = ops.retire(ALICE, running.get(0).id());
    cycle();
    assertThat(intent(retire.id()).status()).isEqualTo(IntentStatus.DONE);
    assertThat(vm(running.get(0).id()).state()).isEqualTo(VmState.RETIRING);

    Intent kill = ops.kill(ALICE, running.get(0).id(), true);
    cycle();
    for (int i = 0; i < 5; i++) {
      cycle();
    }
    assertThat(vm(running.get(0).id()).state()).isEqualTo(VmState.TERMINATED);
    assertThat(intent(kill.id()).status()).isEqualTo(IntentStatus.DONE);
    // an intent stored while the VM was live, carried out after it ended
    Intent late =
        store.submit(
                new org.csv2.spi.OperatorWrite(
                    null, 0, "alice",
                    List.of(Intent.forVm(org.csv2.api.ops.IntentKind.RETIRE, ATLAS, C1, running.get(0).id(), java.util.Map.of(), ALICE, clock.instant())),
                    List.of()))
            .intents()
            .get(0);
    cycle();
    assertThat(intent(late.id()).status()).isEqualTo(IntentStatus.VANISHED);
    assertThat(intent(late.id()).message()).contains("gone");
  }

  @Test
  void aManualVmSurvivesEveryRetirementRuleAndIsHandedBack() {
    List<Vm> running = runningOnC1(2);
    VmId manual = running.get(0).id();
    Intent on = ops.manual(ALICE, manual, true);
    cycle();
    assertThat(intent(on.id()).status()).isEqualTo(IntentStatus.DONE);
    assertThat(vm(manual).manual()).isTrue();
    assertThat(vm(manual).state()).isEqualTo(VmState.MANUAL);
    int from = reports.size();
    // retain 0 on its cloud; the jobs end; every idle and keep-alive rule has its time
    Intent retain = ops.retain(ALICE, ATLAS, C1, 0);
    for (int i = 0; i < 400; i++) {
      cycle();
    }
    assertThat(intent(retain.id()).status()).isEqualTo(IntentStatus.DONE);
    assertThat(vm(running.get(1).id()).state()).as("the other VM was retired").isIn(VmState.TERMINATED, VmState.TERMINATING);
    assertThat(vm(manual).state()).isEqualTo(VmState.MANUAL);
    assertThat(instanceLive(world.cloud(C1).orElseThrow(), vm(manual))).isTrue();
    for (CycleReport r : reports.subList(from, reports.size())) {
      for (PlanAction a : r.plan().actions()) {
        assertThat(a instanceof Retire re ? re.vm() : a instanceof Terminate t ? t.vm() : null)
            .as("cycle %s acted on the manual VM: %s", r.cycle(), a)
            .isNotEqualTo(manual);
      }
    }
    Intent back = ops.sysctl(ALICE, manual);
    cycle();
    assertThat(intent(back.id()).status()).isEqualTo(IntentStatus.DONE);
    assertThat(vm(manual).manual()).isFalse();
    assertThat(vm(manual).state()).isNotEqualTo(VmState.MANUAL);
  }

  @Test
  void retainLeavesExactlyN() {
    runningOnC1(5);
    assertThat(live(ATLAS, C1)).hasSizeGreaterThanOrEqualTo(5);
    Intent retain = ops.retain(ALICE, ATLAS, C1, 2);
    cycle();
    assertThat(intent(retain.id()).status()).isEqualTo(IntentStatus.DONE);
    assertThat(intent(retain.id()).message()).startsWith("kept 2 VM(s)");
    List<Vm> staying =
        live(ATLAS, C1).stream().filter(v -> v.state() != VmState.RETIRING && v.state() != VmState.TERMINATING).toList();
    assertThat(staying).hasSize(2).allMatch(v -> v.state() == VmState.RUNNING);
  }

  @Test
  void aPausedCloudBootsNothingAndKeepsItsVms() {
    List<Vm> running = runningOnC1(2);
    long version = ops.clouds(ALICE).get(0).version();
    ops.pauseCloud(ALICE, C1, version);
    submit(ATLAS, 6, Duration.ofHours(2));
    for (int i = 0; i < 10; i++) {
      cycle();
    }
    Set<VmId> onC1 = live(ATLAS, C1).stream().map(Vm::id).collect(Collectors.toSet());
    assertThat(onC1).as("no new VM on the paused cloud").containsExactlyInAnyOrderElementsOf(running.stream().map(Vm::id).toList());
    assertThat(live(ATLAS, C1)).allMatch(v -> v.state() == VmState.RUNNING);
    assertThat(live(ATLAS, C2)).as("the jobs went to the other cloud").isNotEmpty();
    ops.enableCloud(ALICE, C1, Operations.ANY_VERSION);
    submit(ATLAS, 4, Duration.ofHours(2));
    for (int i = 0; i < 4; i++) {
      cycle();
    }
    assertThat(live(ATLAS, C1).size()).as("booting again once enabled").isGreaterThan(2);
  }

  @Test
  void aRefusedDeleteFailsTheKillWithTheCloudsReason() {
    List<Vm> running = runningOnC1(1);
    world.cloud(C1).orElseThrow().failNext("terminate", CloudException.Reason.INVALID_REQUEST);
    Intent kill = ops.kill(ALICE, running.get(0).id(), true);
    cycle();
    Intent after = intent(kill.id());
    assertThat(after.status()).isEqualTo(IntentStatus.FAILED);
    assertThat(after.message()).contains("terminate " + running.get(0).id()).contains("failed");
    assertThat(instanceLive(world.cloud(C1).orElseThrow(), running.get(0))).isTrue();
  }

  @Test
  void aStaleConfigurationWriteIsRefusedAndTheEngineKeepsRunning() {
    cycle();
    long read = ops.clouds(ALICE).get(0).version();
    ops.pauseCloud(ALICE, C2, read);
    assertThatThrownBy(() -> ops.pauseCloud(ALICE, C1, read))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("version " + read + " was read but version " + (read + 1));
    assertThat(cycle().failures()).isEmpty();
  }

  @Test
  void aRemovedGroupsVmsAreRetiredAndTrackedUntilGone() {
    submit(GroupName.of("belle"), 2, Duration.ofMinutes(60));
    for (int i = 0; i < 10 && live(GroupName.of("belle"), C2).size() < 2; i++) {
      cycle();
    }
    assertThat(live(GroupName.of("belle"), C2)).hasSize(2);
    String withoutBelle =
        YAML.replace("  - name: belle\n    vm-defaults: { image: centos7 }\n", "")
            .replace("  - { group: belle, cloud: c2, priority: 0 }\n", "");
    long version = store.config().orElseThrow().version();
    store.saveConfig(withoutBelle, version, "operator");
    assertThat(cycle().failures()).isEmpty();
    assertThat(live(GroupName.of("belle"), C2))
        .as("retired at once, drained while their jobs run")
        .hasSize(2)
        .allMatch(v -> v.state() == VmState.RETIRING);
    for (int i = 0; i < 150; i++) {
      assertThat(cycle().failures()).as("cycle %s", i).noneMatch(f -> f.contains("rejected") || f.contains("restart"));
    }
    assertThat(live(GroupName.of("belle"), C2)).as("retired and terminated, not orphaned").isEmpty();
    List<Instance> left =
        world.cloud(C2).orElseThrow().instances().stream()
            .filter(i -> i.name().value().startsWith("belle--"))
            .filter(i -> i.state() != InstanceState.TERMINATED)
            .toList();
    assertThat(left).isEmpty();
  }

  @Test
  void eachCycleWritesTheGroupsStatusWithWhyNotNotes() {
    runningOnC1(2);
    long version = ops.clouds(ALICE).get(0).version();
    ops.pauseCloud(ALICE, C1, version);
    ops.pauseCloud(ALICE, C2, Operations.ANY_VERSION);
    world.pool().submit(ATLAS, "u1", Resources.of(64, 2000, 5), Duration.ofHours(1), 0);
    submit(ATLAS, 3, Duration.ofHours(1));
    cycle();
    cycle(); // snapshots are written at most every minute
    org.csv2.api.ops.GroupStatus atlas =
        ops.status(ALICE, ATLAS).stream().filter(s -> s.group().equals(ATLAS)).findFirst().orElseThrow();
    assertThat(atlas.engine()).startsWith("ops1@");
    assertThat(atlas.configVersion()).isEqualTo(store.config().orElseThrow().version());
    assertThat(atlas.jobs().get(0).alias()).isNull();
    assertThat(atlas.jobs().get(0).running()).isEqualTo(2);
    assertThat(atlas.jobs().get(0).idle()).isEqualTo(4);
    org.csv2.api.ops.GroupStatus.CloudFigures c1 =
        atlas.clouds().stream().filter(c -> c.cloud().equals(C1)).findFirst().orElseThrow();
    assertThat(c1.enabled()).as("paused").isFalse();
    assertThat(c1.message()).contains("paused");
    assertThat(c1.vmsByState()).containsEntry(VmState.RUNNING, 2);
    assertThat(c1.cores().quota()).isEqualTo(16);
    assertThat(c1.cores().used()).isEqualTo(2);
    assertThat(c1.reachable()).isTrue();
    assertThat(c1.latency()).isNotNull();
    assertThat(c1.slots()).singleElement().satisfies(f -> assertThat(f.busy()).isEqualTo(2));
    assertThat(atlas.vms()).hasSize(2).allMatch(v -> v.jobs() == 1);
    assertThat(atlas.shapes()).extracting(org.csv2.api.ops.GroupStatus.ShapeNote::shape).containsExactly("1-core", "64-core");
    assertThat(atlas.shapes()).allSatisfy(n -> assertThat(n.whyNot()).as(n.shape()).isNotBlank());
    assertThat(atlas.shapes()).allSatisfy(n -> assertThat(n.whyNot()).contains("clouds [c1, c2] are disabled"));
    assertThat(atlas.idleJobs()).hasSize(4);
  }
}
