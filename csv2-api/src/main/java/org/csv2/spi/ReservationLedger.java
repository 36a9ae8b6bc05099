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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.csv2.api.ops.CloudAvailability.Window;
import org.csv2.api.ops.Reservation;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.jspecify.annotations.Nullable;

/**
 * The capacity of one cloud over time as reservations hold it: the one check every store runs
 * inside its booking transaction (so that all stores refuse the same bookings with the same
 * words), and the free windows a search shows.
 *
 * <p>A reservation holds its {@link Reservation#demand()} over {@code [start, end)} while its
 * state {@link org.csv2.api.ops.ReservationState#holdsCapacity() holds capacity}. The load is
 * constant between the starts and ends of the reservations, so checking it at the window's start
 * and at every start inside the window checks every instant.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class ReservationLedger {
  private ReservationLedger() {}

  /**
   * Why a reservation does not fit beside the others on its cloud, or null if it fits at every
   * instant of its window.
   *
   * @param capacity what reservations may hold on the cloud (the candidate's cloud)
   * @param others reservations; those on other clouds, not holding capacity, outside the window or
   *     with the candidate's id are left out
   * @param candidate the reservation to place, with its cloud set
   * @return the conflict (cloud, instant, what is held and by which reservations, what is asked;
   *     or the cloud and the VM size when no flavor of the cloud holds one VM of it), or null
   */
  public static @Nullable String conflict(
      ReservationCapacity capacity, Collection<Reservation> others, Reservation candidate) {
    if (candidate.count() > 0) {
      String noFlavor = capacity.noFlavorFor(candidate.cores(), candidate.ramMiB());
      if (noFlavor != null) {
        return noFlavor;
      }
    }
    List<Reservation> holding = holding(capacity, others, candidate.id(), candidate.start(), candidate.end());
    TreeSet<Instant> points = new TreeSet<>();
    points.add(candidate.start());
    for (Reservation r : holding) {
      if (r.start().isAfter(candidate.start())) {
        points.add(r.start());
      }
    }
    Limits asked = candidate.demand();
    for (Instant t : points) {
      List<Reservation> at = holding.stream().filter(r -> !r.start().isAfter(t) && r.end().isAfter(t)).toList();
      String total = over("for reservations on " + capacity.cloud(), capacity.total(), at, asked);
      String group =
          over(
              "for group " + candidate.group() + "'s reservations on " + capacity.cloud(),
              capacity.group(),
              at.stream().filter(r -> r.group().equals(candidate.group())).toList(),
              asked);
      String why = total != null ? total : group;
      if (why != null) {
        return "no room on " + capacity.cloud() + " at " + t + ": " + why;
      }
    }
    return null;
  }

  /**
   * The maximal windows in {@code [from, to)}, at least {@code minLength} long, in which {@code
   * count} VMs of a size fit at every instant beside the reservations held.
   *
   * @param capacity what reservations may hold on the cloud
   * @param others reservations (filtered as in {@link #conflict})
   * @param group the group that would book
   * @param demand what the booking would hold (cores, MiB, VMs)
   * @param from the start of the span searched
   * @param to its end
   * @param minLength the shortest window worth showing
   * @return the windows, earliest first
   */
  public static List<Window> free(
      ReservationCapacity capacity,
      Collection<Reservation> others,
      GroupName group,
      Limits demand,
      Instant from,
      Instant to,
      Duration minLength) {
    List<Reservation> holding = holding(capacity, others, 0, from, to);
    TreeSet<Instant> points = new TreeSet<>();
    points.add(from);
    for (Reservation r : holding) {
      if (r.start().isAfter(from)) points.add(r.start());
      if (r.end().isBefore(to)) points.add(r.end());
    }
    List<Window> windows = new ArrayList<>();
    Instant open = null;
    for (Instant t : points) {
      List<Reservation> at = holding.stream().filter(r -> !r.start().isAfter(t) && r.end().isAfter(t)).toList();
      boolean fits =
          over("", capacity.total(), at, demand) == null
              && over("", capacity.group(), at.stream().filter(r -> r.group().equals(group)).toList(), demand) == null;
      if (fits && open == null) {
        open = t;
      } else if (!fits && open != null) {
        add(windows, open, t, minLength);
        open = null;
      }
    }
    if (open != null) {
      add(windows, open, to, minLength);
    }
    return windows;
  }

  private static void add(List<Window> windows, Instant start, Instant end, Duration minLength) {
    if (Duration.between(start, end).compareTo(minLength) >= 0) {
      windows.add(new Window(start, end));
    }
  }

  /**
   * What the reservations hold on a cloud at one instant.
   *
   * @param capacity the cloud (only its name is used)
   * @param others reservations
   * @param at the instant
   * @return the cores, MiB and VMs held
   */
  public static Limits heldAt(ReservationCapacity capacity, Collection<Reservation> others, Instant at) {
    Limits sum = Limits.ZERO;
    for (Reservation r : holding(capacity, others, 0, at, at.plusNanos(1))) {
      sum = sum.plus(r.demand());
    }
    return sum;
  }

  private static List<Reservation> holding(
      ReservationCapacity capacity, Collection<Reservation> others, long skipId, Instant from, Instant to) {
    List<Reservation> out = new ArrayList<>();
    for (Reservation r : others) {
      if (r.state().holdsCapacity()
          && capacity.cloud().equals(r.cloud())
          && (skipId == 0 || r.id() != skipId)
          && r.overlaps(from, to)) {
        out.add(r);
      }
    }
    return out;
  }

  private static @Nullable String over(String what, Limits limit, List<Reservation> at, Limits asked) {
    long cores = 0;
    long ram = 0;
    long vms = 0;
    for (Reservation r : at) {
      cores += r.demand().cores();
      ram += r.demand().ramMiB();
      vms += r.demand().instances();
    }
    String dim = null;
    long held = 0;
    long max = 0;
    long want = 0;
    if (limit.cores() != Limits.UNLIMITED && cores + asked.cores() > limit.cores()) {
      dim = "cores";
      held = cores;
      max = limit.cores();
      want = asked.cores();
    } else if (limit.ramMiB() != Limits.UNLIMITED && ram + asked.ramMiB() > limit.ramMiB()) {
      dim = "MiB";
      held = ram;
      max = limit.ramMiB();
      want = asked.ramMiB();
    } else if (limit.instances() != Limits.UNLIMITED && vms + asked.instances() > limit.instances()) {
      dim = "VMs";
      held = vms;
      max = limit.instances();
      want = asked.instances();
    }
    if (dim == null) {
      return null;
    }
    String ids = at.stream().map(r -> Long.toString(r.id())).limit(20).collect(Collectors.joining(", "));
    return (at.isEmpty() ? "nothing held" : "reservation(s) " + ids + (at.size() > 20 ? ", ..." : "") + " hold " + held)
        + " of " + max + " " + dim + " " + what + "; " + want + " more asked";
  }
}
