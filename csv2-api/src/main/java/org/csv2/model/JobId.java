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
