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
package org.csv2.examples.accounting;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.csv2.core.config.AccountingSettings;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;

/**
 * A simulated week of usage for the accounting tests: from 2026-11-27 to 2026-12-04 (across the
 * November/December boundary), three groups, two clouds of different kinds, three flavors; VMs
 * that ended in November, that span the boundary, and that still run at the end; some with CPU
 * reported by the job source, some without (wall x cores).
 */
final class SimulatedWeek {
  static final Instant START = Instant.parse("2026-11-27T00:00:00Z");
  static final Instant AT = Instant.parse("2026-12-04T00:00:00Z");
  static final Map<CloudName, String> CLOUD_TYPES =
      Map.of(CloudName.of("arbutus"), "openstack", CloudName.of("amazon"), "ec2");

  private SimulatedWeek() {}

  /** Opens the jdbc store on a database (migrating it). */
  static org.csv2.spi.StateStore openJdbc(org.csv2.examples.crash.ServerDatabase db) {
    return openJdbc(db.url(), db.user(), db.password());
  }

  static org.csv2.spi.StateStore openJdbc(String url, String user, String password) {
    Map<String, Object> raw = new java.util.HashMap<>();
    raw.put("url", url);
    raw.put("user", user);
    raw.put("password", password);
    return new org.csv2.plugin.jdbc.JdbcStateStoreProvider()
        .create(org.csv2.testkit.TestPluginConfig.of(raw, "state-store.config"), org.csv2.testkit.TestPluginContext.of("acct"));
  }

  static AccountingSettings settings(Path outgoing) {
    return new AccountingSettings(
        "CA-TEST-Cloud",
        "",
        outgoing,
        null,
        Map.of(
            FlavorName.of("c4-m8"), new AccountingSettings.Benchmark("HEPSPEC", 10.5),
            FlavorName.of("c8-m16"), new AccountingSettings.Benchmark("HEPSPEC", 11.25),
            FlavorName.of("m5.xlarge"), new AccountingSettings.Benchmark("HEPscore23", 12)),
        Map.of(
            GroupName.of("atlas"), new AccountingSettings.GroupIdentity("/atlas/Role=production", "/DC=ca/CN=atlas pilot"),
            GroupName.of("belle"), new AccountingSettings.GroupIdentity("/belle", "")));
  }

  /** The week's usage records ({@code n} VMs from the seed). */
  static List<VmUsage> usage(long seed, int n) {
    Random r = new Random(seed);
    String[] groups = {"atlas", "belle", "dune"};
    String[][] flavors = {{"arbutus", "c4-m8", "4", "8000"}, {"arbutus", "c8-m16", "8", "16000"}, {"amazon", "m5.xlarge", "4", "16384"}};
    List<VmUsage> out = new ArrayList<>();
    long week = AT.getEpochSecond() - START.getEpochSecond();
    for (int i = 0; i < n; i++) {
      String[] f = flavors[r.nextInt(flavors.length)];
      String group = groups[r.nextInt(groups.length)];
      Instant start = START.plusSeconds(r.nextLong(week - 3600));
      Instant end = r.nextInt(4) == 0 ? null : start.plusSeconds(600 + r.nextLong(3 * 86_400));
      if (end != null && end.isAfter(AT)) {
        end = null;
      }
      Instant last = end == null ? AT : end;
      long wall = last.getEpochSecond() - start.getEpochSecond();
      int cores = Integer.parseInt(f[2]);
      boolean measured = r.nextInt(3) != 0;
      double cpu = measured ? wall * cores * (0.5 + r.nextDouble() * 0.45) : 0;
      long suspend = r.nextInt(5) == 0 ? Math.min(wall / 4, 3600) : 0;
      String vm = group + "--" + f[0] + "--" + String.format("%05d", i);
      out.add(new VmUsage(
          VmId.of(vm),
          java.util.UUID.nameUUIDFromBytes(("sim/" + seed + "/" + vm).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
          GroupName.of(group),
          CloudName.of(f[0]),
          FlavorName.of(f[1]),
          r.nextBoolean() ? "alma9-worker" : "",
          cores,
          Long.parseLong(f[3]),
          40,
          start,
          end,
          suspend,
          null,
          cpu,
          measured,
          measured ? Set.of(group + "prd") : Set.of(),
          Map.of(),
          0.1 * cores,
          last));
    }
    return out;
  }
}
