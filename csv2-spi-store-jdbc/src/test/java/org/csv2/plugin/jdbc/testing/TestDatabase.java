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
package org.csv2.plugin.jdbc.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.csv2.plugin.jdbc.JdbcStateStoreProvider;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.testkit.TestPluginConfig;

/**
 * A fresh, empty database for one test: its JDBC URL and credentials, and how to drop it.
 *
 * @param name a short name for messages, such as {@code h2} or {@code postgresql}
 * @param url the JDBC URL
 * @param user the user, or null
 * @param password the password, or null
 * @param dropper what drops it
 */
public record TestDatabase(String name, String url, String user, String password, Dropper dropper) {
  /** Drops a database. */
  @FunctionalInterface
  public interface Dropper {
    /**
     * Drops it.
     *
     * @throws SQLException if it cannot
     */
    void drop() throws SQLException;
  }

  /**
   * Opens a store handle on this database through the public provider.
   *
   * @param context the engine services
   * @param more further configuration keys (pool-size, encryption-key...)
   * @return the store
   */
  public StateStore open(PluginContext context, Map<String, Object> more) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("url", url);
    if (user != null) {
      raw.put("user", user);
    }
    if (password != null) {
      raw.put("password", password);
    }
    raw.putAll(more);
    return new JdbcStateStoreProvider().create(TestPluginConfig.of(raw, "state-store.config"), context);
  }

  /**
   * A plain JDBC connection, for looking at the rows themselves.
   *
   * @return the connection
   * @throws SQLException if it cannot connect
   */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user == null ? "" : user, password == null ? "" : password);
  }

  /** Drops the database; failures are the test's failures. */
  public void drop() {
    try {
      dropper.drop();
    } catch (SQLException e) {
      throw new AssertionError("cannot drop test database " + url + ": " + e.getMessage(), e);
    }
  }

  /**
   * A fresh H2 file database under {@code target/h2-test/}.
   *
   * @param label part of its directory name
   * @return the database
   */
  public static TestDatabase h2(String label) {
    java.nio.file.Path dir =
        java.nio.file.Path.of("target", "h2-test", label + "-" + java.util.UUID.randomUUID()).toAbsolutePath();
    String url = "jdbc:h2:file:" + dir.resolve("csv2");
    return new TestDatabase("h2", url, null, null, () -> deleteTree(dir));
  }

  private static void deleteTree(java.nio.file.Path dir) {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var walk = java.nio.file.Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
