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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csv2.spi.Secret;
import org.jspecify.annotations.Nullable;

/**
 * The {@code state-store.config} subtree of the {@code jdbc} store.
 *
 * <pre>{@code
 * state-store:
 *   driver: jdbc
 *   config:
 *     url: jdbc:postgresql://db.example.org/csv2   # default jdbc:h2:file:./csv2-data/csv2
 *     user: csv2
 *     password: ${CSV2_DB_PASSWORD}
 *     pool-size: 4                                  # default 4
 *     connect-timeout: 10s                          # default 10s
 *     encryption-key: ${CSV2_CONFIG_KEY}            # optional: encrypts the stored configuration
 * }</pre>
 *
 * @param url the JDBC URL; the dialect follows from its prefix
 * @param user the database user, or null for none (H2)
 * @param password the database password, or null for none
 * @param poolSize the most connections the pool opens
 * @param encryptionKey the key the stored configuration document is encrypted with, or null to
 *     store it as it is (with secrets only as {@code ${ENV}} references)
 * @param connectTimeout how long to wait for a connection
 */
record JdbcConfig(
    @Nullable String url,
    @Nullable String user,
    @Nullable Secret password,
    @Nullable Integer poolSize,
    @Nullable Secret encryptionKey,
    @Nullable Duration connectTimeout) {
  /** The embedded default: an H2 database in {@code ./csv2-data}, no server to install. */
  static final String DEFAULT_URL = "jdbc:h2:file:./csv2-data/csv2";

  static final int DEFAULT_POOL_SIZE = 4;
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
  static final int MAX_POOL_SIZE = 200;
  static final int MIN_KEY_LENGTH = 16;

  /** Applies the defaults. */
  JdbcConfig {
    url = url == null || url.isBlank() ? DEFAULT_URL : url.trim();
    user = user == null || user.isBlank() ? null : user;
    password = password == null || password.isEmpty() ? null : password;
    poolSize = poolSize == null ? DEFAULT_POOL_SIZE : poolSize;
    encryptionKey = encryptionKey == null || encryptionKey.isEmpty() ? null : encryptionKey;
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
  }

  /** The defaults: the embedded H2 database. */
  static JdbcConfig defaults() {
    return new JdbcConfig(null, null, null, null, null, null);
  }

  String jdbcUrl() {
    return url == null ? DEFAULT_URL : url;
  }

  int pool() {
    return poolSize == null ? DEFAULT_POOL_SIZE : poolSize;
  }

  Duration timeout() {
    return connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
  }

  /**
   * Every problem of this configuration, each prefixed by its YAML path.
   *
   * @param path the path of the subtree, such as {@code state-store.config}
   * @return the problems; empty when valid
   */
  List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    String u = jdbcUrl();
    Dialect.of(u)
        .flatMap(d -> d.missingLibraries(JdbcConfig.class.getClassLoader()))
        .ifPresent(missing -> problems.add(path + ".url: " + missing));
    if (Dialect.of(u).isEmpty()) {
      problems.add(
          path
              + ".url: '"
              + Redaction.url(u)
              + "' is not supported: use jdbc:h2:file:..., jdbc:mariadb://... or"
              + " jdbc:postgresql://...");
    }
    if (!Redaction.url(u).equals(u)) {
      problems.add(
          path
              + ".url: contains a password; remove it from the URL and set "
              + path
              + ".password: ${CSV2_DB_PASSWORD} instead (drivers and pools print URLs in their logs)");
    }
    int p = pool();
    if (p < 1 || p > MAX_POOL_SIZE) {
      problems.add(path + ".pool-size: " + p + " is out of range: use 1 to " + MAX_POOL_SIZE);
    }
    Duration t = timeout();
    if (t.compareTo(MIN_CONNECT_TIMEOUT) < 0) {
      problems.add(path + ".connect-timeout: " + t + " is too short: use at least 250ms");
    }
    if (encryptionKey != null && encryptionKey.reveal().length() < MIN_KEY_LENGTH) {
      problems.add(
          path
              + ".encryption-key: too short: use at least "
              + MIN_KEY_LENGTH
              + " characters (for example the output of 'openssl rand -base64 32')");
    }
    return problems;
  }
}
