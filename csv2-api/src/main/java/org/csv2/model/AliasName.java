package org.csv2.model;

/**
 * The name of a alias: 1-63 lower-case letters, digits, {@code -} or {@code _}, never containing
 * {@code --} (which separates the parts of a VM name).
 *
 * @param value the name
 */
public record AliasName(String value) implements Comparable<AliasName> {
  /** Validates the name. */
  public AliasName {
    Names.slug(value, "alias name");
  }

  /**
   * Returns the name for a string.
   *
   * @param value the name
   * @return the typed name
   * @throws IllegalArgumentException if the name is invalid
   */
  public static AliasName of(String value) {
    return new AliasName(value);
  }

  @Override
  public int compareTo(AliasName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
