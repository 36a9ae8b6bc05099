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
package org.csv2.examples.crash;

import org.csv2.testkit.TestEnvironment;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database {@code csv2test_<random>} on the MariaDB or PostgreSQL server of {@code
 * scripts/testenv up}, created and dropped by the unprivileged test user. Fails (never skips) with
 * "test environment not running: run scripts/testenv up" when the server is missing.
 *
 * @param kind {@code mariadb} or {@code postgresql}
 * @param url the JDBC URL of the fresh database (no password in it)
 * @param user the user
 * @param password the password
 * @param name the database's name
 * @param adminUrl where to connect to drop it
 */
public record ServerDatabase(String kind, String url, String user, String password, String name, String adminUrl)
    implements AutoCloseable {

  /** Creates a fresh database on the server of that kind. */
  public static ServerDatabase create(String kind) {
    TestEnvironment env = TestEnvironment.load();
    env.requireListening(kind, kind + ".admin-url");
    String admin = env.get(kind + ".admin-url");
    String user = env.get(kind + ".user");
    String password = env.get(kind + ".password");
    String db = env.get(kind + ".test-database-prefix")
        + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    String url;
    switch (kind) {
      case "mariadb" -> {
        execute(admin, user, password, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
        int q = admin.indexOf('?');
        String base = q < 0 ? admin : admin.substring(0, q);
        String query = q < 0 ? "" : admin.substring(q);
        url = (base.endsWith("/") ? base : base + "/") + db + query;
      }
      case "postgresql" -> {
        execute(admin, user, password, "CREATE DATABASE " + db);
        url = admin.substring(0, admin.lastIndexOf('/') + 1) + db;
      }
      default -> throw new IllegalArgumentException("unknown database kind " + kind);
    }
    return new ServerDatabase(kind, url, user, password, db, admin);
  }

  /** Drops the database. */
  @Override
  public void close() {
    String sql = kind.equals("postgresql")
        ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"
        : "DROP DATABASE IF EXISTS " + name;
    execute(adminUrl, user, password, sql);
  }

  @Override
  public String toString() {
    return kind + " database " + name + " (" + url + ")";
  }

  private static void execute(String url, String user, String password, String sql) {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("'" + sql + "' failed on " + url + ": " + e.getMessage(), e);
    }
  }
}
