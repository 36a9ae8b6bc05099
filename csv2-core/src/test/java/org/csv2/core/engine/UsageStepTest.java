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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.core.accounting.UsageTracker;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.JobSnapshot;
import org.csv2.model.Resources;
import org.csv2.model.SlotUsage;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.VmUsage;
import org.csv2.model.Worker;
import org.junit.jupiter.api.Test;

/**
 * The usage step reads the stored records when the engine comes to hold a group (another engine
 * may have started its VMs and banked their CPU), so that a handed-over VM's record goes on from
 * what was stored instead of starting again from nothing.
 */
class UsageStepTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final GroupName ATLAS = GroupName.of("atlas");
  static final GroupName BELLE = GroupName.of("belle");
  static final CloudName C1 = CloudName.of("c1");

  final VirtualClock clock = new VirtualClock(T0);
  final InMemoryStateStore store = new InMemoryStateStore(clock);
  final Csv2Config cfg;

  UsageStepTest() {
    try (Fixture f = new Fixture()) {
      cfg = f.config();
    }
  }

  static Vm running(String name, GroupName group) {
    return Vm.builder(VmId.of(name), group, C1, FlavorName.of("s1"), T0)
        .resources(Resources.of(1, 2000, 10))
        .image("alma9")
        .build()
        .withState(VmState.BOOTING, T0.plusSeconds(10), "boot")
        .withInstanceId(new InstanceId("i-" + name))
        .withState(VmState.RUNNING, T0.plusSeconds(100), "running");
  }

  static Worker worker(Vm vm, List<SlotUsage> usage) {
    return new Worker(vm.id().value() + "@host", vm.id(), vm.group(), C1, "t1", Resources.of(1, 2000), Resources.of(1, 2000),
        usage.size(), false, T0, usage);
  }

  static Observation observation(Instant now, List<Worker> workers) {
    return new Observation(Map.of(), new JobSnapshot(now, List.of(), workers, 0), List.of(), Set.of(), Map.of());
  }

  static DeriveStep.Derived derived(List<Vm> vms) {
    return new DeriveStep.Derived(
        new StoredVms(vms, List.of(), List.of(), List.of()), new StateDeriver.Derivation(vms, List.of(), List.of(), List.of(), false));
  }

  VmUsage stored(Vm vm) {
    return store.usage(T0, Instant.MAX).stream().filter(u -> u.vm().equals(vm.id())).findFirst().orElseThrow();
  }

  @Test
  void aGroupTheEngineComesToHoldHasItsStoredRecordsReadAndGoesOnFromThem() {
    UsageStep step = new UsageStep(store);
    List<String> failures = new ArrayList<>();
    Vm b = running("belle--c1--t1--1", BELLE);
    Vm a = running("atlas--c1--t1--2", ATLAS);
    Instant t1 = T0.plusSeconds(200);
    step.track(cfg, observation(t1, List.of(worker(b, List.of()))), derived(List.of(b)), Set.of(BELLE), t1, failures);

    // another engine held atlas meanwhile: its VM's record has 500 s of CPU banked, for alice
    store.saveUsage(List.of(new VmUsage(a.id(), UsageTracker.uuidOf(a), ATLAS, C1, a.flavor(), "alma9", 1, 2000, 10,
        T0.plusSeconds(10), null, 0, null, 500, true, Set.of("alice"), Map.of(), 0.1, t1)));

    // atlas is handed over to this engine, whose tracker had never seen the VM: bob's job runs there
    Instant t2 = t1.plusSeconds(10);
    step.track(cfg, observation(t2, List.of(worker(b, List.of()), worker(a, List.of(new SlotUsage("s1#9", "bob", 20))))),
        derived(List.of(a, b)), Set.of(ATLAS, BELLE), t2, failures);

    assertThat(failures).isEmpty();
    VmUsage after = stored(a);
    assertThat(after.cpuSeconds()).as("the stored CPU goes on, not from zero").isEqualTo(520);
    assertThat(after.users()).containsExactly("alice", "bob");
    assertThat(after.uuid()).isEqualTo(UsageTracker.uuidOf(a));
  }

  @Test
  void aVmTheEngineStartsItselfIsTrackedWithoutReadingTheStore() {
    UsageStep step = new UsageStep(store);
    List<String> failures = new ArrayList<>();
    Vm a = running("atlas--c1--t1--2", ATLAS);
    Instant t1 = T0.plusSeconds(200);
    step.track(cfg, observation(t1, List.of()), derived(List.of()), Set.of(ATLAS), t1, failures);
    Instant t2 = t1.plusSeconds(10);
    step.track(cfg, observation(t2, List.of(worker(a, List.of(new SlotUsage("s1#1", "bob", 20))))), derived(List.of(a)),
        Set.of(ATLAS), t2, failures);
    assertThat(stored(a).cpuSeconds()).isEqualTo(20);
    assertThat(stored(a).users()).containsExactly("bob");
  }
}
