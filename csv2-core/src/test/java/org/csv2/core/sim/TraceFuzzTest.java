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
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.csv2.testkit.Hostile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing as a test (issue 20): the first lines of a real SWF trace (HPC2N, ../shared/data/traces),
 * one field of one job line replaced by a hostile value. Seeded and bounded. Reading never fails;
 * every other line gives the same job as before; the mutated line gives a job or is counted.
 */
class TraceFuzzTest {
  /** Cases; figures in docs/testing.md. */
  static final int EXAMPLES = 1000;

  private static final int LINES = 60;

  @TempDir Path dir;

  @Test
  void aMutatedTraceLineSkipsThatLineAtMost() throws IOException {
    List<String> header = new ArrayList<>();
    List<String> jobs = new ArrayList<>();
    Path source = TraceReplayTest.traces().resolve("HPC2N-2002-2-alea-sample.swf.gz");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(source)), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null && jobs.size() < LINES) {
        (line.startsWith(";") ? header : jobs).add(line);
      }
    }
    Path base = dir.resolve("base.swf");
    write(base, header, jobs);
    List<TraceJob> before = TraceReplay.read(base, 0);
    assertThat(before).hasSizeGreaterThan(LINES / 2);
    Path file = dir.resolve("mutated.swf");
    qt().withFixedSeed(20_261_204L)
        .withExamples(EXAMPLES)
        .forAll(integers().between(0, LINES - 1), integers().between(0, 17), Hostile.text())
        .checkAssert((lineIndex, field, value) -> {
          List<String> mutated = new ArrayList<>(jobs);
          String[] fields = mutated.get(lineIndex).strip().split("\\s+");
          fields[field] = value;
          mutated.set(lineIndex, String.join(" ", fields));
          write(file, header, mutated);
          List<TraceJob> after = TraceReplay.read(file, 0);
          int extraLines = value.split("\n", -1).length;
          assertThat(after.size()).isBetween(before.size() - 1 - extraLines, before.size() + 1 + extraLines);
          for (TraceJob j : before) {
            if (j.number() != Long.parseLong(jobs.get(lineIndex).strip().split("\\s+")[0])) {
              assertThat(after).as("an untouched line").contains(j);
            }
          }
        });
  }

  private static void write(Path file, List<String> header, List<String> jobs) {
    List<String> all = new ArrayList<>(header);
    all.addAll(jobs);
    try {
      Files.write(file, String.join("\n", all).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
