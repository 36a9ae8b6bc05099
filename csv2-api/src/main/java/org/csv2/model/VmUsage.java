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
package org.csv2.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The usage of one VM so far, running or finished, as the engine tracks it from its own history and
 * the job source's reports: what the VM was, when it ran, for whom, and how much CPU its jobs used.
 * The source of accounting records (APEL) and usage reports.
 *
 * @param vm the VM
 * @param uuid a UUID unique to this VM and stable across runs (APEL's VMUUID)
 * @param group its group
 * @param cloud its cloud
 * @param flavor its flavor
 * @param image its image, blank when unknown
 * @param cores its cores
 * @param ramMiB its memory
 * @param diskGiB its disk
 * @param start when it started (its first BOOTING, else its creation)
 * @param end when it ended, null while it runs
 * @param suspendSeconds seconds it spent suspended, paused or stopped, up to {@code suspendedSince}
 * @param suspendedSince when its current suspension began, null when it is not suspended
 * @param cpuSeconds CPU seconds its jobs used, as the job source reported them (finished jobs'
 *     plus the running jobs' latest figures)
 * @param cpuMeasured true when the job source reported CPU for it; false when it never did, and
 *     {@link #cpuSecondsAt} is wall time x cores
 * @param users the batch-system users whose jobs ran on it, sorted
 * @param openJobs the CPU seconds last reported for each job still running on it, by {@link
 *     SlotUsage#key()}
 * @param pricePerHour its price per hour, 0 when free
 * @param updatedAt when this record was last brought up to date
 */
public record VmUsage(
    VmId vm,
    String uuid,
    GroupName group,
    CloudName cloud,
    FlavorName flavor,
    String image,
    int cores,
    long ramMiB,
    long diskGiB,
    Instant start,
    @Nullable Instant end,
    long suspendSeconds,
    @Nullable Instant suspendedSince,
    double cpuSeconds,
    boolean cpuMeasured,
    Set<String> users,
    Map<String, Double> openJobs,
    double pricePerHour,
    Instant updatedAt) {
  /** Validates and copies (users and open jobs sorted). */
  public VmUsage {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (cores < 0 || ramMiB < 0 || diskGiB < 0 || suspendSeconds < 0) {
      throw new IllegalArgumentException("usage of " + vm + ": negative cores, memory, disk or suspension");
    }
    if (end != null && end.isBefore(start)) {
      throw new IllegalArgumentException("usage of " + vm + ": ends before it starts");
    }
    if (!(cpuSeconds >= 0) || Double.isInfinite(cpuSeconds) || !(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
      throw new IllegalArgumentException("usage of " + vm + ": CPU seconds and price must be >= 0");
    }
    users = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(users));
    openJobs = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(openJobs));
  }

  /**
   * Whether it still runs.
   *
   * @return true when it has no end
   */
  public boolean running() {
    return end == null;
  }

  /**
   * Seconds suspended up to a time (the current suspension counted up to it).
   *
   * @param at the time
   * @return the seconds
   */
  public long suspendSecondsAt(Instant at) {
    Instant until = clamp(at);
    long s = suspendSeconds;
    if (suspendedSince != null && until.isAfter(suspendedSince)) {
      s += Duration.between(suspendedSince, until).toSeconds();
    }
    return s;
  }

  /**
   * Wall seconds up to a time: from the start to the time (or the end, if earlier), less the time
   * suspended.
   *
   * @param at the time
   * @return the seconds, never negative
   */
  public long wallSecondsAt(Instant at) {
    Instant until = clamp(at);
    if (!until.isAfter(start)) {
      return 0;
    }
    return Math.max(0, Duration.between(start, until).toSeconds() - suspendSecondsAt(at));
  }

  /**
   * CPU seconds up to a time: the reported figure when {@link #cpuMeasured}, else wall x cores.
   *
   * @param at the time
   * @return the seconds
   */
  public long cpuSecondsAt(Instant at) {
    return cpuMeasured ? Math.round(cpuSeconds) : wallSecondsAt(at) * cores;
  }

  private Instant clamp(Instant at) {
    return end != null && end.isBefore(at) ? end : at;
  }
}
