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
package org.csv2.server;

import io.javalin.Javalin;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationFilter;
import org.csv2.api.ops.ReservationState;
import org.csv2.model.User;

/**
 * The reservation calendar (issue 15): per cloud, the reservations of a window of days as bars on
 * a timeline, server-rendered as a table (no script, no inline style: the Content-Security-Policy
 * allows neither), with the cores reserved in each time slot.
 */
final class ReservationPages {
  /** The most days one page shows. */
  static final int MAX_DAYS = 28;

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ReservationPages() {}

  static void install(Javalin app, Auth auth, World world) {
    app.get(
        "/reservations",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          User u = p.require();
          LocalDate today = LocalDate.ofInstant(world.clock().instant(), ZoneOffset.UTC);
          LocalDate first;
          int days;
          try {
            String f = Api.param(ctx, "from");
            first = f == null ? today : LocalDate.parse(f);
            String d = Api.param(ctx, "days");
            days = d == null ? 7 : Integer.parseInt(d);
          } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badRequest("from: a date (2026-01-05); days: 1-" + MAX_DAYS);
          }
          if (days < 1 || days > MAX_DAYS) {
            throw ApiException.badRequest("days: 1-" + MAX_DAYS);
          }
          Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
          Instant to = from.plus(Duration.ofDays(days));
          List<Reservation> all;
          try {
            all = world.operations().reservations().list(World.actor(u), new ReservationFilter(null, null, from, to));
          } catch (UnsupportedOperationException e) {
            all = List.of();
          }
          Map<String, Object> m = new HashMap<>();
          m.put("calendar", calendar(all.stream().filter(r -> p.canSee(r.group())).filter(r -> r.end().isAfter(from) && r.start().isBefore(to)).toList(), from, days));
          m.put("from", first.toString());
          m.put("days", days);
          m.put("previous", first.minusDays(days).toString());
          m.put("next", first.plusDays(days).toString());
          m.put("today", today.toString());
          render(ctx, p, m);
        });
  }

  private static void render(io.javalin.http.Context ctx, Principal p, Map<String, Object> m) {
    Pages.render(ctx, "reservations", p, m);
  }

  /** One cell of a lane: a gap or a reservation's bar, {@code span} slots wide. */
  record Cell(int span, String css, String text, String title) {}

  /** The timeline of a window: its slots and a lane of bars per cloud. */
  record Calendar(List<String> days, int slotsPerDay, List<String> slotLabels, List<Lane> lanes) {}

  /** A cloud's reservations, one row each, and the cores reserved in each slot. */
  record Lane(String cloud, List<List<Cell>> rows, List<Integer> cores, int peak) {}

  static Calendar calendar(List<Reservation> reservations, Instant from, int days) {
    int slotHours = days <= 2 ? 1 : days <= 7 ? 3 : 12;
    int perDay = 24 / slotHours;
    int slots = days * perDay;
    Duration slot = Duration.ofHours(slotHours);
    List<String> dayLabels = new ArrayList<>();
    List<String> slotLabels = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      Instant day = from.plus(Duration.ofDays(d));
      dayLabels.add(DAY.format(day));
      for (int s = 0; s < perDay; s++) {
        slotLabels.add(HOUR.format(day.plus(slot.multipliedBy(s))));
      }
    }
    Map<String, List<Reservation>> byCloud = new TreeMap<>();
    for (Reservation r : reservations) {
      String cloud = r.cloud() != null ? r.cloud().value() : "any cloud of " + r.group();
      byCloud.computeIfAbsent(cloud, k -> new ArrayList<>()).add(r);
    }
    List<Lane> lanes = new ArrayList<>();
    byCloud.forEach((cloud, rs) -> {
      rs.sort(java.util.Comparator.comparing(Reservation::start).thenComparing(Reservation::id));
      int[] cores = new int[slots];
      List<List<Cell>> rows = new ArrayList<>();
      for (Reservation r : rs) {
        int a = (int) Math.max(0, Math.floorDiv(Duration.between(from, r.start()).toMinutes(), slot.toMinutes()));
        long endMinutes = Duration.between(from, r.end()).toMinutes();
        int b = (int) Math.min(slots, Math.max(a + 1, (endMinutes + slot.toMinutes() - 1) / slot.toMinutes()));
        boolean holds = holdsCapacity(r.state());
        for (int i = a; i < b && holds; i++) {
          cores[i] += r.cores() * r.count();
        }
        List<Cell> row = new ArrayList<>();
        if (a > 0) {
          row.add(new Cell(a, "gap", "", ""));
        }
        String state = r.state().name().toLowerCase(Locale.ROOT);
        String text = "#" + r.id() + " " + r.owner() + " · " + r.count() + "×" + r.cores() + " cores · " + state;
        String title = r.group() + ": " + r.start() + " to " + r.end() + (r.reason().isEmpty() ? "" : " · " + r.reason());
        row.add(new Cell(b - a, "bar r-" + state, text, title));
        if (b < slots) {
          row.add(new Cell(slots - b, "gap", "", ""));
        }
        rows.add(row);
      }
      List<Integer> coreList = new ArrayList<>();
      int peak = 0;
      for (int c : cores) {
        coreList.add(c);
        peak = Math.max(peak, c);
      }
      lanes.add(new Lane(cloud, rows, coreList, peak));
    });
    return new Calendar(dayLabels, perDay, slotLabels, lanes);
  }

  /** Whether a reservation in this state holds capacity in the ledger. */
  private static boolean holdsCapacity(ReservationState s) {
    return switch (s) {
      case CONFIRMED, STARTING, RUNNING, STOPPING -> true;
      default -> false;
    };
  }
}
