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

import java.util.Map;
import org.csv2.plugin.jdbc.JdbcStateStoreProvider;
import org.csv2.plugin.jdbc.testing.TestDatabase;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.testkit.StateStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The state store contract on the PostgreSQL server of {@code scripts/testenv up}, in a fresh
 * database per test. The contract runs as a nested class because it insists that its subclass's
 * name end in {@code ContractTest}, while failsafe runs classes ending in {@code IT}.
 */
class PostgresStateStoreContractIT {
  @Nested
  class PostgresStateStoreContractTest extends StateStoreContract {
    private TestDatabase database;

    @Override
    protected String providerName() {
      return JdbcStateStoreProvider.NAME;
    }

    @Override
    protected StateStore newStore(PluginContext context) {
      return database.open(context, Map.of());
    }

    @Override
    protected void reset() {
      database = null;
      database = ServerDatabases.postgresql();
    }

    @AfterEach
    void dropDatabase() {
      if (database != null) {
        database.drop();
      }
    }
  }
}
