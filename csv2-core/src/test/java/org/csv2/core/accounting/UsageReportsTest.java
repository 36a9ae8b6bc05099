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

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.ops.UsageReport.Dimension;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;
import org.junit.jupiter.api.Test;

/** Golden files: src/test/resources/org/csv2/core/accounting/report-*.csv (rewrite with -Dcsv2.golden.update=true). */
class UsageReportsTest {
  private static final Instant AT = Instant.parse("2026-12-04T00:00:00Z");

  private static VmUsage vm(String name, String group, String cloud, String flavor, int cores, String start, String end,
      double cpu, boolean measured, Set<String> users, double price) {
    return new VmUsage(VmId.of(name), name, GroupName.of(group), CloudName.of(cloud), FlavorName.of(flavor), "", cores, 8000, 40,
        Instant.parse(start), end == null ? null : Instant.parse(end), 0, null, cpu, measured, users, Map.of(), price, AT);
  }

  private static final List<VmUsage> USAGE = List.of(
      vm("a1", "atlas", "arbutus", "c8", 8, "2026-11-30T00:00:00Z", "2026-12-01T12:00:00Z", 36 * 3600 * 6.0, true, Set.of("atlasprd"), 0.4),
      vm("a2", "atlas", "amazon", "m5.xlarge", 4, "2026-12-02T00:00:00Z", null, 0, false, Set.of(), 0.192),
      vm("b1", "belle", "arbutus", "c4", 4, "2026-11-29T06:00:00Z", "2026-11-29T18:00:00Z", 12 * 3600 * 3.0, true, Set.of("bellea", "belleb"), 0),
      vm("x1", "atlas", "arbutus", "c8", 8, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", 0, false, Set.of(), 0.4));

  /** a2 was booted for reservation 7; the other VMs are elastic (a blank reservation). */
  private static final Map<VmId, Long> RESERVED = Map.of(VmId.of("a2"), 7L);

  @Test
  void byReservationAndGroup() throws Exception {
    golden("report-reservation-group.csv", List.of(Dimension.RESERVATION, Dimension.GROUP));
  }

  @Test
  void byGroupAndMonth() throws Exception {
    golden("report-group-month.csv", List.of(Dimension.GROUP, Dimension.MONTH));
  }

  @Test
  void byCloudFlavorAndUser() throws Exception {
    golden("report-cloud-flavor-user.csv", List.of(Dimension.CLOUD, Dimension.FLAVOR, Dimension.USER));
  }

  @Test
  void aPeriodThatEndsWhileAVmRanTakesItsCpuInProportionToWallTimeNotItsWholeCpu() {
    // 10 h of wall time, 8 cores, 40 CPU hours reported by the job source at its end
    VmUsage u = vm("c1", "atlas", "arbutus", "c8", 8, "2026-12-01T00:00:00Z", "2026-12-01T10:00:00Z", 40 * 3600.0, true,
        Set.of("atlasprd"), 0.5);
    var half = UsageReports.report(List.of(u), Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-12-01T05:00:00Z"),
        List.of(Dimension.GROUP), Map.of()).rows().get(0);
    assertThat(half.wallHours()).isEqualTo(5.0);
    assertThat(half.coreHours()).isEqualTo(40.0);
    assertThat(half.cpuHours()).as("half its wall time: half its CPU").isEqualTo(20.0);
    assertThat(half.cost()).isEqualTo(2.5);
    var rest = UsageReports.report(List.of(u), Instant.parse("2026-12-01T05:00:00Z"), AT, List.of(Dimension.GROUP), Map.of()).rows().get(0);
    assertThat(rest.cpuHours()).as("the two periods add up to the whole").isEqualTo(20.0);
    // a running VM whose record was brought up to date after the period's end
    VmUsage running = new VmUsage(VmId.of("r1"), "r1", GroupName.of("atlas"), CloudName.of("arbutus"), FlavorName.of("c8"), "", 8,
        8000, 40, Instant.parse("2026-12-01T00:00:00Z"), null, 0, null, 40 * 3600.0, true, Set.of(), Map.of(), 0,
        Instant.parse("2026-12-01T10:00:00Z"));
    var early = UsageReports.report(List.of(running), Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-12-01T02:30:00Z"),
        List.of(Dimension.GROUP), Map.of()).rows().get(0);
    assertThat(early.cpuHours()).isEqualTo(10.0);
  }

  @Test
  void rowsSumWholeSecondsAndExactCostsInAnyOrder() {
    java.util.Random r = new java.util.Random(42);
    List<VmUsage> many = new java.util.ArrayList<>();
    long wall = 0;
    java.math.BigDecimal cost = java.math.BigDecimal.ZERO;
    for (int i = 0; i < 500; i++) {
      long seconds = 1 + r.nextInt(7 * 86_400);
      double price = r.nextInt(1000) / 1000.0;
      Instant start = Instant.parse("2026-12-01T00:00:00Z").plusSeconds(r.nextInt(3600));
      many.add(vm(String.format("v%03d", i), "atlas", "arbutus", "c4", 4, start.toString(), start.plusSeconds(seconds).toString(), 0,
          false, Set.of(), price));
      wall += seconds;
      cost = cost.add(java.math.BigDecimal.valueOf(price).multiply(java.math.BigDecimal.valueOf(seconds)));
    }
    Instant to = Instant.parse("2026-12-20T00:00:00Z");
    var row = UsageReports.report(many, Instant.parse("2026-12-01T00:00:00Z"), to, List.of(Dimension.GROUP), Map.of()).rows().get(0);
    assertThat(row.wallHours()).as("one division of the summed seconds").isEqualTo(wall / 3600.0);
    assertThat(row.coreHours()).isEqualTo(wall * 4 / 3600.0);
    assertThat(row.cpuHours()).as("wall x cores where the job source reports none").isEqualTo(wall * 4 / 3600.0);
    assertThat(row.cost()).isEqualTo(cost.divide(java.math.BigDecimal.valueOf(3600), java.math.MathContext.DECIMAL64).doubleValue());
    List<VmUsage> shuffled = new java.util.ArrayList<>(many);
    java.util.Collections.shuffle(shuffled, r);
    assertThat(UsageReports.report(shuffled, Instant.parse("2026-12-01T00:00:00Z"), to, List.of(Dimension.GROUP), Map.of()).rows())
        .containsExactly(row);
  }

  private static void golden(String name, List<Dimension> by) throws Exception {
    String csv = UsageReports.report(USAGE, Instant.parse("2026-11-15T00:00:00Z"), AT, by, RESERVED).csv();
    Path file = Path.of("src/test/resources/org/csv2/core/accounting", name);
    if (Boolean.getBoolean("csv2.golden.update")) {
      Files.writeString(file, csv, StandardCharsets.UTF_8);
    }
    assertThat(csv).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
