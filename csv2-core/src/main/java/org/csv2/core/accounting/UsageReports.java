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
import java.util.Map;
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
 * counts for each of them.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class UsageReports {
  private UsageReports() {}

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
    Map<List<String>, java.util.Set<String>> vms = new java.util.HashMap<>();
    Map<List<String>, double[]> sums = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    // in a fixed order, so that the sums are the same to the last bit whatever order the store answers in
    List<VmUsage> sorted = usage.stream().sorted(java.util.Comparator.comparing(VmUsage::uuid)).toList();
    for (VmUsage u : sorted) {
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
    return new UsageReport(from, to, by, rows);
  }
}
