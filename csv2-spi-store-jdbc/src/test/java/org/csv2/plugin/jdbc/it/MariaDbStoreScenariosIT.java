package org.csv2.plugin.jdbc.it;

import org.csv2.plugin.jdbc.testing.StoreScenarios;
import org.csv2.plugin.jdbc.testing.TestDatabase;

/** The JDBC store's own scenarios (leases, long stateful run, encryption) on MariaDb. */
class MariaDbStoreScenariosIT extends StoreScenarios {
  @Override
  protected TestDatabase newDatabase() {
    return ServerDatabases.mariadb();
  }
}
