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
