package org.csv2.examples.ops;

import org.csv2.examples.crash.ServerDatabase;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SecondProcessOperations} on a fresh MariaDB and PostgreSQL database of the test environment. */
class SecondProcessOperationsIT {
  @ParameterizedTest
  @ValueSource(strings = {"mariadb", "postgresql"})
  @Timeout(180)
  void aSecondProcessOperatesOnTheEnginesServerStore(String kind) {
    try (ServerDatabase db = ServerDatabase.create(kind)) {
      SecondProcessOperations.run(db.url(), db.user(), db.password());
    }
  }
}
