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
