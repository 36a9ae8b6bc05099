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
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One job of a workload trace in the Standard Workload Format, reduced to what a simulation needs.
 *
 * @param number the job number (SWF field 1)
 * @param submit when it was submitted, from the log's start (field 2)
 * @param runTime how long it ran (field 4); positive
 * @param processors the cores it used: the allocated processors (field 5), or the requested ones
 *     (field 8) when the allocation is unknown; positive
 * @param memoryKiBPerProc the requested memory per processor in KiB (field 10), or -1 when unknown
 * @param userId the anonymised user (field 12), -1 when unknown
 * @param groupId the anonymised group (field 13), -1 when unknown
 * @param partition the partition (field 16; the grid site in the LCG log), -1 when unknown
 * @param status the status (field 11): 1 completed, 0 failed, 5 cancelled, -1 unknown
 * @param requestedSeconds the wall time it requested in seconds (field 9), or -1 when unknown
 */
public record TraceJob(
    long number,
    Duration submit,
    Duration runTime,
    int processors,
    long memoryKiBPerProc,
    int userId,
    int groupId,
    int partition,
    int status,
    long requestedSeconds) {
  /**
   * A trace job whose requested time is unknown.
   *
   * @param number the job number
   * @param submit when it was submitted
   * @param runTime how long it ran
   * @param processors the cores it used
   * @param memoryKiBPerProc requested memory per processor in KiB, or -1
   * @param userId the user, -1 when unknown
   * @param groupId the group, -1 when unknown
   * @param partition the partition, -1 when unknown
   * @param status the status, -1 when unknown
   */
  public TraceJob(
      long number,
      Duration submit,
      Duration runTime,
      int processors,
      long memoryKiBPerProc,
      int userId,
      int groupId,
      int partition,
      int status) {
    this(number, submit, runTime, processors, memoryKiBPerProc, userId, groupId, partition, status, -1);
  }

  /** Validates. */
  public TraceJob {
    Objects.requireNonNull(submit, "submit");
    Objects.requireNonNull(runTime, "runTime");
    if (runTime.isZero() || runTime.isNegative()) {
      throw new IllegalArgumentException("trace job " + number + ": run time must be positive");
    }
    if (processors <= 0) {
      throw new IllegalArgumentException("trace job " + number + ": processors must be positive");
    }
    if (requestedSeconds < -1) {
      throw new IllegalArgumentException("trace job " + number + ": requested time must be >= 0 or -1");
    }
  }

  /**
   * The requested wall time, or null when the trace does not give one (or gives 0).
   *
   * @return the requested time
   */
  public @Nullable Duration requestedWallTime() {
    return requestedSeconds > 0 ? Duration.ofSeconds(requestedSeconds) : null;
  }

  /**
   * The memory the whole job requests in MiB: requested memory per processor times processors,
   * rounded up, or {@code defaultMiBPerCore} per processor when the trace does not say.
   *
   * @param defaultMiBPerCore memory per processor to assume when unknown
   * @return the memory in MiB
   */
  public long memoryMiB(long defaultMiBPerCore) {
    if (memoryKiBPerProc <= 0) {
      return defaultMiBPerCore * processors;
    }
    return (memoryKiBPerProc * processors + 1023) / 1024;
  }
}
