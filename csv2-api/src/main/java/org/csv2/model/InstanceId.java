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
