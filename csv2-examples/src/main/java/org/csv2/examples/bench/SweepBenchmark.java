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
 * B1 {@code sweep}: the default policy's plan time as one of jobs (1k to 1M), clouds (1 to 200)
 * or VMs (100 to 20k) grows, the other two held at the base point (20k jobs, 10 clouds, 2,000 VMs).
 * {@link BenchMain} fits the growth exponent of each axis.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SweepBenchmark {
  /** The sweep points, as {@code sweep-j<jobs>-c<clouds>-v<vms>} scenario names. */
  public static final String[] POINTS = {
    "sweep-j1000-c10-v2000",
    "sweep-j4000-c10-v2000",
    "sweep-j16000-c10-v2000",
    "sweep-j64000-c10-v2000",
    "sweep-j256000-c10-v2000",
    "sweep-j1000000-c10-v2000",
    "sweep-j20000-c1-v2000",
    "sweep-j20000-c5-v2000",
    "sweep-j20000-c25-v2000",
    "sweep-j20000-c100-v2000",
    "sweep-j20000-c200-v2000",
    "sweep-j20000-c10-v100",
    "sweep-j20000-c10-v500",
    "sweep-j20000-c10-v5000",
    "sweep-j20000-c10-v20000",
  };

  /** The point. */
  @Param({
    "sweep-j1000-c10-v2000",
    "sweep-j4000-c10-v2000",
    "sweep-j16000-c10-v2000",
    "sweep-j64000-c10-v2000",
    "sweep-j256000-c10-v2000",
    "sweep-j1000000-c10-v2000",
    "sweep-j20000-c1-v2000",
    "sweep-j20000-c5-v2000",
    "sweep-j20000-c25-v2000",
    "sweep-j20000-c100-v2000",
    "sweep-j20000-c200-v2000",
    "sweep-j20000-c10-v100",
    "sweep-j20000-c10-v500",
    "sweep-j20000-c10-v5000",
    "sweep-j20000-c10-v20000",
  })
  public String point = "sweep-j1000-c10-v2000";

  private @Nullable Snapshot snapshot;
  private @Nullable Planner planner;

  /** Builds the snapshot and the planner. */
  @Setup(Level.Trial)
  public void setUp() {
    snapshot = Scenarios.build(Scenarios.byName(point), SharedData.locate(), "default");
    planner = Planners.forPolicy("default");
  }

  /**
   * Plans once.
   *
   * @return the plan
   */
  @Benchmark
  public Plan plan() {
    return java.util.Objects.requireNonNull(planner, "setUp").plan(java.util.Objects.requireNonNull(snapshot, "setUp"));
  }
}
