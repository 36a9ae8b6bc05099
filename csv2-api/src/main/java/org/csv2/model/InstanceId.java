package org.csv2.model;

/**
 * The id of an instance as its cloud knows it (a Nova server UUID, an EC2 instance id). Any non-blank string.
 *
 * @param value the id
 */
public record InstanceId(String value) implements Comparable<InstanceId> {
  /** Validates the id. */
  public InstanceId {
    Names.nonBlank(value, "InstanceId");
  }

  /**
   * Returns the id for a string.
   *
   * @param value the id
   * @return the typed id
   * @throws IllegalArgumentException if it is blank
   */
  public static InstanceId of(String value) {
    return new InstanceId(value);
  }

  @Override
  public int compareTo(InstanceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
