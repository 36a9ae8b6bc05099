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
import java.util.Locale;
import java.util.Objects;

/**
 * Usage of reservations in a period ({@link Reservations#usage}): per user, per group and per
 * cloud, the core-hours booked and used and the reservations made, refused and failed. Only the
 * part of each window inside the period counts.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param from the period's start, inclusive
 * @param to the period's end, exclusive
 * @param rows one row per user, group and cloud, in that order, each sorted by name
 */
public record ReservationUsage(Instant from, Instant to, List<Row> rows) {
  /** Validates and copies. */
  public ReservationUsage {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    rows = List.copyOf(rows);
  }

  /** What a row counts by. */
  public enum By {
    /** The owner. */
    USER,
    /** The group. */
    GROUP,
    /** The cloud booked ({@code -} for a refused request that named none). */
    CLOUD
  }

  /**
   * One user's, group's or cloud's figures.
   *
   * @param by what the row counts by
   * @param name the user, group or cloud
   * @param coreHoursReserved core-hours of the confirmed reservations' windows in the period
   * @param coreHoursUsed core-hours their VMs ran in the period (from the VMs' boot to their end)
   * @param made reservations confirmed (in any later state but FAILED)
   * @param refused requests refused
   * @param failed reservations failed
   */
  public record Row(By by, String name, double coreHoursReserved, double coreHoursUsed, int made, int refused, int failed) {
    /** Validates. */
    public Row {
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * The report as CSV (RFC 4180, a header line, names quoted when they hold a comma or quote).
   *
   * @return the text
   */
  public String csv() {
    StringBuilder b = new StringBuilder("by,name,core_hours_reserved,core_hours_used,made,refused,failed\r\n");
    for (Row r : rows) {
      b.append(r.by().name().toLowerCase(Locale.ROOT)).append(',')
          .append(quote(r.name())).append(',')
          .append(String.format(Locale.ROOT, "%.2f", r.coreHoursReserved())).append(',')
          .append(String.format(Locale.ROOT, "%.2f", r.coreHoursUsed())).append(',')
          .append(r.made()).append(',').append(r.refused()).append(',').append(r.failed()).append("\r\n");
    }
    return b.toString();
  }

  private static String quote(String s) {
    // a leading =, +, - or @ would be a formula to a spreadsheet: quote and prefix it
    boolean formula = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !s.equals("-");
    if (!formula && s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return "\"" + (formula ? "'" : "") + s.replace("\"", "\"\"") + "\"";
  }
}
