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
