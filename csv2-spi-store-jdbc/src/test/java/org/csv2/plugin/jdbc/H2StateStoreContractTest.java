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

import java.util.Map;
import org.csv2.plugin.jdbc.testing.TestDatabase;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.testkit.StateStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The state store contract on H2 in file mode: a fresh database directory per test. */
class H2StateStoreContractTest extends StateStoreContract {
  private TestDatabase database = TestDatabase.h2("contract");

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
    database = TestDatabase.h2("contract");
  }

  @AfterEach
  void dropDatabase() {
    database.drop();
  }
}
