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
package org.csv2.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csv2.core.sim.SimFixtures.CLOUD;
import static org.csv2.core.sim.SimFixtures.ENGINE;
import static org.csv2.core.sim.SimFixtures.GROUP;
import static org.csv2.core.sim.SimFixtures.boot;
import static org.csv2.core.sim.SimFixtures.minutes;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.csv2.api.JobSourceException;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobSnapshot;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.JobSource;
import org.junit.jupiter.api.Test;

class SimulatedPoolTest {
  private final VirtualClock clock = new VirtualClock();
  private final SimulatedWorld world = new SimulatedWorld(clock, 3);
  private final SimulatedPool pool = world.pool();
  private final JobSource source = pool.jobSource(ENGINE);
  private final CloudDriver cloud =
      world
          .addCloud(
              CLOUD,
              SimulatedCloudConfig.DEFAULTS.withBootDelay(
                  SimulatedCloudConfig.BootDelay.fixed(Duration.ofSeconds(60))))
          .driver(ENGINE);

  private void submit(int n, int cores, Duration runTime) {
    for (int i = 0; i < n; i++) {
      pool.submit(GROUP, "alice", Resources.of(cores, 1000L * cores), runTime, 0);
    }
  }

  private static long count(JobSnapshot s, JobState state) {
    return s.jobs().stream().filter(j -> j.state() == state).count();
  }

  /** Boots one VM and advances past its boot delay and the register delay (30 s). */
  private Instance bootWorker(String flavor) {
    Instance i = cloud.boot(boot(flavor, 1)).get(0);
    clock.advance(Duration.ofSeconds(90));
    return i;
  }

