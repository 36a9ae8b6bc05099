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
package org.csv2.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuickstartTest {
  @Test
  void theQuickstartRunsEveryJobAndLeavesNoVmBehind(@TempDir Path dir) {
    Path report = dir.resolve("report");
    Result r = run("quickstart", "--jobs", "80", "--store", "jdbc:h2:file:" + dir.resolve("qs"), "--report", report.toString());
    assertThat(r.exit).as(r.out).isZero();
    assertThat(r.out)
        .contains("| jobs submitted / started / done | 80 / 80 / 80 |")
        .containsPattern("\\| VMs booted / retired \\(peak at once\\) \\| (\\d+) / \\1 ")
        .contains("| cost (sum of flavor price-per-hour x hours, in the configuration's currency) |")
        .contains("report (summary and plots): " + report.resolve("index.html").toAbsolutePath());
    // not a terminal: plain progress lines, none repeating the one before it
    java.util.List<String> progress = r.out.lines().filter(l -> l.matches(" *\\d+h\\d\\dm\\d\\ds .*")).map(l -> l.substring(11)).toList();
    assertThat(progress).isNotEmpty();
    for (int i = 1; i < progress.size() - 1; i++) {
      assertThat(progress.get(i)).as("progress line %d", i).isNotEqualTo(progress.get(i - 1));
    }
  }

  @Test
  void theReportIsOneSelfContainedPageAndThreePngPlots(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report");
    Result r = run("quickstart", "--jobs", "40", "--store", "memory", "--report", report.toString());
    assertThat(r.exit).as(r.out).isZero();
    String html = java.nio.file.Files.readString(report.resolve("index.html"));
    assertThat(html).contains("jobs submitted / started / done").contains("Idle jobs").contains("VMs by state").contains("Cores by cloud")
        .doesNotContain("http:").doesNotContain("https:").doesNotContain("<script");
    assertThat(html.split("src=\"data:image/png;base64,", -1)).as("three inlined plots").hasSize(4);
    for (String png : new String[] {"idle-jobs.png", "vms-by-state.png", "cores-by-cloud.png"}) {
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(report.resolve(png).toFile());
      assertThat(img).as(png).isNotNull();
      assertThat(img.getWidth()).as(png).isEqualTo(900);
      // something other than the white background and the axes was drawn: a coloured series
      boolean coloured = false;
      for (int x = 0; x < img.getWidth() && !coloured; x += 2) {
        for (int y = 0; y < img.getHeight() && !coloured; y += 2) {
          java.awt.Color c = new java.awt.Color(img.getRGB(x, y));
          coloured = Math.abs(c.getRed() - c.getBlue()) > 60 || Math.abs(c.getRed() - c.getGreen()) > 60;
        }
      }
      assertThat(coloured).as(png + " has a coloured series").isTrue();
    }
  }

  @Test
  void theEmbeddedStoreKeepsItsStateAcrossRuns(@TempDir Path dir) {
    String url = "jdbc:h2:file:" + dir.resolve("qs");
    Result first = run("quickstart", "--jobs", "30", "--store", url);
    Result second = run("quickstart", "--jobs", "30", "--store", url, "--seed", "7");
    java.util.regex.Matcher m1 =
        java.util.regex.Pattern.compile("(\\d+) VM records with their history now; 0 were there before this run").matcher(first.out);
    assertThat(m1.find()).as(first.out).isTrue();
    int firstRecords = Integer.parseInt(m1.group(1));
    assertThat(firstRecords).isPositive();
    assertThat(second.out).contains("; " + firstRecords + " were there before this run");
  }

  @Test
  void theClassicPolicyRunsTheSameWorkload() {
    Result r = run("quickstart", "--jobs", "60", "--store", "memory", "--policy", "csv2-classic");
    assertThat(r.exit).as(r.out).isZero();
    assertThat(r.out).contains("policy csv2-classic").contains("| jobs submitted / started / done | 60 / 60 / 60 |");
  }

  @Test
  void aTraceCanReplaceTheSyntheticWorkload() {
    Path trace = sharedData().resolve("traces/HPC2N-2002-2-alea-sample.swf.gz");
    Result r = run("quickstart", "--trace", trace.toString(), "--max-jobs", "40", "--store", "memory", "--max-hours", "400");
    assertThat(r.out).contains("trace " + trace).contains("| jobs submitted / started / done | 40 / ").contains("| jobs never started |");
  }

  @Test
  void aTraceWhoseJobsExceedEveryFlavorIsFlaggedLoudlyAndOneWithOnlySuchJobsRefused(@TempDir Path dir) throws Exception {
    // NASA iPSC/860: jobs of 1 to 128 cores; the quickstart's largest flavor has 8
    Path nasa = sharedData().resolve("traces/NASA-iPSC-1993-3.1-cln.swf.gz");
    Result r = run("quickstart", "--trace", nasa.toString(), "--max-jobs", "30", "--store", "memory", "--max-hours", "2");
    assertThat(r.out)
        .contains("WARNING: ")
        .containsPattern("of the 30 jobs \\(\\d+ %\\) of trace .* fit no configured flavor \\(largest: 8 cores")
        .contains("more cores than the largest flavor (8)")
        .contains("| jobs that can never run (no flavor holds them) |");

    Path wide = dir.resolve("wide.swf");
    java.nio.file.Files.writeString(wide, "1 0 -1 100 64 -1 -1 64 200 -1 1 7 2 -1 -1 3 -1 -1\n");
    Result refused = run("quickstart", "--trace", wide.toString(), "--store", "memory");
    assertThat(refused.exit).as("refused: 1").isEqualTo(ExitCodes.FAILED);
    assertThat(refused.out).contains("none of the 1 jobs of trace").contains("more cores than the largest flavor (8)");

    Path empty = dir.resolve("empty.swf");
    java.nio.file.Files.writeString(empty, "1 0 -1 0 1 -1 -1 1 200 -1 1 7 2 -1 -1 3 -1 -1\n");
    Result none = run("quickstart", "--trace", empty.toString(), "--store", "memory");
    assertThat(none.exit).isEqualTo(ExitCodes.FAILED);
    assertThat(none.out).contains("has no job to replay").contains("run time 0=1");
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"quickstart", "validate", "plan", "run"}) {
      Result r = run(command, "--help");
      assertThat(r.exit).as(command).isZero();
      assertThat(r.out).as(command).contains("Usage: csv2 " + command).doesNotContain("Exception");
    }
  }

  @Test
  void validateListsEveryProblemOfABadFile(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    java.nio.file.Files.writeString(
        bad, "timers: { cycle: ten }\nclouds: [{ name: a, driver: simulated, colour: red }]\n");
    Result r = run("validate", bad.toString());
    assertThat(r.exit).as("invalid configuration: 3").isEqualTo(ExitCodes.CONFIG);
    assertThat(r.out).contains("timers.cycle").contains("clouds[0].colour").contains("job-source");
  }

  private static Path sharedData() {
    String p = System.getProperty("csv2.shared.data");
    return p != null ? Path.of(p) : Path.of("../../shared/data");
  }

  private record Result(int exit, String out) {}

  private static Result run(String... given) {
    String[] args = given;
    if (given.length > 0 && given[0].equals("quickstart") && !java.util.Arrays.asList(given).contains("--report")) {
      // the report goes to a temporary directory, not into the source tree
      try {
        args = java.util.Arrays.copyOf(given, given.length + 2);
        args[given.length] = "--report";
        args[given.length + 1] = java.nio.file.Files.createTempDirectory("csv2-quickstart-report").toString();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      int exit = Csv2Cli.commandLine().execute(args);
      return new Result(exit, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
