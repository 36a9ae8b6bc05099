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
package org.csv2.core.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Resources;
import org.csv2.model.SlotUsage;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.VmUsage;
import org.csv2.model.Worker;
import org.junit.jupiter.api.Test;

class UsageTrackerTest {
  private static final Instant T0 = Instant.parse("2026-11-30T23:00:00Z");

  private static Vm vm(VmState state, Instant at) {
    Vm v = Vm.builder(VmId.of("atlas--arbutus--e1--aaaaaa"), GroupName.of("atlas"), CloudName.of("arbutus"), FlavorName.of("c8"), T0)
        .resources(Resources.of(8, 16000, 80))
        .image("alma9")
        .build();
    v = v.withState(VmState.BOOTING, T0.plusSeconds(10), "boot").withInstanceId(new InstanceId("i-1"));
    return state == VmState.BOOTING ? v : v.withState(state, at, "now " + state);
  }

  private static Worker worker(List<SlotUsage> usage) {
    return new Worker("vm@host", VmId.of("atlas--arbutus--e1--aaaaaa"), GroupName.of("atlas"), CloudName.of("arbutus"), "e1",
        Resources.of(8, 16000), Resources.of(8, 16000), usage == null ? 0 : usage.size(), false, T0, usage);
  }

  @Test
  void banksTheCpuOfFinishedJobsCountsSuspensionApartAndEndsOnce() {
    UsageTracker t = new UsageTracker();
    VmUsage u1 = t.track(List.of(vm(VmState.RUNNING, T0.plusSeconds(100))),
        List.of(worker(List.of(new SlotUsage("s1#1", "alice", 50), new SlotUsage("s2#2", "bob", 10)))), Map.of(), T0.plusSeconds(200)).get(0);
    assertThat(u1.start()).isEqualTo(T0.plusSeconds(10));
    assertThat(u1.cpuSeconds()).isEqualTo(60);
    assertThat(u1.users()).containsExactly("alice", "bob");
    assertThat(u1.uuid()).isEqualTo(UsageTracker.uuidOf(vm(VmState.RUNNING, T0)));

    // job s1#1 ended at 80 s of CPU (last seen 50: its last figure is banked); s2#2 grew; s3#3 new
    List<VmUsage> saved = t.track(List.of(vm(VmState.RUNNING, T0.plusSeconds(100))),
        List.of(worker(List.of(new SlotUsage("s2#2", "bob", 30), new SlotUsage("s3#3", "carol", 5)))), Map.of(), T0.plusSeconds(300));
    VmUsage u2 = saved.get(0);
    assertThat(u2.cpuSeconds()).isEqualTo(50 + 30 + 5);
    assertThat(u2.openJobs()).containsOnlyKeys("s2#2", "s3#3");
    assertThat(u2.users()).containsExactly("alice", "bob", "carol");

    // only CPU grows, soon after: not saved yet (at most every SAVE_EVERY)
    assertThat(t.track(List.of(vm(VmState.RUNNING, T0.plusSeconds(100))),
        List.of(worker(List.of(new SlotUsage("s2#2", "bob", 40), new SlotUsage("s3#3", "carol", 5)))), Map.of(), T0.plusSeconds(330))).isEmpty();

    // suspended for 600 s: counted apart from wall
    t.track(List.of(vm(VmState.ERROR, T0.plusSeconds(400))), null, Map.of(VmId.of("atlas--arbutus--e1--aaaaaa"), InstanceState.STOPPED), T0.plusSeconds(400));
    VmUsage resumed = t.track(List.of(vm(VmState.RUNNING, T0.plusSeconds(1000))), null,
        Map.of(VmId.of("atlas--arbutus--e1--aaaaaa"), InstanceState.ACTIVE), T0.plusSeconds(1000)).get(0);
    assertThat(resumed.suspendSeconds()).isEqualTo(600);
    assertThat(resumed.wallSecondsAt(T0.plusSeconds(1000))).isEqualTo(990 - 600);

    VmUsage ended = t.track(List.of(vm(VmState.TERMINATED, T0.plusSeconds(2000))), null, Map.of(), T0.plusSeconds(2100)).get(0);
    assertThat(ended.end()).isEqualTo(T0.plusSeconds(2000));
    assertThat(ended.cpuSeconds()).as("open jobs banked at the end").isEqualTo(50 + 40 + 5);
    assertThat(ended.openJobs()).isEmpty();
    assertThat(ended.cpuMeasured()).isTrue();
    assertThat(t.track(List.of(vm(VmState.TERMINATED, T0.plusSeconds(2000))), null, Map.of(), T0.plusSeconds(2200)))
        .as("a finished VM's record is final").isEmpty();
  }

  @Test
  void withoutReportsCpuIsWallTimesCoresMarkedAsSuch() {
    UsageTracker t = new UsageTracker();
    VmUsage u = t.track(List.of(vm(VmState.IDLE, T0.plusSeconds(100))), List.of(worker(null)), Map.of(), T0.plusSeconds(110)).get(0);
    assertThat(u.cpuMeasured()).isFalse();
    assertThat(u.cpuSecondsAt(T0.plusSeconds(110))).isEqualTo(100 * 8);
  }

  @Test
  void aVmThatNeverStartedHasNoUsage() {
    Vm requested = Vm.builder(VmId.of("x"), GroupName.of("atlas"), CloudName.of("arbutus"), FlavorName.of("c8"), T0).build();
    assertThat(new UsageTracker().track(List.of(requested), List.of(), Map.of(), T0.plusSeconds(5))).isEmpty();
  }

