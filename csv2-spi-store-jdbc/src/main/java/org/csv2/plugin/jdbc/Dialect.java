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

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The databases the store runs on. A dialect is only a name: its differences live in the files
 * under {@code org/csv2/plugin/jdbc/migration/<name>/} and {@code org/csv2/plugin/jdbc/sql/<name>/}.
 */
enum Dialect {
  H2("jdbc:h2:", "org.h2.Driver", null, "com.h2database:h2"),
  MARIADB(
      "jdbc:mariadb:",
      "org.mariadb.jdbc.Driver",
      "org.flywaydb.database.mysql.mariadb.MariaDBDatabaseType",
      "org.mariadb.jdbc:mariadb-java-client and org.flywaydb:flyway-mysql"),
  POSTGRESQL(
      "jdbc:postgresql:",
      "org.postgresql.Driver",
      "org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
      "org.postgresql:postgresql and org.flywaydb:flyway-database-postgresql");

  private final String urlPrefix;
  private final String driverClass;
  private final @Nullable String flywayClass;
  private final String artifacts;

  Dialect(String urlPrefix, String driverClass, @Nullable String flywayClass, String artifacts) {
    this.urlPrefix = urlPrefix;
    this.driverClass = driverClass;
    this.flywayClass = flywayClass;
    this.artifacts = artifacts;
  }

  /**
   * What is missing from the class path to use this database, if anything: csv2-spi-store-jdbc
   * brings H2 only; the MariaDB and PostgreSQL drivers and their Flyway modules are optional
   * dependencies the application adds for the database it uses.
   *
   * @param loader where to look
   * @return a sentence naming the artifacts to add, or empty when everything is there
   */
  Optional<String> missingLibraries(@Nullable ClassLoader loader) {
    for (String cls : flywayClass == null ? new String[] {driverClass} : new String[] {driverClass, flywayClass}) {
      try {
        Class.forName(cls, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        return Optional.of(
            "a " + urlPrefix + " URL needs " + artifacts + " on the class path (" + cls + " is missing);"
                + " csv2-spi-store-jdbc brings only the H2 driver");
      }
    }
    return Optional.empty();
  }

  /** The JDBC driver class, named so that the pool does not depend on DriverManager's view. */
  String driverClass() {
    return driverClass;
  }

  /**
   * The dialect of a JDBC URL.
   *
   * @param url the URL
   * @return the dialect, or empty when the URL is of no supported database
   */
  static Optional<Dialect> of(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(d -> u.startsWith(d.urlPrefix)).findFirst();
  }

  /** The folder name of this dialect's files. */
  String folder() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The Flyway location of this dialect's migrations. */
  String migrations() {
    return "classpath:org/csv2/plugin/jdbc/migration/" + folder();
  }
}
