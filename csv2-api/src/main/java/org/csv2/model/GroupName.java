package org.csv2.model;

/**
 * The name of a group: 1-63 lower-case letters, digits, {@code -} or {@code _}, never containing
 * {@code --} (which separates the parts of a VM name).
 *
 * @param value the name
 */
public record GroupName(String value) implements Comparable<GroupName> {
  /** Validates the name. */
  public GroupName {
    Names.slug(value, "group name");
  }

  /**
   * Returns the name for a string.
   *
   * @param value the name
   * @return the typed name
   * @throws IllegalArgumentException if the name is invalid
   */
  public static GroupName of(String value) {
    return new GroupName(value);
  }

  @Override
  public int compareTo(GroupName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
