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
import org.csv2.model.CloudName;
import org.csv2.model.Limits;

/**
 * What reservations may hold on one cloud at any instant, handed to {@link StateStore#book} and
 * {@link StateStore#extendReservation}: the capacity-holding reservations on the cloud together
 * (every group's) stay within {@code cloud}, and the booking group's within {@code group}. Each
 * figure is cores, MiB and VMs; {@link Limits#UNLIMITED} is no limit.
 *
 * <p>The operations layer computes both from the cloud's quota as the engines last read it (less
 * what is used outside csv2) and the group's controls on the cloud (docs/reservations.md).
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param cloud the cloud
 * @param total what all reservations on the cloud may hold at once
 * @param group what the booking group's reservations on the cloud may hold at once
 */
public record ReservationCapacity(CloudName cloud, Limits total, Limits group) {
  /** Validates. */
  public ReservationCapacity {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(group, "group");
  }

  /**
   * No limit on a cloud (a test, or a cloud without quota).
   *
   * @param cloud the cloud
   * @return the capacity
   */
  public static ReservationCapacity unlimited(CloudName cloud) {
    return new ReservationCapacity(cloud, Limits.NONE, Limits.NONE);
  }

  /**
   * The smaller of the two limits, as one: what the group's reservations can hold when nothing
   * else is booked.
   *
   * @return the tighter of each figure
   */
  public Limits tightest() {
    return new Limits(
        (int) min(total.cores(), group.cores()),
        min(total.ramMiB(), group.ramMiB()),
        (int) min(total.instances(), group.instances()));
  }

  private static long min(long a, long b) {
    if (a == Limits.UNLIMITED) return b;
    if (b == Limits.UNLIMITED) return a;
    return Math.min(a, b);
  }
}
