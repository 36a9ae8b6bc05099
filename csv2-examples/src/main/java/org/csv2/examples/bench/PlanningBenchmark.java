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
package org.csv2.examples.bench;

import java.util.concurrent.TimeUnit;
import org.csv2.core.planning.Planner;
import org.csv2.core.planning.Planners;
import org.csv2.core.planning.Snapshot;
import org.csv2.model.Plan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.jspecify.annotations.Nullable;

/**
 * B1: one {@code Planner.plan(snapshot)} call on the {@code mixed-20k} and {@code htc-100k}
 * scenarios, after warm-up. The snapshot is built once per fork, outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlanningBenchmark {
  /** The scenario. */
  @Param({"mixed-20k", "htc-100k"})
  public String scenario = "mixed-20k";

  /** The planning policy. */
  @Param({"default"})
  public String policy = "default";

  private @Nullable Snapshot snapshot;
  private @Nullable Planner planner;

  /** Builds the snapshot and the planner. */
  @Setup(Level.Trial)
  public void setUp() {
    snapshot = Scenarios.build(Scenarios.byName(scenario), SharedData.locate(), policy);
    planner = Planners.forPolicy(policy);
  }

  /**
   * Plans once.
   *
   * @return the plan (returned so that the work is not optimised away)
   */
  @Benchmark
  public Plan plan() {
    return java.util.Objects.requireNonNull(planner, "setUp").plan(java.util.Objects.requireNonNull(snapshot, "setUp"));
  }
}
