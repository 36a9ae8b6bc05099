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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Plan;
import org.junit.jupiter.api.Test;

/**
 * The learned-run-times policy with no run-time knowledge plans exactly as least-cost-per-job, on
 * random snapshots ({@link SnapshotGen}); with knowledge its plans are still idempotent.
 */
class LearnedRunTimesPropertiesTest {
  private static final int EXAMPLES = 200;
  private final Planner planner = new DefaultPlanner();

  private static Snapshot with(Snapshot s, FlavorPolicy p, List<Job> jobs, RunTimes r) {
    EngineSettings e = s.settings();
    EngineSettings settings =
        new EngineSettings(
            e.instanceId(), e.policy(), p, e.timers(), e.throttles(), e.callTimeout(), e.breakerFailures(),
            e.breakerOpenFor(), e.leaseTtl());
    return new Snapshot(s.now(), settings, s.groups(), s.allocations(), s.aliases(), s.clouds(), jobs, s.workers(), s.vms(), r);
  }

  /** The jobs, each with a requested wall time drawn from its id (1 minute to about a day). */
  private static List<Job> withRequests(List<Job> jobs) {
    List<Job> out = new ArrayList<>();
    for (Job j : jobs) {
      int h = Math.floorMod(j.id().value().hashCode(), 1440) + 1;
      out.add(j.toBuilder().requestedWallTime(Duration.ofMinutes(h)).build());
    }
    return out;
  }

  @Test
  void withoutKnowledgeThePlanIsLeastCostPerJobs() {
    qt().withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Snapshot s = SnapshotGen.world(seed, SnapshotGen.Options.ALL).snapshot();
              Plan expected = planner.plan(with(s, FlavorPolicy.LEAST_COST_PER_JOB, s.jobs(), RunTimes.none()));
              assertThat(planner.plan(with(s, FlavorPolicy.LEARNED_RUN_TIMES, s.jobs(), new RunTimes())))
                  .as("seed %d, nothing learned, no requests", seed).isEqualTo(expected);
              assertThat(planner.plan(with(s, FlavorPolicy.LEARNED_RUN_TIMES, withRequests(s.jobs()), RunTimes.none())))
                  .as("seed %d, requests but an engine that does not learn", seed).isEqualTo(expected);
            });
  }

  @Test
  void withKnowledgePlanningAgainAfterApplyingTheBootsBootsNothing() {
    qt().withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Snapshot base = SnapshotGen.world(seed, SnapshotGen.Options.NO_BOOT_CAP).snapshot();
              List<Job> jobs = withRequests(base.jobs());
              RunTimes r = new RunTimes();
              // the running jobs were first seen 20 minutes ago: some end within the horizon
              r.observe(base.now().minus(Duration.ofMinutes(20)), jobs);
              Snapshot s = with(base, FlavorPolicy.LEARNED_RUN_TIMES, jobs, r);
              Plan p = planner.plan(s);
              Plan again = planner.plan(World.applyBoots(s, p.boots()));
              assertThat(again.boots()).as("seed %d: first plan %s, notes %s", seed, p.boots(), again.notes()).isEmpty();
              assertThat(jobs.stream().anyMatch(j -> j.state() == JobState.RUNNING) || r.followed() == 0).isTrue();
            });
  }
}
