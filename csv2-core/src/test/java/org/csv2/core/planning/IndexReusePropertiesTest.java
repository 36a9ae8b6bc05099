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
package org.csv2.core.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.csv2.model.Boot;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Tags;
import org.junit.jupiter.api.Test;

/**
 * The planner brings its index up to date from the last plan's ({@link PlanningIndex}, {@link
 * ListDelta}): planning a sequence of changing snapshots with one planner gives, at every step, the
 * plan a new planner makes of that snapshot alone. The steps change a few records the way cycles
 * do (VM states and versions, VMs booted and gone, workers registering, busy or gone, jobs
 * submitted, started and finished, instances appearing, changing and vanishing, time passing), and
 * now and then what a delta cannot express (a VM name given twice, two workers of one VM, a
 * reordered list, another configuration).
 */
class IndexReusePropertiesTest {
  private static final int EXAMPLES = 200;
  private static final int STEPS = 14;

  @Test
  void aPlannerThatReusesItsIndexPlansAsANewPlannerAtEveryStep() {
    long[] reused = new long[4];
    qt().withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              SplittableRandom r = new SplittableRandom(seed);
              Snapshot s = SnapshotGen.world(seed, SnapshotGen.Options.ALL).snapshot();
              DefaultPlanner reusing = new DefaultPlanner();
              for (int step = 0; step < STEPS; step++) {
                Planner.Timed got = reusing.planTimed(s);
                Planner.Timed fresh = new DefaultPlanner().planTimed(s);
                assertThat(got).as("seed %d, step %d", seed, step).isEqualTo(fresh);
                PlanningIndex index = reusing.lastIndex();
                if (index != null && index.vmsFromLast) reused[0]++;
                if (index != null && index.workersFromLast) reused[1]++;
                if (index != null && index.jobsFromLast) reused[2]++;
                if (index != null && index.sourcesFromLast) reused[3]++;
                s = next(s, got.plan().actions(), r, step);
              }
            });
    // the delta was taken most of the time, not just the fallback
    assertThat(reused[0]).as("plans that took the VMs over").isGreaterThan(EXAMPLES * STEPS / 3);
    assertThat(reused[1]).as("plans that took the workers over").isGreaterThan(EXAMPLES * STEPS / 3);
    assertThat(reused[2]).as("plans that counted the idle jobs from the last count").isGreaterThan(EXAMPLES * STEPS / 6);
    assertThat(reused[3]).as("plans that took the supply over").isGreaterThan(EXAMPLES * STEPS / 6);
  }

  @Test
  void theClassicPlannerReusingItsIndexPlansAsANewOneAtEveryStep() {
    long[] reused = new long[1];
    qt().withExamples(EXAMPLES / 2)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              SplittableRandom r = new SplittableRandom(seed);
              Snapshot s = SnapshotGen.world(seed, SnapshotGen.Options.ALL).snapshot();
              ClassicPlanner reusing = new ClassicPlanner();
              for (int step = 0; step < STEPS; step++) {
                Plan got = reusing.plan(s);
                assertThat(got).as("seed %d, step %d", seed, step).isEqualTo(new ClassicPlanner().plan(s));
                PlanningIndex index = reusing.lastIndex();
                if (index != null && index.vmsFromLast) reused[0]++;
                s = next(s, got.actions(), r, step);
              }
            });
    assertThat(reused[0]).as("plans that took the VMs over").isGreaterThan(EXAMPLES / 2 * STEPS / 3);
  }

  /** The next cycle's snapshot: a few records changed, most lists holding the same objects. */
  private static Snapshot next(Snapshot s, List<PlanAction> actions, SplittableRandom r, int step) {
    java.time.Instant now = s.now().plusSeconds(r.nextInt(3) == 0 ? 0 : r.nextInt(900));
    List<Vm> vms = new ArrayList<>(s.vms());
    List<Worker> workers = new ArrayList<>(s.workers());
    List<Job> jobs = new ArrayList<>(s.jobs());
    List<CloudView> clouds = new ArrayList<>(s.clouds());
    int changes = r.nextInt(5);
    for (int c = 0; c < changes; c++) {
      switch (r.nextInt(16)) {
        case 0 -> { // the plan's boots become REQUESTED VMs
          List<Boot> boots = new ArrayList<>();
          for (PlanAction a : actions) if (a instanceof Boot b) boots.add(b);
          Snapshot booted = World.applyBoots(s, boots);
          List<Vm> added = booted.vms().subList(s.vms().size(), booted.vms().size());
          for (int k = 0; k < added.size(); k++) {
            Vm v = added.get(k);
            VmId id = VmId.of(v.group(), v.cloud(), World.ENGINE, "b" + step + "-" + c + "-" + k);
            vms.add(Vm.builder(id, v.group(), v.cloud(), v.flavor(), now)
                .resources(v.resources()).image(v.image()).alias(v.alias()).keepAlive(v.keepAlive())
                .pricePerHour(v.pricePerHour()).state(VmState.REQUESTED).stateSince(now).build());
          }
        }
        case 1, 2 -> { // a VM changes state
          if (!vms.isEmpty()) {
            int i = r.nextInt(vms.size());
            VmState[] states = VmState.values();
            vms.set(i, vms.get(i).withState(states[r.nextInt(states.length)], now, "step " + step));
          }
        }
        case 3 -> { // a store write: only the version changes
          if (!vms.isEmpty()) {
            int i = r.nextInt(vms.size());
            vms.set(i, vms.get(i).withVersion(vms.get(i).version() + 1));
          }
        }
        case 4 -> { // a VM record is gone
          if (!vms.isEmpty()) vms.remove(r.nextInt(vms.size()));
        }
        case 5 -> { // a VM registers: a worker appears
          if (!vms.isEmpty()) {
            Vm v = vms.get(r.nextInt(vms.size()));
            int used = r.nextInt(Math.max(1, v.resources().cores()) + 1);
            workers.add(r.nextInt(workers.size() + 1),
                new Worker("slot1@" + v.id(), v.id(), v.group(), v.cloud(), World.ENGINE, v.resources(),
                    Resources.of(used, used * 1000L), used, r.nextInt(6) == 0, now));
          }
        }
        case 6 -> { // a worker's jobs change
          if (!workers.isEmpty()) {
            int i = r.nextInt(workers.size());
            Worker w = workers.get(i);
            int used = r.nextInt(Math.max(1, w.total().cores()) + 1);
            workers.set(i, new Worker(w.name(), w.vm(), w.group(), w.cloud(), w.instanceId(), w.total(),
                Resources.of(used, Math.min(w.total().ramMiB(), used * 1000L)), used, w.draining(), now));
          }
        }
        case 7 -> { // a worker leaves
          if (!workers.isEmpty()) workers.remove(r.nextInt(workers.size()));
        }
        case 8, 9 -> { // an idle job starts or a job ends
          if (!jobs.isEmpty()) {
            int i = r.nextInt(jobs.size());
            if (r.nextBoolean()) { // the job source starts the idle job of the highest priority
              for (int k = 0; k < jobs.size(); k++) {
                if (jobs.get(k).state() == JobState.IDLE
                    && (jobs.get(i).state() != JobState.IDLE || jobs.get(k).priority() > jobs.get(i).priority())) {
                  i = k;
                }
              }
            }
            if (r.nextBoolean()) jobs.set(i, jobs.get(i).withState(JobState.RUNNING));
            else jobs.remove(i);
          }
        }
        case 10 -> { // jobs are submitted
          if (!jobs.isEmpty()) {
            Job t = jobs.get(r.nextInt(jobs.size()));
            for (int k = 1 + r.nextInt(5); k > 0; k--) {
              jobs.add(new Job(JobId.of("s" + step + "-" + c + "-" + k), t.group(), t.owner(), t.request(), t.targetAlias(),
                  t.targetClouds(), t.image(), t.instanceType(), t.keepAlive(), t.maxPrice(), t.priority() + r.nextInt(3) - 1,
                  now.minusSeconds(r.nextInt(7200)),
                  JobState.IDLE, t.userData(), t.requestedWallTime()));
            }
          }
        }
        case 11 -> { // an instance appears, changes or vanishes on a cloud
          if (!clouds.isEmpty()) {
            int i = r.nextInt(clouds.size());
            CloudView v = clouds.get(i);
            List<Instance> inst = new ArrayList<>(v.instances());
            int what = r.nextInt(3);
            if (what == 0 || inst.isEmpty()) {
              Vm like = vms.isEmpty() || r.nextBoolean() ? null : vms.get(r.nextInt(vms.size()));
              GroupName g = like != null ? like.group() : GroupName.of(r.nextBoolean() ? "g0" : SnapshotGen.OTHER_GROUP);
              VmId name = like != null ? like.id() : VmId.of(g, v.cloud().name(), World.ENGINE, "orphan" + step);
              inst.add(new Instance(InstanceId.of("i-s" + step), name,
                  v.flavors().isEmpty() ? org.csv2.model.FlavorName.of("f1") : v.flavors().get(0).name(),
                  InstanceState.values()[r.nextInt(InstanceState.values().length)], "",
                  Map.of(Csv2Tags.INSTANCE_ID, World.ENGINE, Csv2Tags.GROUP, g.value()), null));
            } else if (what == 1) {
              int k = r.nextInt(inst.size());
              inst.set(k, inst.get(k).withState(InstanceState.values()[r.nextInt(InstanceState.values().length)], "step"));
            } else {
              inst.remove(r.nextInt(inst.size()));
            }
            clouds.set(i, new CloudView(v.cloud(), v.reachable(), v.flavors(), v.images(), v.capacity(), inst, v.opportunistic()));
          }
        }
        case 12 -> { // what no delta expresses: a name given twice, two workers of one VM
          if (!vms.isEmpty() && r.nextBoolean()) {
            vms.add(vms.get(r.nextInt(vms.size())));
          } else if (!workers.isEmpty()) {
            Worker w = workers.get(r.nextInt(workers.size()));
            workers.add(new Worker("slot2@" + w.vm(), w.vm(), w.group(), w.cloud(), w.instanceId(), w.total(), Resources.ZERO, 0, false, now));
          }
        }
        case 13 -> { // a list in another order
          Collections.shuffle(r.nextBoolean() ? vms : workers, new java.util.Random(r.nextLong()));
        }
        case 14 -> { // the lists are new copies of the same records
          vms = new ArrayList<>(vms);
          workers = new ArrayList<>(workers);
        }
        default -> { // another configuration: a group fewer (its VMs stay)
          if (s.groups().size() > 1 && r.nextInt(4) == 0) {
            List<org.csv2.model.Group> groups = new ArrayList<>(s.groups());
            org.csv2.model.Group gone = groups.remove(groups.size() - 1);
            s = new Snapshot(s.now(), s.settings(), groups,
                s.allocations().stream().filter(a -> !a.group().equals(gone.name())).toList(),
                s.aliases().stream().filter(a -> !a.group().equals(gone.name())).toList(),
                s.clouds(), s.jobs(), s.workers(), s.vms(), s.runTimes());
          }
        }
      }
    }
    return new Snapshot(now, s.settings(), s.groups(), s.allocations(), s.aliases(), clouds, jobs, workers, vms, s.runTimes());
  }
}
