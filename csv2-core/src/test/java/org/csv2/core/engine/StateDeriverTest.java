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
package org.csv2.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StateDeriverTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Instant NOW = T0.plusSeconds(600);
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final CloudName CLOUD = CloudName.of("c1");
  private static final VmId NAME = VmId.of(GroupName.of("atlas"), CLOUD, "t1", "abc");
  private static final InstanceId IID = InstanceId.of("i-1");

  /** Instance state, worker (null: none; -1: job source unreadable), stored state, expected. */
  static Stream<Arguments> transitions() {
    return Stream.of(
        Arguments.of("pending instance", InstanceState.PENDING, null, VmState.REQUESTED, VmState.BOOTING),
        Arguments.of("active, no worker", InstanceState.ACTIVE, null, VmState.BOOTING, VmState.UNREGISTERED),
        Arguments.of("active, busy worker", InstanceState.ACTIVE, 2, VmState.UNREGISTERED, VmState.RUNNING),
        Arguments.of("active, idle worker", InstanceState.ACTIVE, 0, VmState.UNREGISTERED, VmState.IDLE),
        Arguments.of("running goes idle", InstanceState.ACTIVE, 0, VmState.RUNNING, VmState.IDLE),
        Arguments.of("idle goes running", InstanceState.ACTIVE, 1, VmState.IDLE, VmState.RUNNING),
        Arguments.of("worker left", InstanceState.ACTIVE, null, VmState.IDLE, VmState.UNREGISTERED),
        Arguments.of("instance error", InstanceState.ERROR, 1, VmState.RUNNING, VmState.ERROR),
        Arguments.of("stopped instance", InstanceState.STOPPED, null, VmState.IDLE, VmState.ERROR),
        Arguments.of("retiring with worker", InstanceState.ACTIVE, 1, VmState.RETIRING, VmState.RETIRING),
        Arguments.of("retiring without worker", InstanceState.ACTIVE, null, VmState.RETIRING, VmState.RETIRING),
        Arguments.of("terminating, still listed", InstanceState.ACTIVE, null, VmState.TERMINATING, VmState.TERMINATING),
        Arguments.of("cloud deleting", InstanceState.TERMINATING, null, VmState.IDLE, VmState.TERMINATING),
        Arguments.of("listed as terminated", InstanceState.TERMINATED, null, VmState.IDLE, VmState.TERMINATED),
        Arguments.of("error recovered", InstanceState.ACTIVE, 0, VmState.ERROR, VmState.IDLE),
        Arguments.of("job source down keeps idle", InstanceState.ACTIVE, -1, VmState.IDLE, VmState.IDLE),
        Arguments.of("job source down, booted", InstanceState.ACTIVE, -1, VmState.BOOTING, VmState.UNREGISTERED),
        Arguments.of("unknown instance state", InstanceState.UNKNOWN, 0, VmState.BOOTING, VmState.BOOTING));
  }

  @ParameterizedTest(name = "{0}: {3} -> {4}")
  @MethodSource("transitions")
  void derivesTheState(
      String name, InstanceState instance, @Nullable Integer worker, VmState stored, VmState expected) {
    Vm vm = vm(stored).toBuilder().instanceId(IID).build();
    List<Worker> workers = worker == null ? List.of() : worker < 0 ? null : List.of(worker(worker));

    StateDeriver.Derivation d = derive(vm, List.of(instance(instance)), workers);

    assertThat(d.vms()).singleElement().satisfies(v -> assertThat(v.state()).isEqualTo(expected));
    if (expected != stored) {
      assertThat(d.events()).singleElement().satisfies(e -> {
        assertThat(e.from()).isEqualTo(stored);
        assertThat(e.to()).isEqualTo(expected);
        assertThat(e.reason()).isNotBlank();
        assertThat(e.at()).isEqualTo(NOW);
      });
      assertThat(d.changed()).hasSize(1);
    } else {
      assertThat(d.events()).isEmpty();
    }
  }

  @Test
  void anErrorCarriesTheCloudsFault() {
    Instance i = instance(InstanceState.ERROR).withState(InstanceState.ERROR, "No valid host was found");
    Vm v = derive(vm(VmState.BOOTING).toBuilder().instanceId(IID).build(), List.of(i), List.of()).vms().get(0);
    assertThat(v.reason()).isEqualTo("No valid host was found");
  }

  @Test
  void aRequestedVmIsMatchedByNameAndGetsTheInstanceId() {
    StateDeriver.Derivation d = derive(vm(VmState.REQUESTED), List.of(instance(InstanceState.PENDING)), List.of());
    assertThat(d.vms().get(0).instanceId()).isEqualTo(IID);
    assertThat(d.vms().get(0).state()).isEqualTo(VmState.BOOTING);
  }

  @Test
  void aYoungRequestedVmWithoutInstanceIsLeftAlone() {
    Vm young = Vm.builder(NAME, GroupName.of("atlas"), CLOUD, FlavorName.of("small"), NOW.minusSeconds(19)).build();
    StateDeriver.Derivation d = derive(young, List.of(), List.of());
    assertThat(d.vms()).containsExactly(young);
    assertThat(d.changed()).isEmpty();
  }

  @Test
  void anOldRequestedVmWithoutInstanceEnds() {
    Vm old = Vm.builder(NAME, GroupName.of("atlas"), CLOUD, FlavorName.of("small"), NOW.minusSeconds(20)).build();
    StateDeriver.Derivation d = derive(old, List.of(), List.of());
    assertThat(d.vms().get(0).state()).isEqualTo(VmState.TERMINATED);
    assertThat(d.vms().get(0).reason()).contains("boot never answered");
    assertThat(d.accounting()).as("it never ran").isEmpty();
  }

  @Test
  void theDueInstantIsTheEarliestBootNeverAnsweredDeadlineOfAVmTheCloudDoesNotList() {
    Vm young = Vm.builder(NAME, GroupName.of("atlas"), CLOUD, FlavorName.of("small"), NOW.minusSeconds(5)).build();
    Vm younger =
        Vm.builder(VmId.of(GroupName.of("atlas"), CLOUD, "t1", "def"), GroupName.of("atlas"), CLOUD, FlavorName.of("small"), NOW.minusSeconds(1))
            .build();
    StateDeriver.Observed none = StateDeriver.Observed.of(java.util.Map.of(CLOUD, List.of()), List.of(), null);
    assertThat(StateDeriver.due(List.of(younger, young), none, CYCLE)).isEqualTo(NOW.plusSeconds(15));
    // listed by name, an instance id known, or the cloud not read: no deadline runs
    StateDeriver.Observed listed = StateDeriver.Observed.of(java.util.Map.of(CLOUD, List.of(instance(InstanceState.PENDING))), List.of(), null);
    assertThat(StateDeriver.due(List.of(young), listed, CYCLE)).isEqualTo(Instant.MAX);
    assertThat(StateDeriver.due(List.of(young.toBuilder().instanceId(IID).build()), none, CYCLE)).isEqualTo(Instant.MAX);
    StateDeriver.Observed unread = StateDeriver.Observed.of(java.util.Map.of(), List.of(), null);
    assertThat(StateDeriver.due(List.of(young), unread, CYCLE)).isEqualTo(Instant.MAX);
    // and the rule does fire at that instant, not before
    assertThat(StateDeriver.derive(List.of(young), none, NOW.plusSeconds(14), CYCLE).changed()).isEmpty();
    assertThat(StateDeriver.derive(List.of(young), none, NOW.plusSeconds(15), CYCLE).vms().get(0).state())
        .isEqualTo(VmState.TERMINATED);
  }

  @Test
  void aVanishedInstanceEndsTheVmWithAccounting() {
    Vm running = vm(VmState.RUNNING).toBuilder().instanceId(IID).build();
    StateDeriver.Derivation d = derive(running, List.of(), List.of());
    assertThat(d.vms().get(0).state()).isEqualTo(VmState.TERMINATED);
    assertThat(d.accounting()).singleElement().satisfies(a -> {
      assertThat(a.start()).isEqualTo(T0.plusSeconds(5));
      assertThat(a.end()).isEqualTo(NOW);
      assertThat(a.wallSeconds()).isEqualTo(595);
    });
  }

  @Test
  void anUnreadableCloudChangesNothing() {
    Vm running = vm(VmState.RUNNING).toBuilder().instanceId(IID).build();
    StateDeriver.Derivation d = StateDeriver.derive(List.of(running), Map.of(), List.of(), NOW, CYCLE);
    assertThat(d.vms()).containsExactly(running);
    assertThat(d.events()).isEmpty();
  }

  @Test
  void manualControlWins() {
    Vm manual = vm(VmState.IDLE).toBuilder().instanceId(IID).manual(true).build();
    StateDeriver.Derivation d = derive(manual, List.of(instance(InstanceState.ERROR)), List.of());
    assertThat(d.vms().get(0).state()).isEqualTo(VmState.MANUAL);
  }

  @Test
  void terminatedRecordsStayTerminated() {
    Vm done = vm(VmState.TERMINATED).toBuilder().instanceId(IID).build();
    StateDeriver.Derivation d = derive(done, List.of(instance(InstanceState.ACTIVE)), List.of(worker(1)));
    assertThat(d.vms()).containsExactly(done);
  }

  @Test
  void registrationAndBusyTimesAreSetOnTransitionsOnly() {
    Vm unregistered = vm(VmState.UNREGISTERED).toBuilder().instanceId(IID).build();
    Vm running = derive(unregistered, List.of(instance(InstanceState.ACTIVE)), List.of(worker(1))).vms().get(0);
    assertThat(running.registeredAt()).isEqualTo(NOW);
    assertThat(running.lastBusyAt()).isEqualTo(NOW);

    StateDeriver.Derivation later =
        StateDeriver.derive(
            List.of(running), Map.of(CLOUD, List.of(instance(InstanceState.ACTIVE))), List.of(worker(3)), NOW.plusSeconds(60), CYCLE);
    assertThat(later.changed()).as("still running: nothing to write").isEmpty();

    Vm idle =
        StateDeriver.derive(
                List.of(running), Map.of(CLOUD, List.of(instance(InstanceState.ACTIVE))), List.of(worker(0)), NOW.plusSeconds(90), CYCLE)
            .vms()
            .get(0);
    assertThat(idle.state()).isEqualTo(VmState.IDLE);
    assertThat(idle.lastBusyAt()).isEqualTo(NOW.plusSeconds(90));
    assertThat(idle.registeredAt()).as("set once").isEqualTo(NOW);
  }

  private static StateDeriver.Derivation derive(Vm vm, List<Instance> instances, @Nullable List<Worker> workers) {
    return StateDeriver.derive(List.of(vm), Map.of(CLOUD, instances), workers, NOW, CYCLE);
  }

  private static Vm vm(VmState state) {
    return Vm.builder(NAME, GroupName.of("atlas"), CLOUD, FlavorName.of("small"), T0)
        .resources(Resources.of(2, 4096))
        .build()
        .withState(VmState.BOOTING, T0.plusSeconds(5), "booting")
        .withState(state, T0.plusSeconds(60), "stored");
  }

  private static Instance instance(InstanceState state) {
    return new Instance(IID, NAME, FlavorName.of("small"), state, "", Map.of(), T0);
  }

  private static Worker worker(int running) {
    return new Worker(
        NAME.value(), NAME, GroupName.of("atlas"), CLOUD, "i-1", Resources.of(2, 4096), Resources.ZERO, running, false, T0);
  }
}
