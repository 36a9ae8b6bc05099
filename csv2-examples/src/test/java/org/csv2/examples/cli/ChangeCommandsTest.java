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

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Every changing command against a real csv2 serve, in order, each one's output and exit code in
 * a transcript compared with a golden file; then the refusals (stale version, pending retire,
 * revoked token) and, last, a stopped server.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeCommandsTest {
  static CliServer server;
  static final StringBuilder transcript = new StringBuilder();

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

  /** Runs a command, appends it and its outcome to the transcript, and checks the exit code. */
  static CliServer.Result step(int exit, String... args) {
    CliServer.Result r = server.run(args);
    transcript.append("$ csv2 ").append(String.join(" ", args)).append('\n').append(r.out()).append(r.err().isEmpty() ? "" : "(stderr) " + r.err())
        .append("(exit ").append(r.exit()).append(")\n\n");
    assertThat(r.exit()).as("csv2 %s: %s", String.join(" ", args), r).isEqualTo(exit);
    return r;
  }

  @Test
  @Order(1)
  void clouds() {
    step(0, "cloud", "pause", "-cn", "cern");
    step(0, "cloud", "list");
    step(0, "cloud", "enable", "-cn", "cern");
    step(0, "cloud", "update", "-g", "atlas", "-cn", "arbutus", "--cores-ctl", "64", "--ram-ctl", "256000");
    step(0, "cloud", "update", "-g", "atlas", "-cn", "arbutus", "--flavor-exclusions", "c1-4gb");
    step(0, "cloud", "update", "-g", "atlas", "-cn", "arbutus", "--priority", "3");
    step(0, "cloud", "update", "-cn", "arbutus", "--config", "boot-error-rate-note=none");
    step(0, "cloud", "status", "-g", "atlas", "-cn", "arbutus");
    step(0, "cloud", "add", "-cn", "extra", "--driver", "simulated", "--config", "world=serve-quickstart", "--paused", "-g", "atlas", "--priority", "9");
    step(0, "cloud", "list", "-g", "atlas");
    step(0, "cloud", "delete", "-g", "atlas", "-cn", "extra");
    step(0, "cloud", "delete", "-cn", "extra");
    step(2, "cloud", "update", "-cn", "arbutus");
  }

  @Test
  @Order(2)
  void cloudMetadata() throws Exception {
    Path doc = server.home.resolve("extra.yaml");
    Files.writeString(doc, "#cloud-config\nwrite_files: []\n");
    step(0, "cloud", "metadata-load", "-g", "atlas", "-cn", "arbutus", "-f", doc.toString(), "--priority", "5");
    step(0, "cloud", "metadata-list", "-g", "atlas", "-cn", "arbutus");
    step(0, "cloud", "metadata-delete", "-g", "atlas", "-cn", "arbutus", "-mn", "extra.yaml");
    step(1, "cloud", "metadata-delete", "-g", "atlas", "-cn", "arbutus", "-mn", "extra.yaml");
  }

  @Test
  @Order(3)
  void groupsAliasesAndMetadata() throws Exception {
    step(0, "group", "add", "-gn", "cms", "--submitters", "cmsprod", "--weight", "1.5");
    step(0, "group", "update", "-g", "cms", "--weight", "2", "--variable", "site=T2");
    step(0, "group", "list");
    step(0, "group", "defaults", "-g", "atlas", "--vm-keep-alive", "15m", "--job-ram", "2000");
    step(0, "group", "defaults", "-g", "atlas");
    step(0, "group", "delete", "-g", "cms");
    step(0, "alias", "add", "-g", "atlas", "-an", "fast", "-cn", "arbutus,cern");
    step(0, "alias", "update", "-g", "atlas", "-an", "fast", "-cn", "cern");
    step(0, "alias", "list", "-g", "atlas");
    step(0, "alias", "delete", "-g", "atlas", "-an", "fast");
    Path doc = server.home.resolve("site.yaml");
    Files.writeString(doc, "#cloud-config\nruncmd: [echo hello]\n");
    step(0, "metadata", "load", "-g", "atlas", "-f", doc.toString());
    step(0, "metadata", "show", "-g", "atlas", "-mn", "site.yaml");
    step(0, "metadata", "delete", "-g", "atlas", "-mn", "site.yaml");
  }

  @Test
  @Order(4)
  void vms() throws Exception {
    JsonNode vms = Csv2Client.JSON.readTree(server.run("vm", "list", "-g", "belle2", "-cn", "cern", "--json").out());
    String a = vms.get(0).path("id").asText();
    String b = vms.get(1).path("id").asText();
    step(0, "vm", "update", "--vm-option", "retire", "--vm-hosts", a);
    step(1, "vm", "update", "--vm-option", "retire", "--vm-hosts", a);
    step(0, "vm", "update", "--vm-option", "manctl", "--vm-hosts", b);
    step(0, "vm", "update", "--vm-option", "sysctl", "--vm-hosts", b);
    step(0, "vm", "update", "--vm-option", "retain", "--vm-count", "2", "-g", "belle2", "-cn", "cern");
    step(2, "vm", "update", "--vm-option", "retain", "-g", "belle2");
    step(2, "vm", "update", "--vm-option", "kill");
    step(2, "vm", "update", "--vm-option", "explode", "--vm-hosts", a);
  }

  @Test
  @Order(5)
  void usersAndMySettings() throws Exception {
    Path pw = server.home.resolve("alice.pass");
    Files.writeString(pw, "alice-password-long\n");
    step(0, "user", "add", "-un", "alice", "--user-groups", "atlas", "--password-file", pw.toString());
    step(0, "user", "update", "-un", "alice", "--user-groups", "atlas,belle2");
    step(0, "user", "list");
    step(0, "user", "delete", "-un", "alice");
    step(1, "user", "delete", "-un", "alice");
    step(0, "my", "settings", "--refresh", "60");
  }

  @Test
  @Order(6)
  void staleVersionIsRefusedWithItsOwnMessage() {
    CliServer.Result r = step(1, "cloud", "pause", "-cn", "cern", "--expect-version", "1");
    assertThat(r.err()).isEqualTo("csv2 cloud pause: cloud cern: someone changed it since this command read it (stale version):"
        + " run the command again to apply it to the current version" + System.lineSeparator());
  }

  @Test
  @Order(7)
  void auditListsTheChanges() {
    CliServer.Result r = server.run("audit", "list", "--csv");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("admin").contains("cern").contains("arbutus");
  }

  @Test
  @Order(8)
  void revokedTokenSaysWhatToDo() {
    CliServer.Result made = server.run("my", "token", "create", "--label", "short-lived", "-s", "default", "--json");
    assertThat(made.exit()).as(made.toString()).isZero();
    JsonNode t = json(made.out());
    assertThat(server.run("defaults", "set", "-s", "revoked", "--server-url", server.uri.toString(), "--token", t.path("token").asText()).exit()).isZero();
    assertThat(server.run("status", "-s", "revoked").exit()).isZero();
    CliServer.Result list = server.run("my", "token", "list", "--csv");
    assertThat(list.out()).contains("short-lived");
    assertThat(server.run("my", "token", "delete", "--id", t.path("id").asText()).exit()).isZero();
    CliServer.Result r = server.run("status", "-s", "revoked");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("refused the token of profile 'revoked' (expired, revoked or never set)");
  }

  @Test
  @Order(9)
  void transcriptMatchesTheGoldenFile() {
    server.golden("changes-transcript.txt", new CliServer.Result(0, transcript.toString(), ""));
  }

  @Test
  @Order(10)
  void stoppedServerSaysSo() throws Exception {
    server.stop();
    CliServer.Result r = server.run("status");
    assertThat(r.exit()).as("a server that cannot be used: 4").isEqualTo(org.csv2.examples.ExitCodes.UNAVAILABLE);
    assertThat(server.normalise(r.err())).isEqualTo("csv2 status: cannot reach the csv2 server at http://127.0.0.1:PORT (profile 'default'): is it running?"
        + " Start one with 'csv2 serve', or point the profile at another: csv2 defaults set -s default --server-url URL" + System.lineSeparator());
  }

  private static JsonNode json(String s) {
    try {
      return Csv2Client.JSON.readTree(s);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
