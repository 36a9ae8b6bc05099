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

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * The {@code job-source.config} of {@code driver: simulated}. Every key is optional; a missing key
 * (a null component) takes the default named on the component.
 *
 * @param world the shared world whose pool to read ({@code default}); ignored when the job source
 *     is created through {@link SimulatedWorld#jobSourceProvider()}
 * @param workload the jobs to submit (default none: jobs are submitted in code with {@link
 *     SimulatedPool#submit})
 * @param registerDelay time between an instance becoming ACTIVE and its worker registering (30 s)
 */
public record SimulatedJobSourceConfig(
    @Nullable String world, @Nullable Workload workload, @Nullable Duration registerDelay) {
  /** The default register delay, 30 s. */
  public static final Duration DEFAULT_REGISTER_DELAY = Duration.ofSeconds(30);

  /** Every key at its default. */
  public static final SimulatedJobSourceConfig DEFAULTS = new SimulatedJobSourceConfig(null, null, null);

  /** Applies defaults and validates. */
  public SimulatedJobSourceConfig {
    world = world == null ? SimulatedWorld.DEFAULT_NAME : world;
    workload = workload == null ? Workload.NONE : workload;
    registerDelay = registerDelay == null ? DEFAULT_REGISTER_DELAY : registerDelay;
    if (world.isBlank()) {
      throw new IllegalArgumentException("world: must not be blank");
    }
    if (registerDelay.isNegative()) {
      throw new IllegalArgumentException("register-delay: must not be negative, was " + registerDelay);
    }
  }

  /**
   * The jobs a simulated pool receives: at most one of a synthetic workload and a trace.
   *
   * @param synthetic a generated workload, or null
   * @param trace a replayed trace, or null
   */
  public record Workload(@Nullable Synthetic synthetic, @Nullable Trace trace) {
    /** No jobs. */
    public static final Workload NONE = new Workload(null, null);

    /** Validates. */
    public Workload {
      if (synthetic != null && trace != null) {
        throw new IllegalArgumentException("workload: give either synthetic or trace, not both");
      }
    }
  }

  /**
   * A synthetic workload, deterministic from its seed. The defaults are the quickstart's: 400 jobs
   * over 2 hours, 1/2/4/8-core jobs (weights 8/4/2/1), 5 to 60 minutes each, 2 groups.
   *
   * @param jobs how many jobs (400)
   * @param seed the seed of every draw (1)
   * @param groups the groups, drawn uniformly per job ({@code atlas}, {@code belle2})
   * @param cores the core counts to draw from (1, 2, 4, 8)
   * @param weights the weight of each core count, same length as {@code cores} (8, 4, 2, 1)
   * @param ramMibPerCore memory per core (2000)
   * @param duration the run time, uniform in [min, max] (5 min to 60 min)
   * @param arrivalWindow submit times are uniform in [0, window] from the workload's start (2 h)
   * @param owners how many owners per group, {@code user1} to {@code userN} (3)
   */
  public record Synthetic(
      @Nullable Integer jobs,
      @Nullable Long seed,
      @Nullable List<String> groups,
      @Nullable List<Integer> cores,
      @Nullable List<Integer> weights,
      @Nullable Long ramMibPerCore,
      @Nullable Range duration,
      @Nullable Duration arrivalWindow,
      @Nullable Integer owners) {
    /** The quickstart workload. */
    public static final Synthetic QUICKSTART =
        new Synthetic(null, null, null, null, null, null, null, null, null);

    /** Applies defaults and validates. */
    public Synthetic {
      jobs = jobs == null ? 400 : jobs;
      seed = seed == null ? 1L : seed;
      groups = groups == null || groups.isEmpty() ? List.of("atlas", "belle2") : List.copyOf(groups);
      if (cores == null || cores.isEmpty()) {
        cores = List.of(1, 2, 4, 8);
        weights = weights == null || weights.isEmpty() ? List.of(8, 4, 2, 1) : List.copyOf(weights);
      } else {
        cores = List.copyOf(cores);
        weights =
            weights == null || weights.isEmpty()
                ? java.util.Collections.nCopies(cores.size(), 1)
                : List.copyOf(weights);
      }
      ramMibPerCore = ramMibPerCore == null ? 2000L : ramMibPerCore;
      duration = duration == null ? new Range(Duration.ofMinutes(5), Duration.ofMinutes(60)) : duration;
      arrivalWindow = arrivalWindow == null ? Duration.ofHours(2) : arrivalWindow;
      owners = owners == null ? 3 : owners;
      if (jobs < 0) {
        throw new IllegalArgumentException("synthetic.jobs: must be >= 0, was " + jobs);
      }
      for (String g : groups) {
        GroupName.of(g);
      }
      if (weights.size() != cores.size()) {
        throw new IllegalArgumentException(
            "synthetic.weights: need one weight per core count (" + cores.size() + "), got "
                + weights.size());
      }
      int sum = 0;
      for (int i = 0; i < cores.size(); i++) {
        if (cores.get(i) <= 0 || weights.get(i) < 0) {
          throw new IllegalArgumentException("synthetic: cores must be > 0 and weights >= 0");
        }
        sum += weights.get(i);
      }
      if (sum <= 0) {
        throw new IllegalArgumentException("synthetic.weights: at least one weight must be > 0");
      }
      if (ramMibPerCore < 0 || arrivalWindow.isNegative() || owners <= 0) {
        throw new IllegalArgumentException(
            "synthetic: ram-mib-per-core and arrival-window must be >= 0, owners > 0");
      }
      if (Objects.requireNonNull(duration.min()).isZero()) {
        throw new IllegalArgumentException("synthetic.duration.min: must be positive");
      }
    }
  }

  /**
   * A duration range, uniform in [min, max].
   *
   * @param min the shortest
   * @param max the longest (default min)
   */
  public record Range(Duration min, @Nullable Duration max) {
    /** Validates. */
    public Range {
      Objects.requireNonNull(min, "min");
      max = max == null ? min : max;
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("need 0 <= min <= max, was min " + min + ", max " + max);
      }
    }
  }

  /**
   * A trace in the Standard Workload Format, replayed as jobs (see {@link TraceReplay} for which
   * records are used).
   *
   * @param path the SWF file, plain or gzip-compressed (required)
   * @param maxJobs the most jobs to submit (all)
   * @param group the one group of every job; give this or {@code groups} (default {@code trace})
   * @param groups groups to spread jobs over: a job goes to {@code groups[userId mod size]}
   * @param timeScale factor on submit times: 0.5 makes arrivals twice as dense; run times are kept
   *     (1.0)
   * @param startOffset trace time where the replay starts: earlier jobs are dropped and the job at
   *     the offset arrives when the workload starts (0 s)
   * @param ramMibPerCore memory per core when the trace gives none (2000)
   */
  public record Trace(
      String path,
      @Nullable Integer maxJobs,
      @Nullable String group,
      @Nullable List<String> groups,
      @Nullable Double timeScale,
      @Nullable Duration startOffset,
      @Nullable Long ramMibPerCore) {
    /** Applies defaults and validates. */
    public Trace {
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("trace.path: required");
      }
      maxJobs = maxJobs == null || maxJobs <= 0 ? -1 : maxJobs;
      if (group != null && groups != null && !groups.isEmpty()) {
        throw new IllegalArgumentException("trace: give group or groups, not both");
      }
      if (groups == null || groups.isEmpty()) {
        groups = List.of(group == null ? "trace" : group);
      } else {
        groups = List.copyOf(groups);
      }
      for (String g : groups) {
        GroupName.of(g);
      }
      timeScale = timeScale == null ? 1.0 : timeScale;
      if (!(timeScale > 0) || timeScale.isInfinite()) {
        throw new IllegalArgumentException("trace.time-scale: must be > 0, was " + timeScale);
      }
      startOffset = startOffset == null ? Duration.ZERO : startOffset;
      if (startOffset.isNegative()) {
        throw new IllegalArgumentException("trace.start-offset: must be >= 0");
      }
      ramMibPerCore = ramMibPerCore == null ? 2000L : ramMibPerCore;
      if (ramMibPerCore < 0) {
        throw new IllegalArgumentException("trace.ram-mib-per-core: must be >= 0");
      }
    }
  }
}
