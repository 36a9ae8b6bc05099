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
