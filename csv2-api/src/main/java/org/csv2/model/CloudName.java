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
 * The name of a cloud: 1-63 lower-case letters, digits, {@code -} or {@code _}, never containing
 * {@code --} (which separates the parts of a VM name).
 *
 * @param value the name
 */
public record CloudName(String value) implements Comparable<CloudName> {
  /** Validates the name. */
  public CloudName {
    Names.slug(value, "cloud name");
  }

  /**
   * Returns the name for a string.
   *
   * @param value the name
   * @return the typed name
   * @throws IllegalArgumentException if the name is invalid
   */
  public static CloudName of(String value) {
    return new CloudName(value);
  }

  @Override
  public int compareTo(CloudName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
