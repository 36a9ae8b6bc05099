package org.csv2.spi;

import java.util.Objects;

/**
 * A password, token or key from configuration. Its {@link #toString()} never shows the value, so a
 * secret that reaches a log or an exception message prints as {@code ****}.
 *
 * <p>Plugin configuration records declare secret fields with this type; the engine binds them from
 * {@code ${ENV}} references or files, never storing the clear value.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * <p><b>Lifecycle:</b> a value; it lives as long as the configuration record that holds it.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /**
   * Wraps a value.
   *
   * @param value the secret value
   * @return the secret
   */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /**
   * The clear value, for handing to a client library. Never log it.
   *
   * @return the value
   */
  public String reveal() {
    return value;
  }

  /**
   * Whether the value is empty.
   *
   * @return true for an empty secret
   */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Always {@code ****}. */
  @Override
  public String toString() {
    return "****";
  }
}
