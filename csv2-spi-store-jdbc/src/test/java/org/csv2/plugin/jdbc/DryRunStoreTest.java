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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csv2.api.StateStoreException;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dry run ({@code csv2 plan}) changes nothing in the store (issue 20, item 3): it neither
 * creates nor migrates the database, and its connections cannot write. On the main of 2026-12-04
 * {@code plan} created and migrated the database.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DryRunStoreTest {
  @TempDir Path dir;

  /** A dry-run engine's context. */
  private static PluginContext readOnly() {
    TestPluginContext c = TestPluginContext.of("store");
    return new PluginContext() {
      @Override
      public Clock clock() {
        return c.clock();
      }

      @Override
      public String instanceId() {
        return c.instanceId();
      }

      @Override
      public String name() {
        return c.name();
      }

      @Override
      public boolean readOnly() {
        return true;
      }
    };
  }

  private static StateStore open(Path base, PluginContext context) {
    return new JdbcStateStoreProvider()
        .create(TestPluginConfig.of(Map.of("url", "jdbc:h2:file:" + base), "state-store.config"), context);
  }

  @Test
  void aMissingDatabaseIsNotCreated() {
    Path base = dir.resolve("data").resolve("csv2");
    try (StateStore store = open(base, readOnly())) {
      assertThat(store.vms()).isEmpty();
      assertThat(store.config()).isEmpty();
    }
    assertThat(dir.resolve("data")).as("not even its directory").doesNotExist();
  }

  @Test
  void aCurrentDatabaseIsReadButNeverWritten() throws IOException {
    Path base = dir.resolve("csv2");
    try (StateStore store = open(base, TestPluginContext.of("store"))) {
      store.saveConfig("engine: {}\n", 0, "first");
    }
    Path file = dir.resolve("csv2.mv.db");
    byte[] before = Files.readAllBytes(file);
    try (StateStore store = open(base, readOnly())) {
      assertThat(store.config()).hasValueSatisfying(c -> assertThat(c.document()).isEqualTo("engine: {}\n"));
      assertThatThrownBy(() -> store.saveConfig("engine: {x: 1}\n", 1, "dry"))
          .as("a write through a dry-run store")
          .isInstanceOf(StateStoreException.class);
    }
    assertThat(Arrays.equals(before, Files.readAllBytes(file))).as("the file is unchanged, byte for byte").isTrue();
  }

  @Test
  void aSchemaBehindIsRefusedAndLeftAsItWas() throws SQLException {
    Path base = dir.resolve("old");
    String url = "jdbc:h2:file:" + base;
    Flyway.configure(JdbcStateStore.class.getClassLoader())
        .dataSource(url, null, null)
        .locations(Dialect.H2.migrations())
        .table(JdbcStateStore.HISTORY_TABLE)
        .target("1")
        .load()
        .migrate();
    assertThatThrownBy(() -> open(base, readOnly()))
        .isInstanceOfSatisfying(StateStoreException.class, e -> assertThat(e.reason()).isEqualTo(StateStoreException.Reason.UNAVAILABLE))
        .hasMessageContaining("the schema is at version 1 and this csv2 needs version")
        .hasMessageContaining("a dry run changes nothing")
        .hasMessageContaining("csv2 run");
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(\"version\") FROM \"" + JdbcStateStore.HISTORY_TABLE + "\"")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).as("still at version 1").isEqualTo("1");
    }
  }
}
