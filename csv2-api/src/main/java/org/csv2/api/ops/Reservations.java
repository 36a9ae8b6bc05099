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
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * The reservation verbs of the operations API ({@link Operations#reservations()}): search, book,
 * list, extend, cancel, and the usage report. docs/reservations.md describes the model.
 *
 * <p>A booking checks the capacity over its whole window and is stored in one store transaction
 * that takes the database's own lock on the cloud's capacity ledger, so of two processes racing
 * for the last capacity exactly one gets it and the other a refusal naming the conflict. The
 * engine holding the group's lease carries the reservation out: it boots the VMs early by the
 * cloud's boot time, keeps them whatever the job queue, replaces one that fails, warns the owner
 * before the end and retires them at the end.
 *
 * <p><b>Thread safety:</b> implementations are safe for concurrent use, from several processes
 * on one store.
 */
public interface Reservations {
  /**
   * Every cloud of the group with whether the window asked fits and the free windows near it.
   *
   * @param actor who asks
   * @param search what and when
   * @return one answer per cloud allocated to the group, in the group's order of preference
   * @throws OperationException NOT_FOUND for an unknown group
   */
  List<CloudAvailability> search(Actor actor, ReservationSearch search);

  /**
   * Books a reservation for the actor: CONFIRMED on the cloud asked (or the first of the group's
   * clouds, by preference, with room over the whole window), or REFUSED with the conflict named.
   * Both are stored (a refusal counts in the usage report).
   *
   * @param actor who books (the owner)
   * @param request what and when
   * @return the stored reservation, CONFIRMED or REFUSED
   * @throws OperationException NOT_FOUND for an unknown group, cloud or flavor, REFUSED for a window
   *     in the past or whose end is not after its start, a cloud not allocated to the group, or a
   *     request that could never fit (larger than the capacity)
   */
  Reservation book(Actor actor, ReservationRequest request);

  /**
   * Reservations whose window overlaps the filter's period, earliest start first.
   *
   * @param actor who asks
   * @param filter which
   * @return the reservations
   */
  List<Reservation> list(Actor actor, ReservationFilter filter);

  /**
   * One reservation.
   *
   * @param actor who asks
   * @param id its id
   * @return the reservation
   * @throws OperationException NOT_FOUND for an unknown id
   */
  Reservation get(Actor actor, long id);

  /**
   * Moves a reservation's end later (or earlier), atomically like a booking: the capacity over the
   * added time is checked under the cloud's ledger lock.
   *
   * @param actor who asks
   * @param id the reservation
   * @param newEnd the new end, after now and after the start (rounded up to a whole minute)
   * @return the stored reservation with its new end
   * @throws OperationException NOT_FOUND for an unknown id; REFUSED, naming the conflict, when the
   *     capacity does not allow it, or for a reservation that is over or stopping
   */
  Reservation extend(Actor actor, long id, Instant newEnd);

  /**
   * Cancels a reservation: one that has not started ends at once, a running one is stopped (its
   * VMs retired) by the engine at its next cycle.
   *
   * @param actor who asks
   * @param id the reservation
   * @return the stored reservation, ENDED or STOPPING
   * @throws OperationException NOT_FOUND for an unknown id, REFUSED for one that is over
   */
  Reservation cancel(Actor actor, long id);

  /**
   * The usage report of a period, per user, group and cloud.
   *
   * @param actor who asks
   * @param group only this group's reservations, or null for all
   * @param from the period's start
   * @param to the period's end, after the start
   * @return the report
   */
  ReservationUsage usage(Actor actor, @Nullable GroupName group, Instant from, Instant to);
}
