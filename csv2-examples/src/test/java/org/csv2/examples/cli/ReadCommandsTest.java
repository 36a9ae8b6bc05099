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

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every listing command against a real csv2 serve, as a table, JSON and CSV, compared with golden files. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadCommandsTest {
  static CliServer server;

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.start(20);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "csv2 {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cloud-list         | cloud list",
        "cloud-list-atlas   | cloud list -g atlas",
        "cloud-status-atlas | cloud status -g atlas",
        "cloud-status-cern  | cloud status -cn cern",
        "cloud-metadata     | cloud metadata-list -g atlas -cn arbutus",
        "group-list         | group list",
        "group-defaults     | group defaults -g atlas",
        "alias-list         | alias list",
        "job-list-idle      | job list -g atlas --state idle --limit 15",
        "metadata-list      | metadata list -g atlas",
        "user-list          | user list",
        "my-settings        | my settings",
        "vm-list-cern       | vm list -g belle2 -cn cern"
      })
  void listsAsTableJsonAndCsv(String golden, String command) {
    String[] args = command.trim().split(" ");
    server.golden(golden.trim() + ".txt", server.run(concat(args, "--width", "0")));
    server.golden(golden.trim() + ".json", server.run(concat(args, "--json")));
    server.golden(golden.trim() + ".csv", server.run(concat(args, "--csv")));
  }

  @Test
  void serverConfigIsTheStoredYamlWithItsVersion() {
    CliServer.Result r = server.run("server", "config");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("# configuration version ").contains("groups:").contains("clouds:");
    CliServer.Result j = server.run("server", "config", "--json");
    assertThat(j.out()).contains("\"version\"").contains("\"yaml\"");
  }

  @Test
  void metadataShowPrintsTheTemplate() {
    CliServer.Result list = server.run("metadata", "list", "-g", "atlas", "--csv");
    assertThat(list.exit()).isZero();
    String first = list.out().lines().skip(1).findFirst().orElseThrow().split(",")[0];
    CliServer.Result r = server.run("metadata", "show", "-g", "atlas", "-mn", first);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isNotBlank();
    CliServer.Result missing = server.run("metadata", "show", "-g", "atlas", "-mn", "nope.yaml");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("csv2 metadata show: metadata nope.yaml of group atlas: not found: csv2 metadata list -g atlas lists them" + System.lineSeparator());
  }

  @Test
  void aGroupIsNeededWhereTheServerWantsOne() {
    CliServer.Result r = server.run("metadata", "list");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("csv2 metadata list: metadata list needs a group: give -g GROUP, or store one in the profile: csv2 defaults set -s default -g GROUP" + System.lineSeparator());
  }

  @Test
  void unknownGroupIsNotFound() {
    CliServer.Result r = server.run("group", "defaults", "-g", "nosuch");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("csv2 group defaults: defaults of group nosuch: not found (or not visible to you): ");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
