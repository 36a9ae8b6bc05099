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
package org.csv2.api.ops;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who performs an operation: recorded with every intent and audit entry.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param name the user or process name, 1 to 64 printable characters without spaces
 * @param role the role or source it acts in ({@code admin}, {@code cli}, {@code engine}, ...), 1 to
 *     32 characters of lower-case letters, digits, '-' and '_'
 */
public record Actor(String name, String role) {
  private static final Pattern NAME = Pattern.compile("[\\p{Graph}&&[^\\s]]{1,64}");
  private static final Pattern ROLE = Pattern.compile("[a-z0-9_-]{1,32}");

  /** Validates. */
  public Actor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "actor name must be 1 to 64 printable characters without spaces, was '" + shorten(name) + "'");
    }
    if (!ROLE.matcher(role).matches()) {
      throw new IllegalArgumentException(
          "actor role must be 1 to 32 of a-z, 0-9, '-', '_', was '" + shorten(role) + "'");
    }
  }

  /**
   * An actor.
   *
   * @param name the name
   * @param role the role or source
   * @return the actor
   */
  public static Actor of(String name, String role) {
    return new Actor(name, role);
  }

  private static String shorten(String s) {
    String printable = s.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
  }

  @Override
  public String toString() {
    return name + " (" + role + ")";
  }
}
