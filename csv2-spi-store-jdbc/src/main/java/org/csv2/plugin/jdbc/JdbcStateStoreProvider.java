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

import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;

/**
 * Provides the {@code jdbc} state store: H2 in file mode (the default, {@code
 * jdbc:h2:file:./csv2-data/csv2}), MariaDB 10.11 or PostgreSQL 15, chosen by the URL.
 *
 * <pre>{@code
 * state-store:
 *   driver: jdbc
 *   config:
 *     url: jdbc:postgresql://db.example.org:5432/csv2
 *     user: csv2
 *     password: ${CSV2_DB_PASSWORD}
 *     pool-size: 4
 *     connect-timeout: 10s
 *     encryption-key: ${CSV2_CONFIG_KEY}   # optional
 * }</pre>
 *
 * <p>{@link #create} opens a connection pool and migrates the schema (Flyway, history table {@code
 * csv2_schema_history}). Several engines may share one database. See {@code docs/state-store.md}.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class JdbcStateStoreProvider implements StateStoreProvider {
  /** The provider's name in YAML. */
  public static final String NAME = "jdbc";

  /** Creates the provider; cheap. */
  public JdbcStateStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public StateStore create(PluginConfig config, PluginContext context) {
    JdbcConfig bound = config.isEmpty() ? JdbcConfig.defaults() : config.bind(JdbcConfig.class);
    return JdbcStateStore.open(bound, config.path(), context);
  }
}
