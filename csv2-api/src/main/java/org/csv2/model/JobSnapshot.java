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

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a job source reports in one read: the jobs and the workers of this csv2 instance.
 *
 * @param at when it was read
 * @param jobs the jobs (idle and running at least)
 * @param workers the workers that carry this csv2 instance's attributes
 * @param skipped how many ads were malformed or foreign and left out
 */
public record JobSnapshot(Instant at, List<Job> jobs, List<Worker> workers, int skipped) {
  /** Validates and copies. */
  public JobSnapshot {
    Objects.requireNonNull(at, "at");
    jobs = List.copyOf(jobs);
    workers = List.copyOf(workers);
    if (skipped < 0) {
      throw new IllegalArgumentException("negative skipped count");
    }
  }
}
