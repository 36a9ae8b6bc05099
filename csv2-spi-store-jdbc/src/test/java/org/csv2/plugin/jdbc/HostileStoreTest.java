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
package org.csv2.plugin.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csv2.api.StateStoreException;
import org.csv2.spi.StateStore;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store against a careless operator and a hostile host (issue 20, item 3): cyclic failure
 * chains, an emptied H2 file, who may read the file, a server that accepts and never answers.
 * Every case failed on the main of 2026-12-04 (a StackOverflowError, a silently new database, a
 * 0644 file, a hang).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileStoreTest {
  private static final String PATH = "state-store.config";

  @TempDir Path dir;

  private StateStore open(Map<String, Object> raw) {
    return new JdbcStateStoreProvider().create(TestPluginConfig.of(raw, PATH), TestPluginContext.of("store"));
  }

  private StateStore openH2(Path base) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("url", "jdbc:h2:file:" + base);
    return open(raw);
  }

  @Test
  void aFailureWhoseSuppressedAndCausesLoopIsSearchedOnce() {
    SQLException a = new SQLException("file is locked: /x/csv2.mv.db");
    SQLException b = new SQLException("wrapper");
    a.addSuppressed(b);
    b.addSuppressed(a);
    b.initCause(a);
    // the old recursion over suppressed exceptions never ended
    assertThat(JdbcStateStore.leaksSecret(b, List.of("s3cret"))).isFalse();
    SQLException leaking = new SQLException("password s3cret refused");
    a.addSuppressed(leaking);
    assertThat(JdbcStateStore.leaksSecret(b, List.of("s3cret"))).isTrue();
  }

  @Test
  void anEmptiedH2FileIsRefusedNotRecreated() throws IOException {
    Path base = dir.resolve("data").resolve("csv2");
    try (StateStore store = openH2(base)) {
      assertThat(store.vms()).isEmpty();
    }
    Path file = dir.resolve("data").resolve("csv2.mv.db");
    assertThat(file).exists();
    Files.write(file, new byte[0]);
    assertThatThrownBy(() -> openH2(base))
        .isInstanceOfSatisfying(StateStoreException.class, e -> assertThat(e.reason()).isEqualTo(StateStoreException.Reason.CORRUPT))
        .hasMessageContaining("is empty (0 bytes)")
        .hasMessageContaining("move it away to start afresh");
    assertThat(file).isEmptyFile();
    Files.delete(file);
    try (StateStore store = openH2(base)) {
      assertThat(store.vms()).as("a file moved away is a fresh start").isEmpty();
    }
  }

  @Test
  void theH2FileAndTheDirectoryCsv2CreatesAreOwnerOnly() throws IOException {
    Path base = dir.resolve("fresh").resolve("csv2");
    try (StateStore store = openH2(base)) {
      store.vms();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("fresh").resolve("csv2.mv.db"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("fresh")))).isEqualTo("rwx------");
  }

  @Test
  void aCauseChainThatLoopsEndsAtItsDeepestNewCause() {
    SQLException locked = new SQLException("Database may be already in use: the file is locked");
    RuntimeException outer = new RuntimeException("pool init failed", locked);
    locked.initCause(outer);
    // the old loop compared a cause only with its own throwable and went round forever
    assertThat(JdbcStateStore.rootMessage(outer, List.of())).isEqualTo("Database may be already in use: the file is locked");
  }

  @Test
  void aServerThatAcceptsButNeverAnswersCannotBlockOpenForever() throws IOException {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (!silent.isClosed()) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException e) {
                  // closed: the test is over
                }
              },
              "silent-db");
      acceptor.setDaemon(true);
      acceptor.start();
      for (String url :
          List.of(
              "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/csv2",
              "jdbc:mariadb://127.0.0.1:" + silent.getLocalPort() + "/csv2")) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", url);
        raw.put("user", "csv2");
        raw.put("password", "Not-Shown-42");
        raw.put("connect-timeout", "1s");
        long started = System.nanoTime();
        assertThatThrownBy(() -> open(raw))
            .as(url)
            .isInstanceOfSatisfying(StateStoreException.class, e -> assertThat(e.reason()).isEqualTo(StateStoreException.Reason.UNAVAILABLE))
            .hasMessageNotContaining("Not-Shown-42");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as(url + " gave up").isLessThan(60);
      }
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void timeoutsAreGivenToEveryNetworkDriver() {
    assertThat(JdbcStateStore.withTimeouts(new java.util.Properties(), Dialect.POSTGRESQL, java.time.Duration.ofMillis(1500)))
        .containsEntry("connectTimeout", "2")
        .containsEntry("loginTimeout", "2")
        .containsEntry("socketTimeout", "60");
    assertThat(JdbcStateStore.withTimeouts(new java.util.Properties(), Dialect.MARIADB, java.time.Duration.ofSeconds(20)))
        .containsEntry("connectTimeout", "20000")
        .containsEntry("socketTimeout", "120000");
  }
}
