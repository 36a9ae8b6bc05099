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
import org.csv2.examples.ExitCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code csv2 reservation ...} against a real csv2 serve (the quickstart world, still at
 * 2026-01-05T08:10Z by its clock): search, create, list, show, extend, cancel and usage, as table,
 * JSON and CSV golden files and a golden transcript; then the refusals (capacity taken, unknown
 * id, a bad time, a private key given as the SSH key) with their messages and exit codes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReservationCommandsTest {
  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGkq3ZtUo0c2dG9uZXN0LWtleS1mb3ItdGVzdHM= admin@laptop";
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

  static CliServer.Result step(int exit, String... args) {
    CliServer.Result r = server.run(args);
    transcript.append("$ csv2 ").append(String.join(" ", args).replace(server.home.toString(), "HOME")).append('\n').append(r.out()).append(r.err().isEmpty() ? "" : "(stderr) " + r.err())
        .append("(exit ").append(r.exit()).append(")\n\n");
    assertThat(r.exit()).as("csv2 %s: %s", String.join(" ", args), r).isEqualTo(exit);
    return r;
  }

  static String[] with(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  static void goldens(String name, String... args) {
    server.golden(name + ".txt", server.run(with(args, "--width", "0")));
    server.golden(name + ".json", server.run(with(args, "--json")));
    server.golden(name + ".csv", server.run(with(args, "--csv")));
  }

  @Test
  @Order(1)
  void searchShowsEveryCloudOfTheGroup() {
    goldens("reservation-search", "reservation", "search", "-g", "atlas", "--cores", "4", "--ram", "8000", "--count", "2",
        "--start", "2026-01-06T10:00Z", "--duration", "2h");
  }

  @Test
  @Order(2)
  void createListShowExtendCancel() throws Exception {
    Path key = server.home.resolve("id_ed25519.pub");
    Files.writeString(key, KEY + "\n");
    step(0, "reservation", "create", "-g", "atlas", "-cn", "arbutus", "--cores", "4", "--ram", "8000", "--count", "2",
        "--start", "2026-01-06T10:00Z", "--duration", "2h", "--ssh-key-file", key.toString());
    step(0, "reservation", "add", "-g", "atlas", "--cores", "2", "--ram", "4000", "--count", "1",
        "--start", "2026-01-07T08:00", "--end", "2026-01-07T09:30Z");
    goldens("reservation-list", "reservation", "list", "-g", "atlas");
    goldens("reservation-show", "reservation", "show", "--id", "1");
    step(0, "reservation", "extend", "--id", "1", "--by", "1h");
    step(0, "reservation", "extend", "--id", "2", "--end", "2026-01-07T10:00Z");
    step(0, "reservation", "cancel", "--id", "2");
    step(0, "reservation", "list", "--width", "0");
    goldens("reservation-usage", "reservation", "usage", "--from", "2026-01-05T00:00Z", "--to", "2026-01-08T00:00Z");
  }

  @Test
  @Order(3)
  void refusals() throws Exception {
    CliServer.Result taken = step(ExitCodes.FAILED, "reservation", "create", "-g", "atlas", "-cn", "arbutus", "--cores", "8", "--ram", "16000",
        "--count", "500", "--start", "2026-01-06T10:00Z", "--duration", "1h");
    assertThat(taken.err()).startsWith("csv2 reservation create: reservation in group atlas: refused, it conflicts with the current state: reservation ");
    CliServer.Result unknown = step(ExitCodes.FAILED, "reservation", "show", "--id", "999");
    assertThat(unknown.err()).startsWith("csv2 reservation show: reservation 999: not found");
    CliServer.Result badTime = step(ExitCodes.USAGE, "reservation", "search", "-g", "atlas", "--cores", "1", "--ram", "1000", "--count", "1",
        "--start", "tomorrow", "--duration", "1h");
    assertThat(badTime.err()).contains("--start: 'tomorrow' is not a time");
    Path priv = server.home.resolve("id_ed25519");
    Files.writeString(priv, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
    CliServer.Result privateKey = step(ExitCodes.USAGE, "reservation", "create", "-g", "atlas", "--cores", "1", "--ram", "1000", "--count", "1",
        "--start", "2026-01-06T10:00Z", "--duration", "1h", "--ssh-key-file", priv.toString());
    assertThat(privateKey.err()).contains("this is a private key; give the public one").doesNotContain("b3BlbnNzaC1");
    CliServer.Result noSize = step(ExitCodes.USAGE, "reservation", "create", "-g", "atlas", "--count", "1",
        "--start", "2026-01-06T10:00Z", "--duration", "1h");
    assertThat(noSize.err()).contains("give --flavor, or --cores and --ram");
    CliServer.Result noWindow = step(ExitCodes.USAGE, "reservation", "search", "-g", "atlas", "--cores", "1", "--ram", "1000", "--count", "1");
    assertThat(noWindow.err()).contains("--start");
    assertThat(server.run("reservation", "extend", "--help").exit()).isZero();
  }

  @Test
  @Order(4)
  void transcriptMatchesTheGoldenFile() {
    server.golden("reservation-transcript.txt", new CliServer.Result(0, transcript.toString(), ""));
  }
}
