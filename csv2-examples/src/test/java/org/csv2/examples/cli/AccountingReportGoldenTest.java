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
package org.csv2.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;
import org.csv2.spi.StateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden files of the usage reports (issue 16) through REST ({@code GET /api/v1/accounting/report}
 * as JSON and CSV) and the command line ({@code csv2 accounting report} as a table, JSON and CSV),
 * from a real {@code csv2 serve --config --attach} over an H2 store that holds fixed usage records
 * (no engine runs, so the figures are exact and fixed): VMs across the November/December boundary,
 * one still running, CPU measured and not, several users, prices, a suspension.
 * {@code -Dcsv2.golden.update=true} rewrites the files.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AccountingReportGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/org/csv2/examples/cli/golden");
  private static final Instant UPDATED = Instant.parse("2026-12-03T12:00:00Z");
  private static final String PERIOD = "from=2026-11-01T00:00:00Z&to=2026-12-03T00:00:00Z";
  static CliServer server;

  private static VmUsage vm(String name, String group, String cloud, String flavor, int cores, String start, String end,
      long suspend, double cpu, boolean measured, Set<String> users, double price) {
    return new VmUsage(VmId.of(name), "00000000-0000-3000-8000-0000000" + name, GroupName.of(group), CloudName.of(cloud),
        FlavorName.of(flavor), "alma9", cores, cores * 2000L, 40, Instant.parse(start), end == null ? null : Instant.parse(end),
        suspend, null, cpu, measured, users, Map.of(), price, UPDATED);
  }

  /** The fixed usage: names of 5 characters (they end the UUID). */
  static final List<VmUsage> USAGE = List.of(
      vm("a0001", "atlas", "arbutus", "c8-m16", 8, "2026-11-30T00:00:00Z", "2026-12-01T12:00:00Z", 0, 36 * 3600 * 6.0, true,
          Set.of("atlasprd"), 0.4),
      vm("a0002", "atlas", "amazon", "m5.xlarge", 4, "2026-12-02T00:00:00Z", null, 0, 0, false, Set.of(), 0.192),
      vm("a0003", "atlas", "arbutus", "c8-m16", 8, "2026-11-10T00:00:00Z", "2026-11-12T07:00:01Z", 3601, 40 * 3600.0 + 7, true,
          Set.of("atlasprd", "atlassgm"), 0.4),
      vm("b0001", "belle", "arbutus", "c4-m8", 4, "2026-11-29T06:00:00Z", "2026-11-29T18:00:00Z", 0, 12 * 3600 * 3.0, true,
          Set.of("bellea", "belleb"), 0),
      vm("b0002", "belle", "amazon", "m5.xlarge", 4, "2026-12-01T00:00:09Z", "2026-12-01T00:00:18Z", 0, 0, false, Set.of(), 0.192),
      // ran before the period: in no report
      vm("x0001", "atlas", "arbutus", "c8-m16", 8, "2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z", 0, 0, false, Set.of(), 0.4));

  @BeforeAll
  static void start() throws Exception {
    Path home = Files.createTempDirectory("csv2-acct-golden");
    String url = "jdbc:h2:file:" + home.resolve("db").resolve("csv2").toAbsolutePath();
    Map<String, Object> raw = new HashMap<>();
    raw.put("url", url);
    try (StateStore store = new org.csv2.plugin.jdbc.JdbcStateStoreProvider()
        .create(org.csv2.testkit.TestPluginConfig.of(raw, "state-store.config"), org.csv2.testkit.TestPluginContext.of("golden"))) {
      store.saveUsage(USAGE);
    }
    Path config = home.resolve("csv2.yaml");
    Files.writeString(config, """
        engine: { instance-id: acctgolden }
        groups: [{ name: atlas, vm-defaults: { image: alma9 } }, { name: belle, vm-defaults: { image: alma9 } }]
        clouds:
          - name: arbutus
            driver: simulated
            config:
              world: acct-golden
              quota: { cores: 16 }
              flavors: [{ name: c8-m16, cores: 8, ram-mib: 16000, disk-gib: 40 }]
        allocations: [{ group: atlas, cloud: arbutus, priority: 0 }, { group: belle, cloud: arbutus, priority: 0 }]
        job-source: { driver: simulated, config: { world: acct-golden } }
        state-store:
          driver: jdbc
          config: { url: "%s" }
        """.formatted(url));
    server = CliServer.serve(home, "--config", config.toString(), "--attach");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "GET /api/v1/accounting/report?{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rest-accounting-report-group-month     | by=group,month",
        "rest-accounting-report-cloud-flavor    | by=cloud,flavor",
        "rest-accounting-report-atlas-user      | by=user,month&group=atlas",
      })
  void restReportsAsJsonAndCsv(String golden, String query) throws Exception {
    String q = "/api/v1/accounting/report?" + query.trim() + "&" + PERIOD;
    HttpResponse<String> json = get(q);
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    compare(golden.trim() + ".json", server.normalise(json.body()));
    HttpResponse<String> csv = get(q + "&format=csv");
    assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    compare(golden.trim() + ".csv", csv.body());
  }

  @ParameterizedTest(name = "csv2 {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "accounting-report-group-month  | accounting report --by group,month",
        "accounting-report-cloud-flavor | accounting report --by cloud,flavor",
        "accounting-report-atlas-user   | accounting report -g atlas --by user,month",
      })
  void cliReportsAsTableJsonAndCsv(String golden, String command) {
    String[] args = (command.trim() + " --from 2026-11-01T00:00:00Z --to 2026-12-03T00:00:00Z").split(" ");
    server.golden(golden.trim() + ".txt", server.run(concat(args, "--width", "0")));
    server.golden(golden.trim() + ".json", server.run(concat(args, "--json")));
    server.golden(golden.trim() + ".csv", server.run(concat(args, "--csv")));
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(server.uri.resolve(pathAndQuery)).header("Authorization", "Bearer " + server.token).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void compare(String name, String actual) throws Exception {
    Path f = GOLDEN.resolve(name);
    if (Boolean.getBoolean("csv2.golden.update") || !Files.exists(f)) {
      Files.createDirectories(f.getParent());
      Files.writeString(f, actual, StandardCharsets.UTF_8);
      assertThat(Boolean.getBoolean("csv2.golden.update")).as("golden file " + f + " was missing: written; look at it and commit it")
          .isTrue();
      return;
    }
    assertThat(actual).as("against golden file %s (rerun with -Dcsv2.golden.update=true after a wanted change)", f)
        .isEqualTo(Files.readString(f, StandardCharsets.UTF_8));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
