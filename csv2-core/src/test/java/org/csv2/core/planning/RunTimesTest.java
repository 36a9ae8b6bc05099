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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.junit.jupiter.api.Test;

/** The run-time estimator: requested wall time, the owner's share of it, the owner's history. */
class RunTimesTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static Job job(String id, String owner, JobState state, Duration requested) {
    return Job.builder(JobId.of(id), GroupName.of("atlas")).owner(owner).state(state).requestedWallTime(requested).build();
  }

  @Test
  void nothingIsKnownAtFirst() {
    RunTimes r = new RunTimes();
    assertThat(r.expectedSeconds(job("a", "alice", JobState.IDLE, null))).isEqualTo(-1);
  }

  @Test
  void theRequestIsTheEstimateUntilTheOwnerShowsHowMuchOfItTheyUse() {
    RunTimes r = new RunTimes();
    Job j = job("a", "alice", JobState.IDLE, Duration.ofHours(2));
    assertThat(r.expectedSeconds(j)).isEqualTo(7200);
    r.learn("alice", Duration.ofMinutes(10), Duration.ofHours(1));
    r.learn("alice", Duration.ofMinutes(10), Duration.ofHours(1));
    assertThat(r.expectedSeconds(j)).as("two runs are not enough").isEqualTo(7200);
    r.learn("alice", Duration.ofMinutes(10), Duration.ofHours(1));
    assertThat(r.expectedSeconds(j)).as("alice uses a sixth of her requests").isCloseTo(1200, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.expectedSeconds(job("b", "bob", JobState.IDLE, Duration.ofHours(2)))).as("bob is not alice").isEqualTo(7200);
  }

  @Test
  void withoutARequestTheOwnersTypicalRunTimeIsTheEstimate() {
    RunTimes r = new RunTimes();
    r.learn("bob", Duration.ofSeconds(100), null);
    r.learn("bob", Duration.ofSeconds(1000), null);
    r.learn("bob", Duration.ofSeconds(10000), null);
    assertThat(r.expectedSeconds(job("a", "bob", JobState.IDLE, null))).as("geometric mean")
        .isCloseTo(1000, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void runsAreObservedFromRunningToGoneAndEvictionsTeachNothing() {
    RunTimes r = new RunTimes();
    for (int i = 0; i < 3; i++) {
      Instant start = T0.plusSeconds(i * 1000L);
      r.observe(start, List.of(job("r" + i, "carol", JobState.RUNNING, null), job("e" + i, "carol", JobState.RUNNING, null)));
      assertThat(r.runningSince(JobId.of("r" + i))).isEqualTo(start);
      r.observe(start.plusSeconds(100), List.of(job("r" + i, "carol", JobState.RUNNING, null), job("e" + i, "carol", JobState.RUNNING, null)));
      assertThat(r.runningSince(JobId.of("r" + i))).as("first seen counts").isEqualTo(start);
      // r finishes (gone) after 500 s; e goes back to idle (evicted)
      r.observe(start.plusSeconds(500), List.of(job("e" + i, "carol", JobState.IDLE, null)));
      assertThat(r.followed()).isZero();
    }
    assertThat(r.expectedSeconds(job("x", "carol", JobState.IDLE, null))).isCloseTo(500, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void theSameListObjectIsNotObservedTwice() {
    RunTimes r = new RunTimes();
    List<Job> jobs = List.of(job("r", "dave", JobState.RUNNING, null));
    r.observe(T0, jobs);
    r.observe(T0.plusSeconds(10), jobs);
    assertThat(r.runningSince(JobId.of("r"))).isEqualTo(T0);
    r.observe(T0.plusSeconds(20), List.of());
    assertThat(r.followed()).isZero();
  }

  @Test
  void aRunningJobEndsSoonWhenItsEstimateOrItsLimitIsWithinTheHorizon() {
    RunTimes r = new RunTimes();
    Job j = job("r", "erin", JobState.RUNNING, Duration.ofMinutes(10));
    r.observe(T0, List.of(j));
    assertThat(r.endsSoon(j, T0.plusSeconds(100))).as("500 s left > 300 s").isFalse();
    assertThat(r.endsSoon(j, T0.plusSeconds(400))).as("200 s left").isTrue();
    assertThat(r.endsSoon(j, T0.plusSeconds(4000))).as("past its limit: the batch system ends it").isTrue();
    Job unknown = job("u", "frank", JobState.RUNNING, null);
    r.observe(T0, List.of(j, unknown));
    assertThat(r.endsSoon(unknown, T0.plusSeconds(400))).isFalse();
    for (int i = 0; i < 3; i++) r.learn("frank", Duration.ofSeconds(600), null);
    assertThat(r.endsSoon(unknown, T0.plusSeconds(400))).isTrue();
    assertThat(r.endsSoon(unknown, T0.plusSeconds(2000))).as("far past its estimate: no longer trusted").isFalse();
  }

  @Test
  void ownersAreBounded() {
    RunTimes r = new RunTimes();
    for (int i = 0; i < RunTimes.MAX_OWNERS + 10; i++) {
      r.learn("u" + i, Duration.ofSeconds(60), null);
    }
    assertThat(r.owners()).isEqualTo(RunTimes.MAX_OWNERS);
  }

  @Test
  void theEmptyEstimatorKnowsNothingAndLearnsNothing() {
    assertThat(RunTimes.none().expectedSeconds(job("a", "alice", JobState.IDLE, Duration.ofHours(1)))).isEqualTo(-1);
    assertThatThrownBy(() -> RunTimes.none().observe(T0, List.of())).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theSpreadIsOneForEqualRunTimesAndGrowsWithTheirSpread() {
    RunTimeSpread equal = new RunTimeSpread();
    for (int i = 0; i < 10; i++) equal.add(3600);
    assertThat(equal.known()).isTrue();
    assertThat(equal.ratio(4)).isEqualTo(1.0);
    RunTimeSpread wide = new RunTimeSpread();
    for (int i = 0; i < 10; i++) {
      wide.add(60);
      wide.add(36000);
    }
    // two of them: the longer is the long one 3 times in 4; the mean is about half the long one
    assertThat(wide.ratio(2)).isBetween(1.4, 1.6);
    assertThat(wide.ratio(1)).isEqualTo(1.0);
    RunTimeSpread mostlyUnknown = new RunTimeSpread();
    mostlyUnknown.add(60);
    mostlyUnknown.add(-1);
    mostlyUnknown.add(-1);
    assertThat(mostlyUnknown.known()).isFalse();
  }
}
