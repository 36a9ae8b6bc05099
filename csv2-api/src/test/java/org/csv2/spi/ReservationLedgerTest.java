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

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationState;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.junit.jupiter.api.Test;

/** The ledger's check: VMs against an instance quota, and a VM size against the cloud's flavors. */
class ReservationLedgerTest {
  static final CloudName C1 = CloudName.of("rackspace");
  static final GroupName G = GroupName.of("atlas");
  static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

  static Reservation r(long id, int cores, long ram, int count, Instant start, Duration length) {
    return new Reservation(id, "alice", G, C1, false, null, cores, ram, count, null, null, null, start, start.plus(length),
        id == 0 ? ReservationState.REQUESTED : ReservationState.CONFIRMED, "", T, T, null, List.of(), id == 0 ? 0 : 1);
  }

  static final List<Flavor> FLAVORS = List.of(
      Flavor.of("8GB-slice", Resources.of(4, 8192)), Flavor.of("15GB-slice", Resources.of(8, 15360)));

  @Test
  void aSizeNoFlavorHoldsIsAConflictNamingTheCloudTheSizeAndTheLargestFlavors() {
    ReservationCapacity cap = new ReservationCapacity(C1, Limits.NONE, Limits.NONE, FLAVORS);
    String why = ReservationLedger.conflict(cap, List.of(), r(0, 16, 32000, 1, T, Duration.ofHours(1)));
    assertThat(why).isEqualTo("no flavor of rackspace holds one VM of 16 cores and 32000 MiB "
        + "(its largest: 15GB-slice (8 cores, 15360 MiB), 8GB-slice (4 cores, 8192 MiB))");
    assertThat(ReservationLedger.conflict(cap, List.of(), r(0, 8, 15360, 1, T, Duration.ofHours(1)))).as("the largest holds it").isNull();
    assertThat(ReservationLedger.conflict(cap, List.of(), r(0, 8, 15361, 1, T, Duration.ofHours(1)))).as("1 MiB too much")
        .startsWith("no flavor of rackspace");
    assertThat(ReservationLedger.conflict(cap, List.of(), r(0, 16, 32000, 0, T, Duration.ofHours(1))))
        .as("zero VMs boot nothing: any size").isNull();
    assertThat(ReservationLedger.conflict(new ReservationCapacity(C1, Limits.NONE, Limits.NONE), List.of(),
        r(0, 16, 32000, 1, T, Duration.ofHours(1)))).as("flavors not known: not checked").isNull();
  }

  @Test
  void vmsCountAgainstTheInstanceQuotaOverTime() {
    ReservationCapacity cap = new ReservationCapacity(C1, new Limits(Limits.UNLIMITED, Limits.UNLIMITED, 3), Limits.NONE, FLAVORS);
    Reservation held = r(1, 1, 1000, 2, T, Duration.ofHours(2));
    assertThat(ReservationLedger.conflict(cap, List.of(held), r(0, 1, 1000, 1, T.plus(Duration.ofHours(1)), Duration.ofHours(2))))
        .isNull();
    assertThat(ReservationLedger.conflict(cap, List.of(held), r(0, 1, 1000, 2, T.plus(Duration.ofHours(1)), Duration.ofHours(2))))
        .isEqualTo("no room on rackspace at 2026-01-05T11:00:00Z: reservation(s) 1 hold 2 of 3 VMs for reservations on rackspace; 2 more asked");
    assertThat(ReservationLedger.conflict(cap, List.of(held), r(0, 1, 1000, 3, T.plus(Duration.ofHours(2)), Duration.ofHours(1))))
        .as("after it ends").isNull();
    assertThat(ReservationLedger.free(cap, List.of(held), G, new Limits(2, 2000, 2), T, T.plus(Duration.ofHours(4)), Duration.ofMinutes(30)))
        .extracting(w -> w.start()).containsExactly(T.plus(Duration.ofHours(2)));
  }
}
