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

/**
 * The id of a job, unique within one job source (for HTCondor, {@code schedd#cluster.proc}). Any non-blank string.
 *
 * @param value the id
 */
public record JobId(String value) implements Comparable<JobId> {
  /** Validates the id. */
  public JobId {
    Names.nonBlank(value, "JobId");
  }

  /**
   * Returns the id for a string.
   *
   * @param value the id
   * @return the typed id
   * @throws IllegalArgumentException if it is blank
   */
  public static JobId of(String value) {
    return new JobId(value);
  }

  @Override
  public int compareTo(JobId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
