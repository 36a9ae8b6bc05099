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
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * What a user asks {@link Reservations#book} for. The owner is the {@link Actor} who books.
 *
 * <p>Give the VM's size as {@code cores} and {@code ramMiB}, or as a {@code flavor} with both left
 * 0 (its size is then read from the flavors the engines last saw on the cloud). The window is
 * rounded out to whole minutes (start down, end up).
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param group the group
 * @param cloud the cloud, or null for any cloud of the group (the most preferred that has room)
 * @param flavor the flavor, or null
 * @param cores cores per VM, or 0 with a flavor
 * @param ramMiB RAM per VM in MiB, or 0 with a flavor
 * @param count the number of VMs, 0 or more
 * @param image the image, or null for the group's default
 * @param userData the name of one of the group's user-data documents, or null for the group's usual ones
 * @param sshKey the owner's SSH public key, or null
 * @param start the start of the window
 * @param end the end of the window
 */
public record ReservationRequest(
    GroupName group,
    @Nullable CloudName cloud,
    @Nullable FlavorName flavor,
    int cores,
    long ramMiB,
    int count,
    @Nullable String image,
    @Nullable String userData,
    @Nullable String sshKey,
    Instant start,
    Instant end) {
  /** Checks the parts that need no store. */
  public ReservationRequest {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (cores < 0 || ramMiB < 0) {
      throw new IllegalArgumentException("reservation request: negative cores or RAM");
    }
    if (flavor == null && (cores == 0 || ramMiB == 0)) {
      throw new IllegalArgumentException("reservation request: give cores and RAM per VM, or a flavor");
    }
  }

  /**
   * A request for VMs of a size on a cloud (or any cloud), with the group's image and user data.
   *
   * @param group the group
   * @param cloud the cloud, or null for any cloud of the group
   * @param cores cores per VM
   * @param ramMiB RAM per VM in MiB
   * @param count the number of VMs
   * @param start the start of the window
   * @param end the end of the window
   * @return the request
   */
  public static ReservationRequest of(
      GroupName group, @Nullable CloudName cloud, int cores, long ramMiB, int count, Instant start, Instant end) {
    return new ReservationRequest(group, cloud, null, cores, ramMiB, count, null, null, null, start, end);
  }
}
