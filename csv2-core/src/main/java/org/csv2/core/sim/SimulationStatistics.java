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
import java.time.Instant;
import java.util.Objects;

/**
 * The figures of a simulation at one moment, for reports.
 *
 * <p>Definitions:
 *
 * <ul>
 *   <li><b>wait</b> of a job: from its submit time to its first start; only jobs that started count.
 *       Percentiles are exact, by the nearest-rank method: the p-th percentile of n sorted waits is
 *       the ⌈p·n/100⌉-th smallest. All are zero when no job started.
 *   <li><b>core-hours used</b>: job cores × time running, over every run: completed runs, runs cut
 *       short when a worker was lost, and runs in progress (up to now).
 *   <li><b>core-hours provisioned</b>: flavor cores × time from the boot call to the terminate call
 *       (or now, for instances not terminated), for every instance of every cloud, whatever its
 *       state (PENDING and ERROR instances hold their cores too).
 *   <li><b>cost</b>: flavor price per hour × the same time.
 *   <li><b>VMs booted</b>: instances created by boot calls (including those whose reply was lost);
 *       <b>peak VMs</b>: the most instances that existed at once (booted, not yet terminated).
 *   <li><b>boot failures injected</b>: injected boot errors, capacity errors, lost replies,
 *       time-outs and errors after boot, over all clouds.
 * </ul>
 *
 * @param at when the figures were taken
 * @param jobsSubmitted jobs that arrived
 * @param jobsStarted jobs that started at least once
 * @param jobsCompleted jobs that completed
 * @param jobsLost runs lost because their worker disappeared (the job went back to IDLE)
 * @param jobsIdle jobs idle now
 * @param jobsRunning jobs running now
 * @param waitMean the mean wait
 * @param waitP50 the median wait
 * @param waitP95 the 95th percentile of the wait
 * @param waitP99 the 99th percentile of the wait
 * @param waitMax the longest wait
 * @param coreHoursUsed core-hours used
 * @param coreHoursProvisioned core-hours provisioned
 * @param cost the cost, in the flavors' currency
 * @param vmsBooted VMs booted
 * @param vmsNow VMs that exist now (booted, not terminated)
 * @param peakVms peak VMs
 * @param bootFailuresInjected boot failures injected
 */
public record SimulationStatistics(
    Instant at,
    long jobsSubmitted,
    long jobsStarted,
    long jobsCompleted,
    long jobsLost,
    int jobsIdle,
    int jobsRunning,
    Duration waitMean,
    Duration waitP50,
    Duration waitP95,
    Duration waitP99,
    Duration waitMax,
    double coreHoursUsed,
    double coreHoursProvisioned,
    double cost,
    long vmsBooted,
    int vmsNow,
    int peakVms,
    long bootFailuresInjected) {
  /** Validates. */
  public SimulationStatistics {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(waitMean, "waitMean");
    Objects.requireNonNull(waitP50, "waitP50");
    Objects.requireNonNull(waitP95, "waitP95");
    Objects.requireNonNull(waitP99, "waitP99");
    Objects.requireNonNull(waitMax, "waitMax");
  }

  /**
   * Core-hours provisioned divided by core-hours used (1.0 is perfect).
   *
   * @return the ratio, or 0 when nothing was used
   */
  public double provisionedPerUsed() {
    return coreHoursUsed > 0 ? coreHoursProvisioned / coreHoursUsed : 0.0;
  }

  /**
   * The exact nearest-rank percentile of sorted values.
   *
   * @param sorted values in ascending order
   * @param n how many of them count
   * @param p the percentile, in [1, 100]
   * @return the value, or 0 when {@code n} is 0
   */
  static long percentile(long[] sorted, int n, int p) {
    if (n == 0) {
      return 0;
    }
    long rank = ((long) p * n + 99) / 100;
    return sorted[(int) Math.max(1, Math.min(n, rank)) - 1];
  }
}
