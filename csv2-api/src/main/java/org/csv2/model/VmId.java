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

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The engine's name for a VM it asked for, which is also the VM's host name and the name it joins
 * the batch pool with.
 *
 * <p>Names made by {@link #of(GroupName, CloudName, String, String)} follow the production scheme
 * {@code <group>--<cloud>--<instance id>--<suffix>}, so that operators and tools that split on
 * {@code --} keep working. Any name of lower-case letters, digits, {@code -} and {@code .} is
 * accepted, so that VMs named by other tools can be adopted.
 *
 * @param value the name
 */
public record VmId(String value) implements Comparable<VmId> {
  private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

  /** Validates the name. */
  public VmId {
    Objects.requireNonNull(value, "VmId");
    if (!HOSTNAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "VM name '" + value + "' is invalid: use lower-case letters, digits, '-' and '.'");
    }
  }

  /**
   * Returns the id for a string.
   *
   * @param value the name
   * @return the typed id
   */
  public static VmId of(String value) {
    return new VmId(value);
  }

  /**
   * Makes a name in the production scheme {@code <group>--<cloud>--<instance id>--<suffix>}.
   *
   * @param group the VM's group
   * @param cloud the VM's cloud
   * @param instanceId this csv2 engine's instance id
   * @param suffix a unique suffix (lower-case letters and digits)
   * @return the name
   */
  public static VmId of(GroupName group, CloudName cloud, String instanceId, String suffix) {
    return new VmId(
        (group.value() + "--" + cloud.value() + "--" + instanceId + "--" + suffix)
            .toLowerCase(java.util.Locale.ROOT)
            .replace('_', '-'));
  }

  /**
   * Returns the csv2 instance id part of a name in the production scheme.
   *
   * @return the third {@code --} part, or empty when the name does not follow the scheme
   */
  public Optional<String> instancePart() {
    String[] parts = value.split("--", -1);
    return parts.length == 4 ? Optional.of(parts[2]) : Optional.empty();
  }

  @Override
  public int compareTo(VmId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
