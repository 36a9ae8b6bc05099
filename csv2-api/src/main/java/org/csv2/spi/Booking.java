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
import org.csv2.api.ops.Reservation;
import org.jspecify.annotations.Nullable;

/**
 * What {@link StateStore#book} or {@link StateStore#extendReservation} did.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param reservation the reservation as stored: CONFIRMED or REFUSED after a booking; after an
 *     extension, with its new end, or unchanged when refused
 * @param refusal the capacity conflict that refused it, naming the cloud, the instant and the
 *     reservations that hold the capacity; null when it was booked or extended
 */
public record Booking(Reservation reservation, @Nullable String refusal) {
  /** Validates. */
  public Booking {
    Objects.requireNonNull(reservation, "reservation");
  }

  /**
   * Whether it was booked or extended.
   *
   * @return true if nothing refused it
   */
  public boolean done() {
    return refusal == null;
  }
}
