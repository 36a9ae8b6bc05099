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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.csv2.api.CycleReport;
import org.csv2.api.JobSourceException;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.Operations;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.GroupName;
import org.csv2.model.JobSnapshot;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two groups, each reading its jobs from its own job source (issue 12 item 4): one source failing
 * holds back only its own group, whose VMs are neither retired nor forgotten meanwhile.
 */
class JobSourcesPerGroupTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final GroupName BELLE = GroupName.of("belle");
  static final Duration CYCLE = Duration.ofSeconds(30);
  static final String YAML =
      """
      engine:
        instance-id: js1
      timers:
        cycle: 30s
        keep-alive: 5m
      groups:
        - { name: atlas, job-source: cm-atlas, vm-defaults: { image: centos7 } }
        - { name: belle, job-source: cm-belle, vm-defaults: { image: centos7 } }
      clouds:
        - name: c1
          driver: simulated
          config:
            quota: { cores: 16 }
            boot-delay: { min: 10s, max: 10s }
            flavors:
              - { name: s1, cores: 1, ram-mib: 4000, disk-gib: 10 }
      allocations:
        - { group: atlas, cloud: c1 }
        - { group: belle, cloud: c1 }
      job-sources:
        - { name: cm-atlas, driver: simulated, config: { register-delay: 10s } }
        - { name: cm-belle, driver: switchable, config: { register-delay: 10s } }
      state-store:
        driver: shared-memory
      """;

  final VirtualClock clock = new VirtualClock();
  final SimulatedWorld world = new SimulatedWorld(clock, 5);
  final StateStore store = new InMemoryStateStore(clock);
  /** Whether belle's source answers. */
  final AtomicBoolean belleUp = new AtomicBoolean(true);
  /** When belle's source says its credential (an HTCondor token) expires; null: never. */
  volatile java.time.Instant belleToken;
  /** How many drain and forget calls reached belle's source. */
  int belleRetires;
  Scheduler engine;

  @BeforeEach
  void start() {
    JobSourceProvider simulated = world.jobSourceProvider();
    JobSourceProvider switchable =
        new JobSourceProvider() {
          @Override
          public String name() {
            return "switchable";
          }

          @Override
          public String apiVersion() {
            return Csv2Api.VERSION;
          }

          @Override
          public JobSource create(PluginConfig config, PluginContext context) {
            JobSource inner = simulated.create(config, context);
            return new JobSource() {
              @Override
              public JobSnapshot snapshot() {
                if (!belleUp.get()) {
                  throw new JobSourceException(JobSourceException.Reason.UNAVAILABLE, "cm-belle: collector unreachable");
                }
                return inner.snapshot();
              }

              @Override
              public java.util.Optional<java.time.Instant> credentialsExpireAt() {
                return java.util.Optional.ofNullable(belleToken);
              }

              @Override
              public void retire(Worker worker) {
                belleRetires++;
                inner.retire(worker);
              }

              @Override
              public void forget(VmId vm) {
                inner.forget(vm);
              }

              @Override
              public void close() {
                inner.close();
              }
            };
          }
        };
    StateStoreProvider shared =
        new StateStoreProvider() {
          @Override
          public String name() {
            return "shared-memory";
          }

          @Override
          public String apiVersion() {
            return Csv2Api.VERSION;
          }

          @Override
          public StateStore create(PluginConfig config, PluginContext context) {
            return store;
          }
        };
    engine =
        Csv2Scheduler.builder()
            .configYaml(YAML)
            .clock(clock)
            .executor(new CallingThreadExecutor())
            .random(new Random(3))
            .addCloudDriverProvider(world.cloudProvider())
            .addJobSourceProvider(simulated)
            .addJobSourceProvider(switchable)
            .addStateStoreProvider(shared)
            .build();
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

  void submit(GroupName group, int jobs, Duration runTime) {
    for (int i = 0; i < jobs; i++) {
      world.pool().submit(group, "u1", Resources.of(1, 2000, 5), runTime, 0);
    }
  }

  List<Vm> live(GroupName group) {
    return store.vms().stream().filter(v -> v.group().equals(group) && v.state() != VmState.TERMINATED).toList();
  }

  long running(GroupName group) {
    return live(group).stream().filter(v -> v.state() == VmState.RUNNING).count();
  }

  @Test
  void aFailingSourceHoldsBackOnlyItsOwnGroup() {
    submit(ATLAS, 2, Duration.ofMinutes(10));
    submit(BELLE, 2, Duration.ofMinutes(10));
    for (int i = 0; i < 20 && (running(ATLAS) < 2 || running(BELLE) < 2); i++) {
      cycle();
    }
    assertThat(running(ATLAS)).as("atlas VMs running jobs").isEqualTo(2);
    assertThat(running(BELLE)).as("belle VMs running jobs").isEqualTo(2);
    Set<VmId> belleVms = live(BELLE).stream().map(Vm::id).collect(Collectors.toSet());

    belleUp.set(false);
    int retiresBefore = belleRetires;
    submit(ATLAS, 1, Duration.ofHours(2)); // new demand of the healthy group, during the outage
    CycleReport first = cycle();
    assertThat(first.failures())
        .anyMatch(f -> f.startsWith("job source cm-belle: cm-belle: collector unreachable (groups [belle]"));
    // 40 minutes: every job of both groups has ended, and keep-alive (5m) has long passed
    boolean atlasRetired = false;
    for (int i = 0; i < 80; i++) {
      cycle();
      assertThat(live(BELLE))
          .as("belle's VMs while its source is down, cycle %s", i)
          .extracting(Vm::id)
          .containsExactlyInAnyOrderElementsOf(belleVms);
      assertThat(live(BELLE))
          .as("no belle VM is retired or terminated while its source is down")
          .allSatisfy(v -> assertThat(v.state()).isNotIn(VmState.RETIRING, VmState.TERMINATING, VmState.TERMINATED));
      atlasRetired |= store.vms().stream().anyMatch(v -> v.group().equals(ATLAS) && v.state() == VmState.TERMINATED);
    }
    assertThat(belleRetires).as("drains asked of belle's source while it was down").isEqualTo(retiresBefore);
    assertThat(atlasRetired).as("atlas's idle VMs were retired meanwhile: the other group went on").isTrue();
    assertThat(store.vms().stream().filter(v -> v.group().equals(ATLAS)).count())
        .as("atlas's new job got a VM during the outage")
        .isGreaterThan(2);
    assertThat(running(ATLAS)).isEqualTo(1);

    belleUp.set(true);
    for (int i = 0; i < 40 && !live(BELLE).isEmpty(); i++) {
      cycle();
    }
    assertThat(live(BELLE)).as("belle's idle VMs are retired once its source is back").isEmpty();
  }

  @Test
  void anOperatorMovesAGroupToAnotherSource() {
    Operations ops = engine.operations();
    Actor alice = Actor.of("alice", "admin");
    cycle(); // the running configuration is saved in the store
    long v = ops.configuration(alice).version();
    ops.setJobSource(alice, BELLE, "cm-atlas", v);
    belleUp.set(false); // belle no longer reads cm-belle: its jobs come from cm-atlas
    submit(BELLE, 1, Duration.ofHours(1));
    for (int i = 0; i < 20 && running(BELLE) < 1; i++) {
      cycle();
    }
    assertThat(running(BELLE)).as("belle's job got a VM through cm-atlas").isEqualTo(1);
    assertThat(ops.configuration(alice).value()).contains("job-source: cm-atlas");
  }

  @Test
  void aSourceWhoseTokenExpiresSoonStopsOnlyItsGroupsBootsAndKeepsTheirVms() {
    Actor alice = Actor.of("alice", "admin");
    belleToken = clock.instant().plus(Duration.ofDays(20));
    submit(ATLAS, 1, Duration.ofHours(3));
    submit(BELLE, 1, Duration.ofHours(3));
    CycleReport warned = cycle();
    assertThat(warned.failures()).anySatisfy(f -> assertThat(f)
        .startsWith("group belle: credentials of job source cm-belle expire at " + belleToken + " (20 day(s) left; engine.credential-warn 28d)"));
    for (int i = 0; i < 20 && (running(ATLAS) < 1 || running(BELLE) < 1); i++) {
      cycle();
    }
    assertThat(running(BELLE)).as("a warning does not stop boots").isEqualTo(1);
    assertThat(running(ATLAS)).isEqualTo(1);

    belleToken = clock.instant().plus(Duration.ofDays(5));
    submit(ATLAS, 2, Duration.ofHours(3));
    submit(BELLE, 2, Duration.ofHours(3));
    CycleReport stopped = cycle();
    assertThat(stopped.failures()).anySatisfy(f -> assertThat(f)
        .startsWith("group belle: credentials of job source cm-belle expire at " + belleToken + " (5 day(s) left): no new boots for the group (engine.credential-stop 7d)"));
    for (int i = 0; i < 20 && running(ATLAS) < 3; i++) {
      cycle();
      assertThat(live(BELLE)).as("belle boots nothing while its token is about to expire").hasSize(1)
          .allSatisfy(v -> assertThat(v.state()).as("and its running VM is not retired").isEqualTo(VmState.RUNNING));
    }
    assertThat(running(ATLAS)).as("the other group goes on").isEqualTo(3);
    org.csv2.api.ops.GroupStatus belle = store.statuses().stream().filter(s -> s.group().equals(BELLE)).findFirst().orElseThrow();
    assertThat(belle.jobSource()).isNotNull();
    assertThat(belle.jobSource().name()).isEqualTo("cm-belle");
    assertThat(belle.jobSource().credentialsExpireAt()).isEqualTo(belleToken);
    assertThat(belle.jobSource().credentialDaysLeft()).as("whole days left when the snapshot was taken").isIn(4, 5);
    assertThat(belle.jobSource().bootsStopped()).isTrue();
    assertThat(belle.shapes()).anySatisfy(n -> assertThat(n.whyNot()).startsWith("group belle: credentials of job source cm-belle expire at"));
    assertThat(engine.operations().status(alice, BELLE)).singleElement().satisfies(s -> assertThat(s.jobSource().bootsStopped()).isTrue());
    org.csv2.api.ops.GroupStatus atlas = store.statuses().stream().filter(s -> s.group().equals(ATLAS)).findFirst().orElseThrow();
    assertThat(atlas.jobSource().credentialsExpireAt()).as("atlas's source knows no expiry").isNull();
    assertThat(atlas.jobSource().bootsStopped()).isFalse();

    belleToken = null; // renewed by a token that does not expire
    for (int i = 0; i < 20 && running(BELLE) < 3; i++) {
      cycle();
    }
    assertThat(running(BELLE)).as("boots resume once the token is renewed").isEqualTo(3);
  }
}
