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
package org.csv2.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.csv2.api.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReplayTest {
  @TempDir Path dir;

  static Path traces() {
    String shared = System.getProperty("csv2.shared.data", "../../shared/data");
    return Path.of(shared, "traces");
  }

  private static TraceReplay.Counts readAll(Path file, List<TraceJob> into) {
    try (TraceReplay r = TraceReplay.open(file)) {
      while (r.hasNext()) {
        into.add(r.next());
      }
      return r.counts();
    }
  }

  @Test
  void readsTheWholeLcgLogAsTheReadmeDescribesIt() {
    List<TraceJob> jobs = new ArrayList<>();
    Path file = traces().resolve("LCG-2005-1.swf.gz");
    TraceReplay.Counts c = readAll(file, jobs);
    assertThat(c.records()).isEqualTo(188_041);
    assertThat(c.malformed()).isZero();
    assertThat(c.skippedRunTime()).isEqualTo(521);
    assertThat(c.accepted()).isEqualTo(188_041 - 521).isEqualTo(jobs.size());
    assertThat(jobs).allSatisfy(j -> assertThat(j.processors()).isEqualTo(1));
    assertThat(jobs.get(0))
        .isEqualTo(new TraceJob(1, Duration.ZERO, Duration.ofSeconds(83), 1, -1, 1, 1, 1, -1, 1200));
    assertThat(jobs.get(0).requestedWallTime()).as("field 9").isEqualTo(Duration.ofMinutes(20));
    assertThat(jobs).as("LCG gives a requested time on every job").allSatisfy(j -> assertThat(j.requestedWallTime()).isNotNull());
    assertThat(jobs.stream().mapToLong(j -> j.runTime().getSeconds()).max()).hasValue(172_800);
    try (TraceReplay r = TraceReplay.open(file)) {
      assertThat(r.header().maxJobs()).hasValue(188_041);
      assertThat(r.header().unixStartTime()).contains(Instant.ofEpochSecond(1132444805));
      assertThat(r.header().acknowledge()).contains("Hui Li");
      assertThat(r.header().field("Installation")).contains("LCG grid");
    }
  }

  @Test
  void readsTheOtherLogs() {
    List<TraceJob> atlas = new ArrayList<>();
    TraceReplay.Counts a = readAll(traces().resolve("LLNL-Atlas-2006-2.1-cln.swf.gz"), atlas);
    assertThat(a.records()).isEqualTo(43_778);
    assertThat(a.malformed()).isZero();
    assertThat(a.accepted() + a.skipped()).isEqualTo(43_778);
    assertThat(atlas).allSatisfy(j -> assertThat(j.processors()).isGreaterThanOrEqualTo(8));

    List<TraceJob> hpc2n = new ArrayList<>();
    TraceReplay.Counts h = readAll(traces().resolve("HPC2N-2002-2-alea-sample.swf.gz"), hpc2n);
    assertThat(h.records()).isEqualTo(3_170);
    assertThat(h.malformed()).isZero();
    assertThat(h.accepted() + h.skipped()).isEqualTo(3_170);

    TraceReplay.Counts n = readAll(traces().resolve("NASA-iPSC-1993-3.1-cln.swf.gz"), new ArrayList<>());
    assertThat(n.records()).isEqualTo(18_239);
    assertThat(n.malformed()).isZero();
  }

  @Test
  void readStopsAtMaxJobs() {
    List<TraceJob> jobs = TraceReplay.read(traces().resolve("LCG-2005-1.swf.gz"), 1000);
    assertThat(jobs).hasSize(1000);
    assertThat(jobs.get(999).submit()).isGreaterThanOrEqualTo(jobs.get(0).submit());
  }

  @Test
  void theRequestedTimeIsFieldNineAndMinusOneZeroOrMoreThanAYearIsUnknown() throws IOException {
    Path file = dir.resolve("requested.swf");
    Files.writeString(
        file,
        String.join(
                "\n",
                "1 0 -1 100 4 -1 -1 4 3600 -1 1 7 2 -1 -1 3 -1 -1",
                "2 5 -1 100 4 -1 -1 4 -1 -1 1 7 2 -1 -1 3 -1 -1",
                "3 6 -1 100 4 -1 -1 4 0 -1 1 7 2 -1 -1 3 -1 -1",
                "4 7 -1 100 4 -1 -1 4 99999999999 -1 1 7 2 -1 -1 3 -1 -1")
            + "\n",
        StandardCharsets.US_ASCII);
    List<TraceJob> jobs = new ArrayList<>();
    readAll(file, jobs);
    assertThat(jobs).extracting(TraceJob::requestedWallTime)
        .containsExactly(Duration.ofHours(1), null, null, null);
    assertThat(jobs).extracting(TraceJob::requestedSeconds).containsExactly(3600L, -1L, -1L, -1L);
  }

  @Test
  void skipsMalformedLinesAndCountsThemWithoutFailing() throws IOException {
    Path file = dir.resolve("bad.swf");
    Files.writeString(
        file,
        String.join(
            "\n",
            "; Version: 2.2",
            "; MaxJobs: 6",
            "; UnixStartTime: 1000",
            "1 0 -1 100 4 -1 -1 4 200 1024 1 7 2 -1 -1 3 -1 -1",
            "2 5 -1 100 4 -1 -1",
            "3 10 -1 abc 4 -1 -1 4 200 -1 1 7 2 -1 -1 3 -1 -1",
            "",
            "4 20 -1 0 4 -1 -1 4 200 -1 1 7 2 -1 -1 3 -1 -1",
            "5 30 -1 60 -1 -1 -1 -1 200 -1 5 7 2 -1 -1 3 -1 -1",
            "6 40 -1 59.5 -1 12.25 -1 2 200 -1 1 8 2 -1 -1 3 -1 -1",
            "7 50 -1 10 1 -1 -1 1 200 -1 1 8 2 -1 -1 3 -1 -1 99",
            "; a late comment",
            "8 60 -1 10 1 -1 -1 1 200 -1 1 9 2 -1 -1 3 -1 -1")
            + "\n",
        StandardCharsets.US_ASCII);
    List<TraceJob> jobs = new ArrayList<>();
    TraceReplay.Counts c = readAll(file, jobs);
    assertThat(c.malformed()).isEqualTo(2);
    assertThat(c.records()).isEqualTo(6);
    assertThat(c.skippedRunTime()).isEqualTo(1);
    assertThat(c.skippedProcessors()).isEqualTo(1);
    assertThat(c.extraFields()).as("line 7 has a 19th field, ignored").isEqualTo(1);
    assertThat(c.notes()).singleElement().asString().contains("extra fields were ignored");
    assertThat(c.skippedByReason())
        .containsExactly(
            java.util.Map.entry("run time 0", 1L),
            java.util.Map.entry("no processors", 1L),
            java.util.Map.entry("malformed line", 2L));
    assertThat(jobs).extracting(TraceJob::number).containsExactly(1L, 6L, 7L, 8L);
    TraceJob first = jobs.get(0);
    assertThat(first.processors()).isEqualTo(4);
    assertThat(first.memoryKiBPerProc()).isEqualTo(1024);
    assertThat(first.memoryMiB(2000)).isEqualTo(4);
    assertThat(first.userId()).isEqualTo(7);
    assertThat(first.partition()).isEqualTo(3);
    TraceJob sixth = jobs.get(1);
    assertThat(sixth.processors()).as("requested processors when allocated is -1").isEqualTo(2);
    assertThat(sixth.runTime()).as("decimals round half up").isEqualTo(Duration.ofSeconds(60));
    assertThat(sixth.memoryMiB(2000)).isEqualTo(4000);
  }

  @Test
  void absoluteSubmitTimesAreRebasedImplausibleMemoryCountedAndRunTimesSkippedByReason() throws IOException {
    Path file = dir.resolve("grid.swf");
    long t0 = 1_136_070_000L; // 2006, a Unix time
    Files.writeString(
        file,
        "; an extended dialect: 20 fields, absolute submit times, memory in bytes\n"
            + "1 " + t0 + " 5 100 4 -1 -1 4 200 2097152 1 7 2 -1 -1 3 -1 -1 0 0\n"
            + "2 " + (t0 + 60) + " 5 -1 4 -1 -1 4 200 -1 1 7 2 -1 -1 3 -1 -1 0 0\n"
            + "3 " + (t0 + 70) + " 5 -7 4 -1 -1 4 200 -1 1 7 2 -1 -1 3 -1 -1 0 0\n"
            + "4 " + (t0 + 90) + " 5 30 2 -1 -1 2 200 4000000000 1 7 2 -1 -1 3 -1 -1 0 0\n"
            + "5 " + (t0 - 10) + " 5 30 2 -1 -1 2 200 -1 1 7 2 -1 -1 3 -1 -1 0 0\n",
        StandardCharsets.US_ASCII);
    List<TraceJob> jobs = new ArrayList<>();
    TraceReplay.Counts c = readAll(file, jobs);
    assertThat(jobs).extracting(TraceJob::number).containsExactly(1L, 4L);
    assertThat(jobs).extracting(j -> j.submit().toSeconds()).containsExactly(0L, 90L);
    assertThat(c.rebasedBySeconds()).isEqualTo(t0);
    assertThat(jobs.get(0).memoryKiBPerProc()).as("2 GiB per processor is plausible").isEqualTo(2_097_152);
    assertThat(jobs.get(1).memoryKiBPerProc()).as("3.7 TiB per processor is not").isEqualTo(-1);
    assertThat(c.implausibleMemory()).isEqualTo(1);
    assertThat(c.extraFields()).isEqualTo(5);
    assertThat(c.runTimeUnknown()).isEqualTo(1);
    assertThat(c.runTimeNegative()).isEqualTo(1);
    assertThat(c.skippedByReason())
        .containsExactly(
            java.util.Map.entry("run time unknown (-1)", 1L),
            java.util.Map.entry("run time negative", 1L),
            java.util.Map.entry("negative submit time", 1L));
    assertThat(c.notes()).hasSize(3);
    assertThat(String.join("\n", c.notes())).contains("rebased to the first job").contains("implausible");
  }

  @Test
  void detectsGzipFromTheContent() throws IOException {
    Path file = dir.resolve("plain-name.swf");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write("; MaxJobs: 1\n1 0 -1 10 1 -1 -1 1 20 -1 1 1 1 -1 -1 1 -1 -1\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(TraceReplay.read(file, 0)).hasSize(1);
  }

  @Test
  void aMissingFileIsAConfigurationErrorNamingIt() {
    Path missing = dir.resolve("nope.swf.gz");
    assertThatThrownBy(() -> TraceReplay.open(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void parsesNumbers() {
    assertThat(TraceReplay.number("-1", 0, 2)).isEqualTo(-1);
    assertThat(TraceReplay.number("552.21", 0, 6)).isEqualTo(552);
    assertThat(TraceReplay.number("0.5", 0, 3)).isEqualTo(1);
    assertThat(TraceReplay.number("1e5", 0, 3)).isEqualTo(Long.MIN_VALUE);
    assertThat(TraceReplay.number(".", 0, 1)).isEqualTo(Long.MIN_VALUE);
  }
}
