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
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * Which reservations {@link Reservations#list} returns: those whose window overlaps {@code [from,
 * to)}, of a group and an owner when given.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param group only this group's, or null
 * @param owner only this user's, or null
 * @param from the earliest instant, or null for the beginning of time
 * @param to the latest instant (exclusive), or null for the end of time
 */
public record ReservationFilter(
    @Nullable GroupName group, @Nullable String owner, @Nullable Instant from, @Nullable Instant to) {
  /** Every reservation. */
  public static final ReservationFilter ALL = new ReservationFilter(null, null, null, null);
}
