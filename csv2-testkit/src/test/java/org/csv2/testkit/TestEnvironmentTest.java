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
package org.csv2.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TestEnvironment}, over a temporary properties file found through the {@code CSV2_TESTENV} system property. */
class TestEnvironmentTest {
  private static final String NOT_RUNNING = "test environment not running: run scripts/testenv up (missing ";

  @TempDir Path dir;
  private String previous;

  @BeforeEach
  void remember() {
    previous = System.getProperty(TestEnvironment.LOCATION_KEY);
  }

  @AfterEach
  void restore() {
    if (previous == null) {
      System.clearProperty(TestEnvironment.LOCATION_KEY);
    } else {
      System.setProperty(TestEnvironment.LOCATION_KEY, previous);
    }
  }

  private Path write(String... lines) throws IOException {
    Path file = dir.resolve("testenv.properties");
    Files.write(file, List.of(lines));
    System.setProperty(TestEnvironment.LOCATION_KEY, file.toString());
    return file;
  }

  @Test
  @DisplayName("load() reads the file the CSV2_TESTENV system property names; values are trimmed")
  void loadsThroughTheSystemProperty() throws IOException {
    Path file = write(
        "moto.endpoint = http://127.0.0.1:5055  ",
        "moto.region=us-east-1",
        "condor.command.prefix=chroot   /var/cache/csv2-testenv/trixie",
        "chroot.dir=/var/cache/csv2-testenv/trixie",
        "answer=42");
    TestEnvironment env = TestEnvironment.load();
    assertThat(env.file()).isEqualTo(file);
    assertThat(env.get(TestEnvironment.MOTO_ENDPOINT)).isEqualTo("http://127.0.0.1:5055");
    assertThat(env.get(TestEnvironment.MOTO_REGION)).isEqualTo("us-east-1");
    assertThat(env.getInt("answer")).isEqualTo(42);
    assertThat(env.getPath(TestEnvironment.CHROOT_DIR)).isEqualTo(Path.of("/var/cache/csv2-testenv/trixie"));
    assertThat(env.command(TestEnvironment.CONDOR_COMMAND_PREFIX, "condor_q", "-json"))
        .containsExactly("chroot", "/var/cache/csv2-testenv/trixie", "condor_q", "-json");
    assertThat(env.toString()).contains(file.toString());
  }

  @Test
  @DisplayName("a missing file fails with the 'test environment not running' message naming the file")
  void missingFileFails() {
    Path absent = dir.resolve("nowhere.properties");
    System.setProperty(TestEnvironment.LOCATION_KEY, absent.toString());
    assertThatThrownBy(TestEnvironment::load)
        .isInstanceOf(AssertionError.class)
        .hasMessage(NOT_RUNNING + "properties file " + absent + ")");
  }

  @Test
  @DisplayName("a missing or blank key fails naming the key and the file; a bad integer too")
  void missingKeyFails() throws IOException {
    Path file = write("moto.region=", "answer=forty-two");
    TestEnvironment env = TestEnvironment.load();
    assertThatThrownBy(() -> env.get(TestEnvironment.MARIADB_URL))
        .isInstanceOf(AssertionError.class)
        .hasMessage(NOT_RUNNING + "key mariadb.url in " + file + ")");
    assertThatThrownBy(() -> env.get(TestEnvironment.MOTO_REGION))
        .hasMessage(NOT_RUNNING + "key moto.region in " + file + ")");
    assertThatThrownBy(() -> env.getInt("answer")).hasMessageStartingWith(NOT_RUNNING).hasMessageContaining("forty-two");
  }

  @Test
  @DisplayName("requireListening passes for a listening server, by host and port, URL or host:port")
  void listeningServerPasses() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      write(
          "mariadb.url=jdbc:mariadb://127.0.0.1:" + port + "/csv2test?sslMode=disable",
          "moto.endpoint=http://127.0.0.1:" + port,
          "condor.collector=127.0.0.1:" + port);
      TestEnvironment env = TestEnvironment.load();
      env.requireListening("server", "127.0.0.1", port);
      env.requireListening("MariaDB", TestEnvironment.MARIADB_URL);
      env.requireListening("moto", TestEnvironment.MOTO_ENDPOINT);
      env.requireListeningHostPort("collector", TestEnvironment.CONDOR_COLLECTOR);
    }
  }

  @Test
  @DisplayName("requireListening fails with the message naming the server and its address when nothing listens")
  void absentServerFails() throws IOException {
    int port;
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = server.getLocalPort();
    }
    Path file = write(
        "postgresql.url=jdbc:postgresql://127.0.0.1:" + port + "/csv2test",
        "postgresql.admin-url=jdbc:postgresql:csv2test",
        "condor.collector=127.0.0.1");
    TestEnvironment env = TestEnvironment.load();
    assertThatThrownBy(() -> env.requireListening("PostgreSQL", TestEnvironment.POSTGRESQL_URL))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(NOT_RUNNING + "PostgreSQL at 127.0.0.1:" + port + " (");
    assertThatThrownBy(() -> env.requireListening("PostgreSQL", TestEnvironment.POSTGRESQL_ADMIN_URL))
        .hasMessage(NOT_RUNNING + "host and port in postgresql.admin-url=jdbc:postgresql:csv2test in " + file + ")");
    assertThatThrownBy(() -> env.requireListeningHostPort("collector", TestEnvironment.CONDOR_COLLECTOR))
        .hasMessage(NOT_RUNNING + "host:port in condor.collector=127.0.0.1 in " + file + ")");
  }

  @Test
  @DisplayName("requireChroot fails naming a chroot that is not there")
  void absentChrootFails() throws IOException {
    Path chroot = dir.resolve("trixie");
    write("chroot.dir=" + chroot);
    TestEnvironment env = TestEnvironment.load();
    assertThatThrownBy(env::requireChroot).hasMessage(NOT_RUNNING + "chroot " + chroot + ")");
    Files.createDirectories(chroot);
    assertThatThrownBy(env::requireChroot).hasMessage(NOT_RUNNING + "mounted " + chroot.resolve("proc") + ")");
  }

  @Test
  @DisplayName("run feeds stdin and returns the output; stdoutOrFail fails on a non-zero exit")
  void runsCommands() {
    TestEnvironment.Result cat = TestEnvironment.run(List.of("cat"), "hello", Duration.ofSeconds(30));
    assertThat(cat.exitCode()).isZero();
    assertThat(cat.stdoutOrFail()).isEqualTo("hello");

    TestEnvironment.Result failing =
        TestEnvironment.run(List.of("sh", "-c", "echo oops >&2; exit 3"), null, Duration.ofSeconds(30));
    assertThat(failing.exitCode()).isEqualTo(3);
    assertThat(failing.stderr()).isEqualTo("oops\n");
    assertThatThrownBy(failing::stdoutOrFail)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("exited with 3")
        .hasMessageContaining("oops");
    assertThatThrownBy(() -> TestEnvironment.run(List.of(dir.resolve("no-such-command").toString()), null, Duration.ofSeconds(5)))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("cannot run ");
  }
}
