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

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The command-line framework against a real csv2 serve: profiles, status, vm list, formats, errors. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliFrameworkTest {
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

  @Test
  void statusAsTableJsonAndCsv() {
    server.golden("status.txt", server.run("status", "--width", "0"));
    server.golden("status-narrow.txt", server.run("status", "--width", "70"));
    server.golden("status-atlas.json", server.run("status", "-g", "atlas", "--json"));
    server.golden("status.csv", server.run("status", "--csv"));
  }

  @Test
  void vmListAsTableJsonAndCsv() {
    server.golden("vm-list.txt", server.run("vm", "list", "--width", "0"));
    CliServer.Result narrow = server.run("vm", "list", "--width", "100");
    assertThat(narrow.out().lines()).as(narrow.out()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100)).anySatisfy(l -> assertThat(l).contains("~"));
    server.golden("vm-list.json", server.run("vm", "list", "--json"));
    server.golden("vm-list.csv", server.run("vm", "list", "--csv"));
    // the server answers pages of at most 5,000 VMs: in pages of 7, the command follows the next
    // links and prints the same list
    server.golden("vm-list.txt", server.run("vm", "list", "--width", "0", "--page-size", "7"));
    server.golden("vm-list.json", server.run("vm", "list", "--json", "--page-size", "7"));
  }

  @Test
  void tokenFileIsTheOwnersOnly() throws Exception {
    var perms = Files.getPosixFilePermissions(Profiles.ofUser().tokenFile("default"));
    assertThat(PosixFilePermissions.toString(perms)).isEqualTo("rw-------");
    CliServer.Result r = server.run("defaults", "list");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("default").contains(server.uri.toString()).doesNotContain(server.token);
  }

  @Test
  void helpIsNeverAnErrorAndShowsAnExample() {
    for (String[] args : new String[][] {{"--help"}, {"vm", "--help"}, {"vm", "list", "--help"}, {"vm", "update", "--help"}, {"status", "--help"},
        {"defaults", "set", "--help"}, {"quickstart", "--help"}, {"plan", "--help"}, {"validate", "--help"}, {"run", "--help"}, {"serve", "--help"}}) {
      CliServer.Result r = server.run(args);
      assertThat(r.exit()).as(String.join(" ", args) + ": " + r).isZero();
      assertThat(r.out()).as(String.join(" ", args)).contains("Usage:");
      if (args.length > 1 && !args[0].equals("plan") && !args[0].equals("quickstart") && !args[0].equals("validate")
          && !args[0].equals("run") && !args[0].equals("serve")) {
        assertThat(r.out()).as(String.join(" ", args)).contains("Example");
      }
    }
  }

  @Test
  void wrongUsageExitsTwo() {
    CliServer.Result unknown = server.run("frobnicate", "list");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("frobnicate");
    CliServer.Result option = server.run("vm", "list", "--colour");
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.err()).contains("--colour");
    CliServer.Result noAction = server.run("vm");
    assertThat(noAction.exit()).isEqualTo(2);
    assertThat(noAction.err()).contains("give an action");
    CliServer.Result both = server.run("vm", "list", "--json", "--csv");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("csv2 vm list: --json and --csv: give one of them" + System.lineSeparator());
  }

  @Test
  void unknownVmNamesTheVmAndExitsOne() {
    CliServer.Result r = server.run("vm", "update", "--vm-option", "retire", "--vm-hosts", "no-such-vm");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("csv2 vm update: VM no-such-vm: not found");
  }

  @Test
  void expiredOrWrongTokenSaysWhatToDo() {
    assertThat(server.run("defaults", "set", "-s", "stale", "--server-url", server.uri.toString(), "--token", "csv2_abcdef_wrong").exit()).isZero();
    CliServer.Result r = server.run("vm", "list", "-s", "stale");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(server.normalise(r.err())).isEqualTo(
        "csv2 vm list: the csv2 server at " + server.normalise(server.uri.toString()) + " refused the token of profile 'stale' (expired, revoked or never set):"
            + " make a new one under My settings (or 'csv2 my token create') and store it with csv2 defaults set -s stale --token-file FILE"
            + System.lineSeparator());
  }

  @Test
  void stoppedServerSaysSo() {
    // a profile pointing at a port nobody listens on: the same message as a stopped server
    assertThat(server.run("defaults", "set", "-s", "gone", "--server-url", "http://127.0.0.1:9", "--token", "csv2_x_y").exit()).isZero();
    CliServer.Result r = server.run("status", "-s", "gone");
    assertThat(r.exit()).as("a server that cannot be used: 4").isEqualTo(org.csv2.examples.ExitCodes.UNAVAILABLE);
    assertThat(r.err()).isEqualTo("csv2 status: cannot reach the csv2 server at http://127.0.0.1:9 (profile 'gone'): is it running?"
        + " Start one with 'csv2 serve', or point the profile at another: csv2 defaults set -s gone --server-url URL" + System.lineSeparator());
  }

  @Test
  void missingProfileSaysHowToMakeOne() {
    CliServer.Result r = server.run("status", "-s", "nothere");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no server profile 'nothere'").contains("csv2 defaults set -s nothere --server-url");
  }
}
