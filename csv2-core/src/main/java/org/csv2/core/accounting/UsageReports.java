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

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.api.ops.UsageReport;
import org.csv2.api.ops.UsageReport.Dimension;
import org.csv2.api.ops.UsageReport.Row;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;

/**
 * Makes {@link UsageReport}s from usage records: wall hours, core-hours, CPU hours and cost of VMs
 * in a period, by group, cloud, flavor, user, month and reservation. A VM's usage in a month is its
 * figures at the month's end (or the period's) less those at its start; a VM of several users
 * counts in full for each of them.
 *
 * <p>The figures are exact: each VM's share of a month is a whole number of seconds ({@link
 * ApelRecords#figures}: wall and suspended time exact, measured CPU shared over the VM's wall time),
 * the rows sum whole seconds and the decimal cost (price per hour x wall seconds) exactly, whatever
 * order the store answers in, and a row's hours are its seconds divided by 3,600 once, at the end
 * (the nearest {@code double}; {@link UsageReport#csv()} rounds half up to 3 decimals, cost to 2).
 * The period's end cuts a VM's CPU at its share of the wall time known of the VM (its end, else
 * its record's last update), never at the whole of a CPU figure reported after the period.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class UsageReports {
  private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

  private UsageReports() {}

  /** A row's sums in whole seconds and an exact decimal cost (price x seconds). */
  private static final class Sums {
    final Set<String> vms = new HashSet<>();
    long wall;
    long coreSeconds;
    long cpu;
    BigDecimal cost = BigDecimal.ZERO;
  }

  /**
   * The report of a period.
   *
   * @param usage the usage records of VMs that ran in the period
   * @param from the start
   * @param to the end (now at most)
   * @param by the grouping, in order
   * @param reservationOf the reservation that booted each VM (VMs not in it are elastic)
   * @return the report, rows sorted by key
   */
  public static UsageReport report(List<VmUsage> usage, Instant from, Instant to, List<Dimension> by, Map<VmId, Long> reservationOf) {
    Map<List<String>, Sums> sums = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    for (VmUsage u : usage) {
      Instant last = u.end() != null && u.end().isBefore(to) ? u.end() : to;
      Instant first = u.start().isAfter(from) ? u.start() : from;
      if (!last.isAfter(first)) {
        continue;
      }
      // the latest time the record knows of: CPU at the period's end is the VM's CPU in proportion
      // to its wall time then, against the wall time of the CPU figure (not the whole figure)
      Instant known = u.end() != null ? u.end() : u.updatedAt().isAfter(to) ? u.updatedAt() : to;
      for (YearMonth m = YearMonth.from(first.atOffset(ZoneOffset.UTC)); !m.isAfter(YearMonth.from(last.atOffset(ZoneOffset.UTC)));
          m = m.plusMonths(1)) {
        Instant ms = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant me = m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant a = ms.isAfter(first) ? ms : first;
        Instant b = me.isBefore(last) ? me : last;
        ApelRecords.Figures fa = ApelRecords.figures(u, a, known);
        ApelRecords.Figures fb = ApelRecords.figures(u, b, known);
        long wall = Math.max(0, fb.wall() - fa.wall());
        long cpu = Math.max(0, fb.cpu() - fa.cpu());
        BigDecimal cost = BigDecimal.valueOf(u.pricePerHour()).multiply(BigDecimal.valueOf(wall));
        List<String> users = u.users().isEmpty() || !by.contains(Dimension.USER) ? List.of("") : List.copyOf(u.users());
        for (String user : users) {
          List<String> key = new ArrayList<>();
          for (Dimension d : by) {
            key.add(switch (d) {
              case GROUP -> u.group().value();
              case CLOUD -> u.cloud().value();
              case FLAVOR -> u.flavor().value();
              case USER -> user;
              case MONTH -> m.toString();
              case RESERVATION -> {
                Long r = reservationOf.get(u.vm());
                yield r == null ? "" : Long.toString(r);
              }
            });
          }
          Sums s = sums.computeIfAbsent(key, k -> new Sums());
          s.vms.add(u.uuid()); // a VM over two months counts once
          s.wall += wall;
          s.coreSeconds += wall * u.cores();
          s.cpu += cpu;
          s.cost = s.cost.add(cost);
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    sums.forEach((k, s) -> rows.add(new Row(k, s.vms.size(), s.wall / 3600.0, s.coreSeconds / 3600.0, s.cpu / 3600.0,
        s.cost.divide(SECONDS_PER_HOUR, MathContext.DECIMAL64).doubleValue())));
    return new UsageReport(from, to, by, rows);
  }
}
