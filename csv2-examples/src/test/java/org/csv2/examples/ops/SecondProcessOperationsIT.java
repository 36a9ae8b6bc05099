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
