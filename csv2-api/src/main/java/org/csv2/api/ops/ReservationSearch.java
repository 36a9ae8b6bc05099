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

import java.time.Instant;
import java.util.Objects;
import org.csv2.model.GroupName;

/**
 * "Where and when can I get {@code count} VMs of {@code cores} cores and {@code ramMiB} MiB from
 * {@code start} to {@code end}?" ({@link Reservations#search}).
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param group the group whose clouds are searched
 * @param cores cores per VM, at least 1
 * @param ramMiB RAM per VM in MiB, at least 1
 * @param count the number of VMs, 0 or more
 * @param start the start of the window asked
 * @param end the end of the window asked, after the start
 */
public record ReservationSearch(GroupName group, int cores, long ramMiB, int count, Instant start, Instant end) {
  /** Validates. */
  public ReservationSearch {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (cores < 1 || ramMiB < 1 || count < 0) {
      throw new IllegalArgumentException("reservation search: at least 1 core and 1 MiB per VM, count 0 or more");
    }
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("reservation search: the end " + end + " is not after the start " + start);
    }
  }
}