  @Test
  void theSameInputsAgainSaveNothingAndALaterChangeIsStillSeen() {
    UsageTracker t = new UsageTracker();
    Vm running = vm(VmState.RUNNING, T0.plusSeconds(100));
    List<Worker> ws = List.of(worker(List.of(new SlotUsage("s1#1", "alice", 50))));
    assertThat(t.track(List.of(running), ws, Map.of(), T0.plusSeconds(200))).hasSize(1);
    // an unchanged cycle, much later: the same VM record, workers and instance states
    assertThat(t.track(List.of(running), ws, Map.of(), T0.plusSeconds(2000))).isEmpty();
    // equal but new worker objects (a real job source builds them every cycle): still no change
    assertThat(t.track(List.of(running), List.of(worker(List.of(new SlotUsage("s1#1", "alice", 50)))), Map.of(),
        T0.plusSeconds(2010))).isEmpty();
    // the job's CPU grew and SAVE_EVERY has passed since the last save: saved
    List<VmUsage> grown = t.track(List.of(running), List.of(worker(List.of(new SlotUsage("s1#1", "alice", 70)))), Map.of(),
        T0.plusSeconds(2020));
    assertThat(grown).singleElement().satisfies(u -> assertThat(u.cpuSeconds()).isEqualTo(70));
    VmUsage ended = t.track(List.of(vm(VmState.TERMINATED, T0.plusSeconds(2100))), null, Map.of(), T0.plusSeconds(2100)).get(0);
    assertThat(ended.end()).isEqualTo(T0.plusSeconds(2100));
    assertThat(ended.cpuSeconds()).isEqualTo(70);
    // no longer listed (deleted after retention): forgotten
    t.track(List.of(), null, Map.of(), T0.plusSeconds(90_000));
    assertThat(t.knows(running.id())).isFalse();
  }

  /**
   * A tracker that looks only at what the list differences concern saves what one that looks at
   * every VM saves (a tracker that has just loaded nothing looks at every VM in its next call), over
   * random histories: VMs start, end, are replaced by new records and leave the list; workers come
   * and go; jobs start, grow and end; the source is sometimes not read.
   */
  @Test
  void lookingAtTheChangesOnlySavesWhatLookingAtEveryVmSaves() {
    qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      UsageTracker changes = new UsageTracker();
      UsageTracker every = new UsageTracker();
      List<Vm> vms = new ArrayList<>();
      List<Worker> workers = new ArrayList<>();
      int next = 0;
      Instant now = T0.plusSeconds(100);
      List<Vm> lastVms = null;
      List<Worker> lastWorkers = null;
      for (int step = 0; step < 40; step++) {
        int ops = r.nextInt(4);
        for (int o = 0; o < ops; o++) {
          int k = r.nextInt(7);
          if (k == 0 || vms.isEmpty()) {
            VmId id = VmId.of("atlas--c1--e1--v" + next++);
            Vm v = Vm.builder(id, GroupName.of("atlas"), CloudName.of("c1"), FlavorName.of("s4"), now).resources(Resources.of(4, 8000, 40)).build();
            if (r.nextBoolean()) {
              v = v.withState(VmState.BOOTING, now, "boot").withInstanceId(new InstanceId("i-" + id.value()));
            }
            vms.add(r.nextInt(vms.size() + 1), v);
          } else {
            int i = r.nextInt(vms.size());
            Vm v = vms.get(i);
            VmId id = v.id();
            switch (k) {
              case 1 -> vms.set(i, v.withState(VmState.BOOTING, now, "boot").withInstanceId(new InstanceId("i-" + id.value())));
              case 2 -> vms.set(i, v.withState(VmState.TERMINATED, now, "gone"));
              case 3 -> vms.remove(i);
              case 4 -> {
                workers.removeIf(w -> w.vm().equals(id));
                List<SlotUsage> usage = new ArrayList<>();
                for (int j = r.nextInt(3); j > 0; j--) {
                  usage.add(new SlotUsage("s" + j + "#" + r.nextInt(3), r.nextBoolean() ? "alice" : "bob", r.nextInt(500)));
                }
                workers.add(r.nextInt(workers.size() + 1), new Worker(id.value() + "@h", id, GroupName.of("atlas"), CloudName.of("c1"), "e1",
                    Resources.of(4, 8000), Resources.of(usage.size(), 0), usage.size(), false, now, r.nextInt(4) == 0 ? null : usage));
              }
              case 5 -> workers.removeIf(w -> w.vm().equals(id));
              default -> { } // time alone passes
            }
          }
        }
        // the very same list objects again when nothing changed, as a caching source gives them
        List<Vm> vl = lastVms != null && lastVms.equals(vms) && r.nextBoolean() ? lastVms : List.copyOf(vms);
        List<Worker> wl = r.nextInt(8) == 0 ? null
            : lastWorkers != null && lastWorkers.equals(workers) && r.nextBoolean() ? lastWorkers : List.copyOf(workers);
        lastVms = vl;
        lastWorkers = wl;
        every.load(List.of());
        Comparator<VmUsage> byVm = Comparator.comparing(u -> u.vm().value());
        List<VmUsage> a = new ArrayList<>(changes.track(vl, wl, Map.of(), now));
        List<VmUsage> b = new ArrayList<>(every.track(vl, wl, Map.of(), now));
        a.sort(byVm);
        b.sort(byVm);
        assertThat(a).as("seed %s step %s", seed, step).isEqualTo(b);
        now = now.plusSeconds(10 + r.nextInt(400));
      }
    });
  }
}
