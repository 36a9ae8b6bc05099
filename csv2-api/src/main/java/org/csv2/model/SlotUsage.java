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

import java.util.Objects;

/**
 * What one job has used so far in one slot of a worker, as the job source reports it: the user it
 * runs for and its accumulated CPU time. The engine banks a job's CPU when its key disappears from
 * the worker, so the key must stay the same for the whole run of one job in one slot and differ
 * for the next job.
 *
 * @param key names the job's run in the slot (HTCondor: the slot name and the job's start time);
 *     at most {@link #MAX_KEY} characters
 * @param owner the job's owner (the batch system's user name), blank when unknown
 * @param cpuSeconds the CPU seconds the job has used in this slot so far, {@code >= 0}
 */
public record SlotUsage(String key, String owner, double cpuSeconds) {
  /** The longest key. */
  public static final int MAX_KEY = 512;

  /** The longest owner. */
  public static final int MAX_OWNER = 255;

  /** Validates. */
  public SlotUsage {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(owner, "owner");
    if (key.isEmpty() || key.length() > MAX_KEY) {
      throw new IllegalArgumentException("slot usage key must have 1 to " + MAX_KEY + " characters");
    }
    if (owner.length() > MAX_OWNER) {
      throw new IllegalArgumentException("slot usage owner longer than " + MAX_OWNER + " characters");
    }
    if (!(cpuSeconds >= 0) || Double.isInfinite(cpuSeconds)) {
      throw new IllegalArgumentException("slot " + key + ": CPU seconds must be >= 0, was " + cpuSeconds);
    }
  }
}
