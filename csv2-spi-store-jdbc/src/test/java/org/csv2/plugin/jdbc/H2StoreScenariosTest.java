package org.csv2.plugin.jdbc;

import org.csv2.plugin.jdbc.testing.StoreScenarios;
import org.csv2.plugin.jdbc.testing.TestDatabase;

/** The JDBC store's own scenarios on H2 in file mode. */
class H2StoreScenariosTest extends StoreScenarios {
  @Override
  protected TestDatabase newDatabase() {
    return TestDatabase.h2("scenarios");
  }

  @Override
  protected int statefulSeeds() {
    return 40;
  }
}
