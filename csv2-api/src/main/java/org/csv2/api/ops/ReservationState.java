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

/**
 * Where a {@link Reservation} stands. A booking is checked and stored in one transaction, so a
 * reservation is REQUESTED only inside that transaction and is stored CONFIRMED or REFUSED; the
 * engine holding the group's lease moves it on through STARTING, RUNNING, STOPPING and ENDED, or
 * to FAILED.
 */
public enum ReservationState {
  /** Asked for, not yet checked against the capacity over its window. */
  REQUESTED,
  /** Booked: its capacity is held on its cloud for its window. */
  CONFIRMED,
  /** The engine boots its VMs (early by the cloud's boot time, so that they run at the start). */
  STARTING,
  /** Its VMs run; the engine keeps them whatever the job queue and replaces a VM that fails. */
  RUNNING,
  /** Its window ended (or it was cancelled): its VMs are retired and terminated. */
  STOPPING,
  /** Over: its VMs are gone (or it was cancelled before it started). */
  ENDED,
  /** Not booked: the reason names the capacity conflict. */
  REFUSED,
  /** Could not be carried out (its cloud refused or failed); the reason says why. */
  FAILED;

  /**
   * Whether a reservation in this state holds capacity on its cloud for its window.
   *
   * @return true for CONFIRMED, STARTING, RUNNING and STOPPING
   */
  public boolean holdsCapacity() {
    return this == CONFIRMED || this == STARTING || this == RUNNING || this == STOPPING;
  }

  /**
   * Whether the reservation is over.
   *
   * @return true for ENDED, REFUSED and FAILED
   */
  public boolean isFinal() {
    return this == ENDED || this == REFUSED || this == FAILED;
  }
}
