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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.csv2.core.accounting.ApelExporter;
import org.csv2.core.accounting.ApelRecords;
import org.csv2.examples.crash.ServerDatabase;
import org.csv2.model.VmUsage;
import org.csv2.spi.StateStore;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crash safety of the APEL export (issue 16): a child JVM ({@link ApelCrashChild}) exporting from
 * the jdbc store on the test MariaDB or the test PostgreSQL is killed with SIGKILL ({@link Process#destroyForcibly()}) at
 * a step of writing a batch: after the file is staged and before the store knows of it, after the
 * store recorded it as prepared and before it is renamed into the queue, and after the rename and
 * before it is recorded as sent. A second export then finishes the work. Every record and summary
 * is in the queue exactly once (nothing sent twice, nothing lost), nothing is left staged or
 * prepared, and a third export writes nothing.
 */
class ApelCrashIT {
  @ParameterizedTest(name = "{0}: killed at {1} #{2}")
  @CsvSource({"mariadb, staged, 2", "mariadb, prepared, 1", "mariadb, prepared, 3", "mariadb, moved, 2",
      "postgresql, staged, 2", "postgresql, prepared, 1", "postgresql, prepared, 3", "postgresql, moved, 2"})
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aKilledExportResendsNothingTwiceAndLosesNothing(String kind, String step, int n, @TempDir Path tmp) throws Exception {
    Path queue = tmp.resolve("outgoing");
    List<VmUsage> usage = SimulatedWeek.usage(11, 1500);
    try (ServerDatabase db = ServerDatabase.create(kind)) {
      try (StateStore store = SimulatedWeek.openJdbc(db)) {
        store.saveUsage(usage);
      }
      ProcessBuilder pb = new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ApelCrashChild.class.getName(),
              db.url(), db.user(), queue.toString(), step, Integer.toString(n))
          .redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("child-stderr.log").toFile()));
      pb.environment().put("CSV2_ACCT_DB_PASSWORD", db.password());
      Process child = pb.start();
      String line;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        line = r.readLine();
        assertThat(line).as("the child's marker (stderr: " + tmp.resolve("child-stderr.log") + ")").startsWith("AT " + step + " ");
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(child.exitValue()).as("killed").isNotZero();

      try (StateStore store = SimulatedWeek.openJdbc(db)) {
        ApelExporter exporter = new ApelExporter(store, SimulatedWeek.settings(queue), SimulatedWeek.CLOUD_TYPES, new java.util.Random(5));
        ApelExporter.Result again = exporter.export(SimulatedWeek.START, SimulatedWeek.AT);
        assertThat(again.recovered()).as("batches the killed run left prepared").isEqualTo(step.equals("staged") ? 0 : 1);
        assertThat(store.accountingBatches()).as("nothing left prepared").isEmpty();
        try (Stream<Path> staged = Files.list(queue.resolve(ApelExporter.STAGING))) {
          assertThat(staged).as("nothing left staged").isEmpty();
        }
        assertThat(exporter.export(SimulatedWeek.START, SimulatedWeek.AT).messages()).as("a third export").isZero();
      }

      Map<String, Integer> expected = new TreeMap<>();
      var settings = SimulatedWeek.settings(queue);
      for (ApelRecords.Entry e : ApelRecords.records(usage, settings, SimulatedWeek.CLOUD_TYPES, SimulatedWeek.AT)) {
        expected.merge(block(e), 1, Integer::sum);
      }
      java.util.Set<java.time.YearMonth> months = java.util.Set.of(java.time.YearMonth.of(2026, 11), java.time.YearMonth.of(2026, 12));
      for (ApelRecords.Entry e : ApelRecords.summaries(usage, settings, SimulatedWeek.CLOUD_TYPES, months, SimulatedWeek.AT)) {
        expected.merge(block(e), 1, Integer::sum);
      }
      Map<String, Integer> queued = new TreeMap<>();
      int files = 0;
      try (Stream<Path> all = Files.walk(queue)) {
        for (Path f : all.filter(Files::isRegularFile).filter(p -> !p.toString().contains(ApelExporter.STAGING))
            .filter(p -> !p.getFileName().toString().equals(ApelExporter.LOCK)).toList()) {
          files++;
          assertThat(f.getFileName().toString()).matches("[0-9a-f]{14}");
          assertThat(f.getParent().getFileName().toString()).matches("[0-9a-f]{8}");
          String text = Files.readString(f);
          List<String> blocks = new ArrayList<>(List.of(text.substring(text.indexOf('\n') + 1).split("%%\n")));
          assertThat(blocks.size()).as("records in " + f).isLessThanOrEqualTo(ApelRecords.MAX_PER_MESSAGE);
          for (String b : blocks) {
            if (!b.isBlank()) {
              queued.merge(b, 1, Integer::sum);
            }
          }
        }
      }
      assertThat(files).as("messages").isGreaterThan(2);
      assertThat(queued.size()).as("distinct records in the queue").isEqualTo(expected.size());
      assertThat(queued).as("every record exactly once").isEqualTo(expected);
    }
  }

  private static String block(ApelRecords.Entry e) {
    String m = ApelRecords.message("h", List.of(e));
    return m.substring(2, m.length() - 3);
  }
}
