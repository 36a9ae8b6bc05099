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
 * A usage report: wall hours, core-hours, CPU hours and cost of the VMs that ran in a period,
 * grouped by any of group, cloud, flavor, user, month and reservation ({@code csv2 accounting
 * report}, docs/accounting.md). A VM's usage in a month is its figures at the month's end (or the
 * period's) less those at its start; a VM of several users counts for each of them.
 *
 * @param from the period's start
 * @param to the period's end
 * @param by the grouping, in order
 * @param rows the rows, sorted by key
 */
public record UsageReport(Instant from, Instant to, List<Dimension> by, List<Row> rows) {
  /** Copies; checks each row has one key per dimension. */
  public UsageReport {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    by = List.copyOf(by);
    rows = List.copyOf(rows);
    for (Row r : rows) {
      if (r.key().size() != by.size()) {
        throw new IllegalArgumentException("usage report: a row has " + r.key().size() + " key(s) for " + by.size() + " dimension(s)");
      }
    }
  }

  /** What a report can be grouped by. */
  public enum Dimension {
    /** The VM's group. */
    GROUP,
    /** The VM's cloud. */
    CLOUD,
    /** The VM's flavor. */
    FLAVOR,
    /** The batch users whose jobs ran on the VM (blank when unknown). */
    USER,
    /** The UTC month, {@code 2026-11}. */
    MONTH,
    /** The id of the reservation that booted the VM (blank for the elastic VMs). */
    RESERVATION;

    /**
     * The dimension of a name, any case.
     *
     * @param name {@code group}, {@code cloud}, {@code flavor}, {@code user}, {@code month} or
     *     {@code reservation}
     * @return the dimension
     * @throws IllegalArgumentException naming the names allowed
     */
    public static Dimension of(String name) {
      for (Dimension d : values()) {
        if (d.name().equalsIgnoreCase(name.trim())) {
          return d;
        }
      }
      throw new IllegalArgumentException("'" + name + "' is not a report dimension: use group, cloud, flavor, user, month or reservation");
    }
  }

  /**
   * One row.
   *
   * @param key the values of the grouping dimensions, in order
   * @param vms VMs that ran
   * @param wallHours wall hours
   * @param coreHours wall hours x cores
   * @param cpuHours CPU hours (wall x cores where the job source reports none)
   * @param cost price per hour x wall hours
   */
  public record Row(List<String> key, long vms, double wallHours, double coreHours, double cpuHours, double cost) {
    /** Copies. */
    public Row {
      key = List.copyOf(key);
    }
  }

  /**
   * The rows as CSV (RFC 4180, CRLF), with a header naming the dimensions in lower case; a value a
   * spreadsheet would read as a formula is quoted with a leading {@code '}.
   *
   * @return the text
   */
  public String csv() {
    StringBuilder sb = new StringBuilder();
    for (Dimension d : by) {
      sb.append(d.name().toLowerCase(Locale.ROOT)).append(',');
    }
    sb.append("vms,wall_hours,core_hours,cpu_hours,cost\r\n");
    for (Row r : rows) {
      for (String k : r.key()) {
        sb.append(quote(k)).append(',');
      }
      sb.append(r.vms()).append(',')
          .append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.2f", r.wallHours(), r.coreHours(), r.cpuHours(), r.cost()))
          .append("\r\n");
    }
    return sb.toString();
  }

  private static String quote(String s) {
    String safe = s.startsWith("=") || s.startsWith("+") || s.startsWith("-") || s.startsWith("@") ? "'" + s : s;
    return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
        ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
  }
}
