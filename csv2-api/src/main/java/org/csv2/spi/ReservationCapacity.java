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

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.jspecify.annotations.Nullable;

/**
 * What reservations may hold on one cloud at any instant, handed to {@link StateStore#book} and
 * {@link StateStore#extendReservation}: the capacity-holding reservations on the cloud together
 * (every group's) stay within {@code cloud}, and the booking group's within {@code group}. Each
 * figure is cores, MiB and VMs (the cloud's instance quota counts VMs as its core quota counts
 * cores); {@link Limits#UNLIMITED} is no limit. A VM size that no flavor of the cloud holds does
 * not fit at all ({@link #noFlavorFor}).
 *
 * <p>The operations layer computes both from the cloud's quota as the engines last read it (less
 * what is used outside csv2) and the group's controls on the cloud (docs/reservations.md).
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param cloud the cloud
 * @param total what all reservations on the cloud may hold at once
 * @param group what the booking group's reservations on the cloud may hold at once
 * @param flavors the flavors the booking group may boot on the cloud (or the largest of them): a
 *     reservation whose VM size none of them holds is refused whatever the room (its cluster could
 *     never boot); empty when not known, and then not checked
 */
public record ReservationCapacity(CloudName cloud, Limits total, Limits group, List<Flavor> flavors) {
  /** Validates and copies. */
  public ReservationCapacity {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(group, "group");
    flavors = List.copyOf(flavors);
  }

  /**
   * A capacity whose flavors are not known (not checked).
   *
   * @param cloud the cloud
   * @param total what all reservations on the cloud may hold at once
   * @param group what the booking group's reservations on the cloud may hold at once
   */
  public ReservationCapacity(CloudName cloud, Limits total, Limits group) {
    this(cloud, total, group, List.of());
  }

  /**
   * Why one VM of a size cannot run on the cloud: no flavor holds its cores and RAM.
   *
   * @param cores the cores of one VM
   * @param ramMiB its memory, MiB
   * @return the reason, naming the cloud, the size and the largest flavors; null when a flavor
   *     holds it or the flavors are not known
   */
  public @Nullable String noFlavorFor(int cores, long ramMiB) {
    if (flavors.isEmpty()) {
      return null;
    }
    Resources one = Resources.of(cores, ramMiB);
    for (Flavor f : flavors) {
      if (one.fitsIn(f.resources())) {
        return null;
      }
    }
    String largest = flavors.stream()
        .sorted(Comparator.comparingInt((Flavor f) -> f.resources().cores()).thenComparingLong(f -> f.resources().ramMiB()).reversed())
        .limit(3)
        .map(f -> f.name() + " (" + f.resources().cores() + " cores, " + f.resources().ramMiB() + " MiB)")
        .collect(Collectors.joining(", "));
    return "no flavor of " + cloud + " holds one VM of " + cores + " cores and " + ramMiB + " MiB (its largest: " + largest + ")";
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
