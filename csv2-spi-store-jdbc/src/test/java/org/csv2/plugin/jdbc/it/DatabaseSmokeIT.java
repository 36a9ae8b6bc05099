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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.csv2.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Proves that the MariaDB and PostgreSQL servers of {@code scripts/testenv up} answer the way the JDBC store
 * will use them: a JDBC connection with the configured URL and user, {@code select version()}, and a per-test
 * database created, used and dropped by the same unprivileged user.
 */
class DatabaseSmokeIT {

    private final TestEnvironment env = TestEnvironment.load();

    @Test
    void mariadbAnswersSelectVersion() throws SQLException {
        env.requireListening("MariaDB", "mariadb.url");
        String version = selectVersion(env.get("mariadb.url"), env.get("mariadb.user"), env.get("mariadb.password"));
        assertTrue(version.contains("MariaDB"), "select version() = " + version);
    }

    @Test
    void postgresqlAnswersSelectVersion() throws SQLException {
        env.requireListening("PostgreSQL", "postgresql.url");
        String version = selectVersion(env.get("postgresql.url"), env.get("postgresql.user"), env.get("postgresql.password"));
        assertTrue(version.startsWith("PostgreSQL 15"), "select version() = " + version);
    }

    @Test
    void mariadbUserCanCreateAndDropPerTestDatabases() throws SQLException {
        env.requireListening("MariaDB", "mariadb.admin-url");
        String db = env.get("mariadb.test-database-prefix") + "smoke_" + UUID.randomUUID().toString().substring(0, 8);
        String user = env.get("mariadb.user");
        String password = env.get("mariadb.password");
        try (Connection admin = DriverManager.getConnection(env.get("mariadb.admin-url"), user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + db);
            try {
                assertEquals(42, roundTrip(withDatabase(env.get("mariadb.admin-url"), db), user, password));
            } finally {
                statement.execute("DROP DATABASE " + db);
            }
        }
    }

    @Test
    void postgresqlRoleCanCreateAndDropPerTestDatabases() throws SQLException {
        env.requireListening("PostgreSQL", "postgresql.admin-url");
        String db = env.get("postgresql.test-database-prefix") + "smoke_" + UUID.randomUUID().toString().substring(0, 8);
        String user = env.get("postgresql.user");
        String password = env.get("postgresql.password");
        String adminUrl = env.get("postgresql.admin-url");
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + db);
            try {
                assertEquals(42, roundTrip(withDatabase(adminUrl, db), user, password));
            } finally {
                statement.execute("DROP DATABASE " + db);
            }
        }
    }

    /** {@code jdbc:x://host:port/other?opts} with {@code db} in place of {@code other}. */
    private static String withDatabase(String url, String db) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + db + (query < 0 ? "" : url.substring(query));
    }

    private static String selectVersion(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select version()")) {
            assertTrue(rs.next(), "select version() returned no row");
            return rs.getString(1);
        }
    }

    private static int roundTrip(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE smoke (id INT PRIMARY KEY, v INT NOT NULL)");
            statement.execute("INSERT INTO smoke (id, v) VALUES (1, 42)");
            try (ResultSet rs = statement.executeQuery("SELECT v FROM smoke WHERE id = 1")) {
                assertTrue(rs.next(), "inserted row not found");
                return rs.getInt(1);
            }
        }
    }
}
