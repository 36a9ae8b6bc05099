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

import java.time.Instant;
import java.util.Objects;

/**
 * The usage of one VM from boot to termination, from which APEL-style cloud usage records can be
 * made.
 *
 * @param vm the VM
 * @param group its group
 * @param cloud its cloud
 * @param flavor its flavor
 * @param cores its cores
 * @param ramMiB its memory
 * @param start when it started
 * @param end when it ended
 * @param wallSeconds seconds between start and end
 */
public record AccountingRecord(
    VmId vm,
    GroupName group,
    CloudName cloud,
    FlavorName flavor,
    int cores,
    long ramMiB,
    Instant start,
    Instant end,
    long wallSeconds) {
  /** Validates. */
  public AccountingRecord {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start) || wallSeconds < 0 || cores < 0 || ramMiB < 0) {
      throw new IllegalArgumentException("accounting record of " + vm + " is inconsistent");
    }
  }
}
