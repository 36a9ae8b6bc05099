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
import java.util.List;
import java.util.Objects;
import org.csv2.model.CloudName;
import org.csv2.model.Limits;

/**
 * One cloud's answer to a {@link ReservationSearch}: whether the window asked fits, and the free
 * windows near it in which the VMs asked for fit for at least the asked length.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param cloud the cloud
 * @param fits whether the VMs fit on this cloud over the whole window asked
 * @param capacity what reservations of the group may hold there at once (cores, MiB, VMs; -1:
 *     unlimited): the smaller of the cloud's quota, less what is used outside csv2, and the group's
 *     controls
 * @param free the free windows in the searched span (the window asked, widened on both sides by
 *     its length and at least a day), earliest first; each is a maximal interval in which the VMs
 *     fit at every instant, at least as long as the window asked
 * @param note why it does not fit (the conflict), or empty
 */
public record CloudAvailability(CloudName cloud, boolean fits, Limits capacity, List<Window> free, String note) {
  /** Validates and copies. */
  public CloudAvailability {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(note, "note");
    free = List.copyOf(free);
  }

  /**
   * A time window {@code [start, end)}.
   *
   * @param start inclusive
   * @param end exclusive, after the start
   */
  public record Window(Instant start, Instant end) {
    /** Validates. */
    public Window {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      if (!end.isAfter(start)) {
        throw new IllegalArgumentException("window: the end " + end + " is not after the start " + start);
      }
    }
  }
}
