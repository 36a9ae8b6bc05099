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
package org.csv2.examples.accounting;

import java.nio.file.Path;
import org.csv2.examples.crash.ServerDatabase;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * Where the accounting ITs keep the engine's jdbc store: an H2 file in a test directory, or a fresh
 * database of the test MariaDB or PostgreSQL (dropped on close).
 *
 * @param url the JDBC URL
 * @param user the user (blank for H2)
 * @param password the password (blank for H2)
 * @param server the server database, null for H2
 */
record EngineDatabase(String url, String user, String password, @Nullable ServerDatabase server) implements AutoCloseable {
  /**
   * A fresh store database.
   *
   * @param kind {@code h2}, {@code mariadb} or {@code postgresql}
   * @param dir where an H2 file goes
   * @return the database
   */
  static EngineDatabase create(String kind, Path dir) {
    if (kind.equals("h2")) {
      return new EngineDatabase("jdbc:h2:file:" + dir.resolve("engine-store").resolve("csv2").toAbsolutePath(), "", "", null);
    }
    ServerDatabase db = ServerDatabase.create(kind);
    return new EngineDatabase(db.url(), db.user(), db.password(), db);
  }

  /** Opens the jdbc store on it (migrating it). */
  StateStore open() {
    return SimulatedWeek.openJdbc(url, user, password);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
