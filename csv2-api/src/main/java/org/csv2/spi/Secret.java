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
