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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate}, {@code plan} and {@code run} make the same checks and end the same way (issue
 * 20, item 7): every plugin's problem in one report, the same exit code from each command, a
 * message without a stack trace (unless {@code --verbose}), and a dry run that creates no
 * database. On the main of 2026-12-04, validate said "valid" where plan refused, plan showed one
 * plugin's problem per run, run exited 1 with a stack trace, and plan created and migrated the
 * H2 database.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CliFailuresTest {
  @TempDir Path dir;

  private static final String GOOD_CLOUD =
      """
        - name: c1
          driver: simulated
          config:
            world: cli-failures
            quota: { cores: 16 }
            flavors: [{ name: m1, cores: 4, ram-mib: 8000, disk-gib: 20 }]
      """;

  private Path config(String clouds, String store) throws Exception {
    Path file = dir.resolve("csv2.yaml");
    Files.writeString(
        file,
        "engine: { instance-id: clitest }\n"
            + "groups: [{ name: atlas, vm-defaults: { image: alma9 } }]\n"
            + "clouds:\n"
            + clouds
            + "allocations: [{ group: atlas, cloud: c1, priority: 0 }]\n"
            + "job-source: { driver: simulated, config: { world: cli-failures } }\n"
            + "state-store:\n"
            + store);
    return file;
  }

  private String h2Store() {
    return "  driver: jdbc\n  config: { url: \"jdbc:h2:file:" + dir.resolve("db").resolve("csv2") + "\" }\n";
  }

  @Test
  void everyPluginProblemIsReportedAtOnceWithTheSameExitCodeByEveryCommand() throws Exception {
    Path file =
        config(
            """
              - name: c1
                driver: simulated
                config: { world: cli-failures, quota: { cores: 16 }, colour: red }
              - name: c2
                driver: no-such-driver
            """,
            "  driver: jdbc\n  config: { url: \"jdbc:nosuchdb://x\" }\n");
    for (String command : new String[] {"validate", "plan", "run"}) {
      Result r = run(command, file.toString());
      assertThat(r.exit).as(command + ": " + r.out).isEqualTo(ExitCodes.CONFIG);
      assertThat(r.out)
          .as(command)
          .contains("state-store.config.url")
          .contains("clouds[0].config.colour")
          .contains("no-such-driver")
          .doesNotContain("\tat ")
          .doesNotContain("Exception in thread");
    }
    Result verbose = run("plan", "--verbose", file.toString());
    assertThat(verbose.exit).isEqualTo(ExitCodes.CONFIG);
    assertThat(verbose.out).as("--verbose prints the stack trace").contains("\tat ");
  }

  @Test
  void aDryRunCreatesNoDatabaseAndValidateChecksThePluginsToo() throws Exception {
    Path file = config(GOOD_CLOUD, h2Store());
    Result plan = run("plan", file.toString());
    assertThat(plan.exit).as(plan.out).isZero();
    Result validate = run("validate", file.toString());
    assertThat(validate.exit).as(validate.out).isZero();
    assertThat(validate.out).contains("valid").contains("plugins, state store and clouds checked");
    assertThat(validate.out).as("a group with no user data is worth a warning, not a refusal")
        .contains("warning: group atlas: its VMs get no user data");
    assertThat(dir.resolve("db")).as("plan and validate create no database, not even its directory").doesNotExist();
  }

  @Test
  void aStoreThatCannotBeUsedEndsEveryCommandWithTheSameCodeAndNoStackTrace() throws Exception {
    Path db = dir.resolve("db");
    Files.createDirectories(db);
    Files.write(db.resolve("csv2.mv.db"), new byte[0]); // emptied by a full disk
    Path file = config(GOOD_CLOUD, h2Store());
    for (String command : new String[] {"validate", "plan", "run"}) {
      Result r = run(command, file.toString());
      assertThat(r.exit).as(command + ": " + r.out).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(r.out).as(command).contains("is empty (0 bytes)").doesNotContain("\tat ");
    }
  }

  private record Result(int exit, String out) {}

  private static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      ExitCodes.verbose(false);
      int exit = Csv2Cli.commandLine().execute(args);
      return new Result(exit, buf.toString(StandardCharsets.UTF_8));
    } finally {
      ExitCodes.verbose(false);
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
