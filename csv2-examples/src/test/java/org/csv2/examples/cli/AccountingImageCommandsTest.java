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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code accounting}, {@code image} and {@code keypair} objects against a real csv2 serve (the
 * quickstart world, still after 20 cycles), as a table, JSON and CSV compared with golden files,
 * and their refusals with their messages and exit codes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AccountingImageCommandsTest {
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
        // a period that ends while the world ran, so the figures do not depend on when the test runs
        "accounting-report        | accounting report --by group,cloud --from 2026-01-05T00:00:00Z --to 2026-01-05T08:09:00Z",
        "accounting-report-flavor | accounting report -g atlas --by flavor,month,reservation --from 2026-01-05T00:00:00Z --to 2026-01-05T08:09:00Z",
        "accounting-apel          | accounting apel",
        "image-list               | image list",
        "image-list-ids           | image list --ids -g atlas",
        "image-transfers          | image transfers",
        "image-replication        | image replication"
      })
  void listsAsTableJsonAndCsv(String golden, String command) {
    String[] args = command.trim().split(" ");
    if (golden.trim().startsWith("accounting-report")) {
      // the quickstart world's VM start times vary by seconds between runs (its cycles are paced in
      // real time), so the figures are not golden: the header, the rows' keys and their count are
      CliServer.Result table = server.run(concat(args, "--width", "0"));
      CliServer.Result json = server.run(concat(args, "--json"));
      CliServer.Result csv = server.run(concat(args, "--csv"));
      assertThat(table.exit()).as(table.toString()).isZero();
      assertThat(csv.out()).startsWith(golden.contains("flavor") ? "FLAVOR,MONTH,RESERVATION,VMS,WALL H,CORE H,CPU H,COST"
          : "GROUP,CLOUD,VMS,WALL H,CORE H,CPU H,COST");
      assertThat(csv.out()).contains(golden.contains("flavor") ? ",2026-01,," : "atlas,arbutus,");
      assertThat(table.out().lines().count()).isEqualTo(csv.out().lines().count());
      assertThat(json.out().split("\"key\"", -1).length - 1).as("JSON rows").isEqualTo(csv.out().lines().count() - 1);
      return;
    }
    server.golden(golden.trim() + ".txt", server.run(concat(args, "--width", "0")));
    server.golden(golden.trim() + ".json", server.run(concat(args, "--json")));
    server.golden(golden.trim() + ".csv", server.run(concat(args, "--csv")));
  }

  @ParameterizedTest(name = "csv2 {0} --help")
  @ValueSource(strings = {"accounting", "accounting report", "accounting apel", "image", "image list", "image transfer",
      "image cancel", "image replication", "image upload", "image delete", "image transfers", "image actions",
      "keypair", "keypair list", "keypair add", "keypair copy", "keypair delete"})
  void helpIsNeverAnError(String command) {
    CliServer.Result r = server.run(concat(command.split(" "), "--help"));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Usage: csv2 " + command).contains("Example");
  }

  @Test
  void refusalsSayWhatAndExitOneOrTwo() {
    CliServer.Result export = server.run("accounting", "apel", "--export");
    assertThat(export.exit()).as(export.toString()).isEqualTo(1);
    assertThat(export.err()).startsWith("csv2 accounting apel: ").contains("accounting.site-name and accounting.outgoing");
    CliServer.Result since = server.run("accounting", "apel", "--since", "2026-01-01T00:00:00Z");
    assertThat(since.exit()).isEqualTo(2);
    assertThat(since.err()).contains("--since goes with --export");
    CliServer.Result dim = server.run("accounting", "report", "--by", "vo");
    assertThat(dim.exit()).isEqualTo(1);
    assertThat(dim.err()).contains("'vo' is not a report dimension");
    CliServer.Result noSource = server.run("image", "transfer", "--image", "w", "--to-cloud", "cern");
    assertThat(noSource.exit()).isEqualTo(2);
    assertThat(noSource.err()).contains("give either --from-cloud with --image-id, or --url");
    CliServer.Result unknown = server.run("image", "transfer", "--image", "w", "--from-cloud", "cern", "--image-id", "i-1", "--to-cloud", "nowhere");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("target cloud nowhere is not configured");
    CliServer.Result file = server.run("image", "upload", "--image", "w", "--file", "w.qcow2", "-cn", "cern");
    assertThat(file.exit()).isEqualTo(2);
    assertThat(file.err()).contains("--file: w.qcow2 is not a readable file");
    CliServer.Result badUrl = server.run("image", "upload", "--image", "w", "--url", "ftp://x/w.img", "-cn", "cern");
    assertThat(badUrl.exit()).as(badUrl.toString()).isEqualTo(1);
    assertThat(badUrl.err()).startsWith("csv2 image upload: ").contains("http or https");
    CliServer.Result gone = server.run("image", "delete", "-cn", "cern", "--image", "no-such-image");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).contains("cloud cern was not seen listing an image named no-such-image");
    CliServer.Result noGroup = server.run("keypair", "copy", "--name", "ops");
    assertThat(noGroup.exit()).isEqualTo(2);
    assertThat(noGroup.err()).contains("-g GROUP");
    CliServer.Result notKept = server.run("keypair", "copy", "--name", "nobody", "-g", "atlas");
    assertThat(notKept.exit()).isEqualTo(1);
    assertThat(notKept.err()).contains("key pair nobody is not kept");
    CliServer.Result cancel = server.run("image", "cancel", "424242");
    assertThat(cancel.exit()).isEqualTo(1);
    assertThat(cancel.err()).startsWith("csv2 image cancel: ");
  }

  @Test
  void keyPairsAreKeptListedAndForgotten(@TempDir Path tmp) throws Exception {
    Path pub = tmp.resolve("ops.pub");
    Files.writeString(pub, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKr9GPBxDqyWuGrx46vnUH/HZZwcxDOQ7MWbu/6BqJsS ops@site\n");
    CliServer.Result add = server.run("keypair", "add", "--name", "ops", "--public-key", pub.toString());
    assertThat(add.exit()).as(add.toString()).isZero();
    assertThat(add.out()).contains("key pair ops kept (SHA256:UOCkDnTqUfIKYzXY9+b5uV2GeV20OOaG533eu1akP2U)");
    CliServer.Result list = server.run("keypair", "list", "--csv");
    assertThat(list.out()).startsWith("NAME,FINGERPRINT,CREATED").contains("ops,SHA256:UOCkDnTqUfIKYzXY9+b5uV2GeV20OOaG533eu1akP2U,");
    CliServer.Result bad = server.run("keypair", "add", "--name", "bad", "--public-key", tmp.resolve("missing.pub").toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("cannot be read");
    CliServer.Result copy = server.run("keypair", "copy", "--name", "ops", "-g", "atlas", "-cn", "cern");
    assertThat(copy.exit()).as(copy.toString()).isZero();
    assertThat(copy.out()).isEqualTo("key pair ops: import into cern asked\n");
    // the world behind this csv2 serve is still (no cycle runs), so the import waits for an engine
    // (ImageOperationsTest sees an engine carry actions out)
    CliServer.Result actions = server.run("image", "actions", "--csv");
    assertThat(actions.out()).startsWith("ID,ACTION,NAME,CLOUD,STATE,BY,MESSAGE\n").contains(",copy key pair,ops,cern,pending,admin,");
    assertThat(server.run("keypair", "delete", "--name", "ops").exit()).isZero();
    CliServer.Result again = server.run("keypair", "delete", "--name", "ops");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("key pair ops");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
