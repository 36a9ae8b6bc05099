package org.csv2.model;

/**
 * The id of a cloud's flavor (instance type), as the cloud names it. Any non-blank string.
 *
 * @param value the id
 */
public record FlavorName(String value) implements Comparable<FlavorName> {
  /** Validates the id. */
  public FlavorName {
    Names.nonBlank(value, "FlavorName");
  }

  /**
   * Returns the id for a string.
   *
   * @param value the id
   * @return the typed id
   * @throws IllegalArgumentException if it is blank
   */
  public static FlavorName of(String value) {
    return new FlavorName(value);
  }

  @Override
  public int compareTo(FlavorName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
