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
package org.csv2.core.accounting;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.csv2.model.VmUsage;

/**
 * Usage reports: wall hours, core-hours, CPU hours and cost of VMs in a period, by group, cloud,
 * flavor, user and month, as rows or CSV. A VM's usage in a month is its figures at the month's
 * end (or the period's) less those at its start; a VM of several users counts for each of them.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class UsageReports {
  /** The dimensions a report can be grouped by. */
  public enum By {
    /** The VM's group. */
    GROUP,
    /** The VM's cloud. */
    CLOUD,
    /** The VM's flavor. */
    FLAVOR,
    /** The batch users whose jobs ran on the VM (blank when unknown). */
    USER,
    /** The UTC month. */
    MONTH
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

  private UsageReports() {}

  /**
   * The report of a period.
   *
   * @param usage the usage records of VMs that ran in the period
   * @param from the start
   * @param to the end (now at most)
   * @param by the grouping, in order
   * @return the rows, sorted by key
   */
  public static List<Row> report(List<VmUsage> usage, Instant from, Instant to, List<By> by) {
    Map<List<String>, java.util.Set<String>> vms = new java.util.HashMap<>();
    Map<List<String>, double[]> sums = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    for (VmUsage u : usage) {
      Instant last = u.end() != null && u.end().isBefore(to) ? u.end() : to;
      Instant first = u.start().isAfter(from) ? u.start() : from;
      if (!last.isAfter(first)) {
        continue;
      }
      for (YearMonth m = YearMonth.from(first.atOffset(ZoneOffset.UTC)); !m.isAfter(YearMonth.from(last.atOffset(ZoneOffset.UTC)));
          m = m.plusMonths(1)) {
        Instant ms = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant me = m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant a = ms.isAfter(first) ? ms : first;
        Instant b = me.isBefore(last) ? me : last;
        ApelRecords.Figures fa = ApelRecords.figures(u, a, to);
        ApelRecords.Figures fb = ApelRecords.figures(u, b, to);
        double wall = Math.max(0, fb.wall() - fa.wall()) / 3600.0;
        double cpu = Math.max(0, fb.cpu() - fa.cpu()) / 3600.0;
        List<String> users = u.users().isEmpty() || !by.contains(By.USER) ? List.of("") : List.copyOf(u.users());
        for (String user : users) {
          List<String> key = new ArrayList<>();
          for (By d : by) {
            key.add(switch (d) {
              case GROUP -> u.group().value();
              case CLOUD -> u.cloud().value();
              case FLAVOR -> u.flavor().value();
              case USER -> user;
              case MONTH -> m.toString();
            });
          }
          double[] s = sums.computeIfAbsent(key, k -> new double[5]);
          vms.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(u.uuid()); // a VM over two months counts once
          s[1] += wall;
          s[2] += wall * u.cores();
          s[3] += cpu;
          s[4] += wall * u.pricePerHour();
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    sums.forEach((k, s) -> rows.add(new Row(k, vms.get(k).size(), s[1], s[2], s[3], s[4])));
    return rows;
  }

  /**
   * The rows as CSV (RFC 4180), with a header.
   *
   * @param rows the rows
   * @param by the grouping the rows were made with
   * @return the text
   */
  public static String csv(List<Row> rows, List<By> by) {
    StringBuilder sb = new StringBuilder();
    for (By d : by) {
      sb.append(d.name().toLowerCase(Locale.ROOT)).append(',');
    }
    sb.append("vms,wall_hours,core_hours,cpu_hours,cost\r\n");
    for (Row r : rows) {
      for (String k : r.key()) {
        sb.append(quote(k)).append(',');
      }
      sb.append(r.vms()).append(',').append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.2f", r.wallHours(), r.coreHours(), r.cpuHours(), r.cost()))
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
