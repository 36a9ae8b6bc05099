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

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.csv2.core.accounting.ApelExporter;
import org.csv2.core.config.AccountingSettings;
import org.csv2.examples.crash.ServerDatabase;
import org.csv2.model.VmUsage;
import org.csv2.spi.StateStore;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * APEL's own code is the oracle of csv2's APEL messages (issue 16): the messages csv2 writes for a
 * simulated week ({@link SimulatedWeek}: several groups, clouds and flavors, VMs across the
 * November/December boundary and VMs still running, exported twice so that running VMs are
 * reported again with grown figures) are parsed by APEL's {@code RecordFactory} and loaded by
 * APEL's MySQL backend into APEL's {@code schemas/cloud.sql} on a fresh database of the test
 * MariaDB ({@code src/test/resources/apel/apel_oracle.py}, Debian's python3 with python3-future,
 * python3-iso8601 and python3-mysqldb, installed by {@code scripts/testenv up}). A refused message
 * fails the test with APEL's error. Then the loaded records' totals (wall, CPU, VMs by VO and
 * month, as APEL's summariser differences them) must equal the engine's usage records, the loaded
 * summaries must equal what APEL's own {@code SummariseVMs} makes of the loaded records, and a
 * third export must write nothing.
 *
 * <p>The engine's side (the jdbc store holding the usage records and the record of what was sent)
 * runs on each dialect the store supports: an H2 file, a fresh database of the test MariaDB, and
 * one of the test PostgreSQL. APEL's side is always MariaDB: APEL's loader ({@code
 * apel.db.backends.mysql}) and {@code cloud.sql} are written for MySQL only, as EGI runs them.
 */
class ApelOracleIT {
  private static final Path APEL = Path.of("..", "..", "shared", "tools", "apel").toAbsolutePath().normalize();

  @ParameterizedTest(name = "engine store on {0}, APEL on MariaDB")
  @ValueSource(strings = {"h2", "mariadb", "postgresql"})
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void apelAcceptsAndLoadsTheMessagesAndItsTotalsMatchTheEngines(String engineStore, @TempDir Path tmp) throws Exception {
    Path apel = Files.isDirectory(APEL) ? APEL : Path.of("/work/shared/tools/apel");
    assertThat(apel.resolve("schemas/cloud.sql")).as("APEL's schema (../shared/tools/apel)").exists();
    Path queue = tmp.resolve("outgoing");
    AccountingSettings settings = SimulatedWeek.settings(queue);
    List<VmUsage> usage = SimulatedWeek.usage(7, 400);
    try (EngineDatabase csv2 = EngineDatabase.create(engineStore, tmp);
        ServerDatabase apelDb = ServerDatabase.create("mariadb");
        StateStore store = csv2.open()) {
      assertThat(csv2.url()).as("the engine's store").startsWith("jdbc:" + engineStore + ":");
      store.saveUsage(usage);
      ApelExporter exporter = new ApelExporter(store, settings, SimulatedWeek.CLOUD_TYPES, new java.util.Random(1));
      Instant since = SimulatedWeek.START;
      ApelExporter.Result first = exporter.export(since, Instant.parse("2026-12-01T12:00:00Z"));
      ApelExporter.Result second = exporter.export(since, SimulatedWeek.AT);
      ApelExporter.Result third = exporter.export(since, SimulatedWeek.AT);
      assertThat(first.records()).isPositive();
      assertThat(second.records()).as("running VMs reported again with their grown figures").isPositive();
      assertThat(third.messages()).as("nothing changed: nothing sent again").isZero();
      assertThat(first.files().size() + second.files().size()).isGreaterThanOrEqualTo(4);

      loadSchema(apel, apelDb);
      ProcessBuilder oracle = new ProcessBuilder(
              "/usr/bin/python3", resource("apel/apel_oracle.py").toString(), apel.toString(), queue.toString(),
              host(apelDb.url()), port(apelDb.url()), apelDb.user(), apelDb.name())
          .redirectErrorStream(true);
      oracle.environment().put("APEL_DB_PASSWORD", apelDb.password());
      Process p = oracle.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(out).as("APEL's verdict on the messages").doesNotContain("REFUSED").contains("loaded ");
      assertThat(p.exitValue()).as("APEL's loader: " + out).isZero();

      // the engine's figures, by VO and month
      Map<String, long[]> expected = new TreeMap<>();
      Map<String, Long> expectedCpu = new TreeMap<>();
      for (VmUsage u : usage) {
        String vo = vo(u.group().value());
        Instant last = u.end() == null ? SimulatedWeek.AT : u.end();
        YearMonth m0 = YearMonth.from(u.start().atOffset(ZoneOffset.UTC));
        YearMonth m1 = YearMonth.from(last.atOffset(ZoneOffset.UTC));
        long before = 0;
        for (YearMonth m = m0; !m.isAfter(m1); m = m.plusMonths(1)) {
          Instant t = m.equals(m1) ? last : m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(1);
          long wall = u.wallSecondsAt(t);
          long[] e = expected.computeIfAbsent(vo + " " + m, k -> new long[2]);
          e[0] += wall - before;
          e[1]++;
          before = wall;
        }
        expectedCpu.merge(vo, u.cpuSecondsAt(last), Long::sum);
      }

      try (Connection c = DriverManager.getConnection(apelDb.url(), apelDb.user(), apelDb.password())) {
        // APEL's view: each VM's month = its month's record less its previous month's
        Map<String, long[]> loaded = new TreeMap<>();
        Map<String, Long> loadedCpu = new TreeMap<>();
        Map<String, long[]> previous = new HashMap<>();
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(
                "SELECT r.VMUUID, r.MeasurementYear, r.MeasurementMonth, r.WallDuration, r.CpuDuration, v.name AS vo"
                    + " FROM CloudRecords r JOIN VOs v ON v.id = r.VOID ORDER BY r.VMUUID, r.MeasurementTime")) {
          while (rs.next()) {
            String uuid = rs.getString(1);
            String key = rs.getString("vo") + " " + YearMonth.of(rs.getInt(2), rs.getInt(3));
            long wall = rs.getLong(4);
            long cpu = rs.getLong(5);
            long[] prev = previous.getOrDefault(uuid, new long[2]);
            long[] l = loaded.computeIfAbsent(key, k -> new long[2]);
            l[0] += wall - prev[0];
            l[1]++;
            loadedCpu.merge(rs.getString("vo"), cpu - prev[1], Long::sum);
            previous.put(uuid, new long[] {wall, cpu});
          }
        }
        assertThat(toLists(loaded)).as("wall seconds and VMs by VO and month, loaded by APEL").isEqualTo(toLists(expected));
        assertThat(loadedCpu).as("CPU seconds by VO, loaded by APEL").isEqualTo(expectedCpu);
        assertThat(loaded.keySet()).as("both months, every VO").contains("atlas 2026-11", "atlas 2026-12", "belle 2026-12", "dune 2026-11");

        Map<String, List<Long>> ourSummaries = summaries(c);
        try (Statement s = c.createStatement()) {
          s.execute("CALL SummariseVMs()");
        }
        Map<String, List<Long>> apelSummaries = summaries(c);
        assertThat(ourSummaries).as("csv2's summaries against APEL's SummariseVMs of csv2's records").isEqualTo(apelSummaries);
        assertThat(ourSummaries).isNotEmpty();
      }
    }
  }

  private static Map<String, List<Long>> toLists(Map<String, long[]> m) {
    Map<String, List<Long>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, List.of(v[0], v[1])));
    return out;
  }

  /** Summed wall, CPU and VMs by VO, month and status in APEL's CloudSummaries. */
  private static Map<String, List<Long>> summaries(Connection c) throws SQLException {
    Map<String, List<Long>> out = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT v.name, s.Year, s.Month, s.Status, SUM(s.WallDuration), SUM(s.CpuDuration), SUM(s.NumberOfVMs)"
                + " FROM CloudSummaries s JOIN VOs v ON v.id = s.VOID GROUP BY v.name, s.Year, s.Month, s.Status")) {
      while (rs.next()) {
        out.put(rs.getString(1) + " " + rs.getInt(2) + "-" + rs.getInt(3) + " " + rs.getString(4),
            List.of(rs.getLong(5), rs.getLong(6), rs.getLong(7)));
      }
    }
    return out;
  }

  private static String vo(String group) {
    return switch (group) {
      case "atlas" -> "atlas";
      case "belle" -> "belle";
      default -> group;
    };
  }

  private static void loadSchema(Path apel, ServerDatabase db) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("mysql", "-h", host(db.url()), "-P", port(db.url()), "-u", db.user(), db.name()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(apel.resolve("schemas/cloud.sql").toFile());
    pb.environment().put("MYSQL_PWD", db.password());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("loading APEL's cloud.sql: " + out).isZero();
  }

  private static Path resource(String name) throws Exception {
    return Path.of(ApelOracleIT.class.getClassLoader().getResource(name).toURI());
  }

  private static String host(String url) {
    String rest = url.substring(url.indexOf("//") + 2);
    return rest.substring(0, rest.indexOf(':'));
  }

  private static String port(String url) {
    String rest = url.substring(url.indexOf("//") + 2);
    rest = rest.substring(rest.indexOf(':') + 1);
    return rest.substring(0, rest.indexOf('/'));
  }
}
