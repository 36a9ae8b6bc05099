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
package org.csv2.plugin.jdbc.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.csv2.plugin.jdbc.testing.TestDatabase;
import org.csv2.testkit.TestEnvironment;

/**
 * Fresh databases {@code csv2test_<random>} on the MariaDB and PostgreSQL servers of {@code
 * scripts/testenv up}, created and dropped by the unprivileged test user. Fails (never skips) with
 * "test environment not running: run scripts/testenv up" when a server is missing.
 */
final class ServerDatabases {
  private ServerDatabases() {}

  /** A fresh MariaDB database. */
  static TestDatabase mariadb() {
    TestEnvironment env = TestEnvironment.load();
    env.requireListening("MariaDB", "mariadb.admin-url");
    String admin = env.get("mariadb.admin-url");
    String user = env.get("mariadb.user");
    String password = env.get("mariadb.password");
    String db = name(env.get("mariadb.test-database-prefix"));
    execute(admin, user, password, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
    String url = admin.replace("3306/?", "3306/" + db + "?");
    return new TestDatabase(
        "mariadb", url, user, password, () -> execute(admin, user, password, "DROP DATABASE IF EXISTS " + db));
  }

  /** A fresh PostgreSQL database. */
  static TestDatabase postgresql() {
    TestEnvironment env = TestEnvironment.load();
    env.requireListening("PostgreSQL", "postgresql.admin-url");
    String admin = env.get("postgresql.admin-url");
    String user = env.get("postgresql.user");
    String password = env.get("postgresql.password");
    String db = name(env.get("postgresql.test-database-prefix"));
    execute(admin, user, password, "CREATE DATABASE " + db);
    String url = admin.substring(0, admin.lastIndexOf('/') + 1) + db;
    return new TestDatabase(
        "postgresql",
        url,
        user,
        password,
        () -> execute(admin, user, password, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)"));
  }

  private static String name(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
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
