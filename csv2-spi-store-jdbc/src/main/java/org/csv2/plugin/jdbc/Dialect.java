package org.csv2.plugin.jdbc;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The databases the store runs on. A dialect is only a name: its differences live in the files
 * under {@code org/csv2/plugin/jdbc/migration/<name>/} and {@code org/csv2/plugin/jdbc/sql/<name>/}.
 */
enum Dialect {
  H2("jdbc:h2:", "org.h2.Driver"),
  MARIADB("jdbc:mariadb:", "org.mariadb.jdbc.Driver"),
  POSTGRESQL("jdbc:postgresql:", "org.postgresql.Driver");

  private final String urlPrefix;
  private final String driverClass;

  Dialect(String urlPrefix, String driverClass) {
    this.urlPrefix = urlPrefix;
    this.driverClass = driverClass;
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
