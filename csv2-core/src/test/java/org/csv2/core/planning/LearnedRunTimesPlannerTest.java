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

import java.time.Duration;
import java.util.List;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.VmState;
import org.csv2.model.Plan;
import org.junit.jupiter.api.Test;

/** The learned-run-times policy on hand-built snapshots: flavor choice and cores soon free. */
class LearnedRunTimesPlannerTest {
  private final Planner planner = new DefaultPlanner();

  private static World cloud(FlavorPolicy p) {
    World w = new World().group("atlas").alloc("atlas", "arbutus", 0).policy(p);
    w.cloud("arbutus").flavor("c1", 1, 1741, 0.044).flavor("c2", 2, 4096, 0.085).flavor("c8", 8, 16384, 0.60);
    return w;
  }

  private static String boots(Plan p) {
    return String.join(",", p.boots().stream().map(b -> b.flavor().value() + "x" + b.count()).sorted().toList());
  }

  @Test
  void jobsOfVeryDifferentRunTimesDoNotShareVms() {
    for (FlavorPolicy p : List.of(FlavorPolicy.LEAST_COST_PER_JOB, FlavorPolicy.LEARNED_RUN_TIMES)) {
      World w = cloud(p).runTimes(new RunTimes());
      w.idle(2, World.job("atlas", 1, 1000).requestedWallTime(Duration.ofMinutes(2)));
      w.idle(2, World.job("atlas", 1, 1000).requestedWallTime(Duration.ofHours(20)));
      // c2 is $0.0425 per job, c1 $0.044; but two of these jobs keep a c2 for the longer one,
      // 1.5x a mean run on average: $0.064 per job
      assertThat(boots(planner.plan(w.snapshot()))).as("%s", p)
          .isEqualTo(p == FlavorPolicy.LEARNED_RUN_TIMES ? "c1x4" : "c2x2");
    }
  }

  @Test
  void jobsOfEqualRunTimesShareVmsAsWithoutKnowledge() {
    World w = cloud(FlavorPolicy.LEARNED_RUN_TIMES).runTimes(new RunTimes());
    w.idle(4, World.job("atlas", 1, 1000).requestedWallTime(Duration.ofHours(1)));
    Plan p = planner.plan(w.snapshot());
    assertThat(boots(p)).isEqualTo("c2x2");
    assertThat(p.boots().get(0).reason()).as("the same words as least-cost-per-job").contains("cheapest per job");
  }

  /** Two 4-core jobs run on a full c8 and end within the horizon; two more 4-core jobs wait. */
  private World burst(FlavorPolicy p, Duration queuedFor) {
    World w = cloud(p);
    RunTimes r = new RunTimes();
    org.csv2.model.Vm vm = w.vm("atlas", "arbutus", "c8", Resources.of(8, 16384), VmState.RUNNING, Duration.ofHours(1));
    w.worker(vm, Resources.of(8, 16000), 2);
    w.idle(2, World.job("atlas", 4, 8000).state(JobState.RUNNING).requestedWallTime(Duration.ofMinutes(10)));
    // first seen running 8 minutes ago: 2 minutes left
    r.observe(World.NOW.minus(Duration.ofMinutes(8)), List.copyOf(w.jobs()));
    w.idle(2, World.job("atlas", 4, 8000).queuedSince(World.NOW.minus(queuedFor)));
    return w.runTimes(r);
  }

  @Test
  void aBurstWaitsForCoresThatRunningJobsAreAboutToFree() {
    Plan learned = planner.plan(burst(FlavorPolicy.LEARNED_RUN_TIMES, Duration.ofMinutes(1)).snapshot());
    assertThat(learned.boots()).isEmpty();
    assertThat(learned.notes()).anySatisfy(n -> assertThat(n).startsWith("2 idle jobs of atlas wait for cores that running jobs are expected to free"));
    Plan without = planner.plan(burst(FlavorPolicy.LEAST_COST_PER_JOB, Duration.ofMinutes(1)).snapshot());
    assertThat(without.vmsToBoot()).as("without run times: a new VM").isEqualTo(1);
  }

  @Test
  void aPlanThatWaitsHoldsNoLongerThanThePatienceOfItsJobs() {
    // the engine reuses an empty plan while nothing changes until its time runs out: a waiting job
    // must be planned for again when its patience runs out
    Planner.Timed t = planner.planTimed(burst(FlavorPolicy.LEARNED_RUN_TIMES, Duration.ofMinutes(1)).snapshot());
    assertThat(t.plan().boots()).isEmpty();
    assertThat(t.until()).isNotNull().isBeforeOrEqualTo(World.NOW.plus(RunTimes.PATIENCE).minus(Duration.ofMinutes(1)));
  }

  @Test
  void aJobThatWaitedLongerThanThePatienceIsPlannedForAsToday() {
    Plan p = planner.plan(burst(FlavorPolicy.LEARNED_RUN_TIMES, RunTimes.PATIENCE.plusMinutes(1)).snapshot());
    assertThat(p.vmsToBoot()).isEqualTo(1);
  }

  @Test
  void coresFreedLaterThanTheHorizonDoNotCount() {
    World w = cloud(FlavorPolicy.LEARNED_RUN_TIMES);
    RunTimes r = new RunTimes();
    org.csv2.model.Vm vm = w.vm("atlas", "arbutus", "c8", Resources.of(8, 16384), VmState.RUNNING, Duration.ofHours(1));
    w.worker(vm, Resources.of(8, 16000), 2);
    w.idle(2, World.job("atlas", 4, 8000).state(JobState.RUNNING).requestedWallTime(Duration.ofHours(3)));
    r.observe(World.NOW.minus(Duration.ofMinutes(8)), List.copyOf(w.jobs()));
    w.idle(2, World.job("atlas", 4, 8000).queuedSince(World.NOW.minusSeconds(30)));
    assertThat(planner.plan(w.runTimes(r).snapshot()).vmsToBoot()).isEqualTo(1);
  }

  @Test
  void aPlanThatWaitsIsFoundAgainNextCycle() {
    Snapshot s = burst(FlavorPolicy.LEARNED_RUN_TIMES, Duration.ofMinutes(1)).snapshot();
    Plan p = planner.plan(s);
    assertThat(planner.plan(World.applyBoots(s, p.boots())).boots()).isEmpty();
  }
}