  @Test
  void anInstanceRegistersAfterItsBootDelayAndTheRegisterDelay() {
    Instance i = cloud.boot(boot("c4-16gb", 1)).get(0);
    clock.advance(Duration.ofSeconds(89));
    assertThat(source.snapshot().workers()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    Worker w = source.snapshot().workers().get(0);
    assertThat(w.vm()).isEqualTo(i.name());
    assertThat(w.name()).isEqualTo(i.name().value());
    assertThat(w.group()).isEqualTo(GROUP);
    assertThat(w.cloud()).isEqualTo(CLOUD);
    assertThat(w.instanceId()).isEqualTo(ENGINE);
    assertThat(w.total()).isEqualTo(Resources.of(4, 16000, 80));
    assertThat(pool.jobSource("engine-b").snapshot().workers()).as("another engine's view").isEmpty();
  }

  @Test
  void theNegotiatorPacksAFourCoreWorkerWithFourOneCoreJobs() {
    submit(5, 1, minutes(30));
    bootWorker("c4-16gb");
    JobSnapshot s = source.snapshot();
    assertThat(count(s, JobState.RUNNING)).isEqualTo(4);
    assertThat(count(s, JobState.IDLE)).isEqualTo(1);
    Worker w = s.workers().get(0);
    assertThat(w.runningJobs()).isEqualTo(4);
    assertThat(w.used()).isEqualTo(Resources.of(4, 4000));
    assertThat(w.free().cores()).isZero();
  }

  @Test
  void jobsCompleteAfterTheirDurationAndDropOutOfTheSnapshot() {
    submit(1, 1, minutes(30));
    bootWorker("c1-4gb");
    assertThat(count(source.snapshot(), JobState.RUNNING)).isEqualTo(1);
    clock.advance(minutes(30).minusSeconds(1));
    assertThat(count(source.snapshot(), JobState.RUNNING)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    JobSnapshot s = source.snapshot();
    assertThat(s.jobs()).isEmpty();
    assertThat(s.workers().get(0).runningJobs()).isZero();
    assertThat(s.workers().get(0).lastActivity()).isEqualTo(clock.instant());
    assertThat(world.statistics().jobsCompleted()).isEqualTo(1);
  }

  @Test
  void jobsAreVisibleFromTheirSubmitTimeWithSimIds() {
    pool.schedule(
        List.of(
            new WorkloadJob(minutes(10), GROUP, "bob", Resources.of(1, 100), minutes(5), 0),
            new WorkloadJob(minutes(20), GROUP, "bob", Resources.of(2, 100), minutes(5), 0)));
    assertThat(source.snapshot().jobs()).isEmpty();
    clock.advance(minutes(10));
    List<Job> jobs = source.snapshot().jobs();
    assertThat(jobs).singleElement().satisfies(j -> {
      assertThat(j.id().value()).isEqualTo("sim#1");
      assertThat(j.queuedSince()).isEqualTo(clock.instant());
      assertThat(j.owner()).isEqualTo("bob");
      assertThat(j.state()).isEqualTo(JobState.IDLE);
    });
    clock.advance(minutes(15));
    assertThat(source.snapshot().jobs()).extracting(j -> j.id().value()).containsExactly("sim#1", "sim#2");
  }

  @Test
  void aJobCarriesTheWallTimeItsWorkloadRequested() {
    pool.schedule(
        List.of(
            new WorkloadJob(Duration.ZERO, GROUP, "bob", Resources.of(1, 100), minutes(5), 0, minutes(20)),
            new WorkloadJob(Duration.ZERO, GROUP, "bob", Resources.of(1, 100), minutes(5), 0)));
    assertThat(source.snapshot().jobs()).extracting(Job::requestedWallTime).containsExactly(minutes(20), null);
  }

  @Test
  void retireDrainsThenTheWorkerLeavesButTheInstanceStays() {
    submit(1, 1, minutes(30));
    Instance i = bootWorker("c4-16gb");
    Worker w = source.snapshot().workers().get(0);
    source.retire(w);
    submit(1, 1, minutes(30));
    JobSnapshot s = source.snapshot();
    assertThat(s.workers().get(0).draining()).isTrue();
    assertThat(count(s, JobState.RUNNING)).as("no new job on a draining worker").isEqualTo(1);
    assertThat(count(s, JobState.IDLE)).isEqualTo(1);
    clock.advance(minutes(30));
    s = source.snapshot();
    assertThat(s.workers()).isEmpty();
    assertThat(count(s, JobState.IDLE)).isEqualTo(1);
    assertThat(cloud.instances()).extracting(Instance::id).containsExactly(i.id());
    clock.advance(minutes(30));
    assertThat(source.snapshot().workers()).as("a retired instance never registers again").isEmpty();
  }

  @Test
  void retiringAnIdleWorkerRemovesItAtOnceAndUnknownWorkersAreIgnored() {
    bootWorker("c1-4gb");
    source.retire(source.snapshot().workers().get(0));
    source.retire(dummyWorker());
    assertThat(source.snapshot().workers()).isEmpty();
  }

  private static Worker dummyWorker() {
    return new Worker(
        "x", VmId.of("x"), GROUP, CLOUD, ENGINE, Resources.ZERO, Resources.ZERO, 0, false, VirtualClock.DEFAULT_START);
  }

  @Test
  void aTerminatedInstanceTakesItsWorkerAndItsJobsAreLost() {
    submit(2, 1, minutes(30));
    Instance i = bootWorker("c2-8gb");
    assertThat(count(source.snapshot(), JobState.RUNNING)).isEqualTo(2);
    clock.advance(minutes(10));
    cloud.terminate(i.id());
    JobSnapshot s = source.snapshot();
    assertThat(s.workers()).isEmpty();
    assertThat(count(s, JobState.IDLE)).isEqualTo(2);
    SimulationStatistics stats = world.statistics();
    assertThat(stats.jobsLost()).isEqualTo(2);
    assertThat(stats.coreHoursUsed()).isCloseTo(2 * 10 / 60.0, org.assertj.core.api.Assertions.within(1e-9));
    bootWorker("c2-8gb");
    assertThat(count(source.snapshot(), JobState.RUNNING)).isEqualTo(2);
    clock.advance(minutes(30));
    assertThat(source.snapshot().jobs()).as("lost jobs rerun in full").isEmpty();
    assertThat(world.statistics().jobsCompleted()).isEqualTo(2);
    assertThat(world.statistics().jobsStarted()).isEqualTo(2);
  }

  @Test
  void forgetRemovesTheAdAndIsIdempotent() {
    submit(1, 1, minutes(30));
    Instance i = bootWorker("c1-4gb");
    source.snapshot();
    source.forget(i.name());
    source.forget(i.name());
    source.forget(VmId.of("never-seen"));
    JobSnapshot s = source.snapshot();
    assertThat(s.workers()).isEmpty();
    assertThat(count(s, JobState.IDLE)).isEqualTo(1);
  }

  @Test
  void anErrorInstanceNeverRegisters() {
    world.addCloud(
        CLOUD,
        SimulatedCloudConfig.DEFAULTS
            .withBootDelay(SimulatedCloudConfig.BootDelay.fixed(Duration.ofSeconds(60)))
            .withFailures(new SimulatedCloudConfig.Failures(null, null, null, 1.0, null)));
    Instance i = cloud.boot(boot("c1-4gb", 1)).get(0);
    clock.advance(minutes(5));
    assertThat(cloud.instances()).extracting(Instance::state).containsExactly(InstanceState.ERROR);
    assertThat(source.snapshot().workers()).isEmpty();
    assertThat(i.state()).isEqualTo(InstanceState.PENDING);
  }

  @Test
  void jobsOnlyRunOnWorkersOfTheirGroupAndTargetClouds() {
    pool.submit(GroupName.of("belle2"), "carol", Resources.of(1, 100), minutes(5), 0);
    pool.submit(new WorkloadJob(Duration.ZERO, GROUP, "dave", Resources.of(1, 100), minutes(5), 0), Set.of(org.csv2.model.CloudName.of("elsewhere")));
    bootWorker("c4-16gb");
    assertThat(count(source.snapshot(), JobState.RUNNING)).isZero();
  }

  @Test
  void higherPriorityThenOlderJobsGoFirst() {
    pool.submit(GROUP, "erin", Resources.of(1, 100), minutes(50), 0);
    clock.advance(Duration.ofSeconds(1));
    pool.submit(GROUP, "erin", Resources.of(1, 100), minutes(50), 5);
    clock.advance(Duration.ofSeconds(1));
    pool.submit(GROUP, "erin", Resources.of(1, 100), minutes(50), 0);
    bootWorker("c2-8gb");
    assertThat(source.snapshot().jobs())
        .filteredOn(j -> j.state() == JobState.RUNNING)
        .extracting(j -> j.id().value())
        .containsExactlyInAnyOrder("sim#1", "sim#2");
  }

  @Test
  void anUnchangedPoolHandsOutTheSameLists() {
    submit(3, 1, minutes(30));
    bootWorker("c2-8gb");
    JobSnapshot a = source.snapshot();
    clock.advance(Duration.ofSeconds(10));
    JobSnapshot b = source.snapshot();
    assertThat(b.jobs()).isSameAs(a.jobs());
    assertThat(b.workers()).isSameAs(a.workers());
    assertThat(b.at()).isAfter(a.at());
  }

  @Test
  void scriptedJobSourceFailures() {
    pool.failNext("snapshot", JobSourceException.Reason.UNAVAILABLE);
    assertThatThrownBy(source::snapshot)
        .isInstanceOfSatisfying(JobSourceException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(source.snapshot().jobs()).isEmpty();
  }

  @Test
  void aClosedJobSourceRefusesCalls() {
    source.close();
    source.close();
    assertThatThrownBy(source::snapshot).isInstanceOf(IllegalStateException.class);
  }
}
